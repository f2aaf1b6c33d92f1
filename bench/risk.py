"""Danger detection: recall and false alarms per language, against intent classification alone.

On the labelled set (`tests/data/risk/`): a danger message is caught when the assessed level
is above none; a benign look-alike is a false alarm when it is. The baseline is what a plain
intent classifier learns from the same examples the detector has (the danger and benign
exemplars and the NLU training examples): a linear model on character n-grams, the way a
Rasa assistant with a "report_danger" intent would work. Also shown: each of our two
detectors alone, and the latency of `nlu.risk.assess`.

    .venv-actions/bin/python bench/risk.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.linear_model import LogisticRegression

from knowledge.lexical import char_tfidf
from nlu import risk
from tests.datasets import RiskMessage, risk_set


def intent_classifier() -> Callable[[str], bool]:
    exemplars = risk.exemplars()
    vectorizer = char_tfidf()
    features = vectorizer.fit_transform(exemplars.texts)
    labels = [reason is not None for reason in exemplars.reasons]
    model = LogisticRegression(C=10, max_iter=2000, class_weight="balanced").fit(features, labels)
    return lambda text: bool(model.predict(vectorizer.transform([text]))[0])


def patterns_only(text: str) -> bool:
    return bool(risk._pattern_reasons(risk._Message(text)))


def similarity_only(text: str) -> bool:
    if len(risk._Message(text).words) < risk.SIMILAR_MIN_WORDS:
        return False
    reason, margin, _ = risk._similarity().nearest(text)
    return reason is not None and margin >= risk.SIMILAR_MARGIN


def score(detect: Callable[[str], bool], items: list[RiskMessage]) -> dict[str, dict[str, float]]:
    caught: dict[str, list[bool]] = defaultdict(list)
    alarms: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        (alarms if item.level == "none" else caught)[item.lang].append(detect(item.text))
    caught["all"] = [c for lang in sorted(caught) for c in caught[lang]]
    alarms["all"] = [a for lang in sorted(alarms) for a in alarms[lang]]
    return {
        lang: {
            "recall": sum(caught[lang]) / len(caught[lang]),
            "fpr": sum(alarms[lang]) / max(len(alarms[lang]), 1),
        }
        for lang in caught
    }


def main() -> None:
    items = risk_set()
    risk.assess("warm up the similarity model with a long enough message")
    latencies = []

    def ours(text: str) -> bool:
        started = time.perf_counter()
        level = risk.assess(text).level
        latencies.append(time.perf_counter() - started)
        return level != "none"

    detectors = {
        "ours (nlu.risk.assess)": ours,
        "patterns only": patterns_only,
        "similarity only": similarity_only,
        "intent classifier (baseline)": intent_classifier(),
    }
    results = {name: score(detect, items) for name, detect in detectors.items()}
    danger = sum(item.level != "none" for item in items)
    print(f"{len(items)} messages ({danger} danger, {len(items) - danger} benign look-alikes)\n")
    print("| detector | recall | false-positive rate |\n|---|---:|---:|")
    for name, table in results.items():
        print(f"| {name} | {table['all']['recall']:.3f} | {table['all']['fpr']:.3f} |")
    names = list(results)
    print("\n| language | " + " | ".join(f"{n.split(' ')[0]} recall / FPR" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    for lang in results[names[0]]:
        if lang != "all":
            cells = " | ".join(
                f"{results[name][lang]['recall']:.2f} / {results[name][lang]['fpr']:.2f}" for name in names
            )
            print(f"| {lang} | {cells} |")
    p95 = statistics.quantiles(latencies, n=20)[18]
    print(f"\nassess latency: p50 {1000 * statistics.median(latencies):.1f} ms, p95 {1000 * p95:.1f} ms")


if __name__ == "__main__":
    main()
