"""A process killed in the middle of the first migration leaves nothing half-built: the next start migrates.

Each run kills a real child process with SIGKILL right after a chosen statement of the migration has
executed, so the database sees exactly what a power cut or an OOM kill would leave behind.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cotechbot.actions import Action, Reply
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger

T0 = datetime(2024, 7, 1, 14, 0, tzinfo=UTC)
REPOSITORY = Path(__file__).resolve().parents[2]

# Runs the first migration of a fresh ledger and SIGKILLs itself right after the first statement that
# starts with ``argv[2]`` (compared case-insensitively) and mentions ``argv[3]``.
KILLED_MIGRATION = """
import os, signal, sys
import sqlalchemy as sa
from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger
from datetime import UTC, datetime

url, verb, mentions = sys.argv[1], sys.argv[2].upper(), sys.argv[3]
ledger = Ledger(url, FixedClock(datetime(2024, 7, 1, tzinfo=UTC)), migrate=False)

def kill_after(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith(verb) and mentions in statement:
        os.kill(os.getpid(), signal.SIGKILL)

sa.event.listen(ledger.engine, "after_cursor_execute", kill_after)
ledger.migrate()
sys.exit("the migration finished without reaching the kill point")
"""


def killed_during_migration(url: str, verb: str, mentions: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_MIGRATION, url, verb, mentions],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr


@pytest.mark.parametrize(
    ("verb", "mentions"),
    [
        pytest.param("CREATE TABLE", "sync_cursor", id="first-table-of-0001"),
        # after 0001 and 0002 wrote their version rows:
        pytest.param("CREATE TABLE", "decision", id="first-table-of-0013"),
    ],
)
def test_a_first_migration_killed_midway_is_completed_by_the_next_start(
    database_url: str, verb: str, mentions: str
) -> None:
    """Schema changes and the version row commit together, so the restart finds either nothing or head,
    migrates to head and works."""
    killed_during_migration(database_url, verb, mentions)
    ledger = Ledger(database_url, FixedClock(T0))
    try:
        assert ledger.schema_version() == _head()
        reminder = Action(
            key="reminder:cotech:topic/1:2024-07-02T15:00Z:-1d",
            kind="event_reminder",
            forum="cotech",
            source="topic/1",
            target="topic/1",
            due_at=T0,
            operation=Reply(topic_id=1, raw="The call is tomorrow at 15:00"),
        )
        assert ledger.apply_plan("cotech", ["topic/1"], [reminder]).inserted == 1
        [claimed] = ledger.claim_due("w1", T0, forum="cotech")
        assert claimed.key == reminder.key
    finally:
        ledger.dispose()


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from cotechbot.ledger.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
