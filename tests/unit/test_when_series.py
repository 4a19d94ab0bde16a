"""cotechbot.when: numeric day/month without a year, clocks in words, and recurring series (issue 16)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from cotechbot.when import read_times, run_jsonl

LONDON = "Europe/London"
# Tuesday 10 September 2024, noon BST.
SEPT = datetime(2024, 9, 10, 12, 0, tzinfo=timezone(timedelta(hours=1)))


def read(text: str, now: datetime = SEPT, tz: str = LONDON) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [
        (m.start.isoformat(), m.end.isoformat() if m.end else None, m.flags)
        for m in read_times(text, now, tz)
    ]


def starts(text: str, now: datetime = SEPT, tz: str = LONDON) -> list[str]:
    return [start for start, _, _ in read(text, now, tz)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/10 at 10:30", ["2024-10-31T10:30:00+00:00"]),
        ("Next call on 31/10 at 10:30, usual link.", ["2024-10-31T10:30:00+00:00"]),
        ("Can we do 12/10, 3pm?", ["2024-10-12T15:00:00+01:00"]),
        ("Workshop 4/11 @ 7pm", ["2024-11-04T19:00:00+00:00"]),
        ("We'll meet on 5/11.", ["2024-11-05"]),
    ],
)
def test_day_month_without_a_year_is_read_day_first_on_a_uk_forum(text, expected):
    """ "31/10 at 10:30" is 31 October in the forum's zone (GMT after the clocks go back), day before month."""
    assert starts(text) == expected


def test_the_forum_zone_decides_the_order_of_a_numeric_day():
    """The same "4/11 at 7pm" is 4 November on a London forum and 11 April on a New York one."""
    assert starts("Workshop on 4/11 at 7pm", tz=LONDON) == ["2024-11-04T19:00:00+00:00"]
    assert starts("Workshop on 4/11 at 7pm", tz="America/New_York") == ["2025-04-11T19:00:00-04:00"]


@pytest.mark.parametrize(
    "text",
    [
        "About 3/4 at 5 people came along.",
        "Half (1/2) of the members voted.",
        "Scored 7/10, would read again.",
        "Pages 3/12 to 4/12 of the report.",
    ],
)
def test_fractions_and_scores_are_not_numeric_days(text):
    """Without a clock or a word such as "on" beside it, a slash between two numbers is not a date."""
    assert read(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See you tomorrow at half past two.", "2024-09-11T14:30:00+01:00"),
        ("Call on Thursday 12th September at quarter past 10am.", "2024-09-12T10:15:00+01:00"),
        ("Call on Thursday 12th September at quarter to seven.", "2024-09-12T18:45:00+01:00"),
        ("Friday 13th September at two o'clock", "2024-09-13T14:00:00+01:00"),
        ("Drinks on Friday 13th September at half past 6pm", "2024-09-13T18:30:00+01:00"),
    ],
)
def test_clocks_in_words(text, expected):
    """ "half past two", "quarter to seven", "two o'clock": an afternoon meeting unless am is said."""
    assert starts(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Tuesday 10 September at noon: today's 3pm is still ahead.
        ("Our community call is every Tuesday at 3pm.", "2024-09-10T15:00:00+01:00"),
        # Today's 10am is gone: the next one is a week on.
        ("The rota runs every Tuesday at 10am.", "2024-09-17T10:00:00+01:00"),
        ("Socials are on the first Thursday of the month at 7pm.", "2024-10-03T19:00:00+01:00"),
        ("Board meetings: the last Friday of every month, 6pm.", "2024-09-27T18:00:00+01:00"),
        ("Quiz night is on the second Wednesday of each month at 8pm", "2024-09-11T20:00:00+01:00"),
        ("Open office hour each Friday from 2-3pm on Jitsi.", "2024-09-13T14:00:00+01:00"),
    ],
)
def test_a_recurring_series_yields_its_next_occurrence_flagged_recurring(text, expected):
    """ "every Tuesday at 3pm", "first Thursday of the month at 7pm": the next occurrence, flagged recurring."""
    found = read(text)
    assert [start for start, _, _ in found] == [expected]
    assert "recurring" in found[0][2]


def test_a_series_next_occurrence_follows_the_time_it_is_read_at():
    """Read a week later, the same announcement names the next Tuesday (each occurrence in turn)."""
    text = "Our community call is every Tuesday at 3pm."
    assert starts(text, SEPT + timedelta(days=7, hours=4)) == ["2024-09-24T15:00:00+01:00"]
    assert starts(text, SEPT + timedelta(days=7)) == ["2024-09-17T15:00:00+01:00"]


def test_weekdays_listed_after_a_recurring_one_recur_too():
    """ "Every Tuesday at 3pm and Thursday at 12pm": both are series, neither a one-off Thursday."""
    found = read("Community calls: every Tuesday at 3pm UK and Thursday at 12pm UK.")
    assert [start for start, _, _ in found] == ["2024-09-10T15:00:00+01:00", "2024-09-12T12:00:00+01:00"]
    assert all("recurring" in flags for _, _, flags in found)


@pytest.mark.parametrize(
    "text",
    [
        "We met every Tuesday at 3pm for years.",  # told in the past
        "The office is open every Tuesday.",  # no clock: a habit, not an appointment
        "Calls every other Tuesday at 4pm UK.",  # which week is not said
        "Our phone line is open 9am-5pm Monday to Friday.",
    ],
)
def test_series_without_a_sure_next_occurrence_are_not_read(text):
    assert read(text) == []


def test_when_jsonl_carries_the_recurring_flag():
    """`cotechbot when --jsonl -` shows the next occurrence with the flag, in the shape other tools read."""
    line = json.dumps({"id": "r1", "text": "Standup every Monday at 09:30.", "now": SEPT.isoformat()})
    out = io.StringIO()
    assert run_jsonl([line], out) == 0
    record = json.loads(out.getvalue())
    assert record == {
        "id": "r1",
        "events": [
            {"start": "2024-09-16T09:30:00+01:00", "end": None, "all_day": False, "flags": ["recurring"]}
        ],
    }


def test_a_series_with_a_start_date_begins_there():
    """ "Starting Sunday 29 September, … every Sunday from 11am-4pm": the start date at the series' hours,
    and no occurrence before it; once it has gone, the next Sunday is the series' next occurrence."""
    text = "Starting Sunday 29 September, the workshop is open every Sunday from 11am-4pm!"
    assert starts(text) == ["2024-09-29T11:00:00+01:00"]
    later = datetime(2024, 10, 1, 12, 0, tzinfo=UTC)
    found = read(text, later)
    assert [(start, "recurring" in flags) for start, _, flags in found if "past" not in flags] == [
        ("2024-10-06T11:00:00+01:00", True)
    ]
