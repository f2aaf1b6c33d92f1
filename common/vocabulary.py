"""The names the parts agree on: risk levels, intents, slots, actions and the `/payload`
messages channels send for what a person did not type. Each is written once, here; the domain
(`domain/main.yml`) declares the same names, and a test keeps the two in step."""

from __future__ import annotations

# Risk levels, least serious first (the `risk_level` slot; `nlu.risk.assess(...).level`).
NONE, ELEVATED, HIGH, CRITICAL = "none", "elevated", "high", "critical"
LEVELS: tuple[str, ...] = (NONE, ELEVATED, HIGH, CRITICAL)

# Intents.
ASK_QUESTION = "ask_question"
REQUEST_HUMAN = "request_human"
INFORM_COUNTRY = "inform_country"
MORE = "more"
REPORT_DANGER = "report_danger"
POSSIBLE_DANGER = "possible_danger"
DELETE_DATA = "delete_data"
PRIVACY = "privacy"
SLOW_DOWN_INTENT = "slow_down"
OPT_OUT_INTENT = "opt_out"
OPT_IN_INTENT = "opt_in"
DANGER_INTENTS = frozenset({REPORT_DANGER, POSSIBLE_DANGER})
DANGER_INTENT_OF_LEVEL = {CRITICAL: REPORT_DANGER, HIGH: REPORT_DANGER, ELEVATED: POSSIBLE_DANGER}
"""What a risk assessment makes of a message, whatever else it said."""
PRIVATE_INTENTS = frozenset({DELETE_DATA, PRIVACY, SLOW_DOWN_INTENT})
"""Answered by the bot even while a person from the team has the conversation."""

# Payloads: what Rasa reads for something a person did rather than typed.
NO_TEXT = "/no_text"
"""An empty, emoji-only or media message."""
SLOW_DOWN = "/slow_down"
"""The message that first went over a sender's rate limit."""
OPT_OUT, OPT_IN = f"/{OPT_OUT_INTENT}", f"/{OPT_IN_INTENT}"
"""STOP and START on SMS and WhatsApp."""
GREET = "/greet"
"""Telegram's /start."""

# Slots (DESIGN.md) and the actions other parts name.
LANGUAGE_SLOT = "language"
COUNTRY_SLOT = "country"
RISK_SLOT = "risk_level"
CASE_SLOT = "case_id"
HANDOFF_SLOT = "handoff_active"
HANDOFF_RELAY_ACTION = "action_handoff_relay"
