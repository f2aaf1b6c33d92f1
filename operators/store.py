"""The case store: escalated conversations, their transcripts, the operators and the audit log.

SQLAlchemy over SQLite by default (`var/cases.db`), PostgreSQL by URL (`CASE_STORE_URL`).
Every change is one transaction. A case is identified for writing by a `key` (the
conversation and the moment of the message that opened it), so a write that is retried after
a failure, or repeated by the reconciliation, never opens the same case twice.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import JSON, ForeignKey, String, Text, create_engine, delete, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator

from common.crypto import decrypt, encrypt
from common.paths import var_dir
from common.vocabulary import LEVELS

OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
OUTCOMES = ("referred", "resolved", "no_contact", "duplicate")
ROLES = ("operator", "supervisor")
DEFAULT_URL_ENV = "CASE_STORE_URL"
SQLITE_BUSY_SECONDS = 2
"""How long a write waits for a locked SQLite file before the caller spools instead."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)



class EncryptedText(TypeDecorator):
    """A text column stored encrypted and read back in clear."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else decrypt(value)

class NoSuchCase(LookupError):
    """No case has this id: it never existed, or it was erased or purged."""


class CaseClosed(PermissionError):
    """The case is closed: it takes no more claims, releases or notes."""


class NotYours(PermissionError):
    """The case is claimed by another operator: only they or a supervisor may change that."""


class Base(DeclarativeBase):
    pass


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    contact: Mapped[str] = mapped_column(String(60))  # masked: operators never see the full address
    language: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    level: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(20))
    recovered: Mapped[bool] = mapped_column(default=False)  # opened by reconciliation
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now)
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    messages: Mapped[list[CaseMessage]] = relationship(
        back_populates="case", order_by="CaseMessage.id", cascade="all, delete-orphan"
    )


class CaseMessage(Base):
    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    author: Mapped[str] = mapped_column(String(10))  # user, bot, operator or note
    operator: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(EncryptedText)  # a copied database file reveals no message
    delivery: Mapped[str | None] = mapped_column(String(200))  # an operator's reply: sent, or why not
    case: Mapped[Case] = relationship(back_populates="messages")


class Handback(Base):
    """A closed case whose conversation Rasa has not taken back yet (`operators.handback`)."""

    __tablename__ = "handbacks"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[dt.datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(default=0)  # the ones Rasa refused
    next_at: Mapped[dt.datetime] = mapped_column(default=now)
    error: Mapped[str | None] = mapped_column(String(200))  # why the last attempt failed, safe to show
    case: Mapped[Case] = relationship(lazy="joined")


class Operator(Base):
    __tablename__ = "operators"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=now, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class LoginSession(Base):
    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("operators.username", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column()


class LoginFailure(Base):
    """A login from a client address: a failure unless it succeeds (then it is deleted), kept
    for the window of the per-address limit (`operators.auth`)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    address: Mapped[str] = mapped_column(String(64), index=True)  # an IPv4 address or an IPv6 /64
    at: Mapped[dt.datetime] = mapped_column(default=now, index=True)


class ErasureRequest(Base):
    """A person asked to be forgotten; the row is deleted once everything is erased."""

    __tablename__ = "erasure_requests"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)  # conversation:moment, as case keys
    conversation_id: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[float] = mapped_column()  # the Rasa event time of the confirmation
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


ERASED_NOTE = (
    "The person asked for everything they wrote to be erased. Their messages, the bot's answers "
    "and their address are gone: this conversation can no longer be answered."
)


@dataclass(frozen=True)
class NewCase:
    """Everything an escalation knows, ready to be written now or replayed later."""

    key: str
    conversation_id: str
    channel: str
    contact: str
    language: str | None
    country: str | None
    level: str
    reasons: list[str]
    transcript: list[tuple[str, str]]  # (author, text), oldest first
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    recovered: bool = False

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "transcript": [list(m) for m in self.transcript]}

    @classmethod
    def from_dict(cls, raw: dict) -> NewCase:
        return cls(**{**raw, "transcript": [tuple(m) for m in raw["transcript"]]})


def default_url() -> str:
    return os.environ.get(DEFAULT_URL_ENV) or f"sqlite:///{var_dir() / 'cases.db'}"


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # noqa: ANN001 - DBAPI objects
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA secure_delete=ON")  # erased text is overwritten, not left free

        return engine
    return create_engine(url, pool_pre_ping=True)


