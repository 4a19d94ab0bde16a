"""What the membership capability reads, as plain values: the shell fills a ``MembershipSnapshot`` in its sync
stage (``cotechbot.membership_reader``) and hands it over in ``Facts.extra[MEMBERSHIP_NEED]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cotechbot.models import MemberProfile, StaffAction

MEMBERSHIP_NEED = "membership"


def request_ident(group: str, username: str, requested_at: datetime | None) -> str:
    """One request, for good: group + user + when it was made (a second request later is a new one)."""
    when = requested_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if requested_at else "unknown"
    return f"{group.lower()}:{username.lower()}:{when}"


@dataclass(frozen=True)
class PendingRequest:
    group: str
    group_id: int
    user_id: int
    username: str
    name: str | None
    reason: str | None
    requested_at: datetime | None
    profile: MemberProfile | None = None  # read only for requests the moderators were not told of yet

    @property
    def ident(self) -> str:
        return request_ident(self.group, self.username, self.requested_at)


@dataclass(frozen=True)
class GroupRead:
    """One watched group as read this cycle. ``requests`` is None when they could not be read (403, 404…):
    then nothing about the group changes this cycle."""

    name: str
    id: int | None = None
    requests: tuple[PendingRequest, ...] | None = None
    members: frozenset[str] | None = None  # lower-case usernames, when read this cycle
    problem: str | None = None


@dataclass(frozen=True)
class MembershipArgs:
    """What the capability asks the shell to read (the ``Need``'s single argument; hashable)."""

    groups: tuple[str, ...] = ()  # empty: every group that allows requests
    noticed: frozenset[str] = frozenset()  # request idents already told: no profile needed
    open: frozenset[str] = frozenset()  # told and not yet closed: read members if one disappears
    profiles: frozenset[str] = frozenset()  # usernames whose profile a check needs (hand-added members)
    post_topics: frozenset[int] = frozenset()  # notice posts whose PM topic is not known yet
    members: bool = False  # read every watched group's member list and the staff action log


@dataclass(frozen=True)
class MembershipSnapshot:
    groups: Mapping[str, GroupRead] = field(default_factory=dict)
    profiles: Mapping[str, MemberProfile | None] = field(default_factory=dict)  # by lower-case username
    post_topics: Mapping[int, int] = field(default_factory=dict)  # notice post id → its PM topic
    changes: tuple[StaffAction, ...] | None = None  # None: the staff action log was not read
