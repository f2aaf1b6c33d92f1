"""The soak: many people writing over Telegram, SMS and WhatsApp while Rasa's tracker store fails
at random, and what reached the tracker afterwards.

Runs the real stack (trained model, Rasa with our channels, action server, console) against
the local fake Telegram and Twilio APIs, with the tracker store replaced by
`tests.chaos.FlakyTrackerStore`. Shared by `tests/rasa/channels/test_soak.py` (a small run in `make
test`) and `bench/soak.py` (the full run whose figures are in BENCHMARKS.md).
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from bot.launcher import ROOT, Stack, ensure_model
from tests.chaos import RATE_ENV
from tests.fake_apis import FakeApis
from tests.rasa.channel_driver import channel_settings, post_telegram, post_twilio, telegram_update

CHANNELS = ("telegram", "sms", "whatsapp")
QUESTIONS = (
    "hello", "how do I apply for asylum in Serbia?", "where can I sleep tonight in Bihac",
    "چطور می‌توانم در بوسنی پناهندگی بگیرم؟", "أين أجد طبيبا في بلغراد؟", "thank you",
    "Où puis-je trouver un avocat gratuit ?", "I want to go back home, who can help me?",
)
DANGER = (
    "the boss keeps my passport and I cannot leave the house",
    "صاحب کار پاسپورتم را گرفته و نمی‌گذارد از خانه بیرون بروم",
)
DANGER_EVERY = 5
"""Every fifth person writes one message showing danger."""
LIMITS_OFF = {
    "RATE_PER_SENDER_PER_MINUTE": "100000", "RATE_PER_SENDER_BURST": "100000",
    "RATE_PER_ENDPOINT_PER_SECOND": "100000", "RATE_PER_ENDPOINT_BURST": "100000",
}


@dataclass(frozen=True)
class SoakResult:
    sent: int
    refused: int  # webhook answers other than 200
    in_tracker_once: int
    duplicated: int
    missing: int
    danger_people: int
    danger_without_case: int
    seconds: float


@dataclass(frozen=True)
class _Person:
    index: int
    channel: str
    texts: tuple[str, ...]

    @property
    def address(self) -> str:
        if self.channel == "telegram":
            return str(710_000_000 + self.index)
        number = f"+3876{self.index:08d}"
        return number if self.channel == "sms" else f"whatsapp:{number}"

    @property
    def in_danger(self) -> bool:
        return any(text in DANGER for text in self.texts)


def _people(count: int, per_person: int) -> list[_Person]:
    people = []
    for i in range(count):
        texts = [QUESTIONS[(i + j) % len(QUESTIONS)] for j in range(per_person)]
        if i % DANGER_EVERY == 0:
            texts[per_person // 2] = DANGER[i // DANGER_EVERY % len(DANGER)]
        people.append(_Person(i, CHANNELS[i % len(CHANNELS)], tuple(texts)))
    return people


def _endpoints(folder: Path) -> Path:
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["tracker_store"]["type"] = "tests.chaos.FlakyTrackerStore"
    path = folder / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return path


def _write(http: httpx.Client, person: _Person) -> tuple[list[str], int]:
    """Sends a person's messages in order; returns their delivery ids and the refusals."""
    ids, refused = [], 0
    for text in person.texts:
        if person.channel == "telegram":
            update = telegram_update(int(person.address), text)
            reply = post_telegram(http, update)
            ids.append(f"telegram:{update['update_id']}")
        else:
            sid = f"SM{uuid.uuid4().hex}"
            reply = post_twilio(http, person.channel, person.address, text, MessageSid=sid)
            ids.append(f"{person.channel}:{sid}")
        refused += reply.status_code != 200
    return ids, refused


def _send(url: str, plan: list[_Person], workers: int) -> list[tuple[list[str], int]]:
    """People write side by side, each person's messages in order."""
    with httpx.Client(base_url=url, timeout=120) as http, ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda person: _write(http, person), plan))


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def run_soak(
    folder: Path, people: int, per_person: int, failure_rate: float, workers: int = 6
) -> SoakResult:
    """Every person writes over their channel while the tracker store fails at `failure_rate`."""
    fake = FakeApis()
    fake.url = fake.start()
    var = folder / "var"
    settings = channel_settings(var, fake.url, **{RATE_ENV: str(failure_rate), **LIMITS_OFF})
    settings.endpoints = _endpoints(folder)
    plan = _people(people, per_person)
    started = time.monotonic()
    try:
        with Stack(settings, ensure_model(settings)) as stack:
            sent = _send(stack.settings.rasa_url, plan, workers)
            _wait(lambda: _count(var / "channels.db", "SELECT COUNT(*) FROM inbox") == 0, 600)
            danger = [p for p in plan if p.in_danger]
            _wait(lambda: not _without_case(var, danger), 120)
            seconds = time.monotonic() - started
            without_case = _without_case(var, danger)
    finally:
        fake.stop()
    expected = [delivery for ids, _ in sent for delivery in ids]
    found = _message_ids(var / "tracker.db")
    return SoakResult(
        sent=len(expected),
        refused=sum(refused for _, refused in sent),
        in_tracker_once=sum(found[d] == 1 for d in expected),
        duplicated=sum(found[d] > 1 for d in expected),
        missing=sum(found[d] == 0 for d in expected),
        danger_people=len(danger),
        danger_without_case=len(without_case),
        seconds=seconds,
    )


def _count(path: Path, query: str, *args: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute(query, args).fetchone()[0]


def _message_ids(tracker_db: Path) -> Counter[str]:
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("SELECT data FROM events WHERE type_name = 'user'").fetchall()
    return Counter(json.loads(data).get("message_id") for (data,) in rows)


def _without_case(var: Path, danger: list[_Person]) -> list[_Person]:
    """The people in danger whose conversation has no case."""
    with sqlite3.connect(var / "channels.db") as db:
        names = dict(db.execute("SELECT address, pseudonym FROM addresses").fetchall())
    missing = []
    for person in danger:
        name = names.get(person.address)
        query = "SELECT COUNT(*) FROM cases WHERE conversation_id = ?"
        if name is None or not _count(var / "cases.db", query, name):
            missing.append(person)
    return missing
