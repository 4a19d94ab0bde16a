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
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo

from cotechbot.when import _gates as G
from cotechbot.when import _not_gatherings as N
from cotechbot.when import _patterns as P
from cotechbot.when import _spans as S
from cotechbot.when._calendar import _exact_mention
from cotechbot.when._clocks import (
    _bare_range,
    _place,
    _time_range,
    _time_single,
    _worded_time,
    clock_matches,
    clock_starts,
    clocks_in,
)
from cotechbot.when._foreign import to_english
from cotechbot.when._items import (
    _continued_days,
    _day_month_item,
    _items_from_date,
    _join_consecutive_days,
    _month_day_item,
    _offered_range,
    _relday_item,
    _weekday_item,
    offered_days,
    worded_date_item,
)
from cotechbot.when._markup import ExactMoment, read_cooked, read_iso_stamps, read_markup, zone_named
from cotechbot.when._model import (
    _DATE_LEAD,
    _EARLIEST_NOW,
    _LATEST_NOW,
    _LONE_CLOCK_SENTENCE,
    TimeMention,
    _blanked,
    _Context,
    _Day,
    _Item,
    _Sentence,
    _Time,
    normalised,
    word_positions,
)
from cotechbot.when._passage import (
    _carry_later_clock,
    _carry_lone_clocks,
    _clock_opening_dated_lines,
    _clock_under_a_titled_day,
    _date_cells_over_clock_cells,
    _heads,
    _months_from_headings,
    _series_clock_for_its_first_day,
    _session_line_under_a_dated_line,
    _table_columns_under_dated_headers,
    _usual_clock_over_date_lines,
)
from cotechbot.when._sentence_ends import sentence_starts
from cotechbot.when._sentences import _read_sentence
from cotechbot.when._spans import (
    _bare_ends,
    _sessions_under_a_date_line,
    _weekly_slot_hours_for_dated_days,
)


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
        month_first=_writes_month_first(zone_name),
        now=now,
        today=now.astimezone(zone).date(),
        zone=zone,
        zone_name=zone_name,
        reference_year=reference_year,
    )
    english = to_english(text)
    if english is None:
        mentions = _read(text, ctx, include_deadlines=include_deadlines)
    else:
        # "am Dienstag, den 12. Januar um 19h": read in English, reported as spans of the text as written
        rewritten, starts, ends = english
        mentions = [
            replace(m, span=(a, b), text=text[a:b])
            for m in _read(rewritten, ctx, include_deadlines=include_deadlines)
            for a, b in ((starts[m.span[0]], ends[m.span[1]]),)
        ]
    if not include_past:
        mentions = [m for m in mentions if "past" not in m.flags]
    return mentions


# Forums in these zones write 7/10 for July 10th; everywhere else it is 7 October.
_MONTH_FIRST_REGIONS = ("America/", "US/", "Canada/")
_DAY_FIRST_AMERICAS = (
    "America/Mexico_City",
    "America/Sao_Paulo",
    "America/Argentina",
    "America/Buenos_Aires",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Caracas",
    "America/Montevideo",
    "America/Havana",
)


def _writes_month_first(zone_name: str) -> bool:
    return zone_name.startswith(_MONTH_FIRST_REGIONS) and not zone_name.startswith(_DAY_FIRST_AMERICAS)


def forum_zone(tz: str | tzinfo) -> tuple[tzinfo, str]:
    """The forum's zone and its name, from an IANA name or a tzinfo; ValueError for an unknown name."""
    if isinstance(tz, str):
        zone = zone_named(tz)
        if zone is None:
            raise ValueError(f"unknown time zone {tz!r}; use an IANA name such as 'Europe/London'")
        return zone, tz
    return tz, getattr(tz, "key", None) or str(tz)


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


