"""The worker's side of the digest: capabilities planned once per cycle see what the ones before them shared,
so the digest lists the decision log's decisions and the membership capability's pending requests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from cotechbot.capabilities.base import (
    SHARED_DECISIONS,
    SHARED_MEMBERSHIP_PENDING,
    Facts,
    Need,
    Plan,
    Trigger,
)
from cotechbot.capabilities.digest import DigestRules
from cotechbot.capabilities.digest.capability import DigestCapability
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from cotechbot.messages import render
from cotechbot.models import Decision
from cotechbot.settings import Settings
from cotechbot.worker import Worker

NOW = datetime(2024, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))


class Sharing:
    """A stand-in for the decision log and the membership capability: plans nothing, shares facts."""

    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.LOOMIO})

    def __init__(self, name: str, shares: dict) -> None:
        self.name = name
        self.shares = shares
        self.seen: dict = {}

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        return ()

    def plan(self, facts: Facts, now: datetime) -> Plan:
        self.seen = dict(facts.shared)
        return Plan(shares=self.shares)

    def describe(self, facts: Facts, now: datetime) -> str:
        return self.name


class NoSync:
    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> object:
        return None


def test_the_digest_lists_what_earlier_cycle_capabilities_shared(tmp_path) -> None:
    clock = FixedClock(NOW)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)
    decision = Decision(
        id="loomio:poll/1",
        source="loomio",
        url="https://www.loomio.com/p/1",
        title="Adopt the new logo",
        decided_at=NOW - timedelta(days=2),
    )
    decisions = Sharing("decisions", {SHARED_DECISIONS: (decision,)})
    membership = Sharing("membership", {SHARED_MEMBERSHIP_PENDING: (("cotech-members", 2),)})
    digest = DigestCapability(DigestRules(category_id=7), render)
    settings = Settings(forum_name="cotech", discourse_api_username="cotechbot")
    worker = Worker(
        settings,
        object(),
        ledger,
        clock,
        NoSync(),
        capabilities=[decisions, membership, digest],
        worker_id="t",
    )
    worker.plan(NOW)
    [row] = ledger.actions(kind="digest")
    raw = row.payload["raw"]
    assert "Decided: [Adopt the new logo](https://www.loomio.com/p/1)" in raw
    assert "- cotech-members: 2 requests waiting" in raw
    assert SHARED_DECISIONS in membership.seen and decisions.seen == {}
