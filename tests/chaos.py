"""Faults on purpose, for the soak test: Rasa's SQL tracker store failing a share of its reads
and writes at random (`CHAOS_FAILURE_RATE`, 0 to 1), as a database under strain does.

Named in a test's own endpoints file: `tracker_store: {type: tests.chaos.FlakyTrackerStore}`.
"""

from __future__ import annotations

import os
import random

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import OperationalError

RATE_ENV = "CHAOS_FAILURE_RATE"


class FlakyTrackerStore(SQLTrackerStore):
    def _maybe_fail(self) -> None:
        if random.random() < float(os.environ.get(RATE_ENV) or 0):
            raise OperationalError("injected", {}, ConnectionError("the tracker store failed on purpose"))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        self._maybe_fail()
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._maybe_fail()
        await super().save(tracker)
