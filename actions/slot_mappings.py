"""Fills the custom-mapped slots after every user message (`action_validate_slot_mappings`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.texts import response_text
from common.vocabulary import DANGER_INTENTS, OPT_IN_INTENT, OPT_OUT_INTENT, PRIVATE_INTENTS
from knowledge.articles import COUNTRIES
from nlu.language import LANGUAGE_NAMES, Detection, needs_menu, resolve
from nlu.places import country_in


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
    last one the person named or chose, by name, town or menu button. The privacy notice goes
    out once, first, in the language just chosen.
    """

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return ["language", "country", "privacy_notice_shown"]

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
        held = tracker.get_slot("language_confidence")
        choice = resolve(current, detection, 1.0 if held is None else float(held))
        if choice.switched_from:
            told = response_text(domain, "utter_language_switched", choice.lang)
            dispatcher.utter_message(
                text=told.format(
                    language=LANGUAGE_NAMES[choice.lang or "en"], previous=choice.switched_from.upper()
                )
            )
        found = {"language": choice.lang, "language_confidence": round(choice.confidence, 4)}
        return {slot: value for slot, value in found.items() if value != tracker.get_slot(slot)}

    async def extract_country(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = entity_value(tracker, "country")
        text = (tracker.latest_message or {}).get("text") or ""
        country = chosen if chosen in COUNTRIES else country_in(text)
        return {"country": country} if country and country != tracker.get_slot("country") else {}

    async def extract_privacy_notice_shown(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        previous = tracker.get_last_event_for("action", exclude=["action_listen", "action_extract_slots"])
        if tracker.get_slot("privacy_notice_shown") or not notice_due(
            tracker.latest_message or {}, (previous or {}).get("name")
        ):
            return {}
        notice = response_text(domain, "utter_privacy_notice", tracker.get_slot("language"))
        dispatcher.utter_message(text=notice)
        return {"privacy_notice_shown": True}


NO_NOTICE_INTENTS = DANGER_INTENTS | PRIVATE_INTENTS | {OPT_OUT_INTENT, OPT_IN_INTENT}
"""Safety comes first; the privacy commands say it all themselves; STOP means silence."""


def notice_due(latest_message: dict[str, Any], previous_action: str | None = None) -> bool:
    """Whether this message may be answered with the privacy notice before the answer; not the
    YES or NO to "delete everything?", which the notice would only confuse."""
    intent = (latest_message.get("intent") or {}).get("name")
    risk = (latest_message.get("risk") or {}).get("level")
    confirming = previous_action == "utter_delete_confirm"
    return intent not in NO_NOTICE_INTENTS and risk not in ("high", "critical") and not confirming
