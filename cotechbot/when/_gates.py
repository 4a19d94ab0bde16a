"""The cheap checks the reader makes before its costly patterns: where a date may start, and which words make a
sentence with no digit worth reading at all. Each is wider than the pattern it guards, never narrower
(tests/unit/test_when_prefilter.py checks them against the patterns and every corpus text)."""

from __future__ import annotations

import re

from cotechbot.when._patterns import _NUM_START, MON, MONTHS, WD

_I = re.IGNORECASE

# What the first words of every DATE_RE match look like, tried before it at each candidate start (one cheap
# match instead of the full alternation, which fails slowly: "30 minute chat", "845 1234", "the server").
# Every alternative opens with a weekday, a month, "the" or a number; the words that can follow each are
# those DATE_RE allows there: a day number is followed (after its suffix and spaces) by a month, "of", a
# dash, "to"/"till"/"until"/"through", or a list's comma, "or", "and", "&", "/", "+" or next ordinal; a
# weekday by a number, "the", a month or a bracket; a month by a number, "the" or a bracket; "the" by a number
# or a month.  One pattern for a start on a digit, one for a start on a word: wider than DATE_RE, never
# narrower (test_when_prefilter checks both on every corpus text).
# (every month a date may name, in every language MON reads)
_MONTH_STEMS = "(?:" + "|".join(sorted(MONTHS)) + ")"
# The digit gate opens with DATE_RE's own start (every match at a digit passes it: "date" can only be read from a
# word start), so a number after "4." or "10-" ("4.2 of the draft", the "04" of "22.04") is never tried.
DIGIT_DATE_START_RE = re.compile(
    _NUM_START + r"(?:(?:19|20)\d\d(?:[-/]|\.\d\d\.)"
    # (a day's number with a stop and a digit after it opens a date only as "22.04.24", day.month.year; a dash
    # before a percentage, "10-15% last", opens none)
    r"|\d{1,2}(?:/\d|\.\d{1,2}\.\d\d|(?!\d)(?:st|nd|rd|th)?(?:\.(?!\d))?\s*(?:-(?!\s*\d+%)|[,/&+\d]|"
    + _MONTH_STEMS
    + r"|of|to|til|unt|thr|or|and|bis)))",
    _I,
)
WORD_DATE_START_RE = re.compile(
    rf"{WD},?\s*(?:\d|the|\(|{_MONTH_STEMS})|{MON},?\s*(?:\d|the|\()|the\s+(?:\d|{_MONTH_STEMS})|date\d",
    _I,
)
# A letter run of every alternative of P.RELDAY_RE, P.WEEKDAY_RE (its weekday) and P.IN_DELTA_RE (its unit).
RELDAY_STEMS = ("today", "tonight", "tomorrow", "tmrw", "morning", "afternoon", "evening")
WEEKDAY_STEMS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# (and "Tu 13th", "Th. 5th": a calendar header's two-letter weekdays, which WEEKDAY_RE reads only capitalised)
TWO_LETTER_WEEKDAY_RE = re.compile(r"T[uh]\.?[ \t]")
DELTA_STEMS = ("min", "hour", "hrs")
# Lower-case stems whose presence makes a digit-free sentence worth reading.
SIGNAL_WORDS = (
    *WEEKDAY_STEMS,
    "today",
    "tonight",
    "this evening",  # "this evening's workshop": a day-word with no digit to make the sentence worth reading
    "tomorrow",
    "tmrw",
    "noon",
    "midday",
    "midnight",
    "hour",
    "min",
    # the holidays whose date is their name ("Christmas Eve … at 4.30pm", "which is Halloween, … at 4:30pm")
    "christmas",
    "hallowe",
)
# The stems of the months whose names make a digit-free sentence worth reading for a date in words ("on the
# first of April", "Wednesday July third"); "March" and "May" are words too often to be worth it.
MONTH_SIGNAL_STEMS = ("uary", "ber", "april", "june", "july", "august")
