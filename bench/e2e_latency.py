"""End-to-end REST latency of the full stack against a bare Rasa model, in one run.

The bare model has the same domain, data and policies but no custom NLU components, so the
difference is what our components cost. Both stacks run on this machine, one after the other.

    .venv-actions/bin/python bench/e2e_latency.py [--messages 300] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.launcher import ROOT, Settings, Stack, ensure_model

MESSAGES = [
    "hello",
    "how can I apply for asylum in serbia",
    "مرحبا، كيف أقدم طلب لجوء",
    "سلام، چطور می‌توانم درخواست پناهندگی بدهم",
    "په صربیا کې څنګه پناه وغواړم",
    "مجھے مدد چاہیے",
    "bonjour, je cherche un avocat",
    "thank you",
    "are you a bot?",
    "ok",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bare_config(directory: Path) -> Path:
    """config.yml without our components: the baseline."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config["pipeline"] = [c for c in config["pipeline"] if not c["name"].startswith("nlu.")]
    path = directory / "config_bare.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


async def measure(url: str, count: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    messages = itertools.cycle(MESSAGES)
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait((i, next(messages)))

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i, text = queue.get_nowait()
            started = time.perf_counter()
            reply = await client.post(url, json={"sender": f"bench-{i}", "message": text})
            reply.raise_for_status()
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(timeout=60) as client:
        for text in MESSAGES:  # warm-up, not measured
            await client.post(url, json={"sender": "bench-warmup", "message": text})
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * quantiles[94],
        "msgs_per_s": count / elapsed,
    }


def run_stack(model: Path, var: Path, count: int, concurrency: int) -> dict[str, float]:
    settings = Settings(
        var=var, rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db",
    )
    with Stack(settings, model) as stack:
        return asyncio.run(measure(f"{stack.settings.rasa_url}/webhooks/rest/webhook", count, concurrency))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base = Settings(var=tmp_path)
        ours = ensure_model(base)
        bare = ensure_model(base, config=bare_config(tmp_path))
        results = {
            "full stack": run_stack(ours, tmp_path / "ours", args.messages, args.concurrency),
            "bare Rasa model": run_stack(bare, tmp_path / "bare", args.messages, args.concurrency),
        }
    print(f"{args.messages} messages, concurrency {args.concurrency}\n")
    print("| stack | p50 ms | p95 ms | messages/s |\n|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['msgs_per_s']:.1f} |")
    ratio = results["full stack"]["p50_ms"] / results["bare Rasa model"]["p50_ms"]
    print(f"\np50 ratio full/bare: {ratio:.2f}")


if __name__ == "__main__":
    main()
