"""The append-only audit log, and the base every part of the ledger shares (its engine and clock)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cotechbot.clock import Clock
from cotechbot.ledger.schema import audit


class LedgerPart:
    """What each part of the ledger needs from the whole: the engine and the clock."""

    url: str
    engine: Engine
    clock: Clock

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


class AuditLog(LedgerPart):
    def audit(
        self, forum: str, event: str, action_key: str | None = None, detail: Mapping[str, Any] | None = None
    ) -> None:
        with self.engine.begin() as connection:
            self._audit(connection, forum, event, action_key, detail or {})

    def _audit(
        self,
        connection: Connection,
        forum: str,
        event: str,
        action_key: str | None,
        detail: Mapping[str, Any],
    ) -> None:
        connection.execute(
            audit.insert().values(
                at=self.clock.now(), forum=forum, event=event, action_key=action_key, detail=dict(detail)
            )
        )

    def audit_log(self, forum: str | None = None, event: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(audit).order_by(audit.c.id)
        if forum is not None:
            query = query.where(audit.c.forum == forum)
        if event is not None:
            query = query.where(audit.c.event == event)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
