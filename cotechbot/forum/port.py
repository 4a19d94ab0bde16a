"""The `Forum` port: every forum operation the capabilities and the sync need, typed with `cotechbot.models`.

Adapters (`cotechbot.forum.discourse.DiscourseForum`, the dry-run wrapper, test doubles) implement this
protocol structurally. Every method either returns models — never raw dicts — or raises a subclass of
`cotechbot.errors.ForumError`:

    ForumUnavailable   connection refused/reset, timeout, 5xx           (transient: retry next cycle)
    ForumRateLimited   429, or a server-imposed wait we chose not to sit out (transient; ``wait_seconds``)
    ForumAuthError     403: the API key or username is wrong, or lacks permission
    ForumNotFound      404: gone, or invisible to the API user
    ForumRejected      another 4xx: the forum refused what we sent (``errors`` holds its messages)
    ForumBadResponse   the answer was not the JSON we expect (unparsable, wrong content type, wrong shape)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from cotechbot.models import CalendarEvent, CreatedPost, Group, GroupRequester, Post, Topic, Voter

#: Discourse's fixed page size for ``GET /posts.json``.
LATEST_POSTS_PAGE_SIZE = 50


@runtime_checkable
class Forum(Protocol):
    """What cotechbot needs from a Discourse forum."""

    #: A short name for logs and the ledger (``forum=`` in every log line), e.g. ``"cotech"``.
    name: str

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far by this adapter (every attempt counts, retries included)."""
        ...

    # -- reading ---------------------------------------------------------------------------------------
    def latest_posts(self, before: int | None = None) -> list[Post]:
        """Newest public posts site-wide, id descending, at most 50; ``before`` = only ids strictly lower."""
        ...

    def latest_topics(self, page: int = 0, per_page: int = 100) -> list[Topic]:
        """Topics by bump order (page 0 starts with pinned topics); ``per_page`` is 1..100."""
        ...

    def topic(self, topic_id: int, include_raw: bool = True) -> tuple[Topic, list[Post]]:
        """A topic and all its posts in stream order (the first chunk, then the rest fetched by id)."""
        ...

    def topic_posts(self, topic_id: int, post_ids: Sequence[int]) -> list[Post]:
        """The posts of ``topic_id`` with the given ids (batched); ids the forum no longer shows are absent."""
        ...

    def post(self, post_id: int) -> Post:
        """One post, with ``raw``."""
        ...

    def events(self, after: datetime | None = None) -> list[CalendarEvent]:
        """discourse-calendar events starting after ``after`` (all the forum lists when None)."""
        ...

    def group(self, name: str) -> Group: ...

    def group_requesters(self, name: str) -> list[GroupRequester]:
        """Pending requests to join group ``name`` (the API user must be able to edit the group)."""
        ...

    def group_member_usernames(self, name: str) -> list[str]:
        """Usernames of every member of group ``name`` (all pages)."""
        ...

    def poll_voters(self, post_id: int, poll_name: str) -> dict[str, list[Voter]]:
        """Voters of a public poll by option id (a ``number`` poll's flat list is under the key ``""``)."""
        ...

    def public_category_ids(self) -> frozenset[int]:
        """Ids of the categories everyone may read (neither read-restricted nor inside one that is)."""
        ...

    def find_own_post(self, topic_id: int, marker: str) -> int | None:
        """Id of the most recent post by the API user in ``topic_id`` whose raw contains ``marker``."""
        ...

    def find_own_topic(self, key: str, *, title: str | None = None) -> CreatedPost | None:
        """The topic the API user created for action ``key``: its first post ends with the key's marker
        (`cotechbot.messages.key_marker`). ``title`` narrows the search; None when there is none."""
        ...

    def find_own_private_message(self, key: str, *, title: str | None = None) -> CreatedPost | None:
        """The private message the API user sent for action ``key``, found like `find_own_topic`."""
        ...

    def check(self) -> str:
        """Verify connectivity and credentials; a one-line description of who we are on which forum."""
        ...

    # -- writing ---------------------------------------------------------------------------------------
    def handle_membership_request(self, group_id: int, user_id: int, accept: bool) -> None: ...

    def create_reply(self, topic_id: int, raw: str) -> CreatedPost: ...

    def create_topic(
        self, title: str, raw: str, category_id: int | None = None, tags: Iterable[str] = ()
    ) -> CreatedPost: ...

    def create_private_message(self, title: str, raw: str, recipients: Iterable[str]) -> CreatedPost: ...

    def edit_post(self, post_id: int, raw: str, edit_reason: str = "") -> Post: ...
