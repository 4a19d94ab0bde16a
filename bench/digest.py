"""The weekly digest's cost: requests of the cycle at the hour against an identical bot with the digest off
(over HTTP, at the sandbox), and the time to compose the digest over a large mirror (pure).

Prints requests per cycle (idle vs digest) and milliseconds to plan the digest over N topics.

    .venv/bin/python bench/digest.py [--topics 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotechbot.app import build_worker  # noqa: E402
from cotechbot.capabilities.base import Facts  # noqa: E402
from cotechbot.capabilities.digest import DigestRules  # noqa: E402
from cotechbot.capabilities.digest.capability import DigestCapability  # noqa: E402
from cotechbot.clock import FixedClock  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.models import Post, Topic  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from cotechbot.settings import Settings  # noqa: E402
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock  # noqa: E402

LONDON = ZoneInfo("Europe/London")
HOUR = datetime(2024, 7, 1, 9, 0, tzinfo=LONDON)


def requests_at_the_hour(workdir: Path, topics: int) -> dict[str, int]:
    counts = {}
    for name, digest in (("idle", {}), ("digest", {"category_id": 2})):
        clock = FixedClock(HOUR - timedelta(hours=2))
        forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=clock, clock=never_memoised_clock())
        forum.start()
        try:
            forum.add_category("Digest")
            for index in range(topics):
                forum.create_topic(
                    f"Topic number {index} about the network",
                    f"We're having a call at 3pm on Tuesday 2nd July about item {index}.",
                    username="organiser",
                    created_at=clock.now(),
                )
            settings = bot_settings(
                forum.url, f"sqlite:///{workdir / name}.db", digest=digest, log_level="error"
            )
            worker = build_worker(settings, clock, forum=fast_forum(settings))
            for minutes in range(-115, 1, 5):
                clock.set(HOUR + timedelta(minutes=minutes))
                forum.clear_log()
                worker.cycle()
            counts[name] = len(forum.requests)
        finally:
            forum.stop()
    return counts


def compose_time(topics: int) -> float:
    now = HOUR.astimezone(UTC)
    posts = {
        i: [
            Post(
                id=1000 + i,
                topic_id=i,
                post_number=1,
                username="organiser",
                raw=f"We're having a call at 3pm on Tuesday 2nd July about item {i}: https://meet.jit.si/x{i}",
                created_at=now - timedelta(days=i % 20),
            )
        ]
        for i in range(1, topics + 1)
    }
    facts = Facts(
        forum="cotech",
        zone="Europe/London",
        base_url="https://forum.example.coop",
        topics={
            i: Topic(id=i, title=f"Topic {i}", slug=f"topic-{i}", created_at=now - timedelta(days=i % 20))
            for i in posts
        },
        posts=posts,
        topic_ids=tuple(posts),
    )
    digest = DigestCapability.from_settings(Settings(digest={"category_id": 2}))
    assert isinstance(digest.rules, DigestRules)
    started = time.perf_counter()
    plan = digest.plan(facts, now)
    elapsed = time.perf_counter() - started
    assert len(plan.actions) == 1
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=2000, help="topics in the mirror for the compose time")
    parser.add_argument("--forum-topics", type=int, default=20, help="topics on the sandbox forum")
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    with tempfile.TemporaryDirectory() as workdir:
        counts = requests_at_the_hour(Path(workdir), args.forum_topics)
    print(f"requests in the cycle at 09:00: idle bot {counts['idle']}, digest bot {counts['digest']}")
    print(f"composing the digest over {args.topics} topics: {compose_time(args.topics):.0f} ms")


if __name__ == "__main__":
    main()
