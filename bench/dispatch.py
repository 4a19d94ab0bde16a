"""Due-to-posted latency of reminders under the real scheduler, against the sandbox forum.

The scheduler runs on the real clock (APScheduler, the dispatch job armed for the next due time). The
outbox is filled with reminder actions due over the next minute — some alone, some in bursts due at the
same instant — and the bench waits until all are posted. Latency = the moment the sandbox forum stamped the
post minus the action's due time. Target: median and max within 5 s.

    .venv/bin/python bench/dispatch.py [--reminders 120] [--spread 60]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotechbot.app import build_worker  # noqa: E402
from cotechbot.clock import SystemClock  # noqa: E402
from cotechbot.forum.discourse import DiscourseForum  # noqa: E402
from cotechbot.ledger import Action  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.messages import key_marker  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from cotechbot.scheduler import BotScheduler  # noqa: E402
from cotechbot.settings import Settings  # noqa: E402

KEY = "bench-key"
MARKER = re.compile(r"<!-- cotechbot:(.+?) -->")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=120)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which reminders fall due")
    args = parser.parse_args()
    configure_logging(level="warning", fmt="console")

    with (
        tempfile.TemporaryDirectory() as workdir,
        FakeDiscourse.running(api_key=KEY, api_username="cotechbot") as forum,
    ):
        topics = [
            forum.create_topic(
                f"Bench topic number {i} for reminders", "A topic that gets reminders.", username="organiser"
            )[0]
            for i in range(20)
        ]
        settings = Settings(
            discourse_url=forum.url,
            discourse_api_key=KEY,
            discourse_api_username="cotechbot",
            database_url=f"sqlite:///{Path(workdir) / 'bench.db'}",
            requests_per_minute=600,
            sync_interval_minutes=60,
        )
        clock = SystemClock()
        adapter = DiscourseForum(
            forum.url, "cotechbot", KEY, name=settings.forum_name, requests_per_minute=600, burst=10
        )
        worker = build_worker(settings, clock, forum=adapter)
        worker.cycle()  # the first sync (backfill) happens before the clock starts for the reminders

        start = datetime.now(UTC) + timedelta(seconds=3)
        due: dict[str, datetime] = {}
        actions = []
        for index in range(args.reminders):
            # Every fifth reminder shares its due instant with the previous four: bursts as well as singles.
            slot = (index // 5) * 5 if index % 10 >= 5 else index
            at = start + timedelta(seconds=args.spread * slot / max(1, args.reminders))
            topic = topics[index % len(topics)]
            key = f"reminder:bench/{index}:{at:%H:%M:%S.%f}"
            due[key] = at
            actions.append(
                Action(
                    key=key,
                    kind="event_reminder",
                    forum=settings.forum_name,
                    source=f"bench/{index}",
                    target=f"topic/{topic.id}",
                    due_at=at,
                    payload={
                        "op": "reply",
                        "topic_id": topic.id,
                        "raw": f"Bench reminder {index}\n\n{key_marker(key)}",
                    },
                )
            )
        worker.ledger.apply_plan(settings.forum_name, [], actions)

        bot = BotScheduler(worker, settings)
        bot.start()
        deadline = time.monotonic() + args.spread + 60
        try:
            while time.monotonic() < deadline:
                if len(worker.ledger.actions(statuses=["sent"])) >= args.reminders:
                    break
                time.sleep(0.5)
        finally:
            bot.shutdown()

        latencies = []
        for post in forum.posts_by("cotechbot"):
            for key in MARKER.findall(post.raw or ""):
                if key in due:
                    latencies.append((post.created_at - due[key]).total_seconds())
    posted = len(latencies)
    print(
        f"reminders due over {args.spread:.0f} s: {args.reminders}; posted: {posted} "
        f"(duplicates: {posted - len(set(due)) if posted > len(due) else 0})"
    )
    if latencies:
        print(
            f"due-to-posted latency: median {statistics.median(latencies):.3f} s, "
            f"p95 {sorted(latencies)[int(0.95 * (len(latencies) - 1))]:.3f} s, max {max(latencies):.3f} s "
            f"(target ≤ 5 s)"
        )
    print(
        "scheduler: APScheduler BackgroundScheduler, dispatch job armed for the next due time; "
        "request budget 600/min"
    )


if __name__ == "__main__":
    main()
