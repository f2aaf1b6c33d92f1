"""Handing a closed case's conversation back to the bot, until Rasa has taken it.

Closing a case records the hand-back in the same transaction (`CaseStore.close`). The console
tries it at once; when Rasa is down or refuses, the background loop tries again after five
seconds, then twice as long each time up to five minutes, for as long as it takes and across
restarts. Until Rasa takes it, `handoff_active` stays set there and the person's messages go
to the closed case, so the case page and the queue show every hand-back still pending.

An attempt first reserves its hand-back (`CaseStore.take_handback`): two rounds or two consoles
never both tell Rasa, which would greet the person twice. One that reached Rasa but was not
recorded (the console stopped in between) is sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from operators.rasa_client import DELIVERY_TIMEOUT, DeliveryError, RasaClient
from operators.store import CaseStore, Handback, now

logger = logging.getLogger(__name__)

FIRST_RETRY = dt.timedelta(seconds=5)
LAST_RETRY = dt.timedelta(minutes=5)
LEASE = dt.timedelta(seconds=4 * DELIVERY_TIMEOUT)
"""How long an attempt holds its hand-back: well past Rasa's timeout, so it is over by then."""

PENDING_NOTE = (
    "The bot could not be told to take over: {reason}. The console keeps trying; until it gets "
    "through, the person's messages come to this closed case."
)
TAKEN_NOTE = "The bot has taken over, at attempt {attempt}."


def backoff(attempts: int) -> dt.timedelta:
    """The wait after this many failed attempts: doubling from the first retry, up to the last."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LAST_RETRY)


@dataclass
class Handbacks:
    store: CaseStore
    rasa: RasaClient

    def run(self, at: dt.datetime | None = None, case_id: str | None = None) -> int:
        """Tries the due hand-backs (all, or the case's), longest due first, and stops at the first
        that Rasa refuses: the others wait for the next round. Returns how many Rasa took."""
        at = at or now()
        taken = 0
        for handback in self.store.handbacks(case_id):
            if handback.next_at > at or not self.store.take_handback(handback.case_id, at, LEASE):
                continue
            if not self._hand_back(handback, at):
                break
            taken += 1
        return taken

    def _hand_back(self, handback: Handback, at: dt.datetime) -> bool:
        case, attempt = handback.case, handback.attempts + 1
        try:
            self.rasa.end_handoff(case.conversation_id, case.channel)
        except DeliveryError as failed:
            self.store.handback_failed(case.id, str(failed), at + backoff(attempt))
            if attempt == 1:
                self.store.add_message(case.id, "note", PENDING_NOTE.format(reason=failed), operator="system")
            logger.warning("hand-back to the bot failed (attempt %d): %s", attempt, failed)
            return False
        self.store.handback_done(case.id)
        if attempt > 1:
            self.store.add_message(case.id, "note", TAKEN_NOTE.format(attempt=attempt), operator="system")
        return True
