"""How long an SMS is, in segments, and where to cut one that is too long.

A text in the GSM-7 alphabet travels in 160 characters (153 per part when split; the extension
characters such as € take two). A single character outside it (Arabic, Persian, Cyrillic,
an emoji) makes the whole text UCS-2: 70 UTF-16 units (67 per part). Every segment costs the
NGO money and reaches a feature phone as a separate piece, so answers are cut to a configured
number of segments, at a word, with "reply MORE" at the end.
"""

from __future__ import annotations

import math

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def units(text: str) -> int:
    """The text's length as the network counts it: septets for GSM-7, UTF-16 units otherwise."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments the text takes."""
    single, part = (160, 153) if is_gsm7(text) else (70, 67)
    length = units(text)
    return 1 if length <= single else math.ceil(length / part)


def cut(text: str, max_segments: int, suffix: str) -> tuple[str, str | None]:
    """The text, or as much of it as fits in `max_segments` with the suffix, and the rest."""
    if segments(text) <= max_segments:
        return text, None
    words = text.split(" ")
    kept = len(words)
    while kept > 1 and segments(" ".join(words[:kept]) + "\n" + suffix) > max_segments:
        kept -= 1
    head = " ".join(words[:kept]).rstrip()
    return f"{head}\n{suffix}", " ".join(words[kept:]).lstrip() or None
