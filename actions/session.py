"""A session start that cannot silently end a human handoff."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionSessionStart(Action):
    """Carries every set slot into the new session and keeps an active handoff paused.

    Rasa's own session start resumes a paused conversation, which would let the bot talk
    over an operator after an hour of silence.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = [SessionStarted()]
        events += [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name != "session_started_metadata"
        ]
        if tracker.get_slot("handoff_active"):
            events.append(ConversationPaused())
        events.append(ActionExecuted("action_listen"))
        return events
