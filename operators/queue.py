"""The operators' queue: the most serious first, then the longest waiting, with SLA timers.

A case's SLA is how long it may wait for a first reply at its level: critical 5 minutes, high
30 minutes, the others 4 hours, configurable with `CONSOLE_SLA_MINUTES`
("critical=5,high=30,elevated=240,none=240").
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from operators.store import LEVELS, Case, now

DEFAULT_SLA_MINUTES = {"critical": 5, "high": 30, "elevated": 240, "none": 240}
SLA_ENV = "CONSOLE_SLA_MINUTES"


def sla_minutes(setting: str | None = None) -> dict[str, int]:
    """The SLA per level from a "level=minutes,..." setting over the defaults."""
    setting = setting if setting is not None else os.environ.get(SLA_ENV, "")
    found = dict(DEFAULT_SLA_MINUTES)
    for part in filter(None, (p.strip() for p in setting.split(","))):
        level, _, minutes = part.partition("=")
        if level.strip() not in LEVELS or not minutes.strip().isdigit():
            raise ValueError(f"{SLA_ENV}: {part!r} is not level=minutes with a level from {LEVELS}")
        found[level.strip()] = int(minutes)
    return found


@dataclass(frozen=True)
class QueueEntry:
    case: Case
    waiting: dt.timedelta  # since the case was opened
    due: dt.datetime  # when the SLA runs out
    overdue: bool
    answered: bool  # an operator has replied

    def as_dict(self) -> dict[str, object]:
        c = self.case
        return {
            "id": c.id, "level": c.level, "reasons": c.reasons, "status": c.status,
            "claimed_by": c.claimed_by, "language": c.language, "country": c.country, "channel": c.channel,
            "contact": c.contact,
            "recovered": c.recovered, "waiting_seconds": int(self.waiting.total_seconds()),
            "due_in_seconds": int((self.due - now()).total_seconds()), "overdue": self.overdue,
            "answered": self.answered,
        }


def ordered(cases: list[Case], sla: dict[str, int], at: dt.datetime | None = None) -> list[QueueEntry]:
    """Open and claimed cases, most serious level first, then the longest waiting."""
    at = at or now()
    entries = []
    for case in cases:
        due = case.created_at + dt.timedelta(minutes=sla[case.level])
        answered = any(m.author == "operator" for m in case.messages)
        entries.append(QueueEntry(case, at - case.created_at, due, not answered and at > due, answered))
    return sorted(entries, key=lambda e: (-LEVELS.index(e.case.level), e.case.created_at))
