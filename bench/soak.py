"""The soak: 2,000 messages from 200 people over Telegram, SMS and WhatsApp while Rasa's tracker
store fails 5% of its reads and writes; whether every message reached the tracker exactly
once and every person in danger has a case. Figures go to BENCHMARKS.md.

    .venv-rasa/bin/python bench/soak.py [--people 200] [--per-person 10] [--failure-rate 0.05]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.soak import run_soak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--failure-rate", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = run_soak(Path(folder), args.people, args.per_person, args.failure_rate)
    for name, value in dataclasses.asdict(result).items():
        print(f"{name}: {value:.0f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
