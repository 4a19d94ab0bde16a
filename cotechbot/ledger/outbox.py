"""The outbox: every action the bot will take, keyed deterministically, and its way to a final status.

Exactly-once dispatch rests on this module:
- ``outbox.key`` is unique, so planning the same action twice can't create a second row;
- ``claim_due`` moves a row from ``pending`` to ``claimed`` with a compare-and-set, so two dispatchers can't
  both take it; a row left ``claimed`` is taken again only once its claim's lease has run out (on
  PostgreSQL the leader's lock can be lost while it still runs, so a claim there outlives the lock);
- ``confirm_claim`` renews the claim just before posting and says whether it is still ours;
- ``finish`` only moves a row this dispatcher holds, and says whether it did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from cotechbot.actions import (
    FINAL_STATUSES,
    LIVE_STATUSES,
    Action,
    Operation,
    PlanOutcome,
    Status,
    parse_operation,
)
from cotechbot.errors import DuplicateActionError, LedgerError
from cotechbot.ledger.audit import AuditLog
from cotechbot.ledger.schema import outbox
from cotechbot.models import require_aware_utc


@dataclass(frozen=True)
class OutboxRow:
    key: str
    kind: str
    forum: str
    source: str
    target: str
    due_at: datetime
    expires_at: datetime | None
    payload: dict[str, Any]
    status: Status
    attempts: int
    claimed_by: str | None
    retry_at: datetime | None
    post_ref: str | None
    last_error: str | None
    sent_at: datetime | None

    @property
    def operation(self) -> Operation:
        """The typed operation this row performs."""
        return parse_operation(self.payload)

    @classmethod
    def from_row(cls, row: sa.Row) -> OutboxRow:
        m = row._mapping
        return cls(**{f: m[f] for f in cls.__dataclass_fields__})


class OutboxStore(AuditLog):
    #: How long a claim protects its row from being taken again by another dispatcher.
    claim_lease: timedelta = timedelta(0)

    def add_action(self, action: Action) -> None:
        """Insert one action; refuse a second with the same key (``DuplicateActionError``)."""
        now = self.clock.now()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    outbox.insert().values(
                        **_action_values(action),
                        status=Status.PENDING,
                        attempts=0,
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            raise DuplicateActionError(action.key) from None

    def apply_plan(self, forum: str, sources: Iterable[str], actions: Sequence[Action]) -> PlanOutcome:
        """Make the outbox match a fresh plan for ``sources``, in one transaction.

        New keys are inserted; pending rows whose key is planned again get the new due time and payload;
        pending rows of those sources that the plan no longer contains are cancelled (an edited time gets a
        new key, so its old reminders are cancelled and new ones inserted). A cancelled row planned again
        is revived as pending (a time edited away and back), with both moves in the audit log. Rows that
        were sent, skipped or failed are never touched.
        """
        now = self.clock.now()
        source_list = sorted(set(sources) | {a.source for a in actions})
        inserted = updated = unchanged = cancelled = revived = 0
        planned_keys = {a.key for a in actions}
        with self.engine.begin() as connection:
            existing = {
                row.key: row
                for row in connection.execute(
                    sa.select(
                        outbox.c.key,
                        outbox.c.forum,
                        outbox.c.status,
                        outbox.c.due_at,
                        outbox.c.expires_at,
                        outbox.c.payload,
                        outbox.c.target,
                    ).where(outbox.c.key.in_(planned_keys) if planned_keys else sa.false())
                )
            }
            for action in actions:
                row = existing.get(action.key)
                if row is None:
                    try:
                        with connection.begin_nested():
                            connection.execute(
                                outbox.insert().values(
                                    **_action_values(action),
                                    status=Status.PENDING,
                                    attempts=0,
                                    created_at=now,
                                    updated_at=now,
                                )
                            )
                        inserted += 1
                    except IntegrityError:
                        unchanged += 1  # another worker inserted it a moment ago: same key, same action
                    continue
                values = _action_values(action)
                if row.status == Status.CANCELLED and row.forum == forum:
                    if self._revive(connection, action, values, now):
                        revived += 1
                    else:
                        unchanged += 1
                    continue
                if row.status != Status.PENDING:
                    unchanged += 1
                    continue
                if (row.due_at, row.expires_at, row.payload, row.target) == (
                    values["due_at"],
                    values["expires_at"],
                    values["payload"],
                    values["target"],
                ):
                    unchanged += 1
                    continue
                connection.execute(
                    outbox.update()
                    .where(outbox.c.key == action.key, outbox.c.status == Status.PENDING)
                    .values(**values, updated_at=now)
                )
                updated += 1
            if source_list:
                cancelled = self._cancel_unplanned(connection, forum, source_list, planned_keys, now)
        return PlanOutcome(inserted, updated, unchanged, cancelled, revived)

    def _revive(self, connection: Connection, action: Action, values: dict[str, Any], now: datetime) -> bool:
        changed = connection.execute(
            outbox.update()
            .where(outbox.c.key == action.key, outbox.c.status == Status.CANCELLED)
            .values(
                **values,
                status=Status.PENDING,
                attempts=0,
                claimed_by=None,
                claimed_at=None,
                retry_at=None,
                last_error=None,
                updated_at=now,
            )
        ).rowcount
        if changed:
            self._audit(
                connection, action.forum, "action_revived", action.key, {"due_at": action.due_at.isoformat()}
            )
        return bool(changed)

    def _cancel_unplanned(
        self, connection: Connection, forum: str, sources: list[str], planned_keys: set[str], now: datetime
    ) -> int:
        stale = sa.and_(
            outbox.c.forum == forum, outbox.c.source.in_(sources), outbox.c.status == Status.PENDING
        )
        if planned_keys:
            stale = sa.and_(stale, outbox.c.key.not_in(planned_keys))
        stale_keys = list(connection.execute(sa.select(outbox.c.key).where(stale)).scalars())
        if not stale_keys:
            return 0
        connection.execute(
            outbox.update()
            .where(outbox.c.key.in_(stale_keys), outbox.c.status == Status.PENDING)
            .values(status=Status.CANCELLED, updated_at=now, last_error="no longer planned")
        )
        for key in stale_keys:
            self._audit(connection, forum, "action_cancelled", key, {"reason": "no longer planned"})
        return len(stale_keys)

    def claim_due(
        self, worker: str, now: datetime, limit: int = 50, *, forum: str | None = None
    ) -> list[OutboxRow]:
        """Take due actions (of ``forum``, when given) for this worker. Call only while holding the lock.

        A row left ``claimed`` is taken again once its claim is older than ``claim_lease``; the caller must
        check the forum for its own post before re-posting such a row (``attempts > 1``).
        """
        now = require_aware_utc(now)
        lease_ended = now - self.claim_lease
        claimed: list[OutboxRow] = []
        takeable = sa.or_(
            outbox.c.status == Status.PENDING,
            sa.and_(
                outbox.c.status == Status.CLAIMED,
                sa.or_(outbox.c.claimed_at.is_(None), outbox.c.claimed_at <= lease_ended),
            ),
        )
        query = (
            sa.select(outbox.c.id, outbox.c.status)
            .where(
                takeable,
                outbox.c.due_at <= now,
                sa.or_(outbox.c.retry_at.is_(None), outbox.c.retry_at <= now),
            )
            .order_by(outbox.c.due_at, outbox.c.id)
            .limit(limit)
        )
        if forum is not None:
            query = query.where(outbox.c.forum == forum)
        with self.engine.begin() as connection:
            for candidate in connection.execute(query).all():
                taken = connection.execute(
                    outbox.update()
                    .where(outbox.c.id == candidate.id, outbox.c.status == candidate.status, takeable)
                    .values(
                        status=Status.CLAIMED,
                        attempts=outbox.c.attempts + 1,
                        claimed_by=worker,
                        claimed_at=now,
                        updated_at=now,
                    )
                ).rowcount
                if taken:
                    row = connection.execute(sa.select(outbox).where(outbox.c.id == candidate.id)).one()
                    claimed.append(OutboxRow.from_row(row))
        return claimed

    def confirm_claim(self, key: str, worker: str) -> bool:
        """Renew ``worker``'s claim on ``key`` just before acting on it; False if the row is no longer its
        claim (another dispatcher took it after the lease ran out, or it was finished)."""
        now = self.clock.now()
        with self.engine.begin() as connection:
            return bool(
                connection.execute(
                    outbox.update()
                    .where(
                        outbox.c.key == key,
                        outbox.c.status == Status.CLAIMED,
                        outbox.c.claimed_by == worker,
                    )
                    .values(claimed_at=now, updated_at=now)
                ).rowcount
            )

    def finish(
        self,
        key: str,
        status: str,
        *,
        post_ref: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
        detail: Mapping[str, Any] | None = None,
        claimed_by: str | None = None,
    ) -> bool:
        """Move a claimed action (claimed by ``claimed_by``, when given) to a final status, or back to
        pending until ``retry_at``, and audit it. False when the row was not in that claim: nothing changed."""
        try:
            status = Status(status)
        except ValueError:
            raise LedgerError(f"unknown outbox status {status!r}") from None
        if status not in FINAL_STATUSES | {Status.PENDING}:
            raise LedgerError(f"an action can't be finished as {status!r}")
        if (retry_at is not None) != (status == Status.PENDING):
            raise LedgerError("retry_at goes with status pending, and only with it")
        now = self.clock.now()
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(outbox.c.forum).where(outbox.c.key == key)).first()
            if row is None:
                return False
            held = sa.and_(outbox.c.key == key, outbox.c.status == Status.CLAIMED)
            if claimed_by is not None:
                held = sa.and_(held, outbox.c.claimed_by == claimed_by)
            changed = connection.execute(
                outbox.update()
                .where(held)
                .values(
                    status=status,
                    post_ref=post_ref,
                    last_error=error,
                    updated_at=now,
                    retry_at=retry_at,
                    sent_at=now if status == Status.SENT else None,
                    claimed_by=None if status == Status.PENDING else outbox.c.claimed_by,
                )
            ).rowcount
            if changed:
                self._audit(
                    connection,
                    row.forum,
                    f"action_{status}",
                    key,
                    {"post_ref": post_ref, "error": error, **(detail or {})},
                )
        return bool(changed)

    def actions(
        self, *, forum: str | None = None, statuses: Iterable[str] | None = None, kind: str | None = None
    ) -> list[OutboxRow]:
        query = sa.select(outbox).order_by(outbox.c.due_at, outbox.c.id)
        if forum is not None:
            query = query.where(outbox.c.forum == forum)
        if statuses is not None:
            query = query.where(outbox.c.status.in_([Status(s) for s in statuses]))
        if kind is not None:
            query = query.where(outbox.c.kind == kind)
        with self.engine.connect() as connection:
            return [OutboxRow.from_row(row) for row in connection.execute(query)]

    def action(self, key: str) -> OutboxRow | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(outbox).where(outbox.c.key == key)).first()
        return OutboxRow.from_row(row) if row else None

    def has_sent(self, forum: str) -> bool:
        """Whether this ledger has ever recorded a sent action for ``forum`` (False on a new or lost one)."""
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    sa.select(outbox.c.id)
                    .where(outbox.c.forum == forum, outbox.c.status == Status.SENT)
                    .limit(1)
                ).first()
                is not None
            )

    def next_due_at(self, forum: str | None = None) -> datetime | None:
        """When the next live action of ``forum`` (of every forum when None) can be dispatched."""
        query = (
            sa.select(outbox.c.due_at, outbox.c.retry_at, outbox.c.status, outbox.c.claimed_at)
            .where(outbox.c.status.in_(list(LIVE_STATUSES)))
            .order_by(outbox.c.due_at)
            .limit(200)
        )
        if forum is not None:
            query = query.where(outbox.c.forum == forum)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        times = []
        for row in rows:
            at = max(row.due_at, row.retry_at) if row.retry_at else row.due_at
            if row.status == Status.CLAIMED and row.claimed_at is not None:
                at = max(at, row.claimed_at + self.claim_lease)
            times.append(at)
        return min(times) if times else None


def _action_values(action: Action) -> dict[str, Any]:
    return {
        "key": action.key,
        "kind": action.kind,
        "forum": action.forum,
        "source": action.source,
        "target": action.target,
        "due_at": action.due_at,
        "expires_at": action.expires_at,
        "payload": json.loads(json.dumps(action.payload, default=str)),
    }
