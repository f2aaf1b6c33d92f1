"""Answers a request to change language: confirms a named language or shows the menu."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.slot_mappings import detection_from_parse_data


class ActionChangeLanguage(Action):
    """The slot itself is already set by slot extraction; this only tells the person."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        detection = detection_from_parse_data(tracker.latest_message or {})
        if detection is not None and detection.explicit:
            dispatcher.utter_message(response="utter_language_changed")
        else:
            dispatcher.utter_message(response="utter_language_menu")
        return []
