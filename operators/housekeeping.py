"""What the console does in the background, every few seconds, for as long as it runs.

Replays the spool into the case store, opens the cases an interrupted escalation missed
(`operators.reconcile`), erases the people who asked to be forgotten (`operators.erasure`),
once a day purges what the retention periods no longer allow (`operators.retention`), and
hands back to the bot the closed cases Rasa did not take when they were closed
(`operators.handback`). Each step that fails (a busy SQLite file, a database outage) is
retried on the next round.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from operators.erasure import Eraser
from operators.escalation import apply_spooled
from operators.handback import Handbacks
from operators.reconcile import Reconciler
from operators.retention import DAY
from operators.spool import Spool
from operators.store import CaseStore

logger = logging.getLogger(__name__)


@dataclass
class Housekeeping:
    store: CaseStore
    spool: Spool
    reconciler: Reconciler | None
    eraser: Eraser
    purge: Callable[[], object] | None = None
    purge_every: float = DAY
    last_purge: float = 0.0
    handbacks: Handbacks | None = None

    def _step(self, name: str, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception as error:  # noqa: BLE001 - whatever failed is tried again next round
            logger.info("%s skipped this round: %s", name, type(error).__name__)

    def _replay(self) -> None:
        applied, left = self.spool.replay(lambda kind, record: apply_spooled(self.store, kind, record))
        if applied or left:
            logger.info("spool: %d replayed, %d left", applied, left)

    def _reconcile(self) -> None:
        if self.reconciler is not None and (opened := self.reconciler.run()):
            logger.warning("reconciliation opened %d case(s) an escalation had missed", opened)

    def _purge(self) -> None:
        if self.purge is not None and time.time() - self.last_purge >= self.purge_every:
            self.purge()
            self.last_purge = time.time()

    def _hand_back(self) -> None:
        if self.handbacks is not None and (taken := self.handbacks.run()):
            logger.info("%d closed case(s) handed back to the bot", taken)

    def round(self) -> None:
        self._step("spool replay", self._replay)
        self._step("reconciliation", self._reconcile)
        self._step("erasure", self.eraser.run)
        self._step("purge", self._purge)
        self._step("hand-back", self._hand_back)  # last: a Rasa that hangs holds up nothing else

    async def run_forever(self, every: float) -> None:
        while True:
            await asyncio.to_thread(self.round)  # database work off the console's event loop
            await asyncio.sleep(every)
