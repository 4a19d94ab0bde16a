"""DiscourseForum against canned HTTP answers (``responses``): transport policy, error mapping, parsing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
import structlog
from responses import matchers

from cotechbot.clock import FixedClock
from cotechbot.errors import (
    ForumAuthError,
    ForumBadResponse,
    ForumNotFound,
    ForumRateLimited,
    ForumRejected,
    ForumUnavailable,
)
from cotechbot.forum.discourse import DiscourseForum, rate_limit_wait
from cotechbot.forum.dryrun import DryRunForum
from cotechbot.forum.port import Forum
from cotechbot.forum.ratelimit import TokenBucket

HOST = "https://forum.example.coop"
KEY = "k3y-that-must-never-be-logged"
JSON_CT = "application/json; charset=utf-8"
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def post_json(post_id: int, topic_id: int = 7, post_number: int = 1, **extra):
    body = {
        "id": post_id,
        "topic_id": topic_id,
        "post_number": post_number,
        "username": "alice",
        "raw": f"post {post_id}",
        "cooked": f"<p>post {post_id}</p>",
        "created_at": "2025-06-01T10:00:00.000Z",
        "updated_at": "2025-06-01T10:00:00.000Z",
        "version": 1,
        "post_type": 1,
    }
    body.update(extra)
    return body


def reply(rsps, method, path, body=None, status=200, headers=None, content_type=JSON_CT, **kw):
    rsps.add(
        method,
        HOST + path,
        body=json.dumps(body) if not isinstance(body, str | bytes) else body,
        status=status,
        content_type=content_type,
        headers=headers,
        **kw,
    )


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def forum(clock):
    with DiscourseForum(HOST, "cotechbot", KEY, name="cotech", clock=clock, timeout=7.5) as f:
        yield f


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


# -- port shape ----------------------------------------------------------------------------------------


def test_adapter_and_dry_run_satisfy_the_port(forum):
    """DiscourseForum and DryRunForum both structurally implement the Forum protocol."""
    assert isinstance(forum, Forum)
    assert isinstance(DryRunForum(forum), Forum)


def test_repr_hides_the_api_key(forum):
    """The adapter's repr names the forum and user but never the API key."""
    assert KEY not in repr(forum) and "cotech" in repr(forum)


# -- transport -----------------------------------------------------------------------------------------


def test_every_call_carries_the_timeout_and_credentials(forum, rsps):
    """GET, POST and PUT calls all go out with the configured timeout and the Api-Key/Api-Username headers."""
    reply(rsps, "GET", "/posts.json", {"latest_posts": []})
    reply(rsps, "POST", "/posts", {"id": 9, "topic_id": 7, "post_number": 2})
    reply(rsps, "PUT", "/groups/3/handle_membership_request.json", {"success": "OK"})
    forum.latest_posts()
    forum.create_reply(7, "hello")
    forum.handle_membership_request(3, 44, accept=True)
    assert len(rsps.calls) == 3
    for call in rsps.calls:
        assert call.request.req_kwargs["timeout"] == 7.5
        assert call.request.headers["Api-Key"] == KEY
        assert call.request.headers["Api-Username"] == "cotechbot"


def test_override_cannot_remove_the_timeout(forum, rsps):
    """Even an explicit override_request_kwargs timeout is replaced by the adapter's own."""
    reply(rsps, "GET", "/about.json", {"about": {}})
    forum.client._get("/about.json", override_request_kwargs={"timeout": None})
    assert rsps.calls[0].request.req_kwargs["timeout"] == 7.5


def test_one_session_is_reused_and_module_level_requests_is_never_called(forum, rsps, monkeypatch):
    """All calls go through the forum's single kept-alive Session, never requests.request (pydiscourse's path)."""

    def forbidden(*_a, **_k):
        raise AssertionError("requests.request was called: a new connection per call")

    monkeypatch.setattr(requests, "request", forbidden)
    monkeypatch.setattr(requests.api, "request", forbidden)
    sent = []
    original = forum.session.request

    def spy(*args, **kwargs):
        sent.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(forum.session, "request", spy)
    reply(rsps, "GET", "/posts.json", {"latest_posts": []})
    reply(rsps, "GET", "/latest.json", {"topic_list": {"topics": []}})
    reply(rsps, "GET", "/users/cotechbot.json", {"user": {"id": 1, "username": "cotechbot", "admin": True}})
    forum.latest_posts()
    forum.latest_topics()
    forum.check()
    assert len(sent) == 3 == forum.requests_made


