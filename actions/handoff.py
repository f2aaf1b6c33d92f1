"""Escalation and handoff: danger opens a case before anything is said; then a person answers.

`action_escalate` writes the case (store or spool) and only then tells the person what to do
now and that someone will answer. `action_safety_followup` asks once when a sign is unclear.
`action_request_human` opens a case for a plain request. While a case is open, every message
goes to `action_handoff_relay` (see `rasa_plugins.handoff_policy`), which adds it to the case,
acknowledges once, and answers a sure question until the team takes the case; the console
ends the handoff with `action_handoff_end`.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import ActionAnswerQuestion
from common.privacy import mask
from common.vocabulary import HANDOFF_RELAY_ACTION, HANDOFF_SLOT
from knowledge import answers
from knowledge.articles import Article, load_articles
from nlu.routing import KEPT_INTENTS, KNOWLEDGE_INTENT
from operators.escalation import CaseWriter
from operators.reconcile import case_key
from operators.store import LEVELS, NewCase

HUMAN_REQUEST = "asked_for_a_person"
"""The reason of a case opened because the person asked for one, without a danger sign."""
FOR_THE_TEAM = frozenset({"about_this_service"})
"""While a case waits, "are you there?" or "who are you?" is meant for the team, not the articles."""


@lru_cache(maxsize=1)
def writer() -> CaseWriter:
    return CaseWriter()


def _risk(tracker: Tracker) -> dict[str, Any]:
    return (tracker.latest_message or {}).get("risk") or {"level": "none", "reasons": []}


def message_for_case(message: dict[str, Any]) -> str:
    """A user message as the operator reads it: its text, or the provider's id of its media
    (a voice note or photo is kept for the operator by that id; the bot downloads nothing)."""
    media = (message.get("metadata") or {}).get("media")
    if isinstance(media, dict) and media.get("id"):
        return f"[{media.get('kind') or 'media'}: {media['id']}]"
    return message.get("text") or ""


def _transcript(tracker: Tracker) -> list[tuple[str, str]]:
    """The conversation so far as the operator will read it: the person's and the bot's parts."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and message_for_case(event):
            lines.append(("user", message_for_case(event)))
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(("bot", event["text"]))
    return lines


def last_user_timestamp(tracker: Tracker) -> float:
    users = [e for e in tracker.events if e.get("event") == "user"]
    return float(users[-1].get("timestamp") or 0.0) if users else 0.0


def _contact(tracker: Tracker) -> str:
    """The masked address the channel passed along, else the masked conversation id."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return str(metadata.get("contact") or mask(tracker.sender_id))


def open_case(tracker: Tracker, level: str, reasons: list[str]) -> str:
    """Writes the case durably and returns its id; a case already open is reused (and raised)."""
    active = tracker.get_slot("case_id") or writer().active_case_id(tracker.sender_id)
    if active:
        writer().raise_level(active, level, reasons, conversation_id=tracker.sender_id)
        return active
    new = NewCase(
        key=case_key(tracker.sender_id, last_user_timestamp(tracker)),
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        contact=_contact(tracker),
        language=tracker.get_slot("language"),
        country=tracker.get_slot("country"),
        level=level,
        reasons=reasons,
        transcript=_transcript(tracker),
    )
    writer().open_case(new)
    return new.id


ARTICLES: list[Article] = load_articles()
"""Read when the action server starts (most of a second), not when someone in danger writes."""


def emergency_text(tracker: Tracker) -> str:
    return answers.emergency_advice(ARTICLES, tracker.get_slot("language") or "en")


def _handoff_events(case_id: str, level: str) -> list[dict[str, Any]]:
    return [
        SlotSet("case_id", case_id),
        SlotSet(HANDOFF_SLOT, True),
        SlotSet("handoff_acknowledged", False),
        SlotSet("risk_level", level),
    ]


class ActionEscalate(Action):
    """A danger sign: open the case, then say what to do now and that a person will answer."""

    def name(self) -> str:
        return "action_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        risk = _risk(tracker)
        level = risk["level"] if risk["level"] in ("high", "critical") else "high"
        current = tracker.get_slot("risk_level") or "none"
        level = max(level, current, key=LEVELS.index)
        # Off the event loop: a locked store must not hold up other conversations' actions.
        case_id = await asyncio.to_thread(open_case, tracker, level, list(risk.get("reasons") or []))
        dispatcher.utter_message(response="utter_escalated")
        dispatcher.utter_message(text=emergency_text(tracker))
        return _handoff_events(case_id, level)


class ActionSafetyFollowup(Action):
    """An unclear sign: ask once whether the person is in danger; a second one escalates."""

    def name(self) -> str:
        return "action_safety_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("safety_asked"):
            return await ActionEscalate().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_ask_safety")
        return [SlotSet("safety_asked", True), SlotSet("risk_level", "elevated")]


class ActionRequestHuman(Action):
    """A plain request for a person: a case in the queue, and an honest word about the wait."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        level = tracker.get_slot("risk_level") or "none"
        case_id = await asyncio.to_thread(open_case, tracker, level, [HUMAN_REQUEST])
        dispatcher.utter_message(response="utter_human_requested")
        return _handoff_events(case_id, level)


