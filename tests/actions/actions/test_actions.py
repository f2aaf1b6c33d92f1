"""The action server's actions, called as Rasa calls them, without a server."""

import asyncio
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff, privacy
from actions.answer import ActionAnswerQuestion
from actions.change_language import ActionChangeLanguage
from actions.session import ActionSessionStart
from actions.slot_mappings import ValidateSlotMappings, notice_due
from bot.domain_files import load_domain
from bot.launcher import ROOT
from nlu.language import detect
from operators.escalation import CaseWriter
from operators.spool import Spool
from operators.store import CaseStore, NewCase


def tracker(text: str, slots: dict[str, Any] | None = None) -> Tracker:
    parse_data = {"text": text, "intent": {"name": "greet"}, "language": detect(text).as_dict()}
    return Tracker("someone", slots or {}, parse_data, [], False, None, {}, "action_listen")


DOMAIN = {
    "slots": {"language": {"mappings": [{"type": "custom"}]}},
    "responses": {
        "utter_privacy_notice": [
            {
                "text": "Avant de commencer",
                "condition": [{"type": "slot", "name": "language", "value": "fr"}],
            },
            {"text": "Before we start"},
        ],
        "utter_language_switched": [
            {"text": "I will answer in {language} now. To go back, write LANG {previous}."}
        ],
    },
}


def run(action: Any, tr: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return events, dispatcher.messages


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_first_message_sets_the_language() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("أين يمكنني طلب اللجوء"))
    assert slot_events(events)["language"] == "ar"


def test_ambiguous_word_keeps_the_language() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("ok", {"language": "ar"}))
    assert "language" not in slot_events(events)


def test_explicit_request_switches() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("LANG UR", {"language": "fa"}))
    assert slot_events(events)["language"] == "ur"


def test_a_greeting_holds_the_language_weakly_and_a_question_moves_it_silently() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("hello"))
    first = slot_events(events)
    assert first["language"] == "en" and first["language_confidence"] < 0.75
    question = "Как подать на убежище в Сербии, что нужно сделать?"
    events, messages = run(ValidateSlotMappings(), tracker(question, {**first, "privacy_notice_shown": True}))
    assert slot_events(events)["language"] == "ru"
    assert messages == []


def test_a_firm_language_moves_only_on_a_sure_sentence_and_says_so_with_the_way_back() -> None:
    firm = {"language": "fr", "language_confidence": 0.95, "privacy_notice_shown": True}
    events, messages = run(ValidateSlotMappings(), tracker("спасибо", firm))
    assert "language" not in slot_events(events) and messages == []
    question = "Как подать на убежище в Сербии, что нужно сделать?"
    events, messages = run(ValidateSlotMappings(), tracker(question, firm))
    assert slot_events(events)["language"] == "ru"
    assert [m["text"] for m in messages] == ["I will answer in Русский now. To go back, write LANG FR."]


def test_no_detection_in_parse_data_changes_nothing() -> None:
    slots = {"language": "fr", "privacy_notice_shown": True}
    tr = Tracker("someone", slots, {"text": "x"}, [], False, None, {}, "action_listen")
    events, _ = run(ValidateSlotMappings(), tr)
    assert events == []


def test_change_language_confirms_or_shows_the_menu() -> None:
    _, messages = run(ActionChangeLanguage(), tracker("LANG FR"))
    assert [m["response"] for m in messages] == ["utter_language_changed"]
    _, messages = run(ActionChangeLanguage(), tracker("change the language"))
    assert [m["response"] for m in messages] == ["utter_language_menu"]


def test_session_start_carries_every_slot_including_an_active_handoff() -> None:
    slots = {"language": "ps", "handoff_active": True, "case_id": "c1", "country": None}
    events, _ = run(ActionSessionStart(), tracker("hi", slots))
    kinds = [e["event"] for e in events]
    assert kinds[0] == "session_started" and kinds[-1] == "action" and "pause" not in kinds
    assert slot_events(events) == {"language": "ps", "handoff_active": True, "case_id": "c1"}


def test_the_privacy_notice_comes_once_in_the_language_just_chosen() -> None:
    events, messages = run(ValidateSlotMappings(), tracker("bonjour, je cherche un avocat"))
    assert [m["text"] for m in messages] == ["Avant de commencer"]
    assert {k: v for k, v in slot_events(events).items() if k != "language_confidence"} == {
        "language": "fr", "privacy_notice_shown": True
    }
    shown = {"language": "fr", "privacy_notice_shown": True}
    events, messages = run(ValidateSlotMappings(), tracker("merci", shown))
    assert messages == [] and "privacy_notice_shown" not in slot_events(events)


def test_danger_and_the_privacy_commands_come_without_the_notice() -> None:
    for parse_data in (
        {"intent": {"name": "greet"}, "risk": {"level": "critical"}},
        {"intent": {"name": "report_danger"}},
        {"intent": {"name": "delete_data"}},
        {"intent": {"name": "privacy"}},
    ):
        assert not notice_due(parse_data), parse_data
    assert notice_due({"intent": {"name": "ask_question"}, "risk": {"level": "elevated"}})
    assert not notice_due({"intent": {"name": "affirm"}}, previous_action="utter_delete_confirm")
    assert notice_due({"intent": {"name": "affirm"}}, previous_action="utter_greet")


