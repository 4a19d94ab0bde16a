"""What ``cotechbot plan`` prints: the outbox as a table a person can read, in the forum's time zone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from cotechbot.capabilities.polls import (
    PollRules,
    detect_date_polls,
    last_standings_from,
    plan_poll,
    should_watch,
    with_close_anchor,
)
from cotechbot.ledger import OutboxRow
from cotechbot.messages import inline
from cotechbot.models import Post


def first_line(raw: str, limit: int = 70) -> str:
    for line in raw.splitlines():
        line = line.strip()
        if line and not line.startswith("<!--"):
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def describe_plan(rows: Sequence[OutboxRow], *, zone: str, now: datetime) -> str:
    if not rows:
        return "Nothing planned."
    tz = ZoneInfo(zone)
    lines = [f"{'when (' + zone + ')':<26} {'kind':<16} {'target':<14} text"]
    for row in rows:
        when = row.due_at.astimezone(tz)
        overdue = " (due)" if row.due_at <= now else ""
        lines.append(
            f"{when:%a %d %b %Y %H:%M %Z}{overdue:<6} {row.kind:<16} {row.target:<14} "
            f"{first_line(str(row.payload.get('raw', '')))}"
        )
    return "\n".join(lines)


def describe_polls(
    posts: Iterable[Post],
    rows: Sequence[OutboxRow],
    *,
    now: datetime,
    forum: str,
    rules: PollRules | None = None,
    last_seen_open: Callable[[str], datetime | None] = lambda ref: None,
) -> str:
    """The "Date polls" section: each live date poll in the mirror (open, or closed within its result window)
    with its lifecycle line (``PollPlan.stage``) and what of its outbox has already gone out.

    ``rows`` are outbox rows (pending and sent: the last standings are read from them); ``last_seen_open(ref)``
    is when the worker last planned the poll open. Planned as the worker would, except that non-voters are not
    read from the forum (a closing reminder's mentions are filled in by the worker)."""
    rules = rules or PollRules()
    polls = detect_date_polls(posts, now, rules.zone)
    live = [
        p
        for p in (with_close_anchor(p, now, last_seen_open(p.ref)) for p in polls)
        if should_watch(p, now, rules)
    ]
    if not live:
        return f"Date polls: none live ({len(polls)} in the mirror)." if polls else "Date polls: none."
    lines = [
        f"Date polls ({len(live)} live{f', {len(polls) - len(live)} past' if len(polls) > len(live) else ''}):"
    ]
    for poll in live:
        plan = plan_poll(
            poll, now=now, forum=forum, rules=rules, last_standings=last_standings_from(rows, poll.source)
        )
        title = inline(poll.topic_title or poll.title or "", 60)
        lines.append(f"- {plan.stage}")
        lines.append(
            f"    topic {poll.topic_id}{f' “{title}”' if title else ''}; {len(poll.options)} options"
            + (f", {len(plan.problems)} flagged" if plan.problems else "")
        )
        sent = sorted(
            {r.kind.replace("_", " ") for r in rows if r.source == poll.source and r.status == "sent"}
        )
        if sent:
            lines.append(f"    already sent: {', '.join(sent)}")
    return "\n".join(lines)
