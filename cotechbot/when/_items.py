"""Date items from pattern matches: days, ranges, lists, numeric dates, weekdays and day-words, before their
year and clock are settled."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import replace
from datetime import timedelta

from cotechbot.when import _clauses as C
from cotechbot.when import _patterns as P
from cotechbot.when import _spans as S
from cotechbot.when import _weekday_words as W
from cotechbot.when._model import _AMBIGUOUS_MONTH_WORDS, _Context, _Day, _Item


def _weekday_index(word: str | None) -> int | None:
    return P.WEEKDAYS.get(word[:3].lower()) if word else None


def _month_index(word: str) -> int:
    return P.month_number(word)


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


def _items_from_date(m: re.Match[str], group: int, *, month_first: bool = False) -> list[_Item]:
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
    if m.group("mbr"):
        if m.group("m13").rstrip(".").lower() in _AMBIGUOUS_MONTH_WORDS and m.group("m13").islower():
            return []  # "you may (1) bring …": a verb and a list number
        month = _month_index(m.group("m13"))
        first_day, first_ordinal = _day_number(m.group("d13"))
        first = _Day(first_day, month, None, None, first_ordinal)
        if m.group("d14") is None:
            return [_Item("day", span, first=first, group=group)]
        last_day, last_ordinal = _day_number(m.group("d14"))
        if last_day <= first_day:
            return []
        return [
            _Item(
                "range", span, first=first, last=_Day(last_day, month, None, None, last_ordinal), group=group
            )
        ]
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
        return _numeric_item(m, group, month_first=month_first)
    if m.group("wdnum"):
        if m.group("n3d") or m.group("n3b"):
            # "Sunday the 27.05.", "Sunday (13.09)": a day and month written with stops are day first
            day_number = int(m.group("n3d") or m.group("n3b"))
            month = int(m.group("n4d") or m.group("n4b"))
        else:
            a, b = int(m.group("n3")), int(m.group("n4"))
            day_number, month = (a, b) if b <= 12 and not (month_first and a <= 12) else (b, a)
        if not (1 <= month <= 12 and 1 <= day_number <= 31):
            return []
        written = _Day(day_number, month, None, _weekday_index(m.group("wd11")), True)
        return [_Item("day", span, first=written, group=group)]
    if m.group("wdday"):
        number, ordinal = _day_number(m.group("d10"))
        weekday_word = m.group("wd10")
        if not ordinal and weekday_word.islower():
            return []  # "sat 3 exams"
        if _PREDICATE_BEFORE_RE.search(m.string, max(0, m.start() - 8), m.start()):
            return []  # "25th June is a Saturday, 27th is a Monday": the weekday is said of the day before it
        return [
            _Item(
                "day",
                span,
                first=_Day(number, None, None, _weekday_index(weekday_word), ordinal),
                group=group,
            )
        ]
    return []


# Right before a weekday: "is a", "was a", "'s a": the weekday is said of what came before it.
_PREDICATE_BEFORE_RE = re.compile(r"(?:\bis|\bwas|\bbe|['’]s)\s{1,3}an?\s{1,3}$", re.IGNORECASE)


def _clock_beside(work: str, start: int, end: int) -> bool:
    """ "2 p.m. on Feb 4, 5 and 6", "4, 5 and 6 March, 7-9pm": one clock written right before or right after a
    list of three or more consecutive days, named one by one, is the clock of a session on each day, not one
    event over the days (two days with hours, "9am to 5pm on May 10 & 11", stay one event)."""
    before = work[max(0, start - 20) : start]
    if ("m" in before.lower() or "o'clock" in before) and P.CLOCK_BEFORE_LIST_RE.search(before):
        return True
    after = work[end : end + 30]
    return any(c.isdigit() for c in after) and P.CLOCK_AFTER_LIST_RE.match(after) is not None


def _end_of_clocked_list(work: str, prior: _Item, item: _Item) -> bool:
    """ "March 4, 5 and 6, 7-9pm": the last two days of a list of sessions kept apart stay apart."""
    before = work[max(0, prior.span[0] - 8) : prior.span[0]]
    return (
        "," in before
        and re.search(r"\d(?:st|nd|rd|th)?\s?,\s?$", before) is not None
        and _clock_beside(work, prior.span[0], item.span[1])
    )


def _start_of_clocked_list(work: str, prior: _Item, item: _Item, following: list[_Item]) -> bool:
    """ "8/9th & Fri 14th Feb, 11am-1pm": the first two days of one list of sessions, a later day of it written
    after them and the clock after that, stay apart."""
    return (
        bool(following)
        and following[0].group == item.group == prior.group
        and following[0].kind == "day"
        and S.SPAN_PAIR_JOIN_RE.fullmatch(work, item.span[1], following[0].span[0]) is not None
        and _clock_beside(work, prior.span[0], following[0].span[1])
    )


def _list_items(m: re.Match[str], group: int) -> list[_Item]:
    """ "Tues 4th or Thurs 6th April": every day takes the month and year written once at the end."""
    last = _day(m, 8)
    if last is None:
        return []
    list_start = m.start("list")
    list_text = m.group("list")
    partials: list[tuple[_Day, tuple[int, int]]] = []
    found = list(P.LIST_ITEM_RE.finditer(list_text))
    for at, item in enumerate(found):
        number, ordinal = _day_number(item.group("d0"))
        weekday = _weekday_index(item.group("wd0"))
        # "items 1, 2 and 3rd May" mixes counts with dates; "7/8th June", "8/9th & Fri 14th Feb" hold two days
        # written short
        following = _day_number(found[at + 1].group("d0"))[0] if at + 1 < len(found) else last.day
        slashed_pair = number + 1 == following and list_text.startswith("/", item.end())
        if not ordinal and weekday is None and last.ordinal and not slashed_pair:
            # "Day 1, Wednesday Oct 28th": a count before a date that names its own weekday leaves the date
            if not partials and m.group("wd8") and list_text.startswith(",", item.end()):
                return [_Item("day", (list_start + len(list_text), m.end()), first=last, group=group)]
            return []
        partials.append(
            (
                _Day(number, last.month, last.year, weekday, ordinal),
                (list_start + item.start(), list_start + item.end()),
            )
        )
    if not partials:
        return []
    last_span = (m.start("list") + len(list_text), m.end())
    if P.MONTH_FIRST_END_RE.search(m.string, last_span[0], last_span[1]):
        # "March 7, 14, 21 and April 4": days before a date written month first belong to the month before them,
        # never to the month after
        return [_Item("day", last_span, first=last, group=group)]
    connectors = re.sub(r"[\w\s]*?(\d+(?:st|nd|rd|th)?)", " ", list_text.lower())
    days = [day.day for day, _ in partials] + [last.day]
    consecutive = all(b == a + 1 for a, b in zip(days, days[1:], strict=False))
    offered = " or" in f" {connectors}"
    # "17th and 18th May", "5/6 July", "6+7 February", "Tue 3rd, Wed 4th and Thu 5th": consecutive days joined
    # by "and" (or two by a slash or a plus) are one event over those days; so are three or more consecutive
    # days in a bare comma list ("27, 28, 29 October").
    if (
        consecutive
        and not offered
        and (len(days) >= 3 or re.search(r"\band\b|&|/|\+", list_text, re.IGNORECASE))
        and not (len(days) >= 3 and _clock_beside(m.string, m.start(), m.end()))
    ):
        return [_Item("range", m.span(), first=partials[0][0], last=last, group=group)]
    # "2 or 3 September": each day a candidate.
    flags = ["candidate"] if offered else []
    items = [_Item("day", span, first=day, group=group, flags=list(flags)) for day, span in partials]
    items.append(_Item("day", last_span, first=last, group=group, flags=list(flags)))
    return items


def _numeric_item(m: re.Match[str], group: int, *, month_first: bool = False) -> list[_Item]:
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
    elif 1 <= a <= 12 and 1 <= b <= 12 and month_first:
        day, month = b, a
        if a != b:
            flags.append("month_first_assumed")
    elif 1 <= a <= 12 and 1 <= b <= 12:
        day, month = a, b
        if a != b:
            flags.append("day_first_assumed")
    else:
        return []
    weekday = _weekday_index(m.group("wd12"))
    return [_Item("day", m.span(), first=_Day(day, month, year, weekday, True), group=group, flags=flags)]


_LATER_BEFORE_RE = re.compile(r"\blater(?:\s{1,3}on)?\s{1,3}$", re.IGNORECASE)


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
    # "later on today we are hosting a film night": the rest of the day is still ahead
    if (
        offset == 0
        and m.group("today")
        and _LATER_BEFORE_RE.search(m.string, max(0, m.start() - 12), m.start())
    ):
        said = "later today"
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


def worded_date_item(m: re.Match[str], group: int) -> _Item | None:
    """ "the first of April", "Wednesday July third": the day, its month and any year or weekday written."""
    said = re.sub(r"[ -]+", " ", (m.group("ord") or m.group("ord2")).lower())
    tens, _, unit = said.rpartition(" ")
    number = P.ORDINAL_WORD_NUMBERS.get(unit, 0) + {"": 0, "twenty": 20, "thirty": 30}.get(tens, -99)
    if said == "thirtieth":
        number = 30
    if not 1 <= number <= 31:
        return None
    month = _month_index(m.group("mon") or m.group("mon2"))
    year = int(m.group("year")) if m.group("year") else None
    weekday = _weekday_index(m.group("wd")) if m.group("wd") else None
    return _Item("day", m.span(), first=_Day(number, month, year, weekday, True), group=group)


_ONE_WEEKEND_MODS = ("on", "this", "next", "coming", "this coming")


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
    lead = max(0, m.start() - 20)
    before = work[lead : m.start()]
    after = work[m.end() : m.end() + 20]
    if (
        mod in _ONE_WEEKEND_MODS
        and part is None
        and (pair := W.NEXT_DAY_PAIR_AFTER_RE.match(work, m.end())) is not None
        and item.first is not None
        and item.first.weekday is not None
        and _weekday_index(pair.group("wd")) == (item.first.weekday + 1) % 7
        and not W.RECURRING_BEFORE_RE.search(before)
    ):
        # "joining us this Saturday and Sunday": two days running, said of one week, are one span
        item.last = _Day(0, None, None, _weekday_index(pair.group("wd")))
        item.span = (m.start(), pair.end())
        return item
    if (
        W.RECURRING_BEFORE_RE.search(before)
        or W.WEEKDAY_SPAN_BEFORE_RE.search(before)
        or W.WEEKDAY_SPAN_AFTER_RE.match(after)
        or (before.lower().endswith("the ") and W.DAY_BY_ANOTHER_AFTER_RE.match(work, m.end()))
    ):
        item.weekday_mod = (
            "every"  # "every Tuesday", "first Monday", "Monday to Friday": a pattern, not a day
        )
    elif (
        mod in ("", "on")
        and _alternating_after(work, m.end())
        and not W.SERIES_START_BEFORE_RE.search(before)
    ):
        item.weekday_mod = "every"  # "a seminar (Wednesday, 3:30 pm) every other week": no sure next date
    elif (
        mod in ("", "on")
        and "week" in before + work[m.end() : item.span[1] + 20]
        and (
            W.NEXT_WEEK_BEFORE_RE.search(before)
            # ("Friday morning next week": said after the day's part, of the day)
            or W.NEXT_WEEK_AFTER_RE.match(work, item.span[1], item.span[1] + 20)
        )
    ):
        item.weekday_mod = (
            "next week"  # "next week Monday", "on Tuesday next week": in the week after this one
        )
    elif not mod and W.ATTENDING_BEFORE_RE.search(before):
        item.weekday_mod = "on"  # "I'll be there Saturday": the next Saturday, as "on Saturday" is
    elif not mod and W.MOVED_TO_BEFORE_RE.search(before) and W.CLAUSE_ENDS_AFTER_RE.match(work, item.span[1]):
        item.weekday_mod = "on"  # "Moved to Friday.": the new day of a move, as "on Friday" is
    elif (
        not mod
        and P.WEEKDAY_OPENS_SENTENCE_BEFORE_RE.search(work, lead, m.start())
        and P.SUBJECT_AFTER_WEEKDAY_RE.match(work, m.end())
    ):
        item.weekday_mod = "on"  # "**Friday** we will meet at 18:00": a weekday opening what is said of it
    if (
        item.weekday_mod in (None, "on", "next", "this", "coming", "this coming")
        and part is None
        and W.owns_a_gathering(work, m.end())
    ):
        # "following Monday's committee meeting": the day of the one gathering it owns
        item.weekday_mod = item.weekday_mod or "on"
    _read_recurrence(item, mod, work, lead, before)
    if mod in ("", "on") and item.weekday_mod in (None, "on") and item.recurrence is None:
        habit_from = max(0, m.start() - 40)
        if (habit := W.HABIT_BEFORE_RE.search(work, habit_from, m.start())) and not W.HABIT_COUNTED_RE.search(
            work, habit_from, habit.start()
        ):
            item.weekday_mod, item.recurrence = "every", "weekly"  # "our meetings are on Wednesday at 1pm"
        elif "weekly" in work[max(0, m.start() - _WEEKLY_REACH) : m.start()].lower() and (
            (weekly := W.WEEKLY_BEFORE_RE.search(work, max(0, m.start() - _WEEKLY_REACH), m.start()))
            and not W.HABIT_COUNTED_RE.search(work, weekly.end(), m.start())
        ):
            item.weekday_mod, item.recurrence = (
                "every",
                "weekly",
            )  # "our weekly meetup, Tuesday at 7": the habit
        elif "/" in work[m.end() : m.end() + _SEASONS_REACH] and W.BOTH_SEASONS_AFTER_RE.match(
            work, m.end(), m.end() + _SEASONS_REACH
        ):
            item.weekday_mod, item.recurrence = (
                "every",
                "weekly",
            )  # "Wednesday at 2:00pm EST/EDT": a standing slot
        elif (
            mod == ""
            and (
                "days" in (listed := work[max(0, m.start() - _LISTED_REACH) : m.start()].lower())
                or "ings" in listed
            )
            and W.PLURAL_SLOT_LISTED_BEFORE_RE.search(work, max(0, m.start() - _LISTED_REACH), m.start())
        ):
            item.weekday_mod, item.recurrence = (
                "every",
                "weekly",
            )  # "Mondays at 9.30am, Saturday at 6.30pm": a timetable's slot, listed after a weekly one
        elif mod == "" and (
            "," in (short := work[max(0, m.start() - _SHORT_LIST_REACH) : m.start()])
            and W.SHORT_WEEKDAYS_LISTED_BEFORE_RE.search(short)
            or W.SHORT_WEEKDAY_LISTED_AFTER_RE.match(work, m.end(), m.end() + 12)
        ):
            item.weekday_mod, item.recurrence = (
                "every",
                "weekly",
            )  # "Sat, Sun: 7:00 - 21:00", "9.30-4 Tues, Weds, Fri and 9.30-12.30 Saturday": standing days
    return item


# How far before a weekday a gathering called weekly is looked for.
_WEEKLY_REACH = 60
# How far before a bare weekday a list of weekly slots it belongs to is looked for.
_LISTED_REACH = 150
# How far before a bare weekday a list of short weekday names it belongs to is looked for.
_SHORT_LIST_REACH = 50
# How far after a weekday a clock's zone in both seasons is looked for.
_SEASONS_REACH = 40


# How far after a weekday "every other week" is looked for.
_ALTERNATING_REACH = 80


def _alternating_after(work: str, end: int) -> bool:
    """ "Wednesday, 3:30 pm, … every other week", "Thursdays at 7, fortnightly": a weekday whose sentence goes on to
    say the gathering skips weeks has no next date anyone could be sure of (as "every other Wednesday" has none)."""
    window = work[end : end + _ALTERNATING_REACH].lower()
    if "week" not in window and "fortnight" not in window:
        return False
    found = W.ALTERNATING_AFTER_RE.match(work, end, end + _ALTERNATING_REACH)
    # "on Thursday, once every 4 weeks, starting on January 16": the dated first day is read instead
    return found is not None and W.SERIES_START_AFTER_RE.match(work, found.end(), found.end() + 40) is None


_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}


def _read_recurrence(item: _Item, mod: str, work: str, lead: int, before: str) -> None:
    """ "every Tuesday" is weekly; "the first Thursday of the month" monthly. Other patterns ("every other
    Tuesday", "Monday to Friday") have no next occurrence anyone could be sure of, and stay unread."""
    of_month = W.OF_THE_MONTH_RE.match(work, item.span[1])
    nth = W.NTH_WEEKDAY_BEFORE_RE.search(before)
    if of_month is not None and mod == "last":
        item.recurrence = "monthly:-1"  # "last Friday of the month": "last" was read as the weekday's word
        item.span = (item.span[0], of_month.end())
    elif of_month is not None and nth is not None:
        item.recurrence = f"monthly:{_NTH[nth.group('nth').lower()]}"
        item.span = (lead + nth.start(), of_month.end())
    elif mod in ("every", "each") and of_month is None:
        item.recurrence = "weekly"


def _continued_days(item: _Item, work: str, end: int, group: int) -> list[_Item]:
    """ "Oct 8, 15, 29th", "May 22 or maybe 23": later days of the month written first, each its own item;
    offered with "or", every one of them is a candidate."""
    first = item.first
    if first is None or first.month is None or not work[item.span[1] - 1].isalnum():
        return []
    if not P.MONTH_FIRST_END_RE.search(work, item.span[0], item.span[1]):
        return []
    span_end = S.DAY_SPAN_CONTINUATION_RE.match(work, item.span[1], end)
    if span_end is not None and _day_number(span_end.group("day"))[0] > first.day:
        # "July 22nd through the 24th": one event over the days.
        year = int(span_end.group("year")) if span_end.group("year") else first.year
        number, ordinal = _day_number(span_end.group("day"))
        item.first = _Day(first.day, first.month, year, first.weekday, first.ordinal)
        item.kind, item.last = "range", _Day(number, first.month, year, None, ordinal)
        item.span = (item.span[0], span_end.end())
        return []
    made: list[_Item] = []
    at, last_day, offered, year = item.span[1], first.day, False, first.year
    while (m := P.DAY_CONTINUATION_RE.match(work, at, end)) is not None:
        number, ordinal = _day_number(m.group("day"))
        if number <= last_day:
            break
        offered = offered or "or" in m.group("glue").lower().split()
        made.append(
            _Item(
                "day", m.span("day"), first=_Day(number, first.month, first.year, None, ordinal), group=group
            )
        )
        at, last_day = m.end(), number
        if m.group("year") and year is None:
            year = int(m.group("year"))  # "September 26th and 27th 2020": the year ends the list
            break
    if year != first.year:
        for each in (item, *made):
            if each.first is not None:
                each.first = _Day(
                    each.first.day, each.first.month, year, each.first.weekday, each.first.ordinal
                )
        first = item.first or first
    days = [first.day] + [each.first.day for each in made if each.first is not None]
    if (
        made
        and not offered
        and made[-1].first is not None
        and days == list(range(first.day, first.day + len(days)))
        and (len(days) >= 3 or re.search(r"\band\b|&|/", work[item.span[1] : made[0].span[0]], re.IGNORECASE))
        and not (len(days) >= 3 and _clock_beside(work, item.span[0], made[-1].span[1]))
    ):
        # "Apr 24 and 25", "June 10/11": two consecutive days, one event over both; so are three or more
        # consecutive days in a comma list ("October 27, 28, 29").
        item.kind, item.last, item.span = "range", made[-1].first, (item.span[0], made[-1].span[1])
        return []
    if offered:
        for each in (item, *made):
            each.flags.append("candidate")
    return made


def _join_consecutive_days(items: list[_Item], work: str) -> list[_Item]:
    """ "October 4 and October 5", "Sat 24th / Sun 25th": two dates of consecutive days joined only by "and",
    "&", "/" or "+" are one event over both; "Saturday and Sunday, November 2 and 3" gives each day its
    weekday."""
    joined: list[_Item] = []
    for at, item in enumerate(items):
        prior = joined[-1] if joined else None
        if (
            prior is not None
            and _consecutive_pair(prior, item)
            and S.SPAN_PAIR_JOIN_RE.fullmatch(work, prior.span[1], item.span[0])
            and prior.first is not None
            and item.first is not None
            and not _end_of_clocked_list(work, prior, item)
            and not _start_of_clocked_list(work, prior, item, items[at + 1 : at + 2])
        ):
            year = prior.first.year or item.first.year
            prior.kind, prior.span = "range", (prior.span[0], item.span[1])
            prior.first = _Day(
                prior.first.day, prior.first.month, year, prior.first.weekday, prior.first.ordinal
            )
            prior.last = _Day(item.first.day, item.first.month, year, item.first.weekday, item.first.ordinal)
            continue
        if prior is not None and _between_pair(prior, item, work):
            assert prior.first is not None and item.first is not None
            # one stretch (a window too long for one gathering is then read as none)
            prior.kind, prior.span = "range", (prior.span[0], item.span[1])
            prior.first = replace(prior.first, month=prior.first.month or item.first.month)
            prior.last = replace(item.first)
            if _stretch_days(prior.first, prior.last) > _LONGEST_BETWEEN_EVENT:
                # "meet 4 to 6 times between June 14th and July 30th": a window to schedule in, no gathering
                prior.flags.append("window")
            continue
        joined.append(item)
    for item in joined:
        first, last = item.first, item.last
        if item.kind != "range" or first is None or last is None or first.weekday is None:
            continue
        before = S.WEEKDAY_PAIR_BEFORE_RE.search(work, max(0, item.span[0] - 16), item.span[0])
        weekday = _weekday_index(before.group("wd")) if before else None
        if (
            before
            and weekday is not None
            and last.weekday is None
            and last.day == first.day + 1
            and (weekday + 1) % 7 == first.weekday
        ):
            item.first = _Day(first.day, first.month, first.year, weekday, first.ordinal)
            item.last = _Day(last.day, last.month, last.year, first.weekday, last.ordinal)
            item.span = (before.start(), item.span[1])
    return joined


# A gathering said to be "between" two days spans a few days at most ("between 4 and 6 March"); a longer
# stretch is a window something must happen in.
_LONGEST_BETWEEN_EVENT = 14


def _stretch_days(first: _Day, last: _Day) -> int:
    """Roughly how many days from one written day to a later one (months of 31 days; enough to tell a few days
    from weeks)."""
    months = ((last.month or 0) - (first.month or last.month or 0)) % 12
    return months * 31 + last.day - first.day


def _between_pair(prior: _Item, item: _Item, work: str) -> bool:
    """ "between 1 January and 31 March", "between the 3rd and 9th May": two single days (the second with its
    month) bounding a stretch of time."""
    return (
        prior.kind == "day"
        and item.kind == "day"
        and prior.first is not None
        and item.first is not None
        and item.first.month is not None
        and prior.time is None
        and S.BETWEEN_AND_RE.fullmatch(work, prior.span[1], item.span[0]) is not None
        and S.BETWEEN_BEFORE_RE.search(work, max(0, prior.span[0] - 14), prior.span[0]) is not None
    )


def _consecutive_pair(prior: _Item, item: _Item) -> bool:
    """Two single days, the second the day after the first (in the same month, or the first of the next),
    neither offered as a choice, their weekdays (where written) a day apart too."""
    a, b = prior.first, item.first
    if prior.kind != "day" or item.kind != "day" or a is None or b is None:
        return False
    if "candidate" in prior.flags or "candidate" in item.flags:
        return False
    # "Friday 31 May and Saturday 1 June": the last day of a month and the first of the next are consecutive too
    next_month = (
        a.month is not None
        and b.month == a.month + 1
        and b.day == 1
        and a.day in {monthrange(a.year or 2001, a.month)[1], 29 if a.month == 2 and a.year is None else 0}
    )
    if not next_month and (a.month != b.month or b.day != a.day + 1):
        return False
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    return a.weekday is None or b.weekday is None or b.weekday == (a.weekday + 1) % 7


def _month_day_item(m: re.Match[str], group: int) -> _Item:
    day = _Day(int(m.group("day")), int(m.group("month")), None, None, True)
    return _Item("day", m.span(), first=day, group=group, flags=["month_first_assumed"])


def _day_month_item(m: re.Match[str], group: int) -> _Item | None:
    """ "31/10 at 10:30" on a day-first forum: 31 October; "10/31" can only be month/day, and says so."""
    first, second = int(m.group("first")), int(m.group("second"))
    if second <= 12:
        day = _Day(first, second, None, None, True)
        flags = ["day_first_assumed"] if first <= 12 and first != second else []
    elif first <= 12:
        day, flags = _Day(second, first, None, None, True), ["month_first"]
    else:
        return None
    return _Item("day", m.span(), first=day, group=group, flags=flags)


def _offered_range(following: _Item, work: str, start: int, at: int, group: int) -> _Item | None:
    """ "3rd - 4th or 10th - 11th June": the span written before, in the same month; offered with "or", both
    spans are candidates."""
    m = P.RANGE_BEFORE_RE.search(work, max(start, at - 24), at)
    month = following.first
    if m is None or month is None:
        return None
    first, first_ordinal = _day_number(m.group("first"))
    last, last_ordinal = _day_number(m.group("last"))
    if not first < last < month.day:
        return None
    if "or" in m.group("glue").lower():
        following.flags.append("candidate")
    return _Item(
        "range",
        (m.start("first"), m.end("last")),
        first=_Day(first, month.month, month.year, None, first_ordinal),
        last=_Day(last, month.month, month.year, None, last_ordinal),
        group=group,
        flags=list(following.flags),
    )


_HEADING_REACH = 600  # how far above a day written alone its month heading may stand
_GATHERING_REACH = 80  # how far either side of a day alone the gathering it dates may be named
_ANNOUNCED_REACH = 300  # how far before it, in its sentence, the full date that gives its month may stand
_MONTH_NAMED_REACH = 160  # how far before it, in its sentence, a month named alone may stand


def offered_days(
    m: re.Match[str], ctx: _Context, group: int, earlier: list[_Item], bounds: tuple[int, int]
) -> list[_Item]:
    """ "I could do the 5th, 19th or 26th": days of one month, the first month in which the first of them is
    still ahead (or, with "(Wednesdays)" after them, falls on that weekday); offered as several, each is a
    candidate.  Announced ("the concert on 1st October …; Harvest Festival on 8th") they are each an event,
    read only where the month is in context (see ``_announced_month``)."""
    days = [(d.span(), int(d.group()[:-2])) for d in P.OFFERED_DAY_RE.finditer(m.group(), 0)]
    named = P.OFFERED_WEEKDAY_RE.match(m.string, m.end())
    weekday = P.WEEKDAYS[named.group("wd")[:3].lower()] if named else None
    announced = m.groupdict().get("announced") is not None
    year: int | None
    month: int | None
    year, month = ctx.today.year, ctx.today.month
    if days[0][1] < ctx.today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if announced:
        context = announced_month(m, ctx, earlier, bounds, days[0][1])
        if context is None:
            return []
        year, month, weekday = context
    items = []
    for (first, last), number in days:
        if number > monthrange(year or 2000, month or 1)[1]:
            return []
        span = (m.start() + first, m.start() + last)
        written = (
            _Day(number, month, year, None, True)
            if weekday is None
            else _Day(number, None, None, weekday, True)
        )
        item = _Item("day", span, first=written, group=group)
        if len(days) > 1 and not announced:
            item.flags.append("candidate")
        items.append(item)
    return items


def announced_month(
    m: re.Match[str], ctx: _Context, earlier: list[_Item], bounds: tuple[int, int], first_day: int
) -> tuple[int | None, int | None, int | None] | None:
    """The (year, month, weekday) that a day written alone ("on the 23rd", "(that's the 13th)") belongs to,
    or None when nothing around it says: a bare "see you on the 2nd" is too vague to put in a calendar.
    In context: a full date earlier in the sentence ("on 1st October …; Dedication on 2nd"), a weekday the
    day restates ("Sunday morning (that's the 13th)"), a month heading above ("February 2023"), or "this
    month" / "next month" in the sentence (the next such day)."""
    # Every look is bounded to a window around the day, so a sentence of many such days stays linear.
    work = m.string
    near = max(bounds[0], m.start() - _ANNOUNCED_REACH)
    for item in reversed(earlier):
        if item.span[1] < near:
            break
        if item.kind == "day" and item.first and item.first.month and item.span[1] <= m.start():
            if item.first.day >= first_day:
                return (
                    None  # "… 3rd July …, see you on the 3rd": the same day again; "on 30th October … on 2nd"
                )
            return item.first.year, item.first.month, None
    if not m.group("announced").lower().startswith("on"):
        restated = list(P.WEEKDAY_RE.finditer(work, max(near, m.start() - 80), m.start()))
        if restated:
            return None, None, P.WEEKDAYS[restated[-1].group("wd")[:3].lower()]
    above = max(0, bounds[0] - _HEADING_REACH)
    if work.find("\n", above, bounds[0]) != -1:
        headings = list(P.MONTH_HEADING_RE.finditer(work, above, bounds[0]))
        if headings:
            heading = headings[-1]
            year = int(heading.group("year")) if heading.group("year") else None
            return year, P.month_number(heading.group("mon")), None
    named = list(
        P.MONTH_NAMED_ALONE_RE.finditer(work, max(bounds[0], m.start() - _MONTH_NAMED_REACH), m.start())
    )
    if named:
        # "The next month, March, will be the fair on the 26th", "an October event? … on the 24th"
        return None, P.month_number(named[-1].group("mon")), None
    said = P.THIS_OR_NEXT_MONTH_RE.search(work, near, min(bounds[1], m.end() + _ANNOUNCED_REACH))
    if said is None and W.OF_THE_MONTH_RE.match(work, m.end()):
        return None  # "we meet on the 10th of the month": a monthly day, no one month's
    if said is None:
        if (
            _gathering_asked_about(m, bounds)
            or _gathering_ahead_on(m, bounds)
            or _gathering_named_on(m, bounds)
        ):
            return None, None, None  # "a meetup online on the 5th?": the next 5th (this month, or the next)
        return None
    if said.group("which").lower() == "next":
        year, month = (
            (ctx.today.year + 1, 1) if ctx.today.month == 12 else (ctx.today.year, ctx.today.month + 1)
        )
        return year, month, None
    return None, None, None


def _gathering_ahead_on(m: re.Match[str], bounds: tuple[int, int]) -> bool:
    """ "hope to see you on the 12th", "join us in Boston on the 15th": a day alone that the writer invites
    the readers to meet on is the next such day, when nothing in the sentence tells it in the past (a plain
    statement, "the next call is on the 24th", still leaves its month to the thread)."""
    work = m.string
    if not m.group("announced").lower().startswith("on"):
        return False
    start = max(bounds[0], m.start() - _GATHERING_REACH)
    window = work[start : m.start()].lower()
    if "see" not in window and "join" not in window:
        return False
    return (
        P.INVITED_ON_RE.search(work, start, m.start()) is not None
        and C.PAST_RE.search(work, bounds[0], bounds[1]) is None
    )


# "the agenda for the meeting on the 26th", "our next call on the 3rd": a gathering named right before the day
_GATHERING_NAMED_BEFORE_RE = re.compile(
    r"\b(?:meeting|call|session|workshop|meet-?up|gathering|assembly|agm|social|class|rehearsal)s?[ \t]{1,3}$",
    re.IGNORECASE,
)


def _gathering_named_on(m: re.Match[str], bounds: tuple[int, int]) -> bool:
    """ "I've posted the agenda for the meeting on the 26th": a day alone that dates the gathering named right
    before it is the next such day (told in the past, the sentence reads it backwards: "the meeting on the
    3rd went well")."""
    if not m.group("announced").lower().startswith("on"):
        return False
    return _GATHERING_NAMED_BEFORE_RE.search(m.string, max(bounds[0], m.start() - 30), m.start()) is not None


def _gathering_asked_about(m: re.Match[str], bounds: tuple[int, int]) -> bool:
    """ "would anyone like a meetup on the 5th?": a day alone that a question proposes for a gathering is the
    next such day (a statement, "the next call is on the 24th", leaves its month to the thread)."""
    work = m.string
    if not P.QUESTION_AFTER_RE.match(work, m.end(), bounds[1]):
        return False
    start = max(bounds[0], m.start() - _GATHERING_REACH)
    return (
        C.EVENT_RE.search(work, start, m.start()) is not None
        and C.PAST_RE.search(work, start, m.end()) is None
    )
