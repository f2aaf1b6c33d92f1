# Two commands matter: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA_VENV := .venv-rasa
ACTIONS_VENV := .venv-actions
RASA_PY := $(RASA_VENV)/bin/python
ACTIONS_PY := $(ACTIONS_VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export HF_HUB_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup browser run telegram-polling train kb-check kb-index purge test lint test-rasa test-actions bench clean

help:
	@echo "make run    set up, train if needed, start Rasa + actions + console"
	@echo "make test   set up, train if needed, run lint and every test"
	@echo "make train  (re)train the Rasa model if its inputs changed"
	@echo "make kb-check   validate the knowledge base; report stale reviews and drafts"
	@echo "make kb-index   build the knowledge index if the articles changed"
	@echo "make telegram-polling   with make run: Telegram without a public URL"
	@echo "make purge  delete idle conversations and old closed cases (for cron)"
	@echo "make bench  run the benchmarks in bench/ against a fresh stack"

# Each environment is rebuilt when its lock file changes.
$(RASA_VENV)/.installed: requirements/rasa.lock
	test -x $(RASA_PY) || $$(bin/find-python 3.10) -m venv $(RASA_VENV)
	$(RASA_PY) -m pip install -q --upgrade pip==24.0
	$(RASA_PY) -m pip install -q -r requirements/rasa.lock
	touch $@

$(ACTIONS_VENV)/.installed: requirements/actions.lock
	test -x $(ACTIONS_PY) || $$(bin/find-python 3.11) -m venv $(ACTIONS_VENV)
	$(ACTIONS_PY) -m pip install -q --upgrade pip==24.0
	$(ACTIONS_PY) -m pip install -q -r requirements/actions.lock
	touch $@

setup: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed

# The console's browser test drives Debian's Chromium (Playwright downloads nothing).
browser:
	@command -v chromium >/dev/null || { \
		echo "installing Debian's chromium for the console's browser test"; \
		apt-get install -y -q chromium >var/log/apt.log 2>&1 || { apt-get update -q >>var/log/apt.log 2>&1 && \
		apt-get install -y -q chromium >>var/log/apt.log 2>&1; } || { cat var/log/apt.log; \
		echo "could not install chromium: run 'apt-get install chromium' as root"; exit 1; }; }

train: setup
	$(ACTIONS_PY) -m bot.launcher train

kb-check: setup
	$(ACTIONS_PY) -m knowledge check

kb-index: setup
	$(ACTIONS_PY) -m knowledge index

purge: setup
	$(ACTIONS_PY) -m operators.retention

run: train kb-index
	$(ACTIONS_PY) -m bot.launcher run

telegram-polling: setup
	$(RASA_PY) -m channels.telegram_polling

lint: setup
	$(ACTIONS_VENV)/bin/ruff check .
	$(RASA_PY) -m rasa data validate --data bot/data --domain domain --config config.yml >var/log/validate.log 2>&1 \
		|| { cat var/log/validate.log; exit 1; }

test-rasa: train kb-index
	$(RASA_PY) -m pytest -q tests/rasa

test-actions: train kb-index browser
	$(ACTIONS_PY) -m pytest -q tests/actions

test: setup
	@mkdir -p var/log
	$(MAKE) lint
	$(MAKE) kb-check
	$(MAKE) test-rasa
	$(MAKE) test-actions

bench: train kb-index
	$(ACTIONS_PY) bench/conversations.py --routing
	$(ACTIONS_PY) bench/e2e_latency.py
	$(ACTIONS_PY) bench/profile.py
	$(ACTIONS_PY) bench/language.py
	$(ACTIONS_PY) bench/retrieval.py
	$(ACTIONS_PY) bench/risk.py
	$(ACTIONS_PY) bench/flood.py
	$(ACTIONS_PY) bench/escalation.py

clean:
	rm -rf var/models var/kb-index var/log .rasa
