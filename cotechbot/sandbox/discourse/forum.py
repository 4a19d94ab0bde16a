"""The sandbox forum's public Python API: what tests and scenarios use to set the scene and act as members.

All methods are thread-safe; the records returned are the live objects. A username the forum does not know
yet is created as a plain user on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cotechbot.sandbox.discourse.records import (
    MISSING,
    Category,
    Event,
    Group,
    MembershipRequest,
    Poll,
    Post,
    Topic,
    User,
)
from cotechbot.sandbox.discourse.store import ForumStore, aware, slugify
from cotechbot.sandbox.discourse.visibility import group_names_of, poll_closed


class SandboxForum(ForumStore):
    """The forum without its HTTP front end (see :class:`~cotechbot.sandbox.discourse.FakeDiscourse`)."""

    #: Value for `corrupt_post` that removes a field from the post's JSON instead of replacing it.
    MISSING: Any = MISSING

    def user(self, username: str) -> User:
        with self.lock:
            try:
                return self.users_by_name[username.lower()]
            except KeyError:
                raise KeyError(f"no user {username!r}") from None

    def add_category(
        self,
        name: str,
        *,
        slug: str | None = None,
        color: str = "0088CC",
        description: str | None = None,
        parent_id: int | None = None,
        read_restricted: bool = False,
        allowed_groups: Iterable[str] = (),
    ) -> Category:
        with self.lock:
            category = Category(
                id=next(self.next_id["category"]),
                name=name,
                slug=slug or slugify(name),
                color=color,
                description=description,
                parent_id=parent_id,
                read_restricted=read_restricted,
                allowed_groups=list(allowed_groups),
            )
            self.categories[category.id] = category
            return category

    def category(self, key: int | str) -> Category:
        with self.lock:
            if isinstance(key, int):
                return self.categories[key]
            for category in self.categories.values():
                if key in (category.slug, category.name):
                    return category
            raise KeyError(f"no category {key!r}")

    def create_topic(
        self,
        title: str,
        raw: str,
        category_id: int | None = None,
        tags: Iterable[str] = (),
        username: str = "system",
        created_at: datetime | None = None,
        *,
        pinned: bool = False,
        pinned_globally: bool = False,
        visible: bool = True,
        closed: bool = False,
    ) -> tuple[Topic, Post]:
        """A new public topic and its first post (markup errors raise :class:`MarkupError`)."""
        with self.lock:
            author = self._user_or_create(username)
            if category_id is not None and category_id not in self.categories:
                raise KeyError(f"no category {category_id}")
            topic, post = self._create_topic(
                title,
                raw,
                category_id or 1,
                list(tags),
                author,
                aware(created_at) if created_at else self.now(),
            )
            if pinned or pinned_globally:
                self._pin(topic, pinned_globally)
            topic.visible = visible
            topic.closed = closed
            return topic, post

    def reply(
        self,
        topic_id: int,
        raw: str,
        username: str = "system",
        created_at: datetime | None = None,
        *,
        reply_to_post_number: int | None = None,
        post_type: int = 1,
    ) -> Post:
        """A reply in ``topic_id`` (bumps the topic unless it is a whisper or small action)."""
        with self.lock:
            topic = self.topics[topic_id]
            author = self._user_or_create(username)
            return self._create_post(
                topic,
                raw,
                author,
                aware(created_at) if created_at else self.now(),
                reply_to_post_number=reply_to_post_number,
                post_type=post_type,
            )

    def send_pm(
        self,
        title: str,
        raw: str,
        from_username: str,
        to: Iterable[str] | str,
        created_at: datetime | None = None,
    ) -> tuple[Topic, Post]:
        """A private message from ``from_username`` to usernames and/or group names."""
        with self.lock:
            author = self._user_or_create(from_username)
            names = [n.strip() for n in (to.split(",") if isinstance(to, str) else to) if n.strip()]
            users, groups = self._resolve_recipients(names)
            return self._create_pm(
                title, raw, author, users, groups, aware(created_at) if created_at else self.now()
            )

    def edit_post(
        self,
        post_id: int,
        raw: str,
        *,
        edit_reason: str | None = None,
        at: datetime | None = None,
        username: str | None = None,
    ) -> Post:
        """Replace a post's raw: re-cooks, re-reads polls/event, bumps ``version`` and ``updated_at``."""
        with self.lock:
            post = self.posts[post_id]
            editor = self.users_by_name[username.lower()] if username else self.users[post.user_id]
            self._revise(post, raw, editor, edit_reason, aware(at) if at else self.now())
            return post

    def delete_post(self, post_id: int, at: datetime | None = None) -> Post:
        """Soft-delete a post; deleting post 1 deletes its topic, as in Discourse."""
        with self.lock:
            post = self.posts[post_id]
            when = aware(at) if at else self.now()
            if post.post_number == 1:
                self._delete_topic(self.topics[post.topic_id], when)
            else:
                self._delete_post(post, when)
            return post

    def delete_topic(self, topic_id: int, at: datetime | None = None) -> Topic:
        with self.lock:
            topic = self.topics[topic_id]
            self._delete_topic(topic, aware(at) if at else self.now())
            return topic

    def pin_topic(self, topic_id: int, *, globally: bool = False) -> Topic:
        with self.lock:
            topic = self.topics[topic_id]
            self._pin(topic, globally)
            return topic

    def unpin_topic(self, topic_id: int) -> Topic:
        with self.lock:
            topic = self.topics[topic_id]
            topic.pinned_at = None
            topic.pinned_globally = False
            self._topics_changed()
            return topic

    def close_topic(self, topic_id: int, closed: bool = True) -> Topic:
        with self.lock:
            topic = self.topics[topic_id]
            topic.closed = closed
            return topic

    def set_topic_visible(self, topic_id: int, visible: bool) -> Topic:
        """List or unlist a topic (unlisted topics leave /latest for non-staff)."""
        with self.lock:
            topic = self.topics[topic_id]
            topic.visible = visible
            self._topics_changed()
            return topic

    def poll(self, post_id: int, name: str = "poll") -> Poll:
        with self.lock:
            try:
                return self.posts[post_id].polls[name]
            except KeyError:
                raise KeyError(f"post {post_id} has no poll named {name!r}") from None

    def vote(self, post_id: int, poll_name: str, username: str, option_ids: Iterable[str] | str) -> Poll:
        """Cast (or replace) ``username``'s vote; options by id or by their source text."""
        with self.lock:
            poll = self.poll(post_id, poll_name)
            user = self._user_or_create(username)
            chosen = [option_ids] if isinstance(option_ids, str) else list(option_ids)
            if poll_closed(self, poll):
                raise ValueError(f"poll {poll_name!r} is closed")
            ids = [poll.option(key).id for key in chosen]
            if len(set(ids)) != len(ids) or not ids:
                raise ValueError("choose at least one option, each once")
            if poll.type == "regular" and len(ids) != 1:
                raise ValueError("a regular poll takes exactly one option")
            if poll.type == "multiple":
                low = poll.min if poll.min is not None else 1
                high = poll.max if poll.max is not None else len(poll.options)
                if not low <= len(ids) <= high:
                    raise ValueError(f"choose between {low} and {high} options")
            if poll.groups:
                allowed = {g.strip() for g in poll.groups.split(",")}
                if not allowed & set(group_names_of(self, user)):
                    raise ValueError("you are not in a group allowed to vote in this poll")
            poll.votes.pop(user.id, None)
            poll.votes[user.id] = ids
            return poll

    def unvote(self, post_id: int, poll_name: str, username: str) -> Poll:
        with self.lock:
            poll = self.poll(post_id, poll_name)
            poll.votes.pop(self.user(username).id, None)
            return poll

    def close_poll(self, post_id: int, poll_name: str = "poll") -> Poll:
        with self.lock:
            poll = self.poll(post_id, poll_name)
            poll.status = "closed"
            return poll

    def open_poll(self, post_id: int, poll_name: str = "poll") -> Poll:
        with self.lock:
            poll = self.poll(post_id, poll_name)
            poll.status = "open"
            return poll

    def event(self, post_id: int) -> Event | None:
        with self.lock:
            return self.events.get(post_id)

    def set_attendance(self, post_id: int, username: str, status: str = "going") -> Event:
        if status not in ("going", "interested", "not_going"):
            raise ValueError("status is going, interested or not_going")
        with self.lock:
            event = self.events[post_id]
            event.invitees[self._user_or_create(username).id] = status
            return event

    def add_group(
        self,
        name: str,
        *,
        full_name: str | None = None,
        allow_membership_requests: bool = True,
        members: Iterable[str] = (),
        owners: Iterable[str] = (),
        public_admission: bool = False,
        membership_request_template: str | None = None,
    ) -> Group:
        with self.lock:
            if name.lower() in self.groups_by_name:
                raise ValueError(f"group {name!r} exists")
            group = Group(
                id=next(self.next_id["group"]),
                name=name,
                full_name=full_name,
                allow_membership_requests=allow_membership_requests,
                public_admission=public_admission,
                membership_request_template=membership_request_template,
            )
            self.groups[group.id] = group
            self.groups_by_name[name.lower()] = group
            for username in members:
                self.add_group_member(name, username)
            for username in owners:
                self.add_group_member(name, username, owner=True)
            return group

    def group(self, name: str | int) -> Group:
        with self.lock:
            if isinstance(name, int):
                return self.groups[name]
            try:
                return self.groups_by_name[name.lower()]
            except KeyError:
                raise KeyError(f"no group {name!r}") from None

    def add_group_member(
        self, group: str | int, username: str, *, owner: bool = False, added_at: datetime | None = None
    ) -> Group:
        with self.lock:
            found = self.group(group)
            user = self._user_or_create(username)
            found.members.setdefault(user.id, aware(added_at) if added_at else self.now())
            if owner:
                found.owners.add(user.id)
            found.requests.pop(user.id, None)
            return found

    def remove_group_member(self, group: str | int, username: str) -> Group:
        with self.lock:
            found = self.group(group)
            user = self.user(username)
            found.members.pop(user.id, None)
            found.owners.discard(user.id)
            return found

    def request_membership(
        self, group: str | int, username: str, reason: str | None, requested_at: datetime | None = None
    ) -> MembershipRequest:
        """A pending request to join ``group``; like Discourse, it also PMs the group's owners."""
        with self.lock:
            found = self.group(group)
            user = self._user_or_create(username)
            if user.id in found.members:
                raise ValueError(f"{username} is already a member of {found.name}")
            if user.id in found.requests:
                raise ValueError(f"{username} has already asked to join {found.name}")
            when = aware(requested_at) if requested_at else self.now()
            request = MembershipRequest(user_id=user.id, reason=reason, requested_at=when)
            found.requests[user.id] = request
            owners = [self.users[uid] for uid in sorted(found.owners)][:20]
            if owners:
                self._create_pm(
                    f"Membership request for @{found.name}",
                    reason or f"@{user.username} would like to join {found.name}.",
                    user,
                    owners,
                    [],
                    when,
                )
            return request

    def corrupt_post(self, post_id: int, **fields: Any) -> None:
        """TEST HOOK — make every JSON serialization of post ``post_id`` carry broken ``fields``.

        For testing how a client copes with a malformed post inside an otherwise good answer: the post's
        JSON in ``/posts.json``, topic views, ``/t/{id}/posts.json``, ``/posts/{id}.json`` and write replies
        gets ``fields`` merged in last (``created_at="not a date"``, ``id="abc"``, ``polls={"x": 1}``…);
        ``MISSING`` as a value drops that field. The post itself is unchanged: it keeps its
        place in lists, streams and paging. Called with no fields, it undoes the corruption.

        Real Discourse never serves such posts, so corrupted replies break the contract: keep ``validate``
        off (the default) in tests that use this, or every such reply becomes a 500 contract violation.
        """
        with self.lock:
            if post_id not in self.posts:
                raise KeyError(f"no post {post_id}")
            if fields:
                self.corrupted[post_id] = dict(fields)
            else:
                self.corrupted.pop(post_id, None)

    def accept_answer(self, post_id: int, accepted: bool = True) -> Post:
        """Mark a reply as its topic's solution (the solved plugin), unmarking any other; ``accepted=False``
        unmarks it. As in the plugin, neither the post nor the topic is edited or bumped."""
        with self.lock:
            post = self.posts[post_id]
            if post.post_number == 1:
                raise ValueError("the solved plugin accepts replies only, not a topic's first post")
            for other_id in self.topics[post.topic_id].post_ids:
                self.posts[other_id].accepted_answer = False
            post.accepted_answer = accepted
            return post

    def topic(self, topic_id: int) -> Topic:
        with self.lock:
            return self.topics[topic_id]

    def post(self, post_id: int) -> Post:
        with self.lock:
            return self.posts[post_id]

    def topic_posts(self, topic_id: int) -> list[Post]:
        """All posts of a topic in order, deleted ones included."""
        with self.lock:
            return [self.posts[pid] for pid in self.topics[topic_id].post_ids]

    def posts_by(self, username: str) -> list[Post]:
        """Every post ``username`` wrote (topics, replies, PMs; deleted ones too), oldest first."""
        with self.lock:
            user = self.users_by_name.get(username.lower())
            if user is None:
                return []
            return [self.posts[pid] for pid in self.posts_by_user.get(user.id, [])]

    def private_messages(self, username: str | None = None) -> list[Topic]:
        """PM topics, optionally only those ``username`` takes part in (directly or through a group)."""
        with self.lock:
            pms = [t for t in self.topics.values() if t.is_pm and t.deleted_at is None]
            if username is None:
                return pms
            user = self.user(username)
            group_ids = {g.id for g in self.groups.values() if user.id in g.members}
            return [t for t in pms if user.id in t.allowed_user_ids or t.allowed_group_ids & group_ids]

    @property
    def topic_count(self) -> int:
        with self.lock:
            return len(self.topics)

    @property
    def post_count(self) -> int:
        with self.lock:
            return len(self.posts)
