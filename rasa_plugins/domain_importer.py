"""The domain folder for Rasa: `config.yml` registers this importer under `importers:`.

Rasa's own multi-file domain merging keeps one file's variations of a response and drops the
others', so the per-language response files (domain/responses/<lang>.yml) must be merged by
`bot.domain_files`, which also adds each file's `language` slot condition. Only the command
line's `--domain domain` (a folder) reaches here; NLU data, stories, rules and the config are
read exactly as Rasa reads them.
"""

from __future__ import annotations

from pathlib import Path

import rasa.shared.utils.io
from rasa.shared.constants import DOMAIN_SCHEMA_FILE
from rasa.shared.core.domain import Domain, InvalidDomain
from rasa.shared.exceptions import YamlException
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.utils.common import cached_method
from rasa.shared.utils.validation import validate_yaml_schema

from bot.domain_files import MAIN_FILE, DomainFilesError, language_files, load_domain


class DomainFolderImporter(RasaFileImporter):
    """Rasa's file importer with the domain read from the domain folder by `bot.domain_files`.

    A subclass rather than a wrapper: `RasaFileImporter` reads stories and rules against
    `self.get_domain()`, so they are checked against this domain, not Rasa's wrong merge of it.
    """

    @cached_method
    def get_domain(self) -> Domain:
        """The folder as one Domain. Each file is first checked against Rasa's domain schema, so
        a mistake names its file and line; a broken folder stops the command with the reason
        (`RasaFileImporter` would only warn and go on with an empty domain)."""
        if not self._domain_path:  # a command that needs no domain, as in RasaFileImporter
            return Domain.empty()
        folder = Path(self._domain_path)
        try:
            for path in [folder / MAIN_FILE, *language_files(folder).values()]:
                _validate_schema(path)
            return Domain.from_dict(load_domain(folder))
        except DomainFilesError as error:
            raise InvalidDomain(str(error)) from error


def _validate_schema(path: Path) -> None:
    """Rasa's schema check of one domain file, as `Domain.from_file` does it, naming the file."""
    try:
        validate_yaml_schema(rasa.shared.utils.io.read_file(path), DOMAIN_SCHEMA_FILE)
    except YamlException as error:
        error.filename = str(path)
        raise
