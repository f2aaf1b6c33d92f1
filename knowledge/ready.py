"""A ready retriever: the index for the articles and model, and the calibration fitted on it.

Both are slow to make and depend only on the articles and the model, so both are stored in
the index's folder (`knowledge.index`) and made again only when that changes. Kept apart from
the retrieval itself because the calibration is fitted by searching with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from knowledge.articles import ARTICLES
from knowledge.calibration import Calibration
from knowledge.embeddings import Embedder
from knowledge.hybrid import HybridRetriever
from knowledge.index import index_folder, is_stored, load_or_build

R = TypeVar("R", bound=HybridRetriever)


def is_ready(embedder_name: str, articles_folder: Path = ARTICLES, folder: Path | None = None) -> bool:
    """Whether the index and its calibration for the current articles are stored, checked
    without loading them (what `make run` asks before starting the action server, which loads them)."""
    target = index_folder(embedder_name, articles_folder, folder)
    return is_stored(target) and Calibration.load(target) is not None


def ready_retriever(
    kind: type[R], embedder: Embedder, articles_folder: Path = ARTICLES, folder: Path | None = None
) -> R:
    """A `kind` over the stored index and calibration, each built or fitted, and stored, when missing.

    `kind` lets `Retriever.default()` get its own class without this module depending on it.
    """
    index, articles, target = load_or_build(embedder, articles_folder, folder)
    calibration = Calibration.load(target)
    if calibration is None:
        calibration = Calibration.fit(index, articles, embedder)
        calibration.save(target)
    return kind(index, articles, embedder, calibration)