def test_requests_made_counts_every_attempt_including_failures(forum, rsps):
    """requests_made counts sent attempts, failed ones and 429 retries included."""
    reply(rsps, "GET", "/posts.json", {"errors": ["boom"]}, status=500)
    with pytest.raises(ForumUnavailable):
        forum.latest_posts()
    reply_429_then_ok(rsps, wait=1)
    forum.latest_topics()
    assert forum.requests_made == 3


def reply_429_then_ok(rsps, wait: float, path: str = "/latest.json"):
    reply(
        rsps,
        "GET",
        path,
        {
            "errors": ["slow down"],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": wait, "time_left": f"{wait} seconds"},
        },
        status=429,
        headers={
            "Retry-After": str(int(wait)),
            "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit",
        },
    )
    reply(rsps, "GET", path, {"topic_list": {"topics": []}})


# -- error mapping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, {"errors": ["internal"]}, ForumUnavailable),
        (502, "<html>bad gateway</html>", ForumUnavailable),
        (503, {"errors": ["read only"], "error_type": "read_only"}, ForumUnavailable),
        (403, {"errors": ["You are not permitted"], "error_type": "invalid_access"}, ForumAuthError),
        (404, {"errors": ["not found"], "error_type": "not_found"}, ForumNotFound),
        (400, {"errors": ["param is missing"], "error_type": "invalid_parameters"}, ForumRejected),
        (409, {"failed": "FAILED", "error": "already requested"}, ForumRejected),
        (422, {"errors": ["Title is too short"]}, ForumRejected),
    ],
)
def test_http_status_maps_to_forum_error(forum, rsps, status, body, error):
    """Each HTTP failure status becomes the documented ForumError subclass, carrying status and path."""
    content_type = "text/html" if isinstance(body, str) else JSON_CT
    reply(rsps, "GET", "/posts/5.json", body, status=status, content_type=content_type)
    with pytest.raises(error) as caught:
        forum.post(5)
    assert caught.value.status == status
    assert caught.value.path == "/posts/5.json"


def test_rejection_keeps_the_forums_messages(forum, rsps):
    """A 422 keeps Discourse's ``errors`` list on ForumRejected.errors."""
    reply(
        rsps,
        "POST",
        "/posts",
        {"action": "create_post", "errors": ["Body is too similar", "Title is short"]},
        status=422,
    )
    with pytest.raises(ForumRejected) as caught:
        forum.create_topic("Hi", "hello")
    assert caught.value.errors == ["Body is too similar", "Title is short"]


def test_2xx_body_with_errors_is_a_rejection(forum, rsps):
    """A 200 whose JSON carries a non-empty ``errors`` list is a rejection, as in pydiscourse."""
    reply(rsps, "PUT", "/posts/5", {"errors": ["edit conflict"]})
    with pytest.raises(ForumRejected):
        forum.edit_post(5, "new")


@pytest.mark.parametrize(
    "fault",
    [
        requests.ConnectionError("refused"),
        requests.ConnectTimeout("connect timeout"),
        requests.ReadTimeout("read timeout"),
        requests.exceptions.ChunkedEncodingError("reset"),
    ],
)
def test_transport_faults_are_unavailable(forum, rsps, fault):
    """Connection errors and timeouts become ForumUnavailable (transient)."""
    rsps.add("GET", HOST + "/posts.json", body=fault)
    with pytest.raises(ForumUnavailable) as caught:
        forum.latest_posts()
    assert caught.value.transient


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", JSON_CT), ("<html>login</html>", "text/html; charset=utf-8"), ("plain", "text/plain")],
)
def test_unparsable_or_wrong_content_type_is_bad_response(forum, rsps, body, content_type):
    """Malformed JSON or a non-JSON content type on success becomes ForumBadResponse."""
    reply(rsps, "GET", "/posts.json", body, content_type=content_type)
    with pytest.raises(ForumBadResponse):
        forum.latest_posts()


