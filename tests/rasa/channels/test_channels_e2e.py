"""Telegram, SMS and WhatsApp over the real stack, driven in the real libraries' formats.

Updates are python-telegram-bot objects serialised as Telegram sends them; Twilio webhooks are
form posts signed by twilio's `RequestValidator`; everything the channels send goes to a local
fake of both APIs that records it. Runs in the Rasa environment, where both libraries live.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from functools import partial

import httpx
import pytest
from telegram import CallbackQuery, Location, PhotoSize, Update, User, Voice
from twilio.request_validator import RequestValidator

from bot.launcher import Stack
from channels import sms_text
from tests.fake_apis import FakeApis
from tests.rasa.channel_driver import (
    SECRET,
    SMS_NUMBER,
    STOPPED,
    TEMPLATE,
    TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    conversation,
    failures_of,
    kept_delivery,
    post_telegram,
    post_twilio,
    pseudonym_of,
    sent_to,
    telegram_update,
    turn_over,
    update_ids,
    user_message_ids,
    wait_for,
    waiting_for,
)
from tests.stack_common import RESPONSES


def test_a_wrong_telegram_secret_is_refused_and_nothing_is_processed(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    chat = 700_000_001
    refused = [telegram_update(chat, "hello"), telegram_update(chat, "hello")]
    assert post_telegram(http, refused[0], secret="wrong").status_code == 403
    assert post_telegram(http, refused[1], secret="").status_code == 403
    # The same person's next message, rightly signed: once its turn is saved, a refused one
    # processed would show before it, in the tracker and in what was sent.
    accepted = telegram_update(chat, "hello there")
    assert post_telegram(http, accepted).status_code == 200
    taken = f"telegram:{accepted['update_id']}"
    sender = pseudonym_of(stack, str(chat))
    tracker = wait_for(lambda: turn_over(http, stack, sender, taken), 30, "the accepted message's turn")
    assert user_message_ids(tracker) == [taken]
    assert not any(kept_delivery(stack, "telegram", str(u["update_id"])) for u in refused)  # nor later
    texts = [m["text"] for m in sent_to(fake, "sendMessage", "chat_id", str(chat))]
    assert texts == [RESPONSES["utter_privacy_notice"]["en"], RESPONSES["utter_greet"]["en"]]  # first contact


def test_telegram_start_greets_in_the_apps_language_and_buttons_are_inline(
    http: httpx.Client, fake: FakeApis
) -> None:
    chat = 700_000_002
    assert post_telegram(http, telegram_update(chat, "/start", language="fr")).status_code == 200
    notice, greeting = sent_to(fake, "sendMessage", "chat_id", str(chat))
    assert notice["text"] == RESPONSES["utter_privacy_notice"]["fr"]  # first contact
    assert greeting["text"] == RESPONSES["utter_greet"]["fr"]
    post_telegram(http, telegram_update(chat, "/language", language="fr"))
    menu = sent_to(fake, "sendMessage", "chat_id", str(chat))[-1]
    assert "inline_keyboard" in menu["reply_markup"] and "LANG UR" in menu["reply_markup"]
    tap = CallbackQuery("q1", User(chat, "A", False), "instance", data="LANG UR")
    update = Update(update_id=next(update_ids), callback_query=tap).to_dict()
    update["callback_query"]["message"] = telegram_update(chat, "menu")["message"]
    post_telegram(http, update)
    last = sent_to(fake, "sendMessage", "chat_id", str(chat))[-1]
    assert last["text"] == RESPONSES["utter_language_changed"]["ur"]


def test_a_replayed_telegram_update_is_processed_once(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    chat = 700_000_003
    update = telegram_update(chat, "hello there")
    for _ in range(3):
        assert post_telegram(http, update).status_code == 200
    # A later update of the same chat: once its turn is saved, a replay processed again would
    # show before it, in the tracker and in what was sent; and none waits to be handed over later.
    later = telegram_update(chat, "/privacy")
    assert post_telegram(http, later).status_code == 200
    sender = pseudonym_of(stack, str(chat))
    replayed, taken = f"telegram:{update['update_id']}", f"telegram:{later['update_id']}"
    tracker = wait_for(lambda: turn_over(http, stack, sender, taken), 30, "the later update's turn")
    assert user_message_ids(tracker) == [replayed, taken] and waiting_for(stack, sender) == 0
    texts = [m["text"] for m in sent_to(fake, "sendMessage", "chat_id", str(chat))]
    first = [RESPONSES["utter_privacy_notice"]["en"], RESPONSES["utter_greet"]["en"]]  # once
    assert texts == [*first, RESPONSES["utter_privacy_full"]["en"], RESPONSES["utter_discreet_use"]["en"]]


def test_media_gets_a_polite_text_reply_and_a_location_sets_the_country(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    chat = 700_000_004
    photo = [PhotoSize("f1", "u1", 10, 10)]
    post_telegram(http, telegram_update(chat, None, photo=photo))
    post_telegram(http, telegram_update(chat, None, location=Location(19.84, 45.25)))  # Novi Sad
    texts = [m["text"] for m in sent_to(fake, "sendMessage", "chat_id", str(chat))]
    assert texts == [
        RESPONSES["utter_privacy_notice"]["en"], RESPONSES["utter_text_only"]["en"],
        RESPONSES["utter_how_can_i_help"]["en"],
    ]
    tracker = conversation(http, stack, pseudonym_of(stack, str(chat)))
    assert tracker["slots"]["country"] == "RS"
    assert "45.25" not in str(tracker["events"]) and "19.84" not in str(tracker["events"])  # not kept
    post_twilio(http, "whatsapp", "whatsapp:+38762000004", "", NumMedia="1", MediaContentType0="image/jpeg")
    _, reply = sent_to(fake, "Messages.json", "To", "whatsapp:+38762000004")
    assert reply["Body"] == RESPONSES["utter_text_only"]["en"]
    post_twilio(http, "whatsapp", "whatsapp:+38762000004", "", Latitude="44.81", Longitude="15.87")  # Bihać
    tracker = conversation(http, stack, pseudonym_of(stack, "whatsapp:+38762000004"))
    assert tracker["slots"]["country"] == "BA"


def test_a_voice_note_during_a_case_reaches_it_by_its_media_id(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    chat = 700_000_014
    danger = "my boss took my passport and locks me in, he says I owe him money"
    post_telegram(http, telegram_update(chat, danger))
    sender = pseudonym_of(stack, str(chat))
    assert conversation(http, stack, sender)["slots"]["handoff_active"] is True
    post_telegram(http, telegram_update(chat, None, voice=Voice("voice-file-77", "u77", 4)))
    events = conversation(http, stack, sender)["events"]
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    assert events[last_user]["metadata"]["media"] == {"kind": "voice", "id": "voice-file-77"}
    assert "action_handoff_relay" in [e.get("name") for e in events[last_user:]]


def test_a_telegram_rate_limit_is_retried(http: httpx.Client, fake: FakeApis) -> None:
    chat = 700_000_005
    busy = {"ok": False, "error_code": 429, "description": "Too Many Requests"}
    busy["parameters"] = {"retry_after": 1}
    fake.fail_next(429, busy)
    post_telegram(http, telegram_update(chat, "hello there"))
    first, retried, greeting = sent_to(fake, "sendMessage", "chat_id", str(chat))
    assert first == retried and retried["text"] == RESPONSES["utter_privacy_notice"]["en"]
    assert greeting["text"] == RESPONSES["utter_greet"]["en"]


def test_a_forged_twilio_signature_is_refused_and_nothing_is_processed(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    phone = "+38762000001"
    for channel, address in (("sms", phone), ("whatsapp", "whatsapp:" + phone)):
        forged = f"SM{uuid.uuid4().hex}"
        refused = post_twilio(http, channel, address, "hello", signed=False, MessageSid=forged)
        assert refused.status_code == 403
        # The same person's next message, rightly signed: once its turn is saved, the forged one
        # processed would show before it in the tracker.
        signed = f"SM{uuid.uuid4().hex}"
        assert post_twilio(http, channel, address, "hello there", MessageSid=signed).status_code == 200
        sender, taken = pseudonym_of(stack, address), f"{channel}:{signed}"
        tracker = wait_for(partial(turn_over, http, stack, sender, taken), 30, f"the signed {channel} turn")
        assert user_message_ids(tracker) == [taken]
        assert not kept_delivery(stack, channel, forged)  # so not handed over later either
    bodies = [m["Body"] for m in sent_to(fake, "Messages.json", "To", phone)]
    first_contact = [RESPONSES["utter_privacy_notice"]["en"], RESPONSES["utter_greet"]["en"]]
    assert bodies == first_contact  # nothing before the signed message's answers


def test_a_replayed_twilio_message_is_processed_once(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    sender = "+38762000002"
    url = f"{str(http.base_url).rstrip('/')}/webhooks/sms/webhook"
    form = {
        "MessageSid": "SM" + "9" * 32, "AccountSid": TWILIO_SID, "From": sender, "To": SMS_NUMBER,
        "Body": "hello there",
    }
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
    for _ in range(3):
        assert http.post(url, data=form, headers={"X-Twilio-Signature": signature}).status_code == 200
    # A later message of the same person: once its turn is saved, a replay processed again would
    # show before it, in the tracker and in what was sent; and none waits to be handed over later.
    later = f"SM{uuid.uuid4().hex}"
    post_twilio(http, "sms", sender, "PRIVACY", MessageSid=later)
    name, replayed, taken = pseudonym_of(stack, sender), f"sms:{form['MessageSid']}", f"sms:{later}"
    tracker = wait_for(lambda: turn_over(http, stack, name, taken), 30, "the later message's turn")
    assert user_message_ids(tracker) == [replayed, taken] and waiting_for(stack, name) == 0
    bodies = [m["Body"] for m in sent_to(fake, "Messages.json", "To", sender)]
    assert bodies[:2] == [RESPONSES["utter_privacy_notice"]["en"], RESPONSES["utter_greet"]["en"]]
    assert RESPONSES["utter_greet"]["en"] not in bodies[2:]  # the replays' answers, once


def test_after_stop_nothing_is_sent_until_start(http: httpx.Client, fake: FakeApis, stack: Stack) -> None:
    sender = "+38762000003"
    post_twilio(http, "sms", sender, "hello there")
    post_twilio(http, "sms", sender, "STOP")
    replies = [m["Body"] for m in sent_to(fake, "Messages.json", "To", sender)]
    assert replies[-1] == RESPONSES["utter_sms_stopped"]["en"]
    name, question = pseudonym_of(stack, sender), f"SM{uuid.uuid4().hex}"
    stopped = failures_of(stack, name).count(STOPPED)
    post_twilio(http, "sms", sender, "how do i ask for asylum in serbia", MessageSid=question)
    # The question's turn is saved (its replies were due before that) and they were held back.
    wait_for(lambda: turn_over(http, stack, name, f"sms:{question}"), 30, "the question's turn")
    assert failures_of(stack, name).count(STOPPED) > stopped
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


def test_whatsapp_keeps_the_sid_not_the_profile_name_and_numbers_the_menu(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    sender = "whatsapp:+38762000006"
    post_twilio(http, "whatsapp", sender, "ok", ProfileName="Amina")
    menu = sent_to(fake, "Messages.json", "To", sender)[0]["Body"]
    assert "\n1 English\n2 العربية" in menu
    post_twilio(http, "whatsapp", sender, "6")
    french = RESPONSES["utter_language_changed"]["fr"]
    assert sent_to(fake, "Messages.json", "To", sender)[-1]["Body"] == french
    events = conversation(http, stack, pseudonym_of(stack, sender))["events"]
    metadata = next(e["metadata"] for e in events if e["event"] == "user")
    assert metadata["message_sid"].startswith("SM") and "profile_name" not in metadata
    assert "+38762000006" not in str(events) and "Amina" not in str(events)  # nor the name


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
    sender = pseudonym_of(stack, address)
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
    name = pseudonym_of(stack, sender)
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
