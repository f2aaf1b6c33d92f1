"""Rasa adapter for `nlu.commands`: a typed command is its intent, whatever the classifier said.

Runs after the intent classifiers and before the risk detector, which overrides both.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu import commands
from rasa_plugins.component_base import StatelessComponent, set_intent


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
