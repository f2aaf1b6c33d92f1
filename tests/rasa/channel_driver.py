"""Driving the channels as Telegram and Twilio do: python-telegram-bot's `Update` JSON, form
posts signed by twilio's `RequestValidator`, and what the fake APIs recorded; and one channel
alone in a real Sanic server, with a stand-in for Rasa that can fail."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

import httpx
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic
from telegram import Chat, Message, Update, User
from twilio.request_validator import RequestValidator

from bot.launcher import Settings, Stack
from tests.fake_apis import FakeApis
from tests.stack_common import free_port

TOKEN = "123456:TEST-token"
SECRET = "telegram-webhook-secret"
TWILIO_SID, TWILIO_TOKEN = "AC" + "1" * 32, "twilio-auth-token"
SMS_NUMBER, WHATSAPP_NUMBER, TEMPLATE = "+38761000000", "whatsapp:+38761000001", "HX" + "2" * 32
update_ids = count(int(time.time()))
STOPPED = "the person sent STOP: nothing is sent"
"""The reason the channel state records for every message not sent after STOP."""
T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float, what: str, every: float = 0.2) -> T:
    """Polls until `predicate()` is truthy and returns its value; fails after `timeout` seconds.

    A test that asserts an absence first waits with this for an event that proves the moment
    has passed (a turn saved, a later message sent), so that "not yet" never passes for "never".
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"still waiting after {timeout:g} s for {what}")
        time.sleep(every)


def telegram_update(chat_id: int, text: str | None = None, language: str = "en", **content: object) -> dict:
    user = User(id=chat_id, first_name="A", is_bot=False, language_code=language)
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    now = dt.datetime.now(dt.timezone.utc)
    message = Message(next(update_ids), now, chat, from_user=user, text=text, **content)
    return Update(update_id=next(update_ids), message=message).to_dict()


def channel_settings(var: Path, api_url: str, **env: str) -> Settings:
    """A stack on free ports with every channel on, pointed at the fake APIs at `api_url`."""
    rasa_port = free_port()
    base = f"http://127.0.0.1:{rasa_port}/webhooks"
    channels = {
        "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_URL": api_url,
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_API_URL": api_url,
        "TWILIO_SMS_NUMBER": SMS_NUMBER, "TWILIO_SMS_WEBHOOK_URL": f"{base}/sms/webhook",
        "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER, "TWILIO_WHATSAPP_WEBHOOK_URL": f"{base}/whatsapp/webhook",
        "SMS_MAX_SEGMENTS": "2",
    }
    return Settings(
        var=var, rasa_port=rasa_port, actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db", extra_env={**channels, **env},
    )


def post_telegram(http: httpx.Client, update: dict, secret: str = SECRET) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    return http.post("/webhooks/telegram/webhook", json=update, headers=headers)


def post_twilio(
    http: httpx.Client, channel: str, sender: str, body: str, signed: bool = True, **extra: str
) -> httpx.Response:
    url = f"{str(http.base_url).rstrip('/')}/webhooks/{channel}/webhook"
    number = SMS_NUMBER if channel == "sms" else WHATSAPP_NUMBER
    form = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": TWILIO_SID, "From": sender, "To": number,
            "Body": body, "NumMedia": "0", **extra}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form) if signed else "forged"
    return http.post(url, data=form, headers={"X-Twilio-Signature": signature})


def sent_to(fake: FakeApis, method: str, key: str, address: str) -> list[dict[str, str]]:
    return [m for m in fake.sent(method) if m.get(key) == address]


def conversation(http: httpx.Client, stack: Stack, sender: str) -> dict:
    return http.get(f"/conversations/{sender}/tracker", params={"token": stack.token}).json()


def pseudonym_of(stack: Stack, address: str) -> str:
    with sqlite3.connect(stack.settings.var / "channels.db") as db:
        return db.execute("SELECT pseudonym FROM addresses WHERE address = ?", (address,)).fetchone()[0]


def turn_over(http: httpx.Client, stack: Stack, sender: str, message_id: str) -> dict | None:
    """The tracker once the turn of message `message_id` (`<channel>:<delivery id>`) is saved:
    it holds that user message followed by the bot's `action_listen`. None until then.

    Rasa sends a turn's replies before it saves the turn, so after this nothing more comes of it.
    """
    tracker = conversation(http, stack, sender)
    events = tracker.get("events") or []
    said = [i for i, e in enumerate(events) if e.get("event") == "user" and e.get("message_id") == message_id]
    after = events[said[-1] :] if said else []
    listens = any(e.get("event") == "action" and e.get("name") == "action_listen" for e in after)
    return tracker if listens else None


def user_message_ids(tracker: dict) -> list[str]:
    """The ids of the messages Rasa took in this conversation, in order (a replay shows twice)."""
    return [e.get("message_id") for e in tracker.get("events") or [] if e.get("event") == "user"]


def kept_delivery(stack: Stack, channel: str, delivery_id: str) -> bool:
    """Whether the channel ever kept this delivery: only a kept one is handed to Rasa, now or
    later by the inbox's redelivery, so one never kept can never be processed."""
    with sqlite3.connect(stack.settings.var / "channels.db") as db:
        delivery = f"{channel}:{delivery_id}"
        seen = db.execute("SELECT count(*) FROM seen WHERE delivery = ?", (delivery,)).fetchone()[0]
        waiting = db.execute("SELECT count(*) FROM inbox WHERE delivery = ?", (delivery,)).fetchone()[0]
    return bool(seen or waiting)


def waiting_for(stack: Stack, sender: str) -> int:
    """How many of the sender's messages still wait in the inbox for Rasa (0: none will come later)."""
    with sqlite3.connect(stack.settings.var / "channels.db") as db:
        return db.execute("SELECT count(*) FROM inbox WHERE pseudonym = ?", (sender,)).fetchone()[0]


def failures_of(stack: Stack, sender: str) -> list[str]:
    """Why messages to the sender were not sent, oldest first (`ChannelState.failures`)."""
    with sqlite3.connect(stack.settings.var / "channels.db") as db:
        query = "SELECT reason FROM failures WHERE pseudonym = ? ORDER BY id"
        return [row[0] for row in db.execute(query, (sender,))]


class FlakyRasa:
    """`on_new_message` that fails the first `failures` times, then keeps what it is given."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.taken: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("tracker store unavailable")
        self.taken.append(message)


@asynccontextmanager
async def serving(
    channel: InputChannel, rasa: Callable[[UserMessage], Awaitable[Any]]
) -> AsyncIterator[str]:
    """The channel's blueprint in a real Sanic server, as Rasa mounts it; yields its webhook URL."""
    Sanic.test_mode = True
    app = Sanic(f"channel_{uuid.uuid4().hex}")
    app.blueprint(channel.blueprint(rasa), url_prefix=f"/webhooks/{channel.name()}")
    port = free_port()
    server = await app.create_server(port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}/webhooks/{channel.name()}/webhook"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
