"""GET/POST /posts.json, GET/PUT /posts/{id}.json, /posts/by_number/{topic}/{n}.json (§1a, §7)."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.handlers.lookups import find_post, find_topic
from cotechbot.sandbox.discourse.replies import (
    NOT_PERMITTED,
    CreatePostError,
    HttpError,
    Reply,
    Req,
    not_found,
    ok,
    parse_iso,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.posts import post_json
from cotechbot.sandbox.discourse.visibility import (
    can_see_category,
    can_see_topic,
)
from cotechbot.sandbox.markup import MarkupError

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum

POSTS_PAGE_SIZE = 50
MEMO_SECONDS = 120.0


def latest(forum: SandboxForum, req: Req) -> Reply:
    before = req.int("before")
    ids = forum.listed_post_ids
    end = bisect.bisect_left(ids, before) if before is not None else len(ids)
    out: list[dict[str, Any]] = []
    index = end - 1
    while index >= 0 and len(out) < POSTS_PAGE_SIZE:
        post = forum.posts[ids[index]]
        index -= 1
        if post.deleted_at is not None or post.post_type != 1 or post.hidden:
            continue
        topic = forum.topics[post.topic_id]
        if topic.deleted_at is not None or not can_see_category(
            forum, req.viewer, topic.category_id, req.groups
        ):
            continue
        out.append(post_json(forum, post, req.viewer, req.groups, "latest"))
    return ok({"latest_posts": out})


def show(forum: SandboxForum, req: Req, id: int) -> Reply:
    return ok(post_json(forum, find_post(forum, req, id), req.viewer, req.groups, "show"))


def show_by_number(forum: SandboxForum, req: Req, topic_id: int, number: int) -> Reply:
    topic = find_topic(forum, req, topic_id)
    for pid in topic.post_ids:
        if forum.posts[pid].post_number == number:
            return show(forum, req, pid)
    raise not_found()


def create(forum: SandboxForum, req: Req) -> Reply:
    signature = (req.viewer.id, tuple(sorted((k, tuple(req.params.getlist(k))) for k in req.params)))
    now_clock = forum.clock()
    forum.memo = {k: v for k, v in forum.memo.items() if now_clock - v[0] < MEMO_SECONDS}
    if signature in forum.memo:
        return ok(forum.memo[signature][1])
    raw = req.get("raw") or ""
    title = (req.get("title") or "").strip()
    when = forum.now()
    created_at = req.get("created_at")
    if created_at:
        when = parse_iso(created_at, "created_at")
    topic_id = req.int("topic_id")
    archetype = req.get("archetype") or "regular"
    try:
        if topic_id is not None:
            topic = forum.topics.get(topic_id)
            if topic is None or not can_see_topic(forum, req.viewer, topic, req.groups):
                raise CreatePostError("The topic you are replying to could not be found.")
            if topic.closed and not req.viewer.staff:
                raise HttpError(403, NOT_PERMITTED, "invalid_access")
            minimum = forum.min_personal_message_post_length if topic.is_pm else forum.min_post_length
            check_body(forum, raw, minimum)
            post = forum._create_post(
                topic, raw, req.viewer, when, reply_to_post_number=req.int("reply_to_post_number")
            )
        elif archetype == "private_message":
            recipients = req.get("target_recipients") or req.get("target_usernames") or ""
            names = [n.strip() for n in recipients.split(",") if n.strip()]
            problems = title_problems(
                forum, title, check_duplicate=False, minimum=forum.min_personal_message_title_length
            )
            if not names:
                problems.append("Private message must have at least one recipient.")
            if len(raw.strip()) < forum.min_personal_message_post_length:
                problems.append(
                    f"Body is too short (minimum is {forum.min_personal_message_post_length} characters)"
                )
            problems += body_too_long(forum, raw)
            if problems:
                raise CreatePostError(*problems)
            users, groups = forum._resolve_recipients(names)
            _, post = forum._create_pm(title, raw, req.viewer, users, groups, when)
        else:
            problems = title_problems(forum, title, check_duplicate=not forum.allow_duplicate_topic_titles)
            if len(raw.strip()) < forum.min_first_post_length:
                problems.append(f"Body is too short (minimum is {forum.min_first_post_length} characters)")
            problems += body_too_long(forum, raw)
            category_param = req.get("category")
            category_id = 1
            if category_param not in (None, ""):
                try:
                    category_id = int(category_param)
                except ValueError:
                    category_id = -1
                if category_id not in forum.categories:
                    problems.append("Category is invalid")
                elif not can_see_category(forum, req.viewer, category_id, req.groups):
                    raise HttpError(403, NOT_PERMITTED, "invalid_access")
            if problems:
                raise CreatePostError(*problems)
            _, post = forum._create_topic(title, raw, category_id, req.getlist("tags"), req.viewer, when)
    except MarkupError as error:
        raise CreatePostError(str(error)) from None
    body = post_json(forum, post, req.viewer, req.groups, "create")
    forum.memo[signature] = (now_clock, body)
    return ok(body)


def check_body(forum: SandboxForum, raw: str, minimum: int) -> None:
    if len(raw.strip()) < minimum:
        raise CreatePostError(f"Body is too short (minimum is {minimum} characters)")
    if too_long := body_too_long(forum, raw):
        raise CreatePostError(*too_long)


def body_too_long(forum: SandboxForum, raw: str) -> list[str]:
    """Discourse's ``max_post_length`` check (32,000 characters by default), as its 422 words it."""
    length = len(raw.strip())
    if length > forum.max_post_length:
        return [f"Body is limited to {forum.max_post_length} characters; you entered {length}."]
    return []


