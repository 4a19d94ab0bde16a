"""Reading ``Facts`` for the capabilities out of the ledger, and the network reads their ``needs`` ask for.

The shell side of the seam: capabilities never touch the ledger or the forum, so everything they may read
is gathered here. Posts written by the bot itself, or by the other bots named in ``ignore_posts_by``, never
reach a capability (the bot must not read its own standings as an announcement), and topics carrying the
opt-out tag reach them with no posts (so their pending actions are cancelled).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import structlog

from cotechbot.actions import Status
from cotechbot.capabilities.base import GROUP_VISIBILITY, Facts, Need, outbox_view
from cotechbot.capabilities.membership.model import MEMBERSHIP_NEED
from cotechbot.forum.port import Forum
from cotechbot.ledger import Ledger
from cotechbot.membership_reader import MembershipReader
from cotechbot.models import Post, Topic
from cotechbot.settings import Settings

log = structlog.get_logger(__name__)
LIVE_AND_SENT = (Status.PENDING, Status.CLAIMED, Status.SENT)
GROUP_MEMBERS_TTL = timedelta(hours=1)


def ignored_authors(settings: Settings) -> frozenset[str]:
    """Lower-cased usernames whose posts no capability reads: the bot's own user and the listed bots."""
    names = {settings.discourse_api_username, *getattr(settings, "ignore_posts_by", ())}
    return frozenset(name.lower() for name in names if name)


def opted_out(topic: Topic | None, settings: Settings) -> bool:
    tag = settings.opt_out_tag.lower()
    return bool(topic and tag and tag in {t.lower() for t in topic.tags})


class FactsReader:
    """Builds ``Facts`` from what the ledger holds for one forum."""

    def __init__(self, ledger: Ledger, settings: Settings) -> None:
        self.ledger = ledger
        self.settings = settings
        self.forum = settings.forum_name
        self.ignored = ignored_authors(settings)

    def read(self, topic_ids: Iterable[int] | None = None) -> Facts:
        """Facts for ``topic_ids`` (every mirrored topic when None)."""
        topics = {topic.id: topic for topic in self.ledger.mirrored_topics(self.forum)}
        wanted = sorted(set(topic_ids)) if topic_ids is not None else None
        posts: dict[int, list[Post]] = {}
        for post in self.ledger.mirrored_posts(self.forum, topic_ids=wanted):
            if post.username.lower() in self.ignored or opted_out(topics.get(post.topic_id), self.settings):
                continue
            posts.setdefault(post.topic_id, []).append(post)
        outbox = tuple(
            outbox_view(
                key=row.key,
                kind=row.kind,
                source=row.source,
                target=row.target,
                status=row.status,
                due_at=row.due_at,
                sent_at=row.sent_at,
                payload=row.payload,
                post_ref=row.post_ref,
            )
            for row in self.ledger.actions(forum=self.forum, statuses=LIVE_AND_SENT)
        )
        known = wanted if wanted is not None else sorted(set(topics) | set(posts))
        return Facts(
            forum=self.forum,
            zone=self.settings.timezone,
            base_url=str(self.settings.discourse_url or "").rstrip("/"),
            topics=topics,
            posts=posts,
            topic_ids=tuple(known),
            outbox=outbox,
        )


# Answers a need from elsewhere than the forum (the ledger, another source's stored snapshots): its mapping
# is merged into ``Facts.extra``.
ExtraReader = Callable[[Need, Facts, datetime], Mapping[str, Any]]


class NeedsReader:
    """Reads from the forum what plans need beyond the mirror; group member lists are cached for an hour."""

    def __init__(self, forum: Forum, extra_readers: Mapping[str, ExtraReader] | None = None) -> None:
        self.forum = forum
        self.extra_readers = dict(extra_readers or {})
        self._members: dict[str, tuple[datetime, int | None, tuple[str, ...]]] = {}
        self.membership = MembershipReader(forum)

    def read(self, needs: Iterable[Need], facts: Facts, now: datetime) -> Facts:
        """``facts`` with the answers to ``needs`` added. Forum errors propagate: the caller defers the plan."""
        voters: dict[tuple[int, str], frozenset[str]] = dict(facts.poll_voters)
        members: dict[str, tuple[str, ...]] = dict(facts.group_members)
        visibility: dict[str, int | None] = dict(facts.extra.get(GROUP_VISIBILITY, {}))
        extra: dict[str, Any] = dict(facts.extra)
        for need in dict.fromkeys(needs):  # each need once, in order
            if need.kind == "poll_voters":
                post_id, poll_name = need.args
                voters[(post_id, poll_name)] = frozenset(
                    voter.username
                    for option in self.forum.poll_voters(post_id, poll_name).values()
                    for voter in option
                )
            elif need.kind == "group_members":
                (name,) = need.args
                visibility[name], members[name] = self._group_members(name, now)
            elif need.kind in self.extra_readers:
                extra.update(self.extra_readers[need.kind](need, facts, now))
            elif need.kind == MEMBERSHIP_NEED:
                extra[MEMBERSHIP_NEED] = self.membership.read(need.args[0])
            else:
                log.warning("unknown need skipped", kind=need.kind)
        if visibility:
            extra[GROUP_VISIBILITY] = visibility
        return facts.narrowed(poll_voters=voters, group_members=members, extra=extra)

    def _group_members(self, name: str, now: datetime) -> tuple[int | None, tuple[str, ...]]:
        """The group's member visibility level and its members, read at most once an hour per group.

        The bot reads as staff and could list any group; it lists only those a member of the forum may list
        (visible to signed-in users, or to the group's own members: whether the poll's author is one is for
        the plan to tell). Staff- and owner-only lists are never read.
        """
        cached = self._members.get(name)
        if cached is not None and now - cached[0] < GROUP_MEMBERS_TTL:
            return cached[1], cached[2]
        level = self.forum.group(name).members_visibility_level
        members: tuple[str, ...] = ()
        if level is not None and level <= 2:
            members = tuple(self.forum.group_member_usernames(name))
        self._members[name] = (now, level, members)
        return level, members


def with_state(facts: Facts, state: Mapping[str, Any], shared: Mapping[str, tuple[Any, ...]]) -> Facts:
    return facts.narrowed(state=dict(state), shared=dict(shared))
