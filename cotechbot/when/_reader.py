"""Reading *when* out of forum prose: find date and clock expressions, join the ones that belong together,
and resolve them against the time the post was written.

The reading runs in four passes over one normalised copy of the text:

1. exact markup (``[date=…]``, cooked spans, ISO timestamps) is read and blanked;
2. noise that only looks like dates (links, addresses, HTML, code) is blanked;
3. in sentences that hold a digit or a day-word (found by C-speed scans), date expressions, clocks,
   weekdays, "tomorrow" and "in N minutes" are found with precompiled patterns, dates tried only at the
   few word starts just before a digit;
4. per sentence, dates that are coordinated share a month and a clock, clocks attach to the dates they sit
   next to, and each result is resolved to a calendar day, with the tense and wording of its clause deciding
   between "the next one" and "the last one", and whether it is a deadline rather than a gathering.

Precision beats recall: whatever is doubtful (a bare weekday with no time, a vague span) is left out.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from cotechbot.when import _patterns as P
from cotechbot.when._markup import ExactMoment, read_cooked, read_iso_stamps, read_markup, zone_named


@dataclass(frozen=True)
class TimeMention:
    """One time a careful organiser would put in a calendar, read from a span of text.

    ``start``/``end`` are aware datetimes for timed mentions and dates for all-day ones; an all-day ``end`` is
    the last day, inclusive; ``end`` is None for a single day or an open-ended time.
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

# A stated zone, as written after a clock.
_FIXED_ZONES: dict[str, tuple[int, str | None]] = {
    "UTC": (0, None),
    "Z": (0, None),
    "GMT": (0, None),
    "BST": (60, None),
    "WET": (0, None),
    "WEST": (60, None),
    "CET": (60, None),
    "CEST": (120, None),
    "EET": (120, None),
    "EEST": (180, None),
    "EST": (-300, None),
    "EDT": (-240, None),
    "CST": (-360, None),
    "CDT": (-300, None),
    "PST": (-480, None),
    "PDT": (-420, None),
}
# Generic zone names follow their region's summer time.
_REGION_ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "PT": "America/Los_Angeles"}
_SUMMER_TWIN = {
    "GMT": "BST",
    "CET": "CEST",
    "EST": "EDT",
    "CST": "CDT",
    "PST": "PDT",
    "EET": "EEST",
    "WET": "WEST",
}
_WINTER_TWIN = {v: k for k, v in _SUMMER_TWIN.items()}
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
_LONGEST_DAILY = timedelta(days=6)
_LONGEST_DELTA = timedelta(hours=48)
_GLUE_MAX = 40
# Calendar arithmetic looks a few years either side of the post; keep it far from datetime's limits.
_EARLIEST_NOW, _LATEST_NOW = 1900, 2999
# A following sentence this short holding one clock and no date finishes the sentence before it.
_LONE_CLOCK_SENTENCE = 60
# How far before its first digit a date may start ("Wednesday, the 4th", "Thursday, September 5").
_DATE_LEAD = 32
# "next Thursday", "on Tuesday": a weekday said of one particular day.
_NAMED_WEEKDAY = ("next", "this", "coming", "this coming", "on")
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
    flags: list[str] = field(default_factory=list)


@dataclass
class _Context:
    now: datetime
    today: date
    zone: tzinfo
    zone_name: str
    reference_year: int | None


def read_times(
    text: str,
    now: datetime,
    tz: str | tzinfo = "Europe/London",
    *,
    include_deadlines: bool = False,
    include_past: bool = True,
    reference_year: int | None = None,
) -> list[TimeMention]:
    """The times in ``text`` a careful organiser would put in a calendar, in text order.

    ``now`` is when the text was written (aware; a naive datetime is refused with ValueError) and ``tz`` the
    forum's zone, used for clocks with no zone and for "our time".  ``reference_year`` is the year the caller
    knows the text is about (a poll's other options): a written year that contradicts its weekday is corrected
    to it.  Deadlines ("by Friday 5th July") are left out unless ``include_deadlines``; explicit dates in the
    past are kept with the flag ``past`` unless ``include_past`` is false.
    """
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        raise ValueError(f"now={now.isoformat()} is naive; pass an aware datetime (the post's created_at)")
    if not _EARLIEST_NOW <= now.year <= _LATEST_NOW:
        raise ValueError(
            f"now={now.isoformat()} is outside the years {_EARLIEST_NOW}-{_LATEST_NOW} this reader supports"
        )
    zone, zone_name = forum_zone(tz)
    if not isinstance(text, str) or not text:
        return []
    ctx = _Context(
        now=now,
        today=now.astimezone(zone).date(),
        zone=zone,
        zone_name=zone_name,
        reference_year=reference_year,
    )
    mentions = _read(text, ctx, include_deadlines=include_deadlines)
    if not include_past:
        mentions = [m for m in mentions if "past" not in m.flags]
    return mentions


def forum_zone(tz: str | tzinfo) -> tuple[tzinfo, str]:
    """The forum's zone and its name, from an IANA name or a tzinfo; ValueError for an unknown name."""
    if isinstance(tz, str):
        zone = zone_named(tz)
        if zone is None:
            raise ValueError(f"unknown time zone {tz!r}; use an IANA name such as 'Europe/London'")
        return zone, tz
    return tz, getattr(tz, "key", None) or str(tz)


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


