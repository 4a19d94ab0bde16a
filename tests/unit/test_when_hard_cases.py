"""cotechbot.when on the failure classes issue 14 lists, with examples written for these tests (the held-out
real text is never looked at): one mention per event, conflicts flagged, candidates offered, non-events left
out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cotechbot.when import mention_as_json, read_times

LONDON = "Europe/London"
# Thursday 20 February 2025, noon GMT.
FEB = datetime(2025, 2, 20, 12, 0, tzinfo=UTC)
# Monday 20 February 2023, noon GMT.
FEB_2023 = datetime(2023, 2, 20, 12, 0, tzinfo=UTC)


def read(text: str, now: datetime = FEB) -> list[tuple[str, str | None, bool, list[str]]]:
    return [
        (j["start"], j["end"], j["all_day"], j["flags"])
        for j in (mention_as_json(m) for m in read_times(text, now, LONDON))
    ]


def confident(text: str, now: datetime = FEB) -> list[tuple[str, str | None, bool]]:
    return [
        (j["start"], j["end"], j["all_day"])
        for m in read_times(text, now, LONDON)
        if m.confident
        for j in (mention_as_json(m),)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next meeting 12 March (Wednesday) 1400 UTC", ("2025-03-12T14:00:00+00:00", None, False)),
        (
            "keep the slot on the 6th of May, Tuesday, at 16:00 UTC",
            ("2025-05-06T16:00:00+00:00", None, False),
        ),
        (
            "2025 3 April (Thursday) 1500 UTC - 1630 UTC",
            ("2025-04-03T15:00:00+00:00", "2025-04-03T16:30:00+00:00", False),
        ),
    ],
)
def test_one_date_and_one_clock_are_one_event(text, expected):
    """A date, its restated weekday and its clock (or clock range) are one mention, never an extra all-day."""
    assert confident(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "next meeting 13 March (Wednesday) 1400 UTC",  # the 13th is a Thursday
        "Call at 8 am NYC time / 1400 UTC on Friday 7 March",  # 8am in New York is 13:00 UTC
        "Co-op Congress will be on Friday 13 June and Saturday 15 June.",  # the 15th is a Sunday
    ],
)
def test_parts_that_disagree_are_a_conflict_and_nothing_confident(text):
    found = read(text)
    assert found and all("conflict" in flags for *_, flags in found)
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call at 8 am NYC time / 1300 UTC on Friday 7 March", "2025-03-07T13:00:00+00:00"),
        ("Call at 9am Pacific on Friday 7 March", "2025-03-07T09:00:00-08:00"),
        ("Workshop at 14:00 Berlin time on 7 March", "2025-03-07T14:00:00+01:00"),
        ("Workshop 7 March at 18h CET", "2025-03-07T18:00:00+01:00"),
        ("SUN: • 4pm UTC • 12pm EDT • 9am PDT", "2025-02-23T16:00:00+00:00"),
        ("Office hours\nSUN:\n• 4pm UTC\n• 12pm EDT\n• 9am PDT", "2025-02-23T16:00:00+00:00"),
        (
            "Member conversation\nMarch 5, 2025\n5am Colorado, 9pm Tokyo, 12noon UTC.",
            "2025-03-05T12:00:00+00:00",
        ),
        ("Call on 5 March at 9am London / 10am Paris.", "2025-03-05T09:00:00+00:00"),
    ],
)
def test_zones_named_by_place_and_one_moment_in_several_zones(text, expected):
    """Places and regions name zones; several clocks for one moment are one event, in the UTC clock."""
    assert confident(text) == [(expected, None, False)]


def test_multi_day_with_daily_hours_and_an_evening_extra_in_the_same_week():
    """The daily hours make one span over both days; "Wednesday evening" is that Wednesday, not next week's."""
    text = "Wednesday 8 and Thursday 9 March, 10am - 5pm, with drinks on Wednesday evening from 7"
    assert confident(text, FEB_2023) == [
        ("2023-03-08", "2023-03-09", True),
        ("2023-03-08T19:00:00+00:00", None, False),
    ]


def test_flattened_local_dates_win_over_the_prose_around_them():
    text = "Friday March 7th 2025-03-07T18:00:00Z2025-03-07T19:30:00Z"
    assert confident(text) == [("2025-03-07T18:00:00+00:00", "2025-03-07T19:30:00+00:00", False)]


def test_candidate_spans_are_reported_as_candidates():
    """ "3rd - 4th or 10th - 11th June?": two candidate spans, so the events layer sees a proposal."""
    found = read("Could we do 3rd - 4th or 10th - 11th June?")
    assert [(start, end) for start, end, _, _ in found] == [
        ("2025-06-03", "2025-06-04"),
        ("2025-06-10", "2025-06-11"),
    ]
    assert all("candidate" in flags for *_, flags in found)


def test_day_only_session_items_take_the_month_of_their_heading():
    text = "Sessions in March:\n- Tue 7th - 5-6pm - with Sam\n- Thu 9th - 12-1pm - with Alex"
    assert confident(text, FEB_2023) == [
        ("2023-03-07T17:00:00+00:00", "2023-03-07T18:00:00+00:00", False),
        ("2023-03-09T12:00:00+00:00", "2023-03-09T13:00:00+00:00", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I'll send a reminder email on Monday.",
        "The agenda goes out around 2025-03-01T10:00:00Z.",
        "The new site is due to launch on Friday.",
        "As agreed at the meeting on 3 August, we'll go ahead.",
        "We're arriving late on Wednesday 12th March.",
        "(For example, Tuesday@16:00 one week and Wednesday@17:00 the next.)",
        "3rd March: May Day planning (no meeting)",
        "Can we look at the week of 3 March?",
        "Don't forget the March 31** deadline for renewals.",
    ],
)
def test_dates_that_are_not_events_are_not_confident_events(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunday 9th March, 10-3", ("2025-03-09T10:00:00+00:00", "2025-03-09T15:00:00+00:00", False)),
        (
            "Workday on Saturday, March 8th from 8am-5.",
            ("2025-03-08T08:00:00+00:00", "2025-03-08T17:00:00+00:00", False),
        ),
        (
            "The open day is on\nSaturday 15th March from\n2-4.30 pm.",
            ("2025-03-15T14:00:00+00:00", "2025-03-15T16:30:00+00:00", False),
        ),
        (
            "#### **Tuesday 4th, Wednesday 5th and Thursday 6th March 2025**",
            ("2025-03-04", "2025-03-06", True),
        ),
        ("A sprint on Monday and Tuesday (Mar 3 and 4).", ("2025-03-03", "2025-03-04", True)),
        (
            "Weekend starting from 6pm on Friday 7 March through to midday on Sunday 9 March",
            ("2025-03-07T18:00:00+00:00", "2025-03-09T12:00:00+00:00", False),
        ),
    ],
)
def test_spans_written_loosely_are_one_event(text, expected):
    assert confident(text) == [expected]


def test_times_offered_with_or_are_candidates():
    found = read("We can meet 10am - 12pm on 4 March or 2pm - 4pm on 5 March.")
    assert [start for start, *_ in found] == ["2025-03-04T10:00:00+00:00", "2025-03-05T14:00:00+00:00"]
    assert all("candidate" in flags for *_, flags in found)


def test_an_ordinal_day_with_its_clock_is_the_next_such_day():
    """ "the 6th at 7pm" written on 20 February is 6 March; "came 5th in the race" is no date."""
    assert confident("The next call will be on the 6th at 7pm.") == [
        ("2025-03-06T19:00:00+00:00", None, False)
    ]
    assert confident("She came 5th in the race at 3pm.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The meeting has been moved from 5 March to 12 March.", [("2025-03-12", None, True)]),
        ("Postponed: the 5 March social is now on 19 March.", [("2025-03-19", None, True)]),
        (
            "The call on Tuesday 4 March is cancelled, we'll meet on Thursday 6 March at 3pm instead.",
            [("2025-03-06T15:00:00+00:00", None, False)],
        ),
    ],
)
def test_a_moved_or_cancelled_event_is_only_its_new_date(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Applications open on 3 March.",
        "Tickets go on sale on 3 March at 10am.",
        "We'll publish the agenda on Monday 3 March.",
    ],
)
def test_errands_and_sales_are_not_gatherings(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "5 March 2025 Gathering starts 18:00 UTC, closes at 19:00.",
            ("2025-03-05T18:00:00+00:00", "2025-03-05T19:00:00+00:00"),
        ),
        (
            "The social starts at 7pm on Friday 7 March and ends at 10pm.",
            ("2025-03-07T19:00:00+00:00", "2025-03-07T22:00:00+00:00"),
        ),
    ],
)
def test_a_start_and_its_end_written_apart_are_one_range(text, expected):
    assert confident(text) == [(*expected, False)]


def test_a_clock_off_the_five_minute_grid_is_a_message_stamp():
    """ "Date: Wednesday, 5 March, 2025, 2:18 PM" dates a message; nobody meets at 2:18."""
    assert confident("Date: Wednesday, 5 March, 2025, 2:18 PM") == []


def test_attending_words_mark_a_gathering_and_errands_do_not():
    """ "can you make it next Monday" is about a gathering; "post it on the forum on Monday" is not."""
    assert confident("Hopefully you can make it next Monday!") == [("2025-02-24", None, True)]
    assert confident("I'll post it on the forum on Monday.") == []


def test_a_following_sentence_that_says_when_it_starts_gives_the_clock():
    text = "The next gathering is on Saturday 8 March. It starts at 10am in the main hall of the community centre."
    assert confident(text) == [("2025-03-08T10:00:00+00:00", None, False)]


def test_days_of_the_month_offered_in_a_thread_are_candidates_of_one_month():
    # Thursday 20 February 2025: the 5th has gone this month, so the offer is for March, all of it.
    assert confident("I could do the 5th, 19th or 26th for sure.") == [
        ("2025-03-05", None, True),
        ("2025-03-19", None, True),
        ("2025-03-26", None, True),
    ]
    assert [flags for *_, flags in read("How about the 24th or 27th?")] == [["candidate"], ["candidate"]]
    assert confident("I'd prefer the 24th then.") == [("2025-02-24", None, True)]


def test_the_weekday_written_after_offered_days_picks_their_month():
    # 18 and 25 March 2025 are Tuesdays; the next 18th that is a Friday is in April.
    assert [start for start, *_ in confident("I can offer the 18th or 25th (Fridays).")] == [
        "2025-04-18",
        "2025-04-25",
    ]


def test_a_bare_ordinal_with_no_offering_verb_is_not_a_day():
    assert confident("We came 5th in the league and the 19th edition is out.") == []
    assert confident("I can do the 5th of those tasks if nobody else wants it.") == []


def test_a_day_then_a_comma_then_its_month_is_one_date_and_its_weekday_is_checked():
    june = datetime(2024, 6, 13, 12, tzinfo=UTC)
    assert confident("Meeting will be on Wednesday 17, July.", june) == [("2024-07-17", None, True)]
    # 17 July 2024 is a Wednesday: "Monday 17, July" is a conflict, not Monday 17 June.
    assert confident("Meeting will be on Monday 17, July.", june) == []


def test_an_event_pages_labelled_start_and_end_are_one_span():
    page = "Start date / time\nFriday 23 July 2021, 10:00am\nEnd date / time\nSunday 25 July 2021, 12:00pm"
    july = datetime(2021, 7, 1, 12, tzinfo=UTC)
    assert confident(page, july) == [("2021-07-23T10:00:00+01:00", "2021-07-25T12:00:00+01:00", False)]
    assert confident("Starts: 3 March 2025 at 10am\nEnds: 3 March 2025 at 4pm") == [
        ("2025-03-03T10:00:00+00:00", "2025-03-03T16:00:00+00:00", False)
    ]
    # Without the labels two moments on two lines stay two.
    assert len(confident("Friday 23 July 2021, 10:00am\nSunday 25 July 2021, 12:00pm", july)) == 2


def test_a_weekday_named_after_an_offered_day_must_fit_it():
    # 24 February 2025 is a Monday: "which is a Monday" keeps it, "which is a Friday" finds no such 24th soon.
    assert confident("She can do the 24th as well, which is a Monday.") == [("2025-02-24", None, True)]
    assert confident("She can do the 24th as well, which is a Fri.") == []


@pytest.mark.parametrize(
    "text",
    [
        "I just wanted to make sure everything is ready for Tuesday 25 March.",
        "I wondered if we could all meet on Tuesday 25 March.",
    ],
)
def test_polite_past_forms_do_not_make_a_coming_date_past(text):
    assert confident(text) == [("2025-03-25", None, True)]


def test_tonight_with_a_gathering_and_no_clock_is_that_day():
    # FEB is Thursday 20 February 2025, noon: the evening is still ahead.
    assert [r[:3] for r in read("Quiz night at the club tonight, bring a pen!")] == [
        ("2025-02-20", None, True)
    ]
    assert [r[:3] for r in read("This evening's workshop is in room 4.")] == [("2025-02-20", None, True)]
    # Saying you will miss it is not an event; a bare "today" with no clock is happening now.
    assert read("Apologies, I can't make it tonight.") == []
    assert read("The workshop is today.") == []


def test_a_line_holding_only_a_day_takes_the_clock_of_the_sentence_under_it():
    assert confident("Friday, March 7th\n\nSession B - 3pm UTC 10am EST / 4pm CET / 9pm +1 NZDT") == [
        ("2025-03-07T15:00:00+00:00", None, False)
    ]
    assert confident("Wednesday 12 March 2025\n\ndoors open at 7.30 pm") == [
        ("2025-03-12T19:30:00+00:00", None, False)
    ]
    assert confident(
        "TONIGHT! - Come and find us upstairs at the Red Lion by the old market square from 6:30pm for our monthly meetup"
    ) == [("2025-02-20T18:30:00+00:00", None, False)]
    # A sentence that says more than the day keeps its own meaning; the long one after it is not its clock.
    assert confident(
        "We meet on Wednesday 12 March 2025 to plan.\n\nLast year the bar stayed open until 11pm on most nights of the week."
    ) == [("2025-03-12", None, True)]


def test_a_day_written_alone_is_read_only_where_its_month_is_in_context():
    # FEB is Thursday 20 February 2025.
    assert [
        r[:3] for r in read("The choir sings on 8th March; the quiz on 14th and the jumble sale on 22nd.")
    ] == [
        ("2025-03-08", None, True),
        ("2025-03-14", None, True),
        ("2025-03-22", None, True),
    ]
    assert confident(
        "March 2025\n\nThe repair cafe opens next month on 4th and 18th between 10 and 1pm."
    ) == [
        ("2025-03-04T10:00:00+00:00", "2025-03-04T13:00:00+00:00", False),
        ("2025-03-18T10:00:00+00:00", "2025-03-18T13:00:00+00:00", False),
    ]
    # "that's the 2nd" restates the weekday before it: the next 2nd that is a Friday is 2 May 2025.
    assert [
        r[:3] for r in read("We could meet on the Friday after the fair (that's the 2nd) to tidy up.")
    ] == [("2025-05-02", None, True)]
    # No month anywhere around it, or not a day at all.
    assert read("Hope to catch you all on the 27th!") == []
    assert read("This month the lift is out, so the talk is on the 5th floor.") == []
    assert read("This month the finals are on the 3rd and final day of the tournament.") == []


def test_a_weekday_takes_the_one_clear_clock_of_its_sentence():
    # FEB is Thursday 20 February 2025.
    assert confident("On Tuesday in lab 2.14 at 15.30, she demonstrates the new loom.") == [
        ("2025-02-25T15:30:00+00:00", None, False)
    ]
    # "Saturday week, 8th March" is one day; the clock later in the sentence is its time.
    assert confident("Spring fair: on Saturday week, 8th March, the hall opens its doors at 10am.") == [
        ("2025-03-08T10:00:00+00:00", None, False)
    ]
    # The same weekday said twice is one day, so the clock is not shared between two readings.
    assert confident("We'll shift this Friday's standup to 15:00 UTC for this coming Friday only.") == [
        ("2025-02-21T15:00:00+00:00", None, False)
    ]
    # A clock restated in another zone, then its weekday: the weekday's time.
    assert confident("Demos are in the 4pm UK/8am PST Monday slot and the 4pm UK/8am PST Thursday slot.") == [
        ("2025-02-24T16:00:00+00:00", None, False),
        ("2025-02-27T16:00:00+00:00", None, False),
    ]
    # The end of a "between … and …" span is not the day's start.
    assert confident("It should run between 9am PST / 12pm EST and 11am PST / 2pm EST, Friday") == []


def test_open_nights_fetes_and_who_is_coming_are_gatherings():
    # FEB is Thursday 20 February 2025.
    assert [r[:3] for r in read("Bring your ideas this Tuesday at the open night.")] == [
        ("2025-02-25", None, True)
    ]
    assert [r[:3] for r in read("Please tell the neighbours about the village fête on Saturday.")] == [
        ("2025-02-22", None, True)
    ]
    assert [r[:3] for r in read("So who's coming tonight??")] == [("2025-02-20", None, True)]
    assert [r[:3] for r in read("This Sunday our volunteers fix toasters at the Repair Cafe.")] == [
        ("2025-02-23", None, True)
    ]


def test_a_sentence_holding_only_a_clock_and_a_stray_stop_before_am_keep_the_days_time():
    assert confident("Hall diary\n- Saturday March 15th. 14.30. Spring jumble sale.") == [
        ("2025-03-15T14:30:00+00:00", None, False)
    ]
    assert confident(
        "The AGM is on Saturday 15 March 2025 at the Guildhall, from 10.45. a.m., as usual."
    ) == [("2025-03-15T10:45:00+00:00", None, False)]


@pytest.mark.parametrize(
    "text",
    [
        "I'm on vacation from 3 March to 14 March.",
        "Sam out of office, 4th March, 10th-12th March",
        "I'll be out of town on Wednesday 5 March.",
        "I'll be out-of-the-office on Friday 7 March and missing the meeting.",
        "I will reply when I return to the office on 10 March 2025.",
    ],
)
def test_an_absence_is_not_a_gathering(text):
    assert confident(text) == []


def test_an_absence_then_a_gathering_keeps_the_gathering():
    text = "I'll be away on Tuesday 4 March, so I will run the workshop on Wednesday 5 March at 2pm."
    assert confident(text) == [("2025-03-05T14:00:00+00:00", None, False)]
    assert confident("I'm on leave until the social on Friday 7 March.") == [("2025-03-07", None, True)]


@pytest.mark.parametrize(
    "text",
    [
        "Sadly we must cancel the 6 March committee meeting.",
        "The general assembly will not take place on Saturday 8 March.",
        "We don't meet on Friday 7 March because of the strike.",
        "There will be no Garden Club Meeting on 12 March.",
        "There will be _no_ meeting on 12 March.",
        "No office hours on Tuesday 4 March, sorry.",
        "The board meeting scheduled for Thursday 6 March has been postponed.",
    ],
)
def test_a_called_off_gathering_is_not_read(text):
    assert confident(text) == []


def test_a_postponed_gathering_keeps_its_new_date():
    text = "The board meeting scheduled for Thursday 6 March has been postponed to Thursday 13 March."
    assert confident(text) == [("2025-03-13", None, True)]


@pytest.mark.parametrize(
    "text",
    [
        "The string freeze is 14 March.",
        "Version 3 will reach end of life on 31 March 2025.",
        "We are releasing version 4.2 on 18 March.",
        "Nominations will be open from 3 March to 20 March.",
        "Voting will be opened on Monday 3 March at 9am.",
        "Building works will begin on the 10th March, weather permitting.",
        "The community centre will reopen on 1 April.",
        "The final date for amendments is 5pm on Friday 14 March 2025.",
        "After 2025-03-31 the old calendar entries will be removed.",
        "Registered members will receive the Zoom invite by email on 2 March after 6pm.",
    ],
)
def test_a_milestone_is_not_a_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Monday 26 May is Memorial Day here, so many will be travelling.",
        "The weekend of 18-21 April is Easter, which rules it out for most of us.",
        "I'd rather not miss Thanksgiving with the family (Thursday Nov 27).",
    ],
)
def test_a_public_holiday_is_not_a_gathering(text):
    assert confident(text) == []


def test_a_party_on_a_holiday_is_still_a_gathering():
    assert confident("Halloween party on Friday 31 October at 7pm!") == [
        ("2025-10-31T19:00:00+00:00", None, False)
    ]


def test_something_that_concluded_is_past():
    # Written in December: "concluded" puts October 10 behind us, not ten months ahead.
    december = datetime(2025, 12, 10, 12, tzinfo=UTC)
    assert confident("Public beta testing concluded on October 10, with good feedback.", december) == []


@pytest.mark.parametrize(
    "text",
    [
        "11th March\nNo quiz - half-term break",
        "4 March\nApplications close 5pm",
        "Tuesday 4 March\n- Ballots open 9am, results on the website.",
    ],
)
def test_a_date_heading_a_line_that_calls_off_or_marks_a_milestone_is_not_read(text):
    assert confident(text) == []


def test_a_date_heading_a_gathering_is_still_read():
    assert confident("11th March\nQuiz night at the Crown, 7pm") == [
        ("2025-03-11T19:00:00+00:00", None, False)
    ]


def test_a_gathering_told_as_done_today_is_past():
    # Written on Thursday 20 February: the meeting already happened.
    assert confident("The working group held its first call today, 20 February 2025.") == []


def test_a_holiday_gathering_named_after_the_date_is_still_read():
    assert confident("Friday 19 December is Christmas party night at the hall, 7pm.") == [
        ("2025-12-19T19:00:00+00:00", None, False)
    ]
    assert confident("Calendar invite: Thursday 6 March, 7pm, the members' meeting.") == [
        ("2025-03-06T19:00:00+00:00", None, False)
    ]


