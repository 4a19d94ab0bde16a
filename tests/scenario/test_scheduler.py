"""The scheduler: dispatch armed for the next due time, and `cotechbot run` stopping cleanly on a signal."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import requests

from cotechbot.ledger import Action
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.scheduler import BotScheduler
from cotechbot.web.signature import signature_of
from tests.scenario.conftest import API_KEY

# A generous bound on start-up plus one cycle against the local sandbox: a hung bot fails the test instead of
# hanging the suite (this is a deadline, not a speed check).
FIRST_CYCLE_DEADLINE_SECONDS = 60
WEBHOOK_SECRET = "a-secret-for-the-run-test"


def _read_lines(stream: Iterable[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def test_dispatch_is_armed_for_the_next_due_action(make_bot) -> None:
    """After a cycle the dispatch job is scheduled exactly at the earliest pending due time, not a tick later."""
    bot = make_bot(datetime.now(UTC))
    due = datetime.now(UTC) + timedelta(hours=3)
    bot.ledger.apply_plan(
        "cotech",
        [],
        [
            Action(
                key="k",
                kind="event_reminder",
                forum="cotech",
                source="x",
                target="topic/1",
                due_at=due,
                payload={"op": "reply", "topic_id": 1, "raw": "hi"},
            )
        ],
    )
    scheduler = BotScheduler(bot.worker, bot.settings)
    scheduler.scheduler.start(paused=True)
    try:
        assert scheduler.arm_dispatch() == due
        assert scheduler.scheduler.get_job("dispatch").next_run_time == due
        bot.ledger.apply_plan("cotech", ["x"], [])  # the action is cancelled: nothing left to arm for
        assert scheduler.arm_dispatch() is None
        assert scheduler.scheduler.get_job("dispatch") is None
    finally:
        scheduler.scheduler.shutdown(wait=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_serves_its_http_face_and_stops_cleanly_on_sigterm(tmp_path) -> None:
    """`cotechbot run` with ``COTECHBOT_HTTP_PORT`` serves the HTTP face beside the scheduler: after the first
    cycle /healthz is 200, a signed webhook runs another cycle at once; SIGTERM then stops it with exit 0."""
    port = _free_port()
    with FakeDiscourse.running(api_key=API_KEY, api_username="cotechbot") as forum:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COTECHBOT_")}
        env.update(
            COTECHBOT_DISCOURSE_URL=forum.url,
            COTECHBOT_DISCOURSE_API_KEY=API_KEY,
            COTECHBOT_DISCOURSE_API_USERNAME="cotechbot",
            COTECHBOT_LOG_FORMAT="json",
            COTECHBOT_HTTP_PORT=str(port),
            COTECHBOT_WEBHOOK_SECRET=WEBHOOK_SECRET,
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "cotechbot.cli", "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(process.stderr, lines), daemon=True)
        reader.start()
        events: list[str] = []
        deadline = time.monotonic() + FIRST_CYCLE_DEADLINE_SECONDS

        def wait_for(event: str, count: int = 1) -> None:
            """Read the bot's log until ``event`` has been seen ``count`` times, however long, up to a deadline."""
            while events.count(event) < count:
                try:
                    line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise AssertionError(f"no {event!r} within the deadline; saw {events}") from None
                if line is None:
                    raise AssertionError(f"the bot exited before {event!r}; saw {events}")
                if line.startswith("{"):
                    events.append(json.loads(line)["event"])

        try:
            wait_for("http face listening")
            wait_for("cycle done")
            health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            ping = b'{"ping":"OK"}'
            hook = requests.post(
                f"http://127.0.0.1:{port}/webhooks/discourse",
                data=ping,
                headers={
                    "X-Discourse-Event-Type": "ping",
                    "X-Discourse-Event-Signature": signature_of(WEBHOOK_SECRET.encode(), ping),
                },
                timeout=10,
            )
            wait_for("cycle done", count=2)  # the webhook's cycle: no scheduled one is due for 5 minutes
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            reader.join(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    rest = []
    while not lines.empty():
        rest.append(lines.get_nowait())
    events += [json.loads(line)["event"] for line in rest if line and line.startswith("{")]
    assert health.status_code == 200 and health.json()["last_successful_sync"] is not None
    assert hook.status_code == 200 and hook.json()["triggered"] is True
    assert process.returncode == 0
    assert "scheduler started" in events and "stop requested" in events and events[-1] == "scheduler stopped"
