"""Escalation and handoff actions with a recording case writer in place of `CaseWriter`: a case
is written before anyone is told help is coming, opened once, and followed by a person."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import handoff
from actions.handoff import (
    HUMAN_REQUEST,
    ActionEscalate,
    ActionHandoffEnd,
    ActionHandoffRelay,
    ActionRequestHuman,
    ActionSafetyFollowup,
)
from operators.escalation import CaseWriter, apply_spooled
from operators.reconcile import case_key
from operators.spool import Spool
from operators.store import CaseStore, NewCase
from tests.actions.actions.fakes import (
    ARTICLES,
    NOW,
    SENDER,
    FakeRetriever,
    hit,
    run,
    slots,
    tracker,
    use_retriever,
)

Journal = list[tuple[Any, ...]]
DANGER = "they took our passports and say we must work to pay"
EMERGENCY_AR = "all-emergency-contacts first part [ar]"
EMERGENCY_EN = "all-emergency-contacts first part [en]"


class FakeCaseWriter:
    """Records what the actions write, in one journal with what they say, so order shows."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.opened: list[NewCase] = []
        self.active: str | None = None  # the store's open case for the conversation
        self.awaits = True  # nobody from the team has taken the case yet

    def open_case(self, new: NewCase) -> bool:
        self.opened.append(new)
        self.journal.append(("case", new.id))
        return True

    def raise_level(
        self, case_id: str, level: str, reasons: list[str], conversation_id: str | None = None
    ) -> bool:
        self.journal.append(("level", case_id, level, tuple(reasons)))
        return True

    def add_message(self, case_id: str, author: str, text: str, conversation_id: str | None = None) -> bool:
        self.journal.append(("message", case_id, author, text))
        return True

    def awaits_operator(self, case_id: str) -> bool:
        return self.awaits

    def active_case_id(self, conversation_id: str) -> str | None:
        return self.active


class JournalDispatcher(CollectingDispatcher):
    """A dispatcher that also notes in the journal when something is said."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    def utter_message(self, text: str | None = None, **kwargs: Any) -> None:
        super().utter_message(text=text, **kwargs)
        self.journal.append(("said", kwargs.get("response") or text))


@pytest.fixture
def journal() -> Journal:
    return []


@pytest.fixture(autouse=True)
def retriever(monkeypatch: pytest.MonkeyPatch) -> FakeRetriever:
    """Never the real index: the relay answers through `actions.answer`."""
    return use_retriever(monkeypatch, FakeRetriever())


@pytest.fixture
def cases(monkeypatch: pytest.MonkeyPatch, journal: Journal) -> FakeCaseWriter:
    """The fake writer behind `handoff.writer()`, and the made-up articles for the emergency advice."""
    fake = FakeCaseWriter(journal)
    monkeypatch.setattr(handoff, "writer", lambda: fake)
    monkeypatch.setattr(handoff, "ARTICLES", ARTICLES)
    return fake


def danger(slots_: dict[str, Any] | None = None, level: str = "critical", **kwargs: Any) -> Tracker:
    """The danger message as the NLU marks it: intent and risk assessment."""
    risk = {"level": level, "reasons": ["passport_taken"]}
    return tracker(DANGER, "report_danger", slots_, risk=risk, **kwargs)


def test_danger_opens_the_case_before_the_person_is_told_help_is_coming(
    cases: FakeCaseWriter, journal: Journal
) -> None:
    """The promise that a person will answer must be true when it is made: the case exists first."""
    tr = danger({"language": "ar", "country": "RS"}, channel="whatsapp", metadata={"contact": "+38*******45"})
    events, _ = run(ActionEscalate(), tr, JournalDispatcher(journal))
    [new] = cases.opened
    assert journal == [("case", new.id), ("said", "utter_escalated"), ("said", EMERGENCY_AR)]
    assert slots(events) == {
        "case_id": new.id, "handoff_active": True, "handoff_acknowledged": False, "risk_level": "critical"
    }
    assert (new.key, new.conversation_id, new.channel, new.contact, new.language, new.country) == (
        case_key(SENDER, NOW), SENDER, "whatsapp", "+38*******45", "ar", "RS"
    )
    assert (new.level, new.reasons) == ("critical", ["passport_taken"])


def test_the_case_carries_the_conversation_as_the_operator_will_read_it(cases: FakeCaseWriter) -> None:
    """The operator reads what was said (a voice note by its media id), not the bot's
    bookkeeping, and never the person's full address."""
    history = [
        {"event": "user", "text": "hello", "timestamp": NOW - 60, "metadata": {}},
        {"event": "bot", "text": "Hello! How can I help?"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "/no_text", "timestamp": NOW - 30,
         "metadata": {"media": {"kind": "voice", "id": "AwACAgQAAxkBAAI"}}},
        {"event": "bot", "text": None, "data": {"buttons": []}},
        {"event": "slot", "name": "language", "value": "en"},
    ]
    run(ActionEscalate(), danger({"language": "en"}, history=history, channel=None))
    [new] = cases.opened
    assert new.transcript == [
        ("user", "hello"), ("bot", "Hello! How can I help?"), ("user", "[voice: AwACAgQAAxkBAAI]"),
        ("user", DANGER),
    ]
    assert new.contact == "tg-********56" and new.channel == "unknown"