def test_the_old_date_of_a_moved_gathering_is_not_read():
    assert confident("Spring social 15th March (from old date 8th March)") == [("2025-03-15", None, True)]
    assert confident("The AGM, originally planned for 8 March, is now on Saturday 15 March.") == [
        ("2025-03-15", None, True)
    ]


def test_a_call_for_proposals_is_a_milestone_not_a_call():
    assert confident("10 March: call for proposals opens; drafts welcome") == []


def test_a_consequence_that_calls_the_day_off():
    assert confident("Next Friday is the 28th of February, the last Friday, so we don't meet.") == []


def test_a_date_heading_is_read_past_blank_lines():
    assert confident("14th March 2025\n\nNo meeting this month - Easter break") == []


def test_a_milestone_leading_to_a_date_wins_over_a_gathering_named_after_it():
    text = "Ballots will be opened on Monday 3 March, with the result announced at the AGM."
    assert confident(text) == []
    # A gathering named first keeps the date: the reopening is the party.
    assert confident("Join us for the reopening party on Saturday 8 March.") == [("2025-03-08", None, True)]


def test_a_date_said_to_be_a_holiday_in_the_next_clause():
    text = "The call would normally be this Friday 28/2, but that is a holiday for most of us, so it moves on a week."
    assert confident(text) == []


def test_restrictions_lifting_is_a_milestone_but_a_caveat_is_not():
    assert confident("Lockdown restrictions are due to ease on 29 March.") == []
    assert confident("Thursday 6 March, 7pm (restrictions permitting)") == [
        ("2025-03-06T19:00:00+00:00", None, False)
    ]


def test_an_update_stamp_is_a_record_and_the_date_it_announces_is_read():
    text = (
        "Update: 2025-02-20 8:20 PM GMT: the title now gives the real date, Friday 28 February 2025 at 10am."
    )
    assert confident(text) == [("2025-02-28T10:00:00+00:00", None, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The workshop runs March 10th through the 12th in Leeds.", [("2025-03-10", "2025-03-12", True)]),
        ("The sprint is on April 3rd and 4th 2025, at the library.", [("2025-04-03", "2025-04-04", True)]),
        ("Meetup in Bristol March 14/15?", [("2025-03-14", "2025-03-15", True)]),
        # not consecutive: two days, not a span
        ("Meetup in Bristol March 14/18?", [("2025-03-14", None, True), ("2025-03-18", None, True)]),
    ],
)
def test_month_first_days_continued_by_a_span_word_an_and_with_a_year_or_a_slash(text, expected):
    assert confident(text) == expected


def test_a_number_after_a_month_first_date_with_minutes_is_a_clock_not_a_day():
    assert confident("Tue, Mar 4, 7:30 pm GMT: the members call") == [
        ("2025-03-04T19:30:00+00:00", None, False)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our spring fair is on 8+9 March 2025.", [("2025-03-08", "2025-03-09", True)]),
        ("The hackathon runs 10. - 12. April 2025 in Kiel.", [("2025-04-10", "2025-04-12", True)]),
        (
            "The open days are planned for the weekend of 5/6th April 2025.",
            [("2025-04-05", "2025-04-06", True)],
        ),
        # a count before an ordinal day is still not a date
        ("See items 1, 2 and 3rd May.", []),
    ],
)
def test_day_first_spans_with_a_plus_dotted_days_or_a_short_slash(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fete is on Saturday and Sunday, May 3 and May 4.", [("2025-05-03", "2025-05-04", True)]),
        ("Open studios this year: Saturday and Sunday, May 3 and 4.", [("2025-05-03", "2025-05-04", True)]),
        (
            "Sat 8th / Sun 9th March - the spring clean of the allotments.",
            [("2025-03-08", "2025-03-09", True)],
        ),
        # offered as a choice, the days stay apart
        (
            "We could do Fri 7th March, or Sat 8th March and Sun 9th March.",
            [("2025-03-07", None, True), ("2025-03-08", None, True), ("2025-03-09", None, True)],
        ),
    ],
)
def test_two_dates_of_consecutive_days_joined_by_and_or_a_slash_are_one_span(text, expected):
    assert confident(text) == expected


def test_weekday_days_of_a_span_without_a_month_take_the_coming_month():
    assert confident("Sat 22nd / Sun 23rd - the branch mapping weekend.") == [
        ("2025-02-22", "2025-02-23", True)
    ]


def test_a_span_wrapped_onto_a_line_that_opens_with_through_is_one_event():
    text = "The festival programme will run from Monday, March 3\nthrough Friday, March 7."
    assert confident(text) == [("2025-03-03", "2025-03-07", True)]


def test_year_first_slashed_dates_and_clocks_with_seconds_make_a_timed_span():
    text = "The camp opens 2025/04/11 05:00:00 PM till 2025/04/13 02:00:00 PM."
    assert confident(text) == [("2025-04-11T17:00:00+01:00", "2025-04-13T14:00:00+01:00", False)]
    assert confident("Start 2025/03/29 (add to calendar)\nEnd 2025/03/29") == [("2025-03-29", None, True)]


def test_until_after_a_clock_ends_a_timed_span_and_is_no_deadline():
    text = "Doors open 28 March 2025 at 7pm until 30 March 2025 at 1pm."
    assert confident(text) == [("2025-03-28T19:00:00+00:00", "2025-03-30T13:00:00+01:00", False)]


def test_an_hour_range_ending_in_h_is_a_clock_range_but_a_short_one_is_a_duration():
    assert confident("Termin: 29.3.2025, 11-22h") == [
        ("2025-03-29T11:00:00+00:00", "2025-03-29T22:00:00+00:00", False)
    ]
    assert confident("The repair session on 29.3.2025 takes 2-3h.") == [("2025-03-29", None, True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A carol concert is at 6pm on Tuesday, March 4 and a late supper is starting at 9.30pm.",
            [("2025-03-04T18:00:00+00:00", None, False), ("2025-03-04T21:30:00+00:00", None, False)],
        ),
        (
            "Allotment Committee (6 p.m.) and Parish Council (7:30 p.m.), Tue., March 4, Village Hall.",
            [("2025-03-04T18:00:00+00:00", None, False), ("2025-03-04T19:30:00+00:00", None, False)],
        ),
        # an errand's hour is not another session
        (
            "The call is on Tuesday 4 March at 3pm and the recording will be up at 5pm.",
            [("2025-03-04T15:00:00+00:00", None, False)],
        ),
        # an earlier clock after the session ("doors open") is not another session
        (
            "The quiz is on Tuesday 4 March at 7pm and doors open at 6.30pm.",
            [("2025-03-04T19:00:00+00:00", None, False)],
        ),
    ],
)
def test_two_sessions_with_their_own_clocks_on_one_date_are_two_events(text, expected):
    assert confident(text) == expected


def test_lines_opening_with_clocks_under_a_date_line_are_sessions_of_that_day():
    text = "Tuesday, 4 March\n7pm Welcome and apologies\n7.30pm Guest speaker: a long talk on the history of our village hall"
    assert confident(text) == [
        ("2025-03-04T19:00:00+00:00", None, False),
        ("2025-03-04T19:30:00+00:00", None, False),
    ]
    # one clock below the date line is still one event
    assert confident("Tuesday, 4 March\n7pm Welcome") == [("2025-03-04T19:00:00+00:00", None, False)]


def test_a_span_wrapped_between_its_month_and_day_and_written_twice_is_one_event():
    text = (
        "The hall is ours from March 10th to March 14th, and the council pays for the heating \n"
        "in the week from \nMarch \n10th to March 14th."
    )
    assert confident(text) == [("2025-03-10", "2025-03-14", True)]
    # a count opening the line after a month is no day of it
    assert confident("The fair was held in March\n12 people came to help.") == []


def test_a_start_line_then_an_end_line_of_the_same_day_are_one_range():
    assert confident("2025-03-04 18:30\n2025-03-04 20:00") == [
        ("2025-03-04T18:30:00+00:00", "2025-03-04T20:00:00+00:00", False)
    ]
    # words beside the moments name two things: two events
    assert len(confident("Choir 2025-03-04 18:30\n2025-03-04 20:00 Orchestra")) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Our next meeting is on Tuesday, March 4 at the library. \nWe start at 7pm and we are out the doors by 9.",
            [("2025-03-04T19:00:00+00:00", "2025-03-04T21:00:00+00:00", False)],
        ),
        (
            "The quiz is on Tuesday 4 March at 7pm, it finishes at 10.",
            [("2025-03-04T19:00:00+00:00", "2025-03-04T22:00:00+00:00", False)],
        ),
        # "by 9" after a reply is a deadline's hour, not the quiz's end
        ("The quiz is on Tuesday 4 March at 7pm, reply by 9.", [("2025-03-04T19:00:00+00:00", None, False)]),
    ],
)
def test_an_end_hour_written_bare_after_words_that_say_it_ends_closes_the_range(text, expected):
    assert confident(text) == expected


def test_a_clock_range_with_each_end_restated_in_brackets_is_one_range():
    text = "I've put the call on Friday 7 March 2025 between 18:00 (06:00 pm) and 19:30 (07:30 pm) UTC on the site."
    assert confident(text) == [("2025-03-07T18:00:00+00:00", "2025-03-07T19:30:00+00:00", False)]


def test_a_weekday_that_fits_only_the_coming_date_beats_a_past_tense_decision():
    # Told in the past ("agreed"), but Saturday 10 May is 2025's, not 2024's (a Friday): the decision is past,
    # the gathering is ahead.
    assert confident("The council agreed to book the hall for Saturday 10 May.") == [
        ("2025-05-10", None, True)
    ]
    # Where the weekday fits the past date, the past tense keeps it past.
    assert confident("We met on Wednesday 5 February.") == []


def test_a_moment_written_twice_is_one_mention():
    assert confident("Workshop on 3 March 2025. Please register for the workshop on 3 March 2025.") == [
        ("2025-03-03", None, True)
    ]
    assert confident("AGM: 3 March 2025\n\nOur AGM is on 3 March 2025 in the hall.") == [
        ("2025-03-03", None, True)
    ]


def test_followed_by_joins_a_second_day_and_is_no_deadline():
    assert confident("The gathering is Friday 14 March followed by Saturday 15 March.") == [
        ("2025-03-14", None, True),
        ("2025-03-15", None, True),
    ]


def test_celebrating_is_a_gathering_even_of_an_anniversary():
    assert confident("We will celebrate the hall's anniversary on the 10th and 24th May.") == [
        ("2025-05-10", None, True),
        ("2025-05-24", None, True),
    ]


def test_a_day_given_a_clock_is_not_also_an_all_day_mention():
    assert confident("The meeting will take place tomorrow (Friday, 21st February) at 7 PM UTC.") == [
        ("2025-02-21T19:00:00+00:00", None, False)
    ]


def test_or_between_clocks_in_two_written_zones_restates_one_moment():
    # 7pm EST is midnight UTC: the two clocks disagree, so nothing is read with confidence.
    assert confident("Community call on 22nd March, 7PM EST or 10 PM UTC") == []
    assert confident("Community call on 22nd March, 7PM EST or midnight UTC") == [
        ("2025-03-23T00:00:00+00:00", None, False)
    ]
    # One zone written once: two alternatives.
    assert [flags for *_, flags in read("Community call on 22nd March at 2pm or 3pm UTC")] == [
        ["candidate", "tz:UTC"],
        ["candidate", "tz:UTC"],
    ]


def test_days_offered_by_what_is_said_after_them():
    assert confident("Thanks all. The 24th would work too.") == [("2025-02-24", None, True)]
    assert [start for start, *_ in confident("The 5th or 12th suits me.")] == ["2025-03-05", "2025-03-12"]
    assert confident("The 3rd would be a good place to start reading.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Please be aware there will not now be a Committee meeting on Tuesday 11th March.",
        "There will be no R&D Group Meeting on the 4th March due to the closure.",
        "The walk that was planned for 8th March will not now take place.",
        "Because of the bank holiday we won't have a meeting on our usual slot (March 3).",
    ],
)
def test_a_gathering_called_off_in_other_words(text):
    assert read(text) == []


def test_a_move_under_way_keeps_only_the_new_date():
    assert [start for start, *_ in read("Moving March 4th call to March 11th")] == ["2025-03-11"]
    # someone away on one day; the day the sessions are moved to is the new gathering
    assert [
        start
        for start, *_ in read(
            "Priya will be gone Friday the 28th, can you take the lead on rescheduling, maybe to Thursday the 27th?"
        )
    ] == ["2025-02-27"]


def test_page_stamps_are_no_gatherings():
    assert read("See you there! Alice (talk) 14:05, 3 March 2025 (UTC)") == []
    assert read("Bob Smith (talk · contribs) 09:30, 4 March 2025 (UTC)") == []
    assert read("Added by Jane Doe on March 12, 2025") == []


@pytest.mark.parametrize(
    "text",
    [
        "Reminder to send your slides by end of day 6 March please.",
        "AUTHORS TOLD: Friday 7 March 2025 (on or before)",
        "Now through March 31, there is a survey about the best day for the meetups.",
        "## Deadline\n\nMarch 26, so that everyone can plan",
        "On March 14 each year, people everywhere celebrate Pi Day.",
    ],
)
def test_deadlines_windows_and_yearly_customs_are_no_gatherings(text):
    assert read(text) == []


def test_a_date_under_another_heading_still_counts():
    assert [start for start, *_ in read("## Next meetup\n\nMarch 26, at the library")] == ["2025-03-26"]


def test_moving_without_a_destination_calls_nothing_off():
    assert [start for start, *_ in read("Glad this is moving again! Meetup on Friday 28 February.")] == [
        "2025-02-28"
    ]


def test_a_date_joined_to_a_record_or_an_absence_is_one_too():
    assert read("Sorry, I can't make the 3rd or 4th March.") == []
    assert read("Happy to meet some evening in the week of 3rd or 10th March.") == []
    assert [start for start, *_ in read("I can't make the 3rd; the 4th March works.")] == ["2025-03-04"]


def test_an_errand_done_on_a_day_is_no_gathering():
    assert read("On 3rd March, we will be emailing every member with the ballot papers.") == []
    assert read("On Monday 3rd March we'll send out the agenda.") == []
    assert [start for start, *_ in read("On 3rd March we'll meet in the library.")] == ["2025-03-03"]


def test_a_gathering_told_afterwards_is_a_past_reference():
    assert confident("At the 22 January meetup, a few people showed at 5 PM and others later.") == []
    assert confident("Come along if you participated in the hack day on 25 January.") == []
    # "you" with a verb that is not a past tense still reads the gathering
    assert [start for start, *_ in confident("If you need a lift, the meetup is on 27 February.")] == [
        "2025-02-27"
    ]


def test_the_accounts_calendar_is_no_gathering_even_beside_a_meeting():
    assert [
        start
        for start, *_ in read(
            "The AGM is on 5 May, within six months of the end of our financial year (31st March)."
        )
    ] == ["2025-05-05"]


def test_a_weekday_and_comma_wrapped_onto_a_new_line_wait_for_their_date():
    assert read("The evening courses at the college end on Monday,  \nMarch 3.") == []
    assert [start for start, *_ in read("The meetup is on Monday,\nMarch 3, at the library.")] == [
        "2025-03-03"
    ]


def test_the_day_a_rule_starts_to_hold_is_no_gathering():
    assert (
        read("Please read the guidelines and restrictions from Monday 3rd March on the council's site.") == []
    )
    assert [start for start, *_ in read("We will discuss the new rules from 3pm on 5 March.")] == [
        "2025-03-05T15:00:00+00:00"
    ]


def test_rescheduled_to_names_the_new_date_but_scheduled_for_the_old():
    assert confident("The board meeting has been rescheduled to the 6th March.") == [
        ("2025-03-06", None, True)
    ]
    assert confident("The board meeting scheduled for 27th February has been postponed.") == []


def test_a_day_alone_a_question_proposes_for_a_gathering_is_the_next_such_day():
    assert confident("Would anyone fancy a meetup on the 5th?") == [("2025-03-05", None, True)]
    assert confident("Shall we hold the workshop on the 27th?") == [("2025-02-27", None, True)]
    assert confident("Did we meet on the 5th?") == []


def test_a_move_told_as_done_names_its_new_day_even_written_alone():
    assert confident("Sorry all, the social has been postponed to the 6th.") == [("2025-03-06", None, True)]
    assert confident("Changed to 27th, any objections?") == [("2025-02-27", None, True)]
    # Proposed, not done: the thread has not agreed the day yet.
    assert confident("Could we push it back to the 6th?") == []


def test_a_bare_weekday_right_after_words_of_attending_is_the_next_such_day():
    # Thursday 20 February 2025: the next Saturday is the 22nd.
    assert confident("I'll be there Saturday, bringing cake.") == [("2025-02-22", None, True)]
    assert confident("Hope to see you all Saturday!") == [("2025-02-22", None, True)]
    assert confident("We look forward to seeing you on Saturday.") == [("2025-02-22", None, True)]
    assert confident("The planning meeting day is going to be Saturday.") == [("2025-02-22", None, True)]
    # An absence, and a weekday with nothing of attending before it, are no gathering.
    assert confident("Sorry, I can't be there Saturday.") == []
    assert confident("Sorry, I can't be there on Saturday.") == []
    assert confident("Trains to Leeds are slow on a Saturday.") == []


def test_an_ordinal_in_brackets_after_a_weekday_is_its_day_of_the_month():
    # Saturday 22 February 2025.
    assert confident("Our next ride is on Saturday (22nd).") == [("2025-02-22", None, True)]
    assert confident("The ride is Saturday (22 riders so far).") == []


def test_an_abbreviated_month_after_a_square_bracket_ends_no_sentence():
    assert confident("Members' drop-in session [Mar. 6]") == [("2025-03-06", None, True)]


def test_anyone_who_will_be_gone_is_away_but_a_move_after_names_the_gathering():
    assert confident("Priya will be gone Friday the 28th.") == []
    assert confident(
        "Priya will be gone Friday the 28th, could someone reschedule it, maybe to Thursday the 27th?"
    ) == [("2025-02-27", None, True)]


def test_a_bare_weekday_offered_beside_one_said_on_is_said_so_too():
    # Thursday 20 February 2025.
    assert [start for start, *_ in read("See you on Monday or Tuesday at the hall.")] == [
        "2025-02-24",
        "2025-02-25",
    ]
    assert [start for start, *_ in read("See you on Monday, if not then Tuesday.")] == [
        "2025-02-24",
        "2025-02-25",
    ]


def test_are_being_held_is_not_the_past():
    assert confident("Repair workshops are being held in the library on 8 and 15 March.") == [
        ("2025-03-08", None, True),
        ("2025-03-15", None, True),
    ]


def test_the_date_a_move_goes_to_is_ahead_whatever_the_tense():
    assert confident(
        "As nobody had stood for election, the board decided to reschedule the AGM to 6th March."
    ) == [("2025-03-06", None, True)]


def test_three_consecutive_days_in_a_comma_list_are_one_span():
    assert confident("Board retreat: March 11, 12, 13") == [("2025-03-11", "2025-03-13", True)]
    assert confident("Board retreat on 11th, 12th, 13th March") == [("2025-03-11", "2025-03-13", True)]
    # not consecutive: separate days
    assert [start for start, *_ in confident("Board retreat: March 11, 13, 20")] == [
        "2025-03-11",
        "2025-03-13",
        "2025-03-20",
    ]


def test_ends_label_after_blank_and_br_lines_closes_the_span():
    text = "Starts: March 4, 2025 at 05:30PM<br>\n<br>\nEnds: March 4, 2025 at 07:00PM<br>"
    assert confident(text) == [("2025-03-04T17:30:00+00:00", "2025-03-04T19:00:00+00:00", False)]


def test_full_date_dash_weekday_and_day_is_a_span_in_that_month():
    assert confident("Friday 14 March - Sunday 16: camping weekend") == [("2025-03-14", "2025-03-16", True)]
    # the weekday does not fit the day: no span is made up
    assert ("2025-03-14", "2025-03-16", True) not in confident("Friday 14 March - Monday 16: camping weekend")


def test_moment_said_to_begin_and_one_said_to_end_are_one_timed_span():
    text = "The game jam kicks off at 6 p.m. Friday and wraps up at noon Sunday."
    assert confident(text) == [("2025-02-21T18:00:00+00:00", "2025-02-23T12:00:00+00:00", False)]


def test_bulleted_until_line_ends_the_clock_above_it():
    text = "Repair cafe\n- March 8 @ 10:30 AM\n- until 1:00 PM"
    assert confident(text) == [("2025-03-08T10:30:00+00:00", "2025-03-08T13:00:00+00:00", False)]


def test_span_of_days_wrapped_before_its_month_and_year():
    text = "Save the date: from *9-12\nSeptember 2025*, members meet in Leeds."
    assert confident(text) == [("2025-09-09", "2025-09-12", True)]


def test_numeric_month_day_day_year_span_on_a_month_first_forum():
    now = datetime(2025, 2, 20, 12, 0, tzinfo=UTC)
    mentions = read_times("The hack weekend runs 04/12-13/2025 at the library.", now, "America/Chicago")
    assert [(str(m.start), str(m.end)) for m in mentions] == [("2025-04-12", "2025-04-13")]
    # a day-first forum does not read this shape
    assert read_times("The hack weekend runs 04/12-13/2025 at the library.", now, LONDON) == []


def test_end_clock_that_names_its_own_day_is_not_on_the_start_day():
    text = "The festival starts at 10am on Friday and ends at 4pm on Sunday."
    assert confident(text) == [("2025-02-21T10:00:00+00:00", "2025-02-23T16:00:00+00:00", False)]


def test_weekday_range_in_the_week_commencing_a_date_is_a_span():
    assert confident("Onboarding runs Mon-Thu w/c 3rd March, 10-4 daily.") == [
        ("2025-03-03", "2025-03-06", True)
    ]
    # the week alone stays a vague week, not an event
    assert confident("Onboarding is w/c 3rd March.") == []


