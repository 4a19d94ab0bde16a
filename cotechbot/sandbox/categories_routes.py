"""The fake's category list: what the bot reads to tell topics everyone can read from restricted ones.

    GET /categories.json[?include_subcategories=true]   top-level categories the viewer may see, each with
                                                         ``read_restricted``; subcategories nested in
                                                         ``subcategory_list`` when asked for

Only the fields of the openapi contract are served, with Discourse's defaults where the fake keeps nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.records import Category
from cotechbot.sandbox.discourse.replies import Reply, Req, ok
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.visibility import can_see_category

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def categories(forum: SandboxForum, req: Req) -> Reply:
    visible = [c for c in forum.categories.values() if can_see_category(forum, req.viewer, c.id, req.groups)]
    nested = req.flag("include_subcategories")
    items = [
        _category(forum, c, visible, nested)
        for c in sorted(visible, key=lambda c: c.id)
        if c.parent_id is None
    ]
    return ok(
        {
            "category_list": {
                "can_create_category": req.viewer.admin,
                "can_create_topic": True,
                "categories": items,
            }
        }
    )


def _category(
    forum: SandboxForum, category: Category, visible: list[Category], nested: bool
) -> dict[str, Any]:
    children = sorted((c for c in visible if c.parent_id == category.id), key=lambda c: c.id)
    topics = [
        t
        for t in forum.topics.values()
        if t.category_id == category.id and not t.is_pm and t.deleted_at is None
    ]
    return {
        "id": category.id,
        "name": category.name,
        "color": category.color,
        "text_color": category.text_color,
        "style_type": "square",
        "emoji": None,
        "icon": None,
        "slug": category.slug,
        "topic_count": len(topics),
        "post_count": sum(len(t.post_ids) for t in topics),
        "position": category.id,
        "description": category.description,
        "description_text": category.description,
        "description_excerpt": category.description,
        "topic_url": None,
        "read_restricted": category.read_restricted,
        "permission": 1,
        "notification_level": 1,
        "can_edit": True,
        "topic_template": None,
        "topic_title_placeholder": None,
        "has_children": bool(children),
        "subcategory_count": len(children) or None,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": False,
        "num_featured_topics": 3,
        "default_view": None,
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "topics_day": 0,
        "topics_week": 0,
        "topics_month": 0,
        "topics_year": 0,
        "topics_all_time": len(topics),
        "is_uncategorized": category.id == 1,
        "subcategory_ids": [c.id for c in children],
        "subcategory_list": [_category(forum, c, visible, nested) for c in children] if nested else None,
        "uploaded_logo": None,
        "uploaded_logo_dark": None,
        "uploaded_background": None,
        "uploaded_background_dark": None,
    }


ROUTES = [Route("GET", "/categories", categories, "categories.list")]
