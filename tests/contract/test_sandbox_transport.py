"""The sandbox's HTTP side: pydiscourse compatibility, rate limiting, injected faults, connection counting."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from pydiscourse import DiscourseClient
from pydiscourse.exceptions import DiscourseClientError, DiscourseError, DiscourseServerError

from cotechbot.sandbox.discourse import FakeDiscourse
from tests.contract.sandbox_support import BOT, JSON_CT, KEY, NOW, ManualClock, get, session

BODY = "An opening post with enough words in it."


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def forum(clock) -> Iterator[FakeDiscourse]:
    with FakeDiscourse.running(
        api_key=KEY, api_username=BOT, now=lambda: NOW, clock=clock, validate=True
    ) as fake:
        fake.add_user("ada", admin=True)
        fake.add_user("bryn")
        yield fake


@pytest.fixture
def client(forum) -> DiscourseClient:
    return DiscourseClient(forum.url, api_username=BOT, api_key=KEY, timeout=5)


# -- pydiscourse's own client ------------------------------------------------------------------------------


def test_pydiscourse_reads(forum, client):
    """pydiscourse's latest_posts, topic, posts, post_by_id and user work against the fake."""
    topic, first = forum.create_topic("Read by pydiscourse itself", BODY)
    reply = forum.reply(topic.id, "A reply for pydiscourse to read.")
    assert [p["id"] for p in client.latest_posts()["latest_posts"]] == [reply.id, first.id]
    assert client.latest_posts(before=reply.id)["latest_posts"][0]["id"] == first.id
    assert client.topic(topic.slug, topic.id)["post_stream"]["stream"] == [first.id, reply.id]
    assert [p["id"] for p in client.posts(topic.id, post_ids=[reply.id])["post_stream"]["posts"]] == [
        reply.id
    ]
    assert client.post_by_id(reply.id)["raw"] == "A reply for pydiscourse to read."
    assert client.latest_topics()["topic_list"]["topics"][0]["id"] == topic.id
    assert client.user("ada")["username"] == "ada"


def test_pydiscourse_writes(forum, client):
    """pydiscourse's create_post (reply, tagged topic) and update_post work against the fake."""
    events = forum.add_category("Events")
    topic, _ = forum.create_topic("Written to by pydiscourse", BODY)
    reply = client.create_post("Reminder: the call starts in an hour.", topic_id=topic.id)
    assert (reply["topic_id"], reply["post_number"]) == (topic.id, 2)
    created = client.create_post(
        BODY, category_id=events.id, title="A topic from pydiscourse", tags=["digest"]
    )
    assert forum.topic(created["topic_id"]).category_id == events.id
    assert forum.topic(created["topic_id"]).tags == ["digest"]
    updated = client.update_post(reply["id"], "Reminder: the call starts in ten minutes.", edit_reason="soon")
    assert updated["post"]["version"] == 2 and forum.post(reply["id"]).edit_reason == "soon"


def test_pydiscourse_group_members_paginates(forum, client):
    """pydiscourse's group_members pages with limit/offset until meta.total and stops."""
    forum.add_group("cotech-members", members=[f"member{n}" for n in range(7)])
    members = client.group_members("cotech-members", limit=3)
    assert sorted(m["username"] for m in members) == [f"member{n}" for n in range(7)]
    assert client.group("cotech-members")["group"]["user_count"] == 7


def test_pydiscourse_errors(forum, client):
    """pydiscourse raises its client error on 404/422 and its generic error on a wrong-slug redirect."""
    topic, _ = forum.create_topic("A topic for error cases", BODY)
    with pytest.raises(DiscourseClientError):
        client.post_by_id(999999)
    with pytest.raises(DiscourseClientError, match="Title is too short"):
        client.create_post(BODY, title="short")
    with pytest.raises(DiscourseError, match="Invalid Response"):
        client.topic("not-the-slug", topic.id)
    with pytest.raises(DiscourseClientError):
        DiscourseClient(forum.url, api_username=BOT, api_key="wrong").latest_posts()


def test_pydiscourse_retries_a_429_after_wait_seconds(forum, client, monkeypatch):
    """pydiscourse sleeps extras.wait_seconds + 1 after a JSON 429 and retries by itself (§11)."""
    import pydiscourse.client

    slept: list[float] = []
    monkeypatch.setattr(pydiscourse.client.time, "sleep", slept.append)
    forum.faults.rate_limit_next(1, wait_seconds=7)
    assert client.latest_posts() == {"latest_posts": []}
    assert slept == [8]


