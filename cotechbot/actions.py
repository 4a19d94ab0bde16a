"""What the bot does, as data: typed outbox operations, the ``Action`` a capability plans, and its statuses.

Pure values with no I/O, shared by the capabilities (which plan them), the ledger (which stores them) and the
dispatcher (which performs them). An action's ``key`` is deterministic: planning the same thing twice
yields the same key, and the ledger's unique index on it is what makes "never post twice" hold.

The operation is stored in the outbox row's JSON payload as ``{"op": <name>, …fields}`` next to the
capability's own bookkeeping (``detail``), so rows written before operations were typed still read back.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from cotechbot.models import require_aware_utc


class Status(StrEnum):
    """Where an outbox row is in its life. Only ``pending`` and ``claimed`` are live; the rest are final."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"
    FAILED = "failed"


LIVE_STATUSES = frozenset({Status.PENDING, Status.CLAIMED})
FINAL_STATUSES = frozenset({Status.SENT, Status.CANCELLED, Status.SKIPPED, Status.FAILED})


class _Operation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @property
    def text(self) -> str:
        """The markdown this operation posts ('' for operations that post nothing)."""
        return str(getattr(self, "raw", ""))


class Reply(_Operation):
    """A reply in an existing topic (or private-message thread)."""

    op: Literal["reply"] = "reply"
    topic_id: int
    raw: str


class CreateTopic(_Operation):
    op: Literal["create_topic"] = "create_topic"
    title: str
    raw: str
    category_id: int | None = None
    tags: tuple[str, ...] = ()


class PrivateMessage(_Operation):
    """A new private message to users and/or groups (Discourse's ``target_recipients``)."""

    op: Literal["private_message"] = "private_message"
    title: str
    raw: str
    recipients: tuple[str, ...]


class EditPost(_Operation):
    """Replace the text of one of the bot's own posts."""

    op: Literal["edit_post"] = "edit_post"
    post_id: int
    raw: str
    edit_reason: str = ""
    wiki: bool | None = None  # True: also make it a wiki (anyone may edit); None leaves that as it is


class HandleMembershipRequest(_Operation):
    op: Literal["handle_membership_request"] = "handle_membership_request"
    group_id: int
    user_id: int
    accept: bool


Operation = Annotated[
    Reply | CreateTopic | PrivateMessage | EditPost | HandleMembershipRequest, Field(discriminator="op")
]
_OPERATION = TypeAdapter(Operation)
_OPERATION_FIELDS = {
    name
    for model in (Reply, CreateTopic, PrivateMessage, EditPost, HandleMembershipRequest)
    for name in model.model_fields
}


def parse_operation(payload: dict[str, Any]) -> Operation:
    """The typed operation inside a stored payload (raises ``pydantic.ValidationError`` if malformed)."""
    fields = {k: v for k, v in payload.items() if k in _OPERATION_FIELDS}
    kind = fields.get("op")
    model = {m.model_fields["op"].default: m for m in _all_operations()}.get(kind)
    if model is not None:
        fields = {k: v for k, v in fields.items() if k in model.model_fields}
    return _OPERATION.validate_python(fields)


def _all_operations() -> tuple[type[_Operation], ...]:
    return (Reply, CreateTopic, PrivateMessage, EditPost, HandleMembershipRequest)


class Action(BaseModel):
    """Something the bot will do, as planned by a capability: pure data with a deterministic key.

    ``operation`` is what dispatch performs; ``detail`` is the capability's own bookkeeping (what it read
    the plan from), kept in the outbox row and the audit log. ``payload`` is both, as stored.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    kind: str
    forum: str
    source: str  # what it was planned from (e.g. ``topic/123``): re-planning a source cancels what it dropped
    target: str  # where it goes (e.g. ``topic/123`` for a reply)
    due_at: datetime
    expires_at: datetime | None = None  # after this moment it is skipped, not sent late
    operation: Operation
    detail: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_payload(cls, data: Any) -> Any:
        """Accept the stored form ``payload={"op": …, …}`` as well as ``operation=`` + ``detail=``."""
        if isinstance(data, dict) and "payload" in data and "operation" not in data:
            data = dict(data)
            payload = dict(data.pop("payload"))
            data["operation"] = parse_operation(payload)
            data["detail"] = {k: v for k, v in payload.items() if k not in _OPERATION_FIELDS}
        return data

    def model_post_init(self, _context: Any) -> None:
        object.__setattr__(self, "due_at", require_aware_utc(self.due_at))
        if self.expires_at is not None:
            object.__setattr__(self, "expires_at", require_aware_utc(self.expires_at))

    @property
    def payload(self) -> dict[str, Any]:
        """What the outbox row stores: the capability's detail and the operation's fields."""
        return {**self.detail, **self.operation.model_dump(mode="json")}


@dataclass(frozen=True)
class PlanOutcome:
    """How applying a plan changed the outbox."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    revived: int = 0

    def __add__(self, other: PlanOutcome) -> PlanOutcome:
        return PlanOutcome(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))
