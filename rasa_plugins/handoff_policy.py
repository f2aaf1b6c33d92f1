"""While a person from the team has the conversation, every message goes to them, not the bot.

Rasa's own handoff (`ConversationPaused`) runs no action at all, so a message would never
reach the case and a new session would silently resume the bot. This policy instead predicts
`action_handoff_relay` after every user message while the `handoff_active` slot is set, with
a priority above the rules, so no rule, story or danger intent can make the bot talk over the
operator; the slot survives restarts and new sessions like every other slot.

The privacy commands are the exception: a person may ask for the privacy text, or to be
forgotten, whoever is answering, so those messages (and the YES or NO that confirms an
erasure) are left to the rules.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from common.vocabulary import HANDOFF_RELAY_ACTION, HANDOFF_SLOT, PRIVATE_INTENTS

RELAY_ACTION = HANDOFF_RELAY_ACTION
PRIORITY = 7
"""Above the RulePolicy's 6: on equal confidence the higher priority wins."""
CONFIRMING = "utter_delete_confirm"
"""The question whose YES or NO must reach the rules, not the operator."""


def next_action(
    handoff_active: bool, latest_action: str | None, intent: str | None = None, asked: str | None = None
) -> str | None:
    """The action to force, or None to leave the decision to the other policies.

    `intent` is the latest message's, `asked` the last action before the person wrote it.
    """
    if not handoff_active:
        return None
    if intent in PRIVATE_INTENTS or (asked == CONFIRMING and intent in ("affirm", "deny")):
        return None
    if latest_action == ACTION_LISTEN_NAME:
        return RELAY_ACTION
    if latest_action == RELAY_ACTION:
        return ACTION_LISTEN_NAME
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class HandoffPolicy(Policy):
    """Relays the user's messages to the operator while a handoff is active."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def train(self, training_trackers: list[Any], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        asked = tracker.get_last_event_for(ActionExecuted, action_names_to_exclude=[ACTION_LISTEN_NAME])
        action = next_action(
            bool(tracker.get_slot(HANDOFF_SLOT)),
            tracker.latest_action_name,
            (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None,
            asked.action_name if asked else None,
        )
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))
