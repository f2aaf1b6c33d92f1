"""Rasa, through config.yml's importer, trains on the domain folder with each language's condition."""

import shutil
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain, InvalidDomain
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.utils.validation import YamlValidationException

from bot.domain_files import load_domain
from bot.launcher import ROOT
from rasa_plugins.domain_importer import DomainFolderImporter

FOLDER = ROOT / "domain"
FARSI = {"type": "slot", "name": "language", "value": "fa"}


def importer() -> TrainingDataImporter:
    """What `rasa train` and `rasa data validate` build from config.yml."""
    data = [str(ROOT / "bot" / "data")]
    return TrainingDataImporter.load_from_config(str(ROOT / "config.yml"), str(FOLDER), data)


def test_rasa_gets_every_language_under_its_condition() -> None:
    domain = importer().get_domain()
    assert isinstance(domain, Domain)
    greet = domain.responses["utter_greet"]
    defaults = [v for v in greet if not v.get("condition")]
    farsi = [v for v in greet if FARSI in v.get("condition", [])]
    assert len(defaults) == 1 and len(farsi) == 1
    assert farsi[0]["text"] != defaults[0]["text"]
    assert domain.responses == load_domain(FOLDER)["responses"]
    slots = {slot.name for slot in domain.slots}
    assert {"language", "country", "risk_level", "case_id", "handoff_active"} <= slots


def test_stories_and_nlu_still_come_from_the_data_folder() -> None:
    rasa = importer()
    assert rasa.get_stories().story_steps
    assert rasa.get_nlu_data().intent_examples


def test_a_broken_folder_stops_rasa_instead_of_an_empty_domain(tmp_path: Path) -> None:
    shutil.copytree(FOLDER, tmp_path / "domain")
    (tmp_path / "domain" / "responses" / "fr.yml").write_text(
        "responses:\n  utter_no_such_thing:\n  - text: Bonjour\n", encoding="utf-8"
    )
    with pytest.raises(InvalidDomain, match="utter_no_such_thing has no English default"):
        DomainFolderImporter(None, str(tmp_path / "domain"), None).get_domain()
    (tmp_path / "domain" / "responses" / "fr.yml").write_text(
        "responses:\n  utter_greet:\n  - text: Bonjour\n    buttons: not a list\n", encoding="utf-8"
    )
    with pytest.raises(YamlValidationException) as error:
        DomainFolderImporter(None, str(tmp_path / "domain"), None).get_domain()
    assert error.value.filename.endswith("fr.yml")
