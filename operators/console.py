"""The operator console (FastAPI): the risk-ordered queue, the case view, replies, closing.

Thin over `operators.store` (cases, audit), `operators.auth` (accounts, sessions, CSRF),
`operators.queue` (order, SLA) and `operators.rasa_client` (the way back to the person). In
the background it keeps cases safe, forgets who asked for it, purges what is too old and
hands closed cases back to the bot until Rasa takes them (`operators.housekeeping`).

    python -m operators.console [--host H] [--port P]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi import Path as UrlPath
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from common.channel_state import ChannelState
from knowledge.answers import shown_language
from knowledge.articles import Article, load_articles
from operators.auth import Accounts, LoggedIn, LoginError
from operators.conversations import Conversations, tracker_store_url
from operators.erasure import Eraser
from operators.handback import Handbacks
from operators.housekeeping import Housekeeping
from operators.queue import ordered, sla_minutes
from operators.rasa_client import DeliveryError, RasaClient
from operators.reconcile import Reconciler
from operators.retention import Retention, purge
from operators.spool import Spool
from operators.store import CLAIMED, CLOSED, OUTCOMES, Case, CaseClosed, CaseStore, NoSuchCase, NotYours

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "console_session"
CANNED_TOPICS = (
    "emergency_contacts", "trafficking_exploitation", "violence_pushbacks", "gender_based_violence",
    "children_unaccompanied", "legal_aid", "asylum_application", "health_care",
)
"""The knowledge base's topics an operator most often needs to send, as canned replies."""

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

REFUSALS: dict[type[Exception], int] = {NoSuchCase: 404, CaseClosed: 409, NotYours: 403}
"""The store's refusals, answered with their message and status (never a 500)."""


@dataclass
class Console:
    """What the console's requests share: the store, the way to Rasa, the settings."""

    store: CaseStore
    rasa: RasaClient
    secure_cookies: bool = True
    sla: dict[str, int] = field(default_factory=sla_minutes)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.store)

    @property
    def handbacks(self) -> Handbacks:
        return Handbacks(self.store, self.rasa)


@lru_cache(maxsize=1)
def _articles() -> list[Article]:
    return load_articles()


def canned_replies(case: Case) -> list[dict[str, str]]:
    """Per topic, the article for the case's country (its own before the general one) in the
    case's language: its first paragraph and its source, ready to send."""
    replies = []
    for topic in CANNED_TOPICS:
        candidates = [a for a in _articles() if a.topic == topic and a.applies_to(case.country)]
        for article in sorted(candidates, key=lambda a: a.is_general)[:1]:
            translation = article.translations[shown_language(article, case.language or "en")]
            text = f"{translation.summary}\n{article.sources[0].url}"
            replies.append({"label": translation.title, "text": text})
    return replies


def current(request: Request) -> LoggedIn | None:
    console: Console = request.app.state.console
    return console.accounts.session(request.cookies.get(SESSION_COOKIE))


def operator(request: Request) -> LoggedIn:
    """The logged-in operator; anyone else is sent to the login page."""
    found = current(request)
    if found is None:
        raise HTTPException(status_code=303, headers={"Location": "/login"})
    return found


def checked(request: Request, csrf: Annotated[str, Form()]) -> LoggedIn:
    """The operator of a form post, whose CSRF token must match the session's."""
    found = operator(request)
    # As bytes: compare_digest refuses a str with non-ASCII characters (a 500, not a 403).
    if not secrets.compare_digest(csrf.encode(), found.csrf_token.encode()):
        raise HTTPException(status_code=403, detail="the form expired: reload the page")
    return found


Operator = Annotated[LoggedIn, Depends(operator)]
Poster = Annotated[LoggedIn, Depends(checked)]
CaseId = Annotated[str, UrlPath(pattern="^[0-9a-f]{32}$")]
"""A case id as the store makes them; anything else (a NUL byte fails on PostgreSQL) is a 422."""


