"""The weekly digest on the seam: once per cycle over the whole mirror (trigger SCHEDULE), one topic (or a
private message to a group) per ISO week, at the configured local moment or as soon after it as the bot
runs that week.

The digest reads the mirror and what earlier capabilities shared (decisions, pending membership requests);
the upcoming events come from the topic capabilities' own plans (``Plan.events``), run here purely over
each topic, so a date poll's winning time is listed exactly as the events capability would remind it. It
needs nothing from the network: a digest cycle costs one request more than an idle one, the post itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar

from cotechbot.actions import Status
from cotechbot.capabilities.base import SHARED_EVENTS, Capability, Facts, Need, Plan, Trigger
from cotechbot.capabilities.digest import (
    DigestContent,
    DigestRules,
    Week,
    digest_action,
    digest_key,
    digest_source,
    gather,
    render_digest,
    week_of,
)
from cotechbot.capabilities.events.capability import EventsCapability
from cotechbot.capabilities.polls.capability import PollsCapability
from cotechbot.messages import Renderer, local_time
from cotechbot.models import EventFact
from cotechbot.settings import Settings


class DigestCapability:
    name: ClassVar[str] = "digest"
    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.SCHEDULE})

    def __init__(
        self, rules: DigestRules, render: Renderer, event_sources: Sequence[Capability] = ()
    ) -> None:
        self.rules = rules
        self.render = render
        # Topic capabilities whose ``Plan.events`` are the upcoming events, in registry order.
        self.event_sources = tuple(event_sources)

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer) -> DigestCapability:
        return cls(
            DigestRules.from_settings(settings),
            render,
            (
                PollsCapability.from_settings(settings, render),
                EventsCapability.from_settings(settings, render),
            ),
        )

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        return ()

    # -- reading ------------------------------------------------------------------------------------
    def upcoming_events(self, facts: Facts, now: datetime) -> list[EventFact]:
        """Every topic planned by the event sources as the worker would (each sees what the ones before it
        shared), keeping the events of their plans; a topic whose planning fails is left out."""
        found: list[EventFact] = list(facts.shared.get(SHARED_EVENTS, ()))
        for topic_id in facts.topic_ids:
            shared: dict[str, tuple[Any, ...]] = {}
            try:
                for source in self.event_sources:
                    plan = source.plan(
                        facts.narrowed(topic_ids=(topic_id,), state={}, shared=dict(shared)), now
                    )
                    found.extend(plan.events)
                    for name, values in plan.shares.items():
                        shared[name] = shared.get(name, ()) + tuple(values)
            except Exception:  # the worker logs a topic that fails to plan; the digest goes on without it
                continue
        return found

    def content(self, facts: Facts, now: datetime, week: Week | None = None) -> DigestContent:
        week = week or week_of(now, self.rules.zone)
        return gather(facts, self.upcoming_events(facts, now), now, week, self.rules)

    def markdown(self, facts: Facts, now: datetime, week: Week | None = None) -> str:
        """The digest text as it would be posted (``cotechbot digest``)."""
        week = week or week_of(now, self.rules.zone)
        content = self.content(facts, now, week)
        return render_digest(content, self.rules, self.render, digest_key(facts.forum, week))

    # -- planning -----------------------------------------------------------------------------------
    def plan(self, facts: Facts, now: datetime) -> Plan:
        if not self.rules.configured:
            return Plan()
        week = week_of(now, self.rules.zone)
        due = week.due(self.rules)
        if now < due:
            return Plan(wake_at=frozenset({due}))
        later = frozenset({week.next().due(self.rules)})
        key = digest_key(facts.forum, week)
        if any(row.key == key and row.status != Status.PENDING for row in facts.outbox):
            return Plan(wake_at=later)  # claimed or sent: this week's digest is done
        content = self.content(facts, now, week)
        if content.empty and self.rules.skip_empty:
            return Plan(replaces=frozenset({digest_source(week)}), wake_at=later)
        action = digest_action(facts.forum, week, content, self.rules, self.render)
        return Plan(actions=(action,), replaces=frozenset({action.source}), wake_at=later)

    def describe(self, facts: Facts, now: datetime) -> str:
        if not self.rules.configured:
            return "Weekly digest: off (set COTECHBOT_DIGEST_CATEGORY_ID or COTECHBOT_DIGEST_GROUP)."
        week = week_of(now, self.rules.zone)
        due = week.due(self.rules)
        key = digest_key(facts.forum, week)
        row = next((row for row in facts.outbox if row.key == key), None)
        where = f"to {self.rules.group}" if self.rules.group else f"in category {self.rules.category_id}"
        if row is not None and row.status == Status.SENT:
            state = "posted"
        elif now < due:
            state = f"due {local_time(due, self.rules.zone, with_utc=False)}"
        else:
            state = "due now"
        return f"Weekly digest {week.label} {where}: {state}."