def _read(text: str, ctx: _Context, *, include_deadlines: bool) -> list[TimeMention]:
    work = normalised(text)
    quoted = work.startswith(">") or "\n>" in work
    if quoted:
        work = _QUOTE_MARKS_RE.sub(lambda m: " " * len(m.group()), work)
    if "`" in work or "<code" in work or "<pre" in work:
        # a block fenced as ```meta holds the post's own details (UTCTime: …, Duration: …), not code to quote
        work = _blanked(
            work, [m.span() for m in P.CODE_RE.finditer(work) if not m.group().startswith("```meta\n")]
        )
    exact: list[ExactMoment] = []
    if "data-date" in work or "[date" in work or "[event" in work:
        exact.extend(read_cooked(work))
        exact.extend(read_markup(work))
        work = _blanked(work, [moment.span for moment in exact])
    work = _blank_noise(work)
    if (P.ASCII_ISO_HINT_RE if work.isascii() else P.ISO_HINT_RE).search(work):
        stamps = list(read_iso_stamps(work, ctx.zone))
        work = _blanked(work, [moment.span for moment in stamps])
        exact.extend(stamps)

    lowered = work.lower()
    if " th " in lowered or " st " in lowered or " nd " in lowered or " rd " in lowered:
        # "SATURDAY 25 TH MARCH": an ordinal's suffix set apart from its number is still its suffix (moved
        # before the space, so every position stays where it was)
        work = _SPACED_ORDINAL_RE.sub(r"\g<day>\g<suffix> ", work)
        lowered = work.lower()
    signals = _Signals(work, lowered)
    if not (signals.digits or signals.words or signals.months or exact):
        return []
    starts = sentence_starts(work, lowered, quoted)
    # Only sentences holding a tell-tale (or exact markup) are read at all.
    hot = sorted(
        {bisect.bisect_right(starts, at) - 1 for at in signals.digits}
        | {bisect.bisect_right(starts, at) - 1 for at in signals.words}
        | {bisect.bisect_right(starts, at) - 1 for at in signals.months}
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
        headed = bool(read) and _heads(work, read[-1][1], read[-1][2], bounds)
        _find(work, bounds, signals, found, ctx, groups, headed=headed)
        read.append((index, bounds, found))
    if "\n" in work:
        _months_from_headings(read, work)
    if "\n" in work:
        _sessions_under_a_date_line(read, work)
        if "|" in work:
            _table_columns_under_dated_headers(read, work, groups)
            _date_cells_over_clock_cells(read, work, groups)
    if "\n" in work:
        _clock_under_a_titled_day(read, work, ctx)
    _carry_lone_clocks(read, work)
    if "\n" in work and ":" in work:
        _clock_opening_dated_lines(read, work)
    if "\n" in work:
        _usual_clock_over_date_lines(read, work)
    if "\n" in work:
        _session_line_under_a_dated_line(read, work, groups)
    _carry_later_clock(read, work, groups)
    _series_clock_for_its_first_day(read, ctx)
    if "days " in lowered:
        _weekly_slot_hours_for_dated_days(read, work)
    for _, bounds, found in read:
        if found.items or found.deltas or found.exact:
            results.extend(
                _timed_days_once(_read_sentence(text, work, bounds, found, ctx, include_deadlines))
            )
    results.sort(key=lambda mention: mention.span)
    if len(results) > 1:
        results = S.join_begins_and_ends(results, text, work)
        results = S.day_restated_as_span_once(results, work)
    if "\n" in work and len(results) > 1:
        results = S.join_labelled_start_and_end(results, text, work)
    if len(results) > 1:
        results = _timed_days_once(results, ctx.zone)
    if "weekend of" in lowered:
        results = _weekend_of(results, lowered)
    if len(results) > 1 and "(" in work:
        results = _posts_own_date_after_title(results, work, ctx)
    if results and "cancel" in lowered and _TODAY_CALLED_OFF_RE.search(work):
        # "11 September 2025 - 1030 EST" / "TODAY'S MEETING IS CANCELLED": the day of writing is called off
        results = [m for m in results if _day_in(m.start, ctx) != ctx.today]
    return _once_each(results) if len(results) > 1 else results


# "Today's meeting is cancelled", "the call today has been cancelled": whatever date the post gives the day of
# writing, the gathering on it is off.
_TODAY_CALLED_OFF_RE = re.compile(
    r"\b(?:(?:today|tonight)'s\s{1,3}(?:[\w'-]{1,20}\s{1,3}){0,2}?(?:meeting|call|session|class|event|gathering|social|talk)"
    r"|(?:meeting|call|session|class|event|gathering|social|talk)\s{1,3}(?:for\s{1,3})?(?:today|tonight))"
    r"\s{1,3}(?:is|has\s{1,3}been|will\s{1,3}be)\s{1,3}(?:now\s{1,3})?cancell?ed\b",
    re.IGNORECASE,
)


def _day_in(moment: datetime | date, ctx: _Context) -> date:
    """The forum's day a mention starts on."""
    return moment.astimezone(ctx.zone).date() if isinstance(moment, datetime) else moment


_WEEKEND_OF_RE = re.compile(r"\bweekend\s+of\s+(?:the\s+)?$")


def _weekend_of(results: list[TimeMention], lowered: str) -> list[TimeMention]:
    """ "The meeting is the weekend of November 7": a Saturday or Sunday named as its weekend is the
    Saturday and the Sunday."""
    out = []
    for m in results:
        if (
            m.all_day
            and m.end is None
            and m.start.weekday() in (5, 6)
            and _WEEKEND_OF_RE.search(lowered, max(0, m.span[0] - 20), m.span[0])
        ):
            saturday = m.start - timedelta(days=m.start.weekday() - 5)
            m = replace(m, start=saturday, end=saturday + timedelta(days=1))
        out.append(m)
    return out


def _posts_own_date_after_title(results: list[TimeMention], work: str, ctx: _Context) -> list[TimeMention]:
    """ "Rehearsal on Thursday, Dec. 7 (Dec 3 2017)": a full date in brackets closing the first line, after
    another date on it, that is the day the post was written, is the post's own stamp, not an event."""
    first_line = work.find("\n")
    first_line = len(work) if first_line < 0 else first_line
    out = []
    for m in results:
        if (
            m.all_day
            and m.end is None
            and m.start == ctx.today
            and m.span[1] <= first_line
            and work[m.span[0] - 1 : m.span[0]] == "("
            and work[m.span[1] : m.span[1] + 1] == ")"
            and not work[m.span[1] + 1 : first_line].strip()
            and any(o.span[1] < m.span[0] for o in results)
            and re.search(r"\d{4}$", work[m.span[0] : m.span[1]])
        ):
            continue
        out.append(m)
    return out


# How far before a month's name a date in words ("Wednesday, the twenty-first of") may start.
_WORDED_LEAD = 40

_SPACED_ORDINAL_RE = re.compile(
    r"(?<![\d.,:/])(?P<day>[12]\d|3[01]|[1-9]) (?P<suffix>st|nd|rd|th)(?= )",
    re.IGNORECASE,
)
# "> we plan to meet this Saturday,\n> Feb. 5": a quoted mail's markers are margin, not words.
_QUOTE_MARKS_RE = re.compile(r"^(?:[ \t]{0,3}>)+", re.MULTILINE)


def _timed_days_once(mentions: list[TimeMention], zone: tzinfo | None = None) -> list[TimeMention]:
    """ "The meeting is tomorrow (Sunday, 8th July) at 7 PM UTC": a day a sentence gives a clock is not also an
    all-day mention of that sentence.  Over a whole post (``zone`` given) a confident clock settles a day said
    again alone ("… at 2:00 PM on Tuesday, September 1. … that's tomorrow afternoon", a heading's bare date
    above its "Time: Tues, July 16 @ 3pm" line), and so does a UTC stamp for the local day it falls on."""
    if len(mentions) < 2:
        return mentions
    timed = [
        (m.start, m.end)
        for m in mentions
        if not m.all_day and isinstance(m.start, datetime) and (m.confident or zone is None)
    ]
    if not timed:
        return mentions
    # the day as written, in the clock's own zone ("11pm PST" is that evening, whatever London's date)
    timed_days = {start.date() for start, _ in timed}
    if zone is not None:
        timed_days.update(start.astimezone(zone).date() for start, _ in timed)
    # "this Saturday and Sunday … begins at 2 p.m. Saturday and concludes at 2 p.m. Sunday": the clocked span
    # over the same days
    timed_spans = {(start.date(), end.date()) for start, end in timed if isinstance(end, datetime)}
    return [
        m
        for m in mentions
        if not (m.all_day and (m.start in timed_days if m.end is None else (m.start, m.end) in timed_spans))
    ]


def _once_each(results: list[TimeMention]) -> list[TimeMention]:
    """A moment written twice ("this Saturday, Feb. 5", a heading and its body) is one mention: the first,
    unless a later one is confident where the first is not, or is the dated day of a series whose next
    occurrence the first was ("Meetings are the 3rd Thursday at 2:00. The next meeting will be held on Thursday,
    November 20": that one day is said)."""
    kept: dict[tuple[object, object, bool], int] = {}
    unique: list[TimeMention] = []
    for mention in results:
        key = (mention.start, mention.end, mention.all_day)
        at = kept.get(key)
        if at is None:
            kept[key] = len(unique)
            unique.append(mention)
        elif (mention.confident and not unique[at].confident) or (
            unique[at].recurring and not mention.recurring and mention.confident
        ):
            unique[at] = mention
    return unique


def _blank_noise(work: str) -> str:
    """Blank links, addresses and tags: digits there are never dates we should act on."""
    spans: list[tuple[int, int]] = []
    for hint, pattern in P.NOISE_PATTERNS:
        if hint in work if isinstance(hint, str) else hint.search(work):
            spans.extend(m.span() for m in pattern.finditer(work))
    return _blanked(work, spans)


def _month_start(lowered: str, at: int) -> int:
    """Where the month's name whose stem was found at ``at`` starts ("ber" of "october"), or -1 (a "member")."""
    if lowered.startswith("ber", at):
        for head in ("septem", "octo", "novem", "decem"):
            if lowered.startswith(head, at - len(head)):
                return at - len(head)
        return -1
    if lowered.startswith("uary", at):
        for head in ("jan", "febr"):
            if lowered.startswith(head, at - len(head)):
                return at - len(head)
        return -1
    return at


def _ordinal_word_after(lowered: str, at: int) -> bool:
    """Does the word after the month's name at ``at`` open like an ordinal ("July third", "June the 1st")?"""
    space = lowered.find(" ", at, at + 10)
    return space != -1 and lowered[space + 1 : space + 4] in P.ORDINAL_OPENERS


class _Signals:
    """Where the cheap tell-tales are (digits, weekday stems, day-words), found once per text with C-speed
    scans, so the expensive patterns only run where something can match."""

    def __init__(self, work: str, lowered: str) -> None:
        self.lowered = lowered
        digit_runs = P.ASCII_DIGIT_RUN_RE if work.isascii() else P.DIGIT_RUN_RE
        self.digits = [m.start() for m in digit_runs.finditer(work)]
        self.words = word_positions(lowered, G.SIGNAL_WORDS)
        # a month's name counts only where a day in words may stand beside it: "… of April", "July third"
        # (six scans, not ten: "-ber" and "-uary" end four months each; found at the ending, read from the start)
        self.months = [
            start
            for at in word_positions(lowered, G.MONTH_SIGNAL_STEMS)
            if (start := _month_start(lowered, at)) != -1
            and (lowered.startswith(" of ", start - 4) or _ordinal_word_after(lowered, start))
        ]

    @staticmethod
    def _between(positions: list[int], start: int, end: int) -> list[int]:
        return positions[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]

    def digits_in(self, start: int, end: int) -> list[int]:
        return self._between(self.digits, start, end)

    def words_in(self, start: int, end: int) -> bool:
        return bool(self._between(self.words, start, end))

    def months_in(self, start: int, end: int) -> list[int]:
        return self._between(self.months, start, end)

    def or_in(self, start: int, end: int) -> bool:
        """Does an "or " start in the span (it may run past its end)?  Asked only of sentences holding a date,
        so it is a scan of the sentence, not a list of every "or " ("for", "more") in the post."""
        return self.lowered.find("or ", start, end + 2) != -1


# The clock words of P.CLOCK: a sentence with no digit holds a clock only if it names one of them.
_CLOCK_WORD_RE = re.compile(r"noon|midday|midnight", re.IGNORECASE)

# How far before a sentence an "or" still offers its days as choices (the line before, in a wrapped mail).
_CHOICE_LOOKBACK = 60


def _date_matches(work: str, start: int, end: int, digits: list[int]) -> list[re.Match[str]]:
    """DATE_RE tried only at the word starts shortly before each digit: the same matches a full scan finds
    (every date holds a digit, and its words before that digit are few), at a fraction of the cost."""
    found: list[re.Match[str]] = []
    # Word starts before ``covered`` are read: inside a date found, or tried for an earlier digit, where a date
    # they open (which does not depend on the digit) ended at or before it, so before any later digit too.
    covered = start
    for digit in digits:
        if digit < covered:
            continue
        for word in P.WORD_START_RE.finditer(work, max(covered, digit - _DATE_LEAD), digit + 1):
            at = word.start()
            if at == digit:
                gate = G.DIGIT_DATE_START_RE
            elif work[at : at + 3].lower() not in P.DATE_OPENERS:
                continue
            else:
                gate = G.WORD_DATE_START_RE
            m = P.DATE_RE.match(work, at, end) if gate.match(work, at, end) else None
            if m is not None and m.end() > digit:
                found.append(m)
                covered = m.end()
                break
        else:
            covered = digit + 1
    return found


def _find(
    work: str,
    bounds: tuple[int, int],
    signals: _Signals,
    found: _Sentence,
    ctx: _Context,
    groups: Iterator[int],
    *,
    headed: bool = False,
) -> None:
    """Every date, day-word, weekday, clock and "in N minutes" in one sentence, overlaps settled.  ``headed``:
    the sentence before is a line holding only a day, whose clock this sentence may give."""
    start, end = bounds
    digits = signals.digits_in(start, end)
    has_words = signals.words_in(start, end)
    # (each word pattern below needs one of its stems in the sentence, folded as IGNORECASE matches letters)
    folded = N.fold(work[start:end]) if has_words else ""
    may_delta = has_words and any(stem in folded for stem in G.DELTA_STEMS)
    taken = _Taken()
    for m in _date_matches(work, start, end, digits):
        group = next(groups)
        items = _items_from_date(m, group, month_first=ctx.month_first)
        if items:
            taken.add(m.span())
            found.items.extend(items)
            if m.group("dmrange") and (offered := _offered_range(items[0], work, start, m.start(), group)):
                taken.add(offered.span)
                found.items.append(offered)
            if len(items) == 1 and items[0].kind == "day":
                more = _continued_days(items[0], work, end, group)
                for item in more:
                    taken.add(item.span)
                found.items.extend(more)
    if found.items and (
        work.find("w/c", start, end) != -1 or signals.lowered.find("week ", start, end) != -1
    ):
        S.weekdays_of_week_commencing(found.items, work)
    # Days offered as choices ("either Thu 30th or the following\nweekend: Sat 1st and Sun 2nd") stay apart.
    if (
        len(found.items) > 1 or any(item.kind == "range" for item in found.items)
    ) and not S.OR_WORD_RE.search(work, max(0, start - _CHOICE_LOOKBACK), end):
        found.items = S.join_weekday_span_end(_join_consecutive_days(found.items, work), work)
        for item in found.items:
            taken.add(item.span)
    if ctx.month_first and digits:
        if work.find("/", start, end) != -1:
            for span, first_day, last_day in S.numeric_day_spans(work, start, end):
                if not taken.overlaps(span):
                    taken.add(span)
                    found.items.append(
                        _Item("range", span, first=first_day, last=last_day, group=next(groups))
                    )
        for m in P.MONTH_DAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span()) and (
                P.MONTH_DAY_BEFORE_RE.search(work, max(start, m.start() - 12), m.start())
                or P.MONTH_DAY_AFTER_RE.match(work, m.end(), end)
            ):
                taken.add(m.span())
                found.items.append(_month_day_item(m, next(groups)))
    elif digits and work.find("/", start, end) != -1:
        for m in P.DAY_MONTH_RE.finditer(work, start, end):
            if taken.overlaps(m.span()) or not (
                P.DAY_MONTH_BEFORE_RE.search(work, max(start, m.start() - 16), m.start())
                or P.DAY_MONTH_AFTER_RE.match(work, m.end(), end)
            ):
                continue
            numeric_day = _day_month_item(m, next(groups))
            if numeric_day is not None:
                taken.add(m.span())
                found.items.append(numeric_day)
    if any(P.ORDINAL_NUMBER_RE.match(signals.lowered, digit) for digit in digits):
        for m in P.ORDINAL_DAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span()):
                taken.add(m.span())
                number = int(m.group("day")[:-2])
                found.items.append(
                    _Item("day", m.span(), first=_Day(number, None, None, None, True), group=next(groups))
                )
        if (
            (line := P.ORDINAL_OPENS_LINE_RE.match(work, start, end))
            and (start == 0 or work[start - 1] == "\n")
            and not taken.overlaps(line.span("day"))
            and P.MONTH_HEADING_RE.search(work, 0, start)
        ):
            # "Sept 2018" / "11th - AGM": a programme's day, in the month of the heading above (read in the passage)
            taken.add(line.span("day"))
            number = int(line.group("day")[:-2])
            found.items.append(
                _Item("day", line.span("day"), first=_Day(number, None, None, None, True), group=next(groups))
            )
        for m in (
            *P.OFFERED_DAYS_RE.finditer(work, start, end),
            *P.OFFERED_DAYS_AFTER_RE.finditer(work, start, end),
            *P.MOVED_TO_DAYS_RE.finditer(work, start, end),
        ):
            if not taken.overlaps(m.span("days")):
                taken.add(m.span("days"))
                found.items.extend(offered_days(m, ctx, next(groups), found.items, bounds))
    for month in signals.months_in(start, end) if not found.items else ():
        # "the first of April", "Wednesday July third": tried only at the few words before a month's name
        for word in P.WORD_START_RE.finditer(work, max(start, month - _WORDED_LEAD), month + 1):
            at = word.start()
            if at != month and work[at : at + 3].lower() not in P.WORDED_DATE_OPENERS:
                continue
            worded_match = P.WORDED_DATE_RE.match(work, at, end)
            if worded_match is not None and worded_match.end() > month:
                if (
                    not taken.overlaps(worded_match.span())
                    and (worded := worded_date_item(worded_match, next(groups))) is not None
                ):
                    taken.add(worded_match.span())
                    found.items.append(worded)
                break
    if has_words and any(stem in folded for stem in G.RELDAY_STEMS):
        for m in P.RELDAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span()):
                taken.add(m.span())
                found.items.append(_relday_item(m, ctx, next(groups)))
    if has_words and (
        any(stem in folded for stem in G.WEEKDAY_STEMS) or G.TWO_LETTER_WEEKDAY_RE.search(work, start, end)
    ):
        joined_until = -1
        for m in P.WEEKDAY_RE.finditer(work, start, end):
            if m.start() < joined_until:
                continue  # the second day of "this Saturday and Sunday", read with the first
            if m.group("wd") == "sun" and work.endswith("the ", max(0, m.start("wd") - 4), m.start("wd")):
                continue  # "as the sun is setting": the star, not Sunday
            if not taken.overlaps(m.span("wd")):
                weekday = _weekday_item(m, work, next(groups))
                if weekday.last is not None and weekday.recurrence is None:
                    joined_until = weekday.span[1]
                found.items.append(weekday)
    # a holiday named where no date is written ("Halloween Farmers' Market, Oct 29, 3-7pm" names the market)
    if (
        has_words
        and not found.items
        and any(signals.lowered.find(hint, start, end) != -1 for hint in ("christmas", "hallowe"))
    ):
        for m in P.HOLIDAY_DAY_RE.finditer(work, start, end):
            month, day = P.HOLIDAY_DAYS[re.sub(r"\s+", " ", m.group().lower())]
            if not taken.overlaps(m.span()):
                taken.add(m.span())
                found.items.append(
                    _Item(
                        "day",
                        m.span(),
                        first=_Day(day, month, None, None),
                        group=next(groups),
                        flags=["holiday_named"],
                    )
                )
    if not found.items:
        # Without a date a clock can only finish the sentence before ("…next Thursday? 2pm works for me.").
        if may_delta:
            found.deltas.extend(P.IN_DELTA_RE.finditer(work, start, end))
        if digits and (
            headed
            or end - start <= _LONE_CLOCK_SENTENCE
            or P.TAKES_PLACE_RE.match(work, start, end)
            or S.CLOCK_OPENS_LINE_RE.match(work, start, end)  # "2pm Carol Harris: …", a programme's line
        ):
            found.times.extend(clocks_in(work, start, end, digits))
            if len(found.times) > 1:
                # "It starts at 7pm and ends at 10pm.": a start and its end, for the day of the sentence before
                if work.find("(", start, end) != -1:
                    found.times = S.drop_restated_twins(found.times, work)
                found.times = _join_start_and_end(found.times, work)
                found.times = S.drop_setup_clocks(found.times, work, signals.lowered, start, end)
            _bare_ends(found.times, work, end)
        return
    if signals.or_in(start, end):
        for m in P.ALT_DAY_RE.finditer(work, start, end):
            if not taken.overlaps(m.span("day")):
                found.alternates.append(m)
    clocks = _Taken()
    # Every clock P.CLOCK reads holds a digit or names noon, midday or midnight: without one, the clock patterns
    # are not run over the sentence (a weekday-only sentence costs them nothing).
    may_clock = bool(digits) or _CLOCK_WORD_RE.search(work, start, end) is not None
    clock_may_start = clock_starts(work, start, end, digits) if may_clock else []
    for m in clock_matches(P.TIME_RANGE_RE, work, start, end, clock_may_start):
        time_range = _time_range(m)
        if time_range and not taken.overlaps(m.span()):
            clocks.add(m.span())
            found.times.append(time_range)
    for digit in [*digits, *_noon_words(signals.lowered, start, end)]:
        between = signals.lowered.endswith("between ", max(0, digit - 8), digit)
        if not between and all(work.find(sep, digit, digit + 8) == -1 for sep in ("-", " t", " u")):
            continue  # no dash or "to"/"till" after the hour: not a range (a cheap test before the pattern)
        bare = P.BARE_RANGE_RE.match(work, digit, end)
        if (
            bare
            and (between or bare.group("sep").lower() != "and")
            and not taken.overlaps(bare.span())
            and not clocks.overlaps(bare.span())
            and (hours := _bare_range(bare))
        ):
            clocks.add(bare.span())
            found.times.append(hours)
    if any(signals.lowered.find(hint, start, end) != -1 for hint in P.WORDED_TIME_HINTS):
        for m in P.WORDED_TIME_RE.finditer(work, start, end):
            clock = _worded_time(m)
            if clock and not taken.overlaps(m.span()) and not clocks.overlaps(m.span()):
                clocks.add(m.span())
                found.times.append(clock)
    for m in clock_matches(P.TIME_RE, work, start, end, clock_may_start):
        clock = _time_single(m)
        if clock and not taken.overlaps(m.span()) and not clocks.overlaps(m.span()):
            clocks.add(m.span())
            found.times.append(clock)
    if may_delta:
        found.deltas.extend(P.IN_DELTA_RE.finditer(work, start, end))
    if len(found.times) > 1:
        found.times = _join_start_and_end(found.times, work)
        if work.find("(", start, end) != -1:
            found.times = S.join_bracketed_range(found.times, work)
            # ("start at 1900 (7pm), go to 2200 (10pm)": a clock restated in brackets, then its end)
            found.times = _join_start_and_end(S.drop_restated_twins(found.times, work), work)
        found.times = S.drop_setup_clocks(found.times, work, signals.lowered, start, end)
    if found.times and (zone := _zone_heading_the_line(work, start, end)) is not None:
        _zone_from_row(found.times, zone)
    if found.times and any(signals.lowered.find(word, start, end) != -1 for word in (" by ", " at ")):
        _bare_ends(found.times, work, end)


