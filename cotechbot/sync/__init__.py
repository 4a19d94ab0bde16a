"""Incremental sync of one Discourse forum into the ledger's mirror.

A cycle has up to six phases. Only the first runs every time; in the default steady state, when nothing
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

6. **Categories** — every ``edit_check_interval`` (cursor ``categories.refreshed_at``): one
   ``/categories.json`` request; the ids of the categories everyone may read go in ``categories.public``
   (what ``cotechbot calendar`` may export).

Paging (phases 1 and 2) stops at ``max_requests_per_cycle`` (200 unless set), and a ``/posts.json`` page
that ignores ``before=`` stops the cycle rather than loop for ever.

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

The phases live in `cotechbot.sync.posts` (1), `cotechbot.sync.topics` (2, 3) and `cotechbot.sync.refresh`
(4, 5); what they share (options, report, cursors, the request cap) in `cotechbot.sync.cycle`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import IO

from cotechbot.clock import Clock
from cotechbot.errors import ForumError
from cotechbot.forum.port import Forum
from cotechbot.sync.cycle import (
    CATEGORIES_REFRESHED_AT,
    DEFAULT_MAX_REQUESTS_PER_CYCLE,
    DONE,
    EVENTS_REFRESHED_AT,
    FLOOR_CREATED_AT,
    FLOOR_ID,
    MAX_ID,
    PASS_BEFORE,
    PASS_STORED,
    PASS_TOP,
    PUBLIC_CATEGORIES,
    TOPICS_BACKFILL,
    TOPICS_CHECKED_AT,
    WATCHED_REFRESHED_AT,
    Cycle,
    RequestCapReached,
    SyncLedger,
    SyncOptions,
    SyncReport,
)
from cotechbot.sync.posts import sync_posts
from cotechbot.sync.refresh import refresh_categories, refresh_events, refresh_watched
from cotechbot.sync.topics import backfill_topics, check_topics

__all__ = [
    "CATEGORIES_REFRESHED_AT",
    "PUBLIC_CATEGORIES",
    "DEFAULT_MAX_REQUESTS_PER_CYCLE",
    "DONE",
    "EVENTS_REFRESHED_AT",
    "FLOOR_CREATED_AT",
    "FLOOR_ID",
    "MAX_ID",
    "PASS_BEFORE",
    "PASS_STORED",
    "PASS_TOP",
    "TOPICS_BACKFILL",
    "TOPICS_CHECKED_AT",
    "WATCHED_REFRESHED_AT",
    "DiscourseSync",
    "SyncLedger",
    "SyncOptions",
    "SyncReport",
]


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

    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> SyncReport:
        """One sync cycle; never raises `ForumError` (it ends up in the report and the log line)."""
        cycle = Cycle(self.forum, self.ledger, self.clock, self.options, self.progress_stream)
        report = cycle.report
        started = time.monotonic()
        try:
            caught_up = sync_posts(cycle)
            topics_fresh = False
            if caught_up and self.options.backfill_topics and cycle.cursor(TOPICS_BACKFILL) != DONE:
                backfill_topics(cycle)
                topics_fresh = True  # the list was just read whole: no need to check it again
            if caught_up:
                if not topics_fresh and (report.new_posts or cycle.due(TOPICS_CHECKED_AT)):
                    check_topics(cycle)
                watched = sorted(set(watched_topic_ids))
                if watched and cycle.due(WATCHED_REFRESHED_AT):
                    refresh_watched(cycle, watched)
                if self.options.sync_events and cycle.due(EVENTS_REFRESHED_AT):
                    refresh_events(cycle)
                if self.options.sync_categories and cycle.due(CATEGORIES_REFRESHED_AT):
                    refresh_categories(cycle)
            report.complete = caught_up
        except RequestCapReached:
            report.complete = False
        except ForumError as error:
            report.complete = False
            report.error = f"{type(error).__name__}: {error}"
        finally:
            cycle.spent()
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
            cycle.log.warning("sync.cycle", error=report.error, **fields)
        else:
            cycle.log.info("sync.cycle", **fields)
        return report
