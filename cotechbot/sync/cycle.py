"""What every phase of a sync cycle shares: the options, the report, the ledger seam, the cursors, the cap."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any, Protocol

import structlog

from cotechbot.clock import Clock
from cotechbot.errors import ForumBadResponse
from cotechbot.forum.port import Forum
from cotechbot.models import CalendarEvent, Post, Topic

log = structlog.get_logger("cotechbot.sync")

TOPICS_PER_PAGE = 100
TOPIC_FIRST_CHUNK = 20

# cursor names (per forum)
MAX_ID = "posts.max_id"
PASS_TOP = "posts.pass_top"
PASS_BEFORE = "posts.pass_before"
PASS_STORED = "posts.pass_stored"
FLOOR_ID = "posts.floor_id"
FLOOR_CREATED_AT = "posts.floor_created_at"
TOPICS_BACKFILL = "topics.backfill"
TOPICS_CHECKED_AT = "topics.checked_at"
WATCHED_REFRESHED_AT = "watched.refreshed_at"
EVENTS_REFRESHED_AT = "events.refreshed_at"
CATEGORIES_REFRESHED_AT = "categories.refreshed_at"
#: The ids of the categories everyone may read, as a JSON list (absent until first read: nothing is public).
PUBLIC_CATEGORIES = "categories.public"
DONE = "done"

#: Paging requests a cycle may spend when nothing says otherwise: a forum that never lets the sync catch up
#: (or answers every page alike) costs at most this much per cycle; the next cycle resumes where it stopped.
DEFAULT_MAX_REQUESTS_PER_CYCLE = 200


class SyncLedger(Protocol):
    """The part of `cotechbot.ledger.Ledger` the sync uses."""

    def get_cursor(self, forum: str, name: str) -> str | None: ...

    def record_sync(
        self,
        forum: str,
        *,
        posts: Iterable[Post] = (),
        topics: Iterable[Topic] = (),
        events: Iterable[CalendarEvent] = (),
        cursors: Any = None,
        deleted_post_ids: Iterable[int] = (),
    ) -> Any: ...

    def mirrored_posts(self, forum: str, topic_ids: Iterable[int] | None = None) -> list[Post]: ...

    def mirrored_topics(self, forum: str) -> list[Topic]: ...

    def audit(self, forum: str, event: str, action_key: str | None = None, detail: Any = None) -> None: ...


@dataclass(frozen=True)
class SyncOptions:
    """How much a cycle may do; defaults suit a small forum polled every few minutes."""

    #: How often watched topics, the topic list and events are re-read even when nothing new was posted.
    edit_check_interval: timedelta = timedelta(minutes=30)
    #: First run: stop after this many posts (None = the whole forum) ...
    backfill_max_posts: int | None = 5000
    #: ... or at posts older than this (None = no age limit).
    backfill_max_age: timedelta | None = None
    #: Cap on requests a cycle spends on paging (posts and topic backfill); None = until caught up.
    #: The request budget (token bucket in the adapter) paces them either way.
    max_requests_per_cycle: int | None = DEFAULT_MAX_REQUESTS_PER_CYCLE
    #: Fill topic rows for everything backfilled (phase 2).
    backfill_topics: bool = True
    #: Re-read topics whose bump time or highest post number changed (phase 3).
    reread_bumped_topics: bool = True
    #: Requests phase 3 may spend on re-reads per cycle.
    max_reread_requests: int = 30
    #: Ids asked for per watched topic in phase 4 (one request).
    watched_posts_per_topic: int = 50
    #: Phase 5 on/off, and how far back an event's start may be and still be refreshed.
    sync_events: bool = True
    events_lookback: timedelta = timedelta(days=1)
    #: Phase 6 on/off: which categories everyone may read (what the calendar may export).
    sync_categories: bool = True
    #: Backfill progress: None = a tqdm bar if stderr is a terminal, else log lines; True/False force it.
    progress_bar: bool | None = None
    progress_log_every: int = 20

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> SyncOptions:
        values: dict[str, Any] = {}
        if getattr(settings, "edit_check_interval_minutes", None):
            values["edit_check_interval"] = timedelta(minutes=settings.edit_check_interval_minutes)
        if hasattr(settings, "backfill_max_posts"):
            values["backfill_max_posts"] = settings.backfill_max_posts
        values.update(overrides)
        return cls(**values)


@dataclass
class SyncReport:
    """What one cycle did. ``complete`` is False when it stopped early (error or request cap)."""

    forum: str
    requests: int = 0
    new_posts: int = 0
    edited_posts: int = 0
    deleted_posts: int = 0
    pages: int = 0
    topics_stored: int = 0
    topics_reread: int = 0
    events: int = 0
    #: Posts the adapter served but left out because they failed validation (see the package docstring).
    skipped_posts: int = 0
    backfilling: bool = False
    complete: bool = False
    error: str | None = None
    #: Topics with a new, changed or deleted post or a changed topic row: what the detectors should revisit.
    touched_topic_ids: set[int] = field(default_factory=set)
    seconds: float = 0.0

    def summary(self) -> str:
        state = "complete" if self.complete else f"incomplete ({self.error or 'request cap reached'})"
        return (
            f"{self.forum}: {self.requests} requests, {self.new_posts} new posts, {self.edited_posts} edited, "
            f"{self.deleted_posts} deleted, {self.pages} pages; {state}"
        )


class RequestCapReached(Exception):
    """The cycle's paging cap is reached: stop here, resume next cycle."""


