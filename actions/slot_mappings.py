"""Fills the custom-mapped slots after every user message (`action_validate_slot_mappings`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from knowledge.articles import COUNTRIES
from knowledge.places import country_in
from nlu.language import LANGUAGE_NAMES, Detection, needs_menu, resolve


def detection_from_parse_data(parse_data: dict[str, Any]) -> Detection | None:
    """The detection our NLU component put into the parse data, if it ran."""
    found = parse_data.get("language")
    if not isinstance(found, dict):
        return None
    return Detection(
        lang=found.get("lang"),
        confidence=float(found.get("confidence") or 0.0),
        explicit=bool(found.get("explicit")),
    )


def entity_value(tracker: Tracker, name: str) -> str | None:
    """The value of an entity in the latest message (a button's payload sets them)."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return next((e.get("value") for e in entities if e.get("entity") == name), None)


class ValidateSlotMappings(ValidationAction):
    """Fills the slots that depend on the conversation so far, which only actions can see.

    The language is sticky (the detection alone would flip it on "ok"); the country is the
    last one the person named or chose, by name, town or menu button.
    """

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return ["language", "country"]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        # Extraction only: the values set here need no second validation pass.
        return await self.get_extraction_events(dispatcher, tracker, domain)

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        detection = detection_from_parse_data(tracker.latest_message or {})
        current = tracker.get_slot("language")
        if detection is None:
            # A button or command ("/greet" from Telegram's /start) has no text to detect from:
            # a new conversation takes the channel's hint (the Telegram app's language).
            hint = ((tracker.latest_message or {}).get("metadata") or {}).get("language_hint")
            return {"language": hint} if current is None and hint in LANGUAGE_NAMES else {}
        if needs_menu(current, detection):
            dispatcher.utter_message(response="utter_language_menu")
        chosen = resolve(current, detection)
        return {"language": chosen} if chosen != current else {}

    async def extract_country(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = entity_value(tracker, "country")
        text = (tracker.latest_message or {}).get("text") or ""
        country = chosen if chosen in COUNTRIES else country_in(text)
        return {"country": country} if country and country != tracker.get_slot("country") else {}
