"""`DiscourseForum`: the `Forum` port for one Discourse site, composed of pydiscourse's client, our transport
(`cotechbot.forum.discourse.transport`) and the payload reader (`cotechbot.forum.discourse.parsing`).

The adapter *holds* a pydiscourse ``DiscourseClient`` as ``client`` rather than being one: its 94 raw-dict
methods stay out of the port, and each method here calls the client endpoint it needs (or ``client._get``
for what pydiscourse lacks) and hands back models. Every part of a path built from a name (a group named in
a poll, a username) is percent-encoded, so a name can never reach another endpoint or add a query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, SecretStr

from cotechbot.clock import Clock
from cotechbot.errors import ForumBadResponse, ForumNotFound, ForumRejected
from cotechbot.forum.discourse.parsing import PayloadReader, PostList, as_dict, as_list, chunks, event_payload
from cotechbot.forum.discourse.transport import SessionClient, Transport
from cotechbot.forum.membership_reads import DiscourseMembershipReads
from cotechbot.messages import ends_with_marker, key_marker
from cotechbot.models import CalendarEvent, CreatedPost, Group, GroupRequester, Post, Topic, Voter

M = TypeVar("M", bound=BaseModel)


def path_part(value: object) -> str:
    """One segment of an API path: every character that could end it or start a query is encoded."""
    return quote(str(value), safe="")


class DiscourseForum(DiscourseMembershipReads):
    """The `cotechbot.forum.port.Forum` port for one Discourse site (and `MembershipReads`, mixed in).

    One instance per forum: it owns the kept-alive session and the request budget, so share it between
    everything that talks to that forum (sync, dispatch, check) within a process.
    """

    #: Ids per ``/t/{id}/posts.json?post_ids[]=…`` request (Discourse's own client asks for 20 at a time).
    post_ids_per_request: int = 50
    #: How many of the API user's most recent posts `find_own_post` looks at.
    own_post_scan: int = 20
    #: How many of the API user's newest topics (or sent messages) `find_own_topic` opens at most.
    own_topic_scan: int = 10

    def __init__(
        self,
        host: str,
        api_username: str,
        api_key: str | SecretStr,
        *,
        name: str = "discourse",
        timeout: float = 15.0,
        requests_per_minute: float = 50,
        burst: int = 5,
        max_inline_wait: float = 5.0,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        self.name = name
        self.transport = Transport(
            host,
            api_username,
            key,
            name=name,
            timeout=timeout,
            requests_per_minute=requests_per_minute,
            burst=burst,
            max_inline_wait=max_inline_wait,
            clock=clock,
            sleep=sleep,
            session=session,
        )
        self.client = SessionClient(self.transport, key)
        self._log = self.transport.log
        self._read = PayloadReader(self._log)

    def __repr__(self) -> str:  # never show the key, nor credentials in the URL
        return (
            f"DiscourseForum(name={self.name!r}, host={self.transport.shown_host!r}, "
            f"api_username={self.api_username!r})"
        )

    @property
    def host(self) -> str:
        return self.transport.host

    @property
    def api_username(self) -> str:
        return self.transport.api_username

    @property
    def session(self) -> requests.Session:
        return self.transport.session

    @property
    def bucket(self) -> Any:
        return self.transport.bucket

    @property
    def requests_made(self) -> int:
        return self.transport.requests_made

    @property
    def rate_limited_responses(self) -> int:
        return self.transport.rate_limited_responses

    @property
    def response_observers(self) -> list[Callable[[str, str, int], None]]:
        return self.transport.response_observers

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> DiscourseForum:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what read mixins (``DiscourseMembershipReads``) build on: a GET, and the payload shape checks -------
    def _get(self, path: str, **params: Any) -> Any:
        return self.client._get(path, **params)

    def _shape(self, path: str) -> AbstractContextManager[None]:
        return self._read.shape(path)

    @staticmethod
    def _dict(payload: Any, path: str) -> dict[str, Any]:
        return as_dict(payload, path)

    @staticmethod
    def _list(value: Any, what: str, path: str) -> list[Any]:
        return as_list(value, what, path)

    # ------------------------------------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------------------------------------
    def latest_posts(self, before: int | None = None, **kwargs: Any) -> PostList:
        """One page of ``/posts.json``; posts failing validation are left out (see `parsing`)."""
        path = "/posts.json"
        payload = self.client.latest_posts(before=before, **kwargs)
        with self._read.shape(path):
            items = as_list(as_dict(payload, path)["latest_posts"], "latest_posts", path)
            page = self._read.posts(items, path)
        if items and not page.served_ids:
            raise ForumBadResponse(
                f"{path}: none of the {len(items)} posts on the page has a readable id, "
                f"so there is no way to page past them",
                path=path,
            )
        return page

    def latest_topics(self, page: int = 0, per_page: int = 100, **kwargs: Any) -> list[Topic]:
        path = "/latest.json"
        payload = self.client.latest_topics(page=page, per_page=per_page, **kwargs)
        return self._topic_list(payload, path)

    def _topic_list(self, payload: Any, path: str) -> list[Topic]:
        with self._read.shape(path):
            topics = as_dict(as_dict(payload, path)["topic_list"], path)["topics"]
            return [Topic.model_validate(t) for t in as_list(topics, "topics", path)]

    def topics_tagged(self, tag: str, max_pages: int = 20) -> list[Topic]:
        """Every visible topic carrying ``tag`` (``/tag/{tag}.json``, page by page); [] for a tag nobody uses.
        Deleted and untagged topics are not listed, which is how the decision log notices them."""
        path = f"/tag/{path_part(tag.lower())}.json"
        found: list[Topic] = []
        for page in range(max_pages):
            try:
                payload = self.client._get(path, page=page)
            except ForumNotFound:
                return found
            with self._read.shape(path):
                topic_list = as_dict(as_dict(payload, path)["topic_list"], path)
                found += [Topic.model_validate(t) for t in as_list(topic_list["topics"], "topics", path)]
            if not topic_list.get("more_topics_url"):
                break
        return found

    def topic(self, topic_id: int, include_raw: bool = True, **kwargs: Any) -> tuple[Topic, list[Post]]:
        path = f"/t/{int(topic_id)}.json"
        if include_raw:
            kwargs["include_raw"] = "true"
        # pydiscourse's topic() needs the slug and a wrong slug answers 301, so ask by id alone.
        payload = self.client._get(path, **kwargs)
        with self._read.shape(path):
            body = as_dict(payload, path)
            topic = Topic.model_validate(body)
            stream_block = as_dict(body["post_stream"], path)
            items = as_list(stream_block.get("posts", []), "post_stream.posts", path)
            first = self._read.posts(
                items,
                path,
                topic_id=topic.id,
                topic_title=topic.title,
                topic_slug=topic.slug,
                category_id=topic.category_id,
            )
            stream = [
                int(i)
                for i in as_list(stream_block.get("stream", first.served_ids), "post_stream.stream", path)
            ]
        have = {p.id: p for p in first}
        skipped = list(first.skipped)
        known_bad = {s.id for s in skipped if s.id is not None}
        missing = [i for i in stream if i not in have and i not in known_bad]
        if missing:
            rest = self.topic_posts(topic_id, missing)
            skipped.extend(rest.skipped)
            for post in rest:
                have[post.id] = post.model_copy(
                    update={
                        "topic_title": post.topic_title or topic.title,
                        "topic_slug": post.topic_slug or topic.slug,
                        "category_id": post.category_id
                        if post.category_id is not None
                        else topic.category_id,
                    }
                )
        order = {post_id: n for n, post_id in enumerate(stream)}
        posts = sorted(have.values(), key=lambda p: (order.get(p.id, len(order)), p.post_number))
        return topic, PostList(posts, skipped)

    def topic_posts(self, topic_id: int, post_ids: Sequence[int] = (), **kwargs: Any) -> PostList:
        path = f"/t/{int(topic_id)}/posts.json"
        posts = PostList()
        for chunk in chunks(list(post_ids), self.post_ids_per_request):
            payload = self.client.posts(int(topic_id), post_ids=chunk, include_raw="true", **kwargs)
            with self._read.shape(path):
                items = as_dict(as_dict(payload, path)["post_stream"], path)["posts"]
                page = self._read.posts(as_list(items, "post_stream.posts", path), path, topic_id=topic_id)
            posts.extend(page)
            posts.skipped.extend(page.skipped)
        return posts

    def post(self, post_id: int, **kwargs: Any) -> Post:
        path = f"/posts/{int(post_id)}.json"
        payload = self.client.post_by_id(int(post_id), **kwargs)
        with self._read.shape(path):
            return self._read.post(payload, path)

    def events(
        self, after: datetime | None = None, *, limit: int = 200, max_pages: int = 10
    ) -> list[CalendarEvent]:
        """Events from discourse-calendar, with details, ordered by start; pages on when a page is full."""
        path = "/discourse-post-event/events.json"
        seen: dict[int, CalendarEvent] = {}
        cursor = after
        for _ in range(max_pages):
            query: dict[str, Any] = {"include_details": "true", "order": "asc", "limit": limit}
            if cursor is not None:
                query["after"] = cursor.astimezone(UTC).isoformat().replace("+00:00", "Z")
            payload = self.client._get(path, **query)
            with self._read.shape(path):
                items = as_list(as_dict(payload, path)["events"], "events", path)
                page: list[CalendarEvent] = []
                for item in items:
                    flat = event_payload(item)
                    if flat is None:
                        self._log.info(
                            "discourse.event_skipped",
                            path=path,
                            reason="no start",
                            event_id=item.get("id") if isinstance(item, dict) else None,
                        )
                        continue
                    page.append(CalendarEvent.model_validate(flat))
            fresh = [e for e in page if e.id not in seen]
            for event in fresh:
                seen[event.id] = event
            if len(items) < limit or not fresh:
                break
            cursor = max(e.starts_at for e in page)
        return sorted(seen.values(), key=lambda e: (e.starts_at, e.id))

    def group(self, name: str) -> Group:
        # Not pydiscourse's group(): it puts the name into the path unencoded.
        path = f"/groups/{path_part(name)}.json"
        payload = self.client._get(path)
        with self._read.shape(path):
            return Group.model_validate(as_dict(payload, path)["group"])

    def group_requesters(self, name: str, *, page_size: int = 50) -> list[GroupRequester]:
        return self._group_member_pages(name, GroupRequester, page_size, requesters="true")

    def group_member_usernames(self, name: str, *, page_size: int = 50) -> list[str]:
        return [member.username for member in self._group_member_pages(name, Voter, page_size)]

    def _group_member_pages(self, name: str, model: type[M], page_size: int, **params: str) -> list[M]:
        """Every page of ``/groups/{name}/members.json`` (members, or requesters with ``requesters=true``)."""
        path = f"/groups/{path_part(name)}/members.json"
        found: list[M] = []
        offset = 0
        while True:
            payload = self.client._get(path, limit=page_size, offset=offset, **params)
            with self._read.shape(path):
                body = as_dict(payload, path)
                items = as_list(body["members"], "members", path)
                found.extend(model.model_validate(m) for m in items)
                total = (body.get("meta") or {}).get("total")
            offset += len(items)
            if not items or len(items) < page_size or (isinstance(total, int) and offset >= total):
                return found

    def poll_voters(
        self, post_id: int, poll_name: str, *, page_size: int = 50, max_pages: int = 40
    ) -> dict[str, list[Voter]]:
        path = "/polls/voters.json"
        result: dict[str, dict[int, Voter]] = {}
        for page in range(1, max_pages + 1):
            payload = self.client._get(path, post_id=post_id, poll_name=poll_name, limit=page_size, page=page)
            with self._read.shape(path):
                voters = as_dict(payload, path)["voters"]
                groups = {"": voters} if isinstance(voters, list) else as_dict(voters, path)
                full = False
                for option_id, users in groups.items():
                    bucket = result.setdefault(str(option_id), {})
                    users = as_list(users, f"voters[{option_id}]", path)
                    for user in users:
                        voter = Voter.model_validate(user)
                        bucket.setdefault(voter.id, voter)
                    full = full or len(users) >= page_size
            if not full:
                break
        return {option: list(voters.values()) for option, voters in result.items()}

    def public_category_ids(self) -> frozenset[int]:
        """Ids of the categories everyone may read: not ``read_restricted``, nor inside one that is. A category
        this list does not show (a subcategory on a server that does not nest them) counts as not public."""
        path = "/categories.json"
        payload = self.client._get(path, include_subcategories="true")
        public: set[int] = set()
        with self._read.shape(path):
            listed = as_dict(as_dict(payload, path)["category_list"], path)["categories"]
            pending = [(item, True) for item in as_list(listed, "categories", path)]
            while pending:
                item, parent_public = pending.pop()
                category = as_dict(item, path)
                open_to_all = parent_public and category["read_restricted"] is False
                if open_to_all:
                    public.add(int(category["id"]))
                children = as_list(category.get("subcategory_list") or [], "subcategory_list", path)
                pending.extend((child, open_to_all) for child in children)
        return frozenset(public)

    # ------------------------------------------------------------------------------------------------
    # finding what the bot itself posted (crash recovery: was this action already performed?)
    # ------------------------------------------------------------------------------------------------
    def find_own_post(self, topic_id: int, marker: str) -> int | None:
        """Scan the API user's most recent posts in the topic (one or two requests) for ``marker``."""
        path = f"/t/{int(topic_id)}.json"
        me = self.api_username.lower()
        payload = self.client._get(path, username_filters=self.api_username, include_raw="true")
        with self._read.shape(path):
            block = as_dict(as_dict(payload, path)["post_stream"], path)
            first = self._read.posts(as_list(block.get("posts", []), "posts", path), path, topic_id=topic_id)
            stream = [int(i) for i in as_list(block.get("stream", first.served_ids), "stream", path)]
        recent = stream[-self.own_post_scan :]
        have = {p.id: p for p in first if p.id in set(recent)}
        unreadable = [s for s in first.skipped if s.id is None or s.id in set(recent)]
        missing = [i for i in recent if i not in have and i not in {s.id for s in unreadable}]
        if missing:
            rest = self.topic_posts(topic_id, missing)
            have.update({p.id: p for p in rest})
            unreadable.extend(rest.skipped)
        for post in sorted(have.values(), key=lambda p: p.post_number, reverse=True):
            if post.username.lower() == me and ends_with_marker(post.raw, marker):
                return post.id
        if unreadable:
            # One of the posts we could not read may be ours: saying "not posted" could post twice.
            raise ForumBadResponse(
                f"{path}: {len(unreadable)} of the API user's recent posts could not be read, so a post "
                f"carrying the marker cannot be ruled out",
                path=path,
            )
        return None

    def find_own_topic(self, key: str, *, title: str | None = None) -> CreatedPost | None:
        """The topic the API user created for action ``key`` (its first post ends with the key's marker).

        Reads ``/topics/created-by/{me}.json`` (newest first) and opens at most `own_topic_scan` of the
        topics listed — only those titled ``title`` when it is given — to read their first post.
        """
        path = f"/topics/created-by/{path_part(self.api_username)}.json"
        return self._find_own_first_post(path, key, title)

    def find_own_private_message(self, key: str, *, title: str | None = None) -> CreatedPost | None:
        """The private message the API user sent for action ``key``, as `find_own_topic` does for topics,
        from ``/topics/private-messages-sent/{me}.json``."""
        path = f"/topics/private-messages-sent/{path_part(self.api_username)}.json"
        return self._find_own_first_post(path, key, title)

    def _find_own_first_post(self, path: str, key: str, title: str | None) -> CreatedPost | None:
        marker = key_marker(key)
        me = self.api_username.lower()
        listed = self._topic_list(self.client._get(path), path)
        candidates = [t for t in listed if title is None or t.title == title]
        candidates.sort(key=lambda t: (t.created_at or datetime.min.replace(tzinfo=UTC), t.id), reverse=True)
        for topic in candidates[: self.own_topic_scan]:
            topic_path = f"/t/{int(topic.id)}.json"
            payload = self.client._get(topic_path, include_raw="true")
            with self._read.shape(topic_path):
                block = as_dict(as_dict(payload, topic_path)["post_stream"], topic_path)
                items = as_list(block.get("posts", []), "posts", topic_path)
                posts = self._read.posts(items, topic_path, topic_id=topic.id)
            first = next((p for p in posts if p.post_number == 1), None)
            if first is None and posts.skipped:
                raise ForumBadResponse(
                    f"{topic_path}: the first post could not be read, so it carrying the marker "
                    f"cannot be ruled out",
                    path=topic_path,
                )
            if first is not None and first.username.lower() == me and ends_with_marker(first.raw, marker):
                return CreatedPost(id=first.id, topic_id=topic.id, post_number=1, topic_slug=topic.slug)
        return None

    def check(self) -> str:
        path = f"/users/{path_part(self.api_username)}.json"
        payload = self.client._get(path)
        with self._read.shape(path):
            user = as_dict(as_dict(payload, path).get("user", payload), path)
            roles = [r for r in ("admin", "moderator") if user.get(r)]
            return (
                f"{self.name}: {self.transport.shown_host} reachable; signed in as {user['username']} "
                f"(id {user['id']}{', ' + ', '.join(roles) if roles else ''})"
            )

    # ------------------------------------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------------------------------------
    def _created(self, payload: Any, path: str) -> CreatedPost:
        with self._read.shape(path):
            body = as_dict(payload, path)
            if body.get("action") == "enqueued":
                raise ForumRejected(
                    f"{path}: the post was queued for approval instead of published",
                    errors=["enqueued"],
                    path=path,
                )
            if "id" not in body and isinstance(body.get("post"), dict):
                body = body["post"]
            return CreatedPost.model_validate(body)

    def handle_membership_request(self, group_id: int, user_id: int, accept: bool) -> None:
        # The server only tests whether ``accept`` is present: to deny, leave it out (API-NOTES §6).
        form: dict[str, Any] = {"user_id": user_id}
        if accept:
            form["accept"] = "true"
        self.client._put(f"/groups/{int(group_id)}/handle_membership_request.json", **form)

    def create_reply(self, topic_id: int, raw: str) -> CreatedPost:
        return self._created(self.client.create_post(raw, topic_id=topic_id), "/posts")

    def create_topic(
        self, title: str, raw: str, category_id: int | None = None, tags: Iterable[str] = ()
    ) -> CreatedPost:
        return self._created(
            self.client.create_post(raw, category_id=category_id, title=title, tags=list(tags)), "/posts"
        )

    def create_private_message(self, title: str, raw: str, recipients: Iterable[str]) -> CreatedPost:
        names = ",".join(r.strip() for r in recipients if r and r.strip())
        if not names:
            raise ForumRejected("a private message needs at least one recipient", errors=["no recipients"])
        return self._created(
            self.client.create_post(raw, title=title, archetype="private_message", target_recipients=names),
            "/posts",
        )

    def set_wiki(self, post_id: int, wiki: bool = True) -> None:
        """Make a post a wiki (or not): ``PUT /posts/{id}/wiki.json``; staff only."""
        self.client._put(f"/posts/{int(post_id)}/wiki.json", wiki="true" if wiki else "false")

    def edit_post(self, post_id: int, raw: str, edit_reason: str = "") -> Post:
        path = f"/posts/{int(post_id)}"
        payload = self.client.update_post(int(post_id), raw, edit_reason)
        with self._read.shape(path):
            body = as_dict(payload, path)
            return self._read.post(body.get("post", body), path)
