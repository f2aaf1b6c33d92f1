"""The machine's PostgreSQL (trust auth) for the tests at scale: a schema per test, and a search
of every row for a text. Imported where used: SQLAlchemy differs between the two environments."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def in_schema(url: str, schema: str) -> str:
    """The URL with every connection's search path set to the schema (Rasa's and ours alike)."""
    return f"{url}?options=-csearch_path%3D{schema}"


@contextmanager
def fresh_schema(prefix: str) -> Iterator[str]:
    """A new, empty schema, dropped with everything in it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def rows_containing(url: str, needle: str) -> int:
    """Rows of any table of the URL's schema, in any column, containing the needle."""
    engine = create_engine(url)
    found = 0
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        ).scalars()
        for table in list(tables):
            query = text(f"SELECT count(*) FROM {table} t WHERE t::text LIKE :needle")
            found += connection.execute(query, {"needle": f"%{needle}%"}).scalar_one()
    engine.dispose()
    return found
