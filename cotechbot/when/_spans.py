"""Spans of days and of hours, and sessions of one day, written in the looser forms the date patterns leave
to a second look: wrapped lines, a start line then an end line, a programme under its date line, an end hour
written bare.  Patterns compiled once at import and bounded like ``_patterns``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from cotechbot.when import _patterns as P
from cotechbot.when._clauses import EVENT_RE
from cotechbot.when._clocks import _time_range, _time_single
from cotechbot.when._model import TimeMention, _Clock, _Day, _Item, _Sentence, _Time
from cotechbot.when._patterns import (
    _CLOCK_START,
    _YEAR_LEAD,
    CLOCK,
    DAY,
    MON,
    SP,
    SP0,
    STARTING_RE,
    WD,
    WEEKDAYS,
    YEAR,
    ZONE_ABBR,
)

_I = re.IGNORECASE

# "July 22nd through the 24th": the last day of a span written after a month-first date, without its month.
DAY_SPAN_CONTINUATION_RE = re.compile(
    rf"{SP}(?:through|thru|till|until|to){SP}(?:the{SP})?(?P<day>{DAY})"
    rf"(?:{_YEAR_LEAD}(?P<year>{YEAR}))?(?={SP0}(?:$|[,;?!)(]|[.:](?!\d)|(?:in|at|and|for|with)\b))",
    _I,
)
# "October 4 and October 5", "Sat 24th / Sun 25th": what may stand between two dates of one span; also
# "Saturday (April 28) and Sunday (April 29)", each date in brackets after its weekday.
SPAN_PAIR_JOIN_RE = re.compile(
    rf"\s{{0,3}}(?:and|&|/|\+)\s{{0,3}}|\)\s{{0,3}}(?:and|&)\s{{1,3}}{WD}\s{{0,3}}\(\s{{0,3}}", _I
)
# "held between 1 January and 31 March": two days bounding one stretch of time, not two days.
BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s{1,3}(?:the\s{1,3})?$", _I)
BETWEEN_AND_RE = re.compile(r"\s{1,3}and\s{1,3}(?:the\s{1,3})?", _I)
OR_WORD_RE = re.compile(r"\b(?:or|either)\b", _I)
# "Saturday and Sunday, November 2 and 3": the first of two weekdays named before a two-day span.
WEEKDAY_PAIR_BEFORE_RE = re.compile(rf"(?<![\w-])(?P<wd>{WD}){SP}(?:and|&|/){SP0}$", _I)
# "Saturday 30 January - Sunday 31": what stands between a full date and a later weekday and day of its month.
WEEKDAY_SPAN_SEP_RE = re.compile(r"[ \t]{0,3}(?:-{1,2}|to|through|thru|till|until)[ \t]{0,3}", _I)
# "Hacking begins at 2 p.m. Saturday and concludes at 2 p.m. Sunday": a moment said to begin, then one said to
# end, written right after it.
# ("begin on the evening of Wednesday August 8, and finish after lunch on Sunday, August 12": a part of the day
# or a meal may stand between the word and its day)
_PART_OF_DAY_OF = r"(?:[ \t]{1,3}(?:the[ \t]{1,3})?(?:morning|afternoon|evening|night)[ \t]{1,3}of)?"
_AROUND_A_MEAL = r"(?:[ \t]{1,3}(?:after|before)[ \t]{1,3}(?:breakfast|lunch|dinner|tea))?"
BEGINS_BEFORE_RE = re.compile(
    r"\b(?:begins?|starts?|opens?|kicks?[ \t]{1,3}off|commences?)(?:[ \t]{1,3}(?:at|on))?"
    + _PART_OF_DAY_OF
    + r"[ \t]{0,3}$",
    _I,
)
THEN_ENDS_RE = re.compile(
    r"[ \t,;]{0,3}(?:and[ \t]{1,3})?(?:(?:it|we|will)[ \t]{1,3}){0,2}"
    r"(?:(?:conclude|end|finish|close)(?:s|es)?|wraps?[ \t]{1,3}up)"
    # "and ends six days later on Saturday": how long after the start
    r"(?:[ \t]{1,3}(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})[ \t]{1,3}(?:days?|weeks?)"
    r"[ \t]{1,3}later)?" + _AROUND_A_MEAL + r"(?:[ \t]{1,3}(?:at|on|by))?" + _PART_OF_DAY_OF + r"[ \t]{0,3}",
    _I,
)
# "starts at 10am on Friday and ends at 4pm on Sunday": the end clock names a day of its own after it.
END_NAMES_ITS_DAY_RE = re.compile(
    rf"[ \t]{{0,3}},?[ \t]{{0,3}}(?:on[ \t]{{1,3}})?(?:{WD}\b|{MON}\b|(?:the[ \t]{{1,3}})?{DAY}[ \t]{{0,3}}(?:of[ \t]{{1,3}})?{MON})",
    _I,
)
# "Mon-Fri w/c 13th Jan": a range of weekdays in the week commencing (on a Monday) the date written next.
WEEKDAYS_OF_WEEK_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?P<a>{WD})\.?[ \t]{{0,2}}(?:-{{1,2}}|to|through|thru)[ \t]{{0,2}}(?P<b>{WD})\.?[ \t,]{{1,3}}"
    r"(?:w/c|(?:the[ \t]{1,3})?week[ \t]{1,3}(?:commencing|beginning|starting))[ \t]{1,3}(?:on[ \t]{1,3})?(?:the[ \t]{1,3})?$",
    _I,
)
# "We meet at 6:30pm and we are out the doors by 8", "starts 7pm, finishes at 9": an end hour written bare,
# without am/pm, after words that say it is the end.
CLOCK_THEN_BARE_END_RE = re.compile(
    r"[ \t]{0,3}[,;]?[ \t]{0,3}(?:and[ \t]{1,3})?(?:"
    r"(?:we|you|everyone|people)[ \t]{1,3}(?:are|'re|will[ \t]{1,3}be|need[ \t]{1,3}to[ \t]{1,3}be)[ \t]{1,3}"
    r"(?:out|done|finished|gone)(?:[ \t]{1,3}(?:of[ \t]{1,3})?the[ \t]{1,3}(?:doors?|building|hall|room))?[ \t]{1,3}by"
    r"|(?:(?:it|we|the[ \t]{1,3}\w+)[ \t]{1,3})?(?:will[ \t]{1,3})?(?:close[sd]?|ends?|finish(?:es)?|wraps?[ \t]{1,3}up)"
    r"[ \t]{1,3}(?:at|by|around|about))"
    r"[ \t]{1,3}(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<minute>[0-5]\d))?(?![\w:]|[ \t]{0,2}[ap]\.?m|\.\d)",
    _I,
)
# "cover Monday, June 1\nthrough Friday, June 5": a wrapped line that opens with a lowercase span word goes on;
# so does a listing's bullet line "- until 2:00 PM" under its start.
LINE_CONTINUES_RE = re.compile(r"[ \t]{0,3}(?:[-•*][ \t]{1,3})?(?:through|thru|till|until)[ \t]")
# "- January 26 @ 1:00 PM" then "- until 2:00 PM": the end clock on the next (bulleted) line.
CLOCK_THEN_UNTIL_LINE_RE = re.compile(r"[ \t,;]{0,3}\n[ \t]{0,3}(?:[-•*][ \t]{1,3})?(?:till|until)[ \t]{1,3}")
# "2pm Carol Harris: Stella Reading …": a line that opens with its clock, as a programme's lines do.
# ("1-3PM table fair": a range whose first hour leaves out am/pm opens the line too)
CLOCK_OPENS_LINE_RE = re.compile(
    rf"(?<=\n)[ \t•*-]{{0,8}}{_CLOCK_START}(?:(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?[ \t]{{0,2}}-[ \t]{{0,2}})?{CLOCK}",
    _I,
)
# "from \nFebruary \n19th to February 26th": a hard-wrapped mail splits a date between a month and its day.
MONTH_ENDS_LINE_RE = re.compile(rf"(?<![\w.])(?-i:(?=[A-Z])){MON}[ \t]{{0,3}}$", _I)
# the day ends a date: an ordinal, or punctuation or a span word after it ("March\n12 people came" is a count)
DAY_OPENS_LINE_RE = re.compile(
    r"[ \t]{0,3}(?:3[01]|[12]\d|0?[1-9])(?:(?:st|nd|rd|th)(?![a-z])|(?=[ \t]{0,3}(?:$|\n|[,;!?)]|\.(?!\d)"
    r"|-(?!\d)|(?:to|and|through|till|until|at|from)\b)))",
    _I,
)
# "From *21-25\nJuly 2026*": a hard-wrapped line that ends on a span of days goes on when the next line opens
# with a capitalised month and then its year or punctuation ("Room 21-25\nJuly was" stays apart).
DAY_SPAN_ENDS_LINE_RE = re.compile(
    r"(?<![\w.,:/#])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?[ \t]{0,2}-{1,2}[ \t]{0,2}"
    r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?[ \t*_]{0,3}$",
    _I,
)
MONTH_YEAR_OPENS_LINE_RE = re.compile(
    rf"[ \t*_]{{0,3}}(?-i:(?=[A-Z])){MON}(?:{SP}{YEAR}(?!\d)|[ \t]{{0,3}}[,.;:)*_](?!\d))", _I
)
# "06/01-02/2013" on a month-first forum: month/first day-last day/year, a span of days in that month.
NUMERIC_DAY_SPAN_RE = re.compile(
    r"(?<![\w/.:$£€#+-])(?P<month>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])-(?P<last>3[01]|[12]\d|0?[1-9])"
    r"/(?P<year>(?:19|20)\d\d)(?![\w/:%-]|[.,]\d)"
)
# "9/22-9/24", "9/29 - 10/2" (month first, no year): two month/day dates joined by a dash are one span.
MONTH_DAY_SPAN_RE = re.compile(
    r"(?<![\w/.:$£€#+-])(?P<month>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])[ \t]{0,2}-{1,2}[ \t]{0,2}"
    r"(?P<month2>1[0-2]|0?[1-9])/(?P<last>3[01]|[12]\d|0?[1-9])(?![\w/:%-]|[.,]\d)"
)
# "15. - 18. March 2012": days written with a full stop (as in German); those stops end no sentence.
DOTTED_DAY_RANGE_RE = re.compile(
    rf"(?<![\w.])(?:3[01]|[12]\d|0?[1-9])\.{SP0}-{{1,2}}{SP0}(?:3[01]|[12]\d|0?[1-9])\.{SP0}{MON}", _I
)
# "6:00 PM till 14 April 3pm": "till" after a clock starts the end of a timed span, not a deadline.
TIMED_SPAN_END_BEFORE_RE = re.compile(
    r"(?:\d|[ap]\.?m\.?|noon|midday)[ \t]{0,3}(?:until|till)[ \t]{1,3}(?:on[ \t]{1,3})?$", _I
)
# "starts on Thu, 6th March and ends on Mon, 10th March": the day said to end what was just said to start is the
# event's last day, not a deadline.
STARTED_THEN_ENDS_BEFORE_RE = re.compile(
    r"\b(?:begins?|starts?|kicks?[ \t]{1,3}off|commences?)(?:[ \t]{1,3}(?:at|on))?[ \t][^.!?\n]{1,40}?[ \t,;]{0,3}"
    r"and[ \t]{1,3}(?:it[ \t]{1,3})?(?:will[ \t]{1,3})?(?:conclude|end|finish)(?:s|es)?(?:[ \t]{1,3}on)?[ \t]{0,3}$",
    _I,
)
# "between 19:00 (07:00 pm) and 20:00 (08:00 pm) UTC": each end restated in brackets, then the range's word.
BRACKETED_RANGE_JOIN_RE = re.compile(
    r"[ \t]{0,3}\((?P<restated>[^()\n]{1,24})\)[ \t]{0,3}(?P<sep>-{1,2}|to|till|until|and)[ \t]{0,3}", _I
)
BETWEEN_BEFORE_RE = re.compile(r"\bbetween[ \t]{1,3}$", _I)
RESTATED_TAIL_RE = re.compile(
    rf"[ \t]{{0,3}}\([^()\n]{{1,24}}\)(?:[ \t]{{0,3}}(?P<zone>{ZONE_ABBR})(?![A-Za-z]))?"
)
# Between two sessions' clocks on one day: "and" then something named ("and a Midnight Communion is starting
# at", ") and 197 Plan Task Force (").
SESSION_JOIN_RE = re.compile(
    r"\band[ \t]{1,3}(?:an?[ \t]{1,3}|the[ \t]{1,3})?(?:[A-Za-z]{2,}|\d{1,4}[ \t]{1,3}(?![ap]\.?m\b|hrs?\b)[A-Za-z]{2,})",
    _I,
)


def join_starts_to_ends(
    results: list[TimeMention], text: str, belong: Callable[[TimeMention, TimeMention], bool]
) -> list[TimeMention]:
    """Each open mention followed by an open one of the same kind that ``belong`` says is its end becomes one
    span from the first to the second."""
    joined: list[TimeMention] = []
    for mention in results:
        prior = joined[-1] if joined else None
        if (
            prior is not None
            and prior.end is None
            and mention.end is None
            and prior.all_day == mention.all_day
            and belong(prior, mention)
        ):
            joined[-1] = replace(
                prior,
                end=mention.start,
                span=(prior.span[0], mention.span[1]),
                text=text[prior.span[0] : mention.span[1]],
                flags=tuple(dict.fromkeys(prior.flags + mention.flags)),
            )
            continue
        joined.append(mention)
    return joined


def join_begins_and_ends(results: list[TimeMention], text: str, work: str) -> list[TimeMention]:
    """ "Hacking officially begins at 2 p.m. Saturday and concludes at 2 p.m. Sunday": a timed moment said to
    begin and a later one said to end right after it are one span (of at most a fortnight); so are two days
    ("starts on Thu, 6th March and ends on Mon, 10th March")."""
    return join_starts_to_ends(
        results,
        text,
        lambda prior, mention: (
            0 < _days_between(prior.start, mention.start) < 14 + 1
            and THEN_ENDS_RE.fullmatch(work, prior.span[1], mention.span[0]) is not None
            and BEGINS_BEFORE_RE.search(work, max(0, prior.span[0] - 40), prior.span[0]) is not None
        ),
    )


def join_labelled_start_and_end(results: list[TimeMention], text: str, work: str) -> list[TimeMention]:
    """ "Start date / time" / "Friday 23 July 2021, 10:00am" / "End date / time" / "Sunday 25 July 2021,
    12:00pm": an event page's two labelled moments are one span from the first to the second."""
    return join_starts_to_ends(
        results,
        text,
        lambda prior, mention: (
            mention.start > prior.start
            and (
                P.START_LABEL_RE.search(work, max(0, prior.span[0] - 40), prior.span[0]) is not None
                and P.END_LABEL_RE.fullmatch(work, prior.span[1], mention.span[0]) is not None
                or _start_line_then_end_line(prior, mention, work)
            )
        ),
    )


