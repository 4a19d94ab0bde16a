"""The sync-stage reads behind the membership capability: the watched groups' pending requests (paged),
what an admin can see of each requester not told of yet, member lists and the staff action log when asked.

Per group, a 403 (the bot's user may not see the requests) or a 404 (the group was renamed or removed) is
one clear log line — said once per process, not every cycle — and that group is left as it was; a profile
that cannot be read (the requester was deleted meanwhile) leaves the verdict to a human. Transient errors
propagate, so the worker defers the whole plan and nothing is cancelled on a bad read.
"""

from __future__ import annotations

from typing import cast

import structlog

from cotechbot.capabilities.membership.model import (
    GroupRead,
    MembershipArgs,
    MembershipSnapshot,
    PendingRequest,
)
from cotechbot.errors import ForumAuthError, ForumNotFound
from cotechbot.forum.membership_reads import MembershipReads
from cotechbot.forum.port import Forum
from cotechbot.models import MemberProfile

log = structlog.get_logger(__name__)


class MembershipReader:
    def __init__(self, forum: Forum) -> None:
        self.forum = forum
        self._group_ids: dict[str, int] = {}
        self._said: set[str] = set()

    def _once(self, key: str, message: str, **fields: object) -> None:
        if key not in self._said:
            self._said.add(key)
            log.warning(message, **fields)

    @property
    def admin(self) -> MembershipReads | None:
        return cast(MembershipReads, self.forum) if isinstance(self.forum, MembershipReads) else None

    def watched_groups(self, configured: tuple[str, ...]) -> list[str]:
        if configured:
            return list(configured)
        if self.admin is None:
            self._once(
                "no-list",
                "membership: this forum adapter cannot list groups; set COTECHBOT_MEMBERSHIP_GROUPS",
            )
            return []
        groups = [g for g in self.admin.membership_groups() if g.allow_membership_requests]
        self._group_ids.update((g.name.lower(), g.id) for g in groups)
        return [g.name for g in groups]

    def read(self, args: MembershipArgs) -> MembershipSnapshot:
        groups: dict[str, GroupRead] = {}
        for name in self.watched_groups(args.groups):
            groups[name.lower()] = self._group(name, args)
        profiles: dict[str, MemberProfile | None] = {}
        for username in sorted(args.profiles):
            profiles[username] = self._profile_by_name(username)
        post_topics: dict[int, int] = {}
        for post_id in sorted(args.post_topics):
            try:
                post_topics[post_id] = self.forum.post(post_id).topic_id
            except (ForumAuthError, ForumNotFound) as error:
                self._once(
                    f"post:{post_id}",
                    "membership: the notice's PM cannot be read",
                    post_id=post_id,
                    error=str(error),
                )
        changes = None
        if args.members and self.admin is not None:
            try:
                changes = tuple(self.admin.group_changes())
            except (ForumAuthError, ForumNotFound) as error:
                self._once(
                    "staff-log",
                    "membership: the staff action log is not readable; additions are recorded as 'unknown'",
                    error=str(error),
                )
                changes = ()
        return MembershipSnapshot(groups=groups, profiles=profiles, post_topics=post_topics, changes=changes)

    def _group(self, name: str, args: MembershipArgs) -> GroupRead:
        try:
            group_id = self._group_ids.get(name.lower())
            if group_id is None:
                group_id = self._group_ids[name.lower()] = self.forum.group(name).id
            requesters = self.forum.group_requesters(name)
        except ForumAuthError:
            self._once(
                f"403:{name}",
                f"membership: cannot see the requests to group {name!r} (403); make the bot's user "
                f"an owner of {name!r} or an admin",
                group=name,
            )
            return GroupRead(name, problem="forbidden")
        except ForumNotFound:
            self._group_ids.pop(name.lower(), None)
            self._once(
                f"404:{name}",
                f"membership: group {name!r} not found (404): renamed or removed? "
                "fix COTECHBOT_MEMBERSHIP_GROUPS",
                group=name,
            )
            return GroupRead(name, problem="not found")
        self._said.discard(f"403:{name}")
        self._said.discard(f"404:{name}")
        requests: list[PendingRequest] = []
        for r in requesters:
            request = PendingRequest(name, group_id, r.id, r.username, r.name, r.reason, r.requested_at)
            if request.ident not in args.noticed:
                request = PendingRequest(
                    name,
                    group_id,
                    r.id,
                    r.username,
                    r.name,
                    r.reason,
                    r.requested_at,
                    self._profile(r.id, r.username),
                )
            requests.append(request)
        members = None
        gone = {i for i in args.open if i.startswith(f"{name.lower()}:")} - {r.ident for r in requests}
        if args.members or gone:
            members = frozenset(u.lower() for u in self.forum.group_member_usernames(name))
        return GroupRead(name, group_id, tuple(requests), members)

    def _profile(self, user_id: int, username: str) -> MemberProfile | None:
        if self.admin is None:
            return None
        try:
            return self.admin.member_profile(user_id, username)
        except (ForumAuthError, ForumNotFound) as error:
            log.warning(
                "membership: the requester's account cannot be read; a human decides",
                username=username,
                error=str(error),
            )
            return None

    def _profile_by_name(self, username: str) -> MemberProfile | None:
        if self.admin is None:
            return None
        try:
            user_id = self.admin.user_id(username)
        except (ForumAuthError, ForumNotFound) as error:
            log.warning(
                "membership: a new member's account cannot be read", username=username, error=str(error)
            )
            return None
        return self._profile(user_id, username)
