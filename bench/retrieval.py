"""Retrieval quality and speed: hybrid against dense-only and lexical-only, in one run.

hit@1, hit@3 and MRR on the labelled questions (`tests/data/retrieval/`), overall and per
language, for every mode of `knowledge.retriever` (the two sides, their single parts: faiss
nearest passages and BM25 alone, and the hybrid that answers), and the hybrid's query latency.

    .venv-actions/bin/python bench/retrieval.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.evaluation import Scores, evaluate
from knowledge.hybrid import MODES
from knowledge.retriever import Retriever
from tests.datasets import retrieval_set


def main() -> None:
    retriever = Retriever.default()
    items = retrieval_set()
    retriever.search("warm up")
    report = evaluate(retriever, items)
    languages = len({i.lang for i in items})
    print(f"{len(items)} questions, {languages} languages, {len(retriever.articles)} articles\n")
    print("| mode | hit@1 | hit@3 | MRR |\n|---|---:|---:|---:|")
    for mode in MODES:
        s = report.modes[mode].summary()
        print(f"| {mode} | {s['hit@1']:.3f} | {s['hit@3']:.3f} | {s['mrr']:.3f} |")
    print("\n| language | n | " + " | ".join(f"{m} hit@1" for m in MODES) + " |")
    print("|---|---:|" + "---:|" * len(MODES))
    for lang in sorted(report.modes["hybrid"].by_language):
        ranks = {m: report.modes[m].by_language[lang] for m in MODES}
        cells = " | ".join(f"{Scores.hit(ranks[m], 1):.2f}" for m in MODES)
        print(f"| {lang} | {len(ranks['hybrid'])} | {cells} |")
    p50, p95 = report.latency_ms(0.5), report.latency_ms(0.95)
    print(f"\nhybrid query latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
