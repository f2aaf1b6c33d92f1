"""The console's web layer: login, roles, CSRF, escaping, headers, and replies through Rasa."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from starlette.routing import Mount

from common.channel_state import ChannelState
from knowledge.articles import ARTICLES, load_article
from operators.auth import MAX_FAILED_LOGINS, Accounts
from operators.console import SESSION_COOKIE, Console, create_app
from operators.rasa_client import DeliveryError
from operators.store import CaseStore, NewCase, now

PASSWORD = "a long enough password"


class FakeRasa:
    """Records what the console would send to Rasa; while `fail` is set, every call fails."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.ended: list[str] = []
        self.refused: list[str] = []
        self.fail = False

    def send(self, conversation_id: str, channel: str, text: str) -> None:
        if self.fail:
            raise DeliveryError("the assistant could not be reached (ConnectError)")
        self.sent.append((conversation_id, channel, text))

    def end_handoff(self, conversation_id: str, channel: str) -> None:
        if self.fail:
            self.refused.append(conversation_id)
            raise DeliveryError("the assistant could not be reached (ConnectError)")
        self.ended.append(conversation_id)


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    Accounts(store).add("sup", PASSWORD, "supervisor")
    Accounts(store).add("op", PASSWORD, "operator")
    return store


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


def client(
    store: CaseStore, rasa: FakeRasa, user: str | None = None, secure: bool = False,
    address: str = "testclient",
) -> TestClient:
    app = create_app(Console(store, rasa, secure_cookies=secure))  # type: ignore[arg-type]
    http = TestClient(app, follow_redirects=False, client=(address, 50000))
    if user:
        assert http.post("/login", data={"username": user, "password": PASSWORD}).status_code == 303
    return http


def open_case(store: CaseStore, text: str = "they took my passport", level: str = "high") -> str:
    return store.open_case(
        NewCase(
            key=f"c-{level}-{text}", conversation_id=f"conv-{level}", channel="telegram", contact="123****89",
            language="fr", country="RS", level=level, reasons=["documents_confiscated"],
            transcript=[("user", text)],
        )
    )


def csrf(http: TestClient, case_id: str) -> str:
    return http.get(f"/cases/{case_id}").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_pages_need_a_login_and_carry_security_headers(store: CaseStore, rasa: FakeRasa) -> None:
    http = client(store, rasa)
    reply = http.get("/queue")
    assert reply.status_code == 303 and reply.headers["location"] == "/login"
    page = http.get("/login")
    assert page.status_code == 200 and "Log in" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert http.get("/health").json() == {"status": "ok"}


def test_the_session_cookie_is_httponly_strict_and_secure(store: CaseStore, rasa: FakeRasa) -> None:
    http = client(store, rasa, secure=True)
    reply = http.post("/login", data={"username": "sup", "password": PASSWORD})
    cookie = reply.headers["set-cookie"].lower()
    assert SESSION_COOKIE in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" in cookie


def test_a_wrong_password_gets_the_same_polite_refusal(store: CaseStore, rasa: FakeRasa) -> None:
    http = client(store, rasa)
    for username in ("sup", "nobody"):
        page = http.post("/login", data={"username": username, "password": "not the password"})
        assert page.status_code == 200 and "wrong username or password" in page.text


def test_logins_are_throttled_per_client_address(store: CaseStore, rasa: FakeRasa) -> None:
    guesser = client(store, rasa, address="203.0.113.5")
    for _ in range(MAX_FAILED_LOGINS):
        guesser.post("/login", data={"username": "op", "password": "not the password"})
    refused = guesser.post("/login", data={"username": "op", "password": PASSWORD})
    assert refused.status_code == 200 and "too many failed logins" in refused.text
    elsewhere = client(store, rasa, address="198.51.100.7")
    assert elsewhere.post("/login", data={"username": "op", "password": PASSWORD}).status_code == 303


def test_a_form_without_its_csrf_token_is_refused(store: CaseStore, rasa: FakeRasa) -> None:
    case_id = open_case(store)
    http = client(store, rasa, "op")
    assert http.post(f"/cases/{case_id}/claim", data={"csrf": "forged"}).status_code == 403
    assert store.case(case_id).status == "open"
    assert http.post(f"/cases/{case_id}/claim", data={"csrf": csrf(http, case_id)}).status_code == 303
    assert store.case(case_id).claimed_by == "op"


