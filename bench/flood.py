"""A flood from one sender against everyone else's reply time, with and without rate limits.

One sender fires 1,000 messages as fast as 20 connections allow while other people write one
message each, one after another; their median reply time is compared with the same people
writing with no flood. Without limits the flood outlasts them (its turns queue behind one
conversation's lock) and is stopped when they are done. The same stack is measured with the
default limits and with limits so high that nothing is refused (the baseline), in one run.

    .venv-actions/bin/python bench/flood.py [--flood 1000] [--others 40]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.launcher import Settings, Stack, ensure_model
from tests.stack_common import free_port

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
"""What the other people write: one message each, in the core languages."""

NO_LIMITS = {
    "RATE_PER_SENDER_PER_MINUTE": "1000000", "RATE_PER_SENDER_BURST": "1000000",
    "RATE_PER_ENDPOINT_PER_SECOND": "1000000", "RATE_PER_ENDPOINT_BURST": "1000000",
}


async def others(client: httpx.AsyncClient, url: str, count: int, tag: str) -> list[float]:
    """Other people's reply times: each writes one message and waits for the answer."""
    latencies = []
    for i, text in zip(range(count), itertools.cycle(MESSAGES), strict=False):
        started = time.perf_counter()
        reply = await client.post(url, json={"sender": f"other-{tag}-{i}", "message": text})
        reply.raise_for_status()
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.2)
    return latencies


async def flood(client: httpx.AsyncClient, url: str, count: int, statuses: collections.Counter[int]) -> None:
    queue = iter(range(count))

    async def connection() -> None:
        for n in queue:
            reply = await client.post(url, json={"sender": "flooder", "message": f"hello {n}"})
            statuses[reply.status_code] += 1

    await asyncio.gather(*(connection() for _ in range(20)))


async def measure(url: str, flood_size: int, count: int) -> dict[str, object]:
    """Others are measured while the flood runs; a flood still running after them is stopped."""
    limits = httpx.Limits(max_connections=40)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        for text in MESSAGES:  # warm-up, not measured
            await client.post(url, json={"sender": "warmup", "message": text})
        quiet = await others(client, url, count, "quiet")
        statuses: collections.Counter[int] = collections.Counter()
        started = time.perf_counter()
        flooding = asyncio.create_task(flood(client, url, flood_size, statuses))
        loud = await others(client, url, count, "loud")
        finished = flooding.done()
        flooding.cancel()
        return {
            "quiet_ms": 1000 * statistics.median(quiet),
            "flood_ms": 1000 * statistics.median(loud),
            "flood": f"{'all' if finished else 'not all'} sent in {time.perf_counter() - started:.0f} s",
            "statuses": dict(statuses),
        }


def run(model: Path, var: Path, env: dict[str, str], flood_size: int, count: int) -> dict[str, object]:
    settings = Settings(
        var=var, rasa_port=free_port(), actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db", extra_env=env,
    )
    with Stack(settings, model) as stack:
        return asyncio.run(measure(f"{stack.settings.rasa_url}/webhooks/rest/webhook", flood_size, count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--others", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        model = ensure_model(Settings(var=tmp_path))
        results = {
            "rate limits (default)": run(model, tmp_path / "limited", {}, args.flood, args.others),
            "no limits (baseline)": run(model, tmp_path / "open", NO_LIMITS, args.flood, args.others),
        }
    print(f"{args.flood} messages from one sender; {args.others} other people, one message each\n")
    header = "| stack | others' p50 without flood ms | with flood ms | ratio | the flood | flood replies |"
    print(header)
    print("|---|---:|---:|---:|---|---|")
    for name, r in results.items():
        quiet, loud = r["quiet_ms"], r["flood_ms"]
        statuses = ", ".join(f"{n}× {code}" for code, n in sorted(r["statuses"].items()))
        cells = [name, f"{quiet:.0f}", f"{loud:.0f}", f"{loud / quiet:.2f}", r["flood"]]
        print("| " + " | ".join([*cells, statuses]) + " |")

if __name__ == "__main__":
    main()
