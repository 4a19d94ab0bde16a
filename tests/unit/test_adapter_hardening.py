"""The adapter against a hostile or broken server and hostile names (issue 9 items 13, 16, 17, 18)."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses

from cotechbot.clock import FixedClock
from cotechbot.errors import ForumBadResponse, ForumRateLimited
from cotechbot.forum.discourse import MAX_RATE_LIMIT_WAIT, DiscourseForum, rate_limit_wait
from cotechbot.ledger import Ledger
from cotechbot.sync import DiscourseSync, SyncOptions

HOST = "https://forum.example.coop"
KEY = "k3y-that-must-never-be-logged"
JSON_CT = "application/json; charset=utf-8"
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def forum(clock):
    with DiscourseForum(HOST, "cotechbot", KEY, name="cotech", clock=clock, timeout=5) as f:
        yield f


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def answer_429(body: str, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = 429
    response._content = body.encode()
    response.headers["Content-Type"] = JSON_CT
    response.headers.update(headers or {})
    return response


# -- item 13: names from user text never leave their path segment ------------------------------------------


def test_a_group_name_cannot_reach_another_endpoint_or_add_a_query(forum, rsps):
    """Issue 9 item 13: a poll's ``groups`` value is percent-encoded as one path segment, so
    ``admin/users/list/staff.json?show_emails=true&x=`` asks for a (non-existent) group of that name."""
    rsps.add("GET", re.compile(re.escape(HOST) + r"/groups/.*"), json={"members": [], "meta": {"total": 0}})
    hostile = "admin/users/list/staff.json?show_emails=true&x="
    forum.group_member_usernames(hostile)
    sent = rsps.calls[0].request
    path, _, query = sent.path_url.partition("?")
    assert path == "/groups/admin%2Fusers%2Flist%2Fstaff.json%3Fshow_emails%3Dtrue%26x%3D/members.json"
    assert "show_emails" not in query
    rsps.add(
        "GET", re.compile(re.escape(HOST) + r"/groups/[^/]*\.json"), json={"group": {"id": 1, "name": "x"}}
    )
    forum.group("../admin/users")
    assert rsps.calls[1].request.path_url == "/groups/..%2Fadmin%2Fusers.json"


# -- item 16: a 429's wait is clamped and must be finite ----------------------------------------------------


@pytest.mark.parametrize("wait", ["1e999", "-1e999", "NaN", "Infinity", "1" + "0" * 400])
def test_an_absurd_wait_in_the_body_is_never_believed(wait):
    """Issue 9 item 16: non-finite or overflowing ``wait_seconds`` are ignored (the 10 s default applies)."""
    seconds = rate_limit_wait(answer_429(f'{{"extras": {{"wait_seconds": {wait}}}}}'))
    assert math.isfinite(seconds) and 0 <= seconds <= MAX_RATE_LIMIT_WAIT


def test_a_long_wait_is_clamped_to_an_hour():
    """Issue 9 item 16: a finite but huge wait (body or Retry-After) is read as at most one hour."""
    assert rate_limit_wait(answer_429('{"extras": {"wait_seconds": 1e12}}')) == MAX_RATE_LIMIT_WAIT
    assert rate_limit_wait(answer_429("{}", {"Retry-After": "1e999"})) <= MAX_RATE_LIMIT_WAIT
    assert rate_limit_wait(answer_429("{}", {"Retry-After": "99999999"})) == MAX_RATE_LIMIT_WAIT


def test_a_429_asking_for_ever_pauses_the_adapter_at_most_an_hour(forum, rsps, clock):
    """Issue 9 item 16: after ``wait_seconds: 1e999`` the adapter sends again once the clamped wait is over."""
    rsps.add("GET", HOST + "/latest.json", body='{"extras": {"wait_seconds": 1e999}}', status=429)
    with pytest.raises(ForumRateLimited) as caught:
        forum.latest_topics()
    assert math.isfinite(caught.value.wait_seconds)
    rsps.replace("GET", HOST + "/latest.json", json={"topic_list": {"topics": []}})
    clock.advance(timedelta(seconds=MAX_RATE_LIMIT_WAIT + 1))
    assert forum.latest_topics() == []


# -- item 17: deeply nested JSON is a bad response --------------------------------------------------------


def test_deeply_nested_json_is_a_bad_response(forum, rsps):
    """Issue 9 item 17: a body nested too deeply to decode raises ForumBadResponse, not RecursionError."""
    rsps.add("GET", HOST + "/posts.json", body=DEEP, content_type=JSON_CT)
    with pytest.raises(ForumBadResponse, match="nested too deeply"):
        forum.latest_posts()


def test_deeply_nested_json_ends_the_cycle_with_an_error_not_a_crash(forum, rsps, clock, tmp_path):
    """Issue 9 item 17: the sync reports the bad page and returns; nothing escapes run_cycle."""
    rsps.add("GET", HOST + "/posts.json", body=DEEP, content_type=JSON_CT)
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}", clock)
    try:
        report = DiscourseSync(forum, ledger, clock, SyncOptions(progress_bar=False)).run_cycle()
    finally:
        ledger.dispose()
    assert not report.complete and report.error.startswith("ForumBadResponse")


def test_a_deeply_nested_429_or_error_body_is_read_as_no_message(forum, rsps):
    """Issue 9 item 17: the error paths decode bodies too; a nested one falls back to the defaults."""
    assert rate_limit_wait(answer_429(DEEP)) == 10
    rsps.add("GET", HOST + "/latest.json", body=DEEP, status=422, content_type=JSON_CT)
    with pytest.raises(Exception) as caught:
        forum.latest_topics()
    assert not isinstance(caught.value, RecursionError)


# -- item 18: credentials in the forum URL are never shown --------------------------------------------------


def test_credentials_in_the_forum_url_are_masked_in_repr_check_and_errors(clock, rsps):
    """Issue 9 item 18: a forum URL with basic-auth credentials prints as user:***@host."""
    url = "https://bot:hunter2-secret@forum.example.coop"
    rsps.add("GET", url + "/users/cotechbot.json", json={"user": {"id": 3, "username": "cotechbot"}})
    with DiscourseForum(url, "cotechbot", KEY, name="cotech", clock=clock) as forum:
        described = forum.check()
        shown = repr(forum) + repr(forum.client) + described
    assert "hunter2-secret" not in shown and "bot:***@forum.example.coop" in described
