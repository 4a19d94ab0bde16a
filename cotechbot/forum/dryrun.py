"""`DryRunForum`: reads go to the real forum, writes are logged and answered with fakes (``--dry-run``, demo).

Fake ids are negative (-1, -2, …) so nothing downstream can mistake them for real posts, and the ledger can
tell a dry-run "sent" from a real one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog

from cotechbot.clock import Clock, SystemClock
from cotechbot.errors import ForumError
from cotechbot.forum.port import Forum
from cotechbot.models import CalendarEvent, CreatedPost, Group, GroupRequester, Post, Topic, Voter


class DryRunForum:
    """Wraps any `Forum`: same reads, writes become ``forum.dry_run`` log lines returning fake results."""

    def __init__(self, inner: Forum, *, clock: Clock | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self._clock = clock or SystemClock()
        self._ids = itertools.count(1)
        #: Every write that would have happened, in order: (operation, arguments).
        self.writes: list[tuple[str, dict[str, Any]]] = []
        self._made: dict[int, Post] = {}
        self._log = structlog.get_logger(__name__).bind(forum=self.name, dry_run=True)

    @property
    def requests_made(self) -> int:
        return self.inner.requests_made

    def _record(self, operation: str, **arguments: Any) -> int:
        self.writes.append((operation, arguments))
        shown = {k: (v[:80] + "…" if isinstance(v, str) and len(v) > 80 else v) for k, v in arguments.items()}
        self._log.info("forum.dry_run", operation=operation, **shown)
        return -next(self._ids)

    # reads: delegated ------------------------------------------------------------------------------
    def latest_posts(self, before: int | None = None) -> list[Post]:
        return self.inner.latest_posts(before)

    def latest_topics(self, page: int = 0, per_page: int = 100) -> list[Topic]:
        return self.inner.latest_topics(page=page, per_page=per_page)

    def topic(self, topic_id: int, include_raw: bool = True) -> tuple[Topic, list[Post]]:
        return self.inner.topic(topic_id, include_raw=include_raw)

    def topic_posts(self, topic_id: int, post_ids: Sequence[int]) -> list[Post]:
        return self.inner.topic_posts(topic_id, post_ids)

    @property
    def made_topics(self) -> dict[int, str]:
        """The (fake) topics this dry run opened, by id: their titles."""
        return {post.topic_id: post.topic_title or "" for post in self._made.values()}

    def post(self, post_id: int) -> Post:
        if post_id in self._made:  # a post this dry run "made": later replies go in its (fake) topic
            return self._made[post_id]
        return self.inner.post(post_id)

    def events(self, after: datetime | None = None) -> list[CalendarEvent]:
        return self.inner.events(after=after)

    def group(self, name: str) -> Group:
        return self.inner.group(name)

    def group_requesters(self, name: str) -> list[GroupRequester]:
        return self.inner.group_requesters(name)

    def group_member_usernames(self, name: str) -> list[str]:
        return self.inner.group_member_usernames(name)

    def poll_voters(self, post_id: int, poll_name: str) -> dict[str, list[Voter]]:
        return self.inner.poll_voters(post_id, poll_name)

    def public_category_ids(self) -> frozenset[int]:
        return self.inner.public_category_ids()

    def find_own_post(self, topic_id: int, marker: str) -> int | None:
        if topic_id < 0:  # a topic this dry run "made" is not on the forum: look in its own writes
            for number, (operation, arguments) in enumerate(self.writes, start=1):
                if (
                    operation == "create_reply"
                    and arguments.get("topic_id") == topic_id
                    and marker in str(arguments.get("raw", ""))
                ):
                    return -number
            return None
        return self.inner.find_own_post(topic_id, marker)

    def find_own_topic(self, key: str, *, title: str | None = None) -> CreatedPost | None:
        return self.inner.find_own_topic(key, title=title)

    def find_own_private_message(self, key: str, *, title: str | None = None) -> CreatedPost | None:
        return self.inner.find_own_private_message(key, title=title)

    def check(self) -> str:
        return f"{self.inner.check()} [dry run: writes are not sent]"

    def __getattr__(self, name: str) -> Any:
        # Reads the port leaves optional (``forum.membership_reads.MembershipReads``) go to the real forum.
        if name in ("membership_groups", "member_profile", "user_id", "group_changes"):
            return getattr(self.inner, name)
        raise AttributeError(name)

    # writes: logged no-ops -------------------------------------------------------------------------
    def handle_membership_request(self, group_id: int, user_id: int, accept: bool) -> None:
        self._record("handle_membership_request", group_id=group_id, user_id=user_id, accept=accept)

    def create_reply(self, topic_id: int, raw: str) -> CreatedPost:
        post_id = self._record("create_reply", topic_id=topic_id, raw=raw)
        return CreatedPost(id=post_id, topic_id=topic_id, post_number=0)

    def create_topic(
        self, title: str, raw: str, category_id: int | None = None, tags: Iterable[str] = ()
    ) -> CreatedPost:
        post_id = self._record("create_topic", title=title, raw=raw, category_id=category_id, tags=list(tags))
        return CreatedPost(id=post_id, topic_id=post_id, post_number=1)

    def create_private_message(self, title: str, raw: str, recipients: Iterable[str]) -> CreatedPost:
        post_id = self._record("create_private_message", title=title, raw=raw, recipients=list(recipients))
        now = self._clock.now().astimezone(UTC)
        self._made[post_id] = Post(
            id=post_id, topic_id=post_id, post_number=1, raw=raw, created_at=now, topic_title=title
        )
        return CreatedPost(id=post_id, topic_id=post_id, post_number=1)

    def edit_post(self, post_id: int, raw: str, edit_reason: str = "") -> Post:
        self._record("edit_post", post_id=post_id, raw=raw, edit_reason=edit_reason)
        now = self._clock.now().astimezone(UTC)
        try:
            current = self.inner.post(post_id)
        except ForumError:  # a dry run must not fail because the read-back failed
            return Post(id=post_id, topic_id=0, post_number=0, raw=raw, created_at=now, updated_at=now)
        return current.model_copy(update={"raw": raw, "updated_at": now, "version": current.version + 1})
