"""The mirror: what the bot has read from each forum (posts, topics, calendar events), with content hashes
so a sync can tell new, changed and deleted posts apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cotechbot.ledger.schema import content_hash, mirror
from cotechbot.ledger.state import StateStore
from cotechbot.models import CalendarEvent, Post, Topic


@dataclass
class SyncDelta:
    """What a ``record_sync`` changed in the mirror."""

    new_post_ids: list[int] = field(default_factory=list)
    changed_post_ids: list[int] = field(default_factory=list)
    deleted_post_ids: list[int] = field(default_factory=list)


class MirrorStore(StateStore):
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
