"""Helpers shared by the sandbox tests (test_sandbox_*.py): a manual monotonic clock and an API session."""

from __future__ import annotations

from datetime import UTC, datetime

import requests

from cotechbot.sandbox.discourse import FakeDiscourse

KEY = "sandbox-test-key"
BOT = "cotechbot"
NOW = datetime(2024, 6, 26, 12, 0, tzinfo=UTC)  # a Wednesday
JSON_CT = "application/json; charset=utf-8"


class ManualClock:
    """A monotonic clock the test moves by hand (for the rate limiter and the create-post memo)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


def session(forum: FakeDiscourse, username: str = BOT, key: str = KEY) -> requests.Session:
    """A keep-alive session sending the API headers (and Accept JSON, as pydiscourse does)."""
    s = requests.Session()
    s.headers.update({"Api-Key": key, "Api-Username": username, "Accept": "application/json; charset=utf-8"})
    return s


def get(forum: FakeDiscourse, path: str, username: str = BOT, **params) -> requests.Response:
    with session(forum, username) as s:
        return s.get(forum.url + path, params=params or None, timeout=5)
