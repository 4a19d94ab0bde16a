"""One cycle of the bot for one forum: sync → detect → plan → outbox → dispatch.

Only the leader acts: a second worker on the same ledger waits on standby (see ``Ledger.leader``). Each
stage is guarded so that a failure in one (the forum is down, a post is malformed) is logged with its
context and the rest of the cycle still runs on what the ledger already holds. Nothing here decides what to
say; the capabilities (pure functions) do.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import structlog

from cotechbot.capabilities.events import EventRules, detect_events, plan_reminders
from cotechbot.capabilities.polls import (
    DatePoll,
    PollRules,
    detect_date_polls,
    last_standings_from,
    needs_non_voters,
    non_voters_among,
    plan_poll,
    should_watch,
    with_close_anchor,
)
from cotechbot.clock import Clock
from cotechbot.dispatch import Dispatcher, DispatchReport
from cotechbot.errors import ForumError
from cotechbot.forum.port import Forum
from cotechbot.ledger import PENDING, SENT, Action, Ledger, OutboxRow, PlanOutcome
from cotechbot.models import Post, Topic
from cotechbot.settings import Settings

log = structlog.get_logger(__name__)
PLANNED_THROUGH = "planned_through"
POLL_SEEN_OPEN = "poll_open:"  # + poll ref: when the poll was last planned while open (a cursor)


def last_seen_open(ledger: Ledger, forum: str, poll_ref: str) -> datetime | None:
    """When the worker last planned this poll while it was open (None: never)."""
    seen = ledger.get_cursor(forum, f"{POLL_SEEN_OPEN}{poll_ref}")
    return datetime.fromisoformat(seen) if seen else None


class Syncer(Protocol):
    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> object: ...


@dataclass
class CycleReport:
    leader: bool = True
    sync: object | None = None
    sync_error: str | None = None
    planned: PlanOutcome = field(default_factory=PlanOutcome)
    planned_topics: int = 0
    dispatch: DispatchReport = field(default_factory=DispatchReport)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    def __init__(
        self,
        settings: Settings,
        forum: Forum,
        ledger: Ledger,
        clock: Clock,
        syncer: Syncer,
        *,
        worker_id: str | None = None,
        dispatcher: Dispatcher | None = None,
        dry_run: bool = False,
    ) -> None:
        self.settings = settings
        self.forum = forum
        self.ledger = ledger
        self.clock = clock
        self.syncer = syncer
        self.name = settings.forum_name
        self.rules = EventRules.from_settings(settings)
        self.worker_id = worker_id or default_worker_id()
        self.dispatcher = dispatcher or Dispatcher(
            ledger, forum, clock, worker_id=self.worker_id, dry_run=dry_run
        )
        self.poll_rules = PollRules.from_settings(settings)
        self._replanned_everything = False
        self._poll_topic_ids: set[int] = set()

    # -- the cycle ----------------------------------------------------------------------------------
    def cycle(self) -> CycleReport:
        with (
            structlog.contextvars.bound_contextvars(forum=self.name, job="cycle"),
            self.ledger.leader(f"worker:{self.name}") as leading,
        ):
            if not leading:
                log.info("another worker leads; standing by")
                return CycleReport(leader=False)
            report = CycleReport()
            started = self.clock.now()
            try:
                report.sync = self.syncer.run_cycle(watched_topic_ids=self.watched_topic_ids())
                report.sync_error = getattr(report.sync, "error", None)
            except ForumError as error:
                report.sync_error = str(error)
            if report.sync_error:
                log.warning("sync incomplete; planning from what is stored", error=report.sync_error)
            report.planned, report.planned_topics = self.plan(started)
            report.dispatch = self.dispatcher.dispatch_due()
            log.info(
                "cycle done",
                planned_topics=report.planned_topics,
                inserted=report.planned.inserted,
                cancelled=report.planned.cancelled,
                sent=len(report.dispatch.sent),
                skipped=len(report.dispatch.skipped),
                failed=len(report.dispatch.failed),
            )
            return report

    def dispatch(self) -> DispatchReport:
        """Only send what is due (the scheduler calls this at the next due time, between syncs)."""
        with (
            structlog.contextvars.bound_contextvars(forum=self.name, job="dispatch"),
            self.ledger.leader(f"worker:{self.name}") as leading,
        ):
            return self.dispatcher.dispatch_due() if leading else DispatchReport()

    # -- planning -----------------------------------------------------------------------------------
    def plan(self, started: datetime) -> tuple[PlanOutcome, int]:
        """Re-plan every topic the sync touched, and every topic with a live date poll (votes and closing
        times change plans without touching a topic). A process's first cycle re-plans every known topic."""
        since_text = self.ledger.get_cursor(self.name, PLANNED_THROUGH)
        first = not self._replanned_everything or since_text is None
        since = None if first else datetime.fromisoformat(since_text)
        topic_ids = self.ledger.topic_ids_touched_since(self.name, since) | self._poll_topic_ids
        outcome = self.plan_topics(topic_ids)
        self.ledger.set_cursor(self.name, PLANNED_THROUGH, started.isoformat())
        self._replanned_everything = True
        return outcome, len(topic_ids)

    def plan_topics(self, topic_ids: Iterable[int]) -> PlanOutcome:
        topic_ids = sorted(set(topic_ids))
        if not topic_ids:
            return PlanOutcome()
        now = self.clock.now()
        wanted = set(topic_ids)
        topics = {t.id: t for t in self.ledger.mirrored_topics(self.name) if t.id in wanted}
        posts_by_topic: dict[int, list[Post]] = {}
        for post in self.ledger.mirrored_posts(self.name, topic_ids=topic_ids):
            posts_by_topic.setdefault(post.topic_id, []).append(post)
        live = self.ledger.actions(forum=self.name, statuses=[PENDING, SENT])
        totals = PlanOutcome()
        for topic_id in topic_ids:
            planned = self._plan_topic(topic_id, posts_by_topic.get(topic_id, []), topics, live, now)
            if planned is None:
                continue
            sources, actions = planned
            outcome = self.ledger.apply_plan(self.name, sources, actions)
            totals = PlanOutcome(
                *(
                    a + b
                    for a, b in zip(
                        (totals.inserted, totals.updated, totals.unchanged, totals.cancelled),
                        (outcome.inserted, outcome.updated, outcome.unchanged, outcome.cancelled),
                        strict=True,
                    )
                )
            )
        return totals

    def _plan_topic(
        self, topic_id: int, posts: list[Post], topics: dict[int, Topic], live: list[OutboxRow], now: datetime
    ) -> tuple[set[str], list[Action]] | None:
        """All actions one topic should have now, and every source they replace (including polls that
        vanished from it, whose pending actions are then cancelled)."""
        try:
            target = f"topic/{topic_id}"
            # The topic's own source, plus the polls that had pending actions in it (a poll edited out of
            # its post must lose them); other capabilities' actions aimed at this topic are not ours.
            sources = {f"topic/{topic_id}"} | {
                row.source
                for row in live
                if row.target == target and row.status == PENDING and row.source.startswith("poll/")
            }
            actions: list[Action] = []
            winner_events = []
            watch = False
            if not self.rules.opted_out(topics.get(topic_id)):
                for poll in detect_date_polls(posts, now, self.settings.timezone):
                    poll = self._with_close_anchor(poll, now)
                    plan = plan_poll(
                        poll,
                        now=now,
                        forum=self.name,
                        rules=self.poll_rules,
                        last_standings=last_standings_from(live, poll.source),
                        non_voters=self._non_voters(poll, now),
                    )
                    sources.add(poll.source)
                    actions.extend(plan.actions)
                    winner_events.extend(plan.winner_events)
                    watch = watch or should_watch(poll, now, self.poll_rules)
            facts = detect_events(posts, topics, now, self.rules)
            known = {(f.topic_id, f.start) for f in facts}
            facts += [f for f in winner_events if (f.topic_id, f.start) not in known]
            actions.extend(plan_reminders(facts, now, self.name, self.rules))
        except ForumError as error:
            # Voters could not be read: leave this topic's plan as it is and try again next cycle.
            log.warning("planning a topic deferred", topic_id=topic_id, error=str(error))
            return None
        except Exception:
            # One strange topic must not stop the others; its existing plan stays as it was.
            log.exception("planning a topic failed; its plan is left unchanged", topic_id=topic_id)
            return None
        if watch:
            self._poll_topic_ids.add(topic_id)
        else:
            self._poll_topic_ids.discard(topic_id)
        return sources, actions

    def _with_close_anchor(self, poll: DatePoll, now: datetime) -> DatePoll:
        """Remember when each poll was last planned open, so a poll closed by hand on a forum that sends no
        ``closed_at`` is announced from then (``polls.with_close_anchor``)."""
        if not poll.is_closed(now):
            self.ledger.set_cursor(self.name, f"{POLL_SEEN_OPEN}{poll.ref}", now.isoformat())
            return poll
        return with_close_anchor(poll, now, last_seen_open(self.ledger, self.name, poll.ref))

    def _non_voters(self, poll: DatePoll, now: datetime) -> list[str] | None:
        """Members of the poll's groups who have not voted, read from the forum only when a closing
        reminder that may name them is about to be planned."""
        if not needs_non_voters(poll, now, self.poll_rules):
            return None
        voters = {
            v.username for option in self.forum.poll_voters(poll.post_id, poll.name).values() for v in option
        }
        members = [m for group in poll.groups for m in self.forum.group_member_usernames(group)]
        return non_voters_among(members, voters)

    def watched_topic_ids(self) -> list[int]:
        """Topics worth re-reading for edits and votes: those with pending actions or a live date poll."""
        ids = set(self._poll_topic_ids)
        for row in self.ledger.actions(forum=self.name, statuses=["pending"]):
            if row.target.startswith("topic/"):
                ids.add(int(row.target.split("/", 1)[1]))
        return sorted(ids)
