"""Checking a date poll's options for likely mistakes: a weekday that does not match its date, the same time
twice, a year unlike the others', a date before the poll was posted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cotechbot.capabilities.polls.model import DateOption, DatePoll, Moment, OptionProblem, OptionTime


def _weekday_wrong(option: DateOption) -> bool:
    """The reader judges words (it knows the day as written, whatever the zone); markup is judged here."""
    when = option.when
    if when is None:
        return False
    if when.source == "text":
        return "weekday_mismatch" in when.flags
    return option.weekday_named is not None and option.weekday_named != when.day.weekday()


def _usual_year(options: Iterable[DateOption]) -> int | None:
    """The year most options are in, when one year clearly leads (at least two options, no tie)."""
    counts = Counter(o.when.day.year for o in options if o.when is not None).most_common(2)
    if not counts or counts[0][1] < 2 or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    return counts[0][0]


def check_poll(poll: DatePoll) -> list[OptionProblem]:
    """Likely mistakes, at most one per option, judged against the moment the poll was posted.

    In order of how telling they are: a weekday that does not match its date (with the likely intended
    day), the same time as an earlier option, a year unlike the others' (and far from every other option,
    so a poll spanning New Year is fine), a date before the poll was posted.
    """
    problems: list[OptionProblem] = []
    seen: dict[Moment, DateOption] = {}
    timed = [o for o in poll.options if o.when is not None]
    usual = _usual_year(timed)
    posted_day = poll.posted_at.astimezone(ZoneInfo(poll.tz)).date()
    for option in timed:
        when = option.when
        assert when is not None
        earlier = seen.get(when.start)
        seen.setdefault(when.start, option)
        base = {"option_id": option.id, "option_text": option.text, "weekday_named": option.weekday_named}
        if (written_year := when.corrected_from_year) is not None:
            written = _replace_year(when.day, written_year)
            problems.append(
                OptionProblem(kind="weekday_mismatch", written_day=written, suggestions=(when.day,), **base)
            )
        elif _weekday_wrong(option):
            problems.append(
                OptionProblem(
                    kind="weekday_mismatch",
                    written_day=when.day,
                    suggestions=_weekday_suggestions(when.day, option.weekday_named),
                    **base,
                )
            )
        elif earlier is not None:
            problems.append(OptionProblem(kind="duplicate", same_as=earlier.text, **base))
        elif usual is not None and when.day.year != usual and _far_from_others(option, timed):
            problems.append(OptionProblem(kind="odd_year", written_day=when.day, usual_year=usual, **base))
        elif _before(when, poll.posted_at, posted_day):
            problems.append(OptionProblem(kind="past", written_day=when.day, **base))
    return problems


def _replace_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def _weekday_suggestions(day: date, named: int | None) -> tuple[date, ...]:
    """The nearest day that is the named weekday, then the written date itself."""
    if named is None:
        return ()
    ahead = (named - day.weekday()) % 7
    nearest = day + timedelta(days=ahead) if ahead <= 3 else day - timedelta(days=7 - ahead)
    return (nearest, day)


def _far_from_others(option: DateOption, timed: Sequence[DateOption]) -> bool:
    assert option.when is not None
    return all(
        abs((o.when.day - option.when.day).days) > 90 for o in timed if o is not option and o.when is not None
    )


def _before(when: OptionTime, posted_at: datetime, posted_day: date) -> bool:
    if isinstance(when.start, datetime):
        return when.start < posted_at
    return when.start < posted_day
