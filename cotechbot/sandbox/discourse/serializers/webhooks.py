"""Webhook payloads (§9): Discourse's web_hook_post and web_hook_topic_view serializers, seen by the system user.

Post payloads carry ``raw``, ``cooked`` and the topic's title, category, archetype and post counts, and drop
the permission flags (``can_*``, ``yours``) a viewer-specific serializer would add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.records import Post, Topic
from cotechbot.sandbox.discourse.serializers.common import user_brief
from cotechbot.sandbox.discourse.serializers.posts import post_json
from cotechbot.sandbox.discourse.serializers.topics import topic_list_item
from cotechbot.sandbox.markup import utc_iso

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore

SYSTEM_USER_ID = -1


def _without_permissions(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not k.startswith("can_") and k not in ("yours", "polls_votes")}


def webhook_post_json(forum: ForumStore, topic: Topic, post: Post) -> dict[str, Any]:
    system = forum.users[SYSTEM_USER_ID]
    body = _without_permissions(post_json(forum, post, system, (), "show"))
    category = forum.categories.get(topic.category_id) if topic.category_id is not None else None
    body.update(
        topic_title=topic.title,
        topic_archetype=topic.archetype,
        topic_posts_count=topic.posts_count,
        topic_filtered_posts_count=topic.posts_count,
        category_id=topic.category_id,
        category_slug=category.slug if category else None,
    )
    return body


def webhook_topic_json(forum: ForumStore, topic: Topic) -> dict[str, Any]:
    body = topic_list_item(forum, topic)
    body.pop("posters", None)
    body.update(
        user_id=topic.user_id,
        deleted_at=utc_iso(topic.deleted_at),
        created_by=user_brief(forum.users[topic.user_id]),
        last_poster=user_brief(forum.users[topic.last_post_user_id]),
    )
    return body


def webhook_payload(forum: ForumStore, event: str, topic: Topic, post: Post) -> dict[str, Any]:
    """The body for ``event``: ``{"topic": {...}}`` or ``{"post": {...}}``."""
    if event.startswith("topic_"):
        return {"topic": webhook_topic_json(forum, topic)}
    return {"post": webhook_post_json(forum, topic, post)}
