"""Issue 9 item 8: dispatch never waits behind a sync, and one cycle re-reads a bounded number of topics."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import timedelta

from cotechbot.actions import Action, Reply, Status
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from cotechbot.models import CreatedPost
from cotechbot.settings import Settings
from cotechbot.worker import Worker
from tests.unit.test_worker import FORUM, T0, RemindMe

SYNC_TAKES = timedelta(minutes=8, seconds=30)  # 430 watched topics at 50 requests a minute


class LongSync:
    """A sync that takes 8.5 minutes of the settable clock; it pauses half-way until the test lets it on."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.half_way = threading.Event()
        self.go_on = threading.Event()

    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> object:
        self.clock.advance(SYNC_TAKES / 2)
        self.half_way.set()
        assert self.go_on.wait(timeout=60), "the test never let the sync finish"
        self.clock.advance(SYNC_TAKES / 2)
        return None


class ClockedForum:
    """Records each reply with the clock's reading when it was posted."""

    name = FORUM

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.posted: list[tuple[str, object]] = []

    def create_reply(self, topic_id: int, raw: str) -> CreatedPost:
        self.posted.append((raw, self.clock.now()))
        return CreatedPost(id=900 + len(self.posted), topic_id=topic_id, post_number=2)

    def find_own_post(self, topic_id: int, marker: str) -> int | None:
        return None


def test_a_reminder_due_during_a_long_sync_is_posted_within_five_seconds(tmp_path) -> None:
    """The cycle's sync holds its lock for 8.5 minutes; the dispatch job, run at the reminder's due time
    (as the scheduler arms it), posts it then instead of waiting for the sync to end."""
    clock = FixedClock(T0)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)
    due = T0 + timedelta(minutes=2)
    ledger.add_action(
        Action(
            key="reminder:topic/5:-10m",
            kind="event_reminder",
            forum=FORUM,
            source="topic/5",
            target="topic/5",
            due_at=due,
            expires_at=due + timedelta(minutes=10),
            operation=Reply(topic_id=5, raw="Starts in 10 minutes"),
        )
    )
    forum, sync = ClockedForum(clock), LongSync(clock)
    settings = Settings(forum_name=FORUM, discourse_api_username="cotechbot")
    worker = Worker(settings, forum, ledger, clock, sync, capabilities=[RemindMe()], worker_id="w1")
    cycle = threading.Thread(target=worker.cycle)
    cycle.start()
    try:
        assert sync.half_way.wait(timeout=60)
        assert clock.now() > due  # the sync is still running, and the reminder is due
        clock.set(due + timedelta(seconds=1))  # the dispatch job fires at the due time (+ its 1 s re-arm)
        report = worker.dispatch()
    finally:
        sync.go_on.set()
        cycle.join(timeout=60)
    assert report.sent == ["reminder:topic/5:-10m"]
    [(_, posted_at)] = forum.posted
    assert posted_at - due <= timedelta(seconds=5)
    assert ledger.action("reminder:topic/5:-10m").status == Status.SENT


def test_watched_topics_are_re_read_in_turns_up_to_the_cap(tmp_path) -> None:
    """150 topics with pending reminders and a cap of 60: each cycle asks for 60, and three cycles cover all."""
    clock = FixedClock(T0)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)
    ledger.apply_plan(
        FORUM,
        [],
        [
            Action(
                key=f"r{topic_id}",
                kind="event_reminder",
                forum=FORUM,
                source=f"topic/{topic_id}",
                target=f"topic/{topic_id}",
                due_at=T0 + timedelta(days=1),
                operation=Reply(topic_id=topic_id, raw="soon"),
            )
            for topic_id in range(1, 151)
        ],
    )
    settings = Settings(forum_name=FORUM, discourse_api_username="cotechbot", watched_topics_per_cycle=60)
    worker = Worker(
        settings, ClockedForum(clock), ledger, clock, LongSync(clock), capabilities=[], worker_id="w"
    )
    turns = [worker.watched_topic_ids() for _ in range(3)]
    assert [len(turn) for turn in turns] == [60, 60, 60]
    assert set().union(*turns) == set(range(1, 151))
