"""cotechbot.when: reading dates and times out of forum text."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cotechbot.when import format_table, mention_as_json, read_poll_options, read_times, run_jsonl

LONDON = "Europe/London"
# Tuesday 10 September 2024, noon BST: the post every table below was "written" at unless it says otherwise.
SEPT = datetime(2024, 9, 10, 12, 0, tzinfo=timezone(timedelta(hours=1)))


def events(
    text: str, now: datetime = SEPT, tz: str = LONDON, **options
) -> list[tuple[str | None, str | None, bool]]:
    return [
        (j["start"], j["end"], j["all_day"])
        for j in (mention_as_json(m) for m in read_times(text, now, tz, **options))
    ]


def timed(start: str, end: str | None = None) -> tuple[str, str | None, bool]:
    return (start, end, False)


def all_day(start: str, end: str | None = None) -> tuple[str, str | None, bool]:
    return (start, end, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday 23rd September 2pm", [timed("2024-09-23T14:00:00+01:00")]),
        ("Monday 23 September 2pm", [timed("2024-09-23T14:00:00+01:00")]),
        ("September 23rd at 2pm", [timed("2024-09-23T14:00:00+01:00")]),
        ("Tuesday, October 15, 2024 at 4:00 PM", [timed("2024-10-15T16:00:00+01:00")]),
        ("on the 15th of October at 7.30pm", [timed("2024-10-15T19:30:00+01:00")]),
        ("Oct. 3rd @ noon", [timed("2024-10-03T12:00:00+01:00")]),
        ("24/09/2024 at 18:00", [timed("2024-09-24T18:00:00+01:00")]),
        ("Thu 26/09 at 11am", [timed("2024-09-26T11:00:00+01:00")]),
        ("Gathering: 2024-11-16", [all_day("2024-11-16")]),
    ],
)
def test_day_month_orders_ordinals_and_numbers(text, expected):
    """Day-month and month-day orders, ordinals and plain numbers, numeric and ISO dates all read the same day."""
    assert events(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tues 1st October, 4pm", [timed("2024-10-01T16:00:00+01:00")]),
        ("Weds 2nd October, 4pm", [timed("2024-10-02T16:00:00+01:00")]),
        ("Thurs 3rd October, 4pm", [timed("2024-10-03T16:00:00+01:00")]),
        ("Thu. 3 Oct, 4pm", [timed("2024-10-03T16:00:00+01:00")]),
        ("Sat 5th & Sun 6th October", [all_day("2024-10-05", "2024-10-06")]),
    ],
)
def test_weekday_abbreviations(text, expected):
    """Weekday names and the abbreviations people type (Tues, Weds, Thurs) are understood."""
    assert events(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17th-19 May 2025", [all_day("2025-05-17", "2025-05-19")]),
        ("10th-11th July 2025", [all_day("2025-07-10", "2025-07-11")]),
        ("Friday 29th November - Sunday 1st December", [all_day("2024-11-29", "2024-12-01")]),
        ("Dec 12-13", [all_day("2024-12-12", "2024-12-13")]),
        ("We'll be at Co-ops Fortnight, 21 June – 6 July 2025.", [all_day("2025-06-21", "2025-07-06")]),
        ("The co-op weekend is 1st and 2nd of November", [all_day("2024-11-01", "2024-11-02")]),
    ],
)
def test_ranges_of_days(text, expected):
    """Ranges of days, within and across months, give an all-day event whose end is the last day."""
    assert events(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-4pm Monday 23rd September", [timed("2024-09-23T15:00:00+01:00", "2024-09-23T16:00:00+01:00")]),
        ("11-1pm Monday 23rd September", [timed("2024-09-23T11:00:00+01:00", "2024-09-23T13:00:00+01:00")]),
        (
            "Monday 23rd September, 18:00–19:00",
            [timed("2024-09-23T18:00:00+01:00", "2024-09-23T19:00:00+01:00")],
        ),
        (
            "Monday 23rd September, 8am-10amPT",
            [timed("2024-09-23T08:00:00-07:00", "2024-09-23T10:00:00-07:00")],
        ),
        (
            "between 2 and 4pm on Monday 14th October",
            [timed("2024-10-14T14:00:00+01:00", "2024-10-14T16:00:00+01:00")],
        ),
        (
            "Fri 11th Oct from 10am until 4pm",
            [timed("2024-10-11T10:00:00+01:00", "2024-10-11T16:00:00+01:00")],
        ),
        ("3rd October 12 noon - 1pm", [timed("2024-10-03T12:00:00+01:00", "2024-10-03T13:00:00+01:00")]),
    ],
)
def test_ranges_of_times(text, expected):
    """Ranges of times: am/pm written once applies to both ends; 24 h ranges and glued zones work."""
    assert events(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday 23rd September at 17.30", "2024-09-23T17:30:00+01:00"),
        ("Monday 23rd September at 1500 UTC", "2024-09-23T15:00:00+00:00"),
        ("Monday 23rd September at 3pm", "2024-09-23T15:00:00+01:00"),
        ("Monday 23rd September at noon", "2024-09-23T12:00:00+01:00"),
        ("Monday 23rd September at 9:30", "2024-09-23T09:30:00+01:00"),
        ("Monday 23rd September at 5.30", "2024-09-23T17:30:00+01:00"),
    ],
)
def test_twelve_and_twenty_four_hour_clocks(text, expected):
    """17.30, 1500 UTC, 3pm and noon are clocks; an unmarked 5.30 for a meeting is read as the afternoon."""
    assert events(text) == [timed(expected)]


@pytest.mark.parametrize(
    ("zone", "january", "july"),
    [
        ("UTC", "+00:00", "+00:00"),
        ("GMT", "+00:00", "+00:00"),
        ("BST", "+00:00", "+01:00"),
        ("CET", "+01:00", "+02:00"),
        ("CEST", "+01:00", "+02:00"),
        ("ET", "-05:00", "-04:00"),
        ("EST", "-05:00", "-04:00"),
        ("EDT", "-05:00", "-04:00"),
        ("PT", "-08:00", "-07:00"),
        ("PST", "-08:00", "-07:00"),
        ("PDT", "-08:00", "-07:00"),
        ("our time", "+00:00", "+01:00"),
        ("UK time", "+00:00", "+01:00"),
    ],
)
def test_zone_abbreviations(zone, january, july):
    """UTC and GMT are +00:00; a regional abbreviation is its region's clock on that date, whichever season's
    name was written (people write "PST" all year), as are ET/PT and 'our time' (LABELLING.md)."""
    now = datetime(2024, 12, 1, 12, tzinfo=UTC)
    assert events(f"Thursday 16th January 2025 at 2pm {zone}", now) == [
        timed(f"2025-01-16T14:00:00{january}")
    ]
    assert events(f"Wednesday 16th July 2025 at 2pm {zone}", now) == [timed(f"2025-07-16T14:00:00{july}")]


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("Call tomorrow at 10am", datetime(2024, 10, 26, 18, tzinfo=UTC), "2024-10-27T10:00:00+00:00"),
        (
            "See you tomorrow at 11am for the hack day",
            datetime(2025, 3, 29, 9, tzinfo=UTC),
            "2025-03-30T11:00:00+01:00",
        ),
        ("Sunday 31st March 2024 at 6pm", datetime(2024, 3, 1, tzinfo=UTC), "2024-03-31T18:00:00+01:00"),
        ("Saturday 30th March 2024 at 6pm", datetime(2024, 3, 1, tzinfo=UTC), "2024-03-30T18:00:00+00:00"),
        ("Monday 28th October 2024 at 9:30", datetime(2024, 10, 20, tzinfo=UTC), "2024-10-28T09:30:00+00:00"),
        ("Sunday 31st March 2024 at 1.30am", datetime(2024, 3, 1, tzinfo=UTC), "2024-03-31T02:30:00+01:00"),
    ],
)
def test_uk_summer_time_boundaries(text, now, expected):
    """Clocks in the forum's zone take BST or GMT by the date they fall on, including the change-over days."""
    assert events(text, now) == [timed(expected)]


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        (
            "The above call is in 10 minutes",
            datetime(2024, 7, 2, 13, 50, tzinfo=UTC),
            [timed("2024-07-02T15:00:00+01:00")],
        ),
        ("The hack session starts in half an hour", SEPT, [timed("2024-09-10T12:30:00+01:00")]),
        ("The budget call is in an hour", SEPT, [timed("2024-09-10T13:00:00+01:00")]),
        ("Call tomorrow at 2pm, same link", SEPT, [timed("2024-09-11T14:00:00+01:00")]),
        ("Call today at 3pm if you can make it", SEPT, [timed("2024-09-10T15:00:00+01:00")]),
        ("Let's catch up next Friday over coffee", SEPT, [all_day("2024-09-13")]),
        (
            "Shall we say Thursday at 11:30 for the onboarding chat?",
            SEPT,
            [timed("2024-09-12T11:30:00+01:00")],
        ),
        ("Next Tuesday at 3pm suits me", SEPT, [timed("2024-09-17T15:00:00+01:00")]),
        ("Hack night this Thursday, 7pm onwards", SEPT, [timed("2024-09-12T19:00:00+01:00")]),
        ("Thanks for registering for tomorrow's chat", SEPT, [all_day("2024-09-11")]),
    ],
)
def test_relative_times(text, now, expected):
    """Relative times count from when the post was written; weekdays resolve to the next such day."""
    assert events(text, now) == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        (
            "Tuesday 7th January at 2pm",
            datetime(2024, 12, 18, tzinfo=UTC),
            [timed("2025-01-07T14:00:00+00:00")],
        ),
        (
            "3pm on Tuesday 2nd July",
            datetime(2024, 6, 24, 11, tzinfo=UTC),
            [timed("2024-07-02T15:00:00+01:00")],
        ),
        ("Our next coffee morning is 11am on Friday the 20th.", SEPT, [timed("2024-09-20T11:00:00+01:00")]),
        (
            "Saturday 14th September at 10am",
            datetime(2024, 9, 16, tzinfo=UTC),
            [timed("2024-09-14T10:00:00+01:00")],
        ),
    ],
)
def test_implicit_years(text, now, expected):
    """A date without a year is its next occurrence, unless it has only just gone by (then it is flagged past)."""
    assert events(text, now) == expected


