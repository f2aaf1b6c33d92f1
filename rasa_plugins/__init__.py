"""Rasa plugins: our NLU components, dialogue policy, lock store, tracker-store guard and domain importer; thin adapters over pure code."""
