"""Leadership: a lock that the operating system or the database drops when its holder dies.

PostgreSQL: a session advisory lock, dropped by the server when the connection dies — which can happen
while the process lives on, so the holder asks ``Leadership.still_held()`` before claiming and before each
post. SQLite: an exclusive ``flock`` on a file beside the database, dropped by the kernel when the process
dies; ``still_held()`` there checks that the database file is still the one the ledger opened (a deleted or
replaced file would silently start an empty ledger, which re-posts everything).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from cotechbot.errors import LedgerError
from cotechbot.ledger.audit import LedgerPart
from cotechbot.ledger.schema import lock_id


class LedgerLost(LedgerError):
    """The SQLite database file the ledger opened has been deleted or replaced while the bot runs."""


class Leadership:
    """Whether this process holds a lock, and a way to ask again later. Truthy when held."""

    def __init__(self, held: bool, check: Callable[[], bool] = lambda: True) -> None:
        self.held = held
        self._check = check

    def __bool__(self) -> bool:
        return self.held

    def still_held(self) -> bool:
        if not self.held:
            return False
        try:
            self.held = bool(self._check())
        except sa.exc.DBAPIError:
            self.held = False
        return self.held


class LeaderLock(LedgerPart):
    _sqlite_identity: tuple[int, int] | None = None

    def sqlite_path(self) -> str | None:
        """The SQLite database file, or None for PostgreSQL and in-memory databases."""
        if self.dialect != "sqlite":
            return None
        database = make_url(self.url).database
        return database if database and database != ":memory:" else None

    def remember_database_file(self) -> None:
        path = self.sqlite_path()
        if path is not None and os.path.exists(path):
            stat = os.stat(path)
            self._sqlite_identity = (stat.st_dev, stat.st_ino)

    def check_database_file(self) -> None:
        """Raise ``LedgerLost`` if the SQLite file was deleted or replaced since the ledger opened it."""
        path = self.sqlite_path()
        if path is None or self._sqlite_identity is None:
            return
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            raise LedgerLost(
                f"the ledger's SQLite file {path} has disappeared while the bot runs; stopping rather than "
                "starting an empty ledger (which would post every reminder again). Restore it from backup."
            ) from None
        if (stat.st_dev, stat.st_ino) != self._sqlite_identity:
            raise LedgerLost(
                f"the ledger's SQLite file {path} was replaced by another file while the bot runs; restart "
                "the bot so it opens the new one knowingly"
            )

    @contextmanager
    def leader(self, name: str = "worker") -> Iterator[Leadership]:
        """Try to become the one process that does ``name``; yields a ``Leadership`` (truthy when held)."""
        self.check_database_file()
        if self.dialect == "postgresql":
            with self.engine.connect() as connection:
                key = schema_lock_key(connection, name)
                held = bool(
                    connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
                )
                connection.commit()
                try:
                    yield Leadership(held, lambda: _advisory_lock_held(connection, key))
                finally:
                    if held and not connection.invalidated:
                        try:
                            connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                            connection.commit()
                        except sa.exc.DBAPIError:
                            pass  # the connection died, and the lock with it
            return
        database = self.sqlite_path()
        if database is None:
            yield Leadership(True)
            return
        fd = os.open(f"{database}.{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except BlockingIOError:
                held = False
            try:
                yield Leadership(held, self._database_file_unchanged)
            finally:
                if held:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _database_file_unchanged(self) -> bool:
        self.check_database_file()  # raises: a lost ledger must stop the bot, not just this dispatch
        return True


def schema_lock_key(connection: Connection, name: str) -> int:
    """The advisory lock id for ``name`` in this connection's schema.

    PostgreSQL's advisory locks are database-wide; two bots (or two test runs) keeping their ledgers in
    different schemas of one database must not stand by for each other's locks.
    """
    schema = connection.execute(sa.text("SELECT current_schema()")).scalar()
    return lock_id(f"{schema}:{name}")


def _advisory_lock_held(connection: Connection, key: int) -> bool:
    """Whether this session still holds the advisory lock (False, not an error, if the session died)."""
    held = connection.execute(
        sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
            "AND granted AND ((classid::bigint << 32) | objid::bigint) = :k"
        ),
        {"k": key},
    ).scalar()
    connection.commit()
    return bool(held)
