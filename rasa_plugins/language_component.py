"""Rasa adapter for `nlu.language.detect`.

The detection goes into the parse data under `language` (with `add_to_output=True`, the only
way it reaches the tracker); the action server's slot extraction turns it into the sticky
`language` slot, because only there is the conversation's current language known.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu import language, language_lexicon
from rasa_plugins.component_base import StatelessComponent

OUTPUT_KEY = "language"
HINT_METADATA_KEY = "language_hint"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(StatelessComponent):
    """Adds `language` (lang, confidence, explicit, scores) to every parsed message."""

    WRAPS = (language, language_lexicon)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get(METADATA) or {}
            hint = metadata.get(HINT_METADATA_KEY) if isinstance(metadata, dict) else None
            detection = language.detect(message.get(TEXT) or "", hint=hint)
            message.set(OUTPUT_KEY, detection.as_dict(), add_to_output=True)
        return messages
