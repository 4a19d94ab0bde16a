"""Dispatch: carry out the outbox actions that are due, exactly once.

The sequence for each due action, under the leader lock:
1. claim it in the ledger (``pending`` → ``claimed``, attempts + 1, committed);
2. if it has been claimed before (``attempts > 1``) a previous dispatcher may have posted and died before
   step 4, so look in the target topic for our own post carrying the action's key; if it is there, record it;
3. otherwise perform it on the forum (the text carries the key in an HTML comment);
4. mark it sent, with the post it made, and write the audit row, in one transaction.

A crash between any two steps leaves either a pending/claimed row (retried, with the check of step 2) or a
sent one. An action past its ``expires_at`` is skipped, not posted late. Transient forum errors put the
action back to pending with a back-off; permanent ones fail it with the forum's reason, and the rest of the
batch carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog

from cotechbot.clock import Clock
from cotechbot.errors import ForumError
from cotechbot.forum.port import Forum
from cotechbot.ledger import FAILED, PENDING, SENT, SKIPPED, Ledger, OutboxRow
from cotechbot.messages import key_marker
from cotechbot.models import CreatedPost

log = structlog.get_logger(__name__)
MAX_BACKOFF = timedelta(minutes=30)


@dataclass
class DispatchReport:
    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # found already posted by a dispatcher that died
    skipped: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    would_send: list[OutboxRow] = field(default_factory=list)  # a dry run's due actions, left pending


class Dispatcher:
    def __init__(
        self,
        ledger: Ledger,
        forum: Forum,
        clock: Clock,
        *,
        worker_id: str,
        dry_run: bool = False,
        before_post: Callable[[OutboxRow], None] | None = None,
    ) -> None:
        self.ledger = ledger
        self.dry_run = dry_run
        self.forum = forum
        self.clock = clock
        self.worker_id = worker_id
        # A hook the crash tests use to die at a chosen point; does nothing in production.
        self.before_post = before_post or (lambda row: None)

    def dispatch_due(self, limit: int = 50) -> DispatchReport:
        report = DispatchReport()
        if self.dry_run:
            # A dry run changes nothing in the outbox, so switching it off later loses no reminder.
            now = self.clock.now()
            for row in self.ledger.actions(statuses=[PENDING]):
                if row.due_at <= now:
                    report.would_send.append(row)
                    log.info(
                        "dry run: would perform action",
                        key=row.key,
                        kind=row.kind,
                        target=row.target,
                        text=str(row.payload.get("raw", ""))[:500],
                    )
            return report
        for row in self.ledger.claim_due(self.worker_id, self.clock.now(), limit=limit):
            self._dispatch_one(row, report)
        return report

    def _dispatch_one(self, row: OutboxRow, report: DispatchReport) -> None:
        bound = log.bind(key=row.key, kind=row.kind, forum=row.forum, target=row.target, attempt=row.attempts)
        now = self.clock.now()
        try:
            if row.attempts > 1 and (found := self._already_posted(row)) is not None:
                self.ledger.finish(row.key, SENT, post_ref=f"post/{found}", detail={"recovered": True})
                bound.info("action already posted by an earlier attempt", post_id=found)
                report.recovered.append(row.key)
                return
            if row.expires_at is not None and now > row.expires_at:
                late = now - row.due_at
                self.ledger.finish(row.key, SKIPPED, error=f"missed its moment by {late}; not posted late")
                bound.warning(
                    "action skipped: too late",
                    due_at=row.due_at.isoformat(),
                    late_seconds=int(late.total_seconds()),
                )
                report.skipped.append(row.key)
                return
            self.before_post(row)
            created = self._perform(row)
        except ForumError as error:
            self._record_failure(row, error, bound, report)
            return
        except Exception as error:  # a bug or bad payload must not stop the other actions
            self.ledger.finish(row.key, FAILED, error=f"{type(error).__name__}: {error}")
            bound.exception("action failed unexpectedly")
            report.failed.append(row.key)
            return
        post_ref = f"post/{created.id}" if created is not None else None
        self.ledger.finish(
            row.key, SENT, post_ref=post_ref, detail={"topic_id": getattr(created, "topic_id", None)}
        )
        bound.info("action sent", post_ref=post_ref)
        report.sent.append(row.key)

    def _already_posted(self, row: OutboxRow) -> int | None:
        if row.payload.get("op") == "create_topic":
            return self._already_created_topic(row)
        topic_id = row.payload.get("topic_id")
        if row.payload.get("op") != "reply" or topic_id is None:
            return None
        return self.forum.find_own_post(int(topic_id), key_marker(row.key))

    def _already_created_topic(self, row: OutboxRow) -> int | None:
        """The first post of a topic we created carrying the action's key, among the newest public posts (one
        request). A topic pushed off that page by 50 newer posts is not found; creating it again is then
        refused by Discourse as a duplicate title (the action fails instead of posting twice)."""
        marker = key_marker(row.key)
        me = str(getattr(self.forum, "api_username", "") or "").lower()
        for post in self.forum.latest_posts():
            if (
                post.post_number == 1
                and marker in (post.raw or "")
                and (not me or post.username.lower() == me)
            ):
                return post.id
        return None

    def _perform(self, row: OutboxRow) -> CreatedPost | None:
        payload: dict[str, Any] = row.payload
        op = payload.get("op")
        if op == "reply":
            return self.forum.create_reply(int(payload["topic_id"]), payload["raw"])
        if op == "create_topic":
            return self.forum.create_topic(
                payload["title"],
                payload["raw"],
                category_id=payload.get("category_id"),
                tags=tuple(payload.get("tags", ())),
            )
        if op == "private_message":
            return self.forum.create_private_message(payload["title"], payload["raw"], payload["recipients"])
        if op == "edit_post":
            self._edit_own_post(payload)
            return None
        if op == "handle_membership_request":
            self.forum.handle_membership_request(
                int(payload["group_id"]), int(payload["user_id"]), accept=bool(payload["accept"])
            )
            return None
        raise ValueError(f"unknown outbox operation {op!r}")

    def _edit_own_post(self, payload: dict[str, Any]) -> None:
        """Replace the text of one of the bot's own posts. Idempotent: after a crash it is simply sent again.
        A post written by anyone else is never edited (the action fails instead)."""
        post_id = int(payload["post_id"])
        if post_id < 0:  # a dry run's stand-in for a post it did not really create: nothing to check
            self.forum.edit_post(post_id, payload["raw"], payload.get("edit_reason", ""))
            return
        me = str(getattr(self.forum, "api_username", "") or "").lower()
        author = self.forum.post(post_id).username.lower()
        if me and author != me:
            raise ValueError(f"post {post_id} is by {author!r}, not the bot: it is never edited")
        self.forum.edit_post(post_id, payload["raw"], payload.get("edit_reason", ""))

    def _record_failure(self, row: OutboxRow, error: ForumError, bound: Any, report: DispatchReport) -> None:
        if error.transient:
            wait = timedelta(seconds=getattr(error, "wait_seconds", 0) or 0)
            backoff = min(MAX_BACKOFF, max(wait, timedelta(seconds=30 * 2 ** min(row.attempts - 1, 6))))
            retry_at = self.clock.now() + backoff
            self.ledger.finish(row.key, PENDING, error=str(error), retry_at=retry_at)
            bound.warning("action will be retried", error=str(error), retry_at=retry_at.isoformat())
            report.retrying.append(row.key)
        else:
            self.ledger.finish(row.key, FAILED, error=f"{type(error).__name__}: {error}")
            bound.error("action failed", error=str(error), error_type=type(error).__name__)
            report.failed.append(row.key)
