"""The case store, the spool, escalation writes, reconciliation, accounts and the queue order."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.exc import OperationalError

from common.privacy import mask
from operators.auth import (
    ADDRESS_MAX_FAILURES,
    MAX_FAILED_LOGINS,
    Accounts,
    LoginError,
    hash_password,
    verify_password,
)
from operators.erasure import Eraser
from operators.escalation import CaseWriter, apply_spooled
from operators.housekeeping import Housekeeping
from operators.queue import ordered, sla_minutes
from operators.reconcile import Reconciler, case_key
from operators.spool import Spool
from operators.store import CaseStore, NewCase, Operator, now


def new_case(key: str = "conv-1:1.000000", level: str = "critical", conversation: str = "conv-1") -> NewCase:
    return NewCase(
        key=key, conversation_id=conversation, channel="rest", contact=mask("+38761234567"),
        language="fa", country="BA", level=level, reasons=["documents_confiscated", "debt_bondage"],
        transcript=[("user", "سلام"), ("bot", "سلام!"), ("user", "پاسپورتامونو گرفته")],
    )


def test_a_case_keeps_its_transcript_and_is_opened_once_per_key(store: CaseStore) -> None:
    first = store.open_case(new_case())
    again = store.open_case(new_case())
    assert first == again and len(store.cases()) == 1
    case = store.case(first)
    assert [m.author for m in case.messages] == ["user", "bot", "user"]
    assert case.contact == "+38*******67" and case.level == "critical"
    assert [e.action for e in store.audit_log(first)] == ["opened"]


def test_claim_reply_close_are_audited_and_a_claimed_case_is_not_taken(store: CaseStore) -> None:
    case_id = store.open_case(new_case())
    store.claim(case_id, "ana")
    with pytest.raises(PermissionError):
        store.claim(case_id, "bo")
    store.claim(case_id, "bo", actor="sup")
    store.add_message(case_id, "operator", "We are here.", operator="bo", delivery="sent")
    store.close(case_id, "bo", "referred")
    with pytest.raises(PermissionError):
        store.claim(case_id, "ana")
    actions = [(e.actor, e.action) for e in store.audit_log(case_id)]
    assert actions == [
        ("system", "opened"), ("ana", "claimed"), ("sup", "reassigned"), ("bo", "replied"), ("bo", "closed")
    ]
    assert store.cases() == [] and len(store.cases(include_closed=True)) == 1


def test_a_case_awaits_an_operator_until_one_takes_or_answers_it(store: CaseStore) -> None:
    waiting = store.open_case(new_case("w:1", conversation="w"))
    assert store.awaits_operator(waiting)
    store.add_message(waiting, "bot", "[answered: rs-health-care]")
    assert store.awaits_operator(waiting)
    taken = store.open_case(new_case("t:1", conversation="t"))
    store.claim(taken, "ana")
    store.release(taken, "ana")
    assert store.awaits_operator(taken)  # released untouched: back in the queue
    store.claim(taken, "ana")
    assert not store.awaits_operator(taken)
    answered = store.open_case(new_case("a:1", conversation="a"))
    store.add_message(answered, "operator", "We are here.", operator="bo")
    assert not store.awaits_operator(answered)
    store.close(waiting, "bo", "referred")
    assert not store.awaits_operator(waiting) and not store.awaits_operator("no-such-case")


def test_raising_a_level_never_lowers_it(store: CaseStore) -> None:
    case_id = store.open_case(new_case(level="high"))
    assert store.raise_level(case_id, "critical", ["immediate_danger"])
    assert not store.raise_level(case_id, "elevated", ["threats"])
    case = store.case(case_id)
    assert case.level == "critical" and "immediate_danger" in case.reasons


def test_the_queue_puts_risk_first_then_waiting_time_and_flags_overdue(store: CaseStore) -> None:
    store.open_case(new_case("a:1", "high", "a"))
    store.open_case(new_case("b:1", "none", "b"))
    store.open_case(new_case("c:1", "critical", "c"))
    store.open_case(new_case("d:1", "high", "d"))
    later = now() + dt.timedelta(minutes=10)
    entries = ordered(store.cases(), sla_minutes(""), at=later)
    assert [e.case.conversation_id for e in entries] == ["c", "a", "d", "b"]
    assert [e.overdue for e in entries] == [True, False, False, False]


def test_sla_is_configurable_and_checked() -> None:
    assert sla_minutes("critical=2,high=10")["critical"] == 2
    with pytest.raises(ValueError, match="level=minutes"):
        sla_minutes("urgent=3")


def test_an_unreachable_store_spools_and_the_spool_replays_in_order(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")

    def broken() -> CaseStore:
        raise OperationalError("connect", {}, Exception("database is locked"))

    writer = CaseWriter(store=broken, spool=spool)
    case = new_case()
    assert writer.open_case(case) is False
    assert writer.add_message(case.id, "user", "are you there?") is False
    assert spool.pending() == 2
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    assert spool.replay(lambda kind, record: apply_spooled(store, kind, record)) == (2, 0)
    assert spool.pending() == 0
    assert [m.text for m in store.case(case.id).messages][-1] == "are you there?"


def test_a_message_for_a_case_still_in_the_spool_waits_behind_it(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    case = new_case()
    spool.append("case", case.as_dict())  # opened while the store was down; the store is back now
    assert CaseWriter(store=lambda: store, spool=spool).add_message(case.id, "user", "still here") is False
    assert spool.replay(lambda kind, record: apply_spooled(store, kind, record)) == (2, 0)
    assert [m.text for m in store.case(case.id).messages][-1] == "still here"


def test_a_locked_sqlite_file_does_not_lose_an_escalation(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    store = CaseStore(f"sqlite:///{path}")
    writer = CaseWriter(store=lambda: store, spool=Spool(tmp_path / "spool.jsonl"))
    locker = sqlite3.connect(path, timeout=0)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        assert writer.open_case(new_case()) is False
    finally:
        locker.rollback()
        locker.close()
    assert writer.spool.replay(lambda kind, record: apply_spooled(store, kind, record)) == (1, 0)
    assert len(store.cases()) == 1


def test_a_failed_replay_keeps_the_record(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append("case", new_case().as_dict())

    def fail(kind: str, record: dict) -> None:
        raise OperationalError("insert", {}, Exception("still down"))

    assert spool.replay(fail) == (0, 1) and spool.pending() == 1


def _tracker_db(path: Path, events: list[tuple[str, float, dict]]) -> str:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, "
        "intent_name TEXT, action_name TEXT, data TEXT)"
    )
    for sender, timestamp, data in events:
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
            (sender, timestamp, json.dumps(data)),
        )
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def _user_event(text: str, level: str) -> dict:
    risk = {"level": level, "reasons": ["confinement"] if level != "none" else []}
    parse_data = {"risk": risk, "language": {"lang": "en"}}
    return {"event": "user", "text": text, "input_channel": "rest", "parse_data": parse_data}


def test_reconciliation_opens_a_case_for_a_danger_message_that_has_none(
    tmp_path: Path, store: CaseStore
) -> None:
    t = now().replace(tzinfo=dt.UTC).timestamp()
    url = _tracker_db(
        tmp_path / "tracker.db",
        [
            ("lost", t, _user_event("they locked us in the house", "critical")),
            ("fine", t, _user_event("where is the bus", "none")),
            ("handled", t, _user_event("they took my passport", "high")),
        ],
    )
    store.open_case(new_case(case_key("handled", t), "high", "handled"))
    reconciler = Reconciler(url, store)
    assert reconciler.run() == 1
    recovered = [c for c in store.cases() if c.conversation_id == "lost"]
    assert recovered and recovered[0].recovered and recovered[0].level == "critical"
    assert reconciler.run() == 0


def _locked_for_writing(path: Path) -> sqlite3.Connection:
    """Another connection holding the SQLite file's write lock: writes fail, reads go on (WAL)."""
    locker = sqlite3.connect(path, timeout=0)
    locker.execute("BEGIN EXCLUSIVE")
    return locker


