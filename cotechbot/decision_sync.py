"""The decision log's shell: read Loomio in the sync stage, file decisions into the ledger, and hand the
capability what it plans from.

Each cycle, after the Discourse sync (and even when that failed):

1. **Loomio** (when ``[loomio]`` is configured): each watched group's ``status=active`` list (all pages) and
   the first page of ``status=closed``; a stored poll that left the active list without showing up as closed
   is read on its own (a 403/404 then means discarded or hidden), and so is a closed one still awaiting its
   outcome (for ``outcome_watch_days``). Drafts are never stored. The snapshots go to ``loomio_poll``. When
   Loomio is down or refuses the key, one clear line is logged per outage (the start, and the recovery) and
   the rest carries on from the stored snapshots.
2. **Filing**: the pure ``reconcile`` of ``cotechbot.capabilities.decisions`` over the mirrored decision
   topics and the Loomio snapshots; the store writes the new revisions.

The capability's ``Need("decision_log")`` is answered by :class:`DecisionFacts` from the ledger alone.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
import structlog

from cotechbot.actions import Status
from cotechbot.capabilities.base import Facts, Need
from cotechbot.capabilities.decisions import forum_filings, loomio_filings, reconcile
from cotechbot.capabilities.decisions.capability import (
    DECISION_LOG_NEED,
    EXTRA_LOG,
    EXTRA_LOOMIO_POLLS,
    EXTRA_POSTED,
    POSTED_KINDS,
)
from cotechbot.clock import Clock
from cotechbot.decision_log import DecisionLogStore
from cotechbot.errors import ForumAuthError, ForumError, ForumNotFound
from cotechbot.facts import ignored_authors
from cotechbot.forum.loomio import LoomioClient
from cotechbot.ledger import Ledger
from cotechbot.ledger.schema import audit
from cotechbot.loomio_models import LoomioPoll
from cotechbot.settings import Settings

log = structlog.get_logger(__name__)
OUTAGE_CURSOR = "loomio.outage"
FILED_CURSOR = "decisions.filed_once"
GONE_CURSOR = "decisions.gone_topic_ids"
TAGS_CHECKED_CURSOR = "decisions.tags_checked_at"


def open_loomio(settings: Settings) -> LoomioClient | None:
    loomio = settings.loomio
    if not loomio.configured or loomio.url is None or loomio.api_key is None:
        return None
    return LoomioClient(
        str(loomio.url),
        loomio.api_key,
        legacy_api_key_param=loomio.legacy_api_key_param,
        timeout=loomio.timeout_seconds,
    )


class LoomioWatcher:
    """Diffs the watched groups' poll lists against the stored snapshots (Loomio has no change feed)."""

    def __init__(
        self, client: LoomioClient, settings: Settings, store: DecisionLogStore, ledger: Ledger, clock: Clock
    ) -> None:
        self.client = client
        self.group_ids = tuple(settings.loomio.group_ids)
        self.outcome_watch = settings.loomio.outcome_watch
        self.store = store
        self.ledger = ledger
        self.clock = clock

    def refresh(self) -> bool:
        """Read and store; False (after logging once per outage) when Loomio could not be read."""
        try:
            polls = self._read()
        except ForumError as error:
            self._outage(error)
            return False
        self.store.save_loomio_polls(polls, self.clock.now())
        if self.ledger.get_cursor(self.store.forum, OUTAGE_CURSOR):
            log.info("loomio reachable again", loomio=self.client.base_url)
            self.ledger.set_cursor(self.store.forum, OUTAGE_CURSOR, "")
        return True

    def _read(self) -> list[LoomioPoll]:
        now = self.clock.now()
        seen: dict[int, LoomioPoll] = {}
        for group_id in self.group_ids:
            for poll in self.client.polls(group_id, "active"):
                seen[poll.id] = poll
            for poll in self.client.poll_page(group_id, "closed").polls:
                seen[poll.id] = poll
        for old in self.store.loomio_polls():
            if old.id in seen or old.group_id not in self.group_ids or old.discarded_at is not None:
                continue
            vanished = old.closed_at is None
            awaiting = (
                old.closed_at is not None and old.outcome is None and now - old.closed_at < self.outcome_watch
            )
            if not (vanished or awaiting):
                continue
            try:
                seen[old.id] = self.client.poll(old.id)
            except (ForumAuthError, ForumNotFound):
                # Discarded, or no longer visible to the bot: its entry is withdrawn, its reminders dropped.
                seen[old.id] = old.model_copy(update={"discarded_at": now})
        return [poll for poll in seen.values() if not poll.draft]

    def _outage(self, error: ForumError) -> None:
        if self.ledger.get_cursor(self.store.forum, OUTAGE_CURSOR):
            log.debug("loomio still unreachable", error=str(error))
            return
        self.ledger.set_cursor(self.store.forum, OUTAGE_CURSOR, self.clock.now().isoformat())
        log.error(
            "loomio unreachable; decisions from the forum carry on, Loomio is read again next cycle",
            loomio=self.client.base_url,
            status=error.status,
            error=str(error),
        )