def test_a_streets_compass_point_does_not_end_the_sentence():
    text = (
        "Join the open meeting on March 3rd at the old library at 410 N. 5th Avenue at 7:30pm to hear "
        "what the committee has planned for the garden and the kitchen over the summer months."
    )
    assert confident(text) == [("2025-03-03T19:30:00+00:00", None, False)]


def test_a_place_line_between_labelled_date_and_time_lines():
    text = "Date: Thursday 6th March 2025\nVenue: Room 4, 22 Mill Lane, Leeds LS2 7AB\nTime: 10:30 – 12.15pm."
    assert confident(text) == [("2025-03-06T10:30:00+00:00", "2025-03-06T12:15:00+00:00", False)]


def test_a_bare_hour_range_in_the_table_cell_after_a_date():
    assert confident("| Tuesday 11 March | 10-1 | Main Hall | Members' Assembly |") == [
        ("2025-03-11T10:00:00+00:00", "2025-03-11T13:00:00+00:00", False)
    ]


def test_between_two_bare_hours_after_a_date():
    assert confident("Plant sale at the allotment gate on Saturday 15th March between 10 and 2.") == [
        ("2025-03-15T10:00:00+00:00", "2025-03-15T14:00:00+00:00", False)
    ]
    # a count between two numbers is no clock
    assert confident("On Saturday 15th March between 10 and 12 people helped.") == [
        ("2025-03-15", None, True)
    ]


def test_quoted_clocks_under_a_day_are_poll_options():
    text = 'Friday, March 7th options:\n/poll "10:00am UTC" "1:30 pm UTC" "5:00 pm UTC"'
    assert [(start, flags) for start, _, _, flags in read(text)] == [
        ("2025-03-07T10:00:00+00:00", ["candidate", "tz:UTC"]),
        ("2025-03-07T13:30:00+00:00", ["candidate", "tz:UTC"]),
        ("2025-03-07T17:00:00+00:00", ["candidate", "tz:UTC"]),
    ]


def test_a_so_or_an_arrow_restates_a_clock_in_utc():
    assert confident("The sprint review is on Tuesday 25 February, 14:00-15:00 CET, so 1 to 2 pm UTC") == [
        ("2025-02-25T13:00:00+00:00", "2025-02-25T14:00:00+00:00", False)
    ]
    assert confident("The sprint review is on Tuesday 25 February, 14:00 CET -> 13:00 UTC") == [
        ("2025-02-25T13:00:00+00:00", None, False)
    ]


def test_a_preference_between_a_day_and_its_clock():
    assert confident("For the picnic, Saturday works best for us: 1pm by the bandstand?") == [
        ("2025-02-22T13:00:00+00:00", None, False)
    ]


def test_a_dated_day_on_the_weekly_schedule_takes_its_hours():
    text = (
        "We settled on a new schedule: Tuesdays 6-7 PM GMT. It starts after the break, with the first call "
        "on the new schedule on Tuesday March 11."
    )
    assert confident(text) == [("2025-03-11T18:00:00+00:00", "2025-03-11T19:00:00+00:00", False)]
    # without a word of the schedule the date is read alone
    assert confident("We meet Tuesdays 6-7 PM GMT. The garden tour is on Tuesday March 11.") == [
        ("2025-03-11", None, True)
    ]


def test_a_starting_day_on_the_series_weekday_takes_its_clock():
    text = "The reading group will start on 7 March and meet every Friday at 6pm until Easter."
    assert confident(text) == [("2025-03-07T18:00:00+00:00", None, False)]


def test_arriving_only_on_a_day_is_travel():
    assert read("I'm afraid we will lack people, myself first as I'll arrive only on 5 March.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The book club on 5 March will not go ahead.",
        "The 5 March session will no longer take place.",
        "Sadly the 5 March quiz has been scrapped.",
        "We're skipping the monthly meeting on 5 March.",
        "We will not be holding a meeting on 5 March.",
    ],
)
def test_more_ways_of_calling_a_gathering_off(text):
    assert read(text) == []


def test_skipping_part_of_a_gathering_calls_nothing_off():
    assert [start for start, *_ in read("Feel free to skip the intro and join the meetup on 5 March.")] == [
        "2025-03-05"
    ]


def test_four_digit_range_after_from_is_a_24h_clock_range():
    assert confident("The committee meets on Tuesday 11 March from 1400-1530.") == [
        ("2025-03-11T14:00:00+00:00", "2025-03-11T15:30:00+00:00", False)
    ]
    assert [all_day for *_, all_day, _ in read("The archive covers 5 March from 2019-2023.")] == [True]


def test_four_digit_clock_after_at_before_on_is_a_clock():
    assert confident("We will gather at 1915 on Friday 7 March for the quiz.") == [
        ("2025-03-07T19:15:00+00:00", None, False)
    ]


def test_bare_hour_with_a_regional_zone_is_a_clock_in_that_zone():
    assert confident("Can someone host the call on Aug 9 at 3 ET?") == [
        ("2025-08-09T15:00:00-04:00", None, False)
    ]


def test_dashed_day_month_year_takes_its_clock():
    assert confident("| Quiz night | Tue 03-Mar-2026 18:30 |") == [("2026-03-03T18:30:00+00:00", None, False)]


def test_two_days_joined_by_and_with_one_clock_are_a_session_each_day():
    assert confident("Litter picks on March 15th and 16th at 9.30, meet by the gate.") == [
        ("2025-03-15T09:30:00+00:00", None, False),
        ("2025-03-16T09:30:00+00:00", None, False),
    ]


def test_central_european_is_europes_zone_not_us_central():
    assert confident("The board meets on June 4 at 6pm Central European.") == [
        ("2025-06-04T18:00:00+02:00", None, False)
    ]


def test_clock_named_as_the_usual_time_belongs_to_the_days_before_it():
    assert confident("Shall we meet on 16 May at the usual time of 7pm UK / 2pm east coast?") == [
        ("2025-05-16T19:00:00+01:00", None, False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Monday 3 March: draft accounts sent out to all members",
        "6pm, Friday 7 March: Closing date for motions",
        "Friday 7 March – shortlist published on the website",
    ],
)
def test_a_timeline_step_after_a_date_is_no_gathering(text):
    assert read(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Acceptance notifications: Friday, 7 March",
        "Entries are in and judging will begin on 7 March.",
        "The prize winners will be announced on 7 March.",
        "Remember the clocks go forward on Sunday 30 March, so lock up by 7pm.",
        "On 7 March we close the second milestone of the rewrite.",
        "Proposals should be received not later than Friday 7 March.",
        "Please send your forms in prior to 7 March.",
    ],
)
def test_steps_of_a_process_are_no_gathering(text):
    assert read(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Garden Club Newsletter\nMarch 7th 2025",
        "March 7, 2025 Gardening 3 Comments",
        "(the March 7 blog post has the photos)",
    ],
)
def test_a_document_date_is_no_gathering(text):
    assert read(text) == []


def test_a_cancelled_heading_calls_off_the_dated_heading_below():
    text = "## Canceled\n\nBack after the break.\n\n## Maintainers Sync 2025-03-07 - 16:00 UTC"
    assert read(text) == []
    assert read("## Agenda\n\n## Maintainers Sync 2025-03-07 - 16:00 UTC") != []


def test_a_post_hyphen_word_after_a_date_is_no_document():
    assert [start for start, *_ in read("Join us March 7 post-run for coffee.")] == ["2025-03-07"]


def test_zone_written_after_the_date_belongs_to_the_clock_before_it():
    assert confident("**Call:** 7PM Wednesday March 12th ET, or in your own timezone:") == [
        ("2025-03-12T19:00:00-04:00", None, False)
    ]


def test_a_following_sentence_saying_where_to_meet_gives_the_days_clock():
    text = (
        "On Saturday 15th March we are walking the old railway line to the viaduct. "
        "Please meet at the car park beside the old village hall on Station Road at 9.30am with boots."
    )
    assert confident(text) == [("2025-03-15T09:30:00+00:00", None, False)]


def test_start_and_end_labels_in_underscore_bold_make_one_span():
    text = "## When?\n__Start:__ 6 pm Friday 7th March 2025\n__End:__ 2 pm Sunday 9th March 2025"
    assert confident(text) == [("2025-03-07T18:00:00+00:00", "2025-03-09T14:00:00+00:00", False)]
    text = "__Start:__ Friday 7th March 2025\n__End:__ Sunday 9th March 2025"
    assert confident(text) == [("2025-03-07", "2025-03-09", True)]


def test_a_clock_after_the_dash_is_the_days_hours_not_a_last_day():
    assert confident("Litter pick: Saturday March 8th - 10.00 am until 1.00 pm") == [
        ("2025-03-08T10:00:00+00:00", "2025-03-08T13:00:00+00:00", False)
    ]


def test_a_day_said_to_start_and_a_day_said_to_end_are_one_span():
    text = "The climate camp starts on Fri, 7th March and ends on Sun, 9th March."
    assert confident(text) == [("2025-03-07", "2025-03-09", True)]


@pytest.mark.parametrize(
    "text",
    [
        "The co-op has postponed its members' meeting until 12 March.",
        "The members' meeting is being delayed until Wednesday 12 March.",
    ],
)
def test_until_after_a_postponement_is_the_new_date(text):
    assert [start for start, *_ in read(text)] == ["2025-03-12"]


def test_postponing_from_a_date_calls_that_date_off():
    text = "We will be postponing the open day from 12th March.\n\nIt will now be held on Saturday 5th April."
    assert [start for start, *_ in read(text)] == ["2025-04-05"]


@pytest.mark.parametrize(
    "text",
    [
        "Quiz nights: Thursday March 13thThursday April 10th",
        "Quiz nights: Thursday 13th MarchThursday 10th April",
    ],
)
def test_a_date_glued_to_the_next_weekday_is_still_read(text):
    assert [start for start, *_ in read(text)] == ["2025-03-13", "2025-04-10"]


def test_consecutive_days_each_in_brackets_after_its_weekday_are_one_span():
    text = "The repair café runs on Saturday (March 15) and Sunday (March 16)."
    assert [(start, end) for start, end, *_ in read(text)] == [("2025-03-15", "2025-03-16")]


def test_a_bracketed_span_restating_tomorrow_is_one_mention():
    assert [
        (start, end) for start, end, *_ in read("Robotics hackathon happening tomorrow! (Feb 21-22)")
    ] == [("2025-02-21", "2025-02-22")]


def test_ordinals_listed_with_only_spaces_between_are_one_list():
    assert [(start, end) for start, end, *_ in read("Seed swap weekend: 14th 15th & 16th March")] == [
        ("2025-03-14", "2025-03-16")
    ]


def test_a_month_first_span_with_its_middle_days_written_out():
    assert [(start, end) for start, end, *_ in read("Festival: June 12 - 13 - 14, 2025")] == [
        ("2025-06-12", "2025-06-14")
    ]


def test_a_timed_span_in_markdown_italics_with_a_comma_before_to():
    text = "The jam runs from _10:00 AM on Saturday, March 15th, to 4:00 PM on Sunday, March 16th_ at the library."
    assert confident(text) == [("2025-03-15T10:00:00+00:00", "2025-03-16T16:00:00+00:00", False)]


def test_a_month_first_second_day_followed_by_its_place():
    assert [(start, end) for start, end, *_ in read("Open Data Camp March 22 and 23 in Cardiff")] == [
        ("2025-03-22", "2025-03-23")
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Hack weekend 4/11-4/13, sign up below", ("2025-04-11", "2025-04-13")),
        ("Hack weekend 4/29 - 5/1, sign up below", ("2025-04-29", "2025-05-01")),
    ],
)
def test_a_month_first_numeric_span_without_a_year(text, span):
    mentions = read_times(text, FEB, "America/New_York")
    assert [(mention_as_json(m)["start"], mention_as_json(m)["end"]) for m in mentions] == [span]


def test_would_and_a_bare_ordinal_offers_a_day():
    assert [start for start, *_ in read("@sam would 24th be better for you?")] == ["2025-02-24"]


def test_bare_days_said_to_be_gatherings_are_read():
    text = "The 24th and 26th will be open sessions, and the 28th will be our AGM meeting."
    assert [start for start, *_ in read(text)] == ["2025-02-24", "2025-02-26", "2025-02-28"]


@pytest.mark.parametrize(
    "text",
    [
        "Thursday, 20 February 2025",  # a blog post's date line
        "Yours sincerely,\nThe Treasurer\n20 Feb 2025",  # a letter's signature date
        "Posted to the club pages (No. 4, Feb 20 2025)",
        "Date: 2025-02-20\nCategory: news",
    ],
)
def test_a_full_date_of_the_day_written_with_nothing_to_attend_is_the_posts_stamp(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Committee meeting 20 February 2025",  # a gathering named the same day
        "We will be at the allotment on 20 February 2025",  # said as ahead
        "See you 20 Feb 2025 at 7pm",
        "Friday, 21 February 2025",  # the next day: not the day it was written
    ],
)
def test_a_full_date_of_the_day_written_is_still_read_when_it_names_a_gathering(text):
    assert confident(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "The hackday began on Saturday morning in the library annex.",
        "Our AGM started on Tuesday evening with a welcome from the chair.",
    ],
)
def test_a_gathering_told_as_begun_is_past(text):
    assert confident(text) == []


def test_a_getting_started_session_is_not_told_in_the_past():
    assert confident("Getting started session for new members, 2 March?") == [("2025-03-02", None, True)]


@pytest.mark.parametrize(
    "text",
    [
        "The reading group now runs every 2 weeks on Monday at 6pm.",
        "From now on we meet every four weeks on Wednesday, 19:00 UTC.",
        "The choir rehearses fortnightly on Tuesday at 7.30pm.",
    ],
)
def test_a_weekday_every_few_weeks_is_a_series_with_no_sure_next_date(text):
    assert [m for m in read_times(text, FEB, LONDON) if not m.recurring and m.confident] == []


@pytest.mark.parametrize(
    "text",
    [
        "- [ ] publish the revised bylaws on 2025-03-10",
        "* [x] tidy the shared drive on Friday the 28th",
    ],
)
def test_a_date_on_a_to_do_line_naming_no_gathering_dates_a_task(text):
    assert confident(text) == []


def test_a_to_do_line_that_names_a_gathering_keeps_its_date():
    assert confident("- [x] agree a date for the members' meeting: 12 March") == [("2025-03-12", None, True)]


@pytest.mark.parametrize(
    "text",
    [
        "Entries for the photo competition can be handed in at the shop, 3 March or sooner.",
        "Send your apologies to the secretary on 5 March or earlier, please.",
    ],
)
def test_a_date_or_sooner_is_a_deadline(text):
    assert confident(text) == []
    flagged = read_times(text, FEB, LONDON, include_deadlines=True)
    assert [m.flags for m in flagged] == [("deadline",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The committee meets on 12 March; Sam is taking a vacation on 7 March.", ["2025-03-12"]),
        ("Half the team will take a vacation on 7 March.", []),
    ],
)
def test_a_date_said_to_be_a_vacation_is_an_absence(text, expected):
    assert [start for start, *_ in confident(text)] == expected


def test_quote_marks_of_a_wrapped_mail_do_not_part_a_weekday_from_its_date():
    after = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # the Monday after
    text = "> Don't forget the social is this Saturday,\n> 1 March, at the Crown."
    assert confident(text, after) == []
    assert confident(text.replace("> ", ""), after) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a window months long is when something must happen, not a day anyone meets
        ("The branch AGM has to take place between 1 March and 31 May.", []),
        ("The group should meet four to six times between March 3rd and April 11th, 2025.", []),
        ("Our stall will be up between 4 March and 6 March.", [("2025-03-04", "2025-03-06", True)]),
    ],
)
def test_between_two_days_is_one_stretch(text, expected):
    assert confident(text) == expected


def test_a_day_word_after_after_is_when_a_change_starts_even_with_a_clock_before_it():
    text = "Open calls move to 6pm UK for all the sessions after today."
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The new rota will be printed and pinned up in the shed from Friday 7 March.", []),
        ("- approve announcing the new prices publicly on 2025-03-10", []),
        # the thing announced is a gathering held on the date
        (
            "We announced the regional summit, which will be held 10 March in Leeds.",
            [("2025-03-10", None, True)],
        ),
    ],
)
def test_a_date_something_is_printed_or_announced_on_is_an_errand(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Raffle tickets will also be available 8 March.",
        "Parking permits can be collected from the office on Saturday between 10am and noon.",
    ],
)
def test_when_a_thing_can_be_had_is_not_a_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tuesday 25 February      No Junior Training",
        "Friday 28 February: No Lecture or Classes (reading week)",
        "Sunday 2 March - no Club Ride",
    ],
)
def test_a_date_over_a_club_session_denied_is_no_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Posted by jsmith on March 3, 2025 at 6:30pm",
        "Written by Anna Lee on 3 March 2025",
    ],
)
def test_a_byline_naming_its_author_dates_the_post(text):
    assert confident(text) == []


def test_a_clock_said_twice_as_twelve_noon_is_one_clock_and_a_deadline_after_no_later_than():
    assert confident("Lunch at the hall, 12.00 noon on Friday 7 March") == [
        ("2025-03-07T12:00:00+00:00", None, False)
    ]
    assert (
        confident("Motions for the spring AGM must reach us no later than 12.00 noon on Friday 7 March.")
        == []
    )


@pytest.mark.parametrize(
    "text",
    [
        "The open evening on Tuesday attracted over forty visitors.",
        "On Saturday night the choir celebrated its twentieth season.",
    ],
)
def test_a_gathering_said_to_have_attracted_or_celebrated_is_past(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "From what we hear, the hosepipe ban will be lifted on 10 March.",
        "The local lockdown will end on 12 March.",
    ],
)
def test_a_ban_or_lockdown_ending_is_a_milestone(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The quiz night is on Thursday 6 March, not Wednesday 5 March.", [("2025-03-06", None, True)]),
        ("Why not Saturday 8 March for the social?", [("2025-03-08", None, True)]),
    ],
)
def test_a_date_said_not_to_be_the_day_is_denied(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Final abstracts due:\nMarch 14, 2025",
        "Friday 14th March            Closing date for tickets to the spring supper.",
    ],
)
def test_a_date_labelled_as_due_or_closing_by_its_table_is_a_deadline(text):
    assert confident(text) == []


def test_a_date_of_an_announcement_in_a_timeline_is_not_a_gathering():
    text = "Applications open March 3\nShortlist and announcement April 1"
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "20th February 2025 AUTHOR: rkhan CATEGORIES: Event Report",
        "February 20, 2025 | Tags: meeting, committee",
    ],
)
def test_a_date_followed_by_a_blog_engines_labels_is_a_byline(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday 7 March, the original date for the spring social, clashes with the derby.", []),
        ("Several members asked that the original date for the hustings of Friday 7 March be moved.", []),
        (
            "The original date of 7 March has been changed to 14 March for the social.",
            [("2025-03-14", None, True)],
        ),
        ("The annual walk on Sunday 9 March will not be possible this year.", []),
    ],
)
def test_a_date_named_as_the_original_one_or_not_possible_is_no_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Please note the caretaker will be switching off the heating on 10th March.",
        "The donations will be delivered to the night shelter on the 12th March.",
        "Volunteers can drop their raffle prizes off on Friday 7th.",
    ],
)
def test_a_date_a_chore_is_done_on_is_not_a_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "On Sunday 9 March the shop will close early at 4pm for stocktaking.",
        "The bookstall will be open during the usual hours, with late night opening on Thursdays March 6 and 13.",
        "From 8 March our clubhouse will be open from 6pm till late on match days.",
    ],
)
def test_a_places_opening_hours_are_not_a_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I'm away and will miss the steering call on 4 March.",
        "I can't attend the workshop on Thursday 6 March, apologies.",
    ],
)
def test_a_gathering_someone_will_miss_is_their_absence(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Looking at the calendar, the weekend (Mar 8+9) isn't an option.", []),
        ("Thursday 6 March doesn't work for me, but Friday 7 March does.", [("2025-03-07", None, True)]),
        ("With the social called off, 7th March ceased to be the day for the raffle.", []),
        ("Friday 7 March is no longer the date for the swap shop.", []),
    ],
)
def test_a_date_said_not_to_work_is_ruled_out(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The next quiz after 15 March is still to be fixed.", []),
        ("We meet again in the week after 15 March.", []),
        (
            "Members were advised by formal notice on 3rd March of the Club AGM, which will be held on Tuesday 13th May.",
            [("2025-05-13", None, True)],
        ),
    ],
)
def test_a_date_after_after_or_a_notice_date_is_no_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remembrance service - the Sunday preceding March 16th - at the memorial.", []),
        ("Our picnic is the weekend nearest to 21 March, weather permitting.", []),
        # "the following Tuesday, 11 March" names the day itself
        ("The following Tuesday, March 11th, is our next rehearsal.", [("2025-03-11", None, True)]),
    ],
)
def test_a_date_a_day_is_counted_from_is_a_reference_point(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our committee meetings are usually on Tuesday at 7pm.", []),
        ("Rehearsals take place on Thursday at 7.30pm in the church hall.", []),
        # counted out, the days are this week's
        (
            "The next two sessions are on Monday at 6pm and on Wednesday at 6pm.",
            [("2025-02-24T18:00:00+00:00", None, False), ("2025-02-26T18:00:00+00:00", None, False)],
        ),
    ],
)
def test_gatherings_said_in_the_plural_to_be_on_a_weekday_are_a_habit(text, expected):
    assert [
        (j["start"], j["end"], j["all_day"])
        for m in read_times(text, FEB, LONDON)
        if m.confident and not m.recurring
        for j in (mention_as_json(m),)
    ] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plot holders may light bonfires from 1st March, dry material only.", []),
        ("* Archive the old list (provisionally, starting March 3rd) and point people to the forum", []),
        # a gathering named, the day it starts is read
        ("Join us for the first litter pick, starting on March 3rd.", [("2025-03-03", None, True)]),
    ],
)
def test_a_day_a_period_or_rule_starts_on_is_not_a_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The allotment society's seed swap is on Saturday 15th March. Bring spare seeds in paper envelopes. "
            "We will meet by the greenhouse at 11am.",
            ("2025-03-15T11:00:00+00:00", None, False),
        ),
        (
            "A reminder that the steering call is on Wednesday, March 12th. The notes doc is open for edits. "
            "As usual we are meeting at 1600 UTC.",
            ("2025-03-12T16:00:00+00:00", None, False),
        ),
        (
            "The path clearing is planned for Sunday 9th March. Tools will be provided. "
            "Please meet at the car park gate at 9.30am. We hope to be finished by 12pm.",
            ("2025-03-09T09:30:00+00:00", "2025-03-09T12:00:00+00:00", False),
        ),
    ],
)
def test_a_later_sentence_gives_the_one_named_day_its_gathering_clock(text, expected):
    """One day named without a clock, and a few sentences on, naming no day, one clear clock ("meet … at",
    "meeting at … UTC", "At 7pm!"), and its end in the sentence after: that day's time."""
    assert confident(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # two days named: the later clock could be either's
        "The fair is on Saturday 15th March and the clear-up on Sunday 16th March. We meet at 10am.",
        # two clocks later on: which is the day's?
        "The seed swap is on Saturday 15th March. Bring spare seeds. Stalls open at 10am or 11am.",
    ],
)
def test_a_later_clock_stays_apart_when_it_may_not_be_the_days(text):
    assert all(all_day for _, _, all_day in confident(text))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "The plant sale runs Friday, Mar. 14, to Sunday, Mar. 16, in the church hall.",
            ("2025-03-14", "2025-03-16"),
        ),
        ("Our litter week goes from Saturday 5th April to Saturday 12th.", ("2025-04-05", "2025-04-12")),
        ("Exhibition: Monday 3rd March to Friday 14th, in the foyer", ("2025-03-03", "2025-03-14")),
    ],
)
def test_spans_with_a_comma_before_to_or_ending_a_week_or_two_on(text, span):
    """A comma after the first full date does not break "to"; a span may end on a weekday a week or two on."""
    assert [(start, end) for start, end, *_ in read(text)] == [span]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("At the committee we fixed 14 March as the date for the bulb planting.", "2025-03-14"),
        ("Members voted, and the date was confirmed as 8 April 2025.", "2025-04-08"),
        (
            "It was agreed that the earliest of our preferred dates, 12 March, works for the caterers.",
            "2025-03-12",
        ),
    ],
)
def test_a_date_chosen_for_a_gathering_is_ahead_whatever_the_tense_of_choosing(text, day):
    """ "the date was confirmed as…", "we set … as the date for…", "our chosen dates, …": the day chosen."""
    assert [start for start, *_ in confident(text)] == [day]


