"""From search hits to what the assistant says: answer, ask the country, or say it is not sure.

Pure functions over the retriever's hits and an article, so that every rule (when to ask the
country, which language to fall back to, how an SMS answer is cut) can be tested without Rasa.
Message templates come from the caller (the domain's responses, in the person's language).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from knowledge.articles import COUNTRIES, Article
from knowledge.hybrid import Hit, HybridRetriever
from nlu.language import LANGUAGE_NAMES
from nlu.places import country_in

CONFIDENT = 0.4
"""Below this calibrated probability that the first topic is right, the assistant does not
answer: it offers choices. On the labelled retrieval questions (2026-12-07) the first topic is
right for 319 of the 322 above 0.6 and 13 of the 20 between 0.2 and 0.6; answering from 0.3 or
from 0.5 instead changes the right answers by a point either way; a question about football
stays under 0.1 (BENCHMARKS.md, "Conversations")."""
CLARIFY = 0.15
"""Below this it does not even offer choices: it says it is not sure, and offers a person."""
CHOICES = 3
PLACE_ONLY_WORDS = 6
"""A message naming a place in at most this many words says where the person is ("I am in
Bihac", "u Zagrebu sam"); a longer one is a question that happens to name a place."""

FALLBACK_LANGUAGES = ("en", "fr")
FOLLOW_UP_WORDS = 6
"""A message this short may be a follow-up, read with the question before it."""
MAX_QUESTION_CHARS = 400

_LABELS = Path(__file__).resolve().parent / "labels.yml"


@dataclass(frozen=True)
class Decision:
    """What to do with a question: `answer` an article (and, when `offer_country`, offer to
    say where the person is for the details there), `ask_country` first, or `not_sure`."""

    kind: str
    article_id: str | None = None
    alternatives: tuple[str, ...] = ()  # articles to offer when not sure, one per topic
    offer_country: bool = False


@dataclass(frozen=True)
class Answer:
    """The article as the person reads it; a channel that must cut it (SMS) sends the rest on MORE."""

    text: str
    lang: str  # the language the article is shown in


@dataclass(frozen=True)
class Question:
    """What a message asks: its own text, or a follow-up read with the question before it."""

    text: str
    hits: list[Hit]


def read_question(
    retriever: HybridRetriever,
    text: str,
    previous: str | None,
    lang: str | None,
    country: str | None,
    completes: bool = False,
    vector: np.ndarray | None = None,
) -> Question:
    """The message alone, or with the previous question ("and for children?", "I am in Bihac")
    when that reading is surer; `completes` when the message answers "which country?".
    An empty text (a country button) asks the previous question again. `vector`: the
    message's embedding, when the NLU already made it."""
    if not text.strip():
        if not previous:
            return Question("", [])
        return Question(previous, retriever.search(previous, lang=lang, country=country, k=6))
    alone = retriever.search(text, lang=lang, country=country, k=6, vector=vector)
    if not previous or len(text.split()) > FOLLOW_UP_WORDS:
        return Question(text, alone)
    joined_text = f"{previous} {text}"[-MAX_QUESTION_CHARS:]
    joined = retriever.search(joined_text, lang=lang, country=country, k=6)
    if joined and (completes or not alone or joined[0].score > alone[0].score):
        return Question(joined_text, joined)
    return Question(text, alone)


def says_only_where(text: str) -> bool:
    """Whether a message only says where the person is (it names a place, in a few words)."""
    return country_in(text) is not None and len(text.split()) <= PLACE_ONLY_WORDS


def decide(
    hits: list[Hit], retriever: HybridRetriever, country: str | None, may_ask_country: bool
) -> Decision:
    """Answers when sure, with the general article where the answer depends on an unknown
    country (asking for it only where no general article exists); else offers choices."""
    if not hits or hits[0].score < CLARIFY:
        return Decision("not_sure")
    first = hits[0]
    if first.score < CONFIDENT:
        alternatives: list[str] = []
        for hit in hits:
            if hit.topic not in {retriever.article(a).topic for a in alternatives}:
                alternatives.append(hit.article_id)
        return Decision("not_sure", alternatives=tuple(alternatives[:CHOICES]))
    if country is None and depends_on_country(retriever, first.topic):
        in_hits = (h.article_id for h in hits if h.topic == first.topic and h.countries == ("all",))
        general = next(in_hits, None) or general_article(retriever, first.topic)
        if general:
            return Decision("answer", general, offer_country=may_ask_country)
        if may_ask_country:
            return Decision("ask_country", first.article_id)
    return Decision("answer", first.article_id)


def depends_on_country(retriever: HybridRetriever, topic: str) -> bool:
    """Whether a topic's answer differs by country: some country has its own article on it."""
    return any(a.topic == topic and not a.is_general for a in retriever.articles.values())


def general_article(retriever: HybridRetriever, topic: str) -> str | None:
    """The route-wide article on a topic, if there is one."""
    general = sorted(a.id for a in retriever.articles.values() if a.topic == topic and a.is_general)
    return general[0] if general else None


def shown_language(article: Article, lang: str) -> str:
    if lang in article.translations:
        return lang
    return next(f for f in FALLBACK_LANGUAGES if f in article.translations)


def source_line(article: Article, template: str) -> str:
    source = article.sources[0].url.split("://", 1)[-1].rstrip("/")
    return template.format(source=source, date=article.last_reviewed.isoformat())


def render(article: Article, lang: str, templates: dict[str, str]) -> Answer:
    """The article in the person's language (or a fallback, said so), ending with its source
    and review date.

    `templates` holds the domain texts in the person's language: `translation_missing`
    (with `{fallback_language}`) and `source` (with `{source}` and `{date}`).
    """
    shown = shown_language(article, lang)
    translation = article.translations[shown]
    head = []
    if shown != lang:
        head.append(templates["translation_missing"].format(fallback_language=LANGUAGE_NAMES[shown]))
    source = source_line(article, templates["source"])
    return Answer("\n\n".join([*head, translation.title, translation.body, source]), shown)


def emergency_advice(articles: Iterable[Article], lang: str) -> str:
    """What to do in danger now, in the person's language: the first paragraph of the
    route-wide emergency article, which gives the numbers of every country on the route (the
    person may not know, or say, which country they are in, or may have crossed since)."""
    article = next(a for a in articles if a.topic == "emergency_contacts" and a.is_general)
    return article.translations[shown_language(article, lang)].summary


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load(_LABELS.read_text(encoding="utf-8"))


def topic_label(topic: str, lang: str) -> str:
    names = _labels()["topics"][topic]
    return names.get(lang) or names["en"]


def country_label(country: str, lang: str) -> str:
    names = _labels()["countries"][country]
    return names.get(lang) or names["en"]


def country_buttons(lang: str) -> list[dict[str, str]]:
    payload = '/inform_country{{"country": "{}"}}'
    return [{"title": country_label(c, lang), "payload": payload.format(c)} for c in COUNTRIES]


def topic_buttons(
    article_ids: tuple[str, ...], retriever: HybridRetriever, lang: str
) -> list[dict[str, str]]:
    return [
        {
            "title": topic_label(retriever.article(a).topic, lang),
            "payload": f'/ask_question{{"kb_article": "{a}"}}',
        }
        for a in article_ids
    ]
