"""The detector on the project's labelled set of short messages (`tests/data/language/`)."""

from collections import Counter

from nlu.language import LANGUAGES, detect
from tests.datasets import language_set

ITEMS = language_set()


def test_the_set_is_large_and_covers_every_language() -> None:
    labels = Counter(item.label for item in ITEMS)
    assert len(ITEMS) >= 400
    assert set(labels) == set(LANGUAGES) and min(labels.values()) >= 15
    assert sum(len(item.text.split()) <= 6 for item in ITEMS) / len(ITEMS) >= 0.6
    assert {item.variant for item in ITEMS} >= {"ar-Latn", "fa-Latn", "ps-Latn", "ur-Latn"}


def test_accuracy_overall_and_per_language() -> None:
    right, seen = Counter(), Counter()
    for item in ITEMS:
        seen[item.label] += 1
        right[item.label] += detect(item.text).lang == item.label
    assert sum(right.values()) / len(ITEMS) >= 0.95
    weakest = min(seen, key=lambda lang: right[lang] / seen[lang])
    assert right[weakest] / seen[weakest] >= 0.85, (weakest, right[weakest], seen[weakest])
