"""Fixtures shared by the tests. The Rasa environment loads this file too, so the case store
(SQLAlchemy 2, actions environment only) is imported where it is used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from operators.store import CaseStore


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseStore]:
    """The case store on embedded SQLite and on PostgreSQL, each test in a schema of its own."""
    from operators.store import CaseStore
    from tests.postgres import POSTGRES, fresh_schema, in_schema

    if request.param == "sqlite":
        yield CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
        return
    with fresh_schema("test") as schema:
        store = CaseStore(in_schema(POSTGRES, schema))
        yield store
        store.engine.dispose()
