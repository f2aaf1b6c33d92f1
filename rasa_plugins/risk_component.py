"""Rasa adapter for `nlu.risk.assess`: every message is assessed, whatever its intent.

The assessment goes into the parse data under `risk` (`add_to_output=True`, so the tracker and
the actions see it). A high or critical one becomes the `report_danger` intent and an elevated
one `possible_danger`, so that a rule escalates or asks, however the message was classified:
a danger signal must not be lost because the person also asked a question.

When the assessment embedded the message, the vector goes on in the parse data too
(`common.message_vector`), so that the answer action does not embed the same text again.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from common import message_vector
from common.vocabulary import DANGER_INTENT_OF_LEVEL
from nlu import risk, text
from rasa_plugins.component_base import StatelessComponent, set_intent

OUTPUT_KEY = "risk"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RiskDetector(StatelessComponent):
    """Adds `risk` (level, reasons, how they were found) and routes danger to its intents."""

    WRAPS = (risk, text, message_vector)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            language = (message.get("language") or {}).get("lang")
            said = message.get(TEXT) or ""
            assessment = risk.assess(said, language)
            message.set(OUTPUT_KEY, assessment.as_dict(), add_to_output=True)
            vector = risk.known_vector(said)
            if vector is not None:
                packed = message_vector.pack(risk.EMBEDDING_MODEL, vector)
                message.set(message_vector.KEY, packed, add_to_output=True)
            if assessment.level in DANGER_INTENT_OF_LEVEL:
                set_intent(message, DANGER_INTENT_OF_LEVEL[assessment.level])
        return messages
