"""A database that fails every cycle is reported once per outage, in one line that says why, not as a
traceback per cycle; its recovery is reported once too."""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc
from structlog.testing import capture_logs

from cotechbot.scheduler import BotScheduler
from cotechbot.settings import Settings


class NoDue:
    def next_due_at(self) -> None:
        return None


class FlakyStorageWorker:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.ledger = NoDue()

    def cycle(self) -> None:
        if self.failures:
            self.failures -= 1
            raise sqlalchemy.exc.OperationalError(
                "INSERT INTO outbox …", {"raw": "a member's post"}, sqlite3.OperationalError("disk I/O error")
            )


def test_a_storage_outage_is_reported_once_and_its_end_once(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/state.db")
    scheduler = BotScheduler(FlakyStorageWorker(failures=5), settings)  # type: ignore[arg-type]

    with capture_logs() as logs:
        for _ in range(7):
            scheduler._cycle()

    failing = [entry for entry in logs if entry["event"].startswith("storage is failing")]
    recovered = [entry for entry in logs if entry["event"].startswith("storage answers again")]
    assert len(failing) == 1 and len(recovered) == 1
    assert "COTECHBOT_DATABASE_URL" in failing[0]["reason"]
    assert "a member's post" not in str(logs)
    assert not any(entry.get("exc_info") for entry in logs)
