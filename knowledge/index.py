"""The search index over the articles: passages, their embeddings in faiss, BM25, topic models.

Every paragraph of every translation is a passage (with its title), and so is every example
question. Over the same passages the index keeps the embeddings (faiss, inner product), Okapi
BM25 on character n-grams, and two linear topic models, one on the embeddings and one on the
n-grams, which learn from all of a topic's passages at once. The embeddings are the slow
part, so everything is stored under `var/kb-index/`, keyed by a hash of the articles and the
embedding model: editing an article builds a new index the next time the retriever starts
(re-embedding only the changed passages), and an unchanged knowledge base loads in a moment.

    python -m knowledge index      # build (or reuse) the index and its calibration
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np
from sklearn.linear_model import LogisticRegression, RidgeClassifier

from common.paths import BUILD
from knowledge.articles import ARTICLES, Article, load_articles
from knowledge.embeddings import Embedder
from knowledge.lexical import CharBM25, char_tfidf

INDEX_VERSION = "5"
"""Bump when the passage layout or the models change, so old stored indexes are not reused."""

DEFAULT_FOLDER = BUILD / "kb-index"
"""Shared by every stack on this checkout, like the trained models: the index depends only on
the articles and the model, never on a conversation."""

_KEEP_INDEXES = 3
_REGULARISATION = 30.0
_RIDGE_TEMPERATURE = 0.1  # ridge scores of close topics differ by tenths


@dataclass(frozen=True)
class Passage:
    article_id: str
    topic: str
    lang: str
    kind: str  # "text" (the title and one paragraph) or "question"
    text: str

    @property
    def key(self) -> str:
        """Questions are embedded as queries, paragraphs as passages (E5's two prefixes)."""
        return key_of(self.kind, self.text)


def key_of(kind: str, text: str) -> str:
    return f"{kind}\0{text}"


def passages(articles: list[Article]) -> list[Passage]:
    """A passage per paragraph (with its title, for context) and per example question.

    Paragraph-sized passages keep one fact's embedding from being diluted by the others.
    """
    found = []
    for article in articles:
        for lang, translation in article.translations.items():
            for paragraph in translation.body.split("\n\n"):
                text = f"{translation.title}\n{paragraph.strip()}"
                found.append(Passage(article.id, article.topic, lang, "text", text))
        found.extend(
            Passage(article.id, article.topic, lang, "question", q) for lang, q in article.questions()
        )
    return found


def embed(items: list[Passage], embedder: Embedder) -> np.ndarray:
    questions = [i for i, p in enumerate(items) if p.kind == "question"]
    texts = [i for i, p in enumerate(items) if p.kind != "question"]
    vectors = np.zeros((len(items), 0), dtype=np.float32)
    for rows, encode in ((questions, embedder.queries), (texts, embedder.passages)):
        if rows:
            found = encode([items[i].text for i in rows])
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(items), found.shape[1]), dtype=np.float32)
            vectors[rows] = found
    return vectors


class TopicModels:
    """Two linear models from a passage to its topic: on the embeddings and on the n-grams.

    Topics, not articles: a country's article and the general one on the same topic say much
    the same, so a model that had to tell them apart would spend its evidence there; the
    country rules choose between them. Logistic regression on the 384 embedding dimensions;
    ridge regression on the tens of thousands of n-gram features, where it fits in seconds and
    logistic regression in a minute.
    """

    def __init__(self, items: list[Passage], vectors: np.ndarray, start: TopicModels | None = None) -> None:
        """`start`: models fitted on nearly the same passages (the calibration's folds leave a
        quarter of the questions out), whose solution the embedding model starts from."""
        labels = [p.topic for p in items]
        self.dense = LogisticRegression(C=_REGULARISATION, max_iter=3000, warm_start=start is not None)
        if start is not None and list(start.dense.classes_) == sorted(set(labels)):
            self.dense.coef_ = start.dense.coef_.copy()
            self.dense.intercept_ = start.dense.intercept_.copy()
        self.dense.fit(vectors, labels)
        self.ngrams = char_tfidf()
        features = self.ngrams.fit_transform([p.text for p in items])
        self.lexical = RidgeClassifier(alpha=1.0).fit(features, labels)

    def probabilities(self, query: np.ndarray, text: str) -> tuple[dict[str, float], dict[str, float]]:
        """Every topic's probability, by the embedding model and by the n-gram model."""
        dense = self.dense.predict_proba(query.reshape(1, -1))[0]
        scores = self.lexical.decision_function(self.ngrams.transform([text]))[0]
        lexical = np.exp((scores - scores.max()) / _RIDGE_TEMPERATURE)
        return (
            dict(zip(self.dense.classes_, dense.tolist(), strict=True)),
            dict(zip(self.lexical.classes_, (lexical / lexical.sum()).tolist(), strict=True)),
        )


