"""Groups, their members and membership requests (§6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.sandbox.discourse.handlers.lookups import find_group
from cotechbot.sandbox.discourse.replies import (
    NOT_PERMITTED,
    HttpError,
    Reply,
    Req,
    invalid,
    ok,
)
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.common import user_brief
from cotechbot.sandbox.discourse.serializers.users import group_json, member_json
from cotechbot.sandbox.markup import utc_iso

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum


def show(forum: SandboxForum, req: Req, name: str) -> Reply:
    group = find_group(forum, name)
    visible = [g.name for g in sorted(forum.groups.values(), key=lambda g: g.name.lower())]
    return ok({"group": group_json(group, req.viewer), "extras": {"visible_group_names": visible}})


def members(forum: SandboxForum, req: Req, name: str) -> Reply:
    group = find_group(forum, name)
    limit = req.int("limit", 50, minimum=0)
    offset = req.int("offset", 0, minimum=0) or 0
    if limit is None or limit > 1000:
        raise invalid("limit")
    ascending = bool(req.get("asc"))
    order = req.get("order") or ""
    term = (req.get("filter") or "").lower()
    if req.flag("requesters"):
        if not (req.viewer.staff or req.viewer.id in group.owners):
            raise HttpError(403, NOT_PERMITTED, "invalid_access")
        requests = [
            r for r in group.requests.values() if not term or term in forum.users[r.user_id].username.lower()
        ]
        requests.sort(key=lambda r: (r.requested_at, r.user_id), reverse=not ascending)
        page = requests[offset : offset + limit]
        members = [
            {
                **user_brief(forum.users[r.user_id]),
                "reason": r.reason,
                "requested_at": utc_iso(r.requested_at),
            }
            for r in page
        ]
        meta = {"total": len(requests), "limit": limit, "offset": offset}
        return ok({"members": members, "meta": meta}, "groups.requesters")
    entries = [
        (forum.users[uid], added)
        for uid, added in group.members.items()
        if not term or term in forum.users[uid].username.lower()
    ]
    if order == "added_at":
        entries.sort(key=lambda e: (e[1], e[0].username.lower()), reverse=not ascending)
    else:
        entries.sort(key=lambda e: e[0].username.lower(), reverse=not ascending)
    page_entries = entries[offset : offset + limit]
    owners = [(forum.users[uid], group.members.get(uid, forum.now())) for uid in group.owners]
    owners.sort(key=lambda e: e[0].username.lower())
    return ok(
        {
            "members": [member_json(forum, u, added) for u, added in page_entries],
            "owners": [member_json(forum, u, added) for u, added in owners],
            "meta": {"total": len(entries), "limit": limit, "offset": offset},
        }
    )


def handle_membership_request(forum: SandboxForum, req: Req, id: int) -> Reply:
    group = forum.groups.get(id)
    if group is None:
        raise invalid("id")
    if not (req.viewer.staff or req.viewer.id in group.owners):
        raise HttpError(403, NOT_PERMITTED, "invalid_access")
    user_id = req.int("user_id")
    if user_id is None or user_id not in group.requests:
        raise invalid("user_id")
    accept = "accept" in req.params  # presence only: accept=false still accepts (§6)
    del group.requests[user_id]
    if accept:
        group.members.setdefault(user_id, forum.now())
        from cotechbot.sandbox.membership_routes import log_group_change  # the staff action log's home

        log_group_change(forum, group, forum.users[user_id], req.viewer, True)
    return ok({"success": "OK"})


def request_membership(forum: SandboxForum, req: Req, name: str) -> Reply:
    group = find_group(forum, name)
    reason = req.get("reason")
    if reason is None:
        raise HttpError(400, "param is missing or the value is empty: reason")
    if not group.allow_membership_requests or req.viewer.id in group.members:
        raise HttpError(403, NOT_PERMITTED, "invalid_access")
    if req.viewer.id in group.requests:
        return Reply(
            409, {"failed": "FAILED", "error": "You have already requested membership of this group."}
        )
    forum.request_membership(group.name, req.viewer.username, reason)
    pms = [t for t in forum.topics.values() if t.is_pm and t.user_id == req.viewer.id]
    relative = f"/t/{pms[-1].slug}/{pms[-1].id}" if pms else f"/g/{group.name}"
    return ok({"success": "OK", "relative_url": relative})


ROUTES = [
    Route("GET", "/groups/<name>", show, "groups.show"),
    Route("GET", "/groups/<name>/members", members, "groups.members"),
    Route("POST", "/groups/<name>/request_membership", request_membership, "groups.request_membership"),
    Route(
        "PUT",
        "/groups/<int:id>/handle_membership_request",
        handle_membership_request,
        "groups.handle_membership_request",
    ),
]
