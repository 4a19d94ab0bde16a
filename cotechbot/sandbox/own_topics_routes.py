"""The fake's topic lists of one user: what the bot reads to find a topic or message it already created.

    GET /topics/created-by/{username}.json             topics the user started (no private messages)
    GET /topics/private-messages-sent/{username}.json  private messages the user wrote in (self or admin only)

Both answer a topic list like ``/latest.json`` (``users``, ``primary_groups``, ``topic_list.topics``), newest
bump first, 30 a page (``?page=``), with only the topics the viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.records import Topic, User
from cotechbot.sandbox.discourse.replies import INVALID_ACCESS, HttpError, Reply, Req, not_found, ok
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.common import user_brief
from cotechbot.sandbox.discourse.serializers.topics import topic_list_item
from cotechbot.sandbox.discourse.visibility import can_see_topic

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum

PER_PAGE = 30


def created_by(forum: SandboxForum, req: Req, username: str) -> Reply:
    user = _user(forum, username)
    return ok(_topic_list(forum, req, lambda t: not t.is_pm and t.user_id == user.id))


def private_messages_sent(forum: SandboxForum, req: Req, username: str) -> Reply:
    user = _user(forum, username)
    if not (req.viewer.admin or req.viewer.id == user.id):
        raise HttpError(403, INVALID_ACCESS, "invalid_access")
    wrote = {forum.posts[pid].topic_id for pid in forum.posts_by_user.get(user.id, [])}
    return ok(_topic_list(forum, req, lambda t: t.is_pm and t.id in wrote))


def _user(forum: SandboxForum, username: str) -> User:
    user = forum.users_by_name.get(username.lower())
    if user is None:
        raise not_found()
    return user


def _topic_list(forum: SandboxForum, req: Req, keep: Callable[[Topic], bool]) -> dict[str, Any]:
    page = req.int("page", 0, minimum=0) or 0
    topics = [
        t
        for t in forum.topics.values()
        if t.deleted_at is None and keep(t) and can_see_topic(forum, req.viewer, t, req.groups)
    ]
    topics.sort(key=lambda t: (t.bumped_at, t.id), reverse=True)
    chosen = topics[page * PER_PAGE : (page + 1) * PER_PAGE]
    items = [topic_list_item(forum, t) for t in chosen]
    user_ids: list[int] = []
    for item in items:
        for poster in item["posters"]:
            if poster["user_id"] not in user_ids:
                user_ids.append(poster["user_id"])
    topic_list: dict[str, Any] = {"can_create_topic": True, "per_page": PER_PAGE, "topics": items}
    if len(chosen) == PER_PAGE:
        topic_list["more_topics_url"] = f"{req.path}?page={page + 1}"
    return {
        "users": [user_brief(forum.users[uid]) for uid in user_ids],
        "primary_groups": [],
        "topic_list": topic_list,
    }


ROUTES = [
    Route("GET", "/topics/created-by/<username>", created_by, "topics.created_by"),
    Route(
        "GET",
        "/topics/private-messages-sent/<username>",
        private_messages_sent,
        "topics.private_messages_sent",
    ),
]
