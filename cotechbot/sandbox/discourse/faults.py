"""Scripted failures (``forum.faults``) and Discourse's site-wide admin-API rate limiter (§8)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class FaultRule:
    kind: str  # fail | slow | malformed | rate_limit
    remaining: int
    path_prefix: str | None
    status: int = 500
    seconds: float = 0.0
    wait_seconds: int = 60


class Faults:
    """Scripted failures for the next requests (optionally only those whose path starts with ``path``).

    Rules are consumed in the order they were added; a request takes at most one rule. ``slow_next`` delays and
    then answers normally, the others replace the answer.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def fail_next(self, n: int = 1, status: int = 500, *, path: str | None = None) -> None:
        """The next ``n`` requests answer ``status`` with a JSON error body."""
        self._add(FaultRule("fail", n, path, status=status))

    def slow_next(self, n: int, seconds: float, *, path: str | None = None) -> None:
        """The next ``n`` requests wait ``seconds`` before being answered (for client timeouts)."""
        self._add(FaultRule("slow", n, path, seconds=seconds))

    def malformed_next(self, n: int = 1, *, path: str | None = None) -> None:
        """The next ``n`` requests answer 200 with truncated JSON and the right content type."""
        self._add(FaultRule("malformed", n, path))

    def rate_limit_next(self, n: int = 1, wait_seconds: int = 60, *, path: str | None = None) -> None:
        """The next ``n`` requests answer Discourse's 429 with ``extras.wait_seconds``."""
        self._add(FaultRule("rate_limit", n, path, status=429, wait_seconds=wait_seconds))

    def clear(self) -> None:
        with self.lock:
            self._rules.clear()

    @property
    def pending(self) -> int:
        with self.lock:
            return sum(rule.remaining for rule in self._rules)

    def _add(self, rule: FaultRule) -> None:
        if rule.remaining < 1:
            raise ValueError("n must be at least 1")
        with self.lock:
            self._rules.append(rule)

    def _take(self, path: str) -> FaultRule | None:
        with self.lock:
            for rule in self._rules:
                if rule.path_prefix is None or path.startswith(rule.path_prefix):
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return rule
        return None


class RateLimiter:
    """Discourse's sliding-window limiter: at most ``limit`` requests in any ``window`` seconds."""

    def __init__(self, limit: int | None, clock: Callable[[], float], window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: list[float] = []
        self.lock = threading.Lock()

    def check(self) -> int | None:
        """Record a request and return None, or return the seconds to wait when over the limit."""
        if not self.limit:
            return None
        now = self._clock()
        with self.lock:
            cutoff = now - self.window
            while self._hits and self._hits[0] <= cutoff:
                self._hits.pop(0)
            if len(self._hits) >= self.limit:
                return max(1, math.ceil(self._hits[0] + self.window - now))
            self._hits.append(now)
            return None


def time_left(seconds: int) -> str:
    """Discourse's ``RateLimiter::LimitExceeded#time_left`` wording."""

    def plural(count: int, unit: str) -> str:
        return f"{count} {unit}" if count == 1 else f"{count} {unit}s"

    if seconds <= 3:
        return "a few seconds"
    if seconds < 60:
        return plural(seconds, "second")
    if seconds < 3600:
        return plural(seconds // 60, "minute")
    if seconds < 86400:
        return plural(seconds // 3600, "hour")
    return plural(seconds // 86400, "day")


def rate_limit_body(wait_seconds: int) -> dict[str, Any]:
    """The body Discourse sends with a controller-level 429 (§8)."""
    left = time_left(wait_seconds)
    return {
        "errors": [f"You’ve performed this action too many times. Please wait {left} before trying again."],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": wait_seconds, "time_left": left},
    }