def test_several_candidates_share_month_and_time():
    """'Tues 4th or Thurs 6th April @ 17.30 UTC' is two candidate events sharing the month and the clock."""
    now = datetime(2023, 3, 20, 12, tzinfo=UTC)
    assert events("Tues 4th or Thurs 6th April @ 17.30 UTC", now) == [
        timed("2023-04-04T17:30:00+00:00"),
        timed("2023-04-06T17:30:00+00:00"),
    ]


def test_alternatives_with_a_shared_trailing_time():
    """Dates listed with 'or' and commas all take the time written after the last one."""
    assert events("Options: 9 June, 12 June or 19 June 2025 (all 3-4pm).") == [
        timed("2025-06-09T15:00:00+01:00", "2025-06-09T16:00:00+01:00"),
        timed("2025-06-12T15:00:00+01:00", "2025-06-12T16:00:00+01:00"),
        timed("2025-06-19T15:00:00+01:00", "2025-06-19T16:00:00+01:00"),
    ]


def test_daily_hours_over_two_days_are_one_span():
    """'Thursday 23rd and Friday 24th April, 10:00-16:00 each day' is one all-day span (LABELLING.md: the
    daily hours are not one interval), flagged ``daily_times``."""
    now = datetime(2020, 4, 14, 11, tzinfo=UTC)
    (mention,) = read_times("Thursday 23rd and Friday 24th April, 10:00–16:00 each day", now, LONDON)
    assert (mention.start.isoformat(), mention.end.isoformat(), mention.all_day) == (
        "2020-04-23",
        "2020-04-24",
        True,
    )
    assert "daily_times" in mention.flags


