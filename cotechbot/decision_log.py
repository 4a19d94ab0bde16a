"""The decision log in the ledger: one row per decision with its current revision, every revision kept in
``decision_revision``, and the last snapshot of each watched Loomio poll (``loomio_poll``).

The tables are the ledger's (``cotechbot.ledger.decision_tables``, migration ``0013_decision_log``); what goes in them is
decided by the pure functions of ``cotechbot.capabilities.decisions`` — this module only stores and reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from cotechbot.capabilities.decisions import LogEntry
from cotechbot.ledger import Ledger
from cotechbot.ledger.decision_tables import decision_log, decision_revision, loomio_poll
from cotechbot.loomio_models import LoomioPoll


def _entry(row: Any) -> LogEntry:
    return LogEntry(
        decision_id=row.decision_id,
        source=row.source,
        url=row.url,
        title=row.title,
        decision=row.decision,
        status=row.status,
        tags=tuple(row.tags or ()),
        decided_at=row.decided_at,
        closing_at=row.closing_at,
        revision=row.revision,
    )


class DecisionLogStore:
    """Reads and writes one forum's decision log and Loomio snapshots."""

    def __init__(self, ledger: Ledger, forum: str) -> None:
        self.ledger = ledger
        self.forum = forum

    # -- the log ------------------------------------------------------------------------------------------
    def entries(self) -> dict[str, LogEntry]:
        query = sa.select(decision_log).where(decision_log.c.forum == self.forum)
        with self.ledger.engine.connect() as connection:
            return {row.decision_id: _entry(row) for row in connection.execute(query)}

    def is_empty(self) -> bool:
        query = sa.select(sa.func.count()).select_from(decision_log).where(decision_log.c.forum == self.forum)
        with self.ledger.engine.connect() as connection:
            return not connection.execute(query).scalar()

    def write(self, changed: Sequence[LogEntry], now: datetime) -> None:
        """Insert new entries and update changed ones, recording each revision; a revision already
        recorded (a second replica wrote it first) is left as it is."""
        if not changed:
            return
        with self.ledger.engine.begin() as connection:
            for entry in changed:
                values = {
                    "source": entry.source,
                    "url": entry.url,
                    "title": entry.title,
                    "decision": entry.decision,
                    "status": entry.status,
                    "tags": list(entry.tags),
                    "decided_at": entry.decided_at,
                    "closing_at": entry.closing_at,
                    "revision": entry.revision,
                    "updated_at": now,
                }
                exists = connection.execute(
                    sa.select(decision_log.c.revision).where(
                        decision_log.c.forum == self.forum, decision_log.c.decision_id == entry.decision_id
                    )
                ).first()
                if exists is None:
                    connection.execute(
                        decision_log.insert().values(
                            forum=self.forum, decision_id=entry.decision_id, first_seen_at=now, **values
                        )
                    )
                elif exists.revision < entry.revision:
                    connection.execute(
                        decision_log.update()
                        .where(
                            decision_log.c.forum == self.forum,
                            decision_log.c.decision_id == entry.decision_id,
                        )
                        .values(**values)
                    )
                else:
                    continue
                connection.execute(
                    decision_revision.insert().values(
                        forum=self.forum,
                        decision_id=entry.decision_id,
                        revision=entry.revision,
                        title=entry.title,
                        decision=entry.decision,
                        status=entry.status,
                        tags=list(entry.tags),
                        recorded_at=now,
                    )
                )

    def revisions(self, decision_id: str) -> list[dict[str, Any]]:
        query = (
            sa.select(decision_revision)
            .where(decision_revision.c.forum == self.forum, decision_revision.c.decision_id == decision_id)
            .order_by(decision_revision.c.revision)
        )
        with self.ledger.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    # -- Loomio snapshots -----------------------------------------------------------------------------------
    def loomio_polls(self) -> list[LoomioPoll]:
        query = sa.select(loomio_poll.c.payload).where(loomio_poll.c.forum == self.forum)
        with self.ledger.engine.connect() as connection:
            polls = [LoomioPoll.model_validate(row.payload) for row in connection.execute(query)]
        return sorted(polls, key=lambda p: p.id)

    def save_loomio_polls(self, polls: Iterable[LoomioPoll], now: datetime) -> None:
        with self.ledger.engine.begin() as connection:
            for poll in polls:
                payload = poll.model_dump(mode="json")
                where = (loomio_poll.c.forum == self.forum, loomio_poll.c.poll_id == poll.id)
                if connection.execute(sa.select(loomio_poll.c.poll_id).where(*where)).first() is None:
                    connection.execute(
                        loomio_poll.insert().values(
                            forum=self.forum,
                            poll_id=poll.id,
                            group_id=poll.group_id,
                            payload=payload,
                            first_seen_at=now,
                            updated_at=now,
                        )
                    )
                else:
                    connection.execute(
                        loomio_poll.update().where(*where).values(payload=payload, updated_at=now)
                    )