def test_user_text_is_shown_as_text_never_as_html(store: CaseStore, rasa: FakeRasa) -> None:
    case_id = open_case(store, text='<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = client(store, rasa, "op").get(f"/cases/{case_id}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_reply_goes_to_the_conversation_on_its_channel_and_failures_show(
    store: CaseStore, rasa: FakeRasa
) -> None:
    case_id = open_case(store)
    http = client(store, rasa, "op")
    reply = http.post(f"/cases/{case_id}/reply", data={"csrf": csrf(http, case_id), "text": "Bonjour"})
    assert "claim+the+case" in reply.headers["location"] and rasa.sent == []
    http.post(f"/cases/{case_id}/claim", data={"csrf": csrf(http, case_id)})
    question = "Bonjour, êtes-vous en sécurité ?"
    http.post(f"/cases/{case_id}/reply", data={"csrf": csrf(http, case_id), "text": question})
    assert rasa.sent == [("conv-high", "telegram", "Bonjour, êtes-vous en sécurité ?")]
    rasa.fail = True
    http.post(f"/cases/{case_id}/reply", data={"csrf": csrf(http, case_id), "text": "Allô ?"})
    last = store.case(case_id).messages[-1]
    assert last.text == "Allô ?" and last.delivery.startswith("not sent")
    assert "not sent" in http.get(f"/cases/{case_id}").text


def test_the_case_view_offers_knowledge_base_replies_in_the_persons_language(
    store: CaseStore, rasa: FakeRasa
) -> None:
    case_id = open_case(store)  # in Serbia, in French
    page = client(store, rasa, "op").get(f"/cases/{case_id}").text
    serbia = load_article(ARTICLES / "rs-emergency-contacts.yml").translations["fr"]
    assert str(escape(serbia.title)) in page and str(escape(serbia.summary)) in page
    general = load_article(ARTICLES / "all-emergency-contacts.yml").translations["fr"]
    assert str(escape(general.title)) not in page  # Serbia's own article comes instead


def test_closing_hands_back_to_the_bot_and_everything_is_audited(store: CaseStore, rasa: FakeRasa) -> None:
    case_id = open_case(store)
    http = client(store, rasa, "op")
    http.post(f"/cases/{case_id}/claim", data={"csrf": csrf(http, case_id)})
    http.post(f"/cases/{case_id}/note", data={"csrf": csrf(http, case_id), "text": "called the shelter"})
    http.post(f"/cases/{case_id}/close", data={"csrf": csrf(http, case_id), "outcome": "referred"})
    assert rasa.ended == ["conv-high"] and store.case(case_id).outcome == "referred"
    actions = [e.action for e in store.audit_log(case_id)]
    assert actions == ["opened", "viewed", "claimed", "viewed", "noted", "viewed", "closed"]


def test_a_hand_back_rasa_refused_is_retried_until_rasa_takes_it_even_after_a_restart(
    store: CaseStore, rasa: FakeRasa
) -> None:
    case_id = open_case(store)
    http = client(store, rasa, "op")
    http.post(f"/cases/{case_id}/claim", data={"csrf": csrf(http, case_id)})
    rasa.fail = True
    closing = http.post(f"/cases/{case_id}/close", data={"csrf": csrf(http, case_id), "outcome": "referred"})
    assert closing.status_code == 303 and store.case(case_id).status == "closed"
    assert rasa.refused == ["conv-high"] and rasa.ended == []
    assert 'id="handback"' in http.get(f"/cases/{case_id}").text  # the case says the bot has not taken over
    assert case_id in http.get("/queue").text  # and so does the queue, which lists no closed case else
    Console(store, rasa).handbacks.run()  # type: ignore[arg-type]
    assert rasa.refused == ["conv-high"]  # the next try waits for its backoff
    later = now() + dt.timedelta(hours=1)
    Console(store, rasa).handbacks.run(at=later)  # type: ignore[arg-type]
    assert rasa.refused == ["conv-high", "conv-high"] and rasa.ended == []
    rasa.fail = False
    restarted = Console(CaseStore(store.url), rasa)  # type: ignore[arg-type]  # a new process, the same database
    restarted.handbacks.run(at=later + dt.timedelta(hours=1))
    restarted.handbacks.run(at=later + dt.timedelta(hours=2))
    assert rasa.ended == ["conv-high"]  # taken over once, then never sent again
    assert 'id="handback"' not in http.get(f"/cases/{case_id}").text
    assert case_id not in http.get("/queue").text


