"""Wiring: build the real objects (ledger, forum adapter, sync, worker) from settings. The only place that
knows which concrete classes make up a running bot; everything else receives them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cotechbot.clock import Clock
from cotechbot.errors import ConfigError
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.forum.port import Forum
from cotechbot.ledger import Ledger
from cotechbot.settings import Settings

if TYPE_CHECKING:
    from cotechbot.worker import Worker


def open_ledger(settings: Settings, clock: Clock) -> Ledger:
    return Ledger(settings.database_url, clock)


def open_forum(settings: Settings) -> DiscourseForum:
    if settings.discourse_url is None:
        raise ConfigError("COTECHBOT_DISCOURSE_URL is not set: the bot needs a forum to talk to")
    if settings.discourse_api_key is None:
        raise ConfigError("COTECHBOT_DISCOURSE_API_KEY is not set: create an admin API key in Discourse")
    return DiscourseForum(
        str(settings.discourse_url).rstrip("/"),
        settings.discourse_api_username,
        settings.discourse_api_key,
        name=settings.forum_name,
        timeout=settings.request_timeout_seconds,
        requests_per_minute=settings.requests_per_minute,
        max_inline_wait=settings.max_rate_limit_wait_seconds,
    )


def build_worker(
    settings: Settings, clock: Clock, *, forum: Forum | None = None, ledger: Ledger | None = None
) -> Worker:
    # Imported here so `cotechbot check` needs only the ledger and the adapter.
    from cotechbot.decision_sync import with_decision_sync
    from cotechbot.sync import DiscourseSync, SyncOptions
    from cotechbot.worker import Worker

    forum = forum or open_forum(settings)
    ledger = ledger or open_ledger(settings, clock)
    if settings.dry_run:
        # A dry run works on a private copy: whatever it plans, cancels or moves (at a pretend --now too),
        # the real ledger stays exactly as it was.
        ledger = ledger.rehearsal_copy()
    syncer = DiscourseSync(forum, ledger, clock, SyncOptions.from_settings(settings))
    syncer = with_decision_sync(syncer, settings, ledger, clock, forum)  # Loomio and the decision log
    return Worker(settings, forum, ledger, clock, syncer, dry_run=settings.dry_run)
