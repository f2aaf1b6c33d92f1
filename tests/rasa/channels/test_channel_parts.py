"""The channels' parts without a server: SMS segments, STOP words, pseudonyms, the channel
state, retries, and reading Telegram updates (Rasa environment, where the libraries live)."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from telegram import Chat, Document, Location, Message, PhotoSize, Sticker, Update, User, Voice
from telegram.error import Forbidden, RetryAfter
from twilio.base.exceptions import TwilioRestException

from channels import pipeline, sms_text
from channels.delivery import deliver
from channels.media import twilio_location, twilio_media
from channels.optout import opt_keyword
from channels.telegram import _retry_after, inbound_media, inbound_text
from channels.text import NO_TEXT_INTENT
from channels.twilio_common import retry_after
from common.channel_state import ChannelState
from common.privacy import mask, pseudonym


@pytest.mark.parametrize(
    ("text", "gsm7", "segments"),
    [
        ("a" * 160, True, 1),
        ("a" * 161, True, 2),  # 153 per part once split
        ("a" * 306, True, 2),
        ("a" * 307, True, 3),
        ("€" * 80, True, 1),  # extension characters take two septets
        ("€" * 81, True, 2),
        ("ب" * 70, False, 1),  # Arabic makes the text UCS-2: 70, then 67 per part
        ("ب" * 71, False, 2),
        ("ب" * 134, False, 2),
        ("ب" * 135, False, 3),
        ("a" * 69 + "🙂", False, 2),  # an emoji is two UTF-16 units and makes it UCS-2
    ],
)
def test_segments(text: str, gsm7: bool, segments: int) -> None:
    assert sms_text.is_gsm7(text) is gsm7
    assert sms_text.segments(text) == segments


def test_cut_keeps_whole_words_and_the_suffix_within_the_segments() -> None:
    text = " ".join(["کلمه"] * 100)
    head, rest = sms_text.cut(text, 2, "(... MORE)")
    assert sms_text.segments(head) <= 2 and head.endswith("(... MORE)")
    assert rest and (head.removesuffix("\n(... MORE)") + " " + rest) == text
    assert sms_text.cut("short", 2, "(... MORE)") == ("short", None)


@pytest.mark.parametrize(("text", "keyword"), [
    ("STOP", "stop"), (" stop ", "stop"), ("Arrêt", "stop"), ("توقف", "stop"), ("стоп", "stop"),
    ("START", "start"), ("شروع", "start"), ("please stop sending", None), ("start my asylum", None),
])
def test_opt_keywords_are_whole_messages(text: str, keyword: str | None) -> None:
    assert opt_keyword(text) == keyword


def test_pseudonyms_are_stable_keyed_and_reveal_nothing() -> None:
    one = pseudonym("sms", "+38761234567", b"key-1")
    assert one == pseudonym("sms", "+38761234567", b"key-1") and one.startswith("sms-")
    assert one != pseudonym("sms", "+38761234567", b"key-2") and "38761234567" not in one
    assert mask("+38761234567") == "+38*******67" and mask("123") == "***"


def test_channel_state(tmp_path: Path) -> None:
    state = ChannelState(tmp_path / "channels.db", key=b"k")
    name = state.register("tg", "telegram", "12345678")
    assert state.address(name) == "12345678" and state.last_inbound(name)
    message = {"text": "hi", "metadata": {}}
    assert state.receive("telegram", "1", name, message, 60)
    assert not state.receive("telegram", "1", name, message, 60)
    assert state.receive("sms", "1", name, message, 60)  # ids are per channel
    state.set_opted_out(name, True)
    assert state.opted_out(name)
    state.keep_rest(name, "the rest")
    assert state.take_rest(name) == "the rest" and state.take_rest(name) is None
    state.record_failure("telegram", name, "Forbidden: bot was blocked by the user")
    assert [f[3] for f in state.failures(name)] == ["Forbidden: bot was blocked by the user"]
    state.forget(name)
    assert state.address(name) is None and state.failures(name) == []
    assert oct((tmp_path / "channels.db").stat().st_mode)[-3:] == "600"


def test_delivery_retries_what_is_transient_and_stops_at_a_refusal() -> None:
    calls = []

    async def flaky() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise TwilioRestException(503, "https://api.twilio.com", "busy")

    assert asyncio.run(deliver(flaky, retry_after)) is None and len(calls) == 3

    async def refused() -> None:
        calls.append(1)
        raise TwilioRestException(400, "https://api.twilio.com", "The 'To' number +38761234567 is not valid")

    calls.clear()
    reason = asyncio.run(deliver(refused, retry_after))
    assert len(calls) == 1 and reason and "[number]" in reason and "38761234567" not in reason


def test_telegram_errors_are_classified() -> None:
    assert _retry_after(RetryAfter(3)) == 3
    assert _retry_after(Forbidden("bot was blocked by the user")) is None


def _update(**content: object) -> Update:
    chat = Chat(id=5, type=Chat.PRIVATE)
    user = User(id=5, first_name="A", is_bot=False)
    now = dt.datetime.now(dt.timezone.utc)
    return Update(1, message=Message(1, now, chat, from_user=user, **content))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"text": "hello"}, "hello"),
        ({"text": "/start"}, "/greet"),
        ({"text": "/language@our_bot"}, "LANG"),
        ({"text": "/help"}, "HELP"),
        ({"text": "🙏🙏"}, NO_TEXT_INTENT),
        ({"location": Location(19.84, 45.25)}, '/inform_country{"country": "RS"}'),  # Novi Sad
        ({"location": Location(15.87, 44.81)}, '/inform_country{"country": "BA"}'),  # Bihać
        ({"location": Location(19.04, 47.5)}, "/inform_country"),  # Budapest: not on the route
        ({"voice": Voice("v", "u", 3)}, NO_TEXT_INTENT),
        ({"sticker": Sticker("s", "u", 1, 1, False, False, Sticker.REGULAR)}, NO_TEXT_INTENT),
    ],
)
def test_what_a_telegram_update_says(content: dict, expected: str) -> None:
    update = Update.de_json(_update(**content).to_dict(), None)
    assert inbound_text(update) == expected


@pytest.mark.parametrize(
    ("content", "media"),
    [
        ({"voice": Voice("voice-file-1", "u", 3)}, {"kind": "voice", "id": "voice-file-1"}),
        ({"photo": (PhotoSize("small", "u1", 90, 90), PhotoSize("large", "u2", 800, 800))},
         {"kind": "photo", "id": "large"}),
        ({"document": Document("doc-1", "u")}, {"kind": "document", "id": "doc-1"}),
        ({"text": "hello"}, None),
        ({"location": Location(19.84, 45.25)}, None),
    ],
)
def test_telegram_media_keeps_only_the_providers_id(content: dict, media: dict | None) -> None:
    update = Update.de_json(_update(**content).to_dict(), None)
    assert inbound_media(update).get("media") == media


def test_twilio_location_and_media() -> None:
    whatsapp_location = {"Latitude": "44.8125", "Longitude": "20.4612", "Body": ""}
    assert twilio_location(whatsapp_location) == '/inform_country{"country": "RS"}'
    assert twilio_location({"Latitude": "not a number", "Longitude": "1"}) is None
    assert twilio_location({"Body": "hi"}) is None
    voice = {"MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME123",
             "MediaContentType0": "audio/ogg"}
    assert twilio_media(voice) == {"media": {"kind": "voice", "id": "ME123"}}
    assert twilio_media({"Body": "hello"}) == {}


def test_the_channel_state_is_private_and_keeps_texts_encrypted(tmp_path: Path) -> None:
    state = ChannelState(tmp_path / "channels.db", key=b"k")
    name = state.register("sms", "sms", "+38762000099")
    state.keep_rest(name, "an operator's reply waiting for MORE")
    modes = {p.name: oct(p.stat().st_mode)[-3:] for p in tmp_path.iterdir()}
    assert modes == {"channels.db": "600", "channels.db-wal": "600", "channels.db-shm": "600"}
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"operator's reply" not in stored
    assert state.take_rest(name) == "an operator's reply waiting for MORE"


def test_sms_rests_and_whatsapp_held_messages_have_a_table_each(tmp_path: Path) -> None:
    """A store from before (one `pending` table for both) is split by channel, nothing lost;
    an SMS rest replaces the last one, held WhatsApp messages add up in order."""
    path = tmp_path / "channels.db"
    ChannelState(path, key=b"k").keep_rest("sms-a", "an old rest")
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE sms_rests RENAME TO pending")
        db.execute("DROP TABLE whatsapp_held")
        db.execute("INSERT INTO pending SELECT 'wa-b', text FROM pending")
    state = ChannelState(path, key=b"k")
    assert state.take_rest("sms-a") == "an old rest" and state.take_held("wa-b") == "an old rest"
    assert state.take_rest("wa-b") is None and state.take_held("sms-a") is None
    state.keep_rest("sms-a", "first")
    state.keep_rest("sms-a", "second")
    state.hold_for_window("wa-b", "first")
    state.hold_for_window("wa-b", "second")
    assert state.take_rest("sms-a") == "second" and state.take_held("wa-b") == "first\n\nsecond"
    assert state.take_held("wa-b") is None


def test_our_slow_nlu_step_runs_off_the_event_loop_before_rasa_has_the_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepared_in: list[tuple[str, int]] = []
    received_in: list[tuple[str, int]] = []

    def record(text: str) -> None:
        prepared_in.append((text, threading.get_ident()))

    monkeypatch.setattr(pipeline.risk, "prepare", record)

    async def on_new_message(message: UserMessage) -> None:
        assert prepared_in, "Rasa had the message before it was prepared"
        received_in.append((message.text or "", threading.get_ident()))

    text = "where can I sleep tonight"
    asyncio.run(pipeline.prepared(on_new_message)(UserMessage(text, sender_id="p")))
    assert [t for t, _ in prepared_in] == [t for t, _ in received_in] == [text]
    assert prepared_in[0][1] != received_in[0][1]
