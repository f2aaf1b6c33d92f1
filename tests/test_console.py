"""The console's web layer: login, roles, CSRF, escaping, headers, and replies through Rasa."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from channels.state import ChannelState
from knowledge.articles import ARTICLES, load_article
from operators.auth import Accounts
from operators.console import SESSION_COOKIE, Console, create_app
from operators.rasa_client import DeliveryError
from operators.store import CaseStore, NewCase

PASSWORD = "a long enough password"


class FakeRasa:
    """Records what the console would send to Rasa; `fail` makes the next call fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.ended: list[str] = []
        self.fail = False

    def send(self, conversation_id: str, channel: str, text: str) -> None:
        if self.fail:
            raise DeliveryError("the assistant could not be reached (ConnectError)")
        self.sent.append((conversation_id, channel, text))

    def end_handoff(self, conversation_id: str, channel: str) -> None:
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


def client(store: CaseStore, rasa: FakeRasa, user: str | None = None, secure: bool = False) -> TestClient:
    app = create_app(Console(store, rasa, secure_cookies=secure))  # type: ignore[arg-type]
    http = TestClient(app, follow_redirects=False)
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
