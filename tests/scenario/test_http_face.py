"""The HTTP face over real HTTP: signed webhooks trigger coalesced cycles, health follows the last sync, the
calendar feed is conditional, metrics read the outbox, and no secret is ever served."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests
import sqlalchemy

from cotechbot.actions import Action, Reply
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings
from cotechbot.web.face import build_face
from cotechbot.web.metrics import Metrics
from cotechbot.web.server import BackgroundServer
from cotechbot.web.signature import signature_of
from cotechbot.web.trigger import CycleTrigger
from cotechbot.worker import SYNC_SUCCEEDED_AT
from tests.conftest import require_shared

T0 = datetime(2024, 7, 1, 9, 0, tzinfo=UTC)
SECRET = "a-webhook-secret-nobody-guesses"
API_KEY = "an-api-key-that-must-not-leak"
POST_EVENT = {"post": {"id": 101, "topic_id": 1, "raw": "The call is at 3pm on Tuesday 2 July"}}


class Face:
    """A running face over a real ledger, with a trigger whose cycles are counted (and can be held)."""

    def __init__(self, tmp_path) -> None:
        self.clock = FixedClock(T0)
        self.ledger = Ledger(f"sqlite:///{tmp_path / 'state.db'}", self.clock)
        self.settings = Settings(
            forum_name="cotech",
            discourse_url="https://forum.example.coop",
            discourse_api_key=API_KEY,
            webhook_secret=SECRET,
        )
        self.release = threading.Event()
        self.release.set()
        self.cycle_started = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self._count_lock = threading.Lock()
        self.trigger = CycleTrigger(self._cycle)
        self.trigger.start()
        app = build_face(
            settings=self.settings,
            ledger=self.ledger,
            clock=self.clock,
            metrics=Metrics(self.ledger, "cotech"),
            request_cycle=self.trigger.poke,
            leading=lambda: True,
        )
        self.server = BackgroundServer(app, "127.0.0.1", 0).start()
        self.url = self.server.url

    def _cycle(self) -> None:
        self.cycle_started.set()
        with self._count_lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.release.wait(timeout=30)
        with self._count_lock:
            self.running -= 1

    def send(self, body: bytes, signature: str | None, **headers: str) -> requests.Response:
        if signature is not None:
            headers["X-Discourse-Event-Signature"] = signature
        headers.setdefault("X-Discourse-Event-Type", "post")
        headers.setdefault("Content-Type", "application/json")
        return requests.post(f"{self.url}/webhooks/discourse", data=body, headers=headers, timeout=5)

    def stop(self) -> None:
        self.release.set()
        self.server.stop()
        self.trigger.stop()
        self.ledger.dispose()


@pytest.fixture
def face(tmp_path):
    running = Face(tmp_path)
    yield running
    running.stop()


def signed(body: bytes) -> str:
    return signature_of(SECRET.encode(), body)


def test_the_signature_matches_discourses_own_test_vector() -> None:
    notes = (require_shared("reference/discourse") / "API-NOTES.md").read_text(encoding="utf-8")
    secret = re.search(r"secret `([^`]+)`, body `([^`]+)`", notes)
    expected = re.search(r"`(sha256=[0-9a-f]{64})`", notes)
    assert secret and expected
    assert signature_of(secret.group(1).encode(), secret.group(2).encode()) == expected.group(1)


def test_a_rightly_signed_webhook_triggers_one_cycle(face) -> None:
    body = json.dumps(POST_EVENT).encode()

    answer = face.send(body, signed(body), **{"X-Discourse-Event-Id": "1"})

    assert answer.status_code == 200 and answer.json()["triggered"] is True
    assert face.trigger.wait_for_runs(1, timeout=10)
    assert face.trigger.pokes == 1


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", "sha256=ünïcode"],
    ids=["missing", "empty", "wrong", "other-scheme", "non-ascii"],
)
def test_a_wrong_or_missing_signature_is_refused_and_triggers_nothing(face, signature) -> None:
    body = json.dumps(POST_EVENT).encode()

    answer = face.send(body, signature)

    assert answer.status_code == 401
    assert face.trigger.pokes == 0


def test_a_body_altered_after_signing_is_refused(face) -> None:
    body = json.dumps(POST_EVENT).encode()
    altered = body.replace(b"3pm", b"4pm")

    answer = face.send(altered, signed(body))

    assert answer.status_code == 401
    assert face.trigger.pokes == 0


def test_a_body_over_one_megabyte_is_refused_before_anything_is_checked(face) -> None:
    body = json.dumps({"post": {"raw": "x" * (1024 * 1024)}}).encode()

    answer = face.send(body, signed(body))

    assert answer.status_code == 413
    assert face.trigger.pokes == 0


def test_the_same_delivery_twice_triggers_once(face) -> None:
    body = json.dumps(POST_EVENT).encode()
    for _ in range(2):
        assert face.send(body, signed(body), **{"X-Discourse-Event-Id": "42"}).status_code == 200

    assert face.trigger.pokes == 1


def test_the_answer_is_sent_before_the_work_it_asks_for(face) -> None:
    face.release.clear()  # the cycle the webhook starts cannot finish until the test says so
    body = json.dumps(POST_EVENT).encode()

    answer = face.send(body, signed(body))  # a synchronous cycle would hold this answer until release

    assert answer.status_code == 200
    assert face.cycle_started.wait(timeout=10)
    assert face.trigger.runs == 0  # answered while its cycle is still running
    face.release.set()
    assert face.trigger.wait_for_runs(1, timeout=10)


def test_a_burst_of_fifty_webhooks_makes_two_cycles_never_two_at_once(face) -> None:
    face.release.clear()  # the first cycle is held: every other answer below is sent while it runs
    body = json.dumps(POST_EVENT).encode()
    first = face.send(body, signed(body), **{"X-Discourse-Event-Id": "0"})
    assert face.cycle_started.wait(timeout=10)

    with ThreadPoolExecutor(max_workers=8) as pool:
        rest = list(
            pool.map(
                lambda n: face.send(body, signed(body), **{"X-Discourse-Event-Id": str(n)}), range(1, 50)
            )
        )

    assert [a.status_code for a in [first, *rest]] == [200] * 50
    assert face.trigger.runs == 0
    face.release.set()
    # the 49 that came during the first cycle are covered by exactly one more, not 49 more
    assert face.trigger.wait_for_runs(2, timeout=10)
    face.trigger.stop()
    assert face.trigger.runs == 2
    assert face.most_at_once == 1


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        ("post", POST_EVENT),
        ("topic", {"topic": {"id": 1, "title": "Call on Tuesday"}}),
        ("group_user", {"group_user": {"group_id": 3, "user_id": 7}}),
        ("group", {"group": {"id": 3, "name": "stewards"}}),
        ("ping", {"ping": "OK"}),
    ],
)
def test_posts_topics_group_membership_and_ping_trigger_a_cycle(face, event_type, payload) -> None:
    body = json.dumps(payload).encode()

    answer = face.send(body, signed(body), **{"X-Discourse-Event-Type": event_type})

    assert answer.status_code == 200 and answer.json()["triggered"] is True
    assert face.trigger.pokes == 1


@pytest.mark.parametrize("event_type", ["user", "like", "category", "notification"])
def test_other_events_are_acknowledged_without_a_cycle(face, event_type) -> None:
    body = json.dumps({event_type: {"id": 1}}).encode()

    answer = face.send(body, signed(body), **{"X-Discourse-Event-Type": event_type})

    assert answer.status_code == 200 and answer.json()["triggered"] is False
    assert face.trigger.pokes == 0


def test_a_signed_body_of_exactly_one_megabyte_is_taken(face) -> None:
    padding = 1024 * 1024 - len(json.dumps({"post": {"raw": ""}}))
    body = json.dumps({"post": {"raw": "x" * padding}}).encode()
    assert len(body) == 1024 * 1024

    assert face.send(body, signed(body)).status_code == 200
    assert face.trigger.pokes == 1


def test_an_unsigned_body_over_one_megabyte_is_a_413_not_a_401(face) -> None:
    body = b"{" + b" " * (1024 * 1024) + b"}"

    assert face.send(body, None).status_code == 413
    assert face.trigger.pokes == 0


def test_health_is_503_until_a_sync_succeeds_and_again_when_it_is_three_intervals_old(face) -> None:
    assert requests.get(f"{face.url}/healthz", timeout=5).status_code == 503

    face.ledger.set_cursor("cotech", SYNC_SUCCEEDED_AT, T0.isoformat())
    healthy = requests.get(f"{face.url}/healthz", timeout=5)
    face.clock.advance(timedelta(minutes=3 * face.settings.sync_interval_minutes, seconds=1))
    stale = requests.get(f"{face.url}/healthz", timeout=5)

    assert healthy.status_code == 200
    assert healthy.json()["last_successful_sync"] == T0.isoformat()
    assert healthy.json()["sync_age_seconds"] == 0
    assert healthy.json()["leader"] is True
    assert stale.status_code == 503 and stale.json()["status"] == "stale"
    assert stale.json()["sync_age_seconds"] == 3 * 60 * face.settings.sync_interval_minutes + 1


def test_health_is_200_up_to_exactly_three_intervals(face) -> None:
    face.ledger.set_cursor("cotech", SYNC_SUCCEEDED_AT, T0.isoformat())
    face.clock.advance(timedelta(minutes=3 * face.settings.sync_interval_minutes))

    assert requests.get(f"{face.url}/healthz", timeout=5).status_code == 200


def test_without_a_webhook_secret_no_webhook_is_taken(tmp_path) -> None:
    clock = FixedClock(T0)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)
    settings = Settings(
        forum_name="cotech", discourse_url="https://forum.example.coop", discourse_api_key=API_KEY
    )
    pokes: list[None] = []
    app = build_face(
        settings=settings,
        ledger=ledger,
        clock=clock,
        metrics=Metrics(ledger, "cotech"),
        request_cycle=lambda: pokes.append(None),
        leading=lambda: None,
    )
    server = BackgroundServer(app, "127.0.0.1", 0).start()
    try:
        body = json.dumps(POST_EVENT).encode()
        answer = requests.post(
            f"{server.url}/webhooks/discourse",
            data=body,
            headers={"X-Discourse-Event-Type": "post", "X-Discourse-Event-Signature": signed(body)},
            timeout=5,
        )
    finally:
        server.stop()
        ledger.dispose()

    assert answer.status_code == 503 and "COTECHBOT_WEBHOOK_SECRET" in answer.json()["error"]
    assert pokes == []


def test_health_counts_pending_actions(face) -> None:
    face.ledger.set_cursor("cotech", SYNC_SUCCEEDED_AT, T0.isoformat())
    face.ledger.apply_plan(
        "cotech",
        ["topic/1"],
        [
            Action(
                key="k1",
                kind="event_reminder",
                forum="cotech",
                source="topic/1",
                target="topic/1",
                due_at=T0 + timedelta(hours=1),
                operation=Reply(topic_id=1, raw="soon"),
            )
        ],
    )

    assert requests.get(f"{face.url}/healthz", timeout=5).json()["pending_actions"] == 1


def test_the_calendar_feed_answers_304_to_its_own_etag(face) -> None:
    first = requests.get(f"{face.url}/calendar.ics", timeout=5)
    again = requests.get(
        f"{face.url}/calendar.ics", headers={"If-None-Match": first.headers["ETag"]}, timeout=5
    )

    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in first.content
    assert again.status_code == 304


def test_the_calendar_feed_carries_last_modified_and_honours_if_modified_since(face) -> None:
    face.ledger.set_cursor("cotech", SYNC_SUCCEEDED_AT, T0.isoformat())

    first = requests.get(f"{face.url}/calendar.ics", timeout=5)
    since = requests.get(
        f"{face.url}/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}, timeout=5
    )
    older = requests.get(
        f"{face.url}/calendar.ics",
        headers={"If-Modified-Since": format_datetime(T0 - timedelta(hours=1), usegmt=True)},
        timeout=5,
    )
    other_etag = requests.get(f"{face.url}/calendar.ics", headers={"If-None-Match": '"stale"'}, timeout=5)

    assert first.headers["Last-Modified"] == format_datetime(T0, usegmt=True)
    assert since.status_code == 304 and since.content == b""
    assert older.status_code == 200 and older.content == first.content
    assert other_etag.status_code == 200


def test_the_read_routes_never_write_the_ledger(face) -> None:
    face.ledger.set_cursor("cotech", SYNC_SUCCEEDED_AT, T0.isoformat())
    writes: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "WITH")):
            writes.append(statement)

    sqlalchemy.event.listen(face.ledger.engine, "before_cursor_execute", record)
    try:
        for path in ("/healthz", "/metrics", "/calendar.ics", "/decisions.json", "/decisions.md"):
            assert requests.get(f"{face.url}{path}", timeout=5).status_code in {200, 404}
            assert requests.head(f"{face.url}{path}", timeout=5).status_code in {200, 404}
        assert requests.post(f"{face.url}/healthz", timeout=5).status_code == 405
    finally:
        sqlalchemy.event.remove(face.ledger.engine, "before_cursor_execute", record)

    assert [w for w in writes if not w.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))] == []
    assert face.trigger.pokes == 0


def test_metrics_show_the_outbox_by_kind_and_status(face) -> None:
    face.ledger.apply_plan(
        "cotech",
        ["topic/1"],
        [
            Action(
                key="k1",
                kind="event_reminder",
                forum="cotech",
                source="topic/1",
                target="topic/1",
                due_at=T0 + timedelta(hours=1),
                operation=Reply(topic_id=1, raw="soon"),
            )
        ],
    )

    text = requests.get(f"{face.url}/metrics", timeout=5).text

    assert 'cotechbot_actions{forum="cotech",kind="event_reminder",status="pending"} 1.0' in text
    assert "cotechbot_due_to_posted_seconds_bucket" in text


def test_no_route_ever_serves_a_secret(face) -> None:
    body = json.dumps(POST_EVENT).encode()
    answers = [
        face.send(body, signed(body), **{"X-Discourse-Event-Id": "7"}),
        face.send(body, signed(body), **{"X-Discourse-Event-Id": "7"}),
        face.send(body, "sha256=" + "0" * 64),
        face.send(b"x" * (1024 * 1024 + 1), None),
        face.send(b"not json", signed(b"not json")),
        requests.get(f"{face.url}/webhooks/discourse", timeout=5),
        requests.get(f"{face.url}/healthz", timeout=5),
        requests.get(f"{face.url}/metrics", timeout=5),
        requests.get(f"{face.url}/calendar.ics", timeout=5),
        requests.get(f"{face.url}/nowhere", timeout=5),
    ]

    for answer in answers:
        shown = answer.text + json.dumps(dict(answer.headers))
        assert SECRET not in shown and API_KEY not in shown


def test_the_docker_healthcheck_asks_healthz_on_the_port_the_image_serves() -> None:
    dockerfile = (Path(__file__).parents[2] / "Dockerfile").read_text(encoding="utf-8")
    port = re.search(r"COTECHBOT_HTTP_PORT=(\d+)", dockerfile)
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (.+)$", dockerfile.replace("\\\n", " "), re.M)

    assert port and healthcheck
    assert f"127.0.0.1:{port.group(1)}/healthz" in healthcheck.group(1)
    assert "!= 200" in healthcheck.group(1)  # a 503 (stale sync) marks the container unhealthy
