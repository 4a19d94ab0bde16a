"""Phases 4 to 6, every ``edit_check_interval``: the watched topics' posts, the calendar's events, and which
categories everyone may read."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cotechbot.errors import ForumNotFound
from cotechbot.sync.cycle import (
    CATEGORIES_REFRESHED_AT,
    EVENTS_REFRESHED_AT,
    PUBLIC_CATEGORIES,
    WATCHED_REFRESHED_AT,
    Cycle,
    merge,
    skipped_ids,
    skipped_of,
)
from cotechbot.sync.topics import reread_topic


def refresh_watched(cycle: Cycle, topic_ids: Sequence[int]) -> None:
    """Phase 4: one batched ``/t/{id}/posts.json`` per watched topic; store what changed or went."""
    report = cycle.report
    per_topic = cycle.options.watched_posts_per_topic
    for topic_id in topic_ids:
        known = cycle.ledger.mirrored_posts(cycle.name, topic_ids=[topic_id])
        if not known:
            reread_topic(cycle, topic_id)
            continue
        ranked = sorted(known, key=lambda p: (p.post_number != 1, not (p.polls or p.event), -p.id))
        wanted = [p.id for p in ranked[:per_topic]]
        try:
            fresh = cycle.forum.topic_posts(topic_id, wanted)
        except ForumNotFound:
            cycle.log.info("sync.topic_gone", topic_id=topic_id, posts=len(known))
            cycle.record(deleted=[p.id for p in known])
            report.touched_topic_ids.add(topic_id)
            continue
        skipped = skipped_of(fresh)
        report.skipped_posts += len(skipped)
        bad_ids, unreadable = skipped_ids(skipped)
        by_id = {p.id: p for p in known}
        fresh = [merge(p, by_id.get(p.id)) for p in fresh]
        returned = {p.id for p in fresh} | bad_ids  # a skipped post is there, only unreadable
        absent = [] if unreadable else [i for i in wanted if i not in returned]
        deleted = absent + [p.id for p in fresh if p.deleted_at]
        changed = [p for p in fresh if by_id.get(p.id) != p]
        if changed or deleted:
            cycle.record(posts=changed, deleted=deleted)
            if deleted:
                report.touched_topic_ids.add(topic_id)
    cycle.record(cursors={WATCHED_REFRESHED_AT: cycle.clock.now().isoformat()})


def refresh_events(cycle: Cycle) -> None:
    """Phase 5: one ``/discourse-post-event/events.json`` for events starting after now − lookback."""
    now = cycle.clock.now()
    try:
        events = cycle.forum.events(after=now - cycle.options.events_lookback)
    except ForumNotFound:
        cycle.log.info("sync.events_unavailable", reason="discourse-calendar is not installed")
        events = []
    cycle.record(events=events, cursors={EVENTS_REFRESHED_AT: now.isoformat()})


def refresh_categories(cycle: Cycle) -> None:
    """Phase 6: one ``/categories.json``; the ids of the categories everyone may read, as a cursor."""
    read = getattr(cycle.forum, "public_category_ids", None)
    if read is None:  # an adapter without categories: nothing is known to be public
        return
    now = cycle.clock.now()
    public = sorted(read())
    cycle.record(cursors={PUBLIC_CATEGORIES: json.dumps(public), CATEGORIES_REFRESHED_AT: now.isoformat()})
