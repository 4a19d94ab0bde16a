"""``cotechbot digest``: the weekly digest the bot would post for a week, read from the ledger, posting
nothing and reading nothing from the network."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import structlog

from cotechbot.capabilities.base import Facts, Trigger
from cotechbot.capabilities.digest import DigestRules, digest_title, parse_week, week_of
from cotechbot.capabilities.digest.capability import DigestCapability
from cotechbot.capabilities.registry import build_capabilities, renderer_for
from cotechbot.facts import FactsReader
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings
from cotechbot.stored_facts import stored_need_readers

log = structlog.get_logger(__name__)


def with_stored_needs(
    facts: Facts, capability: Any, ledger: Ledger, settings: Settings, now: datetime
) -> Facts:
    """``facts`` with the needs the ledger can answer (the decision log); the network ones stay unanswered."""
    readers = stored_need_readers(ledger, settings)
    extra = dict(facts.extra)
    for need in capability.needs(facts, now):
        if need.kind in readers:
            extra.update(readers[need.kind](need, facts, now))
    return facts.narrowed(extra=extra)


def preview_digest(
    settings: Settings, ledger: Ledger, *, week: str | None = None, now: datetime | None = None
) -> str:
    """The title and markdown of the digest for ``week`` (default: the week of ``now``) as of ``now``
    (default: that week's digest moment, or the current time when no week is named)."""
    rules = DigestRules.from_settings(settings)
    chosen = parse_week(week, rules.zone) if week else None
    if now is None:
        now = chosen.due(rules) if chosen is not None else datetime.now(UTC)
    chosen = chosen or week_of(now, rules.zone)
    facts = FactsReader(ledger, settings).read()
    shared: dict[str, tuple[Any, ...]] = {}
    render = renderer_for(settings)
    # What the capabilities planned once per cycle share (decisions, pending requests), as the worker would
    # hand it to the digest; without the network, a capability that needs it shares what it can or nothing.
    for capability in build_capabilities(settings, render):
        if Trigger.TOPICS in capability.triggers or capability.name == DigestCapability.name:
            continue
        try:
            state = ledger.state_items(facts.forum, capability.name)
            own = facts.narrowed(state=state, shared=dict(shared))
            plan = capability.plan(with_stored_needs(own, capability, ledger, settings, now), now)
        except Exception:
            log.warning("a capability could not be previewed for the digest", capability=capability.name)
            continue
        for name, values in plan.shares.items():
            shared[name] = shared.get(name, ()) + tuple(values)
    digest = DigestCapability.from_settings(settings, render)
    text = digest.markdown(facts.narrowed(shared=shared), now, chosen)
    return f"{digest_title(rules, chosen)}\n\n{text}"