def test_weekend_stay_with_times_is_one_event():
    """'from 6pm Friday … to 2pm Sunday …' is one event from the first time to the second."""
    assert events("We've got the venue from 6pm Friday 13th September to 2pm Sunday 15th September.") == [
        timed("2024-09-13T18:00:00+01:00", "2024-09-15T14:00:00+01:00")
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("We had 17 bookings in total, despite minimal promotion.", "count"),
        ("Hosting is £15.50 a month per site, or $20.", "price"),
        ("The talk lasts 45 minutes with 15 minutes of questions.", "duration"),
        ("It took 3 hours and 20 minutes to get there.", "duration"),
        ("Upgraded to Discourse 3.2.1 and PostgreSQL 15.4 last night.", "version"),
        ("New box is on Ubuntu 22.04 with Python 3.12.", "version"),
        ("The above call is at this URL, access code 486072.", "access code"),
        ("Meeting ID: 873 4451 2290, passcode 551204", "meeting id"),
        ("CoTech is a UK network of technology cooperatives started in 2016.", "bare year"),
        ("There's also Worker Co-op Weekend in May.", "month alone"),
        ("Agile Collective promised the next gathering in Oxford this Autumn.", "season"),
        ("They are up for a meeting in about 3 weeks at 17.30 our time.", "vague span"),
        ("I'm planning to have a web page up in a week's time.", "vague span"),
        ("Billy and Graham are available via chat (Weds PM / Fri PM).", "recurring availability"),
        ("Our phone line is open 9am-5pm Monday to Friday.", "opening hours"),
        ("Both those dates have passed.", "vague past"),
        ("We met last Thursday and agreed the budget.", "vague past"),
        ("The call is at 4pm.", "time without a date"),
        ("Read the notes at https://pad.example.org/p/cotech-2024-09-17 first.", "date in a link"),
        ("To show a local time, write `[date=2025-06-10 time=18:00:00]` in a post.", "code"),
        ("We may need 2 more volunteers.", "may as a verb"),
        ("See clause 7.3 and section 12.1 of the rules.", "clause numbers"),
        ("I'll reply in 10 minutes once I've read it.", "relative time of an errand"),
        ("The offer letter is dated 3 March 2025.", "record date"),
    ],
)
def test_negatives(text, reason):
    """Counts, prices, durations, versions, codes, bare years, months, seasons, vague and recurring spans are not events."""
    assert events(text) == [], reason


