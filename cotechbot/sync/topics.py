"""Phases 2 and 3: the one-off topic backfill, and the topic check that re-reads bumped topics whole."""

from __future__ import annotations

import math

from cotechbot.errors import ForumNotFound
from cotechbot.models import Topic
from cotechbot.sync.cycle import (
    DONE,
    FLOOR_CREATED_AT,
    TOPIC_FIRST_CHUNK,
    TOPICS_BACKFILL,
    TOPICS_CHECKED_AT,
    TOPICS_PER_PAGE,
    Cycle,
    cursor_time,
    merge,
    skipped_ids,
    skipped_of,
)


def backfill_topics(cycle: Cycle) -> None:
    """Phase 2: ``/latest.json`` page by page until topics last bumped before the backfill floor."""
    state = cycle.cursor(TOPICS_BACKFILL)
    page = int(state) if state not in (None, "", DONE) else 0
    floor = cursor_time(cycle.cursor(FLOOR_CREATED_AT))
    max_age = cycle.options.backfill_max_age
    cutoff_age = cycle.clock.now() - max_age if max_age else None
    cutoff = max(c for c in (floor, cutoff_age) if c is not None) if (floor or cutoff_age) else None
    while True:
        cycle.check_cap()
        topics = cycle.forum.latest_topics(page=page, per_page=TOPICS_PER_PAGE)
        keep = [t for t in topics if cutoff is None or t.bumped_at is None or t.bumped_at >= cutoff]
        done = len(topics) < TOPICS_PER_PAGE or len(keep) < len(topics)
        cursors = {TOPICS_BACKFILL: DONE if done else str(page + 1)}
        if done:
            cursors[TOPICS_CHECKED_AT] = cycle.clock.now().isoformat()
        cycle.record(topics=keep, cursors=cursors)
        if done:
            cycle.log.info("sync.topics_backfill.done", pages=page + 1)
            return
        page += 1


def check_topics(cycle: Cycle) -> None:
    """Phase 3: one ``/latest.json``; topics whose bump or highest post number moved are re-read whole."""
    opts = cycle.options
    listed = cycle.forum.latest_topics(page=0, per_page=TOPICS_PER_PAGE)
    mirror = {t.id: t for t in cycle.ledger.mirrored_topics(cycle.name)}
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
        cycle.record(topics=plain)
    budget = opts.max_reread_requests
    deferred = 0
    for topic in bumped:
        cost = 1 + math.ceil(max(0, topic.posts_count - TOPIC_FIRST_CHUNK) / 50)
        if cost > budget:
            deferred += 1
            continue
        budget -= cost
        reread_topic(cycle, topic.id, listed=topic)
    if deferred:
        # Their mirror rows still differ from the list, and clearing the cursor keeps the check due.
        cycle.log.info("sync.topic_check.deferred", topics=deferred)
        cycle.record(cursors={TOPICS_CHECKED_AT: ""})
    else:
        cycle.record(cursors={TOPICS_CHECKED_AT: cycle.clock.now().isoformat()})


def reread_topic(cycle: Cycle, topic_id: int, listed: Topic | None = None) -> None:
    """Read a topic whole; store changed posts, the topic row, and posts that are gone."""
    report = cycle.report
    try:
        topic, posts = cycle.forum.topic(topic_id)
    except ForumNotFound:
        gone = [p.id for p in cycle.ledger.mirrored_posts(cycle.name, topic_ids=[topic_id])]
        cycle.log.info("sync.topic_gone", topic_id=topic_id, posts=len(gone))
        cycle.record(deleted=gone)
        report.touched_topic_ids.add(topic_id)
        return
    report.topics_reread += 1
    skipped = skipped_of(posts)
    report.skipped_posts += len(skipped)
    bad_ids, unreadable = skipped_ids(skipped)
    known = {p.id: p for p in cycle.ledger.mirrored_posts(cycle.name, topic_ids=[topic_id])}
    posts = [merge(p, known.get(p.id)) for p in posts]
    seen = {p.id for p in posts} | bad_ids  # a skipped post is there, only unreadable: not deleted
    absent = [] if unreadable else [i for i in known if i not in seen]
    deleted = absent + [p.id for p in posts if p.deleted_at is not None]
    changed = [p for p in posts if known.get(p.id) != p]
    # The topic view has no bumped_at: keep the list's row (or the mirrored one's bump time), otherwise
    # the next check would see a "change" that is only a missing field.
    if listed is not None:
        row = listed
    else:
        old = next((t for t in cycle.ledger.mirrored_topics(cycle.name) if t.id == topic_id), None)
        row = (
            topic if old is None or topic.bumped_at else topic.model_copy(update={"bumped_at": old.bumped_at})
        )
    cycle.record(posts=changed, topics=[row], deleted=deleted)
    if deleted:
        report.touched_topic_ids.add(topic_id)