class Index:
    """The passages with everything retrieval needs over them."""

    def __init__(
        self, items: list[Passage], vectors: np.ndarray, models: TopicModels | None = None
    ) -> None:
        self.passages = items
        self.vectors = vectors
        self.dense = faiss.IndexFlatIP(vectors.shape[1])
        self.dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self.lexical = CharBM25([p.text for p in items])
        self.models = models or TopicModels(items, vectors)

    @classmethod
    def build(
        cls, articles: list[Article], embedder: Embedder, known: dict[str, np.ndarray] | None = None
    ) -> Index:
        """Embeds the passages, reusing `known` vectors so an edit re-embeds only itself."""
        items = passages(articles)
        known = dict(known or {})
        missing = [p for p in {p.key: p for p in items if p.key not in known}.values()]
        if missing:
            known.update(zip((p.key for p in missing), embed(missing, embedder), strict=True))
        return cls(items, np.stack([known[p.key] for p in items]))

    def save(self, folder: Path, embedder_name: str) -> None:
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        faiss.write_index(self.dense, str(partial / "vectors.faiss"))
        (partial / "passages.json").write_text(
            json.dumps([asdict(p) for p in self.passages], ensure_ascii=False), encoding="utf-8"
        )
        with open(partial / "models.pickle", "wb") as handle:
            pickle.dump(self.models, handle)
        (partial / "embedder.txt").write_text(embedder_name, encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)  # a reader never sees half an index

    @classmethod
    def load(cls, folder: Path) -> Index:
        items = [Passage(**p) for p in json.loads((folder / "passages.json").read_text(encoding="utf-8"))]
        dense = faiss.read_index(str(folder / "vectors.faiss"))
        with open(folder / "models.pickle", "rb") as handle:
            models = pickle.load(handle)  # our own cache, written by save()
        return cls(items, dense.reconstruct_n(0, dense.ntotal), models)


def fingerprint(articles_folder: Path, embedder_name: str) -> str:
    digest = hashlib.sha256(f"{INDEX_VERSION}\0{embedder_name}\0".encode())
    for path in sorted(articles_folder.glob("*.yml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def index_folder(embedder_name: str, articles_folder: Path = ARTICLES, folder: Path | None = None) -> Path:
    """Where the index of these articles made with this model is, or will be, stored."""
    return (folder or DEFAULT_FOLDER) / fingerprint(articles_folder, embedder_name)


def is_stored(target: Path) -> bool:
    """Whether `target` holds a whole index (`Index.save` writes it in one rename)."""
    return (target / "models.pickle").exists()


def _known_vectors(root: Path, embedder_name: str) -> dict[str, np.ndarray]:
    """The passages' vectors of the newest stored index made with the same model."""
    same = [
        folder
        for folder in root.glob("*")
        if (folder / "embedder.txt").exists() and (folder / "embedder.txt").read_text() == embedder_name
    ]
    if not same:
        return {}
    newest = max(same, key=lambda folder: folder.stat().st_mtime)
    items = json.loads((newest / "passages.json").read_text(encoding="utf-8"))
    dense = faiss.read_index(str(newest / "vectors.faiss"))
    return {key_of(p["kind"], p["text"]): dense.reconstruct(i) for i, p in enumerate(items)}


def load_or_build(
    embedder: Embedder, articles_folder: Path = ARTICLES, folder: Path | None = None
) -> tuple[Index, list[Article], Path]:
    """The index for the current articles and model, built and stored only when missing.

    Also returns the index's folder, where derived data (the calibration) is kept.
    """
    articles = load_articles(articles_folder)
    root = folder or DEFAULT_FOLDER
    root.mkdir(parents=True, exist_ok=True)
    target = index_folder(embedder.name, articles_folder, root)
    if is_stored(target):
        return Index.load(target), articles, target
    index = Index.build(articles, embedder, _known_vectors(root, embedder.name))
    index.save(target, embedder.name)
    stored = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in stored[:-_KEEP_INDEXES]:
        shutil.rmtree(old, ignore_errors=True)
    return index, articles, target
