"""Numbered replies to menus: "2" means the second button of the last menu a person was shown.

Feature phones cannot tap buttons, so channels that cannot show them number them instead, and
every channel maps a bare number back to the button's payload here. Kept in memory: after a
restart a number is read as plain text, which the bot then answers as such.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any


class MenuMemory:
    """The payloads of the last menu shown to each sender, for the most recent senders."""

    def __init__(self, max_senders: int = 10_000) -> None:
        self._menus: OrderedDict[str, list[str]] = OrderedDict()
        self._max_senders = max_senders

    def remember(self, sender: str, messages: Iterable[dict[str, Any]]) -> None:
        """Keeps the buttons of the last message that had any; a reply without a menu forgets."""
        payloads: list[str] = []
        for message in messages:
            buttons = message.get("buttons") or []
            if buttons:
                payloads = [str(b.get("payload") or b.get("title") or "") for b in buttons]
        self._menus.pop(sender, None)
        if payloads:
            self._menus[sender] = payloads
            while len(self._menus) > self._max_senders:
                self._menus.popitem(last=False)

    def resolve(self, sender: str, text: str) -> str:
        """The payload a bare number stands for, or the text unchanged. A menu answers only the
        message right after it: it is forgotten here either way."""
        choice = text.strip()
        payloads = self._menus.pop(sender, None)
        if payloads and choice.isdigit() and 1 <= int(choice) <= len(payloads):
            return payloads[int(choice) - 1]
        return text


def numbered(text: str, buttons: Iterable[dict[str, Any]]) -> str:
    """The text followed by its buttons as a numbered list, for channels without buttons."""
    lines = [f"{i} {b.get('title', '')}" for i, b in enumerate(buttons, start=1)]
    return "\n".join([text, *lines]) if lines else text
