"""``cotechbot demo``: the whole bot against the bundled sandbox forum, in a temporary directory.

It starts the fake Discourse seeded with the CoTech scenario (dates relative to now), runs one cycle — sync,
detect, plan, dispatch — and shows what the bot read, the events and date polls it found (each poll's stage in
its lifecycle), what it plans, and what was due at once (the date poll's check note); then it moves the clock to
each planned moment and runs the bot again, showing the messages it sends. Writes go through the dry-run wrapper, so the demo
shows the text that would be posted; state lives in a throwaway SQLite file, so what is still planned at the
end is printed rather than left for ``cotechbot plan``.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.demo_decisions import demo_loomio, show_decision_log
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
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.scenario import cotech_scenario
from cotechbot.settings import Settings

DEMO_KEY = "demo-key-not-a-secret"
BOT = "cotechbot"


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
            digest={
                "category_id": digest_category.id,
                "hidden_category_ids": [forum.category("Stewards").id],
            },
            **decision_settings,
        )
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
        # Step to each next moment: a planned action, or a poll closing (its result is planned only then).
        closes = _moments_ahead(worker, settings, now)
        moment = now
        for _ in range(max_moments):
            upcoming = [t for t in closes | _pending_times(ledger, forum_name) if t > moment]
            if not upcoming:
                break
            moment = min(upcoming)
            clock.set(moment)
            sent_before = len(dry.writes)
            worker.cycle()
            _show_writes(out, moment, dry.writes[sent_before:], settings.timezone, titles)
        later = [row for row in ledger.actions(forum=forum_name, statuses=["pending"]) if row.due_at > moment]
        if later:
            # The demo's state is thrown away when it ends, so the rest of the plan is shown here.
            _heading(out, "Still to come after that")
            out.write(describe_plan(later, zone=settings.timezone, now=moment, titles=titles) + "\n")
        clock.set(now + timedelta(seconds=1))
    return 0


SANDBOX_KEY = "sandbox-key-not-a-secret"


def serve_sandbox(port: int = 0, out: TextIO = sys.stdout, stop: threading.Event | None = None) -> int:
    """``cotechbot sandbox``: the bundled sandbox forum on its own, seeded with the CoTech scenario, until
    Ctrl-C — so ``check``, ``once``, ``plan`` and ``run`` can be tried by hand against it."""
    stop = stop or threading.Event()
    now = datetime.now(UTC).replace(microsecond=0)
    forum = FakeDiscourse(api_key=SANDBOX_KEY, api_username=BOT, port=port)
    forum.scenario = cotech_scenario(now)(forum)
    forum.start()
    try:
        out.write(f"COTECHBOT_DISCOURSE_URL={forum.url}\n")
        out.write(f"COTECHBOT_DISCOURSE_API_KEY={SANDBOX_KEY}\n")
        out.write(f"COTECHBOT_DISCOURSE_API_USERNAME={BOT}\n")
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
