"""Topic lists: /latest.json, /c/{slug}/{id}.json, /c/{id}.json, /tag/{name}.json (§1b, §1c)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from cotechbot.sandbox.discourse.records import Topic
from cotechbot.sandbox.discourse.replies import (
    Reply,
    Req,
    not_found,
    ok,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.common import user_brief
from cotechbot.sandbox.discourse.serializers.topics import topic_list_item
from cotechbot.sandbox.discourse.visibility import (
    can_see_category,
)

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum

DEFAULT_PER_PAGE = 30


def sorted_topic_ids(forum: SandboxForum, order: str, ascending: bool) -> list[int]:
    key = (order, ascending)
    cached = forum.topic_order_cache.get(key)
    if cached is not None and cached[0] == forum.topics_version:
        return cached[1]
    columns: dict[str, Callable[[Topic], Any]] = {
        "created": lambda t: t.created_at,
        "views": lambda t: t.views,
        "posts": lambda t: t.posts_count,
        "likes": lambda t: t.like_count,
        "op_likes": lambda t: 0,
        "posters": lambda t: len({forum.posts[p].user_id for p in t.post_ids}),
        "category": lambda t: t.category_id or 0,
    }
    column = columns.get(order, lambda t: t.bumped_at)
    topics = [t for t in forum.topics.values() if not t.is_pm and t.deleted_at is None]
    topics.sort(key=lambda t: (column(t), t.id), reverse=not ascending)
    ids = [t.id for t in topics]
    forum.topic_order_cache[key] = (forum.topics_version, ids)
    return ids


def topic_list(
    forum: SandboxForum,
    req: Req,
    base_url: str,
    keep: Callable[[Topic], bool],
    pinned: Callable[[Topic], bool],
) -> dict[str, Any]:
    page = req.int("page", 0, minimum=0) or 0
    per_page = req.int("per_page", DEFAULT_PER_PAGE, minimum=1) or DEFAULT_PER_PAGE
    per_page = min(per_page, 100)
    order = req.get("order") or "default"
    ascending = req.flag("ascending")
    ids = sorted_topic_ids(forum, order, ascending)
    viewer, groups = req.viewer, req.groups
    candidates = [
        t
        for t in (forum.topics[i] for i in ids)
        if keep(t) and (t.visible or viewer.staff) and can_see_category(forum, viewer, t.category_id, groups)
    ]
    if order in ("default", "activity") and not ascending:
        pinned_topics = [t for t in candidates if pinned(t)]
        unpinned = [t for t in candidates if not pinned(t)]
        if page == 0:
            chosen = (pinned_topics + unpinned)[:per_page]
        else:
            offset = max(0, page * per_page - len(pinned_topics))
            chosen = unpinned[offset : offset + per_page]
    else:
        chosen = candidates[page * per_page : (page + 1) * per_page]
    topic_list: dict[str, Any] = {
        "can_create_topic": True,
        "per_page": per_page,
        "topics": [topic_list_item(forum, t) for t in chosen],
    }
    if len(chosen) == per_page:
        query = {
            k: v
            for k, v in (
                ("order", req.get("order")),
                ("ascending", req.get("ascending")),
                ("per_page", req.get("per_page")),
            )
            if v
        }
        query["page"] = str(page + 1)
        topic_list["more_topics_url"] = f"{base_url}?{urlencode(query)}"
    user_ids: list[int] = []
    for item in topic_list["topics"]:
        for poster in item["posters"]:
            if poster["user_id"] not in user_ids:
                user_ids.append(poster["user_id"])
    return {
        "users": [user_brief(forum.users[uid]) for uid in user_ids],
        "primary_groups": [],
        "topic_list": topic_list,
    }


def latest_topics(forum: SandboxForum, req: Req) -> Reply:
    return ok(
        topic_list(
            forum, req, "/latest", lambda t: True, lambda t: t.pinned_at is not None and t.pinned_globally
        )
    )


def category_topics(
    forum: SandboxForum, req: Req, id: int, slug_path: str | None = None, none: str | None = None
) -> Reply:
    category = forum.categories.get(id)
    if category is None or not can_see_category(forum, req.viewer, category.id, req.groups):
        raise not_found()
    ids = {category.id}
    if not none:
        ids |= {c.id for c in forum.categories.values() if c.parent_id == category.id}
    body = topic_list(
        forum,
        req,
        f"/c/{category.slug}/{category.id}" + (none or ""),
        lambda t: t.category_id in ids,
        lambda t: t.pinned_at is not None and t.category_id == category.id,
    )
    return ok(body)


def tag_topics(forum: SandboxForum, req: Req, tag: str) -> Reply:
    name = tag.lower()
    if name not in forum.tags:
        raise not_found()
    body = topic_list(forum, req, f"/tag/{name}", lambda t: name in t.tags, lambda t: False)
    count = sum(1 for t in forum.topics.values() if name in t.tags and t.deleted_at is None and not t.is_pm)
    body["topic_list"]["tags"] = [
        {"id": forum.tags[name], "name": name, "topic_count": count, "staff": False}
    ]
    return ok(body)


def category_without_subcategories(forum: SandboxForum, req: Req, id: int, slug_path: str) -> Reply:
    return category_topics(forum, req, id, slug_path, none="/none")


ROUTES = [
    Route("GET", "/latest", latest_topics, "topics.latest"),
    Route("GET", "/c/<path:slug_path>/<int:id>", category_topics, "categories.topics"),
    Route("GET", "/c/<path:slug_path>/<int:id>/none", category_without_subcategories, "categories.topics"),
    Route("GET", "/c/<int:id>", category_topics, "categories.topics"),
    Route("GET", "/tag/<tag>", tag_topics, "tags.topics"),
]
