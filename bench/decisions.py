"""The decision log's cost: requests per steady cycle to Loomio and Discourse, and the time to file and render
a large log. Prints figures; asserts nothing.

    .venv/bin/python bench/decisions.py [--forum-decisions 300] [--loomio-polls 120]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotechbot.app import build_worker  # noqa: E402
from cotechbot.clock import FixedClock  # noqa: E402
from cotechbot.decisions_cli import decisions_text  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from cotechbot.sandbox.loomio import FakeLoomio  # noqa: E402
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock  # noqa: E402

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forum-decisions", type=int, default=300)
    parser.add_argument("--loomio-polls", type=int, default=120)
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    clock = FixedClock(START)
    forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=clock, clock=never_memoised_clock()).start()
    loomio = FakeLoomio(api_key="bench-key", now=clock).start()
    try:
        forum.create_topic(
            "Decision log of the network", "The bot keeps the log in this topic.", username="org"
        )
        forum.create_topic(
            "Loomio proposals for everyone", "Proposals are announced in this topic.", username="org"
        )
        for n in range(args.forum_decisions):
            forum.create_topic(
                f"Decision number {n} of the network",
                f"Decision: item {n} is agreed. " + "Words. " * 40,
                tags=["decision"],
                username="org",
                created_at=START - timedelta(days=n),
            )
        loomio.add_group("CoTech", group_id=7)
        for n in range(args.loomio_polls):
            poll = loomio.add_poll(
                7,
                f"Proposal {n}",
                closing_at=START - timedelta(days=n % 40 - 20),
                created_at=START - timedelta(days=60 - n % 40),
            )
            if n % 3 == 0:
                loomio.set_outcome(poll.id, f"Outcome {n}.")
        with tempfile.TemporaryDirectory() as workdir:
            settings = bot_settings(
                forum.url,
                f"sqlite:///{Path(workdir) / 'bench.db'}",
                log_level="error",
                decision_log_topic_id=1,
                loomio={"url": loomio.url, "api_key": "bench-key", "group_ids": [7], "topic_id": 2},
            )
            worker = build_worker(settings, clock, forum=fast_forum(settings))
            started = time.perf_counter()
            worker.cycle()
            first = time.perf_counter() - started
            worker.cycle()  # the edits and replies planned from the first cycle's posts
            for minutes in (5, 10, 15):
                clock.set(START + timedelta(minutes=minutes))
                forum.clear_log()
                loomio.clear_log()
                started = time.perf_counter()
                worker.cycle()
                steady = time.perf_counter() - started
            pages = [p for p in forum.posts_by(BOT) if p.topic_id == 1]
            started = time.perf_counter()
            for _ in range(10):
                decisions_text(worker.ledger, settings, "json")
            export = (time.perf_counter() - started) / 10
            print(f"log entries: {args.forum_decisions} forum + {args.loomio_polls} Loomio polls")
            print(f"first cycle (backfill, filing, posting): {first:.2f} s")
            print(
                f"steady cycle: {steady * 1000:.0f} ms, {len(forum.requests)} Discourse requests, "
                f"{len(loomio.requests)} Loomio requests"
            )
            print(f"log post pages: {len(pages)} (longest {max(len(p.raw) for p in pages)} characters)")
            print(f"JSON export: {export * 1000:.0f} ms")
    finally:
        forum.stop()
        loomio.stop()


if __name__ == "__main__":
    main()
