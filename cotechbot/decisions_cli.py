"""``cotechbot decisions``: the decision log from the ledger as markdown, CSV or JSON (reads no forum), and
the same export for the HTTP face's ``/decisions.json`` and ``/decisions.md``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from cotechbot.capabilities.decisions.export import FORMATS, SOURCES, export, select
from cotechbot.decision_log import DecisionLogStore
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings


def decisions_text(
    ledger: Ledger, settings: Settings, fmt: str, *, since: datetime | None = None, source: str | None = None
) -> str:
    entries = select(
        DecisionLogStore(ledger, settings.forum_name).entries().values(), since=since, source=source
    )
    return export(entries, fmt, settings.timezone)


def since_instant(value: datetime | date | None, zone: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0, 0), tzinfo=ZoneInfo(zone))


def add_arguments(parser: argparse.ArgumentParser, parse_instant: Callable[[str], Any]) -> None:
    parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv or json")
    parser.add_argument(
        "--since",
        type=parse_instant,
        metavar="DATE",
        help="only decisions from this date (or ISO 8601 time) on",
    )
    parser.add_argument("--source", choices=SOURCES, help="only decisions from the forum or from Loomio")
