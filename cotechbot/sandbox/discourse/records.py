"""The records the sandbox forum keeps: users, categories, topics, posts with their polls and events, groups.

The forum hands these live objects to callers: read them, change them only through the forum's methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Missing:
    """Sentinel for `FakeDiscourse.corrupt_post`: leave the field out of the post's JSON."""

    def __repr__(self) -> str:
        return "MISSING"


# ==============================================================================================================
# records


@dataclass(kw_only=True, eq=False)
class User:
    id: int
    username: str
    name: str
    created_at: datetime
    admin: bool = False
    moderator: bool = False
    trust_level: int = 1
    timezone: str | None = "Europe/London"
    title: str | None = None

    @property
    def staff(self) -> bool:
        return self.admin or self.moderator


@dataclass(kw_only=True, eq=False)
class Category:
    id: int
    name: str
    slug: str
    color: str = "0088CC"
    text_color: str = "FFFFFF"
    description: str | None = None
    parent_id: int | None = None
    read_restricted: bool = False
    allowed_groups: list[str] = field(default_factory=list)


@dataclass(kw_only=True, eq=False)
class Topic:
    id: int
    title: str
    slug: str
    category_id: int | None
    user_id: int
    created_at: datetime
    bumped_at: datetime
    last_posted_at: datetime
    archetype: str = "regular"  # or "private_message"
    tags: list[str] = field(default_factory=list)
    pinned_at: datetime | None = None
    pinned_globally: bool = False
    visible: bool = True
    closed: bool = False
    archived: bool = False
    deleted_at: datetime | None = None
    views: int = 0
    like_count: int = 0
    post_ids: list[int] = field(default_factory=list)  # in post_number order, deleted ones included
    highest_post_number: int = 0
    last_post_user_id: int = 0
    allowed_user_ids: set[int] = field(default_factory=set)  # private messages only
    allowed_group_ids: set[int] = field(default_factory=set)
    reply_counts: dict[int, int] = field(default_factory=dict)  # post_number → replies to it
    posts_count: int = 0  # posts neither deleted nor whispers (what Discourse counts)

    @property
    def is_pm(self) -> bool:
        return self.archetype == "private_message"


@dataclass(kw_only=True, eq=False)
class PollOption:
    id: str
    text: str
    html: str


@dataclass(kw_only=True, eq=False)
class Poll:
    id: int
    post_id: int
    name: str
    type: str
    status: str
    results: str
    public: bool
    chart_type: str
    options: list[PollOption]
    min: int | None = None
    max: int | None = None
    step: int | None = None
    close: datetime | None = None
    groups: str | None = None
    title: str | None = None
    votes: dict[int, list[str]] = field(default_factory=dict)  # user id → option ids, in voting order

    def option(self, key: str) -> PollOption:
        for option in self.options:
            if key in (option.id, option.text):
                return option
        raise KeyError(f"poll {self.name!r} has no option {key!r}")

    def tally(self) -> dict[str, int]:
        counts = {o.id: 0 for o in self.options}
        for chosen in self.votes.values():
            for option_id in chosen:
                counts[option_id] = counts.get(option_id, 0) + 1
        return counts


@dataclass(kw_only=True, eq=False)
class Event:
    id: int  # = the post id
    starts_at: datetime
    ends_at: datetime | None
    timezone: str | None
    status: str
    name: str | None = None
    url: str | None = None
    location: str | None = None
    reminders: str | None = None
    recurrence: str | None = None
    recurrence_until: datetime | None = None
    allowed_groups: list[str] = field(default_factory=list)
    show_local_time: bool = False
    minimal: bool = False
    closed: bool = False
    chat_enabled: bool = False
    description: str | None = None
    invitees: dict[int, str] = field(default_factory=dict)  # user id → going | interested | not_going


@dataclass(kw_only=True, eq=False)
class Post:
    id: int
    topic_id: int
    post_number: int
    user_id: int
    raw: str
    cooked: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
    post_type: int = 1
    deleted_at: datetime | None = None
    hidden: bool = False
    reply_to_post_number: int | None = None
    edit_reason: str | None = None
    wiki: bool = False
    accepted_answer: bool = False  # the solved plugin's solution mark (at most one post per topic)
    polls: dict[str, Poll] = field(default_factory=dict)
    event: Event | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(kw_only=True, eq=False)
class MembershipRequest:
    user_id: int
    reason: str | None
    requested_at: datetime


@dataclass(kw_only=True, eq=False)
class Group:
    id: int
    name: str
    full_name: str | None = None
    allow_membership_requests: bool = True
    public_admission: bool = False
    public_exit: bool = False
    membership_request_template: str | None = None
    title: str | None = None
    bio_raw: str | None = None
    visibility_level: int = 0
    members_visibility_level: int = 0
    mentionable_level: int = 0
    messageable_level: int = 0
    members: dict[int, datetime] = field(default_factory=dict)  # user id → added_at
    owners: set[int] = field(default_factory=set)
    requests: dict[int, MembershipRequest] = field(default_factory=dict)  # user id → pending request


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP request the fake answered. ``at`` is the injected ``clock()`` when it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    at: float
    duration: float
    username: str | None
    route: str | None
    fault: str | None = None


@dataclass(frozen=True)
class ContractViolation:
    route: str
    method: str
    path: str
    status: int
    problems: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.route}, {self.status}): " + "; ".join(self.problems)


class ContractViolationError(AssertionError):
    """The fake served something the real contract forbids (raised by ``running()`` on exit)."""


#: Value for ``FakeDiscourse.corrupt_post`` that removes a field from the post's JSON instead of replacing it.
MISSING: Any = Missing()
