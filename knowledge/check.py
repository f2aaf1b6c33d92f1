"""`make kb-check`: validates every article and reports what needs an editor's attention.

`python -m knowledge check` exits non-zero when an article breaks a rule; stale reviews and
draft translations are reported, not fatal, because they need people, not code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from knowledge.articles import ARTICLES, load_article, problems
from nlu.language import LANGUAGE_NAMES

STALE_AFTER_DAYS = 180


def report(folder: Path = ARTICLES, today: dt.date | None = None) -> tuple[list[str], list[str]]:
    """(problems, notes): problems fail the check, notes are for editors."""
    today = today or dt.date.today()
    found = problems(folder)
    if found:
        return found, []
    articles = [load_article(path) for path in sorted(folder.glob("*.yml"))]
    found.extend(
        f"topic {topic}: no article in all {len(LANGUAGE_NAMES)} languages"
        for topic in sorted({a.topic for a in articles})
        if not any(a.topic == topic and set(LANGUAGE_NAMES) <= set(a.translations) for a in articles)
    )
    notes = [f"{len(articles)} articles valid"]
    stale = [a.id for a in articles if (today - a.last_reviewed).days > STALE_AFTER_DAYS]
    notes.append(
        f"{len(stale)} articles reviewed more than {STALE_AFTER_DAYS} days ago"
        + (f": {', '.join(stale)}" if stale else "")
    )
    drafts = Counter(t.lang for a in articles for t in a.translations.values() if t.status == "draft")
    per_language = ", ".join(f"{lang} {count}" for lang, count in sorted(drafts.items()))
    notes.append(f"{sum(drafts.values())} draft translations awaiting review ({per_language})")
    owners: dict[str, set[str]] = {}
    for article in articles:
        for _, question in article.questions():
            owners.setdefault(question.casefold(), set()).add(article.id)
    shared = sorted(q for q, ids in owners.items() if len(ids) > 1)
    if shared:
        found.extend(f"question under several articles: {q!r}" for q in shared)
    return found, notes
