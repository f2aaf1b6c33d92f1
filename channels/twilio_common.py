"""What the SMS and WhatsApp channels share: Twilio's signature, its form, and sending.

Rasa's built-in Twilio connector checks no signature and blocks the event loop on every send;
here every webhook must carry a valid `X-Twilio-Signature` for the public URL Twilio called
(configurable, for a proxy in front), and sending uses twilio's asyncio client, with retries.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import OutputChannel
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from channels.delivery import deliver
from channels.media import twilio_location, twilio_media
from channels.menus import MenuMemory, numbered
from channels.optout import opt_keyword
from channels.pipeline import Inbound, Outcome, PipelineInput, Refused
from channels.rate_limit import RateLimiter
from channels.text import NO_TEXT_INTENT, to_rasa_text
from common.channel_state import ChannelState
from common.privacy import mask, pseudonym
from common.vocabulary import OPT_IN, OPT_OUT

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
TWILIO_API = "https://api.twilio.com"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def retry_after(error: Exception) -> float | None:
    """Busy (429) or failing (5xx) APIs and network errors are retried; refusals are final."""
    if isinstance(error, TwilioRestException):
        return 0.0 if error.status == 429 or error.status >= 500 else None
    return 0.0 if isinstance(error, OSError | TimeoutError) else None


class _ApiAt(AsyncTwilioHttpClient):
    """twilio's asyncio HTTP client, pointed at another base URL (a proxy, or a test's fake)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(pool_connections=False, timeout=15)
        self.base_url = base_url.rstrip("/")

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        return await super().request(method, url.replace(TWILIO_API, self.base_url, 1), *args, **kwargs)


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    number: str  # ours, as Twilio writes it ("+387…" or "whatsapp:+387…")
    public_url: str  # the webhook's URL as Twilio calls it, for the signature
    api_url: str = TWILIO_API

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None, channel: str) -> TwilioSettings:
        credentials = credentials or {}
        missing = [k for k in ("account_sid", "auth_token", "number", "public_url") if not credentials.get(k)]
        if missing:
            raise ValueError(f"{channel} needs {', '.join(missing)} (see credentials.yml)")
        return cls(
            str(credentials["account_sid"]), str(credentials["auth_token"]), str(credentials["number"]),
            str(credentials["public_url"]), str(credentials.get("api_url") or TWILIO_API),
        )

    def client(self) -> Client:
        return Client(self.account_sid, self.auth_token, http_client=_ApiAt(self.api_url))


class TwilioOutput(OutputChannel):
    """Sends one text to the address behind a pseudonym; subclasses shape the text first."""

    def __init__(self, settings: TwilioSettings, state: ChannelState, menus: MenuMemory) -> None:
        self.settings = settings
        self.state = state
        self.menus = menus

    async def deliver(self, recipient_id: str, **message: Any) -> None:
        address = self.state.address(recipient_id)
        if address is None:
            self.state.record_failure(self.name(), recipient_id, "no known address for this conversation")
            return
        if self.state.opted_out(recipient_id):
            self.state.record_failure(self.name(), recipient_id, "the person sent STOP: nothing is sent")
            return
        client = self.settings.client()

        def send() -> Awaitable[Any]:
            return client.messages.create_async(to=address, from_=self.settings.number, **message)

        failure = await deliver(send, retry_after)
        if failure:
            logger.warning("%s delivery failed for good: %s", self.name(), failure.split(":")[0])
            self.state.record_failure(self.name(), recipient_id, failure)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """No buttons on a feature phone: a numbered list, and a number as the reply chooses."""
        self.menus.remember(recipient_id, [{"buttons": buttons}])
        await self.send_text_message(recipient_id, numbered(text, buttons))


def _form(request: Request) -> dict[str, str]:
    """The request's form, every field kept: Twilio signs empty ones too ("Body=" with a photo)."""
    if not hasattr(request.ctx, "twilio_form"):
        fields = parse_qs((request.body or b"").decode("utf-8", "replace"), keep_blank_values=True)
        request.ctx.twilio_form = {key: values[0] for key, values in fields.items()}
    return request.ctx.twilio_form


class TwilioInput(PipelineInput):
    """A Twilio webhook (`POST /webhooks/<name>/webhook`): signature, once per MessageSid, STOP.

    Twilio is answered with empty TwiML: replies go through the REST API, so an operator's
    reply later takes the same way as the bot's. Twilio never retries a messaging webhook, so
    a message over the endpoint's limit waits here a moment instead of being refused.
    """

    prefix = "tw"
    busy_waits = True
    output_class: type[TwilioOutput] = TwilioOutput

    def __init__(self, settings: TwilioSettings, limits: RateLimiter | None = None) -> None:
        self.settings = settings
        self.validator = RequestValidator(settings.auth_token)
        super().__init__(limits, ChannelState())

    def get_output_channel(self) -> OutputChannel:
        return self.output_class(self.settings, self.state, self.menus)

    def after_turn(self, sender: str, text: str) -> None:
        if text == OPT_OUT:
            self.state.set_opted_out(sender, True)  # after the one confirmation

    def authenticate(self, request: Request) -> None:
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not self.validator.validate(self.settings.public_url, _form(request), signature):
            raise Refused(403, "invalid Twilio signature")

    def parse(self, request: Request) -> Inbound:
        """STOP and START in any supported language are the opt-out and opt-in payloads."""
        form = _form(request)
        if not form.get("From") or not form.get("MessageSid"):
            raise Refused(400, "not a Twilio message")
        keyword = opt_keyword(form.get("Body") or "")
        text = OPT_OUT if keyword == "stop" else OPT_IN if keyword == "start" else self.text_of(form)
        sender = pseudonym(self.prefix, form["From"], self.state.key)
        return Inbound(sender, text, self.metadata_of(form), form["MessageSid"], form["From"], form)

    def text_of(self, form: dict[str, str]) -> str:
        """The message as Rasa should read it: a shared location is its country; media and
        empty bodies are no text."""
        body = form.get("Body") or form.get("ButtonPayload") or ""
        location = twilio_location(form)
        if location and not body.strip():
            return location
        return to_rasa_text(body) if body.strip() else NO_TEXT_INTENT

    def metadata_of(self, form: dict[str, str]) -> dict[str, Any]:
        contact = mask(form.get("From", ""))
        return {"contact": contact, "message_sid": form.get("MessageSid"), **twilio_media(form)}

    async def before_turn(self, inbound: Inbound, busy: bool) -> None:
        """START takes effect at once. After STOP a message is still read (a danger sign still
        opens a case); nothing is sent."""
        if inbound.text == OPT_IN:
            self.state.set_opted_out(inbound.sender, False)

    def reply(self, outcome: Outcome, messages: list[dict[str, Any]] | None = None) -> HTTPResponse:
        return response.text(EMPTY_TWIML, content_type="text/xml")
