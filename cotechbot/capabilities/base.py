"""The capability seam: what every capability declares and offers, and the values that cross it.

A capability (events, date polls, membership requests, the weekly digest, the decision log) is a package under
``cotechbot/capabilities/`` with a ``capability.py`` holding one class that satisfies ``Capability`` and one
line in ``registry.py``. The shell (worker, ``plan``, ``demo``, ``calendar``) loops over the registry and never
names a capability. The seam is pure on the capability's side:

- ``needs(facts, now)`` says what the plan will need from the network beyond the mirror (poll voters, group
  members…); the shell reads those in its sync stage and hands them back inside ``Facts``;
- ``plan(facts, now) -> Plan`` turns facts into outbox ``Action``s with deterministic keys and due times, names
  the sources the plan replaces (their pending actions not planned again are cancelled), the topics to keep
  re-reading, updates to its own namespaced state, and facts it shares with capabilities later in the registry
  (the date polls' winning times become events);
- ``describe(facts, now)`` is its section of ``cotechbot plan`` and of the demo.

Triggers say when the shell calls ``plan``: ``TOPICS`` once per changed topic (a failing topic never stops the
others), ``SCHEDULE`` once per cycle with the whole mirror (the capability decides from ``now`` whether its
moment has come), ``GROUP_REQUESTS`` and ``LOOMIO`` once per cycle after those sources were read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol, runtime_checkable

from cotechbot.actions import Action, Status
from cotechbot.models import EventFact, Post, Topic

# Names of the facts capabilities share with the ones after them in the registry (``Plan.shares``).
SHARED_EVENTS = "events"  # EventFacts: a closed date poll's winning time (polls → events, digest)
# ``cotechbot.models.Decision`` values: decisions filed (status "decided", ``decided_at``) and Loomio
# proposals still open (``closing_at``); the decision log shares them, the digest lists them.
SHARED_DECISIONS = "decisions"
# ``(group name, number of pending requests)`` pairs, or objects with ``group`` (and ``count``; one request
# each without it): the membership capability shares them, the digest prints the count per group only.
SHARED_MEMBERSHIP_PENDING = "membership_pending"
# Threads kept elsewhere (Loomio) that wait for a decision: objects with ``title``, ``url`` and
# ``last_activity_at``; the digest lists those idle for ``stall_days`` among its stalled proposals.
SHARED_STALLED = "stalled"


class Trigger(StrEnum):
    TOPICS = "topics"  # plan per topic, for topics the sync saw change (and topics the capability watches)
    SCHEDULE = "schedule"  # plan once per cycle over the whole mirror (e.g. weekly at a local time)
    GROUP_REQUESTS = "group_requests"  # plan once per cycle after pending group requests were read
    LOOMIO = "loomio"  # plan once per cycle after Loomio's poll lists were read


@dataclass(frozen=True)
class Need:
    """Something a plan needs from the network, read by the shell before ``plan`` is called.

    ``kind`` is one of ``poll_voters`` (args: post id, poll name) and ``group_members`` (args: group name).
    """

    kind: str
    args: tuple[Any, ...]


#: ``Facts.extra`` key the shell fills with group name → ``members_visibility_level`` for ``group_members`` needs.
GROUP_VISIBILITY = "group_visibility"


@dataclass(frozen=True)
class OutboxView:
    """What a capability may know of an outbox row: enough to remember what it already said."""

    key: str
    kind: str
    source: str
    target: str
    status: Status
    due_at: datetime
    sent_at: datetime | None
    detail: Mapping[str, Any]
    post_ref: str | None = None  # what a sent action made ("post/<id>"): a PM's later replies go in its topic

    @property
    def payload(self) -> Mapping[str, Any]:
        return self.detail


@dataclass(frozen=True)
class Facts:
    """Everything a capability's plan may read. Built by the shell from the ledger and the sync; never I/O."""

    forum: str
    zone: str
    base_url: str
    topics: Mapping[int, Topic] = field(default_factory=dict)
    # Posts of the topics in scope, by topic: posts by the bot itself and by ignored users are left out.
    posts: Mapping[int, Sequence[Post]] = field(default_factory=dict)
    # The topics this call is about (one topic for TOPICS capabilities; all known for the others).
    topic_ids: Sequence[int] = ()
    outbox: Sequence[OutboxView] = ()  # this forum's pending, claimed and sent actions
    poll_voters: Mapping[tuple[int, str], frozenset[str]] = field(default_factory=dict)
    group_members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    state: Mapping[str, Any] = field(default_factory=dict)  # this capability's namespaced state
    shared: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # from capabilities before it
    extra: Mapping[str, Any] = field(default_factory=dict)  # source-specific facts (requests, Loomio polls…)

    def all_posts(self) -> list[Post]:
        return [post for topic_id in self.topic_ids for post in self.posts.get(topic_id, ())]

    def outbox_for(self, source_prefix: str = "", target: str | None = None) -> list[OutboxView]:
        return [
            row
            for row in self.outbox
            if row.source.startswith(source_prefix) and (target is None or row.target == target)
        ]

    def narrowed(self, **changes: Any) -> Facts:
        return replace(self, **changes)


@dataclass(frozen=True)
class Plan:
    """What a capability wants done, as of ``now``. Planning twice with the same facts gives the same plan."""

    actions: tuple[Action, ...] = ()
    replaces: frozenset[str] = frozenset()  # sources whose pending actions this plan supersedes
    watch: frozenset[int] = frozenset()  # topics to re-read every cycle (e.g. live polls)
    state: Mapping[str, Any] = field(default_factory=dict)  # updates to its state (None deletes a key)
    shares: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # facts for later capabilities
    events: tuple[EventFact, ...] = ()  # upcoming events it knows (the calendar, the digest)
    wake_at: frozenset[datetime] = (
        frozenset()
    )  # moments its plan will change without new input (a poll closes)
    notes: tuple[
        str, ...
    ] = ()  # what planning dropped and why (a bad date, a cap reached): the shell logs them

    @property
    def sources(self) -> frozenset[str]:
        return self.replaces | {action.source for action in self.actions}


@runtime_checkable
class Capability(Protocol):
    """One thing the bot does. Implementations are plain classes built by ``from_settings``."""

    name: ClassVar[str]  # also its settings section and its state namespace
    triggers: ClassVar[frozenset[Trigger]]

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]: ...

    def plan(self, facts: Facts, now: datetime) -> Plan: ...

    def describe(self, facts: Facts, now: datetime) -> str: ...


def outbox_view(
    *,
    key: str,
    kind: str,
    source: str,
    target: str,
    status: str,
    due_at: datetime,
    sent_at: datetime | None,
    payload: Mapping[str, Any],
    post_ref: str | None = None,
) -> OutboxView:
    return OutboxView(key, kind, source, target, Status(status), due_at, sent_at, dict(payload), post_ref)
