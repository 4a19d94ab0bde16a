"""A database that fails every cycle is reported once per outage, in one line that says why, not as a
traceback per cycle; its recovery is reported once too."""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc
from structlog.testing import capture_logs

from cotechbot.ledger import LedgerLost
from cotechbot.scheduler import BotScheduler
from cotechbot.settings import Settings


class NoDue:
    def next_due_at(self, forum: str | None = None) -> None:
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


class LostLedgerWorker(FlakyStorageWorker):
    def cycle(self) -> None:
        raise LedgerLost("the ledger's SQLite file state.db has disappeared while the bot runs")


def test_a_lost_sqlite_file_stops_the_bot_instead_of_cycling_on(tmp_path) -> None:
    """Issue 9 item 9: carrying on would start an empty ledger and post everything again."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/state.db")
    scheduler = BotScheduler(LostLedgerWorker(failures=0), settings)  # type: ignore[arg-type]
    with capture_logs() as logs:
        scheduler._cycle()
    assert isinstance(scheduler.fatal, LedgerLost)
    assert [entry["log_level"] for entry in logs if entry["event"] == "the bot stops"] == ["critical"]
