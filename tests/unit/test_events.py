"""Event detection and reminder planning: pure functions over posts, topics and a fixed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cotechbot.capabilities.events import (
    EventRules,
    detect_events,
    events_in_post,
    meeting_link,
    plan_reminders,
    reminder_due,
)
from cotechbot.models import CalendarEvent, Post, Topic

RULES = EventRules(base_url="https://forum.example.coop")
# Posted in June 2024, as in the real thread: the call is on Tuesday 2 July 2024 at 15:00 BST.
ANNOUNCEMENT = (
    "Following a chat at Congress last week we are going to have a call at 3pm on Tuesday 2nd July to "
    "discuss organising a gathering for 2024, at this URL:\n\nhttps://meet.jit.si/cotech-gathering-2024\n\n"
    "I'll post the access code for the meeting on the day."
)
POSTED = datetime(2024, 6, 24, 11, 0, tzinfo=UTC)


def make_post(
    raw: str,
    *,
    post_id: int = 10,
    topic_id: int = 1,
    post_number: int = 1,
    created: datetime = POSTED,
    event: CalendarEvent | None = None,
    category_id: int | None = 4,
) -> Post:
    return Post(
        id=post_id,
        topic_id=topic_id,
        post_number=post_number,
        raw=raw,
        cooked="",
        created_at=created,
        topic_title="CoTech gathering 2024",
        category_id=category_id,
        event=event,
        username="organiser",
    )


def topic(
    tags: list[str] | None = None, category_id: int | None = 4, title: str = "CoTech gathering 2024"
) -> Topic:
    return Topic(id=1, title=title, tags=tags or [], category_id=category_id)


def test_a_call_announced_in_prose_is_an_event_with_its_link() -> None:
    """The real announcement yields one event at 15:00 BST on 2 July 2024 with the video-call link."""
    [fact] = events_in_post(make_post(ANNOUNCEMENT), topic(), POSTED, RULES)
    assert fact.start == datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
    assert fact.url == "https://meet.jit.si/cotech-gathering-2024"
    assert fact.origin == "prose"


def test_reminders_are_due_a_day_and_ten_minutes_before_in_bst() -> None:
    """Reminders fall due 1 July 15:00 and 2 July 14:50 London time, keyed by topic, start and offset."""
    facts = detect_events([make_post(ANNOUNCEMENT)], {1: topic()}, POSTED, RULES)
    actions = plan_reminders(facts, POSTED, "cotech", RULES)
    assert [a.due_at for a in actions] == [
        datetime(2024, 7, 1, 14, 0, tzinfo=UTC),
        datetime(2024, 7, 2, 13, 50, tzinfo=UTC),
    ]
    assert [a.key for a in actions] == [
        "reminder:topic/1:2024-07-02T14:00Z:-1d",
        "reminder:topic/1:2024-07-02T14:00Z:-10m",
    ]
    text = actions[1].payload["raw"]
    assert "https://meet.jit.si/cotech-gathering-2024" in text
    assert "Tuesday 2 July 2024, 15:00 BST (14:00 UTC)" in text
    assert "https://forum.example.coop/t/1/1" in text
    assert text.rstrip().endswith("<!-- cotechbot:reminder:topic/1:2024-07-02T14:00Z:-10m -->")


def test_planning_twice_gives_the_same_actions() -> None:
    """Same input, same actions: planning is deterministic."""

    def plan():
        return plan_reminders(
            detect_events([make_post(ANNOUNCEMENT)], {1: topic()}, POSTED, RULES), POSTED, "cotech", RULES
        )

    assert plan() == plan()


def test_in_winter_reminders_follow_gmt() -> None:
    """A 3pm call in November is 15:00 GMT, and its reminders are due at 15:00 and 14:50 GMT."""
    posted = datetime(2024, 10, 30, 9, 0, tzinfo=UTC)
    post = make_post(
        "Next members' call at 3pm on Tuesday 5th November, same link as always: https://meet.jit.si/cotech",
        created=posted,
    )
    actions = plan_reminders(detect_events([post], {1: topic()}, posted, RULES), posted, "cotech", RULES)
    assert [a.due_at for a in actions] == [
        datetime(2024, 11, 4, 15, 0, tzinfo=UTC),
        datetime(2024, 11, 5, 14, 50, tzinfo=UTC),
    ]


def test_a_day_before_keeps_the_wall_clock_across_the_october_change() -> None:
    """For a 15:00 GMT call on Sunday 27 October 2024, the day-before reminder is 15:00 BST on the 26th."""
    start = datetime(2024, 10, 27, 15, 0, tzinfo=UTC)  # 15:00 GMT: the clocks went back at 01:00 UTC
    assert reminder_due(start, timedelta(days=1), "Europe/London") == datetime(
        2024, 10, 26, 14, 0, tzinfo=UTC
    )
    assert reminder_due(start, timedelta(minutes=10), "Europe/London") == datetime(
        2024, 10, 27, 14, 50, tzinfo=UTC
    )


def test_a_day_before_keeps_the_wall_clock_across_the_march_change() -> None:
    """For a 10:00 BST call on Sunday 31 March 2024, the day-before reminder is 10:00 GMT on the 30th."""
    start = datetime(2024, 3, 31, 9, 0, tzinfo=UTC)
    assert reminder_due(start, timedelta(days=1), "Europe/London") == datetime(2024, 3, 30, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        "Working on a date with the US co-ops, likely: Tues 4th or Thurs 6th April @ 17.30 UTC.",
        "They met for their conference on 23-24th September at Space4.",
        "We could have a call sometime in about 3 weeks at 17.30 our time.",
        "The Workers Co-op Weekend is 17th-19 May 2024, so let's avoid that.",
        "The call was at 3pm on Tuesday 18th June, thanks all for coming.",
        "```\nmeeting at 3pm on Tuesday 2nd July\n```",
        '[quote="someone"]we are going to have a call at 3pm on Tuesday 2nd July[/quote]\nI can\'t make it.',
    ],
)
def test_proposals_past_vague_and_quoted_times_plan_nothing(raw: str) -> None:
    """Candidate dates, past or all-day mentions, vague times, code and quotes are not events to remind."""
    assert events_in_post(make_post(raw), topic(), POSTED, RULES) == []


def test_a_dated_sentence_without_a_cue_word_needs_an_event_topic() -> None:
    """'Tuesday 2nd July at 3pm works for me' is not an event in chat, but is in a topic tagged events."""
    raw = "Tuesday 2nd July at 3pm works for me."
    assert events_in_post(make_post(raw), topic(), POSTED, RULES) == []
    [fact] = events_in_post(make_post(raw), topic(tags=["events"]), POSTED, RULES)
    assert fact.start == datetime(2024, 7, 2, 14, 0, tzinfo=UTC)


def test_the_opt_out_tag_silences_a_topic() -> None:
    """A topic tagged no-reminders yields no events at all."""
    assert events_in_post(make_post(ANNOUNCEMENT), topic(tags=["no-reminders"]), POSTED, RULES) == []


def test_calendar_events_use_their_own_time_and_url() -> None:
    """An [event] post gives its start, end and url, whatever the prose says."""
    event = CalendarEvent(
        id=10,
        name="Members' call",
        starts_at=datetime(2024, 7, 3, 17, 0, tzinfo=UTC),
        ends_at=datetime(2024, 7, 3, 18, 0, tzinfo=UTC),
        url="https://meet.example/abc",
    )
    [fact] = events_in_post(make_post("[event start=...]\n[/event]", event=event), topic(), POSTED, RULES)
    assert (fact.title, fact.start, fact.end, fact.url, fact.origin) == (
        "Members' call",
        event.starts_at,
        event.ends_at,
        "https://meet.example/abc",
        "calendar",
    )


def test_calendar_plugin_reminders_are_not_doubled() -> None:
    """When the calendar plugin reminds for an event, the bot plans no reminder of its own (by default)."""
    event = CalendarEvent(
        id=10,
        starts_at=datetime(2024, 7, 3, 17, 0, tzinfo=UTC),
        reminders=[{"value": 1, "unit": "hours", "period": "before", "type": "notification"}],
    )
    facts = events_in_post(make_post("x", event=event), topic(), POSTED, RULES)
    assert plan_reminders(facts, POSTED, "cotech", RULES) == []
    doubled = EventRules(respect_calendar_reminders=False)
    assert len(plan_reminders(facts, POSTED, "cotech", doubled)) == 2


def test_a_reminder_past_its_grace_is_not_planned() -> None:
    """Found after the day-before moment has passed by more than the grace, only the 10-minute one remains."""
    facts = detect_events([make_post(ANNOUNCEMENT)], {1: topic()}, POSTED, RULES)
    late = datetime(2024, 7, 1, 14, 31, tzinfo=UTC)  # 31 minutes after the 1-day reminder fell due
    assert [a.payload["offset"] for a in plan_reminders(facts, late, "cotech", RULES)] == ["10m"]
    just_in_time = datetime(2024, 7, 1, 14, 29, tzinfo=UTC)
    assert len(plan_reminders(facts, just_in_time, "cotech", RULES)) == 2


def test_a_repeat_announcement_does_not_make_a_second_event() -> None:
    """'The above call is in 10 minutes' names the same start as the announcement: one event, not two."""
    repeat = make_post(
        "The above call is in 10 minutes at this URL, access code 486072!",
        post_id=11,
        post_number=2,
        created=datetime(2024, 7, 2, 13, 50, tzinfo=UTC),
    )
    facts = detect_events([make_post(ANNOUNCEMENT), repeat], {1: topic()}, POSTED, RULES)
    assert [(f.post_id, f.start) for f in facts] == [(10, datetime(2024, 7, 2, 14, 0, tzinfo=UTC))]


def test_reminder_text_never_pings_or_breaks_markdown() -> None:
    """A hostile topic title cannot @-mention people or inject markup into the reminder."""
    hostile = topic(title="@everyone **urgent** [click](http://evil.example) <script>")
    facts = detect_events([make_post(ANNOUNCEMENT)], {1: hostile}, POSTED, RULES)
    raw = plan_reminders(facts, POSTED, "cotech", RULES)[0].payload["raw"]
    assert "@everyone" not in raw and "<script>" not in raw and "[click]" not in raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "see https://example.coop/agenda and join https://meet.jit.si/cotech.",
            "https://meet.jit.si/cotech",
        ),
        ("agenda: https://example.coop/agenda.", "https://example.coop/agenda"),
        ("no link here", None),
    ],
)
def test_meeting_link_prefers_video_call_hosts(text: str, expected: str | None) -> None:
    """The join link is a known video-call host when there is one, else the first link, without punctuation."""
    assert meeting_link(text) == expected