# -- rate limiting -------------------------------------------------------------------------------------------


def test_rate_limit_429_body_and_headers(forum, clock):
    """Over the site limit: 429, Retry-After, Discourse-Rate-Limit-Error-Code and the JSON body of §8."""
    forum.set_rate_limit(1)
    s = session(forum)
    assert s.get(f"{forum.url}/posts.json").status_code == 200
    response = s.get(f"{forum.url}/posts.json")
    assert response.status_code == 429
    assert response.headers["Content-Type"] == JSON_CT
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Discourse-Rate-Limit-Error-Code"] == "admin_api_key_rate_limit"
    body = response.json()
    assert body["error_type"] == "rate_limit"
    assert body["extras"] == {"wait_seconds": 60, "time_left": "1 minute"}
    assert "too many times" in body["errors"][0]


def test_rate_limit_window_slides_with_the_injected_clock(forum, clock):
    """The window is 60 s of the injected clock; refused requests do not use up the budget."""
    forum.set_rate_limit(3)
    s = session(forum)
    statuses = []
    for step in (0, 10, 10, 5, 30, 5):  # t = 0, 10, 20, 25, 55, 60
        clock.advance(step)
        statuses.append(s.get(f"{forum.url}/posts.json").status_code)
    assert statuses == [200, 200, 200, 429, 429, 200]
    clock.advance(5)  # t = 65: the hits of t=10 and t=20 are still in the window, with t=60
    response = s.get(f"{forum.url}/posts.json")
    assert response.status_code == 429 and response.json()["extras"]["wait_seconds"] == 5


def test_bad_credentials_do_not_count_against_the_limit(forum):
    """A 403 is answered before the limiter, so it does not spend the budget."""
    forum.set_rate_limit(1)
    assert session(forum, key="wrong").get(f"{forum.url}/posts.json").status_code == 403
    assert get(forum, "/posts.json").status_code == 200


def test_rate_limit_off_by_default_and_switchable(forum):
    """Without a limit any number of requests pass; set_rate_limit(None) switches it back off."""
    s = session(forum)
    assert all(s.get(f"{forum.url}/site/basic-info.json").status_code == 200 for _ in range(70))
    forum.set_rate_limit(1)
    s.get(f"{forum.url}/site/basic-info.json")
    assert s.get(f"{forum.url}/site/basic-info.json").status_code == 429
    forum.set_rate_limit(None)
    assert s.get(f"{forum.url}/site/basic-info.json").status_code == 200


# -- faults ----------------------------------------------------------------------------------------------------


