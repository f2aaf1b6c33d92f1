"""Privacy over the real stack and real channel formats: the notice, PRIVACY, erasure, floods."""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path

import httpx

from bot.launcher import Stack
from tests.fake_apis import FakeApis
from tests.rasa.channel_driver import (
    conversation,
    post_telegram,
    post_twilio,
    pseudonym_of,
    sent_to,
    telegram_update,
    wait_for,
)
from tests.stack_common import RESPONSES

DANGER = "the man took our passports and says we owe him 4000 euros"


def texts_to_chat(fake: FakeApis, chat: int) -> list[str]:
    return [m["text"] for m in sent_to(fake, "sendMessage", "chat_id", str(chat))]


def bodies_to(fake: FakeApis, phone: str) -> list[str]:
    return [m["Body"] for m in sent_to(fake, "Messages.json", "To", phone)]


def every_byte_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".gz")


def test_the_privacy_notice_comes_once_first_in_the_persons_language(
    http: httpx.Client, fake: FakeApis
) -> None:
    chat = random.randint(710_000_000, 719_999_999)
    post_telegram(http, telegram_update(chat, "سلام، حال شما چطور است", language="fa"))
    first = [RESPONSES["utter_privacy_notice"]["fa"], RESPONSES["utter_greet"]["fa"]]
    assert texts_to_chat(fake, chat) == first
    post_telegram(http, telegram_update(chat, "سلام", language="fa"))
    assert texts_to_chat(fake, chat).count(RESPONSES["utter_privacy_notice"]["fa"]) == 1
    post_telegram(http, telegram_update(chat, "/privacy", language="fa"))
    full, discreet = texts_to_chat(fake, chat)[-2:]
    assert full == RESPONSES["utter_privacy_full"]["fa"] and discreet == RESPONSES["utter_discreet_use"]["fa"]


def test_danger_first_gets_safety_without_the_notice(http: httpx.Client, fake: FakeApis) -> None:
    phone = f"+3876{random.randint(10_000_000, 99_999_999)}"
    post_twilio(http, "sms", phone, DANGER)
    bodies = bodies_to(fake, phone)
    assert bodies and RESPONSES["utter_escalated"]["en"] in bodies[0]
    assert all(RESPONSES["utter_privacy_notice"]["en"] not in body for body in bodies)


def user_texts(http: httpx.Client, stack: Stack, sender: str) -> list[str]:
    """What the person said, as the tracker keeps it (an erasure leaves none of it)."""
    events = conversation(http, stack, sender).get("events") or []
    return [e.get("text") for e in events if e.get("event") == "user"]


def test_no_keeps_everything(http: httpx.Client, fake: FakeApis, stack: Stack) -> None:
    chat, other = random.randint(720_000_000, 724_999_999), random.randint(725_000_000, 729_999_999)
    post_telegram(http, telegram_update(chat, "hello, how are you"))
    post_telegram(http, telegram_update(chat, "/delete"))
    assert texts_to_chat(fake, chat)[-1] == RESPONSES["utter_delete_confirm"]["en"]
    post_telegram(http, telegram_update(chat, "no"))
    assert texts_to_chat(fake, chat)[-1] == RESPONSES["utter_delete_cancelled"]["en"]
    name = pseudonym_of(stack, str(chat))
    # Someone else then says yes. The console erases the requests oldest first, each in the same
    # round or a later one than any before it: once theirs is done, one for this person would be too.
    post_telegram(http, telegram_update(other, "hello there"))
    other_name = pseudonym_of(stack, str(other))  # before the erasure forgets their chat
    post_telegram(http, telegram_update(other, "/delete"))
    post_telegram(http, telegram_update(other, "yes"))
    assert texts_to_chat(fake, other)[-1] == RESPONSES["utter_deleted"]["en"]
    wait_for(lambda: not user_texts(http, stack, other_name), 60, "the other person's erasure")
    assert "hello, how are you" in user_texts(http, stack, name)
    with sqlite3.connect(stack.settings.var / "cases.db") as db:
        query = "SELECT count(*) FROM erasure_requests WHERE conversation_id = ?"
        assert db.execute(query, (name,)).fetchone()[0] == 0


def test_erasure_leaves_no_trace_of_the_message_or_the_number(
    http: httpx.Client, fake: FakeApis, stack: Stack
) -> None:
    phone = f"+3876{random.randint(10_000_000, 99_999_999)}"
    secret = f"my cousin {uuid.uuid4().hex[:10]} is with me"
    post_twilio(http, "sms", phone, f"{DANGER}, {secret}")
    name = pseudonym_of(stack, phone)
    cases = stack.settings.var / "cases.db"
    with sqlite3.connect(cases) as db:
        (case_id,) = db.execute("SELECT id FROM cases WHERE conversation_id = ?", (name,)).fetchone()
    post_twilio(http, "sms", phone, "DELETE")  # during the handoff: still the bot's to answer
    assert bodies_to(fake, phone)[-1] == RESPONSES["utter_delete_confirm"]["en"]
    post_twilio(http, "sms", phone, "YES")
    assert bodies_to(fake, phone)[-1] == RESPONSES["utter_deleted"]["en"]

    def finished() -> bool:
        """The console deletes a request only after a pass found nothing left of the person."""
        with sqlite3.connect(cases) as db:
            return db.execute("SELECT count(*) FROM erasure_requests").fetchone()[0] == 0

    wait_for(finished, 90, "the erasure to finish", every=1.0)
    everything = every_byte_under(stack.settings.var)
    assert secret.encode() not in everything  # tracker, cases, channels, spool and logs
    assert phone.encode() not in everything and phone[1:].encode() not in everything
    assert conversation(http, stack, name)["events"] in ([], None) or not any(
        e.get("event") == "user" for e in conversation(http, stack, name)["events"]
    )
    with sqlite3.connect(cases) as db:
        kept = db.execute("SELECT author FROM case_messages WHERE case_id = ?", (case_id,)).fetchall()
        level = db.execute("SELECT level, contact FROM cases WHERE id = ?", (case_id,)).fetchone()
    assert kept == [("note",)] and level == ("high", "erased")  # the case stays, for its operator


def test_a_flood_gets_one_slow_down_then_silence_and_others_are_answered(
    http: httpx.Client, fake: FakeApis
) -> None:
    flooder, other = random.randint(730_000_000, 739_999_999), random.randint(740_000_000, 749_999_999)
    statuses = [post_telegram(http, telegram_update(flooder, f"hello {n}")).status_code for n in range(40)]
    assert set(statuses) == {200}
    texts = texts_to_chat(fake, flooder)
    assert texts.count(RESPONSES["utter_slow_down"]["en"]) == 1
    assert len([t for t in texts if t == RESPONSES["utter_greet"]["en"]]) <= 8
    post_telegram(http, telegram_update(other, "hello there"))
    assert texts_to_chat(fake, other)[-1] == RESPONSES["utter_greet"]["en"]
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    replies = [
        http.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hello"}).status_code
        for _ in range(12)
    ]
    assert replies[:9] == [200] * 9 and set(replies[9:]) == {429}
