"""Random and hostile input through the pure cores: no exception, and answers of the right shape.

Huge texts, binary noise, bidi overrides, zero-width characters, HTML and SQL fragments and
mixed scripts go through `nlu.language.detect`, `nlu.risk.assess` and the retriever.
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.retriever import Retriever
from nlu.language import LANGUAGE_NAMES, detect
from nlu.risk import LEVELS, assess, pattern_level

FRAGMENTS = [
    "<script>alert(1)</script>", "'; DROP TABLE events; --", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d",
    "\ufeff", "\x00", "\ud7ff", "پاسپورت", "паспорт", "passport", "যাত্রা", "ሰላም", "🙏", "%s%n", "{{7*7}}",
    "\r\n", "../../etc/passwd", "ﷺ", "٠١٢", "ẞ", "I owe them money and they took my passport",
]
hostile = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join),
    st.binary(max_size=300).map(lambda raw: raw.decode("utf-8", "replace")),
    st.integers(4_000, 20_000).map(lambda n: "x" * n),
    st.integers(200, 2_000).map(lambda n: "پاسپورت " * n),
)


@lru_cache(maxsize=1)
def retriever() -> Retriever:
    return Retriever.default()


@settings(max_examples=150, deadline=None)
@given(text=hostile, hint=st.none() | st.sampled_from(["fa", "AF", "pt-BR", "", "zz", "<b>"]))
def test_detection_takes_anything(text: str, hint: str | None) -> None:
    found = detect(text, hint)
    assert found.lang is None or found.lang in LANGUAGE_NAMES
    assert 0.0 <= found.confidence <= 1.0


@settings(max_examples=80, deadline=None)
@given(text=hostile, lang=st.none() | st.sampled_from(sorted(LANGUAGE_NAMES)))
def test_risk_assessment_takes_anything(text: str, lang: str | None) -> None:
    found = assess(text, lang)
    assert found.level in LEVELS and pattern_level(text) in LEVELS
    assert LEVELS.index(pattern_level(text)) <= LEVELS.index(found.level)  # the model only adds


@settings(max_examples=30, deadline=None)
@given(text=hostile, country=st.none() | st.sampled_from(["RS", "BA", "MK", "ME", "AL", "HR", "XX"]))
def test_the_retriever_takes_anything(text: str, country: str | None) -> None:
    hits = retriever().search(text, country=country)
    assert all(0.0 <= hit.score <= 1.0 and hit.article_id in retriever().articles for hit in hits)