@pytest.mark.parametrize(
    "text",
    [
        "Please vote by Friday 20th September.",
        "Applications close on 30 September 2024.",
        "Nominations close at 5pm on Monday 30th September.",
        "Please send slides by 5pm on Friday 13th September at the latest.",
        "The deadline for proposals is Friday 27th September.",
    ],
)
def test_deadlines_only_when_asked(text):
    """Deadlines are left out of events, and reported with the 'deadline' flag when asked for."""
    assert events(text) == []
    mentions = read_times(text, SEPT, LONDON, include_deadlines=True)
    assert len(mentions) == 1 and "deadline" in mentions[0].flags


def test_explicit_date_in_past_tense_reads_backwards_and_is_flagged():
    """An explicit date told in the past tense is last September's, flagged past so no one is reminded."""
    now = datetime(2021, 10, 9, 11, tzinfo=UTC)
    [mention] = read_times(
        "They met for their conference on 23-24th September in Finsbury Park.", now, LONDON
    )
    assert (mention.start, mention.end, mention.all_day) == (date(2021, 9, 23), date(2021, 9, 24), True)
    assert "past" in mention.flags
    assert (
        read_times("They met for their conference on 23-24th September.", now, LONDON, include_past=False)
        == []
    )


def test_weekday_mismatch_corrects_a_year_typo():
    """'3-4pm Tuesday 5th March 2014' in a 2024 poll is Tuesday 5 March 2024, flagged with what was corrected."""
    now = datetime(2024, 2, 20, 10, tzinfo=UTC)
    [mention] = read_times("3-4pm Tuesday 5th March 2014", now, LONDON)
    assert mention_as_json(mention)["start"] == "2024-03-05T15:00:00+00:00"
    assert "weekday_mismatch" in mention.flags
    assert "year_corrected:2014->2024" in mention.flags


def test_weekday_mismatch_without_a_plausible_fix_is_flagged_only():
    """A weekday that contradicts a future date is flagged, and the written date kept."""
    [mention] = read_times("Wednesday 17th September 2024 at 2pm", SEPT, LONDON)
    assert mention_as_json(mention)["start"] == "2024-09-17T14:00:00+01:00"
    assert "weekday_mismatch" in mention.flags
    assert not any(flag.startswith("year_corrected") for flag in mention.flags)


def test_poll_options_use_the_siblings_year():
    """Poll options are read together, so a typo'd year agrees with the year the other options share."""
    now = datetime(2024, 2, 20, 10, tzinfo=UTC)
    options = [
        "3-4pm Monday 4th March 2024",
        "3-4pm Tuesday 5th March 2014",
        "3-4pm Wednesday 6th March 2024",
    ]
    readings = read_poll_options(options, now, LONDON)
    assert [mention_as_json(r[0])["start"] for r in readings] == [
        "2024-03-04T15:00:00+00:00",
        "2024-03-05T15:00:00+00:00",
        "2024-03-06T15:00:00+00:00",
    ]


