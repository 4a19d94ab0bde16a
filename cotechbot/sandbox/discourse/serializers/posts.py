"""Posts as /posts.json, /posts/{id}.json, topic views and write replies serialize them, polls included."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox import markup
from cotechbot.sandbox.discourse.records import MISSING, Poll, Post, User
from cotechbot.sandbox.discourse.serializers.common import avatar_template, poll_user
from cotechbot.sandbox.discourse.serializers.events import event_json
from cotechbot.sandbox.discourse.visibility import can_see_results, poll_closed
from cotechbot.sandbox.markup import utc_iso

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore


def poll_json(forum: ForumStore, poll: Poll, viewer: User, post: Post) -> dict[str, Any]:
    visible = can_see_results(forum, poll, viewer, post)
    tally = poll.tally() if visible else {}
    options = []
    for option in poll.options:
        item: dict[str, Any] = {"id": option.id, "html": option.html}
        if visible:
            item["votes"] = tally.get(option.id, 0)
        options.append(item)
    body: dict[str, Any] = {
        "id": poll.id,
        "name": poll.name,
        "type": poll.type,
        "status": "closed" if poll_closed(forum, poll) else "open",
        "results": poll.results,
        "dynamic": False,
        "options": options,
        "voters": len(poll.votes),
        "chart_type": poll.chart_type,
        "title": poll.title,
    }
    if poll.public:
        body["public"] = True
    if poll.type in ("multiple", "number"):
        if poll.min is not None:
            body["min"] = poll.min
        if poll.max is not None:
            body["max"] = poll.max
    if poll.type == "number" and poll.step is not None:
        body["step"] = poll.step
    if poll.close is not None:
        body["close"] = utc_iso(poll.close)
    if poll.groups:
        body["groups"] = poll.groups
    if poll.public and visible:
        preloaded: dict[str, list[dict[str, Any]]] = {}
        for user_id, chosen in poll.votes.items():
            voter = forum.users.get(user_id)
            if voter is None:
                continue
            for option_id in chosen:
                bucket = preloaded.setdefault(option_id, [])
                if len(bucket) < 25:
                    bucket.append(poll_user(voter))
        body["preloaded_voters"] = preloaded
    return body


def solved_fields(forum: ForumStore, post: Post, viewer: User) -> dict[str, Any]:
    """The solved plugin's per-post fields, as ``schemas/latest_posts_response.json`` and the fixture
    ``discourse_api/topic_posts.json`` record them: booleans on every reply post; the topic's own
    ``accepted_answer`` summary object is not in any reference contract, so it is not served."""
    topic = forum.topics[post.topic_id]
    may_accept = post.post_number > 1 and (
        viewer.staff or viewer.id == forum.posts[topic.post_ids[0]].user_id
    )
    return {
        "can_accept_answer": may_accept and not post.accepted_answer,
        "can_unaccept_answer": may_accept and post.accepted_answer,
        "accepted_answer": post.accepted_answer,
    }


def post_json(
    forum: ForumStore, post: Post, viewer: User, groups: tuple[str, ...], kind: str, include_raw: bool = False
) -> dict[str, Any]:
    """One post as each endpoint serializes it; ``kind`` is latest | show | topic | create | update."""
    topic = forum.topics[post.topic_id]
    author = forum.users[post.user_id]
    staff = viewer.staff
    mine = viewer.id == author.id
    body: dict[str, Any] = {
        "id": post.id,
        "name": author.name,
        "username": author.username,
        "avatar_template": avatar_template(author.username),
        "created_at": utc_iso(post.created_at),
        "cooked": post.cooked,
        "post_number": post.post_number,
        "post_type": post.post_type,
        "updated_at": utc_iso(post.updated_at),
        "reply_count": topic.reply_counts.get(post.post_number, 0),
        "reply_to_post_number": post.reply_to_post_number,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 1,
        "readers_count": 0,
        "score": 0,
        "yours": mine,
        "topic_id": topic.id,
        "topic_slug": topic.slug,
        "display_username": author.name,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "version": post.version,
        "can_edit": staff or mine,
        "can_delete": staff or (mine and post.post_number > 1),
        "can_recover": staff and post.deleted_at is not None,
        "can_see_hidden_post": staff,
        "can_wiki": staff,
        "user_title": author.title,
        "bookmarked": False,
        "actions_summary": [],
        "moderator": author.moderator,
        "admin": author.admin,
        "staff": author.staff,
        "user_id": author.id,
        "hidden": post.hidden,
        "trust_level": author.trust_level,
        "deleted_at": utc_iso(post.deleted_at),
        "user_deleted": False,
        "edit_reason": post.edit_reason,
        "can_view_edit_history": True,
        "wiki": post.wiki,
        "reviewable_id": None,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
    }
    post_url = f"/t/{topic.slug}/{topic.id}/{post.post_number}"
    if kind in ("latest", "topic"):
        body.update(solved_fields(forum, post, viewer))
    if kind == "latest":
        text, truncated = markup.excerpt(post.cooked)
        body.update(
            posts_count=topic.posts_count,
            topic_title=topic.title,
            topic_html_title=html.escape(topic.title, quote=False),
            category_id=topic.category_id,
            flair_group_id=None,
            badges_granted=[],
            raw=post.raw,
            excerpt=text,
            truncated=truncated,
            post_url=post_url,
        )
    elif kind == "show":
        body.update(
            posts_count=topic.posts_count,
            post_url=post_url,
            raw=post.raw,
            mentioned_users=[],
            flair_group_id=None,
        )
    elif kind == "topic":
        body.update(link_counts=[], read=True, reviewable_id=0)
        if include_raw:
            body["raw"] = post.raw
    elif kind in ("create", "update"):
        body.update(
            raw=post.raw,
            posts_count=topic.posts_count,
            flair_group_id=None,
            badges_granted=[],
            draft_sequence=0,
            post_url=post_url,
            mentioned_users=[],
        )
    if post.polls:
        body["polls"] = [poll_json(forum, p, viewer, post) for p in post.polls.values()]
        own = {p.name: list(p.votes[viewer.id]) for p in post.polls.values() if viewer.id in p.votes}
        if own:
            body["polls_votes"] = own
    if post.event is not None:
        body["event"] = event_json(forum, post.event, viewer, groups)
    for name, value in forum.corrupted.get(post.id, {}).items():
        if value is MISSING:
            body.pop(name, None)
        else:
            body[name] = value
    return body
