"""The forum's tables and the low-level changes every write goes through (creating, revising, deleting).

:class:`ForumStore` holds the in-memory forum; :class:`~cotechbot.sandbox.discourse.forum.SandboxForum` adds
the public Python API on top and :class:`~cotechbot.sandbox.discourse.server.FakeDiscourse` the HTTP front
end. Everything here runs under ``lock`` (an ``RLock``) held by the caller.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from cotechbot.sandbox import markup
from cotechbot.sandbox.discourse.records import Category, Event, Group, Poll, PollOption, Post, Topic, User
from cotechbot.sandbox.markup import MarkupError


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:80].strip("-") or "topic"


def aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"naive datetime {value.isoformat()}: the fake forum stores aware UTC datetimes only"
        )
    return value.astimezone(UTC)


class ForumStore:
    """The in-memory forum: indexed tables, id counters, the wall clock and the settings that shape content."""

    def __init__(
        self,
        *,
        api_username: str = "cotechbot",
        now: Callable[[], datetime] | Any | None = None,
        clock: Callable[[], float] = time.monotonic,
        tag_style: str = "strings",
        title: str = "CoTech sandbox",
    ) -> None:
        if tag_style not in ("strings", "objects"):
            raise ValueError("tag_style must be 'strings' or 'objects'")
        if now is None:
            self._now_fn: Callable[[], datetime] = lambda: datetime.now(UTC)
        elif hasattr(now, "now") and callable(now.now):
            self._now_fn = now.now
        else:
            self._now_fn = now
        self.clock = clock
        self.api_username = api_username
        self.tag_style = tag_style
        self.title = title
        self.staff_see_deleted = False
        self.editing_grace_period = 0.0
        self.min_post_length = 20
        self.max_post_length = 32_000
        self.min_first_post_length = 20
        self.min_personal_message_post_length = 10
        self.min_topic_title_length = 15
        self.min_personal_message_title_length = 2
        self.allow_duplicate_topic_titles = False
        self.lock = threading.RLock()
        #: called as ``listener(event, topic, post)`` under ``lock`` after every write Discourse would announce
        #: to its webhooks (``topic_created``, ``post_created``, ``post_edited``)
        self.listeners: list[Callable[[str, Topic, Post], None]] = []

        self.users: dict[int, User] = {}
        self.users_by_name: dict[str, User] = {}
        self.categories: dict[int, Category] = {}
        self.topics: dict[int, Topic] = {}
        self.posts: dict[int, Post] = {}
        self.listed_post_ids: list[int] = []  # posts of regular topics, ascending (ids only grow)
        self.posts_by_user: dict[int, list[int]] = {}
        self.groups: dict[int, Group] = {}
        self.groups_by_name: dict[str, Group] = {}
        self.tags: dict[str, int] = {}
        self.titles: dict[str, int] = {}  # lowercased title → topic id (regular, not deleted)
        self.events: dict[int, Event] = {}
        self.corrupted: dict[int, dict[str, Any]] = {}  # post id -> fields overriding its JSON (test hook)
        self.memo: dict[tuple, tuple[float, Any]] = {}  # POST /posts.json signature → (clock, reply), §7
        self.topic_order_cache: dict[tuple[str, bool], tuple[int, list[int]]] = {}
        self.topics_version = 0
        self.next_id = {
            "user": itertools.count(1),
            "category": itertools.count(2),
            "topic": itertools.count(1),
            "post": itertools.count(101),  # distinct from topic ids on purpose: mixing them up fails loudly
            "group": itertools.count(41),  # Discourse's automatic groups take the low ids
            "tag": itertools.count(1),
            "poll": itertools.count(1),
            "invitee": itertools.count(1),
        }
        created = self.now() - timedelta(days=3650)
        system = User(
            id=-1,
            username="system",
            name="system",
            created_at=created,
            admin=True,
            moderator=True,
            trust_level=4,
            timezone=None,
        )
        self.users[system.id] = system
        self.users_by_name["system"] = system
        self.categories[1] = Category(id=1, name="Uncategorized", slug="uncategorized", color="0088CC")
        if api_username.lower() != "system":
            self.add_user(
                api_username,
                name="CoTech bot",
                admin=True,
                moderator=False,
                trust_level=4,
                created_at=created,
            )

    def now(self) -> datetime:
        """The forum's current time (aware UTC), from the injected ``now``."""
        return aware(self._now_fn())

    def add_user(
        self,
        username: str,
        *,
        name: str | None = None,
        admin: bool = False,
        moderator: bool = False,
        trust_level: int = 1,
        created_at: datetime | None = None,
        timezone: str | None = "Europe/London",
        title: str | None = None,
    ) -> User:
        with self.lock:
            if username.lower() in self.users_by_name:
                raise ValueError(f"user {username!r} exists")
            user = User(
                id=next(self.next_id["user"]),
                username=username,
                name=name if name is not None else username,
                created_at=aware(created_at) if created_at else self.now(),
                admin=admin,
                moderator=moderator,
                trust_level=trust_level,
                timezone=timezone,
                title=title,
            )
            self.users[user.id] = user
            self.users_by_name[username.lower()] = user
            return user

    def _user_or_create(self, username: str) -> User:
        found = self.users_by_name.get(username.lower())
        return found if found is not None else self.add_user(username)

    def _notify(self, event: str, topic: Topic, post: Post) -> None:
        for listener in self.listeners:
            listener(event, topic, post)

    def _topics_changed(self) -> None:
        self.topics_version += 1

    def _pin(self, topic: Topic, globally: bool) -> None:
        topic.pinned_at = self.now()
        topic.pinned_globally = globally
        self._topics_changed()

    def _tag_names(self, tags: Iterable[str]) -> list[str]:
        names: list[str] = []
        for tag in tags:
            name = re.sub(r"\s+", "-", str(tag).strip().lower())
            if name and name not in names:
                names.append(name)
                if name not in self.tags:
                    self.tags[name] = next(self.next_id["tag"])
        return names

    def _parse_markup(
        self, raw: str, post_number: int
    ) -> tuple[list[markup.ParsedPoll], markup.ParsedEvent | None]:
        polls = markup.parse_polls(raw)
        event = markup.parse_event(raw)
        if event is not None and post_number != 1:
            raise MarkupError("An event can only be created in the first post of a topic.")
        return polls, event

    def _new_topic_record(
        self,
        title: str,
        category_id: int | None,
        author: User,
        when: datetime,
        archetype: str,
        tags: list[str],
    ) -> Topic:
        topic = Topic(
            id=next(self.next_id["topic"]),
            title=title,
            slug=slugify(title),
            category_id=category_id,
            user_id=author.id,
            created_at=when,
            bumped_at=when,
            last_posted_at=when,
            archetype=archetype,
            tags=self._tag_names(tags),
            last_post_user_id=author.id,
        )
        return topic

    def _create_topic(
        self, title: str, raw: str, category_id: int, tags: list[str], author: User, when: datetime
    ) -> tuple[Topic, Post]:
        polls, event = self._parse_markup(raw, 1)  # validate before storing anything
        topic = self._new_topic_record(title, category_id, author, when, "regular", tags)
        self.topics[topic.id] = topic
        self.titles[title.strip().lower()] = topic.id
        post = self._store_post(topic, raw, author, when, polls, event)
        self._topics_changed()
        self._notify("topic_created", topic, post)
        self._notify("post_created", topic, post)
        return topic, post

    def _create_pm(
        self, title: str, raw: str, author: User, users: list[User], groups: list[Group], when: datetime
    ) -> tuple[Topic, Post]:
        polls, event = self._parse_markup(raw, 1)
        topic = self._new_topic_record(title, None, author, when, "private_message", [])
        topic.allowed_user_ids = {author.id, *(u.id for u in users)}
        topic.allowed_group_ids = {g.id for g in groups}
        self.topics[topic.id] = topic
        post = self._store_post(topic, raw, author, when, polls, event)
        self._notify("topic_created", topic, post)
        self._notify("post_created", topic, post)
        return topic, post

    def _create_post(
        self,
        topic: Topic,
        raw: str,
        author: User,
        when: datetime,
        *,
        reply_to_post_number: int | None = None,
        post_type: int = 1,
    ) -> Post:
        polls, event = self._parse_markup(raw, topic.highest_post_number + 1)
        post = self._store_post(
            topic,
            raw,
            author,
            when,
            polls,
            event,
            post_type=post_type,
            reply_to_post_number=reply_to_post_number,
        )
        if post_type == 1:
            topic.bumped_at = max(topic.bumped_at, when)
            topic.last_posted_at = max(topic.last_posted_at, when)
            topic.last_post_user_id = author.id
            self._topics_changed()
        self._notify("post_created", topic, post)
        return post

    def _store_post(
        self,
        topic: Topic,
        raw: str,
        author: User,
        when: datetime,
        polls: list[markup.ParsedPoll],
        event: markup.ParsedEvent | None,
        *,
        post_type: int = 1,
        reply_to_post_number: int | None = None,
    ) -> Post:
        topic.highest_post_number += 1
        post = Post(
            id=next(self.next_id["post"]),
            topic_id=topic.id,
            post_number=topic.highest_post_number,
            user_id=author.id,
            raw=raw,
            cooked=markup.cook(raw),
            created_at=when,
            updated_at=when,
            post_type=post_type,
            reply_to_post_number=reply_to_post_number,
        )
        self.posts[post.id] = post
        topic.post_ids.append(post.id)
        if post_type != 4:
            topic.posts_count += 1
        if reply_to_post_number:
            topic.reply_counts[reply_to_post_number] = topic.reply_counts.get(reply_to_post_number, 0) + 1
        if not topic.is_pm:
            self.listed_post_ids.append(post.id)  # ids only grow, so the list stays sorted
        self.posts_by_user.setdefault(author.id, []).append(post.id)
        self._apply_polls(post, polls)
        self._apply_event(post, event)
        return post

    def _apply_polls(self, post: Post, parsed: list[markup.ParsedPoll]) -> None:
        """Create/update the post's polls from markup, keeping votes for options that still exist."""
        old = post.polls
        fresh: dict[str, Poll] = {}
        for spec in parsed:
            options = [PollOption(id=o.id, text=o.text, html=o.html) for o in spec.options]
            previous = old.get(spec.name)
            poll = Poll(
                id=previous.id if previous else next(self.next_id["poll"]),
                post_id=post.id,
                name=spec.name,
                type=spec.type,
                status=previous.status if previous and "status" not in spec.attributes else spec.status,
                results=spec.results,
                public=spec.public,
                chart_type=spec.chart_type,
                options=options,
                min=spec.min,
                max=spec.max,
                step=spec.step,
                close=spec.close,
                groups=spec.groups,
                title=spec.title,
            )
            if previous:
                valid = {o.id for o in options}
                for user_id, chosen in previous.votes.items():
                    kept = [c for c in chosen if c in valid]
                    if kept:
                        poll.votes[user_id] = kept
            fresh[spec.name] = poll
        post.polls = fresh

    def _apply_event(self, post: Post, parsed: markup.ParsedEvent | None) -> None:
        if parsed is None:
            if post.event is not None:
                self.events.pop(post.id, None)
                post.event = None
            return
        invitees = post.event.invitees if post.event is not None else {}
        event = Event(
            id=post.id,
            starts_at=parsed.starts_at,
            ends_at=parsed.ends_at,
            timezone=parsed.timezone,
            status=parsed.status,
            name=parsed.name,
            url=parsed.url,
            location=parsed.location,
            reminders=parsed.reminders,
            recurrence=parsed.recurrence,
            recurrence_until=parsed.recurrence_until,
            allowed_groups=parsed.allowed_groups,
            show_local_time=parsed.show_local_time,
            minimal=parsed.minimal,
            closed=parsed.closed,
            chat_enabled=parsed.chat_enabled,
            description=parsed.description,
            invitees=invitees,
        )
        post.event = event
        self.events[post.id] = event

    def _revise(self, post: Post, raw: str, editor: User, edit_reason: str | None, when: datetime) -> bool:
        if raw == post.raw:
            return False
        polls, event = self._parse_markup(raw, post.post_number)
        within_grace = (
            self.editing_grace_period > 0
            and editor.id == post.user_id
            and (when - post.updated_at).total_seconds() < self.editing_grace_period
        )
        post.raw = raw
        post.cooked = markup.cook(raw)
        post.updated_at = when
        if not within_grace:
            post.version += 1
        if edit_reason is not None:
            post.edit_reason = edit_reason or None
        self._apply_polls(post, polls)
        self._apply_event(post, event)
        self._notify("post_edited", self.topics[post.topic_id], post)
        return True

    def _delete_post(self, post: Post, when: datetime) -> None:
        if post.deleted_at is None:
            post.deleted_at = when
            topic = self.topics[post.topic_id]
            if post.post_type != 4:
                topic.posts_count -= 1
            if post.reply_to_post_number and topic.reply_counts.get(post.reply_to_post_number):
                topic.reply_counts[post.reply_to_post_number] -= 1
            self._topics_changed()

    def _delete_topic(self, topic: Topic, when: datetime) -> None:
        if topic.deleted_at is None:
            topic.deleted_at = when
            if self.titles.get(topic.title.strip().lower()) == topic.id:
                del self.titles[topic.title.strip().lower()]
            for pid in topic.post_ids:
                post = self.posts[pid]
                if post.deleted_at is None:
                    post.deleted_at = when
            self._topics_changed()

    def _resolve_recipients(self, names: list[str]) -> tuple[list[User], list[Group]]:
        users: list[User] = []
        groups: list[Group] = []
        unknown: list[str] = []
        for name in names:
            group = self.groups_by_name.get(name.lower())
            user = self.users_by_name.get(name.lower())
            if group is not None:
                groups.append(group)
            elif user is not None:
                users.append(user)
            else:
                unknown.append(name)
        if unknown:
            raise MarkupError(f"Sorry, you can't send a message to {', '.join(unknown)}.")
        return users, groups