class DecisionFiler:
    """Files decisions from the mirror and the Loomio snapshots into the log."""

    def __init__(self, ledger: Ledger, settings: Settings, clock: Clock) -> None:
        self.ledger = ledger
        self.settings = settings
        self.clock = clock
        self.forum = settings.forum_name
        self.store = DecisionLogStore(ledger, self.forum)
        self.ignored = ignored_authors(settings)

    def tagged_topics(self) -> list[Any]:
        """Mirrored topics carrying a decision tag (as the mirror last saw them)."""
        wanted = {tag.lower() for tag in self.settings.decision_tags}
        return [t for t in self.ledger.mirrored_topics(self.forum) if wanted & {x.lower() for x in t.tags}]

    def file(self, gone: Collection[int] = ()) -> int:
        """Write what changed; the number of entries written. ``gone``: topics the forum no longer lists
        under a decision tag although the mirror still has them tagged (untagged or deleted)."""
        now = self.clock.now()
        topics = [t for t in self.tagged_topics() if t.id not in gone]
        posts: dict[int, list[Any]] = {}
        if topics:
            for post in self.ledger.mirrored_posts(self.forum, topic_ids=[t.id for t in topics]):
                if post.username.lower() not in self.ignored:
                    posts.setdefault(post.topic_id, []).append(post)
        base_url = str(self.settings.discourse_url or "").rstrip("/")
        filings = forum_filings(topics, posts, self.settings.decision_tags, base_url)
        sources = ["discourse"]
        if self.settings.loomio.configured:
            filings.update(loomio_filings(self.store.loomio_polls()))
            sources.append("loomio")
        first_sync = not self.ledger.get_cursor(self.forum, FILED_CURSOR)
        changed = reconcile(self.store.entries(), filings, now, first_sync=first_sync, sources=sources)
        self.store.write(changed, now)
        if first_sync:
            self.ledger.set_cursor(self.forum, FILED_CURSOR, now.isoformat())
        for entry in changed:
            log.info(
                "decision filed", decision_id=entry.decision_id, status=entry.status, revision=entry.revision
            )
        return len(changed)


