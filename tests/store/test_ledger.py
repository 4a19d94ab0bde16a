"""The ledger behaves the same on SQLite and PostgreSQL: migrations, UTC, outbox keys, claims, audit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from cotechbot.clock import FixedClock
from cotechbot.errors import DuplicateActionError, LedgerError
from cotechbot.ledger import CANCELLED, CLAIMED, PENDING, SENT, Action, Ledger
from cotechbot.models import Post
from tests.store.test_schema_drift import newest_revision

T0 = datetime(2024, 7, 1, 14, 0, tzinfo=UTC)


def reminder(
    key: str = "reminder:topic/1:2024-07-02T14:00Z:-1d",
    due: datetime = T0,
    source: str = "topic/1",
    **payload,
) -> Action:
    return Action(
        key=key,
        kind="event_reminder",
        forum="cotech",
        source=source,
        target=source,
        due_at=due,
        payload={"op": "reply", "topic_id": 1, "raw": "The call is tomorrow", **payload},
    )


def post(post_id: int, raw: str = "hello", topic_id: int = 1, version: int = 1) -> Post:
    return Post(
        id=post_id,
        topic_id=topic_id,
        post_number=post_id,
        raw=raw,
        version=version,
        created_at=datetime(2024, 6, 24, 11, 0, tzinfo=UTC),
    )


def test_migrations_apply_to_an_empty_database(ledger: Ledger) -> None:
    """A new database ends at the newest schema version with every table in place."""
    assert ledger.schema_version() == newest_revision()
    assert ledger.actions() == []
    assert ledger.get_cursor("cotech", "max_post_id") is None


def test_migrating_twice_is_harmless(database_url: str, clock: FixedClock) -> None:
    """Starting the bot again on a migrated database changes nothing and loses nothing."""
    first = Ledger(database_url, clock)
    first.add_action(reminder())
    first.dispose()
    second = Ledger(database_url, clock)
    assert [row.key for row in second.actions()] == [reminder().key]
    second.dispose()


def test_outbox_refuses_a_second_action_with_the_same_key(ledger: Ledger) -> None:
    """Adding an action whose key is already present raises, and the outbox keeps one row."""
    ledger.add_action(reminder())
    with pytest.raises(DuplicateActionError):
        ledger.add_action(reminder(raw="different text, same key"))
    assert len(ledger.actions()) == 1


def test_times_come_back_as_utc_whatever_zone_went_in(ledger: Ledger) -> None:
    """An aware time in BST is stored and read back as the same instant in UTC."""
    bst = timezone(timedelta(hours=1))
    ledger.add_action(reminder(due=datetime(2024, 7, 2, 14, 50, tzinfo=bst)))
    row = ledger.actions()[0]
    assert row.due_at == datetime(2024, 7, 2, 13, 50, tzinfo=UTC)
    assert row.due_at.tzinfo == UTC


def test_naive_datetimes_are_rejected(ledger: Ledger) -> None:
    """A naive datetime never reaches the database: it is refused with a clear error."""
    with pytest.raises(ValueError, match="naive"):
        reminder(due=datetime(2024, 7, 2, 14, 50))
    with pytest.raises(LedgerError, match="naive"):
        ledger.claim_due("worker", datetime(2024, 7, 2))


def test_apply_plan_is_idempotent_and_moves_edited_times(ledger: Ledger) -> None:
    """Planning the same actions twice inserts once; a changed plan cancels what it dropped."""
    first = ledger.apply_plan(
        "cotech", ["topic/1"], [reminder("a"), reminder("b", due=T0 + timedelta(hours=1))]
    )
    again = ledger.apply_plan(
        "cotech", ["topic/1"], [reminder("a"), reminder("b", due=T0 + timedelta(hours=1))]
    )
    assert (first.inserted, again.inserted, again.unchanged) == (2, 0, 2)
    moved = ledger.apply_plan(
        "cotech", ["topic/1"], [reminder("a", due=T0 + timedelta(minutes=5)), reminder("c")]
    )
    assert (moved.updated, moved.inserted, moved.cancelled) == (1, 1, 1)
    statuses = {row.key: row.status for row in ledger.actions()}
    assert statuses == {"a": PENDING, "b": CANCELLED, "c": PENDING}
    assert ledger.action("a").due_at == T0 + timedelta(minutes=5)


def test_sent_actions_are_never_replanned(ledger: Ledger) -> None:
    """Once sent, an action's row is final: a new plan neither re-sends nor cancels it."""
    ledger.apply_plan("cotech", ["topic/1"], [reminder("a")])
    [claimed] = ledger.claim_due("w1", T0)
    ledger.finish(claimed.key, SENT, post_ref="post/99")
    ledger.apply_plan("cotech", ["topic/1"], [reminder("a", due=T0 + timedelta(days=1))])
    ledger.apply_plan("cotech", ["topic/1"], [])
    row = ledger.action("a")
    assert (row.status, row.due_at, row.post_ref) == (SENT, T0, "post/99")
    assert ledger.claim_due("w1", T0 + timedelta(days=2)) == []


