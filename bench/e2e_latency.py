"""Reply time and throughput of the whole stack against Rasa's own `rasa init` assistant, in one run.

The baseline is the assistant `rasa init` makes (trained once into `var/bench/rasa-init/`),
served by `rasa run` with the same SQLite tracker store as ours. Both receive the same traffic:
the labelled conversations of `tests/data/conversations/` in the six core languages, each
played turn by turn by its own sender (greetings, questions, a country given later, thanks,
danger, a request for a person), so that senders are both fresh and returning. At each
concurrency, that many conversations run at once; the two stacks are measured alternately,
point by point. For ours, every danger turn is checked against the case store the moment its
reply arrives: the case must already be there. The resident memory of every process is read
after start and after the load.

    .venv-actions/bin/python bench/e2e_latency.py [--messages 150] [--concurrency 1 4 8]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.launcher import BUILD, Settings, Stack, ensure_model, quiet_env
from nlu.language import CORE_LANGUAGES
from operators.store import CaseStore
from tests.datasets import Conversation, conversation_set
from tests.stack_common import free_port

WEBHOOK = "/webhooks/rest/webhook"
BASELINE_CACHE = BUILD / "bench" / "rasa-init"
DANGER = "danger"

CaseCheck = Callable[[str], Awaitable[bool]]


def traffic() -> list[Conversation]:
    """The core languages' labelled conversations, in a fixed random order."""
    conversations = [c for c in conversation_set() if c.lang in CORE_LANGUAGES]
    random.Random(0).shuffle(conversations)
    return conversations


@dataclass
class Point:
    """One stack at one concurrency."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0
    danger_turns: int = 0
    no_case_yet: list[str] = field(default_factory=list)  # senders of danger replies with no case

    def row(self) -> tuple[float, float, float]:
        p95 = statistics.quantiles(self.latencies, n=20)[18]
        return 1000 * statistics.median(self.latencies), 1000 * p95, len(self.latencies) / self.elapsed


async def play(
    base_url: str, conversations: list[Conversation], count: int, concurrency: int, tag: str,
    case_opened: CaseCheck | None = None,
) -> Point:
    """`concurrency` people at a time, each writing their conversation's turns one after another
    and waiting for every reply, until `count` messages have been answered."""
    point = Point()
    queue = iter(enumerate(conversations * (1 + count // max(1, len(conversations)))))
    sent = 0

    async def person(client: httpx.AsyncClient) -> None:
        nonlocal sent
        for number, conversation in queue:
            sender = f"{tag}-{number}"
            for turn in conversation.turns:
                if sent >= count:
                    return
                sent += 1
                started = time.perf_counter()
                reply = await client.post(WEBHOOK, json={"sender": sender, "message": turn.text})
                point.latencies.append(time.perf_counter() - started)
                point.statuses[reply.status_code] += 1
                if turn.kind == DANGER and case_opened is not None:
                    point.danger_turns += 1
                    if not await case_opened(sender):
                        point.no_case_yet.append(sender)

    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        started = time.perf_counter()
        await asyncio.gather(*(person(client) for _ in range(concurrency)))
        point.elapsed = time.perf_counter() - started
    return point


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Sanic runs its app in a child)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        pending += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def baseline_model(settings: Settings) -> Path:
    """Rasa's `rasa init` assistant, made and trained once and kept for the next runs."""
    found = sorted((BASELINE_CACHE / "models").glob("*.tar.gz"))
    if found:
        return found[-1]
    shutil.rmtree(BASELINE_CACHE, ignore_errors=True)
    BASELINE_CACHE.mkdir(parents=True)
    print("Making and training the `rasa init` assistant (once)", flush=True)
    subprocess.run(
        [settings.venv_bin(".venv-rasa", "rasa"), "init", "--no-prompt", "--init-dir", str(BASELINE_CACHE)],
        cwd=BASELINE_CACHE.parent, env=quiet_env(settings), check=True, stdout=subprocess.DEVNULL,
    )
    return sorted((BASELINE_CACHE / "models").glob("*.tar.gz"))[-1]


