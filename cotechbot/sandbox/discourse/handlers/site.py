"""/site/basic-info.json."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.replies import (
    Reply,
    Req,
    ok,
)
from cotechbot.sandbox.discourse.routes import Route

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def basic_info(forum: SandboxForum, req: Req) -> Reply:
    return ok(
        {
            "logo_url": "/images/discourse-logo-sketch.png",
            "logo_small_url": "/images/discourse-logo-sketch-small.png",
            "apple_touch_icon_url": "/images/default-apple-touch-icon.png",
            "favicon_url": "/images/default-favicon.ico",
            "title": forum.title,
            "description": "A sandbox standing in for the CoTech forum.",
            "header_primary_color": "333333",
            "header_background_color": "ffffff",
            "login_required": True,
            "locale": "en_GB",
            "include_in_discourse_discover": False,
            "mobile_logo_url": "",
        }
    )


ROUTES = [Route("GET", "/site/basic-info", basic_info, "site.basic_info")]
