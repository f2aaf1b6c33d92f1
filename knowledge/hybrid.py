"""Hybrid retrieval: which article answers a question, in any language, for a country.

The dense side (multilingual embeddings: faiss nearest passages and a linear topic model
over the same embeddings) finds paraphrases and crosses languages; the lexical side (BM25 and
a linear topic model over character n-grams of the same passages) finds the rare telling word,
a town, a misspelt or romanised one. Each side gives every article a probability (a topic
model's share goes to the topic's articles that apply where the person is); the hybrid
averages them. Country rules then pick the answer: the topic with the most probability, and
in it the asker's own country's article. A calibrated confidence says how likely that answer
is right (`Hit.score`), so the assistant can say it is not sure instead of guessing.

The calibration is fitted by searching with this retriever (`knowledge.calibration`), so it
is given to it ready; `knowledge.ready` loads or fits it, `knowledge.retriever` has the shared
instance.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from knowledge.articles import Article
from knowledge.embeddings import Embedder
from knowledge.index import Index
from nlu.places import country_in

MODES = ("hybrid", "dense", "lexical", "faiss", "bm25")
"""`hybrid` answers; the sides and their single parts are there to be measured against it."""
_DENSE_TEMPERATURE = 0.01  # cosine similarities differ by hundredths between close passages
_LEXICAL_TEMPERATURE = 0.1  # BM25 scores are first divided by the query's best score
_DENSE_CANDIDATES = 128
CLOSENESS = "closeness"
"""The part of `Retriever.sides` that holds the nearest passage's cosine, not probabilities."""


@dataclass(frozen=True)
class Hit:
    """One article for a question; `score` is the calibrated probability that it is the answer.

    Only the first hit is the answer; the others are the next best in other topics or
    countries, offered when the first is not sure enough.
    """

    article_id: str
    topic: str
    score: float
    countries: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    """Articles best first, and the evidence that calibration turns into a confidence."""

    articles: list[str]
    shares: dict[str, float]  # each article's share of the probability left after country rules
    article_share: float  # the first article's
    topic_share: float  # its topic's share
    topic_margin: float  # how far its topic is ahead of the next one
    closeness: float = 0.0  # cosine of the nearest passage: how near the base the question is at all

    def features(self) -> list[float]:
        return [self.article_share, self.topic_share, self.topic_margin, self.closeness]


class Confidence(Protocol):
    """How likely a ranking's first article is right: `knowledge.calibration.Calibration`,
    which sits above this module because it is fitted by searching with it."""

    def probability(self, ranking: Ranking, mode: str = "hybrid") -> float: ...


def _softmax(scores: dict[str, float], temperature: float) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    weights = {a: math.exp((s - top) / temperature) for a, s in scores.items()}
    total = sum(weights.values())
    return {a: w / total for a, w in weights.items()}


def _holds(article: Article, country: str | None) -> bool:
    """The country rule: with the country unknown every article may answer."""
    return country is None or article.applies_to(country)


def closeness_of(parts: dict[str, dict[str, float]]) -> float:
    return parts[CLOSENESS][""]


def _mix(*parts: dict[str, float]) -> dict[str, float]:
    mixed: dict[str, float] = defaultdict(float)
    for part in parts:
        for article_id, p in part.items():
            mixed[article_id] += p / len(parts)
    return mixed


