"""``cotechbot calendar``: the upcoming events the bot knows, as an iCalendar file members can subscribe to."""

from __future__ import annotations

from datetime import datetime

import icalendar

from cotechbot import __version__
from cotechbot.capabilities.events import post_url
from cotechbot.capabilities.registry import build_capabilities
from cotechbot.facts import FactsReader
from cotechbot.ledger import Ledger
from cotechbot.models import EventFact
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


def upcoming_events_calendar(ledger: Ledger, settings: Settings, now: datetime) -> bytes:
    facts = FactsReader(ledger, settings).read()
    events = upcoming_events(preview_plans(build_capabilities(settings), facts, ledger, now))
    return events_calendar(events, forum=settings.forum_name, base_url=facts.base_url, stamp=now)