class _Taken:
    """Non-overlapping spans already read, kept sorted so each overlap test is a bisection."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, span: tuple[int, int]) -> bool:
        i = bisect.bisect_right(self._starts, span[0])
        if i > 0 and self._ends[i - 1] > span[0]:
            return True
        return i < len(self._starts) and self._starts[i] < span[1]

    def add(self, span: tuple[int, int]) -> None:
        i = bisect.bisect_right(self._starts, span[0])
        self._starts.insert(i, span[0])
        self._ends.insert(i, span[1])


@dataclass
class _Sentence:
    items: list[_Item] = field(default_factory=list)
    times: list[_Time] = field(default_factory=list)
    deltas: list[re.Match[str]] = field(default_factory=list)
    alternates: list[re.Match[str]] = field(default_factory=list)
    exact: list[TimeMention] = field(default_factory=list)


def _read(text: str, ctx: _Context, *, include_deadlines: bool) -> list[TimeMention]:
    work = text.translate(_NORMALISE)
    if "`" in work or "<code" in work or "<pre" in work:
        work = _blanked(work, [m.span() for m in P.CODE_RE.finditer(work)])
    exact: list[ExactMoment] = []
    if "data-date" in work or "[date" in work or "[event" in work:
        exact.extend(read_cooked(work))
        exact.extend(read_markup(work))
        work = _blanked(work, [moment.span for moment in exact])
    work = _blank_noise(work)
    if P.ISO_HINT_RE.search(work):
        stamps = list(read_iso_stamps(work, ctx.zone))
        work = _blanked(work, [moment.span for moment in stamps])
        exact.extend(stamps)

    lowered = work.lower()
    signals = _Signals(work, lowered)
    if not (signals.digits or signals.words or exact):
        return []
    starts = _sentence_starts(work, lowered)
    # Only sentences holding a tell-tale (or exact markup) are read at all.
    hot = sorted(
        {bisect.bisect_right(starts, at) - 1 for at in signals.digits}
        | {bisect.bisect_right(starts, at) - 1 for at in signals.words}
        | {bisect.bisect_right(starts, moment.span[0]) - 1 for moment in exact}
    )
    ends = [*starts[1:], len(work)]
    exact.sort(key=lambda moment: moment.span)
    exact_starts = [moment.span[0] for moment in exact]
    results: list[TimeMention] = []
    groups = iter(range(1, 1 << 62))
    read: list[tuple[int, tuple[int, int], _Sentence]] = []
    for index in hot:
        bounds = (starts[index], ends[index])
        found = _Sentence()
        first, last = bisect.bisect_left(exact_starts, bounds[0]), bisect.bisect_left(exact_starts, bounds[1])
        found.exact.extend(_exact_mention(moment, text, ctx) for moment in exact[first:last])
        _find(work, bounds, signals, found, ctx, groups)
        read.append((index, bounds, found))
    _carry_lone_clocks(read, work)
    for _, bounds, found in read:
        if found.items or found.deltas or found.exact:
            results.extend(_read_sentence(text, work, bounds, found, ctx, include_deadlines))
    results.sort(key=lambda mention: mention.span)
    return results


def _carry_lone_clocks(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """ "Same time next Thursday? 2pm works for me.": a short sentence holding only a clock finishes the
    sentence before it, when that one named a day but no time."""
    for (index, bounds, found), (next_index, next_bounds, following) in zip(read, read[1:], strict=False):
        if (
            next_index == index + 1
            and found.items
            and not found.times
            and not following.items
            and len(following.times) == 1
            and following.times[0].start.strong
            and next_bounds[1] - next_bounds[0] <= _LONE_CLOCK_SENTENCE
            and "\n\n" not in work[bounds[1] - 1 : next_bounds[0] + 1]
        ):
            found.times.append(following.times.pop())


def _blank_noise(work: str) -> str:
    """Blank links, addresses and tags: digits there are never dates we should act on."""
    spans: list[tuple[int, int]] = []
    for hint, pattern in P.NOISE_PATTERNS:
        if hint in work:
            spans.extend(m.span() for m in pattern.finditer(work))
    return _blanked(work, spans)


class _Signals:
    """Where the cheap tell-tales are (digits, weekday stems, day-words), found once per text with C-speed
    scans, so the expensive patterns only run where something can match."""

    def __init__(self, work: str, lowered: str) -> None:
        self.digits = [m.start() for m in P.DIGIT_RUN_RE.finditer(work)]
        self.words = sorted(_positions(lowered, P.SIGNAL_WORDS))
        self.ors = _positions(lowered, ("or ",))

    @staticmethod
    def _between(positions: list[int], start: int, end: int) -> list[int]:
        return positions[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]

    def digits_in(self, start: int, end: int) -> list[int]:
        return self._between(self.digits, start, end)

    def words_in(self, start: int, end: int) -> bool:
        return bool(self._between(self.words, start, end))

    def or_in(self, start: int, end: int) -> bool:
        return bool(self._between(self.ors, start, end))


def _positions(lowered: str, words: tuple[str, ...]) -> list[int]:
    found = []
    for word in words:
        at = lowered.find(word)
        while at != -1:
            found.append(at)
            at = lowered.find(word, at + 1)
    found.sort()
    return found


def _date_matches(work: str, start: int, end: int, digits: list[int]) -> list[re.Match[str]]:
    """DATE_RE tried only at the word starts shortly before each digit: the same matches a full scan finds
    (every date holds a digit, and its words before that digit are few), at a fraction of the cost."""
    found: list[re.Match[str]] = []
    covered = start
    for digit in digits:
        if digit < covered:
            continue
        for word in P.WORD_START_RE.finditer(work, max(covered, digit - _DATE_LEAD), digit + 1):
            at = word.start()
            if at != digit and work[at : at + 3].lower() not in P.DATE_OPENERS:
                continue
            m = P.DATE_RE.match(work, at, end)
            if m is not None and m.end() > digit:
                found.append(m)
                covered = m.end()
                break
    return found


def _find(
    work: str,
    bounds: tuple[int, int],
    signals: _Signals,
    found: _Sentence,
    ctx: _Context,
    groups: Iterator[int],
) -> None:
    """Every date, day-word, weekday, clock and "in N minutes" in one sentence, overlaps settled."""
    start, end = bounds
    digits = signals.digits_in(start, end)
    has_words = signals.words_in(start, end)
    taken = _Taken()
    for m in _date_matches(work, start, end, digits):
        items = _items_from_date(m, next(groups))
        if items:
            taken.add(m.span())
            found.items.extend(items)
    if has_words:
        for m in P.RELDAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span()):
                taken.add(m.span())
                found.items.append(_relday_item(m, ctx, next(groups)))
        for m in P.WEEKDAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span("wd")):
                found.items.append(_weekday_item(m, work, next(groups)))
    if not found.items:
        # Without a date a clock can only finish the sentence before ("…next Thursday? 2pm works for me.").
        if has_words:
            found.deltas.extend(P.IN_DELTA_RE.finditer(work, start, end))
        if digits and end - start <= _LONE_CLOCK_SENTENCE:
            found.times.extend(t for m in P.TIME_RE.finditer(work, start, end) if (t := _time_single(m)))
        return
    if signals.or_in(start, end):
        for m in P.ALT_DAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span("day")):
                found.alternates.append(m)
    clocks = _Taken()
    for m in P.TIME_RANGE_RE.finditer(work, start, end):
        time_range = _time_range(m)
        if time_range and not taken.overlaps(m.span()):
            clocks.add(m.span())
            found.times.append(time_range)
    for m in P.TIME_RE.finditer(work, start, end):
        clock = _time_single(m)
        if clock and not taken.overlaps(m.span()) and not clocks.overlaps(m.span()):
            clocks.add(m.span())
            found.times.append(clock)
    if has_words:
        found.deltas.extend(P.IN_DELTA_RE.finditer(work, start, end))


def _sentence_starts(work: str, lowered: str) -> list[int]:
    """Where sentences start: after . ! ? and a space, or a newline; not after "a.m.", "e.g." or "Oct."."""
    starts = [0]
    for m in P.SENTENCE_END_RE.finditer(work):
        if m.group() == "\n" and P.TIME_LABEL_RE.match(work, m.end()):
            continue  # "Date: …" then "Time: …" on the next line is one statement
        if m.group() != "\n":
            before = lowered[max(0, m.start() - 8) : m.start()].rsplit(None, 1)
            if before and before[-1].lstrip("(\"'") in P.NOT_SENTENCE_END:
                continue
        starts.append(m.end())
    return starts


# ---------------------------------------------------------------------------------------------------------
# Building items from matches


def _weekday_index(word: str | None) -> int | None:
    return P.WEEKDAYS.get(word[:3].lower()) if word else None


def _month_index(word: str) -> int:
    return P.MONTHS[word[:3].lower()]


def _day_number(word: str) -> tuple[int, bool]:
    digits = word.rstrip("stndrhSTNDRH")
    return int(digits), digits != word


def _day(m: re.Match[str], i: int) -> _Day | None:
    """The ``i``-suffixed date groups of a DATE_RE match, or None when the words are not a date after all."""
    day_word = m.group(f"d{i}") or m.group(f"da{i}")
    month_word = m.group(f"m{i}") or m.group(f"ma{i}")
    number, ordinal = _day_number(day_word)
    year_word = m.group(f"y{i}")
    if month_word.rstrip(".") in _AMBIGUOUS_MONTH_WORDS and not ordinal and not year_word:
        return None  # "the 2 may clash", "may 5 people": a verb, not a month
    return _Day(
        number,
        _month_index(month_word),
        int(year_word) if year_word else None,
        _weekday_index(m.group(f"wd{i}")),
        ordinal,
    )


def _items_from_date(m: re.Match[str], group: int) -> list[_Item]:
    span = m.span()
    if m.group("full"):
        first, last = _day(m, 1), _day(m, 2)
        if first is None or last is None:
            return []
        return [_Item("range", span, first=first, last=last, group=group)]
    if m.group("dmrange") or m.group("mdrange"):
        a, b = (3, 4) if m.group("dmrange") else (5, 6)
        month_word = m.group(f"m{b}") if m.group("dmrange") else m.group("m5")
        year_word = m.group(f"y{b}")
        first_day, first_ordinal = _day_number(m.group(f"d{a}"))
        last_day, last_ordinal = _day_number(m.group(f"d{b}"))
        if first_day >= last_day:
            return []
        if month_word.rstrip(".") in _AMBIGUOUS_MONTH_WORDS and month_word.islower() and not year_word:
            return []
        month = _month_index(month_word)
        year = int(year_word) if year_word else None
        first = _Day(first_day, month, year, _weekday_index(m.group(f"wd{a}")), first_ordinal)
        last = _Day(
            last_day,
            month,
            year,
            _weekday_index(m.group(f"wd{b}")) if m.group("dmrange") else None,
            last_ordinal,
        )
        return [_Item("range", span, first=first, last=last, group=group)]
    if m.group("list"):
        return _list_items(m, group)
    if m.group("single"):
        day = _day(m, 9)
        if day is None:
            return []
        month_word = m.group("ma9")
        if (
            month_word
            and month_word.rstrip(".").lower() in _AMBIGUOUS_MONTH_WORDS
            and not month_word[0].isupper()
        ):
            return []
        return [_Item("day", span, first=day, group=group)]
    if m.group("iso"):
        return [
            _Item(
                "day",
                span,
                first=_Day(int(m.group("id")), int(m.group("im")), int(m.group("iy")), None, True),
                group=group,
            )
        ]
    if m.group("numeric"):
        return _numeric_item(m, group)
    if m.group("wdnum"):
        a, b = int(m.group("n3")), int(m.group("n4"))
        day, month = (a, b) if b <= 12 else (b, a)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return []
        return [
            _Item(
                "day", span, first=_Day(day, month, None, _weekday_index(m.group("wd11")), True), group=group
            )
        ]
    if m.group("wdday"):
        number, ordinal = _day_number(m.group("d10"))
        weekday_word = m.group("wd10")
        if not ordinal and weekday_word.islower():
            return []  # "sat 3 exams"
        return [
            _Item(
                "day",
                span,
                first=_Day(number, None, None, _weekday_index(weekday_word), ordinal),
                group=group,
            )
        ]
    return []


def _list_items(m: re.Match[str], group: int) -> list[_Item]:
    """ "Tues 4th or Thurs 6th April": every day takes the month and year written once at the end."""
    last = _day(m, 8)
    if last is None:
        return []
    list_start = m.start("list")
    list_text = m.group("list")
    partials: list[tuple[_Day, tuple[int, int]]] = []
    for item in P.LIST_ITEM_RE.finditer(list_text):
        number, ordinal = _day_number(item.group("d0"))
        weekday = _weekday_index(item.group("wd0"))
        if not ordinal and weekday is None and last.ordinal:
            return []  # "items 1, 2 and 3rd May" mixes counts with dates
        partials.append(
            (
                _Day(number, last.month, last.year, weekday, ordinal),
                (list_start + item.start(), list_start + item.end()),
            )
        )
    if not partials:
        return []
    last_span = (m.start("list") + len(list_text), m.end())
    connectors = re.sub(r"[\w\s]*?(\d+(?:st|nd|rd|th)?)", " ", list_text.lower())
    consecutive = len(partials) == 1 and partials[0][0].day + 1 == last.day
    # "17th and 18th May": two consecutive days joined by "and" are one two-day event.
    if consecutive and " or" not in f" {connectors}" and re.search(r"\band\b|&", list_text, re.IGNORECASE):
        return [_Item("range", m.span(), first=partials[0][0], last=last, group=group)]
    items = [_Item("day", span, first=day, group=group) for day, span in partials]
    items.append(_Item("day", last_span, first=last, group=group))
    return items


def _numeric_item(m: re.Match[str], group: int) -> list[_Item]:
    a, b = int(m.group("n1")), int(m.group("n2"))
    year_word = m.group("ny")
    if m.group("nsep") == "." and len(year_word) == 2:
        return []  # 1.2.24 is a version number far more often than a date
    year = int(year_word) + (2000 if len(year_word) == 2 else 0)
    flags: list[str] = []
    if a > 12 and 1 <= b <= 12:
        day, month = a, b
    elif b > 12 and 1 <= a <= 12:
        day, month = b, a
        flags.append("month_first")
    elif 1 <= a <= 12 and 1 <= b <= 12:
        day, month = a, b
        if a != b:
            flags.append("day_first_assumed")
    else:
        return []
    weekday = _weekday_index(m.group("wd12"))
    return [_Item("day", m.span(), first=_Day(day, month, year, weekday, True), group=group, flags=flags)]


def _relday_item(m: re.Match[str], ctx: _Context, group: int) -> _Item:
    if m.group("dat"):
        offset = 2
    elif m.group("tomorrow"):
        offset = 1
    else:
        offset = 0
    word = m.group().lower()
    part = (m.group("part") or "").lower()
    if "tonight" in word or "evening" in word or part in ("evening", "night"):
        part = "evening"
    elif "afternoon" in word:
        part = "afternoon"
    elif "morning" in word:
        part = "morning"
    said = "today" if offset == 0 else "tomorrow"
    item = _Item(
        "relday",
        m.span(),
        fixed=ctx.today + timedelta(days=offset),
        weekday_mod=said,
        part_of_day=part or None,
        group=group,
    )
    item.flags.append("relative")
    return item


def _weekday_item(m: re.Match[str], work: str, group: int) -> _Item:
    mod = (m.group("mod") or "").lower()
    mod = re.sub(r"\s+", " ", mod)
    item = _Item(
        "weekday",
        m.span(),
        first=_Day(0, None, None, _weekday_index(m.group("wd"))),
        weekday_mod=mod or None,
        group=group,
    )
    part = P.PART_OF_DAY_RE.match(work, m.end())
    if part:
        # "Wednesday evening at 7": the part of the day belongs to the weekday and says am or pm.
        item.span = (m.start(), part.end())
        item.part_of_day = "evening" if part.group("part").lower() == "night" else part.group("part").lower()
    before = work[max(0, m.start() - 20) : m.start()]
    after = work[m.end() : m.end() + 20]
    if (
        P.RECURRING_BEFORE_RE.search(before)
        or P.WEEKDAY_SPAN_BEFORE_RE.search(before)
        or P.WEEKDAY_SPAN_AFTER_RE.match(after)
    ):
        item.weekday_mod = (
            "every"  # "every Tuesday", "first Monday", "Monday to Friday": a pattern, not a day
        )
    return item


# ---------------------------------------------------------------------------------------------------------
# Clocks


def _clock(text: str, *, bare: bool = False) -> _Clock | None:
    m = P.CLOCK_PARTS_RE.fullmatch(text.strip())
    if m is None:
        return None
    if m.group("noon"):
        return _Clock(12, 0, True)
    if m.group("midnight"):
        return _Clock(0, 0, True)
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if hour > 23 or minute > 59:
        return None
    ap = (m.group("ap") or "").lower()
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap == "p" else 0)
        return _Clock(hour, minute, True)
    written = text.strip()
    # 24 h when it cannot be anything else: 13:00, 00:30, 09:00 (a leading zero), 12:15.
    known = hour >= 12 or hour == 0 or written.startswith("0")
    return _Clock(hour, minute, known, strong=not bare and ":" in written)


def _zone_text(m: re.Match[str]) -> str | None:
    zone = m.group("zone")
    if not zone:
        return None
    return zone.strip().strip("()").strip() or None


def _time_single(m: re.Match[str]) -> _Time | None:
    if m.group("clock"):
        clock = _clock(m.group("clock"))
        if clock is None:
            return None
        clock.zone = _zone_text(m)
        if clock.zone or clock.meridiem_known and not m.group("clock")[:1].isdigit():
            clock.strong = True
        if re.search(r"[ap]\.?m", m.group("clock"), re.IGNORECASE) or clock.zone:
            clock.strong = True
        return _Time(m.span(), clock, None)
    word = m.group("bare") or m.group("oclock")
    clock = _clock(word, bare=True)
    if clock is None:
        return None
    clock.meridiem_known = False
    clock.strong = False
    return _Time(m.span(), clock, None)


def _time_range(m: re.Match[str]) -> _Time | None:
    if m.group("sep").lower() == "and" and not m.group("between"):
        return None
    left, right = _clock(m.group("left")), _clock(m.group("right"))
    if left is None or right is None:
        return None
    zone = _zone_text(m)
    left.zone = right.zone = zone
    right_text = m.group("right")
    left_text = m.group("left")
    right_ap = re.search(r"([ap])\.?m", right_text, re.IGNORECASE)
    left_has_ap = re.search(r"[ap]\.?m", left_text, re.IGNORECASE) is not None
    if not left_has_ap and right_ap and ":" not in left_text.strip()[-3:-2] and left.hour <= 12:
        # "3-4pm": the first end takes the second's am/pm, unless that would put it after the end ("11-1pm").
        hour12 = left.hour % 12
        pm = right_ap.group(1).lower() == "p"
        left.hour = hour12 + (12 if pm else 0)
        if (left.hour, left.minute) >= (right.hour, right.minute) and pm:
            left.hour = hour12
        left.meridiem_known = True
    elif not (left_has_ap or right_ap or left.meridiem_known or right.meridiem_known):
        # Neither end says am or pm: "9.30-4.30" runs into the afternoon, "2.30-4.00" for a meeting is in it.
        if right.hour < left.hour and right.hour < 12:
            right.hour += 12
        elif right.hour < 8:
            left.hour, right.hour = left.hour + 12, right.hour + 12
        left.meridiem_known = right.meridiem_known = True
    left.strong = right.strong = True
    if (right.hour, right.minute) <= (left.hour, left.minute) and not (right.hour < 6):
        return None
    return _Time(m.span(), left, right)


def _settle_clock(clock: _Clock, part_of_day: str | None, flags: list[str]) -> tuple[int, int]:
    """Hour and minute, deciding am or pm for a clock that did not say (meetings happen in the afternoon)."""
    hour = clock.hour
    if not clock.meridiem_known and 1 <= hour <= 11:
        if part_of_day in ("afternoon", "evening") and hour < 12:
            hour += 12
        elif part_of_day == "morning":
            pass
        elif hour <= 7:
            hour += 12
            flags.append("assumed_pm")
    return hour, clock.minute


def _zone_for(name: str | None, ctx: _Context, on_day: date, flags: list[str]) -> tzinfo:
    if not name:
        return ctx.zone
    words = name.lower()
    if words.endswith("time") or words == "uk":
        if words.startswith(("our", "local", "forum")):
            return ctx.zone
        flags.append("tz:Europe/London")
        return zone_named("Europe/London") or ctx.zone
    if name.startswith("Europe/"):
        return zone_named(name) or ctx.zone
    m = P.ZONE_PARTS_RE.fullmatch(name.replace(" ", ""))
    if m is None:
        return ctx.zone
    abbr = m.group("abbr")
    flags.append(f"tz:{name.replace(' ', '')}")
    if abbr in _REGION_ZONES:
        return zone_named(_REGION_ZONES[abbr]) or ctx.zone
    minutes, _ = _FIXED_ZONES.get(abbr, (None, None))
    if minutes is None:
        return ctx.zone
    if m.group("sign") and abbr in ("UTC", "GMT"):
        extra = int(m.group("oh")) * 60 + int(m.group("om") or 0)
        if extra > 14 * 60:
            return ctx.zone
        minutes = extra if m.group("sign") == "+" else -extra
    _check_season(abbr, on_day, flags)
    return timezone(timedelta(minutes=minutes))


def _check_season(abbr: str, on_day: date, flags: list[str]) -> None:
    """Say so when a zone's winter name is used in summer (or the reverse): the writer may mean local time."""
    region = {
        "GMT": "Europe/London",
        "BST": "Europe/London",
        "CET": "Europe/Paris",
        "CEST": "Europe/Paris",
    }.get(abbr)
    region = region or {
        "EST": "America/New_York",
        "EDT": "America/New_York",
        "PST": "America/Los_Angeles",
        "PDT": "America/Los_Angeles",
    }.get(abbr)
    zone = zone_named(region) if region else None
    if zone is None:
        return
    noon = datetime.combine(on_day, time(12), tzinfo=zone)
    in_summer = bool(noon.dst())
    if (abbr in _SUMMER_TWIN and in_summer) or (abbr in _WINTER_TWIN and not in_summer):
        flags.append("tz_season_mismatch")


