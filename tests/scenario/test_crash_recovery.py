"""SIGKILL at random points of sync and dispatch, then restart: every reminder is posted exactly once."""

from __future__ import annotations

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.ledger import SENT, Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock
from tests.scenario.crash_harness import (
    LONDON,
    crash_campaign,
    expected_reminder_keys,
    reminder_moments,
    seed_calls,
)


def test_killed_workers_never_post_twice_and_never_miss(tmp_path) -> None:
    """Over 50+ SIGKILLs at random crash points, each of 6 reminders is posted once and marked sent."""
    from datetime import datetime

    start = datetime(2024, 10, 14, 9, 0, tzinfo=LONDON)
    forum_clock = FixedClock(start)
    forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=forum_clock, clock=never_memoised_clock())
    forum.start()
    try:
        calls = seed_calls(forum, start, count=3)
        settings = bot_settings(forum.url, f"sqlite:///{tmp_path / 'crash.db'}", log_level="error")

        def make_worker(at):
            return build_worker(settings, FixedClock(at), forum=fast_forum(settings))

        moments = reminder_moments(calls)
        times = sorted({start, *moments})
        report = crash_campaign(forum, make_worker, settings, times, forum_clock.set, seed=20241014)
    finally:
        forum.stop()
    print(f"{report.kills} kills in {report.runs} runs")
    assert report.kills >= 50, f"only {report.kills} kills in {report.runs} runs"
    assert report.duplicates == {}
    assert report.missing == set()
    assert set(report.posted) == expected_reminder_keys(calls)
    ledger = Ledger(settings.database_url, FixedClock(times[-1]))
    assert {row.key: row.status for row in ledger.actions()} == {key: SENT for key in report.posted}
