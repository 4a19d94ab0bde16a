"""Exports of the decision log (``cotechbot decisions``, ``GET /decisions.json`` and ``/decisions.md``): pure
functions of the stored entries, so two exports with nothing new in between are byte-identical.

JSON: a list of objects with ``id``, ``source`` (``discourse`` or ``loomio``), ``url``, ``title``,
``decision``, ``decided_at`` (ISO 8601, UTC), ``tags``, ``status`` and ``revision``; newest decided first.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cotechbot.capabilities.decisions import LogEntry, newest_first
from cotechbot.messages import inline, local_time, strict_http_url

FORMATS = ("md", "csv", "json")
SOURCES = ("discourse", "loomio")
FIELDS = ("id", "source", "url", "title", "decision", "decided_at", "tags", "status", "revision")


def select(
    entries: Iterable[LogEntry], *, since: datetime | None = None, source: str | None = None
) -> list[LogEntry]:
    """Entries decided at or after ``since`` and from ``source`` (both optional), newest first."""
    return newest_first(
        e
        for e in entries
        if (since is None or e.decided_at >= since) and (source is None or e.source == source)
    )


def record(entry: LogEntry) -> dict[str, Any]:
    return {
        "id": entry.decision_id,
        "source": entry.source,
        "url": entry.url,
        "title": entry.title,
        "decision": entry.decision,
        "decided_at": entry.decided_at.isoformat().replace("+00:00", "Z"),
        "tags": list(entry.tags),
        "status": entry.status,
        "revision": entry.revision,
    }


def export(entries: Iterable[LogEntry], fmt: str, zone: str = "Europe/London") -> str:
    rows = [record(e) for e in entries]
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "tags": " ".join(row["tags"])})
        return out.getvalue()
    if fmt == "md":
        return markdown(list(entries), zone)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def markdown(entries: list[LogEntry], zone: str) -> str:
    """A markdown list; the user text in it is made mention-safe like everything the bot repeats."""
    lines = ["# Decision log", ""]
    if not entries:
        lines.append("Nothing decided yet.")
    for entry in entries:
        when = local_time(entry.decided_at, zone, with_utc=False)
        link = strict_http_url(entry.url) or ""
        status = "" if entry.status == "decided" else f" — *{entry.status.replace('_', ' ')}*"
        lines.append(f"- **{when}** — [{inline(entry.title, 150)}]({link}) ({entry.source}){status}")
        if entry.decision:
            lines.append(f"  {inline(entry.decision, 900)}")
    return "\n".join(lines) + "\n"
