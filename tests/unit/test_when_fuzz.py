"""cotechbot.when never raises on any text: random strings, odd Unicode, huge and marked-up input."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cotechbot.when import mention_as_json, read_times

NOW = datetime(2024, 9, 10, 11, tzinfo=UTC)
# Pieces of real date text, so random strings often come close to a date and exercise the deeper passes.
FRAGMENTS = [
    "3-4pm",
    "Tues",
    "4th",
    " or ",
    "Thurs 6th April",
    "@ 17.30 UTC",
    "17th-19 May 2024",
    "[date=",
    "2024-07-02",
    "T15:00:00Z",
    " time=18:00:00 ",
    'timezone="Europe/London"]',
    "[date-range from=",
    " to=",
    "in 10 minutes",
    "tomorrow at 2pm",
    "next Thursday",
    "—",
    "–",
    "\u00a0",
    "£",
    "v1.2.3",
    "24/7",
    "31/02/2024",
    "29th February 2023",
    '<span class="discourse-local-date" data-date="2024-13-45">',
    "`",
    "```",
    "\n",
    ". ",
    "0",
    "12",
    "noon",
    "PT",
    "BST",
    "our time",
    "Friday 29th April - Sunday 1st May",
    '[event start="2024-02-30 25:00"]',
    "a.m.",
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text):
    """Any Unicode string reads without an exception and gives well-formed mentions."""
    for mention in read_times(text, NOW):
        assert 0 <= mention.span[0] <= mention.span[1] <= len(text)
        mention_as_json(mention)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=30).map("".join))
def test_date_like_fragments_never_raise(text):
    """Strings stitched from date fragments (including impossible dates) read without an exception."""
    for mention in read_times(text, NOW, "America/New_York"):
        assert mention.end is None or mention.end >= mention.start
        mention_as_json(mention)


def test_huge_marked_up_text_is_read_whole():
    """300 kB of markdown, HTML and dates is read to the end: every chunk's own date is found."""
    chunks = [
        "<p>Hi **all**, see [notes](https://x.example/2024-07-02) and `code 17.30`.</p>\n"
        f"3-4pm on {1 + i % 28} March {2025 + i // 28} · Tues 4th or Thurs 6th April @ 17.30 UTC · 1.2.3.4.5.6.7.8 "
        + "9" * 200
        + " "
        + "-" * 200
        + "\n"
        for i in range(560)
    ]
    text = "".join(chunks)
    assert len(text) > 300_000
    mentions = read_times(text, NOW)  # its speed is a figure printed by bench/worst_case.py
    afternoons = {
        m.start.date() for m in mentions if not m.all_day and m.start.hour == 15 and m.start.month == 3
    }
    assert len(afternoons) == 560


def test_pathological_repetitions_are_read_without_raising():
    """Long runs of digits, spaces, dashes and weekday names are read to the end (bench/worst_case.py times
    them: a runaway pattern shows there, not as a flaky timed assertion here)."""
    for unit in [
        "1 ",
        "Tuesday ",
        "- ",
        "3-",
        "[date=",
        "1.",
        "<span class=",
        "4th or ",
        "3pm ",
        "`",
        "in 10 minutes call ",
        "on the 5th and ",
        "The 20th would work ",
        "tonight ",
        "| Wed 18 February | 12-2 ",
        "5pm, Monday 13 June 2022: ",
        "out of office 1st May, ",
        "Sat, Sun: 7:00 - 21:00 ",
        "Mondays at 9.30am, Saturday at 6.30pm, ",
        "2 p.m. on Feb 24, 25, & 26th ",
    ]:
        text = unit * (40_000 // len(unit))
        assert isinstance(read_times(text, NOW), list), unit