def test_a_chosen_date_told_after_it_has_gone_is_past():
    assert confident("Planning went smoothly and the date was set for February 8 rather than March.") == []


def test_on_a_weekday_written_that_weekday_before_its_clock_is_today():
    # FEB is Thursday 20 February 2025, noon GMT: 6pm is still ahead, 9am has gone.
    assert confident("Reminder: the repair café call is on Thursday at 6pm.") == [
        ("2025-02-20T18:00:00+00:00", None, False)
    ]
    assert confident("Reminder: the repair café call is on Thursday at 9am.") == [
        ("2025-02-27T09:00:00+00:00", None, False)
    ]
    # "next Thursday" is a week on, whatever the clock
    assert confident("The repair café call is next Thursday at 6pm.") == [
        ("2025-02-27T18:00:00+00:00", None, False)
    ]


def test_a_day_and_month_written_with_stops_do_not_end_the_sentence():
    """ "Saturday the 15.03. at 14:00": the stop after a dotted day and month, then a lowercase word, goes on."""
    assert confident("We set off from the hostel Saturday the 15.03. at 14:00 towards the lake.") == [
        ("2025-03-15T14:00:00+00:00", None, False)
    ]


def test_a_clock_alone_a_few_exclamations_after_tonight_is_its_time():
    assert confident("Is the stargazing on tonight? Yes! On the hill! 8pm to 10pm!") == [
        ("2025-02-20T20:00:00+00:00", "2025-02-20T22:00:00+00:00", False)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Board call: on Tuesday 16:00 GMT, link to follow", ("2025-02-25T16:00:00+00:00", None, False)),
        ("Can we do this Saturday 10.30 at the allotment gate?", ("2025-02-22T10:30:00+00:00", None, False)),
        ("Pop in on Monday 4 pm for tea", ("2025-02-24T16:00:00+00:00", None, False)),
    ],
)
def test_a_weekday_then_its_clock_is_not_a_day_of_the_month(text, expected):
    """ "Tuesday 16:00" is Tuesday at four, never "Tuesday the 16th"."""
    assert confident(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A reminder that tomorrow afternoon (Friday 21st February) we run the bike clinic behind the library "
            "from 1:30pm to 3pm.",
            ("2025-02-21T13:30:00+00:00", "2025-02-21T15:00:00+00:00", False),
        ),
        (
            "The study group meets online at 7pm UTC every other Monday, starting on 3 March.",
            ("2025-03-03T19:00:00+00:00", None, False),
        ),
    ],
)
def test_a_date_restated_by_a_day_word_or_its_weekday_keeps_the_sentence_clock(text, expected):
    """A day-word or weekday that falls on the one date of the sentence is that date again, so the sentence's
    one clear clock is still its time."""
    assert confident(text) == [expected]


def test_a_clock_range_without_am_or_pm_starting_at_an_evening_hour_is_in_the_evening():
    """A lone "6:30" is read as 6:30pm; a range "6:30 - 8:30" starting there is too."""
    assert confident("Pub social: Wednesday 12 March, 6:30 - 8:30, upstairs room") == [
        ("2025-03-12T18:30:00+00:00", "2025-03-12T20:30:00+00:00", False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Please come to the rally for the library on Saturday.",
        "There is a candlelit vigil outside the town hall on Saturday.",
        "Join the picket at the depot gates on Saturday.",
    ],
)
def test_rallies_vigils_and_pickets_are_gatherings(text):
    assert [start for start, *_ in confident(text)] == ["2025-02-22"]


def test_the_last_day_of_a_month_and_the_first_of_the_next_are_one_span():
    text = "The seed fair has the barn on Friday 28 February and Saturday 1 March."
    assert [(start, end) for start, end, *_ in read(text)] == [("2025-02-28", "2025-03-01")]


def test_two_consecutive_days_in_bold_are_one_span():
    assert [(start, end) for start, end, *_ in read("The hack weekend is **on March 8 and 9**.")] == [
        ("2025-03-08", "2025-03-09")
    ]


def test_a_start_and_end_day_with_a_part_of_day_or_a_meal_between_are_one_span():
    text = "The retreat will start on the evening of Friday 7 March, and end after lunch on Sunday 9 March."
    assert [(start, end) for start, end, *_ in read(text)] == [("2025-03-07", "2025-03-09")]


def test_a_clock_in_emphasis_before_its_date_is_that_dates_time():
    assert confident("Office hours: *15:00 UTC*, 2025-03-04 (sign up below)") == [
        ("2025-03-04T15:00:00+00:00", None, False)
    ]


def test_indented_bullet_sessions_under_a_date_line_are_sessions_that_day():
    text = (
        "• Saturday, March 8, 2025\n"
        "      • 10:00 AM Doors open, with coffee and pastries for everyone who comes early\n"
        "      • 11:00 AM Welcome talk in the main room, followed by questions from the floor\n"
        "      • 2:00 PM Workshop on repairing bikes, bring your own tools if you have some"
    )
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", None, False),
        ("2025-03-08T11:00:00+00:00", None, False),
        ("2025-03-08T14:00:00+00:00", None, False),
    ]


def test_the_first_day_of_a_weekday_series_named_next_takes_the_series_clock():
    text = "Let's run the reading group every other Wednesday 18:30 GMT.\nThe first one is on March 5th."
    assert confident(text) == [("2025-03-05T18:30:00+00:00", None, False)]
    # a day that is not on the series' weekday keeps no clock
    text = (
        "Let's run the reading group every other Wednesday 18:30 GMT.\nThe kick-off social is on March 7th."
    )
    assert confident(text) == [("2025-03-07", None, True)]


def test_a_weekday_with_its_day_and_month_dotted_in_brackets_is_that_date():
    assert confident("The prize giving will be this Saturday (22.02) with a 3pm start.") == [
        ("2025-02-22T15:00:00+00:00", None, False)
    ]


def test_a_dotted_quarter_hour_after_at_is_the_days_clock_from_a_distance():
    assert confident("Tonight brings the monthly film club at 7.30 in the church hall.") == [
        ("2025-02-20T19:30:00+00:00", None, False)
    ]


def test_a_day_alone_takes_the_month_named_alone_just_before_it():
    text = "The month after, April, will be the seed swap on the 12th, then we rest until the summer."
    assert [start for start, *_ in confident(text)] == ["2025-04-12"]
    # a month written with its own day is a date, not a month for the day after it
    text = "We'll call on Monday 3rd March about it; hope to see you on the 3rd!"
    assert [start for start, *_ in confident(text)] == ["2025-03-03"]


def test_a_weekday_said_of_one_day_takes_a_clock_a_sentence_or_two_later():
    text = "This Saturday is the orchard's winter pruning day. Bring gloves and secateurs. We gather at 10am by the shed."
    assert confident(text) == [("2025-02-22T10:00:00+00:00", None, False)]


def test_a_matter_to_be_discussed_at_a_dated_meeting_is_a_meeting_ahead():
    text = "The hedge budget will be discussed at the 12th March meeting of the committee."
    assert [start for start, *_ in confident(text)] == ["2025-03-12"]


def test_a_numeric_day_and_month_right_before_a_gathering_word_is_its_date():
    assert [start for start, *_ in confident("Bring the figures to the 12/3 meeting, please.")] == [
        "2025-03-12"
    ]
    mentions = read_times("Bring the figures to the 3/12 meeting, please.", FEB, "America/New_York")
    assert [mention_as_json(m)["start"] for m in mentions] == ["2025-03-12"]


def test_a_monthly_series_first_day_takes_the_series_clock():
    text = "From 5 April there will be a knitting circle every first Saturday of the month at 2.30 in the library."
    assert confident(text) == [("2025-04-05T14:30:00+01:00", None, False)]


def test_labelled_event_start_and_finish_lines_are_one_span():
    text = "Event starting time: 10:00am 8 March 2025\nEvent finishing time: 01:00pm 8 March 2025"
    assert confident(text) == [("2025-03-08T10:00:00+00:00", "2025-03-08T13:00:00+00:00", False)]


def test_eastern_zones_in_a_list_of_clocks_keep_the_chain_and_utc_is_reported():
    text = "Release call on Tuesday, March 11th, 4:30pm CET / 9pm IST / 3:30pm GMT / 10:30am EST"
    assert confident(text) == [("2025-03-11T15:30:00+00:00", None, False)]
    # a lone clock in an Australian zone is that zone's clock
    assert confident("Working group: Thursday 6 March, 10am AEDT") == [
        ("2025-03-06T10:00:00+11:00", None, False)
    ]


def test_an_arrival_clock_for_a_later_start_is_the_gatherings_time():
    text = "The annual dinner is booked for Saturday 8th March, with the usual 7pm for 7.30pm start, at the Red Lion."
    assert confident(text) == [("2025-03-08T19:00:00+00:00", None, False)]


def test_a_numeric_date_closed_by_a_colon_before_its_clock_is_read():
    mentions = read_times("We are now booked for 3/14: 2:00-3:00pm PST", FEB, "America/Los_Angeles")
    assert [(mention_as_json(m)["start"], mention_as_json(m)["end"]) for m in mentions] == [
        ("2025-03-14T14:00:00-07:00", "2025-03-14T15:00:00-07:00")
    ]
    assert confident("Booked for 14/3: 2:00-3:00pm") == [
        ("2025-03-14T14:00:00+00:00", "2025-03-14T15:00:00+00:00", False)
    ]


def test_a_date_noted_as_the_changed_date_is_the_new_one():
    assert [
        start
        for start, *_ in confident("The bulb planting will be on March 15th by the pond - note changed date.")
    ] == ["2025-03-15"]


def test_a_series_said_to_kick_off_on_a_day_starts_then_it_is_no_time_off():
    assert [
        start for start, *_ in confident("This month's repair sessions kick off on Mar. 4 with bikes.")
    ] == ["2025-03-04"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proxy forms must be returned by: March 10, 2025", []),
        ("Members hope the council acts before the scheme's 31 March expiry.", []),
        (
            "The usual social on 6 March will not occur, but instead a members' evening will be held on Friday 7 March.",
            [("2025-03-07", None, True)],
        ),
        ("The quiz was due to have been held on Friday 7 March at the Crown.", []),
        ("Please note the walking group is on hold from March 1, 2025 to April 5, 2025.", []),
    ],
)
def test_deadlines_expiries_and_gatherings_that_will_not_occur(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # thanked for a gathering: it was held
        "A big thank you to the volunteers for a fantastic open day on March 1.",
        # set up at a meeting already held
        "+New subcommittees established at the 1 March members' meeting.",
        # when someone arrives, not when anyone meets
        "I arrive around 2pm Saturday, see you all there!",
        # a prize draw is no gathering
        "The spring draw of our club lotto will take place on Sunday 2nd March.",
        # an ordinal weekday with no month is a series with no sure date
        "Every 2nd Tuesday at 10am UK time",
        "Options: 1st and 3rd Thursday 6pm UK",
    ],
)
def test_thanked_for_set_up_at_arrival_prize_draw_and_ordinal_series_are_no_gatherings(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Join us for a talk on Mary Seacole (23 November 1805 – 14 May 1881) by our chair.", []),
        # a 24-hour clock after the date is still a clock
        ("Committee call 12 March 1400 UTC", [("2025-03-12T14:00:00+00:00", None, False)]),
    ],
)
def test_a_day_and_month_with_a_year_long_past_are_history(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.4.0-rc.1 -> Week 3 // Tue March 11, 2025\n2.4.0 -> Week 5 // Tue March 25, 2025", []),
        ("v3.1: Friday 7 March", []),
        # a clock opening a programme's line is no version
        ("10.30 am on Sat 8th March – Group litter pick", [("2025-03-08T10:30:00+00:00", None, False)]),
    ],
)
def test_a_date_on_a_line_opened_by_a_version_number_dates_a_release(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Feb 20, 2025 Repair Cafe Steering Group Agenda \\ Minutes", []),
        ("Allotment Committee Meeting Report: 20 February 2025", []),
        # minutes as a length of time, or a series' name said ahead
        ("Coffee morning 8 March, the walk from the station takes 10 minutes", [("2025-03-08", None, True)]),
        (
            "The next Mapping Minutes will be on March 12, at 5:30pm.",
            [("2025-03-12T17:30:00+00:00", None, False)],
        ),
    ],
)
def test_a_date_on_a_line_titling_minutes_or_a_meeting_report_is_a_record(text, expected):
    assert confident(text) == expected


def test_a_voting_or_consultation_period_is_not_a_gathering():
    assert confident("The consultation period runs from 3 March - 7 March.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Dates to steer clear of are below.\nDates to avoid:\n\n* March 10-12, 2025 (regional congress)\n* March 20, 2025 (board away day)",
        "We should schedule around the county show in Ludlow during March 14-16.",
        "I think we ought to schedule around the Federation's big spring conference in Harrogate during March 14-16.",
        "A Thursday slot would run into conflicts with the choir concert (13th of March this year).",
    ],
)
def test_dates_named_only_to_be_kept_clear_of_are_no_gatherings(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 3 March we sent an email to members announcing the regional summit.", []),
        ("Due to the snow we have extended the postmark date to Monday, March 10.", []),
        # a gathering after the sending is still read
        (
            "On 3 March we sent the invitations; the social itself is on 14 March.",
            [("2025-03-14", None, True)],
        ),
    ],
)
def test_a_day_a_message_was_sent_or_a_postmark_date_is_no_gathering(text, expected):
    assert confident(text) == expected


def test_a_bare_ordinal_asked_if_it_would_do_is_offered():
    assert [start for start, *_ in read("@ana also, tell me if 26th would do.")] == ["2025-02-26"]
    assert [start for start, *_ in read("Let me know if the 27th works.")] == ["2025-02-27"]


def test_a_longer_part_of_day_before_the_start_day_still_joins_the_span():
    text = "The camp starts on the afternoon of Friday 7 March, and ends after breakfast on Sunday 9 March."
    assert [(start, end) for start, end, *_ in read(text)] == [("2025-03-07", "2025-03-09")]


def test_a_weekday_with_no_space_after_its_comma_is_still_a_date():
    assert confident("Tuesday,March 11, 2025\n7 to 9 PM\nChurch hall") == [
        ("2025-03-11T19:00:00+00:00", "2025-03-11T21:00:00+00:00", False)
    ]


def test_a_bare_hour_range_right_before_on_and_its_day_is_that_days_hours():
    text = "The repair café will be held at the hall from 10-2 on Saturday, March 15th."
    assert confident(text) == [("2025-03-15T10:00:00+00:00", "2025-03-15T14:00:00+00:00", False)]


def test_a_range_whose_end_is_given_roughly_still_ends_there():
    text = "Saturday, March 15, from 10 am to approx. 1 pm. Volunteers will be clearing the brook."
    assert confident(text) == [("2025-03-15T10:00:00+00:00", "2025-03-15T13:00:00+00:00", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The dates for the camp have been fixed today, and they are: 24th - 28th April.",
            ("2025-04-24", "2025-04-28"),
        ),
        ("To agree the open day, Thursday 13 March was chosen and the posters agreed.", ("2025-03-13", None)),
    ],
)
def test_a_date_said_after_or_before_to_have_been_chosen_is_read(text, expected):
    assert [(start, end) for start, end, *_ in confident(text)] == [expected]


def test_a_meeting_cancelled_and_replaced_with_one_on_a_new_date_gives_the_new_date():
    text = "The 10 March members meeting is cancelled and replaced with a special meeting on March 13th"
    assert [start for start, *_ in confident(text)] == ["2025-03-13"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The meeting was postponed a week, so it will now be held at 7:00 pm next Thursday 27th February.",
            ("2025-02-27T19:00:00+00:00", None, False),
        ),
        (
            "Because of the storm we are postponing our planned March 2nd meeting by a week until Sunday March 9th (7pm).",
            ("2025-03-09T19:00:00+00:00", None, False),
        ),
    ],
)
def test_the_new_date_of_a_postponement_said_further_on_is_read(text, expected):
    assert confident(text) == [expected]


def test_the_dated_start_of_a_weekly_series_is_a_one_off_mention_not_the_series():
    text = "The coding club will meet from 3:00-4:30 each Wednesday starting March 12."
    mentions = read_times(text, FEB, LONDON)
    assert [(mention_as_json(m)["start"], m.recurring) for m in mentions] == [
        ("2025-03-12T15:00:00+00:00", False)
    ]


def test_the_next_one_of_a_weekly_slot_named_by_date_takes_the_slots_clock():
    text = "The calls are every two weeks, on Tuesdays 5pm UTC.\nNext one is Tuesday March 4th"
    assert confident(text) == [("2025-03-04T17:00:00+00:00", None, False)]


def test_a_month_named_for_another_event_in_the_sentence_before_gives_no_month():
    text = "We'll plan our September garden party at the call. Hope to see you on the 11th!"
    # Not September's 11th: the invitation's own day is the next 11th (see the invited-day test below).
    assert confident(text) == [("2025-03-11", None, True)]


def test_the_sun_is_not_sunday():
    assert confident("WHEN: Friday, March 7th as the sun goes down (about 6pm)") == [
        ("2025-03-07T18:00:00+00:00", None, False)
    ]


def test_a_numeric_date_with_its_weekday_in_brackets_is_a_date():
    mentions = read_times("How about 3/9 (Sunday)?", FEB, "America/Chicago")
    assert [mention_as_json(m)["start"] for m in mentions] == ["2025-03-09"]
    assert [start for start, *_ in confident("How about 9/3 (Sunday)?")] == ["2025-03-09"]


def test_a_dotted_afternoon_clock_is_clear_enough_to_be_the_days_time():
    assert confident("Saturday 8th March\n\nClimate march - gather 14.30 by the clock tower.") == [
        ("2025-03-08T14:30:00+00:00", None, False)
    ]


def test_a_four_digit_clock_range_followed_by_local_time_is_read():
    assert confident("Thursday 13th March, 1830 - 2000 local time\nCommittee Room 2") == [
        ("2025-03-13T18:30:00+00:00", "2025-03-13T20:00:00+00:00", False)
    ]


def test_a_holiday_whose_name_is_its_date_dates_a_gathering_given_a_clock():
    assert confident("Christmas Eve will be lovely. First there is a carol service at 4.30pm.") == [
        ("2025-12-24T16:30:00+00:00", None, False)
    ]
    assert confident("The day after, which is Halloween, the pumpkin supper will begin at 6pm.") == [
        ("2025-10-31T18:00:00+00:00", None, False)
    ]
    # named alone, a holiday is no gathering; named beside a date, it names something else
    assert confident("Merry Christmas Eve to all our members!") == []
    assert confident("Wednesday, Oct 29 - Halloween Market Event, 3-7pm") == [
        ("2025-10-29T15:00:00+00:00", "2025-10-29T19:00:00+00:00", False)
    ]


