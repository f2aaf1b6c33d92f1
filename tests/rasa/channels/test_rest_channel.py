"""Our REST channel: input validation, and who may use it (runs in the Rasa environment)."""

import asyncio
import json

import httpx
import pytest

from channels.pipeline import Refused
from channels.rate_limit import RateLimiter
from channels.rest import CLIENT_LIMITS, RestInput, parse_body
from channels.text import NO_TEXT_INTENT, sanitise, to_rasa_text
from tests.rasa.channel_driver import FlakyRasa, serving


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
        (b"[" * 5_000, 400),  # nested deeper than the JSON parser's recursion
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
    with pytest.raises(Refused) as error:
        parse_body(raw, 100)
    assert error.value.status == status and str(error.value)


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏🙏", "\x00\x01", "\u202e"])
def test_nothing_readable_becomes_the_no_text_intent(text: str) -> None:
    assert to_rasa_text(text) == NO_TEXT_INTENT


def test_sanitise_keeps_text_and_persian_joiners() -> None:
    assert sanitise("می\u200cخواهم\x00") == "می\u200cخواهم"
    assert sanitise("a\u202eb\nc") == "ab\nc"


def post_all(channel: RestInput, requests: list[dict]) -> tuple[list[int], FlakyRasa]:
    """Each request (httpx keyword arguments) to the channel in a real server, in order."""
    rasa = FlakyRasa(failures=0)

    async def scenario() -> list[int]:
        async with serving(channel, rasa) as url, httpx.AsyncClient() as http:
            return [(await http.post(url, **request)).status_code for request in requests]

    return asyncio.run(scenario()), rasa


def message(sender: str = "me", **extra: object) -> dict:
    return {"json": {"sender": sender, "message": "hello", **extra}}


def test_without_a_token_only_local_clients_that_came_through_no_proxy() -> None:
    proxied = {"headers": {"X-Forwarded-For": "203.0.113.7"}}
    statuses, rasa = post_all(RestInput(), [message(), {**message(), **proxied}])
    assert statuses == [200, 403] and len(rasa.taken) == 1


def test_with_a_token_every_request_carries_it() -> None:
    channel = RestInput(token="s3cret-token")
    statuses, rasa = post_all(channel, [
        message(),
        {**message(), "headers": {"Authorization": "Bearer wrong"}},
        {**message(), "headers": {"Authorization": "Bearer s3cret-tökén".encode()}},
        {**message(), "headers": {"Authorization": "Bearer s3cret-token"}},
        {**message(), "params": {"token": "s3cret-token"}},
    ])
    assert statuses == [401, 401, 401, 200, 200] and len(rasa.taken) == 2


def test_rotating_the_sender_does_not_pass_the_limit_of_a_remote_address() -> None:
    still = RateLimiter(CLIENT_LIMITS, clock=lambda: 0.0)  # time stands still: no refill
    channel = RestInput(token="t", client_limits=still)
    via_proxy = {"Authorization": "Bearer t", "X-Forwarded-For": "127.0.0.1, 203.0.113.7"}
    flood = [{**message(sender=f"s{i}"), "headers": via_proxy} for i in range(40)]
    other = {**message(sender="x"), "headers": {**via_proxy, "X-Forwarded-For": "198.51.100.9"}}
    statuses, _ = post_all(channel, [*flood, other])
    assert statuses == [200] * 30 + [429] * 10 + [200]


def test_a_clients_contact_is_not_shown_to_operators() -> None:
    _, rasa = post_all(RestInput(), [message(metadata={"contact": "+38760000000", "lang": "fa"})])
    assert rasa.taken[0].metadata == {"lang": "fa"}
