"""Input validation of our REST channel (runs in the Rasa environment)."""

import json

import pytest

from channels.rest import RequestError, parse_body
from channels.text import NO_TEXT_INTENT, sanitise, to_rasa_text


def body(**payload: object) -> bytes:
    return json.dumps(payload).encode()


def test_valid_body() -> None:
    assert parse_body(body(sender="a1", message=" hello "), 100) == ("a1", "hello", {})
    assert parse_body(body(sender="a1", message="hi", metadata={"k": 1}), 100)[2] == {"k": 1}


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"\xff\xfe\xfa", 400),
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (body(message="hi"), 400),
        (body(sender="", message="hi"), 400),
        (body(sender=5, message="hi"), 400),
        (body(sender="x" * 129, message="hi"), 400),
        (body(sender="a", message=["hi"]), 400),
        (body(sender="a", message="hi", metadata=[1]), 400),
        (body(sender="a", message="x" * 101), 413),
        (b" " * 10_000, 413),
    ],
)
def test_bad_bodies_are_refused_with_a_clear_status(raw: bytes, status: int) -> None:
    with pytest.raises(RequestError) as error:
        parse_body(raw, 100)
    assert error.value.status == status and str(error.value)


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏🙏", "\x00\x01", "\u202e"])
def test_nothing_readable_becomes_the_no_text_intent(text: str) -> None:
    assert to_rasa_text(text) == NO_TEXT_INTENT


def test_sanitise_keeps_text_and_persian_joiners() -> None:
    assert sanitise("می\u200cخواهم\x00") == "می\u200cخواهم"
    assert sanitise("a\u202eb\nc") == "ab\nc"
