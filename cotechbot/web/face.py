"""Building the HTTP face from a running worker: the only module here that knows the ledger's exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from cotechbot.calendar import calendar_events, events_calendar
from cotechbot.clock import Clock
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings
from cotechbot.web.app import Feed, HttpFace, Routes
from cotechbot.web.health import check_health
from cotechbot.web.metrics import Metrics
from cotechbot.worker import SYNC_SUCCEEDED_AT


def last_sync(ledger: Ledger, forum: str) -> datetime | None:
    text = ledger.get_cursor(forum, SYNC_SUCCEEDED_AT)
    return datetime.fromisoformat(text) if text else None


def calendar_feed(ledger: Ledger, settings: Settings, clock: Clock) -> Feed:
    """Upcoming events everyone may read, stamped with the last sync so the bytes (and the ETag) only change
    when the events do."""
    now = clock.now()
    stamp = last_sync(ledger, settings.forum_name) or now
    events, base_url = calendar_events(ledger, settings, now)
    body = events_calendar(events, forum=settings.forum_name, base_url=base_url, stamp=stamp)
    return Feed(body, stamp)


def decisions_feed(ledger: Ledger, settings: Settings, fmt: str) -> Feed:
    """The decision log export, the same bytes as ``cotechbot decisions --format`` (its ETag changes only
    when the log does)."""
    from cotechbot.decisions_cli import decisions_text

    body = decisions_text(ledger, settings, fmt).encode()
    return Feed(body, None)


def _decisions_route(ledger: Ledger, settings: Settings) -> Callable[[str], Feed] | None:
    if not settings.decisions.enabled:
        return None
    return lambda fmt: decisions_feed(ledger, settings, fmt)


def build_face(
    *,
    settings: Settings,
    ledger: Ledger,
    clock: Clock,
    metrics: Metrics,
    request_cycle: Callable[[], None],
    leading: Callable[[], bool | None],
    decisions: Callable[[str], Feed] | None = None,
) -> HttpFace:
    secret = settings.webhook_secret.get_secret_value().encode() if settings.webhook_secret else None
    forum = settings.forum_name
    interval = timedelta(minutes=settings.sync_interval_minutes)
    return HttpFace(
        Routes(
            webhook_secret=secret,
            request_cycle=request_cycle,
            health=lambda: check_health(ledger, forum, clock.now(), interval, leading()),
            metrics=metrics.render,
            calendar=lambda: calendar_feed(ledger, settings, clock),
            decisions=decisions or _decisions_route(ledger, settings),
        )
    )
