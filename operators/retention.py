"""Retention: what nobody needs any more is deleted, in batches, and logged as counts only.

Conversations idle for longer than `RETENTION_IDLE_DAYS` (90) lose their tracker events and the
channel's address for them, unless a case of theirs is still open; cases closed longer ago than
`RETENTION_CLOSED_CASE_DAYS` (180) are deleted with their transcripts. Run by `make purge` (for
cron) and once a day by the console.

    python -m operators.retention [--idle-days N] [--closed-days N] [--batch N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from dataclasses import dataclass

from common.channel_state import ChannelState, default_path
from operators.conversations import Conversations, tracker_store_url
from operators.store import CaseStore

logger = logging.getLogger(__name__)

DAY = 86_400


@dataclass(frozen=True)
class Retention:
    idle_days: float = 90
    closed_days: float = 180
    batch: int = 500

    @classmethod
    def from_env(cls) -> Retention:
        return cls(
            idle_days=float(os.environ.get("RETENTION_IDLE_DAYS") or cls.idle_days),
            closed_days=float(os.environ.get("RETENTION_CLOSED_CASE_DAYS") or cls.closed_days),
            batch=int(os.environ.get("RETENTION_BATCH") or cls.batch),
        )


def purge(
    store: CaseStore,
    conversations: Conversations | None,
    channels: ChannelState | None,
    retention: Retention,
    at: float | None = None,
) -> dict[str, int]:
    """Deletes what the retention periods no longer allow; returns the counts."""
    at = time.time() if at is None else at
    idle_before = at - retention.idle_days * DAY
    keep = store.conversations_with_open_cases()
    counts = {"conversations": 0, "events": 0, "addresses": 0, "closed cases": 0}
    if conversations is not None:
        while senders := conversations.idle(idle_before, keep, retention.batch):
            counts["events"] += conversations.forget(senders)
            counts["conversations"] += len(senders)
    if channels is not None:
        for name in channels.idle(idle_before):
            if name not in keep:
                channels.forget(name)
                counts["addresses"] += 1
    closed_before = dt.datetime.fromtimestamp(at - retention.closed_days * DAY, dt.UTC).replace(tzinfo=None)
    counts["closed cases"] = store.purge_closed_cases(closed_before, retention.batch)
    logger.info("purge: %s", ", ".join(f"{n} {what}" for what, n in counts.items()))
    return counts


def main(argv: list[str] | None = None) -> int:
    defaults = Retention.from_env()
    parser = argparse.ArgumentParser(
        prog="python -m operators.retention", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--idle-days", type=float, default=defaults.idle_days)
    parser.add_argument("--closed-days", type=float, default=defaults.closed_days)
    parser.add_argument("--batch", type=int, default=defaults.batch)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    url = tracker_store_url()
    channels = ChannelState() if default_path().exists() else None
    retention = Retention(args.idle_days, args.closed_days, args.batch)
    purge(CaseStore(), Conversations(url) if url else None, channels, retention)
    return 0


if __name__ == "__main__":
    sys.exit(main())
