"""Rasa plugins: our NLU components, dialogue policy, lock store, tracker-store guard and domain
importer. Thin adapters over pure code (`nlu/`, `common/`), loaded by Rasa from `config.yml` and
`endpoints.yml`; only the Rasa environment imports them."""
