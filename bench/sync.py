"""Benchmark: first backfill and idle cycle of cotechbot.sync against a large sandbox forum.

    .venv/bin/python bench/sync.py                     # 5,000 topics / 50,000 posts, simulated clock
    .venv/bin/python bench/sync.py --topics 500 --posts 5000 --real-clock   # really waits for the budget

The sandbox Discourse runs in this process over real HTTP on 127.0.0.1 with the site-wide admin limit of
60 requests/minute. By default time is SIMULATED: one fake clock drives the sandbox's rate-limit window and
the adapter's token bucket (its sleeps advance the clock instead of sleeping), so the rate-limit-bound time
is exact while the run takes only as long as the real work (HTTP, JSON, SQLite). Both are printed.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotechbot.clock import FixedClock, SystemClock  # noqa: E402
from cotechbot.forum.discourse import DiscourseForum  # noqa: E402
from cotechbot.ledger import Ledger  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from cotechbot.sync import DiscourseSync, SyncOptions  # noqa: E402

KEY = "bench-api-key-0123456789"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def seed(fake: FakeDiscourse, topics: int, posts: int, start: datetime) -> None:
    rng = random.Random(42)
    span = timedelta(days=3 * 365)
    step = span / posts
    when = start - span
    topic_ids: list[int] = []
    for n in range(posts):
        when += step
        if n < topics:
            topic, _ = fake.create_topic(
                f"Topic {n}: co-op business {n % 97}",
                f"Opening post {n} about co-operative work and tooling.",
                created_at=when,
            )
            topic_ids.append(topic.id)
        else:
            fake.reply(
                rng.choice(topic_ids), f"Reply {n}: some thoughts on the matter at hand.", created_at=when
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=50000, help="total posts, first posts included")
    parser.add_argument("--budget", type=float, default=50, help="client budget, requests/minute")
    parser.add_argument("--burst", type=int, default=5)
    parser.add_argument("--site-limit", type=int, default=60, help="sandbox admin-API limit per minute")
    parser.add_argument("--real-clock", action="store_true", help="really wait for the budget (slow)")
    args = parser.parse_args()
    if args.posts < args.topics:
        parser.error("--posts must be at least --topics")

    configure_logging(level="info", secrets=[KEY])
    start = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    if args.real_clock:
        clock = SystemClock()
        limiter_clock, forum_clock = time.monotonic, None
        mode = "REAL clock: the budget really waits"
    else:
        clock = FixedClock(start)
        limiter_clock, forum_clock = (lambda: clock.now().timestamp()), clock
        mode = "SIMULATED clock: budget waits advance a fake clock shared with the sandbox's rate limiter"

    rss_start = peak_rss_mb()
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeDiscourse.running(
            api_key=KEY,
            api_username="cotechbot",
            now=clock,
            clock=limiter_clock,
            rate_limit_per_minute=args.site_limit,
        ) as fake,
    ):
        t = time.perf_counter()
        seed(fake, args.topics, args.posts, clock.now())
        seed_s = time.perf_counter() - t
        rss_seeded = peak_rss_mb()
        fake.clear_log()

        ledger = Ledger(f"sqlite:///{Path(tmp) / 'bench.db'}", clock)
        forum = DiscourseForum(
            fake.url,
            "cotechbot",
            KEY,
            name="bench",
            clock=forum_clock,
            requests_per_minute=args.budget,
            burst=args.burst,
            timeout=30,
        )
        sync = DiscourseSync(
            forum, ledger, clock, SyncOptions(backfill_max_posts=None, max_requests_per_cycle=None)
        )

        sim0 = clock.now()
        wall0 = time.perf_counter()
        first = sync.run_cycle()
        wall_s = time.perf_counter() - wall0
        sim_s = (clock.now() - sim0).total_seconds()
        rss_synced = peak_rss_mb()
        first_429 = sum(1 for r in fake.requests if r.status == 429)
        first_conns = fake.connections_opened
        client_conns = sum(
            pool.num_connections
            for pool in forum.session.get_adapter(fake.url).poolmanager.pools._container.values()
        )
        keep_alive = (
            fake.requests
            and forum.session.get(fake.url + "/site/basic-info.json", timeout=5)
            .headers.get("Connection", "")
            .lower()
            != "close"
        )
        mirrored = len(ledger.mirrored_posts("bench"))

        if not args.real_clock:
            clock.advance(timedelta(minutes=5))
        fake.clear_log()
        idle = sync.run_cycle()
        idle_requests = len(fake.requests)

    floor_min = first.requests / args.budget
    print(f"cotechbot sync benchmark — {mode}")
    print(
        f"  forum                 {args.topics:,} topics / {args.posts:,} posts (seeded in {seed_s:.1f}s), "
        f"site limit {args.site_limit}/min, client budget {args.budget:g}/min burst {args.burst}"
    )
    print(
        f"  first backfill        {first.requests:,} requests, {first.pages:,} pages of /posts.json, "
        f"{first.new_posts:,} posts stored ({mirrored:,} in the mirror), complete={first.complete}"
        + (f", error={first.error}" if first.error else "")
    )
    print(
        f"  rate-limit floor      {first.requests:,} req ÷ {args.budget:g}/min = {floor_min:.1f} min "
        f"(site floor at {args.site_limit}/min: {first.requests / args.site_limit:.1f} min)"
    )
    print(
        f"  backfill time         {'simulated' if not args.real_clock else 'real'} {sim_s / 60:.1f} min "
        f"({sim_s / 60 / floor_min:.2f}× the budget floor); real wall time {wall_s:.1f}s "
        f"({wall_s / max(first.requests, 1) * 1000:.1f} ms/request of actual work)"
    )
    print(f"  429s seen             {first_429} (adapter counted {forum.rate_limited_responses})")
    print(
        f"  idle cycle            {idle_requests} request(s) seen by the server (report: {idle.requests}), "
        f"complete={idle.complete}"
    )
    print(
        f"  connections opened    server accepted {first_conns}; client opened {client_conns} "
        f"for {first.requests} requests over one requests.Session"
        + (
            ""
            if keep_alive
            else " — the sandbox (werkzeug dev server) answers 'Connection: close', so "
            "each request needs a new connection; against a keep-alive server it is 1"
        )
    )
    print(
        f"  peak RSS              {rss_synced:.0f} MB after the backfill (at start {rss_start:.0f} MB, after "
        f"seeding the in-process sandbox {rss_seeded:.0f} MB; sandbox and bot share this process)"
    )
    return 0 if first.complete and idle_requests == 1 and first_429 == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