def test_reference_year_corrects_a_future_year_typo():
    """With a reference year, a weekday that fits only that year moves the date there."""
    now = datetime(2024, 2, 20, 10, tzinfo=UTC)
    assert events("3-4pm Tuesday 5th March 2025", now, reference_year=2024) == [
        timed("2024-03-05T15:00:00+00:00", "2024-03-05T16:00:00+00:00")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[date=2025-06-25 time=14:00:00 timezone="Europe/London"]', [timed("2025-06-25T14:00:00+01:00")]),
        ("[date=2025-07-03 time=09:00:00]", [timed("2025-07-03T09:00:00+00:00")]),
        ('[date=2025-07-03 timezone="Europe/London"]', [all_day("2025-07-03")]),
        (
            '[date-range from=2025-07-01T10:00:00 to=2025-07-01T12:00:00 timezone="Europe/London"]',
            [timed("2025-07-01T10:00:00+01:00", "2025-07-01T12:00:00+01:00")],
        ),
        ("[date-range from=2025-07-10 to=2025-07-12]", [all_day("2025-07-10", "2025-07-12")]),
        (
            '[date=2025-06-10 time=18:00:00 timezone="Europe/London"] → [date=2025-06-10 time=20:00:00 timezone="Europe/London"]',
            [timed("2025-06-10T18:00:00+01:00", "2025-06-10T20:00:00+01:00")],
        ),
        (
            '<span class="discourse-local-date" data-date="2025-06-10" data-time="18:00:00" '
            'data-timezone="Europe/London">2025-06-10T17:00:00Z</span>',
            [timed("2025-06-10T18:00:00+01:00")],
        ),
        (
            '[event start="2025-07-15 18:00" end="2025-07-15 20:00" timezone="Europe/London"]\n[/event]',
            [timed("2025-07-15T18:00:00+01:00", "2025-07-15T20:00:00+01:00")],
        ),
        (
            'Tuesday 10th June at 6pm ([date=2025-06-10 time=18:00:00 timezone="Europe/London"])',
            [timed("2025-06-10T18:00:00+01:00")],
        ),
    ],
)
def test_discourse_markup(text, expected):
    """[date], [date-range], cooked local-date spans and [event] tags are read exactly, once."""
    assert events(text, datetime(2025, 6, 2, 17, tzinfo=UTC)) == expected


def test_poll_close_attribute_is_not_an_event():
    """A poll's close= timestamp is when voting ends, not a gathering."""
    text = "[poll type=regular close=2025-06-05T12:00:00.000Z]\n* Yes\n* No\n[/poll]"
    assert events(text, datetime(2025, 6, 2, tzinfo=UTC)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Starts at 2025-06-20T17:00:00Z.", "2025-06-20T17:00:00+00:00"),
        ("Starts at 2025-06-20T18:00:00+01:00.", "2025-06-20T18:00:00+01:00"),
        ("Starts at 2025-06-20T18:00.", "2025-06-20T18:00:00+01:00"),
    ],
)
def test_iso_timestamps(text, expected):
    """ISO 8601 timestamps keep their offset; without one they are in the forum's zone."""
    assert events(text, datetime(2025, 6, 2, tzinfo=UTC)) == [timed(expected)]


def test_mentions_carry_span_and_text():
    """Each mention gives the span of text it came from, and the text at that span."""
    text = "Hi all, we are going to have a call at 3pm on Tuesday 2nd July about the gathering."
    [mention] = read_times(text, datetime(2024, 6, 24, 11, tzinfo=UTC), LONDON)
    assert text[mention.span[0] : mention.span[1]] == mention.text == "3pm on Tuesday 2nd July"


def test_naive_now_is_refused():
    """A naive 'now' is refused: it would silently be read in the wrong zone."""
    with pytest.raises(ValueError, match="naive"):
        read_times("Tuesday 2nd July at 3pm", datetime(2024, 6, 24, 12), LONDON)


def test_unknown_zone_is_refused():
    """An unknown forum zone is refused with ValueError rather than guessed."""
    with pytest.raises(ValueError, match="zone"):
        read_times("Tuesday 2nd July at 3pm", SEPT, "Mars/Olympus_Mons")


