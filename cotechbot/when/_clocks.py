"""Clocks and zones: reading "3-4pm", "1930h" and "14:00 CET", deciding am or pm, and the zone a clock is in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from cotechbot.when import _not_gatherings as N
from cotechbot.when import _patterns as P
from cotechbot.when._markup import zone_named
from cotechbot.when._model import _Clock, _Context, _Time, word_positions

# A stated zone, as written after a clock: its standard offset and the region whose clocks it names.
_ABBREVIATIONS: dict[str, tuple[int, str | None]] = {
    "UTC": (0, None),
    "Z": (0, None),
    "GMT": (0, None),
    "BST": (60, "Europe/London"),
    "WET": (0, "Europe/Lisbon"),
    "WEST": (60, "Europe/Lisbon"),
    "CET": (60, "Europe/Paris"),
    "CEST": (120, "Europe/Paris"),
    "EET": (120, "Europe/Athens"),
    "EEST": (180, "Europe/Athens"),
    "EST": (-300, "America/New_York"),
    "EDT": (-240, "America/New_York"),
    "CST": (-360, "America/Chicago"),
    "CDT": (-300, "America/Chicago"),
    "PST": (-480, "America/Los_Angeles"),
    "PDT": (-420, "America/Los_Angeles"),
    "MST": (-420, "America/Denver"),
    "MDT": (-360, "America/Denver"),
    "IST": (330, None),  # India; Ireland and Israel are read too where a second clock agrees (see below)
    "JST": (540, None),
    "KST": (540, None),
    "AEST": (600, "Australia/Sydney"),
    "AEDT": (660, "Australia/Sydney"),
    "ACST": (570, "Australia/Adelaide"),
    "ACDT": (630, "Australia/Adelaide"),
    "AWST": (480, None),
    "NZST": (720, "Pacific/Auckland"),
    "NZDT": (780, "Pacific/Auckland"),
}
# "IST" names three zones: India's, Ireland's summer and Israel's; the forum's own comes first.
_IST_REGIONS = ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")
# Generic zone names follow their region's summer time.
_REGION_ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "PT": "America/Los_Angeles"}
# Zones named by a place or a region ("NYC time", "9am Pacific", "14:00 Berlin time").
_PLACE_ZONES = {
    "uk": "Europe/London",
    "london": "Europe/London",
    "british": "Europe/London",
    "europe/london": "Europe/London",
    "nyc": "America/New_York",
    "new york": "America/New_York",
    "eastern": "America/New_York",
    "east coast": "America/New_York",
    "toronto": "America/Toronto",
    "montreal": "America/Toronto",
    "central": "America/Chicago",
    "chicago": "America/Chicago",
    "mountain": "America/Denver",
    "denver": "America/Denver",
    "colorado": "America/Denver",
    "pacific": "America/Los_Angeles",
    "west coast": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "vancouver": "America/Vancouver",
    "mexico": "America/Mexico_City",
    "mexico city": "America/Mexico_City",
    "berlin": "Europe/Berlin",
    "central european": "Europe/Berlin",
    "paris": "Europe/Paris",
    "amsterdam": "Europe/Amsterdam",
    "brussels": "Europe/Brussels",
    "madrid": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "bcn": "Europe/Madrid",
    "rome": "Europe/Rome",
    "lisbon": "Europe/Lisbon",
    "dublin": "Europe/Dublin",
    "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "tokyo": "Asia/Tokyo",
    "india": "Asia/Kolkata",
    "western european": "Europe/Lisbon",
    "eastern european": "Europe/Helsinki",
    "moscow": "Europe/Moscow",
    "chennai": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "hangzhou": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
}
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
    known = hour >= 12 or hour == 0 or written.startswith("0") or written.lower().endswith("h")
    # "20:00", "2000h": a colon or an h says clock; "2000" alone could be a year or a count.
    return _Clock(hour, minute, known, strong=not bare and (":" in written or written.lower().endswith("h")))


_DOTTED_RE = re.compile(r"\d{2}\.\d\d")


def _zone_text(m: re.Match[str]) -> str | None:
    zone = m.group("zone")
    if not zone:
        return None
    if zone[-1:] != ")" and ")" in zone:
        zone = zone.rpartition(")")[2]  # ("15:00 (Add to calendar) GMT": the zone after the aside)
    return zone.strip().strip("()").strip().lstrip("-").strip() or None


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
        # "at 14.00": a 24 h clock with dotted minutes, after "at", is as plain as "at 14:00"; so is "at 7.30",
        # on the quarter hour, whose am or pm is settled later.
        if (
            (clock.meridiem_known or clock.minute % 15 == 0)
            and "." in m.group("clock")
            and m.string[max(0, m.start() - 3) : m.start()].lower() == "at "
        ):
            clock.strong = True
        # "Assemble 13.00": an afternoon or evening hour on the quarter, dotted, can only be a clock
        if 13 <= clock.hour <= 23 and clock.minute % 15 == 0 and _DOTTED_RE.fullmatch(m.group("clock")):
            clock.strong = True
        return _Time(m.span(), clock, None)
    word = m.group("bare") or m.group("oclock")
    clock = _clock(word, bare=True)
    if clock is None:
        return None
    clock.meridiem_known = False
    clock.strong = False
    if m.group("bare_zone"):
        clock.zone = m.group("bare_zone").strip()
    return _Time(m.span(), clock, None)


_HOUR_WORDS = {
    word: number
    for number, word in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
        start=1,
    )
}


def _worded_time(m: re.Match[str]) -> _Time | None:
    """ "half past two", "quarter to 7pm", "two o'clock": a clock in words; am or pm is settled later unless
    written."""
    if m.group("oclock_word"):
        # "at six o'clock": said after "at", as plainly a clock as "half past six"
        said_at = m.string[max(0, m.start() - 3) : m.start()].lower() == "at "
        return _Time(
            m.span(), _Clock(_HOUR_WORDS[m.group("oclock_word").lower()], 0, False, strong=said_at), None
        )
    word = m.group("hour").lower()
    hour = _HOUR_WORDS.get(word) or int(word)
    minute = 30 if m.group("fraction").lower() == "half" else 15
    ap = (m.group("worded_ap") or "")[:1].lower()
    if ap:
        hour = hour % 12 + (12 if ap == "p" else 0)
    if m.group("relation").lower() == "to":
        if minute == 30:
            return None  # "half to" is not said
        hour, minute = ((hour - 1) % 24 if ap else hour - 1 or 12), 45
    return _Time(m.span(), _Clock(hour, minute, bool(ap), strong=True), None)


def _bare_range(m: re.Match[str]) -> _Time | None:
    """ "10-3", "8am-5": the end is the first such hour after the start, within the day; a start without
    am/pm is a daytime hour (8-11 in the morning, 1-7 in the afternoon)."""
    left = _clock(m.group("left"))
    right = _clock(m.group("right"))
    if left is None or right is None:
        return None
    if not re.search(r"[ap]\.?m", m.group("left"), re.IGNORECASE) and 1 <= left.hour <= 7:
        left.hour += 12
    start = left.hour * 60 + left.minute
    ends = [(hour * 60 + right.minute) for hour in (right.hour % 12, right.hour % 12 + 12)]
    after = [end for end in ends if 0 < end - start <= 12 * 60]
    if not after:
        return None
    end = min(after)
    left.meridiem_known = True
    finish = _Clock(end // 60, end % 60, True, strong=False)
    left.strong = False
    return _Time(m.span(), left, finish)


def _time_range(m: re.Match[str]) -> _Time | None:
    if m.group("sep").lower() == "and" and not m.group("between"):
        return None
    left, right = _clock(m.group("left")), _clock(m.group("right"))
    if left is None or right is None:
        return None
    zone = _zone_text(m) or (m.group("left_zone") or "").strip() or None
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
        # Neither end says am or pm: "9.30-4.30" runs into the afternoon, "2.30-4.00" for a meeting is in it, and
        # "6:30 - 8:30", starting at an hour a lone clock would read as pm, is in the evening.
        if right.hour < left.hour and right.hour < 12:
            right.hour += 12
        elif 1 <= left.hour <= 7 and right.hour < 12:
            left.hour, right.hour = left.hour + 12, right.hour + 12
        left.meridiem_known = right.meridiem_known = True
    left.strong = right.strong = True
    if m.group("sep").lower() == "for":
        # "7.00 for 7.30pm", "6.30 for 7pm start": gather at the first clock for a start at the second, soon after
        late = (right.hour * 60 + right.minute) - (left.hour * 60 + left.minute)
        return _Time(m.span(), left, None) if 0 < late <= _GATHER_FOR_START else None
    if m.group("from") and _CLOCK_CHANGED_BEFORE_RE.search(m.string, max(0, m.start() - 40), m.start()):
        # "the time shifts from 15:00 UTC to 16:00 UTC", "moved the call from 3pm to 4pm": the old clock and the
        # new one, not a span; the new one stands
        return _Time((m.start("right"), m.end()), right, None)
    if (right.hour, right.minute) <= (left.hour, left.minute) and not (right.hour < 6):
        return None
    return _Time(m.span(), left, right)


# Right before "from <clock> to <clock>": a clock being changed.
_CLOCK_CHANGED_BEFORE_RE = re.compile(
    r"\b(?:shift(?:s|ed|ing)?|chang(?:e|es|ed|ing)|mov(?:e|es|ed|ing)|switch(?:es|ed|ing)?)\s+(?:[\w'’-]{1,15}\s+){0,3}$",
    re.IGNORECASE,
)
_GATHER_FOR_START = 60  # minutes from "7.00 for" to the "7.30pm" it gathers for, at most


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


def _place(words: str) -> str | None:
    """The IANA zone a place-named zone means ("NYC -time", "US Eastern", "Berlin time"), or None."""
    words = re.sub(r"[\s-]*\btime$", "", words.lower()).strip()
    words = re.sub(r"^(?:us|u\.s\.)\s+|\s+(?:standard|daylight)$", "", words)
    return _PLACE_ZONES.get(re.sub(r"\s+", " ", words))


def _zone_for(name: str | None, ctx: _Context, on_day: date, flags: list[str]) -> tzinfo:
    """The zone a clock was written in: a regional abbreviation is its region's clock whatever the season
    (people write "PST" all year: in July it is -07:00, flagged ``tz_season_mismatch``), as is a place or region
    ("Pacific", "Berlin time"); UTC and GMT are +00:00 always."""
    return _zone_readings(name, ctx, on_day, flags)[0]


def _zone_readings(name: str | None, ctx: _Context, on_day: date, flags: list[str]) -> list[tzinfo]:
    """Every zone the writer may have meant, the likeliest first: "CET" in May is Paris's clock (people write
    the winter name all year), or literally +01:00 — a second clock for the same moment settles which."""
    if not name:
        return [ctx.zone]
    words = name.lower()
    if words.startswith(("our", "local", "forum")):
        return [ctx.zone]
    if "/" in name and (named := zone_named(name.strip())) is not None:
        return [named]  # "US/Eastern", "Europe/Paris": a zone by its IANA name
    if name.startswith("Europe/"):
        return [zone_named(name) or ctx.zone]
    place = _place(name)
    if place is not None:
        flags.append(f"tz:{place}")
        return [zone_named(place) or ctx.zone]
    m = P.ZONE_PARTS_RE.fullmatch(name.replace(" ", ""))
    if m is None:
        return [ctx.zone]
    abbr = m.group("abbr")
    flags.append(f"tz:{name.replace(' ', '')}")
    if abbr in _REGION_ZONES:
        return [zone_named(_REGION_ZONES[abbr]) or ctx.zone]
    minutes, region = _ABBREVIATIONS.get(abbr, (None, None))
    if minutes is None:
        return [ctx.zone]
    if abbr == "IST" and not m.group("sign"):
        zones = [z for name in _IST_REGIONS if (z := zone_named(name)) is not None]
        return sorted(zones, key=lambda z: getattr(z, "key", "") != ctx.zone_name)
    if m.group("sign") and abbr in ("UTC", "GMT"):
        extra = int(m.group("oh")) * 60 + int(m.group("om") or 0)
        if extra > 14 * 60:
            return [ctx.zone]
        minutes = extra if m.group("sign") == "+" else -extra
        return [timezone(timedelta(minutes=minutes))]
    fixed = timezone(timedelta(minutes=minutes))
    regional = zone_named(region) if region else None
    if regional is None:
        return [fixed]
    _check_season(abbr, on_day, flags)
    return [regional, fixed]


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


# Every match of P.TIME_RE and P.TIME_RANGE_RE starts at the first digit of a run of digits (a clock never
# follows a digit) that can open a clock (``_may_open_clock``), or at "between", "from", "noon", "midday" or "midnight" (IGNORECASE, found in the folded
# text, which keeps every offset: only U+0130 lowers to two characters, and ``fold`` maps it to one first).
_CLOCK_START_WORDS = ("between", "from", "noon", "mid")
# At most one start in this many characters: tried one by one; more: the whole stretch is searched.
_SPARSE_CLOCK_STARTS = 8


def _may_open_clock(work: str, at: int, end: int) -> bool:
    """Can the digit run at ``at`` (cut at ``end``, as the patterns see it) open a clock?  A clock's hour is one
    digit, two from 0-2, or four from 0-2 (a 24 h "1830"), and no digit follows them: a run of three digits,
    five or more, or of two or four opening on 3-9 ("45", "4000", "5678") opens none."""
    if not work[at + 1 : min(at + 2, end)].isdecimal():
        return True
    if work[at] not in "012":
        return False
    if not work[at + 2 : min(at + 3, end)].isdecimal():
        return True
    return work[at + 3 : min(at + 4, end)].isdecimal() and not work[at + 4 : min(at + 5, end)].isdecimal()


def clock_starts(work: str, start: int, end: int, digits: list[int]) -> list[int] | None:
    """Where in ``work[start:end]`` a clock or a clock range may start (``digits``: the digit runs' starts);
    None where digits are dense (a run of numbers): the engine's own scan is cheaper there."""
    if len(digits) * _SPARSE_CLOCK_STARTS > end - start:
        return None
    digits = [at for at in digits if _may_open_clock(work, at, end)]
    found = [*digits, *(start + at for at in word_positions(N.fold(work[start:end]), _CLOCK_START_WORDS))]
    if len(found) > len(digits):
        if len(found) * _SPARSE_CLOCK_STARTS > end - start:
            return None  # ("between 1 between 1 …": dense with words)
        found.sort()
    return found


def clock_matches(
    pattern: re.Pattern[str], work: str, start: int, end: int, starts: list[int] | None
) -> Iterable[re.Match[str]]:
    """``pattern.finditer(work, start, end)`` tried only at ``starts`` (sorted; every place a match may start):
    the first start that matches is where the search would have stopped, and the next search goes on from its
    end (no match of the clock patterns is empty).  No starts: the whole stretch is searched."""
    if starts is None:
        return pattern.finditer(work, start, end)
    found = []
    pos = 0
    for at in starts:
        if at >= pos and (m := pattern.match(work, at, end)) is not None:
            found.append(m)
            pos = m.end()
    return found


def clocks_in(work: str, start: int, end: int, digits: list[int] | None = None) -> list[_Time]:
    """The clocks and clock ranges of a sentence that names no day: the ranges, then the single clocks not
    inside one (``digits``, the digit runs' starts, when known, lets the patterns be tried only where a clock
    may start)."""
    starts = clock_starts(work, start, end, digits) if digits is not None else None
    ranges = [t for m in clock_matches(P.TIME_RANGE_RE, work, start, end, starts) if (t := _time_range(m))]
    return [
        *ranges,
        *(
            t
            for m in clock_matches(P.TIME_RE, work, start, end, starts)
            if (t := _time_single(m)) and not any(r.span[0] <= m.start() < r.span[1] for r in ranges)
        ),
    ]