# "| US / Pacific | Tue 12-Jan-2021 11:00 (11:00 AM) |": a table row whose first cell names a zone (a meeting
# template's table of the one moment in many zones) gives that zone to the row's clock
_TABLE_ZONE_CELL_RE = re.compile(r"\|[ \t]{0,3}(?P<label>[A-Za-z][A-Za-z /.]{1,28}?)[ \t]{0,20}\|")
_TABLE_ZONE_LABELS = {
    "us / pacific": "Pacific",
    "us / mountain": "Mountain",
    "us / central": "Central",
    "us / eastern": "Eastern",
    "eu / western": "Western European",
    "eu / central": "Central European",
    "eu / eastern": "Eastern European",
}


def _zone_heading_the_line(work: str, start: int, end: int) -> str | None:
    """The zone a line's first words name for its clocks: a zone or its label opening the line ("UTC: Friday 3
    May, 16:00", "| PST | …"), or a table row's first cell naming a zone or a place ("| US / Pacific | …",
    "| EU / Central | …", "| Berlin | …")."""
    row = P.ROW_ZONE_RE.match(work, work.rfind("\n", 0, start) + 1, end)
    if row is not None:
        return re.sub(r"\s*/\s*", " ", row.group("zone"))
    cell = _TABLE_ZONE_CELL_RE.match(work, start, end) if work.startswith("|", start) else None
    if cell is None:
        return None
    label = re.sub(r"\s+", " ", cell.group("label").strip().lower())
    label = _TABLE_ZONE_LABELS.get(label, label)
    return label if _place(label) is not None else None


