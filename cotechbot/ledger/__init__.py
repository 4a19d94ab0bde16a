"""The ledger: cotechbot's durable state (see ``cotechbot.ledger.store``).

``from cotechbot.ledger import Ledger`` is the way in; the parts live in ``schema``, ``state``, ``mirror``,
``outbox``, ``audit`` and ``lock``.
"""

from cotechbot.actions import Action, PlanOutcome, Status
from cotechbot.ledger import decision_tables  # noqa: F401 - registers the decision log's tables
from cotechbot.ledger.lock import Leadership, LedgerLost
from cotechbot.ledger.mirror import SyncDelta
from cotechbot.ledger.outbox import OutboxRow
from cotechbot.ledger.schema import content_hash, metadata, normalise_database_url
from cotechbot.ledger.store import Ledger

# Outbox statuses (``cotechbot.actions.Status``), under the names the ledger's callers use.
PENDING, CLAIMED, SENT, CANCELLED, SKIPPED, FAILED = (
    Status.PENDING,
    Status.CLAIMED,
    Status.SENT,
    Status.CANCELLED,
    Status.SKIPPED,
    Status.FAILED,
)

__all__ = [
    "CANCELLED",
    "CLAIMED",
    "FAILED",
    "PENDING",
    "SENT",
    "SKIPPED",
    "Action",
    "Leadership",
    "Ledger",
    "LedgerLost",
    "OutboxRow",
    "PlanOutcome",
    "Status",
    "SyncDelta",
    "content_hash",
    "metadata",
    "normalise_database_url",
]
