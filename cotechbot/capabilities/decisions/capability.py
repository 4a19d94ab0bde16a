"""The decision log on the seam: once per cycle (trigger LOOMIO), after the shell has read Loomio and filed
decisions into the ledger (``cotechbot.decision_sync``), it plans the forum side from what is stored:

* the **log post(s)** in ``decision_log_topic_id``: one reply per page, created once and then edited only
  when the rendered page changed (the edit's key carries the content hash, so the same text is never sent
  twice; ``EditPost`` is idempotent, so a crash between edit and bookkeeping repeats nothing visible), split
  into pages before Discourse's 32,000-character limit, newest decisions first;
* **Loomio cross-posts**: one post per open, non-draft poll (a reply in ``[loomio] topic_id`` or a new topic in
  ``category_id``), a reminder ``reminder_before_hours`` before ``closing_at`` (its key holds ``closing_at``, so a
  moved closing time moves it and an early close drops it), and the outcome once someone writes it;
* **shares** the log and the open proposals (``SHARED_DECISIONS``) with the digest.

Pure: everything comes in ``Facts`` (``extra`` holds the log, the Loomio snapshots and the bot's own posted
actions, answered for ``Need("decision_log")`` by the shell).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from cotechbot.actions import Action, CreateTopic, EditPost, Reply, Status
from cotechbot.capabilities.base import (
    SHARED_DECISIONS,
    SHARED_STALLED,
    Facts,
    Need,
    OutboxView,
    Plan,
    Trigger,
)
from cotechbot.capabilities.decisions import LogEntry, newest_first, open_proposals
from cotechbot.loomio_models import LoomioPoll
from cotechbot.messages import BUNDLED, Renderer, inline, key_marker, local_time, strict_http_url
from cotechbot.settings import Settings

DECISION_LOG_NEED = "decision_log"
EXTRA_LOG = "decision_log"
EXTRA_LOOMIO_POLLS = "loomio_polls"
EXTRA_POSTED = "decision_posted"  # key → (post id, topic id) of the bot's sent actions of POSTED_KINDS
PAGE_KIND, EDIT_KIND = "decision_log_page", "decision_log_edit"
ANNOUNCE_KIND, REMINDER_KIND, OUTCOME_KIND = "loomio_announce", "loomio_reminder", "loomio_outcome"
POSTED_KINDS = frozenset({PAGE_KIND, EDIT_KIND, ANNOUNCE_KIND})
PAGE_LIMIT = 30_000  # Discourse refuses posts over 32,000 characters; keep a margin for the marker


@dataclass(frozen=True)
class DecisionRules:
    zone: str = "Europe/London"
    decision_tags: tuple[str, ...] = ("decision",)
    log_topic_id: int | None = None
    loomio_topic_id: int | None = None
    loomio_category_id: int | None = None
    reminder_before: timedelta = timedelta(hours=24)
    page_limit: int = PAGE_LIMIT

    @classmethod
    def from_settings(cls, settings: Settings) -> DecisionRules:
        return cls(
            zone=settings.timezone,
            decision_tags=tuple(settings.decision_tags),
            log_topic_id=settings.decision_log_topic_id,
            loomio_topic_id=settings.loomio.topic_id,
            loomio_category_id=settings.loomio.category_id,
            reminder_before=timedelta(hours=settings.decisions.reminder_before_hours),
        )

    @property
    def cross_posting(self) -> bool:
        return self.loomio_topic_id is not None or self.loomio_category_id is not None


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _lead(delta: timedelta) -> str:
    hours = round(delta.total_seconds() / 3600)
    return f"{hours} hours" if hours < 48 else f"{round(hours / 24)} days"


class DecisionsCapability:
    name: ClassVar[str] = "decisions"
    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.LOOMIO})
    post_switches: ClassVar[Mapping[str, str]] = {
        PAGE_KIND: "log_post",
        EDIT_KIND: "log_post",
        ANNOUNCE_KIND: "cross_posts",
        REMINDER_KIND: "reminders",
        OUTCOME_KIND: "outcomes",
    }

    def __init__(self, rules: DecisionRules, render: Renderer = BUNDLED) -> None:
        self.rules = rules
        self.render = render

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer) -> DecisionsCapability:
        return cls(DecisionRules.from_settings(settings), render)

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        return (Need(DECISION_LOG_NEED, ()),)

    # -- reading facts --------------------------------------------------------------------------------
    @staticmethod
    def entries(facts: Facts) -> list[LogEntry]:
        return newest_first(facts.extra.get(EXTRA_LOG, ()))

    @staticmethod
    def polls(facts: Facts) -> list[LoomioPoll]:
        return sorted(facts.extra.get(EXTRA_LOOMIO_POLLS, ()), key=lambda p: p.id)

    @staticmethod
    def posted(facts: Facts) -> Mapping[str, tuple[int | None, int | None]]:
        return facts.extra.get(EXTRA_POSTED, {})

    # -- planning -------------------------------------------------------------------------------------
    def plan(self, facts: Facts, now: datetime) -> Plan:
        entries, polls = self.entries(facts), self.polls(facts)
        actions: list[Action] = []
        replaces: set[str] = set()
        if self.rules.log_topic_id is not None:
            page_actions, page_sources = self.plan_log(facts, entries)
            actions += page_actions
            replaces |= page_sources
        if self.rules.cross_posting:
            for poll in polls:
                replaces.add(poll_source(poll))
                actions += self.plan_poll(facts, poll, now)
        shared = tuple(e.as_decision() for e in entries) + tuple(open_proposals(polls))
        shares = {SHARED_DECISIONS: shared, SHARED_STALLED: tuple(waiting_threads(polls))}
        return Plan(actions=tuple(actions), replaces=frozenset(replaces), shares=shares)

    # the log post(s)
    def pages(self, facts: Facts, entries: Sequence[LogEntry]) -> list[str]:
        """The page bodies (without their markers), each under the page limit, newest decisions first."""
        items = [
            {
                "entry": entry,
                "link": strict_http_url(entry.url) or facts.base_url,
                "source": "Loomio" if entry.source == "loomio" else "forum",
            }
            for entry in entries
        ]
        if not items:
            return [self._page_text(1, [])]
        # An item's length is what it adds beside another one (the empty page says "Nothing decided yet").
        one = len(self._page_text(1, items[:1]))
        header = one - (len(self._page_text(1, items[:1] * 2)) - one)
        pages: list[list[dict[str, Any]]] = [[]]
        used = header
        for item in items:
            size = len(self._page_text(1, [items[0], item])) - one
            if pages[-1] and used + size > self.rules.page_limit:
                pages.append([])
                used = header
            pages[-1].append(item)
            used += size
        # The estimate is exact for page 1's header; later pages' headers are shorter. Check, to be sure.
        for number in range(1, len(pages) + 1):
            while (
                len(pages[number - 1]) > 1
                and len(self._page_text(number, pages[number - 1])) > self.rules.page_limit
            ):
                if number == len(pages):
                    pages.append([])
                pages[number].insert(0, pages[number - 1].pop())
        return [self._page_text(number, chunk) for number, chunk in enumerate(pages, start=1)]

    def _page_text(self, page: int, items: list[dict[str, Any]]) -> str:
        text = self.render(
            "decision_log.md",
            key="",
            page=page,
            items=items,
            zone=self.rules.zone,
            tags=", ".join(self.rules.decision_tags),
        )
        return text.rsplit("\n\n", 1)[0]  # without the (empty) marker; each post gets its own below

    def plan_log(self, facts: Facts, entries: Sequence[LogEntry]) -> tuple[list[Action], set[str]]:
        topic_id = self.rules.log_topic_id
        assert topic_id is not None
        posted = self.posted(facts)
        actions: list[Action] = []
        sources: set[str] = set()
        bodies = self.pages(facts, entries)
        created = {row.key: row for row in facts.outbox if row.kind == PAGE_KIND}
        number = 0
        while True:
            number += 1
            create_key = f"decision_log:{facts.forum}:topic/{topic_id}:page/{number}"
            if number > len(bodies) and create_key not in created:
                break
            body = (
                bodies[number - 1]
                if number <= len(bodies)
                else "(This part of the decision log is empty now.)"
            )
            raw = f"{body}\n\n{key_marker(create_key)}"
            digest = content_hash(raw)
            source = f"decision_log/page/{number}"
            sources.add(source)
            post_id = posted.get(create_key, (None, None))[0]
            if create_key not in created or created[create_key].status != Status.SENT or post_id is None:
                if create_key not in created or created[create_key].status in (
                    Status.PENDING,
                    Status.CLAIMED,
                ):
                    actions.append(
                        self._action(
                            facts, create_key, PAGE_KIND, source, Reply(topic_id=topic_id, raw=raw), digest
                        )
                    )
                continue
            if _last_sent_hash(facts.outbox, source) == digest and any(
                row.source == source and row.kind == EDIT_KIND and row.status == Status.SENT
                for row in facts.outbox
            ):
                continue  # unchanged, and already made a wiki by an earlier edit
            key = f"decision_log_edit:{facts.forum}:topic/{topic_id}:page/{number}:{digest}"
            edit = EditPost(post_id=post_id, raw=raw, edit_reason="decision log updated", wiki=True)
            actions.append(self._action(facts, key, EDIT_KIND, source, edit, digest))
        return actions, sources

    def _action(self, facts: Facts, key: str, kind: str, source: str, operation: Any, digest: str) -> Action:
        return Action(
            key=key,
            kind=kind,
            forum=facts.forum,
            source=source,
            target=f"topic/{self.rules.log_topic_id}",
            due_at=_epoch(),
            operation=operation,
            detail={"content_hash": digest},
        )

    # Loomio cross-posts
    def plan_poll(self, facts: Facts, poll: LoomioPoll, now: datetime) -> list[Action]:
        if poll.discarded_at is not None or poll.draft:
            return []
        announce_key = f"loomio_announce:{facts.forum}:poll/{poll.id}"
        announced = next((r for r in facts.outbox if r.key == announce_key), None)
        link = strict_http_url(poll.url) or ""
        context = {
            "poll": poll,
            "link": link,
            "zone": self.rules.zone,
            "poll_type": poll.poll_type if poll.known_type else "poll",
        }
        actions: list[Action] = []
        if poll.closed_at is None and poll.closing_at is not None and poll.closing_at > now:
            raw = self.render("loomio_proposal.md", key=announce_key, **context)
            if self.rules.loomio_topic_id is not None:
                op: Any = Reply(topic_id=self.rules.loomio_topic_id, raw=raw)
            else:
                op = CreateTopic(
                    title=f"Loomio: {inline(_title(poll), 200)}",
                    raw=raw,
                    category_id=self.rules.loomio_category_id,
                )
            if announced is None or announced.status in (Status.PENDING, Status.CLAIMED):
                actions.append(
                    self._poll_action(facts, poll, announce_key, ANNOUNCE_KIND, now, op, poll.closing_at)
                )
        if announced is None or announced.status != Status.SENT:
            return actions
        topic_id = self.rules.loomio_topic_id or self.posted(facts).get(announce_key, (None, None))[1]
        if topic_id is None:
            return actions
        if poll.closed_at is None and poll.closing_at is not None:
            due = poll.closing_at - self.rules.reminder_before
            sent_at = announced.sent_at or now
            if due > sent_at and now < poll.closing_at:
                key = f"loomio_reminder:{facts.forum}:poll/{poll.id}:{poll.closing_at.isoformat()}"
                raw = self.render(
                    "loomio_reminder.md", key=key, lead=_lead(self.rules.reminder_before), **context
                )
                actions.append(
                    self._poll_action(
                        facts,
                        poll,
                        key,
                        REMINDER_KIND,
                        due,
                        Reply(topic_id=topic_id, raw=raw),
                        poll.closing_at,
                    )
                )
        if poll.closed_at is not None and poll.outcome is not None and poll.outcome.statement.strip():
            key = f"loomio_outcome:{facts.forum}:poll/{poll.id}"
            raw = self.render(
                "loomio_outcome.md",
                key=key,
                statement=poll.outcome.statement,
                results=f"Results: {poll.results_summary()}.",
                **context,
            )
            actions.append(
                self._poll_action(
                    facts, poll, key, OUTCOME_KIND, now, Reply(topic_id=topic_id, raw=raw), None
                )
            )
        return actions

    def _poll_action(
        self,
        facts: Facts,
        poll: LoomioPoll,
        key: str,
        kind: str,
        due: datetime,
        op: Any,
        expires: datetime | None,
    ) -> Action:
        target = (
            f"topic/{op.topic_id}" if isinstance(op, Reply) else f"category/{self.rules.loomio_category_id}"
        )
        return Action(
            key=key,
            kind=kind,
            forum=facts.forum,
            source=poll_source(poll),
            target=target,
            due_at=due,
            expires_at=expires,
            operation=op,
            detail={
                "poll_id": poll.id,
                "closing_at": poll.closing_at.isoformat() if poll.closing_at else None,
            },
        )

    def describe(self, facts: Facts, now: datetime) -> str:
        if EXTRA_LOG not in facts.extra:  # described without the stored log: say where to find it
            where = f"kept in topic {self.rules.log_topic_id}" if self.rules.log_topic_id else "not posted"
            return f"Decision log: {where}; `cotechbot decisions` lists it."
        entries = self.entries(facts)
        decided = sum(1 for e in entries if e.status == "decided")
        awaiting = sum(1 for e in entries if e.status == "awaiting_outcome")
        open_polls = [
            p for p in self.polls(facts) if p.closed_at is None and not p.draft and p.discarded_at is None
        ]
        where = (
            f"kept in topic {self.rules.log_topic_id}"
            if self.rules.log_topic_id
            else "not posted (no topic set)"
        )
        lines = [f"Decision log: {decided} decided, {awaiting} awaiting an outcome; {where}."]
        for poll in open_polls:
            closes = local_time(poll.closing_at, self.rules.zone, with_utc=False) if poll.closing_at else "?"
            lines.append(f"  Loomio proposal {_title(poll)!r} closes {closes}.")
        return "\n".join(lines)


@dataclass(frozen=True)
class WaitingThread:
    """An open Loomio proposal and when its thread last moved (the digest decides whether it stalled)."""

    title: str
    url: str
    last_activity_at: datetime


def waiting_threads(polls: Iterable[LoomioPoll]) -> list[WaitingThread]:
    return [
        WaitingThread(_title(poll), poll.url, poll.last_activity_at or poll.created_at)
        for poll in polls
        if poll.closed_at is None and not poll.draft and poll.discarded_at is None
    ]


def poll_source(poll: LoomioPoll) -> str:
    return f"loomio/poll/{poll.id}"


def _title(poll: LoomioPoll) -> str:
    return " ".join((poll.title or poll.key).split())[:200]


def _last_sent_hash(outbox: Sequence[OutboxView], source: str) -> str | None:
    sent = [r for r in outbox if r.source == source and r.status == Status.SENT and r.sent_at is not None]
    if not sent:
        return None
    latest = max(sent, key=lambda r: r.sent_at or _epoch())
    value = latest.detail.get("content_hash")
    return str(value) if value else None


def _epoch() -> datetime:
    """The due time of the log's posts: due at once, and the same every time they are planned."""
    return datetime(2000, 1, 1, tzinfo=UTC)
