"""Fixtures shared by the tests. The Rasa environment loads this file too, so the case store
(SQLAlchemy 2, actions environment only) is imported where it is used."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


@pytest.fixture
def use_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Sets the case store's Fernet keys, newest first, as a restart with `CASE_STORE_KEYS` does."""
    from common import crypto

    def use(*keys: str) -> None:
        monkeypatch.setenv(crypto.KEYS_ENV, ",".join(keys))
        crypto.cipher.cache_clear()

    yield use
    crypto.cipher.cache_clear()
