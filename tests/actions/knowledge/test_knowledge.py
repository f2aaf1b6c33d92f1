"""The knowledge base's rules, the country and language logic of answers, and the kb-check command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from knowledge import answers, check
from knowledge.__main__ import main as knowledge_command
from knowledge.articles import (
    ARTICLES,
    COUNTRIES,
    SAFETY_LANGUAGES,
    SAFETY_TOPICS,
    TOPICS,
    ArticleError,
    load_article,
    load_articles,
)
from nlu.language import CORE_LANGUAGES
from nlu.places import country_in

ARTICLE_LIST = load_articles()
TEMPLATES = {
    "translation_missing": "Not in your language; here in {fallback_language}.",
    "source": "Source: {source} (checked {date})",
}


def test_every_topic_is_covered_and_the_base_is_large() -> None:
    assert len(ARTICLE_LIST) >= 60
    assert {a.topic for a in ARTICLE_LIST} == set(TOPICS)


@pytest.mark.parametrize("country", ["RS", "BA", "MK"])
@pytest.mark.parametrize(
    "topic",
    [
        "asylum_application", "asylum_rights", "asylum_decision_appeal", "work_rights", "legal_aid",
        "emergency_contacts", "trafficking_exploitation",
    ],
)
def test_country_specific_articles_where_rules_differ(country: str, topic: str) -> None:
    assert any(a.topic == topic and a.countries == (country,) for a in ARTICLE_LIST)


def test_every_article_is_sourced_dated_and_translated() -> None:
    for article in ARTICLE_LIST:
        assert article.sources and all(s.url.startswith(("https://", "http://")) for s in article.sources)
        assert article.last_reviewed <= dt.date.today()
        assert set(CORE_LANGUAGES) <= set(article.translations)
        if article.topic in SAFETY_TOPICS:
            assert set(SAFETY_LANGUAGES) <= set(article.translations), article.id
        assert article.translations["en"].status == "original"
        others = [t.status for lang, t in article.translations.items() if lang != "en"]
        assert set(others) <= {"draft", "reviewed"}


@pytest.fixture
def article_folder(tmp_path: Path) -> Path:
    shutil.copy(ARTICLES / "rs-asylum-application.yml", tmp_path)
    return tmp_path


def _break(folder: Path, change: dict) -> Path:
    path = folder / "rs-asylum-application.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw.update(change)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"topic": "weather"}, "unknown topic"),
        ({"countries": ["XX"]}, "countries must be codes"),
        ({"sources": []}, "missing sources"),
        ({"sources": [{"title": "no url"}]}, "public url"),
        ({"last_reviewed": "soon"}, "must be a date"),
        ({"id": "other"}, "must be the file name"),
        ({"questions": {"ar": ["already translated"]}}, "only for a known language without a translation"),
    ],
)
def test_a_broken_article_is_refused_with_a_clear_reason(
    article_folder: Path, change: dict, message: str
) -> None:
    path = _break(article_folder, change)
    with pytest.raises(ArticleError, match=message):
        load_article(path)


def test_a_missing_translation_is_refused(article_folder: Path) -> None:
    path = article_folder / "rs-asylum-application.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["translations"]["ps"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ArticleError, match=r"missing translations \['ps'\]"):
        load_article(path)


def test_kb_check_passes_on_the_bundled_base_and_reports_drafts_and_staleness(
    capsys: pytest.CaptureFixture,
) -> None:
    assert knowledge_command(["check"]) == 0
    out = capsys.readouterr().out
    assert f"{len(ARTICLE_LIST)} articles valid" in out and "draft translations" in out
    found, notes = check.report(ARTICLES, today=dt.date(2030, 1, 1))
    assert not found and f"{len(ARTICLE_LIST)} articles reviewed more than 180 days ago" in notes[1]


def test_kb_check_fails_on_a_broken_article(article_folder: Path, capsys: pytest.CaptureFixture) -> None:
    _break(article_folder, {"topic": "weather"})
    assert knowledge_command(["check", str(article_folder)]) == 1
    assert "unknown topic" in capsys.readouterr().err


def test_kb_check_wants_every_topic_in_all_19_languages(tmp_path: Path) -> None:
    article_folder = Path(shutil.copytree(ARTICLES, tmp_path / "articles"))
    path = article_folder / "all-education.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["translations"]["ti"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    found, _ = check.report(article_folder)
    assert found == ["topic education: no article in all 19 languages"]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("where i find lawyer in sarajevo", "BA"),
        ("بالبوسنة واحد ماخد جوازي", "BA"),
        ("در صربستان کار کنم", "RS"),
        ("je suis en Macédoine du Nord", "MK"),
        ("im in crna gora", "ME"),
        ("camp in Velika Kladuša", "BA"),
        ("from serbia to bosnia", None),
        ("how do I ask for asylum", None),
    ],
)
def test_the_country_a_message_names(text: str, country: str | None) -> None:
    assert country_in(text) == country


@pytest.mark.parametrize(
    ("text", "only_where"),
    [
        ("I am in Bihac", True),
        ("u Zagrebu sam", True),
        ("انا في بيهاتش", True),
        ("كيف بقدر قدم لجوء بصربيا؟ انا هلأ ببلغراد ووصلت من يومين", False),
        ("ভাই, বসনিয়ায় অ্যাসাইলামের জন্য কিভাবে আবেদন করবো? আমি এখন সারায়েভোতে আছি", False),
        ("thank you", False),
    ],
)
def test_a_message_that_only_says_where_the_person_is(text: str, only_where: bool) -> None:
    assert answers.says_only_where(text) is only_where


def test_labels_exist_for_every_topic_and_country() -> None:
    for topic in TOPICS:
        assert answers.topic_label(topic, "ps") != answers.topic_label(topic, "en")
    serbia = {"title": "Serbia", "payload": '/inform_country{"country": "RS"}'}
    assert answers.country_buttons("en")[0] == serbia
    assert len(answers.country_buttons("ar")) == len(COUNTRIES)


def _article(article_id: str):  # noqa: ANN202 - an Article
    return next(a for a in ARTICLE_LIST if a.id == article_id)


def test_render_answers_in_the_language_with_source_and_date() -> None:
    article = _article("rs-asylum-application")
    answer = answers.render(article, "ps", TEMPLATES)
    assert answer.lang == "ps"
    assert article.translations["ps"].body in answer.text
    assert answer.text.endswith(f"(checked {article.last_reviewed.isoformat()})")
    assert "help.unhcr.org/serbia/applying-for-asylum-in-serbia" in answer.text


def test_render_falls_back_and_says_so() -> None:
    full = _article("rs-health-care")
    without_somali = {lang: t for lang, t in full.translations.items() if lang != "so"}
    article = dataclasses.replace(full, translations=without_somali)
    answer = answers.render(article, "so", TEMPLATES)
    assert answer.lang == "en"
    assert answer.text.startswith("Not in your language; here in English.")
    assert article.translations["en"].body in answer.text
