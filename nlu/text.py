"""One normal form of chat text for matching words: the risk patterns and the lexical search.

People type the same word many ways: with or without accents, with Arabic or Persian letter
forms, with Persian or Western digits, with zero-width joiners or not. Matching compares the
normal forms, so a pattern or a query written one way finds text written another.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARABIC_SCRIPT_FOLDS = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ے": "ی", "ئ": "ی",
        "ك": "ک",
        "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ؤ": "و",
    }
)
_LATIN_FOLDS = str.maketrans({"ß": "ss", "đ": "d", "ı": "i", "ё": "е", "ł": "l", "ø": "o"})
_APOSTROPHES = re.compile("['’ʼ`´]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def _strip_marks(text: str) -> str:
    """Accents off Latin letters and vowel marks off Arabic script; other scripts keep theirs."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn":
            base = out[-1] if out else ""
            # Bengali and other Indic vowel signs are letters' parts, not decoration.
            if base and not ("\u0980" <= base <= "\u0dff"):
                continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


@lru_cache(maxsize=1024)
def normalise(text: str) -> str:
    """Lowercase words separated by single spaces, in the form described above.

    Cached: the language, routing, command, place and risk steps all read the same message."""
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = _APOSTROPHES.sub("", text.lower())
    text = _strip_marks(text).translate(_LATIN_FOLDS)
    if _ARABIC_SCRIPT.search(text):
        text = text.replace("\u0640", "").translate(_ARABIC_SCRIPT_FOLDS)
    text = _fold_digits(text)
    # Letters, digits and the vowel signs of Indic scripts make words; anything else parts them.
    return " ".join("".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text).split())


def tokens(text: str) -> list[str]:
    """The words of the normal form."""
    return normalise(text).split()