def cursor_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def cursor_time(value: str | None) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromisoformat(value)


def skipped_of(posts: Sequence[Post]) -> list[Any]:
    """The items an adapter left out of a post list (``PostList.skipped``); none for a plain list."""
    return list(getattr(posts, "skipped", ()) or ())


def skipped_ids(skipped: Sequence[Any]) -> tuple[set[int], bool]:
    """Readable ids of skipped posts, and whether any skipped post had no readable id."""
    ids = {s.id for s in skipped if getattr(s, "id", None) is not None}
    return ids, any(getattr(s, "id", None) is None for s in skipped)


def served_ids(page: Sequence[Post], skipped: Sequence[Any]) -> list[int]:
    """Every id a /posts.json page carried: its valid posts and its skipped ones with a readable id."""
    ids = [p.id for p in page] + sorted(skipped_ids(skipped)[0])
    if not ids and skipped:
        # Not the end of the forum, but nothing to page past either: retry the page next cycle.
        raise ForumBadResponse(f"/posts.json: {len(skipped)} post(s) without a readable id and nothing else")
    return ids


def merge(fresh: Post, old: Post | None) -> Post:
    """Fill fields a topic read leaves out (title, slug, category) from the mirrored copy."""
    if old is None:
        return fresh
    update = {
        name: getattr(old, name)
        for name in ("topic_title", "topic_slug", "category_id")
        if getattr(fresh, name) is None and getattr(old, name) is not None
    }
    if fresh.raw is None and old.raw is not None and fresh.version == old.version:
        update["raw"] = old.raw
    return fresh.model_copy(update=update) if update else fresh


class Cycle:
    """One cycle in progress: the forum, the ledger and the report every phase reads and writes."""

    def __init__(
        self,
        forum: Forum,
        ledger: SyncLedger,
        clock: Clock,
        options: SyncOptions,
        progress_stream: IO[str] | None = None,
    ) -> None:
        self.forum = forum
        self.ledger = ledger
        self.clock = clock
        self.options = options
        self.progress_stream = progress_stream
        self.name = forum.name
        self.log = log.bind(forum=self.name)
        self.report = SyncReport(forum=self.name)
        self.start = forum.requests_made

    def cursor(self, name: str) -> str | None:
        return self.ledger.get_cursor(self.name, name)

    def due(self, cursor: str) -> bool:
        last = cursor_time(self.cursor(cursor))
        return last is None or self.clock.now() - last >= self.options.edit_check_interval

    def spent(self) -> int:
        self.report.requests = self.forum.requests_made - self.start
        return self.report.requests

    def check_cap(self) -> None:
        cap = self.options.max_requests_per_cycle
        if cap is not None and self.spent() >= cap:
            raise RequestCapReached

    def record(
        self,
        *,
        posts: Sequence[Post] = (),
        topics: Sequence[Topic] = (),
        events: Sequence[CalendarEvent] = (),
        cursors: dict[str, str] | None = None,
        deleted: Iterable[int] = (),
    ) -> Any:
        report = self.report
        deleted = list(deleted)
        delta = self.ledger.record_sync(
            self.name,
            posts=posts,
            topics=topics,
            events=events,
            cursors=cursors or {},
            deleted_post_ids=deleted,
        )
        new = list(getattr(delta, "new_post_ids", []))
        changed = list(getattr(delta, "changed_post_ids", []))
        gone = list(getattr(delta, "deleted_post_ids", []))
        report.new_posts += len(new)
        report.edited_posts += len(changed)
        report.deleted_posts += len(gone)
        report.topics_stored += len(topics)
        report.events += len(events)
        by_id = {p.id: p.topic_id for p in posts}
        report.touched_topic_ids.update(by_id[i] for i in new + changed if i in by_id)
        report.touched_topic_ids.update(t.id for t in topics)
        report.touched_topic_ids.update(e.topic_id for e in events if e.topic_id is not None)
        return delta