def test_a_case_the_store_failed_to_take_is_opened_by_the_next_reconciliation(tmp_path: Path) -> None:
    t = now().replace(tzinfo=dt.UTC).timestamp()
    events = [
        ("lost", t, _user_event("they locked us in the house", "critical")),
        ("fine", t, _user_event("hi", "none")),
    ]
    url = _tracker_db(tmp_path / "tracker.db", events)
    path = tmp_path / "cases.db"
    store = CaseStore(f"sqlite:///{path}")
    spool = Spool(tmp_path / "spool.jsonl")
    rounds = Housekeeping(store, spool, Reconciler(url, store, spool), Eraser(store, None, None, spool))
    locker = _locked_for_writing(path)
    try:
        rounds.round()  # the case cannot be written this round
    finally:
        locker.rollback()
        locker.close()
    assert store.cases() == []
    rounds.round()
    assert [(c.conversation_id, c.recovered) for c in store.cases()] == [("lost", True)]


def test_a_case_lost_from_the_spool_is_still_recovered_by_reconciliation(
    tmp_path: Path, use_keys: Callable[..., None]
) -> None:
    use_keys(Fernet.generate_key().decode())
    t = now().replace(tzinfo=dt.UTC).timestamp()
    url = _tracker_db(tmp_path / "tracker.db", [("spooled", t, _user_event("they took my passport", "high"))])
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append("case", new_case(case_key("spooled", t), "high", "spooled").as_dict())
    reconciler = Reconciler(url, store, spool)
    assert reconciler.run() == 0  # waiting in the spool: late, not missed
    use_keys(Fernet.generate_key().decode())  # its key dropped: the spooled case cannot be read
    rounds = Housekeeping(store, spool, reconciler, Eraser(store, None, None, spool))
    rounds.round()
    assert [(c.conversation_id, c.recovered) for c in store.cases()] == [("spooled", True)]