def test_only_the_claimer_or_a_supervisor_releases_a_case(store: CaseStore, rasa: FakeRasa) -> None:
    Accounts(store).add("ana", PASSWORD, "operator")
    case_id = open_case(store)
    store.claim(case_id, "ana")
    other = client(store, rasa, "op")
    assert other.post(f"/cases/{case_id}/release", data={"csrf": csrf(other, case_id)}).status_code == 403
    assert store.case(case_id).claimed_by == "ana"
    supervisor = client(store, rasa, "sup")
    page = supervisor.get(f"/cases/{case_id}").text
    assert f'action="/cases/{case_id}/release"' in page
    released = supervisor.post(f"/cases/{case_id}/release", data={"csrf": csrf(supervisor, case_id)})
    assert released.status_code == 303
    assert store.case(case_id).status == "open" and store.case(case_id).claimed_by is None


def test_bad_tokens_unknown_cases_and_closed_cases_get_a_4xx(store: CaseStore, rasa: FakeRasa) -> None:
    case_id = open_case(store)
    http = client(store, rasa, "sup")
    token = csrf(http, case_id)
    assert http.post(f"/cases/{case_id}/claim", data={"csrf": "jeton-périmé"}).status_code == 403
    data = {"csrf": token, "text": "called the shelter", "username": "op", "outcome": "referred"}
    for action in ("claim", "release", "reassign", "reply", "note", "close"):
        assert http.post(f"/cases/{'0' * 32}/{action}", data=data).status_code == 404, action
        assert http.post(f"/cases/no%00such%20case/{action}", data=data).status_code == 422, action
    http.post(f"/cases/{case_id}/claim", data=data)
    http.post(f"/cases/{case_id}/close", data=data)
    notes = len(store.case(case_id).messages)
    note = http.post(f"/cases/{case_id}/note", data=data)
    assert note.status_code == 409 and "closed" in note.text and len(store.case(case_id).messages) == notes
    for action in ("release", "reassign", "close"):
        assert http.post(f"/cases/{case_id}/{action}", data=data).status_code == 409, action


def test_only_supervisors_reassign_and_read_the_audit_log(store: CaseStore, rasa: FakeRasa) -> None:
    case_id = open_case(store)
    operator = client(store, rasa, "op")
    assert operator.get("/audit").status_code == 403
    data = {"csrf": csrf(operator, case_id), "username": "op"}
    assert operator.post(f"/cases/{case_id}/reassign", data=data).status_code == 403
    supervisor = client(store, rasa, "sup")
    supervisor.post(f"/cases/{case_id}/reassign", data={"csrf": csrf(supervisor, case_id), "username": "op"})
    assert store.case(case_id).claimed_by == "op"
    assert "reassigned" in supervisor.get("/audit").text


def test_the_queue_json_is_ordered_by_risk(store: CaseStore, rasa: FakeRasa) -> None:
    open_case(store, "I want to ask someone about my papers", "none")
    open_case(store, "they locked us in", "critical")
    levels = [entry["level"] for entry in client(store, rasa, "op").get("/api/queue").json()]
    assert levels == ["critical", "none"]


