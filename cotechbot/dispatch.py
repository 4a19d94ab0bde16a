"""Dispatch: carry out the outbox actions that are due, exactly once.

The sequence for each due action, under the dispatch lock:
1. claim it in the ledger (``pending`` → ``claimed``, attempts + 1, committed);
2. if a previous dispatcher may already have performed it — it was claimed before (``attempts > 1``), it is
   long overdue, or the ledger has never recorded a post (new, or lost and rebuilt) — look on the forum for
   our own post carrying the action's key; if it is there, record it;
3. check the lock is still held and renew the claim (both say no other dispatcher can have it), then
   perform it on the forum (the text carries the key in an HTML comment);
4. mark it sent, with the post it made, and write the audit row, in one transaction.

A crash between any two steps leaves either a pending/claimed row (retried, with the check of step 2) or a
sent one. An action past its ``expires_at`` is skipped, not posted late. Transient forum errors put the
action back to pending with a back-off; permanent ones fail it with the forum's reason, and the rest of the
batch carries on. A new topic or private message is only re-sent after a crash if the adapter can look for
it (``find_own_topic`` / ``find_own_private_message``); otherwise it fails, loudly, rather than risk a
second copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

import structlog

from cotechbot.actions import CreateTopic, EditPost, HandleMembershipRequest, Operation, PrivateMessage, Reply
from cotechbot.clock import Clock
from cotechbot.errors import ForumError
from cotechbot.forum.port import Forum
from cotechbot.ledger import FAILED, PENDING, SENT, SKIPPED, Ledger, OutboxRow
from cotechbot.messages import key_marker
from cotechbot.models import CreatedPost

log = structlog.get_logger(__name__)
MAX_BACKOFF = timedelta(minutes=30)
#: An action due longer ago than this may have been posted by a bot whose ledger was lost: look first.
OVERDUE_CHECK_AFTER = timedelta(minutes=15)


class StillLeading(Protocol):
    def still_held(self) -> bool: ...


class RecoveryCheckUnavailable(Exception):
    """The forum adapter can't look for what an earlier attempt may have posted; posting again is unsafe."""