def test_each_day_of_a_schedule_listed_under_a_weekday_series_takes_its_clock():
    text = (
        "Craft club, every other Tuesday at 7:00pm.\nBring what you can.\n\nthe schedule:\n"
        "Tues Mar 4th - Embroidery\nTues Mar18th - Knitting\nTues Apr 1st - Felting"
    )
    assert confident(text) == [
        ("2025-03-04T19:00:00+00:00", None, False),
        ("2025-04-01T19:00:00+01:00", None, False),
    ]


def test_please_arrive_from_a_clock_and_be_finished_by_another_is_the_days_hours():
    text = (
        "Please arrive on Saturday 15th March from 10.00 am and be finished by 1.00 pm with your cars parked."
    )
    assert confident(text) == [("2025-03-15T10:00:00+00:00", "2025-03-15T13:00:00+00:00", False)]


def test_a_month_with_its_days_in_brackets_is_a_date_or_span():
    text = "The two festivals are still planned for June (8-11) and October (19-23)."
    assert [(start, end) for start, end, *_ in confident(text)] == [
        ("2025-06-08", "2025-06-11"),
        ("2025-10-19", "2025-10-23"),
    ]
    assert [start for start, *_ in confident("Committee meetings in April (22nd) and September")] == [
        "2025-04-22"
    ]
    assert confident("Members may (1) vote by post or (2) attend.") == []


def test_a_month_first_span_with_the_last_days_weekday_written_is_one_span():
    text = "The summit happens Tuesday, March 18-Wednesday, 19, 2025, in Leeds."
    assert [(start, end) for start, end, *_ in confident(text)] == [("2025-03-18", "2025-03-19")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Next Tuesday I am not available before 4pm for the help desk.", []),
        ("We are in Leeds 10-12 March, sadly, so the shared office won't be available then.", []),
        # a gathering named between, or a condition, keeps the date
        (
            "On 12 March the meeting is at 3pm, though Sam is unavailable.",
            [("2025-03-12T15:00:00+00:00", None, False)],
        ),
        ("Let's meet on 12 March; if you are not available, say so.", [("2025-03-12", None, True)]),
    ],
)
def test_a_date_someone_or_somewhere_is_not_available_is_no_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The reading group meets (Thursday, 6 pm, room 4) every other week during term.", []),
        ("Our choir practises on Monday at 7pm, fortnightly.", []),
        # a weekly habit, or a named first day, is still read
        ("The choir practises on Monday at 7pm every week.", [("2025-02-24T19:00:00+00:00", None, False)]),
    ],
)
def test_a_weekday_later_said_to_skip_weeks_has_no_sure_next_date(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At the quiz night on 3 February we said farewell to our long-serving treasurer.", []),
        ("At our open day on 8 February they gave out seedlings to every visitor.", []),
        # what someone said about a gathering ahead is still read
        ("As we said, the next social is on 5 March.", [("2025-03-05", None, True)]),
    ],
)
def test_a_gathering_told_with_an_irregular_past_verb_is_past(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("With World Book Day falling on Thursday 6 March, the library has a display.", []),
        ("Volunteers' Week running from 2 June to 8 June is a chance to say thanks.", []),
        # a gathering that falls on a day is still read
        ("Our open day falls on 14 June this year.", [("2025-06-14", None, True)]),
    ],
)
def test_a_named_day_or_week_of_observance_is_no_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "> Friends of the allotments, after a long winter of planning we expect to release\n"
            "> version 2 of the plot map on 14 March.",
            [],
        ),
        # a quoted line that ends its sentence still ends it
        (
            "> Friends of the allotments, thank you all for a long winter of hard work.\n"
            "> Our spring social is on 14 March.",
            [("2025-03-14", None, True)],
        ),
    ],
)
def test_a_quoted_line_hard_wrapped_mid_sentence_is_read_as_one_sentence(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We expect to release the first draft on 3 March and the final text on 17 March.", []),
        # a gathering, or a verb of its own, makes the second clause its own
        (
            "We expect to release the first draft on 3 March and the review meeting is on 17 March.",
            [("2025-03-17", None, True)],
        ),
    ],
)
def test_a_verbless_clause_after_and_shares_the_milestone_before_it(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our repair cafe on 8 February was a real success, and we can't wait to do more.", []),
        ("The beach clean on 9 February went really well; next time we will bring more bags.", []),
        # a gathering said to be going to go well is still ahead
        ("The beach clean on 9 March will be great fun.", [("2025-03-09", None, True)]),
    ],
)
def test_a_date_followed_by_how_the_gathering_went_is_past(text, expected):
    assert confident(text) == expected


def test_a_weekday_clock_given_in_a_zones_winter_and_summer_names_is_a_standing_slot():
    mentions = read("Design team: Tuesday at 11:00am PST/PDT in the usual room")
    assert [m[0] for m in mentions] == ["2025-02-25T11:00:00-08:00"]
    assert "recurring" in mentions[0][3]
    # one season's zone names one day
    assert "recurring" not in read("Design team: Tuesday at 11:00am PST in the usual room")[0][3]


def test_a_bare_weekday_after_a_gathering_called_weekly_is_the_weekly_habit():
    mentions = read("Our weekly knit-and-natter is back, Thursday from 2pm in the hall.")
    assert [m[0] for m in mentions] == ["2025-02-20T14:00:00+00:00"]
    assert "recurring" in mentions[0][3]
    # a weekday counted out ("next Thursday") is one day
    assert "recurring" not in read("The weekly knit-and-natter moves to next Thursday at 2pm.")[0][3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can anyone water the beds during the period 3 to 9 March while I'm away?", []),
        ("Hall hire is discounted for the period from 10 to 20 March.", []),
        # a gathering over some days is still read
        ("The festival runs 3 to 9 March.", [("2025-03-03", "2025-03-09", True)]),
    ],
)
def test_days_named_as_a_period_are_no_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 12 March: translations done\n- 19 March: website update complete", []),
        # a step of a timeline that is a gathering is still read
        ("- 12 March: garden work day", [("2025-03-12", None, True)]),
    ],
)
def test_a_timeline_step_finished_on_a_date_is_no_gathering(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We held two lovely socials on\n\n3 February at 7pm and on 6 February at noon.", []),
        ("Our next social is on\n\n14 March at 7pm.", [("2025-03-14T19:00:00+00:00", None, False)]),
    ],
)
def test_a_blank_line_after_a_word_that_goes_on_does_not_end_the_sentence(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The book club on 12 March is being pushed back to the autumn.", []),
        ("Our quiz night planned for 14 March has been brought forward a week.", []),
        # the day it is pushed to is the new date
        ("The book club on 12 March has been pushed back to 19 March.", [("2025-03-19", None, True)]),
        # something else being pushed back, with no new day, leaves the gathering alone
        (
            "The fair goes ahead on 12 March even if the roadworks get pushed back past spring.",
            [("2025-03-12", None, True)],
        ),
    ],
)
def test_a_gathering_pushed_back_or_forward_leaves_its_old_date(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The summit due to take place from 10 to 12 March has been moved online.", []),
        ("The summit has been moved from 10 March to 17 March.", [("2025-03-17", None, True)]),
    ],
)
def test_a_span_after_take_place_from_is_no_move_of_its_first_day(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Here are a few pictures from the litter pick on Saturday 15 February.", []),
        ("Some footage of our protest walk on 8 February is online now.", []),
        # pictures shown at a gathering still to come leave that gathering's date
        ("Ann will show photos of the orchard at our meeting on 4 March.", [("2025-03-04", None, True)]),
    ],
)
def test_pictures_of_a_gathering_show_it_was_held(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Choir: Tuesdays at 7.30pm in the hall, Friday at 6pm in the church and Sunday at 10am.",
        "Thursday evenings at 8 in the pub; Saturday morning at 9 on the green.",
    ],
)
def test_a_weekday_listed_after_a_plural_weekday_slot_is_weekly(text):
    mentions = read(text)
    assert mentions and all("recurring" in m[3] for m in mentions)


def test_a_weekday_not_listed_with_a_plural_weekday_slot_is_one_day():
    mentions = read("We usually meet on Tuesdays, but the AGM will be on Saturday at 2pm.")
    assert [(m[0], "recurring" in m[3]) for m in mentions] == [("2025-02-22T14:00:00+00:00", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Owing to the cancellation of the beginners' class this Saturday, the hall is free.", []),
        # the gathering after the cancellation's own words is still read
        (
            "Following the cancellation of the quiz on 5 March, our next social is the ceilidh on 12 March.",
            [("2025-03-12", None, True)],
        ),
        # a new date given after the cancellation is read
        (
            "After the cancellation of last week's talk the speaker will now come on 5 March.",
            [("2025-03-05", None, True)],
        ),
    ],
)
def test_the_cancellation_of_a_gathering_on_a_date_calls_it_off(text, expected):
    assert confident(text) == expected


def test_a_day_alone_the_readers_are_invited_to_meet_on_is_the_next_such_day():
    # Written 20 February 2025: the next 27th is this month's, the next 4th is March's.
    assert confident("Really looking forward to seeing some of you on the 27th.") == [
        ("2025-02-27", None, True)
    ]
    assert confident("Do come and join us at the allotment on the 4th.") == [("2025-03-04", None, True)]
    # Told in the past, it is no invitation ahead.
    assert confident("It was great to see you all on the 4th.") == []


def test_a_programme_under_its_date_line_may_set_its_lines_apart_with_blank_lines():
    text = "Saturday 8 March\n\n10:00 - 12:30 Seed swap\n\n2:00 PM - 4:00 PM Pruning demonstration"
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", "2025-03-08T12:30:00+00:00", False),
        ("2025-03-08T14:00:00+00:00", "2025-03-08T16:00:00+00:00", False),
    ]


def test_what_a_club_or_hall_puts_on_is_a_gathering():
    # Thursday 20 February 2025: "this Saturday" is the 22nd, "tomorrow" the 21st.
    assert confident("The bowls club throws open its clubhouse this Saturday.") == [
        ("2025-02-22", None, True)
    ]
    assert confident("Our spring fundraiser is tomorrow!") == [("2025-02-21", None, True)]
    assert confident("Bring snacks: the film night is this Saturday.") == [("2025-02-22", None, True)]


def test_until_after_a_rescheduling_names_the_new_date():
    assert confident("Board meeting rescheduled until March 6") == [("2025-03-06", None, True)]


def test_a_group_joining_us_on_a_day_is_a_gathering():
    assert confident("The brass band are joining us on Saturday.") == [("2025-02-22", None, True)]


def test_a_dated_day_then_its_sessions_clocks_in_order_are_each_a_session():
    text = "Saturday 8 March: the plant sale opens at 10 a.m., bring bags; 2-4 p.m. talk on composting."
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", None, False),
        ("2025-03-08T14:00:00+00:00", "2025-03-08T16:00:00+00:00", False),
    ]
    # A clock said to end the day is its end, not a second session.
    assert len(confident("On Saturday 8 March the sale opens at 10 a.m. and closes at 4 p.m.")) == 1


def test_a_weekday_said_with_next_week_is_that_weekday_of_the_following_week():
    # Thursday 20 February 2025: next week runs from Monday 24 February (not tomorrow's Friday).
    assert confident("The working party meets next week Friday at 10am.") == [
        ("2025-02-28T10:00:00+00:00", None, False)
    ]
    assert confident("Could we shift the call to Friday of next week at 2pm?") == [
        ("2025-02-28T14:00:00+00:00", None, False)
    ]
    assert confident("We have agreed to move the rota meeting to next week Monday.") == [
        ("2025-02-24", None, True)
    ]


def test_a_block_fenced_as_meta_holds_the_posts_details_not_code():
    text = "```meta\nUTCTime: 2025-03-04 15:30 UTC\nDuration: 90m\n```\n\nRoadmap review."
    assert confident(text) == [("2025-03-04T15:30:00+00:00", None, False)]
    # Other fenced blocks are still code.
    assert confident("```\ncron: 2025-03-04 15:30 UTC\n```") == []


def test_the_first_or_next_one_of_a_series_is_a_gathering():
    assert confident("We are starting a monthly repair evening. The first one is tomorrow!") == [
        ("2025-02-21", None, True)
    ]


def test_lessons_classes_rehearsals_a_choir_and_rides_are_gatherings():
    assert confident("Salsa lessons in the scout hut tomorrow, all welcome.") == [("2025-02-21", None, True)]
    assert confident("The choir is rehearsing this Saturday morning.") == [("2025-02-22", None, True)]
    assert confident("Group ride from the café this Sunday.") == [("2025-02-23", None, True)]


def test_three_days_listed_with_one_clock_are_a_session_each_day():
    evening = [(f"2025-03-0{d}T19:00:00+00:00", f"2025-03-0{d}T21:00:00+00:00", False) for d in (4, 5, 6)]
    assert confident("The repair café opens on March 4, 5 and 6, 7-9pm.") == evening
    assert confident("The repair café opens on 4, 5 and 6 March, 7-9pm.") == evening
    assert confident("Workshops at 7 p.m. on Mar. 4, 5, & 6th.") == [
        (f"2025-03-0{d}T19:00:00+00:00", None, False) for d in (4, 5, 6)
    ]
    # With no clock beside them the days stay one event.
    assert confident("The festival runs on March 4, 5 and 6 in the park.") == [
        ("2025-03-04", "2025-03-06", True)
    ]


def test_a_stop_after_pm_written_without_dots_ends_no_sentence():
    # "2 pm." is an abbreviation like "2 p.m.", so the weekday and date after it keep the clock range.
    assert confident("The book sale runs 10 a.m.-3 pm. Saturday, March 8, in the library.") == [
        ("2025-03-08T10:00:00+00:00", "2025-03-08T15:00:00+00:00", False)
    ]


def test_a_bare_hour_for_a_second_gathering_after_an_evening_clock_is_that_evening():
    assert confident("Friday, March 7: the society holds a dinner at 6 p.m. and the talk at 8.") == [
        ("2025-03-07T18:00:00+00:00", None, False),
        ("2025-03-07T20:00:00+00:00", None, False),
    ]
    # An hour that is not a gathering's, or earlier than the clear clock, is not read.
    assert confident("Friday, March 7: we meet at 6 p.m. and the slides will be posted at 9.") == [
        ("2025-03-07T18:00:00+00:00", None, False)
    ]


def test_days_before_a_date_written_month_first_keep_the_month_before_them():
    assert confident("The pottery course meets March 6, 13, 20 and April 3 and 10.") == [
        ("2025-03-06", None, True),
        ("2025-03-13", None, True),
        ("2025-03-20", None, True),
        ("2025-04-03", None, True),
        ("2025-04-10", None, True),
    ]


def test_a_range_from_noon_to_a_bare_hour_ends_that_afternoon():
    assert confident("The hall is ours from noon-4 on Saturday.") == [
        ("2025-02-22T12:00:00+00:00", "2025-02-22T16:00:00+00:00", False)
    ]
    assert confident("Stalls are open from midday till 3 on Saturday.") == [
        ("2025-02-22T12:00:00+00:00", "2025-02-22T15:00:00+00:00", False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Studio hours: Thu, Fri: 10:00 - 18:00",
        "Drop-in help desk 10.30am-4pm Tue, Wed, Thu and 10.30am-1pm Saturday.",
    ],
)
def test_short_weekday_names_written_as_a_list_are_standing_days(text):
    mentions = read(text)
    assert mentions and all("recurring" in m[3] for m in mentions)


def test_a_short_weekday_name_before_its_date_is_still_one_day():
    mentions = read("See you on Sat, 1 March at 2pm.")
    assert [(m[0], "recurring" in m[3]) for m in mentions] == [("2025-03-01T14:00:00+00:00", False)]


def test_a_day_word_in_a_later_sentence_for_a_day_already_given_a_clock_is_not_an_extra_all_day():
    assert confident(
        "Our planning session starts at 3:00 PM on Friday, February 21. Come along if you can - that's tomorrow"
        " afternoon."
    ) == [("2025-02-21T15:00:00+00:00", None, False)]


def test_a_number_before_a_month_day_and_year_is_not_a_day_of_that_month():
    # a listing's count or edition number, then its date written month first
    assert confident("Upcoming: Bristol 7 March 29, 2025") == [("2025-03-29", None, True)]


def test_later_today_is_a_day_still_ahead():
    assert confident("Later on today there is a talk in the hall.") == [("2025-02-20", None, True)]
    assert confident("There was a talk in the hall today.") == []


def test_a_date_line_over_who_attended_written_that_day_titles_minutes():
    assert (
        confident("Steering group meeting — 20 February 2025\n\nPresent: Ana, Bo, Chidi\nApologies: Dee")
        == []
    )
    # the same title over an agenda, written days ahead, is the meeting
    assert confident("Steering group meeting — 27 February 2025\n\nPresent: Ana, Bo, Chidi") == [
        ("2025-02-27", None, True)
    ]


@pytest.mark.parametrize(
    "text",
    ["Saturday we'll gather at 10:30 by the allotment gate.", "**Saturday** we gather at 10:30 by the gate."],
)
def test_a_weekday_opening_its_sentence_is_said_as_on_that_day(text):
    assert confident(text) == [("2025-02-22T10:30:00+00:00", None, False)]


def test_a_weekday_opening_a_sentence_told_in_the_past_is_not_read():
    assert confident("Saturday we were at the gate by 10:30.") == []


def test_a_weekday_restated_by_a_day_word_after_it_is_one_day_for_the_sentences_clock():
    assert confident("The quiz is on Friday (tomorrow), with a 7pm start.") == [
        ("2025-02-21T19:00:00+00:00", None, False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The canal clean-up is this Saturday, bring gloves.",
        "We need volunteers at the community orchard this Saturday!",
        "Helpers needed for the plant sale this Saturday.",
    ],
)
def test_the_turnouts_residents_groups_call_for_are_gatherings(text):
    assert confident(text) == [("2025-02-22", None, True)]


def test_a_comma_closing_the_first_day_of_a_span_before_to_keeps_one_span():
    assert confident("Workshops run from Monday, the 3rd, to Wednesday, the 5th of March.") == [
        ("2025-03-03", "2025-03-05", True)
    ]


def test_a_date_opening_with_starting_before_weekly_gatherings_is_the_first_of_them():
    assert confident("Starting March 11, the reading circle will meet weekly in the library.") == [
        ("2025-03-11", None, True)
    ]
    # a rule that starts that day is still no gathering
    assert confident("Starting March 11, the hall fee rises to £12 a week.") == []


def test_have_been_asking_is_not_the_past_of_the_date_asked_about():
    assert confident("Members have been asking about the seed swap on March 8.") == [
        ("2025-03-08", None, True)
    ]
    assert confident("We have been running the seed swap since 3 February.") == []


def test_a_bank_holiday_given_as_the_reason_for_a_day_does_not_make_it_paperwork():
    assert confident("Session dates:\nMonday 10th March\nTuesday 6th May (to avoid the bank holiday)") == [
        ("2025-03-10", None, True),
        ("2025-05-06", None, True),
    ]
    assert confident("Monday 5th May is a bank holiday.") == []


def test_a_holiday_with_its_date_in_brackets_names_the_day_of_what_is_invited_to():
    assert confident("On Easter Monday (21st April) you are invited to an egg hunt on the green.") == [
        ("2025-04-21", None, True)
    ]
    assert confident("Easter Monday (21st April) is a public holiday.") == []


def test_two_weekdays_running_said_of_one_week_are_one_span():
    assert confident("The visiting choir is joining us on Saturday and Sunday.") == [
        ("2025-02-22", "2025-02-23", True)
    ]
    # a span the post also gives clocks for is read once, as the clocked span
    assert confident(
        "The hack weekend is this Saturday and Sunday. Hacking begins at 10 a.m. Saturday and ends at 4 p.m. Sunday."
    ) == [("2025-02-22T10:00:00+00:00", "2025-02-23T16:00:00+00:00", False)]


def test_two_weekdays_of_a_standing_pattern_stay_unread():
    assert confident("The cafe is open Saturday and Sunday.") == []


def test_a_weekday_said_again_of_a_gathering_named_earlier_in_the_sentence_is_read():
    assert confident("Come along to the repair cafe this Saturday, and again on Tuesday!") == [
        ("2025-02-22", None, True),
        ("2025-02-25", None, True),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will hold the open day on the twenty-second of October.", ("2025-10-22", None, True)),
        ("The swap shop is on Saturday April fifth.", ("2025-04-05", None, True)),
        (
            "the meeting is in the church hall at seven o'clock,\ntomorrow - friday february twenty-first.",
            ("2025-02-21T19:00:00+00:00", None, False),
        ),
    ],
)
def test_days_and_clocks_written_in_words(text, expected):
    assert confident(text) == [expected]


def test_an_ordinal_word_after_a_month_that_counts_something_else_is_no_day():
    assert confident("The June first round of voting went well.") == []


def test_what_readers_are_told_not_to_forget_is_a_gathering_but_not_an_errand():
    assert confident("Don't forget, it's tomorrow evening!") == [("2025-02-21", None, True)]
    assert confident("Don't forget to renew your membership on Saturday.") == []


def test_a_span_opened_by_from_that_a_gathering_fills_is_read():
    assert confident(
        "From Monday March 10th to Wednesday March 12th the whole board will be meeting in Leeds."
    ) == [("2025-03-10", "2025-03-12", True)]
    # a rule that starts is still not a gathering
    assert confident("From 1 April the hall fee rises to ten pounds.") == []


def test_a_bank_holiday_names_the_day_not_someones_time_off():
    assert confident(
        "The cubs are going on a camp over the Easter Bank Holiday from Friday the 18th to Monday the 21st April."
    ) == [("2025-04-18", "2025-04-21", True)]
    assert confident(
        "The grand opening of the new community garden will be on Bank Holiday Monday, May 5."
    ) == [("2025-05-05", None, True)]
    # someone's own holiday is still an absence
    assert confident("I'm on holiday from Friday the 18th to Monday the 21st April.") == []


