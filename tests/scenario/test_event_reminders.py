"""Event reminders end to end: the real CoTech announcement, BST, GMT, the October change, edits, deletes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cotechbot.ledger import CANCELLED, SENT
from tests.conftest import require_shared

LONDON = ZoneInfo("Europe/London")
MEETING_URL = "https://meet.jit.si/CoTechGathering2024"


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def real_announcement() -> str:
    """The announcement paragraphs of the real thread, with the call link the text export dropped."""
    thread = require_shared("samples/forum/001_c0d097f263b5e7a6.txt").read_text(encoding="utf-8")
    start = thread.index("Following a few people from CoTech")
    end = thread.index("The above call")
    announcement = thread[start:end].strip()
    return announcement.replace("at this URL:", f"at this URL:\n\n{MEETING_URL}\n", 1)


def hours(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    times, at = [], start
    while at <= end:
        times.append(at)
        at += step
    return times


def reminder_times(bot, topic_id: int) -> list[datetime]:
    return [p.created_at.astimezone(LONDON) for p in bot.bot_posts(topic_id)]


def test_the_real_announcement_gets_two_reminders_exactly_once(make_bot) -> None:
    """'A call at 3pm on Tuesday 2nd July' (June 2024) is reminded at 15:00 on 1 July and 14:50 on 2 July, BST."""
    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic(
        "Rebooting CoTech in 2024", real_announcement(), username="chris", created_at=posted
    )
    # Many cycles over the week, with extra cycles right at and just after each due moment.
    schedule = hours(posted, london(2024, 7, 2, 16, 0), timedelta(hours=6))
    schedule += [
        london(2024, 7, 1, 15, 0),
        london(2024, 7, 1, 15, 0, 30),
        london(2024, 7, 2, 14, 50),
        london(2024, 7, 2, 14, 50, 5),
        london(2024, 7, 2, 14, 55),
    ]
    for at in sorted(schedule):
        bot.run_at(at, cycles=2)
    assert reminder_times(bot, topic.id) == [london(2024, 7, 1, 15, 0), london(2024, 7, 2, 14, 50)]
    day_before, ten_minutes = (p.raw for p in bot.bot_posts(topic.id))
    for text in (day_before, ten_minutes):
        assert MEETING_URL in text
        assert "Tuesday 2 July 2024, 15:00 BST (14:00 UTC)" in text  # in words, for email readers
        # Discourse's local-dates markup: the forum shows each reader the time in their own zone.
        assert '(in your time zone: [date=2024-07-02 time=15:00:00 timezone="Europe/London"])' in text
        assert f"/t/{topic.id}/1" in text
    assert "tomorrow" in day_before and "in 10 minutes" in ten_minutes
    assert [row.status for row in bot.ledger.actions()] == [SENT, SENT]


def test_a_winter_call_is_reminded_in_gmt(make_bot) -> None:
    """A 3pm call on Tuesday 5 November is reminded at 15:00 and 14:50 GMT."""
    posted = london(2024, 10, 30, 10, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic(
        "November members call",
        f"Our next members' call is at 3pm on Tuesday 5th November: {MEETING_URL} — agenda to follow.",
        username="polly",
        created_at=posted,
    )
    for at in [
        posted,
        london(2024, 11, 4, 15, 0),
        london(2024, 11, 4, 15, 1),
        london(2024, 11, 5, 14, 50),
        london(2024, 11, 5, 15, 30),
    ]:
        bot.run_at(at, cycles=2)
    assert reminder_times(bot, topic.id) == [london(2024, 11, 4, 15, 0), london(2024, 11, 5, 14, 50)]
    assert "Tuesday 5 November 2024, 15:00 GMT" in bot.bot_posts(topic.id)[0].raw
    assert '[date=2024-11-05 time=15:00:00 timezone="Europe/London"]' in bot.bot_posts(topic.id)[0].raw


def test_reminders_across_the_october_clock_change(make_bot) -> None:
    """For a 15:00 call on Sunday 27 October 2024, the day-before reminder is 15:00 BST on Saturday."""
    posted = london(2024, 10, 20, 9, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic(
        "Autumn gathering planning call",
        f"Planning call at 3pm on Sunday 27th October, here: {MEETING_URL}",
        username="mel",
        created_at=posted,
    )
    for at in [
        posted,
        london(2024, 10, 26, 15, 0),
        london(2024, 10, 27, 14, 50),
        london(2024, 10, 27, 16, 0),
    ]:
        bot.run_at(at, cycles=2)
    saturday, sunday = bot.bot_posts(topic.id)
    assert saturday.created_at == datetime(2024, 10, 26, 14, 0, tzinfo=UTC)  # 15:00 BST
    assert sunday.created_at == datetime(2024, 10, 27, 14, 50, tzinfo=UTC)  # 14:50 GMT
    assert "Sunday 27 October 2024, 15:00 GMT" in saturday.raw


def test_an_edited_time_moves_the_pending_reminders(make_bot) -> None:
    """After the call moves from 3pm to 4pm, reminders follow the new time and none go out for the old one."""
    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    topic, post = bot.forum.create_topic(
        "Members call",
        f"We're having a call at 3pm on Tuesday 2nd July at {MEETING_URL}",
        username="chris",
        created_at=posted,
    )
    bot.run_at(posted)
    assert {row.due_at for row in bot.ledger.actions()} == {
        london(2024, 7, 1, 15, 0),
        london(2024, 7, 2, 14, 50),
    }
    bot.forum.edit_post(
        post.id,
        f"We're having a call at 4pm on Tuesday 2nd July at {MEETING_URL}",
        at=posted + timedelta(hours=1),
    )
    # Edits don't bump a topic: the bot notices on its next re-read of watched topics.
    for at in sorted(
        hours(posted + timedelta(hours=1), london(2024, 7, 2, 17, 0), timedelta(hours=12))
        + [london(2024, 7, 1, 16, 0), london(2024, 7, 2, 15, 50)]
    ):
        bot.run_at(at)
    assert sorted(reminder_times(bot, topic.id)) == [london(2024, 7, 1, 16, 0), london(2024, 7, 2, 15, 50)]
    cancelled = [row for row in bot.ledger.actions() if row.status == CANCELLED]
    assert len(cancelled) == 2 and all("14:00Z" in row.key for row in cancelled)


def test_a_deleted_announcement_cancels_its_reminders(make_bot) -> None:
    """Deleting the announcing reply cancels the reminders that have not gone out."""
    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic(
        "Chatter about gatherings",
        "General thread for gathering ideas, post your thoughts below please.",
        username="polly",
        created_at=posted,
    )
    reply = bot.forum.reply(
        topic.id,
        f"Let's have a call at 3pm on Tuesday 2nd July: {MEETING_URL}",
        username="chris",
        created_at=posted,
    )
    bot.run_at(posted)
    assert len(bot.ledger.actions(statuses=["pending"])) == 2
    bot.forum.delete_post(reply.id, at=posted + timedelta(minutes=5))
    for at in hours(posted + timedelta(hours=1), london(2024, 7, 2, 16, 0), timedelta(hours=12)):
        bot.run_at(at)
    assert bot.bot_posts(topic.id) == []
    assert {row.status for row in bot.ledger.actions()} == {CANCELLED}


@pytest.mark.parametrize("restarts", [3])
def test_restarting_the_worker_never_reposts(make_bot, restarts: int) -> None:
    """A fresh worker on the same ledger (a restart) finds everything already sent and posts nothing again."""
    from cotechbot.app import build_worker
    from tests.scenario.conftest import fast_forum

    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic(
        "Members call",
        f"A call at 3pm on Tuesday 2nd July: {MEETING_URL}",
        username="chris",
        created_at=posted,
    )
    bot.run_at(london(2024, 7, 2, 14, 50))
    for _ in range(restarts):
        bot.worker = build_worker(bot.settings, bot.clock, forum=fast_forum(bot.settings))
        bot.run_at(london(2024, 7, 2, 14, 51), cycles=2)
    assert len(bot.bot_posts(topic.id)) == 1  # the day-before one had passed its grace when first seen
    assert re.search(r"in 10 minutes", bot.bot_posts(topic.id)[0].raw)


def test_calendar_export_lists_upcoming_events_in_utc(make_bot) -> None:
    """`cotechbot calendar` data holds each upcoming event once, with its start, link and announcement."""
    import icalendar

    from cotechbot.calendar import upcoming_events_calendar

    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic(
        "Members call",
        f"A call at 3pm on Tuesday 2nd July: {MEETING_URL}",
        username="chris",
        created_at=posted,
    )
    bot.run_at(posted)
    calendar = icalendar.Calendar.from_ical(upcoming_events_calendar(bot.ledger, bot.settings, posted))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Members call" and str(event["location"]) == MEETING_URL
    assert str(event["url"]).endswith(f"/t/{topic.id}/1")


@pytest.mark.parametrize("all_topics", [False, True])
def test_calendar_export_leaves_out_events_only_staff_can_read(make_bot, all_topics: bool) -> None:
    """Issue 9 item 19: the bot reads as an admin, but the calendar (file and feed) lists only events of
    topics everyone can read, unless calendar_all_topics says otherwise."""
    import icalendar

    from cotechbot.calendar import upcoming_events_calendar

    posted = london(2024, 6, 24, 12, 0)
    bot = make_bot(posted, calendar_all_topics=all_topics)
    stewards = bot.forum.add_category("Stewards", read_restricted=True, allowed_groups=["stewards"])
    inner = bot.forum.add_category("Stewards budget", parent_id=stewards.id)
    bot.forum.create_topic(
        "Members call", f"A call at 3pm on Tuesday 2nd July: {MEETING_URL}", username="chris"
    )
    for category, day in ((stewards, "Wednesday 3rd"), (inner, "Thursday 4th")):
        bot.forum.create_topic(
            f"Stewards call {day}",
            f"A call at 3pm on {day} July: {MEETING_URL}",
            category_id=category.id,
            username="chris",
        )
    bot.run_at(posted)
    calendar = icalendar.Calendar.from_ical(upcoming_events_calendar(bot.ledger, bot.settings, posted))
    titles = sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))
    if all_topics:
        assert titles == ["Members call", "Stewards call Thursday 4th", "Stewards call Wednesday 3rd"]
    else:
        assert titles == ["Members call"]
