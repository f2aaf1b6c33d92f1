"""Operators' accounts and sessions: hashed passwords, login limits, server-side sessions, CSRF tokens.

Passwords are hashed with scrypt and a per-password salt. A session is a random token in an
HttpOnly, SameSite=Strict cookie; only its hash is stored, so a copied database opens no
session. Every login creates a new token (no session fixation), and every form carries the
session's CSRF token.

Two limits stop password guessing without handing a guesser the power to lock everyone out.
Five failed logins from one client address (an IPv6 /64 counts as one) within fifteen minutes
refuse that address until they are older, whatever the username, and without touching any
account. Twenty failed logins on one account (since its last login) lock it for fifteen
minutes: one address needs an hour for that, so a lockout takes time or many addresses. Both
counts are kept in the database, so parallel guesses each count. A login that is not refused
for its address does the same password-hash work whether the username is unknown, locked or
right: its time tells nothing about accounts.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from operators.store import ROLES, CaseStore, LoginFailure, LoginSession, Operator, now

MAX_FAILED_LOGINS = 20
"""Failed logins that lock an account: more than one address may make before it is refused."""
LOCKOUT = dt.timedelta(minutes=15)
ADDRESS_MAX_FAILURES = 5
ADDRESS_WINDOW = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)
MIN_PASSWORD_LENGTH = 12
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        salt_bytes = base64.b64decode(salt)
        actual = hashlib.scrypt(password.encode(), salt=salt_bytes, dklen=len(expected), **_SCRYPT)
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_key(address: str) -> str:
    """What the per-address limit counts: an IPv6 address by its /64, the block a subscriber
    usually holds whole (else every guess could come from a new address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:  # an IPv4 client on a dual-stack socket
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


class LoginError(Exception):
    """A refused login; the message is safe to show (it never says which part was wrong)."""


@dataclass(frozen=True)
class LoggedIn:
    username: str
    role: str
    csrf_token: str

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


class Accounts:
    """Operators and their sessions, in the case store."""

    def __init__(self, store: CaseStore) -> None:
        self.store = store

    def add(self, username: str, password: str, role: str, actor: str = "system") -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
        if not username.strip() or len(username) > 80:
            raise ValueError("a username needs 1 to 80 characters")
        with self.store.transaction() as session:
            if session.get(Operator, username) is not None:
                raise ValueError(f"{username!r} already exists")
            session.add(Operator(username=username, password_hash=hash_password(password), role=role))
            self.store.audit(session, actor, "added operator", detail=f"{username} ({role})")

    def login(self, username: str, password: str, address: str | None = None) -> tuple[str, LoggedIn]:
        """A new session token for the cookie, or `LoginError` (failures are still recorded).

        `address` is the client's; without one (a client the server cannot name) only the
        account's limit applies.
        """
        key = client_key(address) if address else None
        attempt = self._record_attempt(key) if key else None
        with self.store.transaction() as session:
            recent = self._recent_failures(session, key) if key else 0  # this attempt included
            throttled = recent > ADDRESS_MAX_FAILURES
            result = None if throttled else self._attempt(session, username, password)
            if attempt is not None and (throttled or result is not None):
                # Not a failure: a refused attempt was not tried, a successful one did not fail.
                session.execute(delete(LoginFailure).where(LoginFailure.id == attempt))
            elif recent == ADDRESS_MAX_FAILURES:  # this failure throttles the address
                detail = f"{key}: {ADDRESS_MAX_FAILURES} failed logins"
                self.store.audit(session, "system", "address throttled", detail=detail)
        if throttled:
            raise LoginError("too many failed logins from this address: try again in a quarter of an hour")
        if result is None:
            raise LoginError("wrong username or password, or the account is locked for a while")
        return result

    def _record_attempt(self, key: str) -> int:
        """Counts the attempt as a failure before it is tried, so that parallel guesses from one
        address see each other; forgets the failures older than the window."""
        with self.store.transaction() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.at < now() - ADDRESS_WINDOW))
            attempt = LoginFailure(address=key)
            session.add(attempt)
            session.flush()
            return attempt.id

    @staticmethod
    def _recent_failures(session: Session, key: str) -> int:
        recent = LoginFailure.address == key, LoginFailure.at >= now() - ADDRESS_WINDOW
        return session.scalar(select(func.count()).select_from(LoginFailure).where(*recent)) or 0

    def _attempt(self, session: Session, username: str, password: str) -> tuple[str, LoggedIn] | None:
        # PostgreSQL text holds no NUL byte: such a name is nobody's, and must not reach the query.
        operator = session.get(Operator, username) if "\x00" not in username else None
        # The same hash work whether the username is unknown, locked or right: no probing by time.
        matches = verify_password(password, operator.password_hash if operator else _dummy_hash())
        if operator is None:
            return None
        if operator.locked_until and operator.locked_until > now():
            self.store.audit(session, username, "login refused", detail="locked")
            return None
        if not matches:
            self._count_failure(session, username)
            return None
        operator.failed_logins, operator.locked_until = 0, None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session.add(
            LoginSession(
                token_hash=_token_hash(token), username=username, csrf_token=csrf,
                expires_at=now() + SESSION_LIFETIME,
            )
        )
        self.store.audit(session, username, "logged in")
        return token, LoggedIn(username, operator.role, csrf)

    def _count_failure(self, session: Session, username: str) -> None:
        """One more failed login on the account, added by the database: parallel guesses each count."""
        account = Operator.username == username
        counted = update(Operator).where(account).values(failed_logins=Operator.failed_logins + 1)
        if session.scalar(counted.returning(Operator.failed_logins)) >= MAX_FAILED_LOGINS:
            locked = update(Operator).where(account).values(locked_until=now() + LOCKOUT, failed_logins=0)
            session.execute(locked)
            self.store.audit(session, username, "locked", detail=f"{MAX_FAILED_LOGINS} failed logins")
        else:
            self.store.audit(session, username, "login failed")

    def session(self, token: str | None) -> LoggedIn | None:
        if not token:
            return None
        with self.store.transaction() as session:
            found = session.get(LoginSession, _token_hash(token))
            if found is None or found.expires_at < now():
                return None
            operator = session.get(Operator, found.username)
            return LoggedIn(found.username, operator.role, found.csrf_token) if operator else None

    def logout(self, token: str | None) -> None:
        if not token:
            return
        with self.store.transaction() as session:
            session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))

    def usernames(self) -> list[str]:
        with self.store.transaction() as session:
            return sorted(session.scalars(select(Operator.username)))