@pytest.mark.parametrize(
    ("sign", "current", "expected"),
    [("elevated", None, "high"), ("high", "none", "high"), ("critical", "elevated", "critical"),
     ("high", "critical", "critical")],
)
def test_an_escalation_is_at_least_high_and_never_lowers_the_level(
    cases: FakeCaseWriter, sign: str, current: str | None, expected: str
) -> None:
    """A case is in the risk-ordered queue: an escalation is high at least, critical stays."""
    events, _ = run(ActionEscalate(), danger({"risk_level": current}, level=sign))
    assert cases.opened[0].level == expected and slots(events)["risk_level"] == expected


@pytest.mark.parametrize("action", [ActionEscalate(), ActionRequestHuman()], ids=lambda a: a.name())
@pytest.mark.parametrize("known_from", ["slot", "store"])
def test_an_open_case_is_raised_and_reused_not_opened_twice(
    cases: FakeCaseWriter, journal: Journal, action: Action, known_from: str
) -> None:
    """One person, one case in the queue, whether the tracker or only the store knows it."""
    if known_from == "slot":
        tr = danger({"case_id": "case-7", "risk_level": "high"}, level="high")
    else:
        cases.active = "case-7"
        tr = danger({"risk_level": "high"}, level="high")
    events, _ = run(action, tr, JournalDispatcher(journal))
    reasons = ("passport_taken",) if isinstance(action, ActionEscalate) else (HUMAN_REQUEST,)
    assert cases.opened == [] and journal[0] == ("level", "case-7", "high", reasons)
    assert slots(events)["case_id"] == "case-7" and slots(events)["handoff_active"] is True


def test_when_the_case_cannot_be_written_at_all_nobody_is_promised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store and spool both failing: the action fails and says nothing, rather than promise a
    person who will never see the case (the action server answers Rasa with an error; the
    danger message stays in the tracker store for reconciliation to open as `recovered`)."""

    def broken() -> CaseStore:
        raise OperationalError("connect", {}, Exception("database is locked"))

    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    writer = CaseWriter(store=broken, spool=Spool(tmp_path / "not-a-folder" / "spool.jsonl"))
    monkeypatch.setattr(handoff, "writer", lambda: writer)
    monkeypatch.setattr(handoff, "ARTICLES", ARTICLES)
    dispatcher = CollectingDispatcher()
    with pytest.raises(OSError):
        run(ActionEscalate(), danger({"language": "en"}), dispatcher)
    assert dispatcher.messages == []


def test_a_case_the_store_cannot_take_waits_in_the_spool_and_the_person_is_still_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_keys: Callable[..., None]
) -> None:
    """A down store must not leave a person in danger without the safety message; the case
    the console replays is the one the conversation's `case_id` names."""
    use_keys(Fernet.generate_key().decode())

    def broken() -> CaseStore:
        raise OperationalError("connect", {}, Exception("database is locked"))

    writer = CaseWriter(store=broken, spool=Spool(tmp_path / "spool.jsonl"))
    monkeypatch.setattr(handoff, "writer", lambda: writer)
    monkeypatch.setattr(handoff, "ARTICLES", ARTICLES)
    events, messages = run(ActionEscalate(), danger({"language": "en"}))
    assert [m["response"] or m["text"] for m in messages] == ["utter_escalated", EMERGENCY_EN]
    assert writer.spool.pending_case_keys() == {case_key(SENDER, NOW)}
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    assert writer.spool.replay(lambda kind, record: apply_spooled(store, kind, record)) == (1, 0)
    case = store.case(slots(events)["case_id"])
    assert case is not None and case.level == "critical" and [m.text for m in case.messages] == [DANGER]


