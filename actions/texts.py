"""The domain's response texts in a language, for actions that compose one message of several."""

from __future__ import annotations

from typing import Any

from rasa_sdk.types import DomainDict


def response_text(domain: DomainDict, name: str, lang: str | None) -> str:
    """The variation of a response for the `language` slot value, else the default (English)."""
    variations: list[dict[str, Any]] = domain.get("responses", {}).get(name) or []
    default = ""
    for variation in variations:
        conditions = variation.get("condition") or []
        if not conditions:
            default = default or variation.get("text", "")
        elif any(c.get("name") == "language" and c.get("value") == lang for c in conditions):
            return variation.get("text", "")
    return default
