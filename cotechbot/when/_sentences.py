"""One sentence at a time: dates that are coordinated share a clock, clocks attach to the dates beside them,
and each clause's tense and wording decide what is an event."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from cotechbot.when import _clauses as C
from cotechbot.when import _not_gatherings as N
from cotechbot.when import _patterns as P
from cotechbot.when import _spans as S
from cotechbot.when import _weekday_words as W
from cotechbot.when._calendar import (
    _dates_its_own_post,
    _delta_mention,
    _nearer_behind,
    _resolve,
    _safe_date,
    never_resolves,
)
from cotechbot.when._items import _day_number
from cotechbot.when._model import (
    _NAMED_WEEKDAY,
    TimeMention,
    _Context,
    _Day,
    _gap,
    _Item,
    _Sentence,
    _Time,
)
from cotechbot.when._weekdays import (
    _anchor_weekdays,
    _continue_series,
    _drop_restated_weekdays,
    _series_starts,
    _share_on,
)


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


def _attach_times(items: list[_Item], times: list[_Time], work: str, today: date | None = None) -> None:
    """Give each group of dates the clock written right after it, else right before it, else the lone one."""
    groups: dict[int, list[_Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    ordered = sorted(groups.values(), key=lambda g: g[0].span[0])
    starts = [t.span[0] for t in times]
    # "the 5pm UK/9am PST Tuesday slot": a clock and its restatements in other zones end at the last of them
    ends = [(t.equivalents[-1] if t.equivalents else t).span[1] for t in times]
    for members in ordered:
        end = max(i.span[1] for i in members)
        i = bisect.bisect_left(starts, end)
        if i < len(times) and not times[i].claimed:
            gap = _gap(work, end, times[i].span[0])
            if gap is not None and (P.GLUE_AFTER_RE.fullmatch(gap) or S.quoted_options(times, i, gap, work)):
                _give(members, times[i])
    for members in ordered:
        if members[0].time is not None:
            continue
        start = min(i.span[0] for i in members)
        i = bisect.bisect_right(ends, start) - 1
        if i >= 0 and not times[i].claimed:
            gap = _gap(work, ends[i], start)
            closes_range = P.CLOSES_RANGE_RE.search(work, max(0, starts[i] - 60), starts[i]) is not None
            if gap is not None and P.GLUE_BEFORE_RE.fullmatch(gap) and not closes_range:
                _give(members, times[i])
                # "8PM Tuesday October 20th UTC": a zone written right after the date is the clock's zone.
                zone = P.ZONE_AFTER_DATE_RE.match(work, max(item.span[1] for item in members))
                if zone and times[i].start.zone is None:
                    times[i].start.zone = zone.group("zone")
    # One date and one clear clock in the same sentence belong together even with words between them; a
    # number that only might be a clock ("room 1.22") does not make the clock less clear.
    clear = [t for t in times if t.start.strong]
    if len(ordered) > 1 and len(clear) == 1 and today is not None:
        ordered = _one_day_restated(ordered, today)
    if (
        len(ordered) == 1
        and len(clear) == 1
        and ordered[0][0].time is None
        and (
            ordered[0][0].kind != "weekday"
            or ordered[0][0].weekday_mod in _NAMED_WEEKDAY
            or ordered[0][0].recurrence is not None
        )
        and not clear[0].claimed
    ):
        _give(ordered[0], clear[0])
        for item in ordered[0]:
            item.flags.append("time_distant")
    elif (
        len(ordered) > 1
        and len(clear) == 1
        and not clear[0].claimed
        and ":" in work[clear[0].span[1] : ordered[0][0].span[0]]
        and all(i.time is None and i.kind == "day" and i.first and i.first.month for g in ordered for i in g)
        and P.CLOCK_OPENS_LIST_RE.fullmatch(
            work,
            (clear[0].equivalents[-1] if clear[0].equivalents else clear[0]).span[1],
            ordered[0][0].span[0],
        )
    ):
        # "join at 9AM PDT / 4PM GMT:" / "Day 1, Wednesday Oct 28th: <link>" / "Day 2, Thursday Oct 29th": one
        # clock that opens a list of dated days is the clock of each
        for n, members in enumerate(ordered):
            _give(members, clear[0])
            for item in members:
                item.flags.append("time_distant")
                item.time_adjacent = item.time_adjacent and n == 0


def _one_day_restated(ordered: list[list[_Item]], today: date) -> list[list[_Item]]:
    """ "tomorrow morning (Saturday 19th May) … from 9:30am", "every other Thursday, starting on 14 November": one
    date, the other groups only a day-word or a weekday that falls on it, is one day for the sentence's clock."""
    dated = [g for g in ordered if any(i.kind == "day" and i.first and i.first.month for i in g)]
    if len(dated) != 1 or len(dated[0]) != 1:
        return ordered
    first = dated[0][0].first
    assert first is not None and first.month is not None
    years = [first.year] if first.year is not None else [today.year, today.year + 1]
    days = [d for year in years if (d := _safe_date(year, first.month, first.day)) is not None]
    if first.year is None:
        days = [d for d in days if d >= today][:1]
    for group in ordered:
        if group is dated[0]:
            continue
        for item in group:
            if item.kind == "relday":
                restates = item.fixed in days
            elif item.kind == "weekday" and item.first is not None:
                restates = any(d.weekday() == item.first.weekday for d in days)
            else:
                restates = False
            if not restates:
                return ordered
    return dated


