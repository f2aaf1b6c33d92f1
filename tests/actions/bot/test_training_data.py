"""The training data covers every intent in every core language, without contradictions."""

from collections import Counter

import pytest
import yaml

from bot.domain_files import load_domain
from bot.launcher import ROOT
from nlu.language import CORE_LANGUAGES, LANGUAGES, requested_language

DOMAIN = load_domain(ROOT / "domain")
SET_BY_CODE_INTENTS = {
    "no_text", "report_danger", "possible_danger", "help", "opt_out", "opt_in",
    "delete_data", "privacy", "slow_down",
}
"""Set by the channels, the typed commands and the risk detector, never classified from examples."""
MIN_EXAMPLES = 10


def examples(lang: str) -> dict[str, list[str]]:
    data = yaml.safe_load((ROOT / "bot" / "data" / "nlu" / f"{lang}.yml").read_text())
    return {
        block["intent"]: [line[2:].strip() for line in block["examples"].splitlines() if line[:2] == "- "]
        for block in data["nlu"]
    }


@pytest.mark.parametrize("lang", CORE_LANGUAGES)
def test_every_intent_has_enough_examples(lang: str) -> None:
    found = examples(lang)
    for intent in set(DOMAIN["intents"]) - SET_BY_CODE_INTENTS:
        assert len(found.get(intent, [])) >= MIN_EXAMPLES, (lang, intent)


@pytest.mark.parametrize("lang", CORE_LANGUAGES)
def test_no_example_under_two_intents(lang: str) -> None:
    counts = Counter(text.casefold() for texts in examples(lang).values() for text in set(texts))
    assert [text for text, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("lang", CORE_LANGUAGES)
def test_every_response_has_every_core_language(lang: str) -> None:
    for name, variations in DOMAIN["responses"].items():
        if len(variations) == 1:  # one multilingual text, such as the language menu
            continue
        langs = {c["value"] for v in variations for c in v.get("condition", []) if c["name"] == "language"}
        assert lang == "en" or lang in langs, (name, lang)


EVERY_LANGUAGE_RESPONSES = ("utter_greet", "utter_default", "utter_language_changed", "utter_text_only")


@pytest.mark.parametrize("name", EVERY_LANGUAGE_RESPONSES)
def test_greeting_fallback_and_language_texts_exist_in_every_language(name: str) -> None:
    variations = DOMAIN["responses"][name]
    langs = {c["value"] for v in variations for c in v.get("condition", []) if c["name"] == "language"}
    assert langs | {"en"} == set(LANGUAGES)
    assert len({v["text"] for v in variations}) == len(variations)


def test_language_menu_offers_every_language_as_an_explicit_choice() -> None:
    (menu,) = DOMAIN["responses"]["utter_language_menu"]
    payloads = [button["payload"] for button in menu["buttons"]]
    assert [requested_language(p) for p in payloads] == list(LANGUAGES)
