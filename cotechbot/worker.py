"""One cycle of the bot for one forum: sync → facts → plan (every capability) → outbox → dispatch.

Only the leader acts: a second worker on the same ledger waits on standby (see ``Ledger.leader``). Each
stage is guarded so that a failure in one (the forum is down, a post is malformed, a capability has a bug)
is logged with its context and the rest of the cycle still runs on what the ledger already holds. Nothing
here decides what to say, and nothing here names a capability: it loops over the registry.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import structlog

from cotechbot.actions import PlanOutcome, Status
from cotechbot.capabilities.base import Capability, Facts, Plan, Trigger
from cotechbot.capabilities.registry import build_capabilities, kind_switched_on
from cotechbot.clock import Clock
from cotechbot.dispatch import Dispatcher, DispatchReport
from cotechbot.errors import ForumError
from cotechbot.facts import FactsReader, NeedsReader
from cotechbot.forum.port import Forum
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings
from cotechbot.stored_facts import stored_need_readers

log = structlog.get_logger(__name__)
PLANNED_THROUGH = "planned_through"
SYNC_SUCCEEDED_AT = "sync.succeeded_at"  # read by the health check, whichever replica asks


class Syncer(Protocol):
    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> object: ...


@dataclass
class CycleReport:
    leader: bool = True
    sync: object | None = None
    sync_error: str | None = None
    planned: PlanOutcome = field(default_factory=PlanOutcome)
    planned_topics: int = 0
    failed_plans: list[str] = field(default_factory=list)  # "<capability> topic/<id>" that raised
    dispatch: DispatchReport = field(default_factory=DispatchReport)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class CapabilityState:
    """Each capability's namespaced key/value state, kept in the ledger."""

    def __init__(self, ledger: Ledger, forum: str) -> None:
        self.ledger = ledger
        self.forum = forum

    def load(self, namespace: str) -> dict[str, Any]:
        return self.ledger.state_items(self.forum, namespace)

    def save(self, namespace: str, updates: Mapping[str, Any]) -> None:
        if updates:
            self.ledger.update_state(self.forum, namespace, updates)


