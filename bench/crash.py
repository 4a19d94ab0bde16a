"""Crash recovery at scale: SIGKILL the worker at random crash points many times, restart it, and count.

Same harness as tests/scenario/test_crash_recovery.py, with more topics and more kills per moment.
Prints kills, runs, reminders expected, posted, duplicated and missing.

    .venv/bin/python bench/crash.py [--calls 8] [--kills-per-moment 25] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotechbot.app import build_worker  # noqa: E402
from cotechbot.clock import FixedClock  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock  # noqa: E402
from tests.scenario.crash_harness import (  # noqa: E402
    LONDON,
    crash_campaign,
    expected_reminder_keys,
    reminder_moments,
    seed_calls,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=8)
    parser.add_argument("--kills-per-moment", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    start = datetime(2024, 10, 14, 9, 0, tzinfo=LONDON)
    forum_clock = FixedClock(start)
    began = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as workdir,
        FakeDiscourse.running(
            api_key=API_KEY, api_username=BOT, now=forum_clock, clock=never_memoised_clock()
        ) as forum,
    ):
        calls = seed_calls(forum, start, count=args.calls)
        settings = bot_settings(forum.url, f"sqlite:///{Path(workdir) / 'crash.db'}", log_level="error")
        times = sorted({start, *reminder_moments(calls)})
        report = crash_campaign(
            forum,
            lambda at: build_worker(settings, FixedClock(at), forum=fast_forum(settings)),
            settings,
            times,
            forum_clock.set,
            seed=args.seed,
            kills_per_moment=args.kills_per_moment,
        )
    expected = expected_reminder_keys(calls)
    print(
        f"SIGKILLs: {report.kills} in {report.runs} worker runs over {len(times)} moments "
        f"({time.perf_counter() - began:.1f} s)"
    )
    print(
        f"reminders expected: {len(expected)}; posted: {sum(report.posted.values())}; "
        f"duplicated: {len(report.duplicates)}; missing: {len(expected - set(report.posted))}"
    )


if __name__ == "__main__":
    main()