def test_redirect_is_bad_response(forum, rsps):
    """A 3xx (not followed, as in pydiscourse) becomes ForumBadResponse naming the target."""
    rsps.add("GET", HOST + "/posts.json", status=302, headers={"Location": "https://sso.example/login"})
    with pytest.raises(ForumBadResponse, match="sso.example"):
        forum.latest_posts()


@pytest.mark.parametrize(
    "body",
    [
        {"latest_posts": {"id": 1}},  # object instead of list
        {"posts": []},  # wrong key
        [1, 2, 3],  # wrong top-level type
        {"latest_posts": [{"topic_id": 2}, "junk"]},  # posts, but not one readable id to page past them
    ],
)
def test_payload_failing_validation_is_bad_response(forum, rsps, body):
    """A page whose envelope has the wrong shape, or with no readable post id at all, is ForumBadResponse.

    (A single post failing model validation is skipped instead: see the post_skipped tests below.)"""
    reply(rsps, "GET", "/posts.json", body)
    with pytest.raises(ForumBadResponse):
        forum.latest_posts()


def test_failure_logs_name_the_forum_and_path_but_never_the_key(forum, rsps):
    """A failed call logs forum and path, and the API key appears in no log line."""
    reply(
        rsps,
        "GET",
        "/posts.json",
        {"errors": ["invalid API credentials"], "error_type": "invalid_access"},
        status=403,
    )
    with structlog.testing.capture_logs() as logs, pytest.raises(ForumAuthError):
        forum.latest_posts()
    failed = [e for e in logs if e["event"] == "discourse.request_failed"]
    assert failed and failed[0]["forum"] == "cotech" and failed[0]["path"] == "/posts.json"
    assert KEY not in str(logs)


# -- rate limiting -------------------------------------------------------------------------------------


def test_token_bucket_paces_after_the_burst(clock):
    """The bucket lets ``burst`` calls through at once, then one every 60/rate seconds, sleeping on a fake clock."""
    bucket = TokenBucket(
        60, burst=3, now=lambda: clock.now().timestamp(), sleep=lambda s: clock.advance(timedelta(seconds=s))
    )
    stamps = []
    for _ in range(8):
        bucket.acquire()
        stamps.append((clock.now() - T0).total_seconds())
    assert stamps == pytest.approx([0, 0, 0, 1, 2, 3, 4, 5])
    assert bucket.waited_seconds == pytest.approx(5)


def test_bucket_never_exceeds_burst_plus_rate_in_any_minute(forum, rsps, clock):
    """With 50/min and burst 5, no 60-second window ever holds more than 55 requests."""
    stamps = []

    def record(request):
        stamps.append(clock.now().timestamp())
        return 200, {"Content-Type": JSON_CT}, json.dumps({"latest_posts": []})

    rsps.add_callback("GET", HOST + "/posts.json", callback=record)
    for _ in range(200):
        forum.latest_posts()
    worst = max(sum(1 for t in stamps if s <= t < s + 60) for s in stamps)
    assert worst <= 55
    assert (clock.now() - T0).total_seconds() == pytest.approx((200 - 5) * 1.2)


def test_short_429_is_waited_out_once_and_retried(forum, rsps, clock):
    """A 429 asking for ≤ max_inline_wait seconds is slept through (on the injected clock) and retried once."""
    reply_429_then_ok(rsps, wait=2)
    with structlog.testing.capture_logs() as logs:
        assert forum.latest_topics() == []
    assert len(rsps.calls) == 2 and forum.rate_limited_responses == 1
    assert (clock.now() - T0).total_seconds() >= 2
    assert any(e["event"] == "discourse.rate_limited" and e["action"] == "wait_and_retry" for e in logs)


def test_long_429_raises_at_once_without_pydiscourse_sleeping(forum, rsps, clock, monkeypatch):
    """A 429 asking for a long wait raises ForumRateLimited(wait_seconds) at once; nothing really sleeps."""
    monkeypatch.setattr("time.sleep", lambda s: pytest.fail(f"real sleep of {s}s"))
    reply(
        rsps,
        "GET",
        "/latest.json",
        {"errors": ["slow"], "error_type": "rate_limit", "extras": {"wait_seconds": 42}},
        status=429,
    )
    with pytest.raises(ForumRateLimited) as caught:
        forum.latest_topics()
    assert caught.value.wait_seconds == 42
    assert len(rsps.calls) == 1
    assert clock.now() == T0


