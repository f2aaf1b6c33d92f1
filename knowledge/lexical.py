"""Lexical matching on character n-grams, which survives the spelling of chat messages.

Words in chat are misspelt, romanised, or carry attached prefixes and suffixes ("وجوازاتنا",
"pasaportumu"), so whole-word matching misses them; their character 3- and 4-grams still
overlap. Used two ways over the same passages: Okapi BM25, and as features of a linear
topic model.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from nlu.text import normalise

NGRAMS = (3, 4)


def char_counter() -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS, preprocessor=normalise, lowercase=False)


def char_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), preprocessor=normalise, lowercase=False,
        min_df=2, sublinear_tf=True,
    )


class CharBM25:
    """Okapi BM25 over character n-grams. The weights are kept by n-gram (compressed columns),
    so a query reads only the postings of its own n-grams, not every passage."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.vectorizer = char_counter()
        counts = self.vectorizer.fit_transform(texts).tocsr().astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((len(texts) - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0))
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        tf = counts.data
        counts.data = idf[counts.indices] * tf * (k1 + 1) / (tf + norm[rows])
        self.weights = counts.tocsc()

    def scores(self, query: str) -> np.ndarray:
        """One score per passage."""
        terms = sparse.csr_matrix(self.vectorizer.transform([query]))
        if not terms.nnz:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        return np.asarray(self.weights[:, terms.indices] @ terms.data.astype(np.float32)).ravel()
