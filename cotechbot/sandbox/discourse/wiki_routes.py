"""PUT /posts/{id}/wiki.json ``wiki=true|false``: staff turn a post into a wiki (API-NOTES §7; the decision
log's post is one). Discourse answers 200 with an empty body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.handlers.lookups import find_post
from cotechbot.sandbox.discourse.replies import NOT_PERMITTED, HttpError, Reply, Req, ok
from cotechbot.sandbox.discourse.routes import Route

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def wiki(forum: SandboxForum, req: Req, id: int) -> Reply:
    post = find_post(forum, req, id)
    if not req.viewer.staff:
        raise HttpError(403, NOT_PERMITTED, "invalid_access")
    post.wiki = req.flag("wiki")
    return ok({})


ROUTES = [Route("PUT", "/posts/<int:id>/wiki", wiki)]
