"""Driving the channels as Telegram and Twilio do: python-telegram-bot's `Update` JSON, form
posts signed by twilio's `RequestValidator`, and what the fake APIs recorded."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from itertools import count

import httpx
from telegram import Chat, Message, Update, User
from twilio.request_validator import RequestValidator

from bot.launcher import Stack
from tests.fake_apis import FakeApis

TOKEN = "123456:TEST-token"
SECRET = "telegram-webhook-secret"
TWILIO_SID, TWILIO_TOKEN = "AC" + "1" * 32, "twilio-auth-token"
SMS_NUMBER, WHATSAPP_NUMBER, TEMPLATE = "+38761000000", "whatsapp:+38761000001", "HX" + "2" * 32
update_ids = count(int(time.time()))


def telegram_update(chat_id: int, text: str | None = None, language: str = "en", **content: object) -> dict:
    user = User(id=chat_id, first_name="A", is_bot=False, language_code=language)
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    now = dt.datetime.now(dt.timezone.utc)
    message = Message(next(update_ids), now, chat, from_user=user, text=text, **content)
    return Update(update_id=next(update_ids), message=message).to_dict()


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
