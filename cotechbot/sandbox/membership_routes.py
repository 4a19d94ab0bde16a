"""The sandbox's admin reads for membership requests: who a requester is, which groups exist, who changed a
group, following ``../shared/reference/discourse`` (openapi ``/admin/users/{id}.json``,
``/u/{username}/emails.json``, ``/groups.json``; API-NOTES §6).

Routes (staff only where Discourse restricts them; registered by ``ROUTES``)::

    GET /groups.json[?page=N]                    every group, 36 a page, with ``total_rows_groups``
    GET /admin/users/{id}.json                   account age, trust level, post count, groups (staff; else 404)
    GET /u/{username}/emails.json                the user's email (staff; 403 when the forum hides it)
    GET /admin/logs/staff_action_logs.json       ?action_name=&limit= — who added or removed whom, newest first

The staff action log has no upstream schema in ``../shared``: its shape follows Discourse's
``StaffActionLogSerializer`` (``action_name``, ``subject`` = the group name, ``acting_user``, ``target_user``,
``created_at``), with ``add_user_to_group`` / ``remove_user_from_group`` entries.

Python API (test and scenario hooks; ``forum`` is a ``FakeDiscourse``)::

    set_email(forum, username, email | None)           None: the forum does not show the address
    add_member_by(forum, group, username, by, at=None)  a member added by hand, logged as ``by``
    remove_member_by(forum, group, username, by, at=None)
    handle_request_as(forum, group, username, by, accept)  a moderator answers a request (logged when accepted)
    staff_actions(forum) -> list[dict]                  the log, oldest first
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox.discourse.replies import NOT_PERMITTED, HttpError, Reply, Req, not_found, ok
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.serializers.common import user_brief
from cotechbot.sandbox.discourse.serializers.users import basic_group_json
from cotechbot.sandbox.markup import utc_iso
from cotechbot.sandbox.schemas import ROUTE_CONTRACTS, RouteContract

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.forum import SandboxForum as FakeDiscourse
    from cotechbot.sandbox.discourse.records import Group, User

GROUPS_PAGE_SIZE = 36
ADD_TO_GROUP = "add_user_to_group"
REMOVE_FROM_GROUP = "remove_user_from_group"


@dataclass
class _Extras:
    emails: dict[int, str | None] = field(default_factory=dict)  # user id → address (None: hidden)
    log: list[dict[str, Any]] = field(default_factory=list)
    ids: Any = field(default_factory=lambda: itertools.count(1))


def _extras(forum: FakeDiscourse) -> _Extras:
    extras: _Extras = forum.__dict__.setdefault("_membership_extras", _Extras())
    return extras


# -- Python API -------------------------------------------------------------------------------------------
def set_email(forum: FakeDiscourse, username: str, email: str | None) -> None:
    with forum.lock:
        _extras(forum).emails[forum.user(username).id] = email


def staff_actions(forum: FakeDiscourse) -> list[dict[str, Any]]:
    with forum.lock:
        return list(_extras(forum).log)


def log_group_change(
    forum: FakeDiscourse, group: Group, user: User, by: User, added: bool, at: datetime | None = None
) -> None:
    """Record one membership change in the staff action log (called under the forum's lock)."""
    extras = _extras(forum)
    extras.log.append(
        {
            "id": next(extras.ids),
            "action_name": ADD_TO_GROUP if added else REMOVE_FROM_GROUP,
            "subject": group.name,
            "acting_user_id": by.id,
            "target_user_id": user.id,
            "created_at": at or forum.now(),
        }
    )


def add_member_by(
    forum: FakeDiscourse, group: str, username: str, by: str, at: datetime | None = None
) -> None:
    with forum.lock:
        found = forum.add_group_member(group, username, added_at=at)
        log_group_change(forum, found, forum.user(username), forum.user(by), True, at)


def remove_member_by(
    forum: FakeDiscourse, group: str, username: str, by: str, at: datetime | None = None
) -> None:
    with forum.lock:
        found = forum.remove_group_member(group, username)
        log_group_change(forum, found, forum.user(username), forum.user(by), False, at)


def handle_request_as(forum: FakeDiscourse, group: str, username: str, by: str, accept: bool) -> None:
    """A moderator accepts or declines a pending request, as the forum's requests page would."""
    with forum.lock:
        found = forum.group(group)
        user = forum.user(username)
        if user.id not in found.requests:
            raise ValueError(f"{username} has no pending request for {group}")
        del found.requests[user.id]
        if accept:
            found.members.setdefault(user.id, forum.now())
            log_group_change(forum, found, user, forum.user(by), True)


# -- HTTP -------------------------------------------------------------------------------------------------
def _require_staff(req: Req) -> None:
    if not req.viewer.staff:
        raise not_found()


def _groups(forum: FakeDiscourse, req: Req) -> Reply:
    page = req.int("page", 0, minimum=0) or 0
    groups = sorted(forum.groups.values(), key=lambda g: g.name.lower())
    shown = groups[page * GROUPS_PAGE_SIZE : (page + 1) * GROUPS_PAGE_SIZE]
    body: dict[str, Any] = {
        "groups": [
            {
                **basic_group_json(group, req.viewer),
                "display_name": group.name,
                "is_group_user": req.viewer.id in group.members,
                "is_group_owner": req.viewer.id in group.owners,
                "can_edit_group": req.viewer.staff or req.viewer.id in group.owners,
            }
            for group in shown
        ],
        "extras": {"type_filters": ["my", "public", "close", "owner", "automatic", "non_automatic"]},
        "total_rows_groups": len(groups),
        "load_more_groups": f"/groups?page={page + 1}",
    }
    return ok(body)


def _admin_user(forum: FakeDiscourse, req: Req, id: int) -> Reply:
    _require_staff(req)
    user = forum.users.get(id)
    if user is None:
        raise not_found()
    posts = [forum.posts[p] for p in forum.posts_by_user.get(user.id, [])]
    public = [p for p in posts if not forum.topics[p.topic_id].is_pm]
    groups = [g for g in forum.groups.values() if user.id in g.members]
    seen = utc_iso(max([user.created_at, *(p.created_at for p in posts)]))
    body = {
        **user_brief(user),
        "active": True,
        "admin": user.admin,
        "moderator": user.moderator,
        "last_seen_at": seen,
        "last_emailed_at": None,
        "created_at": utc_iso(user.created_at),
        "last_seen_age": 0.0,
        "last_emailed_age": None,
        "created_at_age": (forum.now() - user.created_at).total_seconds(),
        "trust_level": user.trust_level,
        "manual_locked_trust_level": None,
        "title": user.title,
        "time_read": 0,
        "staged": False,
        "days_visited": 1,
        "posts_read_count": 0,
        "topics_entered": 0,
        "post_count": len(public),
        "can_send_activation_email": True,
        "can_activate": False,
        "can_deactivate": True,
        "ip_address": "127.0.0.1",
        "registration_ip_address": None,
        "can_grant_admin": not user.admin,
        "can_revoke_admin": user.admin,
        "can_grant_moderation": not user.moderator,
        "can_revoke_moderation": user.moderator,
        "can_impersonate": False,
        "like_count": 0,
        "like_given_count": 0,
        "topic_count": sum(1 for p in public if p.post_number == 1),
        "flags_given_count": 0,
        "flags_received_count": 0,
        "private_topics_count": sum(1 for p in posts if p.post_number == 1 and p not in public),
        "can_delete_all_posts": True,
        "can_be_anonymized": True,
        "can_be_merged": True,
        "full_suspend_reason": None,
        "primary_group_id": None,
        "badge_count": 0,
        "warnings_received_count": 0,
        "bounce_score": 0,
        "reset_bounce_score_after": None,
        "can_view_action_logs": True,
        "can_disable_second_factor": False,
        "can_delete_sso_record": False,
        "api_key_count": 0,
        "single_sign_on_record": None,
        "approved_by": None,
        "suspended_by": None,
        "silenced_by": None,
        "groups": [{**basic_group_json(group, req.viewer), "display_name": group.name} for group in groups],
        "external_ids": {},
        "include_ip": True,
    }
    return ok(body)


def _emails(forum: FakeDiscourse, req: Req, username: str) -> Reply:
    user = forum.users_by_name.get(username.lower())
    if user is None:
        raise not_found()
    email = _extras(forum).emails.get(user.id)
    if not req.viewer.staff or email is None:
        raise HttpError(403, NOT_PERMITTED, "invalid_access")
    body = {"email": email, "secondary_emails": [], "unconfirmed_emails": [], "associated_accounts": []}
    return ok(body)


def _staff_action_logs(forum: FakeDiscourse, req: Req) -> Reply:
    _require_staff(req)
    wanted = req.get("action_name") or ""
    limit = req.int("limit", 200, minimum=1) or 200
    entries = [e for e in reversed(_extras(forum).log) if not wanted or e["action_name"] == wanted]
    body = {
        "staff_action_logs": [
            {
                "id": entry["id"],
                "action_name": entry["action_name"],
                "details": None,
                "context": None,
                "ip_address": None,
                "email": None,
                "created_at": utc_iso(entry["created_at"]),
                "subject": entry["subject"],
                "previous_value": None,
                "new_value": None,
                "acting_user": user_brief(forum.users[entry["acting_user_id"]]),
                "target_user": user_brief(forum.users[entry["target_user_id"]]),
            }
            for entry in entries[:limit]
        ],
        "user_history_actions": [
            {"id": ADD_TO_GROUP, "action_id": 1},
            {"id": REMOVE_FROM_GROUP, "action_id": 2},
        ],
    }
    return ok(body)


ROUTES = [
    Route("GET", "/groups", _groups, "groups.list"),
    Route("GET", "/admin/users/<int:id>", _admin_user, "admin.users.show"),
    Route("GET", "/u/<username>/emails", _emails, "users.emails"),
    Route("GET", "/admin/logs/staff_action_logs", _staff_action_logs, "admin.staff_action_logs"),
]

ROUTE_CONTRACTS.update(
    {
        "groups.list": RouteContract(openapi=(("/groups.json", "get"),)),
        "admin.users.show": RouteContract(openapi=(("/admin/users/{id}.json", "get"),)),
        "users.emails": RouteContract(openapi=(("/u/{username}/emails.json", "get"),)),
    }
)
