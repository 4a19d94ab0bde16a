"""``cotechbot demo``: the whole bot against the bundled sandbox forum, in a temporary directory.

It starts the fake Discourse seeded with the CoTech scenario (dates relative to now), runs one cycle — sync,
detect, plan, dispatch — and shows what the bot read, the events and date polls it found (each poll's stage in
its lifecycle), what it plans, and what was due at once (the date poll's check note); then it moves the clock to
each planned moment and runs the bot again, showing the messages it sends. Last, a member announces a call
in 10 minutes: the sandbox sends a signed webhook to the bot's HTTP face, which runs a cycle at once, and the
answer is shown with how long it took. Writes go through the dry-run wrapper, so the demo
shows the text that would be posted; state lives in a throwaway SQLite file, so what is still planned at the
end is printed rather than left for ``cotechbot plan``.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.facts import FactsReader
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.forum.dryrun import DryRunForum
from cotechbot.messages import local_time
from cotechbot.planview import (
    describe_capabilities,
    describe_plan,
    describe_post,
    preview_plans,
    topic_titles,
)
from cotechbot.sandbox.decisions_demo import demo_loomio, show_decision_log
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.membership_routes import handle_request_as, set_email
from cotechbot.sandbox.scenario import cotech_scenario
from cotechbot.settings import MembershipRules, MembershipSettings, Settings
from cotechbot.web.face import build_face
from cotechbot.web.metrics import Metrics
from cotechbot.web.server import BackgroundServer
from cotechbot.web.trigger import CycleTrigger

DEMO_KEY = "demo-key-not-a-secret"
DEMO_WEBHOOK_SECRET = "demo-webhook-secret-not-a-secret"
BOT = "cotechbot"
# Membership requests go to the stewards; a request to cotech-members from a member co-op's domain is eligible.
DEMO_MEMBERSHIP = MembershipSettings(
    enabled=True,
    rules={"cotech-members": MembershipRules(email_domains=["fictional.coop"], suggest="friends")},
)


def _seed_membership(forum: FakeDiscourse) -> None:
    """What an admin sees of the scenario's two requesters: their email addresses."""
    set_email(forum, "finn_coop", "finn@fictional.coop")
    set_email(forum, "gwen_newcoop", "gwen@example.net")


def _heading(out: TextIO, text: str) -> None:
    out.write(f"\n== {text} {'=' * max(0, 72 - len(text))}\n")


def _pending_times(ledger, forum: str) -> set[datetime]:
    return {row.due_at for row in ledger.actions(forum=forum, statuses=["pending"])}


def _show_writes(out: TextIO, moment: datetime, writes: list, zone: str, titles: dict[int, str]) -> None:
    for operation, arguments in writes:
        out.write(
            "\n" + describe_post(local_time(moment, zone, with_utc=False), operation, arguments, titles)
        )


def _moments_ahead(worker, settings: Settings, now: datetime) -> set[datetime]:
    """Moments worth stepping to besides due actions: the ends of upcoming events and of open polls, where
    a capability plans something new (a poll's result is planned only once it has closed)."""
    facts = FactsReader(worker.ledger, settings).read()
    plans = preview_plans(worker.capabilities, facts, worker.ledger, now)
    return {moment for _capability, plan in plans for moment in plan.wake_at if moment > now}


