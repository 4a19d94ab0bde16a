"""Issue 9 end to end: a call edited 3pm → 4pm → 3pm keeps its reminders, and a dry run at a pretend time
leaves the real ledger exactly as it was."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from cotechbot.actions import Status
from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger, metadata
from tests.scenario.conftest import fast_forum

LONDON = ZoneInfo("Europe/London")
MEETING_URL = "https://meet.jit.si/CoTechMembers"


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def announce(hour: str) -> str:
    return f"We're having a call at {hour} on Tuesday 2nd July at {MEETING_URL}"


def test_a_call_edited_to_4pm_and_back_to_3pm_is_reminded_at_3pm(make_bot) -> None:
    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    topic, post = bot.forum.create_topic("Members call", announce("3pm"), username="chris", created_at=posted)
    bot.run_at(posted)
    bot.forum.edit_post(post.id, announce("4pm"), at=posted + timedelta(hours=1))
    bot.run_at(posted + timedelta(hours=2))
    bot.forum.edit_post(post.id, announce("3pm"), at=posted + timedelta(hours=3))
    for at in (posted + timedelta(hours=4), london(2024, 7, 1, 15, 0), london(2024, 7, 2, 14, 50)):
        bot.run_at(at)
    sent = sorted(p.created_at.astimezone(LONDON) for p in bot.bot_posts(topic.id))
    assert sent == [london(2024, 7, 1, 15, 0), london(2024, 7, 2, 14, 50)]
    statuses = sorted(row.status for row in bot.ledger.actions())
    assert statuses == [Status.CANCELLED, Status.CANCELLED, Status.SENT, Status.SENT]
    revived = bot.ledger.audit_log(event="action_revived")
    assert len(revived) == 2 and all("14:00Z" in entry["action_key"] for entry in revived)


def everything_in(ledger: Ledger) -> dict[str, list[tuple]]:
    with ledger.engine.connect() as connection:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in connection.execute(sa.select(table)))
            for table in metadata.sorted_tables
        }


def test_a_dry_run_at_a_future_time_leaves_the_ledger_exactly_as_it_was(make_bot) -> None:
    """`once --dry-run --now <next week>` plans, dispatches and moves cursors on a copy: the real reminders
    stay pending, no cursor moves into the future, and the audit log gains nothing."""
    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    bot.forum.create_topic("Members call", announce("3pm"), username="chris", created_at=posted)
    bot.run_at(posted)
    assert [row.status for row in bot.ledger.actions()] == [Status.PENDING, Status.PENDING]
    before = everything_in(bot.ledger)

    dry_settings = bot.settings.model_copy(update={"dry_run": True})
    future = FixedClock(london(2024, 7, 9, 12, 0))
    dry = build_worker(dry_settings, future, forum=fast_forum(dry_settings), ledger=bot.ledger)
    report = dry.cycle()

    assert report.leader and report.sync_error is None
    assert report.planned.cancelled == 2  # it did cancel the reminders past its pretend time, on its copy
    assert everything_in(bot.ledger) == before
    dry.ledger.dispose()
