"""Finds danger messages that never became a case, and opens them.

Rasa saves every message, with our risk assessment in its parse data, to its tracker store.
If the action server died in the middle of an escalation, that message is there but no case
is: this scan opens it (marked `recovered`: the person may not have had the safety message).
The spool is replayed first, so a case waiting there is not opened twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine

from channels.privacy import mask
from operators.spool import Spool
from operators.store import CLOSED, Case, CaseStore, NewCase

ESCALATING = ("high", "critical")


def case_key(conversation_id: str, timestamp: float) -> str:
    """The key of the case a message opens: its conversation and the moment it arrived."""
    return f"{conversation_id}:{timestamp:.6f}"


@dataclass
class Reconciler:
    """Scans the tracker store's user events newer than the last scan."""

    tracker_url: str
    store: CaseStore
    spool: Spool | None = None  # cases waiting there are not missed, only late
    last_event_id: int = 0

    def __post_init__(self) -> None:
        self._engine: Engine = create_engine(self.tracker_url)

    def _covered(self, conversation_id: str, key: str, timestamp: float) -> bool:
        with self.store.transaction() as session:
            cases = session.scalars(select(Case).where(Case.conversation_id == conversation_id)).all()
        at = _naive_utc(timestamp)

        def open_then(case: Case) -> bool:
            return case.created_at <= at and (case.status != CLOSED or (case.closed_at or at) >= at)

        return any(case.key == key or open_then(case) for case in cases)

    def missed(self) -> list[NewCase]:
        """Danger messages since the last scan that no case covers."""
        query = text(
            "SELECT id, sender_id, timestamp, data FROM events "
            "WHERE type_name = 'user' AND id > :last ORDER BY id"
        )
        found = []
        waiting = self.spool.pending_case_keys() if self.spool else set()
        with self._engine.connect() as connection:
            rows = connection.execute(query, {"last": self.last_event_id}).all()
        for event_id, sender_id, timestamp, data in rows:
            self.last_event_id = max(self.last_event_id, event_id)
            event = json.loads(data)
            parse = event.get("parse_data") or {}
            risk = parse.get("risk") or {}
            if risk.get("level") not in ESCALATING:
                continue
            key = case_key(sender_id, timestamp)
            if key in waiting or self._covered(sender_id, key, timestamp):
                continue
            found.append(
                NewCase(
                    key=key,
                    conversation_id=sender_id,
                    channel=event.get("input_channel") or "unknown",
                    contact=(event.get("metadata") or {}).get("contact") or mask(sender_id),
                    language=(parse.get("language") or {}).get("lang"),
                    country=None,
                    level=risk["level"],
                    reasons=list(risk.get("reasons") or []),
                    transcript=[("user", event.get("text") or "")],
                    recovered=True,
                )
            )
        return found

    def run(self) -> int:
        """Opens every missed case; returns how many."""
        missed = self.missed()
        for new in missed:
            self.store.open_case(new)
        return len(missed)


def _naive_utc(timestamp: float) -> dt.datetime:
    """A Rasa event time as the store keeps times: UTC without a zone."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(tzinfo=None)
