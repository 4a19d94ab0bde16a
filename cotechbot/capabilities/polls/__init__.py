"""Date polls: find Discourse polls whose options are times, check them, and plan their lifecycle. Pure.

A date poll is a ``regular`` or ``multiple`` poll with at least two options, more than half of which read as
one date or time: free text such as "3-4pm Monday 26th February 2024" (read by ``cotechbot.when``) or a
Discourse ``[date]``/``[date-range]`` tag (read from the cooked span's ``data-*`` attributes). Options are
read relative to when the post was written, and as a set (``when.read_poll_options``): an option whose
weekday contradicts its year is read in the year most options share when that makes the weekday right
("Tuesday 5th March 2014" among 2024 options reads as Tuesday 5 March 2024, flagged ``year_corrected``).

The lifecycle of one poll, each step an outbox action with a deterministic key (``<ref>`` is
``post/<post id>/<poll name>``, the source of every action is ``poll/<post id>/<poll name>``):

- ``poll-check:<ref>`` — one friendly note listing likely mistakes (weekday not matching the date, a date
  before the poll was posted, the same time twice, a year unlike the others), due as soon as the poll is
  seen, while the poll is open and young (``PollRules.check_window``).
- ``poll-standings:<ref>:<period start>`` — votes so far, only on open polls whose results everyone may see
  (``results=always``), at most once per ``standings_interval`` counted from the poll's post, only when the
  tallies differ from the last standings posted, never in the closing-reminder window.
- ``poll-closing:<ref>:<close>`` — a nudge ``close_reminder`` before ``close``, expiring at close; on public
  ``results=always`` polls restricted to groups it names the members who have not voted (the worker supplies
  them; other polls hide their voters until close, so their nudge names nobody).
- ``poll-result:<ref>`` — once the poll is closed (status, or its close time passed): the winner, or the
  tied options, or that nobody voted. Tallies of a ``staff_only`` poll are never shown.

A single clear winner whose time is an upcoming instant becomes an ``EventFact(origin="poll")`` for the
events planner, which plans its reminders under the topic like any other event; a tie needs a human.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from cotechbot.actions import Action
from cotechbot.messages import render
from cotechbot.models import EventFact, Poll, Post, UtcDateTime
from cotechbot.settings import Settings
from cotechbot.when import TimeMention, read_poll_options, read_times

DATE_POLL_TYPES = frozenset({"regular", "multiple"})
MAX_HTML_CHARS = 20_000  # an option longer than this is not a date; read only its start
MAX_TEXT_CHARS = 400  # what is handed to the date reader
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_USERNAME = re.compile(r"^[\w.-]{1,60}$")
_YEAR_FLAG = re.compile(r"^year_corrected:(\d{4})->(\d{4})$")
_TAG = re.compile(r"<[^>]*>?")
_WEEKDAY_WORD = re.compile(
    r"(?<![a-z])(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)(?![a-z])",
    re.IGNORECASE,
)
_WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Moment = datetime | date


# ------------------------------------------------------------------------------------------------ models


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class OptionTime(_Frozen):
    """When one option says the meeting would be. ``start`` is aware UTC, or a date for a whole day."""

    start: Moment
    end: Moment | None = None
    all_day: bool = False
    day: date  # the calendar day as written (in the option's own zone): what its weekday refers to
    source: Literal["markup", "text"]
    flags: tuple[str, ...] = ()

    @property
    def corrected_from_year(self) -> int | None:
        """The year the option was written with, when it was read in another one."""
        for flag in self.flags:
            if match := _YEAR_FLAG.match(flag):
                return int(match.group(1))
        return None


class DateOption(_Frozen):
    id: str
    text: str  # the option as people read it: tags stripped, entities decoded, local dates spelled out
    when: OptionTime | None = None
    votes: int | None = None  # None when the forum hid the tallies from the bot
    weekday_named: int | None = None  # 0 = Monday, when the text names exactly one weekday


class DatePoll(_Frozen):
    """A poll whose options are mostly times, with what its lifecycle needs to know about the post."""

    post_id: int
    post_number: int = 1
    topic_id: int
    topic_title: str | None = None
    posted_at: UtcDateTime
    name: str = "poll"
    title: str | None = None
    type: str = "regular"
    status: Literal["open", "closed"] = "open"
    close: UtcDateTime | None = None
    closed_at: UtcDateTime | None = None
    results: str = "always"
    public: bool = False
    groups: tuple[str, ...] = ()
    voters: int = 0
    tz: str = "Europe/London"
    options: tuple[DateOption, ...]

    @property
    def ref(self) -> str:
        return f"post/{self.post_id}/{_safe_name(self.name)}"

    @property
    def source(self) -> str:
        """The outbox source of every action planned from this poll (not ``topic/N``: events own that)."""
        return f"poll/{self.post_id}/{_safe_name(self.name)}"

    @property
    def target(self) -> str:
        return f"topic/{self.topic_id}"

    def is_closed(self, now: datetime) -> bool:
        return self.status == "closed" or (self.close is not None and self.close <= now)

    @property
    def tallies(self) -> dict[str, int] | None:
        """Votes per option id, or None when any count is hidden from the bot."""
        if any(o.votes is None for o in self.options):
            return None
        return {o.id: int(o.votes or 0) for o in self.options}

    def everyone_sees_results(self, now: datetime) -> bool:
        """Whether any reader may see the tallies now (so the bot may repeat them)."""
        if self.results == "staff_only":
            return False
        return self.results == "always" or self.is_closed(now)


class OptionProblem(_Frozen):
    """A likely mistake in one option. At most one per option: the most telling one."""

    kind: Literal["weekday_mismatch", "duplicate", "odd_year", "past"]
    option_id: str
    option_text: str
    written_day: date | None = None  # the date as written, for weekday mismatches and past dates
    weekday_named: int | None = None
    suggestions: tuple[date, ...] = ()  # likely intended days, best first
    same_as: str | None = None  # for duplicates: the text of the earlier option
    usual_year: int | None = None  # for odd years


class PollPlan(_Frozen):
    actions: tuple[Action, ...] = ()
    winner_events: tuple[EventFact, ...] = ()
    problems: tuple[OptionProblem, ...] = ()
    stage: str = ""  # one line for `cotechbot plan`: where the poll is in its lifecycle


@dataclass(frozen=True)
class PollRules:
    """The settings the polls capability reads, gathered so the functions stay pure."""

    zone: str = "Europe/London"
    checks_enabled: bool = True
    standings_interval: timedelta = timedelta(hours=24)
    close_reminder: timedelta = timedelta(hours=24)
    check_window: timedelta = timedelta(days=7)  # after a week of voting a check note would be noise
    result_window: timedelta = timedelta(days=7)  # announce a result only this long after the close
    non_voter_lookahead: timedelta = timedelta(hours=1)  # fetch voters this long before the nudge is due
    max_listed: int = 10
    max_mentions: int = 30
    name_non_voters: bool = True  # off: the closing reminder gives a count instead of names

    @classmethod
    def from_settings(cls, settings: Settings) -> PollRules:
        return cls(
            zone=settings.timezone,
            checks_enabled=settings.polls.check_notes,
            name_non_voters=settings.polls.closing_names,
            standings_interval=settings.poll_standings_interval,
            close_reminder=settings.poll_close_reminder,
        )


# ------------------------------------------------------------------------------------- option html


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
    return _option_time(mention.start, mention.end, bool(mention.all_day), tuple(mention.flags), tz)


def _option_time(
    start: Moment, end: Moment | None, all_day: bool, flags: tuple[str, ...], tz: str
) -> OptionTime | None:
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


def date_poll_from(post: Post, poll: Poll, *, now: datetime, tz: str = "Europe/London") -> DatePoll | None:
    """The poll as a ``DatePoll`` when most of its options are times, else None."""
    if poll.type not in DATE_POLL_TYPES or len(poll.options) < 2:
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
            when=_read_markup(m.dates) if m.dates else _single(mentions, tz),
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
        voters=poll.voters,
        tz=tz,
        options=tuple(options),
    )


def detect_date_polls(posts: Iterable[Post], now: datetime, tz: str = "Europe/London") -> list[DatePoll]:
    """Every date poll in ``posts`` (deleted posts skipped), in post order."""
    found = []
    for post in sorted(posts, key=lambda p: p.id):
        if post.deleted_at is not None:
            continue
        for poll in post.polls:
            date_poll = date_poll_from(post, poll, now=now, tz=tz)
            if date_poll is not None:
                found.append(date_poll)
    return found


# -------------------------------------------------------------------------------------------- check


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


# --------------------------------------------------------------------------------------------- plan


def plan_poll(
    poll: DatePoll,
    *,
    now: datetime,
    forum: str,
    rules: PollRules | None = None,
    last_standings: Mapping[str, int] | None = None,
    non_voters: Sequence[str] | None = None,
) -> PollPlan:
    """Everything this poll calls for now: planning twice with the same inputs gives the same plan.

    ``last_standings`` are the tallies of the last standings posted for this poll (None if never);
    ``non_voters`` are usernames of the poll's groups' members who have not voted (None if unknown).
    """
    rules = rules or PollRules()
    zone = rules.zone or poll.tz
    closed = poll.is_closed(now)
    problems = tuple(check_poll(poll))
    actions: list[Action] = []
    events: tuple[EventFact, ...] = ()
    stage: list[str] = [_describe_state(poll, now, zone)]
    if not closed:
        if (check := _check_action(poll, problems, now, forum, rules, zone)) is not None:
            actions.append(check)
            stage.append(f"check note ({len(problems)} problem{'s' if len(problems) != 1 else ''})")
        if (standings := _standings_action(poll, now, forum, rules, zone, last_standings)) is not None:
            actions.append(standings)
            stage.append("standings")
        if (closing := _closing_action(poll, now, forum, rules, zone, non_voters)) is not None:
            actions.append(closing)
            stage.append(f"closing reminder {_local_short(closing.due_at, zone)}")
    else:
        result, events = _result(poll, now, forum, rules, zone)
        if result is not None:
            actions.append(result)
            stage.append("result announcement")
        if events:
            stage.append(f"event {_local_short(events[0].start, zone)}")
    return PollPlan(actions=tuple(actions), winner_events=events, problems=problems, stage=" · ".join(stage))


def _describe_state(poll: DatePoll, now: datetime, zone: str) -> str:
    state = "closed" if poll.is_closed(now) else "open"
    closes = f", closes {_local_short(poll.close, zone)}" if poll.close and state == "open" else ""
    return f"{poll.ref}: {state}, {poll.voters} voter{'s' if poll.voters != 1 else ''}, results {poll.results}{closes}"


def _local_short(instant: datetime, zone: str) -> str:
    return f"{instant.astimezone(ZoneInfo(zone)):%a %d %b %H:%M}"


def _reply_action(
    poll: DatePoll,
    *,
    kind: str,
    key: str,
    raw: str,
    forum: str,
    due_at: datetime,
    expires_at: datetime | None,
    **extra: Any,
) -> Action:
    """A reply in the poll's topic, planned from the poll (its source), with ``extra`` kept in the payload."""
    return Action(
        key=key,
        kind=kind,
        forum=forum,
        source=poll.source,
        target=poll.target,
        due_at=due_at,
        expires_at=expires_at,
        payload={"op": "reply", "topic_id": poll.topic_id, "raw": raw, "poll": poll.ref, **extra},
    )


