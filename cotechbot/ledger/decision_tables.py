"""The decision log's tables (migration ``0013_decision_log``): one row per decision holding its current
revision, every revision in ``decision_revision``, and the last snapshot of each watched Loomio poll. Read and
written by ``cotechbot.decision_log.DecisionLogStore``."""

from __future__ import annotations

import sqlalchemy as sa

from cotechbot.ledger.schema import UtcDateTime, metadata

decision_log = sa.Table(
    "decision_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("forum", sa.String(100), nullable=False),
    sa.Column("decision_id", sa.String(200), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("decided_at", UtcDateTime, nullable=False),
    sa.Column("closing_at", UtcDateTime, nullable=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("first_seen_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("forum", "decision_id", name="uq_decision_log_forum_decision"),
)

decision_revision = sa.Table(
    "decision_revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("forum", sa.String(100), nullable=False),
    sa.Column("decision_id", sa.String(200), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("forum", "decision_id", "revision", name="uq_decision_revision"),
)

loomio_poll = sa.Table(
    "loomio_poll",
    metadata,
    sa.Column("forum", sa.String(100), primary_key=True),
    sa.Column("poll_id", sa.BigInteger, primary_key=True),
    sa.Column("group_id", sa.BigInteger, nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("first_seen_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)