def _answer_a_post_at_once(out: TextIO, forum, worker, dry: DryRunForum, settings: Settings, titles) -> None:
    """A member announces a call in 10 minutes; the forum's signed webhook reaches the bot's HTTP face, which
    runs a cycle at once instead of waiting for the next poll. Shows the answer and how long it took."""
    _heading(out, "A post answered within a second (webhooks)")
    trigger = CycleTrigger(worker.cycle)
    trigger.start()
    face = build_face(
        settings=settings,
        ledger=worker.ledger,
        clock=worker.clock,
        metrics=Metrics(worker.ledger, settings.forum_name),
        request_cycle=trigger.poke,
        leading=lambda: True,
    )
    server = BackgroundServer(face, "127.0.0.1", 0).start()
    forum.add_webhook(f"{server.url}/webhooks/discourse", DEMO_WEBHOOK_SECRET)
    try:
        now = worker.clock.now()
        start = (now + timedelta(minutes=10)).astimezone(settings.zone)
        title = "Quick call about the newsletter"
        raw = (
            f"Quick call at {start:%H:%M} on {start:%A} {start.day} {start:%B} to sign off the newsletter: "
            "https://meet.jit.si/CoTechNewsletter"
        )
        already = len(dry.writes)
        sent = time.monotonic()
        topic, _ = forum.create_topic(title, raw, username="cerys")
        trigger.wait_for_runs(1, timeout=10)  # the webhook's cycle: it reads the post and answers it
        answered = time.monotonic() - sent
        first_read = min((r.at for r in forum.requests if r.username == BOT and r.at >= sent), default=sent)
        titles[topic.id] = title
        out.write(
            f"@cerys posts “{raw}”. The forum sends a signed webhook to the bot's /webhooks/discourse; the "
            f"bot reads the forum {1000 * (first_read - sent):.0f} ms after the post and answers "
            f"{1000 * answered:.0f} ms after it (polling alone could wait up to "
            f"{settings.sync_interval_minutes} minutes):\n"
        )
        _show_writes(out, now, dry.writes[already:], settings.timezone, titles)
        forum.wait_for_webhooks(timeout=10)
    finally:
        trigger.stop()
        server.stop()


def run_demo(now: datetime | None = None, out: TextIO = sys.stdout, max_moments: int = 6) -> int:
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    clock = FixedClock(now)
    with (
        tempfile.TemporaryDirectory(prefix="cotechbot-demo-") as workdir,
        FakeDiscourse.running(
            scenario=cotech_scenario(now), api_key=DEMO_KEY, api_username=BOT, now=clock
        ) as forum,
        demo_loomio(forum, clock) as decision_settings,
    ):
        digest_category = forum.add_category("Digest", description="The bot's weekly digest")
        settings = Settings(
            discourse_url=forum.url,
            discourse_api_key=DEMO_KEY,
            discourse_api_username=BOT,
            database_url=f"sqlite:///{Path(workdir) / 'demo.db'}",
            forum_name="cotech-sandbox",
            webhook_secret=DEMO_WEBHOOK_SECRET,
            digest={
                "category_id": digest_category.id,
                "hidden_category_ids": [forum.category("Stewards").id],
            },
            **decision_settings,
            moderator_group="stewards",
            membership=DEMO_MEMBERSHIP,
        )
        _seed_membership(forum)
        adapter = DiscourseForum(
            forum.url, BOT, DEMO_KEY, name=settings.forum_name, requests_per_minute=6000, burst=100
        )
        dry = DryRunForum(adapter, clock=clock)
        worker = build_worker(settings, clock, forum=dry)

        out.write(f"Sandbox forum at {forum.url}: {forum.topic_count} topics, {forum.post_count} posts.\n")
        out.write(
            f"The clock reads {local_time(now, settings.timezone)}. The bot reads the forum, works out what "
            "to say and when, then the demo skips ahead through the coming days to each moment the bot has "
            "something to post, and shows it. Nothing is really posted: it is a dry run.\n"
        )
        report = worker.cycle()
        sent_at_once = list(dry.writes)
        _heading(out, "What the bot read")
        sync = report.sync
        out.write(f"{getattr(sync, 'summary', lambda: str(sync))()}\n")
        ledger = worker.ledger
        forum_name = settings.forum_name
        facts = FactsReader(ledger, settings).read()
        _heading(out, "What each capability sees")
        out.write(describe_capabilities(worker.capabilities, facts, ledger, now) + "\n")
        show_decision_log(out, ledger, settings, _heading)
        titles = topic_titles(ledger, forum_name)
        _heading(out, "What it plans to post")
        out.write(
            describe_plan(
                ledger.actions(forum=forum_name, statuses=["pending"]),
                zone=settings.timezone,
                now=now,
                titles=titles,
            )
            + "\n"
        )

        _heading(out, "What it posts, moment by moment")
        _show_writes(out, now, sent_at_once, settings.timezone, titles)  # due at once: posted in that cycle
        # A steward answers one request on the forum: the bot notices at its next cycle and says so in the PM.
        handle_request_as(forum, "cotech-members", "gwen_newcoop", by="ada", accept=False)
        out.write("\n(On the forum, ada declines gwen_newcoop's request to join cotech-members.)\n")
        after_decision = now + timedelta(minutes=10)  # the bot's next cycle
        clock.set(after_decision)
        sent_before = len(dry.writes)
        worker.cycle()
        titles.update(dry.made_topics)
        _show_writes(out, after_decision, dry.writes[sent_before:], settings.timezone, titles)
        # Step to each next moment: a planned action, or a poll closing (its result is planned only then).
        closes = _moments_ahead(worker, settings, now)
        moment = after_decision
        for _ in range(max_moments):
            upcoming = [t for t in closes | _pending_times(ledger, forum_name) if t > moment]
            if not upcoming:
                break
            moment = min(upcoming)
            clock.set(moment)
            sent_before = len(dry.writes)
            worker.cycle()
            titles.update(dry.made_topics)  # replies in the private messages the dry run "sent"
            _show_writes(out, moment, dry.writes[sent_before:], settings.timezone, titles)
        _answer_a_post_at_once(out, forum, worker, dry, settings, titles)
        later = [row for row in ledger.actions(forum=forum_name, statuses=["pending"]) if row.due_at > moment]
        if later:
            # The demo's state is thrown away when it ends, so the rest of the plan is shown here.
            _heading(out, "Still to come after that")
            out.write(describe_plan(later, zone=settings.timezone, now=moment, titles=titles) + "\n")
        clock.set(now + timedelta(seconds=1))
    return 0


