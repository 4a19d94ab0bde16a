"""Small named state: the sync's cursors per forum, and each capability's own namespaced key/value store.

A capability reads its namespace before it plans (the worker passes it in as facts) and the worker writes
what the plan asks to keep afterwards, so planning itself does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cotechbot.ledger.audit import LedgerPart
from cotechbot.ledger.schema import capability_state, sync_cursor


class StateStore(LedgerPart):
    # -- sync cursors -------------------------------------------------------------------------------
    def get_cursor(self, forum: str, name: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(sync_cursor.c.value).where(sync_cursor.c.forum == forum, sync_cursor.c.name == name)
            ).scalar()

    def set_cursor(self, forum: str, name: str, value: str) -> None:
        with self.engine.begin() as connection:
            self._set_cursor(connection, forum, name, value)

    def _set_cursor(self, connection: Connection, forum: str, name: str, value: str) -> None:
        now = self.clock.now()
        updated = connection.execute(
            sync_cursor.update()
            .where(sync_cursor.c.forum == forum, sync_cursor.c.name == name)
            .values(value=value, updated_at=now)
        ).rowcount
        if not updated:
            connection.execute(
                sync_cursor.insert().values(forum=forum, name=name, value=value, updated_at=now)
            )

    # -- capability state ---------------------------------------------------------------------------
    def state_items(self, forum: str, namespace: str) -> dict[str, Any]:
        """Everything capability ``namespace`` keeps for ``forum``: key -> JSON value."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(capability_state.c.key, capability_state.c.value).where(
                    capability_state.c.forum == forum, capability_state.c.namespace == namespace
                )
            ).all()
        return {row.key: row.value for row in rows}

    def update_state(self, forum: str, namespace: str, updates: Mapping[str, Any]) -> None:
        """Set keys of one namespace in one transaction; a value of None deletes its key."""
        now = self.clock.now()
        with self.engine.begin() as connection:
            for key, value in updates.items():
                where = (
                    capability_state.c.forum == forum,
                    capability_state.c.namespace == namespace,
                    capability_state.c.key == key,
                )
                if value is None:
                    connection.execute(capability_state.delete().where(*where))
                    continue
                changed = connection.execute(
                    capability_state.update().where(*where).values(value=value, updated_at=now)
                ).rowcount
                if not changed:
                    connection.execute(
                        capability_state.insert().values(
                            forum=forum, namespace=namespace, key=key, value=value, updated_at=now
                        )
                    )

    def remember_once(self, forum: str, namespace: str, key: str, *, keep: int, max_age: timedelta) -> bool:
        """Record ``key`` in ``namespace``; False when it was already there (by this or another process).

        The insert alone decides, so two replicas taking the same key at once agree on who was first. The
        namespace stays bounded: keys older than ``max_age`` and all but the newest ``keep`` are dropped.
        """
        now = self.clock.now()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    capability_state.insert().values(
                        forum=forum, namespace=namespace, key=key, value=True, updated_at=now
                    )
                )
        except sa.exc.IntegrityError:
            return False
        where = (capability_state.c.forum == forum, capability_state.c.namespace == namespace)
        newest = (
            sa.select(capability_state.c.key)
            .where(*where)
            .order_by(capability_state.c.updated_at.desc(), capability_state.c.key.desc())
            .limit(keep)
        )
        with self.engine.begin() as connection:
            connection.execute(
                capability_state.delete().where(
                    *where,
                    sa.or_(
                        capability_state.c.updated_at < now - max_age,
                        capability_state.c.key.not_in(newest),
                    ),
                )
            )
        return True
