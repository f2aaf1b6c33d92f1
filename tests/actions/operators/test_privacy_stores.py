"""Privacy in the stores: texts encrypted at rest, erasure that leaves no trace, retention."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from common import crypto
from common.channel_state import ChannelState
from common.privacy import mask
from operators import keys
from operators.conversations import Conversations
from operators.erasure import SETTLE_SECONDS, VERIFY_SECONDS, Eraser
from operators.escalation import CaseWriter, apply_spooled
from operators.retention import DAY, Retention, purge
from operators.spool import Spool
from operators.store import CLOSED, ERASED_NOTE, CaseStore, ErasureRequest, NewCase
from tests.postgres import rows_containing

SECRET = "my sister's name is Zarmina and she is in the house near the river"
PHONE = "+38761987654"
RASA_EVENTS = """CREATE TABLE events (
    id INTEGER PRIMARY KEY {autoincrement}, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""
"""The table Rasa's SQLTrackerStore keeps conversations in (rasa.core.tracker_store.SQLTrackerStore)."""


def tracker_url(store: CaseStore, tmp_path: Path) -> str:
    """A Rasa tracker table next to the case store: a SQLite file, or the same PostgreSQL schema."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}" if store.url.startswith("sqlite") else store.url
    engine = create_engine(url)
    with engine.begin() as connection:
        serial = "AUTOINCREMENT" if url.startswith("sqlite") else ""
        ddl = RASA_EVENTS.format(autoincrement=serial)
        connection.execute(text(ddl if serial else ddl.replace("INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY")))
    engine.dispose()
    return url


def say(url: str, sender: str, words: str, at: float) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, :d)"),
            {"s": sender, "t": at, "d": json.dumps({"event": "user", "text": words, "timestamp": at})},
        )
    engine.dispose()


def new_case(conversation: str, words: str, key: str | None = None) -> NewCase:
    return NewCase(
        key=key or f"{conversation}:{uuid.uuid4().hex}", conversation_id=conversation, channel="sms",
        contact=mask(PHONE), language="en", country="RS", level="high", reasons=["threats"],
        transcript=[("user", words), ("bot", "Someone from our team will answer.")],
    )


def file_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


@pytest.fixture
def fresh_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.KEYS_ENV, key)
    crypto.cipher.cache_clear()
    yield key
    crypto.cipher.cache_clear()


def test_a_copied_case_store_or_spool_reveals_no_message(tmp_path: Path, fresh_key: str) -> None:
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    case_id = store.open_case(new_case("sms-a", SECRET))
    Spool(tmp_path / "spool.jsonl").append("message", {"case_id": case_id, "author": "user", "text": SECRET})
    store.engine.dispose()
    assert SECRET.encode() not in file_bytes(tmp_path)
    assert b"Zarmina" not in file_bytes(tmp_path)
    assert CaseStore(f"sqlite:///{tmp_path / 'cases.db'}").case(case_id).messages[0].text == SECRET


def test_rotation_reencrypts_with_the_new_key_and_the_old_one_can_go(
    tmp_path: Path, fresh_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_VAR_DIR", str(tmp_path))  # no spool, no channel state here
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    case_id = CaseStore(url).open_case(new_case("sms-a", SECRET))
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.KEYS_ENV, f"{new_key},{fresh_key}")
    crypto.cipher.cache_clear()
    assert keys.rotate(url) == 2
    monkeypatch.setenv(crypto.KEYS_ENV, new_key)
    crypto.cipher.cache_clear()
    assert CaseStore(url).case(case_id).messages[0].text == SECRET


def test_rotation_reencrypts_the_spool_its_quarantine_and_the_waiting_messages(
    tmp_path: Path, fresh_key: str, use_keys: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_VAR_DIR", str(tmp_path))  # where rotation finds the spool
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    store = CaseStore(url)
    spool = Spool()
    gone = {"case_id": "deleted-case", "conversation_id": "sms-a", "author": "user", "text": SECRET}
    spool.append("message", gone)
    spool.replay(lambda kind, record: apply_spooled(store, kind, record))  # quarantined: no such case
    waiting = new_case("sms-a", SECRET)
    spool.append("case", waiting.as_dict())
    channels = ChannelState(tmp_path / "channels.db", key=b"k")
    channels.keep_rest("sms-a", SECRET)
    channels.receive("sms", "SM1", "sms-a", {"text": SECRET, "metadata": {}}, due_in=0)
    new_key = Fernet.generate_key().decode()
    use_keys(new_key, fresh_key)
    keys.rotate(url)
    use_keys(new_key)
    assert channels.take_rest("sms-a") == SECRET
    assert [w.message["text"] for w in channels.due("sms", 60)] == [SECRET]
    assert spool.replay(lambda kind, record: apply_spooled(store, kind, record)) == (1, 0)
    assert store.case(waiting.id).messages[0].text == SECRET
    quarantined = spool.quarantine_path.read_bytes().splitlines()
    assert [json.loads(crypto.decrypt(line.decode()))["text"] for line in quarantined] == [SECRET]


def test_the_keys_may_come_from_a_file_outside_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = Fernet(old.encode()).encrypt(SECRET.encode()).decode()
    (tmp_path / "keys").write_text(f"{new}\n{old}\n", encoding="utf-8")
    monkeypatch.delenv(crypto.KEYS_ENV, raising=False)
    monkeypatch.setenv(crypto.KEY_FILE_ENV, str(tmp_path / "keys"))
    monkeypatch.setattr(crypto, "KEY_FILE", tmp_path / "var" / "secrets" / "case_store_key")
    crypto.cipher.cache_clear()
    assert crypto.decrypt(sealed) == SECRET
    assert Fernet(new.encode()).decrypt(crypto.encrypt(SECRET).encode()).decode() == SECRET
    assert not crypto.KEY_FILE.exists()  # nothing generated beside the data
    crypto.cipher.cache_clear()


def test_without_a_configured_key_one_is_generated_privately_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(crypto.KEYS_ENV, raising=False)
    monkeypatch.setattr(crypto, "KEY_FILE", tmp_path / "secrets" / "case_store_key")
    crypto.cipher.cache_clear()
    token = crypto.encrypt(SECRET)
    assert (crypto.KEY_FILE.stat().st_mode & 0o777) == 0o600
    crypto.cipher.cache_clear()
    assert crypto.decrypt(token) == SECRET
    crypto.cipher.cache_clear()


def test_erasure_leaves_no_trace_and_keeps_only_a_note_on_an_open_case(
    store: CaseStore, tmp_path: Path
) -> None:
    url = tracker_url(store, tmp_path)
    person, other, asked = "sms-erase-me", "sms-keep-me", time.time()
    say(url, person, SECRET, asked - 60)
    say(url, other, "where can I ask for asylum", asked - 30)
    say(url, person, "YES", asked)
    open_id = store.open_case(new_case(person, SECRET))
    closed_id = store.open_case(new_case(person, SECRET))
    store.claim(closed_id, "ana")
    store.close(closed_id, "ana", "resolved")
    kept_id = store.open_case(new_case(other, "where can I ask for asylum"))
    channels = ChannelState(tmp_path / "channels.db", key=b"k")
    assert channels.register("sms", "sms", PHONE) and channels.register("sms", "sms", "+38760000001")
    phone_pseudonym = channels.register("sms", "sms", PHONE)
    spool = Spool(tmp_path / "spool" / "cases.jsonl")
    spool.append("case", new_case(person, SECRET).as_dict())
    CaseWriter(store=lambda: store, spool=spool).request_erasure(person, asked)
    CaseWriter(store=lambda: store, spool=spool).request_erasure(phone_pseudonym, asked)
    eraser = Eraser(store, Conversations(url), channels, spool)

    assert eraser.run(at=asked + SETTLE_SECONDS / 2) == 0  # the confirming turn may still be saved
    assert rows_or_bytes(url, tmp_path, SECRET)
    assert eraser.run(at=asked + SETTLE_SECONDS + 1) == 0  # erased, then checked again later
    assert eraser.run(at=asked + VERIFY_SECONDS + 1) == 2

    assert not rows_or_bytes(url, tmp_path, SECRET) and not rows_or_bytes(url, tmp_path, PHONE)
    assert store.erasure_requests() == []
    assert store.case(closed_id) is None
    erased = store.case(open_id)
    assert [(m.author, m.text) for m in erased.messages] == [("note", ERASED_NOTE)]
    assert erased.contact == "erased" and erased.level == "high" and erased.status != CLOSED
    assert next(m.text for m in store.case(kept_id).messages) == "where can I ask for asylum"
    assert channels.address(phone_pseudonym) is None and spool.pending() == 0
    assert rows_or_bytes(url, tmp_path, "where can I ask for asylum")  # the other person is untouched
    assert any(e.action == "erasure done" for e in store.audit_log())


def test_erasure_removes_every_spooled_record_about_the_conversation(tmp_path: Path, fresh_key: str) -> None:
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    person, other, asked = "sms-erase-me", "sms-keep-me", time.time()
    open_id = store.open_case(new_case(person, "hello"))
    closed_id = store.open_case(new_case(person, "hello"))
    store.claim(closed_id, "ana")
    store.close(closed_id, "ana", "resolved")
    kept_id = store.open_case(new_case(other, "where can I ask for asylum"))
    waiting = new_case(person, SECRET)
    spool = Spool(tmp_path / "spool" / "cases.jsonl")
    # As the action server spooled them before these records carried the conversation:
    spool.append("case", waiting.as_dict())
    spool.append("message", {"case_id": open_id, "author": "user", "text": SECRET})
    spool.append("level", {"case_id": closed_id, "level": "critical", "reasons": ["threats"]})
    spool.append("message", {"case_id": waiting.id, "author": "user", "text": SECRET})
    spool.append("message", {"case_id": kept_id, "author": "user", "text": "and for my brother?"})
    store.request_erasure(person, asked)
    eraser = Eraser(store, None, None, spool)

    eraser.run(at=asked + SETTLE_SECONDS + 1)
    left: list[tuple[str, str]] = []
    spool.replay(lambda kind, record: left.append((kind, record["case_id"])))
    assert left == [("message", kept_id)]

    def broken() -> CaseStore:
        raise OSError("disk full")

    writer = CaseWriter(store=broken, spool=spool)  # records of a case no store knows any more
    writer.add_message(closed_id, "user", SECRET, conversation_id=person)
    spool.replay(lambda kind, record: apply_spooled(store, kind, record))  # quarantined: no such case
    writer.raise_level(closed_id, "critical", ["threats"], conversation_id=person)
    assert spool.pending() == 1 and spool.quarantined() == 1
    assert eraser.run(at=asked + VERIFY_SECONDS + 1) == 0  # found more: erased, checked again
    assert spool.pending() == 0 and spool.quarantined() == 0
    assert eraser.run(at=asked + VERIFY_SECONDS + 2) == 1


def rows_or_bytes(url: str, folder: Path, needle: str) -> bool:
    """Whether the needle is anywhere: in the files under the folder, or in a PostgreSQL row."""
    if needle.encode() in file_bytes(folder):
        return True
    return not url.startswith("sqlite") and rows_containing(url, needle) > 0


def test_an_erasure_asked_while_the_store_is_down_is_spooled_and_not_lost(tmp_path: Path) -> None:
    def broken() -> CaseStore:
        raise OSError("disk full")

    spool = Spool(tmp_path / "spool.jsonl")
    assert CaseWriter(store=broken, spool=spool).request_erasure("sms-x", 1.5) is False
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    assert spool.replay(lambda kind, record: apply_spooled(store, kind, record)) == (1, 0)
    assert [(r.conversation_id, r.requested_at) for r in store.erasure_requests()] == [("sms-x", 1.5)]
    store.request_erasure("sms-x", 1.5)  # replayed twice: still one request
    assert len(store.erasure_requests()) == 1 and isinstance(store.erasure_requests()[0], ErasureRequest)


def test_retention_purges_idle_conversations_and_old_closed_cases_in_batches(
    store: CaseStore, tmp_path: Path
) -> None:
    url = tracker_url(store, tmp_path)
    at = time.time()
    for n in range(3):
        say(url, f"idle-{n}", SECRET, at - 100 * DAY)
    say(url, "recent", "hello", at - DAY)
    say(url, "idle-but-open-case", SECRET, at - 100 * DAY)
    store.open_case(new_case("idle-but-open-case", SECRET))
    old = store.open_case(new_case("old", "an old case"))
    young = store.open_case(new_case("young", "a young case"))
    for case_id in (old, young):
        store.claim(case_id, "ana")
        store.close(case_id, "ana", "resolved")
    with store.transaction() as session:
        session.execute(
            text("UPDATE cases SET closed_at = :at WHERE id = :id"),
            {"at": dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=200), "id": old},
        )
    channels = ChannelState(tmp_path / "channels.db", key=b"k")
    channels.register("sms", "sms", PHONE)

    counts = purge(store, Conversations(url), channels, Retention(batch=1), at=at)
    assert counts == {"conversations": 3, "events": 3, "addresses": 0, "closed cases": 1}
    remaining = Conversations(url).idle(at + 1, set(), 10)
    assert sorted(remaining) == ["idle-but-open-case", "recent"]
    assert store.case(old) is None and store.case(young) is not None
    later = purge(store, Conversations(url), channels, Retention(), at=at + 100 * DAY)
    assert later == {"conversations": 1, "events": 1, "addresses": 1, "closed cases": 0}