def test_claim_takes_only_due_actions_once(ledger: Ledger) -> None:
    """An action is claimable from its due time, and a claim moves it out of reach of a second claim."""
    ledger.apply_plan("cotech", ["topic/1"], [reminder("a"), reminder("late", due=T0 + timedelta(hours=2))])
    assert ledger.claim_due("w1", T0 - timedelta(seconds=1)) == []
    [claimed] = ledger.claim_due("w1", T0)
    assert (claimed.key, claimed.status, claimed.attempts) == ("a", CLAIMED, 1)
    # A claimed, unfinished row is due again when its claim's lease ends (at once on SQLite).
    assert ledger.next_due_at() == T0 + ledger.claim_lease
    ledger.finish("a", SENT, post_ref="post/1")
    assert ledger.next_due_at() == T0 + timedelta(hours=2)


def test_concurrent_claims_never_share_an_action(ledger: Ledger) -> None:
    """Eight threads claiming at once from 40 due actions take each action exactly once between them, while
    a claim's lease runs. (SQLite's default lease is zero — one dispatcher at a time holds the dispatch lock,
    and a crashed claim is retried at once — so the lease is set here: without the lock, a zero lease lets a
    claim made at the same instant be taken again, which is what the lease is for.)"""
    ledger.claim_lease = timedelta(minutes=5)
    ledger.apply_plan("cotech", ["topic/1"], [reminder(f"k{i}") for i in range(40)])
    taken: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker(name: str) -> None:
        barrier.wait()
        for row in ledger.claim_due(name, T0, limit=40):
            ledger.finish(row.key, SENT, post_ref=name)
            with lock:
                taken.append(row.key)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(f"k{i}" for i in range(40))


def test_every_finish_is_audited(ledger: Ledger) -> None:
    """Sending an action appends an audit row naming its key and the post it made."""
    ledger.apply_plan("cotech", ["topic/1"], [reminder("a")])
    ledger.claim_due("w1", T0)
    ledger.finish("a", SENT, post_ref="post/42")
    [entry] = ledger.audit_log(event="action_sent")
    assert (entry["action_key"], entry["detail"]["post_ref"], entry["at"]) == (
        "a",
        "post/42",
        ledger.clock.now(),
    )


def test_record_sync_reports_new_changed_and_deleted_posts(ledger: Ledger) -> None:
    """The mirror tells new posts from edited ones and keeps cursors in the same transaction."""
    first = ledger.record_sync("cotech", posts=[post(1), post(2)], cursors={"max_post_id": "2"})
    second = ledger.record_sync(
        "cotech",
        posts=[post(2, raw="edited", version=2), post(3)],
        cursors={"max_post_id": "3"},
        deleted_post_ids=[1],
    )
    assert (first.new_post_ids, second.new_post_ids, second.changed_post_ids) == ([1, 2], [3], [2])
    assert second.deleted_post_ids == [1]
    assert ledger.get_cursor("cotech", "max_post_id") == "3"
    assert [p.id for p in ledger.mirrored_posts("cotech")] == [2, 3]
    assert ledger.mirrored_posts("cotech", topic_ids=[1])[0].raw == "edited"


