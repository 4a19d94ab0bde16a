"""Topic list items and the topic view."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox import markup
from cotechbot.sandbox.discourse.records import Post, Topic, User
from cotechbot.sandbox.discourse.serializers.common import tags_json, user_brief
from cotechbot.sandbox.discourse.serializers.posts import post_json
from cotechbot.sandbox.markup import utc_iso

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore


def topic_list_item(forum: ForumStore, topic: Topic) -> dict[str, Any]:
    first = forum.posts[topic.post_ids[0]]
    text, _ = markup.excerpt(first.cooked, 200)
    posters = []
    seen: list[int] = []
    for uid in [
        topic.user_id,
        *[forum.posts[p].user_id for p in topic.post_ids[1:]],
        topic.last_post_user_id,
    ]:
        if uid not in seen:
            seen.append(uid)
    for index, uid in enumerate(seen[:5]):
        description = "Original Poster" if index == 0 else "Frequent Poster"
        extras = None
        if uid == topic.last_post_user_id:
            description += ", Most Recent Poster"
            extras = "latest"
        posters.append(
            {"extras": extras or "", "description": description, "user_id": uid, "primary_group_id": None}
        )
    posts_count = topic.posts_count
    return {
        "id": topic.id,
        "title": topic.title,
        "fancy_title": html.escape(topic.title, quote=False),
        "slug": topic.slug,
        "posts_count": posts_count,
        "reply_count": max(0, posts_count - 1),
        "highest_post_number": topic.highest_post_number,
        "image_url": None,
        "created_at": utc_iso(topic.created_at),
        "last_posted_at": utc_iso(topic.last_posted_at),
        "bumped": True,
        "bumped_at": utc_iso(topic.bumped_at),
        "archetype": topic.archetype,
        "unseen": False,
        "pinned": topic.pinned_at is not None,
        "unpinned": None,
        "excerpt": text,
        "visible": topic.visible,
        "closed": topic.closed,
        "archived": topic.archived,
        "bookmarked": None,
        "liked": None,
        "tags": tags_json(forum, topic),
        "tags_descriptions": {},
        "views": topic.views,
        "like_count": topic.like_count,
        "has_summary": False,
        "last_poster_username": forum.users[topic.last_post_user_id].username,
        "category_id": topic.category_id,
        "pinned_globally": topic.pinned_globally,
        "featured_link": None,
        "posters": posters,
    }


def participant(user: User, count: int) -> dict[str, Any]:
    return {
        **user_brief(user),
        "post_count": count,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_color": None,
        "flair_bg_color": None,
        "flair_group_id": None,
        "admin": user.admin,
        "moderator": user.moderator,
        "trust_level": user.trust_level,
    }


def topic_view_json(
    forum: ForumStore,
    topic: Topic,
    posts: list[Post],
    stream: list[int],
    viewer: User,
    groups: tuple[str, ...],
    include_raw: bool,
    chunk: int,
) -> dict[str, Any]:
    staff = viewer.staff
    counts: dict[int, int] = {}
    for pid in stream:
        uid = forum.posts[pid].user_id
        counts[uid] = counts.get(uid, 0) + 1
    words = sum(len(forum.posts[pid].raw.split()) for pid in stream)
    return {
        "post_stream": {
            "posts": [post_json(forum, p, viewer, groups, "topic", include_raw) for p in posts],
            "stream": stream,
        },
        "timeline_lookup": [],
        "suggested_topics": [],
        "tags": tags_json(forum, topic),
        "tags_descriptions": {},
        "id": topic.id,
        "title": topic.title,
        "fancy_title": html.escape(topic.title, quote=False),
        "posts_count": len(stream),
        "created_at": utc_iso(topic.created_at),
        "views": topic.views,
        "reply_count": max(0, len(stream) - 1),
        "like_count": topic.like_count,
        "last_posted_at": utc_iso(topic.last_posted_at),
        "visible": topic.visible,
        "closed": topic.closed,
        "archived": topic.archived,
        "has_summary": False,
        "archetype": topic.archetype,
        "slug": topic.slug,
        "category_id": topic.category_id,
        "word_count": words,
        "deleted_at": utc_iso(topic.deleted_at),
        "user_id": topic.user_id,
        "featured_link": None,
        "pinned_globally": topic.pinned_globally,
        "pinned_at": utc_iso(topic.pinned_at),
        "pinned_until": None,
        "image_url": None,
        "slow_mode_seconds": 0,
        "draft": None,
        "draft_key": f"topic_{topic.id}",
        "draft_sequence": 0,
        "unpinned": None,
        "pinned": topic.pinned_at is not None,
        "current_post_number": posts[0].post_number if posts else 1,
        "highest_post_number": topic.highest_post_number,
        "deleted_by": None,
        "has_deleted": any(forum.posts[p].deleted_at is not None for p in topic.post_ids),
        "actions_summary": [],
        "chunk_size": chunk,
        "bookmarked": False,
        "bookmarks": [],
        "topic_timer": None,
        "message_bus_last_id": 0,
        "participant_count": len(counts),
        "show_read_indicator": False,
        "thumbnails": None,
        "slow_mode_enabled_until": None,
        "details": {
            "can_edit": staff or viewer.id == topic.user_id,
            "notification_level": 1,
            "can_move_posts": staff,
            "can_delete": staff,
            "can_remove_allowed_users": staff,
            "can_create_post": staff or not topic.closed,
            "can_reply_as_new_topic": True,
            "can_invite_to": staff,
            "can_invite_via_email": staff,
            "can_flag_topic": not staff,
            "can_convert_topic": staff,
            "can_review_topic": staff,
            "can_close_topic": staff,
            "can_archive_topic": staff,
            "can_split_merge_topic": staff,
            "can_edit_staff_notes": staff,
            "can_toggle_topic_visibility": staff,
            "can_pin_unpin_topic": staff,
            "can_moderate_category": staff,
            "can_remove_self_id": viewer.id,
            "participants": [participant(forum.users[uid], n) for uid, n in list(counts.items())[:24]],
            "created_by": user_brief(forum.users[topic.user_id]),
            "last_poster": user_brief(forum.users[topic.last_post_user_id]),
        },
    }