_FOR_GLUE_RE = re.compile(r"[ \t]{1,3}for[ \t]{1,3}", re.IGNORECASE)


def _arrival_for_start(times: list[_Time], work: str) -> list[_Time]:
    """ "6.30pm for 7.30pm": arrive at the first clock for a start at the second; the gathering is at the first."""
    kept: list[_Time] = []
    for found in times:
        prior = kept[-1] if kept else None
        if (
            prior is not None
            and prior.end is None
            and found.end is None
            and prior.start.strong
            and _FOR_GLUE_RE.fullmatch(work, prior.span[1], found.span[0])
            and (found.start.hour, found.start.minute) > (prior.start.hour, prior.start.minute)
        ):
            continue
        kept.append(found)
    return kept


def _chain_equivalent_clocks(times: list[_Time], work: str) -> list[_Time]:
    """Clocks in other zones written right after a clock are the same moment ("8 am NYC time / 1300 UTC"):
    they ride with the first and are checked against it, never read as more events."""
    kept: list[_Time] = []
    for found in times:
        if kept and _same_clock_zoned(kept[-1], found, work):
            # "10pm/2200 hrs UTC", "2pm (14:00 UTC)": one clock written twice, the zone said once for both
            kept[-1].start.zone = found.start.zone
            if kept[-1].end is not None and found.end is not None:
                kept[-1].end.zone = found.end.zone
            kept[-1].equivalents.append(found)
            continue
        if kept and _restates(kept[-1], found, work):
            kept[-1].equivalents.append(found)
            continue
        kept.append(found)
    return kept


def _same_clock_zoned(clock: _Time, other: _Time, work: str) -> bool:
    """A clock with no zone restated right after at the same hour in another notation, with a zone."""
    return (
        clock.start.zone is None
        and not clock.equivalents
        and other.start.zone is not None
        and clock.start.meridiem_known
        and (clock.start.hour, clock.start.minute) == (other.start.hour, other.start.minute)
        and (clock.end is None) == (other.end is None)
        and (
            clock.end is None
            or other.end is None
            or (clock.end.hour, clock.end.minute) == (other.end.hour, other.end.minute)
        )
        and P.EQUIVALENT_GLUE_RE.fullmatch(work, clock.span[1], other.span[0]) is not None
    )


def _restates(clock: _Time, other: _Time, work: str) -> bool:
    """Another zone's clock written right after: the same moment. "7PM EST or 10 PM UTC" too: alternatives
    are offered in one zone, so an "or" between two zones written out is a restatement (checked to agree)."""
    written = [clock, *clock.equivalents]
    if not (
        other.start.zone is not None
        and all(other.start.zone != seen.start.zone for seen in written)
        and (other.end is None) == (clock.end is None)
    ):
        return False
    glue_start, glue_end = written[-1].span[1], other.span[0]
    return P.EQUIVALENT_GLUE_RE.fullmatch(work, glue_start, glue_end) is not None or (
        clock.start.zone is not None and P.ZONES_OR_RE.fullmatch(work, glue_start, glue_end) is not None
    )


def _clock_alternatives(items: list[_Item], times: list[_Time], work: str) -> list[_Item]:
    """ "today at 2pm or 3pm UTC", "Wednesday 15 March, 0800 + 1700 UTC": each clock is a mention of the same
    day (the zone written once after the last applies to all); offered with "or", each is a candidate."""
    made: list[_Item] = []
    clocks: list[_Time] = []
    chosen: set[int] = set()
    for item in items:
        if item.time is not None and item.time_adjacent and id(item.time) not in chosen:
            chosen.add(id(item.time))
            clocks.append(item.time)
    if not clocks or len(times) < 2:
        return made
    # each clock with the items it was given to, found in one pass (a sentence of many dates stays linear)
    given: dict[int, list[_Item]] = {}
    for item in items:
        if item.time is not None and id(item.time) in chosen:
            given.setdefault(id(item.time), []).append(item)
    in_order = sorted(times, key=lambda t: t.span)
    starts = [t.span[0] for t in in_order]
    for clock in clocks:
        members = given[id(clock)]
        at = (clock.equivalents[-1] if clock.equivalents else clock).span[1]
        chain: list[tuple[_Time, bool]] = []
        for other in in_order[bisect.bisect_left(starts, at) :]:
            joint = P.CLOCK_ALTERNATIVE_RE.fullmatch(work, at, other.span[0])
            quoted = joint is None and P.QUOTED_OPTION_JOINT_RE.fullmatch(work, at, other.span[0]) is not None
            if (joint is None and not quoted) or other.claimed or (other.end is None) != (clock.end is None):
                break
            # quoted one after another, the clocks are a poll's options: each is offered
            chain.append((other, quoted or (joint is not None and joint.group("joint").lower() == "or")))
            at = other.span[1]
        if not chain:
            continue
        zone = chain[-1][0].start.zone
        offered = any(is_or for _, is_or in chain)
        for found in (clock, *(other for other, _ in chain)):
            if found.start.zone is None:
                found.start.zone = zone
            found.claimed = True
        for member in members:
            if offered:
                member.flags.append("candidate")
            for other, _ in chain:
                made.append(replace(member, time=other, flags=list(member.flags), span=member.span))
    return made


