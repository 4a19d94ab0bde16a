"""Planning one date poll's lifecycle: the check note, standings, closing nudge and result, each an outbox
action with a deterministic key, and the winning time as an event."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cotechbot.actions import Action, Reply
from cotechbot.capabilities.polls.checks import check_poll
from cotechbot.capabilities.polls.model import (
    WEEKDAY_NAMES,
    DateOption,
    DatePoll,
    OptionProblem,
    PollPlan,
    PollRules,
    _day,
    _full_day,
)
from cotechbot.models import EventFact

_USERNAME = re.compile(r"^[\w.-]{1,60}$")


def plan_poll(
    poll: DatePoll,
    *,
    now: datetime,
    forum: str,
    rules: PollRules | None = None,
    last_standings: Mapping[str, int] | None = None,
    non_voters: Sequence[str] | None = None,
    non_voter_count: int | None = None,
) -> PollPlan:
    """Everything this poll calls for now: planning twice with the same inputs gives the same plan.

    ``last_standings`` are the tallies of the last standings posted for this poll (None if never);
    ``non_voters`` are usernames of the poll's groups' members who have not voted (None if unknown or not
    to be named); ``non_voter_count`` is how many there are when they may be counted but not named.
    """
    rules = rules or PollRules()
    zone = rules.zone or poll.tz
    closed = poll.is_closed(now)
    problems = tuple(check_poll(poll))
    actions: list[Action] = []
    events: tuple[EventFact, ...] = ()
    stage: list[str] = [_describe_state(poll, now, zone)]
    if not closed:
        if (check := _check_action(poll, problems, now, forum, rules)) is not None:
            actions.append(check)
            stage.append(f"check note ({len(problems)} problem{'s' if len(problems) != 1 else ''})")
        if (standings := _standings_action(poll, now, forum, rules, zone, last_standings)) is not None:
            actions.append(standings)
            stage.append("standings")
        if (
            closing := _closing_action(poll, now, forum, rules, zone, non_voters, non_voter_count)
        ) is not None:
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
    return f"{state}, {poll.voters} voter{'s' if poll.voters != 1 else ''}, results {poll.results}{closes}"


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
        operation=Reply(topic_id=poll.topic_id, raw=raw),
        detail={"poll": poll.ref, **extra},
    )


def _check_action(
    poll: DatePoll, problems: Sequence[OptionProblem], now: datetime, forum: str, rules: PollRules
) -> Action | None:
    expires = poll.posted_at + rules.check_window
    if poll.close is not None:
        expires = min(expires, poll.close)
    if not rules.checks_enabled or not problems or now >= expires:
        return None
    key = f"poll-check:{poll.ref}"
    shown = [_problem_context(p, poll) for p in problems[: rules.max_listed]]
    raw = rules.render(
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
    raw = rules.render("poll_standings.md", key=key, poll=poll, rows=rows, more=more, zone=zone)
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
    poll: DatePoll,
    now: datetime,
    forum: str,
    rules: PollRules,
    zone: str,
    non_voters: Sequence[str] | None,
    non_voter_count: int | None = None,
) -> Action | None:
    if poll.close is None:
        return None
    due = poll.close - rules.close_reminder
    if due < poll.posted_at:
        return None  # the poll was opened inside its own reminder window: a nudge now would be noise
    mentions: list[str] = []
    still_to_vote = 0
    named = rules.name_non_voters and may_name_non_voters(poll)
    if named and non_voters is not None:
        mentions = sorted({u for u in non_voters if _USERNAME.match(u)}, key=str.lower)
        if not mentions:
            return None  # every member of the poll's groups has voted: nobody to nudge
        if len(mentions) > rules.max_mentions:  # a crowd is a number: never ping dozens of people
            still_to_vote, mentions = len(mentions), []
    elif named and non_voter_count is not None:
        if non_voter_count == 0:
            return None
        still_to_vote = non_voter_count
    key = f"poll-closing:{poll.ref}:{_stamp(poll.close)}"
    rows, more = (
        _rows(poll, rules.max_listed) if poll.everyone_sees_results(now) and poll.tallies else ([], 0)
    )
    shown = mentions
    raw = rules.render(
        "poll_closing.md",
        key=key,
        poll=poll,
        zone=zone,
        lead=_duration_phrase(rules.close_reminder),
        mentions=[f"@{u}" for u in shown],
        still_to_vote=still_to_vote,
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
        raw = rules.render(
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
    raw = rules.render(
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


def _stamp(instant: datetime) -> str:
    return f"{instant.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def _duration_phrase(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    if minutes % (24 * 60) == 0 and minutes >= 48 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"
