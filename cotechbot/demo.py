"""``cotechbot demo``: the whole bot against the bundled sandbox forum, in a temporary directory.

It starts the fake Discourse seeded with the CoTech scenario (dates relative to now), runs one cycle — sync,
detect, plan — and shows what the bot read and what it plans; then it moves the clock to each planned moment
and runs the bot again, showing the messages it sends. Writes go through the dry-run wrapper, so the demo
shows the text that would be posted; state lives in a throwaway SQLite file.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from cotechbot.app import build_worker
from cotechbot.capabilities.events import EventRules, detect_events
from cotechbot.clock import FixedClock
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.forum.dryrun import DryRunForum
from cotechbot.messages import local_time
from cotechbot.planview import describe_plan
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.scenario import cotech_scenario
from cotechbot.settings import Settings

DEMO_KEY = "demo-key-not-a-secret"
BOT = "cotechbot"


def _heading(out: TextIO, text: str) -> None:
    out.write(f"\n== {text} {'=' * max(0, 72 - len(text))}\n")


def run_demo(now: datetime | None = None, out: TextIO = sys.stdout, max_moments: int = 4) -> int:
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    clock = FixedClock(now)
    with tempfile.TemporaryDirectory(prefix="cotechbot-demo-") as workdir, \
            FakeDiscourse.running(scenario=cotech_scenario(now), api_key=DEMO_KEY, api_username=BOT,
                                  now=clock) as forum:
        settings = Settings(discourse_url=forum.url, discourse_api_key=DEMO_KEY, discourse_api_username=BOT,
                            database_url=f"sqlite:///{Path(workdir) / 'demo.db'}", forum_name="cotech-sandbox")
        adapter = DiscourseForum(forum.url, BOT, DEMO_KEY, name=settings.forum_name, requests_per_minute=6000,
                                 burst=100)
        dry = DryRunForum(adapter, clock=clock)
        worker = build_worker(settings, clock, forum=dry)

        out.write(f"Sandbox forum at {forum.url}: {forum.topic_count} topics, {forum.post_count} posts.\n")
        out.write(f"The clock reads {local_time(now, settings.timezone)}; writes are dry-run (shown, not sent).\n")
        report = worker.cycle()
        _heading(out, "What the bot read")
        sync = report.sync
        out.write(f"{getattr(sync, 'summary', lambda: str(sync))()}\n")
        ledger = worker.ledger
        topics = {t.id: t for t in ledger.mirrored_topics(settings.forum_name)}
        facts = detect_events(ledger.mirrored_posts(settings.forum_name), topics, now,
                              EventRules.from_settings(settings))
        _heading(out, f"Upcoming events found ({len(facts)})")
        for fact in facts:
            out.write(f"- {fact.title}: {local_time(fact.start, settings.timezone)} [{fact.origin}]"
                      f"{' ' + fact.url if fact.url else ''}\n")
        _heading(out, "The plan")
        out.write(describe_plan(ledger.actions(forum=settings.forum_name, statuses=["pending"]),
                                zone=settings.timezone, now=now) + "\n")

        moments = sorted({row.due_at for row in ledger.actions(forum=settings.forum_name, statuses=["pending"])})
        for moment in moments[:max_moments]:
            clock.set(moment)
            sent_before = len(dry.writes)
            worker.cycle()
            for operation, arguments in dry.writes[sent_before:]:
                _heading(out, f"{local_time(moment, settings.timezone, with_utc=False)}: {operation}")
                out.write(str(arguments.get("raw", arguments)).strip() + "\n")
        remaining = len(moments) - min(len(moments), max_moments)
        if remaining:
            out.write(f"\n… and {remaining} more planned moment(s); `cotechbot plan` lists them.\n")
        clock.set(now + timedelta(seconds=1))
    return 0
