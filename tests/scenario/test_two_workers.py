"""Two workers at once on one PostgreSQL ledger and one forum: the leader lock and keyed outbox hold."""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime

import pytest

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.ledger import SENT, Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock
from tests.scenario.crash_harness import (
    LONDON,
    MARKER,
    expected_reminder_keys,
    reminder_moments,
    seed_calls,
)
from tests.store.conftest import postgres_schema_url


@pytest.fixture
def postgres_url():
    yield from postgres_schema_url()


def run_worker_process(settings, times: list[datetime], repeats: int, barrier) -> int:
    """Fork a worker that runs ``repeats`` cycles at each time; returns its pid.

    Both workers pass a barrier before each moment, as two replicas reading the same wall clock would:
    at every moment they race for the work.
    """
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            clock = FixedClock(times[0])
            worker = build_worker(settings, clock, forum=fast_forum(settings))
            for at in times:
                barrier.wait(timeout=60)
                clock.set(at)
                for _ in range(repeats):
                    worker.cycle()
            worker.ledger.dispose()
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    return pid


@pytest.mark.postgres
def test_two_workers_never_post_the_same_reminder_twice(postgres_url: str) -> None:
    """Two worker processes cycling through the same moments post each of 8 reminders exactly once."""
    start = datetime(2024, 10, 14, 9, 0, tzinfo=LONDON)
    forum = FakeDiscourse(
        api_key=API_KEY, api_username=BOT, now=FixedClock(start), clock=never_memoised_clock()
    )
    forum.start()
    try:
        calls = seed_calls(forum, start, count=4)
        settings = bot_settings(forum.url, postgres_url, log_level="error")
        Ledger(postgres_url, FixedClock(start)).dispose()  # migrate once, so both start on the same schema
        times = sorted({start, *reminder_moments(calls)})
        barrier = multiprocessing.get_context("fork").Barrier(2)
        pids = [run_worker_process(settings, times, repeats=3, barrier=barrier) for _ in range(2)]
        statuses = [os.waitpid(pid, 0)[1] for pid in pids]
        posted = [key for post in forum.posts_by(BOT) for key in MARKER.findall(post.raw or "")]
    finally:
        forum.stop()
    assert all(os.WIFEXITED(s) and os.WEXITSTATUS(s) == 0 for s in statuses)
    assert sorted(posted) == sorted(expected_reminder_keys(calls))  # each once: no duplicates, none missing
    ledger = Ledger(postgres_url, FixedClock(times[-1]))
    assert {row.status for row in ledger.actions()} == {SENT}
    ledger.dispose()