def _check_action(
    poll: DatePoll, problems: Sequence[OptionProblem], now: datetime, forum: str, rules: PollRules, zone: str
) -> Action | None:
    expires = poll.posted_at + rules.check_window
    if poll.close is not None:
        expires = min(expires, poll.close)
    if not rules.checks_enabled or not problems or now >= expires:
        return None
    key = f"poll-check:{poll.ref}"
    shown = [_problem_context(p, poll) for p in problems[: rules.max_listed]]
    raw = render(
        "poll_check.md", key=key, poll=poll, problems=shown, more=max(0, len(problems) - rules.max_listed)
    )
    return _reply_action(
        poll,
        kind="poll_check",
        key=key,
        raw=raw,
        forum=forum,
        due_at=poll.posted_at,
        expires_at=expires,
        problems=[p.kind + ":" + p.option_id for p in problems],
    )


def _problem_context(problem: OptionProblem, poll: DatePoll) -> dict[str, Any]:
    written = problem.written_day
    posted_day = poll.posted_at.astimezone(ZoneInfo(poll.tz)).date()
    return {
        "kind": problem.kind,
        "option": problem.option_text,
        "written": _day(written) if written else "",
        "was": "was" if written and written < posted_day else "is",
        "actual_weekday": WEEKDAY_NAMES[written.weekday()] if written else "",
        "named_weekday": WEEKDAY_NAMES[problem.weekday_named] if problem.weekday_named is not None else "",
        "suggestions": [_full_day(d) for d in problem.suggestions],
        "same_as": problem.same_as or "",
        "year": written.year if written else "",
        "usual_year": problem.usual_year or "",
    }


