"""Danger over the real stack: a case before anything is said, the operator's reply, the handback,
and no case lost when the action server dies or the case store is locked."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from bot.launcher import Settings, Stack, ensure_model
from operators.auth import Accounts
from operators.store import CaseStore
from tests.stack_common import RESPONSES, free_port

FARSI_DANGER = "اون مرد پاسپورتامونو گرفته و میگه ۴۰۰۰ یورو بهش بدهکاریم"
CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by `make browser`; nothing is downloaded
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "a long supervisor password"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("var")
    settings = Settings(
        var=var, rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db", extra_env={"CONSOLE_INSECURE_COOKIES": "1"},
    )
    Accounts(CaseStore(f"sqlite:///{var / 'cases.db'}")).add("sup", PASSWORD, "supervisor")
    with Stack(settings, ensure_model(settings)) as running:
        yield running


@pytest.fixture
def cases(stack: Stack) -> CaseStore:
    return CaseStore(f"sqlite:///{stack.settings.var / 'cases.db'}")


@pytest.fixture
def rasa(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=60) as client:
        yield client


@pytest.fixture
def console(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.console_url, timeout=30) as client:
        reply = client.post("/login", data={"username": "sup", "password": PASSWORD})
        assert reply.status_code == 303, reply.text
        yield client


def say(rasa: httpx.Client, sender: str, text: str) -> list[str]:
    reply = rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
    assert reply.status_code == 200, reply.text
    return [m["text"] for m in reply.json() if "text" in m]


def tracker(rasa: httpx.Client, stack: Stack, sender: str) -> dict:
    return rasa.get(f"/conversations/{sender}/tracker", params={"token": stack.token}).json()


def csrf(console: httpx.Client, case_id: str) -> str:
    page = console.get(f"/cases/{case_id}").text
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def case_of(cases: CaseStore, sender: str):  # noqa: ANN201 - a Case or None
    return next((c for c in cases.cases(include_closed=True) if c.conversation_id == sender), None)


def wait_for_case(cases: CaseStore, sender: str, seconds: float = 30.0):  # noqa: ANN201
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = case_of(cases, sender)
        if found:
            return found
        time.sleep(0.5)
    return None


def test_farsi_danger_opens_a_critical_case_then_an_operator_answers_and_hands_back(
    stack: Stack, rasa: httpx.Client, console: httpx.Client, cases: CaseStore
) -> None:
    sender = f"e2e-fa-{uuid.uuid4().hex[:8]}"
    say(rasa, sender, "سلام، خوبی؟")
    replies = say(rasa, sender, FARSI_DANGER)
    case = case_of(cases, sender)  # written before the reply came back
    assert case is not None
    assert case.level == "critical" and {"documents_confiscated", "debt_bondage"} <= set(case.reasons)
    assert case.language == "fa" and case.channel == "rest" and sender not in case.contact
    assert [m.text for m in case.messages][-1] == FARSI_DANGER
    assert replies[0] == RESPONSES["utter_escalated"]["fa"]
    assert "192" in replies[1] and "پلیس" in replies[1]  # the emergency numbers, in Farsi

    queue = console.get("/api/queue").json()
    assert queue[0]["id"] == case.id and queue[0]["level"] == "critical"
    assert console.post(f"/cases/{case.id}/claim", data={"csrf": csrf(console, case.id)}).status_code == 303
    answer = "سلام، من از تیم هستم. الان کجا هستید؟"
    console.post(f"/cases/{case.id}/reply", data={"csrf": csrf(console, case.id), "text": answer})
    bot_texts = [e.get("text") for e in tracker(rasa, stack, sender)["events"] if e["event"] == "bot"]
    assert answer in bot_texts
    assert cases.case(case.id).messages[-1].delivery == "sent"

    where = "ما در یک خانه در سوبوتیتسا هستیم"
    assert say(rasa, sender, where) == [RESPONSES["utter_handoff_waiting"]["fa"]]  # acknowledged once
    assert say(rasa, sender, "لطفا زود") == []  # then the bot stays quiet for the operator
    assert [m.text for m in cases.case(case.id).messages][-2:] == [where, "لطفا زود"]

    console.post(f"/cases/{case.id}/close", data={"csrf": csrf(console, case.id), "outcome": "referred"})
    state = tracker(rasa, stack, sender)
    assert state["slots"]["handoff_active"] is False
    last_bot = [e.get("text") for e in state["events"] if e["event"] == "bot"][-1]
    assert last_bot == RESPONSES["utter_handoff_ended"]["fa"]
    assert say(rasa, sender, "سلام") == [RESPONSES["utter_greet"]["fa"]]


def test_the_handoff_survives_a_restart(stack: Stack, rasa: httpx.Client, cases: CaseStore) -> None:
    sender = f"e2e-restart-{uuid.uuid4().hex[:8]}"
    say(rasa, sender, "hello there")
    say(rasa, sender, "I am not safe here, I need to talk to a real person now")
    assert tracker(rasa, stack, sender)["slots"]["handoff_active"] is True
    stack.stop()
    stack.start()
    assert say(rasa, sender, "are you there?") == [RESPONSES["utter_handoff_waiting"]["en"]]
    case = case_of(cases, sender)
    assert [m.text for m in cases.case(case.id).messages][-1] == "are you there?"


def test_a_killed_action_server_loses_no_case(stack: Stack, rasa: httpx.Client, cases: CaseStore) -> None:
    sender = f"e2e-killed-{uuid.uuid4().hex[:8]}"
    say(rasa, sender, "hello there")
    os.killpg(stack.processes["actions"].pid, signal.SIGKILL)
    stack.processes["actions"].wait()
    message = {"sender": sender, "message": "they locked us in a house and took our phones"}
    rasa.post("/webhooks/rest/webhook", json=message)
    assert case_of(cases, sender) is None
    stack.stop()
    stack.start()
    case = wait_for_case(cases, sender)
    assert case is not None and case.recovered and case.level == "critical"


def test_a_locked_case_store_loses_no_case(stack: Stack, rasa: httpx.Client, cases: CaseStore) -> None:
    sender = f"e2e-locked-{uuid.uuid4().hex[:8]}"
    say(rasa, sender, "hello there")
    locker = sqlite3.connect(stack.settings.var / "cases.db", timeout=0)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        replies = say(rasa, sender, "my friend is in the truck with no air, he cannot breathe")
    finally:
        locker.rollback()
        locker.close()
    assert replies[0] == RESPONSES["utter_escalated"]["en"]  # the safety message went out anyway
    case = wait_for_case(cases, sender)
    assert case is not None and case.level == "critical" and not case.recovered


def test_a_supervisor_works_the_queue_in_a_real_browser(
    stack: Stack, rasa: httpx.Client, cases: CaseStore
) -> None:
    from playwright.sync_api import expect, sync_playwright

    normal = f"e2e-normal-{uuid.uuid4().hex[:8]}"
    say(rasa, normal, "hello there")
    say(rasa, normal, "HUMAN")
    critical = f"e2e-critical-{uuid.uuid4().hex[:8]}"
    say(rasa, critical, "سلام، خوبی؟")
    say(rasa, critical, FARSI_DANGER)
    critical_id, normal_id = case_of(cases, critical).id, case_of(cases, normal).id
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"{stack.settings.console_url}/login")
        page.fill("input[name=username]", "sup")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator(f'#queue tr[data-case="{critical_id}"]')).to_have_class("level-critical")
        rows = page.locator("#queue tbody tr")
        order = [rows.nth(i).get_attribute("data-case") for i in range(rows.count())]
        assert order.index(critical_id) < order.index(normal_id)  # earlier tests' cases may be above

        newer = f"e2e-newer-{uuid.uuid4().hex[:8]}"
        say(rasa, newer, "hello there")
        say(rasa, newer, "my friend is in the truck with no air, he cannot breathe")
        arrived = page.locator(f'#queue tr[data-case="{case_of(cases, newer).id}"]')
        expect(arrived).to_be_visible(timeout=10_000)  # without reloading the page

        page.click(f'#queue tr[data-case="{critical_id}"] a')
        page.click("#claim")
        answer = "Hello, I am from the team. Are you safe now?"
        page.fill("#reply-text", answer)
        page.click("#send")
        expect(page.locator("#transcript li").last).to_contain_text(answer)
        browser.close()
    bot_texts = [e.get("text") for e in tracker(rasa, stack, critical)["events"] if e["event"] == "bot"]
    assert answer in bot_texts
