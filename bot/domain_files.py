"""The domain folder, read as one Rasa domain: translators edit one file per language.

`domain/main.yml` holds the session config, intents, entities, slots and actions;
`domain/responses/<lang>.yml` holds that language's variations of the responses, written
without the `language` slot condition, which the file's name gives. English is the default
variation (no condition) and defines which responses exist. Rasa's own multi-file merging
would keep only one file's variations of a response, so `rasa_plugins.domain_importer` reads
the folder through `load_domain`. Only the standard library and PyYAML, so both environments
(and tests without Rasa) read the domain the way Rasa is trained on it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MAIN_FILE = "main.yml"
RESPONSES_FOLDER = "responses"
DEFAULT_LANGUAGE = "en"
LANGUAGE_SLOT = "language"
_LANGUAGE_FILE = re.compile(r"[a-z]{2,3}\.yml")
_BOOL_TAG = "tag:yaml.org,2002:bool"


class DomainFilesError(ValueError):
    """The domain folder cannot become one domain; the message names the file and what to fix."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML as Rasa (ruamel, YAML 1.2) reads: no yes/no/on/off booleans, and a key written
    twice (a response defined twice in one file) is an error instead of silently the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    raise DomainFilesError(f"'{key.value}' is written twice (line {key.start_mark.line + 1})")
                seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _read(path: Path) -> Any:
    """A YAML file's content; a parse error or duplicate key names the file."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, DomainFilesError) as error:
        raise DomainFilesError(f"{path}: {error}") from error


def language_files(folder: Path | str) -> dict[str, Path]:
    """`{language: path}` of the response files, sorted by language; anything else in the folder
    is an error, so a misnamed file (`fa.yaml`, `farsi.yml`) is not silently left out."""
    folder = Path(folder)
    if not (folder / MAIN_FILE).is_file():
        raise DomainFilesError(f"{folder} is not a domain folder: {folder / MAIN_FILE} is missing")
    for path in folder.iterdir():
        if not path.name.startswith(".") and path.name not in (MAIN_FILE, RESPONSES_FOLDER):
            raise DomainFilesError(f"{path}: unexpected here ({MAIN_FILE} and {RESPONSES_FOLDER}/ only)")
    responses = folder / RESPONSES_FOLDER
    files: dict[str, Path] = {}
    for path in sorted(responses.iterdir() if responses.is_dir() else []):
        if path.name.startswith("."):
            continue
        if not (path.is_file() and _LANGUAGE_FILE.fullmatch(path.name)):
            raise DomainFilesError(f"{path}: not a language file (<ISO 639 code>.yml, such as fa.yml)")
        files[path.stem] = path
    if DEFAULT_LANGUAGE not in files:
        raise DomainFilesError(f"{responses}: no {DEFAULT_LANGUAGE}.yml, the default texts")
    return files


def _responses(path: Path) -> dict[str, list[dict[str, Any]]]:
    """One language file's responses, checked for the shape a Rasa response has."""
    content = _read(path)
    responses = content.get("responses") if isinstance(content, dict) else None
    if not (isinstance(responses, dict) and set(content) == {"responses"}):
        raise DomainFilesError(f"{path}: must hold `responses:`, a mapping of response names to variations")
    for name, variations in responses.items():
        where = f"{path}: {name}"
        if not isinstance(variations, list) or not variations:
            raise DomainFilesError(f"{where}: must be a list of variations (`- text: ...`)")
        for i, variation in enumerate(variations):
            if not isinstance(variation, dict):
                raise DomainFilesError(f"{where}: variation {i + 1} is not a mapping (`- text: ...`)")
            if variation in variations[:i]:
                raise DomainFilesError(f"{where}: variation {i + 1} duplicates an earlier one")
            conditions = variation.get("condition", [])
            if not isinstance(conditions, list) or not all(isinstance(c, dict) for c in conditions):
                raise DomainFilesError(f"{where}: variation {i + 1}'s condition must be a list of mappings")
            if any(c.get("type") == "slot" and c.get("name") == LANGUAGE_SLOT for c in conditions):
                raise DomainFilesError(
                    f"{where}: variation {i + 1} has a `{LANGUAGE_SLOT}` condition; the file's name gives it"
                )
    return responses


def _in_language(variation: dict[str, Any], lang: str) -> dict[str, Any]:
    """The variation as Rasa needs it: the language slot condition first, its own conditions kept."""
    if lang == DEFAULT_LANGUAGE:
        return variation
    language = {"type": "slot", "name": LANGUAGE_SLOT, "value": lang}
    rest = {key: value for key, value in variation.items() if key != "condition"}
    return {"condition": [language, *variation.get("condition", [])], **rest}


def load_domain(folder: Path | str) -> dict[str, Any]:
    """The whole domain as one Rasa domain dict: main.yml plus every language's variations of
    each response (English first, then the languages in code order)."""
    folder = Path(folder)
    files = language_files(folder)
    domain = _read(folder / MAIN_FILE)
    if not isinstance(domain, dict):
        raise DomainFilesError(f"{folder / MAIN_FILE}: must be a mapping (intents, slots, actions, ...)")
    if "responses" in domain:
        raise DomainFilesError(f"{folder / MAIN_FILE}: responses belong in {RESPONSES_FOLDER}/<language>.yml")
    by_language = {lang: _responses(path) for lang, path in files.items()}
    responses = {name: list(variations) for name, variations in by_language[DEFAULT_LANGUAGE].items()}
    for lang, texts in by_language.items():
        if lang == DEFAULT_LANGUAGE:
            continue
        for name, variations in texts.items():
            if name not in responses:
                raise DomainFilesError(
                    f"{files[lang]}: {name} has no English default in {files[DEFAULT_LANGUAGE]}; "
                    "add it there first (or fix the name)"
                )
            responses[name].extend(_in_language(variation, lang) for variation in variations)
    return {**domain, "responses": responses}
