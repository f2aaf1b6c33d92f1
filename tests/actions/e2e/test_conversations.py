"""The labelled conversations through the real stack hold their measured floors.

The figures and their history are in BENCHMARKS.md ("Conversations"); `bench/conversations.py`
prints the same table. A floor is set a little under what was measured, so that a change that
makes people's answers worse fails here, and is raised when the assistant gets better.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.launcher import Settings, Stack, ensure_model
from tests.conversation_eval import Tally, run, score, table
from tests.datasets import conversation_set
from tests.stack_common import free_port

FLOORS = {
    "topic": 0.88,
    "language": 0.95,
    "country": 0.88,
    "no_wrong_handoff": 0.99,
    "danger_caught": 1.0,
    "no_false_danger": 0.80,
}
"""Over all languages; measured 2026-12-07: 0.92, 0.98, 0.92, 1.00, 1.00, 0.83."""
LANGUAGE_FLOORS = {"topic": 0.75, "language": 0.88}
"""For every one of the 19 languages."""


@pytest.fixture(scope="module")
def tallies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Tally]]:
    var = tmp_path_factory.mktemp("var")
    settings = Settings(
        var=var, rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db",
    )
    conversations = conversation_set()
    with Stack(settings, ensure_model(settings)) as stack:
        results = asyncio.run(run(settings.rasa_url, stack.token, conversations))
    assert len(results) == sum(len(c.turns) for c in conversations)
    found = score(results)
    print("\n" + table(found))
    yield found


def test_the_set_covers_every_language_with_enough_conversations() -> None:
    conversations = conversation_set()
    per_language = {c.lang for c in conversations}
    assert len(per_language) == 19
    assert all(sum(c.lang == lang for c in conversations) >= 25 for lang in per_language)


def test_overall_floors(tallies: dict[str, Tally]) -> None:
    overall = tallies["all"]
    for measure, floor in FLOORS.items():
        assert overall.rate(measure) >= floor, (measure, overall.rate(measure), table(tallies))


def test_every_language_holds_its_floor(tallies: dict[str, Tally]) -> None:
    for lang, tally in tallies.items():
        for measure, floor in LANGUAGE_FLOORS.items():
            assert tally.rate(measure) >= floor, (lang, measure, tally.rate(measure))
