"""Scaling out: two Rasa replicas sharing one PostgreSQL tracker store and one Redis lock store.

A conversation may reach either replica, even two of its messages at once; it must stay one
conversation, in one language, and an erasure must reach the shared tracker's rows."""

from __future__ import annotations

import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest

from bot.launcher import Settings, Stack, ensure_model
from tests.postgres import POSTGRES, fresh_schema, in_schema, rows_containing
from tests.stack_common import RESPONSES, free_port

REDIS = ("127.0.0.1", 6379)


@pytest.fixture(scope="module")
def schema() -> Iterator[str]:
    with fresh_schema("scale") as name:
        yield name


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory, schema: str) -> Iterator[list[Stack]]:
    """Two replicas on one host: their own ports, the same var/ (channel state, case store)."""
    var = tmp_path_factory.mktemp("var")
    env = {
        "RASA_TRACKER_URL": in_schema("postgresql://postgres@127.0.0.1:5432/test", schema),
        "RASA_REDIS_URL": "redis://127.0.0.1:6379/1", "RASA_LOCK_PREFIX": schema,
    }
    with ExitStack() as running:
        stacks = []
        for _ in range(2):  # one after the other: the first creates the tables
            settings = Settings(
                var=var, rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
                extra_env=env,
            )
            stacks.append(running.enter_context(Stack(settings, ensure_model(settings))))
        yield stacks


def say(stack: Stack, sender: str, message: str) -> list[str]:
    url = f"{stack.settings.rasa_url}/webhooks/rest/webhook"
    reply = httpx.post(url, json={"sender": sender, "message": message}, timeout=60)
    assert reply.status_code == 200, reply.text
    return [m["text"] for m in reply.json() if "text" in m]


def tracker(stack: Stack, sender: str) -> dict:
    url = f"{stack.settings.rasa_url}/conversations/{sender}/tracker"
    reply = httpx.get(url, params={"token": stack.token})
    assert reply.status_code == 200
    return reply.json()


def turns(events: list[dict]) -> list[list[str]]:
    """The user's messages and the actions that answered each, in the tracker's order."""
    found: list[list[str]] = []
    for event in events:
        if event["event"] == "user":
            found.append([event["text"]])
        elif event["event"] == "action" and found:
            found[-1].append(event["name"])
    return found


def test_a_conversation_moves_between_replicas_in_its_language(replicas: list[Stack]) -> None:
    first, second = replicas
    sender = f"scale-{uuid.uuid4().hex[:8]}"
    assert say(first, sender, "سلام، حال شما چطور است")[1] == RESPONSES["utter_greet"]["fa"]
    assert say(second, sender, "ok") and tracker(second, sender)["slots"]["language"] == "fa"
    assert say(first, sender, "سلام")[0] == RESPONSES["utter_greet"]["fa"]
    texts = [turn[0] for turn in turns(tracker(second, sender)["events"])]
    assert texts == ["سلام، حال شما چطور است", "ok", "سلام"]


def test_messages_arriving_at_both_replicas_at_once_are_taken_one_at_a_time(
    replicas: list[Stack], schema: str
) -> None:
    sender = f"scale-{uuid.uuid4().hex[:8]}"
    say(replicas[0], sender, "hello")
    with socket.create_connection(REDIS) as monitor:
        monitor.sendall(b"MONITOR\r\n")
        with ThreadPoolExecutor(2) as pool:
            answered = list(pool.map(say, replicas, [sender] * 2, ["hello again", "thank you"]))
        assert all(answered)
        seen = _read_for(monitor, seconds=2)
    assert f"{schema}:lock:{sender}".encode() in seen  # the shared lock was taken
    conversation = turns(tracker(replicas[1], sender)["events"])
    assert sorted(turn[0] for turn in conversation[1:]) == ["hello again", "thank you"]
    assert all(turn[-1] == "action_listen" and len(turn) > 1 for turn in conversation)


def _read_for(connection: socket.socket, seconds: float) -> bytes:
    """What Redis's MONITOR streamed, for a while: it streams as long as anyone uses Redis."""
    seen, deadline = b"", time.monotonic() + seconds
    connection.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            seen += connection.recv(65536)
        except TimeoutError:
            continue
    return seen


def test_erasure_reaches_the_shared_postgresql_tracker(replicas: list[Stack], schema: str) -> None:
    first, second = replicas
    sender = f"scale-{uuid.uuid4().hex[:8]}"
    secret = f"my friend {uuid.uuid4().hex[:10]} waits at the station"
    url = in_schema(POSTGRES, schema)
    say(first, sender, f"hello, {secret}")
    assert rows_containing(url, secret) > 0  # the search finds it while it is there
    assert say(second, sender, "DELETE") == [RESPONSES["utter_delete_confirm"]["en"]]
    assert say(first, sender, "YES") == [RESPONSES["utter_deleted"]["en"]]
    deadline = time.time() + 90
    with sqlite3.connect(first.settings.var / "cases.db") as cases:
        while cases.execute("SELECT count(*) FROM erasure_requests").fetchone()[0] and time.time() < deadline:
            time.sleep(2)
    assert rows_containing(url, secret) == 0
    assert not any(e["event"] == "user" for e in tracker(second, sender)["events"])