def test_passwords_are_salted_hashes() -> None:
    stored = hash_password("a long enough password")
    assert "a long enough password" not in stored and stored != hash_password("a long enough password")
    assert verify_password("a long enough password", stored) and not verify_password("wrong", stored)


def test_login_sessions_csrf_and_lockout(store: CaseStore) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "correct horse battery", "supervisor")
    with pytest.raises(ValueError, match="at least"):
        accounts.add("bo", "short", "operator")
    token, me = accounts.login("ana", "correct horse battery")
    assert me.is_supervisor and accounts.session(token) == me
    second, _ = accounts.login("ana", "correct horse battery")
    assert second != token  # a new session every login: no fixation
    accounts.logout(token)
    assert accounts.session(token) is None and accounts.session(second) is not None
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            accounts.login("ana", "wrong password!")
    with pytest.raises(LoginError):
        accounts.login("ana", "correct horse battery")  # locked, even with the right password
    assert "locked" in [e.action for e in store.audit_log()]


@pytest.mark.parametrize("address", [None, "203.0.113.5"])
def test_parallel_wrong_logins_are_each_counted(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch, address: str | None
) -> None:
    monkeypatch.setattr("operators.auth.MAX_FAILED_LOGINS", 1000)  # count them all, lock nobody
    accounts = Accounts(store)
    accounts.add("ana", "correct horse battery", "operator")

    def guess(_: int) -> None:
        with pytest.raises(LoginError):
            accounts.login("ana", "wrong password!", address)

    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(guess, range(40)))
    with store.transaction() as session:
        tried = session.get(Operator, "ana").failed_logins
    assert tried == 40 if address is None else tried <= ADDRESS_MAX_FAILURES  # one address: its limit


def test_locked_unknown_and_known_usernames_cost_the_same_hash_work(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "correct horse battery", "operator")
    accounts.add("bo", "correct horse battery", "operator")
    with store.transaction() as session:
        session.get(Operator, "bo").locked_until = now() + dt.timedelta(hours=1)
    with pytest.raises(LoginError):
        accounts.login("nobody", "warm the dummy hash")
    hashes: list[bytes] = []
    scrypt = hashlib.scrypt

    def counted(password: bytes, **params: Any) -> bytes:
        hashes.append(password)
        return scrypt(password, **params)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    for username, password in [
        ("ana", "wrong password!"), ("bo", "wrong password!"), ("bo", "correct horse battery"),
        ("nobody", "wrong password!"), ("no\x00body", "wrong password!"), ("ana", "correct horse battery"),
    ]:
        hashes.clear()
        with contextlib.suppress(LoginError):
            accounts.login(username, password)
        assert len(hashes) == 1, (username, password)


@pytest.mark.parametrize(
    ("guesser", "neighbour", "elsewhere"),
    [
        ("203.0.113.5", "203.0.113.5", "198.51.100.7"),
        ("2001:db8:1:1::a", "2001:db8:1:1::b", "2001:db8:1:2::a"),
        ("::ffff:203.0.113.5", "203.0.113.5", "::ffff:198.51.100.7"),
    ],
)
def test_guesses_from_one_address_throttle_that_address_not_the_account(
    store: CaseStore, guesser: str, neighbour: str, elsewhere: str
) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "correct horse battery", "operator")
    for _ in range(MAX_FAILED_LOGINS):  # as many guesses as would lock the account
        with pytest.raises(LoginError):
            accounts.login("ana", "wrong password!", address=guesser)
    with pytest.raises(LoginError, match="too many"):
        accounts.login("ana", "correct horse battery", address=neighbour)  # a /64, an IPv4 client
    token, _ = accounts.login("ana", "correct horse battery", address=elsewhere)
    assert accounts.session(token) is not None


def test_a_hand_back_is_kept_until_done_tried_by_one_at_a_time_and_erased_with_its_case(
    store: CaseStore,
) -> None:
    case_id = store.open_case(new_case())
    store.close(case_id, "ana", "referred")
    at, lease = now(), dt.timedelta(minutes=1)
    assert [h.case.conversation_id for h in store.handbacks()] == ["conv-1"]
    assert store.take_handback(case_id, at, lease)
    assert not store.take_handback(case_id, at, lease)  # reserved: no other round or console sends it
    store.handback_failed(case_id, "the assistant could not be reached (ConnectError)", retry_at=at)
    assert store.handbacks(case_id)[0].attempts == 1 and store.take_handback(case_id, at, lease)
    store.forget_conversation("conv-1")  # once forgotten, the bot must not greet the person again
    assert store.handbacks() == []
