"""Fakes for the action tests: a knowledge base of a few made-up articles, a retriever that
returns the hits a test scripts, the domain texts an answer is composed of, and a way to run an
action as the action server does, without the index, the embedding model or a trained bot."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answer as answer_module
from knowledge.articles import Article, Source, Translation
from knowledge.hybrid import Hit

REVIEWED = dt.date(2026, 11, 2)
SENDER = "tg-5550123456"
NOW = 1767225600.25
"""The timestamp of the latest user message, which names the case it opens."""


def article(article_id: str, topic: str, countries: tuple[str, ...] = ("all",),
            langs: tuple[str, ...] = ("en", "ar")) -> Article:
    """An article whose every text says which article, part and language it is."""
    translations = {
        lang: Translation(
            lang, "reviewed", f"{article_id} title [{lang}]",
            f"{article_id} first part [{lang}]\n\n{article_id} second part [{lang}]",
        )
        for lang in langs
    }
    source = Source(f"https://help.example.org/{article_id}/", f"{article_id} source")
    return Article(article_id, topic, countries, REVIEWED, (source,), translations)


ARTICLES = [
    article("all-health-care", "health_care"),
    article("rs-health-care", "health_care", ("RS",), langs=("en", "fr")),  # not in Arabic yet
    article("rs-work-rights", "work_rights", ("RS",)),  # work: only country articles, no general one
    article("ba-work-rights", "work_rights", ("BA",)),
    article("all-legal-aid", "legal_aid"),  # the same everywhere: nothing to ask
    article("all-accommodation-reception", "accommodation_reception"),
    article("all-about-this-service", "about_this_service"),
    article("all-emergency-contacts", "emergency_contacts"),
]
BY_ID = {a.id: a for a in ARTICLES}


def hit(article_id: str, score: float) -> Hit:
    found = BY_ID[article_id]
    return Hit(article_id, found.topic, score, found.countries)


class FakeRetriever:
    """Answers `(text, country)` with the hits a test gave it, and records every search and
    the message vector it was given, if any."""

    embedder = SimpleNamespace(name="fake-embedder")

    def __init__(self, scripted: dict[tuple[str, str | None], list[Hit]] | None = None) -> None:
        self.articles = dict(BY_ID)
        self.scripted = scripted or {}
        self.searches: list[tuple[str, str | None, str | None]] = []
        self.vectors: list[np.ndarray | None] = []

    def article(self, article_id: str) -> Article:
        return self.articles[article_id]

    def search(
        self, text: str, lang: str | None = None, country: str | None = None, k: int = 3,
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        self.searches.append((text, lang, country))
        self.vectors.append(vector)
        return self.scripted.get((text, country), [])[:k]


def use_retriever(monkeypatch: pytest.MonkeyPatch, retriever: FakeRetriever) -> FakeRetriever:
    """`actions.answer` reaches the shared retriever by `Retriever.default()`: that name is the seam."""
    monkeypatch.setattr(answer_module, "Retriever", SimpleNamespace(default=lambda: retriever))
    return retriever


def _texts(en: str, ar: str) -> list[dict[str, Any]]:
    return [{"text": ar, "condition": [{"type": "slot", "name": "language", "value": "ar"}]}, {"text": en}]


DOMAIN: DomainDict = {
    "responses": {
        "utter_kb_source": _texts("Source: {source} (checked {date})", "المصدر: {source} (آخر تحقق: {date})"),
        "utter_kb_translation_missing": _texts(
            "Not in your language yet, here it is in {fallback_language}.",
            "هذا الجواب غير مكتوب بلغتك بعد، لذلك أرسله لك بهذه اللغة: {fallback_language}.",
        ),
    }
}
"""The responses `actions.answer` composes an answer from; the others are sent by name."""


def tracker(
    text: str = "",
    intent: str = "ask_question",
    slots: dict[str, Any] | None = None,
    *,
    entities: Iterable[dict[str, Any]] = (),
    risk: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    parse_data: dict[str, Any] | None = None,
    channel: str | None = "telegram",
    history: Iterable[dict[str, Any]] = (),
    sender: str = SENDER,
) -> Tracker:
    """The tracker Rasa sends after a user message: the message is the last event too."""
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent}, "entities": list(entities)}
    if risk is not None:
        latest["risk"] = risk
    if metadata is not None:
        latest["metadata"] = metadata
    latest.update(parse_data or {})
    user = {"event": "user", "timestamp": NOW, "text": text, "parse_data": latest,
            "input_channel": channel, "metadata": metadata or {}}
    return Tracker(sender, dict(slots or {}), latest, [*history, user], False, None, {}, "action_listen")


def run(
    action: Action, tr: Tracker, dispatcher: CollectingDispatcher | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Runs the action as the action server does; returns its events and what it said."""
    dispatcher = dispatcher or CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return events, dispatcher.messages


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}
