"""The scheduler: dispatch armed for the next due time, and `cotechbot run` stopping cleanly on a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from cotechbot.ledger import Action
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.scheduler import BotScheduler
from tests.scenario.conftest import API_KEY


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


def test_run_stops_cleanly_on_sigterm(tmp_path) -> None:
    """`cotechbot run` starts, completes its first cycle, and exits 0 with a 'scheduler stopped' line on SIGTERM."""
    with FakeDiscourse.running(api_key=API_KEY, api_username="cotechbot") as forum:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COTECHBOT_")}
        env.update(
            COTECHBOT_DISCOURSE_URL=forum.url,
            COTECHBOT_DISCOURSE_API_KEY=API_KEY,
            COTECHBOT_DISCOURSE_API_USERNAME="cotechbot",
            COTECHBOT_LOG_FORMAT="json",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "cotechbot.cli", "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        events = []
        try:
            for line in process.stderr:  # wait for the first cycle to finish, however long start-up takes
                if line.startswith("{"):
                    events.append(json.loads(line)["event"])
                if "cycle done" in events:
                    break
            process.send_signal(signal.SIGTERM)
            rest = process.communicate(timeout=30)[1]
        finally:
            if process.poll() is None:
                process.kill()
    events += [json.loads(line)["event"] for line in rest.splitlines() if line.startswith("{")]
    assert process.returncode == 0
    assert "scheduler started" in events and "stop requested" in events and events[-1] == "scheduler stopped"