def title_problems(
    forum: SandboxForum, title: str, *, check_duplicate: bool, minimum: int | None = None
) -> list[str]:
    if not title:
        return ["Title can't be blank"]
    problems = []
    minimum = forum.min_topic_title_length if minimum is None else minimum
    if len(title) < minimum:
        problems.append(f"Title is too short (minimum is {minimum} characters)")
    if len(title) > 255:
        problems.append("Title is too long (maximum is 255 characters)")
    if check_duplicate and title.lower() in forum.titles:
        problems.append("Title has already been used")
    return problems


def update(forum: SandboxForum, req: Req, id: int) -> Reply:
    post = find_post(forum, req, id)
    raw = req.get("post[raw]")
    if raw is None:
        raw = req.get("raw")  # Discourse also accepts a bare raw
    if raw is None:
        raise HttpError(400, "param is missing or the value is empty: post")
    if not (req.viewer.staff or req.viewer.id == post.user_id):
        raise HttpError(403, NOT_PERMITTED, "invalid_access")
    original = req.get("post[original_text]")
    if original is not None and original != post.raw:
        raise HttpError(409, "Someone else edited this post while you were editing it.", "edit_conflict")
    minimum = forum.min_first_post_length if post.post_number == 1 else forum.min_post_length
    if len(raw.strip()) < minimum:
        raise HttpError(422, f"Body is too short (minimum is {minimum} characters)")
    if too_long := body_too_long(forum, raw):
        raise HttpError(422, too_long[0])
    try:
        forum._revise(post, raw, req.viewer, req.get("post[edit_reason]"), forum.now())
    except MarkupError as error:
        raise HttpError(422, str(error)) from None
    return ok({"post": post_json(forum, post, req.viewer, req.groups, "update")})


ROUTES = [
    Route("GET", "/posts", latest, "posts.latest"),
    Route("POST", "/posts", create, "posts.create"),
    Route("GET", "/posts/<int:id>", show, "posts.show"),
    Route("PUT", "/posts/<int:id>", update, "posts.update"),
    Route("GET", "/posts/by_number/<int:topic_id>/<int:number>", show_by_number, "posts.show"),
]
