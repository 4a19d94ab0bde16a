"""Dispatch is exactly-once: due actions are posted once, crashes are recovered, errors don't stop the batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cotechbot.clock import FixedClock
from cotechbot.dispatch import Dispatcher
from cotechbot.errors import ForumRejected, ForumUnavailable
from cotechbot.ledger import FAILED, PENDING, SENT, SKIPPED, Action, Ledger
from cotechbot.messages import key_marker
from cotechbot.models import CreatedPost

T0 = datetime(2024, 7, 2, 13, 50, tzinfo=UTC)


class SimulatedCrash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the dispatcher catches it."""


class RecordingForum:
    """A forum double that keeps replies in memory and can fail or 'crash' on demand."""

    name = "cotech"

    def __init__(self) -> None:
        self.replies: list[tuple[int, str]] = []
        self.fail_with: list[BaseException] = []
        self.crash_after_posting = False

    def create_reply(self, topic_id: int, raw: str) -> CreatedPost:
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.replies.append((topic_id, raw))
        if self.crash_after_posting:
            self.crash_after_posting = False
            raise SimulatedCrash()
        return CreatedPost(id=1000 + len(self.replies), topic_id=topic_id, post_number=len(self.replies) + 1)

    def find_own_post(self, topic_id: int, marker: str) -> int | None:
        for index, (tid, raw) in enumerate(self.replies):
            if tid == topic_id and marker in raw:
                return 1001 + index
        return None


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def ledger(tmp_path, clock) -> Ledger:
    return Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)


def reply_action(key: str, due: datetime = T0, expires: datetime | None = None, topic_id: int = 7) -> Action:
    return Action(
        key=key,
        kind="event_reminder",
        forum="cotech",
        source=f"topic/{topic_id}",
        target=f"topic/{topic_id}",
        due_at=due,
        expires_at=expires,
        payload={"op": "reply", "topic_id": topic_id, "raw": f"Reminder\n\n{key_marker(key)}"},
    )


def test_due_actions_are_posted_once_across_many_dispatches(ledger, clock) -> None:
    """Dispatching ten times posts each due action exactly once and records the post it made."""
    forum = RecordingForum()
    ledger.apply_plan(
        "cotech", ["topic/7"], [reply_action("a"), reply_action("b", due=T0 + timedelta(hours=1))]
    )
    dispatcher = Dispatcher(ledger, forum, clock, worker_id="w1")
    for _ in range(10):
        dispatcher.dispatch_due()
    assert [raw.splitlines()[-1] for _, raw in forum.replies] == [key_marker("a")]
    assert (ledger.action("a").status, ledger.action("a").post_ref) == (SENT, "post/1001")
    clock.advance(timedelta(hours=1))
    dispatcher.dispatch_due()
    assert len(forum.replies) == 2


def test_a_crash_after_posting_is_recovered_without_a_second_post(ledger, clock) -> None:
    """If the worker dies between posting and marking sent, the next dispatcher finds the post instead."""
    forum = RecordingForum()
    forum.crash_after_posting = True
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])
    with pytest.raises(SimulatedCrash):
        Dispatcher(ledger, forum, clock, worker_id="dies").dispatch_due()
    report = Dispatcher(ledger, forum, clock, worker_id="restarted").dispatch_due()
    assert report.recovered == ["a"]
    assert len(forum.replies) == 1
    assert ledger.action("a").status == SENT


def test_a_crash_before_posting_posts_on_restart(ledger, clock) -> None:
    """If the worker dies after claiming but before posting, the restarted dispatcher posts it once."""
    forum = RecordingForum()
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])

    def die(_row):
        raise SimulatedCrash()

    with pytest.raises(SimulatedCrash):
        Dispatcher(ledger, forum, clock, worker_id="dies", before_post=die).dispatch_due()
    Dispatcher(ledger, forum, clock, worker_id="restarted").dispatch_due()
    assert len(forum.replies) == 1 and ledger.action("a").attempts == 2


def test_an_expired_action_is_skipped_not_posted_late(ledger, clock) -> None:
    """An action found after its expiry is marked skipped with the reason, and nothing is posted."""
    forum = RecordingForum()
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a", expires=T0 + timedelta(minutes=5))])
    clock.advance(timedelta(minutes=6))
    report = Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due()
    assert report.skipped == ["a"] and forum.replies == []
    assert ledger.action("a").status == SKIPPED and "not posted late" in ledger.action("a").last_error


def test_a_transient_error_backs_off_then_succeeds(ledger, clock) -> None:
    """A 5xx puts the action back to pending until a back-off passes; the retry posts it once."""
    forum = RecordingForum()
    forum.fail_with = [ForumUnavailable("HTTP 502 from the forum", status=502)]
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])
    dispatcher = Dispatcher(ledger, forum, clock, worker_id="w1")
    assert dispatcher.dispatch_due().retrying == ["a"]
    assert ledger.action("a").status == PENDING
    assert dispatcher.dispatch_due().sent == []  # still backing off
    assert ledger.next_due_at() == T0 + timedelta(seconds=30)
    clock.advance(timedelta(seconds=30))
    assert dispatcher.dispatch_due().sent == ["a"]
    assert len(forum.replies) == 1


def test_a_refused_action_fails_and_the_batch_goes_on(ledger, clock) -> None:
    """A 4xx refusal fails that action with the forum's reason; the next action is still posted."""
    forum = RecordingForum()
    forum.fail_with = [ForumRejected("Body is too short", status=422, errors=["Body is too short"])]
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a"), reply_action("b")])
    report = Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due()
    assert (report.failed, report.sent) == (["a"], ["b"])
    assert ledger.action("a").status == FAILED and "too short" in ledger.action("a").last_error


def test_dry_run_posts_nothing_and_leaves_the_outbox_pending(ledger, clock) -> None:
    """In a dry run due actions are only logged: nothing is posted and nothing changes state."""
    forum = RecordingForum()
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])
    Dispatcher(ledger, forum, clock, worker_id="w1", dry_run=True).dispatch_due()
    assert forum.replies == [] and ledger.action("a").status == PENDING and ledger.action("a").attempts == 0


def test_every_send_is_audited(ledger, clock) -> None:
    """Each sent action leaves an audit row with its key and post."""
    forum = RecordingForum()
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])
    Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due()
    [entry] = ledger.audit_log(event="action_sent")
    assert entry["action_key"] == "a" and entry["detail"]["post_ref"] == "post/1001"
