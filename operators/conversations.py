"""The Rasa tracker store's rows, seen from outside Rasa: to erase one person, to purge the idle.

Rasa keeps every event of a conversation (the person's text in it) in one `events` table,
on SQLite by default or on PostgreSQL. On SQLite, deleted rows are overwritten with zeros
(`secure_delete`) and the write-ahead log is emptied, so no copy of the text stays in the file.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

from common.paths import var_dir


def tracker_store_url() -> str | None:
    """Where Rasa keeps conversations: `RASA_TRACKER_URL`, `RASA_TRACKER_DB` (as the launcher
    sets it) or the launcher's default file; None when there is none yet."""
    if os.environ.get("RASA_TRACKER_URL"):
        return _with_our_driver(os.environ["RASA_TRACKER_URL"])
    if os.environ.get("RASA_TRACKER_DB"):
        return f"sqlite:///{os.environ['RASA_TRACKER_DB']}"
    var = var_dir()
    path = var / "rasa" / "tracker.db"
    return f"sqlite:///{path}" if path.exists() else None


def _with_our_driver(url: str) -> str:
    """Rasa's PostgreSQL URL names psycopg2 or no driver; this environment has psycopg 3."""
    scheme, rest = url.split("://", 1)
    if scheme in ("postgres", "postgresql", "postgresql+psycopg2"):
        return f"postgresql+psycopg://{rest}"
    return url


def _overwrite_deleted(connection: sqlite3.Connection, _record: object) -> None:
    connection.execute("PRAGMA secure_delete=ON")


def _wait_briefly(connection: Any, _record: object) -> None:
    """Housekeeping must never wait forever on a row that Rasa or another console holds."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '10s'")
        cursor.execute("SET statement_timeout = '60s'")
    connection.commit()


class Conversations:
    """Deletes tracker events by sender; safe to run while Rasa writes (it retries on busy)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(url, connect_args={"timeout": 10} if self.sqlite else {})
        event.listen(self.engine, "connect", _overwrite_deleted if self.sqlite else _wait_briefly)

    def _settle(self, connection: Connection) -> None:
        if self.sqlite:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    def erase(self, sender_id: str, until: float) -> int:
        """Deletes the sender's events up to a Rasa event time; returns how many."""
        with self.engine.begin() as connection:
            deleted = connection.execute(
                text("DELETE FROM events WHERE sender_id = :sender AND timestamp <= :until"),
                {"sender": sender_id, "until": until},
            ).rowcount
        with self.engine.connect() as connection:
            self._settle(connection)
        return deleted

    def idle(self, before: float, keep: set[str], limit: int) -> list[str]:
        """Up to `limit` senders whose last event is older than `before`, except those in `keep`."""
        query = text(
            "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :before "
            "ORDER BY MAX(timestamp)"
        )
        with self.engine.connect() as connection:
            senders = [row[0] for row in connection.execute(query, {"before": before})]
        return [s for s in senders if s not in keep][:limit]

    def forget(self, senders: list[str]) -> int:
        """Deletes every event of these senders; returns how many."""
        if not senders:
            return 0
        with self.engine.begin() as connection:
            deleted = sum(
                connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": s}).rowcount
                for s in senders
            )
        with self.engine.connect() as connection:
            self._settle(connection)
        return deleted
