"""Every message is assessed, and danger becomes its intent (Rasa environment)."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_plugins.risk_component import RiskDetector


def process(tmp_path, text: str, intent: str) -> Message:  # noqa: ANN001
    component = RiskDetector.create(
        {}, LocalModelStorage(tmp_path), Resource("risk"), ExecutionContext(GraphSchema({}))
    )
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    component.process([message])
    return message


def test_danger_overrides_the_intent_and_reaches_the_tracker(tmp_path) -> None:  # noqa: ANN001
    message = process(tmp_path, "the boss took our passports and says we owe him 4000 euros", "ask_question")
    assert message.get(INTENT)["name"] == "report_danger"
    output = message.as_dict(only_output_properties=True)
    assert output["risk"]["level"] == "critical"
    assert {"documents_confiscated", "debt_bondage"} <= set(output["risk"]["reasons"])
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][:2] == ["report_danger", "ask_question"]


def test_a_benign_look_alike_keeps_its_intent(tmp_path) -> None:  # noqa: ANN001
    message = process(tmp_path, "I lost my passport on the bus, what should I do", "ask_question")
    assert message.get(INTENT)["name"] == "ask_question"
    assert message.get("risk")["level"] == "none"


def test_the_embedding_it_made_goes_on_to_the_action_server(tmp_path) -> None:  # noqa: ANN001
    from common import message_vector
    from nlu import risk

    text = "we have been waiting at the border crossing since yesterday morning with the children"
    output = process(tmp_path, text, "ask_question").as_dict(only_output_properties=True)
    vector = message_vector.unpack(output, risk.EMBEDDING_MODEL)
    assert vector is not None and vector.shape == (384,)
    assert (vector == risk.message_vector(text)).all()


def test_no_embedding_is_made_for_a_short_message(tmp_path) -> None:  # noqa: ANN001
    output = process(tmp_path, "thank you", "thank").as_dict(only_output_properties=True)
    assert "message_vector" not in output