SANDBOX_KEY = "sandbox-key-not-a-secret"
SANDBOX_WEBHOOK_SECRET = "sandbox-webhook-secret-not-a-secret"


def serve_sandbox(
    port: int = 0,
    out: TextIO = sys.stdout,
    stop: threading.Event | None = None,
    webhook_port: int | None = None,
) -> int:
    """``cotechbot sandbox``: the bundled sandbox forum on its own, seeded with the CoTech scenario, until
    Ctrl-C — so ``check``, ``once``, ``plan`` and ``run`` can be tried by hand against it. With
    ``webhook_port``, it also sends signed webhooks to a bot serving its HTTP face on that local port."""
    stop = stop or threading.Event()
    now = datetime.now(UTC).replace(microsecond=0)
    forum = FakeDiscourse(api_key=SANDBOX_KEY, api_username=BOT, port=port)
    forum.scenario = cotech_scenario(now)(forum)
    forum.start()
    try:
        out.write(f"COTECHBOT_DISCOURSE_URL={forum.url}\n")
        out.write(f"COTECHBOT_DISCOURSE_API_KEY={SANDBOX_KEY}\n")
        out.write(f"COTECHBOT_DISCOURSE_API_USERNAME={BOT}\n")
        if webhook_port is not None:
            forum.add_webhook(f"http://127.0.0.1:{webhook_port}/webhooks/discourse", SANDBOX_WEBHOOK_SECRET)
            out.write(f"COTECHBOT_HTTP_PORT={webhook_port}\n")
            out.write(f"COTECHBOT_WEBHOOK_SECRET={SANDBOX_WEBHOOK_SECRET}\n")
        out.flush()
        sys.stderr.write(
            f"Sandbox forum with {forum.topic_count} topics at {forum.url}. In another shell, `export` the three "
            "lines above, then try `cotechbot check`, `cotechbot once --dry-run` and `cotechbot plan`. "
            "Ctrl-C stops it.\n"
        )
        sys.stderr.flush()
        while not stop.wait(timeout=1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        forum.stop()
    return 0
