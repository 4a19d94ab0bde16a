"""Capability state in its own namespaced table, out of the sync cursors' ``state:<namespace>:<key>`` rows.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PREFIX = "state:"


def upgrade() -> None:
    state = op.create_table(
        "capability_state",
        sa.Column("forum", sa.String(100), primary_key=True),
        sa.Column("namespace", sa.String(100), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    cursors = sa.table(
        "sync_cursor",
        sa.column("forum", sa.String),
        sa.column("name", sa.String),
        sa.column("value", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    old = bind.execute(
        sa.select(cursors.c.forum, cursors.c.name, cursors.c.value, cursors.c.updated_at).where(
            cursors.c.name.startswith(PREFIX, autoescape=True)
        )
    ).all()
    moved = []
    for row in old:
        namespace, _, key = row.name[len(PREFIX) :].partition(":")
        if namespace and key:
            moved.append(
                {
                    "forum": row.forum,
                    "namespace": namespace,
                    "key": key,
                    "value": json.loads(row.value),
                    "updated_at": row.updated_at,
                }
            )
    if moved:
        op.bulk_insert(state, moved)
    bind.execute(cursors.delete().where(cursors.c.name.startswith(PREFIX, autoescape=True)))


def downgrade() -> None:
    op.drop_table("capability_state")
