"""Incremental sync of one Discourse forum into the ledger's mirror.

A cycle has up to five phases. Only the first runs every time; in the default steady state, when nothing
changed on the forum, a cycle costs **exactly one request** (``GET /posts.json``).

1. **New posts** (every cycle) — API-NOTES §1a. ``GET /posts.json`` returns the newest 50 public posts by
   id. If the page reaches below the cursor we are done; otherwise we page back with ``before=<smallest
   id>`` until we cross it. Paging runs newest → oldest, so the cursor cannot simply follow the pages:
   storing page 1 and then failing on page 2 would leave a gap under a cursor that claims it was seen.
   Three cursors make every page crash-safe (each page is stored with its cursors in ONE
   ``record_sync`` transaction):

   * ``posts.max_id`` = M — every visible post with id ≤ M is in the mirror (down to the backfill floor).
     Absent until the first backfill has finished.
   * ``posts.pass_top`` = T and ``posts.pass_before`` = B — a pass in progress has stored every post with
     id in [B, T]; the gap (M, B) is still open. The next request is ``before=B``, in this cycle or, after a
     failure or crash, in the next one.

   When a page crosses M (its smallest id ≤ M), comes back empty (the beginning of the forum) or reaches
   the backfill limit (``backfill_max_posts`` / ``backfill_max_age``), the gap is closed: M := T and the pass
   cursors are cleared, in the same transaction as the page. So M never moves past a post that was not
   stored, and a failed cycle loses nothing: what was stored stays, and the next cycle resumes at B.
   The first run (no M) is the same loop with M = "nothing", i.e. a backfill, with a tqdm bar when stderr
   is a terminal and a log line every ``progress_log_every`` pages otherwise.

2. **Topic backfill** (once, after the post backfill) — ``/latest.json`` page by page (100 per page) so every
   topic the mirror holds posts for has a topic row (tags, category, closed…) and a baseline
   ``bumped_at``/``highest_post_number``. Stops at topics last bumped before the oldest backfilled post.
   Cursor ``topics.backfill`` = next page, then ``done``.

3. **Topic check** — only when phase 1 stored new posts, or every ``edit_check_interval`` (cursor
   ``topics.checked_at``). One ``GET /latest.json?per_page=100``; each topic whose ``bumped_at`` or
   ``highest_post_number`` differs from the mirror is re-read whole (``Forum.topic``): that finds edits made
   alongside a reply, posts ``/posts.json`` never lists (whispers, small actions) and deletions. Re-reads are
   capped per cycle (``max_reread_requests``); a topic left over keeps its old mirror row, so it still
   looks changed, and the check stays due for the next cycle.

4. **Watched topics** — every ``edit_check_interval`` (cursor ``watched.refreshed_at``). Edits do not bump a
   topic, so the few topics the caller watches (open polls, upcoming events: ``watched_topic_ids``) are
   re-read with ONE batched ``/t/{id}/posts.json?post_ids[]=…`` request each (the first post, posts with
   polls or events, then the newest, up to ``watched_posts_per_topic``); posts whose content differs from
   the mirror (new ``version``/``updated_at``/raw, or poll tallies) are stored. An edit to an older post of a
   watched topic is therefore found within ``edit_check_interval``.

5. **Events** — every ``edit_check_interval`` (cursor ``events.refreshed_at``): one
   ``/discourse-post-event/events.json`` request for events starting after now − ``events_lookback``.

Any `ForumError` stops the cycle: the report says ``complete=False`` with the error, everything stored so far
stays stored, and cursors of unfinished phases do not move, so the next cycle picks up exactly there.
Not seen by this sync: PMs, and edits to posts in topics that are neither bumped nor watched.

**Malformed posts.** The adapter leaves out a post that fails validation and names it in the page's
``skipped`` list (`cotechbot.forum.discourse.PostList`; a plain list from a test double means "none").
Phase 1 does its cursor math on every id the forum served, skipped ones included — the newest, the smallest
(the next ``before=``) and whether the page crossed M — so a bad post at the top, in the middle or at the
bottom of a page, or alone on a page, is paged past exactly like a good one, and a page of skipped posts
only is not mistaken for the end of the forum. When the cursor passes a skipped post (its id above M, and
within the backfill limit) the sync logs ``sync.post_skipped`` and writes an audit row ``post_skipped``
(post id, topic id, path, error): that post is not in the mirror. Phases 3 and 4 never take a skipped post
for a deleted one (its mirrored copy, if any, stays as it was); if a skipped post has no readable id, they
infer no deletion from absence in that read at all. ``SyncReport.skipped_posts`` counts the skipped items
read in the cycle.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any, Protocol

import structlog

from cotechbot.clock import Clock
from cotechbot.errors import ForumBadResponse, ForumError, ForumNotFound
from cotechbot.forum.port import Forum
from cotechbot.models import CalendarEvent, Post, Topic

log = structlog.get_logger(__name__)

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
DONE = "done"


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
    max_requests_per_cycle: int | None = None
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
    #: Posts the adapter served but left out because they failed validation (see the module docstring).
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


class _RequestCap(Exception):
    """Internal: the cycle's paging cap is reached."""


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _time(value: str | None) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromisoformat(value)


