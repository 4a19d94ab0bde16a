"""The Loomio client's own answers to a rate limit (unit, over `responses`)."""

from __future__ import annotations

import pytest
import responses

from cotechbot.errors import ForumBadResponse, ForumRateLimited, ForumUnavailable
from cotechbot.forum.loomio import LoomioClient
from cotechbot.forum.ratelimit import MAX_RATE_LIMIT_WAIT

BASE = "https://loomio.example.coop"


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("1e999", 60.0), ("nan", 60.0), ("99999999", MAX_RATE_LIMIT_WAIT), ("0", 1.0), ("30", 30.0)],
)
@responses.activate
def test_a_429_pauses_for_a_finite_wait_of_at_most_an_hour(retry_after: str, expected: float) -> None:
    """An absurd Retry-After must not pause the decision log for ever: unusable → the default, huge → an hour."""
    responses.get(f"{BASE}/api/b2/polls", status=429, body="slow down", headers={"Retry-After": retry_after})
    client = LoomioClient(BASE, "key", monotonic=lambda: 0.0)
    with pytest.raises(ForumRateLimited) as limited:
        client.polls(7, "active")
    assert limited.value.wait_seconds == expected


def test_an_unreachable_loomio_says_where_and_why() -> None:
    """The same one-line reason as for the forum: the host and port tried, and what to check."""
    client = LoomioClient("http://127.0.0.1:9", "key", timeout=2)
    with pytest.raises(ForumUnavailable, match=r"cannot reach loomio: connection refused at 127\.0\.0\.1:9"):
        client.polls(7, "active")


@responses.activate
def test_json_nested_too_deeply_is_a_bad_response_not_a_crash() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    responses.get(f"{BASE}/api/b2/polls", status=200, body=deep, content_type="application/json")
    with pytest.raises(ForumBadResponse):
        LoomioClient(BASE, "key").polls(7, "active")
