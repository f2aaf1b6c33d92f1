"""The Rasa component puts the detection where the tracker can see it."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_plugins.language_component import LanguageDetector


def component(tmp_path) -> LanguageDetector:  # noqa: ANN001 - pytest's tmp_path
    return LanguageDetector.create(
        {}, LocalModelStorage(tmp_path), Resource("language"), ExecutionContext(GraphSchema({}))
    )


def test_detection_is_part_of_the_output(tmp_path) -> None:  # noqa: ANN001
    message = Message({TEXT: "أين يمكنني طلب اللجوء في صربيا"})
    component(tmp_path).process([message])
    output = message.as_dict(only_output_properties=True)
    assert output["language"]["lang"] == "ar"
    assert output["language"]["explicit"] is False


def test_channel_hint_reaches_the_detector(tmp_path) -> None:  # noqa: ANN001
    message = Message({TEXT: "👍", METADATA: {"language_hint": "fr"}})
    component(tmp_path).process([message])
    assert message.get("language") == {
        "lang": "fr", "confidence": 0.0, "explicit": False, "script": None, "scores": {}
    }


def test_fingerprint_follows_the_detector_source() -> None:
    first = LanguageDetector.fingerprint_addon({})
    assert first and first == LanguageDetector.fingerprint_addon({})
