"""The small shapes every serializer shares: a user's brief, avatar templates, tags."""

from __future__ import annotations

import functools
import hashlib
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.records import Topic, User

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore

_LETTER_COLOURS = ("1ea97c", "e36b2b", "5e99b9", "a87137", "8c91ba", "b19c9b", "d6c81f", "9ed47d")


@functools.lru_cache(maxsize=4096)
def avatar_template(username: str) -> str:
    colour = _LETTER_COLOURS[int(hashlib.md5(username.encode()).hexdigest(), 16) % len(_LETTER_COLOURS)]
    return f"/letter_avatar_proxy/v4/letter/{username[:1].lower() or 'x'}/{colour}/{{size}}.png"


def user_brief(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": avatar_template(user.username),
    }


def poll_user(user: User) -> dict[str, Any]:
    return {**user_brief(user), "title": user.title}


def tags_json(forum: ForumStore, topic: Topic) -> list[Any]:
    if forum.tag_style == "objects":
        return [{"id": forum.tags[name], "name": name, "slug": name} for name in topic.tags]
    return list(topic.tags)
