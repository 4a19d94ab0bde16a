"""Weekdays within one sentence: a weekday restating the date beside it, one said again, a series' first
dated day, a plain weekday anchored to the week of a date in the same sentence, and weekdays that share the
"on" or "every" of the one before them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from cotechbot.when import _patterns as P
from cotechbot.when import _weekday_words as W
from cotechbot.when._calendar import _nth_weekday, _resolve_day
from cotechbot.when._model import _Context, _Day, _gap, _Item

_PART_OF_DAY_END_RE = re.compile(r"\s(?:morning|afternoon|evening|night)$", re.IGNORECASE)
_WEEKDAY_DATE_GAP_RE = re.compile(r"[ \t]{0,3},?[ \t]{1,3}(?:the[ \t]{1,3})?")


def _drop_restated_weekdays(items: list[_Item], work: str) -> list[_Item]:
    """ "this Thursday (5th June)" and "tomorrow (Thursday)" name one day twice: keep the date."""
    kept: list[_Item] = []
    for item, following in zip(items, [*items[1:], None], strict=False):
        if item.kind == "weekday" and kept and _restates_after(kept[-1], item, work):
            if work.find("(", kept[-1].span[1], item.span[0]) != -1 and not W.BRACKET_CLOSES_RE.match(
                work, item.span[1]
            ):
                continue  # "Saturday 1st April (Sunday if really wet)": a fallback day aside, not the date's weekday
            day = kept[-1].first
            assert day is not None and item.first is not None
            if day.weekday is None:
                day.weekday = item.first.weekday
            elif day.weekday != item.first.weekday:
                kept[-1].flags.append("conflict")  # "Tuesday 4 June (Friday)": which one?
            close = work.find(")", item.span[1], item.span[1] + 2)
            kept[-1].span = (kept[-1].span[0], close + 1 if close != -1 else item.span[1])
            continue
        if (
            item.kind == "weekday"
            and item.weekday_mod is None
            and following is not None
            and following.kind == "day"
            and following.first is not None
            and following.first.month is not None
            and following.first.weekday is None
            and item.first is not None
            and W.WEEKDAY_SERIES_FROM_RE.fullmatch(work, item.span[1], following.span[0])
        ):
            following.first.weekday = item.first.weekday  # "Friday training from 12th September": a Friday
            continue
        if (
            item.kind == "weekday"
            and item.weekday_mod in (None, "on")
            and item.recurrence is None
            and following is not None
            and following.kind == "day"
            and following.first is not None
            and following.first.month is not None
            and following.first.weekday is None
            and item.first is not None
            and _PART_OF_DAY_END_RE.search(work, item.span[0], item.span[1])
            and _WEEKDAY_DATE_GAP_RE.fullmatch(work, item.span[1], following.span[0])
        ):
            # "starts Monday morning September 24th": the weekday, its part of the day, then the date: one day
            following.first.weekday = item.first.weekday
            following.span = (item.span[0], following.span[1])
            continue
        if item.kind == "weekday" and _names_again(kept, item, work):
            continue  # "this Monday's meeting … for this coming Monday only": one Monday
        if (
            item.kind == "weekday"
            and kept
            and kept[-1].kind == "relday"
            and W.WEEKDAY_RESTATED_RE.fullmatch(work, kept[-1].span[1], item.span[0])
        ):
            kept[-1].span = (kept[-1].span[0], item.span[1])
            continue
        if (
            item.kind == "day"
            and kept
            and kept[-1].kind == "relday"
            and item.first is not None
            and item.first.month is not None
            and kept[-1].fixed is not None
            and (item.first.day, item.first.month, item.first.year or kept[-1].fixed.year)
            != (kept[-1].fixed.day, kept[-1].fixed.month, kept[-1].fixed.year)
            and W.RELDAY_RESTATED_RE.fullmatch(work, kept[-1].span[1], item.span[0])
        ):
            # "from 17:00 UTC tomorrow, 2nd January 2018" written on 2 January: the date written out says which
            # day (a quoted mail's "tomorrow" was said on another day than the post's)
            item.span = (kept[-1].span[0], item.span[1])
            kept[-1] = item
            continue
        if (
            item.kind == "relday"
            and kept
            and kept[-1].kind == "weekday"
            and kept[-1].recurrence is None
            and kept[-1].first is not None
            and item.fixed is not None
            and kept[-1].first.weekday == item.fixed.weekday()
            and W.WEEKDAY_RESTATED_RE.fullmatch(work, kept[-1].span[1], item.span[0])
        ):
            # "on Friday (tomorrow) with a 6pm start": the day-word says which Friday; one day
            close = work.find(")", item.span[1], item.span[1] + 2)
            item.span = (kept[-1].span[0], close + 1 if close != -1 else item.span[1])
            kept[-1] = item
            continue
        if (
            item.kind == "weekday"
            and following is not None
            and following.kind == "day"
            and not (
                kept
                and kept[-1].kind == "weekday"
                and W.WEEKDAY_LIST_GLUE_RE.fullmatch(work, kept[-1].span[1], item.span[0])
            )
            and following.first is not None
            and item.first is not None
            and W.WEEKDAY_RESTATED_RE.fullmatch(work, item.span[1], following.span[0])
        ):
            if following.first.weekday is None:
                following.first.weekday = item.first.weekday
            continue
        kept.append(item)
    return kept


_SAME_WEEK_MODS = (None, "on", "this", "this coming", "coming")


def _names_again(kept: list[_Item], item: _Item, work: str) -> bool:
    """A weekday said again in the same sentence ("this Monday … this coming Monday") is the same day, when
    neither is "next", "last" or a series, and nothing between says it happens "again" ("a success on Friday
    night and we will run it again this Friday": two Fridays)."""
    assert item.first is not None
    return item.weekday_mod in _SAME_WEEK_MODS and any(
        earlier.kind == "weekday"
        and earlier.first is not None
        and earlier.first.weekday == item.first.weekday
        and earlier.weekday_mod in _SAME_WEEK_MODS
        and earlier.recurrence is None
        and item.recurrence is None
        and _AGAIN_RE.search(work, earlier.span[1], item.span[0]) is None
        for earlier in kept
    )


_AGAIN_RE = re.compile(r"\bagain\b", re.IGNORECASE)


def _series_starts(items: list[_Item], sentence: str, ctx: _Context) -> None:
    """ "Starting Sunday May 27th, … every Sunday from 11am-4pm": the dated day is the series' first
    occurrence, at the series' hours; "start on 24 February … every Friday at 3pm" too when the day without
    its weekday written falls on the series' weekday and the sentence says it starts; "From 4 March … every
    first Saturday of the month at 2.30" when the day is that weekday of its month."""
    serieses = [
        s
        for s in items
        if (s.recurrence == "weekly" or (s.recurrence is not None and s.recurrence.startswith("monthly:")))
        and s.time is not None
        and s.first is not None
    ]
    if not serieses:
        return
    starts = P.STARTING_RE.search(sentence) is not None or sentence.lstrip(" \t*#>-").lower().startswith(
        "from "
    )
    # Each day without a clock resolved once and filed by its weekday, so a sentence of many series and many days
    # is read in linear time.
    by_weekday: dict[int, list[tuple[_Item, date, int | None]]] = {}
    for item in items:
        if item.kind != "day" or item.time is not None or item.first is None or item.first.month is None:
            continue
        if item.first.weekday is None and not starts:
            continue
        day = _resolve_day(replace(item.first), ctx, False, [])
        if day is not None and item.first.weekday in (None, day.weekday()):
            by_weekday.setdefault(day.weekday(), []).append((item, day, item.first.weekday))
    for series in serieses:
        assert series.first is not None
        weekday = series.first.weekday
        monthly = series.recurrence is not None and series.recurrence.startswith("monthly:")
        for item, day, written in by_weekday.get(weekday, []) if weekday is not None else []:
            if item.time is not None or not (written == weekday or starts):
                continue
            if monthly:
                assert series.recurrence is not None and weekday is not None
                nth = int(series.recurrence.split(":")[1])
                if not starts or _nth_weekday(day.year, day.month, weekday, nth) != day:
                    continue
            item.time = series.time
            item.flags.append("series_start")
            series.last = item.first  # the series begins there: no occurrence before it


def _anchor_weekdays(items: list[_Item], ctx: _Context) -> list[_Item]:
    """ "Wednesday 8 and Thursday 9 March, 10am - 5pm, with drinks on Wednesday evening from 7": a plain
    weekday in a sentence that dates the days around it is the one among those days; without a clock of its
    own it only restates one of them."""
    plain = [
        i for i in items if i.kind == "weekday" and i.weekday_mod in (None, "on") and i.recurrence is None
    ]
    # "14th-17th November (arrive on Mon 14th …)": a weekday and a day with no month, one of those days too
    partial = [
        i
        for i in items
        if i.kind == "day"
        and i.first is not None
        and i.first.month is None
        and i.first.weekday is not None
        and i.recurrence is None
    ]
    if not (plain or partial):
        return items
    days: list[date] = []
    for item in items:
        if item.kind not in ("day", "range") or item.first is None or item.first.month is None:
            continue
        first = _resolve_day(replace(item.first), ctx, False, [])
        last = first
        if item.kind == "range" and item.last is not None and first is not None and item.last.month:
            last = _resolve_day(replace(item.last, year=item.last.year or first.year), ctx, False, [])
        if first is None or last is None or not timedelta(0) <= last - first <= timedelta(days=14):
            continue
        days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
    restating: list[_Item] = []
    for item in plain:
        assert item.first is not None
        matching = {d for d in days if d.weekday() == item.first.weekday}
        if len(matching) != 1:
            continue
        if item.time is None:
            restating.append(item)
            continue
        (day,) = matching
        item.kind = "day"
        item.first = _Day(day.day, day.month, day.year, day.weekday(), False)
        item.flags.append("weekday_in_context")
    for item in partial:
        assert item.first is not None
        matching = {d for d in days if d.weekday() == item.first.weekday and d.day == item.first.day}
        if len(matching) != 1:
            continue
        if item.time is None:
            restating.append(item)
            continue
        (day,) = matching
        item.first = _Day(day.day, day.month, day.year, day.weekday(), item.first.ordinal)
        item.flags.append("weekday_in_context")
    return [item for item in items if all(item is not other for other in restating)]


def _continue_series(items: list[_Item], work: str) -> None:
    """ "Every Tuesday at 3pm and Thursday at 12pm": a plain weekday listed after a recurring one recurs too."""
    for before, item in zip(items, items[1:], strict=False):
        if (
            before.recurrence == "weekly"
            and item.kind == "weekday"
            and item.weekday_mod in (None, "on")
            and W.SERIES_CONTINUED_RE.fullmatch(work, before.span[1], item.span[0])
        ):
            item.recurrence = "weekly"
            item.weekday_mod = "every"


def _share_on(items: list[_Item], work: str) -> None:
    """ "see you on Wednesday, if not then Saturday": a bare weekday offered beside one said "on" is said so too."""
    for before, item in zip(items, items[1:], strict=False):
        if (
            before.kind == "weekday"
            and before.weekday_mod == "on"
            and before.recurrence is None
            and item.kind == "weekday"
            and item.weekday_mod is None
            and item.recurrence is None
            and (gap := _gap(work, before.span[1], item.span[0])) is not None
            and W.WEEKDAY_ALTERNATIVE_GLUE_RE.fullmatch(gap)
        ):
            item.weekday_mod = "on"
        elif (
            # "Thursday or Friday morning next week": both days are in next week
            item.kind == "weekday"
            and item.weekday_mod == "next week"
            and before.kind == "weekday"
            and before.weekday_mod is None
            and before.recurrence is None
            and before.part_of_day is None
            and (gap := _gap(work, before.span[1], item.span[0])) is not None
            and W.WEEKDAYS_OR_GLUE_RE.fullmatch(gap)
        ):
            before.weekday_mod = "next week"


def _restates_after(date_item: _Item, weekday: _Item, work: str) -> bool:
    """ "7 November (Thursday)", "May 1st, Tuesday 3pm": a plain weekday written right after a day."""
    return (
        date_item.kind == "day"
        and date_item.first is not None
        and date_item.first.month is not None
        and weekday.weekday_mod in (None, "on")
        and weekday.part_of_day is None
        and W.WEEKDAY_AFTER_RE.fullmatch(work, date_item.span[1], weekday.span[0]) is not None
    )