def test_fail_next(forum, client):
    """fail_next(n, status) answers n JSON errors with that status, then serves normally."""
    forum.faults.fail_next(2, status=503)
    s = session(forum)
    first, second, third = (s.get(f"{forum.url}/posts.json") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["Content-Type"] == JSON_CT and first.json()["errors"]
    assert [r.fault for r in forum.requests] == ["fail", "fail", None]
    forum.faults.fail_next(1)
    with pytest.raises(DiscourseServerError):
        client.latest_posts()


def test_fault_restricted_to_a_path_prefix(forum):
    """A fault with path= only hits requests under that prefix."""
    forum.faults.fail_next(1, status=502, path="/latest")
    s = session(forum)
    assert s.get(f"{forum.url}/posts.json").status_code == 200
    assert s.get(f"{forum.url}/latest.json").status_code == 502
    assert s.get(f"{forum.url}/latest.json").status_code == 200
    assert forum.faults.pending == 0


def test_slow_next_trips_a_client_timeout(forum):
    """slow_next delays the answer, so a client with a shorter timeout times out; the next call is normal."""
    forum.faults.slow_next(1, 2.0)
    s = session(forum)
    with pytest.raises(requests.exceptions.ReadTimeout):
        s.get(f"{forum.url}/posts.json", timeout=0.1)
    assert requests.get(f"{forum.url}/posts.json", headers=s.headers, timeout=5).status_code == 200


def test_slow_request_does_not_block_others(forum):
    """The server is threaded: a slow request does not hold up another one."""
    forum.faults.slow_next(1, 2.0, path="/latest")
    outcome: list[str] = []

    def slow() -> None:
        try:
            requests.get(f"{forum.url}/latest.json", headers=session(forum).headers, timeout=0.2)
        except requests.exceptions.ReadTimeout:
            outcome.append("timeout")

    worker = threading.Thread(target=slow)
    worker.start()
    assert get(forum, "/posts.json").status_code == 200
    worker.join()
    assert outcome == ["timeout"]


def test_malformed_next(forum, client):
    """malformed_next answers 200 with the JSON content type and a body that does not parse."""
    forum.faults.malformed_next(1)
    response = get(forum, "/posts.json")
    assert response.status_code == 200 and response.headers["Content-Type"] == JSON_CT
    with pytest.raises(requests.exceptions.JSONDecodeError):
        response.json()
    forum.faults.malformed_next(1)
    with pytest.raises(DiscourseError, match="decode"):
        client.latest_posts()


def test_rate_limit_next(forum):
    """rate_limit_next answers Discourse's 429 with the given wait_seconds, without a configured limit."""
    forum.faults.rate_limit_next(2, wait_seconds=5)
    s = session(forum)
    responses = [s.get(f"{forum.url}/posts.json") for _ in range(3)]
    assert [r.status_code for r in responses] == [429, 429, 200]
    assert responses[0].headers["Retry-After"] == "5"
    assert responses[0].json()["extras"] == {"wait_seconds": 5, "time_left": "5 seconds"}


def test_faults_clear(forum):
    """faults.clear() drops every pending fault."""
    forum.faults.fail_next(3)
    forum.faults.clear()
    assert forum.faults.pending == 0 and get(forum, "/posts.json").status_code == 200


# -- logs --------------------------------------------------------------------------------------------------------


def test_keep_alive_session_uses_one_connection(forum):
    """Twenty requests (GET, POST, PUT) on a requests.Session travel over one TCP connection."""
    topic, first = forum.create_topic("Keep-alive over many requests", BODY, username=BOT)
    forum.clear_log()
    s = session(forum)
    for n in range(10):
        assert s.get(f"{forum.url}/posts.json").status_code == 200
        assert (
            s.post(
                f"{forum.url}/posts.json", data={"topic_id": topic.id, "raw": f"Reply number {n} here."}
            ).status_code
            == 200
        )
    assert (
        s.put(
            f"{forum.url}/posts/{first.id}.json", data={"post[raw]": "Edited on the same connection."}
        ).status_code
        == 200
    )
    assert forum.connections_opened == 1 and len(forum.requests) == 21


def test_pydiscourse_opens_a_connection_per_request(forum, client):
    """pydiscourse uses no session, so each call is a new connection (DESIGN: a cost to know about)."""
    forum.clear_log()
    for _ in range(3):
        client.latest_posts()
    assert forum.connections_opened == 3


def test_client_asking_to_close_gets_a_closed_connection(forum):
    """A request with 'Connection: close' is answered with 'Connection: close'."""
    response = session(forum).get(f"{forum.url}/posts.json", headers={"Connection": "close"})
    assert response.headers["Connection"] == "close"


def test_request_log_records_method_path_query_status_and_clock(forum, clock):
    """forum.requests records method, path, query, status, the injected clock time and the caller."""
    clock.advance(42)
    get(forum, "/posts.json", before=7)
    session(forum, key="wrong").get(f"{forum.url}/t/1.json")
    first, second = forum.requests
    assert (first.method, first.path, first.query, first.status, first.at) == (
        "GET",
        "/posts.json",
        {"before": ["7"]},
        200,
        1042.0,
    )
    assert (second.status, second.username, first.route) == (403, BOT, "posts.latest")
    forum.clear_log()
    assert forum.requests == [] and forum.connections_opened == 0


def test_start_stop_and_url(clock):
    """start() serves on a free 127.0.0.1 port, stop() is idempotent, url needs a running forum."""
    fake = FakeDiscourse(api_key=KEY, now=lambda: NOW, clock=clock)
    with pytest.raises(RuntimeError):
        _ = fake.url
    fake.start()
    url = fake.url
    try:
        assert url.startswith("http://127.0.0.1:")
        assert get(fake, "/site/basic-info.json").json()["title"] == "CoTech sandbox"
    finally:
        fake.stop()
        fake.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{url}/posts.json", timeout=1)
