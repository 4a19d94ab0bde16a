"""What one sentence gives the sentences around it, once every sentence of a post has been found: a month heading
its days, a lone clock finishing the sentence before, a clock a few sentences after a post's one named day, a
series' clock for the day it starts; and the day line heading the sentence under it."""

from __future__ import annotations

import bisect
import copy
import itertools
import re
from collections.abc import Iterator
from dataclasses import replace

from cotechbot.when import _patterns as P
from cotechbot.when import _spans as S
from cotechbot.when._calendar import _resolve_day
from cotechbot.when._clauses import EVENT_RE, clause_tense
from cotechbot.when._clocks import clocks_in
from cotechbot.when._model import (
    _LONE_CLOCK_SENTENCE,
    _NAMED_WEEKDAY,
    _blanked,
    _Context,
    _Day,
    _Item,
    _Sentence,
    _Time,
)
from cotechbot.when._sentences import _chain_equivalent_clocks


def _months_from_headings(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """Day-only items ("Thu 8th - 12-1pm") under a month heading ("Sessions in March:") are in that month."""
    partial = [
        item
        for _, _, found in read
        for item in found.items
        if item.kind == "day" and item.first is not None and item.first.month is None
    ]
    if not partial:
        return
    headings = [(m.start(), m) for m in P.MONTH_HEADING_RE.finditer(work)]
    if not headings:
        return
    at = [start for start, _ in headings]
    for item in partial:
        i = bisect.bisect_right(at, item.span[0]) - 1
        if i < 0:
            continue
        heading = headings[i][1]
        assert item.first is not None
        item.first.month = P.month_number(heading.group("mon"))
        if heading.group("year"):
            item.first.year = int(heading.group("year"))
        item.flags.append("month_from_heading")


_HEADING_DAY_LINE = 60  # "Saturday, 14th of September 2024" with room to spare


def _carry_lone_clocks(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """ "Same time next Thursday? 2pm works for me.": a short sentence holding only a clock finishes the
    sentence before it, when that one named a day but no time; a "Rain date: …" line it finishes shares its
    hours with the date line right above it."""
    for at, ((index, bounds, found), (next_index, next_bounds, following)) in enumerate(
        zip(read, read[1:], strict=False)
    ):
        if found.items and found.times and following.times and not following.items:
            _gathering_after_setup(found, read[at + 1], index, bounds, work)
        heading = _heads(work, bounds, found, next_bounds)
        clocks = following.times
        if heading and clocks and clocks[0].start.zone:
            # "4pm EDT 1pm PDT / 9pm BST / 6am +1 AEST": the clocks in zones we know are the moment
            zoned = len(list(itertools.takewhile(lambda t: t.start.zone is not None, clocks)))
            clocks = clocks[:zoned]
        if (
            # the next sentence, or the one after a blank one (". \n" ends a sentence twice)
            (next_index == index + 1 or heading or not work[bounds[1] : next_bounds[0]].strip())
            and found.items
            and not found.times
            and not following.items
            and clocks
            # one clock, or one moment in several zones ("6am Colorado, 9pm Tokyo, 12noon UTC")
            and (len(clocks) == 1 or all(t.start.zone for t in clocks))
            # "Sunday July 28th. 12.00. Fete.": a sentence that is only a clock is one, dotted or not
            and (clocks[0].start.strong or P.CLOCK_ALONE_RE.fullmatch(work, next_bounds[0], next_bounds[1]))
            and (
                heading
                or (
                    (
                        next_bounds[1] - next_bounds[0] <= _LONE_CLOCK_SENTENCE
                        or P.TAKES_PLACE_RE.match(work, next_bounds[0], next_bounds[1])
                    )
                    and "\n\n" not in work[bounds[1] - 1 : next_bounds[0] + 1]
                )
            )
        ):
            for clock in clocks:
                clock.start.strong = True  # it is the day's clock now, however it was written
            carried = list(clocks)
            found.times.extend(carried)
            following.times.clear()
            if at + 2 < len(read):
                # "Date: Thursday, February 29" / "Check-in: 5:00pm" / "Time: 5:30pm - 7:30pm": the clock carried
                # was for checking in; the line after it gives the gathering's own
                _gathering_after_setup(found, read[at + 2], next_index, next_bounds, work)
            if at and _RAIN_DATE_RE.match(work, bounds[0], bounds[1]):
                _, above_bounds, above = read[at - 1]
                if (
                    above.items
                    and not above.times
                    and work.count("\n", above_bounds[1] - 1, bounds[0] + 1) == 1
                    and all(item.kind == "day" for item in above.items)
                ):
                    above.times.extend(replace(clock) for clock in carried)


_TITLE_LINES_UNDER_DAY = 2  # "31st January" / "Saturday Workshop with" / "Janet Clare" / "10am - 4pm"
_TITLE_LINE = 60  # the longest title line between a programme's day line and its clock line
_NO_DIGIT_LINE_RE = re.compile(r"[^\d\n]{1,60}\n")


def _clock_under_a_titled_day(
    read: list[tuple[int, tuple[int, int], _Sentence]], work: str, ctx: _Context
) -> None:
    """ "14th March" / "Saturday Sewing Day" / "10 a.m. - 4 p.m.": in a programme, a line that is only a date,
    then a line or two giving the item's title (which may open with the date's own weekday), then a line that
    is only a clock: the clock is the dated day's."""
    for k, (_, bounds, found) in enumerate(read):
        if (
            len(found.items) != 1
            or found.times
            or found.exact
            or found.deltas
            or found.items[0].kind != "day"
            or found.items[0].first is None
            or found.items[0].first.month is None
            or work[bounds[1] - 1 : bounds[1]] != "\n"
            or bounds[1] - bounds[0] > _HEADING_DAY_LINE
            or work[bounds[0] : found.items[0].span[0]].strip(P.LINE_MARKS)
            or work[found.items[0].span[1] : bounds[1]].strip(" \t\n*_:,.")
        ):
            continue
        day = found.items[0].first
        # the title lines: not read at all (no digit, no day) or read as one weekday opening the line that the
        # date falls on ("Saturday Sewing Day"); then the clock line
        at, restated = bounds[1], None
        lines = 0
        for _, next_bounds, following in read[k + 1 :]:
            while lines <= _TITLE_LINES_UNDER_DAY and at < next_bounds[0]:
                m = _NO_DIGIT_LINE_RE.match(work, at, next_bounds[0])
                if m is None or not m.group().strip():
                    break
                at, lines = m.end(), lines + 1
            if at != next_bounds[0] or lines > _TITLE_LINES_UNDER_DAY:
                break
            if (
                restated is None
                and len(following.items) == 1
                and not following.times
                and following.items[0].kind == "weekday"
                and following.items[0].weekday_mod is None
                and following.items[0].recurrence is None
                and following.items[0].first is not None
                and not work[next_bounds[0] : following.items[0].span[0]].strip(P.LINE_MARKS)
                and work[next_bounds[1] - 1 : next_bounds[1]] == "\n"
                and next_bounds[1] - next_bounds[0] <= _TITLE_LINE
            ):
                resolved = _resolve_day(replace(day), ctx, False, [])
                if resolved is None or resolved.weekday() != following.items[0].first.weekday:
                    break
                restated = following
                at, lines = next_bounds[1], lines + 1
                continue
            clocks = following.times
            if (
                lines
                and not following.items
                and not following.exact
                and len(clocks) == 1
                and clocks[0].start.strong
                and not work[next_bounds[0] : clocks[0].span[0]].strip()
                and not work[clocks[0].span[1] : next_bounds[1]].strip(" \t\n.")
            ):
                if restated is not None:
                    restated.items.clear()
                    day.weekday = day.weekday if day.weekday is not None else _resolved_weekday(day, ctx)
                found.times.extend(clocks)
                following.times.clear()
            break


def _resolved_weekday(day: _Day, ctx: _Context) -> int | None:
    resolved = _resolve_day(replace(day), ctx, False, [])
    return None if resolved is None else resolved.weekday()


_SESSION_LINE = 40  # "Rehearsal 2.30-5.30", "Concert 6.30 p.m." with room to spare
# A line that is only a gathering named and its clock: "Rehearsal 2.30-5.30", "Concert 6.30 p.m.".
_GATHERING_THEN_CLOCK_RE = re.compile(r"[ \t*•-]{0,4}(?:[A-Z][a-z]{2,20}[ \t]{1,3}){1,2}$")


def _session_line_under_a_dated_line(
    read: list[tuple[int, tuple[int, int], _Sentence]], work: str, groups: Iterator[int]
) -> None:
    """ "Sat 21 April   'Come and Sing', St. Augustin's 4-6 p.m." / "" / "Concert 6.30 p.m.": a schedule's dated
    line with its own clock, then a short line that only names a gathering and its clock: another gathering of
    that day."""
    for (_, bounds, found), (_, next_bounds, following) in zip(read, read[1:], strict=False):
        if (
            len(found.items) != 1
            or found.items[0].kind != "day"
            or len(found.times) != 1
            or following.items
            or following.exact
            or len(following.times) != 1
            or not following.times[0].start.strong
            or next_bounds[1] - next_bounds[0] > _SESSION_LINE
            or work[bounds[0] - 1 : bounds[0]] not in ("", "\n")
            or work[next_bounds[0] - 1] != "\n"
            or work[bounds[1] : next_bounds[0]].strip()
            or work.count("\n", bounds[1] - 1, next_bounds[0]) > 2
            or work[following.times[0].span[1] : next_bounds[1]].strip(" \t\n.")
        ):
            continue
        clock = following.times[0]
        label = _GATHERING_THEN_CLOCK_RE.fullmatch(work, next_bounds[0], clock.span[0])
        if label is None or EVENT_RE.search(label.group()) is None:
            continue
        following.items.append(found.items[0].at_clock(clock, next(groups)))


# "Rain Date: June 2nd", "(Rain date - Sunday 3rd)": the same gathering's fallback day, at the same hours
_RAIN_DATE_RE = re.compile(r"[\s(*•-]*rain\s?(?:date|day)\b", re.IGNORECASE)


_USUAL_CLOCK_TO_LIST = 200  # how far above the first of the date lines the usual clock may be said


def _usual_clock_over_date_lines(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """ "Meetings (held online at 7.30pm)\n\nTuesday 29 September\n\nTuesday 10 November": one clear clock said
    of no day, right above two or more lines that are each only a date, is the hour of each of those days that
    gives none of its own."""
    for k, (_, bounds, found) in enumerate(read):
        if found.items or found.exact or found.deltas or "\n" not in work[bounds[1] - 1 : bounds[1] + 1]:
            continue
        lines: list[_Sentence] = []
        end = bounds[1]
        for _, line_bounds, line in itertools.islice(read, k + 1, None):
            if line_bounds[0] - end > _USUAL_CLOCK_TO_LIST or line.exact or line.deltas:
                break
            if not line.items:
                if line.times or lines:
                    break
                continue  # "Agendas and minutes are on the website": a line between the clock and the list
            if work[line_bounds[0] - 1] != "\n" or "\n" not in work[
                line_bounds[1] - 1 : line_bounds[1] + 1
            ] + ("\n" if line_bounds[1] == len(work) else ""):
                break
            if any(item.kind != "day" or item.recurrence is not None for item in line.items):
                break
            lines.append(line)
            end = line_bounds[1]
        bare = [line for line in lines if not line.times]
        if len(lines) < 2 or len(bare) < 2:
            continue
        clocks = found.times or clocks_in(work, *bounds)
        if len(clocks) != 1 or not clocks[0].start.strong or clause_tense(work, bounds[0], bounds[1]):
            continue
        clock = clocks[0]
        for line in bare:
            line.times.append(replace(clock))
        found.times.clear()


def _gathering_after_setup(
    found: _Sentence,
    after: tuple[int, tuple[int, int], _Sentence],
    index: int,
    bounds: tuple[int, int],
    work: str,
) -> None:
    """ "Time: Check in begins at 1:00 p.m. / Meeting runs from 1:30 – 5:00 p.m.": the day's clock just carried is
    for checking in or setting up, and the next line gives the gathering's own clock: that one is the day's."""
    after_index, after_bounds, following = after
    if (
        after_index == index + 1
        and not following.items
        and len(following.times) == 1
        and "\n\n" not in work[bounds[1] - 1 : after_bounds[0] + 1]
        and all(S.for_setting_up(work, t, 0) for t in found.times)
        and not S.for_setting_up(work, following.times[0], after_bounds[0])
    ):
        following.times[0].start.strong = True
        found.times[:] = following.times
        following.times.clear()


_LISTED_DAY_LINE = 80  # "- Tuesday 4 March (room 2)" with room to spare


def _clock_opening_dated_lines(read: list[tuple[int, tuple[int, int], _Sentence]], work: str) -> None:
    """ "All sessions start at 7pm:" / "- Tuesday 4 March" / "- Tuesday 11 March": a line holding one clock (or one
    moment in several zones) and no day, ended by a colon, gives its clock to each short dated line listed under
    it."""
    for k, (_, bounds, found) in enumerate(read[:-1]):
        clocks = found.times
        if (
            not (len(clocks) == 1 or clocks and all(t.start.zone for t in clocks))
            or found.items
            or found.exact
            or found.deltas
            or not all(t.start.strong for t in clocks)
            or not P.CLOCK_LINE_ENDS_IN_COLON_RE.fullmatch(work, clocks[-1].span[1], bounds[1])
        ):
            continue
        listed = []
        previous_end = bounds[1]
        for _, next_bounds, following in read[k + 1 :]:
            if (
                work[previous_end : next_bounds[0]].strip(" \t*_")
                or work[previous_end - 1 : next_bounds[0]].count("\n") != 1
                or next_bounds[1] - next_bounds[0] > _LISTED_DAY_LINE
                or following.times
                or following.exact
                or not following.items
                or any(
                    item.kind != "day" or not (item.first and item.first.month) for item in following.items
                )
            ):
                break
            listed.append(following)
            previous_end = next_bounds[1]
        if len(listed) < 2:
            continue
        # "7pm GMT / 8pm CET": one moment in several zones
        moment = _chain_equivalent_clocks(copy.deepcopy(clocks), work)
        if len(moment) != 1:
            continue
        for following in listed:
            for item in following.items:
                item.time = replace(moment[0], claimed=True)
                item.time_adjacent = False
                item.flags.append("time_distant")
        found.times = []


_LATER_CLOCK_REACH = 400  # how far after the day the sentence giving its gathering's clock may start
_LATER_CLOCK_SENTENCES = 3  # …and how many sentences (with a digit or a day-word) on


def _carry_later_clock(
    read: list[tuple[int, tuple[int, int], _Sentence]], work: str, groups: Iterator[int]
) -> None:
    """ "The group meets on Sunday 25th April. It is a distanced event. Please meet at the shed at 10am. We should
    be done by 11am.": a post that names one day, with no clock, and a few sentences on gives one clear clock
    in a sentence naming no day, gives that day its time; a clock said to be the end, in the sentence right
    after, ends it."""
    dated = [k for k, (_, _, found) in enumerate(read) if found.items or found.exact or found.deltas]
    if len(dated) > 1:
        dated = _one_day_said_again(read, dated)
    if len(dated) != 1:
        return
    k = dated[0]
    bounds, found = read[k][1], read[k][2]
    days = [item for item in found.items if item.kind != "weekday"] or [
        # "This Sunday is the monthly litter-pick. We meet at 10am by the pavilion.": a weekday said of one day
        item
        for item in found.items
        if item.weekday_mod in _NAMED_WEEKDAY and item.recurrence is None
    ]
    if (
        found.times
        or found.exact
        or found.deltas
        or len(days) != 1
        or days[0].kind not in ("day", "relday", "weekday")
    ):
        return
    later = read[k + 1 : k + 1 + _LATER_CLOCK_SENTENCES]
    for n, (_, next_bounds, following) in enumerate(later):
        if next_bounds[0] - bounds[1] > _LATER_CLOCK_REACH:
            return
        clocks = [t for t in (following.times or clocks_in(work, *next_bounds)) if t.start.strong]
        if not clocks:
            continue
        if len(clocks) > 1:
            clocks = _without_asides_in_the_span(clocks, work)
        if len(clocks) == 2:
            clocks.sort(key=lambda t: t.span)  # (ranges are found before single clocks)
        if len(clocks) == 2 and P.CLOCK_THEN_END_RE.fullmatch(work, clocks[0].span[1], clocks[1].span[0]):
            # "We ask people to arrive at 10.30am – end around 3.30pm": the day's start and its end
            first, last = clocks
            if (
                first.end is None
                and last.end is None
                and (last.start.zone is None or last.start.zone == first.start.zone)
                and (last.start.hour, last.start.minute) > (first.start.hour, first.start.minute)
            ):
                last.start.zone = first.start.zone
                clocks = [_Time((first.span[0], last.span[1]), first.start, last.start)]
            elif (
                first.end is None
                and last.end is not None
                and (last.start.hour, last.start.minute) > (first.start.hour, first.start.minute)
            ):
                clocks = [first]  # "Starting 3pm and running till 8-9pm": an end said only roughly stays open
        clock = clocks[0]
        if len(clocks) > 1 and not following.items and _clocks_offered(clocks, work):
            if clause_tense(work, next_bounds[0], next_bounds[1]):
                return
            # "… meeting will be on 2011-01-05. The start time will be either 14:00 or 14:30.": each clock is a
            # candidate for the post's one day
            day = days[0]
            zone = clocks[-1].start.zone
            for offered in clocks:
                offered.start.zone = offered.start.zone or zone
                following.items.append(
                    replace(day.at_clock(offered, next(groups)), flags=[*day.flags, "candidate"])
                )
            following.times = clocks
            found.items.remove(day)
            return
        if len(clocks) > 1 and S.clocks_are_sessions(clocks, work) and not following.items:
            if clause_tense(work, next_bounds[0], next_bounds[1]):
                return
            # "… the AGM on 17th February. Firstly 12-2pm at the Town Hall, and later from 7-9pm at the Arms":
            # each clock is a session of the post's one day
            day = days[0]
            following.items.extend(day.at_clock(session, next(groups)) for session in clocks)
            following.times = clocks
            found.items.remove(day)
            return
        if len(clocks) != 1 or clause_tense(work, next_bounds[0], next_bounds[1]):
            return  # "Last year the bar stayed open until 11pm": a clock told of the past is not the day's
        if clock.end is None and n + 1 < len(later):
            end_bounds = later[n + 1][1]
            ends = [t for t in clocks_in(work, *end_bounds) if t.start.strong]
            if (
                len(ends) == 1
                and ends[0].end is None
                and end_bounds[0] - next_bounds[1] <= _LONE_CLOCK_SENTENCE
                and P.LATER_CLOCK_ENDS_RE.search(work, end_bounds[0], ends[0].span[0])
                and (ends[0].start.hour, ends[0].start.minute) > (clock.start.hour, clock.start.minute)
            ):
                ends[0].start.zone = ends[0].start.zone or clock.start.zone
                clock = _Time(clock.span, clock.start, ends[0].start)
        following.times.clear()
        found.times.append(clock)
        return


def _clocks_offered(clocks: list[_Time], work: str) -> bool:
    """ "either 14:00 or 14:30", "either 2pm, 3pm or 4pm UTC": single clocks offered with "either" and joined by
    "or" (the last "or", after commas), zoned alike or the zone written once after the last.  (Without "either",
    "Stalls open at 10am or 11am" may not be the gathering's clock.)"""
    if any(t.end is not None for t in clocks) or not _EITHER_BEFORE_RE.search(
        work, max(0, clocks[0].span[0] - 16), clocks[0].span[0]
    ):
        return False
    zones = {t.start.zone for t in clocks[:-1]} - {None}
    if zones and zones != {clocks[-1].start.zone}:
        return False
    glue = [work[a.span[1] : b.span[0]] for a, b in zip(clocks, clocks[1:], strict=False)]
    return _OR_GLUE_RE.fullmatch(glue[-1]) is not None and all(_LIST_GLUE_RE.fullmatch(g) for g in glue[:-1])


_EITHER_BEFORE_RE = re.compile(r"\beither\s{1,3}(?:at\s{1,3})?$", re.IGNORECASE)
_OR_GLUE_RE = re.compile(r"\s{0,3},?\s{0,3}or\s{1,3}", re.IGNORECASE)
_LIST_GLUE_RE = re.compile(r"\s{0,3},\s{0,3}")


def _without_asides_in_the_span(clocks: list[_Time], work: str) -> list[_Time]:
    """ "From 8:30am to 4:00pm (with a break for a community meal at 12:30pm)": a clock in brackets right after
    the one clock range, within its hours, is an aside about the day, not another session."""
    spans = [t for t in clocks if t.end is not None]
    if len(spans) != 1:
        return clocks
    span = spans[0]
    assert span.end is not None
    kept = [span]
    for t in clocks:
        if t is span:
            continue
        gap = work[span.span[1] : t.span[0]]
        if not (
            t.end is None
            and "(" in gap
            and ")" not in gap[gap.rfind("(") :]
            and (span.start.hour, span.start.minute)
            <= (t.start.hour, t.start.minute)
            <= (span.end.hour, span.end.minute)
        ):
            kept.append(t)
    return kept if len(kept) < len(clocks) else clocks


def _one_day_said_again(read: list[tuple[int, tuple[int, int], _Sentence]], dated: list[int]) -> list[int]:
    """ "June 22" / "Saturday" / …, "No set topic tonight … a social meeting tonight.": a bare weekday with no
    clock, which names no day by itself, and "today"/"tonight" said again leave the post one day, said last at
    the sentence kept."""

    def bare(item: _Item) -> bool:
        return item.kind == "weekday" and item.weekday_mod is None and item.recurrence is None

    kept = [
        k
        for k in dated
        if read[k][2].exact
        or read[k][2].deltas
        or read[k][2].times
        or not all(bare(item) for item in read[k][2].items)
    ]
    if len(kept) > 1:
        days = {
            item.fixed
            if item.kind == "relday" and not found.times and not found.exact and not found.deltas
            else None
            for k in kept
            for found in (read[k][2],)
            for item in found.items
            if not bare(item)
        }
        if len(days) == 1 and None not in days:
            return kept[-1:]
    return kept


_SERIES_TO_FIRST_DAY = 200  # how far after a series' sentence the sentence naming its first day may start


def _series_clock_for_its_first_day(
    read: list[tuple[int, tuple[int, int], _Sentence]], ctx: _Context
) -> None:
    """ "A call every other Tuesday 16:00 GMT. First one would be on April 3rd.": the day named right after a
    series on a weekday, falling on that weekday and given no clock of its own, is at the series' clock; so is
    each day of a schedule listed line by line under it ("Tues Oct 30th - hand sewing", "Tues Nov 13th - …")."""
    for at, (_, bounds, found) in enumerate(read):
        series = [
            i
            for i in found.items
            if i.kind == "weekday" and (i.recurrence == "weekly" or i.weekday_mod in ("every", "each"))
        ]
        clocks = [t for t in found.times if t.start.strong]
        if len(series) != 1 or len(clocks) != 1 or len(found.items) != 1:
            continue
        assert series[0].first is not None
        weekday, clock, end = series[0].first.weekday, clocks[0], bounds[1]
        for _, next_bounds, following in read[at + 1 :]:
            days = following.items
            if (
                len(days) == 1
                and days[0].kind == "weekday"
                and days[0].first is not None
                and days[0].first.weekday == weekday
                and not following.times
                and next_bounds[0] - end <= _SERIES_TO_FIRST_DAY
            ):
                # "Tues Oct16th - Knitting": a line of the schedule whose date is garbled
                end = next_bounds[1]
                continue
            if (
                following.times
                or len(days) != 1
                or days[0].kind != "day"
                or days[0].first is None
                or days[0].first.month is None
                or next_bounds[0] - end > _SERIES_TO_FIRST_DAY
            ):
                break
            day = _resolve_day(replace(days[0].first), ctx, False, [])
            if day is None or day.weekday() != weekday:
                break
            following.times.append(
                _Time(clock.span, replace(clock.start), replace(clock.end) if clock.end else None)
            )
            end = next_bounds[1]


def _heads(work: str, bounds: tuple[int, int], found: _Sentence, next_bounds: tuple[int, int]) -> bool:
    """ "Tuesday, May 9th" / "" / "Group H - 4pm EDT …", "TONIGHT! - Join us … from 7pm": a line that is
    nothing but a day heads the sentence right after it, so that sentence's clock is its time, however long."""
    if not found.items or bounds[1] - bounds[0] > _HEADING_DAY_LINE:
        return False
    spans = [(item.span[0] - bounds[0], item.span[1] - bounds[0]) for item in found.items]
    return (
        P.HEADING_DAY_REST_RE.fullmatch(_blanked(work[bounds[0] : bounds[1]], spans)) is not None
        and P.HEADING_GAP_RE.fullmatch(work, bounds[1], next_bounds[0]) is not None
    )


def _table_columns_under_dated_headers(
    read: list[tuple[int, tuple[int, int], _Sentence]], work: str, groups: Iterator[int]
) -> None:
    """ "| |Mon 27 June|Tue 28 June|" / "|--|--|--|" / "|Check-ins|11am UTC|5pm UTC|": a table whose header row
    dates its columns; each clock in a row below is on its column's day, and the header's days are headings,
    not all-day events (a column with no clock has none)."""
    for at, (_, bounds, found) in enumerate(read):
        if (
            len(found.items) < 2
            or found.times
            or not work.startswith("|", bounds[0])
            or any(item.kind != "day" for item in found.items)
        ):
            continue
        columns = {work.count("|", bounds[0], item.span[0]): item for item in found.items}
        if len(columns) != len(found.items):
            continue
        made = 0
        last_end = bounds[1]
        for _, next_bounds, following in read[at + 1 :]:
            # the rows below, one table: nothing but table lines between
            between = work[last_end : next_bounds[0]]
            if not work.startswith("|", next_bounds[0]) or any(
                line.strip() and not line.lstrip().startswith("|") for line in between.split("\n")
            ):
                break
            last_end = next_bounds[1]
            if following.items:
                break
            clocks = following.times or [t for t in clocks_in(work, *next_bounds) if t.start.strong]
            kept: list[_Time] = []
            for clock in clocks:
                header = columns.get(work.count("|", next_bounds[0], clock.span[0]))
                if header is None:
                    continue
                kept.append(clock)
                following.items.append(header.at_clock(clock, next(groups)))
            following.times = kept
            made += len(kept)
        if made:
            found.items.clear()


def _date_cells_over_clock_cells(
    read: list[tuple[int, tuple[int, int], _Sentence]], work: str, groups: Iterator[int]
) -> None:
    """ "Sunday 5 March | Saturday 8 April | Sunday 7 May" / "11:00 - 13:00 | 14:00 - 16:00 | 18.30-20.30": a run
    of "|"-separated cells that are only dates, then a row of as many "|"-separated clocks, is a table without a
    header row; the clocks go to the dates in order."""
    at = 0
    while at < len(read):
        rows: list[_Sentence] = []
        end = at
        while end < len(read):
            _, bounds, found = read[end]
            if (
                not found.items
                or found.times
                or found.exact
                or found.deltas
                or "|" not in work[bounds[0] : bounds[1]]
                or any(item.kind != "day" or item.recurrence is not None for item in found.items)
            ):
                break
            rows.append(found)
            end += 1
        if not rows or end >= len(read):
            at = end + 1
            continue
        _, clock_bounds, cells = read[end]
        days = [item for row in rows for item in row.items]
        clocks = sorted(cells.times or clocks_in(work, *clock_bounds), key=lambda t: t.span)
        if (
            cells.items
            or len(days) < 3
            or len(clocks) != len(days)
            or any(
                work.count("|", a.span[1], b.span[0]) != 1 for a, b in zip(clocks, clocks[1:], strict=False)
            )
        ):
            at = end + 1
            continue
        cells.items.extend(day.at_clock(clock, next(groups)) for day, clock in zip(days, clocks, strict=True))
        cells.times = clocks
        for row in rows:
            row.items.clear()
        at = end + 1