def test_a_day_confirmed_or_chosen_for_a_gathering_is_ahead_whatever_the_tense():
    assert confident("The workshop has been confirmed to happen on the 6th of March at the library.") == [
        ("2025-03-06", None, True)
    ]
    assert confident("Yesterday we talked, and Thursday june 5th was choosen.") == [
        ("2025-06-05", None, True)
    ]


def test_we_re_hosting_says_ahead_like_we_are_hosting():
    assert confident(
        "As you may have heard, we're hosting the spring social on 8th March and we'd be glad if you came."
    ) == [("2025-03-08", None, True)]


def test_after_a_move_the_day_it_will_now_be_on_is_the_new_date():
    assert confident(
        "To be fair to everyone we have moved the talk to the next week so it will now be on Tuesday 11th March."
    ) == [("2025-03-11", None, True)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Choir practice: 5 July 10pm/2200 hrs UTC", ("2025-07-05T22:00:00+00:00", None, False)),
        ("The book club meets on 6 June at 2pm (14:00 UTC).", ("2025-06-06T14:00:00+00:00", None, False)),
    ],
)
def test_one_clock_written_twice_takes_the_zone_said_once(text, expected):
    assert confident(text) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chair\nSecretary\nNext meeting date14 March 2025", ("2025-03-14", None, True)),
        ("Rehearsals will resume on Friday21st March.", ("2025-03-21", None, True)),
    ],
)
def test_a_label_or_weekday_run_into_its_date_is_still_read(text, expected):
    assert confident(text) == [expected]


def test_a_capitalised_domain_is_a_place_not_a_domain_name():
    assert confident("I urge you all to support the school strike on 8 March 12noon-2pm at The Domain.") == [
        ("2025-03-08T12:00:00+00:00", "2025-03-08T14:00:00+00:00", False)
    ]
    assert confident("Our domain expires on 8 March.") == []


def test_a_label_ending_in_a_colon_below_a_date_heads_the_lines_after_it():
    text = "Save the date!\n10 - 14 March 2025\n\nApplication period:\nJanuary - February 2025"
    assert confident(text) == [("2025-03-10", "2025-03-14", True)]


def test_a_weekday_with_day_dot_month_of_one_digit_is_that_date():
    text = "Friday 7.3\n\n18:00 - 18:30 Doors and coffee\n18:30 - 20:00 Talks"
    assert confident(text) == [
        ("2025-03-07T18:00:00+00:00", "2025-03-07T18:30:00+00:00", False),
        ("2025-03-07T18:30:00+00:00", "2025-03-07T20:00:00+00:00", False),
    ]
    # two digits after the dot are a clock
    assert confident("See you Friday 9.30 at the cafe.") == [("2025-02-21T09:30:00+00:00", None, False)]


def test_days_opening_their_lines_under_a_month_heading_are_in_that_month():
    text = "April 2025\n\n8th - Spring quiz night\n\n22nd - Annual general meeting"
    assert confident(text) == [("2025-04-08", None, True), ("2025-04-22", None, True)]
    # with no month heading above, an ordinal opening a line counts steps
    assert confident("Plan:\n1st - we agree the budget\n2nd - we vote") == []


def test_a_series_of_gatherings_starting_on_a_date_meets_first_that_day():
    assert confident("Starting March 4, volunteers will meet weekly to tidy the flower beds.") == [
        ("2025-03-04", None, True)
    ]
    assert confident("Starting March 4, every invoice must carry the new address.") == []


def test_a_plenary_is_a_gathering():
    assert confident("We should settle the budget at the plenary on Wednesday morning.") == [
        ("2025-02-26", None, True)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Am Samstag, den 5. April, treffen wir uns im Garten.", [("2025-04-05", None, True)]),
        ("Wir schlagen Dienstag den 10. Juni vor.", [("2025-06-10", None, True)]),
        ("12. Juni oder 19. Juni?", [("2025-06-12", None, True), ("2025-06-19", None, True)]),
        ("Das Treffen findet vom 3. bis 5. Oktober in Leipzig statt.", [("2025-10-03", "2025-10-05", True)]),
        # "bis" before a date is a deadline; a list's number before a date is no day
        ("Wer sich bis 21. Juli anmeldet, bekommt ein T-Shirt.", []),
        ("1. September 18th: a talk on moss", [("2025-09-18", None, True)]),
    ],
)
def test_days_written_with_a_stop_before_the_month_as_german_does(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("La prochaine rencontre aura lieu le 23 février 2026.", ("2026-02-23", None, True)),
        ("Nous organisons une fête le dimanche 8 juin au jardin.", ("2025-06-08", None, True)),
        ("Rendez-vous le 14 juillet au parc.", ("2025-07-14", None, True)),
    ],
)
def test_french_month_names_are_read(text, expected):
    assert confident(text) == [expected]


def test_a_day_named_in_one_sentence_and_given_a_clock_in_the_next_is_one_timed_mention():
    assert confident("The branch meeting is tomorrow night.\n\n21/2/25 at 7 P.M.") == [
        ("2025-02-21T19:00:00+00:00", None, False)
    ]
    assert confident(
        "On Saturday neighbours will gather for the tenants' first meeting.\n"
        "The meeting (6pm, Saturday 22nd February, Church Hall) is open to all."
    ) == [("2025-02-22T18:00:00+00:00", None, False)]


def test_an_evening_hour_written_with_an_h_is_a_clock():
    assert confident("# Stammtisch 06.03.2025 20h\n\nWir treffen uns um 20h im Hinterzimmer.") == [
        ("2025-03-06T20:00:00+00:00", None, False)
    ]
    # a span of hours is not a clock
    assert confident("The relay on 6 March runs for 20h straight.") == [("2025-03-06", None, True)]


@pytest.mark.parametrize(
    "text",
    [
        "| Saturday, March 8 | |\n| 10:00 – 11:00 | Welcome |\n| 11:30 – 12:30 | Workshops |",
        "Saturday, March 8\n\nWelcome and coffee | 10:00 – 11:00\nWorkshops | 11:30 – 12:30",
        "Saturday, March 8\n\n☕ [10:00 – 11:00](https://example.org/a)\n🔧 [11:30 – 12:30](https://example.org/b)",
    ],
)
def test_a_programme_under_its_date_line_may_set_its_clocks_in_cells_links_or_after_a_title(text):
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", "2025-03-08T11:00:00+00:00", False),
        ("2025-03-08T11:30:00+00:00", "2025-03-08T12:30:00+00:00", False),
    ]


def test_a_table_of_one_moment_in_many_zones_is_one_mention_each_row_in_its_own_zone():
    table = (
        "**UTC Thu 13-Mar-2025 17:00 (05:00 PM)**:\n\n"
        "| Timezone      | Date/Time             |\n"
        "|---------------|-----------------------|\n"
        "| US / Pacific  | Thu 13-Mar-2025 10:00 (10:00 AM) |\n"
        "| US / Eastern  | Thu 13-Mar-2025 13:00 (01:00 PM) |\n"
        "| EU / Central  | Thu 13-Mar-2025 18:00 (06:00 PM) |\n"
        "| Tokyo         | Fri 14-Mar-2025 02:00 (02:00 AM) |"
    )
    assert confident(table) == [("2025-03-13T17:00:00+00:00", None, False)]
    assert confident("| US / Mountain | Thu 13-Mar-2025 11:00 (11:00 AM) |") == [
        ("2025-03-13T11:00:00-06:00", None, False)
    ]


def test_a_four_digit_clock_before_a_places_time_is_that_clock():
    assert confident("The board meets on Friday, March 7th at 1500 Berlin time.") == [
        ("2025-03-07T15:00:00+01:00", None, False)
    ]


def test_an_ordinal_suffix_set_apart_from_its_day_number_is_still_its_suffix():
    assert confident("AUTUMN FAIR SATURDAY 22 ND MARCH At The Village Hall 2.00pm-4.30pm") == [
        ("2025-03-22T14:00:00+00:00", "2025-03-22T16:30:00+00:00", False)
    ]


def test_a_comma_between_the_month_and_an_ordinal_day_keeps_them_one_date():
    assert confident("A short user meeting is held on Wednesday March, 19th from 5.30pm -7pm.") == [
        ("2025-03-19T17:30:00+00:00", "2025-03-19T19:00:00+00:00", False)
    ]


def test_a_date_moved_to_avoid_a_bank_holiday_is_still_the_gathering():
    assert confident("Monday 24th March\nMonday 12th May (to avoid the bank holiday)\nMonday 30th June") == [
        ("2025-03-24", None, True),
        ("2025-05-12", None, True),
        ("2025-06-30", None, True),
    ]
    assert confident("Monday 26th May is a bank holiday.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On Friday March 7th we start at 7pm and go on until 10pm.",
            ("2025-03-07T19:00:00+00:00", "2025-03-07T22:00:00+00:00", False),
        ),
        (
            "Saturday 8 March at the hall. Please arrive at 10.30am – end around 3.30pm.",
            ("2025-03-08T10:30:00+00:00", "2025-03-08T15:30:00+00:00", False),
        ),
        (
            "Our stargazing evening is on March 7th at the park.\nWe'll start at 7pm and go to at least 10pm.",
            ("2025-03-07T19:00:00+00:00", "2025-03-07T22:00:00+00:00", False),
        ),
    ],
)
def test_a_start_clock_then_words_that_run_it_on_to_an_end_clock_is_one_range(text, expected):
    assert confident(text) == [expected]


def test_days_with_weekdays_and_commas_either_side_of_to_are_one_span():
    assert confident("Talks run from Wednesday, the 26th, to Friday, the 28th of March.") == [
        ("2025-03-26", "2025-03-28", True)
    ]


def test_a_day_a_place_is_closed_is_not_a_gathering_but_the_meeting_beside_it_is():
    assert confident(
        "We lose two rehearsals. On March 12 the college is closed. On March 19 we sing at the fair."
    ) == [("2025-03-19", None, True)]
    assert confident("The library will be shut on 12 March.") == []


def test_a_date_naming_a_message_is_not_a_gathering():
    assert confident("Following up Sam's March 10 email, the virtual meeting keeps its dates: May 4-8.") == [
        ("2025-05-04", "2025-05-08", True)
    ]
    assert confident("Details are in our March 1 blog post.") == []
    assert confident("Saturday 8 March post-match social at the clubhouse.") == [("2025-03-08", None, True)]


def test_bulleted_programme_lines_naming_their_sessions_stay_apart():
    text = "March 3\n\n  • 7:30AM Breakfast\n  • 9:45AM Pitch practice\n  • 12:15PM -1:00PM LUNCH"
    assert confident(text) == [
        ("2025-03-03T07:30:00+00:00", None, False),
        ("2025-03-03T09:45:00+00:00", None, False),
        ("2025-03-03T12:15:00+00:00", "2025-03-03T13:00:00+00:00", False),
    ]
    # one moment in two zones, bullet under bullet, is still one mention
    assert confident("SUN 9 March:\n• 4pm UTC\n• 12pm EDT") == [("2025-03-09T16:00:00+00:00", None, False)]


def test_a_programme_may_follow_a_paragraph_describing_its_day():
    text = (
        "Saturday, March 8th\n"
        "Bring the family for a day of music, stalls and talks at the old mill. Food will be served all day.\n"
        "11 AM Choir in the yard\n"
        "1-3PM craft stalls and tea\n"
        "3:30-5 PM Open meeting"
    )
    assert confident(text) == [
        ("2025-03-08T11:00:00+00:00", None, False),
        ("2025-03-08T13:00:00+00:00", "2025-03-08T15:00:00+00:00", False),
        ("2025-03-08T15:30:00+00:00", "2025-03-08T17:00:00+00:00", False),
    ]


def test_clocks_in_a_table_are_on_the_days_heading_their_columns():
    table = (
        "| |Mon 3 March|Tue 4 March|Wed 5 March|\n"
        "|--|--|--|--|\n"
        "|Team check-ins|Option 1: 11am UTC (60 mins) <br>Option 2: 2pm UTC (60 mins)|5pm UTC (60 mins)|Open office|\n"
        "|Notes|Shared doc|Shared doc|Shared doc|"
    )
    assert confident(table) == [
        ("2025-03-03T11:00:00+00:00", None, False),
        ("2025-03-03T14:00:00+00:00", None, False),
        ("2025-03-04T17:00:00+00:00", None, False),
    ]


def test_sessions_of_the_posts_one_day_may_be_given_in_a_later_sentence():
    text = (
        "Members are invited to the branch AGM on 12th March 2025. There are two venues to choose from. "
        "Firstly 12-2pm at the library, and later from 7-9 p.m. at the community centre."
    )
    assert confident(text) == [
        ("2025-03-12T12:00:00+00:00", "2025-03-12T14:00:00+00:00", False),
        ("2025-03-12T19:00:00+00:00", "2025-03-12T21:00:00+00:00", False),
    ]


def test_an_ordinal_after_a_month_and_comma_with_no_weekday_or_an_hour_span_is_not_read():
    assert confident("In March, 5th graders visit the museum.") == []
    assert confident("The session on 6 March ends and 12h later the results are out.") == [
        ("2025-03-06", None, True)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a round bullet opens the line as a dash does
        "  • 3rd April 2025 — Abstracts deadline\n\n  • 20th May 2025 — Acceptance notified",
        # a timeline step that is due, whatever gathering it names
        "- Mar. 12 – Bookings for the members' meetings are due.\n- Apr. 30 – Bursary forms are due.",
        "  • May 9th – Submit the talk abstract for the workshop and a short biography",
    ],
)
def test_a_timeline_line_that_says_a_step_is_due_is_no_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # the date is called the deadline after it is written
        "Remember that 14 March will be the deadline for talk proposals for the conference.",
        "April 2 is the last day to book a place on the workshop.",
        # a corrected date flattened beside the old one shares its "before"
        "Send your poster titles to the organisers before March 20 March 27 2025",
    ],
)
def test_a_date_called_the_deadline_or_corrected_beside_one_is_no_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a service ended or taken away
        "The old forum bridge will be decommissioned on March 14th, and the legacy app will be removed on May 2nd.",
        "The mailing list archive will be retired on 9 April.",
        # a prize draw
        "Well done to this week's winners. The next draw takes place on Monday 10th March.",
        # the day someone decides, not a gathering
        "We will make a decision on the venue on the 7th of March, so please answer the poll before then.",
        # industrial action is withheld work (with "call" as a verb, not a call)
        "The union has voted to call a day of strike action on Tuesday 11th March.",
        # a season of the church's year
        "Lent begins on March 5 this year.",
    ],
)
def test_a_step_in_a_process_is_no_gathering(text):
    assert confident(text) == []


def test_a_rally_on_a_strike_day_is_still_a_gathering():
    assert confident("Join the rally at noon on Tuesday 11th March, the first day of strike action.") == [
        ("2025-03-11T12:00:00+00:00", None, False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a message sent on the day, whatever gathering it is about
        "I will email everyone again around 10th March with the link to join the meeting.",
        # a permission that starts on the day
        "Use of the club room for social events will be possible again from the 1st March.",
        # a club's fees and a newsletter's issue
        "We will collect subs again on the 3rd March for the new season of matches.",
        "Please send items for the spring edition of the Parish News and a summer edition on 20 March.",
    ],
)
def test_an_errand_a_permission_fees_or_an_issue_is_no_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # what had been planned is not what will happen
        "The committee meeting had been scheduled for 12 March, but too few members could come.",
        "Here is what we had scheduled for the workshop March 3-9.",
        # travel home
        "I have to be back in Leeds on 14 March for the week.",
        # a span planned and called off whole, not moved from its first day to its last
        "We have decided to cancel the spring retreat which is planned from April 4th to 8th.",
    ],
)
def test_a_date_that_had_been_planned_travel_or_a_span_called_off_is_no_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sounds good to me. -- mjones [[DateTime(2025-03-02T10:17:43Z)]]",
        "10:00:02 <meetbot> Meeting started at 2025-03-04T10:00+0000",
    ],
)
def test_a_stamp_to_the_second_or_of_a_start_logged_is_a_record(text):
    assert confident(text) == []


def test_clock_lines_in_different_zones_under_a_date_are_one_moment():
    table = "The call will be held:\n\n    MARCH 20, 2025\n\n    9:00 AM US/Eastern\n\n    {utc} UTC\n\n    14:00 Europe/Paris"
    assert confident(table.format(utc="13:00")) == [("2025-03-20T13:00:00+00:00", None, False)]
    # clocks that disagree make the moment a contradiction, not several events
    assert confident(table.format(utc="14:00")) == []
    # a programme under its date line is still one session a line
    assert len(confident("Saturday 22 March\n10:00 Welcome\n10:30 Talks\n12:00 Lunch")) == 3


@pytest.mark.parametrize(
    "text",
    [
        # a habit, told with "most weeks" or "usually", names no one day
        "The reading group meets most weeks on Tuesday from 6-7pm in the library.",
        "The choir usually meets on Thursday at 7.30pm in the church hall.",
        # a place's daily hours
        "The garden centre is open daily 9 a.m. to 5 p.m. and 10-4 p.m. on Sunday.",
    ],
)
def test_a_habit_or_daily_hours_name_no_one_day(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a reference point, its weekday written before it
        "A catch-up any day after next Monday (3 March) should work for me.",
        # a window to choose one day in
        "Sam set up a poll so we can agree on a date and time between March 10 and 20.",
        # open until the day
        "Voting for the new trustees of the hall will be through March 9th.",
    ],
)
def test_a_day_after_a_window_to_choose_in_or_open_through_is_no_gathering(text):
    assert confident(text) == []


def test_the_writers_own_trip_is_no_gathering():
    assert confident("Over March 3-5 I will visit Portugal (Lisbon and Braga), then April 7-9 in Lyon.") == []
    assert confident("On 12 March I'm flying to Oslo, so I can't host the call.") == []
    # a group's outing is a gathering
    assert confident("We will visit the museum on Saturday 8 March at 10am.") == [
        ("2025-03-08T10:00:00+00:00", None, False)
    ]


def test_a_weekday_naming_a_series_must_fit_its_first_day():
    # 15 March 2025 is a Saturday: the text contradicts itself
    assert confident("- Friday training from 15th March") == []
    assert confident("Tuesday club nights starting on 4 March, 7.30pm") == [
        ("2025-03-04T19:30:00+00:00", None, False)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a stray full stop between the hour and its pm
        (
            "The carol service is on Saturday at 8.pm in the chapel.",
            ("2025-02-22T20:00:00+00:00", None, False),
        ),
        # a semicolon typed for a colon, only before am/pm
        ("Doors open Saturday from 9;30am for the swap.", ("2025-02-22T09:30:00+00:00", None, False)),
        # a one-letter "p" after "at"
        ("Can we meet next Tuesday at 3p?", ("2025-02-25T15:00:00+00:00", None, False)),
    ],
)
def test_clocks_typed_oddly(text, expected):
    assert confident(text) == [expected]


def test_a_zone_written_after_an_aside_in_brackets_is_the_clocks_zone():
    assert confident("Sat, 1 Mar 2025, 19:00 - 21:00 (add to your diary) CET") == [
        ("2025-03-01T19:00:00+01:00", "2025-03-01T21:00:00+01:00", False)
    ]
    assert confident("The call is on Saturday at 4pm (sharp, please) EST.") == [
        ("2025-02-22T16:00:00-05:00", None, False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The star party is on Saturday 1 March.\nDoors open at 1800 (6pm) and we go on until 2100 (9pm).",
        "The star party is on Saturday 1 March.\nIt starts at 6pm and ends at 9pm.",
        "On Saturday 1 March we start at 18:00 (6pm) and run until 21:00 (9pm).",
    ],
)
def test_a_start_and_an_end_each_perhaps_restated_in_brackets_are_one_range(text):
    assert confident(text) == [("2025-03-01T18:00:00+00:00", "2025-03-01T21:00:00+00:00", False)]


def test_a_clock_restated_in_brackets_is_one_clock():
    assert confident("On Saturday 1 March we start at 18:00 (6pm).") == [
        ("2025-03-01T18:00:00+00:00", None, False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Plant sale on Saturday 1 March. Volunteers welcome! 10am – 1pm, setting up from 9am.",
        "The open day is Saturday 1 March, 10am to 1pm (registration opens at 9:30am).",
    ],
)
def test_a_clock_for_setting_up_or_checking_in_is_not_the_gatherings(text):
    assert confident(text) == [("2025-03-01T10:00:00+00:00", "2025-03-01T13:00:00+00:00", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("| CET | Sat 1-Mar-2025 19:00 |", ("2025-03-01T19:00:00+01:00", None, False)),
        ("UTC: Saturday 5 July, 18:30", ("2025-07-05T18:30:00+00:00", None, False)),
    ],
)
def test_a_zone_heading_a_line_is_its_clocks_zone(text, expected):
    assert confident(text) == [expected]


def test_a_check_in_clock_gives_way_to_the_gatherings_own_clock_on_the_next_line():
    text = "Date: Saturday, March 1, 2025\nTime: check-in from 9:00 a.m.\nThe workshop runs 9:30 – 11:30 a.m."
    assert confident(text) == [("2025-03-01T09:30:00+00:00", "2025-03-01T11:30:00+00:00", False)]


def test_pence_after_at_are_no_clock():
    assert confident("On Saturday 1 March the seedlings are priced at 5p each.") == [
        ("2025-03-01", None, True)
    ]


def test_a_two_letter_weekday_before_a_day_is_that_weekday():
    assert confident("Could we move the call to Tu 25th?") == [("2025-02-25", None, True)]
    assert confident("Could we move the call to Th 27th at 3pm?") == [
        ("2025-02-27T15:00:00+00:00", None, False)
    ]


def test_a_count_before_a_date_with_its_own_weekday_leaves_the_date():
    assert confident("Workshop 2, Thursday March 13th: bring a laptop") == [("2025-03-13", None, True)]
    assert confident("See items 1, 2 and 3rd May.") == []