def _skipped(posts: Sequence[Post]) -> list[Any]:
    """The items an adapter left out of a post list (``PostList.skipped``); none for a plain list."""
    return list(getattr(posts, "skipped", ()) or ())


def _skipped_ids(skipped: Sequence[Any]) -> tuple[set[int], bool]:
    """Readable ids of skipped posts, and whether any skipped post had no readable id."""
    ids = {s.id for s in skipped if getattr(s, "id", None) is not None}
    return ids, any(getattr(s, "id", None) is None for s in skipped)


def _served_ids(page: Sequence[Post], skipped: Sequence[Any]) -> list[int]:
    """Every id a /posts.json page carried: its valid posts and its skipped ones with a readable id."""
    ids = [p.id for p in page] + sorted(_skipped_ids(skipped)[0])
    if not ids and skipped:
        # Not the end of the forum, but nothing to page past either: retry the page next cycle.
        raise ForumBadResponse(f"/posts.json: {len(skipped)} post(s) without a readable id and nothing else")
    return ids


class _Progress:
    """A tqdm bar on a terminal, else a log line every N pages."""

    def __init__(
        self, forum: str, total: int, initial: int, bar: bool, every: int, stream: IO[str] | None
    ) -> None:
        self.forum, self.every, self.pages, self.done = forum, max(1, every), 0, initial
        self.total = max(total, initial)
        self._bar = None
        if bar:
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total,
                initial=initial,
                unit="post",
                desc=f"backfill {forum}",
                file=stream or sys.stderr,
                leave=False,
                dynamic_ncols=True,
            )

    def update(self, posts: int, oldest_id: int | None) -> None:
        self.pages += 1
        self.done += posts
        if self._bar is not None:
            self._bar.update(posts)
        elif self.pages % self.every == 0:
            log.info(
                "sync.backfill.progress",
                forum=self.forum,
                pages=self.pages,
                posts=self.done,
                estimated_total=self.total,
                oldest_id=oldest_id,
                percent=round(100 * self.done / self.total, 1) if self.total else 100.0,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class DiscourseSync:
    """Runs sync cycles of one forum into the ledger. Holds no state between cycles but the ledger's."""

    def __init__(
        self,
        forum: Forum,
        ledger: SyncLedger,
        clock: Clock,
        options: SyncOptions | None = None,
        *,
        progress_stream: IO[str] | None = None,
    ) -> None:
        self.forum = forum
        self.ledger = ledger
        self.clock = clock
        self.options = options or SyncOptions()
        self.progress_stream = progress_stream
        self.name = forum.name
        self._log = log.bind(forum=self.name)

    # -- helpers --------------------------------------------------------------------------------------
    def _cursor(self, name: str) -> str | None:
        return self.ledger.get_cursor(self.name, name)

    def _due(self, cursor: str) -> bool:
        last = _time(self._cursor(cursor))
        return last is None or self.clock.now() - last >= self.options.edit_check_interval

    def _spent(self, report: SyncReport, start: int) -> int:
        report.requests = self.forum.requests_made - start
        return report.requests

    def _check_cap(self, report: SyncReport, start: int) -> None:
        cap = self.options.max_requests_per_cycle
        if cap is not None and self._spent(report, start) >= cap:
            raise _RequestCap

    def _record(
        self,
        report: SyncReport,
        *,
        posts: Sequence[Post] = (),
        topics: Sequence[Topic] = (),
        events: Sequence[CalendarEvent] = (),
        cursors: dict[str, str] | None = None,
        deleted: Iterable[int] = (),
    ) -> Any:
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

    # -- the cycle -----------------------------------------------------------------------------------
    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> SyncReport:
        """One sync cycle; never raises `ForumError` (it ends up in the report and the log line)."""
        report = SyncReport(forum=self.name)
        start = self.forum.requests_made
        started = time.monotonic()
        try:
            caught_up = self._sync_posts(report, start)
            topics_fresh = False
            if caught_up and self.options.backfill_topics and self._cursor(TOPICS_BACKFILL) != DONE:
                self._backfill_topics(report, start)
                topics_fresh = True  # the list was just read whole: no need to check it again
            if caught_up:
                if not topics_fresh and (report.new_posts or self._due(TOPICS_CHECKED_AT)):
                    self._check_topics(report, start)
                watched = sorted(set(watched_topic_ids))
                if watched and self._due(WATCHED_REFRESHED_AT):
                    self._refresh_watched(report, watched)
                if self.options.sync_events and self._due(EVENTS_REFRESHED_AT):
                    self._refresh_events(report)
            report.complete = caught_up
        except _RequestCap:
            report.complete = False
        except ForumError as error:
            report.complete = False
            report.error = f"{type(error).__name__}: {error}"
        finally:
            self._spent(report, start)
            report.seconds = round(time.monotonic() - started, 3)
        fields = dict(
            requests=report.requests,
            new_posts=report.new_posts,
            edited_posts=report.edited_posts,
            deleted_posts=report.deleted_posts,
            pages=report.pages,
            topics_reread=report.topics_reread,
            skipped_posts=report.skipped_posts,
            backfilling=report.backfilling,
            complete=report.complete,
            seconds=report.seconds,
        )
        if report.error:
            self._log.warning("sync.cycle", error=report.error, **fields)
        else:
            self._log.info("sync.cycle", **fields)
        return report

    # -- phase 1: new posts --------------------------------------------------------------------------
    def _sync_posts(self, report: SyncReport, start: int) -> bool:
        """Page /posts.json until the cursor is crossed; True when caught up (no gap left open)."""
        opts = self.options
        max_id = _int(self._cursor(MAX_ID))
        top = _int(self._cursor(PASS_TOP))
        before = _int(self._cursor(PASS_BEFORE))
        stored = _int(self._cursor(PASS_STORED)) or 0
        if before is None or top is None:  # no pass open (or a half-written pair: start afresh from the top)
            top = before = None
            stored = 0
        resumed = before is not None
        report.backfilling = max_id is None
        progress: _Progress | None = None
        cutoff = self.clock.now() - opts.backfill_max_age if opts.backfill_max_age else None
        try:
            while True:
                self._check_cap(report, start)
                page = self.forum.latest_posts(before)
                report.pages += 1
                skipped = _skipped(page)
                report.skipped_posts += len(skipped)
                served = _served_ids(page, skipped)  # cursor math counts skipped posts too
                if before is None:
                    if not served:
                        if max_id is None:  # an empty forum: the backfill is trivially complete
                            self._record(report, cursors={MAX_ID: "0", PASS_STORED: "0"})
                        return True
                    newest = max(served)
                    if max_id is not None and newest <= max_id:
                        return True  # the idle cycle: one request
                    top, stored = newest, 0
                backfilling = max_id is None
                keep = sorted((p for p in page if max_id is None or p.id > max_id), key=lambda p: -p.id)
                limit_hit = False
                if backfilling and cutoff is not None:
                    young = [p for p in keep if p.created_at >= cutoff]
                    limit_hit = len(young) < len(keep)
                    keep = young
                if backfilling and opts.backfill_max_posts is not None:
                    room = max(0, opts.backfill_max_posts - stored)
                    if len(keep) >= room:
                        limit_hit, keep = True, keep[:room]
                lowest = min(served, default=None)
                crossed = (
                    (not served)
                    or (max_id is not None and lowest is not None and lowest <= max_id)
                    or limit_hit
                )
                assert top is not None
                if backfilling and progress is None:
                    total = min(top, opts.backfill_max_posts or top)
                    show_bar = opts.progress_bar if opts.progress_bar is not None else sys.stderr.isatty()
                    progress = _Progress(
                        self.name, total, stored, show_bar, opts.progress_log_every, self.progress_stream
                    )
                if crossed:
                    cursors = {MAX_ID: str(top), PASS_TOP: "", PASS_BEFORE: "", PASS_STORED: "0"}
                    if backfilling:
                        floor = keep[-1] if keep else None
                        cursors[FLOOR_ID] = str(floor.id if floor else (lowest or 0))
                        if floor is not None and limit_hit:
                            cursors[FLOOR_CREATED_AT] = floor.created_at.isoformat()
                else:
                    stored += len(keep)
                    cursors = {PASS_TOP: str(top), PASS_BEFORE: str(lowest), PASS_STORED: str(stored)}
                self._record(report, posts=keep, cursors=cursors)
                if skipped:
                    floor_id = (keep[-1].id if keep else None) if limit_hit else 0
                    self._passed_skipped(skipped, above=max_id or 0, floor=floor_id)
                if progress is not None:
                    progress.update(len(keep), lowest)
                if not crossed:
                    before = lowest
                    continue
                if backfilling:
                    self._log.info(
                        "sync.backfill.done",
                        posts=stored + len(keep),
                        top_id=top,
                        floor_id=cursors.get(FLOOR_ID),
                        limited=limit_hit,
                    )
                max_id, top, before, stored = top, None, None, 0
                if not resumed:
                    return True
                resumed = False  # a gap left by an earlier cycle is closed: look once more from the top
        finally:
            if progress is not None:
                progress.close()

    def _passed_skipped(self, skipped: Sequence[Any], *, above: int, floor: int | None) -> None:
        """Log and audit the skipped posts this page's cursors have just passed over (each once).

        ``above`` is M (posts at or below it were passed earlier); ``floor`` is the oldest id a limited
        backfill kept (None: it kept nothing of this page), 0 when no limit applies.
        """
        for item in skipped:
            post_id = getattr(item, "id", None)
            if post_id is None or post_id <= above or floor is None or post_id < floor:
                continue
            detail = {
                "post_id": post_id,
                "topic_id": getattr(item, "topic_id", None),
                "path": getattr(item, "path", "/posts.json"),
                "error": getattr(item, "error", ""),
            }
            self._log.warning("sync.post_skipped", **detail)
            self.ledger.audit(self.name, "post_skipped", None, detail)

    # -- phase 2: topic backfill ---------------------------------------------------------------------
    def _backfill_topics(self, report: SyncReport, start: int) -> None:
        state = self._cursor(TOPICS_BACKFILL)
        page = int(state) if state not in (None, "", DONE) else 0
        floor = _time(self._cursor(FLOOR_CREATED_AT))
        cutoff_age = (
            self.clock.now() - self.options.backfill_max_age if self.options.backfill_max_age else None
        )
        cutoff = max(c for c in (floor, cutoff_age) if c is not None) if (floor or cutoff_age) else None
        while True:
            self._check_cap(report, start)
            topics = self.forum.latest_topics(page=page, per_page=TOPICS_PER_PAGE)
            keep = [t for t in topics if cutoff is None or t.bumped_at is None or t.bumped_at >= cutoff]
            done = len(topics) < TOPICS_PER_PAGE or len(keep) < len(topics)
            cursors = {TOPICS_BACKFILL: DONE if done else str(page + 1)}
            if done:
                cursors[TOPICS_CHECKED_AT] = self.clock.now().isoformat()
            self._record(report, topics=keep, cursors=cursors)
            if done:
                self._log.info("sync.topics_backfill.done", pages=page + 1)
                return
            page += 1

    # -- phase 3: topic check ------------------------------------------------------------------------
    def _check_topics(self, report: SyncReport, start: int) -> None:
        opts = self.options
        listed = self.forum.latest_topics(page=0, per_page=TOPICS_PER_PAGE)
        mirror = {t.id: t for t in self.ledger.mirrored_topics(self.name)}
        plain: list[Topic] = []
        bumped: list[Topic] = []
        for topic in listed:
            old = mirror.get(topic.id)
            if old == topic:
                continue
            moved = old is not None and (
                old.bumped_at != topic.bumped_at or old.highest_post_number != topic.highest_post_number
            )
            (bumped if moved and opts.reread_bumped_topics else plain).append(topic)
        if plain:
            self._record(report, topics=plain)
        budget = opts.max_reread_requests
        deferred = 0
        for topic in bumped:
            cost = 1 + math.ceil(max(0, topic.posts_count - TOPIC_FIRST_CHUNK) / 50)
            if cost > budget:
                deferred += 1
                continue
            budget -= cost
            self._reread_topic(report, topic.id, listed=topic)
        if deferred:
            # Their mirror rows still differ from the list, and clearing the cursor keeps the check due.
            self._log.info("sync.topic_check.deferred", topics=deferred)
            self._record(report, cursors={TOPICS_CHECKED_AT: ""})
        else:
            self._record(report, cursors={TOPICS_CHECKED_AT: self.clock.now().isoformat()})

    def _reread_topic(self, report: SyncReport, topic_id: int, listed: Topic | None = None) -> None:
        """Read a topic whole; store changed posts, the topic row, and posts that are gone."""
        try:
            topic, posts = self.forum.topic(topic_id)
        except ForumNotFound:
            gone = [p.id for p in self.ledger.mirrored_posts(self.name, topic_ids=[topic_id])]
            self._log.info("sync.topic_gone", topic_id=topic_id, posts=len(gone))
            self._record(report, deleted=gone)
            report.touched_topic_ids.add(topic_id)
            return
        report.topics_reread += 1
        skipped = _skipped(posts)
        report.skipped_posts += len(skipped)
        bad_ids, unreadable = _skipped_ids(skipped)
        known = {p.id: p for p in self.ledger.mirrored_posts(self.name, topic_ids=[topic_id])}
        posts = [self._merge(p, known.get(p.id)) for p in posts]
        seen = {p.id for p in posts} | bad_ids  # a skipped post is there, only unreadable: not deleted
        absent = [] if unreadable else [i for i in known if i not in seen]
        deleted = absent + [p.id for p in posts if p.deleted_at is not None]
        changed = [p for p in posts if known.get(p.id) != p]
        # The topic view has no bumped_at: keep the list's row (or the mirrored one's bump time), otherwise
        # the next check would see a "change" that is only a missing field.
        if listed is not None:
            row = listed
        else:
            old = next((t for t in self.ledger.mirrored_topics(self.name) if t.id == topic_id), None)
            row = (
                topic
                if old is None or topic.bumped_at
                else topic.model_copy(update={"bumped_at": old.bumped_at})
            )
        self._record(report, posts=changed, topics=[row], deleted=deleted)
        if deleted:
            report.touched_topic_ids.add(topic_id)

    @staticmethod
    def _merge(fresh: Post, old: Post | None) -> Post:
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

    # -- phase 4: watched topics ---------------------------------------------------------------------
    def _refresh_watched(self, report: SyncReport, topic_ids: Sequence[int]) -> None:
        per_topic = self.options.watched_posts_per_topic
        for topic_id in topic_ids:
            known = self.ledger.mirrored_posts(self.name, topic_ids=[topic_id])
            if not known:
                self._reread_topic(report, topic_id)
                continue
            ranked = sorted(known, key=lambda p: (p.post_number != 1, not (p.polls or p.event), -p.id))
            wanted = [p.id for p in ranked[:per_topic]]
            try:
                fresh = self.forum.topic_posts(topic_id, wanted)
            except ForumNotFound:
                self._log.info("sync.topic_gone", topic_id=topic_id, posts=len(known))
                self._record(report, deleted=[p.id for p in known])
                report.touched_topic_ids.add(topic_id)
                continue
            skipped = _skipped(fresh)
            report.skipped_posts += len(skipped)
            bad_ids, unreadable = _skipped_ids(skipped)
            by_id = {p.id: p for p in known}
            fresh = [self._merge(p, by_id.get(p.id)) for p in fresh]
            returned = {p.id for p in fresh} | bad_ids  # a skipped post is there, only unreadable
            absent = [] if unreadable else [i for i in wanted if i not in returned]
            deleted = absent + [p.id for p in fresh if p.deleted_at]
            changed = [p for p in fresh if by_id.get(p.id) != p]
            if changed or deleted:
                self._record(report, posts=changed, deleted=deleted)
                if deleted:
                    report.touched_topic_ids.add(topic_id)
        self._record(report, cursors={WATCHED_REFRESHED_AT: self.clock.now().isoformat()})

    # -- phase 5: events -----------------------------------------------------------------------------
    def _refresh_events(self, report: SyncReport) -> None:
        now = self.clock.now()
        try:
            events = self.forum.events(after=now - self.options.events_lookback)
        except ForumNotFound:
            self._log.info("sync.events_unavailable", reason="discourse-calendar is not installed")
            events = []
        self._record(report, events=events, cursors={EVENTS_REFRESHED_AT: now.isoformat()})


def sync_forum(
    forum: Forum,
    ledger: SyncLedger,
    clock: Clock,
    *,
    watched_topic_ids: Iterable[int] = (),
    options: SyncOptions | None = None,
) -> SyncReport:
    """Run one sync cycle of ``forum`` into ``ledger`` (see the module docstring)."""
    return DiscourseSync(forum, ledger, clock, options).run_cycle(watched_topic_ids)
