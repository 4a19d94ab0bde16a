"""Ledger fixtures: the same tests run against a SQLite file and against the real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from tests.conftest import IN_CI

POSTGRES_URL = os.environ.get(
    "COTECHBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_schema_url() -> Iterator[str]:
    """Yield a URL pointing at a fresh, private schema on the test server; drop it afterwards."""
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        admin.dispose()
        reason = f"no PostgreSQL answers at {POSTGRES_URL} ({error.orig.__class__.__name__})"
        if IN_CI:
            pytest.fail(f"CI=true requires PostgreSQL: {reason}")
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL for an empty database of each supported kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2024, 6, 24, 11, 0, tzinfo=UTC))


@pytest.fixture
def ledger(database_url: str, clock: FixedClock) -> Iterator[Ledger]:
    store = Ledger(database_url, clock)
    yield store
    store.dispose()