def test_a_failed_sync_batch_leaves_cursor_and_mirror_untouched(ledger: Ledger) -> None:
    """If storing a batch fails, neither its posts nor its cursor move: nothing is half-recorded."""
    ledger.record_sync("cotech", posts=[post(1)], cursors={"max_post_id": "1"})

    class Exploding(Post):
        def model_dump(self, **kwargs):
            raise RuntimeError("disk full")

    broken = Exploding(id=3, topic_id=1, post_number=3, created_at=T0)
    with pytest.raises(RuntimeError):
        ledger.record_sync("cotech", posts=[post(2), broken], cursors={"max_post_id": "3"})
    assert ledger.get_cursor("cotech", "max_post_id") == "1"
    assert [p.id for p in ledger.mirrored_posts("cotech")] == [1]


def test_only_one_process_leads_at_a_time(database_url: str, clock: FixedClock) -> None:
    """While one ledger holds the leader lock, a second ledger on the same database is refused it."""
    if database_url.startswith("sqlite") and ":memory:" in database_url:
        pytest.skip("an in-memory SQLite database is private to one process")
    first, second = Ledger(database_url, clock), Ledger(database_url, clock)
    with first.leader() as held:
        assert held
        with second.leader() as also_held:
            assert not also_held
    with second.leader() as held_after_release:
        assert held_after_release
    first.dispose()
    second.dispose()


def test_record_sync_sorts_a_batch_of_500_into_new_changed_and_unchanged(ledger: Ledger) -> None:
    """A 500-post batch mixing new, edited, undeleted and unchanged posts gets the right delta, in input order."""
    import random

    ledger.record_sync("cotech", posts=[post(i, topic_id=i) for i in range(1, 401)])
    ledger.record_sync("cotech", deleted_post_ids=range(391, 401))
    ledger.clock.advance(timedelta(minutes=1))
    since = ledger.clock.now()
    order = list(range(1, 501))
    random.Random(5).shuffle(order)
    edited = {i for i in range(1, 391) if i % 3 == 0}
    batch = [
        post(i, topic_id=i, raw="edited", version=2) if i in edited else post(i, topic_id=i) for i in order
    ]
    delta = ledger.record_sync("cotech", posts=batch, cursors={"max_post_id": "500"})
    reappeared = set(
        range(391, 401)
    )  # marked deleted, now seen again unchanged: stored as changed (undeleted)
    assert delta.new_post_ids == [i for i in order if i > 400]
    assert delta.changed_post_ids == [i for i in order if i in edited | reappeared]
    assert delta.deleted_post_ids == []
    assert ledger.get_cursor("cotech", "max_post_id") == "500"
    stored = {p.id: p for p in ledger.mirrored_posts("cotech")}
    assert set(stored) == set(range(1, 501))
    assert {i for i, p in stored.items() if p.raw == "edited"} == edited
    # unchanged rows were not rewritten: only new and changed posts count as touched since the batch
    assert ledger.topic_ids_touched_since("cotech", since) == edited | reappeared | set(range(401, 501))
    again = ledger.record_sync("cotech", posts=batch)
    assert (again.new_post_ids, again.changed_post_ids) == ([], [])


def test_record_sync_handles_a_post_given_twice_in_one_batch(ledger: Ledger) -> None:
    """The same post twice in one batch counts as new then changed, and the later copy is what is stored."""
    delta = ledger.record_sync("cotech", posts=[post(7), post(7, raw="second", version=2), post(8), post(8)])
    assert (delta.new_post_ids, delta.changed_post_ids) == ([7, 8], [7])
    assert {p.id: p.raw for p in ledger.mirrored_posts("cotech")} == {7: "second", 8: "hello"}
    gone = ledger.record_sync("cotech", deleted_post_ids=[8, 8, 9])
    assert gone.deleted_post_ids == [8]
