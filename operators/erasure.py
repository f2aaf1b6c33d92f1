"""Forgetting a person who asked for it: every store, after their last turn has been saved.

`action_delete_data` only records the request (durably, like an escalation). The erasure runs
here, in the console's background loop, a few seconds later: Rasa writes the turn that holds
the request after the action returns, so erasing from inside the action would leave that turn.
Rasa appends a conversation's events by counting the rows it already has, so a turn that was
running while the rows were deleted could write them again: the erasure is repeated until a
pass finds nothing left and the request is old enough that no such turn can still be running.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from common.channel_state import ChannelState
from operators.conversations import Conversations
from operators.spool import Spool
from operators.store import CaseStore, ErasureRequest

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 3.0
"""How long after the confirmation the erasure starts: the confirming turn is saved by then."""
TURN_SECONDS = 5.0
"""Events up to this long after the confirmation belong to it (the bot's "done" included)."""
VERIFY_SECONDS = 20.0
"""After this long a clean pass ends the erasure: no turn of the old conversation is running."""


@dataclass
class Eraser:
    store: CaseStore
    conversations: Conversations | None
    channels: ChannelState | None
    spool: Spool | None

    def _erase(self, request: ErasureRequest) -> dict[str, int]:
        conversation = request.conversation_id
        counts = {
            "events": self.conversations.erase(conversation, request.requested_at + TURN_SECONDS)
            if self.conversations
            else 0,
        }
        if self.spool is not None:  # before the store: a closed case's id still finds its records
            counts["spooled"] = self.spool.forget(conversation, self.store.case_ids(conversation))
        counts["case messages"] = self.store.forget_conversation(conversation)
        if self.channels is not None:
            self.channels.forget(conversation)
        return counts

    def run(self, at: float | None = None) -> int:
        """Erases for every request old enough; returns how many requests are finished."""
        at = time.time() if at is None else at
        finished = 0
        for request in self.store.erasure_requests():
            if at < request.requested_at + SETTLE_SECONDS:
                continue
            counts = self._erase(request)
            if at >= request.requested_at + VERIFY_SECONDS and not any(counts.values()):
                self.store.finish_erasure(request.key, "nothing left")
                finished += 1
            elif any(counts.values()):
                summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
                logger.info("erasure: %s deleted", summary)
        return finished
