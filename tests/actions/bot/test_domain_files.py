"""The domain folder reads as one Rasa domain: each language file's texts under its language's
condition, English the default, and a mistake in a translator's file is a clear error."""

import shutil
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.domain_files import DomainFilesError, language_files, load_domain
from bot.launcher import ROOT
from nlu.language import LANGUAGES

FOLDER = ROOT / "domain"
DOMAIN = load_domain(FOLDER)
FILES = language_files(FOLDER)


@cache
def texts(lang: str) -> dict[str, list[dict]]:
    """A language file as written, without the loader."""
    return yaml.safe_load(FILES[lang].read_text(encoding="utf-8"))["responses"]


def language_of(variation: dict) -> str:
    conditions = [c for c in variation.get("condition", []) if c["name"] == "language"]
    assert len(conditions) <= 1
    return conditions[0]["value"] if conditions else "en"


def test_one_file_per_supported_language() -> None:
    assert set(FILES) == set(LANGUAGES)


@pytest.mark.parametrize("lang", sorted(FILES))
def test_every_response_in_a_language_file_exists_in_english(lang: str) -> None:
    assert set(texts(lang)) <= set(texts("en"))


@pytest.mark.parametrize("lang", sorted(FILES))
def test_each_file_says_whether_its_texts_are_drafts(lang: str) -> None:
    header = FILES[lang].read_text(encoding="utf-8").split("\nresponses:")[0]
    assert ("the original texts" if lang == "en" else "DRAFT translations") in header


def test_each_language_comes_out_under_its_condition_and_english_as_the_default() -> None:
    assert list(DOMAIN["responses"]) == list(texts("en"))
    for name, variations in DOMAIN["responses"].items():
        found: dict[str, list[dict]] = {}
        for variation in variations:
            lang = language_of(variation)
            if lang != "en":
                assert variation["condition"][0] == {"type": "slot", "name": "language", "value": lang}
            found.setdefault(lang, []).append({k: v for k, v in variation.items() if k != "condition"})
        assert found == {lang: texts(lang)[name] for lang in FILES if name in texts(lang)}, name


def test_the_rest_of_the_domain_comes_from_main_yml() -> None:
    main = yaml.safe_load((FOLDER / "main.yml").read_text(encoding="utf-8"))
    assert {k: v for k, v in DOMAIN.items() if k != "responses"} == main


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small domain folder to break: main.yml and an English and a French file."""
    shutil.copy(FOLDER / "main.yml", tmp_path / "main.yml")
    (tmp_path / "responses").mkdir()
    write(tmp_path, "en", "responses:\n  utter_greet:\n  - text: Hello\n")
    write(tmp_path, "fr", "responses:\n  utter_greet:\n  - text: Bonjour\n")
    return tmp_path


def write(folder: Path, lang: str, text: str) -> None:
    (folder / "responses" / f"{lang}.yml").write_text(text, encoding="utf-8")


def test_other_conditions_channels_and_buttons_are_kept(folder: Path) -> None:
    write(folder, "fr", """responses:
  utter_greet:
  - text: Bonjour
    channel: telegram
    buttons:
    - title: No
      payload: /deny
  - condition:
    - type: slot
      name: country
      value: RS
    text: Bonjour de Serbie
""")
    assert load_domain(folder)["responses"]["utter_greet"] == [
        {"text": "Hello"},
        {
            "condition": [{"type": "slot", "name": "language", "value": "fr"}],
            "text": "Bonjour", "channel": "telegram", "buttons": [{"title": "No", "payload": "/deny"}],
        },
        {
            "condition": [
                {"type": "slot", "name": "language", "value": "fr"},
                {"type": "slot", "name": "country", "value": "RS"},
            ],
            "text": "Bonjour de Serbie",
        },
    ]


def test_a_response_without_an_english_default_is_rejected(folder: Path) -> None:
    write(folder, "fr", "responses:\n  utter_greet:\n  - text: Bonjour\n  utter_bye:\n  - text: Au revoir\n")
    with pytest.raises(DomainFilesError, match=r"fr\.yml: utter_bye has no English default in .*en\.yml"):
        load_domain(folder)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("responses:\n  utter_greet:\n  - text: Bonjour\n  utter_greet:\n  - text: Salut\n",
         r"fr\.yml: 'utter_greet' is written twice \(line 4\)"),
        ("responses:\n  utter_greet:\n  - text: Bonjour\n  - text: Bonjour\n", "variation 2 duplicates"),
        ("responses:\n  utter_greet:\n  - condition:\n    - type: slot\n      name: language\n"
         "      value: fr\n    text: Bonjour\n", "has a `language` condition; the file's name gives it"),
        ("utter_greet:\n- text: Bonjour\n", r"fr\.yml: must hold `responses:`"),
        ("responses:\n  utter_greet: Bonjour\n", "utter_greet: must be a list of variations"),
        ("responses:\n  utter_greet:\n  - text: [Bonjour\n", r"fr\.yml: while parsing"),
    ],
    ids=["response twice", "variation twice", "language condition", "no responses key", "not a list", "yaml"],
)
def test_a_malformed_or_duplicate_file_is_rejected_naming_it(folder: Path, text: str, error: str) -> None:
    write(folder, "fr", text)
    with pytest.raises(DomainFilesError, match=error):
        load_domain(folder)


def test_a_misnamed_file_or_missing_english_is_rejected(folder: Path) -> None:
    (folder / "responses" / "fr.yml").rename(folder / "responses" / "fr.yaml")
    with pytest.raises(DomainFilesError, match=r"fr\.yaml: not a language file"):
        load_domain(folder)
    (folder / "responses" / "fr.yaml").unlink()
    (folder / "responses" / "en.yml").unlink()
    with pytest.raises(DomainFilesError, match=r"no en\.yml"):
        load_domain(folder)


def test_responses_in_main_yml_are_rejected(folder: Path) -> None:
    with open(folder / "main.yml", "a", encoding="utf-8") as main:
        main.write("\nresponses:\n  utter_greet:\n  - text: Hi\n")
    with pytest.raises(DomainFilesError, match=r"responses belong in responses/<language>\.yml"):
        load_domain(folder)
