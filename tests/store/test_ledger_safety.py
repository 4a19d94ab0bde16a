"""Issue 9 at the ledger: a cancelled reminder comes back, claims have a lease, locks are re-checked, each
forum only sees its own outbox, and a vanished SQLite file stops the bot (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from cotechbot.actions import Action, Reply, Status
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger, LedgerLost
from cotechbot.ledger.lock import schema_lock_key
from tests.store.conftest import postgres_schema_url

T0 = datetime(2024, 7, 1, 14, 0, tzinfo=UTC)


def call_reminder(hour: int, forum: str = "cotech", topic_id: int = 1) -> Action:
    """The day-before reminder of a call in topic ``topic_id`` at ``hour``:00 tomorrow (key names the time)."""
    source = f"topic/{topic_id}"
    return Action(
        key=f"reminder:{forum}:{source}:2024-07-02T{hour:02d}:00Z:-1d",
        kind="event_reminder",
        forum=forum,
        source=source,
        target=source,
        due_at=datetime(2024, 7, 1, hour, 0, tzinfo=UTC),
        operation=Reply(topic_id=topic_id, raw=f"The call is tomorrow at {hour}:00"),
    )


# -- item 5: a cancelled reminder comes back ---------------------------------------------------------------


def test_a_time_edited_away_and_back_revives_its_cancelled_reminder(ledger: Ledger) -> None:
    """3pm → 4pm → 3pm: the 3pm reminder is pending again (not cancelled for ever), the 4pm one cancelled,
    and the audit log keeps the whole history of the 3pm row."""
    three, four = call_reminder(15), call_reminder(16)
    ledger.apply_plan("cotech", ["topic/1"], [three])
    ledger.apply_plan("cotech", ["topic/1"], [four])
    outcome = ledger.apply_plan("cotech", ["topic/1"], [three])
    assert outcome.revived == 1 and outcome.cancelled == 1
    statuses = {row.key: row.status for row in ledger.actions(forum="cotech")}
    assert statuses == {three.key: Status.PENDING, four.key: Status.CANCELLED}
    history = [
        entry["event"] for entry in ledger.audit_log(forum="cotech") if entry["action_key"] == three.key
    ]
    assert history == ["action_cancelled", "action_revived"]
    [claimed] = ledger.claim_due("w1", three.due_at, forum="cotech")
    assert claimed.key == three.key and claimed.attempts == 1


def test_a_sent_reminder_is_never_revived(ledger: Ledger) -> None:
    three = call_reminder(15)
    ledger.apply_plan("cotech", ["topic/1"], [three])
    ledger.claim_due("w1", three.due_at)
    ledger.finish(three.key, Status.SENT, post_ref="post/9")
    assert ledger.apply_plan("cotech", ["topic/1"], [three]).revived == 0
    assert ledger.action(three.key).status == Status.SENT


# -- item 11: a claim has a lease; finish says whether it was ours ------------------------------------------


def test_a_claimed_row_is_taken_again_only_after_its_lease(database_url: str, clock: FixedClock) -> None:
    """A second dispatcher can't take a row the first still holds; after the lease it can, and the first
    one's late finish then changes nothing and says so."""
    ledger = Ledger(database_url, clock, claim_lease=timedelta(minutes=5))
    reminder = call_reminder(15)
    ledger.apply_plan("cotech", ["topic/1"], [reminder])
    assert [row.key for row in ledger.claim_due("first", reminder.due_at)] == [reminder.key]
    assert ledger.claim_due("second", reminder.due_at + timedelta(minutes=4)) == []
    assert ledger.next_due_at("cotech") == reminder.due_at + timedelta(minutes=5)
    [again] = ledger.claim_due("second", reminder.due_at + timedelta(minutes=5))
    assert (again.claimed_by, again.attempts) == ("second", 2)
    assert ledger.confirm_claim(reminder.key, "first") is False
    assert ledger.finish(reminder.key, Status.SENT, post_ref="post/1", claimed_by="first") is False
    assert ledger.action(reminder.key).status == Status.CLAIMED
    assert ledger.confirm_claim(reminder.key, "second") is True
    assert ledger.finish(reminder.key, Status.SENT, post_ref="post/1", claimed_by="second") is True
    ledger.dispose()


