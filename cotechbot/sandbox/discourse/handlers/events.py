"""/discourse-post-event/events.json and /discourse-post-event/events/{id}.json (§4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.records import Event
from cotechbot.sandbox.discourse.replies import (
    Reply,
    Req,
    invalid,
    not_found,
    ok,
    parse_iso,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.events import event_json, event_occurrence, event_summary_json
from cotechbot.sandbox.discourse.visibility import (
    can_see_topic,
)

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def visible_events(forum: SandboxForum, req: Req) -> list[Event]:
    out = []
    for event in forum.events.values():
        post = forum.posts[event.id]
        topic = forum.topics[post.topic_id]
        if post.deleted_at is not None or topic.deleted_at is not None:
            continue
        if can_see_topic(forum, req.viewer, topic, req.groups):
            out.append(event)
    return out


def index(forum: SandboxForum, req: Req) -> Reply:
    events = visible_events(forum, req)
    category_id = req.int("category_id")
    if category_id is not None:
        ids = {category_id}
        if req.flag("include_subcategories"):
            ids |= {c.id for c in forum.categories.values() if c.parent_id == category_id}
        events = [e for e in events if forum.topics[forum.posts[e.id].topic_id].category_id in ids]
    post_id = req.int("post_id")
    if post_id is not None:
        events = [e for e in events if e.id == post_id]
    attending = req.get("attending_user")
    if attending:
        user = forum.users_by_name.get(attending.lower())
        events = [e for e in events if user is not None and e.invitees.get(user.id) == "going"]
    starts = {e.id: event_occurrence(forum, e)[0] for e in events}
    after = req.get("after")
    if after:
        moment = parse_iso(after, "after")
        events = [e for e in events if starts[e.id] >= moment]
    before = req.get("before")
    if before:
        moment = parse_iso(before, "before")
        events = [e for e in events if starts[e.id] <= moment]
    order = (req.get("order") or "asc").lower()
    if order not in ("asc", "desc"):
        raise invalid("order")
    events.sort(key=lambda e: (starts[e.id], e.id), reverse=order == "desc")
    limit = req.int("limit", 200, minimum=1) or 200
    events = events[: min(limit, 200)]
    if req.flag("include_details"):
        return ok(
            {"events": [event_json(forum, e, req.viewer, req.groups) for e in events]}, "events.details"
        )
    return ok({"events": [event_summary_json(forum, e) for e in events]}, "events.summary")


def show(forum: SandboxForum, req: Req, id: int) -> Reply:
    event = next((e for e in visible_events(forum, req) if e.id == id), None)
    if event is None:
        raise not_found()
    return ok({"event": event_json(forum, event, req.viewer, req.groups)})


ROUTES = [
    Route("GET", "/discourse-post-event/events", index, "events.list"),
    Route("GET", "/discourse-post-event/events/<int:id>", show, "events.show"),
]
