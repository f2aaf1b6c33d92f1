"""Rasa adapter for `nlu.commands`: a typed command is its intent, whatever the classifier said.

Runs after the intent classifiers and before the risk detector, which overrides both.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu import commands
from nlu.stateless_component import StatelessComponent


def set_intent(message: Message, name: str) -> None:
    """Replaces the classifier's intent, keeping its ranking below for the record."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CommandIntents(StatelessComponent):
    """Sets the intent of messages that are a typed command (`LANG UR`, `MORE`, `HUMAN`)."""

    WRAPS = (commands,)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = commands.command_intent(message.get(TEXT) or "")
            if intent:
                set_intent(message, intent)
        return messages
