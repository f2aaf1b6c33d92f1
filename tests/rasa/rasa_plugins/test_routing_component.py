"""The classifier decides only short small talk; the rest reaches the knowledge base, and
what the classifier said stays in the parse data (runs in the Rasa environment)."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_plugins.routing_component import KnowledgeRouter


def process(tmp_path: Path, text: str, intent: str, confidence: float) -> Message:
    component = KnowledgeRouter.create(
        {}, LocalModelStorage(tmp_path), Resource("router"), ExecutionContext(GraphSchema({}))
    )
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": confidence}})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    component.process([message])
    return message


@pytest.mark.parametrize(
    ("text", "classified", "confidence", "routed"),
    [
        ("Как подать на убежище в Сербии?", "request_human", 0.97, "ask_question"),
        ("সার্বিয়ায় আশ্রয়ের আবেদন কীভাবে করব?", "out_of_scope", 0.9, "ask_question"),
        ("Привет", "nlu_fallback", 0.3, "greet"),
        ("thank you so much", "thank", 0.99, "thank"),
        ("are you a bot", "bot_challenge", 0.95, "ask_question"),  # no language detected: not trusted
        ("хочу поговорить с человеком", "out_of_scope", 0.6, "request_human"),
    ],
)
def test_routes(
    tmp_path: Path, text: str, classified: str, confidence: float, routed: str
) -> None:
    message = process(tmp_path, text, classified, confidence)
    assert message.get(INTENT)["name"] == routed
    said = message.as_dict(only_output_properties=True)["routing"]
    assert said == {"classified": classified, "confidence": confidence, "lang": None}
