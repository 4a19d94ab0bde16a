"""Client-side request budget: a token bucket that paces calls so a forum's own limiter never has to.

Discourse allows 60 admin-API requests per minute for the whole site, shared by every admin key
(API-NOTES §8). A bucket refilling at ``requests_per_minute`` (default 50) with a small ``burst``
(default 5) never sends more than ``burst + requests_per_minute`` requests in any 60-second window,
so with the defaults we stay at or under 55/min: steady-state 429s do not happen, and there is
headroom for another integration sharing the budget.

Time is injectable: ``now`` returns seconds (any epoch) and ``sleep`` waits. Tests pass a fake clock's
reading and a ``sleep`` that advances that clock, so pacing is exact and nothing really sleeps.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from cotechbot.clock import Clock

#: Wait used for a 429 that names no usable wait (e.g. Discourse's per-IP middleware's text/plain answer).
DEFAULT_RATE_LIMIT_WAIT = 10.0
#: The longest wait a 429 can impose: a larger one is read as this (the next cycles try again).
MAX_RATE_LIMIT_WAIT = 3600.0


def seconds_source(clock: Clock | None) -> Callable[[], float]:
    """A float-seconds time source: the clock's reading if given, else the monotonic clock."""
    if clock is None:
        return time.monotonic
    return lambda: clock.now().timestamp()


def sleeper_for(clock: Clock | None, sleep: Callable[[float], None] | None) -> Callable[[float], None]:
    """``sleep`` if given; else advance a clock that can be advanced (FixedClock); else really sleep."""
    if sleep is not None:
        return sleep
    advance = getattr(clock, "advance", None)
    if clock is not None and callable(advance):
        return lambda seconds: advance(timedelta(seconds=seconds))
    return time.sleep


class TokenBucket:
    """``acquire()`` before every request: returns at once while tokens remain, else sleeps until one has
    refilled. ``pause(seconds)`` empties the bucket for that long (after a 429 told us to wait)."""

    def __init__(
        self,
        requests_per_minute: float = 50,
        burst: int = 5,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive")
        self.rate = requests_per_minute / 60.0
        self.capacity = float(max(1, burst))
        self._now = now
        self._sleep = sleep
        self._tokens = self.capacity
        self._stamp = now()
        self._paused_until: float | None = None
        self._lock = threading.Lock()
        #: Total seconds spent waiting for tokens (pacing), for logs and the benchmark.
        self.waited_seconds = 0.0

    def _refill(self) -> None:
        now = self._now()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)

    def paused_for(self) -> float:
        """Seconds until a ``pause`` ends (0 when not paused)."""
        if self._paused_until is None:
            return 0.0
        remaining = self._paused_until - self._now()
        if remaining <= 0:
            self._paused_until = None
            return 0.0
        return remaining

    def pause(self, seconds: float) -> None:
        """The server said "wait ``seconds``": spend no tokens before then, and start again from empty."""
        with self._lock:
            until = self._now() + max(0.0, seconds)
            if self._paused_until is None or until > self._paused_until:
                self._paused_until = until
            self._tokens = 0.0
            self._stamp = until if until > self._now() else self._now()

    def acquire(self) -> float:
        """Take one token, sleeping first if none is left; returns the seconds slept."""
        with self._lock:
            waited = 0.0
            paused = self.paused_for()
            if paused > 0:
                self._sleep(paused)
                waited += paused
                self._paused_until = None
            self._refill()
            if self._tokens < 1.0:
                wait = (1.0 - self._tokens) / self.rate
                self._sleep(wait)
                waited += wait
                self._refill()
            # May dip a hair below zero when a real sleep wakes early: the debt delays the next call.
            self._tokens -= 1.0
            self.waited_seconds += waited
            return waited


def _usable_wait(value: Any) -> float | None:
    """A wait in seconds, clamped to [0, MAX_RATE_LIMIT_WAIT]; None for anything not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(seconds):
        return None
    return min(MAX_RATE_LIMIT_WAIT, max(0.0, seconds))


def rate_limit_wait(
    response: requests.Response, now: datetime | None = None, *, default: float = DEFAULT_RATE_LIMIT_WAIT
) -> float:
    """Seconds a 429 asks us to wait: ``extras.wait_seconds`` (Discourse's JSON body), else ``Retry-After``
    (seconds or an HTTP date), else ``default``.

    Never more than `MAX_RATE_LIMIT_WAIT`; a non-finite or unreadable value counts as not given.
    """
    try:
        body = response.json()
        wait = _usable_wait(body["extras"]["wait_seconds"]) if not isinstance(body, list) else None
        if wait is not None:
            return wait
    except (ValueError, KeyError, TypeError, RecursionError):
        pass
    header = (response.headers.get("Retry-After") or "").strip()
    if header:
        wait = _usable_wait(header)
        if wait is not None:
            return wait
        try:
            when = parsedate_to_datetime(header)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = _usable_wait((when - (now or datetime.now(UTC))).total_seconds())
            if seconds is not None:
                return seconds
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return default