class Worker:
    def __init__(
        self,
        settings: Settings,
        forum: Forum,
        ledger: Ledger,
        clock: Clock,
        syncer: Syncer,
        *,
        capabilities: Sequence[Capability] | None = None,
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
        self.capabilities = list(build_capabilities(settings) if capabilities is None else capabilities)
        self.worker_id = worker_id or default_worker_id()
        self.dispatcher = dispatcher or Dispatcher(
            ledger, forum, clock, worker_id=self.worker_id, dry_run=dry_run, forum_name=self.name
        )
        self.facts = FactsReader(ledger, settings)
        self.needs = NeedsReader(forum, stored_need_readers(ledger, settings))
        self.state = CapabilityState(ledger, self.name)
        self._replanned_everything = False
        self.leading: bool | None = None  # whether this replica led its last cycle (None: no cycle yet)
        self._watched: dict[str, set[int]] = {}
        self._last_watched = -1  # the last topic re-read in turns, when there are more than the cap

    @property
    def topic_capabilities(self) -> list[Capability]:
        return [c for c in self.capabilities if Trigger.TOPICS in c.triggers]

    @property
    def cycle_capabilities(self) -> list[Capability]:
        return [c for c in self.capabilities if Trigger.TOPICS not in c.triggers]

    # -- the cycle ----------------------------------------------------------------------------------
    def cycle(self) -> CycleReport:
        """Sync and plan under this forum's sync lock, then dispatch under its own lock (``dispatch``), so
        a reminder due during a long sync is sent by the dispatch job meanwhile instead of waiting."""
        with (
            structlog.contextvars.bound_contextvars(forum=self.name, job="cycle"),
            self.ledger.leader(f"sync:{self.name}") as leading,
        ):
            self.leading = bool(leading)
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
            else:
                self.ledger.set_cursor(self.name, SYNC_SUCCEEDED_AT, self.clock.now().isoformat())
            self.plan(started, report)
        report.dispatch = self.dispatch()
        log.info(
            "cycle done",
            forum=self.name,
            planned_topics=report.planned_topics,
            inserted=report.planned.inserted,
            cancelled=report.planned.cancelled,
            sent=len(report.dispatch.sent),
            skipped=len(report.dispatch.skipped),
            failed=len(report.dispatch.failed),
        )
        return report

    def dispatch(self) -> DispatchReport:
        """Send what is due, under the dispatch lock only: it never waits for a sync to end (the scheduler
        calls this at the next due time, whatever the cycle is doing)."""
        with (
            structlog.contextvars.bound_contextvars(forum=self.name, job="dispatch"),
            self.ledger.leader(f"dispatch:{self.name}") as leading,
        ):
            if not leading:
                return DispatchReport()
            return self.dispatcher.dispatch_due(leadership=leading)

    # -- planning -----------------------------------------------------------------------------------
    def plan(self, started: datetime, report: CycleReport | None = None) -> CycleReport:
        """Re-plan every topic the sync touched and every topic a capability watches (a process's first
        cycle re-plans every known topic), then every capability that plans once per cycle."""
        report = report or CycleReport()
        since_text = self.ledger.get_cursor(self.name, PLANNED_THROUGH)
        since = (
            datetime.fromisoformat(since_text)
            if self._replanned_everything and since_text is not None
            else None
        )
        topic_ids = self.ledger.topic_ids_touched_since(self.name, since) | self._watched_topics()
        self.plan_topics(topic_ids, report)
        self.plan_cycle(report)
        self.ledger.set_cursor(self.name, PLANNED_THROUGH, started.isoformat())
        self._replanned_everything = True
        report.planned_topics = len(topic_ids)
        return report

    def plan_topics(self, topic_ids: Iterable[int], report: CycleReport | None = None) -> PlanOutcome:
        """Plan each topic with every topic capability, in registry order; a topic whose planning fails keeps
        its existing plan (the later capabilities depend on what the earlier ones shared)."""
        report = report or CycleReport()
        topic_ids = sorted(set(topic_ids))
        capabilities = self.topic_capabilities
        if not topic_ids or not capabilities:
            return report.planned
        now = self.clock.now()
        facts = self.facts.read(topic_ids)
        states = {c.name: self.state.load(c.name) for c in capabilities}
        for topic_id in topic_ids:
            plans = self._plan_topic(
                topic_id, facts.narrowed(topic_ids=(topic_id,)), capabilities, states, now
            )
            if plans is None:
                report.failed_plans.append(f"topic/{topic_id}")
                continue
            for capability, plan in plans:
                report.planned = report.planned + self._apply(capability, plan, states, topic_id)
        return report.planned

    def _plan_topic(
        self,
        topic_id: int,
        facts: Facts,
        capabilities: Sequence[Capability],
        states: Mapping[str, dict[str, Any]],
        now: datetime,
    ) -> list[tuple[Capability, Plan]] | None:
        plans: list[tuple[Capability, Plan]] = []
        shared: dict[str, tuple[Any, ...]] = {}
        for capability in capabilities:
            try:
                own = facts.narrowed(state=states[capability.name], shared=dict(shared))
                own = self.needs.read(capability.needs(own, now), own, now)
                plan = capability.plan(own, now)
            except ForumError as error:
                # What the plan needs could not be read: leave this topic as it is and try next cycle.
                log.warning(
                    "planning a topic deferred",
                    topic_id=topic_id,
                    capability=capability.name,
                    error=str(error),
                )
                return None
            except Exception:
                log.exception(
                    "planning a topic failed; its plan is left unchanged",
                    topic_id=topic_id,
                    capability=capability.name,
                )
                return None
            plans.append((capability, plan))
            for name, values in plan.shares.items():
                shared[name] = shared.get(name, ()) + tuple(values)
        return plans

    def plan_cycle(self, report: CycleReport | None = None) -> PlanOutcome:
        """Plan the capabilities that look at the whole forum once per cycle (digest, requests, Loomio)."""
        report = report or CycleReport()
        capabilities = self.cycle_capabilities
        if not capabilities:
            return report.planned
        now = self.clock.now()
        facts = self.facts.read()
        shared: dict[str, tuple[Any, ...]] = {}  # what each shares, for the ones after it (the digest)
        for capability in capabilities:
            state = self.state.load(capability.name)
            try:
                own = facts.narrowed(state=state, shared=dict(shared))
                own = self.needs.read(capability.needs(own, now), own, now)
                plan = capability.plan(own, now)
            except ForumError as error:
                log.warning("planning deferred", capability=capability.name, error=str(error))
                continue
            except Exception:
                log.exception("planning failed; its plan is left unchanged", capability=capability.name)
                report.failed_plans.append(capability.name)
                continue
            report.planned = report.planned + self._apply(capability, plan, {capability.name: state}, None)
            for name, values in plan.shares.items():
                shared[name] = shared.get(name, ()) + tuple(values)
        return report.planned

    def _apply(
        self, capability: Capability, plan: Plan, states: Mapping[str, dict[str, Any]], topic_id: int | None
    ) -> PlanOutcome:
        # A kind of post switched off is left out, and its pending actions are cancelled with their source.
        for note in plan.notes:
            log.warning("planning dropped something", capability=capability.name, note=note)
        actions = tuple(a for a in plan.actions if kind_switched_on(self.settings, capability, a.kind))
        outcome = self.ledger.apply_plan(self.name, plan.sources, actions)
        if plan.state:
            self.state.save(capability.name, plan.state)
            state = states[capability.name]
            for key, value in plan.state.items():
                if value is None:
                    state.pop(key, None)
                else:
                    state[key] = value
        if topic_id is not None:
            watched = self._watched.setdefault(capability.name, set())
            if topic_id in plan.watch:
                watched.add(topic_id)
            else:
                watched.discard(topic_id)
        return outcome

    def _watched_topics(self) -> set[int]:
        return set().union(*self._watched.values()) if self._watched else set()

    def watched_topic_ids(self) -> list[int]:
        """Topics worth re-reading for edits and votes: those with pending actions or watched by a
        capability — at most ``watched_topics_per_cycle`` of them, taking turns, so a forum with hundreds of
        open polls and events never makes one sync long."""
        ids = self._watched_topics()
        for row in self.ledger.actions(forum=self.name, statuses=[Status.PENDING]):
            if row.target.startswith("topic/"):
                ids.add(int(row.target.split("/", 1)[1]))
        ordered = sorted(ids)
        cap = self.settings.watched_topics_per_cycle
        if len(ordered) <= cap:
            return ordered
        start = next((i for i, topic_id in enumerate(ordered) if topic_id > self._last_watched), 0)
        chosen = (ordered[start:] + ordered[:start])[:cap]
        self._last_watched = chosen[-1]
        log.info("watched topics re-read in turns", watched=len(ordered), this_cycle=cap)
        return sorted(chosen)
