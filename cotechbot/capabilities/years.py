"""The years the bot plans in. A date outside them is a typo or an attack ("[date=9999-12-31]" in a far-east
zone is year 10000 in UTC, which Python cannot represent): it is dropped with a note, never planned."""

from __future__ import annotations

from datetime import date

EARLIEST_YEAR = 1900
LATEST_YEAR = 2999  # the date reader's own limits


def within_planned_years(*moments: date | None) -> bool:
    """Whether every given date or instant (in its own zone) lies in years the bot plans in."""
    return all(m is None or EARLIEST_YEAR <= m.year <= LATEST_YEAR for m in moments)