@dataclass
class DispatchReport:
    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # found already posted by a dispatcher that died
    skipped: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)  # given back unposted: the lock or the claim was lost
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
        forum_name: str | None = None,
    ) -> None:
        self.ledger = ledger
        self.dry_run = dry_run
        self.forum = forum
        self.forum_name = forum_name or forum.name
        self.clock = clock
        self.worker_id = worker_id
        # A hook the crash tests use to die at a chosen point; does nothing in production.
        self.before_post = before_post or (lambda row: None)

    def dispatch_due(self, limit: int = 50, *, leadership: StillLeading | None = None) -> DispatchReport:
        report = DispatchReport()
        if self.dry_run:
            # A dry run changes nothing in the outbox, so switching it off later loses no reminder.
            now = self.clock.now()
            for row in self.ledger.actions(forum=self.forum_name, statuses=[PENDING]):
                if row.due_at <= now:
                    report.would_send.append(row)
                    log.info(
                        "dry run: would perform action",
                        key=row.key,
                        kind=row.kind,
                        target=row.target,
                        text=row.operation.text[:500],
                    )
            return report
        if leadership is not None and not leadership.still_held():
            log.warning("the dispatch lock was lost; not claiming anything")
            return report
        rows = self.ledger.claim_due(self.worker_id, self.clock.now(), limit=limit, forum=self.forum_name)
        fresh_ledger = bool(rows) and not self.ledger.has_sent(self.forum_name)
        for index, row in enumerate(rows):
            if leadership is not None and not leadership.still_held():
                log.warning("the dispatch lock was lost; giving the rest of the batch back")
                for left in rows[index:]:
                    self._release(left, "the dispatch lock was lost", report)
                break
            self._dispatch_one(row, report, look_first=fresh_ledger)
            if row.key in report.sent:
                fresh_ledger = False
        return report

    def _dispatch_one(self, row: OutboxRow, report: DispatchReport, *, look_first: bool = False) -> None:
        bound = log.bind(key=row.key, kind=row.kind, forum=row.forum, target=row.target, attempt=row.attempts)
        now = self.clock.now()
        try:
            operation = row.operation
            if row.attempts > 1 or look_first or now - row.due_at > OVERDUE_CHECK_AFTER:
                found = self._already_posted(row, operation, required=row.attempts > 1)
                if found is not None:
                    self._finish(row, SENT, bound, post_ref=f"post/{found}", detail={"recovered": True})
                    bound.info("action already posted by an earlier attempt", post_id=found)
                    report.recovered.append(row.key)
                    return
            if row.expires_at is not None and now > row.expires_at:
                late = now - row.due_at
                self._finish(row, SKIPPED, bound, error=f"missed its moment by {late}; not posted late")
                bound.warning(
                    "action skipped: too late",
                    due_at=row.due_at.isoformat(),
                    late_seconds=int(late.total_seconds()),
                )
                report.skipped.append(row.key)
                return
            if not self.ledger.confirm_claim(row.key, self.worker_id):
                bound.warning("action no longer ours to post (another dispatcher took it); left to it")
                report.released.append(row.key)
                return
            self.before_post(row)
            created = self._perform(operation)
        except ForumError as error:
            if self._settled_by_an_earlier_attempt(row, error):
                self._finish(row, SENT, bound, detail={"recovered": True, "answer": str(error)[:200]})
                bound.info("membership request already answered by an earlier attempt")
                report.recovered.append(row.key)
                return
            self._record_failure(row, error, bound, report)
            return
        except RecoveryCheckUnavailable as error:
            self._finish(row, FAILED, bound, error=str(error))
            bound.error("action failed: it may already be posted and can't be checked", error=str(error))
            report.failed.append(row.key)
            return
        except Exception as error:  # a bug or bad payload must not stop the other actions
            self._finish(row, FAILED, bound, error=f"{type(error).__name__}: {error}")
            bound.exception("action failed unexpectedly")
            report.failed.append(row.key)
            return
        post_ref = f"post/{created.id}" if created is not None else None
        # A capability's "audit" detail (the rule behind a decision) goes into the audit row with the result.
        audit = row.payload.get("audit")
        audit = audit if isinstance(audit, dict) else {}
        self._finish(
            row,
            SENT,
            bound,
            post_ref=post_ref,
            detail={**audit, "topic_id": getattr(created, "topic_id", None)},
        )
        bound.info("action sent", post_ref=post_ref)
        report.sent.append(row.key)

    def _finish(self, row: OutboxRow, status: str, bound: Any, **kwargs: Any) -> bool:
        done = self.ledger.finish(row.key, status, claimed_by=self.worker_id, **kwargs)
        if not done:
            # Another dispatcher took the row (its lease ran out under us); it will look for our post first.
            bound.error(
                "the outbox row was no longer this dispatcher's claim; outcome not recorded", status=status
            )
        return done

    def _release(self, row: OutboxRow, reason: str, report: DispatchReport) -> None:
        self.ledger.finish(
            row.key, PENDING, error=reason, retry_at=self.clock.now(), claimed_by=self.worker_id
        )
        report.released.append(row.key)

    def _already_posted(self, row: OutboxRow, operation: Operation, *, required: bool) -> int | None:
        """The id of the post an earlier attempt made for this row, if the forum shows one.

        ``required``: an earlier attempt may have posted (a crash); if the adapter can't look, raise
        ``RecoveryCheckUnavailable`` rather than post blind. Otherwise (a precaution on a fresh ledger or
        an overdue action) a missing finder only skips the look.
        """
        marker = key_marker(row.key)
        if isinstance(operation, Reply):
            return self.forum.find_own_post(operation.topic_id, marker)
        if isinstance(operation, CreateTopic | PrivateMessage):
            name = "find_own_topic" if isinstance(operation, CreateTopic) else "find_own_private_message"
            finder = getattr(self.forum, name, None)
            if finder is None:
                if required:
                    raise RecoveryCheckUnavailable(
                        f"an earlier attempt may have created it and the forum adapter has no {name}() to "
                        "look; not creating it a second time"
                    )
                return None
            found = finder(row.key)
            return found.id if isinstance(found, CreatedPost) else found
        # Editing a post to the same text again changes nothing; a membership request answered by an
        # earlier attempt is refused by the forum, which _settled_by_an_earlier_attempt reads as done.
        return None

    def _perform(self, operation: Operation) -> CreatedPost | None:
        if isinstance(operation, Reply):
            return self.forum.create_reply(operation.topic_id, operation.raw)
        if isinstance(operation, CreateTopic):
            return self.forum.create_topic(
                operation.title, operation.raw, category_id=operation.category_id, tags=operation.tags
            )
        if isinstance(operation, PrivateMessage):
            return self.forum.create_private_message(operation.title, operation.raw, operation.recipients)
        if isinstance(operation, EditPost):
            self._edit_own_post(operation)
            return None
        if isinstance(operation, HandleMembershipRequest):
            self.forum.handle_membership_request(
                operation.group_id, operation.user_id, accept=operation.accept
            )
            return None
        raise ValueError(f"unknown outbox operation {operation!r}")

    def _edit_own_post(self, operation: EditPost) -> None:
        """Replace the text of one of the bot's own posts. Idempotent: after a crash it is simply sent again.
        A post written by anyone else is never edited (the action fails instead)."""
        post_id = operation.post_id
        if post_id > 0:  # a dry run's stand-ins for posts it did not really create are negative: no check
            me = str(getattr(self.forum, "api_username", "") or "").lower()
            post = self.forum.post(post_id)
            if me and post.username.lower() != me:
                raise ValueError(f"post {post_id} is by {post.username!r}, not the bot: it is never edited")
            set_wiki = getattr(self.forum, "set_wiki", None)
            if operation.wiki is not None and post.wiki != operation.wiki and set_wiki is not None:
                set_wiki(post_id, operation.wiki)
        self.forum.edit_post(post_id, operation.raw, operation.edit_reason)

    @staticmethod
    def _settled_by_an_earlier_attempt(row: OutboxRow, error: ForumError) -> bool:
        """A membership answer repeated after a crash finds no request left to answer: the forum refuses it
        (400/404/422), which means the earlier attempt went through, not that this one failed."""
        return (
            row.attempts > 1
            and isinstance(row.operation, HandleMembershipRequest)
            and not error.transient
            and getattr(error, "status", None) in {400, 404, 422}
        )

    def _record_failure(self, row: OutboxRow, error: ForumError, bound: Any, report: DispatchReport) -> None:
        if error.transient:
            wait = timedelta(seconds=getattr(error, "wait_seconds", 0) or 0)
            backoff = min(MAX_BACKOFF, max(wait, timedelta(seconds=30 * 2 ** min(row.attempts - 1, 6))))
            retry_at = self.clock.now() + backoff
            self._finish(row, PENDING, bound, error=str(error), retry_at=retry_at)
            bound.warning("action will be retried", error=str(error), retry_at=retry_at.isoformat())
            report.retrying.append(row.key)
        else:
            self._finish(row, FAILED, bound, error=f"{type(error).__name__}: {error}")
            bound.error("action failed", error=str(error), error_type=type(error).__name__)
            report.failed.append(row.key)
