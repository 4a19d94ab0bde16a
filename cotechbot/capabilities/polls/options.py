"""Reading a poll's options: their cooked HTML (with a real parser), the local-date spans and words in them,
and which polls are date polls."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from cotechbot.capabilities.polls.model import DateOption, DatePoll, Moment, OptionTime, _day
from cotechbot.capabilities.years import within_planned_years
from cotechbot.models import Poll, Post
from cotechbot.when import TimeMention, read_poll_options, read_times

DATE_POLL_TYPES = frozenset({"regular", "multiple"})
MAX_HTML_CHARS = 20_000  # an option longer than this is not a date; read only its start
MAX_TEXT_CHARS = 400  # what is handed to the date reader
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_TAG = re.compile(r"<[^>]*>?")
_WEEKDAY_WORD = re.compile(
    r"(?<![a-z])(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)(?![a-z])",
    re.IGNORECASE,
)
_WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class OptionMarkup:
    """What an option's cooked HTML holds: its words (dates left out) and its local-date spans."""

    pieces: tuple[str | int, ...]  # text, or the index of a local date in ``dates``
    dates: tuple[Mapping[str, str], ...]

    @property
    def plain(self) -> str:
        """The words without the local dates (their fallback text is a UTC stamp nobody wrote)."""
        return _squash("".join(p if isinstance(p, str) else " " for p in self.pieces))


