"""The Rasa server's own validation of action-server replies, made once instead of per reply."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import validate_action_result

VALID = {"events": [{"event": "slot", "name": "language", "value": "fa"}], "responses": [{"text": "سلام"}]}


def _rasas_own(result: dict[str, Any]) -> str | None:
    try:
        RemoteAction("action_answer_question", None)._validate_action_result(result)
    except ValidationError as error:
        return error.message
    return None


def test_a_valid_reply_passes() -> None:
    assert validate_action_result(RemoteAction("action_answer_question", None), VALID)
    assert _rasas_own(VALID) is None


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"event": "slot"}], "responses": "not a list"},
        {"events": [{"event": "no_such_event"}]},
        {"events": "not a list"},
    ],
)
def test_an_invalid_reply_fails_with_rasas_own_error(reply: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_action_result(RemoteAction("action_answer_question", None), reply)
    assert raised.value.message == _rasas_own(reply)