def test_after_a_long_429_calls_fail_fast_until_the_wait_is_over(forum, rsps, clock):
    """While the server's wait runs, calls raise ForumRateLimited without sending; afterwards they go out."""
    reply(rsps, "GET", "/latest.json", {"errors": ["slow"], "extras": {"wait_seconds": 60}}, status=429)
    with pytest.raises(ForumRateLimited):
        forum.latest_topics()
    with pytest.raises(ForumRateLimited) as caught:
        forum.latest_posts()
    assert forum.requests_made == 1 and caught.value.wait_seconds == pytest.approx(60)
    clock.advance(timedelta(seconds=61))
    reply(rsps, "GET", "/posts.json", {"latest_posts": []})
    assert forum.latest_posts() == []
    assert forum.requests_made == 2


def test_second_short_429_in_a_row_raises(forum, rsps):
    """Only one inline retry: a second 429 raises instead of looping."""
    for _ in range(2):
        reply(rsps, "GET", "/latest.json", {"errors": ["slow"], "extras": {"wait_seconds": 1}}, status=429)
    with pytest.raises(ForumRateLimited):
        forum.latest_topics()
    assert len(rsps.calls) == 2


def test_plain_text_429_uses_retry_after(forum, rsps):
    """The per-IP middleware's text/plain 429 is read through its Retry-After header."""
    reply(
        rsps,
        "GET",
        "/latest.json",
        "Slow down, too many requests",
        status=429,
        content_type="text/plain",
        headers={"Retry-After": "30"},
    )
    with pytest.raises(ForumRateLimited) as caught:
        forum.latest_topics()
    assert caught.value.wait_seconds == 30


def test_rate_limit_wait_reads_http_dates_and_defaults():
    """Retry-After as an HTTP date is turned into seconds; a 429 naming no wait means 10 s."""
    response = requests.Response()
    response.status_code = 429
    response.headers["Retry-After"] = "Mon, 02 Jun 2025 09:00:20 GMT"
    assert rate_limit_wait(response, now=T0) == pytest.approx(20)
    bare = requests.Response()
    bare.status_code = 429
    assert rate_limit_wait(bare) == 10


# -- parsing ---------------------------------------------------------------------------------------------


def test_latest_posts_sends_before_and_parses_models(forum, rsps):
    """latest_posts(before) asks /posts.json?before= and returns Post models with polls and events."""
    poll = {
        "name": "dates",
        "type": "multiple",
        "status": "open",
        "public": True,
        "results": "always",
        "options": [{"id": "a1", "html": "Tue", "votes": 2}],
        "voters": 2,
    }
    event = {
        "id": 11,
        "name": "Call",
        "starts_at": "2025-06-10T17:00:00.000Z",
        "timezone": "Europe/London",
        "post": {"id": 11, "post_number": 1, "url": "/t/x/7/1", "topic": {"id": 7, "title": "x"}},
    }
    reply(
        rsps,
        "GET",
        "/posts.json",
        {"latest_posts": [post_json(11, polls=[poll], event=event), post_json(10)]},
        match=[matchers.query_param_matcher({"before": "12"})],
    )
    posts = forum.latest_posts(before=12)
    assert [p.id for p in posts] == [11, 10]
    assert posts[0].polls[0].options[0].votes == 2
    assert posts[0].event.post_id == 11 and posts[0].event.topic_id == 7
    assert posts[1].event is None


def test_tags_accept_strings_and_objects(forum, rsps):
    """Topic tags parse whether Discourse sends strings or {id,name,slug} objects."""
    topics = [
        {"id": 1, "title": "a", "tags": ["events", "cotech"]},
        {"id": 2, "title": "b", "tags": [{"id": 3, "name": "events", "slug": "events"}]},
    ]
    reply(
        rsps,
        "GET",
        "/latest.json",
        {"topic_list": {"topics": topics}},
        match=[matchers.query_param_matcher({"page": "0", "per_page": "100"})],
    )
    assert [t.tags for t in forum.latest_topics()] == [["events", "cotech"], ["events"]]