# ---------------------------------------------------------------------------------------------------------
# Sentences


class _Clauses:
    """A sentence cut into clauses, with the tense and the gathering words of each read once."""

    def __init__(self, sentence: str) -> None:
        self._sentence = sentence
        self._cuts = [0]
        for m in P.CLAUSE_END_RE.finditer(sentence):
            self._cuts.extend((m.start(), m.end()))
        self._cuts.append(len(sentence))
        self._past: dict[int, bool] = {}
        self._gathering: dict[int, bool] = {}
        self._cancelled: dict[int, bool] = {}
        self._paperwork: dict[int, bool] = {}
        self._sentence_tense: bool | None = None
        self._sentence_read = False
        self._deadline_words: list[int] | None = None

    def bounds(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._cuts, offset) - 1
        i -= i % 2  # even positions start clauses, odd ones end them
        return self._cuts[i], self._cuts[min(i + 1, len(self._cuts) - 1)]

    def past(self, offset: int) -> bool:
        """Is the clause at ``offset`` told in the past tense (the sentence decides when the clause has no verb)?"""
        start, end = self.bounds(offset)
        if start not in self._past:
            tense = _tense(self._sentence, start, end)
            if tense is None:
                if not self._sentence_read:
                    self._sentence_tense = _tense(self._sentence, 0, len(self._sentence))
                    self._sentence_read = True
                tense = self._sentence_tense
            self._past[start] = bool(tense)
        return self._past[start]

    def deadline_word_between(self, start: int, end: int) -> bool:
        """Is there a word such as "deadline" between two offsets (found once per sentence, then bisected)?"""
        if self._deadline_words is None:
            self._deadline_words = [m.start() for m in P.DEADLINE_WORD_RE.finditer(self._sentence)]
        i = bisect.bisect_left(self._deadline_words, start)
        return i < len(self._deadline_words) and self._deadline_words[i] < end

    def paperwork(self, offset: int) -> bool:
        """Is the clause at ``offset`` about paperwork or the calendar itself (leases, invoices, bank holidays)?"""
        start, end = self.bounds(offset)
        if start not in self._paperwork:
            self._paperwork[start] = P.NOT_A_GATHERING_RE.search(self._sentence, start, end) is not None
        return self._paperwork[start]

    def cancelled(self, offset: int) -> bool:
        """Does the clause at ``offset`` call something off ("cancelled", "postponed", "moved")?"""
        start, end = self.bounds(offset)
        if start not in self._cancelled:
            self._cancelled[start] = P.CANCELLED_RE.search(self._sentence, start, end) is not None
        return self._cancelled[start]

    def gathering(self, offset: int) -> bool:
        """Does the clause at ``offset`` speak of a gathering (a call, a meeting, a chat…)?"""
        start, end = self.bounds(offset)
        if start not in self._gathering:
            self._gathering[start] = P.EVENT_RE.search(self._sentence, start, end) is not None
        return self._gathering[start]


