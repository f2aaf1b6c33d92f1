"""The labelled conversations through the real stack: what each person got, per language.

Starts the stack (trained model, Rasa server, action server, console) on a fresh SQLite
tracker, sends every conversation of `tests/data/conversations/` turn by turn over the REST
webhook as a new person, and prints per language: answered from the right topic, replies in
the person's language, country right, no wrong handoff, danger caught, no false danger.

`--routing` also compares ways of deciding which messages reach the knowledge base, on the
same turns: the parse data keeps what the intent classifier said, so each option is applied
to the classifier's own output. `--root` runs another checkout (e.g. a worktree of an older
commit, sharing the environments and index) to compare against it in the same run.

    .venv-actions/bin/python bench/conversations.py [--routing] [--root DIR] [--lang ru]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.launcher import ROOT, Settings, Stack, ensure_model
from nlu import routing
from tests.conversation_eval import run, score, table
from tests.datasets import Conversation, conversation_set
from tests.stack_common import free_port

EXPECTED_ROUTE = {
    "question": "ask_question", "country": "ask_question", "greeting": "greet", "thanks": "thank",
    "human": "request_human",
}
"""Where each kind of turn should go; danger and language requests are decided elsewhere."""
KNOWLEDGE_INTENTS = {"ask_question", "inform_country"}

Option = Callable[[str, str | None, float, str | None], str]


def _classifier(text: str, intent: str | None, confidence: float, lang: str | None) -> str:
    return intent or "nlu_fallback"


def _classifier_with_fallback(text: str, intent: str | None, confidence: float, lang: str | None) -> str:
    return "ask_question" if intent in (None, "nlu_fallback", "out_of_scope") else intent


def _router_any_language(text: str, intent: str | None, confidence: float, lang: str | None) -> str:
    return routing.route(text, intent, confidence, "en")


def _word_lists(text: str, intent: str | None, confidence: float, lang: str | None) -> str:
    return routing.route(text, None, 0.0)


OPTIONS: dict[str, Option] = {
    "classifier decides (before)": _classifier,
    "classifier, unsure and out-of-scope to the knowledge base": _classifier_with_fallback,
    "router: word lists, classifier for short small talk in any language": _router_any_language,
    "router: word lists, classifier for short small talk in its six languages (now)": routing.route,
    "router: word lists only": _word_lists,
}


def _same_route(got: str, expected: str) -> bool:
    return got in KNOWLEDGE_INTENTS if expected == "ask_question" else got == expected


async def compare_routing(url: str, token: str, conversations: list[Conversation]) -> str:
    """Each option's share of turns routed where they belong, and its wrong handoffs."""
    right: dict[str, int] = defaultdict(int)
    wrong_human: dict[str, int] = defaultdict(int)
    total = 0
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for conversation in conversations:
            for turn in conversation.turns:
                expected = EXPECTED_ROUTE.get(turn.kind)
                if expected is None:
                    continue
                reply = await client.post("/model/parse", params={"token": token}, json={"text": turn.text})
                parsed = reply.json()
                classified = parsed.get("routing") or {}
                total += 1
                for name, option in OPTIONS.items():
                    confidence = float(classified.get("confidence") or 0)
                    got = option(turn.text, classified.get("classified"), confidence, classified.get("lang"))
                    right[name] += _same_route(got, expected)
                    wrong_human[name] += got == "request_human" and expected != "request_human"
    lines = [f"{total} turns\n", "| routing | routed right | wrong request_human |", "|---|---:|---:|"]
    lines += [f"| {name} | {right[name] / total:.3f} | {wrong_human[name]} |" for name in OPTIONS]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run (default: this one)")
    parser.add_argument("--lang", action="append", help="only these languages (repeatable)")
    parser.add_argument("--routing", action="store_true", help="also compare the routing options")
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write every turn's result here, one JSON per line")
    args = parser.parse_args()
    conversations = [c for c in conversation_set() if not args.lang or c.lang in args.lang]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            root=args.root.resolve(), var=Path(tmp), rasa_port=free_port(), actions_port=free_port(),
            console_port=free_port(), tracker_db=Path(tmp) / "tracker.db",
        )
        with Stack(settings, ensure_model(settings)) as stack:
            results = asyncio.run(run(settings.rasa_url, stack.token, conversations, args.concurrency))
            comparison = ""
            if args.routing:
                comparison = asyncio.run(compare_routing(settings.rasa_url, stack.token, conversations))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(dataclasses.asdict(r), ensure_ascii=False) + "\n" for r in results)
    turns = sum(len(c.turns) for c in conversations)
    print(f"{len(conversations)} conversations, {turns} turns, root {args.root}\n")
    print(table(score(results)))
    if comparison:
        print("\n" + comparison)


if __name__ == "__main__":
    main()