def _give(members: list[_Item], found: _Time) -> None:
    found.claimed = True
    nearest = min(
        members, key=lambda item: min(abs(item.span[0] - found.span[1]), abs(found.span[0] - item.span[1]))
    )
    for item in members:
        item.time = found
        item.time_adjacent = item is nearest


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


# How far after a date the words that undo it ("…, so we don't meet", "No Comments") are looked for: bounded,
# so a sentence of many dates is read in linear time.
_AFTER_REACH = 120


def _read_sentence(
    text: str, work: str, bounds: tuple[int, int], found: _Sentence, ctx: _Context, include_deadlines: bool
) -> list[TimeMention]:
    sentence = work[bounds[0] : bounds[1]]
    items = sorted(found.items, key=lambda i: i.span)
    times = sorted(found.times, key=lambda t: t.span)
    items = _drop_restated_weekdays(items, work)
    _continue_series(items, work)
    _share_on(items, work)
    _group_coordinated(items, work)
    times = _chain_equivalent_clocks(times, work)
    if len(times) > 1:
        times = _arrival_for_start(times, work)
    _attach_times(items, times, work, ctx.today)
    items.extend(_clock_alternatives(items, times, work))
    items.extend(S.more_sessions(items, times, work))
    if len(times) > 1 and len(items) == 1:
        items.extend(S.sessions_of_a_dated_day(items, times, work))
    items.extend(_alternate_items(found, items))
    items = _anchor_weekdays(items, ctx)
    _series_starts(items, sentence, ctx)
    if not found.exact and not found.deltas and all(never_resolves(item) for item in items):
        return []  # "Every Tuesday we run an open office hour", "I learnt something today": nothing to weigh

    mentions = [m for m in found.exact if not C.stamp_of_an_errand(m, work, bounds)]
    if N.MESSAGE_HEADER_RE.search(sentence):
        return []  # a quoted e-mail's "On … wrote:" line dates the message, not a gathering
    if "YYYY" in sentence or "yyyy" in sentence:
        return []  # "Schedule for Wednesday's Meeting (YYYY-MM-DD 16:00 UTC)": a template's placeholder date
    seen = {_moment_key(m) for m in mentions}
    read_from: list[tuple[int, TimeMention]] = []
    clauses = C.Clauses(sentence)
    has_brackets = "[" in sentence
    has_date_key = "date:" in sentence
    sentence_lowered = sentence.lower()
    record_end = -1  # where the last date the words before it call a record, an absence or a vague week ends
    deadline_end = -1  # where the last date read as a deadline ends
    for item in items:
        holiday = "holiday_named" in item.flags
        if holiday and item.time is None:
            continue  # "Christmas Eve" named alone is a holiday; with a clock ("… at 4.30pm") it dates a gathering
        offset = item.span[0] - bounds[0]
        clause_start, clause_end = clauses.bounds(offset)
        flags = list(item.flags)
        lead = min(item.span[0], item.time.span[0]) if item.time else item.span[0]
        tail = max(item.span[1], item.time.span[1]) if item.time else item.span[1]
        before = work[max(bounds[0], lead - 60) : lead]
        before_lowered = before.lower()
        if (
            any(word in before_lowered for word in N.RECORD_HINTS)
            and (record := N.RECORD_BEFORE_RE.search(before))
            # "hold the meetings in the week of 14-20 January": a gathering's week written out as its days is
            # those days ("what nights work in the week of 4-8 May?" still only offers a window)
            and not (
                item.kind == "range"
                and N.WEEK_OF_RE.match(record.group())
                and N.GATHERINGS_RE.search(before, 0, record.start())
            )
        ) or (
            # "can't make the 3rd or 4th", "the week of 21st or 28th": a date joined to one of those is one too
            0 <= record_end <= lead
            and lead - record_end <= 8
            and N.SHORT_COORDINATION_RE.fullmatch(work, record_end, lead)
        ):
            record_end = tail
            continue
        if never_resolves(item):
            # no clause can make it a mention (what follows only rules items out or flags them); a deadline
            # still reaches the dates joined after it ("by Monday or the 3rd April")
            if _said_as_deadline(item, work, bounds, before, clauses, (clause_start, offset), deadline_end):
                deadline_end = tail
            continue
        if (
            item.kind == "weekday"
            and item.time is None
            and work[item.span[0] : item.span[0] + 3].lower() in P.WEEKDAYS  # said bare, with no "on"/"next"
            and W.owns_a_gathering(work, item.span[1])
            and C.FUTURE_RE.search(sentence) is None
        ):
            continue  # "… in Saturday's Drop-in session": which Saturday's, only words of what is ahead say
        if (
            item.time is None
            and any(word in before_lowered for word in N.RULE_HINTS)
            and N.RULE_FROM_BEFORE_RE.search(before)
        ):
            continue  # "restrictions from Thursday 5th November": when a rule starts, not a gathering
        if item.time is None and N.STAMP_AFTER_RE.match(work, item.span[1], bounds[1]):
            continue  # "Sat Sep 24 14:03:35 UTC 2011": a message's own time stamp
        after_end = min(bounds[1], tail + 40)
        if (
            sentence_lowered.find("not", tail - bounds[0], after_end - bounds[0]) != -1
            or sentence_lowered.find("n't", tail - bounds[0], after_end - bounds[0]) != -1
            or sentence_lowered.find("longer", tail - bounds[0], after_end - bounds[0]) != -1
            or sentence_lowered.find("ceas", tail - bounds[0], after_end - bounds[0]) != -1
        ) and N.RULED_OUT_AFTER_RE.match(work, tail, after_end):
            continue  # "the weekend (Feb 11+12) isn't an option": a date ruled out
        if (
            item.kind == "day"
            and item.first is not None
            and item.first.year is None
            and N.HISTORIC_YEAR_AFTER_RE.match(work, item.span[1])
        ):
            continue  # "James Aitken (28 September 1752 – 10 March 1777)": a date in history
        if item.kind == "range" and "period" in before_lowered and N.PERIOD_OF_DAYS_BEFORE_RE.search(before):
            continue  # "during the period August 5th to 10th": a stretch of days, not a gathering
        if "window" in item.flags:
            continue  # "between June 14th and July 30th": weeks to schedule in, not one gathering
        if "original" in before_lowered and N.ORIGINAL_DATE_BEFORE_RE.search(before):
            continue  # "the original date for the town hall of Monday, March 21": the date moved away from
        if C.unavailable_after(work, item.span[1], bounds[1]):
            continue  # "This Friday, I'm not available until after 3pm": someone unavailable, not a gathering
        if any(hint in before_lowered for hint in N.ERRAND_HINTS) and N.ERRAND_BEFORE_RE.search(before):
            continue  # "I will email again around 12th October about the meeting": the day a message is sent
        if N.SENT_AFTER_RE.match(work, tail, after_end):
            continue  # "On Jan 17, we sent out an email announcing the summit": the day a message went out
        if sentence_lowered.find("original", tail - bounds[0], after_end - bounds[0]) != -1 and (
            N.ORIGINAL_DATE_AFTER_RE.match(work, tail, after_end)
        ):
            continue  # "September 26, the original scheduled date for the meeting": the date moved away from
        if (
            item.time is None
            and _dates_its_own_post(item, ctx)
            and (clauses.quiet() or C.attendance_below(work, item.span))
        ):
            # "Tuesday, January 21, 2014" written that Tuesday: the post's own date line; "Meeting — April 16,
            # 2020" over "Attendees: …" written that day: the minutes of a meeting held
            continue
        if N.AVOID_BEFORE_RE.search(work, max(bounds[0], lead - _AVOID_REACH), lead):
            continue  # "schedule around the All Hands in London during June 13-16": a date to keep clear of
        if item.kind in ("day", "range") and C.under_an_avoid_heading(work, item.span):
            continue  # "Dates to AVOID:" / "* June 8-12 (IVOA Meeting)": a date to keep clear of
        if item.kind in ("day", "range") and C.titles_a_record(work, item.span):
            continue  # "Sept 2, 2008 Hackerspace Meeting Agenda \ Minutes": the record of a meeting held
        if has_brackets and C.on_a_line_opened_by(N.TASK_LINE_RE, work, item.span):
            continue  # "- [x] update the roadmap on Wednesday the 26th": when a task is done, not a gathering
        if has_date_key and C.dates_front_matter(work, item.span):
            continue  # "title: …" / "date: 2023-01-06 09:00:00": a page's front matter, not a gathering
        if C.on_a_line_opened_by(N.VERSION_LINE_RE, work, item.span):
            continue  # "1.23.0-alpha.2 -> Week 4 // Tue September 14": when a version is cut, not a gathering
        if (
            has_brackets
            and item.time is not None
            and work[lead - 1 : lead] == "["
            and work[tail : tail + 1] == "]"
            and work[lead : lead + 4].isdigit()
        ):
            continue  # "[2025/03/24 00:25] (current)": a log's or a wiki revision's stamp, year first in brackets
        if item.time is not None and item.time.end is None and item.time.start.minute % 5:
            continue  # "Wednesday, 18 February, 2009, 2:18 PM": when a message was sent; nobody meets at 2:18
        if (
            "series_start" not in item.flags
            # "After next Tuesday's membership meeting, …": what follows the gathering, which is on that day
            and not (item.kind == "weekday" and W.owns_a_gathering(work, item.span[1]))
            and N.FROM_OPENING_RE.match(work, bounds[0], item.span[0])
            # "From Tuesday 3rd to Thursday 5th March the team will be meeting": the span of a gathering
            and not (item.kind == "range" and clauses.names_gathering())
            # "Starting March 7, participants will meet weekly": the first of a series of gatherings
            and not (
                N.SERIES_FROM_OPENING_RE.match(work, bounds[0], item.span[0])
                and N.SERIES_WORD_RE.search(sentence)
                and clauses.names_gathering()
            )
        ):
            continue  # "From 1 April the fee rises": when a rule starts, not a gathering
        if any(hint in before_lowered for hint in N.EXAMPLE_HINTS) and N.EXAMPLE_BEFORE_RE.search(before):
            continue  # "for example, Tuesday@16:00 one week and Wednesday@17:00 the next"
        if item.kind == "relday" and N.AFTER_BEFORE_RE.search(
            work, max(bounds[0], item.span[0] - 12), item.span[0]
        ):
            # "after tomorrow, the next meeting would be…", "move to 9:30am … after today": the day a change
            # starts, whatever clock the sentence gives
            continue
        if (
            item.kind in ("day", "range")
            and any(hint in sentence_lowered[max(0, offset - 36) : offset] for hint in N.AFTER_DATE_HINTS)
            and N.AFTER_DATE_BEFORE_RE.search(work, max(bounds[0], item.span[0] - 36), item.span[0])
        ):
            continue  # "the next day of action after 20 September": a reference point, not a gathering
        if item.kind == "range" and "between" in before_lowered and N.CHOOSE_WITHIN_BEFORE_RE.search(before):
            continue  # "converge on a date and time between July 16 and 27": a window to choose a day in
        if N.YEARLY_AFTER_RE.match(work, tail, min(bounds[1], tail + 20)):
            continue  # "On September 18 each year, people celebrate…": a yearly custom, not one day's gathering
        if item.time is None and N.DOCUMENT_AFTER_RE.match(
            work, item.span[1], min(bounds[1], item.span[1] + 20)
        ):
            continue  # "see our Oct. 1 blog post": the date names a document
        byline_end = min(bounds[1], tail + _AFTER_REACH)
        after_lowered = work[tail:byline_end].lower()
        if any(hint in after_lowered for hint in N.BYLINE_HINTS) and N.BYLINE_AFTER_RE.match(
            work, tail, byline_end
        ):
            continue  # "May 15, 2019 May 2019 No Comments": a blog post's byline
        if C.called_off_by_the_heading_above(work, lead):
            continue  # "# Cancelled!" / "See you in the new year!" / "# Community Meeting 2022-12-19": called off
        if C.line_above_is_an_issue_title(work, item.span):
            continue  # "Plotholders' Newsletter" / "May 13th 2019": the issue's date
        if (
            item.time is None
            and any(hint in before_lowered for hint in N.OBSERVANCE_HINTS)
            and N.OBSERVANCE_BEFORE_RE.search(before)
        ):
            continue  # "with World Book Day falling on Thursday 6 March": a day of observance
        if not holiday and N.HOLIDAY_AFTER_RE.match(work, tail, min(bounds[1], tail + 60)):
            continue  # "Monday September 4 is Labor Day": the day is named as a holiday
        if C.line_below_says_no_gathering(work, bounds, item.span):
            continue  # "13th August" / "No talk - August Break": a date heading what the line below calls off
        if C.rest_of_day_line_calls_off(work, bounds, item.span):
            continue  # "Mon 23 October   Half-term.  NO REHEARSAL": the rest of the day's line calls it off
        so_end = min(bounds[1], item.span[1] + _AFTER_REACH)
        if "so" in work[item.span[1] : so_end] and N.SO_CALLED_OFF_AFTER_RE.search(
            work, item.span[1], so_end
        ):
            continue  # "This Friday is the 7th, so we don't meet"
        if (
            "arriv" in sentence_lowered
            and "depart" in sentence_lowered
            and (travel := N.ARRIVAL_OR_DEPARTURE_BEFORE_RE.search(before)) is not None
            # ("departure after lunch on Friday the 27th": a meal said as the time of day)
            and C.EVENT_RE.search(_MEAL_AS_TIME_RE.sub(" ", travel.group("between"))) is None
        ):
            continue  # "Arrival is recommended for Sunday 23rd and departure on Sunday 30th": a stay's ends
        if N.MY_TRIP_AFTER_RE.match(work, tail, after_end):
            continue  # "During June 3-5 I will visit Spain": the writer's own trip, not a gathering
        if clauses.away(offset):
            continue  # "I'm on vacation from June 25 - July 10": someone's absence, not a gathering
        if "cancel" in before_lowered and C.CANCELLATION_OF_BEFORE_RE.search(before):
            continue  # "with the cancellation of the juniors' training this Tuesday": called off
        # (the clause's tense is read only for a date none of the checks above has ruled out)
        past = clauses.past(offset)
        if clauses.cancelled(offset) and (
            not C.NEW_DATE_BEFORE_RE.search(before)
            or (
                C.FOR_BEFORE_RE.search(before)
                and not C.CANCELLED_RE.search(sentence, clause_start, lead - bounds[0])
            )
        ):
            if item.kind != "range" or item.last is None or not C.MOVED_FROM_BEFORE_RE.search(before):
                continue  # "the call on 17th September is cancelled": nothing to put in a calendar
            if _TO_THE_NEW_DATE_RE.match(work, item.span[1], bounds[1]):
                continue  # "moving from 3-4 October to 7-8 October": the old span whole, the new one is read next
            # "moved from 5 March to 12 March": the new date alone
            item = replace(item, kind="day", first=item.last, last=None, flags=[*item.flags, "moved"])
            past = False  # "has been moved … to 12 March": the tense is the move's, the date is ahead
        elif (
            past
            and C.NEW_DATE_BEFORE_RE.search(before)
            and (clauses.cancelled(offset) or N.RESCHEDULING_RE.search(sentence, clause_start, offset))
        ):
            past = (
                False  # "the board decided to reschedule the AGM to the 19th November": the new date is ahead
            )
        deadline = _said_as_deadline(
            item, work, bounds, before, clauses, (clause_start, offset), deadline_end
        )
        if deadline:
            deadline_end = tail
            if not include_deadlines:
                continue
            flags.append("deadline")
        if (
            any(word in before_lowered for word in N.PAST_REFERENCE_HINTS)
            and N.PAST_REFERENCE_BEFORE_RE.search(before)
        ) or (
            (sentence_lowered.find("w", tail - bounds[0], after_end - bounds[0]) != -1)
            and N.WENT_AFTER_RE.match(work, tail, after_end)
        ):
            past = True  # "as decided at the meeting on 17 June": a meeting already held, whatever the tense
            flags.append("past")
        chosen = item.time is None and bool(
            (
                any(word in before_lowered for word in N.CHOSEN_DATE_HINTS)
                and N.CHOSEN_DATE_BEFORE_RE.search(before)
            )
            or N.CHOSEN_DATE_AFTER_RE.match(work, tail, min(bounds[1], tail + 30))
        )
        if chosen and not (past and _nearer_behind(item, ctx)):
            past = False  # "the date was confirmed as 4 July": the day chosen for a gathering is ahead
            flags = [flag for flag in flags if flag != "past"]
        # "Add the Release Planning Agenda for 26th July 2021": an agenda is for a meeting, held that day
        agenda = "agenda" in before_lowered and N.AGENDA_FOR_BEFORE_RE.search(before) is not None
        gathering = chosen or holiday or agenda or clauses.gathering(offset)
        if (
            not gathering
            and item.kind == "weekday"
            and item.time is None
            and W.MOVED_TO_BEFORE_RE.search(work, max(bounds[0], item.span[0] - 40), item.span[0])
        ):
            # "I can't host the meeting on Thursday. Moved to Friday.": what is moved is the gathering just named
            gathering = C.EVENT_RE.search(work, max(0, bounds[0] - _MOVED_REACH), bounds[0]) is not None
        if (
            not gathering
            and item.kind == "weekday"
            and sentence_lowered.find("again", clause_start, offset) != -1
            and clauses.names_gathering()
        ):
            gathering = (
                True  # "See you this Saturday, and again on Tuesday!": the gathering named before, again
            )
        # "the answer is 6pm on Christmas Eve, Sunday 24 December": a holiday has no clock, so a clocked day it
        # names is when something happens on it (other milestones, "Voting opens 10am", keep their clocks)
        milestone = (
            not agenda
            and clauses.milestone(offset)
            and not (item.time is not None and clauses.milestones_only_holidays(offset))
        )
        if (
            not deadline
            and not holiday
            and milestone
            and C.milestone_leads_to(sentence, clause_start, lead - bounds[0])
        ):
            continue  # "we plan to announce the schedule on July 28, before the conference": the announcing
        if not (gathering or deadline):
            if (
                item.kind in ("day", "range")
                and clauses.paperwork(offset)
                and not _paperwork_of_a_later_date(
                    work, (bounds[0] + clause_start, bounds[0] + clause_end), (lead, tail), items
                )
            ):
                continue  # "our lease runs to 31st December", "tickets go on sale…": nobody gathers
            if milestone or clauses.shares_milestone(offset):
                continue  # "feature freeze is Feb 8th", "Voting opens 10am", "Monday September 4 is Labor Day"
            if (
                item.kind == "day"
                and item.time is None
                and "series_start" not in item.flags
                # ("has moved from 11 March to 16 November": the "from" is the old date's, the new one is read;
                # "on hold from 17 December to 21 January" is still a pause)
                and not ("moved" in item.flags and _MOVED_FROM_RE.search(before))
                and N.PERIOD_START_BEFORE_RE.search(work, max(bounds[0], item.span[0] - 25), item.span[0])
            ):
                continue  # "for a fire from Oct 1st", "retire the list starting December 1st": a period starts
            if clauses.opening_hours(offset):
                continue  # "the shop will close early at 5pm on Sunday 29th": a place's hours
            if any(hint in before_lowered for hint in N.SENT_OUT_HINTS) and N.SENT_OUT_BEFORE_RE.search(
                before
            ):
                continue  # "we'll publish the agenda on Monday 3 March": an errand, not a gathering
            if any(hint in before_lowered for hint in N.MADE_PUBLIC_HINTS) and N.MADE_PUBLIC_BEFORE_RE.search(
                before
            ):
                continue  # "the posters will be printed and put up on Friday": an errand, not a gathering
            if item.time is None and N.ERRAND_AFTER_RE.match(work, tail, min(bounds[1], tail + 40)):
                continue  # "On October the 1st, we will be emailing every member": an errand, not a gathering
            if not work[bounds[0] : lead].strip(P.LINE_MARKS) and N.TIMELINE_LABEL_AFTER_RE.match(
                work, tail, min(bounds[1], tail + 90)
            ):
                continue  # "Monday 27 June: Agenda sent out to members": a timeline's step, not a gathering
        if past and not gathering and item.kind in ("day", "range"):
            continue  # "version 2.4 was released on 2 September": a past date, but nobody gathered
        for mention in _resolve(item, text, ctx, past, gathering, flags):
            if _moment_key(mention) not in seen:
                seen.add(_moment_key(mention))
                mentions.append(mention)
                read_from.append((item.group, mention))
            elif "series_start" in item.flags and not mention.recurring:
                # "each Wednesday starting September 12": the dated first meeting, not the series' next one
                at = next(
                    (
                        i
                        for i, m in enumerate(mentions)
                        if m.recurring and _moment_key(m) == _moment_key(mention)
                    ),
                    None,
                )
                if at is not None:
                    replaced, mentions[at] = mentions[at], mention
                    read_from = [(g, mention if m is replaced else m) for g, m in read_from]
    mentions = _doubt_whole_groups(mentions, read_from)
    _offered_with_or(mentions, work)
    if found.exact:
        mentions = _stamps_win(mentions, found.exact, ctx)
    mentions = _join_timed_spans(mentions, text, work)
    if found.deltas and (clauses.names_gathering() or P.STARTING_RE.search(sentence)):
        for m in found.deltas:
            counted = _delta_mention(m, text, ctx, clauses.past(m.start() - bounds[0]))
            if counted is not None and _moment_key(counted) not in seen:
                seen.add(_moment_key(counted))
                mentions.append(counted)
    return mentions


