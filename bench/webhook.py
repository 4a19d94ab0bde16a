"""From a member's post to the bot's first forum read: signed webhooks vs polling. Target: median < 1 s.

The bot runs as ``cotechbot run`` does — the APScheduler cycle every ``sync_interval_minutes`` plus the HTTP
face (waitress) whose webhook endpoint pokes the coalescing cycle trigger — against the sandbox forum, which
sends Discourse's signed webhooks to it. A member posts over HTTP; the latency is the arrival of the bot's
first request in the sandbox's request log minus the moment the member's post was sent (both on
``time.monotonic``).

Polling: with ``--measure-polling N`` the same is measured with webhooks off and a 1-minute interval (the
shortest the settings allow; N posts take about N minutes). Without it, polling is simulated for the default
5-minute interval: posts arrive at uniformly random moments, the first read is the next poll plus the read
latency measured above.

    .venv/bin/python bench/webhook.py [--posts 40] [--measure-polling 0]
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from cotechbot.app import build_worker  # noqa: E402
from cotechbot.clock import SystemClock  # noqa: E402
from cotechbot.forum.discourse import DiscourseForum  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from cotechbot.sandbox.scenario import cotech_scenario  # noqa: E402
from cotechbot.scheduler import BotScheduler, HttpFaceRunner  # noqa: E402
from cotechbot.settings import Settings  # noqa: E402
from cotechbot.worker import SYNC_SUCCEEDED_AT  # noqa: E402

KEY = "bench-key"
BOT = "cotechbot"
SECRET = "bench-webhook-secret"
MEMBERS = ("bench-ada", "bench-bryn", "bench-cerys")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_bot_read_after(forum: FakeDiscourse, since: float, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reads = [r.at for r in forum.requests if r.username == BOT and r.at >= since]
        if reads:
            return min(reads) - since
        time.sleep(0.001)
    return None


def settle(forum: FakeDiscourse, quiet: float = 0.3) -> None:
    """Wait until webhooks are delivered and the bot has not touched the forum for ``quiet`` seconds."""
    forum.wait_for_webhooks(timeout=30)
    while True:
        last = max((r.at for r in forum.requests if r.username == BOT), default=0.0)
        if time.monotonic() - last >= quiet:
            return
        time.sleep(0.05)


def measure(posts: int, *, webhooks: bool, interval_minutes: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    port = free_port()
    with (
        tempfile.TemporaryDirectory() as workdir,
        FakeDiscourse.running(scenario=cotech_scenario(now), api_key=KEY, api_username=BOT) as forum,
    ):
        for member in MEMBERS:
            forum.add_user(member)
        topic, _ = forum.create_topic(
            "Bench topic for member replies", "Members reply here.", username=MEMBERS[0]
        )
        settings = Settings(
            discourse_url=forum.url,
            discourse_api_key=KEY,
            discourse_api_username=BOT,
            database_url=f"sqlite:///{Path(workdir) / 'bench.db'}",
            forum_name="cotech-bench",
            sync_interval_minutes=interval_minutes,
            http_port=port if webhooks else None,
            webhook_secret=SECRET if webhooks else None,
        )
        adapter = DiscourseForum(
            forum.url, BOT, KEY, name=settings.forum_name, requests_per_minute=6000, burst=100
        )
        worker = build_worker(settings, SystemClock(), forum=adapter)
        face = HttpFaceRunner(worker, settings) if webhooks else None
        bot = BotScheduler(worker, settings, on_cycle=face.metrics.observe_cycle if face else None)
        bot.start()
        if face is not None:
            face.start(bot)
            forum.add_webhook(f"http://127.0.0.1:{port}/webhooks/discourse", SECRET)
        latencies: list[float] = []
        try:
            while worker.ledger.get_cursor(settings.forum_name, SYNC_SUCCEEDED_AT) is None:
                time.sleep(0.05)  # the start-up cycle (backfill) is not what is measured
            settle(forum)
            with requests.Session() as member:
                member.headers.update({"Api-Key": KEY, "Accept": "application/json"})
                for index in range(posts):
                    if not webhooks:  # land at a random moment of the polling interval
                        time.sleep(rng.uniform(0, interval_minutes * 60))
                    member.headers["Api-Username"] = MEMBERS[index % len(MEMBERS)]
                    sent = time.monotonic()
                    answer = member.post(
                        f"{forum.url}/posts.json",
                        json={"topic_id": topic.id, "raw": f"Noted, thanks — member reply number {index}."},
                        timeout=10,
                    )
                    answer.raise_for_status()
                    latency = first_bot_read_after(forum, sent, timeout=interval_minutes * 60 + 30)
                    if latency is not None:
                        latencies.append(latency)
                    settle(forum)
        finally:
            if face is not None:
                face.stop()
            bot.shutdown()
            worker.ledger.dispose()
    return latencies


def summary(label: str, latencies: list[float]) -> str:
    median = statistics.median(latencies)
    p90 = statistics.quantiles(latencies, n=10)[8] if len(latencies) > 1 else latencies[0]
    return f"{label}: median {median:.3f} s, p90 {p90:.3f} s (n={len(latencies)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--measure-polling", type=int, default=0, metavar="N", help="real polling samples")
    args = parser.parse_args()
    configure_logging(level="warning", fmt="console")

    pushed = measure(args.posts, webhooks=True, interval_minutes=5, seed=1)
    print(summary("webhooks (signed, real HTTP both ways)", pushed) + "   target: median < 1 s")
    if args.measure_polling:
        polled = measure(args.measure_polling, webhooks=False, interval_minutes=1, seed=2)
        print(summary("polling every 1 min (measured)", polled))
    rng = random.Random(3)
    read = statistics.median(pushed)
    simulated = [rng.uniform(0, 300) + read for _ in range(10_000)]
    print(summary("polling every 5 min (simulated: next poll + read latency)", simulated))


if __name__ == "__main__":
    main()
