"""What the messaging channels must remember: pseudonyms, deliveries seen, opt-outs, failures.

People are known to Rasa, its tracker store and the case store only by a pseudonym, a keyed
hash of their address (`tg-…`, `sms-…`, `wa-…`); the real address (a phone number, a chat id)
lives only here, in the channels' own store, because the channel needs it to reply. Also kept:
the deliveries already received (a retried webhook is processed once), the messages Rasa has
not taken yet (`channels.inbox`), the senders who sent STOP, the rest of an SMS too long to
send at once (sent on MORE), the messages held until a person is back in WhatsApp's 24-hour
window, and the deliveries that failed for good, which the operator console shows. One
SQLite file (`var/channels.db`), safe for the threads and processes of one host.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.crypto import decrypt, encrypt, reencrypt
from common.paths import secrets_dir, var_dir
from common.privacy import pseudonym
from common.secret_files import stored_secret

KEY_ENV = "CHANNEL_PSEUDONYM_KEY"
SEEN_FOR_SECONDS = 7 * 24 * 3600
"""Telegram retries for a day and Twilio for less; a week of delivery ids is plenty."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS addresses (
    pseudonym TEXT PRIMARY KEY, channel TEXT NOT NULL, address TEXT NOT NULL,
    last_inbound REAL, opted_out INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS seen (delivery TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS inbox (
    delivery TEXT PRIMARY KEY, channel TEXT NOT NULL, pseudonym TEXT NOT NULL, message TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, due REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sms_rests (pseudonym TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS whatsapp_held (pseudonym TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, channel TEXT NOT NULL,
    pseudonym TEXT NOT NULL, reason TEXT NOT NULL);
"""
_ENCRYPTED = (
    ("inbox", "delivery", "message"),
    ("sms_rests", "pseudonym", "text"),
    ("whatsapp_held", "pseudonym", "text"),
)
"""The columns that hold a person's words: (table, key, column)."""


@dataclass(frozen=True)
class Waiting:
    """A received message Rasa has not taken yet."""

    delivery_id: str
    pseudonym: str
    message: dict[str, Any]
    attempts: int


def default_path() -> Path:
    return var_dir() / "channels.db"


def pseudonym_key() -> bytes:
    """The key of the pseudonyms: `CHANNEL_PSEUDONYM_KEY`, or one generated once, kept private."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    return stored_secret(secrets_dir() / "pseudonym_key", lambda: secrets.token_urlsafe(32)).encode()


class ChannelState:
    def __init__(self, path: Path | None = None, key: bytes | None = None) -> None:
        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._key = key
        self._lock = threading.Lock()
        # Private before SQLite opens it: its -wal and -shm files take the same mode.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, 0o600)
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA secure_delete=ON")  # a forgotten address is overwritten, not freed
        self._db.executescript(_SCHEMA)
        self._split_pending()

    @property
    def key(self) -> bytes:
        """Read (or made) only when a sender is registered: readers such as the console need none."""
        if self._key is None:
            self._key = pseudonym_key()
        return self._key

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def register(self, prefix: str, channel: str, address: str) -> str:
        """The sender's pseudonym, remembering where to reply and when they last wrote."""
        name = pseudonym(prefix, address, self.key)
        self._run(
            "INSERT INTO addresses (pseudonym, channel, address, last_inbound) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(pseudonym) DO UPDATE SET last_inbound = excluded.last_inbound",
            (name, channel, address, time.time()),
        )
        return name

    def address(self, name: str) -> str | None:
        rows = self._run("SELECT address FROM addresses WHERE pseudonym = ?", (name,))
        return rows[0][0] if rows else None

    def last_inbound(self, name: str) -> float | None:
        rows = self._run("SELECT last_inbound FROM addresses WHERE pseudonym = ?", (name,))
        return rows[0][0] if rows else None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once so that another process cannot slip in."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def receive(
        self, channel: str, delivery_id: str, name: str, message: dict[str, Any], due_in: float
    ) -> bool:
        """Keeps a new delivery's message (encrypted) until Rasa has taken it; False for a
        delivery already received (a retried webhook). It is due for redelivery after `due_in`
        seconds, unless `delivered` was called before."""
        now = time.time()
        delivery = f"{channel}:{delivery_id}"
        with self._transaction() as db:
            db.execute("DELETE FROM seen WHERE at < ?", (now - SEEN_FOR_SECONDS,))
            seen = db.execute("INSERT OR IGNORE INTO seen (delivery, at) VALUES (?, ?)", (delivery, now))
            if seen.rowcount != 1:
                return False
            sealed = encrypt(json.dumps(message, ensure_ascii=False))
            db.execute(
                "INSERT INTO inbox (delivery, channel, pseudonym, message, due) VALUES (?, ?, ?, ?, ?)",
                (delivery, channel, name, sealed, now + due_in),
            )
        return True

    def delivered(self, channel: str, delivery_id: str) -> None:
        """Rasa has the message: it no longer waits."""
        self._run("DELETE FROM inbox WHERE delivery = ?", (f"{channel}:{delivery_id}",))

    def waits_behind(self, channel: str, delivery_id: str) -> bool:
        """Whether an earlier message of the same person still waits after a failure: this one
        goes after it, so that Rasa reads a person's messages in the order they were sent."""
        rows = self._run(
            "SELECT 1 FROM inbox AS earlier JOIN inbox AS this ON earlier.pseudonym = this.pseudonym "
            "WHERE this.delivery = ? AND earlier.rowid < this.rowid AND earlier.attempts > 0 LIMIT 1",
            (f"{channel}:{delivery_id}",),
        )
        return bool(rows)

    def retry_later(self, channel: str, delivery_id: str, delay: float, failed: bool = True) -> None:
        """Due again after `delay`; `failed` counts an attempt (the backoff grows with them)."""
        query = "UPDATE inbox SET attempts = attempts + ?, due = ? WHERE delivery = ?"
        self._run(query, (int(failed), time.time() + delay, f"{channel}:{delivery_id}"))

    def due(self, channel: str, lease: float) -> list[Waiting]:
        """A channel's messages due for redelivery, each leased to the caller for `lease` seconds
        (another process does not take them meanwhile), oldest first; a person's message only
        once none of theirs before it waits."""
        now = time.time()
        with self._transaction() as db:
            rows = db.execute(
                "SELECT delivery, pseudonym, message, attempts FROM inbox AS this "
                "WHERE channel = ? AND due <= ? AND NOT EXISTS (SELECT 1 FROM inbox AS earlier "
                "WHERE earlier.pseudonym = this.pseudonym AND earlier.rowid < this.rowid) ORDER BY rowid",
                (channel, now),
            ).fetchall()
            db.executemany("UPDATE inbox SET due = ? WHERE delivery = ?", [(now + lease, r[0]) for r in rows])
        prefix = len(channel) + 1
        return [Waiting(d[prefix:], name, json.loads(decrypt(m)), n) for d, name, m, n in rows]

    def reencrypt(self) -> int:
        """Encrypts every waiting text with the newest key (key rotation); returns how many."""
        count = 0
        with self._transaction() as db:
            for table, key, column in _ENCRYPTED:
                rows = db.execute(f"SELECT {key}, {column} FROM {table}").fetchall()
                renewed = [(reencrypt(value.encode()).decode(), row_key) for row_key, value in rows]
                db.executemany(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", renewed)
                count += len(renewed)
        return count

    def set_opted_out(self, name: str, opted_out: bool) -> None:
        self._run("UPDATE addresses SET opted_out = ? WHERE pseudonym = ?", (int(opted_out), name))

    def opted_out(self, name: str) -> bool:
        rows = self._run("SELECT opted_out FROM addresses WHERE pseudonym = ?", (name,))
        return bool(rows and rows[0][0])

    def keep_rest(self, name: str, text: str | None) -> None:
        """The part of a long SMS not sent yet (sent on MORE); None forgets it."""
        if text:
            query = "INSERT OR REPLACE INTO sms_rests (pseudonym, text) VALUES (?, ?)"
            self._run(query, (name, encrypt(text)))
        else:
            self._run("DELETE FROM sms_rests WHERE pseudonym = ?", (name,))

    def take_rest(self, name: str) -> str | None:
        return self._take("sms_rests", name)

    def hold_for_window(self, name: str, text: str) -> None:
        """A WhatsApp message sent outside the 24-hour window, after any held before it."""
        with self._transaction() as db:
            held = db.execute("SELECT text FROM whatsapp_held WHERE pseudonym = ?", (name,)).fetchall()
            text = f"{decrypt(held[0][0])}\n\n{text}" if held else text
            query = "INSERT OR REPLACE INTO whatsapp_held (pseudonym, text) VALUES (?, ?)"
            db.execute(query, (name, encrypt(text)))

    def take_held(self, name: str) -> str | None:
        """What was held for the person (once they are back in the window), and forgets it."""
        return self._take("whatsapp_held", name)

    def _take(self, table: str, name: str) -> str | None:
        with self._transaction() as db:
            rows = db.execute(f"SELECT text FROM {table} WHERE pseudonym = ?", (name,)).fetchall()
            db.execute(f"DELETE FROM {table} WHERE pseudonym = ?", (name,))
        return decrypt(rows[0][0]) if rows else None

    def _split_pending(self) -> None:
        """A store from before SMS rests and WhatsApp's held messages had a table each: their
        one `pending` table is split by the pseudonym's channel prefix."""
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'pending'").fetchall():
                return
            for table, prefix in (("sms_rests", "sms-%"), ("whatsapp_held", "wa-%")):
                query = f"INSERT OR IGNORE INTO {table} SELECT * FROM pending WHERE pseudonym LIKE ?"
                db.execute(query, (prefix,))
            db.execute("DROP TABLE pending")

    def record_failure(self, channel: str, name: str, reason: str) -> None:
        self._run(
            "INSERT INTO failures (at, channel, pseudonym, reason) VALUES (?, ?, ?, ?)",
            (time.time(), channel, name, reason[:300]),
        )

    def failures(self, name: str | None = None) -> list[tuple[float, str, str, str]]:
        if name is None:
            return self._run("SELECT at, channel, pseudonym, reason FROM failures ORDER BY id")
        query = "SELECT at, channel, pseudonym, reason FROM failures WHERE pseudonym = ? ORDER BY id"
        return self._run(query, (name,))

    def forget(self, name: str) -> None:
        """Erases everything kept about a sender (their address included), leaving no copy in the log."""
        for table in ("addresses", "sms_rests", "whatsapp_held", "failures", "inbox"):
            self._run(f"DELETE FROM {table} WHERE pseudonym = ?", (name,))
        self._run("PRAGMA wal_checkpoint(TRUNCATE)")

    def idle(self, before: float) -> list[str]:
        """The senders who last wrote before this time (a Unix time)."""
        rows = self._run("SELECT pseudonym FROM addresses WHERE last_inbound < ?", (before,))
        return [row[0] for row in rows]
