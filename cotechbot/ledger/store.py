"""The ``Ledger``: cotechbot's durable state in SQLite (default) or PostgreSQL, made of its parts.

It holds sync cursors and capability state (``state``), a mirror of what the bot has seen (``mirror``), the
outbox of actions each with a unique deterministic key (``outbox``), an append-only audit log (``audit``) and
the leader locks (``lock``). The schema (``schema``) is versioned with Alembic and migrated on start. Every
datetime is stored in UTC; a naive datetime is refused before it reaches SQL.
"""

from __future__ import annotations

import atexit
import glob
import os
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from cotechbot.clock import Clock
from cotechbot.ledger.lock import LeaderLock, schema_lock_key
from cotechbot.ledger.mirror import MirrorStore
from cotechbot.ledger.outbox import OutboxStore
from cotechbot.ledger.schema import metadata, normalise_database_url

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

#: On PostgreSQL the leader's lock can vanish with its connection while the process still runs and posts:
#: a claim there keeps its row from every other dispatcher this long (well beyond one post's round trip).
POSTGRES_CLAIM_LEASE = timedelta(minutes=5)


class Ledger(MirrorStore, OutboxStore, LeaderLock):
    """The state database. Construct it with a SQLAlchemy URL; migrations run on construction."""

    def __init__(
        self, url: str, clock: Clock, *, migrate: bool = True, claim_lease: timedelta | None = None
    ) -> None:
        self.url = normalise_database_url(url)
        self.clock = clock
        connect_args: dict[str, Any] = {}
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            connect_args = {"timeout": 30}
        self.engine = sa.create_engine(self.url, connect_args=connect_args, pool_pre_ping=True)
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        if claim_lease is None:
            # SQLite's lock is the kernel's flock: it is only lost when the process dies, so a claimed row
            # seen by the next lock holder is an orphan and may be taken at once.
            claim_lease = POSTGRES_CLAIM_LEASE if self.dialect == "postgresql" else timedelta(0)
        self.claim_lease = claim_lease
        self._discard_on_dispose: str | None = None  # a rehearsal copy's file, removed with it
        if migrate:
            self.migrate()
        self.remember_database_file()

    # -- schema -------------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the newest version; safe when several processes start at once."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as connection:
            if self.dialect == "sqlite":
                # pysqlite's legacy transaction control runs DDL outside any transaction, so a process killed
                # mid-migration left tables without their version row. Switch that control off for this
                # connection (SQLAlchemy's pysqlite recipe; the pool restores it) and emit BEGIN ourselves.
                connection.execution_options(isolation_level="AUTOCOMMIT")
            with connection.begin():
                if self.dialect == "sqlite":
                    # IMMEDIATE takes the write lock first, so concurrent first starts wait their turn (up to
                    # the busy timeout) and then find the schema already at head.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                elif self.dialect == "postgresql":
                    # Serialise concurrent first starts; the lock ends with this transaction.
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:k)"),
                        {"k": schema_lock_key(connection, "migrate")},
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")

    def schema_version(self) -> str | None:
        with self.engine.connect() as connection:
            try:
                return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            except sa.exc.DBAPIError:
                return None

    def dispose(self) -> None:
        self.engine.dispose()
        if self._discard_on_dispose is not None:
            for path in glob.glob(glob.escape(self._discard_on_dispose) + "*"):
                os.remove(path)
            self._discard_on_dispose = None

    def rehearsal_copy(self, directory: str | None = None) -> Ledger:
        """A private copy of this ledger in a temporary SQLite file, for a dry run to work on: whatever it
        plans, cancels or moves there, the real ledger stays exactly as it was (the copy's claim lease is
        this ledger's)."""
        descriptor, path = tempfile.mkstemp(prefix="cotechbot-rehearsal-", suffix=".db", dir=directory)
        os.close(descriptor)
        copy = Ledger(f"sqlite:///{path}", self.clock, claim_lease=self.claim_lease)
        copy._discard_on_dispose = path
        atexit.register(copy.dispose)
        with self.engine.connect() as source, copy.engine.begin() as target:
            for table in metadata.sorted_tables:
                rows = [dict(row._mapping) for row in source.execute(sa.select(table))]
                if rows:
                    target.execute(table.insert(), rows)
        return copy


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
