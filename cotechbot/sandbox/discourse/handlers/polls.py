"""/polls/voters.json (§3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.handlers.lookups import find_post
from cotechbot.sandbox.discourse.replies import (
    HttpError,
    Reply,
    Req,
    invalid,
    ok,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.common import poll_user
from cotechbot.sandbox.discourse.visibility import (
    can_see_results,
)

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def poll_voters(forum: SandboxForum, req: Req) -> Reply:
    post_id = req.int("post_id")
    poll_name = req.get("poll_name")
    if post_id is None:
        raise HttpError(400, "param is missing or the value is empty: post_id")
    if not poll_name:
        raise HttpError(400, "param is missing or the value is empty: poll_name")
    post = find_post(forum, req, post_id)
    poll = post.polls.get(poll_name)
    if poll is None:
        raise invalid("poll_name")
    if not poll.public or not can_see_results(forum, poll, req.viewer, post):
        raise invalid("poll_name")
    limit = min(req.int("limit", 25, minimum=1) or 25, 50)
    page = req.int("page", 1, minimum=1) or 1
    option_id = req.get("option_id")
    if poll.type == "number":
        everyone = [poll_user(forum.users[uid]) for uid in poll.votes]
        return ok({"voters": everyone[(page - 1) * limit : page * limit]})
    grouped: dict[str, list[dict[str, Any]]] = {}
    for uid, chosen in poll.votes.items():
        for oid in chosen:
            grouped.setdefault(oid, []).append(poll_user(forum.users[uid]))
    if option_id:
        if option_id not in {o.id for o in poll.options}:
            raise invalid("option_id")
        grouped = {option_id: grouped.get(option_id, [])}
    voters = {oid: users[(page - 1) * limit : page * limit] for oid, users in grouped.items()}
    return ok({"voters": voters})


ROUTES = [Route("GET", "/polls/voters", poll_voters, "polls.voters")]
