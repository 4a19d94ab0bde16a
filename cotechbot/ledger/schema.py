"""The ledger's tables, as SQLAlchemy Core metadata. The migrations in ``cotechbot/migrations`` build the
same schema; ``tests/store/test_schema_drift.py`` proves the two agree on SQLite and PostgreSQL.

Every timestamp column is ``UtcDateTime``: it refuses a naive datetime before it reaches SQL and always gives
back an aware UTC one.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from cotechbot.actions import Status
from cotechbot.errors import LedgerError
from cotechbot.models import require_aware_utc


class UtcDateTime(sa.types.TypeDecorator):
    """A timestamp column that only accepts aware datetimes and always gives back aware UTC ones.

    SQLite has no time zone type, so UTC is stored without an offset and reattached on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise LedgerError(f"expected a datetime, got {type(value).__name__}")
        utc = require_aware_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StatusColumn(sa.types.TypeDecorator):
    """An outbox status: stored as its plain string (no database enum type to migrate), read back as
    ``Status``; an unknown value is refused on the way in."""

    impl = sa.String(20)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        try:
            return Status(value).value
        except ValueError:
            raise LedgerError(f"unknown outbox status {value!r}") from None

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> Status | None:
        return None if value is None else Status(value)


metadata = sa.MetaData()

sync_cursor = sa.Table(
    "sync_cursor",
    metadata,
    sa.Column("forum", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

mirror = sa.Table(
    "mirror",
    metadata,
    sa.Column("forum", sa.String(100), primary_key=True),
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("ident", sa.String(100), primary_key=True),
    sa.Column("topic_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("first_seen_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("deleted_at", UtcDateTime, nullable=True),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(400), nullable=False, unique=True),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("forum", sa.String(100), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("status", StatusColumn, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("claimed_by", sa.String(100), nullable=True),
    sa.Column("claimed_at", UtcDateTime, nullable=True),
    sa.Column("retry_at", UtcDateTime, nullable=True),
    sa.Column("post_ref", sa.String(200), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("sent_at", UtcDateTime, nullable=True),
    sa.Index("ix_outbox_status_due", "status", "due_at"),
    sa.Index("ix_outbox_forum_source", "forum", "source"),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("forum", sa.String(100), nullable=False),
    sa.Column("event", sa.String(60), nullable=False),
    sa.Column("action_key", sa.String(400), nullable=True),
    sa.Column("detail", sa.JSON, nullable=False),
)

capability_state = sa.Table(
    "capability_state",
    metadata,
    sa.Column("forum", sa.String(100), primary_key=True),
    sa.Column("namespace", sa.String(100), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the usual way (``postgresql://…``)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def content_hash(payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def lock_id(name: str) -> int:
    """A stable signed 63-bit id for PostgreSQL advisory locks."""
    return zlib.crc32(f"cotechbot:{name}".encode()) & 0x7FFFFFFF
