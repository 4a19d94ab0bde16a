"""Finding what a request names, or the 404 Discourse gives when the viewer may not see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.records import Group, Post, Topic
from cotechbot.sandbox.discourse.replies import (
    Req,
    not_found,
)
from cotechbot.sandbox.discourse.visibility import (
    can_see_post,
    can_see_topic,
)

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def find_topic(forum: SandboxForum, req: Req, topic_id: int) -> Topic:
    topic = forum.topics.get(topic_id)
    if topic is None or not can_see_topic(forum, req.viewer, topic, req.groups):
        raise not_found(topic=True)
    return topic


def find_post(forum: SandboxForum, req: Req, post_id: int) -> Post:
    post = forum.posts.get(post_id)
    if post is None:
        raise not_found()
    topic = forum.topics[post.topic_id]
    if not can_see_topic(forum, req.viewer, topic, req.groups) or not can_see_post(forum, req.viewer, post):
        raise not_found()
    return post


def find_group(forum: SandboxForum, name: str) -> Group:
    group = forum.groups_by_name.get(name.lower())
    if group is None:
        raise not_found()
    return group
