"""The HTTP face of a bot wired as in production, over real HTTP against the sandbox forum: the metrics it
serves count what a real cycle did, and its calendar feed shows only what everyone may read."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from cotechbot.scheduler import BotScheduler, HttpFaceRunner
from cotechbot.web.face import build_face
from cotechbot.web.server import BackgroundServer

LONDON = ZoneInfo("Europe/London")
MEETING_URL = "https://meet.jit.si/CoTechMembersCall"


@pytest.fixture
def serve():
    servers: list[BackgroundServer] = []

    def start(app) -> str:
        servers.append(BackgroundServer(app, "127.0.0.1", 0).start())
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()


def metric(text: str, name: str, **labels: str) -> float:
    """The value of the one sample of ``name`` carrying exactly these labels, or 0 when absent."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


def test_metrics_count_forum_requests_429s_cycles_actions_and_due_to_posted_latency(make_bot, serve) -> None:
    now = datetime(2024, 7, 2, 14, 0, tzinfo=LONDON)
    bot = make_bot(now)
    bot.forum.create_topic(
        "Quick call about the newsletter",
        f"Quick call at 14:10 today to agree the newsletter: {MEETING_URL}",
        username="ada",
        created_at=now,
    )
    runner = HttpFaceRunner(bot.worker, bot.settings)  # hooks its metrics into the forum adapter
    scheduler = BotScheduler(bot.worker, bot.settings, on_cycle=runner.metrics.observe_cycle)
    bot.forum.faults.rate_limit_next(1, wait_seconds=0)  # one 429, waited out at once

    scheduler.cycle_now()
    url = serve(
        build_face(
            settings=bot.settings,
            ledger=bot.ledger,
            clock=bot.clock,
            metrics=runner.metrics,
            request_cycle=lambda: None,
            leading=lambda: True,
        )
    )
    text = requests.get(f"{url}/metrics", timeout=5).text

    forum = {"forum": "cotech"}
    assert metric(text, "cotechbot_forum_rate_limited_total", **forum) == 1
    assert metric(
        text, "cotechbot_forum_requests_total", **forum, method="GET", endpoint="/posts.json", status="200"
    )
    assert metric(
        text, "cotechbot_forum_requests_total", **forum, method="POST", endpoint="/posts", status="200"
    )
    assert (
        metric(
            text,
            "cotechbot_forum_requests_total",
            **forum,
            method="GET",
            endpoint="/posts.json",
            status="429",
        )
        == 1
    )
    assert metric(text, "cotechbot_cycle_duration_seconds_count", **forum) == 1
    assert metric(text, "cotechbot_actions", **forum, kind="event_reminder", status="sent") == 1
    # the reminder was due at once and posted in the same cycle: inside the first bucket
    assert metric(text, "cotechbot_due_to_posted_seconds_count", **forum) == 1
    assert metric(text, "cotechbot_due_to_posted_seconds_bucket", le="0.5", forum="cotech") == 1


def test_the_calendar_feed_leaves_out_events_not_everyone_may_read(make_bot, serve) -> None:
    now = datetime(2024, 6, 24, 12, 0, tzinfo=LONDON)
    bot = make_bot(now)
    stewards = bot.forum.add_category("Stewards", read_restricted=True)
    settings = bot.settings  # no setting names the stewards' category: the sync reads who may read it
    public, _ = bot.forum.create_topic(
        "Members call", f"A call at 3pm on Tuesday 2nd July: {MEETING_URL}", username="chris", created_at=now
    )
    bot.forum.create_topic(
        "Stewards call",
        f"A call at 4pm on Wednesday 3rd July: {MEETING_URL}",
        category_id=stewards.id,
        username="chris",
        created_at=now,
    )
    unlisted, _ = bot.forum.create_topic(
        "Unlisted call",
        f"A call at 5pm on Thursday 4th July: {MEETING_URL}",
        username="chris",
        created_at=now,
    )
    bot.forum.set_topic_visible(unlisted.id, False)
    bot.run_at(now)
    url = serve(
        build_face(
            settings=settings,
            ledger=bot.ledger,
            clock=bot.clock,
            metrics=HttpFaceRunner(bot.worker, settings).metrics,
            request_cycle=lambda: None,
            leading=lambda: True,
        )
    )

    feed = requests.get(f"{url}/calendar.ics", timeout=5)

    assert feed.status_code == 200 and "ETag" in feed.headers and "Last-Modified" in feed.headers
    summaries = [str(event["summary"]) for event in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == ["Members call"]
    assert f"/t/{public.id}/1" in feed.text
    # the bot itself knows all three: only the feed holds the others back
    assert {topic.title for topic in bot.ledger.mirrored_topics("cotech")} >= {
        "Members call",
        "Stewards call",
        "Unlisted call",
    }
