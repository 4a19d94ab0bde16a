"""Building the HTTP face from a running worker: the only module here that knows the ledger's exports."""

from __future__ import annotations

import hashlib
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

WEBHOOK_NAMESPACE = "webhooks"
REMEMBERED_DELIVERIES = 1000
REMEMBER_DELIVERIES_FOR = timedelta(days=1)


def first_delivery(ledger: Ledger, forum: str, delivery: str) -> bool:
    """Record a webhook's ``X-Discourse-Event-Id``; False when any replica sharing the ledger has seen it."""
    key = delivery if len(delivery) <= 100 else "sha256:" + hashlib.sha256(delivery.encode()).hexdigest()
    return ledger.remember_once(
        forum, WEBHOOK_NAMESPACE, key, keep=REMEMBERED_DELIVERIES, max_age=REMEMBER_DELIVERIES_FOR
    )


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
            first_delivery=lambda delivery: first_delivery(ledger, forum, delivery),
            health=lambda: check_health(ledger, forum, clock.now(), interval, leading()),
            metrics=metrics.render,
            calendar=lambda: calendar_feed(ledger, settings, clock),
            decisions=decisions or _decisions_route(ledger, settings),
        )
    )