class CaseStore:
    """Transactions over the case store; a failure raises `sqlalchemy.exc.SQLAlchemyError`."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = _engine(self.url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @staticmethod
    def audit(
        session: Session, actor: str, action: str, case_id: str | None = None, detail: str = ""
    ) -> None:
        session.add(AuditEntry(actor=actor, action=action, case_id=case_id, detail=detail))

    def open_case(self, new: NewCase) -> str:
        """Writes the case with its transcript; returns the id of the case for this key."""
        with self.transaction() as session:
            existing = session.scalar(select(Case).where(Case.key == new.key))
            if existing is not None:
                return existing.id
            case = Case(
                id=new.id, key=new.key, conversation_id=new.conversation_id, channel=new.channel,
                contact=new.contact, language=new.language, country=new.country, level=new.level,
                reasons=list(new.reasons), recovered=new.recovered,
            )
            case.messages = [CaseMessage(author=author, text=text) for author, text in new.transcript]
            session.add(case)
            self.audit(session, "system", "opened", new.id, f"level {new.level}: {', '.join(new.reasons)}")
            return new.id

    def active_case(self, conversation_id: str) -> Case | None:
        """The conversation's case that is not closed yet, if any."""
        with self.transaction() as session:
            return session.scalar(
                select(Case).where(Case.conversation_id == conversation_id, Case.status != CLOSED)
            )

    def add_message(
        self, case_id: str, author: str, text: str, operator: str | None = None, delivery: str | None = None
    ) -> None:
        with self.transaction() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise NoSuchCase("no such case")
            case.messages.append(CaseMessage(author=author, text=text, operator=operator, delivery=delivery))
            case.updated_at = now()
            if author in ("operator", "note"):
                self.audit(session, operator or "?", "replied" if author == "operator" else "noted", case_id)

    def raise_level(self, case_id: str, level: str, reasons: list[str]) -> bool:
        """Makes the case at least this serious; True if that changed its level. A case not here
        (still in the spool) raises `NoSuchCase`, so that the raise waits behind it."""
        with self.transaction() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise NoSuchCase("no such case")
            if LEVELS.index(level) <= LEVELS.index(case.level):
                return False
            case.level = level
            case.reasons = sorted(set(case.reasons) | set(reasons))
            case.updated_at = now()
            self.audit(session, "system", "raised", case_id, f"level {level}")
            return True

    def case(self, case_id: str) -> Case | None:
        """The case with its transcript loaded, to read after the transaction."""
        with self.transaction() as session:
            return session.scalar(select(Case).options(selectinload(Case.messages)).where(Case.id == case_id))

    def awaits_operator(self, case_id: str) -> bool:
        """Whether the case is open and nobody from the team has taken or answered it yet."""
        with self.transaction() as session:
            case = session.get(Case, case_id)
            if case is None or case.status != OPEN:
                return False
            return not any(m.author == "operator" for m in case.messages)

    def cases(self, include_closed: bool = False) -> list[Case]:
        with self.transaction() as session:
            query = select(Case).options(selectinload(Case.messages))
            if not include_closed:
                query = query.where(Case.status != CLOSED)
            return list(session.scalars(query))

    def claim(self, case_id: str, username: str, actor: str | None = None) -> Case:
        """Gives the case to an operator (`actor`, a supervisor, may give it to someone else)."""
        with self.transaction() as session:
            case = self._changeable(session, case_id)
            if case.status == CLAIMED and case.claimed_by != username and actor is None:
                raise PermissionError(f"case already claimed by {case.claimed_by}")
            case.status, case.claimed_by, case.updated_at = CLAIMED, username, now()
            action = "claimed" if actor is None else "reassigned"
            self.audit(session, actor or username, action, case_id, "" if actor is None else f"to {username}")
            return case

    def release(self, case_id: str, username: str, supervisor: bool = False) -> Case:
        """Puts the case back in the queue: its claimer's call or a supervisor's, no one else's
        (an operator who could release a colleague's case and claim it would reassign it)."""
        with self.transaction() as session:
            case = self._changeable(session, case_id)
            if case.claimed_by != username and not supervisor:
                raise NotYours("only the operator who claimed it, or a supervisor, releases a case")
            detail = f"from {case.claimed_by}" if case.claimed_by not in (None, username) else ""
            case.status, case.claimed_by, case.updated_at = OPEN, None, now()
            self.audit(session, username, "released", case_id, detail)
            return case

    def close(self, case_id: str, username: str, outcome: str) -> Case:
        """Closes the case and, in the same transaction, records that Rasa must be told to take
        the conversation back: whatever fails after, the hand-back is not lost."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")
        with self.transaction() as session:
            case = self._changeable(session, case_id)
            case.status, case.outcome, case.closed_at = CLOSED, outcome, now()
            case.updated_at = case.closed_at
            session.add(Handback(case_id=case_id))
            self.audit(session, username, "closed", case_id, outcome)
            return case

    def handbacks(self, case_id: str | None = None) -> list[Handback]:
        """The hand-backs Rasa has not taken yet (all, or the case's), the longest due first."""
        which = () if case_id is None else (Handback.case_id == case_id,)
        with self.transaction() as session:
            return list(session.scalars(select(Handback).where(*which).order_by(Handback.next_at)))

    def take_handback(self, case_id: str, at: dt.datetime, lease: dt.timedelta) -> bool:
        """Reserves a due hand-back for one attempt of at most `lease`, so that no other round or
        console sends it meanwhile; False if it is not due or another one took it first."""
        with self.transaction() as session:
            due = (Handback.case_id == case_id, Handback.next_at <= at)
            return session.execute(update(Handback).where(*due).values(next_at=at + lease)).rowcount == 1

    def handback_failed(self, case_id: str, error: str, retry_at: dt.datetime) -> None:
        with self.transaction() as session:
            counted = Handback.attempts + 1
            failed = update(Handback).where(Handback.case_id == case_id)
            session.execute(failed.values(attempts=counted, error=error[:200], next_at=retry_at))

    def handback_done(self, case_id: str) -> None:
        with self.transaction() as session:
            session.execute(delete(Handback).where(Handback.case_id == case_id))

    @staticmethod
    def _changeable(session: Session, case_id: str) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            raise NoSuchCase("no such case")
        if case.status == CLOSED:
            raise CaseClosed("the case is closed")
        return case

    def audit_log(self, case_id: str | None = None) -> list[AuditEntry]:
        with self.transaction() as session:
            query = select(AuditEntry).order_by(AuditEntry.id)
            if case_id is not None:
                query = query.where(AuditEntry.case_id == case_id)
            return list(session.scalars(query))

    def request_erasure(self, conversation_id: str, requested_at: float) -> None:
        """Records that a person asked to be forgotten (idempotent, for the spool's replays)."""
        key = f"{conversation_id}:{requested_at:.6f}"
        with self.transaction() as session:
            if session.get(ErasureRequest, key) is None:
                request = ErasureRequest(key=key, conversation_id=conversation_id, requested_at=requested_at)
                session.add(request)

    def erasure_requests(self) -> list[ErasureRequest]:
        with self.transaction() as session:
            return list(session.scalars(select(ErasureRequest).order_by(ErasureRequest.created_at)))

    def case_ids(self, conversation_id: str) -> set[str]:
        """The ids of the conversation's cases, closed ones too."""
        with self.transaction() as session:
            return set(session.scalars(select(Case.id).where(Case.conversation_id == conversation_id)))

    def forget_conversation(self, conversation_id: str) -> int:
        """Erases the conversation's case texts; returns how many messages were erased.

        A closed case goes entirely. A case still open keeps its level and reasons and one note
        saying the person asked to be forgotten, so its operator knows why the transcript is gone.
        """
        with self.transaction() as session:
            cases = session.scalars(select(Case).where(Case.conversation_id == conversation_id)).all()
            erased = 0
            for case in cases:
                count = sum(1 for m in case.messages if m.text != ERASED_NOTE)
                erased += count
                if case.status == CLOSED:
                    session.delete(case)
                elif count:
                    case.messages = [CaseMessage(author="note", operator="system", text=ERASED_NOTE)]
                    case.contact, case.updated_at = "erased", now()
                    self.audit(session, "system", "erased", case.id, f"{count} messages")
            return erased

    def finish_erasure(self, key: str, summary: str) -> None:
        """Deletes the request (the last place its conversation id was kept) and audits the counts."""
        with self.transaction() as session:
            session.execute(delete(ErasureRequest).where(ErasureRequest.key == key))
            self.audit(session, "system", "erasure done", detail=summary)

    def purge_closed_cases(self, closed_before: dt.datetime, batch: int) -> int:
        """Deletes cases closed before the date, `batch` at a time; returns how many."""
        purged = 0
        while True:
            with self.transaction() as session:
                query = select(Case.id).where(Case.status == CLOSED, Case.closed_at < closed_before)
                ids = list(session.scalars(query.limit(batch)))
                if not ids:
                    return purged
                for case in session.scalars(select(Case).where(Case.id.in_(ids))):
                    session.delete(case)
                purged += len(ids)

    def conversations_with_open_cases(self) -> set[str]:
        with self.transaction() as session:
            return set(session.scalars(select(Case.conversation_id).where(Case.status != CLOSED)))
