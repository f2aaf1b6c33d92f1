"""Rasa adapter for `nlu.routing.route`: the knowledge base, not the classifier, decides questions.

Runs after the intent classifiers and the fallback classifier, before the typed commands and
the risk detector, which override it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu import routing, text
from rasa_plugins.component_base import StatelessComponent, set_intent
from rasa_plugins.language_component import OUTPUT_KEY as LANGUAGE_KEY

OUTPUT_KEY = "routing"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class KnowledgeRouter(StatelessComponent):
    """Sends every message that is not small talk or a request for a person to the knowledge base."""

    WRAPS = (routing, text)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            classified = message.get(INTENT) or {}
            confidence = float(classified.get("confidence") or 0.0)
            lang = (message.get(LANGUAGE_KEY) or {}).get("lang")
            name = routing.route(message.get(TEXT) or "", classified.get("name"), confidence, lang)
            # What the classifier said stays in the parse data, to measure the routing against it.
            said = {"classified": classified.get("name"), "confidence": confidence, "lang": lang}
            message.set(OUTPUT_KEY, said, add_to_output=True)
            if name != classified.get("name"):
                set_intent(message, name)
        return messages