def create_app(console: Console) -> FastAPI:
    templates = Jinja2Templates(directory=HERE / "templates")
    app = FastAPI(title="Operator console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = console
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def refusal(_: Request, error: Exception) -> JSONResponse:
        status = next(status for kind, status in REFUSALS.items() if isinstance(error, kind))
        return JSONResponse({"detail": str(error)}, status_code=status)

    for kind in REFUSALS:
        app.add_exception_handler(kind, refusal)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return page(request, "login.html", error=None)

    @app.post("/login")
    def login(
        request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()]
    ) -> Response:
        address = request.client.host if request.client else None  # see SECURITY.md behind a proxy
        try:
            token, _ = console.accounts.login(username, password, address)
        except LoginError as error:
            return page(request, "login.html", error=str(error))
        # A new session on every login; whatever session the browser held before ends (fixation).
        console.accounts.logout(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/queue", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token, httponly=True, secure=console.secure_cookies, samesite="strict",
            max_age=12 * 3600,
        )
        return response

    @app.post("/logout")
    def logout(request: Request, _: Poster) -> Response:
        console.accounts.logout(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/")
    def index() -> Response:
        return RedirectResponse("/queue", status_code=303)

    @app.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, me: Operator) -> HTMLResponse:
        entries = ordered(console.store.cases(), console.sla)
        handbacks = console.store.handbacks()
        return page(request, "queue.html", me=me, entries=entries, sla=console.sla, handbacks=handbacks)

    @app.get("/api/queue")
    def queue_json(me: Operator) -> JSONResponse:
        entries = ordered(console.store.cases(), console.sla)
        return JSONResponse([e.as_dict() for e in entries])

    def load(case_id: str) -> Case:
        case = console.store.case(case_id)
        if case is None:
            raise HTTPException(status_code=404, detail="no such case")
        return case

    @app.get("/cases/{case_id}", response_class=HTMLResponse)
    def case_view(request: Request, case_id: CaseId, me: Operator, error: str | None = None) -> HTMLResponse:
        case = load(case_id)
        with console.store.transaction() as session:
            console.store.audit(session, me.username, "viewed", case_id)
        failures = [
            {"at": dt.datetime.fromtimestamp(at, dt.UTC), "channel": channel, "reason": reason}
            for at, channel, _, reason in ChannelState().failures(case.conversation_id)
        ]
        return page(
            request, "case.html", me=me, case=case, outcomes=OUTCOMES, canned=canned_replies(case),
            operators=console.accounts.usernames() if me.is_supervisor else [], error=error,
            failures=failures, handback=next(iter(console.store.handbacks(case_id)), None),
        )

    def back(case_id: str, error: str | None = None) -> RedirectResponse:
        suffix = "?" + urlencode({"error": error}) if error else ""
        return RedirectResponse(f"/cases/{case_id}{suffix}", status_code=303)

    @app.post("/cases/{case_id}/claim")
    def claim(case_id: CaseId, me: Poster) -> Response:
        try:
            console.store.claim(case_id, me.username)
        except PermissionError as refused:
            return back(case_id, str(refused))
        return back(case_id)

    @app.post("/cases/{case_id}/release")
    def release(case_id: CaseId, me: Poster) -> Response:
        console.store.release(case_id, me.username, supervisor=me.is_supervisor)
        return RedirectResponse("/queue", status_code=303)

    @app.post("/cases/{case_id}/reassign")
    def reassign(case_id: CaseId, me: Poster, username: Annotated[str, Form()]) -> Response:
        if not me.is_supervisor:
            raise HTTPException(status_code=403, detail="only a supervisor reassigns cases")
        if username not in console.accounts.usernames():
            return back(case_id, "no such operator")
        console.store.claim(case_id, username, actor=me.username)
        return back(case_id)

    @app.post("/cases/{case_id}/reply")
    def reply(case_id: CaseId, me: Poster, text: Annotated[str, Form()]) -> Response:
        case = load(case_id)
        if case.status != CLAIMED or case.claimed_by != me.username:
            return back(case_id, "claim the case before replying")
        text = text.strip()
        if not text:
            return back(case_id, "the reply is empty")
        try:
            console.rasa.send(case.conversation_id, case.channel, text)
            delivery = "sent"
        except DeliveryError as failed:
            delivery = f"not sent: {failed}"
        console.store.add_message(case_id, "operator", text, operator=me.username, delivery=delivery)
        return back(case_id, None if delivery == "sent" else delivery)

    @app.post("/cases/{case_id}/note")
    def note(case_id: CaseId, me: Poster, text: Annotated[str, Form()]) -> Response:
        if load(case_id).status == CLOSED:
            raise CaseClosed("the case is closed: the note was not saved")
        if text.strip():
            console.store.add_message(case_id, "note", text.strip(), operator=me.username)
        return back(case_id)

    @app.post("/cases/{case_id}/close")
    def close(case_id: CaseId, me: Poster, outcome: Annotated[str, Form()]) -> Response:
        case = load(case_id)
        if outcome not in OUTCOMES:
            return back(case_id, "choose an outcome")
        if case.claimed_by != me.username and not me.is_supervisor:
            return back(case_id, "only the operator who claimed it, or a supervisor, closes a case")
        console.store.close(case_id, me.username, outcome)  # with its hand-back, retried until Rasa takes it
        console.handbacks.run(case_id=case_id)
        return RedirectResponse("/queue", status_code=303)

    @app.get("/audit", response_class=HTMLResponse)
    def audit(request: Request, me: Operator) -> HTMLResponse:
        if not me.is_supervisor:
            raise HTTPException(status_code=403, detail="only supervisors read the audit log")
        return page(request, "audit.html", me=me, entries=console.store.audit_log()[-500:])

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Run the operator console.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the Rasa API token
    store = CaseStore()
    secure = os.environ.get("CONSOLE_INSECURE_COOKIES") != "1"
    console = Console(store, RasaClient.from_env(), secure_cookies=secure)
    app = create_app(console)
    url = tracker_store_url()
    spool = Spool()
    conversations = Conversations(url) if url else None
    channels = ChannelState()
    housekeeping = Housekeeping(
        store,
        spool,
        Reconciler(url, store, spool) if url else None,
        Eraser(store, conversations, channels, spool),
        purge=lambda: purge(store, conversations, channels, Retention.from_env()),
        handbacks=console.handbacks,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(housekeeping.run_forever(every=2.0))
        yield
        task.cancel()

    app.router.lifespan_context = lifespan
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
