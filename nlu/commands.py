"""Typed commands: a few words a person can write to steer the assistant on any channel.

The bot's own texts tell people to write them ("write HUMAN", "reply MORE", "LANG AR"), so
they must work whatever the intent classifier thinks: a whole message that is a command is
that command's intent. Commands are compared in `nlu.text` normal form.
"""

from __future__ import annotations

from nlu.language import requested_language
from nlu.text import normalise

COMMANDS: dict[str, tuple[str, ...]] = {
    "more": ("more", "/more", "plus"),
    "request_human": ("human", "/human", "a human", "person", "humain", "operator"),
}
"""Intent -> the messages that mean it."""

_BY_TEXT = {normalise(word): intent for intent, words in COMMANDS.items() for word in words}


def command_intent(text: str) -> str | None:
    """The intent a whole-message command stands for, or None for ordinary text."""
    if requested_language(text):
        return "change_language"
    return _BY_TEXT.get(normalise(text))
