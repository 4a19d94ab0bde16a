"""/u/{username}.json and /users/{username}.json."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.replies import (
    Reply,
    Req,
    not_found,
    ok,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.users import user_json

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def show(forum: SandboxForum, req: Req, username: str) -> Reply:
    user = forum.users_by_name.get(username.lower())
    if user is None:
        raise not_found()
    return ok(user_json(forum, user, req.viewer))


ROUTES = [
    Route("GET", "/u/<username>", show, "users.show"),
    Route("GET", "/users/<username>", show, "users.show"),
]
