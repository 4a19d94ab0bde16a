"""Alembic environment: cotechbot passes the open connection in ``config.attributes``.

``target_metadata`` is the ledger's schema (``cotechbot.ledger.schema``), so autogenerate compares a database
with the models: ``tests/store/test_schema_drift.py`` proves the migrations build exactly that schema.
"""

from alembic import context

from cotechbot.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
