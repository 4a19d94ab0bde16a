"""The events capability on the seam: per topic, the gatherings its posts announce (and the date polls'
winning times shared by the polls capability), each with its reminders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import ClassVar

from cotechbot.capabilities.base import Facts, Need, Plan, Trigger
from cotechbot.capabilities.events import EventRules, detect_events, plan_reminders
from cotechbot.messages import Renderer, inline, local_time
from cotechbot.models import EventFact
from cotechbot.settings import Settings


class EventsCapability:
    name: ClassVar[str] = "events"
    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.TOPICS})
    post_switches: ClassVar[Mapping[str, str]] = {  # kind → [events] switch
        "event_reminder": "reminders",
        "event_time_changed": "reminders",
    }

    def __init__(self, rules: EventRules) -> None:
        self.rules = rules

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer) -> EventsCapability:
        return cls(EventRules.from_settings(settings, render))

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        return ()

    def events(self, facts: Facts, now: datetime, notes: list[str] | None = None) -> list[EventFact]:
        """Upcoming events in the topics in scope: announced ones, then shared ones at a new moment."""
        found = detect_events(facts.all_posts(), dict(facts.topics), now, self.rules, notes)
        known = {(fact.topic_id, fact.start) for fact in found}
        shared = [fact for fact in facts.shared.get("events", ()) if (fact.topic_id, fact.start) not in known]
        return sorted(found + shared, key=lambda fact: (fact.start, fact.topic_id))

    def plan(self, facts: Facts, now: datetime) -> Plan:
        notes: list[str] = []
        events = self.events(facts, now, notes)
        return Plan(
            actions=tuple(plan_reminders(events, now, facts.forum, self.rules, facts.outbox)),
            replaces=frozenset(f"topic/{topic_id}" for topic_id in facts.topic_ids),
            events=tuple(events),
            notes=tuple(notes),
        )

    def describe(self, facts: Facts, now: datetime) -> str:
        events = self.events(facts, now)
        if not events:
            return "Upcoming events: none."
        lines = [f"Upcoming events ({len(events)}):"]
        for fact in events:
            note = " (the calendar plugin reminds its invitees)" if fact.has_plugin_reminders else ""
            lines.append(f"- {inline(fact.title, 80)}: {local_time(fact.start, self.rules.zone)}{note}")
        return "\n".join(lines)
