"""``cotechbot calendar``: the upcoming events the bot knows, as an iCalendar file members can subscribe to."""

from __future__ import annotations

import json
from datetime import datetime

import icalendar

from cotechbot import __version__
from cotechbot.capabilities.events import post_url
from cotechbot.capabilities.registry import build_capabilities
from cotechbot.facts import FactsReader
from cotechbot.ledger import Ledger
from cotechbot.models import EventFact, Topic
from cotechbot.planview import preview_plans, upcoming_events
from cotechbot.settings import Settings
from cotechbot.sync import PUBLIC_CATEGORIES


def events_calendar(facts: list[EventFact], *, forum: str, base_url: str, stamp: datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//cotechbot {__version__}//{forum}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{forum} events")
    for fact in facts:
        event = icalendar.Event()
        event.add("uid", f"topic-{fact.topic_id}-{fact.start:%Y%m%dT%H%M%SZ}@{forum}.cotechbot")
        event.add("dtstamp", stamp)
        event.add("dtstart", fact.start)
        if fact.end is not None:
            event.add("dtend", fact.end)
        event.add("summary", fact.title)
        link = post_url(base_url, fact.topic_id, fact.post_number)
        event.add("url", link)
        description = f"Announced at {link}"
        if fact.url:
            event.add("location", fact.url)
            description += f"\nJoin: {fact.url}"
        event.add("description", description)
        calendar.add_component(event)
    return calendar.to_ical()


def public_category_ids(ledger: Ledger, forum: str) -> frozenset[int]:
    """The categories the last sync found everyone may read (none before it has looked)."""
    stored = ledger.get_cursor(forum, PUBLIC_CATEGORIES)
    return frozenset(int(i) for i in json.loads(stored)) if stored else frozenset()


def readable_by_everyone(topic: Topic | None, public: frozenset[int]) -> bool:
    """A listed, regular topic in a category everyone may read: what a calendar anyone can fetch may show.
    The bot reads as an admin, so anything else (staff-only categories, unlisted topics, messages) is not."""
    return (
        topic is not None
        and topic.archetype == "regular"
        and topic.visible
        and topic.category_id is not None
        and topic.category_id in public
    )


def calendar_events(ledger: Ledger, settings: Settings, now: datetime) -> tuple[list[EventFact], str]:
    """The upcoming events to export, and the forum's base URL: only events of topics everyone can read,
    unless ``calendar_all_topics`` says to export every topic the bot knows."""
    facts = FactsReader(ledger, settings).read()
    events = upcoming_events(preview_plans(build_capabilities(settings), facts, ledger, now))
    if not settings.calendar_all_topics:
        public = public_category_ids(ledger, settings.forum_name)
        events = [e for e in events if readable_by_everyone(facts.topics.get(e.topic_id), public)]
    return events, facts.base_url


def upcoming_events_calendar(ledger: Ledger, settings: Settings, now: datetime) -> bytes:
    events, base_url = calendar_events(ledger, settings, now)
    return events_calendar(events, forum=settings.forum_name, base_url=base_url, stamp=now)
