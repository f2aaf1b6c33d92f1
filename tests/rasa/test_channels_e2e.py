"""Telegram, SMS and WhatsApp over the real stack, driven in the real libraries' formats.

Updates are python-telegram-bot objects serialised as Telegram sends them; Twilio webhooks are
form posts signed by twilio's `RequestValidator`; everything the channels send goes to a local
fake of both APIs that records it. Runs in the Rasa environment, where both libraries live.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import Iterator
from itertools import count

import httpx
import pytest
from telegram import CallbackQuery, Chat, Location, Message, PhotoSize, Update, User
from twilio.request_validator import RequestValidator

from bot.launcher import Settings, Stack, ensure_model
from channels import sms_text
from tests.e2e.common import RESPONSES, free_port
from tests.fake_apis import FakeApis

TOKEN = "123456:TEST-token"
SECRET = "telegram-webhook-secret"
TWILIO_SID, TWILIO_TOKEN = "AC" + "1" * 32, "twilio-auth-token"
SMS_NUMBER, WHATSAPP_NUMBER, TEMPLATE = "+38761000000", "whatsapp:+38761000001", "HX" + "2" * 32
_ids = count(int(time.time()))


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeApis]:
    apis = FakeApis()
    apis.url = apis.start()
    yield apis
    apis.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, fake: FakeApis) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("var")
    rasa_port = free_port()
    base = f"http://127.0.0.1:{rasa_port}/webhooks"
    env = {
        "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_URL": fake.url,
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_API_URL": fake.url,
        "TWILIO_SMS_NUMBER": SMS_NUMBER, "TWILIO_SMS_WEBHOOK_URL": f"{base}/sms/webhook",
        "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER, "TWILIO_WHATSAPP_WEBHOOK_URL": f"{base}/whatsapp/webhook",
        "TWILIO_WHATSAPP_TEMPLATE_SID": TEMPLATE, "SMS_MAX_SEGMENTS": "2",
    }
    settings = Settings(
        var=var, rasa_port=rasa_port, actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db", extra_env=env,
    )
    with Stack(settings, ensure_model(settings)) as running:
        assert running.channels_off == []
        yield running


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=60) as client:
        yield client


def telegram_update(chat_id: int, text: str | None = None, language: str = "en", **content: object) -> dict:
    user = User(id=chat_id, first_name="A", is_bot=False, language_code=language)
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    now = dt.datetime.now(dt.timezone.utc)
    message = Message(next(_ids), now, chat, from_user=user, text=text, **content)
    return Update(update_id=next(_ids), message=message).to_dict()


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


def test_a_wrong_telegram_secret_is_refused_and_nothing_is_processed(
    http: httpx.Client, fake: FakeApis
) -> None:
    chat = 700_000_001
    assert post_telegram(http, telegram_update(chat, "hello"), secret="wrong").status_code == 403
    assert post_telegram(http, telegram_update(chat, "hello"), secret="").status_code == 403
    time.sleep(1)
    assert sent_to(fake, "sendMessage", "chat_id", str(chat)) == []


def test_telegram_start_greets_in_the_apps_language_and_buttons_are_inline(
    http: httpx.Client, fake: FakeApis
) -> None:
    chat = 700_000_002
    assert post_telegram(http, telegram_update(chat, "/start", language="fr")).status_code == 200
    (greeting,) = sent_to(fake, "sendMessage", "chat_id", str(chat))
    assert greeting["text"] == RESPONSES["utter_greet"]["fr"]
    post_telegram(http, telegram_update(chat, "/language", language="fr"))
    menu = sent_to(fake, "sendMessage", "chat_id", str(chat))[-1]
    assert "inline_keyboard" in menu["reply_markup"] and "LANG UR" in menu["reply_markup"]
    tap = CallbackQuery("q1", User(chat, "A", False), "instance", data="LANG UR")
    update = Update(update_id=next(_ids), callback_query=tap).to_dict()
    update["callback_query"]["message"] = telegram_update(chat, "menu")["message"]
    post_telegram(http, update)
    last = sent_to(fake, "sendMessage", "chat_id", str(chat))[-1]
    assert last["text"] == RESPONSES["utter_language_changed"]["ur"]


def test_a_replayed_telegram_update_is_processed_once(http: httpx.Client, fake: FakeApis) -> None:
    chat = 700_000_003
    update = telegram_update(chat, "hello there")
    for _ in range(3):
        assert post_telegram(http, update).status_code == 200
    time.sleep(1)
    assert len(sent_to(fake, "sendMessage", "chat_id", str(chat))) == 1


def test_media_gets_a_polite_text_reply(http: httpx.Client, fake: FakeApis) -> None:
    chat = 700_000_004
    photo = [PhotoSize("f1", "u1", 10, 10)]
    post_telegram(http, telegram_update(chat, None, photo=photo))
    post_telegram(http, telegram_update(chat, None, location=Location(19.8, 45.2)))
    texts = [m["text"] for m in sent_to(fake, "sendMessage", "chat_id", str(chat))]
    assert texts == [RESPONSES["utter_text_only"]["en"]] * 2
    post_twilio(http, "whatsapp", "whatsapp:+38762000004", "", NumMedia="1", MediaContentType0="image/jpeg")
    (reply,) = sent_to(fake, "Messages.json", "To", "whatsapp:+38762000004")
    assert reply["Body"] == RESPONSES["utter_text_only"]["en"]


def test_a_telegram_rate_limit_is_retried(http: httpx.Client, fake: FakeApis) -> None:
    chat = 700_000_005
    busy = {"ok": False, "error_code": 429, "description": "Too Many Requests"}
    busy["parameters"] = {"retry_after": 1}
    fake.fail_next(429, busy)
    post_telegram(http, telegram_update(chat, "hello there"))
    attempts = sent_to(fake, "sendMessage", "chat_id", str(chat))
    assert len(attempts) == 2 and attempts[-1]["text"] == RESPONSES["utter_greet"]["en"]


def test_a_forged_twilio_signature_is_refused_and_nothing_is_processed(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    sender = "+38762000001"
    assert post_twilio(http, "sms", sender, "hello", signed=False).status_code == 403
    assert post_twilio(http, "whatsapp", "whatsapp:" + sender, "hello", signed=False).status_code == 403
    time.sleep(1)
    assert sent_to(fake, "Messages.json", "To", sender) == []


def test_a_replayed_twilio_message_is_processed_once(http: httpx.Client, fake: FakeApis) -> None:
    sender = "+38762000002"
    url = f"{str(http.base_url).rstrip('/')}/webhooks/sms/webhook"
    form = {
        "MessageSid": "SM" + "9" * 32, "AccountSid": TWILIO_SID, "From": sender, "To": SMS_NUMBER,
        "Body": "hello there",
    }
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
    for _ in range(3):
        assert http.post(url, data=form, headers={"X-Twilio-Signature": signature}).status_code == 200
    assert len(sent_to(fake, "Messages.json", "To", sender)) == 1


def test_after_stop_nothing_is_sent_until_start(http: httpx.Client, fake: FakeApis, stack: Stack) -> None:
    sender = "+38762000003"
    post_twilio(http, "sms", sender, "hello there")
    post_twilio(http, "sms", sender, "STOP")
    replies = [m["Body"] for m in sent_to(fake, "Messages.json", "To", sender)]
    assert replies[-1] == RESPONSES["utter_sms_stopped"]["en"]
    post_twilio(http, "sms", sender, "how do i ask for asylum in serbia")
    assert len(sent_to(fake, "Messages.json", "To", sender)) == len(replies)  # silence
    post_twilio(http, "sms", sender, "START")
    assert sent_to(fake, "Messages.json", "To", sender)[-1]["Body"] == RESPONSES["utter_sms_started"]["en"]


def test_an_arabic_answer_on_sms_is_cut_in_ucs2_segments_with_more(
    http: httpx.Client, fake: FakeApis
) -> None:
    sender = "+38762000005"
    post_twilio(http, "sms", sender, "مرحبا، السلام عليكم")
    post_twilio(http, "sms", sender, "كيف أقدم طلب لجوء في صربيا")
    answer = sent_to(fake, "Messages.json", "To", sender)[-1]["Body"]
    assert not sms_text.is_gsm7(answer) and sms_text.segments(answer) <= 2
    assert answer.endswith("MORE") or answer.endswith("MORE)")
    post_twilio(http, "sms", sender, "MORE")
    rest = sent_to(fake, "Messages.json", "To", sender)[-1]["Body"]
    assert rest != answer and sms_text.segments(rest) <= 2


def test_whatsapp_keeps_profile_name_and_sid_and_numbers_the_menu(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    sender = "whatsapp:+38762000006"
    post_twilio(http, "whatsapp", sender, "ok", ProfileName="Amina")
    menu = sent_to(fake, "Messages.json", "To", sender)[0]["Body"]
    assert "\n1 English\n2 العربية" in menu
    post_twilio(http, "whatsapp", sender, "6")
    french = RESPONSES["utter_language_changed"]["fr"]
    assert sent_to(fake, "Messages.json", "To", sender)[-1]["Body"] == french
    events = conversation(http, stack, fake_pseudonym(stack, sender))["events"]
    metadata = next(e["metadata"] for e in events if e["event"] == "user")
    assert metadata["profile_name"] == "Amina" and metadata["message_sid"].startswith("SM")
    assert "+38762000006" not in str(events)  # the number is nowhere in the conversation


def fake_pseudonym(stack: Stack, address: str) -> str:
    with sqlite3.connect(stack.settings.var / "channels.db") as db:
        return db.execute("SELECT pseudonym FROM addresses WHERE address = ?", (address,)).fetchone()[0]


@pytest.mark.parametrize(
    ("channel", "address", "method", "field", "value"),
    [
        ("telegram", "700000006", "sendMessage", "chat_id", "700000006"),
        ("sms", "+38762000007", "Messages.json", "To", "+38762000007"),
        ("whatsapp", "whatsapp:+38762000008", "Messages.json", "To", "whatsapp:+38762000008"),
    ],
)
def test_an_operators_reply_goes_out_on_the_persons_channel(
    http: httpx.Client,
    fake: FakeApis,
    stack: Stack,
    channel: str,
    address: str,
    method: str,
    field: str,
    value: str,
) -> None:
    if channel == "telegram":
        post_telegram(http, telegram_update(int(address), "hello there"))
    else:
        post_twilio(http, channel, address, "hello there")
    sender = fake_pseudonym(stack, address)
    reply = "This is Sara from the team. How can I help?"
    event = [{"event": "bot", "text": reply, "metadata": {"from_operator": True}}]
    params = {"output_channel": channel, "execute_side_effects": "true", "token": stack.token}
    assert http.post(f"/conversations/{sender}/tracker/events", params=params, json=event).status_code == 200
    assert sent_to(fake, method, field, value)[-1][("text" if channel == "telegram" else "Body")] == reply


def test_a_late_whatsapp_reply_uses_the_template_then_arrives(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    sender = "whatsapp:+38762000009"
    post_twilio(http, "whatsapp", sender, "hello there")
    name = fake_pseudonym(stack, sender)
    with sqlite3.connect(stack.settings.var / "channels.db") as db:
        yesterday = time.time() - 25 * 3600
        db.execute("UPDATE addresses SET last_inbound = ? WHERE pseudonym = ?", (yesterday, name))
    params = {"output_channel": "whatsapp", "execute_side_effects": "true", "token": stack.token}
    late = [{"event": "bot", "text": "We called the shelter."}]
    http.post(f"/conversations/{name}/tracker/events", params=params, json=late)
    last = sent_to(fake, "Messages.json", "To", sender)[-1]
    assert last.get("ContentSid") == TEMPLATE and "Body" not in last
    post_twilio(http, "whatsapp", sender, "yes?")
    bodies = [m.get("Body") for m in sent_to(fake, "Messages.json", "To", sender)]
    assert "We called the shelter." in bodies


def test_polling_hands_updates_to_the_same_webhook(stack: Stack, fake: FakeApis) -> None:
    from telegram import Bot

    from channels.telegram_polling import forward_updates

    chat = 700_000_020
    fake.updates.append(telegram_update(chat, "bonjour, comment ça va"))
    bot = Bot(TOKEN, base_url=f"{fake.url}/bot")
    webhook = f"{stack.settings.rasa_url}/webhooks/telegram/webhook"
    assert asyncio.run(forward_updates(bot, webhook, SECRET, rounds=2)) == 1
    assert "deleteWebhook" in [r.method for r in fake.requests]
    assert sent_to(fake, "sendMessage", "chat_id", str(chat))[-1]["text"] == RESPONSES["utter_greet"]["fr"]