def test_the_answer_to_the_delete_question_comes_without_the_notice() -> None:
    asked = [
        {"event": "user", "text": "DELETE"},
        {"event": "action", "name": "utter_delete_confirm"},
        {"event": "action", "name": "action_listen"},
    ]
    answer = {"text": "yes", "intent": {"name": "affirm"}}
    tr = Tracker("someone", {"language": "en"}, answer, asked, False, None, {}, "action_listen")
    events, messages = run(ValidateSlotMappings(), tr)
    assert messages == [] and "privacy_notice_shown" not in slot_events(events)


def test_a_confirmed_erasure_is_recorded_before_the_person_is_told(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    writer = CaseWriter(store=lambda: store, spool=Spool(tmp_path / "spool.jsonl"))
    monkeypatch.setattr(privacy, "writer", lambda: writer)
    events = [{"event": "user", "text": "YES", "timestamp": 1700000000.5}]
    slots = {"handoff_active": True}
    tr = Tracker("sms-abc", slots, {"text": "YES"}, events, False, None, {}, "action_listen")
    out, messages = run(privacy.ActionDeleteData(), tr)
    assert [m["response"] for m in messages] == ["utter_deleted"]
    requests = [(r.conversation_id, r.requested_at) for r in store.erasure_requests()]
    assert requests == [("sms-abc", 1700000000.5)]
    assert slot_events(out) == {"handoff_active": False, "case_id": None}


def test_a_voice_note_reaches_the_open_case_by_its_media_id(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    writer = CaseWriter(store=lambda: store, spool=Spool(tmp_path / "spool.jsonl"))
    monkeypatch.setattr(handoff, "writer", lambda: writer)
    new = NewCase("key-1", "tg-abc", "telegram", "ab***", "ar", None, "high", ["threat"], [])
    assert writer.open_case(new)
    case_id = new.id
    metadata = {"media": {"kind": "voice", "id": "AwACAgQAAxkBAAI"}}
    parse_data = {"text": "/no_text", "intent": {"name": "no_text"}, "metadata": metadata}
    tr = Tracker("tg-abc", {"case_id": case_id}, parse_data, [], False, None, {}, "action_listen")
    _, messages = run(handoff.ActionNoText(), tr)
    assert [m["response"] for m in messages] == ["utter_text_only"]
    assert [m.text for m in store.case(case_id).messages][-1] == "[voice: AwACAgQAAxkBAAI]"
    no_case = Tracker("x", {}, parse_data, [], False, None, {}, "action_listen")
    _, messages = run(handoff.ActionNoText(), no_case)
    assert [m["response"] for m in messages] == ["utter_text_only"]


def test_a_waiting_case_still_gets_a_sure_answer_until_someone_takes_it(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    store = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    writer = CaseWriter(store=lambda: store, spool=Spool(tmp_path / "spool.jsonl"))
    monkeypatch.setattr(handoff, "writer", lambda: writer)
    new = NewCase("key-2", "rest-abc", "rest", "ab***", "en", "RS", "high", ["threat"], [])
    assert writer.open_case(new)
    domain = load_domain(ROOT / "domain")
    question = "my friend is sick, where can he see a doctor for free in Serbia"
    slots = {"case_id": new.id, "handoff_active": True, "language": "en", "country": "RS"}

    def relay(text: str, intent: str = "ask_question") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        parse_data = {"text": text, "intent": {"name": intent}}
        tr = Tracker("rest-abc", slots, parse_data, [], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        events = asyncio.run(handoff.ActionHandoffRelay().run(dispatcher, tr, domain))
        return events, dispatcher.messages

    events, messages = relay(question)
    assert messages[0]["response"] == "utter_handoff_waiting"
    assert slot_events(events)["kb_sources"] == ["rs-health-care"] and len(messages) == 2
    assert [m.text for m in store.case(new.id).messages][-2:] == [question, "[answered: rs-health-care]"]
    slots["handoff_acknowledged"] = True
    events, messages = relay("are you there?")  # for the team, not an article about the service
    assert messages == [] and "kb_sources" not in slot_events(events)
    slots["last_question"] = "where can I sleep tonight"  # a country given next completes it
    events, messages = relay("we are in Bihac", "inform_country")
    assert slot_events(events)["kb_sources"] == ["ba-accommodation-reception"] and len(messages) == 1
    store.claim(new.id, "ana")
    events, messages = relay(question)
    assert messages == [] and "kb_sources" not in slot_events(events)  # the operator answers now
    last = [m.text for m in store.case(new.id).messages][-2:]
    assert last == ["[answered: ba-accommodation-reception]", question]


def test_beside_a_safety_message_an_unsure_question_is_kept_for_what_comes_next() -> None:
    domain = load_domain(ROOT / "domain")
    text = "who won the football match yesterday"  # no article is sure of it (test_retrieval)
    parse_data = {"text": text, "intent": {"name": "report_danger"}}
    tr = Tracker("someone", {"language": "en"}, parse_data, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tr, domain))
    assert dispatcher.messages == [] and slot_events(events) == {"last_question": text}
