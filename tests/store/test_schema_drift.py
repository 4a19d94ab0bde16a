"""The models and the migrations describe one schema, and the state a capability keeps moves with them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cotechbot.clock import FixedClock
from cotechbot.ledger import Ledger, metadata
from cotechbot.ledger.store import MIGRATIONS


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def newest_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrations_build_exactly_the_schema_the_models_describe(ledger: Ledger) -> None:
    """Autogenerate finds nothing to add, drop or alter after every migration ran (SQLite and PostgreSQL)."""
    with ledger.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_the_migrations_form_one_line(ledger: Ledger) -> None:
    """One head: two migrations revising the same parent would leave `upgrade head` ambiguous."""
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [ledger.schema_version()]
    assert newest_revision() == ledger.schema_version()


def test_capability_state_kept_in_sync_cursors_moves_to_its_own_table(database_url: str) -> None:
    """A ledger from before 0002 keeps its capabilities' state (``state:<namespace>:<key>`` cursor rows)."""
    clock = FixedClock(datetime(2024, 6, 24, 11, 0, tzinfo=UTC))
    old = Ledger(database_url, clock, migrate=False)
    with old.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            sa.text("INSERT INTO sync_cursor (forum, name, value, updated_at) VALUES (:f, :n, :v, :u)"),
            [
                {"f": "cotech", "n": "state:digest:last_week", "v": json.dumps("2024-W26"), "u": clock.now()},
                {"f": "cotech", "n": "state:polls:closed", "v": json.dumps({"7": [1, 2]}), "u": clock.now()},
                {"f": "cotech", "n": "max_post_id", "v": "41", "u": clock.now()},
            ],
        )
    old.dispose()
    ledger = Ledger(database_url, clock)
    assert ledger.state_items("cotech", "digest") == {"last_week": "2024-W26"}
    assert ledger.state_items("cotech", "polls") == {"closed": {"7": [1, 2]}}
    assert ledger.get_cursor("cotech", "max_post_id") == "41"
    assert ledger.get_cursor("cotech", "state:digest:last_week") is None
    ledger.dispose()


def test_each_namespace_keeps_its_own_keys(ledger: Ledger) -> None:
    ledger.update_state("cotech", "digest", {"week": "2024-W27", "count": 3})
    ledger.update_state("cotech", "polls", {"week": {"nested": True}})
    ledger.update_state("other", "digest", {"week": "2023-W01"})
    ledger.update_state("cotech", "digest", {"count": None})
    assert ledger.state_items("cotech", "digest") == {"week": "2024-W27"}
    assert ledger.state_items("cotech", "polls") == {"week": {"nested": True}}
    assert ledger.state_items("other", "digest") == {"week": "2023-W01"}
