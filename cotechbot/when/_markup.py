"""Dates that Discourse and machines write for us: ``[date=…]``, ``[date-range …]``, cooked local-date spans
and ISO 8601 timestamps.  These are exact, so they are read first and blanked before prose is read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cotechbot.when import _patterns as P


@dataclass(frozen=True)
class ExactMoment:
    """A date or an instant that markup stated outright, with the span of text that stated it."""

    start: date | datetime
    end: date | datetime | None
    all_day: bool
    span: tuple[int, int]
    flags: tuple[str, ...]


@lru_cache(maxsize=256)
def zone_named(name: str) -> tzinfo | None:
    """An IANA zone by name, or None: Discourse silently drops zones it does not know, and so do we."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _attrs(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in P.MARKUP_ATTR_RE.finditer(text):
        value = (
            m.group("q")
            if m.group("q") is not None
            else m.group("sq")
            if m.group("sq") is not None
            else m.group("bare")
        )
        found[m.group("key").lower()] = value
    return found


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _parse_clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        return None


def _moment(day_text: str, clock_text: str | None, zone: tzinfo) -> date | datetime | None:
    """A date (no clock given) or an aware datetime in ``zone``; None when the markup is malformed."""
    day = _parse_date(day_text)
    if day is None:
        return None
    if not clock_text:
        return day
    clock = _parse_clock(clock_text)
    if clock is None:
        return None
    return datetime.combine(day, clock.replace(tzinfo=None, microsecond=0), tzinfo=zone)


def _split_stamp(value: str) -> tuple[str, str | None]:
    """'2025-06-10T18:00:00' or '2025-06-10 18:00' → (day, clock); a bare date keeps no clock."""
    value = value.strip()
    for sep in ("T", " "):
        if sep in value:
            day, clock = value.split(sep, 1)
            return day, clock.strip()
    return value, None


def _zone_of(attrs: dict[str, str]) -> tuple[tzinfo, tuple[str, ...]]:
    name = attrs.get("timezone")
    zone = zone_named(name) if name else None
    if zone is None:
        # Discourse renders a date with no (or an unknown) zone as UTC.
        return UTC, ("tz:UTC",)
    return zone, (f"tz:{name}",)


def _pair(
    start: date | datetime | None, end: date | datetime | None
) -> tuple[date | datetime, date | datetime | None, bool] | None:
    if start is None:
        return None
    all_day = not isinstance(start, datetime)
    if end is not None and isinstance(end, datetime) != (not all_day):
        end = None  # a range mixing a date and an instant is malformed; keep its start
    if end is not None and end < start:
        end = None
    if end is not None and all_day and end == start:
        end = None
    return start, end, all_day


def _from_date_tag(
    m: re.Match[str],
) -> tuple[date | datetime, date | datetime | None, bool, tuple[str, ...]] | None:
    attrs = _attrs(m.group("attrs"))
    zone, flags = _zone_of(attrs)
    start = _moment(m.group("date"), attrs.get("time"), zone)
    if start is None:
        return None
    if attrs.get("recurring"):
        flags += ("recurring",)
    return start, None, not isinstance(start, datetime), ("markup", *flags)


def _from_range_tag(
    m: re.Match[str],
) -> tuple[date | datetime, date | datetime | None, bool, tuple[str, ...]] | None:
    attrs = _attrs(m.group("attrs"))
    zone, flags = _zone_of(attrs)
    if "from" not in attrs:
        return None
    start = _moment(*_split_stamp(attrs["from"]), zone)
    end = _moment(*_split_stamp(attrs["to"]), zone) if "to" in attrs else None
    paired = _pair(start, end)
    if paired is None:
        return None
    return (*paired, ("markup", *flags))


def _from_event_tag(
    m: re.Match[str],
) -> tuple[date | datetime, date | datetime | None, bool, tuple[str, ...]] | None:
    """discourse-calendar's ``[event start="2025-06-10 18:00" end="…" timezone="…"]``."""
    attrs = _attrs(m.group("attrs"))
    if "start" not in attrs:
        return None
    zone, flags = _zone_of(attrs)
    start = _moment(*_split_stamp(attrs["start"]), zone)
    end = _moment(*_split_stamp(attrs["end"]), zone) if "end" in attrs else None
    paired = _pair(start, end)
    if paired is None:
        return None
    if attrs.get("recurrence"):
        flags += ("recurring",)
    return (*paired, ("markup", "event", *flags))


