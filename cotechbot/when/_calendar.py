"""Resolving items to the calendar: the year a date without one means, the day a weekday names, and the
timed or all-day mention that results."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from cotechbot.when._clocks import _settle_clock, _zone_for, _zone_readings
from cotechbot.when._markup import ExactMoment
from cotechbot.when._model import (
    _LONGEST_DELTA,
    _LONGEST_RANGE,
    _NAMED_WEEKDAY,
    _NUMBER_WORDS,
    _PARTIAL_SEARCH_MONTHS,
    _RECENT_PAST,
    TimeMention,
    _Context,
    _Day,
    _Item,
    _Time,
)


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
            # "Thursday, February 29, 2023" written in February 2024: a year typo making a day that does not exist
            corrected = _correct_year(day, None, ctx, past) if day.weekday is not None else None
            if corrected is not None:
                flags.append(f"year_corrected:{day.year}->{corrected.year}")
            return corrected
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
        if (
            day.weekday is not None
            and following is not None
            and following.weekday() == day.weekday
            and (previous is None or previous.weekday() != day.weekday)
        ):
            # "the council agreed to book Friday 23 - Sunday 25 July": the past tense is the decision's;
            # the weekday says which year the date is in
            chosen = following
            flags.append("year_from_weekday")
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


def _correct_year(day: _Day, stated: date | None, ctx: _Context, past: bool) -> date | None:
    """A year typo ("Tuesday 5th March 2014" in a 2024 poll): the nearby year the weekday agrees with."""
    candidates: list[int] = []
    if ctx.reference_year is not None and ctx.reference_year != day.year:
        candidates.append(ctx.reference_year)
    if not past and (stated is None or stated < ctx.today):
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
            (candidate <= ctx.today)
            if past
            # with no weekday to say otherwise, "the 6th" is the next 6th
            else (candidate >= ctx.today - (_RECENT_PAST if day.weekday is not None else timedelta(0)))
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


# "last Monday", "every Tuesday" (as a weekday said once): a weekday with one of these never names a day ahead.
_NOT_ONE_DAY_AHEAD = ("last", "every", "each", "most", "alternate")


def never_resolves(item: _Item) -> bool:
    """Whether ``_resolve`` gives this item no mention whatever its clause says (tense, gathering words, flags):
    a series or a day-word with no clock ("every Tuesday", a bare "today"), a weekday of the past or of a habit
    ("last Monday"), a weekday with no clock not said of one particular day.  The sentence reader skips such an
    item before weighing its words."""
    if item.kind == "weekday":
        if item.recurrence is not None:
            return item.time is None
        return item.weekday_mod in _NOT_ONE_DAY_AHEAD or (
            item.time is None and item.weekday_mod not in _NAMED_WEEKDAY
        )
    if item.kind == "relday":
        return item.time is None and item.weekday_mod == "today" and item.part_of_day != "evening"
    return False


def _resolve(
    item: _Item, text: str, ctx: _Context, past: bool, gathering: bool, flags: list[str]
) -> list[TimeMention]:
    """The mentions one item stands for: usually one, none when doubtful, one per day for "23rd and 24th, 10-4"."""
    first: date | None
    last: date | None
    if never_resolves(item):
        return []
    if item.kind == "weekday" and item.recurrence is not None:
        return _next_occurrence(item, text, ctx, past, flags)
    if item.kind == "weekday":
        day = _resolve_weekday(item, ctx, past, gathering)
        if day is None:
            return []
        flags.append("relative")
        first, last = day, None
        if item.last is not None and item.last.weekday is not None:
            # "this Saturday and Sunday": the span from the day to the next one named
            last = day + timedelta(days=(item.last.weekday - day.weekday()) % 7 or 7)
    elif item.kind == "relday":
        # A bare "today" with no time is happening now or done: nothing to remind.  "Tomorrow's call" and
        # "mapping TONIGHT" are days to mark: the evening of the posting day is still ahead.
        bare_today = item.weekday_mod == "today" and item.part_of_day != "evening"
        # "I helped set up the hall for the exhibition tomorrow": whatever the clause's tense, tomorrow is ahead
        if (past and item.weekday_mod != "tomorrow") or (item.time is None and (bare_today or not gathering)):
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
            # "Sat 24th / Sun 25th": a span of days without a month ends in the month its first day fell in.
            last_month = last_day.month or first.month
            last = _safe_date(first.year, last_month, last_day.day)
            if last is not None and last < first:
                last = _safe_date(first.year + 1, last_month, last_day.day)
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
    if "weekday_mismatch" in flags and not any(f.startswith("year_corrected") for f in flags):
        flags.append("conflict")  # "Monday 17 July" when the 17th is a Wednesday: which day was meant?
    span = item.span
    if item.time is not None and item.time_adjacent:
        span = (min(span[0], item.time.span[0]), max(span[1], item.time.span[1]))
    if item.time is not None and last is None:
        return [_timed_mention(first, item, span, text, ctx, flags)]
    if (
        item.time is not None
        and item.time.end is None
        and last == first + timedelta(days=1)
        and re.search(r"\band\b|&", text[item.span[0] : item.span[1]], re.IGNORECASE)
    ):
        # "March 9th and 10th at 10.30": two days named with one start clock are a session on each day.
        return [_timed_mention(day, item, span, text, ctx, flags) for day in (first, last)]
    if item.time is not None:
        # "3-5 October, 15:00-18:00 each day": one span over the days; the hours are not one interval.
        flags.append("daily_times")
    if (last or first) < ctx.today or (past and (last or first) == ctx.today):
        flags.append("past")  # "had their first meeting today, 4 January": told as done on the day of writing
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


# A series is read for its next few occurrences only: one whose start has gone today gives way to the next.
_SERIES_LOOKAHEAD = 3


def _next_occurrence(
    item: _Item, text: str, ctx: _Context, past: bool, flags: list[str]
) -> list[TimeMention]:
    """ "every Tuesday at 3pm", "the first Thursday of the month at 7pm": the series' next occurrence after the
    post, flagged ``recurring``. Only with a clock (a day alone is a habit, not an appointment), and never
    for a series told in the past ("we met every Tuesday")."""
    assert item.first is not None and item.first.weekday is not None and item.recurrence is not None
    if past or item.time is None:
        return []
    span = item.span
    if item.time_adjacent:
        span = (min(span[0], item.time.span[0]), max(span[1], item.time.span[1]))
    begins = _resolve_day(item.last, ctx, False, []) if item.last is not None else None
    for day in _series_days(item.recurrence, item.first.weekday, max(ctx.today, begins or ctx.today)):
        mention = _timed_mention(day, item, span, text, ctx, [*flags, "recurring"])
        if not mention.is_past:
            return [mention]
    return []


def _series_days(recurrence: str, weekday: int, today: date) -> list[date]:
    if recurrence == "weekly":
        first = today + timedelta(days=(weekday - today.weekday()) % 7)
        return [first + timedelta(weeks=n) for n in range(_SERIES_LOOKAHEAD)]
    nth = int(recurrence.partition(":")[2])
    days: list[date] = []
    year, month = today.year, today.month
    while len(days) < _SERIES_LOOKAHEAD:
        day = _nth_weekday(year, month, weekday, nth)
        if day is not None and day >= today:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` (1-4, or -1 for the last) ``weekday`` of a month."""
    days = [
        d
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if nth == -1:
        return date(year, month, days[-1])
    return date(year, month, days[nth - 1]) if nth <= len(days) else None


def _resolve_weekday(item: _Item, ctx: _Context, past: bool, has_event_word: bool) -> date | None:
    """ "next Thursday", "on Tuesday at 3pm": the next such day after the post, never a recurring one."""
    assert item.first is not None and item.first.weekday is not None
    mod = item.weekday_mod
    if past or mod in _NOT_ONE_DAY_AHEAD:
        return None
    # With no time, only "next/this/on Thursday" said of a gathering ("see you next Thursday") counts.
    if item.time is None and not (mod in _NAMED_WEEKDAY and has_event_word):
        return None
    if mod == "next week":
        return ctx.today + timedelta(days=7 - ctx.today.weekday() + item.first.weekday)
    ahead = (item.first.weekday - ctx.today.weekday()) % 7
    if ahead == 0 and mod not in ("this", "this coming") and not _later_today(item, ctx):
        ahead = 7
    return ctx.today + timedelta(days=ahead)


def _later_today(item: _Item, ctx: _Context) -> bool:
    """ "The call is on Thursday at 9am PT", written on a Thursday before 9am Pacific: the clock is still ahead
    today, so the day is today (a week on would be "next Thursday")."""
    if item.time is None or item.weekday_mod != "on":
        return False
    start, _ = _timed(ctx.today, item.time, item.part_of_day, ctx, [])
    return start > ctx.now


def _timed(
    day: date, found: _Time, part_of_day: str | None, ctx: _Context, flags: list[str]
) -> tuple[datetime, datetime | None]:
    if found.equivalents:
        found, day, zone = _agreeing_clock(day, found, part_of_day, ctx, flags)
    else:
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


def _agreeing_clock(
    day: date, found: _Time, part_of_day: str | None, ctx: _Context, flags: list[str]
) -> tuple[_Time, date, tzinfo]:
    """One moment written in several zones: the clocks must agree (an abbreviation may be read literally or
    as its region's clock, whichever agrees), and the explicit UTC one is reported; if they disagree the
    text contradicts itself and the reading is flagged ``conflict``."""
    scratch: list[str] = []
    near = (day - timedelta(days=1), day, day + timedelta(days=1))

    def instants(clock: _Time, days: tuple[date, ...]) -> dict[datetime, tuple[date, tzinfo]]:
        hour, minute = _settle_clock(clock.start, part_of_day, scratch)
        found_at: dict[datetime, tuple[date, tzinfo]] = {}
        for zone in _zone_readings(clock.start.zone, ctx, day, scratch):
            for on in days:
                found_at.setdefault(_local(on, hour, minute, zone).astimezone(UTC), (on, zone))
        return found_at

    readings = [(found, instants(found, (day,)))]
    readings.extend((other, instants(other, near)) for other in found.equivalents)
    common = set(readings[0][1])
    for _, found_at in readings[1:]:
        common &= set(found_at)
    if not common:
        flags.append("conflict")
        flags.append("clocks_disagree")
        return found, day, _zone_for(found.start.zone, ctx, day, flags)
    instant = next(at for at in readings[0][1] if at in common)
    chosen, found_at = next(((clock, at) for clock, at in readings if _is_utc(clock.start.zone)), readings[0])
    on, zone = found_at[instant]
    _zone_readings(chosen.start.zone, ctx, on, flags)  # records which zone was read
    flags.append("clocks_agree")
    return chosen, on, zone


def _is_utc(name: str | None) -> bool:
    return name is not None and name.strip() in ("UTC", "GMT", "Z")


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


def _nearer_behind(item: _Item, ctx: _Context) -> bool:
    """Is the day an item names (with its month) nearer behind the post than ahead of it?  "the date was set for
    July 15", told two weeks after, is a choice made and a day gone."""
    day = item.first
    if day is None or day.month is None:
        return False
    years = [day.year] if day.year is not None else [ctx.today.year - 1, ctx.today.year, ctx.today.year + 1]
    found = [d for year in years if (d := _safe_date(year, day.month, day.day)) is not None]
    ahead = [d for d in found if d >= ctx.today]
    behind = [d for d in found if d < ctx.today]
    if not behind:
        return False
    return not ahead or ctx.today - behind[-1] < ahead[0] - ctx.today


def _dates_its_own_post(item: _Item, ctx: _Context) -> bool:
    """A day written in full (day, month and year) that is the day the text was written: in a sentence that
    names no gathering and says nothing ahead (``Clauses.quiet``), the post's stamp or signature date ("October
    17, 2007", "The Secretary / 26 July 2023"); people announcing a gathering that same day name it."""
    day = item.first
    return (
        item.kind == "day"
        and day is not None
        and day.year is not None
        and day.month is not None
        and (day.year, day.month, day.day) == (ctx.today.year, ctx.today.month, ctx.today.day)
    )
