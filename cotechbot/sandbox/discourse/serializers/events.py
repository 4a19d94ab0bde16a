"""Events of the discourse-post-event plugin (§4): summaries, details, the next occurrence of recurring ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox import markup
from cotechbot.sandbox.discourse.records import Event, User
from cotechbot.sandbox.discourse.serializers.common import user_brief
from cotechbot.sandbox.markup import utc_iso

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore


def event_occurrence(forum: ForumStore, event: Event) -> tuple[datetime, datetime | None]:
    """The next occurrence for recurring events (``starts_at`` is the next one, §4)."""
    start, end = event.starts_at, event.ends_at
    if not event.recurrence:
        return start, end
    now = forum.now()
    duration = (end - start) if end else timedelta(0)
    step = markup.RECURRENCE_STEPS.get(event.recurrence)
    guard = 0
    while (start + duration) < now and guard < 5000:
        guard += 1
        nxt = markup.add_months(start, 1) if step is None else start + step
        if event.recurrence == "every_weekday":
            while nxt.weekday() >= 5:
                nxt += timedelta(days=1)
        if event.recurrence_until and nxt > event.recurrence_until:
            break
        start = nxt
    return start, (start + duration) if end else None


def upcoming(event: Event, start: datetime, end: datetime | None, count: int):
    step = markup.RECURRENCE_STEPS.get(event.recurrence or "")
    duration = (end - start) if end else None
    out = []
    current = start
    for _ in range(count):
        if event.recurrence_until and current > event.recurrence_until:
            break
        out.append((current, current + duration if duration else None))
        current = markup.add_months(current, 1) if step is None else current + step
        if event.recurrence == "every_weekday":
            while current.weekday() >= 5:
                current += timedelta(days=1)
    return out


def event_post_json(forum: ForumStore, event: Event, detailed: bool) -> dict[str, Any]:
    post = forum.posts[event.id]
    topic = forum.topics[post.topic_id]
    body: dict[str, Any] = {
        "id": post.id,
        "post_number": post.post_number,
        "url": f"/t/{topic.slug}/{topic.id}/{post.post_number}",
    }
    if detailed:
        category = forum.categories.get(topic.category_id) if topic.category_id else None
        body["category_slug"] = category.slug if category else ""
        body["topic"] = {
            "id": topic.id,
            "title": topic.title,
            "tags": list(topic.tags),
            "tags_descriptions": {},
            "slug": topic.slug,
        }
    else:
        body["topic"] = {"id": topic.id, "title": topic.title}
    return body


def event_json(forum: ForumStore, event: Event, viewer: User, groups: tuple[str, ...]) -> dict[str, Any]:
    post = forum.posts[event.id]
    topic = forum.topics[post.topic_id]
    creator = forum.users[post.user_id]
    start, end = event_occurrence(forum, event)
    now = forum.now()
    stats = {"going": 0, "interested": 0, "not_going": 0}
    for status in event.invitees.values():
        stats[status] = stats.get(status, 0) + 1
    invited = len(event.invitees)
    if event.status == "private":
        members = set()
        for name in event.allowed_groups:
            group = forum.groups_by_name.get(name.lower())
            if group:
                members |= set(group.members)
        invited = len(members | set(event.invitees))
    is_public, is_private = event.status == "public", event.status == "private"
    in_allowed = bool(set(event.allowed_groups) & set(groups))
    body: dict[str, Any] = {
        "id": event.id,
        "category_id": topic.category_id,
        "name": event.name,
        "recurrence": event.recurrence,
        "recurrence_until": utc_iso(event.recurrence_until),
        "starts_at": utc_iso(start),
        "ends_at": utc_iso(end),
        "show_local_time": event.show_local_time,
        "timezone": event.timezone,
        "all_day": False,
        "custom_fields": {},
        "post": event_post_json(forum, event, True),
        "occurrences": [],
        "can_act_on_discourse_post_event": viewer.staff or viewer.id == creator.id,
        "can_update_attendance": event.status != "standalone" and (is_public or in_allowed or viewer.staff),
        "creator": user_brief(creator),
        "is_closed": event.closed,
        "is_expired": (end or start) < now,
        "is_ongoing": start <= now and (end is not None and now < end),
        "is_private": is_private,
        "is_public": is_public,
        "is_standalone": event.status == "standalone",
        "minimal": event.minimal,
        "raw_invitees": list(event.allowed_groups) if is_private else None,
        "reminders": markup.parse_reminders(event.reminders),
        "sample_invitees": [
            {"id": index, "status": status, "user": user_brief(forum.users[uid])}
            for index, (uid, status) in enumerate(list(event.invitees.items())[:10], start=1)
        ],
        "should_display_invitees": event.status != "standalone"
        and ((is_public and bool(event.invitees)) or (is_private and bool(event.allowed_groups))),
        "stats": {**stats, "invited": invited},
        "status": event.status,
        "description": event.description,
        "location": event.location,
        "watching_invitee": (
            {"id": 0, "status": event.invitees[viewer.id], "user": user_brief(viewer)}
            if viewer.id in event.invitees
            else None
        ),
        "chat_enabled": event.chat_enabled,
        "max_attendees": None,
        "at_capacity": False,
    }
    if event.url:
        body["url"] = event.url
    if end is not None and (end - start) < timedelta(hours=100):
        seconds = int((end - start).total_seconds())
        body["duration"] = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if event.recurrence:
        body["occurrences"] = [
            {"starts_at": utc_iso(s), "ends_at": utc_iso(e)} for s, e in upcoming(event, start, end, 5)
        ]
    return body


def event_summary_json(forum: ForumStore, event: Event) -> dict[str, Any]:
    post = forum.posts[event.id]
    topic = forum.topics[post.topic_id]
    start, end = event_occurrence(forum, event)
    return {
        "id": event.id,
        "starts_at": utc_iso(start),
        "ends_at": utc_iso(end),
        "show_local_time": event.show_local_time,
        "timezone": event.timezone,
        "post": event_post_json(forum, event, False),
        "name": event.name,
        "category_id": topic.category_id,
        "upcoming_dates": (
            [{"starts_at": utc_iso(s), "ends_at": utc_iso(e)} for s, e in upcoming(event, start, end, 5)]
            if event.recurrence
            else []
        ),
    }
