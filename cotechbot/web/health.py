"""``GET /healthz``: is the bot keeping up? Read from the ledger, so every replica gives the same answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cotechbot.actions import Status
from cotechbot.ledger import Ledger
from cotechbot.worker import SYNC_SUCCEEDED_AT

STALE_AFTER_INTERVALS = 3


@dataclass(frozen=True)
class Health:
    healthy: bool
    body: dict[str, Any]

    @property
    def status_code(self) -> int:
        return 200 if self.healthy else 503


def check_health(
    ledger: Ledger, forum: str, now: datetime, sync_interval: timedelta, leading: bool | None
) -> Health:
    """Healthy while the last successful sync is younger than three sync intervals, whoever ran it: a standby
    (``leading`` False) is healthy while the leader keeps syncing the ledger they share."""
    text = ledger.get_cursor(forum, SYNC_SUCCEEDED_AT)
    last = datetime.fromisoformat(text) if text else None
    age = (now - last).total_seconds() if last else None
    pending = len(ledger.actions(forum=forum, statuses=[Status.PENDING, Status.CLAIMED]))
    healthy = age is not None and age <= (STALE_AFTER_INTERVALS * sync_interval).total_seconds()
    return Health(
        healthy,
        {
            "status": "ok" if healthy else "stale",
            "forum": forum,
            "last_successful_sync": last.isoformat() if last else None,
            "sync_age_seconds": round(age, 1) if age is not None else None,
            "stale_after_seconds": (STALE_AFTER_INTERVALS * sync_interval).total_seconds(),
            "pending_actions": pending,
            "leader": leading,
        },
    )
