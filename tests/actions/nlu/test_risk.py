"""Danger detection: the pattern language, the levels, and the labelled set's recall and false alarms."""

from __future__ import annotations

from collections import defaultdict

import pytest

from nlu import risk
from nlu.language import CORE_LANGUAGES
from tests.datasets import risk_set


def matches(pattern: str, text: str) -> bool:
    return risk._Message(text).matches(risk.parse_pattern(pattern, "threats", "en"))


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("passport + took|keeps", "the boss took my passport", True),
        ("passport + took|keeps", "I lost my passport", False),
        ("confiscat", "they confiscated it", True),  # a word matches what starts with it
        ("id=", "my idea", False),  # "=": the whole word only
        ("id= + took", "he took my id", True),
        ("~جواز + اخذ", "اخذوا وجوازاتنا", True),  # "~": anywhere in a word
        ("cant breathe", "we can't breathe in here", True),  # the normal form drops apostrophes
        ("cant breathe", "breathe, we can't", False),  # several words: in a row
        ("passport + took + !lost|forgot", "i forgot my passport, he took it home", False),
        ("pasos + uzeo", "Pasoš mi je uzeo gazda", True),  # accents do not matter
        ("پاسپورت + گرفت", "پاسپورت‌مو گرفتن", True),  # neither do zero-width joiners
    ],
)
def test_the_pattern_language(pattern: str, text: str, expected: bool) -> None:
    assert matches(pattern, text) is expected


def test_levels_follow_the_indicators() -> None:
    assert risk.level_for(set()) == "none"
    assert risk.level_for({"threats"}) == "high"
    assert risk.level_for({"immediate_danger"}) == "critical"
    assert risk.level_for({"documents_confiscated", "debt_bondage"}) == "critical"  # trafficking signs
    assert risk.level_for({"child_at_risk", "pushback"}) == "critical"


def test_every_pattern_file_uses_known_reasons_and_parses() -> None:
    patterns = risk.patterns()
    assert {p.reason for p in patterns} == set(risk.REASONS)
    assert len({p.lang for p in patterns}) >= 12
    assert all(p.groups and all(group for group in p.groups) for p in patterns)


def test_the_farsi_passports_and_debt_message_is_critical() -> None:
    found = risk.assess("اون مرد پاسپورتامونو گرفته و میگه ۴۰۰۰ یورو بهش بدهکاریم", "fa")
    assert found.level == "critical"
    assert {"documents_confiscated", "debt_bondage"} <= set(found.reasons)
    assert found.matched


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏", "12345", "ok"])
def test_nothing_dangerous_in_empty_or_trivial_messages(text: str) -> None:
    assert risk.assess(text).level == "none"


def test_recall_and_false_alarms_on_the_labelled_set() -> None:
    """Acceptance: recall >= 0.97 on danger messages (any level above none), false-positive
    rate <= 0.08 on benign look-alikes, and no core language under 0.95 recall."""
    items = risk_set()
    assert len(items) >= 300 and len({i.lang for i in items}) >= 12
    caught: dict[str, list[bool]] = defaultdict(list)
    alarms: list[bool] = []
    for item in items:
        level = risk.assess(item.text, item.lang).level
        if item.level == "none":
            alarms.append(level != "none")
        else:
            caught[item.lang].append(level != "none")
    everything = [c for found in caught.values() for c in found]
    assert sum(everything) / len(everything) >= 0.97, sum(everything) / len(everything)
    assert sum(alarms) / len(alarms) <= 0.08, sum(alarms) / len(alarms)
    for lang in CORE_LANGUAGES:
        assert sum(caught[lang]) / len(caught[lang]) >= 0.95, lang


def test_prepare_makes_ahead_the_embedding_that_assess_then_reuses(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "we walked for three days and now we sleep in the park near the station"
    risk.assess("the model loads on the first long message like this one")
    similarity = risk._similarity()
    made: list[str] = []
    embed = similarity.embed
    monkeypatch.setattr(similarity, "embed", lambda t: made.append(t) or embed(t))
    assert risk.known_vector(text) is None
    risk.prepare(text)
    assert made == [text] and risk.known_vector(text) is not None
    risk.assess(text)
    assert made == [text]


@pytest.mark.parametrize(
    "text", ["hello there", "they took my passport and I owe them 4000 euros, they lock the door"]
)
def test_prepare_embeds_nothing_that_assess_would_not(text: str) -> None:
    """A short message is not compared with the exemplars, nor one a pattern already flags."""
    risk.assess("the model loads on the first long message like this one")
    risk.prepare(text)
    assert risk.known_vector(text) is None