# "happening tomorrow! (Apr 13-14)": a bracket opening right after a day, restating it.
RESTATED_IN_BRACKETS_RE = re.compile(r"[ \t!.,:;-]{0,4}\([ \t]{0,2}")


def day_restated_as_span_once(results: list[TimeMention], work: str) -> list[TimeMention]:
    """ "5C Hackathon happening tomorrow! (Apr 13-14)": a day followed by a bracketed span starting that day is
    the span restated, one mention."""
    kept: list[TimeMention] = []
    for i, mention in enumerate(results):
        following = results[i + 1] if i + 1 < len(results) else None
        if not (
            following is not None
            and mention.all_day
            and mention.end is None
            and following.all_day
            and following.end is not None
            and following.start == mention.start
            and RESTATED_IN_BRACKETS_RE.fullmatch(work, mention.span[1], following.span[0])
        ):
            kept.append(mention)
    return kept


def _days_between(first: date, second: date) -> int:
    """Whole days from one moment to the next; 0 when one is timed and the other a whole day."""
    if isinstance(first, datetime) != isinstance(second, datetime):
        return 0
    return (second - first).days


def _start_line_then_end_line(prior: TimeMention, mention: TimeMention, work: str) -> bool:
    """ "2011-04-28 19:00" / "2011-04-28 21:00": two lines holding nothing but one day's date and a clock
    each are that day's start and end."""
    return (
        isinstance(prior.start, datetime)
        and isinstance(mention.start, datetime)
        and prior.start.date() == mention.start.date()
        and work[prior.span[1] : mention.span[0]].strip(" \t") == "\n"
        and not work[work.rfind("\n", 0, prior.span[0]) + 1 : prior.span[0]].strip()
        and not work[mention.span[1] : _line_end(work, mention.span[1])].strip()
    )


