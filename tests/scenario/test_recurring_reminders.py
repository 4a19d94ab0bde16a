"""A recurring call ("every Tuesday at 3pm") over the sandbox: each next occurrence is reminded of in a topic
of the events category, and nothing is posted for the same words in a general topic (issue 16)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EVENTS_CATEGORY = 2  # the first category added to a fresh sandbox (checked below)
SERIES = "Our open members' call is every Tuesday at 3pm, here: https://meet.jit.si/cotech-open"


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_each_next_occurrence_is_reminded_in_an_events_topic_and_not_in_a_general_one(make_bot) -> None:
    """Posted on Monday 24 June 2024: reminders for Tuesday 25 June and then Tuesday 2 July, in the events
    topic only; the general topic with the same sentence gets none."""
    posted = london(2024, 6, 24, 10, 0)
    bot = make_bot(posted, event_category_ids=[EVENTS_CATEGORY])
    assert bot.forum.add_category("Events").id == EVENTS_CATEGORY
    events_topic, _ = bot.forum.create_topic(
        "Open members' call", SERIES, category_id=EVENTS_CATEGORY, username="organiser", created_at=posted
    )
    general_topic, _ = bot.forum.create_topic(
        "Hello from a new member", f"Hi all! {SERIES}", username="newcomer", created_at=posted
    )
    for at in [
        posted,
        london(2024, 6, 24, 15, 0),
        london(2024, 6, 25, 14, 50),
        london(2024, 6, 25, 16, 0),
        london(2024, 7, 1, 15, 0),
        london(2024, 7, 2, 14, 50),
    ]:
        bot.run_at(at, cycles=2)
    reminders = bot.bot_posts(events_topic.id)
    assert [p.created_at.astimezone(LONDON) for p in reminders] == [
        london(2024, 6, 24, 15, 0),
        london(2024, 6, 25, 14, 50),
        london(2024, 7, 1, 15, 0),
        london(2024, 7, 2, 14, 50),
    ]
    assert '[date=2024-06-25 time=15:00:00 timezone="Europe/London"]' in reminders[0].raw
    assert '[date=2024-07-02 time=15:00:00 timezone="Europe/London"]' in reminders[3].raw
    assert bot.bot_posts(general_topic.id) == []
