"""The admin reads behind membership requests, for the Discourse adapter: the groups that take requests, what
an admin can see of a requester, and the staff action log (who added or removed whom).

``MembershipReads`` is the port (a forum that cannot answer them — a test double — simply lacks it);
``DiscourseMembershipReads`` is mixed into ``DiscourseForum`` and uses its transport and shape checks.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

from cotechbot.errors import ForumAuthError, ForumNotFound
from cotechbot.models import GroupBrief, MemberProfile, StaffAction

GROUP_CHANGES = ("add_user_to_group", "remove_user_from_group")


@runtime_checkable
class MembershipReads(Protocol):
    def membership_groups(self) -> list[GroupBrief]:
        """Every group the API user can see (all pages of ``/groups.json``)."""
        ...

    def member_profile(self, user_id: int, username: str) -> MemberProfile:
        """Account age, trust level, post count, groups and (when visible) email of one user."""
        ...

    def user_id(self, username: str) -> int:
        """The id of a user, by username (``/u/{username}.json``)."""
        ...

    def group_changes(self, limit: int = 200) -> list[StaffAction]:
        """The newest additions to and removals from groups in the staff action log."""
        ...


class _Transport(Protocol):
    """What the mixin uses of ``DiscourseForum``."""

    def _get(self, path: str, **params: Any) -> Any: ...
    def _shape(self, path: str) -> AbstractContextManager[None]: ...
    def _dict(self, payload: Any, path: str) -> dict[str, Any]: ...
    def _list(self, value: Any, what: str, path: str) -> list[Any]: ...
    def _email(self, username: str) -> str | None: ...


class DiscourseMembershipReads:
    """Mixed into ``DiscourseForum``: relies on its ``_get``, ``_shape``, ``_dict`` and ``_list``."""

    def membership_groups(self: _Transport, max_pages: int = 20) -> list[GroupBrief]:
        path = "/groups.json"
        found: dict[int, GroupBrief] = {}
        for page in range(max_pages):
            payload = self._get(path, page=page)
            with self._shape(path):
                body = self._dict(payload, path)
                items = [GroupBrief.model_validate(g) for g in self._list(body["groups"], "groups", path)]
                total = body.get("total_rows_groups")
            fresh = [g for g in items if g.id not in found]
            found.update((g.id, g) for g in fresh)
            if not fresh or (isinstance(total, int) and len(found) >= total):
                break
        return sorted(found.values(), key=lambda g: g.name.lower())

    def member_profile(self: _Transport, user_id: int, username: str) -> MemberProfile:
        path = f"/admin/users/{int(user_id)}.json"
        payload = self._get(path)
        with self._shape(path):
            body = self._dict(payload, path)
            groups = tuple(
                str(g["name"])
                for g in self._list(body.get("groups", []), "groups", path)
                if not g.get("automatic")
            )
            profile = MemberProfile.model_validate({**body, "groups": groups, "email": None})
        return profile.model_copy(update={"email": self._email(profile.username)})

    def _email(self: _Transport, username: str) -> str | None:
        path = f"/u/{quote(username, safe='')}/emails.json"
        try:
            payload = self._get(path)
        except (ForumAuthError, ForumNotFound):
            return None  # the forum hides addresses from the bot's user: the rules treat it as unknown
        with self._shape(path):
            email = self._dict(payload, path).get("email")
        return str(email) if email else None

    def user_id(self: _Transport, username: str) -> int:
        path = f"/u/{quote(username, safe='')}.json"
        payload = self._get(path)
        with self._shape(path):
            return int(self._dict(self._dict(payload, path)["user"], path)["id"])

    def group_changes(self: _Transport, limit: int = 200) -> list[StaffAction]:
        path = "/admin/logs/staff_action_logs.json"
        found: list[StaffAction] = []
        for action in GROUP_CHANGES:
            payload = self._get(path, action_name=action, limit=limit)
            with self._shape(path):
                for entry in self._list(self._dict(payload, path)["staff_action_logs"], "logs", path):
                    if entry.get("action_name") != action or not entry.get("target_user"):
                        continue
                    found.append(
                        StaffAction(
                            action=action,
                            group=str(entry.get("subject") or ""),
                            username=entry["target_user"]["username"],
                            by=(entry.get("acting_user") or {}).get("username") or "unknown",
                            at=entry["created_at"],
                        )
                    )
        return sorted(found, key=lambda a: a.at)
