"""The HTTP face on each database the bot supports, and faces of two replicas sharing one ledger: health and
metrics read PostgreSQL as they read SQLite, a standby says so, and a webhook delivery is taken once across
restarts and replicas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
import sqlalchemy

from cotechbot.actions import Action, Reply
from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.web.face import WEBHOOK_NAMESPACE, build_face
from cotechbot.web.metrics import Metrics
from cotechbot.web.server import BackgroundServer
from cotechbot.web.signature import signature_of
from cotechbot.worker import Worker
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock
from tests.store.conftest import postgres_schema_url

T0 = datetime(2024, 7, 1, 9, 0, tzinfo=UTC)
SECRET = "a-webhook-secret-nobody-guesses"
POST_EVENT = {"post": {"id": 101, "topic_id": 1, "raw": "The call is at 3pm on Tuesday 2 July"}}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def forum() -> Iterator[FakeDiscourse]:
    sandbox = FakeDiscourse(
        api_key=API_KEY, api_username=BOT, now=FixedClock(T0), clock=never_memoised_clock()
    )
    sandbox.start()
    yield sandbox
    sandbox.stop()


class Replica:
    """One bot process: a worker on the shared ledger, and its HTTP face wired as the scheduler wires it."""

    def __init__(self, forum: FakeDiscourse, database_url: str, clock: FixedClock) -> None:
        self.settings = bot_settings(forum.url, database_url, webhook_secret=SECRET)
        self.clock = clock
        self.worker: Worker = build_worker(self.settings, clock, forum=fast_forum(self.settings))
        self.pokes = 0
        app = build_face(
            settings=self.settings,
            ledger=self.ledger,
            clock=clock,
            metrics=Metrics(self.ledger, "cotech"),
            request_cycle=self._poke,
            leading=lambda: self.worker.leading,
        )
        self.server = BackgroundServer(app, "127.0.0.1", 0).start()
        self.url = self.server.url

    @property
    def ledger(self) -> Ledger:
        return self.worker.ledger

    def _poke(self) -> None:
        self.pokes += 1

    def deliver(self, delivery_id: str) -> requests.Response:
        body = json.dumps(POST_EVENT).encode()
        headers = {
            "X-Discourse-Event-Signature": signature_of(SECRET.encode(), body),
            "X-Discourse-Event-Type": "post",
            "X-Discourse-Event-Id": delivery_id,
            "Content-Type": "application/json",
        }
        return requests.post(f"{self.url}/webhooks/discourse", data=body, headers=headers, timeout=5)

    def health(self) -> requests.Response:
        return requests.get(f"{self.url}/healthz", timeout=5)

    def stop(self) -> None:
        self.server.stop()
        self.ledger.dispose()


@pytest.fixture
def start_replica(forum, database_url) -> Iterator:
    clock = FixedClock(T0)
    started: list[Replica] = []

    def start() -> Replica:
        started.append(Replica(forum, database_url, clock))
        return started[-1]

    yield start
    for replica in started:
        replica.stop()


def test_health_follows_a_real_sync_and_goes_stale_after_three_intervals(start_replica) -> None:
    bot = start_replica()
    before = bot.health()

    bot.worker.cycle()
    healthy = bot.health()
    bot.clock.advance(timedelta(minutes=3 * bot.settings.sync_interval_minutes, seconds=1))
    stale = bot.health()

    assert before.status_code == 503 and before.json()["leader"] is None
    assert healthy.status_code == 200 and healthy.json()["leader"] is True
    assert healthy.json()["last_successful_sync"] == T0.isoformat()
    assert stale.status_code == 503 and stale.json()["status"] == "stale"


def test_metrics_read_the_outbox_by_kind_and_status(start_replica) -> None:
    bot = start_replica()
    reminder = Action(
        key="k1",
        kind="event_reminder",
        forum="cotech",
        source="topic/1",
        target="topic/1",
        due_at=T0 + timedelta(hours=1),
        operation=Reply(topic_id=1, raw="soon"),
    )
    bot.ledger.apply_plan("cotech", ["topic/1"], [reminder])

    text = requests.get(f"{bot.url}/metrics", timeout=5).text

    assert 'cotechbot_actions{forum="cotech",kind="event_reminder",status="pending"} 1.0' in text


def test_a_standby_says_it_does_not_lead_and_is_healthy_while_the_leader_syncs(start_replica) -> None:
    leader, standby = start_replica(), start_replica()
    leader.worker.cycle()  # the leader's sync succeeds and is recorded in the shared ledger

    with leader.ledger.leader("sync:cotech") as held:  # the leader is mid-cycle while the standby wakes
        assert held
        standby.worker.cycle()
        answer = standby.health()

    assert answer.status_code == 200
    assert answer.json()["leader"] is False
    assert answer.json()["last_successful_sync"] == T0.isoformat()
    assert leader.health().json()["leader"] is True
    # with no leader syncing, the standby goes stale like everyone else: nothing is keeping up
    standby.clock.advance(timedelta(minutes=3 * standby.settings.sync_interval_minutes, seconds=1))
    assert standby.health().status_code == 503


def test_a_redelivery_to_a_restarted_bot_or_another_replica_triggers_nothing(start_replica) -> None:
    first = start_replica()
    assert first.deliver("4242").json()["triggered"] is True
    first.stop()

    restarted, other = start_replica(), start_replica()
    again = restarted.deliver("4242")
    elsewhere = other.deliver("4242")
    fresh = other.deliver("4243")

    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert elsewhere.status_code == 200 and elsewhere.json()["duplicate"] is True
    assert fresh.json()["triggered"] is True
    assert (first.pokes, restarted.pokes, other.pokes) == (1, 0, 1)


def test_remembered_deliveries_stay_bounded(start_replica) -> None:
    bot = start_replica()
    for n in range(15):
        bot.clock.advance(timedelta(seconds=1))
        assert bot.ledger.remember_once(
            "cotech", WEBHOOK_NAMESPACE, str(n), keep=10, max_age=timedelta(days=1)
        )
    assert sorted(bot.ledger.state_items("cotech", WEBHOOK_NAMESPACE), key=int) == [
        str(n) for n in range(5, 15)
    ]

    bot.clock.advance(timedelta(days=1, seconds=1))
    assert bot.deliver("new").json()["triggered"] is True
    assert list(bot.ledger.state_items("cotech", WEBHOOK_NAMESPACE)) == ["new"]


def test_the_read_routes_never_write_the_ledger(start_replica) -> None:
    bot = start_replica()
    bot.worker.cycle()
    writes: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "WITH", "SHOW")):
            writes.append(statement)

    sqlalchemy.event.listen(bot.ledger.engine, "before_cursor_execute", record)
    try:
        for path in ("/healthz", "/metrics", "/calendar.ics", "/decisions.json", "/decisions.md"):
            assert requests.get(f"{bot.url}{path}", timeout=5).status_code in {200, 404}
    finally:
        sqlalchemy.event.remove(bot.ledger.engine, "before_cursor_execute", record)

    assert [w for w in writes if not w.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))] == []