def _line_end(work: str, at: int) -> int:
    end = work.find("\n", at)
    return len(work) if end == -1 else end


_PROGRAMME_GAP = 6  # the most blank space between a programme's lines (a blank line, its spaces)


# "👀 [8:00 am](…)", "| 12:00 – 15:30 | Lunch |": marks a programme line may open with before its clock
_SESSION_LINE_MARKS = " \t•*-|[>"


def _session_line_opening(before: str) -> bool:
    """What stands on a programme's line before its clock: nothing but marks (bullets, a table's bar, a
    link's bracket, an emoji), or a session's title in its own table cell ("Welcome - Kickoff | 11 AM CT")."""
    rest = before.strip(_SESSION_LINE_MARKS)
    if not rest or all(ord(c) > 0x2000 or c in _SESSION_LINE_MARKS for c in rest):
        return True
    return before.rstrip(" \t").endswith("|") and not any(c.isdigit() for c in before)


_DAY_DESCRIPTION = 400  # the most prose between a programme's date line and its first session


def _describes_the_day(work: str, start: int, end: int) -> bool:
    """Prose between a date line and its programme: one paragraph (no blank line) with no digit in it."""
    return (
        end - start <= _DAY_DESCRIPTION
        and "\n\n" not in work[start:end].strip("\n")
        and not any(c.isdigit() for c in work[start:end])
    )


