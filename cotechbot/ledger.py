"""The ledger: cotechbot's durable state in SQLite (default) or PostgreSQL.

It holds four things: sync cursors per forum, a mirror of what the bot has seen, the outbox of actions
(each with a unique deterministic key) and an append-only audit log. The schema is versioned with Alembic
and migrated on start. Every datetime is stored in UTC; a naive datetime is refused before it reaches SQL.

Exactly-once dispatch rests on three things here:
- ``outbox.key`` is unique, so planning the same action twice can't create a second row;
- ``claim_due`` moves a row from ``pending`` to ``claimed`` with a compare-and-set, so two dispatchers can't
  both take it;
- ``leader()`` is a lock released by the operating system or the database when its holder dies, so a
  ``claimed`` row seen by the lock holder belongs to a dispatcher that is gone; the dispatcher then checks
  the forum for its own post (the key is in the post) before posting again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError

from cotechbot.actions import FINAL_STATUSES, Action, Operation, PlanOutcome, Status, parse_operation
from cotechbot.clock import Clock
from cotechbot.errors import DuplicateActionError, LedgerError
from cotechbot.models import CalendarEvent, Post, Topic, require_aware_utc

# ---------------------------------------------------------------------------------------------- types


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
    sa.Column("status", sa.String(20), nullable=False),
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

# Outbox statuses (``cotechbot.actions.Status``), under the names the ledger's callers use.
PENDING, CLAIMED, SENT, CANCELLED, SKIPPED, FAILED = (
    Status.PENDING,
    Status.CLAIMED,
    Status.SENT,
    Status.CANCELLED,
    Status.SKIPPED,
    Status.FAILED,
)

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the usual way (``postgresql://…``)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def content_hash(payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class OutboxRow:
    key: str
    kind: str
    forum: str
    source: str
    target: str
    due_at: datetime
    expires_at: datetime | None
    payload: dict[str, Any]
    status: str
    attempts: int
    claimed_by: str | None
    retry_at: datetime | None
    post_ref: str | None
    last_error: str | None
    sent_at: datetime | None

    @property
    def operation(self) -> Operation:
        """The typed operation this row performs."""
        return parse_operation(self.payload)

    @classmethod
    def from_row(cls, row: sa.Row) -> OutboxRow:
        m = row._mapping
        return cls(**{f: m[f] for f in cls.__dataclass_fields__})


@dataclass
class SyncDelta:
    """What a ``record_sync`` changed in the mirror."""

    new_post_ids: list[int] = field(default_factory=list)
    changed_post_ids: list[int] = field(default_factory=list)
    deleted_post_ids: list[int] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- ledger


class Ledger:
    """The state database. Construct it with a SQLAlchemy URL; migrations run on construction."""

    def __init__(self, url: str, clock: Clock, *, migrate: bool = True) -> None:
        self.url = normalise_database_url(url)
        self.clock = clock
        connect_args: dict[str, Any] = {}
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            connect_args = {"timeout": 30}
        self.engine: Engine = sa.create_engine(self.url, connect_args=connect_args, pool_pre_ping=True)
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- schema -------------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the newest version; safe when several processes start at once."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                # Serialise concurrent first starts; the lock ends with this transaction.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_id("migrate")})
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

    # -- cursors ------------------------------------------------------------------------------------
    def get_cursor(self, forum: str, name: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(sync_cursor.c.value).where(sync_cursor.c.forum == forum, sync_cursor.c.name == name)
            ).scalar()

    def set_cursor(self, forum: str, name: str, value: str) -> None:
        with self.engine.begin() as connection:
            self._set_cursor(connection, forum, name, value)

    def _set_cursor(self, connection: Connection, forum: str, name: str, value: str) -> None:
        now = self.clock.now()
        updated = connection.execute(
            sync_cursor.update()
            .where(sync_cursor.c.forum == forum, sync_cursor.c.name == name)
            .values(value=value, updated_at=now)
        ).rowcount
        if not updated:
            connection.execute(
                sync_cursor.insert().values(forum=forum, name=name, value=value, updated_at=now)
            )

    # -- mirror -------------------------------------------------------------------------------------
    def record_sync(
        self,
        forum: str,
        *,
        posts: Iterable[Post] = (),
        topics: Iterable[Topic] = (),
        events: Iterable[CalendarEvent] = (),
        cursors: Mapping[str, str] | None = None,
        deleted_post_ids: Iterable[int] = (),
    ) -> SyncDelta:
        """Store what a sync read and move its cursors, in one transaction: all of it lands or none."""
        delta = SyncDelta()
        now = self.clock.now()
        with self.engine.begin() as connection:
            post_list = list(posts)
            outcomes = self._upsert_mirror_many(
                connection,
                forum,
                "post",
                [(str(p.id), p.topic_id, p.model_dump(mode="json")) for p in post_list],
                now,
            )
            for post, outcome in zip(post_list, outcomes, strict=True):
                if outcome == "new":
                    delta.new_post_ids.append(post.id)
                elif outcome == "changed":
                    delta.changed_post_ids.append(post.id)
            self._upsert_mirror_many(
                connection,
                forum,
                "topic",
                [(str(t.id), t.id, t.model_dump(mode="json")) for t in topics],
                now,
            )
            self._upsert_mirror_many(
                connection,
                forum,
                "event",
                [(str(e.id), e.topic_id, e.model_dump(mode="json")) for e in events],
                now,
            )
            delta.deleted_post_ids = self._mark_posts_deleted(connection, forum, deleted_post_ids, now)
            for name, value in (cursors or {}).items():
                self._set_cursor(connection, forum, name, value)
        return delta

    #: Idents per ``IN (…)`` list: far below SQLite's bound-parameter limit and PostgreSQL's.
    _IN_CHUNK = 500

    def _existing_mirror_rows(
        self, connection: Connection, forum: str, kind: str, idents: Sequence[str]
    ) -> dict[str, tuple[str, datetime | None]]:
        """``ident -> (content_hash, deleted_at)`` of the rows that exist, in one SELECT per 500 idents."""
        found: dict[str, tuple[str, datetime | None]] = {}
        unique = list(dict.fromkeys(idents))
        for start in range(0, len(unique), self._IN_CHUNK):
            chunk = unique[start : start + self._IN_CHUNK]
            rows = connection.execute(
                sa.select(mirror.c.ident, mirror.c.content_hash, mirror.c.deleted_at).where(
                    mirror.c.forum == forum, mirror.c.kind == kind, mirror.c.ident.in_(chunk)
                )
            )
            for row in rows:
                found[row.ident] = (row.content_hash, row.deleted_at)
        return found

    def _upsert_mirror_many(
        self,
        connection: Connection,
        forum: str,
        kind: str,
        items: Sequence[tuple[str, int | None, dict[str, Any]]],
        now: datetime,
    ) -> list[str]:
        """Upsert mirror rows of one kind as a batch; one outcome per item, in input order.

        Outcomes are ``new`` (inserted), ``changed`` (content differs or the row was marked deleted: updated
        and undeleted) and ``unchanged``. One SELECT reads what exists, new rows go in with one executemany
        INSERT, changed ones with one executemany UPDATE. An ident given twice behaves as if the items were
        stored one after the other (``new`` then ``changed``/``unchanged``), as the row-by-row upsert did.
        """
        if not items:
            return []
        state = self._existing_mirror_rows(connection, forum, kind, [ident for ident, _, _ in items])
        inserts: dict[str, dict[str, Any]] = {}
        updates: dict[str, dict[str, Any]] = {}
        outcomes: list[str] = []
        for ident, topic_id, payload in items:
            digest = content_hash(payload)
            current = state.get(ident)
            if current is None:
                inserts[ident] = {
                    "forum": forum,
                    "kind": kind,
                    "ident": ident,
                    "topic_id": topic_id,
                    "payload": payload,
                    "content_hash": digest,
                    "first_seen_at": now,
                    "updated_at": now,
                    "deleted_at": None,
                }
                outcomes.append("new")
            elif current == (digest, None):
                outcomes.append("unchanged")
                continue
            else:
                if ident in inserts:  # new in this very batch: insert the latest content instead
                    inserts[ident].update(topic_id=topic_id, payload=payload, content_hash=digest)
                else:
                    updates[ident] = {
                        "b_ident": ident,
                        "topic_id": topic_id,
                        "payload": payload,
                        "content_hash": digest,
                    }
                outcomes.append("changed")
            state[ident] = (digest, None)
        if inserts:
            connection.execute(mirror.insert(), list(inserts.values()))
        if updates:
            connection.execute(
                mirror.update()
                .where(
                    mirror.c.forum == forum, mirror.c.kind == kind, mirror.c.ident == sa.bindparam("b_ident")
                )
                .values(
                    topic_id=sa.bindparam("topic_id"),
                    payload=sa.bindparam("payload"),
                    content_hash=sa.bindparam("content_hash"),
                    updated_at=now,
                    deleted_at=None,
                ),
                list(updates.values()),
            )
        return outcomes

    def _mark_posts_deleted(
        self, connection: Connection, forum: str, post_ids: Iterable[int], now: datetime
    ) -> list[int]:
        """Mark mirrored posts deleted; the ids that were live until now, in input order, each once."""
        wanted = list(dict.fromkeys(int(i) for i in post_ids))
        if not wanted:
            return []
        idents = [str(i) for i in wanted]
        live: set[str] = set()
        for start in range(0, len(idents), self._IN_CHUNK):
            chunk = idents[start : start + self._IN_CHUNK]
            live.update(
                connection.execute(
                    sa.select(mirror.c.ident).where(
                        mirror.c.forum == forum,
                        mirror.c.kind == "post",
                        mirror.c.ident.in_(chunk),
                        mirror.c.deleted_at.is_(None),
                    )
                ).scalars()
            )
            connection.execute(
                mirror.update()
                .where(
                    mirror.c.forum == forum,
                    mirror.c.kind == "post",
                    mirror.c.ident.in_(chunk),
                    mirror.c.deleted_at.is_(None),
                )
                .values(deleted_at=now, updated_at=now)
            )
        return [i for i in wanted if str(i) in live]

    def _mirrored(
        self, forum: str, kind: str, topic_ids: Iterable[int] | None = None
    ) -> list[dict[str, Any]]:
        query = sa.select(mirror.c.payload).where(
            mirror.c.forum == forum, mirror.c.kind == kind, mirror.c.deleted_at.is_(None)
        )
        if topic_ids is not None:
            query = query.where(mirror.c.topic_id.in_(list(topic_ids)))
        with self.engine.connect() as connection:
            return [row.payload for row in connection.execute(query)]

    def mirrored_posts(self, forum: str, topic_ids: Iterable[int] | None = None) -> list[Post]:
        posts = [Post.model_validate(p) for p in self._mirrored(forum, "post", topic_ids)]
        return sorted(posts, key=lambda p: p.id)

    def mirrored_topics(self, forum: str) -> list[Topic]:
        return sorted((Topic.model_validate(p) for p in self._mirrored(forum, "topic")), key=lambda t: t.id)

    def mirrored_events(self, forum: str) -> list[CalendarEvent]:
        return sorted(
            (CalendarEvent.model_validate(p) for p in self._mirrored(forum, "event")), key=lambda e: e.id
        )

    def topic_ids_touched_since(self, forum: str, since: datetime | None) -> set[int]:
        """Topics with a post or topic row stored, edited or deleted at or after ``since`` (all if None)."""
        query = sa.select(mirror.c.topic_id).where(mirror.c.forum == forum, mirror.c.topic_id.is_not(None))
        if since is not None:
            query = query.where(mirror.c.updated_at >= since)
        with self.engine.connect() as connection:
            return {int(t) for t in connection.execute(query.distinct()).scalars()}

    # -- outbox -------------------------------------------------------------------------------------
    def add_action(self, action: Action) -> None:
        """Insert one action; refuse a second with the same key (``DuplicateActionError``)."""
        now = self.clock.now()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    outbox.insert().values(
                        **_action_values(action), status=PENDING, attempts=0, created_at=now, updated_at=now
                    )
                )
        except IntegrityError:
            raise DuplicateActionError(action.key) from None

    def apply_plan(self, forum: str, sources: Iterable[str], actions: Sequence[Action]) -> PlanOutcome:
        """Make the outbox match a fresh plan for ``sources``, in one transaction.

        New keys are inserted; pending rows whose key is planned again get the new due time and payload;
        pending rows of those sources that the plan no longer contains are cancelled (an edited time gets a
        new key, so its old reminders are cancelled and new ones inserted). Final rows are never touched.
        """
        now = self.clock.now()
        source_list = sorted(set(sources) | {a.source for a in actions})
        inserted = updated = unchanged = cancelled = 0
        planned_keys = {a.key for a in actions}
        with self.engine.begin() as connection:
            existing = {
                row.key: row
                for row in connection.execute(
                    sa.select(
                        outbox.c.key,
                        outbox.c.status,
                        outbox.c.due_at,
                        outbox.c.expires_at,
                        outbox.c.payload,
                        outbox.c.target,
                    ).where(outbox.c.key.in_(planned_keys) if planned_keys else sa.false())
                )
            }
            for action in actions:
                row = existing.get(action.key)
                if row is None:
                    try:
                        with connection.begin_nested():
                            connection.execute(
                                outbox.insert().values(
                                    **_action_values(action),
                                    status=PENDING,
                                    attempts=0,
                                    created_at=now,
                                    updated_at=now,
                                )
                            )
                        inserted += 1
                    except IntegrityError:
                        unchanged += 1  # another worker inserted it a moment ago: same key, same action
                    continue
                if row.status != PENDING:
                    unchanged += 1
                    continue
                values = _action_values(action)
                if (row.due_at, row.expires_at, row.payload, row.target) == (
                    values["due_at"],
                    values["expires_at"],
                    values["payload"],
                    values["target"],
                ):
                    unchanged += 1
                    continue
                connection.execute(
                    outbox.update()
                    .where(outbox.c.key == action.key, outbox.c.status == PENDING)
                    .values(**values, updated_at=now)
                )
                updated += 1
            if source_list:
                stale = sa.and_(
                    outbox.c.forum == forum, outbox.c.source.in_(source_list), outbox.c.status == PENDING
                )
                if planned_keys:
                    stale = sa.and_(stale, outbox.c.key.not_in(planned_keys))
                stale_keys = list(connection.execute(sa.select(outbox.c.key).where(stale)).scalars())
                if stale_keys:
                    connection.execute(
                        outbox.update()
                        .where(outbox.c.key.in_(stale_keys), outbox.c.status == PENDING)
                        .values(status=CANCELLED, updated_at=now, last_error="no longer planned")
                    )
                    for key in stale_keys:
                        self._audit(
                            connection, forum, "action_cancelled", key, {"reason": "no longer planned"}
                        )
                    cancelled = len(stale_keys)
        return PlanOutcome(inserted, updated, unchanged, cancelled)

    def claim_due(self, worker: str, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """Take due actions for this worker. Call only while holding ``leader()``.

        Rows left ``claimed`` by a dispatcher that died are taken again; the caller must check the forum for
        its own post before re-posting such a row (``attempts > 1``).
        """
        now = require_aware_utc(now)
        claimed: list[OutboxRow] = []
        with self.engine.begin() as connection:
            candidates = connection.execute(
                sa.select(outbox.c.id, outbox.c.status)
                .where(
                    outbox.c.status.in_([PENDING, CLAIMED]),
                    outbox.c.due_at <= now,
                    sa.or_(outbox.c.retry_at.is_(None), outbox.c.retry_at <= now),
                )
                .order_by(outbox.c.due_at, outbox.c.id)
                .limit(limit)
            ).all()
            for candidate in candidates:
                taken = connection.execute(
                    outbox.update()
                    .where(outbox.c.id == candidate.id, outbox.c.status == candidate.status)
                    .values(
                        status=CLAIMED,
                        attempts=outbox.c.attempts + 1,
                        claimed_by=worker,
                        claimed_at=now,
                        updated_at=now,
                    )
                ).rowcount
                if taken:
                    row = connection.execute(sa.select(outbox).where(outbox.c.id == candidate.id)).one()
                    claimed.append(OutboxRow.from_row(row))
        return claimed

    def finish(
        self,
        key: str,
        status: str,
        *,
        post_ref: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> bool:
        """Move a claimed action to a final status, or back to pending until ``retry_at``, and audit it."""
        if status not in FINAL_STATUSES | {PENDING}:
            raise LedgerError(f"unknown outbox status {status!r}")
        if (retry_at is not None) != (status == PENDING):
            raise LedgerError("retry_at goes with status pending, and only with it")
        now = self.clock.now()
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(outbox.c.forum).where(outbox.c.key == key)).first()
            if row is None:
                return False
            changed = connection.execute(
                outbox.update()
                .where(outbox.c.key == key, outbox.c.status == CLAIMED)
                .values(
                    status=status,
                    post_ref=post_ref,
                    last_error=error,
                    updated_at=now,
                    retry_at=retry_at,
                    sent_at=now if status == SENT else None,
                    claimed_by=None if status == PENDING else outbox.c.claimed_by,
                )
            ).rowcount
            if changed:
                self._audit(
                    connection,
                    row.forum,
                    f"action_{status}",
                    key,
                    {"post_ref": post_ref, "error": error, **(detail or {})},
                )
        return bool(changed)

    def actions(
        self, *, forum: str | None = None, statuses: Iterable[str] | None = None, kind: str | None = None
    ) -> list[OutboxRow]:
        query = sa.select(outbox).order_by(outbox.c.due_at, outbox.c.id)
        if forum is not None:
            query = query.where(outbox.c.forum == forum)
        if statuses is not None:
            query = query.where(outbox.c.status.in_(list(statuses)))
        if kind is not None:
            query = query.where(outbox.c.kind == kind)
        with self.engine.connect() as connection:
            return [OutboxRow.from_row(row) for row in connection.execute(query)]

    def action(self, key: str) -> OutboxRow | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(outbox).where(outbox.c.key == key)).first()
        return OutboxRow.from_row(row) if row else None

    def next_due_at(self) -> datetime | None:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(outbox.c.due_at, outbox.c.retry_at)
                .where(outbox.c.status.in_([PENDING, CLAIMED]))
                .order_by(outbox.c.due_at)
                .limit(200)
            ).all()
        times = [max(row.due_at, row.retry_at) if row.retry_at else row.due_at for row in rows]
        return min(times) if times else None

    # -- capability state (interim: kept in the cursor table until the state table lands) ----------
    def state_items(self, forum: str, namespace: str) -> dict[str, Any]:
        prefix = f"state:{namespace}:"
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(sync_cursor.c.name, sync_cursor.c.value).where(
                    sync_cursor.c.forum == forum, sync_cursor.c.name.startswith(prefix, autoescape=True)
                )
            ).all()
        return {row.name[len(prefix) :]: json.loads(row.value) for row in rows}

    def update_state(self, forum: str, namespace: str, updates: Mapping[str, Any]) -> None:
        with self.engine.begin() as connection:
            for key, value in updates.items():
                name = f"state:{namespace}:{key}"
                if value is None:
                    connection.execute(
                        sync_cursor.delete().where(sync_cursor.c.forum == forum, sync_cursor.c.name == name)
                    )
                else:
                    self._set_cursor(connection, forum, name, json.dumps(value))

    # -- audit --------------------------------------------------------------------------------------
    def audit(
        self, forum: str, event: str, action_key: str | None = None, detail: Mapping[str, Any] | None = None
    ) -> None:
        with self.engine.begin() as connection:
            self._audit(connection, forum, event, action_key, detail or {})

    def _audit(
        self,
        connection: Connection,
        forum: str,
        event: str,
        action_key: str | None,
        detail: Mapping[str, Any],
    ) -> None:
        connection.execute(
            audit.insert().values(
                at=self.clock.now(), forum=forum, event=event, action_key=action_key, detail=dict(detail)
            )
        )

    def audit_log(self, forum: str | None = None, event: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(audit).order_by(audit.c.id)
        if forum is not None:
            query = query.where(audit.c.forum == forum)
        if event is not None:
            query = query.where(audit.c.event == event)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    # -- leadership ---------------------------------------------------------------------------------
    @contextmanager
    def leader(self, name: str = "worker") -> Iterator[bool]:
        """Try to become the one worker that acts; yields whether this process holds the lock.

        PostgreSQL: a session advisory lock, dropped by the server when the connection dies.
        SQLite: an exclusive ``flock`` on a file beside the database, dropped by the kernel when the process
        dies. Either way a crashed holder never blocks its successor.
        """
        if self.dialect == "postgresql":
            with self.engine.connect() as connection:
                held = bool(
                    connection.execute(
                        sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": _lock_id(name)}
                    ).scalar()
                )
                connection.commit()
                try:
                    yield held
                finally:
                    if held:
                        connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _lock_id(name)})
                        connection.commit()
            return
        database = make_url(self.url).database
        if not database or database == ":memory:":
            yield True
            return
        lock_path = f"{database}.{name}.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except BlockingIOError:
                held = False
            try:
                yield held
            finally:
                if held:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _action_values(action: Action) -> dict[str, Any]:
    return {
        "key": action.key,
        "kind": action.kind,
        "forum": action.forum,
        "source": action.source,
        "target": action.target,
        "due_at": action.due_at,
        "expires_at": action.expires_at,
        "payload": json.loads(json.dumps(action.payload, default=str)),
    }


def _lock_id(name: str) -> int:
    """A stable signed 63-bit id for PostgreSQL advisory locks."""
    return zlib.crc32(f"cotechbot:{name}".encode()) & 0x7FFFFFFF


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
