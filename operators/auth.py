"""Operators' accounts and sessions: hashed passwords, lockout, server-side sessions, CSRF tokens.

Passwords are hashed with scrypt and a per-password salt. A session is a random token in an
HttpOnly, SameSite=Strict cookie; only its hash is stored, so a copied database opens no
session. Every login creates a new token (no session fixation), and every form carries the
session's CSRF token. Five failed logins lock an account for fifteen minutes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from operators.store import ROLES, CaseStore, LoginSession, Operator, now

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
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

    def login(self, username: str, password: str) -> tuple[str, LoggedIn]:
        """A new session token for the cookie, or `LoginError` (failures are still recorded)."""
        with self.store.transaction() as session:
            result = self._attempt(session, username, password)
        if result is None:
            raise LoginError("wrong username or password, or the account is locked for a while")
        return result

    def _attempt(self, session: Session, username: str, password: str) -> tuple[str, LoggedIn] | None:
        operator = session.get(Operator, username)
        if operator is None:
            verify_password(password, _dummy_hash())  # as slow as a real check: no username probing
            return None
        if operator.locked_until and operator.locked_until > now():
            self.store.audit(session, username, "login refused", detail="locked")
            return None
        if not verify_password(password, operator.password_hash):
            operator.failed_logins += 1
            if operator.failed_logins >= MAX_FAILED_LOGINS:
                operator.locked_until, operator.failed_logins = now() + LOCKOUT, 0
                self.store.audit(session, username, "locked", detail=f"{MAX_FAILED_LOGINS} failed logins")
            else:
                self.store.audit(session, username, "login failed")
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
