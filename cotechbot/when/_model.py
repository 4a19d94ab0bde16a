"""What the reader works with: the mention it returns, and the parts of a date and a clock as written before
they are resolved; the limits that bound every search."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo


@dataclass(frozen=True)
class TimeMention:
    """One time a careful organiser would put in a calendar, read from a span of text.

    ``start``/``end`` are aware datetimes for timed mentions and dates for all-day ones; an all-day ``end`` is
    the last day, inclusive; ``end`` is None for a single day or an open-ended time.

    ``flags`` say what was inferred; three matter to whoever acts on a mention (see ``confident``):
    ``past`` (over when the text was written), ``conflict`` (the text contradicts itself: a weekday that is
    not that date's, two clocks for one moment that disagree — the reading is a guess and must not be acted
    on) and ``candidate`` (one of several alternatives offered, "3rd - 4th or 10th - 11th June?": a proposal,
    not a decision). ``recurring`` marks the next occurrence of a series ("every Tuesday at 3pm", "first
    Thursday of the month at 7pm"): a standing arrangement, which the events layer treats apart.
    """

    start: datetime | date
    end: datetime | date | None
    all_day: bool
    span: tuple[int, int]
    text: str
    flags: tuple[str, ...]

    @property
    def is_past(self) -> bool:
        return "past" in self.flags

    @property
    def conflict(self) -> bool:
        """The text contradicts itself about this moment; the reading is shown for a person to settle."""
        return "conflict" in self.flags

    @property
    def candidate(self) -> bool:
        """One of several alternatives offered in the same breath (a proposal to choose from)."""
        return "candidate" in self.flags

    @property
    def recurring(self) -> bool:
        """The next occurrence of a recurring series, not a one-off date."""
        return "recurring" in self.flags

    @property
    def confident(self) -> bool:
        """Safe to plan a reminder on: still ahead when written, and the text does not contradict itself."""
        return not (self.is_past or self.conflict)


# One-for-one character mapping, so every offset in the working copy is an offset in the caller's text.
_NORMALISE = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": " ",
        "\u3000": " ",
        "\t": " ",
        "\r": " ",
    }
)
# (its entries as (character, replacement) pairs: no replacement is itself an entry, so replacing the characters one
# after another is the same as translating; the ASCII ones apart for the usual plain-ASCII post)
_NORMALISE_PAIRS = tuple((chr(code), to) for code, to in _NORMALISE.items())
_NORMALISE_ASCII = tuple((char, to) for char, to in _NORMALISE_PAIRS if char.isascii())


def normalised(text: str) -> str:
    """``text`` with _NORMALISE applied, each character it maps replaced only where the text holds it (C-speed
    scans): translating character by character through the mapping costs about 30 µs for a post of 300
    characters, and most posts hold none of them but a tab or a typographic quote."""
    for char, to in _NORMALISE_ASCII if text.isascii() else _NORMALISE_PAIRS:
        if char in text:
            text = text.replace(char, to)
    return text


_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}

# An implicit-year date this close behind the post is the one just gone, not next year's.
_RECENT_PAST = timedelta(days=14)
# How far ahead a weekday-and-day ("Tuesday 4th") may look for a month where both agree.
_PARTIAL_SEARCH_MONTHS = 3
_LONGEST_RANGE = timedelta(days=62)
_LONGEST_DELTA = timedelta(hours=48)
_GLUE_MAX = 40
# Calendar arithmetic looks a few years either side of the post; keep it far from datetime's limits.
_EARLIEST_NOW, _LATEST_NOW = 1900, 2999
# A following sentence this short holding one clock and no date finishes the sentence before it.
_LONE_CLOCK_SENTENCE = 60
# How far before its first digit a date may start ("Wednesday, the 4th", "Thursday, September 5").
_DATE_LEAD = 32
# "next Thursday", "on Tuesday": a weekday said of one particular day.
# ("next week": "next week Monday", "Monday next week": that weekday of the week after this one)
_NAMED_WEEKDAY = ("next", "this", "coming", "this coming", "on", "next week")
_AMBIGUOUS_MONTH_WORDS = {"may", "march", "mar"}


@dataclass
class _Day:
    """A calendar day as written: any of month, year and weekday may be missing."""

    day: int
    month: int | None
    year: int | None
    weekday: int | None
    ordinal: bool = False


@dataclass
class _Clock:
    hour: int
    minute: int
    meridiem_known: bool
    zone: str | None = None
    strong: bool = True  # has am/pm, a colon or a zone: safe to attach from a distance


@dataclass
class _Time:
    span: tuple[int, int]
    start: _Clock
    end: _Clock | None
    claimed: bool = False
    # The same moment written in other zones ("8 am NYC time / 1300 UTC"), checked against this one.
    equivalents: list[_Time] = field(default_factory=list)


@dataclass
class _Item:
    """A date expression found in a sentence, before its year and clock are settled."""

    kind: str  # "day" | "range" | "relday" | "weekday" | "exact"
    span: tuple[int, int]
    first: _Day | None = None
    last: _Day | None = None
    fixed: date | None = None  # relday: the day it names
    weekday_mod: str | None = None
    part_of_day: str | None = None
    group: int = 0
    time: _Time | None = None
    time_adjacent: bool = False  # the clock sits right next to this date (not next to a coordinated sibling)
    # A recurring series: "weekly", or "monthly:N" for the Nth weekday of the month (-1: the last).
    recurrence: str | None = None
    flags: list[str] = field(default_factory=list)

    def at_clock(self, clock: _Time, group: int | None = None) -> _Item:
        """This day again where a clock of its own is written (a session line, a table cell below a date)."""
        return replace(
            self,
            span=(clock.span[0], clock.span[0]),
            flags=list(self.flags),
            group=self.group if group is None else group,
        )


@dataclass
class _Context:
    now: datetime
    today: date
    zone: tzinfo
    zone_name: str
    reference_year: int | None
    month_first: bool = False  # numeric dates are month/day (a North American forum)


@dataclass
class _Sentence:
    items: list[_Item] = field(default_factory=list)
    times: list[_Time] = field(default_factory=list)
    deltas: list[re.Match[str]] = field(default_factory=list)
    alternates: list[re.Match[str]] = field(default_factory=list)
    exact: list[TimeMention] = field(default_factory=list)


# Blanking keeps every offset: a span blanked to spaces (its newlines kept) is read past, not removed.
def _blank(chars: list[str], span: tuple[int, int]) -> None:
    for i in range(span[0], span[1]):
        if chars[i] != "\n":
            chars[i] = " "


def _blanked(work: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return work
    chars = list(work)
    for span in spans:
        _blank(chars, span)
    return "".join(chars)


def word_positions(lowered: str, words: tuple[str, ...]) -> list[int]:
    """Where each of ``words`` starts in ``lowered``, in order: C-speed ``str.find`` scans, no pattern."""
    found = []
    for word in words:
        at = lowered.find(word)
        while at != -1:
            found.append(at)
            at = lowered.find(word, at + 1)
    found.sort()
    return found


def _gap(work: str, a: int, b: int) -> str | None:
    """The text between two spans, when it is short enough to glue them (``_GLUE_MAX``)."""
    if b < a or b - a > _GLUE_MAX:
        return None
    return work[a:b]
