"""Whole-bot scenarios: the real worker, over real HTTP, against the sandbox forum, with a fixed clock."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.ledger import Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.settings import Settings
from cotechbot.worker import Worker

API_KEY = "scenario-secret-key-7731"
BOT = "cotechbot"


def never_memoised_clock() -> callable:
    """A monotonic clock for the fake that jumps 10 minutes per reading.

    Discourse answers a repeated identical POST within 120 s with the first result; these tests must prove
    the bot itself never posts twice, so the fake's memo is kept out of the way.
    """
    ticks = itertools.count()
    return lambda: float(next(ticks) * 600)


def bot_settings(forum_url: str, database_url: str, **overrides) -> Settings:
    values = dict(
        discourse_url=forum_url,
        discourse_api_key=API_KEY,
        discourse_api_username=BOT,
        database_url=database_url,
        timezone="Europe/London",
        forum_name="cotech",
    )
    values.update(overrides)
    return Settings(**values)


def fast_forum(settings: Settings) -> DiscourseForum:
    """The real adapter with a budget high enough that scenario tests never wait on it."""
    return DiscourseForum(
        str(settings.discourse_url),
        settings.discourse_api_username,
        settings.discourse_api_key,
        name=settings.forum_name,
        timeout=10,
        requests_per_minute=100_000,
        burst=1000,
    )


@dataclass
class Bot:
    """A bot wired exactly as in production, except for the clock and the request budget."""

    forum: FakeDiscourse
    clock: FixedClock
    settings: Settings
    worker: Worker

    @property
    def ledger(self) -> Ledger:
        return self.worker.ledger

    def run_at(self, when: datetime, cycles: int = 1) -> None:
        self.clock.set(when)
        for _ in range(cycles):
            self.worker.cycle()

    def bot_posts(self, topic_id: int | None = None) -> list:
        return [p for p in self.forum.posts_by(BOT) if topic_id is None or p.topic_id == topic_id]


@pytest.fixture
def make_bot(tmp_path: Path) -> Iterator[callable]:
    """Start a sandbox forum and a bot on a fresh SQLite ledger; both stop at the end of the test."""
    started: list[FakeDiscourse] = []

    def make(start: datetime, **overrides) -> Bot:
        clock = FixedClock(start)
        forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=clock, clock=never_memoised_clock())
        forum.start()
        started.append(forum)
        settings = bot_settings(forum.url, f"sqlite:///{tmp_path / 'bot.db'}", **overrides)
        worker = build_worker(settings, clock, forum=fast_forum(settings))
        return Bot(forum, clock, settings, worker)

    yield make
    for forum in started:
        forum.stop()
