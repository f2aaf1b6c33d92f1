"""Telegram, with python-telegram-bot: a webhook that checks Telegram's secret token, and
sending with PTB's own `Bot` inside Rasa's event loop.

Rasa's built-in connector (aiogram 2) checks no secret and cannot send when the HTTP API asks
it to (an operator's reply); this one can. In `credentials.yml`:

    channels.telegram.TelegramInput:
      token: ${TELEGRAM_TOKEN}
      webhook_secret: ${TELEGRAM_WEBHOOK_SECRET}

Commands: /start greets in the language of the person's Telegram app, /language shows the
language menu, /help explains, /delete erases. Buttons are inline keyboards.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic.request import Request
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from channels.delivery import deliver
from channels.media import location_intent, media_metadata
from channels.menus import MenuMemory
from channels.pipeline import Inbound, PipelineInput, Refused
from channels.rate_limit import Limits, RateLimiter
from channels.text import NO_TEXT_INTENT, to_rasa_text
from common.channel_state import ChannelState
from common.privacy import mask, pseudonym
from common.vocabulary import GREET

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PREFIX = "tg"
COMMANDS = {"/start": GREET, "/language": "LANG", "/help": "HELP", "/delete": "DELETE"}


def _retry_after(error: Exception) -> float | None:
    if isinstance(error, RetryAfter):
        retry = error.retry_after
        return retry if isinstance(retry, int | float) else retry.total_seconds()
    if isinstance(error, Forbidden):
        return None  # blocked by the person: final
    if isinstance(error, NetworkError):
        return 0.0  # timeouts, 5xx: back off and retry
    return None


def inbound_text(update: Update) -> str | None:
    """What the person sent, as the text Rasa should read; None for updates that are no message."""
    if update.callback_query is not None:
        return update.callback_query.data or NO_TEXT_INTENT
    message = update.effective_message
    if message is None:
        return None
    if message.location is not None:
        return location_intent(message.location.latitude, message.location.longitude)
    text = message.text or ""
    command = text.split("@", 1)[0].split(" ", 1)[0].lower() if text.startswith("/") else ""
    if command in COMMANDS:
        return COMMANDS[command]
    return to_rasa_text(text)  # a photo, a sticker, a voice note: "I can only read text"


def inbound_media(update: Update) -> dict[str, Any]:
    """The provider's id of a voice note, photo, video, document or sticker, for the operator."""
    message = update.effective_message
    if message is None:
        return {}
    found = {
        "voice": message.voice or message.audio,
        "photo": message.photo[-1] if message.photo else None,
        "video": message.video or message.video_note,
        "document": message.document,
        "sticker": message.sticker,
    }
    kind, item = next(((k, v) for k, v in found.items() if v is not None), ("", None))
    return media_metadata(kind, item.file_id) if item is not None else {}


class TelegramOutput(OutputChannel):
    """Sends to the chat behind a pseudonym; failures are retried, then recorded."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, bot: Bot, state: ChannelState, menus: MenuMemory) -> None:
        self.bot = bot
        self.state = state
        self.menus = menus

    async def _send(self, recipient_id: str, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        chat_id = self.state.address(recipient_id)
        if chat_id is None:
            self.state.record_failure(self.name(), recipient_id, "no known chat for this conversation")
            return
        failure = await deliver(
            lambda: self.bot.send_message(chat_id=int(chat_id), text=text, reply_markup=markup), _retry_after
        )
        if failure:
            logger.warning("telegram delivery failed for good: %s", failure.split(":")[0])
            self.state.record_failure(self.name(), recipient_id, failure)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        rows = [
            [InlineKeyboardButton(str(b.get("title", "")), callback_data=str(b.get("payload", ""))[:64])]
            for b in buttons
        ]
        self.menus.remember(recipient_id, [{"buttons": buttons}])  # a typed number works too
        await self._send(recipient_id, text, InlineKeyboardMarkup(rows))


class TelegramInput(PipelineInput):
    """Telegram's webhook: `POST /webhooks/telegram/webhook`."""

    prefix = PREFIX

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        if not credentials.get("token") or not credentials.get("webhook_secret"):
            raise ValueError("telegram needs `token` and `webhook_secret` (see credentials.yml)")
        return cls(
            str(credentials["token"]),
            str(credentials["webhook_secret"]),
            base_url=str(credentials.get("base_url") or "https://api.telegram.org"),
            limits=RateLimiter(Limits.from_credentials(credentials)),
        )

    def __init__(
        self,
        token: str,
        webhook_secret: str,
        base_url: str = "https://api.telegram.org",
        limits: RateLimiter | None = None,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.bot = Bot(token, base_url=f"{base_url.rstrip('/')}/bot", request=HTTPXRequest(read_timeout=15))
        super().__init__(limits, ChannelState())

    def get_output_channel(self) -> OutputChannel:
        """Also used by Rasa's HTTP API, inside its running event loop, for operators' replies."""
        return TelegramOutput(self.bot, self.state, self.menus)

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.webhook_secret.encode()):
            raise Refused(403, "wrong or missing secret token")

    def parse(self, request: Request) -> Inbound | None:
        try:
            update = Update.de_json(json.loads(request.body or b"{}"), self.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError, TelegramError):
            raise Refused(400, "not a Telegram update") from None
        text, chat, user = inbound_text(update), update.effective_chat, update.effective_user
        if text is None or chat is None:
            return None
        metadata = {"contact": mask(str(chat.id)), **inbound_media(update)}
        if user is not None and user.language_code:
            metadata["language_hint"] = user.language_code.split("-")[0].lower()
        sender = pseudonym(PREFIX, str(chat.id), self.state.key)
        return Inbound(sender, text, metadata, str(update.update_id), str(chat.id), update)

    async def before_turn(self, inbound: Inbound, busy: bool) -> None:
        """A tapped button stops spinning once the message is kept."""
        query = inbound.raw.callback_query
        if query is not None:
            await deliver(lambda: query.answer(), _retry_after, attempts=1)
