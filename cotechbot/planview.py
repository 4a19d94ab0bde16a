"""What ``cotechbot plan`` prints: the outbox as a table a person can read, in the forum's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from cotechbot.ledger import OutboxRow


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
        lines.append(f"{when:%a %d %b %Y %H:%M %Z}{overdue:<6} {row.kind:<16} {row.target:<14} "
                     f"{first_line(str(row.payload.get('raw', '')))}")
    return "\n".join(lines)
