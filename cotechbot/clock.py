"""Where cotechbot reads the time: one injectable clock, so every time-dependent test is exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from cotechbot.models import require_aware_utc


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that reads what it is told; tests and `--now` move it explicitly."""

    def __init__(self, at: datetime) -> None:
        self._at = require_aware_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = require_aware_utc(at)

    def advance(self, delta: timedelta) -> datetime:
        self._at += delta
        return self._at
