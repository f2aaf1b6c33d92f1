"""Time from a danger message to the written case and the safety reply, against an ordinary turn.

Each of N people greets in Farsi, then writes that their passports were taken and they owe
4,000 euros. The case is written before the reply is sent, so the reply time bounds the time
to the case; every case is checked in the case store. The baseline is the same people's
ordinary turn (a question answered from the knowledge base), in the same run.

    .venv-actions/bin/python bench/escalation.py [--people 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.launcher import Settings, Stack, ensure_model
from operators.store import CaseStore
from tests.stack_common import free_port

GREETING = "سلام، خوبی؟"
QUESTION = "چطور می‌توانم در صربستان درخواست پناهندگی بدهم"
DANGER = "اون مرد پاسپورتامونو گرفته و میگه ۴۰۰۰ یورو بهش بدهکاریم"


def timed(client: httpx.Client, sender: str, text: str) -> float:
    started = time.perf_counter()
    client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text}).raise_for_status()
    return 1000 * (time.perf_counter() - started)


def summary(name: str, values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[18]
    return f"| {name} | {statistics.median(values):.0f} | {p95:.0f} | {max(values):.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        settings = Settings(
            var=var, rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
            tracker_db=var / "tracker.db",
        )
        with Stack(settings, ensure_model(settings)) as stack, httpx.Client(
            base_url=stack.settings.rasa_url, timeout=60
        ) as client:
            # The first person on a fresh stack, reported apart: it loads the index and the stores.
            cold = [timed(client, "warmup", text) for text in (GREETING, DANGER, QUESTION)]
            ordinary, danger = [], []
            for n in range(args.people):
                sender = f"bench-{n}"
                timed(client, sender, GREETING)
                ordinary.append(timed(client, sender, QUESTION))
                danger.append(timed(client, sender, DANGER))
            cases = CaseStore(f"sqlite:///{var / 'cases.db'}").cases(include_closed=True)
            critical = sum(1 for c in cases if c.level == "critical" and c.conversation_id != "warmup")
    print(f"{args.people} people, one after another; {critical} critical cases written\n")
    print("| turn | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|")
    print(summary("danger: case written, safety reply sent", danger))
    print(summary("ordinary question (baseline)", ordinary))
    greeting, first_danger, question = (f"{ms:.0f} ms" for ms in cold)
    print(f"\nfirst person on a fresh stack: greeting {greeting}, danger {first_danger}, question {question}")
    print(f"p50 ratio danger/ordinary: {statistics.median(danger) / statistics.median(ordinary):.2f}")


if __name__ == "__main__":
    main()
