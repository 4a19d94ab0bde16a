"""Needs answered from the ledger rather than the forum, by kind: the registry of ``ExtraReader``s the worker
hands to ``NeedsReader``. A capability whose source is read in the sync stage (Loomio) plans from what that
stage stored, so its plan is the same whether or not the source answered this cycle."""

from __future__ import annotations

from collections.abc import Mapping

from cotechbot.decision_sync import decision_need_readers
from cotechbot.facts import ExtraReader
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings


def stored_need_readers(ledger: Ledger, settings: Settings) -> Mapping[str, ExtraReader]:
    return {**decision_need_readers(ledger, settings)}
