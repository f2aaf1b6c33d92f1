"""A durable spool for what the case store could not take: written now, replayed later.

When the case store is unreachable (a locked SQLite file, a PostgreSQL outage), an escalation
must still not be lost and the person must still be told what to do. The record is appended to
a JSON-lines file and flushed to disk before anyone is told anything; the console replays the
spool into the store until it is empty. Replays are idempotent: every record carries the key
the store recognises. Records are encrypted like the case store's texts.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from operators.crypto import decrypt, encrypt

DEFAULT_FILE = "spool/cases.jsonl"


def default_path() -> Path:
    var = Path(os.environ.get("APP_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
    return var / DEFAULT_FILE


class Spool:
    """An append-only file of JSON records, shared safely by several processes (flock)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[Any]:
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(self, kind: str, record: dict[str, Any]) -> None:
        """Writes one record durably (encrypted like the case store): on disk when this returns."""
        with self._locked() as handle:
            handle.write(encrypt(json.dumps({"kind": kind, **record}, ensure_ascii=False)) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def pending_case_keys(self) -> set[str]:
        """The keys of the cases waiting here, which reconciliation must not open again."""
        if not self.path.exists():
            return set()
        with self._locked() as handle:
            records = self._read(handle)
        return {r["key"] for r in records if r.get("kind") == "case"}

    def drop(self, matches: Callable[[dict[str, Any]], bool]) -> int:
        """Removes the records that match (a person's, when they ask to be forgotten)."""
        if not self.path.exists():
            return 0
        with self._locked() as handle:
            records = self._read(handle)
            kept = [r for r in records if not matches(r)]
            if len(kept) == len(records):
                return 0
            self._rewrite(handle, kept)
            return len(records) - len(kept)

    def pending(self) -> int:
        if not self.path.exists():
            return 0
        with self._locked() as handle:
            handle.seek(0)
            return sum(1 for line in handle if line.strip())

    def replay(self, apply: Callable[[str, dict[str, Any]], None]) -> tuple[int, int]:
        """Applies every record in order, stopping at the first that fails; the applied ones
        are removed, the rest kept for the next try. Returns (applied, left)."""
        with self._locked() as handle:
            records = self._read(handle)
            applied = 0
            for record in records:
                try:
                    apply(record["kind"], {k: v for k, v in record.items() if k != "kind"})
                except Exception:  # noqa: BLE001 - kept for the next try, whatever went wrong
                    break
                applied += 1
            left = records[applied:]
            self._rewrite(handle, left)
            return applied, len(left)

    @staticmethod
    def _read(handle: IO[str]) -> list[dict[str, Any]]:
        handle.seek(0)
        return [json.loads(decrypt(line.strip())) for line in handle if line.strip()]

    @staticmethod
    def _rewrite(handle: IO[str], records: list[dict[str, Any]]) -> None:
        handle.seek(0)
        handle.truncate()
        handle.writelines(encrypt(json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
        handle.flush()
        os.fsync(handle.fileno())