class _OptionParser(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "hr"})
    _SKIPPED = frozenset({"script", "style", "template", "svg", "math", "noscript", "iframe", "object"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str | int] = []
        self.dates: list[dict[str, str]] = []
        self._in_date = 0  # span depth inside a local-date span (its text is a fallback, not the option)
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        if self._skipping:
            return
        if tag in self._BREAKS:
            self.pieces.append(" ")
        if tag != "span":
            return
        if self._in_date:
            self._in_date += 1
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        if "discourse-local-date" in values.get("class", "").split():
            self.dates.append({k[5:]: v for k, v in values.items() if k.startswith("data-")})
            self.pieces.append(len(self.dates) - 1)
            self._in_date = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "span" or tag in self._SKIPPED:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "span" and self._in_date:
            self._in_date -= 1
        elif tag in self._BREAKS:
            self.pieces.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping and not self._in_date:
            self.pieces.append(data)


def parse_option_html(html: str) -> OptionMarkup:
    """Read an option's cooked HTML with a real parser; whatever it holds, this returns something sane."""
    html = (html or "")[:MAX_HTML_CHARS]
    parser = _OptionParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient, but a hostile option must never stop a cycle
        return OptionMarkup((_squash(unescape(_TAG.sub(" ", html))),), ())
    return OptionMarkup(tuple(parser.pieces), tuple(parser.dates))


def option_text(html: str) -> str:
    """The plain text of an option (local dates left out)."""
    return parse_option_html(html).plain


def _squash(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------------------- reading times


def _zone(name: str | None) -> ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except Exception:  # unknown, malformed or path-like names: Discourse drops them, and so do we
        return None


def _markup_moment(attrs: Mapping[str, str]) -> tuple[Moment, date] | None:
    """One local-date span as (aware UTC instant or whole day, the day as written); None if malformed.
    No (or an unknown) time zone means UTC, as Discourse renders it."""
    day_text, clock_text = (attrs.get("date") or "").strip(), (attrs.get("time") or "").strip()
    if not _ISO_DATE.match(day_text):
        return None
    clock_match = _ISO_CLOCK.match(clock_text)
    if clock_text and not clock_match:
        return None
    try:
        day = date.fromisoformat(day_text)
        if clock_match is None:
            return day, day
        clock = time(int(clock_match[1]), int(clock_match[2]), int(clock_match[3] or 0))
    except ValueError:
        return None
    zone = _zone(attrs.get("timezone")) or UTC
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC), day


def _read_markup(dates: Sequence[Mapping[str, str]]) -> OptionTime | None:
    """One date, or a from/to pair, makes a time; anything else is several candidates, so none."""
    moments = [m for d in dates if (m := _markup_moment(d)) is not None]
    if len(moments) != len(dates):
        return None  # a malformed date among them: better no reading than a wrong one
    if len(moments) == 1:
        start, day = moments[0]
        return OptionTime(start=start, all_day=not isinstance(start, datetime), day=day, source="markup")
    if len(moments) == 2 and dates[0].get("range") not in (None, "", "to") and dates[1].get("range"):
        (start, day), (end, _) = moments
        if isinstance(start, datetime) != isinstance(end, datetime) or end < start:
            return None
        return OptionTime(
            start=start, end=end, all_day=not isinstance(start, datetime), day=day, source="markup"
        )
    return None


def _read_texts(texts: Sequence[str], reference: datetime, tz: str) -> list[list[TimeMention]]:
    """Read the options' words as a set (the usual year fixes a typo'd one); one strange option costs only
    its own reading."""
    try:
        readings = read_poll_options(texts, reference, tz)
        if len(readings) == len(texts):
            return readings
    except Exception:  # the reader must not be able to stop a cycle: fall back to one option at a time
        pass
    readings = []
    for text in texts:
        try:
            readings.append(read_times(text, reference, tz))
        except Exception:
            readings.append([])
    return readings


def _single(mentions: Sequence[TimeMention], tz: str) -> OptionTime | None:
    """Exactly one time among an option's mentions, or None (no time, or several candidates)."""
    if len({(m.start, m.end) for m in mentions}) != 1:
        return None
    mention = mentions[0]
    return _option_time(mention.start, mention.end, tuple(mention.flags), tz)


def _option_time(start: Moment, end: Moment | None, flags: tuple[str, ...], tz: str) -> OptionTime | None:
    zone = ZoneInfo(tz)
    if isinstance(start, datetime):
        if start.tzinfo is None:
            start = start.replace(tzinfo=zone)
        day = start.date()  # the reader keeps the zone the words were in, so this is the day as written
        start = start.astimezone(UTC)
        if isinstance(end, datetime):
            end = (end if end.tzinfo else end.replace(tzinfo=zone)).astimezone(UTC)
        else:
            end = None
        return OptionTime(start=start, end=end, all_day=False, day=day, source="text", flags=flags)
    if isinstance(start, date):
        return OptionTime(
            start=start,
            end=end if isinstance(end, date) and not isinstance(end, datetime) else None,
            all_day=True,
            day=start,
            source="text",
            flags=flags,
        )
    return None


def _weekday_named(text: str) -> int | None:
    """The weekday an option's words name, when they name exactly one."""
    named = {_WEEKDAY_NUMBER[m.group(1)[:3].lower()] for m in _WEEKDAY_WORD.finditer(text)}
    return named.pop() if len(named) == 1 else None


# ------------------------------------------------------------------------------------------- detect


def _shown(markup: OptionMarkup, tz: str) -> str:
    """The option as people read it, local dates spelled out in the forum's zone."""
    return _squash(
        "".join(
            piece if isinstance(piece, str) else _spell_markup(markup.dates[piece], tz)
            for piece in markup.pieces
        )
    )


def _spell_markup(attrs: Mapping[str, str], tz: str) -> str:
    moment = _markup_moment(attrs)
    if moment is None:
        return " "
    start, _ = moment
    if isinstance(start, datetime):
        local = start.astimezone(ZoneInfo(tz))
        return f" {_day(local.date())}, {local:%H:%M} {local.tzname()} "
    return f" {_day(start)} "


def date_poll_from(
    post: Post, poll: Poll, *, now: datetime, tz: str = "Europe/London", notes: list[str] | None = None
) -> DatePoll | None:
    """The poll as a ``DatePoll`` when most of its options are times, else None. An option dated outside the
    years planned reads as no time (noted in ``notes``); a post written outside them is not read at all."""
    notes = notes if notes is not None else []
    if poll.type not in DATE_POLL_TYPES or len(poll.options) < 2:
        return None
    if not within_planned_years(post.created_at):
        notes.append(
            f"post {post.id}: written {post.created_at:%Y-%m-%d}, outside the years read; poll skipped"
        )
        return None
    reference = min(post.created_at, now)
    markups = [parse_option_html(o.html) for o in poll.options]
    readings = _read_texts(["" if m.dates else m.plain[:MAX_TEXT_CHARS] for m in markups], reference, tz)
    options = [
        DateOption(
            id=str(o.id),
            text=_shown(m, tz),
            votes=o.votes,
            weekday_named=_weekday_named(m.plain),
            when=_planned_years_only(
                _read_markup(m.dates) if m.dates else _single(mentions, tz), f"post {post.id}", notes
            ),
        )
        for o, m, mentions in zip(poll.options, markups, readings, strict=True)
    ]
    if sum(1 for o in options if o.when is not None) * 2 <= len(options):
        return None
    return DatePoll(
        post_id=post.id,
        post_number=post.post_number,
        topic_id=post.topic_id,
        topic_title=post.topic_title,
        posted_at=post.created_at,
        name=poll.name,
        title=poll.title,
        type=poll.type,
        status=poll.status,
        close=poll.close,
        closed_at=poll.closed_at,
        results=poll.results,
        public=poll.public,
        groups=tuple(poll.group_names),
        author=post.username,
        voters=poll.voters,
        tz=tz,
        options=tuple(options),
    )


def _planned_years_only(when: OptionTime | None, where: str, notes: list[str]) -> OptionTime | None:
    if when is None or within_planned_years(when.day, when.start, when.end):
        return when
    notes.append(
        f"{where}: a poll option dated {when.day.year} is outside the years planned; read as no time"
    )
    return None


def detect_date_polls(
    posts: Iterable[Post],
    now: datetime,
    tz: str = "Europe/London",
    *,
    ignored_authors: frozenset[str] = frozenset(),
    notes: list[str] | None = None,
) -> list[DatePoll]:
    """Every date poll in ``posts`` (deleted posts and posts by ``ignored_authors``, lower-cased, skipped),
    in post order."""
    found = []
    for post in sorted(posts, key=lambda p: p.id):
        if post.deleted_at is not None or post.username.lower() in ignored_authors:
            continue
        for poll in post.polls:
            date_poll = date_poll_from(post, poll, now=now, tz=tz, notes=notes)
            if date_poll is not None:
                found.append(date_poll)
    return found
