"""STOP and START on SMS and WhatsApp, in every supported language.

After STOP the person gets one confirmation and then nothing at all (not even an operator's
reply) until they send START. The words are drafts, to be checked by native speakers.
"""

from __future__ import annotations

from nlu.text import normalise

STOP_WORDS = (
    "stop", "stopp", "unsubscribe", "cancel", "arret", "arrêt", "توقف", "أوقف", "اوقف", "ایست",
    "بسه", "بند کرو", "ودرېږه", "بس کړه", "বন্ধ", "থামো", "dur", "durdur", "jooji", "rawestîne",
    "ڕاوەستە", "ኣቋርጽ", "стоп", "зупинити", "остановить", "prekini", "стани", "запри", "ndalo", "aufhören",
)
START_WORDS = (
    "start", "unstop", "demarrer", "démarrer", "ابدأ", "ابدا", "شروع", "پیل", "شروع کریں", "শুরু", "başla",
    "basla", "bilow", "dest pê bike", "دەست پێبکە", "ጀምር", "старт", "почати", "начать", "počni", "pocni",
    "почни", "започни", "fillo", "anfangen",
)

_STOP = {normalise(w) for w in STOP_WORDS}
_START = {normalise(w) for w in START_WORDS}


def opt_keyword(text: str) -> str | None:
    """"stop" or "start" when the whole message is such a keyword, else None."""
    said = normalise(text)
    if said in _STOP:
        return "stop"
    if said in _START:
        return "start"
    return None