@contextmanager
def baseline_server(settings: Settings, var: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`rasa run` of the `rasa init` assistant with our tracker store's type: SQL on SQLite."""
    model = baseline_model(settings)
    var.mkdir(parents=True, exist_ok=True)
    endpoints = var / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {var / 'tracker.db'}\n")
    port = free_port()
    with open(var / "rasa.log", "ab") as log:
        process = subprocess.Popen(
            [
                settings.venv_bin(".venv-rasa", "rasa"), "run", "--model", str(model), "--endpoints",
                str(endpoints), "--credentials", str(BASELINE_CACHE / "credentials.yml"),
                "--interface", "127.0.0.1", "--port", str(port),
            ],
            cwd=BASELINE_CACHE, env=quiet_env(settings), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the baseline exited early; see {var / 'rasa.log'}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the baseline did not start")
            time.sleep(1)
        yield url, process
    finally:
        process.terminate()
        process.wait(30)


async def warm_up(base_url: str, conversations: list[Conversation]) -> None:
    """One conversation per language, not measured: models and indexes load on first use."""
    seen: dict[str, Conversation] = {}
    for conversation in conversations:
        seen.setdefault(conversation.lang, conversation)
    async with httpx.AsyncClient(base_url=base_url, timeout=300) as client:
        for conversation in seen.values():
            for turn in conversation.turns:
                await client.post(WEBHOOK, json={"sender": f"warmup-{conversation.id}", "message": turn.text})


def print_report(
    points: dict[tuple[str, int], Point], memory: dict[str, dict[str, float]], count: int, late: int
) -> None:
    print(f"{count} messages per point, conversations in {', '.join(CORE_LANGUAGES)}\n")
    print(
        "| concurrency | bare Rasa p50 / p95 ms / msg/s | ours p50 / p95 ms / msg/s "
        "| p50 ratio | msg/s ratio |\n"
        "|---|---|---|---:|---:|"
    )
    for concurrency in sorted({c for _, c in points}):
        bare, ours = points["bare", concurrency].row(), points["ours", concurrency].row()
        print(
            f"| {concurrency} | {bare[0]:.0f} / {bare[1]:.0f} / {bare[2]:.1f} "
            f"| {ours[0]:.0f} / {ours[1]:.0f} / {ours[2]:.1f} "
            f"| {ours[0] / bare[0]:.2f} | {ours[2] / bare[2]:.2f} |"
        )
    print("\nreplies by HTTP status:")
    for (stack, concurrency), point in sorted(points.items()):
        print(f"  {stack} c={concurrency}: {dict(point.statuses)}")
    danger = sum(p.danger_turns for (stack, _), p in points.items() if stack == "ours")
    missed = sum(len(p.no_case_yet) for (stack, _), p in points.items() if stack == "ours")
    print(
        f"\ndanger turns (ours): {danger}; no case when the reply came: {missed}, of which a case "
        f"was written after the reply: {late} (the others were not taken for danger: issue 17)"
    )
    print("\n| process | after start MB | after the load MB |\n|---|---:|---:|")
    for name, values in memory.items():
        print(f"| {name} | {values['start']:.0f} | {values['load']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=150, help="messages per point")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args()
    conversations = traffic()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        settings = Settings(
            var=var / "ours", rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
            tracker_db=var / "ours" / "tracker.db",
        )
        cases = CaseStore(f"sqlite:///{settings.var / 'cases.db'}")

        async def case_opened(sender: str) -> bool:
            return await asyncio.to_thread(lambda: cases.active_case(sender) is not None)

        with Stack(settings, ensure_model(settings)) as stack, baseline_server(settings, var / "bare") as (
            bare_url, bare_process
        ):
            processes = {f"ours: {name}": p.pid for name, p in stack.processes.items()}
            processes["bare Rasa"] = bare_process.pid
            urls = {"bare": bare_url, "ours": stack.settings.rasa_url}
            for url in urls.values():
                asyncio.run(warm_up(url, conversations))
            memory = {name: {"start": rss_mb(pid)} for name, pid in processes.items()}
            points: dict[tuple[str, int], Point] = {}
            for concurrency in args.concurrency:
                for name, url in urls.items():
                    check = case_opened if name == "ours" else None
                    points[name, concurrency] = asyncio.run(
                        play(url, conversations, args.messages, concurrency, f"{name}-c{concurrency}", check)
                    )
            for name, pid in processes.items():
                memory[name]["load"] = rss_mb(pid)
            waited = [sender for (name, _), p in points.items() if name == "ours" for sender in p.no_case_yet]
            late = sum(asyncio.run(case_opened(sender)) for sender in waited)
    print_report(points, memory, args.messages, late)


if __name__ == "__main__":
    main()
