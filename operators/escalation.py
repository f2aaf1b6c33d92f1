"""Writing what an escalation knows durably, to the case store or, when it fails, to the spool.

Requests to be forgotten take the same way: once asked and confirmed, an erasure is not lost.

The caller tells the person that help is coming only after `CaseWriter` returned: by then the
case is committed to the store or flushed to the spool file, which the console replays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from operators.spool import Rejected, Spool, Unavailable
from operators.store import CaseClosed, CaseStore, NewCase, NoSuchCase

logger = logging.getLogger(__name__)

_FAILURES = (SQLAlchemyError, OSError)
_UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout, OSError)
"""Failures of the store itself (down, busy, out of connections), whichever record is replayed."""
_NEVER = (NoSuchCase, CaseClosed, KeyError, TypeError, ValueError)
"""Failures of the record: its case is gone or closed, or the record is malformed."""


class CaseWriter:
    """Opens cases and records their messages, never losing one to a failing store."""

    def __init__(self, store: Callable[[], CaseStore] = CaseStore, spool: Spool | None = None) -> None:
        self._make_store = store
        self._store: CaseStore | None = None
        self.spool = spool or Spool()

    @property
    def store(self) -> CaseStore:
        """The store, connected on first use and again after a failure."""
        if self._store is None:
            self._store = self._make_store()
        return self._store

    def _write(self, kind: str, record: dict[str, Any], write: Callable[[CaseStore], Any]) -> bool:
        """True if written to the store, False if spooled; raises only if both fail."""
        try:
            write(self.store)
            return True
        except NoSuchCase:
            # Its case may still wait in the spool (the store was down when it was opened): the
            # record waits behind it, and is quarantined by the replay if the case never comes.
            self.spool.append(kind, record)
            return False
        except _FAILURES as error:
            logger.warning("case store unavailable (%s); %s kept in the spool", type(error).__name__, kind)
            self._store = None
            self.spool.append(kind, record)
            return False

    def open_case(self, new: NewCase) -> bool:
        return self._write("case", new.as_dict(), lambda store: store.open_case(new))

    def add_message(self, case_id: str, author: str, text: str, conversation_id: str | None = None) -> bool:
        """`conversation_id` goes into a spooled record, so that an erasure finds it even after
        the case is gone."""
        record = {"case_id": case_id, "conversation_id": conversation_id, "author": author, "text": text}
        return self._write("message", record, lambda store: store.add_message(case_id, author, text))

    def raise_level(
        self, case_id: str, level: str, reasons: list[str], conversation_id: str | None = None
    ) -> bool:
        record = {"case_id": case_id, "conversation_id": conversation_id, "level": level, "reasons": reasons}
        return self._write("level", record, lambda store: store.raise_level(case_id, level, reasons))

    def request_erasure(self, conversation_id: str, requested_at: float) -> bool:
        record = {"conversation_id": conversation_id, "requested_at": requested_at}
        return self._write(
            "erasure", record, lambda store: store.request_erasure(conversation_id, requested_at)
        )

    def awaits_operator(self, case_id: str) -> bool:
        """False when the store cannot tell: then the bot stays quiet, as for a taken case."""
        try:
            return self.store.awaits_operator(case_id)
        except _FAILURES:
            self._store = None
            return False

    def active_case_id(self, conversation_id: str) -> str | None:
        try:
            case = self.store.active_case(conversation_id)
        except _FAILURES:
            self._store = None
            return None
        return case.id if case else None


def apply_spooled(store: CaseStore, kind: str, record: dict[str, Any]) -> None:
    """Replays one spooled record into the store (idempotent for cases, by their key), telling
    the spool whether a failure is the store's (`Unavailable`) or the record's for good (`Rejected`)."""
    try:
        _apply(store, kind, record)
    except _UNREACHABLE as error:
        raise Unavailable(type(error).__name__) from error
    except _NEVER as error:
        raise Rejected(type(error).__name__) from error


def _apply(store: CaseStore, kind: str, record: dict[str, Any]) -> None:
    if kind == "case":
        store.open_case(NewCase.from_dict(record))
    elif kind == "message":
        store.add_message(record["case_id"], record["author"], record["text"])
    elif kind == "level":
        store.raise_level(record["case_id"], record["level"], record["reasons"])
    elif kind == "erasure":
        store.request_erasure(record["conversation_id"], record["requested_at"])
    else:
        raise ValueError(f"unknown spool record {kind!r}")