def test_a_slashed_pair_opening_a_clocked_list_is_two_sessions():
    assert confident("Stall days 3/4th & Wed 12th March 2025 - 10am-12pm at the market.") == [
        ("2025-03-03T10:00:00+00:00", "2025-03-03T12:00:00+00:00", False),
        ("2025-03-04T10:00:00+00:00", "2025-03-04T12:00:00+00:00", False),
        ("2025-03-12T10:00:00+00:00", "2025-03-12T12:00:00+00:00", False),
    ]


def test_a_clock_with_a_colon_opening_a_list_of_dated_days_is_each_days_clock():
    text = (
        'Both calls start at 3PM GMT: <br>Part 1, Tuesday March 11th: <a href="https://x.org/a">link</a>'
        '<br>Part 2, Wednesday March 12th: <a href="https://x.org/b">link</a>'
    )
    assert confident(text) == [
        ("2025-03-11T15:00:00+00:00", None, False),
        ("2025-03-12T15:00:00+00:00", None, False),
    ]


def test_a_group_resuming_on_the_day_of_writing_is_not_the_posts_own_date():
    now = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    assert confident("BROWNIES START AGAIN Tuesday 4th March 2025", now) == [("2025-03-04", None, True)]
    assert confident("Tuesday 4th March 2025", now) == []


def test_conf_is_short_for_a_conference():
    text = "The board proposed to hold the dev conf on June 14th, which is the anniversary of the project."
    assert confident(text) == [("2025-06-14", None, True)]


def test_a_gatherings_week_written_out_as_its_days_is_those_days():
    assert confident("We will run the training sessions in the week of 10-14 March 2025.") == [
        ("2025-03-10", "2025-03-14", True)
    ]
    assert confident("Which evenings suit you in the week of 10-14 March?") == []


def test_a_clock_line_ended_by_a_colon_gives_its_clock_to_the_dated_lines_under_it():
    text = "Our tasting evenings begin at 6:30pm:\n- Thursday 6 March\n- Thursday 20 March\n\nAll welcome."
    assert confident(text) == [
        ("2025-03-06T18:30:00+00:00", None, False),
        ("2025-03-20T18:30:00+00:00", None, False),
    ]
    zoned = "Calls at 3pm UTC / 4pm CET on:\n* Monday 10 March\n* Monday 17 March"
    assert confident(zoned) == [
        ("2025-03-10T15:00:00+00:00", None, False),
        ("2025-03-17T15:00:00+00:00", None, False),
    ]
    # a list of deadlines under no clock line is left as it was
    assert confident("Dates:\n- Thursday 6 March\n- Thursday 20 March") == [
        ("2025-03-06", None, True),
        ("2025-03-20", None, True),
    ]


def test_we_will_be_back_on_a_day_is_a_group_resuming():
    now = datetime(2025, 3, 2, 12, 0, tzinfo=UTC)
    text = "No rehearsal this week, sorry. We will be back on Tuesday 11th March."
    assert confident(text, now) == [("2025-03-11", None, True)]
    assert confident("I will be back on Tuesday 11th March.", now) == []


def test_the_weekend_of_a_saturday_is_saturday_and_sunday():
    assert confident("Our members' gathering is planned for the weekend of March 8, 2025.") == [
        ("2025-03-08", "2025-03-09", True)
    ]


def test_the_posts_own_date_in_brackets_after_a_title_is_not_an_event():
    now = datetime(2025, 3, 2, 17, 0, tzinfo=UTC)
    assert confident("Choir practice moves to Wed. March 5 (Mar 2 2025)", now) == [("2025-03-05", None, True)]


def test_clocks_in_a_later_sentence_joined_by_commas_are_the_days_stages():
    text = (
        "Climate walk: Saturday 8 March\n"
        "Come along! We gather by the old mill at 10 am, walk along the canal towpath leaving at 11 am, "
        "and share a picnic in the park at 1 pm."
    )
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", None, False),
        ("2025-03-08T11:00:00+00:00", None, False),
        ("2025-03-08T13:00:00+00:00", None, False),
    ]


def test_a_rain_date_line_shares_its_hours_with_the_date_line_above():
    text = (
        "Plant sale\n\nSaturday 15 March 2025\nRain date: Sunday 16 March 2025\n9:30 - 1:00 pm\nChurch hall"
    )
    assert confident(text) == [
        ("2025-03-15T09:30:00+00:00", "2025-03-15T13:00:00+00:00", False),
        ("2025-03-16T09:30:00+00:00", "2025-03-16T13:00:00+00:00", False),
    ]


def test_a_usual_clock_above_a_list_of_date_lines_is_each_days_hour():
    text = (
        "Book club evenings\n\n"
        "(we meet in the back room of the library at 6.45pm)\n\n"
        "Tuesday 4 March\n\n"
        "Tuesday 1 April - author visit - 7.15pm\n\n"
        "Tuesday 6 May"
    )
    assert sorted(confident(text)) == [
        ("2025-03-04T18:45:00+00:00", None, False),
        ("2025-04-01T19:15:00+01:00", None, False),
        ("2025-05-06T18:45:00+01:00", None, False),
    ]


def test_a_row_of_date_cells_over_a_row_of_clock_cells_pairs_them_in_order():
    text = (
        "Saturday 8 March | Sunday 23 March |\n"
        "Wednesday 2 April |\n"
        "10:00 - 12:00 | 14.00-15.30 | 19:00 - 21:00 |"
    )
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", "2025-03-08T12:00:00+00:00", False),
        ("2025-03-23T14:00:00+00:00", "2025-03-23T15:30:00+00:00", False),
        ("2025-04-02T19:00:00+01:00", "2025-04-02T21:00:00+01:00", False),
    ]


def test_a_programme_line_saying_something_ends_is_not_a_session():
    text = "Saturday 8 March\n9:00am Doors open and coffee\n1:00pm Building time ends\n2:30pm Demos and wrap-up talk"
    assert confident(text) == [
        ("2025-03-08T09:00:00+00:00", None, False),
        ("2025-03-08T14:30:00+00:00", None, False),
    ]


def test_a_months_possessive_gives_the_day_of_the_month_said_after_it():
    text = "The March walk is on Saturday 8 March. April's will be on the 12th of the month from the station."
    assert confident(text) == [("2025-03-08", None, True), ("2025-04-12", None, True)]
    assert confident("We meet on the 12th of the month at the station.") == []


def test_a_later_start_with_a_rough_end_range_keeps_the_start_open_ended():
    text = "Saturday 15 March is our spring social! Food and games. Starting 4pm and going on till 10-11pm."
    assert confident(text) == [("2025-03-15T16:00:00+00:00", None, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir treffen uns am Donnerstag, 6. März um 19 Uhr.", [("2025-03-06T19:00:00+00:00", None, False)]),
        ("Vorschlag: 4. März oder 11. März?", [("2025-03-04", None, True), ("2025-03-11", None, True)]),
        ("Rendez-vous le mardi 4 mars à 19h30 au local.", [("2025-03-04T19:30:00+00:00", None, False)]),
        ("La réunion aura lieu du 3 au 5 mars.", [("2025-03-03", "2025-03-05", True)]),
        ("Nos vemos el jueves 6 de marzo a las 18:00.", [("2025-03-06T18:00:00+00:00", None, False)]),
        ("Próxima reunião quinta-feira dia 06/03 às 18h.", [("2025-03-06T18:00:00+00:00", None, False)]),
        ("We komen samen op donderdag 6 maart om 19:00.", [("2025-03-06T19:00:00+00:00", None, False)]),
        (
            "次回は3月6日(木) 19:00〜21:00です。",
            [("2025-03-06T19:00:00+00:00", "2025-03-06T21:00:00+00:00", False)],
        ),
        ("다음 모임은 2025년 3월 6일입니다.", [("2025-03-06", None, True)]),
        ("Der Tag am 12. Februar war ein Erfolg.", []),
        ("1. Mai we go, and the Mars rover lands.", []),
    ],
)
def test_dates_and_clocks_in_other_languages(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will circulate the budget following Monday's board meeting.", [("2025-02-24", None, True)]),
        (
            "After next Tuesday’s members meeting, the proposal will go to a ballot.",
            [("2025-02-25", None, True)],
        ),
        ("Priya gave a lovely demo in Saturday's open session.", []),  # nothing said of what is ahead
        ("At Wednesday's weekly session we will try the new room.", []),  # the habit, no one Wednesday
        ("Agenda for Tuesday's Steering Meeting (YYYY-MM-DD 15:00 UTC)", []),  # a template's placeholder
    ],
)
def test_a_weekday_owning_a_gathering_names_that_gatherings_day(text, expected):
    assert confident(text) == expected


def test_tomorrow_is_ahead_whatever_the_tense_of_its_clause():
    assert confident("I spent the afternoon setting out chairs for the quiz tomorrow.") == [
        ("2025-02-21", None, True)
    ]
    assert confident("We met for the quiz today and it went well.") == []


def test_a_weekday_said_again_after_again_is_another_occurrence():
    text = "The social was a hit on Saturday night, so we will hold it again this Saturday."
    assert confident(text) == [("2025-02-22", None, True)]


def test_a_session_followed_by_another_in_a_later_sentence_gives_the_day_two_timed_events():
    text = (
        "The garden group has two things on Saturday 8 March. Everyone is welcome. "
        "There is a tour of the beds from 10am-12pm followed by a seed swap in the hall from 1-3pm."
    )
    assert confident(text) == [
        ("2025-03-08T10:00:00+00:00", "2025-03-08T12:00:00+00:00", False),
        ("2025-03-08T13:00:00+00:00", "2025-03-08T15:00:00+00:00", False),
    ]


def test_a_hand_in_date_is_a_deadline_not_a_gathering():
    text = (
        "The spring print competition is judged on 12/3/2025 and the theme is Reflections, hand-in 26/2/2025."
    )
    assert confident(text) == [("2025-03-12", None, True)]


def test_a_timeline_line_saying_registration_closes_is_not_a_gathering():
    text = "1st March 2025 - Festival Registration Closes\n\n14th June 2025 - Festival day one, opening talk"
    assert confident(text) == [("2025-06-14", None, True)]


def test_a_struck_through_date_is_withdrawn():
    text = "We were going to meet ~~Tuesday 4 March at 6pm~~ but the room is taken, so it is **Thursday 6 March at 6pm**."
    assert confident(text) == [("2025-03-06T18:00:00+00:00", None, False)]
    assert confident("~~ Spring fair on Saturday 8 March ~~") == [("2025-03-08", None, True)]


def test_a_calendar_entry_dashed_from_one_timed_day_to_another_weeks_later_is_one_span():
    text = "When: Mon March 3 09:00 - Fri April 11 17:00"
    assert confident(text) == [("2025-03-03T09:00:00+00:00", "2025-04-11T17:00:00+01:00", False)]
    moved = confident("The session moved from Tue 4 March 18:00 to Tue 8 April 18:00.")
    assert ("2025-03-04T18:00:00+00:00", "2025-04-08T18:00:00+01:00", False) not in moved


def test_a_date_labelled_as_the_last_meeting_is_the_one_already_held():
    text = "Next meeting: Thursday 6 March at 7pm.\nLast meeting: 9 January."
    assert [(start, flags) for start, _, _, flags in read(text)] == [
        ("2025-03-06T19:00:00+00:00", []),
        ("2025-01-09", ["past"]),
    ]


def test_a_later_clock_reaches_the_one_day_past_a_bare_weekday_line_or_a_repeated_tonight():
    text = "March 15\n\nSaturday\n\nPlant Sale\n\nOpen to everyone\n\nfrom 2.00pm"
    assert confident(text) == [("2025-03-15T14:00:00+00:00", None, False)]
    text = (
        "No talk tonight. Our speaker is away till Thursday. "
        "So we are having an open social meeting tonight.\n\n7:00pm - 9:00pm"
    )
    assert confident(text) == [("2025-02-20T19:00:00+00:00", "2025-02-20T21:00:00+00:00", False)]


def test_a_clock_for_a_slightly_later_clock_starts_when_people_gather():
    assert confident("Burns supper on Saturday 22 March, 7 for 7.30pm at the club.") == [
        ("2025-03-22T19:00:00+00:00", None, False)
    ]
    assert confident("Committee meal Friday 14 March at 7pm for 2 hours.") == [
        ("2025-03-14T19:00:00+00:00", None, False)
    ]


def test_the_time_a_message_is_sent_is_not_a_gathering():
    assert confident(
        "Rehearsal is on Saturday 8 March. We will send a short reminder at 9am on Friday 7 March."
    ) == [("2025-03-08", None, True)]


def test_a_day_named_to_be_avoided_is_not_offered():
    assert confident("We should avoid Monday 5 May but Tuesday 6 May works for the plant swap.") == [
        ("2025-05-06", None, True)
    ]
    assert confident("To avoid the bank holiday, we meet on Tuesday 6 May.") == [("2025-05-06", None, True)]


@pytest.mark.parametrize(
    ("words", "month"),
    [
        ("the second of juillet", 7),
        ("the second of juin", 6),
        ("the second of Sept.", 9),
        ("the second of Dezember", 12),
        ("October the second", 10),
    ],
)
def test_a_day_in_words_takes_the_month_its_whole_name_says(words, month):
    # (reached only through the worded-date pattern: the reader tries it beside English month names alone, so
    # "juillet" is checked at the item: its first three letters are those of "juin")
    from cotechbot.when._items import worded_date_item
    from cotechbot.when._patterns import WORDED_DATE_RE

    matched = WORDED_DATE_RE.match(words)
    assert matched is not None
    item = worded_date_item(matched, 0)
    assert item is not None and item.first is not None
    assert (item.first.day, item.first.month) == (2, month)


def test_a_clocks_line_at_the_very_end_of_a_post_is_read_to_its_last_character():
    # whether the line under a date holds nothing but its clock and zone is judged on the whole line, also when
    # no newline ends it: here the last line says more than its clock, so the lines are not one moment
    text = "Thursday 6 March\n16:00 GMT\n17:00 CET\n12:00 EST x"
    assert read(text) == read(text + "\n")
    assert confident(text) == [
        ("2025-03-06T16:00:00+00:00", None, False),
        ("2025-03-06T12:00:00-05:00", None, False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Could you get the forms back to me by Monday or the 4th April?",
        "Send your vote in by 2 April or Monday or the 4th April.",
        "Entries are due by 2 April, or Monday, or the 4th April.",
    ],
)
def test_a_deadline_reaches_each_date_of_its_or_chain_past_a_bare_weekday(text):
    # the bare weekday gives no mention of its own, but the dates written after it are still due by, not held
    assert confident(text) == []


def test_a_from_date_opening_a_later_line_says_when_a_change_starts_as_on_the_first_line():
    change = "From 3 March the choir will be rehearsing in the upstairs room."
    assert confident(change) == []
    assert confident("Choir news\n\n" + change + "\nSee you there!") == []
    assert confident("Choir news\n\n- " + change) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La fête du quartier aura lieu du 4 au 6 novembre.", [("2025-11-04", "2025-11-06", True)]),
        ("Stammtisch vom 4. bis 6. Oktober.", [("2025-10-04", "2025-10-06", True)]),
        ("Atelier le 7 juillet.", [("2025-07-07", None, True)]),
        ("Treffen am 7. Juli.", [("2025-07-07", None, True)]),
    ],
)
def test_every_german_and_french_month_the_reader_knows_is_rewritten_alike(text, expected):
    # one list of German and French month names serves both the month pattern and the rewrite into English, so
    # a French November range reads as a range like the other months' do
    assert confident(text) == expected


@pytest.mark.parametrize("bullet", ["-", "•", "·"])
def test_a_deadline_heading_opened_by_a_round_bullet_rules_the_date_listed_under_it(bullet):
    # the heading's line may open with the same marks as the date's line under it
    text = f"Key dates\n{bullet} Deadline:\n  {bullet} 26 March to give enough time\n{bullet} Event: 3 April at 7pm"
    assert confident(text) == [("2025-04-03T19:00:00+01:00", None, False)]


def test_a_date_proposed_with_a_past_tense_verb_of_thinking_or_aiming_is_still_ahead():
    text = "We were thinking 6th - 7th or 13th - 14th March, which would suit?"
    assert confident(text) == [("2025-03-06", "2025-03-07", True), ("2025-03-13", "2025-03-14", True)]
    text = "The board said last week that we're aiming for 15-16th March."
    assert confident(text) == [("2025-03-15", "2025-03-16", True)]
    assert confident("We were at the hall on 12 February.") == []


def test_the_day_a_group_decided_to_hold_its_gathering_on_is_ahead():
    assert confident("After the vote we decided to hold it on 22 March.") == [("2025-03-22", None, True)]
    assert confident("The members agreed to run the fair on Saturday 5 April.") == [
        ("2025-04-05", None, True)
    ]
    # the day is behind the post: a decision about a gathering already held
    assert confident("We decided to hold it on 10 February.") == []


def test_a_move_from_one_date_to_another_gives_the_new_date_even_with_no_gathering_named():
    assert confident("The Spring Bash has moved from 8 March to 15 March.") == [("2025-03-15", None, True)]
    assert confident("Our lunches are on hold from 6 March to 20 March.") == []


def test_a_clocked_day_named_by_its_holiday_is_when_something_happens_that_day():
    text = "People keep asking about carols: it is 7pm on Christmas Eve, Wednesday 24 December."
    assert confident(text) == [("2025-12-24T19:00:00+00:00", None, False)]
    text = "Christmas Day Said Mass (Thursday 25 Dec, 9:00am): a quiet start to the day."
    assert confident(text) == [("2025-12-25T09:00:00+00:00", None, False)]
    assert confident("Boxing Day, Friday 26 December: the office is closed.") == []


def test_a_weekday_opening_a_bracketed_aside_after_a_date_is_a_fallback_not_its_weekday():
    text = "Help is needed this coming Saturday 8th March (Sunday if it pours) starting at 10am for the work party."
    assert confident(text) == [("2025-03-08T10:00:00+00:00", None, False)]
    # a weekday closing the bracket restates the date, and here contradicts it
    assert confident("The work party is on Saturday 8th March (Sunday) starting at 10am.") == []


def test_a_gathering_moved_to_the_weekend_of_a_date_is_that_weekend():
    text = "Date changed: the Anniversary Weekend has moved to weekend of March 15th."
    assert confident(text) == [("2025-03-15", "2025-03-16", True)]
    assert confident("The Anniversary Weekend planned for the weekend of March 15th is cancelled.") == []


def test_a_year_typo_that_makes_a_day_that_does_not_exist_is_corrected_by_its_weekday():
    now = datetime(2024, 2, 10, 12, 0, tzinfo=UTC)
    text = "The workshop is on Thursday, February 29, 2023 at 6pm."
    assert confident(text, now) == [("2024-02-29T18:00:00+00:00", None, False)]
    # the weekday fits no nearby year: no guess
    assert confident("The workshop is on Friday, February 29, 2023 at 6pm.", now) == []


def test_a_check_in_line_between_a_date_line_and_a_time_line_does_not_give_the_days_clock():
    text = "  • Date: Saturday, March 8\n  • Check-in: 9:30am\n  • Time: 10am – 1pm"
    assert confident(text) == [("2025-03-08T10:00:00+00:00", "2025-03-08T13:00:00+00:00", False)]
    text = "  • Date: Saturday, March 8\n  • Doors: 6:30pm"
    assert confident(text) == [("2025-03-08T18:30:00+00:00", None, False)]


def test_weekdays_offered_together_before_next_week_are_both_in_next_week():
    text = "Let's hold the online meeting Tuesday or Wednesday morning next week."
    assert confident(text) == [("2025-02-25", None, True), ("2025-02-26", None, True)]
    assert confident("The call could be on Friday morning next week.") == [("2025-02-28", None, True)]


def test_a_numeric_date_written_with_dashes_and_a_full_year_is_read():
    assert confident("### Hackathon date\n\n14-03-2025\n\n### Location\n\nLeeds") == [
        ("2025-03-14", None, True)
    ]
    new_york = [
        (j["start"], j["end"], j["all_day"])
        for m in read_times("### Hackathon date\n\n03-21-2025", FEB, "America/New_York")
        for j in (mention_as_json(m),)
    ]
    assert new_york == [("2025-03-21", None, True)]
    assert confident("Ticket 14-03-20256 was closed.") == []


def test_the_date_an_agenda_is_for_is_the_meetings_day_whatever_the_meeting_is_called():
    assert confident("Add the Release Planning Agenda for 10th March 2025") == [("2025-03-10", None, True)]
    assert confident("Draft agenda for the 4 March budget freeze review") == [("2025-03-04", None, True)]
    # the agenda's own deadline is not the meeting
    assert confident("Please add items to the agenda by 4 March.") == []


def test_a_series_next_day_dated_in_full_is_that_one_day_not_the_series():
    text = "Our meetings are the 2nd Tuesday of each month at 7pm. The next meeting will be held on Tuesday, March 11."
    mentions = read(text)
    assert [(start, end, all_day) for start, end, all_day, _ in mentions] == [
        ("2025-03-11T19:00:00+00:00", None, False)
    ]
    assert "recurring" not in mentions[0][3]


def test_a_month_then_a_comma_then_an_ordinal_day_after_on_is_a_date():
    text = "We'll have a live session on March, 6th.\n\n- Please join the call at 10:30am."
    assert confident(text) == [("2025-03-06T10:30:00+00:00", None, False)]
    assert confident("In March, 5th graders will visit the museum.") == []


def test_a_thread_saying_it_is_happening_on_a_day_names_its_gathering():
    assert confident("Gentle reminder that this is happening tomorrow in the AM :)") == [
        ("2025-02-21", None, True)
    ]
    assert confident("Yes, it's still happening on Saturday.") == [("2025-02-22", None, True)]
    assert confident("The server migration is happening tomorrow.") == []


