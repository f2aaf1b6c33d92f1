"""The curated knowledge base (`articles/`) and the retrieval over it."""
