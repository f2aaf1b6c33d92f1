"""While a handoff is active, the policy sends every message to the operator (Rasa environment)."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_plugins.handoff_policy import RELAY_ACTION, HandoffPolicy, next_action

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, report_danger, delete_data, affirm]
slots:
  handoff_active:
    type: bool
    influence_conversation: false
    mappings: [{type: custom}]
actions: [action_handoff_relay, action_escalate, action_delete_data]
responses:
  utter_delete_confirm:
  - text: Erase?
"""
)


def predicted(tmp_path, handoff: bool, events: list) -> str | None:  # noqa: ANN001
    policy = HandoffPolicy.create(
        HandoffPolicy.get_default_config(), LocalModelStorage(tmp_path), Resource("handoff"),
        ExecutionContext(GraphSchema({})),
    )
    events = [SlotSet("handoff_active", handoff), *events]
    tracker = DialogueStateTracker.from_events("someone", events, DOMAIN.slots)
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    if prediction.max_confidence == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


def test_next_action_rules() -> None:
    assert next_action(False, "action_listen") is None
    assert next_action(True, "action_listen") == RELAY_ACTION
    assert next_action(True, RELAY_ACTION) == "action_listen"
    assert next_action(True, "action_escalate") is None


def test_a_message_during_handoff_goes_to_the_relay_whatever_its_intent(tmp_path) -> None:  # noqa: ANN001
    message = UserUttered("they are coming", {"name": "report_danger", "confidence": 1.0})
    assert predicted(tmp_path, True, [ActionExecuted("action_listen"), message]) == RELAY_ACTION
    after = [ActionExecuted("action_listen"), message, ActionExecuted(RELAY_ACTION)]
    assert predicted(tmp_path, True, after) == "action_listen"


def test_without_handoff_the_policy_abstains(tmp_path) -> None:  # noqa: ANN001
    message = UserUttered("hello", {"name": "greet", "confidence": 1.0})
    assert predicted(tmp_path, False, [ActionExecuted("action_listen"), message]) is None


def test_privacy_commands_and_an_erasure_confirmation_reach_the_rules_during_handoff(tmp_path) -> None:  # noqa: ANN001
    delete = UserUttered("DELETE", {"name": "delete_data", "confidence": 1.0})
    assert predicted(tmp_path, True, [ActionExecuted("action_listen"), delete]) is None
    asked = [ActionExecuted("action_listen"), delete, ActionExecuted("utter_delete_confirm")]
    yes = UserUttered("YES", {"name": "affirm", "confidence": 1.0})
    assert predicted(tmp_path, True, [*asked, ActionExecuted("action_listen"), yes]) is None
    hello = UserUttered("hi", {"name": "greet"})
    relayed = [ActionExecuted("action_listen"), hello, ActionExecuted(RELAY_ACTION)]
    assert predicted(tmp_path, True, [*relayed, ActionExecuted("action_listen"), yes]) == RELAY_ACTION


def test_it_outranks_the_rules() -> None:
    assert HandoffPolicy.get_default_config()["priority"] > 6  # RulePolicy's priority
