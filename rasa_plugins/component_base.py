"""What every one of our Rasa components shares: each wraps pure functions from `nlu/`, so
there is nothing to train and nothing to store, and it must be rebuilt when those functions
change, not only when its own source does (Rasa's cache fingerprints only the class)."""

from __future__ import annotations

import hashlib
import inspect
from types import ModuleType
from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class StatelessComponent(GraphComponent):
    """A component over pure functions; `WRAPS` lists the modules they live in."""

    WRAPS: ClassVar[tuple[ModuleType, ...]] = ()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        sources = "".join(inspect.getsource(module) for module in cls.WRAPS)
        return hashlib.sha256(sources.encode()).hexdigest()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def set_intent(message: Message, name: str) -> None:
    """Replaces the classifier's intent, keeping its ranking below for the record."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
