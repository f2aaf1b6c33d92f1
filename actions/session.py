"""A session start that carries the conversation's state over, handoff included."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionSessionStart(Action):
    """Carries every set slot into the new session.

    After an hour of silence Rasa starts a new session; the language, the country, and an open
    case with its active handoff must survive it, or the bot would talk over an operator
    (`rasa_plugins.handoff_policy` reads `handoff_active` on every message).
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
        events.append(ActionExecuted("action_listen"))
        return events
