"""What the end-to-end tests of both environments share: free ports and the domain's texts by
response and language."""

from __future__ import annotations

import socket

from bot.domain_files import load_domain
from bot.launcher import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def responses_by_language() -> dict[str, dict[str, str]]:
    """`{response name: {language: text}}` from the domain folder; English is the default variation."""
    domain = load_domain(ROOT / "domain")
    table: dict[str, dict[str, str]] = {}
    for name, variations in domain["responses"].items():
        for variation in variations:
            lang = next((c["value"] for c in variation.get("condition", []) if c["name"] == "language"), "en")
            table.setdefault(name, {})[lang] = variation["text"]
    return table


RESPONSES = responses_by_language()


def response_names(text: str, lang: str) -> set[str]:
    return {name for name, texts in RESPONSES.items() if texts.get(lang) == text}