def _ranked(poll: DatePoll) -> list[DateOption]:
    """Options by votes, most first; ties keep the poll's order."""
    return sorted(poll.options, key=lambda o: -(o.votes or 0))


def _rows(poll: DatePoll, limit: int) -> tuple[list[dict[str, Any]], int]:
    ranked = [o for o in _ranked(poll) if (o.votes or 0) > 0]
    rows = [{"label": o.text, "votes": o.votes or 0} for o in ranked[:limit]]
    return rows, len(ranked) - len(rows)


def tallies_digest(tallies: Mapping[str, int]) -> str:
    return hashlib.sha256(
        json.dumps(dict(sorted(tallies.items())), separators=(",", ":")).encode()
    ).hexdigest()[:12]


def _in_closing_window(poll: DatePoll, now: datetime, rules: PollRules) -> bool:
    return poll.close is not None and now >= poll.close - rules.close_reminder


def _standings_action(
    poll: DatePoll,
    now: datetime,
    forum: str,
    rules: PollRules,
    zone: str,
    last_standings: Mapping[str, int] | None,
) -> Action | None:
    tallies = poll.tallies
    if poll.results != "always" or tallies is None or sum(tallies.values()) == 0:
        return None
    if last_standings is not None and dict(last_standings) == tallies:
        return None
    periods = (now - poll.posted_at) // rules.standings_interval
    if periods < 1 or _in_closing_window(poll, now, rules):
        return None  # a day's voting before the first summary; the closing reminder carries the last one
    period_start = poll.posted_at + periods * rules.standings_interval
    key = f"poll-standings:{poll.ref}:{_stamp(period_start)}"
    rows, more = _rows(poll, rules.max_listed)
    raw = render("poll_standings.md", key=key, poll=poll, rows=rows, more=more, zone=zone)
    return _reply_action(
        poll,
        kind="poll_standings",
        key=key,
        raw=raw,
        forum=forum,
        due_at=period_start,
        expires_at=period_start + rules.standings_interval,
        tallies=tallies,
        digest=tallies_digest(tallies),
    )


