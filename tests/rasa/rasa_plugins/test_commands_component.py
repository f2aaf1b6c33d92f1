"""A typed command is its intent whatever the classifier thought (runs in the Rasa environment)."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_plugins.commands_component import CommandIntents


def process(tmp_path, text: str, intent: str = "nlu_fallback") -> Message:  # noqa: ANN001
    component = CommandIntents.create(
        {}, LocalModelStorage(tmp_path), Resource("commands"), ExecutionContext(GraphSchema({}))
    )
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.4}})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.4}])
    component.process([message])
    return message


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("LANG UR", "change_language"),
        ("français", "change_language"),
        ("MORE", "more"),
        ("Human", "request_human"),
    ],
)
def test_commands_set_their_intent(tmp_path, text: str, intent: str) -> None:  # noqa: ANN001
    message = process(tmp_path, text)
    assert message.get(INTENT) == {"name": intent, "confidence": 1.0}
    assert message.as_dict(only_output_properties=True)["intent"]["name"] == intent
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == [intent, "nlu_fallback"]


@pytest.mark.parametrize("text", ["bonjour, comment ça va", "tell me more about asylum", "i am a human"])
def test_ordinary_text_keeps_the_classifier_intent(tmp_path, text: str) -> None:  # noqa: ANN001
    assert process(tmp_path, text, "greet").get(INTENT)["name"] == "greet"