def read_markup(work: str) -> Iterator[ExactMoment]:
    """Every ``[date-range …]`` and ``[date=…]`` tag, a pair of date tags joined by an arrow read as a range."""
    tags: list[tuple[tuple[int, int], tuple]] = []
    for m in P.DISCOURSE_RANGE_RE.finditer(work):
        parsed = _from_range_tag(m)
        if parsed:
            tags.append((m.span(), parsed))
    for m in P.DISCOURSE_DATE_RE.finditer(work):
        parsed = _from_date_tag(m)
        if parsed:
            tags.append((m.span(), parsed))
    if "[event" in work or "[EVENT" in work:
        for m in P.EVENT_TAG_RE.finditer(work):
            parsed = _from_event_tag(m)
            if parsed:
                tags.append((m.span(), parsed))
    tags.sort(key=lambda t: t[0])
    i = 0
    while i < len(tags):
        span, (start, end, all_day, flags) = tags[i]
        if i + 1 < len(tags) and end is None:
            next_span, (next_start, next_end, _, _) = tags[i + 1]
            if next_end is None and P.MARKUP_JOIN_RE.match(work[span[1] : next_span[0]]):
                paired = _pair(start, next_start)
                if paired and paired[1] is not None:
                    yield ExactMoment(paired[0], paired[1], paired[2], (span[0], next_span[1]), flags)
                    i += 2
                    continue
        yield ExactMoment(start, end, all_day, span, flags)
        i += 1


def read_cooked(work: str) -> Iterator[ExactMoment]:
    """Discourse's rendered ``<span class="discourse-local-date" data-date=… data-time=…>`` (a from/to pair is one range)."""
    pending: ExactMoment | None = None
    for m in P.COOKED_SPAN_RE.finditer(work):
        if "discourse-local-date" not in m.group("attrs"):
            continue
        data = {a.group("key").lower(): a.group("value") for a in P.DATA_ATTR_RE.finditer(m.group("attrs"))}
        if "date" not in data:
            continue
        zone, flags = _zone_of(data)
        start = _moment(data["date"], data.get("time"), zone)
        if start is None:
            continue
        moment = ExactMoment(start, None, not isinstance(start, datetime), m.span(), ("markup", *flags))
        if data.get("range") == "to" and pending is not None:
            paired = _pair(pending.start, start)
            if paired and paired[1] is not None:
                yield ExactMoment(paired[0], paired[1], paired[2], (pending.span[0], m.end()), pending.flags)
                pending = None
                continue
        if pending is not None:
            yield pending
            pending = None
        if data.get("range") == "from":
            pending = moment
        else:
            yield moment
    if pending is not None:
        yield pending


_FIXED_OFFSET_RE = re.compile(r"(?P<sign>[+-])(?P<h>\d\d):?(?P<m>\d\d)")


def read_iso_stamps(work: str, forum_zone: tzinfo) -> Iterator[ExactMoment]:
    """ISO 8601 timestamps such as ``2024-07-02T15:00:00Z``; without an offset they are in the forum's zone.
    Two stamps written back to back ("…T18:00:00Z2023-03-03T19:30:00Z", "… - …") are one span."""
    pending: ExactMoment | None = None
    for moment in _iso_stamps(work, forum_zone):
        if pending is not None:
            if (
                isinstance(pending.start, datetime)
                and isinstance(moment.start, datetime)
                and timedelta(0) < moment.start - pending.start <= timedelta(days=2)
                and P.STAMP_JOIN_RE.fullmatch(work, pending.span[1], moment.span[0])
            ):
                yield ExactMoment(
                    pending.start, moment.start, False, (pending.span[0], moment.span[1]), pending.flags
                )
                pending = None
                continue
            yield pending
        pending = moment
    if pending is not None:
        yield pending


def _iso_stamps(work: str, forum_zone: tzinfo) -> Iterator[ExactMoment]:
    for m in P.ISO_STAMP_RE.finditer(work):
        clock = _parse_clock(m.group("time").split(".")[0])
        day = _parse_date(m.group("date"))
        if clock is None or day is None:
            continue
        offset = m.group("offset")
        flags: tuple[str, ...] = ("iso",)
        if offset is None:
            zone: tzinfo = forum_zone
        elif offset.upper() == "Z":
            zone, flags = UTC, ("iso", "tz:UTC")
        else:
            o = _FIXED_OFFSET_RE.fullmatch(offset)
            if o is None or int(o.group("h")) > 18:
                continue
            delta = timedelta(hours=int(o.group("h")), minutes=int(o.group("m")))
            zone = timezone(-delta if o.group("sign") == "-" else delta)
            flags = ("iso", f"tz:{offset}")
        start = datetime.combine(day, clock, tzinfo=zone)
        # "2023-06-28T19:00/20:00": an ISO 8601 interval whose end gives only the clock, on the same day
        tail = _ISO_END_CLOCK_RE.match(work, m.end()) if work.startswith("/", m.end()) else None
        end_clock = _parse_clock(tail.group("time")) if tail is not None else None
        if tail is not None and end_clock is not None and end_clock > clock:
            end = datetime.combine(day, end_clock, tzinfo=zone)
            yield ExactMoment(start, end, False, (m.start(), tail.end()), flags)
            continue
        yield ExactMoment(start, None, False, m.span(), flags)


_ISO_END_CLOCK_RE = re.compile(r"/(?P<time>[0-2]\d:[0-5]\d)(?::00)?(?![\w:/])")
