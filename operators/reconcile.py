"""Finds danger messages that never became a case, and opens them.

Rasa saves every message, with our risk assessment in its parse data, to its tracker store.
If the action server died in the middle of an escalation, that message is there but no case
is: this scan opens it (marked `recovered`: the person may not have had the safety message).
The spool is replayed first, so a case waiting there is not opened twice. The scan moves on
only past the messages it is done with: a case the store failed to take, or one still waiting
in the spool (which may yet quarantine it), is looked at again in the next round.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from common.privacy import mask
from operators.spool import Spool
from operators.store import CLOSED, Case, CaseStore, NewCase

logger = logging.getLogger(__name__)

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

    def _user_events(self) -> list[tuple[int, str, float, dict[str, Any]]]:
        """The tracker store's user messages after the watermark, oldest first."""
        query = text(
            "SELECT id, sender_id, timestamp, data FROM events "
            "WHERE type_name = 'user' AND id > :last ORDER BY id"
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query, {"last": self.last_event_id}).all()
        return [(event_id, sender, timestamp, json.loads(data)) for event_id, sender, timestamp, data in rows]

    def run(self) -> int:
        """Opens a case for every danger message no case covers; returns how many.

        The watermark moves only past messages that need nothing more. A message whose case the
        store failed to take, or whose case still waits in the spool, holds it for the next round;
        the messages after it are still looked at now (a case is opened once, by its key).
        """
        waiting = self.spool.pending_case_keys() if self.spool else set()
        opened, behind = 0, False
        for event_id, sender_id, timestamp, event in self._user_events():
            parse = event.get("parse_data") or {}
            risk = parse.get("risk") or {}
            key = case_key(sender_id, timestamp)
            if risk.get("level") in ESCALATING and key in waiting:
                behind = True  # written by the replay, or quarantined by it: then missed
            elif risk.get("level") in ESCALATING:
                try:
                    if not self._covered(sender_id, key, timestamp):
                        self.store.open_case(_recovered_case(key, sender_id, event))
                        opened += 1
                except (SQLAlchemyError, OSError) as error:
                    logger.warning("reconciliation: a case could not be opened (%s)", type(error).__name__)
                    behind = True
            if not behind:
                self.last_event_id = event_id
        return opened


def _recovered_case(key: str, conversation_id: str, event: dict[str, Any]) -> NewCase:
    """The case an escalation should have opened for this message."""
    parse = event.get("parse_data") or {}
    risk = parse["risk"]
    return NewCase(
        key=key,
        conversation_id=conversation_id,
        channel=event.get("input_channel") or "unknown",
        contact=(event.get("metadata") or {}).get("contact") or mask(conversation_id),
        language=(parse.get("language") or {}).get("lang"),
        country=None,
        level=risk["level"],
        reasons=list(risk.get("reasons") or []),
        transcript=[("user", event.get("text") or "")],
        recovered=True,
    )


def _naive_utc(timestamp: float) -> dt.datetime:
    """A Rasa event time as the store keeps times: UTC without a zone."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(tzinfo=None)