def _tense(text: str, start: int, end: int) -> bool | None:
    """True for past, False for present or future, None when the words do not say."""
    past = P.PAST_RE.search(text, start, end) is not None
    future = P.FUTURE_RE.search(text, start, end) is not None
    if not (past or future):
        return None
    return past and not future


def _gap(work: str, a: int, b: int) -> str | None:
    if b < a or b - a > _GLUE_MAX:
        return None
    return work[a:b]


def _group_coordinated(items: list[_Item], work: str) -> None:
    """Dates joined by "or", "and", commas or slashes share one group, so a clock after them applies to all."""
    representative: dict[int, int] = {}
    for before, after in zip(items, items[1:], strict=False):
        joined = (
            before.kind != "weekday"
            and after.kind != "weekday"
            and (gap := _gap(work, before.span[1], after.span[0])) is not None
            and P.COORD_GLUE_RE.fullmatch(gap)
        )
        if joined and after.group != before.group:
            representative[after.group] = representative.get(before.group, before.group)
    for item in items:
        item.group = representative.get(item.group, item.group)


def _attach_times(items: list[_Item], times: list[_Time], work: str) -> None:
    """Give each group of dates the clock written right after it, else right before it, else the lone one."""
    groups: dict[int, list[_Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    ordered = sorted(groups.values(), key=lambda g: g[0].span[0])
    starts = [t.span[0] for t in times]
    ends = [t.span[1] for t in times]
    for members in ordered:
        end = max(i.span[1] for i in members)
        i = bisect.bisect_left(starts, end)
        if i < len(times) and not times[i].claimed:
            gap = _gap(work, end, times[i].span[0])
            if gap is not None and P.GLUE_AFTER_RE.fullmatch(gap):
                _give(members, times[i])
    for members in ordered:
        if members[0].time is not None:
            continue
        start = min(i.span[0] for i in members)
        i = bisect.bisect_right(ends, start) - 1
        if i >= 0 and not times[i].claimed:
            gap = _gap(work, times[i].span[1], start)
            if gap is not None and P.GLUE_BEFORE_RE.fullmatch(gap):
                _give(members, times[i])
    # One date and one clear clock in the same sentence belong together even with words between them.
    if (
        len(ordered) == 1
        and len(times) == 1
        and ordered[0][0].time is None
        and (ordered[0][0].kind != "weekday" or ordered[0][0].weekday_mod in _NAMED_WEEKDAY)
        and times[0].start.strong
        and not times[0].claimed
    ):
        _give(ordered[0], times[0])
        for item in ordered[0]:
            item.flags.append("time_distant")


def _give(members: list[_Item], found: _Time) -> None:
    found.claimed = True
    nearest = min(
        members, key=lambda item: min(abs(item.span[0] - found.span[1]), abs(found.span[0] - item.span[1]))
    )
    for item in members:
        item.time = found
        item.time_adjacent = item is nearest


def _drop_restated_weekdays(items: list[_Item], work: str) -> list[_Item]:
    """ "this Thursday (5th June)" and "tomorrow (Thursday)" name one day twice: keep the date."""
    kept: list[_Item] = []
    for item, following in zip(items, [*items[1:], None], strict=False):
        if (
            item.kind == "weekday"
            and kept
            and kept[-1].kind == "relday"
            and P.WEEKDAY_RESTATED_RE.fullmatch(work, kept[-1].span[1], item.span[0])
        ):
            kept[-1].span = (kept[-1].span[0], item.span[1])
            continue
        if (
            item.kind == "weekday"
            and following is not None
            and following.kind == "day"
            and following.first is not None
            and item.first is not None
            and P.WEEKDAY_RESTATED_RE.fullmatch(work, item.span[1], following.span[0])
        ):
            if following.first.weekday is None:
                following.first.weekday = item.first.weekday
            continue
        kept.append(item)
    return kept


def _alternate_items(found: _Sentence, items: list[_Item]) -> list[_Item]:
    """ "Tuesday 2nd June, 4pm (or the 9th …)": the 9th of the same month, at the same time."""
    anchors = [i for i in items if i.kind == "day" and i.first is not None and i.first.month]
    anchor_ends = [i.span[1] for i in anchors]
    made = []
    for m in found.alternates:
        number, ordinal = _day_number(m.group("day"))
        at = bisect.bisect_right(anchor_ends, m.start()) - 1
        if not ordinal or at < 0:
            continue
        anchor = anchors[at].first
        assert anchor is not None
        day = _Day(number, anchor.month, anchor.year, None, True)
        made.append(
            _Item("day", m.span("day"), first=day, group=-1, time=anchors[at].time, flags=["alternative"])
        )
    return made


def _read_sentence(
    text: str, work: str, bounds: tuple[int, int], found: _Sentence, ctx: _Context, include_deadlines: bool
) -> list[TimeMention]:
    sentence = work[bounds[0] : bounds[1]]
    items = sorted(found.items, key=lambda i: i.span)
    times = sorted(found.times, key=lambda t: t.span)
    items = _drop_restated_weekdays(items, work)
    _group_coordinated(items, work)
    _attach_times(items, times, work)
    items.extend(_alternate_items(found, items))

    mentions: list[TimeMention] = list(found.exact)
    if P.MESSAGE_HEADER_RE.search(sentence):
        return []  # a quoted e-mail's "On … wrote:" line dates the message, not a gathering
    seen = {_moment_key(m) for m in mentions}
    clauses = _Clauses(sentence)
    for item in items:
        offset = item.span[0] - bounds[0]
        clause_start, clause_end = clauses.bounds(offset)
        past = clauses.past(offset)
        flags = list(item.flags)
        lead = min(item.span[0], item.time.span[0]) if item.time else item.span[0]
        tail = max(item.span[1], item.time.span[1]) if item.time else item.span[1]
        before = work[max(bounds[0], lead - 60) : lead]
        before_lowered = before.lower()
        if any(word in before_lowered for word in P.RECORD_HINTS) and P.RECORD_BEFORE_RE.search(before):
            continue
        if P.FROM_OPENING_RE.match(work, bounds[0], item.span[0]):
            continue  # "From 1 April the fee rises": when a rule starts, not a gathering
        if clauses.cancelled(offset) and not P.NEW_DATE_BEFORE_RE.search(before):
            continue  # "the call on 17th September is cancelled": nothing to put in a calendar
        deadline = (
            (
                any(word in before_lowered for word in P.DEADLINE_HINTS)
                and P.DEADLINE_BEFORE_RE.search(before) is not None
            )
            or P.DEADLINE_AFTER_RE.match(work, tail, min(bounds[1], tail + 30)) is not None
            or clauses.deadline_word_between(clause_start, offset)
        )
        if deadline:
            if not include_deadlines:
                continue
            flags.append("deadline")
        gathering = clauses.gathering(offset)
        if (
            item.time is None
            and item.kind in ("day", "range")
            and clauses.paperwork(offset)
            and not gathering
        ):
            continue  # "our lease runs to 31st December": a date, but nobody gathers
        if past and not gathering and item.kind in ("day", "range"):
            continue  # "version 2.4 was released on 2 September": a past date, but nobody gathered
        for mention in _resolve(item, text, ctx, past, gathering, flags):
            if _moment_key(mention) not in seen:
                seen.add(_moment_key(mention))
                mentions.append(mention)
    mentions = _join_timed_spans(mentions, work)
    if found.deltas and (P.EVENT_RE.search(sentence) or P.STARTING_RE.search(sentence)):
        for m in found.deltas:
            mention = _delta_mention(m, text, ctx, clauses.past(m.start() - bounds[0]))
            if mention is not None and _moment_key(mention) not in seen:
                seen.add(_moment_key(mention))
                mentions.append(mention)
    return mentions


def _moment_key(m: TimeMention) -> tuple:
    return (m.start, m.end, m.all_day, type(m.start))


_SPAN_JOIN_RE = re.compile(r"\s*(?:-{1,2}|to|until|till|through)\s*", re.IGNORECASE)


def _join_timed_spans(mentions: list[TimeMention], work: str) -> list[TimeMention]:
    """ "from 6pm Friday 12th September to 2pm Sunday 14th September" is one stay, not two starts."""
    mentions.sort(key=lambda m: m.span)
    joined: list[TimeMention] = []
    for mention in mentions:
        if joined:
            prior = joined[-1]
            if (
                not prior.all_day
                and not mention.all_day
                and prior.end is None
                and mention.end is None
                and isinstance(prior.start, datetime)
                and isinstance(mention.start, datetime)
                and timedelta(0) < mention.start - prior.start <= timedelta(days=14)
                and _SPAN_JOIN_RE.fullmatch(work, prior.span[1], mention.span[0])
            ):
                span = (prior.span[0], mention.span[1])
                flags = tuple(dict.fromkeys(prior.flags + mention.flags))
                joined[-1] = TimeMention(
                    prior.start,
                    mention.start,
                    False,
                    span,
                    prior.text + work[prior.span[1] : mention.span[0]] + mention.text,
                    flags,
                )
                continue
        joined.append(mention)
    return joined


# ---------------------------------------------------------------------------------------------------------
# Resolving to the calendar


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1] or not 1 <= year <= 9999:
        return None
    return date(year, month, day)


def _occurrences(month: int, day: int, around: int) -> list[date]:
    found = []
    for year in range(around - 4, around + 5):
        candidate = _safe_date(year, month, day)
        if candidate:
            found.append(candidate)
    return found


def _one_digit_apart(a: int, b: int) -> bool:
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def _resolve_day(day: _Day, ctx: _Context, past: bool, flags: list[str]) -> date | None:
    """The calendar day a written day means; flags say what was inferred or corrected."""
    if day.month is None:
        return _resolve_partial(day, ctx, past, flags)
    if day.year is not None:
        stated = _safe_date(day.year, day.month, day.day)
        if stated is None:
            return None
        if day.weekday is not None and stated.weekday() != day.weekday:
            flags.append("weekday_mismatch")
            corrected = _correct_year(day, stated, ctx, past)
            if corrected is not None:
                flags.append(f"year_corrected:{day.year}->{corrected.year}")
                return corrected
        return stated
    occurrences = _occurrences(day.month, day.day, ctx.today.year)
    if not occurrences:
        return None
    upcoming = [d for d in occurrences if d >= ctx.today]
    gone = [d for d in occurrences if d < ctx.today]
    following = upcoming[0] if upcoming else None
    previous = gone[-1] if gone else None
    if day.weekday is not None and ctx.reference_year is not None:
        same = _safe_date(ctx.reference_year, day.month, day.day)
        if same is not None and same.weekday() == day.weekday:
            return same
    if past:
        if following == ctx.today:
            return following
        chosen = previous
    elif day.weekday is not None:
        fits = [d for d in (following, previous) if d is not None and d.weekday() == day.weekday]
        recent = previous is not None and ctx.today - previous <= timedelta(days=183)
        if fits and fits[0] is previous and not recent:
            fits = []
        chosen = fits[0] if fits else following
        if previous is not None and chosen is previous:
            flags.append("year_from_weekday")
    elif ctx.reference_year is not None:
        chosen = _safe_date(ctx.reference_year, day.month, day.day) or following
    else:
        chosen = previous if previous is not None and ctx.today - previous <= _RECENT_PAST else following
    if chosen is None:
        return None
    if day.weekday is not None and chosen.weekday() != day.weekday:
        flags.append("weekday_mismatch")
    return chosen


def _correct_year(day: _Day, stated: date, ctx: _Context, past: bool) -> date | None:
    """A year typo ("Tuesday 5th March 2014" in a 2024 poll): the nearby year the weekday agrees with."""
    candidates: list[int] = []
    if ctx.reference_year is not None and ctx.reference_year != day.year:
        candidates.append(ctx.reference_year)
    if not past and stated < ctx.today:
        candidates.extend(
            y for y in (ctx.today.year, ctx.today.year + 1) if _one_digit_apart(y, day.year or 0)
        )
    for year in candidates:
        candidate = _safe_date(year, day.month or 0, day.day)
        if candidate is None or candidate.weekday() != day.weekday:
            continue
        if year == ctx.reference_year or candidate >= ctx.today - _RECENT_PAST:
            return candidate
    return None


def _resolve_partial(day: _Day, ctx: _Context, past: bool, flags: list[str]) -> date | None:
    """ "Tuesday 4th": the nearest month whose 4th is a Tuesday, looking back if the sentence is past."""
    step = -1 if past else 1
    year, month = ctx.today.year, ctx.today.month
    for _ in range(_PARTIAL_SEARCH_MONTHS + 1):
        candidate = _safe_date(year, month, day.day)
        in_direction = candidate is not None and (
            (candidate <= ctx.today) if past else (candidate >= ctx.today - _RECENT_PAST)
        )
        if (
            in_direction
            and candidate is not None
            and (day.weekday is None or candidate.weekday() == day.weekday)
        ):
            flags.append("month_inferred")
            return candidate
        month += step
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
    return None


def _resolve(
    item: _Item, text: str, ctx: _Context, past: bool, gathering: bool, flags: list[str]
) -> list[TimeMention]:
    """The mentions one item stands for: usually one, none when doubtful, one per day for "23rd and 24th, 10-4"."""
    if item.kind == "weekday":
        day = _resolve_weekday(item, ctx, past, gathering)
        if day is None:
            return []
        flags.append("relative")
        first, last = day, None
    elif item.kind == "relday":
        # "today" with no time is happening now or done: nothing to remind; "tomorrow's call" is a day to mark.
        if past or (item.time is None and (item.weekday_mod == "today" or not gathering)):
            return []
        first, last = item.fixed, None
    elif item.kind == "range":
        assert item.first is not None and item.last is not None
        first_day, last_day = item.first, item.last
        if first_day.year is None and last_day.year is not None:
            first_day = _Day(
                first_day.day, first_day.month, last_day.year, first_day.weekday, first_day.ordinal
            )
            if (first_day.month or 0, first_day.day) > (last_day.month or 0, last_day.day):
                first_day.year = (last_day.year or 0) - 1
        first = _resolve_day(first_day, ctx, past, flags)
        if first is None:
            return []
        if last_day.year is None:
            last = _safe_date(first.year, last_day.month or 0, last_day.day)
            if last is not None and last < first:
                last = _safe_date(first.year + 1, last_day.month or 0, last_day.day)
        else:
            last = _safe_date(last_day.year, last_day.month or 0, last_day.day)
            if "year_corrected" in " ".join(flags) and last is not None:
                last = _safe_date(first.year, last.month, last.day)
        if last is None or last < first or last - first > _LONGEST_RANGE:
            return []
        if (
            last_day.weekday is not None
            and last.weekday() != last_day.weekday
            and "weekday_mismatch" not in flags
        ):
            flags.append("weekday_mismatch")
        if last == first:
            last = None
    else:
        assert item.first is not None
        first = _resolve_day(item.first, ctx, past, flags)
        if first is None:
            return []
        last = None
    assert first is not None
    span = item.span
    if item.time is not None and item.time_adjacent:
        span = (min(span[0], item.time.span[0]), max(span[1], item.time.span[1]))
    if item.time is not None and last is None:
        return [_timed_mention(first, item, span, text, ctx, flags)]
    if (
        item.time is not None
        and item.time.end is not None
        and last is not None
        and last - first <= _LONGEST_DAILY
    ):
        # A multi-day span with hours ("10:00-16:00 each day") is one timed event per day.
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return [_timed_mention(day, item, span, text, ctx, [*flags, "daily"]) for day in days]
    if item.time is not None:
        flags.append("daily_times")
    if (last or first) < ctx.today:
        flags.append("past")
    return [TimeMention(first, last, True, span, text[span[0] : span[1]], tuple(dict.fromkeys(flags)))]


def _timed_mention(
    day: date, item: _Item, span: tuple[int, int], text: str, ctx: _Context, flags: list[str]
) -> TimeMention:
    assert item.time is not None
    flags = list(flags)
    start, end = _timed(day, item.time, item.part_of_day, ctx, flags)
    if start < ctx.now - timedelta(minutes=1):
        flags.append("past")
    return TimeMention(start, end, False, span, text[span[0] : span[1]], tuple(dict.fromkeys(flags)))


def _resolve_weekday(item: _Item, ctx: _Context, past: bool, has_event_word: bool) -> date | None:
    """ "next Thursday", "on Tuesday at 3pm": the next such day after the post, never a recurring one."""
    assert item.first is not None and item.first.weekday is not None
    mod = item.weekday_mod
    if past or mod in ("last", "every", "each", "most", "alternate"):
        return None
    # With no time, only "next/this/on Thursday" said of a gathering ("see you next Thursday") counts.
    if item.time is None and not (mod in _NAMED_WEEKDAY and has_event_word):
        return None
    ahead = (item.first.weekday - ctx.today.weekday()) % 7
    if ahead == 0 and mod not in ("this", "this coming"):
        ahead = 7
    return ctx.today + timedelta(days=ahead)


def _timed(
    day: date, found: _Time, part_of_day: str | None, ctx: _Context, flags: list[str]
) -> tuple[datetime, datetime | None]:
    zone = _zone_for(found.start.zone, ctx, day, flags)
    hour, minute = _settle_clock(found.start, part_of_day, flags)
    start = _local(day, hour, minute, zone)
    end = None
    if found.end is not None:
        end_hour, end_minute = _settle_clock(found.end, part_of_day, flags)
        end = _local(day, end_hour, end_minute, zone)
        if end <= start:
            end = _local(day + timedelta(days=1), end_hour, end_minute, zone)
    return start, end


def _local(day: date, hour: int, minute: int, zone: tzinfo) -> datetime:
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    if isinstance(zone, ZoneInfo):
        # A clock time skipped by the spring change reads as the same instant after it.
        moment = moment.astimezone(UTC).astimezone(zone)
    return moment


def _delta_mention(m: re.Match[str], text: str, ctx: _Context, past: bool) -> TimeMention | None:
    """ "The call is in 10 minutes": an instant counted from the post, only when it is not approximate."""
    if past or m.group("approx") or m.group("approx_after"):
        return None
    word = m.group("n").lower()
    if word.isdigit():
        amount = float(int(word))
    elif word.startswith("half"):
        amount = 0.5
    elif word.startswith("forty"):
        amount = 45.0
    else:
        amount = float(_NUMBER_WORDS.get(word, 0))
    unit = m.group("unit").lower()
    delta = timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount)
    if word.startswith("half") and not unit.startswith("h"):
        return None
    if not timedelta(0) < delta <= _LONGEST_DELTA:
        return None
    start = (ctx.now + delta).astimezone(ctx.zone).replace(second=0, microsecond=0)
    return TimeMention(start, None, False, m.span(), text[m.start() : m.end()], ("relative",))


def _exact_mention(moment: ExactMoment, text: str, ctx: _Context) -> TimeMention:
    flags = list(moment.flags)
    last = moment.end or moment.start
    if isinstance(last, datetime):
        if last < ctx.now:
            flags.append("past")
    elif last < ctx.today:
        flags.append("past")
    span = moment.span
    return TimeMention(moment.start, moment.end, moment.all_day, span, text[span[0] : span[1]], tuple(flags))