class HybridRetriever:
    """Searches the articles of an index; the calibration says how sure its answers are."""

    def __init__(
        self, index: Index, articles: list[Article], embedder: Embedder, calibration: Confidence
    ) -> None:
        self.index = index
        self.articles = {a.id: a for a in articles}
        self.embedder = embedder
        self._passage_articles = [p.article_id for p in index.passages]
        self._topics: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            self._topics[article.topic].append(article)
        self.calibration = calibration

    def article(self, article_id: str) -> Article:
        return self.articles[article_id]

    def _spread(self, topics: dict[str, float], country: str | None) -> dict[str, float]:
        """A topic's probability shared among its articles that apply in `country`, so that
        the country rules do not take from topics that have many countries' articles."""
        spread = {}
        for topic, p in topics.items():
            articles = [a for a in self._topics[topic] if _holds(a, country)]
            spread.update({a.id: p / len(articles) for a in articles})  # none: the topic is out
        return spread

    def sides(
        self, text: str, country: str | None = None, vector: np.ndarray | None = None
    ) -> dict[str, dict[str, float]]:
        """Every article's probability of answering the text, by each of the four parts,
        asked from `country` (where the person is, or the country the text names). `vector`:
        the text's query embedding, when it was already made."""
        query = self.embedder.queries([text]) if vector is None else vector.reshape(1, -1)
        dense_model, lexical_model = (
            self._spread(topics, country) for topics in self.index.models.probabilities(query[0], text)
        )
        found, ids = self.index.dense.search(query, min(_DENSE_CANDIDATES, len(self._passage_articles)))
        nearest: dict[str, float] = {}
        for score, i in zip(found[0], ids[0], strict=True):
            if i >= 0:
                article_id = self._passage_articles[i]
                nearest[article_id] = max(nearest.get(article_id, -1.0), float(score))
        bm25 = self.index.lexical.scores(text)
        best: dict[str, float] = {}
        for i in np.flatnonzero(bm25 > 0):
            article_id = self._passage_articles[i]
            best[article_id] = max(best.get(article_id, 0.0), float(bm25[i]))
        top = max(best.values(), default=1.0)
        return {
            CLOSENESS: {"": max(nearest.values(), default=0.0)},
            "dense_model": dense_model,
            "faiss": _softmax(nearest, _DENSE_TEMPERATURE),
            "lexical_model": lexical_model,
            "bm25": _softmax({a: s / top for a, s in best.items()}, _LEXICAL_TEMPERATURE),
        }

    @staticmethod
    def combine(parts: dict[str, dict[str, float]], mode: str = "hybrid") -> dict[str, float]:
        """One mode's probabilities: a part alone, a side (a model and its index), or both sides."""
        if mode in ("faiss", "bm25"):
            return parts[mode]
        dense = _mix(parts["dense_model"], parts["faiss"])
        lexical = _mix(parts["lexical_model"], parts["bm25"])
        return {"dense": dense, "lexical": lexical}.get(mode) or _mix(dense, lexical)

    def rank(self, probabilities: dict[str, float], country: str | None, closeness: float = 0.0) -> Ranking:
        """The country rules: other countries' articles out, then the best topic, then in it the
        asker's country's own article before the general one (by probability otherwise)."""
        allowed = {
            a: p for a, p in probabilities.items() if _holds(self.articles[a], country)
        }
        total = sum(allowed.values())
        if not allowed or total <= 0:
            return Ranking([], {}, 0.0, 0.0, 0.0, closeness)
        topics: dict[str, float] = defaultdict(float)
        for article_id, p in allowed.items():
            topics[self.articles[article_id].topic] += p / total
        ordered_topics = sorted(topics, key=lambda t: -topics[t])
        best_topic = ordered_topics[0]

        def in_topic_order(article_id: str) -> tuple[bool, float]:
            own = country is not None and not self.articles[article_id].is_general
            return (not own, -allowed[article_id])

        first = min((a for a in allowed if self.articles[a].topic == best_topic), key=in_topic_order)
        rest = sorted((a for a in allowed if a != first), key=lambda a: -allowed[a])
        second_topic = topics[ordered_topics[1]] if len(ordered_topics) > 1 else 0.0
        return Ranking(
            [first, *rest],
            shares={a: p / total for a, p in allowed.items()},
            article_share=allowed[first] / total,
            topic_share=topics[best_topic],
            topic_margin=topics[best_topic] - second_topic,
            closeness=closeness,
        )

    def search(
        self,
        text: str,
        lang: str | None = None,
        country: str | None = None,
        k: int = 3,
        mode: str = "hybrid",
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The `k` best articles; the first is the answer, its `score` how sure that is.

        A country the text names wins over `country` (where the person is): "can I work in
        Bosnia" asked from Serbia is about Bosnia. `lang` is the asker's language: the models
        are multilingual, so it does not filter.
        """
        country = country_in(text) or country
        parts = self.sides(text, country, vector)
        ranking = self.rank(self.combine(parts, mode), country, closeness_of(parts))
        if not ranking.articles:
            return []
        confidence = self.calibration.probability(ranking, mode)
        hits = []
        for position, article_id in enumerate(ranking.articles[:k]):
            article = self.articles[article_id]
            score = confidence if position == 0 else min(confidence, ranking.shares[article_id])
            hits.append(Hit(article_id, article.topic, round(score, 4), article.countries))
        return hits