def _zone_from_row(times: list[_Time], zone: str) -> None:
    """ "| US / Pacific | Thu 13-Jul-2017 13:00 |": the line's clocks that name no zone are in the zone heading it."""
    for t in times:
        if t.start.zone is None and (t.end is None or t.end.zone is None):
            t.start.zone = zone
            if t.end is not None:
                t.end.zone = zone


def _join_start_and_end(times: list[_Time], work: str) -> list[_Time]:
    """ "Gathering starts 18:00 UTC, closes at 19:00": one clock range, the zone written once for both."""
    times.sort(key=lambda t: t.span)
    joined: list[_Time] = []
    for found in times:
        prior = joined[-1] if joined else None
        if (
            prior is not None
            and prior.end is None
            and found.end is None
            and found.start.strong
            and (
                P.CLOCK_THEN_END_RE.fullmatch(work, prior.span[1], found.span[0])
                or (
                    P.DAY_THEN_END_RE.fullmatch(work, prior.span[1], found.span[0])
                    and not S.END_NAMES_ITS_DAY_RE.match(work, found.span[1])
                )
                or S.CLOCK_THEN_UNTIL_LINE_RE.fullmatch(work, prior.span[1], found.span[0])
            )
            and (found.start.zone is None or found.start.zone == prior.start.zone)
            and (found.start.hour, found.start.minute) > (prior.start.hour, prior.start.minute)
        ):
            found.start.zone = prior.start.zone
            joined[-1] = _Time((prior.span[0], found.span[1]), prior.start, found.start)
            continue
        joined.append(found)
    return joined


def _noon_words(lowered: str, start: int, end: int) -> list[int]:
    """Where "noon" or "midday" opens an hour range ("from noon-5"), read like the digits of a bare range."""
    found: list[int] = []
    for word in ("noon", "midday"):
        at = lowered.find(word, start, end)
        while at != -1 and len(found) < 8:
            found.append(at)
            at = lowered.find(word, at + 1, end)
    return found