class ActionHandoffRelay(Action):
    """During a handoff: every message reaches the case; the bot acknowledges once, repeats
    the emergency advice if the message shows a more serious danger, and, until someone from
    the team has taken the case, still answers a question the knowledge base is sure of (the
    person may wait hours; the operator sees which article was given)."""

    def name(self) -> str:
        return HANDOFF_RELAY_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        case_id = tracker.get_slot("case_id")
        text = message_for_case(tracker.latest_message or {})
        events: list[dict[str, Any]] = []
        if case_id:
            await asyncio.to_thread(writer().add_message, case_id, "user", text, tracker.sender_id)
        risk = _risk(tracker)
        current = tracker.get_slot("risk_level") or "none"
        graver = LEVELS.index(risk["level"]) > LEVELS.index(current)
        if case_id and risk["level"] in ("high", "critical") and graver:
            reasons = list(risk.get("reasons") or [])
            await asyncio.to_thread(writer().raise_level, case_id, risk["level"], reasons, tracker.sender_id)
            dispatcher.utter_message(text=emergency_text(tracker))
            events.append(SlotSet("risk_level", risk["level"]))
        elif not tracker.get_slot("handoff_acknowledged"):
            dispatcher.utter_message(response="utter_handoff_waiting")
            events.append(SlotSet("handoff_acknowledged", True))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        asks = case_id and (intent == KNOWLEDGE_INTENT or intent in KEPT_INTENTS)
        if asks and await asyncio.to_thread(writer().awaits_operator, case_id):
            answer = ActionAnswerQuestion().answer
            answered = await answer(dispatcher, tracker, domain, only_sure=True, not_topics=FOR_THE_TEAM)
            sources = next((e["value"] for e in answered if e.get("name") == "kb_sources"), None)
            if sources:
                await asyncio.to_thread(
                    writer().add_message, case_id, "bot", f"[answered: {sources[0]}]", tracker.sender_id
                )
            events.extend(answered)
        return events


class ActionHandoffEnd(Action):
    """Run by the console when an operator closes the case: the bot takes over again."""

    def name(self) -> str:
        return "action_handoff_end"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_handoff_ended")
        return [
            SlotSet(HANDOFF_SLOT, False),
            SlotSet("handoff_acknowledged", False),
            SlotSet("case_id", None),
            SlotSet("risk_level", "none"),
            SlotSet("safety_asked", False),
            # Run from the console, outside a turn: leave the conversation waiting for the person,
            # as after any turn, so that the rules apply to the next message.
            ActionExecuted("action_listen"),
        ]


class ActionNoText(Action):
    """A message with nothing to read: says what the bot can read; media goes to an open case."""

    def name(self) -> str:
        return "action_no_text"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        case_id = tracker.get_slot("case_id")
        media = message_for_case(tracker.latest_message or {})
        if case_id and media.startswith("["):
            await asyncio.to_thread(writer().add_message, case_id, "user", media, tracker.sender_id)
        dispatcher.utter_message(response="utter_text_only")
        return []
