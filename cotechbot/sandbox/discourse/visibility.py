"""Who may see what: Discourse's category, topic, post and poll-results rules (§3), as pure reads of the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.records import Poll, Post, Topic, User

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore


def group_names_of(forum: ForumStore, user: User) -> list[str]:
    return [g.name for g in forum.groups.values() if user.id in g.members]


def can_see_category(
    forum: ForumStore, viewer: User, category_id: int | None, groups: tuple[str, ...]
) -> bool:
    category = forum.categories.get(category_id) if category_id is not None else None
    if category is None:
        return True
    if category.read_restricted and not viewer.staff:
        return bool(set(category.allowed_groups) & set(groups))
    if category.parent_id is not None:
        return can_see_category(forum, viewer, category.parent_id, groups)
    return True


def can_see_topic(forum: ForumStore, viewer: User, topic: Topic, groups: tuple[str, ...]) -> bool:
    if topic.deleted_at is not None and not (forum.staff_see_deleted and viewer.staff):
        return False
    if topic.is_pm:
        if viewer.admin or viewer.id in topic.allowed_user_ids:
            return True
        return any(forum.groups[g].name in groups for g in topic.allowed_group_ids if g in forum.groups)
    return can_see_category(forum, viewer, topic.category_id, groups)


def can_see_post(forum: ForumStore, viewer: User, post: Post) -> bool:
    if post.deleted_at is not None and not (forum.staff_see_deleted and viewer.staff):
        return False
    if post.post_type == 4 and not viewer.staff:
        return False
    return not (post.hidden and not viewer.staff and viewer.id != post.user_id)


def poll_closed(forum: ForumStore, poll: Poll) -> bool:
    return poll.status == "closed" or (poll.close is not None and poll.close <= forum.now())


def can_see_results(forum: ForumStore, poll: Poll, viewer: User, post: Post) -> bool:
    """Discourse's ``can_see_results?`` (§3): no staff exemption for on_vote/on_close."""
    if poll.results == "staff_only":
        return viewer.staff
    if poll.results == "always" or poll_closed(forum, poll):
        return True
    if poll.results == "on_vote":
        return viewer.id in poll.votes or viewer.id == post.user_id
    return False