def _closing_action(
    poll: DatePoll, now: datetime, forum: str, rules: PollRules, zone: str, non_voters: Sequence[str] | None
) -> Action | None:
    if poll.close is None:
        return None
    due = poll.close - rules.close_reminder
    if due < poll.posted_at:
        return None  # the poll was opened inside its own reminder window: a nudge now would be noise
    mentions: list[str] = []
    named = rules.name_non_voters and may_name_non_voters(poll)
    if named and non_voters is not None:
        mentions = sorted({u for u in non_voters if _USERNAME.match(u)}, key=str.lower)
        if not mentions:
            return None  # every member of the poll's groups has voted: nobody to nudge
    key = f"poll-closing:{poll.ref}:{_stamp(poll.close)}"
    rows, more = (
        _rows(poll, rules.max_listed) if poll.everyone_sees_results(now) and poll.tallies else ([], 0)
    )
    shown = mentions[: rules.max_mentions]
    raw = render(
        "poll_closing.md",
        key=key,
        poll=poll,
        zone=zone,
        lead=_duration_phrase(rules.close_reminder),
        mentions=[f"@{u}" for u in shown],
        more_mentions=len(mentions) - len(shown),
        rows=rows,
        more=more,
    )
    return _reply_action(
        poll,
        kind="poll_closing",
        key=key,
        raw=raw,
        forum=forum,
        due_at=due,
        expires_at=poll.close,
        mentions=shown,
    )


def may_name_non_voters(poll: DatePoll) -> bool:
    """Only a public poll limited to groups, whose results everyone sees while it is open, has non-voters the
    bot may name: before close Discourse hides the voters of ``on_vote``/``on_close``/``staff_only`` polls
    (``/polls/voters.json`` answers 400), and naming the rest of a group would tell who has voted."""
    return poll.public and bool(poll.groups) and poll.results == "always"


def needs_non_voters(poll: DatePoll, now: datetime, rules: PollRules | None = None) -> bool:
    """Whether the worker should fetch voters and group members for this poll before planning it."""
    rules = rules or PollRules()
    if not may_name_non_voters(poll) or poll.close is None or poll.is_closed(now):
        return False
    return now >= poll.close - rules.close_reminder - rules.non_voter_lookahead


def non_voters_among(members: Iterable[str], voters: Iterable[str]) -> list[str]:
    """Members who have not voted, compared case-insensitively, in a stable order."""
    voted = {v.lower() for v in voters}
    return sorted({m for m in members if m.lower() not in voted}, key=str.lower)


def should_watch(poll: DatePoll, now: datetime, rules: PollRules | None = None) -> bool:
    """Whether the worker should re-read this poll's post each cycle: votes change nothing Discourse reports
    as activity, and an ``on_close`` poll's counts only appear in a read made after it closed."""
    rules = rules or PollRules()
    return not poll.is_closed(now) or now < _closed_anchor(poll, now) + rules.result_window