def test_topic_fetches_the_rest_of_the_stream_by_id_chunks(forum, rsps):
    """topic() reads /t/{id}.json, then the posts missing from the first chunk in batched post_ids requests."""
    forum.post_ids_per_request = 2
    stream = list(range(100, 105))
    first = [post_json(100, post_number=1), post_json(101, post_number=2)]
    reply(
        rsps,
        "GET",
        "/t/7.json",
        {
            "id": 7,
            "title": "Gathering",
            "slug": "gathering",
            "category_id": 4,
            "tags": ["events"],
            "highest_post_number": 5,
            "posts_count": 5,
            "post_stream": {"posts": first, "stream": stream},
        },
        match=[matchers.query_param_matcher({"include_raw": "true"})],
    )

    def chunk(request):
        ids = [int(i) for i in parse_qs(urlparse(request.url).query)["post_ids[]"]]
        posts = [post_json(i, post_number=i - 99) for i in ids]
        return 200, {"Content-Type": JSON_CT}, json.dumps({"post_stream": {"posts": posts}})

    rsps.add_callback("GET", HOST + "/t/7/posts.json", callback=chunk)
    topic, posts = forum.topic(7)
    assert topic.tags == ["events"] and [p.id for p in posts] == stream
    assert all(p.topic_title == "Gathering" and p.category_id == 4 for p in posts)
    assert len(rsps.calls) == 3  # 1 topic + 2 chunks of ≤2 ids


def test_find_own_post_finds_the_marker_in_our_latest_posts(forum, rsps):
    """find_own_post returns the id of the API user's post whose raw carries the marker, else None."""
    mine = post_json(201, post_number=3, username="cotechbot", raw="Reminder\n<!-- cotechbot:key-1 -->")
    theirs = post_json(202, post_number=4, username="bob", raw="quoting <!-- cotechbot:key-1 -->")
    reply(
        rsps,
        "GET",
        "/t/7.json",
        {"id": 7, "title": "t", "post_stream": {"posts": [mine, theirs], "stream": [201, 202]}},
    )
    assert forum.find_own_post(7, "cotechbot:key-1") == 201
    assert forum.find_own_post(7, "cotechbot:key-2") is None
    query = parse_qs(urlparse(rsps.calls[0].request.url).query)
    assert query["username_filters"] == ["cotechbot"] and query["include_raw"] == ["true"]


def test_group_requesters_and_membership_decisions(forum, rsps):
    """Requesters come from members.json?requesters=true; deny omits ``accept`` (the server tests presence)."""
    reply(
        rsps,
        "GET",
        "/groups/members-team/members.json",
        {
            "members": [
                {
                    "id": 5,
                    "username": "dee",
                    "reason": "We're a co-op",
                    "requested_at": "2025-06-01T08:00:00.000Z",
                }
            ],
            "meta": {"total": 1},
        },
    )
    reply(rsps, "PUT", "/groups/3/handle_membership_request.json", {"success": "OK"})
    requesters = forum.group_requesters("members-team")
    assert requesters[0].username == "dee"
    assert parse_qs(urlparse(rsps.calls[0].request.url).query)["requesters"] == ["true"]
    forum.handle_membership_request(3, 5, accept=False)
    forum.handle_membership_request(3, 5, accept=True)
    deny, accept = (parse_qs(c.request.body) for c in rsps.calls[1:])
    assert "accept" not in deny and deny["user_id"] == ["5"]
    assert accept["accept"] == ["true"]


