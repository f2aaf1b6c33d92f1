"""Rasa adapter for `nlu.language.detect`.

The detection goes into the parse data under `language` (with `add_to_output=True`, the only
way it reaches the tracker); the action server's slot extraction turns it into the sticky
`language` slot, because only there is the conversation's current language known.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import language, language_lexicon

OUTPUT_KEY = "language"
HINT_METADATA_KEY = "language_hint"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds `language` (lang, confidence, explicit, scores) to every parsed message."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the detector's rules change, not only this adapter (Rasa's cache)."""
        sources = inspect.getsource(language) + inspect.getsource(language_lexicon)
        return hashlib.sha256(sources.encode()).hexdigest()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get(METADATA) or {}
            hint = metadata.get(HINT_METADATA_KEY) if isinstance(metadata, dict) else None
            detection = language.detect(message.get(TEXT) or "", hint=hint)
            message.set(OUTPUT_KEY, detection.as_dict(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
