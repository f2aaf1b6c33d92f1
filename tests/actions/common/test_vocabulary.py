"""The shared vocabulary names only what the domain declares: a renamed intent, slot or action
fails here, not in a conversation."""

from __future__ import annotations

from bot.domain_files import load_domain
from common import vocabulary
from common.paths import ROOT

DOMAIN = load_domain(ROOT / "domain")


def _names(suffix: str) -> set[str]:
    return {getattr(vocabulary, name) for name in dir(vocabulary) if name.endswith(suffix)}


def test_every_intent_slot_and_action_named_is_in_the_domain() -> None:
    intents = {
        vocabulary.ASK_QUESTION, vocabulary.REQUEST_HUMAN, vocabulary.INFORM_COUNTRY, vocabulary.MORE,
        *vocabulary.DANGER_INTENTS, *vocabulary.PRIVATE_INTENTS, *_names("_INTENT"),
        *vocabulary.DANGER_INTENT_OF_LEVEL.values(),
    }
    assert intents <= set(DOMAIN["intents"])
    assert _names("_SLOT") <= set(DOMAIN["slots"])
    assert _names("_ACTION") <= set(DOMAIN["actions"])


def test_every_payload_is_an_intent_and_the_levels_are_the_slots_values() -> None:
    v = vocabulary
    payloads = {v.NO_TEXT, v.SLOW_DOWN, v.OPT_OUT, v.OPT_IN, v.GREET}
    assert {p.removeprefix("/") for p in payloads} <= set(DOMAIN["intents"])
    assert list(vocabulary.LEVELS) == DOMAIN["slots"][vocabulary.RISK_SLOT]["values"]
