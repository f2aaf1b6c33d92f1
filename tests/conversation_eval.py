"""Runs the labelled conversations through a running stack and scores what the person got.

Shared by `bench/conversations.py` (the figures in BENCHMARKS.md) and the end-to-end test that
holds a floor on them. Every turn is sent to the REST webhook as a person would send it; what
is scored is read from the replies and from the tracker after the turn: the article behind
the answer (`kb_sources`), the language the replies are written in, the `country` slot, and
the actions that ran (a case opened, a person requested).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx

from knowledge.articles import load_articles
from nlu.language import detect
from tests.datasets import UNLABELLED, Conversation, Turn

DANGER_ACTIONS = frozenset({"action_escalate", "action_safety_followup", "action_handoff_relay"})
"""A danger turn is caught when it opens a case, asks the gentle safety question, or reaches
the case already open."""
NO_LANGUAGE_SCORE = frozenset({"greeting", "thanks"})
"""A "hi" or "ok thanks" says too little about the language the reply should be in."""


@dataclass(frozen=True)
class TurnResult:
    conversation: str
    index: int
    turn: Turn
    texts: tuple[str, ...]
    actions: tuple[str, ...]
    answered: tuple[str, ...]  # kb_sources set by this turn
    language: str | None
    country: str | None


@dataclass
class Tally:
    """Right and total per measure, for one language or for all."""

    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, measure: str, ok: bool) -> None:
        self.total[measure] += 1
        self.right[measure] += int(ok)

    def rate(self, measure: str) -> float:
        return self.right[measure] / self.total[measure] if self.total[measure] else 1.0


MEASURES = ("topic", "language", "country", "no_wrong_handoff", "danger_caught", "no_false_danger")


def _topics() -> dict[str, str]:
    return {a.id: a.topic for a in load_articles()}


def reply_language(texts: tuple[str, ...]) -> str | None:
    """The language the replies of a turn are written in, as the person reads them."""
    return detect("\n".join(texts)).lang if texts else None


def score(results: list[TurnResult]) -> dict[str, Tally]:
    """Per language (the conversation file's) and `all`: every measure of MEASURES."""
    topics = _topics()
    tallies: dict[str, Tally] = defaultdict(Tally)
    by_conversation: dict[str, list[TurnResult]] = defaultdict(list)
    for result in results:
        by_conversation[result.conversation].append(result)
    for conversation, turns in by_conversation.items():
        lang = conversation.rsplit("-", 1)[0]
        for i, result in enumerate(turns):
            turn = result.turn
            checks: list[tuple[str, bool]] = []
            if turn.topic and turn.kind in ("question", "country"):
                right = any(topics.get(a) == turn.topic for a in result.answered)
                asked = "utter_ask_country" in result.actions
                then_told = i + 1 < len(turns) and turns[i + 1].turn.kind == "country"
                checks.append(("topic", right or (asked and then_told)))
            if turn.kind not in NO_LANGUAGE_SCORE:
                checks.append(("language", reply_language(result.texts) == turn.lang))
            if turn.country != UNLABELLED:
                checks.append(("country", result.country == turn.country))
            if turn.kind != "human":
                checks.append(("no_wrong_handoff", "action_request_human" not in result.actions))
            caught = bool(DANGER_ACTIONS & set(result.actions))
            if turn.kind == "danger":
                checks.append(("danger_caught", caught))
            else:
                alarmed = {"action_escalate", "action_safety_followup"} & set(result.actions)
                checks.append(("no_false_danger", not alarmed))
            for measure, ok in checks:
                tallies[lang].add(measure, ok)
                tallies["all"].add(measure, ok)
    return dict(tallies)


async def _turn(
    client: httpx.AsyncClient, token: str, sender: str, conversation: str, index: int, turn: Turn
) -> TurnResult:
    reply = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": turn.text})
    reply.raise_for_status()
    texts = tuple(m["text"] for m in reply.json() if m.get("text"))
    tracker = (await client.get(f"/conversations/{sender}/tracker", params={"token": token})).json()
    events: list[dict[str, Any]] = tracker["events"]
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    this_turn = events[last_user + 1 :]
    actions = tuple(e["name"] for e in this_turn if e.get("event") == "action")
    answered: tuple[str, ...] = ()
    for event in this_turn:
        if event.get("event") == "slot" and event.get("name") == "kb_sources":
            answered = tuple(event.get("value") or ())
    slots = tracker["slots"]
    language, country = slots.get("language"), slots.get("country")
    return TurnResult(conversation, index, turn, texts, actions, answered, language, country)


async def run(
    url: str, token: str, conversations: list[Conversation], concurrency: int = 3
) -> list[TurnResult]:
    """Every conversation as a new person (turns in order, conversations side by side)."""
    queue: asyncio.Queue[Conversation] = asyncio.Queue()
    for conversation in conversations:
        queue.put_nowait(conversation)
    results: list[TurnResult] = []

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            conversation = queue.get_nowait()
            sender = f"eval-{conversation.id}-{uuid.uuid4().hex[:8]}"
            for index, turn in enumerate(conversation.turns):
                results.append(await _turn(client, token, sender, conversation.id, index, turn))

    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return sorted(results, key=lambda r: (r.conversation, r.index))


def table(tallies: dict[str, Tally]) -> str:
    """The per-language table, as Markdown."""
    head = "| language | " + " | ".join(MEASURES) + " |\n|---|" + "---:|" * len(MEASURES)
    rows = []
    for lang in [*sorted(k for k in tallies if k != "all"), "all"]:
        tally = tallies[lang]
        cells = " | ".join(f"{tally.rate(m):.2f} ({tally.right[m]}/{tally.total[m]})" for m in MEASURES)
        rows.append(f"| {lang} | {cells} |")
    return "\n".join([head, *rows])
