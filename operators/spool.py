"""A durable spool for what the case store could not take: written now, replayed later.

When the case store is unreachable (a locked SQLite file, a PostgreSQL outage), an escalation
must still not be lost and the person must still be told what to do. The record is appended to
a JSON-lines file and flushed to disk before anyone is told anything; the console replays the
spool into the store until it is empty. Replays are idempotent for cases (every case record
carries the key the store recognises); a message may be applied twice if the console dies
between applying it and rewriting the spool, never lost. Records are encrypted like the case
store's texts, each line on its own, so that one line that cannot be read (torn by a crash,
or encrypted with a key since dropped) spoils no other: it is moved to the quarantine file
next to the spool, byte for byte, and reported without its content. A line is written to the
quarantine before it leaves the spool: a crash in between leaves it in both, never in neither.

The spool is rewritten whole (a temporary file, flushed, then renamed over it), so a crash or a
full disk leaves either the old file or the new one. Processes take turns through a lock on a
separate file, which the rename does not replace.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken

from common.crypto import decrypt, encrypt, reencrypt
from common.paths import var_dir

logger = logging.getLogger(__name__)

DEFAULT_FILE = "spool/cases.jsonl"
ATTEMPTS = "attempts"
"""The field in which a record counts the replays it failed."""
MAX_ATTEMPTS = 10
"""Replays a record may fail, while the store answers, before it is quarantined: ten rounds of
the console's housekeeping are more than a passing conflict, and less than a stuck queue."""


class Unavailable(Exception):
    """Raised by a replayed function when the store cannot be reached: the round stops there
    (no record could be applied, and each try could wait for a timeout with the spool locked);
    nothing is counted against the records."""


class Rejected(Exception):
    """Raised by a replayed function when the record can never be applied (its case is gone, it
    is malformed): it is quarantined at once."""


def default_path() -> Path:
    var = var_dir()
    return var / DEFAULT_FILE


@dataclass(frozen=True)
class _Line:
    """One line of a spool file: its bytes as stored and, if they can be read, its record."""

    raw: bytes
    record: dict[str, Any] | None = field(compare=False)

    @classmethod
    def read(cls, raw: bytes) -> _Line:
        try:
            record = json.loads(decrypt(raw.strip().decode("ascii")))
        except (InvalidToken, ValueError):  # torn, foreign, or under a key no longer configured
            return cls(raw, None)
        readable = isinstance(record, dict) and isinstance(record.get("kind"), str)
        return cls(raw, record if readable else None)

    @classmethod
    def of(cls, record: dict[str, Any]) -> _Line:
        return cls(encrypt(json.dumps(record, ensure_ascii=False)).encode(), record)

    @property
    def subject(self) -> tuple[str, object]:
        """What the record is about: a case (its opening, messages and levels), or a conversation."""
        record = self.record or {}
        if record.get("kind") == "case":
            return "case", record.get("id")
        if "case_id" in record:
            return "case", record["case_id"]
        return "conversation", record.get("conversation_id")


@dataclass
class _Round:
    """What one replay did with the spool's records."""

    kept: list[_Line] = field(default_factory=list)
    rejected: list[_Line] = field(default_factory=list)
    worn_out: list[_Line] = field(default_factory=list)
    applied: int = 0


