"""Alembic environment: cotechbot passes the open connection in ``config.attributes``.

``target_metadata`` is the ledger's schema, so ``alembic revision --autogenerate`` starts from the models and
``tests/store/test_schema_drift.py`` can prove the migrations build exactly that schema.
"""

from alembic import context

from cotechbot.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
