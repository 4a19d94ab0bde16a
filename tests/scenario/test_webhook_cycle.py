"""Push instead of poll, over real HTTP end to end: a member posts in the sandbox forum, the forum sends a
signed webhook to the bot's HTTP face, the face triggers a cycle at once, and the bot reads the forum and
answers — with no scheduled cycle anywhere in the test."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cotechbot.web.face import build_face
from cotechbot.web.metrics import Metrics
from cotechbot.web.server import BackgroundServer
from cotechbot.web.signature import signature_matches
from cotechbot.web.trigger import CycleTrigger
from tests.contract.sandbox_support import session
from tests.scenario.conftest import BOT

LONDON = ZoneInfo("Europe/London")
SECRET = "webhook-secret-for-the-scenario"
MEETING_URL = "https://meet.jit.si/CoTechQuickCall"


@pytest.fixture
def pushed(make_bot):
    """A bot whose only cycles are the ones its HTTP face triggers, and a forum sending it webhooks."""
    bot = make_bot(datetime(2024, 7, 2, 14, 0, tzinfo=LONDON), webhook_secret=SECRET)
    bot.forum.add_user("ada")
    bot.worker.cycle()  # the first read, as `cotechbot run` does at start
    trigger = CycleTrigger(bot.worker.cycle)
    trigger.start()
    face = build_face(
        settings=bot.settings,
        ledger=bot.ledger,
        clock=bot.clock,
        metrics=Metrics(bot.ledger, bot.settings.forum_name),
        request_cycle=trigger.poke,
        leading=lambda: True,
    )
    server = BackgroundServer(face, "127.0.0.1", 0).start()
    bot.forum.add_webhook(f"{server.url}/webhooks/discourse", SECRET)
    bot.forum.clear_log()
    yield bot, trigger
    bot.forum.wait_for_webhooks(timeout=10)
    trigger.stop()
    server.stop()


def test_a_members_post_is_read_and_answered_through_the_webhook(pushed) -> None:
    bot, trigger = pushed

    posted = session(bot.forum, "ada", key=bot.settings.discourse_api_key.get_secret_value()).post(
        f"{bot.forum.url}/posts.json",
        json={
            "title": "Quick call about the newsletter",
            "raw": f"Quick call at 14:10 today to agree the newsletter: {MEETING_URL}",
        },
    )
    assert posted.status_code == 200
    assert trigger.wait_for_runs(1, timeout=30)  # the first webhook's cycle: it read the post and answered
    assert bot.forum.wait_for_webhooks(timeout=30)

    # the forum signed what it sent, and the face took it
    sent = bot.forum.webhook_deliveries
    assert [d.event for d in sent[:2]] == ["topic_created", "post_created"]
    for delivery in sent[:2]:
        assert delivery.status == 200
        assert signature_matches(
            SECRET.encode(), delivery.body, delivery.headers["X-Discourse-Event-Signature"]
        )
    # the sandbox's request log (``at`` = arrival): the member's post, then the bot reading the forum
    log = bot.forum.requests
    (member_post,) = [r for r in log if r.username == "ada"]
    bot_reads = [r for r in log if r.username == BOT and r.method == "GET"]
    assert bot_reads and min(r.at for r in bot_reads) > member_post.at
    assert "posts.latest" in {r.route for r in bot_reads}
    (reminder,) = bot.bot_posts(posted.json()["topic_id"])
    assert "in 10 minutes" in reminder.raw and MEETING_URL in reminder.raw
