"""Rasa SDK actions: thin adapters over `nlu`, `knowledge` and `operators`."""