def with_close_anchor(poll: DatePoll, now: datetime, last_seen_open: datetime | None) -> DatePoll:
    """The poll with ``closed_at`` filled in from when the bot last saw it open, when it was closed by hand and
    the forum does not say when (older Discourse sends no ``closed_at``). Without this the result window would
    count from the post, so a poll closed after a week of voting would never be announced. Unknown (the poll
    was first seen already closed, e.g. when the bot first reads a forum): unchanged, so old polls stay quiet."""
    if (
        last_seen_open is None
        or poll.closed_at is not None
        or not poll.is_closed(now)
        or (poll.close is not None and poll.close <= now)
    ):
        return poll
    return poll.model_copy(update={"closed_at": max(last_seen_open, poll.posted_at)})


def _closed_anchor(poll: DatePoll, now: datetime) -> datetime:
    """When the poll closed, as well as the post tells (its post time when it was closed by hand, unrecorded)."""
    return poll.closed_at or (poll.close if poll.close is not None and poll.close <= now else poll.posted_at)


def _result(
    poll: DatePoll, now: datetime, forum: str, rules: PollRules, zone: str
) -> tuple[Action | None, tuple[EventFact, ...]]:
    closed_at = _closed_anchor(poll, now)
    key = f"poll-result:{poll.ref}"
    announce = now < closed_at + rules.result_window
    if poll.results == "staff_only":
        if not announce:
            return None, ()
        raw = render(
            "poll_result.md",
            key=key,
            poll=poll,
            zone=zone,
            hidden=True,
            winner=None,
            tied=[],
            rows=[],
            more=0,
            event=None,
        )
        return _result_action(poll, key, raw, forum, closed_at, rules, outcome="hidden"), ()
    tallies = poll.tallies
    if tallies is None:
        return None, ()  # counts not visible yet (read before the close): wait for a fresh read
    top = max(tallies.values(), default=0)
    leaders = [o for o in poll.options if top > 0 and (o.votes or 0) == top]
    winner = leaders[0] if len(leaders) == 1 else None
    event = _winner_event(poll, winner, now) if winner is not None else None
    events = (event,) if event is not None else ()
    if not announce:
        return None, events
    rows, more = _rows(poll, rules.max_listed)
    raw = render(
        "poll_result.md",
        key=key,
        poll=poll,
        zone=zone,
        hidden=False,
        winner=winner,
        tied=leaders if len(leaders) > 1 else [],
        top=top,
        rows=rows,
        more=more,
        event=event,
    )
    outcome = "winner" if winner else "tie" if leaders else "no_votes"
    return _result_action(
        poll, key, raw, forum, closed_at, rules, outcome=outcome, winner=winner.id if winner else None
    ), events


def _result_action(
    poll: DatePoll, key: str, raw: str, forum: str, closed_at: datetime, rules: PollRules, **extra: Any
) -> Action:
    return _reply_action(
        poll,
        kind="poll_result",
        key=key,
        raw=raw,
        forum=forum,
        due_at=closed_at,
        expires_at=closed_at + rules.result_window,
        **extra,
    )


def _winner_event(poll: DatePoll, winner: DateOption, now: datetime) -> EventFact | None:
    """The winning time as an event, when it is an upcoming instant (a whole day has no time to remind)."""
    when = winner.when
    if when is None or not isinstance(when.start, datetime) or when.start <= now:
        return None
    title = poll.topic_title or poll.title or f"Topic {poll.topic_id}"
    return EventFact(
        topic_id=poll.topic_id,
        post_id=poll.post_id,
        post_number=poll.post_number,
        title=title,
        start=when.start,
        end=when.end if isinstance(when.end, datetime) else None,
        url=None,
        origin="poll",
    )


def last_standings_from(rows: Iterable[Any], source: str) -> dict[str, int] | None:
    """The tallies of the last standings sent for ``source``, from outbox rows (``OutboxRow``)."""
    sent = [
        r
        for r in rows
        if r.source == source
        and r.kind == "poll_standings"
        and r.status == "sent"
        and isinstance(r.payload.get("tallies"), dict)
    ]
    if not sent:
        return None
    latest = max(sent, key=lambda r: (r.sent_at or r.due_at, r.key))
    return {str(k): int(v) for k, v in latest.payload["tallies"].items()}


# ------------------------------------------------------------------------------------------ helpers


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name)[:60] or "poll"


def _stamp(instant: datetime) -> str:
    return f"{instant.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _full_day(day: date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {_day(day)}"


def _duration_phrase(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    if minutes % (24 * 60) == 0 and minutes >= 48 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"
