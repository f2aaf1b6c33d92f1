"""The action server's actions, called as Rasa calls them, without a server."""

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.change_language import ActionChangeLanguage
from actions.session import ActionSessionStart
from actions.slot_mappings import ValidateSlotMappings
from nlu.language import detect


def tracker(text: str, slots: dict[str, Any] | None = None) -> Tracker:
    parse_data = {"text": text, "intent": {"name": "greet"}, "language": detect(text).as_dict()}
    return Tracker("someone", slots or {}, parse_data, [], False, None, {}, "action_listen")


DOMAIN = {"slots": {"language": {"mappings": [{"type": "custom"}]}}}


def run(action: Any, tr: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return events, dispatcher.messages


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_first_message_sets_the_language() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("أين يمكنني طلب اللجوء"))
    assert slot_events(events) == {"language": "ar"}


def test_ambiguous_word_keeps_the_language() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("ok", {"language": "ar"}))
    assert "language" not in slot_events(events)


def test_explicit_request_switches() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("LANG UR", {"language": "fa"}))
    assert slot_events(events) == {"language": "ur"}


def test_no_detection_in_parse_data_changes_nothing() -> None:
    tr = Tracker("someone", {"language": "fr"}, {"text": "x"}, [], False, None, {}, "action_listen")
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