def test_a_paperwork_word_said_of_a_later_date_does_not_rule_out_the_date_before_it():
    text = "Sat 15th March – Cubs Gang Show (booking open now – payment by Fri 7th March at the latest)"
    assert confident(text) == [("2025-03-15", None, True)]
    assert confident("Our lease runs to 31st March (payment by 1st March).") == []


@pytest.mark.parametrize(
    "text",
    [
        "The room is reserved for us until next Tuesday 4th March, so we need to decide soon.",
        "Please add your name to the rota by **close of play Friday** (February 28) so I can plan.",
        "I'll confirm the venue by about 6 o'clock tomorrow evening, once the landlord replies.",
    ],
)
def test_a_deadline_said_loosely_is_still_a_deadline(text):
    assert confident(text) == []


def test_a_date_struck_through_or_deleted_in_html_is_withdrawn():
    text = "Edit: ~~the social is on Friday 28 February at 7pm~~ the social is on Saturday 1 March at 7pm."
    assert confident(text) == [("2025-03-01T19:00:00+00:00", None, False)]
    assert confident("Workshop <del>Tuesday 4 March</del> Wednesday 5 March, 2pm.") == [
        ("2025-03-05T14:00:00+00:00", None, False)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The board meeting for March 4 was cancelled as too few could come.", []),
        ("The board meeting for March 4 has been rescheduled for March 11.", [("2025-03-11", None, True)]),
        ("We had a litter-pick scheduled for tomorrow evening but snow is forecast so we cancelled.", []),
        (
            "Spring Plant Swap 8th - 9th March\nThis event has been cancelled this year. Dates for 2026 TBC.",
            [],
        ),
        (
            "## When\n\n20 February 2025, 6pm GMT\n\n## Notices\n### Today's meeting is cancelled, sorry all",
            [],
        ),
        (
            "Today's meeting is cancelled; we will meet on Thursday 27 February at 6pm instead.",
            [("2025-02-27T18:00:00+00:00", None, False)],
        ),
    ],
)
def test_a_gathering_called_off_after_its_date_is_named(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("If the vote passes, the new constitution will come into effect on the 1st of April.", []),
        ("Final decision on Friday 28 February, once we know the numbers.", []),
        ("Registration for the spring fun run begins Monday, March 3 at the leisure centre desk.", []),
        ("Registration ends at 5 p.m. on Friday, Feb. 28. No late entries.", []),
        ("We will start selling raffle tickets on Saturday 1 March.", []),
        ("Please hold off: this should be merged no earlier than 2025 Mar 3.", []),
        (
            "Registration for the repair workshop begins at 9am on Saturday 1 March.",
            [("2025-03-01T09:00:00+00:00", None, False)],
        ),
    ],
)
def test_a_step_that_is_not_a_gathering_is_no_event(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Notification of acceptance to speak at the conference: March 14, 2025",
        "Ballot: 3rd March (9am) - 7th March (5pm)",
        "Mon 10 March 2025:  Payment due for every accepted stall\nMon 10 March 2025:  Final day for early booking",
    ],
)
def test_a_step_of_a_process_labelled_on_its_line_is_no_event(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arrival is best on Sunday 2nd March and departure on Saturday 8th March.", []),
        (
            "Arrival in the evening of Sunday the 2nd, departure after breakfast on Saturday the 8th of March.",
            [],
        ),
        (
            "Arrival on Sunday 2 March; the workshop runs on Monday 3 March; departure on Tuesday 4 March.",
            [("2025-03-03", None, True)],
        ),
    ],
)
def test_the_ends_of_a_stay_are_travel_not_gatherings(text, expected):
    assert confident(text) == expected


def test_the_recording_of_a_meeting_dates_the_meeting_held():
    now = datetime(2025, 2, 11, 12, 0, tzinfo=UTC)
    assert confident("The recording for February 11, 2025 is available to download from the wiki.", now) == []


@pytest.mark.parametrize(
    "text",
    [
        "Helpers are always welcome: come along on a Tuesday or Saturday morning from 10am.",
        "Each later meeting will start four hours on (but always on Wednesday in UTC time).",
    ],
)
def test_any_such_weekday_is_a_habit_not_one_day(text):
    assert [m for m in read_times(text, FEB, LONDON) if not m.recurring and m.confident] == []


@pytest.mark.parametrize(
    "text",
    [
        "If it is after 6pm on the Thursday prior to the AGM, we may not be able to check your membership.",
        "Set-up help is needed at 8am on the Friday before the festival.",
    ],
)
def test_a_weekday_told_by_another_gathering_is_not_the_next_one(text):
    assert [m for m in read_times(text, FEB, LONDON) if not m.recurring and m.confident] == []


def test_a_pages_front_matter_date_is_metadata():
    text = 'title: "Spring meetup announced"\nauthor: sam\ndate: 2025-02-21 10:00:00\ntags: [news]'
    assert confident(text) == []
    card = "date: 2025-02-27\ntime: 7pm\nvenue: the Red Lion"
    assert confident(card) == [("2025-02-27T19:00:00+00:00", None, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The makerspace is closed to non-members from 6pm Friday 28th Feb to 9am Monday 3rd March.", []),
        ("Our studio will be open for visitors on Saturday 1st and Sunday 2nd March.", []),
        (
            "The hall is closed for the AGM on Saturday 1 March at 2pm.",
            [("2025-03-01T14:00:00+00:00", None, False)],
        ),
    ],
)
def test_a_place_shut_or_open_is_not_a_gathering(text, expected):
    assert confident(text) == expected


def test_the_start_date_of_a_body_is_not_a_gathering():
    assert confident("The start date for the new steering group is March 3, 2025.") == []
    assert confident("The start date for the course is Monday 3 March 2025.") == [("2025-03-03", None, True)]


def test_a_year_first_stamp_in_brackets_is_a_log_line():
    text = "wiki:agenda [2025/02/21 10:30] (current) - added item 4 by sam"
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'assemblea serà el dissabte 8 de març al casal.", [("2025-03-08", None, True)]),
        ("Ens veiem dijous 6 de març a les 19 h.", [("2025-03-06T19:00:00+00:00", None, False)]),
        ("La trobada de socis és el 12 d'abril.", [("2025-04-12", None, True)]),
        ("Ka tū te hui ā-rohe ā te Rāhoroi 8 Poutū-te-rangi.", [("2025-03-08", None, True)]),
    ],
)
def test_catalan_and_maori_month_and_weekday_names(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On se retrouve demain à 18h au local.", [("2025-02-21T18:00:00+00:00", None, False)]),
        ("Wir sehen uns morgen um 19 Uhr im Café.", [("2025-02-21T19:00:00+00:00", None, False)]),
        ("Nos reunimos mañana a las 7 de la tarde.", [("2025-02-21T19:00:00+00:00", None, False)]),
        ("Nos reunimos por la mañana, como siempre.", []),
        ("Réunion mardi prochain à 18h30.", [("2025-02-25T18:30:00+00:00", None, False)]),
        ("La asamblea será el próximo martes a las 19 horas.", [("2025-02-25T19:00:00+00:00", None, False)]),
        ("Das Treffen im Café war letzten Dienstag um 19 Uhr.", []),
        ("次回は明日の午後7時からです。", [("2025-02-21T19:00:00+00:00", None, False)]),
    ],
)
def test_days_said_as_words_in_other_languages(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Riunione giovedì 6 marzo ore 18.", [("2025-03-06T18:00:00+00:00", None, False)]),
        ("Ledenvergadering op 6 maart om 14 uur.", [("2025-03-06T14:00:00+00:00", None, False)]),
        ("Stammtisch am 5. März ab 19.30 Uhr", [("2025-03-05T19:30:00+00:00", None, False)]),
        (
            "Oficina no dia 5 de março, de 09h as 17h.",
            [("2025-03-05T09:00:00+00:00", "2025-03-05T17:00:00+00:00", False)],
        ),
        # hours long, not a time of the day
        ("Réunion le samedi 8 mars, pendant 2 heures au maximum.", [("2025-03-08", None, True)]),
        # a dash is no sign of English
        (
            "Ludwigsburg – Montag, 26. Mai, 15 Uhr, Treffen der Gruppe.",
            [("2025-05-26T15:00:00+01:00", None, False)],
        ),
    ],
)
def test_clocks_said_in_other_languages(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "La reunió es va fer el 5 de març a la biblioteca.",
        "Als Treffpunkt fanden wir am Samstag um 8 Uhr den Eingang der Bibliothek.",
        "La fecha límite para inscribirse en la asamblea es el 5 de marzo.",
    ],
)
def test_past_tense_and_deadline_words_in_other_languages(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The summer camp is moving from 4-6 July to 11-13 July.", [("2025-07-11", "2025-07-13", True)]),
        ("Our away day has moved from 9-10 May to May 16-17.", [("2025-05-16", "2025-05-17", True)]),
        ("The workshop has moved from 3 March to 10 March.", [("2025-03-10", None, True)]),
    ],
)
def test_a_span_moved_from_is_left_whole(text, expected):
    assert confident(text) == expected


def test_a_weekday_and_day_without_month_is_one_of_the_dated_days_beside_it():
    now = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # Friday 14 March 2025 and Friday 14 November 2025
    text = "Retreat: 14th-16th November 2025 (arrive any time on Fri 14th, leave by noon on Sun 16th)."
    assert confident(text, now) == [("2025-11-14", "2025-11-16", True)]
    text = "Retreat: 14th-16th November 2025, with a ceilidh on Sat 15th at 8pm."
    assert confident(text, now) == [
        ("2025-11-14", "2025-11-16", True),
        ("2025-11-15T20:00:00+00:00", None, False),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Coffee morning on Saturday 8 March, either 10am or 11am.",
            [("2025-03-08T10:00:00+00:00", None, False), ("2025-03-08T11:00:00+00:00", None, False)],
        ),
        (
            "The next board call is on 2025-03-05. Its start will be confirmed later, but will be either 14:00 or"
            " 14:30.",
            [("2025-03-05T14:00:00+00:00", None, False), ("2025-03-05T14:30:00+00:00", None, False)],
        ),
    ],
)
def test_clocks_offered_with_either_or_are_each_a_candidate(text, expected):
    assert confident(text) == expected
    assert all("candidate" in flags for *_, flags in read(text))


def test_a_clock_said_roughly_belongs_to_the_date_before_it():
    text = (
        "Set-up is on Friday 28 March at 9am, and the plant sale on Saturday 29 March at approximately 10am."
    )
    assert confident(text) == [
        ("2025-03-28T09:00:00+00:00", None, False),
        ("2025-03-29T10:00:00+00:00", None, False),
    ]
    text = "We walk on Saturday 8 March at about 2pm and on Sunday 9 March at around 11am."
    assert confident(text) == [
        ("2025-03-08T14:00:00+00:00", None, False),
        ("2025-03-09T11:00:00+00:00", None, False),
    ]


def test_a_weekday_and_its_part_of_the_day_before_a_date_are_that_dates():
    text = "The course starts Monday morning, 24 March at 09:00 and ends on Saturday afternoon 29 March at 14:00."
    assert confident(text) == [("2025-03-24T09:00:00+00:00", "2025-03-29T14:00:00+00:00", False)]
    text = "See you Tuesday evening, 25 March at 7pm."  # 25 March 2025 is a Tuesday
    assert confident(text) == [("2025-03-25T19:00:00+00:00", None, False)]
    assert "conflict" in read("See you Wednesday evening, 25 March at 7pm.")[0][3]


def test_an_end_said_some_days_later_closes_the_span_begun():
    text = "The summer school starts on Monday 7 July at 10:00 and ends four days later on Friday 11 July at 15:00."
    assert confident(text) == [("2025-07-07T10:00:00+01:00", "2025-07-11T15:00:00+01:00", False)]


def test_a_year_first_date_with_stops_is_a_date():
    assert confident("Next community call: 2025.03.04 at 14:00 UTC") == [
        ("2025-03-04T14:00:00+00:00", None, False)
    ]
    assert confident("Please upgrade to 2025.03.04.1 before the call") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sorry, the workshop clashes with the AGM. Moved to Monday.", [("2025-02-24", None, True)]),
        ("Our meeting has been rescheduled for Saturday.", [("2025-02-22", None, True)]),
        ("The deadline for abstracts was Thursday. Moved to Monday.", []),
        ("Moved to Thursday Net Policy", []),
    ],
)
def test_a_bare_weekday_a_gathering_is_moved_to_is_its_new_day(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The room is booked for the session on the 27th.", [("2025-02-27", None, True)]),
        ("Bring a laptop to the workshop on the 3rd in the small hall.", [("2025-03-03", None, True)]),
        ("The meeting on the 12th went really well.", []),
        ("The meeting on the 5th floor is open.", []),
    ],
)
def test_a_day_alone_after_the_gathering_it_dates_is_the_next_such_day(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday 6 March, 7pm - venue to be decided.", [("2025-03-06T19:00:00+00:00", None, False)]),
        ("Devroom: Sunday 9 March, online room to be announced.", [("2025-03-09", None, True)]),
        ("We discussed the rota at the meeting on 3 February.", []),
    ],
)
def test_a_passive_after_be_is_still_to_come(text, expected):
    assert confident(text) == expected


def test_a_retrospective_is_a_gathering():
    text = "- **Thursday 6th March 2025**: Release 4.2 Retrospective\n- **Thursday 13th March 2025**: Release 4.3 Code Freeze"
    assert confident(text) == [("2025-03-06", None, True)]


def test_febuary_misspelt_is_still_the_month():
    assert confident("Book club meets on Febuary 27, 2025") == [("2025-02-27", None, True)]


def test_a_german_clock_is_read_when_the_line_has_a_dash_but_no_accent():
    now = datetime(2025, 2, 20, 12, 0, tzinfo=UTC)
    text = "Stuttgart – Dienstag, 1. April, 18 Uhr, Treffen im Vereinsheim."
    found = [
        (j["start"], j["end"], j["all_day"])
        for j in (mention_as_json(m) for m in read_times(text, now, "Europe/Berlin"))
    ]
    assert found == [("2025-04-01T18:00:00+02:00", None, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The club was due to hold its open evening at 7pm on Friday 7 March, but it is off.", []),
        (
            "We had to postpone the quiz which was due for 6th March... It will now be on 3rd April.",
            [("2025-04-03", None, True)],
        ),
        ("The talk was supposed to be on Tuesday 11 March; sadly the speaker is ill.", []),
    ],
)
def test_what_was_due_on_a_day_is_the_plan_given_up(text, expected):
    assert confident(text) == expected


def test_a_programme_days_clock_comes_after_its_title_lines():
    now = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
    text = (
        "8th February\nSaturday Knitting Circle\nwith Ann Smith\n2 p.m. - 4 p.m.\nBring your own needles\n\n"
        "15th March\nSpring Walk\n10.30 a.m.\nMeet at the church gate"
    )
    assert confident(text, now) == [
        ("2025-02-08T14:00:00+00:00", "2025-02-08T16:00:00+00:00", False),
        ("2025-03-15T10:30:00+00:00", None, False),
    ]


def test_a_dotted_am_glued_to_its_hour_does_not_end_the_sentence():
    assert confident("Craft morning on Saturday 8 March, 9.30a.m. - 12 p.m. in the hall") == [
        ("2025-03-08T09:30:00+00:00", "2025-03-08T12:00:00+00:00", False)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # written on Thursday 20 February: the date written out says which day
        (
            "Come to the open meeting on Thursday next week, 6 March, at 7pm.",
            [("2025-03-06T19:00:00+00:00", None, False)],
        ),
        (
            "Our repair cafe is open 10:00 to 13:00 tomorrow, 22nd February 2025.",
            [("2025-02-22T10:00:00+00:00", "2025-02-22T13:00:00+00:00", False)],
        ),
        # a quoted invitation's "tomorrow" was said the day before: the meeting it dates is over
        ("> please join us from 09:00 to 10:00 UTC tomorrow, 20th February 2025.", []),
    ],
)
def test_a_relative_day_restated_by_its_date_is_that_date(text, expected):
    assert confident(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sadly none of the leaders are available on Saturday 8 March, so there is no walk.",
        "We looked at the week after, but nobody is free on Tuesday 11th March.",
    ],
)
def test_a_day_no_one_is_free_is_no_gathering(text):
    assert confident(text) == []


def test_a_day_that_saw_something_is_over():
    now = datetime(2025, 8, 20, 12, 0, tzinfo=UTC)
    assert confident("July 26th saw the village show return after a year away.", now) == []
    assert confident("Saturday 16 August saw over forty volunteers at the canal clean-up.", now) == []


def test_a_schedule_line_whose_rest_calls_the_day_off():
    text = "Mon 3 March        Rehearsal 7-9pm\nMon 10 March       Half-term.  NO REHEARSAL\nMon 17 March       Rehearsal 7-9pm"
    assert confident(text) == [
        ("2025-03-03T19:00:00+00:00", "2025-03-03T21:00:00+00:00", False),
        ("2025-03-17T19:00:00+00:00", "2025-03-17T21:00:00+00:00", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Delay the litter pick from Saturday 8 March to a later date.",
        "The quiz night on Friday 7 March is put off until further notice.",
    ],
)
def test_a_gathering_moved_to_no_day_yet_has_no_date(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Scheduled maintenance on Saturday 8 March from 22:00 to 23:00 UTC: the forum will be read-only.",
        "There is a planned power outage on Tuesday 11 March.",
    ],
)
def test_a_services_maintenance_is_no_gathering(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I am going to contact the caretaker on Monday 3rd March to book the hall.",
        "I'll phone the printers on Tuesday 4 March about the posters.",
    ],
)
def test_the_day_someone_gets_in_touch_is_an_errand(text):
    assert confident(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sadly we have had to postpone the talk planned for Thursday 6 March.", []),
        ("Saturday 8 March - the observatory will not be opening for the star party tonight", []),
        (
            "We will postpone the start of Monday's call to 15:00 UTC, on Monday 3 March only.",
            [("2025-03-03T15:00:00+00:00", None, False)],
        ),
    ],
)
def test_a_gathering_postponed_or_not_opening_is_off(text, expected):
    assert confident(text) == expected


def test_a_weekday_said_of_the_day_before_it_does_not_start_a_date():
    text = "The social is on Monday 24th March: 24th March is a Monday, 26th is a Wednesday."
    assert confident(text) == [("2025-03-24", None, True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Proposed slot: 2025-03-05T18:00/19:30, online.",
            ("2025-03-05T18:00:00+00:00", "2025-03-05T19:30:00+00:00", False),
        ),
        (
            "Proposed slot: 2025-03-05T18:00Z/2025-03-05T19:30Z, online.",
            ("2025-03-05T18:00:00+00:00", "2025-03-05T19:30:00+00:00", False),
        ),
    ],
)
def test_an_iso_interval_is_one_span(text, expected):
    assert confident(text) == [expected]


def test_a_clock_changed_from_one_to_another_is_the_new_clock():
    text = "Please note the call time shifts from 15:00 UTC to 16:00 UTC for the call on Monday 3 March."
    assert confident(text) == [("2025-03-03T16:00:00+00:00", None, False)]


def test_a_bracketed_clock_inside_the_days_hours_is_an_aside():
    text = (
        "Garden work party on Saturday 8 March.\n\nWe will dig from 10am to 3pm (soup is served at 12.30pm)."
    )
    assert confident(text) == [("2025-03-08T10:00:00+00:00", "2025-03-08T15:00:00+00:00", False)]


def test_a_start_and_an_end_said_as_concluded_by_no_later_than():
    text = "The AGM is on Tuesday 11 March. It will start at 7pm and will have concluded by no later than 8.30pm."
    assert confident(text) == [("2025-03-11T19:00:00+00:00", "2025-03-11T20:30:00+00:00", False)]


@pytest.mark.parametrize(
    "text",
    [
        "Our meeting day is Tuesday, from 7pm in the library.",
        "Club night is still Wednesday at 8pm.",
    ],
)
def test_a_groups_standing_day_is_a_habit(text):
    assert [m for m in read_times(text, FEB, LONDON) if not m.recurring and m.confident] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Book the hall for the spring fair.\nTarget: March 7", []),
        ("The target date for the new rota is Friday 7 March.", []),
        (
            "We agreed to target 7th March at 7pm for the next meeting.",
            [("2025-03-07T19:00:00+00:00", None, False)],
        ),
    ],
)
def test_a_target_date_is_when_a_task_is_due(text, expected):
    assert confident(text) == expected


def test_a_final_call_on_a_day_is_a_decision_not_a_call():
    text = (
        "We hope the camp can go ahead; we will make a final call on the 7th March once the forecast is out."
    )
    assert confident(text) == []


def test_a_day_we_cannot_meet_on_is_out_and_the_other_offered():
    text = "If we can't meet on Tuesday 4th March, and Thursday 6th March suits, shall we meet then instead?"
    assert confident(text) == [("2025-03-06", None, True)]


def test_a_day_a_task_cannot_be_done_on_is_out():
    assert confident("The painting can't be done on Saturday 8 March because of the rain forecast.") == []


def test_a_gathering_that_cannot_meet_in_person_still_happens():
    text = "As we can't meet in person, the book club meets online on Tuesday 4th March at 7pm."
    assert confident(text) == [("2025-03-04T19:00:00+00:00", None, False)]


def test_a_gathering_and_its_clock_on_the_line_under_a_dated_line_is_that_days():
    text = "Sat 8 March        Spring Concert, Town Hall 7.30 p.m.\n\nRehearsal 2.30-5.00\n\nSat 15 March       No event"
    assert confident(text) == [
        ("2025-03-08T19:30:00+00:00", None, False),
        ("2025-03-08T14:30:00+00:00", "2025-03-08T17:00:00+00:00", False),
    ]