def test_a_graver_danger_reaches_a_case_still_in_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_keys: Callable[..., None]
) -> None:
    """The store is back but the console has not replayed the spool yet: a graver sign for the
    case still waiting there must wait behind it, not be counted as written and lost."""
    use_keys(Fernet.generate_key().decode())
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    up = {"up": False}

    def connect() -> CaseStore:
        if not up["up"]:
            raise OperationalError("connect", {}, Exception("database is locked"))
        return store

    writer = CaseWriter(store=connect, spool=Spool(tmp_path / "spool.jsonl"))
    monkeypatch.setattr(handoff, "writer", lambda: writer)
    monkeypatch.setattr(handoff, "ARTICLES", ARTICLES)
    first = tracker(
        "they took our passports", "report_danger", {"language": "en"},
        risk={"level": "high", "reasons": ["passport_taken"]},
    )
    events, _ = run(ActionEscalate(), first)
    waiting = {"language": "en", **slots(events)}
    up["up"] = True
    graver = {"level": "critical", "reasons": ["weapon"]}
    knife = tracker("he has a knife", "report_danger", waiting, risk=graver)
    events, _ = run(ActionHandoffRelay(), knife)
    assert slots(events) == {"risk_level": "critical"}
    assert writer.spool.replay(lambda kind, record: apply_spooled(store, kind, record))[1] == 0
    case = store.case(waiting["case_id"])
    assert case is not None
    assert [m.text for m in case.messages] == ["they took our passports", "he has a knife"]
    assert (case.level, case.reasons) == ("critical", ["passport_taken", "weapon"])


def test_an_unclear_sign_is_asked_about_once_and_a_second_one_escalates(
    cases: FakeCaseWriter, journal: Journal
) -> None:
    """One question, not a loop of them; no case for a sign that may be nothing."""
    unclear = tracker("a man says he has work for us", "possible_danger", {"language": "en"})
    events, messages = run(ActionSafetyFollowup(), unclear)
    assert [m["response"] for m in messages] == ["utter_ask_safety"] and cases.opened == []
    assert slots(events) == {"safety_asked": True, "risk_level": "elevated"}
    again = danger({"language": "en", **slots(events)}, level="elevated")
    events, _ = run(ActionSafetyFollowup(), again, JournalDispatcher(journal))
    [new] = cases.opened
    assert journal[:2] == [("case", new.id), ("said", "utter_escalated")]
    assert new.level == "high" and slots(events)["risk_level"] == "high"


def test_a_request_for_a_person_opens_a_case_at_the_current_level_before_saying_so(
    cases: FakeCaseWriter, journal: Journal
) -> None:
    """Asking for a person is a reason of its own; a known risk keeps its place in the queue."""
    tr = tracker("I want to talk to a person", "request_human", {"language": "en", "risk_level": "elevated"})
    events, _ = run(ActionRequestHuman(), tr, JournalDispatcher(journal))
    [new] = cases.opened
    assert journal == [("case", new.id), ("said", "utter_human_requested")]
    assert (new.level, new.reasons) == ("elevated", [HUMAN_REQUEST])
    assert slots(events) == {
        "case_id": new.id, "handoff_active": True, "handoff_acknowledged": False, "risk_level": "elevated"
    }


WAITING = {"case_id": "case-7", "handoff_active": True, "risk_level": "high", "language": "en"}


