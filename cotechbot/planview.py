"""What ``cotechbot plan``, ``calendar`` and the demo show: the outbox as a table a person can read, each
capability's own account of what it sees, and a network-free preview of every capability's plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from cotechbot.capabilities.base import Capability, Facts, Plan, Trigger
from cotechbot.ledger import Ledger, OutboxRow
from cotechbot.models import EventFact

log = structlog.get_logger(__name__)


def first_line(raw: str, limit: int = 70) -> str:
    for line in raw.splitlines():
        line = line.strip()
        if line and not line.startswith("<!--"):
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def describe_plan(rows: Sequence[OutboxRow], *, zone: str, now: datetime) -> str:
    if not rows:
        return "Nothing planned."
    tz = ZoneInfo(zone)
    lines = [f"{'when (' + zone + ')':<26} {'kind':<16} {'target':<14} text"]
    for row in rows:
        when = row.due_at.astimezone(tz)
        overdue = " (due)" if row.due_at <= now else ""
        lines.append(
            f"{when:%a %d %b %Y %H:%M %Z}{overdue:<6} {row.kind:<16} {row.target:<14} "
            f"{first_line(str(row.payload.get('raw', '')))}"
        )
    return "\n".join(lines)


def with_states(facts: Facts, capability: Capability, ledger: Ledger) -> Facts:
    return facts.narrowed(state=ledger.state_items(facts.forum, capability.name))


def describe_capabilities(
    capabilities: Sequence[Capability], facts: Facts, ledger: Ledger, now: datetime
) -> str:
    """Each capability's section of ``cotechbot plan``, in registry order."""
    sections = []
    for capability in capabilities:
        try:
            sections.append(capability.describe(with_states(facts, capability, ledger), now))
        except Exception:
            log.exception("describing a capability failed", capability=capability.name)
            sections.append(f"{capability.name}: could not be described (see the log)")
    return "\n\n".join(section for section in sections if section)


def preview_plans(
    capabilities: Sequence[Capability], facts: Facts, ledger: Ledger, now: datetime
) -> list[tuple[Capability, Plan]]:
    """Every capability's plan as of ``now`` without reading the network: topic capabilities per topic, in
    registry order with what earlier ones shared, then the others once. A failing topic is logged and left out."""
    states = {c.name: ledger.state_items(facts.forum, c.name) for c in capabilities}
    plans: list[tuple[Capability, Plan]] = []
    topic_capabilities = [c for c in capabilities if Trigger.TOPICS in c.triggers]
    for topic_id in facts.topic_ids:
        shared: dict[str, tuple[Any, ...]] = {}
        topic_plans = []
        try:
            for capability in topic_capabilities:
                plan = capability.plan(
                    facts.narrowed(topic_ids=(topic_id,), state=states[capability.name], shared=dict(shared)),
                    now,
                )
                topic_plans.append((capability, plan))
                for name, values in plan.shares.items():
                    shared[name] = shared.get(name, ()) + tuple(values)
        except Exception:
            log.exception("previewing a topic failed", topic_id=topic_id)
            continue
        plans.extend(topic_plans)
    for capability in capabilities:
        if Trigger.TOPICS in capability.triggers:
            continue
        try:
            plans.append((capability, capability.plan(facts.narrowed(state=states[capability.name]), now)))
        except Exception:
            log.exception("previewing a capability failed", capability=capability.name)
    return plans


def upcoming_events(plans: Sequence[tuple[Capability, Plan]]) -> list[EventFact]:
    """The events the plans know, once each (by topic and start), soonest first."""
    events: dict[tuple[int, datetime], EventFact] = {}
    for _capability, plan in plans:
        for event in plan.events:
            events.setdefault((event.topic_id, event.start), event)
    return sorted(events.values(), key=lambda e: (e.start, e.topic_id))
