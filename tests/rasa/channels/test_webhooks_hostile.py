"""Random and hostile input at every webhook of the running stack: a clear 4xx or an answer,
never a 500, and the stack still up afterwards."""

from __future__ import annotations

import json
import random

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rasa.channel_driver import SECRET, post_telegram, post_twilio, telegram_update

FRAGMENTS = [
    "<script>alert(1)</script>", "'; DROP TABLE events; --", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff",
    "\x00", "پاسپورت", "паспорт", "ሰላም", "🙏", "{{7*7}}", "/restart", "/greet", "/report_danger", "LANG ZZ",
    "DELETE", "STOP", "1", "%00", "\r\n",
]
hostile = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=10), max_size=30).map("".join),
    st.integers(4_000, 6_000).map(lambda n: "x" * n),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | hostile,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
EXPECTED = {200, 400, 413, 429}
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(raw=st.binary(max_size=500) | json_values.map(lambda v: json.dumps(v).encode()))
def test_rest_refuses_garbage_clearly(http: httpx.Client, raw: bytes) -> None:
    reply = http.post("/webhooks/rest/webhook", content=raw, headers={"content-type": "application/json"})
    assert reply.status_code in EXPECTED, reply.text


@SETTINGS
@given(text=hostile, metadata=st.none() | st.dictionaries(st.text(max_size=8), json_values, max_size=3))
def test_rest_answers_any_text(http: httpx.Client, text: str, metadata: dict | None) -> None:
    body = {"sender": f"hostile-{random.getrandbits(48)}", "message": text, "metadata": metadata}
    reply = http.post("/webhooks/rest/webhook", json=body)
    assert reply.status_code in EXPECTED, reply.text


@SETTINGS
@given(text=hostile, language=st.sampled_from(["en", "fa", "xx", "pt-BR", ""]))
def test_telegram_answers_any_text(http: httpx.Client, text: str, language: str) -> None:
    chat = random.randint(800_000_000, 899_999_999)
    assert post_telegram(http, telegram_update(chat, text, language=language)).status_code == 200


@SETTINGS
@given(update=json_values)
def test_telegram_refuses_what_is_no_update(http: httpx.Client, update: object) -> None:
    reply = http.post(
        "/webhooks/telegram/webhook",
        content=json.dumps(update).encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert reply.status_code in EXPECTED, reply.text


@SETTINGS
@given(text=hostile, channel=st.sampled_from(["sms", "whatsapp"]))
def test_twilio_answers_any_signed_text(http: httpx.Client, text: str, channel: str) -> None:
    phone = f"+3876{random.randint(10_000_000, 99_999_999)}"
    sender = phone if channel == "sms" else f"whatsapp:{phone}"
    assert post_twilio(http, channel, sender, text).status_code == 200


@pytest.mark.parametrize("nesting", ["[" * 50_000, '{"a":' * 20_000])
@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/webhooks/rest/webhook", {}),
        ("/webhooks/telegram/webhook", {"X-Telegram-Bot-Api-Secret-Token": SECRET}),
    ],
)
def test_json_nested_too_deep_is_refused(http: httpx.Client, nesting: str, path: str, headers: dict) -> None:
    assert http.post(path, content=nesting.encode(), headers=headers).status_code in (400, 413)


def test_the_stack_is_still_up(http: httpx.Client) -> None:
    assert http.get("/webhooks/rest/").status_code == 200
    assert http.post("/webhooks/rest/webhook", json={"sender": "after-all-that", "message": "hello"}).json()