def test_during_a_handoff_every_message_reaches_the_case_and_is_acknowledged_once(
    cases: FakeCaseWriter, journal: Journal
) -> None:
    """The operator sees everything; the person hears "a person will answer" once, not each time."""
    events, _ = run(ActionHandoffRelay(), tracker("hello?", "greet", WAITING), JournalDispatcher(journal))
    assert journal == [("message", "case-7", "user", "hello?"), ("said", "utter_handoff_waiting")]
    assert slots(events) == {"handoff_acknowledged": True}
    journal.clear()
    acknowledged = {**WAITING, "handoff_acknowledged": True}
    tr = tracker("please", "greet", acknowledged)
    events, messages = run(ActionHandoffRelay(), tr, JournalDispatcher(journal))
    assert journal == [("message", "case-7", "user", "please")] and events == [] and messages == []


def test_a_graver_danger_during_a_handoff_raises_the_case_and_repeats_the_emergency_advice(
    cases: FakeCaseWriter, journal: Journal
) -> None:
    """The case moves up the queue and the person gets what to do now, once per step up."""
    acknowledged = {**WAITING, "handoff_acknowledged": True}
    knife = {"level": "critical", "reasons": ["weapon"]}
    tr = tracker("he has a knife", "report_danger", acknowledged, risk=knife)
    events, _ = run(ActionHandoffRelay(), tr, JournalDispatcher(journal))
    assert journal == [
        ("message", "case-7", "user", "he has a knife"), ("level", "case-7", "critical", ("weapon",)),
        ("said", EMERGENCY_EN),
    ]
    assert slots(events) == {"risk_level": "critical"}
    journal.clear()
    threat = {"level": "high", "reasons": ["threat"]}
    same = tracker("please hurry", "report_danger", acknowledged, risk=threat)
    events, _ = run(ActionHandoffRelay(), same, JournalDispatcher(journal))
    assert journal == [("message", "case-7", "user", "please hurry")] and events == []


@pytest.mark.parametrize(
    ("intent", "hits", "awaits", "answered"),
    [
        ("ask_question", [hit("all-legal-aid", 0.9)], True, "all-legal-aid"),
        ("inform_country", [hit("all-legal-aid", 0.9)], True, "all-legal-aid"),
        ("ask_question", [hit("all-health-care", 0.9)], True, "all-health-care"),  # no country menu
        ("ask_question", [hit("all-legal-aid", 0.9)], False, None),  # the team has it now
        ("ask_question", [hit("all-health-care", 0.3), hit("all-legal-aid", 0.2)], True, None),  # unsure
        ("greet", [hit("all-legal-aid", 0.9)], True, None),  # not a question
    ],
    ids=["sure", "kept-intent", "country-dependent", "taken", "unsure", "not-a-question"],
)
def test_while_the_case_waits_only_a_sure_answer_is_given_and_the_case_shows_which(
    cases: FakeCaseWriter, journal: Journal, retriever: FakeRetriever,
    intent: str, hits: list[Any], awaits: bool, answered: str | None,
) -> None:
    """The wait may be hours: a sure answer helps, choices or a country menu would compete
    with the operator, and the operator must see which article the person was given."""
    text = "where can I get a free lawyer"
    retriever.scripted[(text, None)] = hits
    cases.awaits = awaits
    tr = tracker(text, intent, {**WAITING, "handoff_acknowledged": True})
    events, messages = run(ActionHandoffRelay(), tr)
    written = [("message", "case-7", "user", text)]
    if answered is None:
        assert messages == [] and journal == written and "kb_sources" not in slots(events)
    else:
        assert len(messages) == 1 and messages[0]["text"].startswith(f"{answered} title [en]")
        assert journal == [*written, ("message", "case-7", "bot", f"[answered: {answered}]")]
        assert slots(events)["kb_sources"] == [answered] and "country_asked" not in slots(events)


def test_closing_the_case_hands_the_conversation_back_to_the_bot(cases: FakeCaseWriter) -> None:
    """After the operator closes it, the bot answers again, from a clean slate, at once."""
    closed = {**WAITING, "handoff_acknowledged": True, "safety_asked": True, "risk_level": "critical"}
    events, messages = run(ActionHandoffEnd(), tracker("", "session_start", closed))
    assert [m["response"] for m in messages] == ["utter_handoff_ended"]
    assert slots(events) == {
        "handoff_active": False, "handoff_acknowledged": False, "case_id": None, "risk_level": "none",
        "safety_asked": False,
    }
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