class Spool:
    """An append-only file of encrypted JSON records, shared safely by several processes (flock)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.quarantine_path = self.path.with_name(f"{self.path.stem}.quarantine{self.path.suffix}")
        self._lock_path = self.path.with_name(f"{self.path.name}.lock")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, kind: str, record: dict[str, Any]) -> None:
        """Writes one record durably (encrypted like the case store): on disk when this returns."""
        with self._locked():
            _append(self.path, [_Line.of({"kind": kind, **record}).raw])

    def pending_case_keys(self) -> set[str]:
        """The keys of the cases waiting here, which reconciliation must not open again."""
        if not self.path.exists():
            return set()
        with self._locked():
            records = [line.record for line in _read(self.path) if line.record]
        return {r["key"] for r in records if r.get("kind") == "case" and "key" in r}

    def pending(self) -> int:
        with self._locked():
            return len(_lines(self.path))

    def quarantined(self) -> int:
        """How many lines wait in the quarantine for someone to look at them."""
        with self._locked():
            return len(_lines(self.quarantine_path))

    def replay(self, apply: Callable[[str, dict[str, Any]], None]) -> tuple[int, int]:
        """Applies every record it can, oldest first; the applied ones are removed, the others
        kept for the next try. Returns (applied, left).

        A record that fails holds back the later records about the same case, so that a message
        never reaches a case before the case is opened, nor a level before an earlier one; the
        records about other cases go on. A record that fails `MAX_ATTEMPTS` rounds, or is
        `Rejected`, is quarantined; an `Unavailable` store ends the round.
        """
        if not self.path.exists():
            return 0, 0
        with self._locked():
            lines = self._readable()
            done = _replay(lines, apply)
            self._quarantine(done.rejected, "rejected by the store")
            self._quarantine(done.worn_out, f"failed {MAX_ATTEMPTS} replays")
            if done.kept != lines:
                _rewrite(self.path, [line.raw for line in done.kept])
            return done.applied, len(done.kept)

    def forget(self, conversation_id: str, case_ids: Iterable[str]) -> int:
        """Removes every record about the conversation, from the spool and its quarantine; returns
        how many. A message or level spooled before records carried their conversation is found
        by its case: one of `case_ids` (from the store), or a case spooled for the conversation."""
        if not (self.path.exists() or self.quarantine_path.exists()):
            return 0
        with self._locked():
            files = {self.path: self._readable(), self.quarantine_path: _read(self.quarantine_path)}
            records = [line.record for lines in files.values() for line in lines if line.record]
            cases = set(case_ids) | {
                r["id"] for r in records if r.get("conversation_id") == conversation_id and "id" in r
            }

            def about(record: dict[str, Any] | None) -> bool:
                if record is None:
                    return False
                return record.get("conversation_id") == conversation_id or (
                    "case_id" in record and record["case_id"] in cases
                )

            forgotten = 0
            for path, lines in files.items():
                kept = [line.raw for line in lines if not about(line.record)]
                if len(kept) < len(lines):
                    _rewrite(path, kept)
                    forgotten += len(lines) - len(kept)
            return forgotten

    def reencrypt(self) -> int:
        """Encrypts every line that can be read, here and in the quarantine, with the newest key;
        returns how many. The others are left as they are (the replay quarantines them)."""
        if not (self.path.exists() or self.quarantine_path.exists()):
            return 0
        with self._locked():
            count = 0
            for path in (self.path, self.quarantine_path):
                raws = _lines(path)
                fresh = [_reencrypted(raw) for raw in raws]
                renewed = sum(1 for line in fresh if line is not None)
                if renewed:
                    _rewrite(path, [new or old for new, old in zip(fresh, raws, strict=True)])
                count += renewed
            return count

    def _readable(self) -> list[_Line]:
        """The spool's lines that can be read; the others are moved to the quarantine first."""
        lines = _read(self.path)
        readable = [line for line in lines if line.record is not None]
        if len(readable) < len(lines):
            self._quarantine([line for line in lines if line.record is None], "unreadable")
            _rewrite(self.path, [line.raw for line in readable])
        return readable

    def _quarantine(self, lines: list[_Line], reason: str) -> None:
        """Keeps the lines, byte for byte, where no replay tries them again, and says so (no content)."""
        if not lines:
            return
        _append(self.quarantine_path, [line.raw for line in lines])
        total = len(_lines(self.quarantine_path))
        logger.warning(
            "spool: %d record(s) quarantined (%s); %d in %s", len(lines), reason, total, self.quarantine_path
        )


def _replay(lines: list[_Line], apply: Callable[[str, dict[str, Any]], None]) -> _Round:
    done = _Round()
    held: set[tuple[str, object]] = set()
    for index, line in enumerate(lines):
        record = line.record or {}
        if line.subject in held:
            done.kept.append(line)
            continue
        try:
            apply(record["kind"], {k: v for k, v in record.items() if k not in ("kind", ATTEMPTS)})
        except Unavailable:
            done.kept.extend(lines[index:])
            break
        except Rejected:
            done.rejected.append(line)
        except Exception:  # noqa: BLE001 - whatever went wrong, the record is tried again
            attempts = record.get(ATTEMPTS, 0) + 1
            if attempts >= MAX_ATTEMPTS:
                done.worn_out.append(line)
            else:
                done.kept.append(_Line.of({**record, ATTEMPTS: attempts}))
                held.add(line.subject)
        else:
            done.applied += 1
    return done


def _reencrypted(raw: bytes) -> bytes | None:
    try:
        return reencrypt(raw.strip())
    except InvalidToken:
        return None


def _lines(path: Path) -> list[bytes]:
    if not path.exists():
        return []
    return [raw for raw in path.read_bytes().split(b"\n") if raw.strip()]


def _read(path: Path) -> list[_Line]:
    return [_Line.read(raw) for raw in _lines(path)]


def _append(path: Path, raws: list[bytes]) -> None:
    """Appends whole lines and flushes them to disk. A line a crash left without its end is
    ended first, so that it does not swallow the next record."""
    with open(path, "a+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        torn = size > 0 and os.pread(handle.fileno(), 1, size - 1) != b"\n"
        handle.write((b"\n" if torn else b"") + b"".join(raw + b"\n" for raw in raws))
        handle.flush()
        os.fsync(handle.fileno())


def _rewrite(path: Path, raws: list[bytes]) -> None:
    """Replaces the file by these lines at once: whatever fails before the rename leaves it whole."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"".join(raw + b"\n" for raw in raws))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
