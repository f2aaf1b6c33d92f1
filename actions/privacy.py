"""Erasure on request: the confirmed request is recorded durably before the person is told.

The erasure itself (tracker events, case transcripts, the channel's address) is done by
`operators.erasure` in the console's background loop, once this turn has been saved.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import last_user_timestamp, writer
from common.vocabulary import CASE_SLOT, HANDOFF_SLOT


class ActionDeleteData(Action):
    """The person confirmed they want to be forgotten."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        # Stopping the handoff now: until the erasure runs, a new message goes to the bot, not the case.
        await asyncio.to_thread(writer().request_erasure, tracker.sender_id, last_user_timestamp(tracker))
        dispatcher.utter_message(response="utter_deleted")
        return [SlotSet(HANDOFF_SLOT, False), SlotSet(CASE_SLOT, None)]
