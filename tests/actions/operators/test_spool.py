"""The spool under faults: torn lines, dropped keys, failing records, a full disk, concurrent writers."""

from __future__ import annotations

import json
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.exc import IntegrityError

import operators.spool
from common import crypto
from common.privacy import mask
from operators.escalation import apply_spooled
from operators.spool import Spool
from operators.store import CaseStore, NewCase


@pytest.fixture(autouse=True)
def key(use_keys: Callable[..., None]) -> str:
    fresh = Fernet.generate_key().decode()
    use_keys(fresh)
    return fresh


def new_case(conversation: str) -> NewCase:
    return NewCase(
        key=f"{conversation}:1.000000", conversation_id=conversation, channel="sms",
        contact=mask("+38761234567"), language="en", country="RS", level="high", reasons=["threats"],
        transcript=[("user", "they took my passport")],
    )


def into(store: CaseStore) -> Callable[[str, dict[str, Any]], None]:
    return lambda kind, record: apply_spooled(store, kind, record)


def test_a_torn_last_line_is_quarantined_and_the_records_around_it_replay(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append("case", new_case("before").as_dict())
    whole = crypto.encrypt(json.dumps({"kind": "case", **new_case("torn").as_dict()})).encode()
    with open(spool.path, "ab") as handle:
        handle.write(whole[: len(whole) // 2])  # the process died in the middle of this append
    spool.append("case", new_case("after").as_dict())
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")

    assert spool.pending_case_keys() == {"before:1.000000", "after:1.000000"}
    assert spool.replay(into(store)) == (2, 0)
    assert sorted(case.conversation_id for case in store.cases()) == ["after", "before"]
    assert spool.quarantined() == 1
    assert spool.quarantine_path.read_bytes() == whole[: len(whole) // 2] + b"\n"  # kept as it was


def test_a_record_under_a_dropped_key_is_quarantined_and_blocks_nothing(
    tmp_path: Path, key: str, use_keys: Callable[..., None]
) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append("case", new_case("old-key").as_dict())
    written = spool.path.read_bytes()
    use_keys(Fernet.generate_key().decode())  # the old key dropped before the spool was rotated
    spool.append("case", new_case("new-key").as_dict())
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")

    assert spool.pending_case_keys() == {"new-key:1.000000"}
    assert spool.replay(into(store)) == (1, 0)
    assert [case.conversation_id for case in store.cases()] == ["new-key"]
    assert spool.quarantined() == 1 and spool.quarantine_path.read_bytes() == written
    use_keys(key)
    assert json.loads(crypto.decrypt(written.decode().strip()))["conversation_id"] == "old-key"


def test_a_message_for_a_deleted_case_is_quarantined_at_once(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append("message", {"case_id": "deleted-case", "author": "user", "text": "are you there?"})
    spool.append("case", new_case("next").as_dict())
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")

    assert spool.replay(into(store)) == (1, 0)
    assert [case.conversation_id for case in store.cases()] == ["next"]
    assert spool.quarantined() == 1


def test_a_failing_record_neither_stops_the_others_nor_lets_its_case_run_ahead(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    refused, fine = new_case("refused"), new_case("fine")
    for case in (refused, fine):
        spool.append("case", case.as_dict())
        spool.append("message", {"case_id": case.id, "author": "user", "text": "still there?"})
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    tried: list[tuple[str, str]] = []

    def apply(kind: str, record: dict[str, Any]) -> None:
        tried.append((kind, record.get("case_id") or record["id"]))
        if kind == "case" and record["id"] == refused.id:
            raise IntegrityError("INSERT INTO cases", {}, Exception("refused by the store"))
        apply_spooled(store, kind, record)

    assert spool.replay(apply) == (2, 2)
    assert [m.text for m in store.case(fine.id).messages][-1] == "still there?"
    assert ("message", refused.id) not in tried  # never before its case
    assert spool.pending() == 2 and spool.quarantined() == 0
    for _ in range(operators.spool.MAX_ATTEMPTS - 1):
        spool.replay(apply)
    assert spool.pending() == 0 and spool.quarantined() == 2  # the case, then its orphaned message
    assert tried.count(("case", refused.id)) == operators.spool.MAX_ATTEMPTS


def test_an_unreachable_store_quarantines_nothing_however_long_it_lasts(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    for name in ("a", "b"):
        spool.append("case", new_case(name).as_dict())
    path = tmp_path / "cases.db"
    down = CaseStore(f"sqlite:///{path}")
    down.engine.dispose()
    for file in tmp_path.glob("cases.db*"):
        file.unlink()
    path.mkdir()  # the database cannot be opened
    tried: list[str] = []

    def apply(kind: str, record: dict[str, Any]) -> None:
        tried.append(record["conversation_id"])
        apply_spooled(down, kind, record)

    for _ in range(operators.spool.MAX_ATTEMPTS + 1):
        assert spool.replay(apply) == (0, 2)
    assert spool.quarantined() == 0
    assert set(tried) == {"a"}  # the round stops at the first: each try may wait for a timeout
    path.rmdir()
    up = CaseStore(f"sqlite:///{path}")
    assert spool.replay(into(up)) == (2, 0) and len(up.cases()) == 2


@contextmanager
def disk_full_beyond(size: int) -> Iterator[None]:
    """Writing a file past `size` bytes fails (EFBIG), as a write on a full disk fails."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_rewrite_that_fails_on_a_full_disk_leaves_every_record(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    for name in ("applied", "kept-1", "kept-2"):
        spool.append("case", new_case(name).as_dict())
    before = spool.path.read_bytes()
    files = sorted(tmp_path.iterdir())

    def apply(kind: str, record: dict[str, Any]) -> None:
        if record["conversation_id"] != "applied":
            raise IntegrityError("INSERT INTO cases", {}, Exception("refused by the store"))

    with disk_full_beyond(64), pytest.raises(OSError):
        spool.replay(apply)
    assert spool.path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == files  # no temporary file left behind
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    assert spool.replay(into(store)) == (3, 0)


def test_records_appended_while_the_spool_is_replayed_are_each_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "spool.jsonl"
    applied: list[str] = []

    def append_from_another_writer() -> None:
        writer = Spool(path)
        for n in range(40):
            writer.append("erasure", {"conversation_id": f"c{n}", "requested_at": float(n)})

    appender = threading.Thread(target=append_from_another_writer)
    appender.start()
    spool = Spool(path)
    while appender.is_alive():
        spool.replay(lambda kind, record: applied.append(record["conversation_id"]))
    appender.join()
    spool.replay(lambda kind, record: applied.append(record["conversation_id"]))
    assert sorted(applied) == sorted(f"c{n}" for n in range(40))
