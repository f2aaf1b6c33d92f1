"""Loaders for the labelled sets in `tests/data/`, shared by the tests and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LabelledText:
    """One message with its label; `variant` names the file it came from (e.g. `ur-Latn`)."""

    text: str
    label: str
    variant: str


def language_set(folder: Path = DATA / "language") -> list[LabelledText]:
    """Every message of the language set: one file per label, `<label>[-Script].txt`."""
    items = []
    for path in sorted(folder.glob("*.txt")):
        label = path.stem.split("-")[0]
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                items.append(LabelledText(line.strip(), label, path.stem))
    return items


@dataclass(frozen=True)
class RetrievalQuestion:
    """A question, the country already known (if any) and the articles that answer it."""

    question: str
    lang: str
    country: str | None
    expected: tuple[str, ...]


def retrieval_set(folder: Path = DATA / "retrieval") -> list[RetrievalQuestion]:
    """Every question of the retrieval set: one YAML list per language."""
    import yaml

    items = []
    for path in sorted(folder.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            items.append(RetrievalQuestion(raw["q"], path.stem, raw.get("country"), tuple(raw["expected"])))
    return items


@dataclass(frozen=True)
class RiskMessage:
    """A message with its expected level and indicator codes (none for a benign look-alike)."""

    text: str
    lang: str
    level: str
    reasons: tuple[str, ...]


def risk_set(folder: Path = DATA / "risk") -> list[RiskMessage]:
    """Every message of the risk set: one YAML list per language."""
    import yaml

    return [
        RiskMessage(raw["text"], path.stem, raw["level"], tuple(raw.get("reasons") or ()))
        for path in sorted(folder.glob("*.yml"))
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


@dataclass(frozen=True)
class Turn:
    """One message of a labelled conversation and what the person should get for it.

    `kind`: greeting, thanks, question, danger, human, language or country; `topic` the topic
    of the article that answers it (a question, or a country that completes one); `country`
    where the person is known to be after it ("-" when not labelled); `lang` the language the
    reply should be in.
    """

    text: str
    kind: str
    topic: str | None
    country: str | None
    lang: str


@dataclass(frozen=True)
class Conversation:
    id: str
    lang: str
    turns: tuple[Turn, ...]


UNLABELLED = "-"


def conversation_set(folder: Path = DATA / "conversations") -> list[Conversation]:
    """Every labelled conversation: one YAML file per language (see its README)."""
    import yaml

    found = []
    for path in sorted(folder.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for conversation in raw["conversations"]:
            labels = conversation["turns"]
            langs, current = [], raw["language"]
            for turn in labels:
                current = turn.get("lang") or current  # a switch holds for the turns after it
                langs.append(current)
            for i, turn in enumerate(labels[:-1]):
                if turn["kind"] == "language":  # a request for a language is answered in it
                    langs[i] = langs[i + 1]
            turns = tuple(
                Turn(str(t["text"]), t["kind"], t.get("topic"), t.get("country", UNLABELLED), lang)
                for t, lang in zip(labels, langs, strict=True)
            )
            found.append(Conversation(conversation["id"], raw["language"], turns))
    return found
