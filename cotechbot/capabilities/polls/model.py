"""The date-poll model: what one poll, its options and their times are, and the rules planning reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cotechbot.actions import Action
from cotechbot.messages import BUNDLED, Renderer
from cotechbot.models import EventFact, UtcDateTime
from cotechbot.settings import Settings

_YEAR_FLAG = re.compile(r"^year_corrected:(\d{4})->(\d{4})$")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Moment = datetime | date


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
    author: str | None = None  # who posted the poll: the bot names only members of groups they belong to
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
    max_mentions: int = 20  # more non-voters than this are given as a count, never a partial list
    name_non_voters: bool = True  # off: the closing reminder gives a count instead of names
    ignored_authors: frozenset[str] = frozenset({"system"})  # lower-cased: the bot itself and other bots
    render: Renderer = field(default=BUNDLED, repr=False, compare=False)  # handed in by the shell

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer = BUNDLED) -> PollRules:
        return cls(
            render=render,
            zone=settings.timezone,
            checks_enabled=settings.polls.check_notes,
            name_non_voters=settings.polls.closing_names,
            ignored_authors=frozenset(
                name.lower() for name in (settings.discourse_api_username, *settings.ignore_posts_by) if name
            ),
            standings_interval=settings.poll_standings_interval,
            close_reminder=settings.poll_close_reminder,
        )


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name)[:60] or "poll"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _full_day(day: date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {_day(day)}"