# How far before a move told alone ("Moved to Friday.") the gathering it moves may be named.
_MOVED_REACH = 160

# How far before a later date its paperwork may be said ("payment by Thurs 25th Oct").
_PAPERWORK_REACH = 30


def _paperwork_of_a_later_date(
    work: str, clause: tuple[int, int], date: tuple[int, int], items: list[_Item]
) -> bool:
    """ "Fri 30th Nov – Scout Gang Show (Booking now – payment by Thurs 25th Oct)": every paperwork word of the
    clause comes after the date, each right before a later date of its own, so it is that date's, not this one's
    (one before the date is the date's own: "our lease runs to 31st December")."""
    if N.NOT_A_GATHERING_RE.search(work, clause[0], date[0]):
        return False
    found = list(N.NOT_A_GATHERING_RE.finditer(work, date[1], clause[1]))
    starts = sorted(item.span[0] for item in items if item.span[0] >= date[1])
    for m in found:
        at = bisect.bisect_left(starts, m.end())
        if at == len(starts) or starts[at] - m.end() > _PAPERWORK_REACH:
            return False
    return bool(found)


# Right before the old date of a move: "has moved from", "was postponed from the".
_MOVED_FROM_RE = re.compile(
    r"\b(?:moved|moving|postponed|rescheduled|changed|shifted|(?:pushed|put)\s+back|brought\s+forward)\s+from\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# Right after a span moved from: "to" and the new date ("from 3-4 October to 7-8 October", "… to the 7th").
_TO_THE_NEW_DATE_RE = re.compile(
    rf"\s{{1,3}}(?:to|until|till)\s{{1,3}}(?:the\s{{1,3}})?(?:\d|{P.MON}|{P.WD})", re.IGNORECASE
)


# Between a deadline's date and a date written right after it (a correction, an alternative, the window's end):
# nothing, or a comma, a slash, "or", a list's ", or" or a dash ("Voting: 1st April (12pm) - 5th April (5pm)").
_AFTER_A_DEADLINE_RE = re.compile(
    r"[\s)]{0,3}(?:/\s{0,3}|,\s{0,3}(?:or\s{0,3})?|(?:or|-)\s{0,3})?", re.IGNORECASE
)


# "after lunch", "before breakfast": a meal said as the time of day, not a gathering.
_MEAL_AS_TIME_RE = re.compile(r"\b(?:after|before)\s{1,3}(?:breakfast|lunch|dinner)\b", re.IGNORECASE)


def _said_as_deadline(
    item: _Item,
    work: str,
    bounds: tuple[int, int],
    before: str,
    clauses: C.Clauses,
    clause_to_item: tuple[int, int],
    deadline_end: int,
) -> bool:
    """Is the item (its date and any clock) a deadline: "by 3 April", "deadline: …", a "### Deadline" heading
    above it, or a date joined right after the last deadline's (``deadline_end``, -1 for none)?
    ``clause_to_item`` is the sentence's offsets of the item's clause start and of the item."""
    lead = min(item.span[0], item.time.span[0]) if item.time else item.span[0]
    tail = max(item.span[1], item.time.span[1]) if item.time else item.span[1]
    before_lowered = before.lower()
    return (
        (
            any(word in before_lowered for word in N.DEADLINE_HINTS)
            and N.DEADLINE_BEFORE_RE.search(before) is not None
        )
        or N.DEADLINE_AFTER_RE.match(work, tail, min(bounds[1], tail + 30)) is not None
        or clauses.deadline_word_between(*clause_to_item)
        or C.line_above_names_a_deadline(work, item.span)
        or (
            ":" in before
            and N.STEP_LABEL_BEFORE_RE.match(work, work.rfind("\n", 0, lead) + 1, lead) is not None
        )
        or (
            not work[bounds[0] : lead].strip(P.LINE_MARKS)
            and N.TIMELINE_DUE_AFTER_RE.match(work, tail, min(bounds[1], tail + 90)) is not None
        )
        # "before December 5 December 8", "by the 3rd or 4th": a date written right after a deadline is one too
        or (
            0 <= deadline_end <= lead
            and lead - deadline_end <= 8
            and _AFTER_A_DEADLINE_RE.fullmatch(work, deadline_end, lead) is not None
        )
    ) and not (
        item.time is not None
        and S.TIMED_SPAN_END_BEFORE_RE.search(before)
        or S.STARTED_THEN_ENDS_BEFORE_RE.search(before)
        or N.POSTPONED_UNTIL_BEFORE_RE.search(before)
    )


# How far before a date "schedule around …" is looked for.
_AVOID_REACH = 90


_OR_RE = re.compile(r"\bor\b", re.IGNORECASE)


def _offered_with_or(mentions: list[TimeMention], work: str) -> None:
    """ "10am - 12pm on 4 March or 2pm - 4pm on 5 March": times offered with "or" are candidates."""
    mentions.sort(key=lambda m: m.span)
    for i, (before, after) in enumerate(zip(mentions, mentions[1:], strict=False)):
        if (before.start, before.end) != (after.start, after.end) and _OR_RE.search(
            work, before.span[1], after.span[0]
        ):
            for at, mention in ((i, before), (i + 1, after)):
                if not mention.candidate:
                    mentions[at] = replace(mention, flags=(*mention.flags, "candidate"))


def _doubt_whole_groups(
    mentions: list[TimeMention], read_from: list[tuple[int, TimeMention]]
) -> list[TimeMention]:
    """ "Friday 14 June and Saturday 16 June" (the 16th is a Sunday): dates written together stand or fall
    together, so one that contradicts itself makes its siblings doubtful too."""
    doubtful = {group for group, mention in read_from if mention.conflict}
    if not doubtful:
        return mentions
    marked = {id(mention) for group, mention in read_from if group in doubtful and not mention.conflict}
    return [replace(m, flags=(*m.flags, "conflict")) if id(m) in marked else m for m in mentions]


def _stamps_win(mentions: list[TimeMention], exact: list[TimeMention], ctx: _Context) -> list[TimeMention]:
    """ "Friday March 3rd 2023-03-03T18:00:00Z": Discourse's local dates flattened to text; the stamps say
    exactly what the prose around them says loosely, so prose dates on a stamped day are dropped."""
    stamped = {_day_of(m.start, ctx) for m in exact}
    return [m for m in mentions if m in exact or _day_of(m.start, ctx) not in stamped]


def _day_of(moment: datetime | date, ctx: _Context) -> date:
    return moment.astimezone(ctx.zone).date() if isinstance(moment, datetime) else moment


def _moment_key(m: TimeMention) -> tuple:
    return (m.start, m.end, m.all_day, type(m.start))


# ("12:00 PM on Saturday, April 13th, to 12:00 PM on Sunday": the comma closing the first date may stand before "to")
_SPAN_JOIN_RE = re.compile(
    r"\s*,?\s*(?:-{1,2}|to|until|till|through(?:\s+to)?|thru|and\s+ends?(?:\s+at)?)\s*(?:on\s+)?",
    re.IGNORECASE,
)


def _join_timed_spans(mentions: list[TimeMention], text: str, work: str) -> list[TimeMention]:
    """ "from 6pm Friday 12th September to 2pm Sunday 14th September" is one stay, not two starts."""
    mentions.sort(key=lambda m: m.span)
    return S.join_starts_to_ends(
        mentions,
        text,
        lambda prior, mention: (
            isinstance(prior.start, datetime)
            and isinstance(mention.start, datetime)
            and timedelta(0) < mention.start - prior.start <= _LONG_TIMED_SPAN
            and (joiner := _SPAN_JOIN_RE.fullmatch(work, prior.span[1], mention.span[0])) is not None
            # "When: Fri April 23 14:30 - Tue May 25 15:30": a dash joins a calendar entry's ends however far
            # apart; "to" over more than a fortnight may be a move ("from 4 March 6pm to 1 April 6pm")
            and (
                mention.start - prior.start <= timedelta(days=14)
                or _DASH_JOIN_RE.fullmatch(joiner.group()) is not None
            )
        ),
    )


_LONG_TIMED_SPAN = timedelta(days=62)
_DASH_JOIN_RE = re.compile(r"\s*-{1,2}\s*")
