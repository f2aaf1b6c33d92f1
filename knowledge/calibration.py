"""How sure retrieval is: the ranking's evidence turned into a probability of a right answer.

Fitted on the knowledge base itself, by cross-validation: the example questions are split in
four folds, each fold is searched in an index built without it, and a logistic regression
learns which evidence goes with a right first topic (in it, the country rules pick the
article, and a wrong country's article is never the first): how the probability is shared among
articles and topics, and how close the nearest passage is at all (a question about football
has a first article too, but nothing near it). Messages that are no question for the
knowledge base (the `out_of_scope` examples of the NLU training data) are the negatives.
Questions of a country's article are searched as from that country, as in a conversation
whose country is known.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from knowledge.articles import Article
from knowledge.embeddings import Embedder
from knowledge.hybrid import MODES, HybridRetriever, Ranking, closeness_of
from knowledge.index import Index, TopicModels
from nlu.places import country_in
from nlu.training_examples import examples

_FILE = "calibration.json"
_FOLDS = 4
_CASES_PER_FOLD = 300  # plenty for four features, and keeps a rebuild to about a minute
FEATURES = 4  # Ranking.features: article share, topic share, topic margin, closeness


def _negatives() -> list[str]:
    """Messages that no article answers: the out-of-scope examples in every language."""
    return [text for _, text in examples(intents={"out_of_scope"})]


@dataclass(frozen=True)
class Calibration:
    """Logistic-regression weights per retrieval mode (hybrid, dense, lexical)."""

    weights: dict[str, tuple[list[float], float]]

    def probability(self, ranking: Ranking, mode: str = "hybrid") -> float:
        coefficients, intercept = self.weights[mode]
        z = intercept + sum(w * x for w, x in zip(coefficients, ranking.features(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def fit(cls, index: Index, articles: list[Article], embedder: Embedder) -> Calibration:
        """Searches each fold's questions, and the negatives, in an index built without them."""
        by_id = {a.id: a for a in articles}
        questions = [i for i, p in enumerate(index.passages) if p.kind == "question"]
        random.Random(0).shuffle(questions)
        features: dict[str, list[list[float]]] = {mode: [] for mode in MODES}
        labels: dict[str, list[int]] = {mode: [] for mode in MODES}
        negatives = _negatives()
        # The held-out questions' embeddings are in the index already; the negatives are
        # embedded once, together (a batch runs a text per core).
        negative_vectors = embedder.queries(negatives) if negatives else np.zeros((0, index.vectors.shape[1]))
        topic_of = {a.id: a.topic for a in articles}
        for fold in range(_FOLDS):
            fold_questions = questions[fold::_FOLDS]
            held = set(fold_questions)
            kept = [i for i in range(len(index.passages)) if i not in held]
            items, vectors = [index.passages[i] for i in kept], index.vectors[kept]
            partial = Index(items, vectors, TopicModels(items, vectors, start=index.models))
            searcher = HybridRetriever(partial, articles, embedder, cls({}))  # only ranks, never scores
            sample = fold_questions[:_CASES_PER_FOLD]  # a random sample: the list is shuffled
            cases = [(index.passages[i].text, index.passages[i].article_id, index.vectors[i]) for i in sample]
            cases += [(negatives[n], None, negative_vectors[n]) for n in range(fold, len(negatives), _FOLDS)]
            for text, answer, vector in cases:
                article = by_id.get(answer) if answer else None
                own = article.countries[0] if article and not article.is_general else None
                country = country_in(text) or own
                sides = searcher.sides(text, country, vector)
                for mode in MODES:
                    ranking = searcher.rank(searcher.combine(sides, mode), country, closeness_of(sides))
                    features[mode].append(ranking.features())
                    first = topic_of[ranking.articles[0]] if ranking.articles else None
                    labels[mode].append(int(article is not None and first == article.topic))
        weights = {}
        for mode in MODES:
            # Weakly regularised: closeness varies by hundredths and needs a large weight.
            model = LogisticRegression(C=100.0).fit(features[mode], labels[mode])
            weights[mode] = ([float(w) for w in model.coef_[0]], float(model.intercept_[0]))
        return cls(weights)

    def save(self, folder: Path) -> None:
        (folder / _FILE).write_text(json.dumps(self.weights), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Calibration | None:
        path = folder / _FILE
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        if set(raw) != set(MODES) or any(len(w) != FEATURES for w, _ in raw.values()):
            return None  # written by another version: fit again
        return cls({mode: (list(w), float(b)) for mode, (w, b) in raw.items()})