def test_poll_voters_pages_until_short(forum, rsps):
    """poll_voters pages /polls/voters.json while any option returns a full page, merging voters by id."""
    page1 = {
        "voters": {
            "a": [{"id": i, "username": f"u{i}"} for i in range(50)],
            "b": [{"id": 99, "username": "z"}],
        }
    }
    page2 = {"voters": {"a": [{"id": 50, "username": "u50"}], "b": []}}
    reply(
        rsps,
        "GET",
        "/polls/voters.json",
        page1,
        match=[
            matchers.query_param_matcher({"post_id": "11", "poll_name": "dates", "limit": "50", "page": "1"})
        ],
    )
    reply(
        rsps,
        "GET",
        "/polls/voters.json",
        page2,
        match=[
            matchers.query_param_matcher({"post_id": "11", "poll_name": "dates", "limit": "50", "page": "2"})
        ],
    )
    voters = forum.poll_voters(11, "dates")
    assert len(voters["a"]) == 51 and [v.username for v in voters["b"]] == ["z"]


def test_events_are_flattened_and_startless_ones_skipped(forum, rsps):
    """events() flattens post/topic ids into CalendarEvent and skips events without a start."""
    items = [
        {
            "id": 11,
            "name": "Call",
            "starts_at": "2025-06-10T17:00:00.000Z",
            "status": "public",
            "post": {"id": 11, "post_number": 1, "url": "/t/x/7/1", "topic": {"id": 7, "title": "x"}},
        },
        {"id": 12, "name": "TBC", "starts_at": None, "post": {"id": 12, "topic": {"id": 8}}},
    ]
    reply(rsps, "GET", "/discourse-post-event/events.json", {"events": items})
    events = forum.events(after=T0)
    assert [(e.id, e.post_id, e.topic_id) for e in events] == [(11, 11, 7)]
    query = parse_qs(urlparse(rsps.calls[0].request.url).query)
    assert query["after"] == ["2025-06-02T09:00:00Z"] and query["include_details"] == ["true"]


def test_writes_return_models(forum, rsps):
    """create_topic/create_private_message/edit_post send pydiscourse's form fields and return models."""
    reply(rsps, "POST", "/posts", {"id": 301, "topic_id": 30, "post_number": 1, "topic_slug": "digest"})
    reply(rsps, "POST", "/posts", {"id": 302, "topic_id": 31, "post_number": 1})
    reply(rsps, "PUT", "/posts/301", {"post": post_json(301, topic_id=30, raw="edited", version=2)})
    created = forum.create_topic("Digest", "body", category_id=4, tags=["digest"])
    assert created.id == 301 and created.topic_slug == "digest"
    form = parse_qs(rsps.calls[0].request.body)
    assert form["tags[]"] == ["digest"] and form["category"] == ["4"]
    pm = forum.create_private_message("Hello", "hi", ["dee", "members-team"])
    assert pm.topic_id == 31
    pm_form = parse_qs(rsps.calls[1].request.body)
    assert pm_form["archetype"] == ["private_message"] and pm_form["target_recipients"] == [
        "dee,members-team"
    ]
    edited = forum.edit_post(301, "edited", edit_reason="moved")
    assert edited.version == 2 and edited.raw == "edited"


def test_enqueued_post_is_a_rejection(forum, rsps):
    """A post queued for approval (no post returned) is reported as ForumRejected, not a fake success."""
    reply(rsps, "POST", "/posts", {"action": "enqueued", "pending_post": {"id": 4}})
    with pytest.raises(ForumRejected, match="queued"):
        forum.create_reply(7, "hi")


def test_check_describes_the_api_user(forum, rsps):
    """check() reads /users/{api_username}.json and answers one line naming host, user and role."""
    reply(rsps, "GET", "/users/cotechbot.json", {"user": {"id": 2, "username": "cotechbot", "admin": True}})
    line = forum.check()
    assert "cotechbot" in line and "admin" in line and HOST in line and "\n" not in line


# -- dry run ---------------------------------------------------------------------------------------------


def test_dry_run_reads_through_and_turns_writes_into_logged_no_ops(forum, rsps, clock):
    """DryRunForum sends reads, sends no writes, logs each write and returns negative fake ids."""
    reply(rsps, "GET", "/posts.json", {"latest_posts": [post_json(1)]})
    reply(rsps, "GET", "/posts/1.json", post_json(1))
    dry = DryRunForum(forum, clock=clock)
    assert [p.id for p in dry.latest_posts()] == [1]
    with structlog.testing.capture_logs() as logs:
        first = dry.create_reply(7, "hello")
        second = dry.create_topic("T", "body")
        dry.handle_membership_request(3, 5, accept=True)
        edited = dry.edit_post(1, "new raw")
    assert first.id == -1 and second.id == -2
    assert edited.raw == "new raw" and edited.version == 2
    assert [c.request.method for c in rsps.calls] == ["GET", "GET"]
    assert [e["operation"] for e in logs if e["event"] == "forum.dry_run"] == [
        "create_reply",
        "create_topic",
        "handle_membership_request",
        "edit_post",
    ]
    assert [w[0] for w in dry.writes][:2] == ["create_reply", "create_topic"]


