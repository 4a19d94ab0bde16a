"""The decision log: one row per decision (forum topic or Loomio poll) with every revision kept, and the last
snapshot of each watched Loomio poll (Loomio has no change feed: the bot diffs its lists against these).

Revision ID: 0013
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("forum", sa.String(100), nullable=False),
        sa.Column("decision_id", sa.String(200), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closing_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("forum", "decision_id", name="uq_decision_log_forum_decision"),
    )
    op.create_table(
        "decision_revision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("forum", sa.String(100), nullable=False),
        sa.Column("decision_id", sa.String(200), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("forum", "decision_id", "revision", name="uq_decision_revision"),
    )
    op.create_table(
        "loomio_poll",
        sa.Column("forum", sa.String(100), primary_key=True),
        sa.Column("poll_id", sa.BigInteger, primary_key=True),
        sa.Column("group_id", sa.BigInteger, nullable=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("loomio_poll")
    op.drop_table("decision_revision")
    op.drop_table("decision_log")
