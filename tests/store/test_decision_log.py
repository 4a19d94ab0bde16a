"""The decision log's tables on SQLite and PostgreSQL: revisions kept, a second writer harmless, Loomio
snapshots round-trip with aware UTC times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cotechbot.capabilities.decisions import LogEntry
from cotechbot.decision_log import DecisionLogStore
from cotechbot.ledger import Ledger
from cotechbot.loomio_models import LoomioOutcome, LoomioPoll

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def entry(**changes) -> LogEntry:
    values = dict(
        decision_id="loomio:poll/aB3dE5gH",
        source="loomio",
        url="https://loomio.example/p/aB3dE5gH",
        title="Adopt the charter",
        decision="closed, awaiting outcome.",
        status="awaiting_outcome",
        tags=("proposal",),
        decided_at=NOW - timedelta(hours=2),
    )
    values.update(changes)
    return LogEntry(**values)


def test_every_revision_is_kept_and_a_repeated_write_changes_nothing(ledger: Ledger) -> None:
    """Revision 1 then 2 are both recorded; writing revision 2 again (a second replica) adds nothing."""
    store = DecisionLogStore(ledger, "cotech")
    first = entry()
    second = replace(first, decision="Adopted.", status="decided", revision=2)
    store.write([first], NOW)
    store.write([second], NOW + timedelta(minutes=5))
    store.write([second], NOW + timedelta(minutes=10))
    assert store.entries() == {first.decision_id: second}
    assert [(r["revision"], r["status"]) for r in store.revisions(first.decision_id)] == [
        (1, "awaiting_outcome"),
        (2, "decided"),
    ]
    assert store.entries()[first.decision_id].decided_at == NOW - timedelta(hours=2)
    assert DecisionLogStore(ledger, "another-forum").entries() == {}


def test_loomio_snapshots_round_trip(ledger: Ledger) -> None:
    store = DecisionLogStore(ledger, "cotech")
    poll = LoomioPoll(
        id=301,
        key="aB3dE5gH",
        created_at=NOW - timedelta(days=3),
        closing_at=NOW,
        closed_at=NOW + timedelta(minutes=50),
        outcome=LoomioOutcome(id=9, poll_id=301, statement="Adopted."),
        url="https://loomio.example/p/aB3dE5gH",
    )
    store.save_loomio_polls([poll], NOW)
    store.save_loomio_polls([poll.model_copy(update={"title": "Renamed"})], NOW + timedelta(hours=1))
    (read,) = store.loomio_polls()
    assert read.title == "Renamed" and read.outcome == poll.outcome and read.closed_at == poll.closed_at
