"""Retrieval quality on a labelled set of questions: hit@1, hit@3 and MRR per mode and language.

Used by the acceptance test and by `bench/retrieval.py`, so both measure the same thing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from knowledge.hybrid import MODES, HybridRetriever
from nlu.places import country_in


class LabelledQuestion(Protocol):
    question: str
    lang: str
    country: str | None
    expected: tuple[str, ...]


@dataclass
class Scores:
    """Per-question ranks (None: not found) of one mode, overall and by language."""

    ranks: list[int | None] = field(default_factory=list)
    by_language: dict[str, list[int | None]] = field(default_factory=lambda: defaultdict(list))

    def add(self, lang: str, rank: int | None) -> None:
        self.ranks.append(rank)
        self.by_language[lang].append(rank)

    @staticmethod
    def hit(ranks: list[int | None], k: int) -> float:
        return sum(r is not None and r < k for r in ranks) / max(len(ranks), 1)

    @staticmethod
    def mrr(ranks: list[int | None]) -> float:
        return sum(1 / (r + 1) for r in ranks if r is not None) / max(len(ranks), 1)

    def summary(self, ranks: list[int | None] | None = None) -> dict[str, float]:
        ranks = self.ranks if ranks is None else ranks
        return {"hit@1": self.hit(ranks, 1), "hit@3": self.hit(ranks, 3), "mrr": self.mrr(ranks)}


@dataclass
class Report:
    modes: dict[str, Scores]
    latencies: list[float]  # seconds per question, parts and ranking included (hybrid)

    def latency_ms(self, quantile: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def evaluate(
    retriever: HybridRetriever, items: Iterable[LabelledQuestion], modes: tuple[str, ...] = MODES
) -> Report:
    """Ranks every question in every mode, as `HybridRetriever.search` would, with its country."""
    scores = {mode: Scores() for mode in modes}
    latencies = []
    for item in items:
        started = time.perf_counter()
        country = country_in(item.question) or item.country
        parts = retriever.sides(item.question, country)
        for mode in modes:
            articles = retriever.rank(retriever.combine(parts, mode), country).articles
            if mode == "hybrid":
                latencies.append(time.perf_counter() - started)
            rank = next((i for i, a in enumerate(articles) if a in item.expected), None)
            scores[mode].add(item.lang, rank)
    return Report(scores, latencies or [0.0])