def test_a_message_the_channel_could_not_deliver_shows_in_the_case(
    store: CaseStore, rasa: FakeRasa, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_VAR_DIR", str(tmp_path))
    case_id = open_case(store)
    ChannelState().record_failure("telegram", "conv-high", "Forbidden: bot was blocked by the user")
    page = client(store, rasa, "op").get(f"/cases/{case_id}").text
    assert "Not delivered" in page and "bot was blocked by the user" in page


def test_a_login_never_keeps_a_session_the_browser_had_before(store: CaseStore, rasa: FakeRasa) -> None:
    first = client(store, rasa, "op")
    planted = first.cookies[SESSION_COOKIE]  # a session an attacker got the victim's browser to hold
    victim = client(store, rasa)
    login = {"username": "sup", "password": PASSWORD}
    reply = victim.post("/login", data=login, headers={"cookie": f"{SESSION_COOKIE}={planted}"})
    assert reply.status_code == 303
    assert victim.cookies[SESSION_COOKIE] != planted
    assert first.get("/queue").status_code == 303  # the planted session is over
    assert victim.get("/audit").status_code == 200


HOSTILE = st.text(min_size=1, max_size=300) | st.sampled_from(
    [
        '<script>alert(1)</script>', '"><svg onload=alert(1)>', "javascript:alert(1)", "{{ 7*7 }}",
        "'; DROP TABLE cases; --", "\u202e<b>bold</b>\u202c", "a\u200bb<i\u200d>",
        "<img src=x onerror=alert(1)>",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=HOSTILE)
def test_whatever_a_person_writes_the_case_page_shows_it_as_escaped_text(
    store: CaseStore, rasa: FakeRasa, words: str
) -> None:
    case_id = open_case(store, text=words, level="critical")
    page = client(store, rasa, "op").get(f"/cases/{case_id}")
    assert page.status_code == 200
    shown = page.text.split('<ol class="transcript"', 1)[-1]
    assert str(escape(words)) in shown
    if "<" in words:
        assert words not in shown


def console_routes() -> list[tuple[str, str]]:
    """Every method and path the console answers, read from the app: a new route is fuzzed too."""
    app = create_app(Console(CaseStore("sqlite:///:memory:"), FakeRasa()))  # type: ignore[arg-type]
    routes = []
    for route in app.routes:
        if isinstance(route, Mount):
            routes.append(("GET", f"{route.path}/{{path}}"))
        else:
            assert isinstance(route, APIRoute), route
            routes.extend((method, route.path) for method in sorted(route.methods - {"HEAD"}))
    return routes


FIELDS = ("csrf", "username", "password", "text", "outcome")
VALUES = HOSTILE | st.sampled_from(["", "\x00", "é", "referred", "op", "sup", PASSWORD, "x" * 5000])
FORMS = st.dictionaries(st.sampled_from(FIELDS) | st.text(min_size=1, max_size=8), VALUES, max_size=6)
RAW_BODIES = st.tuples(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
            "application/json", "text/plain", "application/x-www-form-urlencoded; charset=utf-16", "",
        ]
    ),
    st.binary(max_size=400),
)
HEADER_NAMES = st.sampled_from(
    ["accept", "accept-language", "content-type", "cookie", "origin", "referer", "x-forwarded-for"]
)
HEADER_VALUES = st.binary(max_size=80).map(lambda raw: bytes(b for b in raw if b >= 0x20 and b != 0x7F))
PATH_PARTS = st.text(max_size=40) | st.sampled_from(["0" * 32, "..", "../../etc/passwd", "console.css", "\0"])


class Visitor:
    """Logged-in sessions for the fuzz, logged in again when a request logged one out."""

    def __init__(self, store: CaseStore, rasa: FakeRasa) -> None:
        self.accounts = Accounts(store)
        self.http = client(store, rasa)
        self.sessions: dict[str, tuple[str, str]] = {}
        self.case_ids = [open_case(store, "a", level) for level in ("none", "high", "critical")]
        store.claim(self.case_ids[1], "op")
        store.close(self.case_ids[2], "sup", "resolved")

    def session(self, username: str) -> tuple[str, str]:
        """The operator's session token and CSRF token."""
        token, _ = self.sessions.get(username, ("", ""))
        if self.accounts.session(token) is None:
            token, me = self.accounts.login(username, PASSWORD)
            self.sessions[username] = (token, me.csrf_token)
        return self.sessions[username]


@pytest.fixture
def visitor(store: CaseStore, rasa: FakeRasa, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Visitor:
    monkeypatch.setenv("APP_VAR_DIR", str(tmp_path))
    return Visitor(store, rasa)


@pytest.mark.parametrize(("method", "path"), console_routes())
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_console_endpoint_answers_hostile_input_with_a_5xx(
    visitor: Visitor, method: str, path: str, data: st.DataObject
) -> None:
    ids = st.sampled_from(visitor.case_ids) | PATH_PARTS
    url = re.sub(r"\{\w+(:\w+)?\}", lambda _: quote(data.draw(ids), safe=""), path)
    headers = data.draw(st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=3))
    username = data.draw(st.sampled_from(["op", "sup", None]))
    form = data.draw(FORMS)
    if username:
        token, csrf_token = visitor.session(username)
        headers.setdefault("cookie", f"{SESSION_COOKIE}={token}".encode())
        if data.draw(st.booleans()):
            form["csrf"] = csrf_token
    query = data.draw(st.dictionaries(st.sampled_from(["error"]) | st.text(max_size=5), VALUES, max_size=2))
    if data.draw(st.booleans()):
        content_type, body = data.draw(RAW_BODIES)
        headers["content-type"] = content_type.encode()
        reply = visitor.http.request(method, url, params=query, headers=headers, content=body)
    else:
        reply = visitor.http.request(method, url, params=query, headers=headers, data=form)
    assert reply.status_code < 500, (method, url, reply.status_code)
