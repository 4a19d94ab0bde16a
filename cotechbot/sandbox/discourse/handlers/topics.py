"""The topic view /t/{id}.json (and its slug and post-number forms) and /t/{id}/posts.json."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.handlers.lookups import find_topic
from cotechbot.sandbox.discourse.records import Topic
from cotechbot.sandbox.discourse.replies import (
    HTML_CONTENT_TYPE,
    Reply,
    Req,
    invalid,
    ok,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.posts import post_json
from cotechbot.sandbox.discourse.serializers.topics import topic_view_json
from cotechbot.sandbox.discourse.visibility import (
    can_see_post,
)

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum

TOPIC_CHUNK_SIZE = 20


def visible_stream(forum: SandboxForum, req: Req, topic: Topic) -> list[int]:
    return [pid for pid in topic.post_ids if can_see_post(forum, req.viewer, forum.posts[pid])]


def show(forum: SandboxForum, req: Req, id: int, slug: str | None = None, number: int | None = None) -> Reply:
    topic = find_topic(forum, req, id)
    if slug is not None and slug != topic.slug and slug != "-":
        location = f"/t/{topic.slug}/{topic.id}" + (f"/{number}" if number else "")
        page = f'<html><body>You are being <a href="{location}">redirected</a>.</body></html>'
        return Reply(301, page.encode(), None, headers={"Location": location}, content_type=HTML_CONTENT_TYPE)
    stream = visible_stream(forum, req, topic)
    chunk = 1000 if req.flag("print") else TOPIC_CHUNK_SIZE
    start = 0
    if number is not None:
        numbers = [forum.posts[p].post_number for p in stream]
        at = bisect.bisect_left(numbers, number)
        start = max(0, min(at - chunk // 4, len(stream) - chunk))
    posts = [forum.posts[p] for p in stream[start : start + chunk]]
    body = topic_view_json(
        forum, topic, posts, stream, req.viewer, req.groups, req.flag("include_raw"), chunk
    )
    return ok(body)


def topic_posts(forum: SandboxForum, req: Req, id: int) -> Reply:
    topic = find_topic(forum, req, id)
    stream = visible_stream(forum, req, topic)
    wanted = req.getlist("post_ids")
    if wanted:
        try:
            ids = {int(x) for x in wanted}
        except ValueError:
            raise invalid("post_ids") from None
        chosen = [p for p in stream if p in ids]
    else:
        after = req.int("post_number")
        if after is not None:
            if req.flag("asc"):
                chosen = [p for p in stream if forum.posts[p].post_number > after][:TOPIC_CHUNK_SIZE]
            else:
                chosen = [p for p in stream if forum.posts[p].post_number < after][-TOPIC_CHUNK_SIZE:]
        else:
            chosen = stream[:TOPIC_CHUNK_SIZE]
    include_raw = req.flag("include_raw")
    posts = [post_json(forum, forum.posts[p], req.viewer, req.groups, "topic", include_raw) for p in chosen]
    return ok({"post_stream": {"posts": posts}, "id": topic.id})


ROUTES = [
    Route("GET", "/t/<int:id>/posts", topic_posts, "topics.posts"),
    Route("GET", "/t/<int:id>", show, "topics.show"),
    Route("GET", "/t/<int:id>/<int:number>", show, "topics.show"),
    Route("GET", "/t/<slug>/<int:id>", show, "topics.show"),
    Route("GET", "/t/<slug>/<int:id>/<int:number>", show, "topics.show"),
]
