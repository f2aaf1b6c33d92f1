"""What every channel does to inbound text before Rasa sees it."""

from __future__ import annotations

import re
import unicodedata

from common.vocabulary import NO_TEXT as NO_TEXT_INTENT

MAX_TEXT_CHARS = 4096
"""The longest message read (Telegram's own limit); the rest of a longer one is not."""
MAX_BODY_BYTES = 256 * 1024
"""The largest webhook body accepted from Telegram or Twilio (theirs are far smaller)."""

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_READABLE = re.compile(r"[^\W_]", re.UNICODE)


def sanitise(text: str) -> str:
    """Normalise to NFC and drop control characters and bidi overrides.

    Newlines, tabs and the joiners that Persian and Urdu spelling needs are kept.
    """
    text = unicodedata.normalize("NFC", text)
    text = _BIDI_CONTROLS.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


def to_rasa_text(text: str) -> str:
    """The text Rasa should parse: sanitised and cut to `MAX_TEXT_CHARS`, or the no-text intent
    when nothing is readable."""
    cleaned = sanitise(text[: MAX_TEXT_CHARS * 2])[:MAX_TEXT_CHARS].strip()
    return cleaned if _READABLE.search(cleaned) else NO_TEXT_INTENT
