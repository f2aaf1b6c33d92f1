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