def test_postgresql_claims_have_a_lease_by_default(ledger: Ledger) -> None:
    """On PostgreSQL the lock can die with its connection while the holder still posts: claims outlive it."""
    if ledger.dialect == "postgresql":
        assert ledger.claim_lease >= timedelta(minutes=1)
    else:
        assert ledger.claim_lease == timedelta(0)  # flock dies only with the process


@pytest.mark.postgres
def test_a_postgresql_leader_notices_its_lock_died_with_its_connection(
    database_url: str, clock: FixedClock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's")
    ledger = Ledger(database_url, clock)
    name = f"dispatch:{uuid.uuid4().hex}"  # a lock no other test run on this server holds
    with ledger.leader(name) as leading:
        assert leading and leading.still_held()
        with ledger.engine.connect() as other:
            key = schema_lock_key(other, name)
            # End the lock's own session, as a network cut or a server restart would.
            other.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k"
                ),
                {"k": key},
            )
            other.commit()
        assert not leading.still_held()
        with ledger.leader(name) as successor:
            assert successor  # the server dropped the dead session's lock
    ledger.dispose()


# -- item 12: each forum sees only its own outbox -----------------------------------------------------------


def test_claims_and_due_times_are_scoped_to_one_forum(ledger: Ledger) -> None:
    ours, theirs = call_reminder(15), call_reminder(12, forum="other", topic_id=2)
    ledger.apply_plan("cotech", ["topic/1"], [ours])
    ledger.apply_plan("other", ["topic/2"], [theirs])
    assert ledger.next_due_at("cotech") == ours.due_at
    assert ledger.next_due_at("other") == theirs.due_at
    assert [row.key for row in ledger.claim_due("w1", ours.due_at, forum="cotech")] == [ours.key]
    assert ledger.action(theirs.key).status == Status.PENDING


# -- item 9: a vanished SQLite file stops the bot -----------------------------------------------------------


def test_a_deleted_sqlite_file_fails_loudly_instead_of_starting_empty(tmp_path, clock: FixedClock) -> None:
    path = tmp_path / "ledger.db"
    ledger = Ledger(f"sqlite:///{path}", clock)
    ledger.apply_plan("cotech", ["topic/1"], [call_reminder(15)])
    with ledger.leader("dispatch:cotech") as leading:
        assert leading.still_held()
        for name in os.listdir(tmp_path):
            if name.startswith("ledger.db") and not name.endswith(".lock"):
                os.remove(tmp_path / name)
        with pytest.raises(LedgerLost, match="disappeared"):
            leading.still_held()
    with pytest.raises(LedgerLost, match="disappeared"), ledger.leader("sync:cotech"):
        pass
    ledger.dispose()


@pytest.mark.postgres
def test_ledgers_in_different_schemas_of_one_database_never_wait_for_each_others_locks() -> None:
    """Advisory locks are database-wide: a bot (or a test run) in another schema must not make us stand by."""
    first_url = next(schemas := postgres_schema_url())
    second_url = next(others := postgres_schema_url())
    clock = FixedClock(datetime(2024, 6, 24, 11, 0, tzinfo=UTC))
    first, second = Ledger(first_url, clock), Ledger(second_url, clock)
    try:
        with first.leader("sync:cotech") as ours, second.leader("sync:cotech") as theirs:
            assert ours and theirs
        with first.leader("sync:cotech") as leading, first.leader("sync:cotech") as rival:
            assert leading and not rival  # within one schema the lock still excludes
    finally:
        first.dispose()
        second.dispose()
        for generator in (schemas, others):
            generator.close()
