"""Phase 1, every cycle: new posts from ``/posts.json``, paged back with ``before=`` (see the package docstring).

A server that ignores ``before=`` would hand the same page back for ever: a page whose ids do not all lie
below the ``before`` asked for makes no progress, and stops the cycle with a ``ForumBadResponse`` (what was
stored stays; the next cycle resumes at the same cursor).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any

from cotechbot.errors import ForumBadResponse
from cotechbot.sync.cycle import (
    FLOOR_CREATED_AT,
    FLOOR_ID,
    MAX_ID,
    PASS_BEFORE,
    PASS_STORED,
    PASS_TOP,
    Cycle,
    cursor_int,
    log,
    served_ids,
    skipped_of,
)


class Progress:
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


def sync_posts(cycle: Cycle) -> bool:
    """Page /posts.json until the cursor is crossed; True when caught up (no gap left open)."""
    opts, report = cycle.options, cycle.report
    max_id = cursor_int(cycle.cursor(MAX_ID))
    top = cursor_int(cycle.cursor(PASS_TOP))
    before = cursor_int(cycle.cursor(PASS_BEFORE))
    stored = cursor_int(cycle.cursor(PASS_STORED)) or 0
    if before is None or top is None:  # no pass open (or a half-written pair: start afresh from the top)
        top = before = None
        stored = 0
    resumed = before is not None
    report.backfilling = max_id is None
    progress: Progress | None = None
    cutoff = cycle.clock.now() - opts.backfill_max_age if opts.backfill_max_age else None
    try:
        while True:
            cycle.check_cap()
            page = cycle.forum.latest_posts(before)
            report.pages += 1
            skipped = skipped_of(page)
            report.skipped_posts += len(skipped)
            served = served_ids(page, skipped)  # cursor math counts skipped posts too
            if before is not None and served and max(served) >= before:
                raise ForumBadResponse(
                    f"/posts.json?before={before} served ids up to {max(served)}: the forum ignores "
                    f"'before', so paging makes no progress",
                    path="/posts.json",
                )
            if before is None:
                if not served:
                    if max_id is None:  # an empty forum: the backfill is trivially complete
                        cycle.record(cursors={MAX_ID: "0", PASS_STORED: "0"})
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
                (not served) or (max_id is not None and lowest is not None and lowest <= max_id) or limit_hit
            )
            assert top is not None
            if backfilling and progress is None:
                total = min(top, opts.backfill_max_posts or top)
                show_bar = opts.progress_bar if opts.progress_bar is not None else sys.stderr.isatty()
                progress = Progress(
                    cycle.name, total, stored, show_bar, opts.progress_log_every, cycle.progress_stream
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
            cycle.record(posts=keep, cursors=cursors)
            if skipped:
                floor_id = (keep[-1].id if keep else None) if limit_hit else 0
                passed_skipped(cycle, skipped, above=max_id or 0, floor=floor_id)
            if progress is not None:
                progress.update(len(keep), lowest)
            if not crossed:
                before = lowest
                continue
            if backfilling:
                cycle.log.info(
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


def passed_skipped(cycle: Cycle, skipped: Sequence[Any], *, above: int, floor: int | None) -> None:
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
        cycle.log.warning("sync.post_skipped", **detail)
        cycle.ledger.audit(cycle.name, "post_skipped", None, detail)
