"""The fake's topic lists of one user: what the bot reads to find a topic or message it already created.

    GET /topics/created-by/{username}.json             topics the user started (no private messages)
    GET /topics/private-messages-sent/{username}.json  private messages the user wrote in (self or admin only)

Both answer a topic list like ``/latest.json`` (``users``, ``primary_groups``, ``topic_list.topics``), newest
bump first, 30 a page (``?page=``), with only the topics the viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the fake imports this module while it is being built
    from cotechbot.sandbox.discourse import FakeDiscourse, Topic, _Reply, _Req


def created_by(forum: FakeDiscourse, req: _Req, username: str) -> _Reply:
    user = _user(forum, username)
    return forum._ok(_topic_list(forum, req, lambda t: not t.is_pm and t.user_id == user.id))


def private_messages_sent(forum: FakeDiscourse, req: _Req, username: str) -> _Reply:
    from cotechbot.sandbox.discourse import INVALID_ACCESS, _HttpError

    user = _user(forum, username)
    if not (req.viewer.admin or req.viewer.id == user.id):
        raise _HttpError(403, INVALID_ACCESS, "invalid_access")
    wrote = {forum._posts[pid].topic_id for pid in forum._posts_by_user.get(user.id, [])}
    return forum._ok(_topic_list(forum, req, lambda t: t.is_pm and t.id in wrote))


def _user(forum: FakeDiscourse, username: str) -> Any:
    from cotechbot.sandbox.discourse import _not_found

    user = forum._users_by_name.get(username.lower())
    if user is None:
        raise _not_found()
    return user


def _topic_list(forum: FakeDiscourse, req: _Req, keep: Any) -> dict[str, Any]:
    from cotechbot.sandbox.discourse import DEFAULT_PER_PAGE

    page = req.int("page", 0, minimum=0) or 0
    topics: list[Topic] = [
        t
        for t in forum._topics.values()
        if t.deleted_at is None and keep(t) and forum._can_see_topic(req.viewer, t, req.groups)
    ]
    topics.sort(key=lambda t: (t.bumped_at, t.id), reverse=True)
    chosen = topics[page * DEFAULT_PER_PAGE : (page + 1) * DEFAULT_PER_PAGE]
    items = [forum._topic_list_item(t) for t in chosen]
    user_ids: list[int] = []
    for item in items:
        for poster in item["posters"]:
            if poster["user_id"] not in user_ids:
                user_ids.append(poster["user_id"])
    topic_list: dict[str, Any] = {"can_create_topic": True, "per_page": DEFAULT_PER_PAGE, "topics": items}
    if len(chosen) == DEFAULT_PER_PAGE:
        topic_list["more_topics_url"] = f"{req.path}?page={page + 1}"
    return {
        "users": [forum._user_brief(forum._users[uid]) for uid in user_ids],
        "primary_groups": [],
        "topic_list": topic_list,
    }


#: (method, path pattern without ".json", route name, handler(forum, req, **path parts)).
ROUTE_TABLE: list[tuple[str, str, str, Callable[..., Any]]] = [
    ("GET", r"^/topics/created-by/(?P<username>[^/]+)$", "topics.created_by", created_by),
    (
        "GET",
        r"^/topics/private-messages-sent/(?P<username>[^/]+)$",
        "topics.private_messages_sent",
        private_messages_sent,
    ),
]
