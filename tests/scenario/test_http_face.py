"""The HTTP face over real HTTP: signed webhooks trigger coalesced cycles, health follows the last sync, the
calendar feed is conditional, metrics read the outbox, and no secret is ever served."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests

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


def test_a_burst_of_fifty_webhooks_is_answered_at_once_and_makes_at_most_two_cycles(face) -> None:
    face.release.clear()  # the first cycle is held: every answer below is sent while it runs
    body = json.dumps(POST_EVENT).encode()

    answers = [face.send(body, signed(body), **{"X-Discourse-Event-Id": str(n)}) for n in range(50)]

    assert [a.status_code for a in answers] == [200] * 50
    assert max(a.elapsed for a in answers) < timedelta(seconds=1)
    face.release.set()
    assert face.trigger.wait_for_runs(1, timeout=10)
    face.trigger.stop()  # lets a queued second cycle finish, then ends the loop
    assert 1 <= face.trigger.runs <= 2
    assert face.most_at_once == 1


def test_health_is_503_until_a_sync_succeeds_and_again_when_it_is_three_intervals_old(face) -> None:
    assert requests.get(f"{face.url}/healthz", timeout=5).status_code == 503

    face.ledger.set_cursor("cotech", SYNC_SUCCEEDED_AT, T0.isoformat())
    healthy = requests.get(f"{face.url}/healthz", timeout=5)
    face.clock.advance(timedelta(minutes=3 * face.settings.sync_interval_minutes, seconds=1))
    stale = requests.get(f"{face.url}/healthz", timeout=5)

    assert healthy.status_code == 200
    assert healthy.json()["last_successful_sync"] == T0.isoformat()
    assert healthy.json()["leader"] is True
    assert stale.status_code == 503 and stale.json()["status"] == "stale"


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
        face.send(body, signed(body)),
        face.send(body, "sha256=" + "0" * 64),
        requests.get(f"{face.url}/healthz", timeout=5),
        requests.get(f"{face.url}/metrics", timeout=5),
        requests.get(f"{face.url}/calendar.ics", timeout=5),
        requests.get(f"{face.url}/nowhere", timeout=5),
    ]

    for answer in answers:
        assert SECRET not in answer.text and API_KEY not in answer.text
