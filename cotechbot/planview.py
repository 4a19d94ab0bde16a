"""What ``cotechbot plan``, ``calendar`` and the demo show: the outbox as a table a person can read, each
capability's own account of what it sees, and a network-free preview of every capability's plan."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


# The bot's own bookkeeping inside a message (the crash-recovery marker): for machines, not for people.
HTML_COMMENT = re.compile(r"\n*<!--.*?-->\n*", re.DOTALL)


def readable_text(raw: str) -> str:
    """A message as a reader sees it: without the markers the bot hides in HTML comments."""
    return HTML_COMMENT.sub("\n", raw).strip()


def describe_post(when: str, operation: str, arguments: Mapping[str, Any], titles: Mapping[int, str]) -> str:
    """One message the bot posts (or would post), for a person: when, where, and the text."""
    topic_id = arguments.get("topic_id")
    if operation in ("create_reply", "reply") and topic_id is not None:
        where = f"a reply in “{titles.get(int(topic_id), f'topic {topic_id}')}”"
    elif operation in ("create_topic",):
        where = f"a new topic “{arguments.get('title', '')}”"
    elif operation in ("create_private_message", "private_message"):
        recipients = arguments.get("recipients", arguments.get("target_recipients", ()))
        if isinstance(recipients, str):
            recipients = recipients.split(",")
        where = f"a private message to {', '.join(recipients)}: “{arguments.get('title', '')}”"
    elif operation == "edit_post":
        where = f"an edit of its post {arguments.get('post_id')}"
    elif operation == "handle_membership_request":
        verb = "accept" if arguments.get("accept") else "decline"
        return f"── {when} · {verb} a membership request ──"
    else:
        where = operation.replace("_", " ")
    text = readable_text(str(arguments.get("raw", "")))
    return f"── {when} · {where} ──\n{text}\n"


def describe_plan(
    rows: Sequence[OutboxRow], *, zone: str, now: datetime, titles: Mapping[int, str] | None = None
) -> str:
    """The outbox as a table; with ``titles`` (topic id → title) targets are named by their topic's title."""
    if not rows:
        return "Nothing planned."
    tz = ZoneInfo(zone)
    cells = [
        (
            f"{row.due_at.astimezone(tz):%a %d %b %Y %H:%M %Z}" + (" (due)" if row.due_at <= now else ""),
            row.kind.replace("_", " "),
            _where(row.target, titles or {}),
            first_line(str(row.payload.get("raw", ""))),
        )
        for row in rows
    ]
    header = (f"when ({zone})", "what", "where", "text")
    widths = [max(len(header[i]), *(len(_clip(c[i])) for c in cells)) for i in range(3)]
    lines = [
        "  ".join(_clip(value).ljust(width) for value, width in zip(line[:3], widths, strict=True))
        + f"  {line[3]}"
        for line in (header, *cells)
    ]
    return "\n".join(line.rstrip() for line in lines)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(target: str, titles: Mapping[int, str]) -> str:
    prefix, _, number = target.partition("/")
    if prefix == "topic" and number.isdigit() and int(number) in titles:
        return f"“{titles[int(number)]}”"
    return target


def topic_titles(ledger: Ledger, forum: str) -> dict[int, str]:
    return {topic.id: topic.title for topic in ledger.mirrored_topics(forum)}


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
