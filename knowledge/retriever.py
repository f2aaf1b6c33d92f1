"""The retriever other parts use: `Retriever.default().search(text, lang, country, k)`.

The retrieval is `knowledge.hybrid`'s; what this adds is the shared instance, over the bundled
articles with the configured embeddings, assembled by `knowledge.ready`.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.embeddings import embedder_from_setting
from knowledge.hybrid import HybridRetriever
from knowledge.ready import ready_retriever


class Retriever(HybridRetriever):
    """Searches the knowledge base; `Retriever.default()` is the shared, ready instance."""

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Retriever:
        """The bundled articles with the configured embeddings (`KB_EMBEDDINGS`), index cached."""
        return ready_retriever(cls, embedder_from_setting())
