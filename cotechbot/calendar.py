"""``cotechbot calendar``: the upcoming events the bot knows, as an iCalendar file members can subscribe to."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
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


def readable_by_everyone(
    events: Iterable[EventFact], topics: Mapping[int, Topic], hidden_category_ids: Collection[int]
) -> list[EventFact]:
    """The events whose topic anyone may read: the feed is public, but the bot reads the forum as staff.

    A topic qualifies when the mirror knows it, it is a listed regular topic (no private message, nothing
    unlisted), and its category is not one the settings name as not for everyone
    (``digest.hidden_category_ids``). An unknown topic is left out rather than guessed at.
    """
    hidden = frozenset(hidden_category_ids)
    kept = []
    for event in events:
        topic = topics.get(event.topic_id)
        if (
            topic is not None
            and topic.archetype == "regular"
            and topic.visible
            and topic.category_id not in hidden
        ):
            kept.append(event)
    return kept


def public_events(ledger: Ledger, settings: Settings, now: datetime) -> tuple[list[EventFact], str]:
    """Upcoming events everyone may read, soonest first, and the forum's base URL to link them."""
    facts = FactsReader(ledger, settings).read()
    events = upcoming_events(preview_plans(build_capabilities(settings), facts, ledger, now))
    return readable_by_everyone(events, facts.topics, settings.digest.hidden_category_ids), facts.base_url


def upcoming_events_calendar(ledger: Ledger, settings: Settings, now: datetime) -> bytes:
    events, base_url = public_events(ledger, settings, now)
    return events_calendar(events, forum=settings.forum_name, base_url=base_url, stamp=now)
