"""The sandbox sends webhooks as Discourse does (API notes §9): the events, headers, signature, payload shapes,
delivery off the writing thread, and retries."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.web.signature import signature_matches
from tests.contract.sandbox_support import BOT, KEY, session

SECRET = "my_lovely_secret_for_web_hook"
BODY = "An opening post with enough words in it."
NO_WAIT = (0.0, 0.0, 0.0, 0.0)


@dataclass
class Receiver:
    """A webhook endpoint that records what arrives and answers each event's scripted statuses (then 200)."""

    statuses: dict[str, list[int]] = field(default_factory=dict)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    def __call__(self, environ, start_response):
        request = Request(environ)
        self.received.append((dict(request.headers), request.get_data()))
        scripted = self.statuses.get(request.headers.get("X-Discourse-Event", ""), [])
        status = scripted.pop(0) if scripted else 200
        return Response("{}", status=status, content_type="application/json")(environ, start_response)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    app = Receiver()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=lambda: server.serve_forever(poll_interval=0.02), daemon=True)
    thread.start()
    app.url = f"http://127.0.0.1:{server.server_port}/webhooks/discourse"
    yield app
    server.shutdown()


@pytest.fixture
def forum() -> Iterator[FakeDiscourse]:
    with FakeDiscourse.running(api_key=KEY, api_username=BOT) as fake:
        fake.add_user("ada")
        yield fake


def events(receiver: Receiver) -> list[str]:
    return [headers["X-Discourse-Event"] for headers, _ in receiver.received]


def test_a_new_topic_sends_topic_created_then_post_created_signed_with_discourses_headers(forum, receiver):
    forum.add_webhook(receiver.url, SECRET, retry_delays=NO_WAIT)

    reply = session(forum, "ada").post(
        f"{forum.url}/posts.json", json={"title": "A topic title long enough", "raw": BODY}
    )

    assert reply.status_code == 200
    assert forum.wait_for_webhooks(timeout=10)
    assert events(receiver) == ["topic_created", "post_created"]
    (topic_headers, topic_body), (post_headers, post_body) = receiver.received
    for headers, body in receiver.received:
        assert signature_matches(SECRET.encode(), body, headers["X-Discourse-Event-Signature"])
        assert headers["X-Discourse-Instance"] == forum.url
        assert headers["Content-Type"] == "application/json"
        assert headers["User-Agent"].startswith("Discourse/")
    assert topic_headers["X-Discourse-Event-Type"] == "topic"
    assert post_headers["X-Discourse-Event-Type"] == "post"
    assert topic_headers["X-Discourse-Event-Id"] != post_headers["X-Discourse-Event-Id"]
    topic = json.loads(topic_body)["topic"]
    post = json.loads(post_body)["post"]
    assert topic["id"] == reply.json()["topic_id"] and topic["title"] == "A topic title long enough"
    assert post["id"] == reply.json()["id"] and post["raw"] == BODY and post["username"] == "ada"
    assert post["topic_title"] == "A topic title long enough" and post["topic_archetype"] == "regular"
    assert post["category_id"] == 1 and post["topic_posts_count"] == 1
    assert not [key for key in post if key.startswith("can_")]


def test_replies_and_edits_through_the_python_api_send_post_events(forum, receiver):
    topic, _ = forum.create_topic("A topic title long enough", BODY, username="ada")
    forum.add_webhook(receiver.url, SECRET, retry_delays=NO_WAIT)

    post = forum.reply(topic.id, "The call is at 3pm today, see you there.", username="ada")
    forum.edit_post(post.id, "The call is at 4pm today, see you there.")

    assert forum.wait_for_webhooks(timeout=10)
    assert events(receiver) == ["post_created", "post_edited"]
    assert json.loads(receiver.received[1][1])["post"]["raw"].startswith("The call is at 4pm")


def test_without_a_secret_there_is_no_signature_header(forum, receiver):
    forum.add_webhook(receiver.url, retry_delays=NO_WAIT)
    forum.ping_webhook(forum.webhooks[0])

    assert forum.wait_for_webhooks(timeout=10)
    ((headers, body),) = receiver.received
    assert body == b'{"ping":"OK"}' and headers["X-Discourse-Event-Type"] == "ping"
    assert "X-Discourse-Event-Signature" not in headers


def test_a_failed_delivery_is_retried_with_a_new_event_id_until_it_succeeds(forum, receiver):
    receiver.statuses = {"topic_created": [500, 502]}
    forum.add_webhook(receiver.url, SECRET, retry_delays=NO_WAIT)

    forum.create_topic("A topic title long enough", BODY, username="ada")

    assert forum.wait_for_webhooks(timeout=10)
    post_attempts = [d for d in forum.webhook_deliveries if d.event == "post_created"]
    topic_attempts = [d for d in forum.webhook_deliveries if d.event == "topic_created"]
    assert [d.status for d in topic_attempts] == [500, 502, 200]
    assert [d.attempt for d in topic_attempts] == [1, 2, 3]
    assert len({d.delivery_id for d in topic_attempts}) == 3
    assert len({d.body for d in topic_attempts}) == 1
    assert [d.status for d in post_attempts] == [200]


def test_gone_is_not_retried_and_retries_stop_after_the_last_delay(forum, receiver):
    receiver.statuses = {"topic_created": [410], "post_created": [500] * 10}
    forum.add_webhook(receiver.url, SECRET, retry_delays=(0.0, 0.0))

    forum.create_topic("A topic title long enough", BODY, username="ada")

    assert forum.wait_for_webhooks(timeout=10)
    by_event = {
        event: [d.status for d in forum.webhook_deliveries if d.event == event]
        for event in ("topic_created", "post_created")
    }
    assert by_event == {"topic_created": [410], "post_created": [500, 500, 500]}


def test_an_unreachable_hook_does_not_hold_up_the_write(forum):
    forum.add_webhook("http://127.0.0.1:9/nothing-listens", SECRET, retry_delays=(3600.0,))

    reply = session(forum, "ada").post(
        f"{forum.url}/posts.json", json={"title": "A topic title long enough", "raw": BODY}
    )

    assert reply.status_code == 200
    assert forum.topic_count == 1
