"""The worker drives any capability through the seam: it never names one, and a failure stays local.

A fake capability (one reply per topic whose first post says "remind me") is planned by the real worker
over a real SQLite ledger; the forum and the sync are stand-ins, since only the worker's loop is on trial.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest

from cotechbot.actions import Action, Reply, Status
from cotechbot.capabilities.base import Facts, Need, Plan, Trigger
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from cotechbot.models import Post, Topic
from cotechbot.settings import Settings
from cotechbot.worker import Worker

T0 = datetime(2024, 7, 1, 9, 0, tzinfo=UTC)
FORUM = "cotech"


class RemindMe:
    """Plans one reply a day ahead for every topic whose posts say "remind me"; "explode" makes it raise."""

    name: ClassVar[str] = "remind_me"
    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.TOPICS})

    def __init__(self) -> None:
        self.planned_topics: list[int] = []

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        return ()

    def plan(self, facts: Facts, now: datetime) -> Plan:
        (topic_id,) = facts.topic_ids
        self.planned_topics.append(topic_id)
        texts = [post.raw or "" for post in facts.posts.get(topic_id, ())]
        if any("explode" in text for text in texts):
            raise RuntimeError("a bug in the capability")
        source = f"topic/{topic_id}"
        actions = tuple(
            Action(
                key=f"remind_me:{FORUM}:{topic_id}",
                kind="remind_me",
                forum=FORUM,
                source=source,
                target=source,
                due_at=now + timedelta(days=1),
                operation=Reply(topic_id=topic_id, raw="A reminder"),
            )
            for text in texts
            if "remind me" in text
        )
        watch = frozenset({topic_id}) if any("watch" in text for text in texts) else frozenset()
        return Plan(actions=actions, replaces=frozenset({source}), watch=watch)

    def describe(self, facts: Facts, now: datetime) -> str:
        return "remind me"


class RecordingSyncer:
    def __init__(self) -> None:
        self.watched: list[list[int]] = []

    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> object:
        self.watched.append(sorted(watched_topic_ids))
        return None


class SilentForum:
    name = FORUM

    def create_reply(self, topic_id: int, raw: str) -> None:
        raise AssertionError("nothing is due in these tests")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def ledger(tmp_path, clock) -> Ledger:
    return Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)


@pytest.fixture
def capability() -> RemindMe:
    return RemindMe()


@pytest.fixture
def syncer() -> RecordingSyncer:
    return RecordingSyncer()


@pytest.fixture
def worker(ledger, clock, capability, syncer) -> Worker:
    settings = Settings(forum_name=FORUM, discourse_api_username="cotechbot")
    return Worker(settings, SilentForum(), ledger, clock, syncer, capabilities=[capability], worker_id="test")


def store_topic(ledger: Ledger, clock: FixedClock, topic_id: int, text: str, username: str = "alice") -> None:
    ledger.record_sync(
        FORUM,
        topics=[Topic(id=topic_id, title=f"Topic {topic_id}", created_at=clock.now())],
        posts=[
            Post(
                id=100 + topic_id,
                topic_id=topic_id,
                post_number=1,
                username=username,
                raw=text,
                created_at=clock.now(),
            )
        ],
    )


def live_keys(ledger: Ledger) -> set[str]:
    return {row.key for row in ledger.actions(forum=FORUM, statuses=[Status.PENDING])}


def test_one_failing_topic_does_not_stop_the_others(worker, ledger, clock) -> None:
    store_topic(ledger, clock, 1, "remind me")
    store_topic(ledger, clock, 2, "remind me, then explode")
    store_topic(ledger, clock, 3, "remind me")

    report = worker.cycle()

    assert live_keys(ledger) == {f"remind_me:{FORUM}:1", f"remind_me:{FORUM}:3"}
    assert report.failed_plans == ["topic/2"]


def test_a_failing_topic_keeps_the_plan_it_had(worker, ledger, clock) -> None:
    store_topic(ledger, clock, 1, "remind me")
    worker.cycle()
    clock.advance(timedelta(minutes=5))
    store_topic(ledger, clock, 1, "remind me, then explode")

    worker.cycle()

    assert live_keys(ledger) == {f"remind_me:{FORUM}:1"}


def test_a_source_that_no_longer_plans_an_action_has_it_cancelled(worker, ledger, clock) -> None:
    store_topic(ledger, clock, 1, "remind me")
    worker.cycle()
    clock.advance(timedelta(minutes=5))
    store_topic(ledger, clock, 1, "never mind")

    worker.cycle()

    assert live_keys(ledger) == set()
    assert ledger.action(f"remind_me:{FORUM}:1").status == Status.CANCELLED


def test_posts_by_the_bot_itself_never_reach_a_capability(worker, ledger, clock) -> None:
    store_topic(ledger, clock, 1, "remind me", username="cotechbot")

    worker.cycle()

    assert live_keys(ledger) == set()


def test_topics_a_capability_watches_are_re_read_and_re_planned(
    worker, ledger, clock, capability, syncer
) -> None:
    store_topic(ledger, clock, 1, "watch this")
    store_topic(ledger, clock, 2, "nothing to see")
    clock.advance(timedelta(minutes=1))  # the sync wrote before this cycle started
    worker.cycle()
    capability.planned_topics.clear()
    clock.advance(timedelta(minutes=5))

    worker.cycle()

    assert syncer.watched[-1] == [1]
    assert capability.planned_topics == [1]


def test_a_source_that_disappears_has_its_pending_actions_cancelled(worker, ledger, clock) -> None:
    """The announcing post is deleted: the topic is planned again with nothing in it, and the pending
    reminder goes (issue 10)."""
    store_topic(ledger, clock, 1, "remind me")
    store_topic(ledger, clock, 2, "remind me")
    worker.cycle()
    clock.advance(timedelta(minutes=5))
    ledger.record_sync(FORUM, deleted_post_ids=[101])
    clock.advance(timedelta(minutes=1))

    worker.cycle()

    assert ledger.action(f"remind_me:{FORUM}:1").status == Status.CANCELLED
    assert live_keys(ledger) == {f"remind_me:{FORUM}:2"}
