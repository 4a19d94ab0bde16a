"""Showing what was read: the JSON shape the evaluation tools expect, the JSON-lines runner, and a table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from typing import Any, TextIO

from cotechbot.when._reader import TimeMention, forum_zone, read_times


def _stamp(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def mention_as_json(m: TimeMention) -> dict[str, Any]:
    """``{"start", "end", "all_day", "flags"}``: ISO 8601 with offset when timed, ``YYYY-MM-DD`` when all-day."""
    return {"start": _stamp(m.start), "end": _stamp(m.end), "all_day": m.all_day, "flags": list(m.flags)}


def _parse_now(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("'now' (or 'posted_at') must be an ISO 8601 string with an offset")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"'now' {value!r} has no offset")
    return parsed


def _read_line(line: str) -> dict[str, Any]:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    now = _parse_now(record.get("now", record.get("posted_at")))
    zone = record.get("tz", record.get("tz_hint")) or "Europe/London"
    options = {}
    if isinstance(record.get("reference_year"), int):
        options["reference_year"] = record["reference_year"]
    mentions = read_times(text, now, zone, **options)
    return {"id": record.get("id"), "events": [mention_as_json(m) for m in mentions]}


def run_jsonl(lines: Iterable[str], out: TextIO) -> int:
    """Read ``{"id", "text", "now", "tz"}`` lines, write ``{"id", "events"}`` lines in order; return the error count.

    ``posted_at`` and ``tz_hint`` are accepted for ``now`` and ``tz``.  A line that cannot be read produces
    ``{"id": …, "error": "…"}`` and the run goes on.
    """
    errors = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            result = _read_line(line)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            errors += 1
            try:
                ident = json.loads(line).get("id")
            except (ValueError, AttributeError):
                ident = None
            result = {"id": ident, "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return errors


def _show(value: date | datetime | None, zone: tzinfo) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        local = value.astimezone(zone)
        shown = local.strftime("%a %d %b %Y %H:%M %Z")
        if local.utcoffset() != value.utcoffset():
            shown += f" ({value.strftime('%H:%M')} as written)"
        return shown
    return value.strftime("%a %d %b %Y")


def format_table(text: str, mentions: list[TimeMention], tz: str | tzinfo) -> str:
    """A readable table of what was read from ``text``, times shown in the forum's zone ``tz``."""
    zone, name = forum_zone(tz)
    if not mentions:
        return f"No dates or times found (zone {name})."
    rows = [("text", "start", "end", "kind", "flags")]
    for m in mentions:
        rows.append(
            (
                m.text.replace("\n", " "),
                _show(m.start, zone),
                _show(m.end, zone),
                "all day" if m.all_day else "timed",
                ", ".join(m.flags),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"(times in {name})")
    return "\n".join(lines)
