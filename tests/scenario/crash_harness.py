"""Kill the worker with SIGKILL at chosen points of sync and dispatch, restart it, and count what it posted.

The worker runs in a forked child (everything is already imported, so a run takes milliseconds). The child
counts the moments where dying matters — before each HTTP request, after each HTTP response and after each
database commit — and sends itself SIGKILL at the k-th one, k drawn at random. That reaches every point of a
cycle, including "the forum has the post but the ledger doesn't know yet", with no timing luck involved.
Used by tests/scenario/test_crash_recovery.py and bench/crash.py.
"""

from __future__ import annotations

import os
import random
import re
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests
import sqlalchemy as sa

from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.settings import Settings

LONDON = ZoneInfo("Europe/London")
MARKER = re.compile(r"<!-- cotechbot:(.+?) -->")


def _install_kill_switch(kill_at: int | None) -> Callable[[], int]:
    """In the child: die at the ``kill_at``-th crash point (never, when None). Returns a counter reader."""
    seen = 0

    def point() -> None:
        nonlocal seen
        seen += 1
        if kill_at is not None and seen >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    original_send = requests.Session.send

    def send(self, request, **kwargs):
        point()
        response = original_send(self, request, **kwargs)
        point()
        return response

    requests.Session.send = send
    sa.event.listen(sa.engine.Engine, "commit", lambda connection: point())
    return lambda: seen


def run_child(run: Callable[[], None], kill_at: int | None) -> tuple[bool, int]:
    """Fork, run ``run()`` in the child with the kill switch; return (was_killed, points_reached)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        status = 0
        try:
            counter = _install_kill_switch(kill_at)
            run()
            os.write(writer, str(counter()).encode())
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        points = pipe.read()
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    if not killed and os.WEXITSTATUS(status) != 0:
        raise RuntimeError(f"the worker child failed with exit status {os.WEXITSTATUS(status)}")
    return killed, int(points or 0)


@dataclass
class CrashReport:
    kills: int = 0
    runs: int = 0
    posted: Counter = field(default_factory=Counter)
    expected: set[str] = field(default_factory=set)

    @property
    def duplicates(self) -> dict[str, int]:
        return {key: n for key, n in self.posted.items() if n > 1}

    @property
    def missing(self) -> set[str]:
        return self.expected - set(self.posted)


def seed_calls(forum: FakeDiscourse, start: datetime, count: int) -> list[tuple[int, datetime]]:
    """``count`` topics, each announcing a call on a later day at 3pm; returns (topic id, start) pairs."""
    calls = []
    for index in range(count):
        day = (start + timedelta(days=2 + index)).astimezone(LONDON)
        call = datetime(day.year, day.month, day.day, 15, 0, tzinfo=LONDON)
        text = (
            f"We're having a call at 3pm on {call:%A} {call.day} {call:%B} about item {index}: "
            f"https://meet.jit.si/cotech-{index}"
        )
        topic, _ = forum.create_topic(
            f"Members call number {index} for the network", text, username="organiser", created_at=start
        )
        calls.append((topic.id, call))
    return calls


def expected_reminder_keys(
    calls: list[tuple[int, datetime]], offsets: tuple[str, ...] = ("1d", "10m")
) -> set[str]:
    """The keys the bot must post exactly once, computed independently of the planner."""
    utc = ZoneInfo("UTC")
    return {
        f"reminder:topic/{topic_id}:{start.astimezone(utc):%Y-%m-%dT%H:%MZ}:-{offset}"
        for topic_id, start in calls
        for offset in offsets
    }


def reminder_moments(calls: list[tuple[int, datetime]]) -> list[datetime]:
    """Each call's due moments (the day before at the same local time, and 10 minutes before)."""
    moments = []
    for _, start in calls:
        local = start.astimezone(LONDON)
        moments.append(datetime(local.year, local.month, local.day, 15, 0, tzinfo=LONDON) - timedelta(days=1))
        moments.append(start - timedelta(minutes=10))
    return sorted(moments)


def crash_campaign(
    forum: FakeDiscourse,
    make_worker: Callable[[datetime], object],
    settings: Settings,
    times: list[datetime],
    set_forum_time: Callable[[datetime], None],
    *,
    seed: int,
    kills_per_moment: int = 8,
) -> CrashReport:
    """At each time: kill the worker ``kills_per_moment`` times at random points, then let one run finish.

    The kill point is drawn uniformly from the crash points of the previous unkilled run, so kills land
    anywhere in a cycle (sync requests, planning commits, the POST and the commit after it).
    """
    rng = random.Random(seed)
    report = CrashReport()
    points_in_a_run = 30
    for at in times:
        set_forum_time(at)
        for attempt in range(kills_per_moment + 1):
            kill_at = rng.randint(1, points_in_a_run) if attempt < kills_per_moment else None
            killed, points = run_child(lambda at=at: make_worker(at).cycle(), kill_at)
            report.runs += 1
            report.kills += killed
            if not killed:
                points_in_a_run = max(points, 1)
    for post in forum.posts_by(settings.discourse_api_username):
        for key in MARKER.findall(post.raw or ""):
            report.posted[key] += 1
    return report