# -- malformed posts inside good answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "post_id", "field"),
    [
        ({k: v for k, v in post_json(11).items() if k != "created_at"}, 11, "created_at"),
        (post_json(11, created_at="not a date"), 11, "created_at"),
        (post_json(11, created_at="2025-06-01T10:00:00"), 11, "created_at"),  # naive
        (post_json("abc"), None, "id"),
        (post_json(11, polls={"dates": "open"}), 11, "polls"),
        (post_json(11, polls=[{"name": "dates", "options": "Tue"}]), 11, "polls"),
        ("junk", None, "JSON object"),
    ],
    ids=[
        "no-created_at",
        "created_at-not-a-date",
        "naive-created_at",
        "id-a-string",
        "polls-object",
        "poll-options-string",
        "not-an-object",
    ],
)
def test_a_post_failing_validation_is_skipped_and_the_rest_returned(forum, rsps, bad, post_id, field):
    """/posts.json with one invalid post returns the valid ones and names the skipped one; one warning line."""
    reply(rsps, "GET", "/posts.json", {"latest_posts": [post_json(12), bad, post_json(10)]})
    with structlog.testing.capture_logs() as logs:
        page = forum.latest_posts()
    assert [p.id for p in page] == [12, 10] and isinstance(page, list)
    [skipped] = page.skipped
    assert (skipped.id, skipped.path) == (post_id, "/posts.json") and field in skipped.error
    assert page.served_ids == [12, 10] + ([post_id] if post_id else [])
    [line] = [e for e in logs if e["event"] == "discourse.post_skipped"]
    assert line["log_level"] == "warning" and line["forum"] == "cotech" and line["path"] == "/posts.json"
    assert line["post_id"] == post_id and field in line["error"] and "\n" not in line["error"]
    assert len(line["error"]) <= 200 and KEY not in str(logs)


def test_a_bad_post_read_again_warns_only_once(forum, rsps):
    """The same bad post on every idle /posts.json read warns the first time, then logs at debug."""
    reply(rsps, "GET", "/posts.json", {"latest_posts": [post_json(12, created_at=None), post_json(10)]})
    with structlog.testing.capture_logs() as logs:
        for _ in range(3):
            assert [s.id for s in forum.latest_posts().skipped] == [12]
    levels = [e["log_level"] for e in logs if e["event"] == "discourse.post_skipped"]
    assert levels == ["warning", "debug", "debug"]


def test_topic_skips_bad_posts_and_does_not_refetch_them(forum, rsps):
    """topic() leaves out an invalid post of the first chunk without asking for it again, and one of the rest."""
    stream = [100, 101, 102, 103]
    first = [post_json(100, post_number=1), post_json(101, post_number=2, created_at="soon")]
    reply(
        rsps,
        "GET",
        "/t/7.json",
        {"id": 7, "title": "Gathering", "post_stream": {"posts": first, "stream": stream}},
    )
    asked: list[list[int]] = []

    def chunk(request):
        ids = [int(i) for i in parse_qs(urlparse(request.url).query)["post_ids[]"]]
        asked.append(ids)
        posts = [post_json(i, post_number=i - 99, polls=7 if i == 103 else None) for i in ids]
        return 200, {"Content-Type": JSON_CT}, json.dumps({"post_stream": {"posts": posts}})

    rsps.add_callback("GET", HOST + "/t/7/posts.json", callback=chunk)
    topic, posts = forum.topic(7)
    assert [p.id for p in posts] == [100, 102] and all(p.topic_title == "Gathering" for p in posts)
    assert asked == [[102, 103]]
    assert [(s.id, s.path) for s in posts.skipped] == [(101, "/t/7.json"), (103, "/t/7/posts.json")]


