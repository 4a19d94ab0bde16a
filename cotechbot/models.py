"""Typed models shared by every layer: what the forum adapters return and what the capabilities read.

Adapters turn API payloads into these models at the edge, so nothing past the adapter handles raw dicts.
Every datetime here is timezone-aware UTC; a naive datetime is refused when the model is built.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from cotechbot.errors import NaiveDatetimeError


def require_aware_utc(value: datetime) -> datetime:
    """Refuse naive datetimes and normalise aware ones to UTC."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(
            f"naive datetime {value.isoformat()} has no time zone; cotechbot stores UTC only"
        )
    return value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(require_aware_utc)]


class ForumModel(BaseModel):
    """Base for models read from a forum: unknown fields are ignored, known ones are typed."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


def _tag_names(value: Any) -> list[str]:
    """Accept both tag shapes Discourse has served: plain strings and ``{id, name, slug}`` objects."""
    if value is None:
        return []
    names: list[str] = []
    for tag in value:
        if isinstance(tag, str):
            names.append(tag)
        elif isinstance(tag, dict) and isinstance(tag.get("name"), str):
            names.append(tag["name"])
    return names


class PollOption(ForumModel):
    id: str
    html: str
    votes: int | None = None  # omitted by Discourse when the caller may not see results


class Poll(ForumModel):
    name: str = "poll"
    type: str = "regular"
    status: Literal["open", "closed"] = "open"
    public: bool = False
    results: str = "always"  # always | on_vote | on_close | staff_only
    options: list[PollOption] = Field(default_factory=list)
    voters: int = 0
    close: UtcDateTime | None = None
    closed_at: UtcDateTime | None = (
        None  # when it was closed (by hand or by its close time); newer servers only
    )
    groups: str | None = None
    title: str | None = None

    @property
    def group_names(self) -> list[str]:
        return [g for g in (self.groups or "").split(",") if g]


class CalendarEvent(ForumModel):
    """An event of the discourse-calendar plugin (`[event]` markup); its id is the post id."""

    id: int
    name: str | None = None
    starts_at: UtcDateTime
    ends_at: UtcDateTime | None = None
    timezone: str | None = None
    status: str | None = None
    url: str | None = None
    location: str | None = None
    reminders: list[dict[str, Any]] | None = None
    is_closed: bool = False
    is_expired: bool = False
    post_id: int | None = None
    topic_id: int | None = None
    category_id: int | None = None

    @property
    def has_plugin_reminders(self) -> bool:
        return bool(self.reminders)


class Post(ForumModel):
    id: int
    topic_id: int
    post_number: int
    username: str = ""
    raw: str | None = None
    cooked: str = ""
    created_at: UtcDateTime
    updated_at: UtcDateTime | None = None
    topic_title: str | None = None
    topic_slug: str | None = None
    category_id: int | None = None
    post_type: int = 1
    version: int = 1
    deleted_at: UtcDateTime | None = None
    polls: list[Poll] = Field(default_factory=list)
    event: CalendarEvent | None = None
    accepted_answer: bool = False  # the solved plugin marks the topic's solution post
    wiki: bool = False

    @field_validator("polls", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def text(self) -> str:
        """The post's markdown source when the API sent it, otherwise its cooked HTML."""
        return self.raw if self.raw is not None else self.cooked


class Topic(ForumModel):
    id: int
    title: str
    slug: str = ""
    category_id: int | None = None
    tags: list[str] = Field(default_factory=list)
    created_at: UtcDateTime | None = None
    bumped_at: UtcDateTime | None = None
    last_posted_at: UtcDateTime | None = None
    posts_count: int = 0
    highest_post_number: int = 0
    closed: bool = False
    archived: bool = False
    visible: bool = True
    archetype: str = "regular"

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> list[str]:
        return _tag_names(value)


class GroupRequester(ForumModel):
    """A pending request to join a group, from `members.json?requesters=true`."""

    id: int
    username: str
    name: str | None = None
    reason: str | None = None
    requested_at: UtcDateTime | None = None


class Group(ForumModel):
    id: int
    name: str
    full_name: str | None = None
    allow_membership_requests: bool = False
    user_count: int = 0
    # Who may list the members: 0 everyone, 1 signed-in users, 2 members, 3 staff, 4 owners (None: not said).
    members_visibility_level: int | None = None


class Voter(ForumModel):
    id: int
    username: str
    name: str | None = None


class CreatedPost(ForumModel):
    """What Discourse answers after creating a topic, reply or PM."""

    id: int
    topic_id: int
    post_number: int = 1
    topic_slug: str | None = None


class EventFact(BaseModel):
    """An upcoming gathering the bot should remind people about, whatever it was detected from."""

    model_config = ConfigDict(frozen=True)

    topic_id: int
    post_id: int
    post_number: int = 1
    title: str
    start: UtcDateTime
    end: UtcDateTime | None = None
    url: str | None = None  # the meeting link, if the announcement or the event gave one
    origin: Literal["calendar", "markup", "prose", "poll"]
    has_plugin_reminders: bool = False
    recurring: bool = False  # the next occurrence of a series: the one after it is not a "time changed"

    @property
    def source(self) -> str:
        """Reminders are planned per topic: re-planning a topic moves or cancels its reminders."""
        return f"topic/{self.topic_id}"


class Decision(ForumModel):
    """One entry of the decision log: a forum topic tagged as a decision, or a closed Loomio poll's outcome.

    ``id`` is stable across syncs (``discourse:topic/<id>`` or ``loomio:poll/<key>``), so exports can be diffed.
    """

    id: str
    source: Literal["discourse", "loomio"]
    url: str
    title: str
    decision: str = ""
    decided_at: UtcDateTime
    tags: list[str] = Field(default_factory=list)
    status: Literal["decided", "awaiting_outcome", "withdrawn"] = "decided"
    closing_at: UtcDateTime | None = None  # a Loomio proposal still open: when it closes


class GroupBrief(ForumModel):
    """A group as listed in ``GET /groups.json``."""

    id: int
    name: str
    allow_membership_requests: bool = False


class MemberProfile(ForumModel):
    """What an admin may read about a user (``/admin/users/{id}.json`` + ``/u/{username}/emails.json``)."""

    id: int
    username: str
    name: str | None = None
    created_at: UtcDateTime
    trust_level: int = 0
    post_count: int = 0
    groups: tuple[str, ...] = ()
    email: str | None = None  # None: the forum does not show it to the bot

    @property
    def email_domain(self) -> str | None:
        return self.email.rsplit("@", 1)[1].lower() if self.email and "@" in self.email else None


class StaffAction(ForumModel):
    """One ``add_user_to_group`` / ``remove_user_from_group`` entry of the staff action log."""

    action: str
    group: str
    username: str  # the member added or removed
    by: str  # who did it
    at: UtcDateTime