def test_run_jsonl_writes_one_line_per_input_and_reports_bad_lines():
    """run_jsonl answers each line in order, accepts posted_at/tz_hint, and turns bad lines into error lines."""
    lines = [
        json.dumps(
            {"id": "a", "text": "3pm on Tuesday 2nd July", "now": "2024-06-24T12:00:00+01:00", "tz": LONDON}
        ),
        "not json",
        json.dumps(
            {"id": "b", "text": "nothing here", "posted_at": "2024-06-24T12:00:00+01:00", "tz_hint": LONDON}
        ),
        json.dumps({"id": "c", "text": "3pm on Tuesday 2nd July", "now": "2024-06-24T12:00:00"}),
    ]
    out = io.StringIO()
    errors = run_jsonl(lines, out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 2
    assert answers[0] == {
        "id": "a",
        "events": [{"start": "2024-07-02T15:00:00+01:00", "end": None, "all_day": False, "flags": []}],
    }
    assert "error" in answers[1] and answers[2] == {"id": "b", "events": []}
    assert answers[3]["id"] == "c" and "offset" in answers[3]["error"]


def test_format_table_shows_times_in_the_forum_zone():
    """The friendly table lists each mention's text and its time in the forum's zone."""
    text = "Tues 4th or Thurs 6th April @ 17.30 UTC"
    table = format_table(text, read_times(text, datetime(2023, 3, 20, tzinfo=UTC), LONDON), LONDON)
    assert "Tue 04 Apr 2023 18:30 BST" in table and "Thu 06 Apr 2023 18:30 BST" in table
    assert format_table("nothing", [], LONDON).startswith("No dates")


def test_whole_post_reads_each_sentence():
    """In a whole post, each sentence is read on its own; the reply-by date is a deadline and left out."""
    post = (
        "Hi all,\n\nFollowing on from the call, we've booked Space4 for Thursday 17th October, 6-9pm.\n\n"
        "Please let me know by Monday 14th October if you can come. Food will be provided!"
    )
    assert events(post) == [timed("2024-10-17T18:00:00+01:00", "2024-10-17T21:00:00+01:00")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The call on 17th September is cancelled, sorry all.", []),
        ("The call on 17th September is postponed to 24th September.", [all_day("2024-09-24")]),
        ("Can we do Thursday the 19th instead of Tuesday the 17th?", [all_day("2024-09-19")]),
        ("Can't make Thursday 19th, sorry!", []),
        ("On Tue, 5 Mar 2024 at 10:15, Sam Smith <sam@example.coop> wrote:", []),
        ("From 1 October the membership fee will be £50 a year.", []),
        ("Version 2.4 was released on 2 September.", []),
    ],
)
def test_dates_that_are_not_gatherings(text, expected):
    """Called-off, given-up, quoted-header, rule-start and past non-gathering dates are not events."""
    assert events(text) == expected


def test_time_on_a_labelled_line_joins_the_date_above():
    """'Date: …' and 'Time: …' on consecutive lines are one event."""
    text = "Date: Thursday 21 November 2024\nTime: 14:00 - 15:30 GMT\nWhere: Jitsi"
    assert events(text) == [timed("2024-11-21T14:00:00+00:00", "2024-11-21T15:30:00+00:00")]


def test_a_short_sentence_holding_only_a_clock_finishes_the_one_before():
    """'Same time next Thursday? 2pm works for me.' is next Thursday at 2pm."""
    assert events("Good call today, thanks all. Same time next Thursday? 2pm works for me.") == [
        timed("2024-09-12T14:00:00+01:00")
    ]


def test_cli_when_subcommand_reads_jsonl_and_prints_a_table(capsys, monkeypatch):
    """`cotechbot when --jsonl -` answers JSON lines on stdout; `cotechbot when TEXT` prints the table."""
    from cotechbot.cli import main

    line = json.dumps({"id": "x", "text": "3pm on Tuesday 2nd July", "now": "2024-06-24T12:00:00+01:00"})
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    assert main(["when", "--jsonl", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["events"][0]["start"] == "2024-07-02T15:00:00+01:00"
    assert main(["when", "3pm on Tuesday 2nd July", "--now", "2024-06-24T12:00:00+01:00"]) == 0
    assert "Tue 02 Jul 2024 15:00 BST" in capsys.readouterr().out


def test_now_far_outside_any_forum_is_refused():
    """A 'now' in year 1 or 9999 is a caller's bug and is refused rather than overflowing."""
    with pytest.raises(ValueError, match="outside"):
        read_times("tomorrow at 3pm", datetime(1, 1, 2, tzinfo=UTC), LONDON)