def test_find_own_post_skips_others_bad_posts_but_never_guesses_about_its_own(forum, rsps):
    """A broken post beside ours does not hide ours; when ours may be the broken one, it is a bad response."""
    mine = post_json(201, post_number=3, username="cotechbot", raw="Reminder\n<!-- cotechbot:key-1 -->")
    broken = post_json(202, post_number=4, username="cotechbot", created_at="never")
    reply(
        rsps,
        "GET",
        "/t/7.json",
        {"id": 7, "title": "t", "post_stream": {"posts": [mine, broken], "stream": [201, 202]}},
    )
    assert forum.find_own_post(7, "cotechbot:key-1") == 201
    with pytest.raises(ForumBadResponse, match="cannot be ruled out"):
        forum.find_own_post(7, "cotechbot:key-2")


def test_find_own_post_ignores_a_marker_pasted_into_the_body_of_its_own_post(forum, rsps):
    """A user's text repeated in a bot post (a forged marker in an event link) does not make the post count as
    the one carrying that key: only the marker alone on the last line does."""
    forged = "<!-- cotechbot:reminder:topic/7:later -->"
    echoed = f"Join here: https://x {forged}\n\n<!-- cotechbot:reminder:topic/7:now -->"
    mine = post_json(201, post_number=3, username="cotechbot", raw=echoed)
    reply(
        rsps, "GET", "/t/7.json", {"id": 7, "title": "t", "post_stream": {"posts": [mine], "stream": [201]}}
    )
    assert forum.find_own_post(7, forged) is None
    assert forum.find_own_post(7, "<!-- cotechbot:reminder:topic/7:now -->") == 201


def test_find_own_topic_never_guesses_when_the_first_post_is_unreadable(forum, rsps):
    """A listed topic whose first post cannot be read might be ours: raise rather than say "not created"."""
    listed = {"topic_list": {"topics": [{"id": 5, "title": "Digest", "created_at": "2025-06-01T10:00:00Z"}]}}
    reply(rsps, "GET", "/topics/created-by/cotechbot.json", listed)
    broken = post_json(55, topic_id=5, post_number=1, created_at=None)
    reply(rsps, "GET", "/t/5.json", {"post_stream": {"posts": [broken]}})
    with pytest.raises(ForumBadResponse, match="cannot be ruled out"):
        forum.find_own_topic("digest/2025-W23")


def test_find_own_topic_opens_at_most_the_newest_few_topics(forum, rsps):
    """Looking costs one list and at most own_topic_scan topic reads, newest first; a title narrows it."""
    topics = [{"id": n, "title": f"T{n}", "created_at": f"2025-06-{n:02d}T10:00:00Z"} for n in range(1, 26)]
    reply(rsps, "GET", "/topics/created-by/cotechbot.json", {"topic_list": {"topics": topics}})
    for n in range(1, 26):
        reply(rsps, "GET", f"/t/{n}.json", {"post_stream": {"posts": [post_json(100 + n, topic_id=n)]}})
    assert forum.find_own_topic("no/such/key") is None
    opened = [c.request.path_url.split("?")[0] for c in rsps.calls[1:]]
    assert opened == [f"/t/{n}.json" for n in range(25, 25 - forum.own_topic_scan, -1)]
    rsps.calls.reset()
    assert forum.find_own_topic("no/such/key", title="T3") is None
    assert [c.request.path_url.split("?")[0] for c in rsps.calls[1:]] == ["/t/3.json"]


def test_a_404_is_logged_as_news_not_as_a_warning(forum, rsps):
    """A tag nobody uses or a deleted topic answers 404 on every check: that must not read as a failure."""
    reply(rsps, "GET", "/tag/decision.json", {"errors": ["not found"], "error_type": "not_found"}, status=404)
    with structlog.testing.capture_logs() as logs:
        assert forum.topics_tagged("decision") == []
    assert not [e for e in logs if e["log_level"] in ("warning", "error")]
    assert [e["path"] for e in logs if e["event"] == "discourse.not_found"] == ["/tag/decision.json"]