class DecisionsSync:
    """A syncer that runs the Discourse sync, then reads Loomio and files decisions (whatever the first did)."""

    def __init__(
        self, inner: Any, filer: DecisionFiler, watcher: LoomioWatcher | None, forum: Any = None
    ) -> None:
        self.inner = inner
        self.filer = filer
        self.watcher = watcher
        self.forum = forum  # lists topics by tag (``topics_tagged``), when the adapter can

    def run_cycle(self, watched_topic_ids: Iterable[int] = ()) -> object:
        try:
            return self.inner.run_cycle(watched_topic_ids=watched_topic_ids)
        finally:
            self.run_decisions()

    def run_decisions(self) -> None:
        try:
            if self.watcher is not None:
                self.watcher.refresh()
            self.filer.file(self.gone_topic_ids())
        except Exception:  # the decision log never stops a cycle; the next one files what this one missed
            log.exception("filing decisions failed; the rest of the cycle carries on")

    def gone_topic_ids(self) -> set[int]:
        """Decision topics the forum no longer lists under a decision tag (untagged or deleted: neither bumps
        a topic, so the sync does not notice). Checked by listing each tag every ``edit_check_interval``
        (one request per tag); the answer is kept in the ledger in between."""
        filer = self.filer
        forum, ledger, now = filer.forum, filer.ledger, filer.clock.now()
        stored = ledger.get_cursor(forum, GONE_CURSOR)
        gone = {int(i) for i in json.loads(stored)} if stored else set()
        lister = getattr(self.forum, "topics_tagged", None)
        checked = ledger.get_cursor(forum, TAGS_CHECKED_CURSOR)
        interval = timedelta(minutes=filer.settings.edit_check_interval_minutes)
        if lister is None or (checked and now - datetime.fromisoformat(checked) < interval):
            return gone
        try:
            listed = {t.id for tag in filer.settings.decision_tags for t in lister(tag)}
        except ForumError as error:
            log.warning("listing decision topics failed; tried again next cycle", error=str(error))
            return gone
        gone = {t.id for t in filer.tagged_topics()} - listed
        ledger.set_cursor(forum, GONE_CURSOR, json.dumps(sorted(gone)))
        ledger.set_cursor(forum, TAGS_CHECKED_CURSOR, now.isoformat())
        return gone

    def __getattr__(self, name: str) -> Any:  # the inner syncer's report helpers, counters…
        return getattr(self.inner, name)


def with_decision_sync(
    syncer: Any, settings: Settings, ledger: Ledger, clock: Clock, forum: Any = None
) -> Any:
    """``syncer`` followed by the decision log's own sync stage when the capability is on."""
    if not settings.decisions.enabled:
        return syncer
    store = DecisionLogStore(ledger, settings.forum_name)
    client = open_loomio(settings)
    watcher = LoomioWatcher(client, settings, store, ledger, clock) if client is not None else None
    return DecisionsSync(syncer, DecisionFiler(ledger, settings, clock), watcher, forum)


class DecisionFacts:
    """Answers ``Need("decision_log")`` from the ledger: the log, the Loomio snapshots, and the bot's own
    posts the capability keeps editing or replying under (post and topic ids of its sent actions)."""

    def __init__(self, ledger: Ledger, settings: Settings) -> None:
        self.ledger = ledger
        self.forum = settings.forum_name
        self.store = DecisionLogStore(ledger, self.forum)

    def read(self, need: Need, facts: Facts, now: datetime) -> Mapping[str, Any]:
        return {
            EXTRA_LOG: tuple(self.store.entries().values()),
            EXTRA_LOOMIO_POLLS: tuple(self.store.loomio_polls()),
            EXTRA_POSTED: self.posted(),
        }

    def posted(self) -> dict[str, tuple[int | None, int | None]]:
        rows = [
            row
            for kind in sorted(POSTED_KINDS)
            for row in self.ledger.actions(forum=self.forum, statuses=[Status.SENT], kind=kind)
        ]
        keys = [row.key for row in rows]
        topics: dict[str, int] = {}
        if keys:
            query = sa.select(audit.c.action_key, audit.c.detail).where(
                audit.c.action_key.in_(keys), audit.c.event == "action_sent"
            )
            with self.ledger.engine.connect() as connection:
                for key, detail in connection.execute(query):
                    if isinstance(detail, dict) and isinstance(detail.get("topic_id"), int):
                        topics[key] = detail["topic_id"]
        found: dict[str, tuple[int | None, int | None]] = {}
        for row in rows:
            ref = row.post_ref or ""
            post_id = int(ref.split("/", 1)[1]) if ref.startswith("post/") else None
            found[row.key] = (post_id, topics.get(row.key))
        return found


def decision_need_readers(ledger: Ledger, settings: Settings) -> dict[str, Any]:
    return {DECISION_LOG_NEED: DecisionFacts(ledger, settings).read}


def check_loomio(settings: Settings) -> int:
    """``cotechbot check``'s Loomio line: nothing when Loomio is not configured, else ok or one actionable
    failure (a rotated key names the setting to fix); the exit code."""
    import sys

    client = open_loomio(settings)
    if client is None:
        return 0
    try:
        print(f"loomio: ok ({client.check(tuple(settings.loomio.group_ids))})")
    except ForumError as error:
        print(f"loomio: FAILED — {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0
