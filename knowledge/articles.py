"""The knowledge base's articles: loading them and checking every rule an article must follow.

The format is described in `knowledge/README.md`. Loading refuses an article that breaks a
rule, so the assistant never answers from an unsourced or half-translated text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.language import CORE_LANGUAGES, LANGUAGE_NAMES

ARTICLES = Path(__file__).resolve().parent / "articles"

TOPICS: tuple[str, ...] = (
    "asylum_application", "asylum_rights", "asylum_decision_appeal", "temporary_protection",
    "voluntary_return", "forced_return_detention", "trafficking_exploitation", "violence_pushbacks",
    "health_care", "accommodation_reception", "work_rights", "family_tracing",
    "children_unaccompanied", "legal_aid", "smuggling_scams", "documents_id", "emergency_contacts",
    "gender_based_violence", "education", "about_this_service",
)
COUNTRIES: tuple[str, ...] = ("RS", "BA", "MK", "ME", "AL", "HR")
"""The route's countries, in the order the country menu shows them."""

ALL_COUNTRIES = "all"
SAFETY_TOPICS = frozenset(
    {
        "trafficking_exploitation", "emergency_contacts", "violence_pushbacks",
        "gender_based_violence", "children_unaccompanied", "asylum_application",
    }
)
SAFETY_LANGUAGES: tuple[str, ...] = tuple(lang for lang in LANGUAGE_NAMES if lang not in CORE_LANGUAGES)
"""Languages every safety-critical article has besides the core ones: all the others."""

STATUSES = ("original", "draft", "reviewed")
_REQUIRED = ("id", "topic", "countries", "last_reviewed", "sources", "translations")


class ArticleError(ValueError):
    """An article that breaks a rule of the format; the message names the file and the rule."""


@dataclass(frozen=True)
class Source:
    url: str
    title: str


@dataclass(frozen=True)
class Translation:
    lang: str
    status: str
    title: str
    body: str
    questions: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The first paragraph: the direct answer, what SMS shows first."""
        return self.body.strip().split("\n\n")[0].strip()


@dataclass(frozen=True)
class Article:
    id: str
    topic: str
    countries: tuple[str, ...]
    last_reviewed: dt.date
    sources: tuple[Source, ...]
    translations: dict[str, Translation]
    other_questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """How people ask for it in languages it is not translated into yet, for retrieval."""

    def questions(self) -> list[tuple[str, str]]:
        """Every example question with its language."""
        found = [(lang, q) for lang, t in self.translations.items() for q in t.questions]
        return found + [(lang, q) for lang, qs in self.other_questions.items() for q in qs]

    def applies_to(self, country: str | None) -> bool:
        """Whether the article holds in a country (an unknown country: only general articles)."""
        return ALL_COUNTRIES in self.countries or (country is not None and country in self.countries)

    @property
    def is_general(self) -> bool:
        return ALL_COUNTRIES in self.countries

    def required_languages(self) -> tuple[str, ...]:
        extra = SAFETY_LANGUAGES if self.topic in SAFETY_TOPICS else ()
        return CORE_LANGUAGES + extra


def _translation(lang: str, raw: Any, where: str) -> Translation:
    if not isinstance(raw, dict):
        raise ArticleError(f"{where}: translation '{lang}' must be a mapping")
    status, title, body = raw.get("status"), raw.get("title"), raw.get("body")
    if status not in STATUSES:
        raise ArticleError(f"{where}: translation '{lang}' has status {status!r}, not one of {STATUSES}")
    if not (isinstance(title, str) and title.strip() and isinstance(body, str) and body.strip()):
        raise ArticleError(f"{where}: translation '{lang}' needs a title and a body")
    questions = raw.get("questions") or []
    if not all(isinstance(q, str) and q.strip() for q in questions):
        raise ArticleError(f"{where}: translation '{lang}' has an empty question")
    return Translation(lang, status, title.strip(), body.strip(), tuple(q.strip() for q in questions))


def _other_questions(
    raw: Any, translations: dict[str, Translation], where: str
) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise ArticleError(f"{where}: questions must map a language to a list of questions")
    found = {}
    for lang, questions in raw.items():
        if lang not in LANGUAGE_NAMES or lang in translations:
            raise ArticleError(
                f"{where}: questions for {lang!r}: only for a known language without a translation "
                "(a translation keeps its own questions)"
            )
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            raise ArticleError(f"{where}: questions for {lang!r} must be a list of texts")
        found[lang] = tuple(q.strip() for q in questions)
    return found


def parse_article(raw: Any, where: str) -> Article:
    """An article from its YAML mapping, or an `ArticleError` naming the first broken rule."""
    if not isinstance(raw, dict):
        raise ArticleError(f"{where}: an article must be a YAML mapping")
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if missing:
        raise ArticleError(f"{where}: missing {', '.join(missing)}")
    if raw["topic"] not in TOPICS:
        raise ArticleError(f"{where}: unknown topic {raw['topic']!r}")
    countries = tuple(raw["countries"]) if isinstance(raw["countries"], list) else ()
    if countries != (ALL_COUNTRIES,) and not (countries and all(c in COUNTRIES for c in countries)):
        raise ArticleError(f"{where}: countries must be codes from {COUNTRIES} or [all]: {raw['countries']}")
    if not isinstance(raw["last_reviewed"], dt.date):
        raise ArticleError(f"{where}: last_reviewed must be a date (YYYY-MM-DD)")
    sources = []
    for source in raw["sources"] if isinstance(raw["sources"], list) else []:
        url = source.get("url", "") if isinstance(source, dict) else ""
        if not url.startswith(("https://", "http://")):
            raise ArticleError(f"{where}: every source needs a public url, not {source!r}")
        sources.append(Source(url, str(source.get("title") or url)))
    if not sources:
        raise ArticleError(f"{where}: sources must list at least one public url")
    if not isinstance(raw["translations"], dict):
        raise ArticleError(f"{where}: translations must be a mapping of language to text")
    unknown = set(raw["translations"]) - set(LANGUAGE_NAMES)
    if unknown:
        raise ArticleError(f"{where}: unknown languages {sorted(unknown)}")
    translations = {lang: _translation(lang, text, where) for lang, text in raw["translations"].items()}
    other_questions = _other_questions(raw.get("questions") or {}, translations, where)
    article = Article(
        str(raw["id"]), raw["topic"], countries, raw["last_reviewed"], tuple(sources), translations,
        other_questions,
    )
    absent = [lang for lang in article.required_languages() if lang not in translations]
    if absent:
        raise ArticleError(f"{where}: missing translations {absent}")
    if translations["en"].status != "original":
        raise ArticleError(f"{where}: the English text is the original")
    return article


def load_article(path: Path) -> Article:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ArticleError(f"{path.name}: not valid YAML ({error})") from None
    article = parse_article(raw, path.name)
    if article.id != path.stem:
        raise ArticleError(f"{path.name}: id {article.id!r} must be the file name")
    return article


def load_articles(folder: Path = ARTICLES) -> list[Article]:
    """Every article in the folder, sorted by id; the first broken article raises."""
    return [load_article(path) for path in sorted(folder.glob("*.yml"))]


def problems(folder: Path = ARTICLES) -> list[str]:
    """Every broken rule in the folder, one line each, instead of stopping at the first."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        try:
            load_article(path)
        except ArticleError as error:
            found.append(str(error))
    return found