def _sessions_under_a_date_line(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """ "Monday, 2 November" then "1.30pm AGM", "2pm Talk" on the lines below: a programme under its date line,
    each line that opens with a clock (and names no date) a session on that day."""
    for at, (_, bounds, found) in enumerate(read):
        if (
            found.times
            or len(found.items) != 1
            or found.items[0].kind != "day"
            or not (bounds[0] == 0 or work[bounds[0] - 1] == "\n")
            or work[bounds[1] - 1 : bounds[1]] != "\n"
        ):
            continue
        sessions: list[_Sentence] = []
        last_end = bounds[1]
        for _, next_bounds, following in read[at + 1 :]:
            if (
                not sessions
                and not following.items
                and not following.times
                and _describes_the_day(work, last_end, next_bounds[1])
            ):
                # "Friday, September 9th" / "Meet up with friends … Member Meeting." / "10 AM registration opens"
                last_end = next_bounds[1]
                continue
            # the programme's lines follow one another, or are set apart by a blank line each
            # ("Sunday, 16 November" / "" / "9:00 AM - 9:30 AM Coffee" / "" / "9:30 AM - 12:45 PM AGM")
            adjacent = (
                next_bounds[0] - last_end <= _PROGRAMME_GAP and not work[last_end : next_bounds[0]].strip()
            )
            if (
                not (
                    adjacent
                    or not sessions
                    and work[next_bounds[0] - 1] == "\n"
                    and _describes_the_day(work, last_end, next_bounds[0])
                )
                or following.items
                or not following.times
                or not following.times[0].start.strong
                or not _session_line_opening(work[next_bounds[0] : following.times[0].span[0]])
            ):
                break
            last_end = next_bounds[1]
            if _PROGRAMME_END_LINE_RE.match(work, following.times[0].span[1], next_bounds[1]):
                following.times.clear()  # "12:30pm Hacking ends", "12:10 PM Cut off hacking": a close, not a session
                continue
            sessions.append(following)
        if len(sessions) < 2:
            continue  # one clock below is carried up by _carry_lone_clocks
        if _one_moment_in_zones(sessions, work):
            # "AUGUST 18, 2022" / "1:00 PM US/Eastern" / "10:00 AM US/Pacific" / "17:00 GMT": one moment in
            # several zones (checked to agree), not a programme
            zoned = [following.times[0] for following in sessions if following.times[0].start.zone]
            zoned[0].equivalents.extend(zoned[1:])
            found.times.append(zoned[0])
            for following in sessions:
                following.times.clear()
            continue
        for following in sessions:
            following.items.append(found.items[0].at_clock(following.times[0]))
        found.items.clear()  # the date line is the programme's heading, not an all-day event besides it


def _one_moment_in_zones(sessions: list[_Sentence], work: str) -> bool:
    """Lines under a date that are mostly a lone clock and its zone, each zone different: the date's one moment
    written for several places (a line whose clock names no zone, "03:00 [next day] …", rides along)."""
    zones: set[str] = set()
    for following in sessions:
        clock = following.times[0]
        if clock.start.zone is None:
            continue
        line_end = _line_end(work, clock.span[1])
        if len(following.times) > 1 or clock.start.zone in zones or work[clock.span[1] : line_end].strip():
            return False
        zones.add(clock.start.zone)
    return len(zones) >= 2 and 2 * len(zones) > len(sessions)


# A programme line saying something stops ("Hacking ends", "Cut off hacking and build", "Registration closes").
_PROGRAMME_END_LINE_RE = re.compile(
    r"[ \t:.-]*(?:(?:[A-Za-z]+[ \t]){0,2}(?:ends|closes)\b|(?:cut[ \t-]?off|end[ \t]of|deadline)\b)", _I
)


# "Fridays 4-5 PM CEST": a weekly slot, its weekday written in the plural right before its clock.
WEEKLY_SLOT_RE = re.compile(
    r"\b(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]{0,5}days[ \t]{1,3}(?:(?:at|from)[ \t]{1,3})?(?=\d)", _I
)
# A sentence that says its dated day follows the slot ("will switch to the new schedule, on Friday October 17").
# (or names the slot's next one: "on Mondays 8am PST. Next one is Monday Aug 31st")
ON_THE_SLOT_RE = re.compile(
    r"\b(?:schedule|(?:usual|same|regular|new)\s(?:time|slot)|next\s(?:one|meeting|call|session))\b", _I
)


def _weekly_slot_hours_for_dated_days(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """ "The chosen schedule is Fridays 4-5 PM CEST … the meeting will switch to the new schedule on Friday
    October 17": a later sentence that speaks of the schedule and gives no clock, naming a date with the slot's
    weekday, means the slot's hours on that date."""
    slots: dict[int, _Time] = {}
    for _, bounds, found in read:
        if slots and not found.times and ON_THE_SLOT_RE.search(work, bounds[0], bounds[1]):
            for item in found.items:
                if item.kind == "day" and item.first is not None and item.first.weekday in slots:
                    item.time = slots[item.first.weekday]
                    item.flags.append("time_from_weekly_slot")
        for slot in WEEKLY_SLOT_RE.finditer(work, bounds[0], bounds[1]):
            hours = (m := P.TIME_RANGE_RE.match(work, slot.end(), bounds[1])) and _time_range(m)
            clock = hours or ((m := P.TIME_RE.match(work, slot.end(), bounds[1])) and _time_single(m))
            if clock and clock.start.strong:
                slots[WEEKDAYS[slot.group("wd").lower()]] = clock


def _bare_ends(times: list[_Time], work: str, end: int) -> None:
    """ "We meet at 6:30pm and we are out the doors by 8": a clock's end hour written bare after words that
    say so is the first such hour after the start (within twelve hours)."""
    for found in times:
        if found.end is not None or not found.start.strong or not found.start.meridiem_known:
            continue
        m = CLOCK_THEN_BARE_END_RE.match(work, found.span[1], end)
        if m is None:
            continue
        start = found.start.hour * 60 + found.start.minute
        hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
        after = [
            h * 60 + minute for h in (hour % 12, hour % 12 + 12) if 0 < h * 60 + minute - start <= 12 * 60
        ]
        if after:
            finish = min(after)
            found.end = _Clock(finish // 60, finish % 60, True, strong=True, zone=found.start.zone)
            found.span = (found.span[0], m.end())


def more_sessions(items: list[_Item], times: list[_Time], work: str) -> list[_Item]:
    """ "a service at 6.30pm on Monday, December 24 and a Midnight Communion at 11.30pm", "X (6:30 p.m.) and
    Y (7 p.m.), Wed., April 16": with one date in the sentence and its clock given, a clear clock left over,
    joined to it by "and" and a named thing and in time order, is another session that day."""
    dated = [i for i in items if i.kind in ("day", "relday") and i.time is not None and i.time_adjacent]
    if len(dated) != 1 or len({i.group for i in items}) != 1:
        return []
    item = dated[0]
    clock = item.time
    assert clock is not None
    made: list[_Item] = []
    for other in times:
        if (
            other.claimed
            or not other.start.strong
            or other.end is not None
            or other.start.zone != clock.start.zone
        ):
            continue
        later = other.span[0] > clock.span[1]
        gap = work[clock.span[1] : other.span[0]] if later else work[other.span[1] : clock.span[0]]
        moment, known = (other.start.hour, other.start.minute), (clock.start.hour, clock.start.minute)
        joined = SESSION_JOIN_RE.search(gap)
        if (moment > known) != later or moment == known or joined is None:
            continue
        # the clause after "and" names a gathering or its start, or the clock sits in brackets after a name
        # ("Task Force (7 p.m.)"); "and the recording will be up at 5pm" is no session
        if not (
            EVENT_RE.search(gap, joined.start())
            or STARTING_RE.search(gap, joined.start())
            or work[other.span[0] - 1 : other.span[0]] == "("
        ):
            continue
        other.claimed = True
        made.append(replace(item, time=other, flags=list(item.flags), span=item.span))
    if not made:
        bare = _bare_hour_after(clock, work)
        if bare is not None:
            made.append(replace(item, time=bare, flags=list(item.flags), span=item.span))
    return made


# "a supper at 6 p.m. and a meeting at 7": right after a clear clock, "and" a named thing "at" an hour with no
# am or pm (and no minutes or other digits after it)
_BARE_HOUR_AFTER_RE = re.compile(
    r"[ \t]{0,3}(?P<glue>and[ \t]{1,3}(?:an?[ \t]{1,3}|the[ \t]{1,3}|our[ \t]{1,3})?[A-Za-z]{3,}(?:[ \t]{1,3}[A-Za-z]{3,})?)"
    r"[ \t]{1,3}at[ \t]{1,3}(?P<hour>1[01]|[1-9])(?!\d|[:.]\d|[ \t]{0,2}(?:[ap]\.?m|o'clock|h\b))",
    re.IGNORECASE,
)


def _bare_hour_after(clock: _Time, work: str) -> _Time | None:
    """ "a supper at 6 p.m. and a meeting at 7": an hour with no am or pm said "at" for a named gathering joined
    by "and" right after a clear afternoon or evening clock of the day is a later session that afternoon or
    evening."""
    start = clock.start
    if clock.end is not None or not start.meridiem_known or not 12 <= start.hour < 22:
        return None
    window = work[clock.span[1] : clock.span[1] + 50]
    if " at " not in window:
        return None
    m = _BARE_HOUR_AFTER_RE.match(window)
    if m is None or not EVENT_RE.search(m.group("glue")):
        return None
    hour = int(m.group("hour")) + 12
    if hour <= start.hour:
        return None
    at = clock.span[1]
    return _Time((at + m.start("hour"), at + m.end("hour")), _Clock(hour, 0, True, zone=start.zone), None)


# Between two clocks of one day's sessions: "and" then a named thing, or a ";" (a list of the day's doings).
_SESSIONS_GLUE_RE = re.compile(
    r";|\band[ \t]{1,3}(?:an?[ \t]{1,3}|the[ \t]{1,3})?[A-Za-z]{2,}"
    # "a study tour from 1-5pm followed by a public meeting from 6-8pm": the next session named after it
    r"|\bfollowed[ \t]{1,3}by[ \t]{1,3}(?:an?[ \t]{1,3}|the[ \t]{1,3})?[A-Za-z]{2,}"
    # "… at 11:30 am, march across the bridge starting at 1 pm, and …": a comma and a new doing
    r"|,[ \t]{1,3}(?-i:[a-z]{3,})[ \t]{1,3}(?-i:[a-z]{2,})",
    re.IGNORECASE,
)
# …but a clock said to end, close or send people home is the day's end, not a session.
_SESSION_ENDS_RE = re.compile(
    r"\b(?:ends?|ending|finish|finishes|finishing|close[sd]?|closing|until|till|wraps?|wrapping|done|over|leave|home"
    r"|break|lunch)\b",
    re.IGNORECASE,
)
_DAY_SESSIONS_REACH = 160  # how far from the date the last of its sessions' clocks may stand


def clocks_are_sessions(times: list[_Time], work: str) -> bool:
    """Two to four clear clocks in one zone, each after the last in time and set apart from it by "and" and a
    named thing or by a ";" (and no word of ending): the sessions of one day."""
    return 2 <= len(times) <= 4 and _sessions_in_order(times, work, may_meet_range_end=False)


def _sessions_in_order(times: list[_Time], work: str, *, may_meet_range_end: bool) -> bool:
    """Clear clocks no one has claimed, in one zone, each after the last in time (with ``may_meet_range_end``, one
    may start where the range before it ends) and set apart from it by "and" and a named thing or by a ";", with
    no word of ending between them."""
    if any(t.claimed or not t.start.strong for t in times):
        return False
    zone = times[0].start.zone
    for prior, found in zip(times, times[1:], strict=False):
        gap = work[prior.span[1] : found.span[0]]
        prior_last = prior.end or prior.start
        starts, last = (found.start.hour, found.start.minute), (prior_last.hour, prior_last.minute)
        if (
            found.start.zone != zone
            or starts < last
            or (starts == last and not (may_meet_range_end and prior.end is not None))
            or not _SESSIONS_GLUE_RE.search(gap)
            or _SESSION_ENDS_RE.search(gap)
        ):
            return False
    return True


def sessions_of_a_dated_day(items: list[_Item], times: list[_Time], work: str) -> list[_Item]:
    """ "Sunday, June 26: Pancake Breakfast starts at 9 a.m.; 3-5 p.m. Meat Draw": one date written first and
    given no clock, then two or more clear clocks in time order, each after the last and set apart by "and" and a
    named thing or by a ";", are the sessions of that day."""
    if len(items) != 1 or len(times) < 2 or len(times) > 4:
        return []
    item = items[0]
    if item.kind not in ("day", "relday") or item.time is not None or item.recurrence is not None:
        return []
    if times[-1].span[1] - item.span[1] > _DAY_SESSIONS_REACH or times[0].span[0] < item.span[1]:
        return []
    if not _sessions_in_order(times, work, may_meet_range_end=True):
        return []
    for found in times:
        found.claimed = True
    item.time = times[0]
    return [replace(item, time=found, flags=list(item.flags), span=item.span) for found in times[1:]]


def quoted_options(times: list[_Time], first: int, gap: str, work: str) -> bool:
    """'Friday 7th options: "10am UTC" "2pm UTC"': the day's clocks are quoted one after another, as a poll's
    options are; the quote must close right after the first and open the next."""
    return (
        P.QUOTED_OPTIONS_GLUE_RE.fullmatch(gap) is not None
        and first + 1 < len(times)
        and P.QUOTED_OPTION_JOINT_RE.fullmatch(work, times[first].span[1], times[first + 1].span[0])
        is not None
    )


def join_bracketed_range(times: list[_Time], work: str) -> list[_Time]:
    """ "between 19:00 (07:00 pm) and 20:00 (08:00 pm) UTC": two clocks each restated in brackets are one range;
    the restatements are part of it, and a zone written after the last bracket is the range's."""
    for at, found in enumerate(times[:-1]):
        joint = BRACKETED_RANGE_JOIN_RE.match(work, found.span[1])
        if found.end is not None or joint is None or not joint.group("restated").lstrip()[:1].isdigit():
            continue
        if joint.group("sep").lower() == "and" and not BETWEEN_BEFORE_RE.search(
            work, max(0, found.span[0] - 10), found.span[0]
        ):
            continue
        last = next((t for t in times[at + 1 :] if t.span[0] >= joint.end()), None)
        if last is None or last.span[0] != joint.end() or last.end is not None:
            continue
        if (last.start.hour, last.start.minute) <= (found.start.hour, found.start.minute):
            continue
        tail = RESTATED_TAIL_RE.match(work, last.span[1])
        end_at = tail.end() if tail else last.span[1]
        zone = tail.group("zone") if tail and tail.group("zone") else last.start.zone or found.start.zone
        found.start.zone = last.start.zone = zone
        joined = _Time((found.span[0], end_at), found.start, last.start)
        return sorted(
            [t for t in times if t.span[1] <= found.span[0] or t.span[0] >= end_at] + [joined],
            key=lambda t: t.span,
        )
    return times


def join_weekday_span_end(items: list[_Item], work: str) -> list[_Item]:
    """ "Saturday 30 January - Sunday 31", "from Saturday 5th April to Saturday 12th": a full date, a dash or "to"
    and a weekday with a later day of the month, up to two weeks on (its weekday as many days on as the day),
    end a span in that month."""
    joined: list[_Item] = []
    for item in items:
        prior = joined[-1] if joined else None
        a, b = (prior.first if prior else None), item.first
        if (
            prior is not None
            and a is not None
            and b is not None
            and prior.kind == item.kind == "day"
            and a.month is not None
            and b.month is None
            and a.weekday is not None
            and b.weekday is not None
            and 0 < b.day - a.day <= 13
            and (a.weekday + b.day - a.day) % 7 == b.weekday
            and WEEKDAY_SPAN_SEP_RE.fullmatch(work, prior.span[1], item.span[0])
        ):
            prior.kind, prior.span = "range", (prior.span[0], item.span[1])
            prior.last = _Day(b.day, a.month, a.year, b.weekday, b.ordinal)
            continue
        joined.append(item)
    return joined


def numeric_day_spans(work: str, start: int, end: int) -> list[tuple[tuple[int, int], _Day, _Day]]:
    """ "take place 06/01-02/2013", "9/22-9/24" (month first): the days from the first to the last."""
    spans = []
    for m in NUMERIC_DAY_SPAN_RE.finditer(work, start, end):
        month, first, last, year = (int(m.group(g)) for g in ("month", "day", "last", "year"))
        if last > first:
            spans.append((m.span(), _Day(first, month, year, None), _Day(last, month, year, None)))
    for m in MONTH_DAY_SPAN_RE.finditer(work, start, end):
        month, first, month2, last = (int(m.group(g)) for g in ("month", "day", "month2", "last"))
        # the same month, or on into the next (not across a new year, which the year-less days cannot say)
        if (month2 == month and last > first) or month2 == month + 1:
            spans.append((m.span(), _Day(first, month, None, None), _Day(last, month2, None, None)))
    return spans


def weekdays_of_week_commencing(items: list[_Item], work: str) -> None:
    """ "Mon-Fri w/c 13th Jan": the weekdays named, counted from the Monday the week commences on, are one
    span of days (read only where the span stays inside the month whatever its length)."""
    for item in items:
        first = item.first
        if item.kind != "day" or first is None or first.month is None or first.weekday not in (None, 0):
            continue
        m = WEEKDAYS_OF_WEEK_BEFORE_RE.search(work, max(0, item.span[0] - 48), item.span[0])
        if m is None:
            continue
        a, b = WEEKDAYS[m.group("a")[:3].lower()], WEEKDAYS[m.group("b")[:3].lower()]
        if not a < b or first.day + b > 28:
            continue
        item.kind, item.span = "range", (m.start(), item.span[1])
        item.first = _Day(first.day + a, first.month, first.year, a, False)
        item.last = _Day(first.day + b, first.month, first.year, b, False)


_TWIN_OPEN_RE = re.compile(r"[ \t]{0,2}\([ \t]{0,2}")
_TWIN_CLOSE_RE = re.compile(r"[ \t]{0,2}\)")
# "1900 (7pm)": a four-digit 24 h clock, read only because its twin in brackets says it is one.
_HHMM_BEFORE_TWIN_RE = re.compile(r"(?<![\w.:/-])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)[ \t]{0,2}\([ \t]{0,2}$")


def drop_restated_twins(times: list[_Time], work: str) -> list[_Time]:
    """ "start at 19:00 (7pm)", "1900 (7pm)", "7pm (19:00)": one clock restated in brackets is one clock, its
    span taking in the brackets (so what follows the brackets follows the clock)."""
    times.sort(key=lambda t: t.span)
    kept: list[_Time] = []
    for found in times:
        close = _TWIN_CLOSE_RE.match(work, found.span[1]) if found.end is None else None
        if close is None:
            kept.append(found)
            continue
        moment = (found.start.hour, found.start.minute)
        prior = kept[-1] if kept else None
        if (
            prior is not None
            and prior.end is None
            and _TWIN_OPEN_RE.fullmatch(work, prior.span[1], found.span[0])
            and (prior.start.hour, prior.start.minute) == moment
            and found.start.meridiem_known
            and (prior.start.zone is None or found.start.zone is None or prior.start.zone == found.start.zone)
        ):
            prior.start.meridiem_known = True
            prior.start.strong = True
            prior.start.zone = prior.start.zone or found.start.zone
            kept[-1] = replace(prior, span=(prior.span[0], close.end()))
            continue
        lead = _HHMM_BEFORE_TWIN_RE.search(work, max(0, found.span[0] - 10), found.span[0])
        if lead and (int(lead.group("h")), int(lead.group("m"))) == moment and found.start.meridiem_known:
            found = replace(found, span=(lead.start(), close.end()))
        kept.append(found)
    return kept


_SETUP_HINTS = ("set", "check", "registration", "doors")
# How far before a clock the words for getting ready ("setting up any time from", "check in starts at") are looked for.
_SETUP_REACH = 40


def for_setting_up(work: str, clock: _Time, floor: int) -> bool:
    """Is ``clock`` one for setting up, checking in or opening the doors (said just before it, not before
    ``floor``)?"""
    return P.SETUP_BEFORE_RE.search(work, max(floor, clock.span[0] - _SETUP_REACH), clock.span[0]) is not None


def drop_setup_clocks(times: list[_Time], work: str, lowered: str, start: int, end: int) -> list[_Time]:
    """ "2 – 6pm so setting up any time from midday", "6pm to 6pm (check in starts at 5:30pm)": beside the
    gathering's own clock, a clock for setting up or checking in is not the gathering's."""
    if len(times) < 2 or not any(lowered.find(hint, start, end) != -1 for hint in _SETUP_HINTS):
        return times
    setup = [t for t in times if for_setting_up(work, t, start)]
    if not setup or len(setup) == len(times):
        return times
    return [t for t in times if all(t is not s for s in setup)]
