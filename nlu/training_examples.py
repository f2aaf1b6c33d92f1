"""The NLU training examples, read as plain (intent, text) pairs.

They are the best sample there is of what people ordinarily write to the assistant, in every
core language: the risk detector uses them as look-alikes that are not danger, and retrieval's
calibration uses the out-of-scope ones as questions no article answers.
"""

from __future__ import annotations

from pathlib import Path

import yaml

NLU_DATA = Path(__file__).resolve().parent.parent / "bot" / "data" / "nlu"


def examples(folder: Path = NLU_DATA, intents: set[str] | None = None) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            intent = block.get("intent")
            if intent and (intents is None or intent in intents):
                lines = block.get("examples", "").splitlines()
                found += [(intent, line[2:].strip()) for line in lines if line.startswith("- ")]
    return found
