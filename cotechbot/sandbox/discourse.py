"""A fake Discourse forum served over real HTTP, faithful to the contract cotechbot relies on.

Discourse cannot run here, so tests and ``cotechbot demo`` talk HTTP to this in-memory forum. The behaviour
follows ``../shared/reference/discourse/API-NOTES.md`` (section numbers below refer to it) and every reply can be
validated against the real upstream contracts (:mod:`cotechbot.sandbox.schemas`).

Starting it::

    from cotechbot.sandbox.discourse import FakeDiscourse
    from cotechbot.sandbox.scenario import cotech_scenario

    with FakeDiscourse.running(scenario=cotech_scenario(now), api_key="k", api_username="cotechbot") as forum:
        client = DiscourseClient(forum.url, api_username="cotechbot", api_key="k")
        ...
    # or: forum = FakeDiscourse(...); forum.start(); ...; forum.stop()

``FakeDiscourse(*, api_key="sandbox-api-key", api_username="cotechbot", now=None, clock=time.monotonic,
rate_limit_per_minute=None, tag_style="strings", validate=False, shared_dir=None, host="127.0.0.1", port=0,
title="CoTech sandbox")``

* ``api_username`` is created as an admin (the bot). The key is an "all users" admin key: any existing
  username may be sent in ``Api-Username`` (tests act as members that way).
* ``now`` — the forum's wall clock, ``Callable[[], datetime]`` (aware) or any object with ``.now()``
  (``cotechbot.clock.FixedClock``). Every ``created_at``/``updated_at`` it stamps comes from it.
* ``clock`` — a monotonic ``Callable[[], float]`` for the rate limiter's window, the 120 s create-post
  memo and the request log's ``at``; tests pass a fake to move time without sleeping.
* ``rate_limit_per_minute`` — None (off) or N: the admin-API limit for the whole site (§8).
* ``tag_style`` — ``"strings"`` or ``"objects"`` (``{id,name,slug}``): how topics serialize tags (§1b).
* ``validate`` — check every reply against the contracts when ``../shared`` is present (quietly off
  otherwise; ``forum.validating`` says which). A violation turns the reply into a 500 whose body names it,
  is appended to ``forum.contract_violations``, and makes ``running()`` raise :class:`ContractViolationError`
  on exit. ``shared_dir`` overrides where ``../shared`` is looked for (default: ``$COTECHBOT_SHARED_DIR`` or the
  folder beside the repository).
* ``running(scenario=callable, **same keywords)`` calls ``scenario(forum)`` before serving and keeps what it
  returns as ``forum.scenario`` (see :mod:`cotechbot.sandbox.scenario`).

HTTP routes (``.json`` suffix optional when ``Accept: application/json`` is sent; without either a GET gets
an HTML page, as from Discourse)::

    GET  /posts.json[?before=ID]                       50 newest public regular posts, id descending (§1a)
    POST /posts.json                                   topic / reply / PM; 422 {"action":"create_post",...}
    GET  /posts/{id}.json, /posts/by_number/{t}/{n}.json   one post with raw
    PUT  /posts/{id}.json                              post[raw], post[edit_reason], post[original_text] (409)
    GET  /latest.json  ?page&per_page&order&ascending  topic list by bump, pinned first on page 0 (§1b)
    GET  /c/{slug}/{id}.json, /c/{id}.json, /tag/{name}.json     the same list, filtered (§1c)
    GET  /t/{id}.json, /t/{slug}/{id}.json, /t/{id}/{n}.json     topic view (20 posts + stream); 301 on wrong slug
    GET  /t/{id}/posts.json?post_ids[]=…               those posts
    GET  /discourse-post-event/events.json             ?include_details&category_id&post_id&before&after&order&limit
    GET  /discourse-post-event/events/{id}.json
    GET  /groups/{name}.json, /groups/{name}/members.json[?requesters=true]
    POST /groups/{name}/request_membership.json        reason=
    PUT  /groups/{id}/handle_membership_request.json   user_id=, accept present → accept, absent → deny
    GET  /polls/voters.json?post_id&poll_name[&option_id&page&limit]
    GET  /u/{username}.json, /users/{username}.json, /site/basic-info.json
    GET  /groups.json, /admin/users/{id}.json, /u/{u}/emails.json, /admin/logs/staff_action_logs.json  (membership_routes)

Every JSON reply has exactly ``Content-Type: application/json; charset=utf-8``. Missing credentials → 403
``not_logged_in`` (the sandbox behaves as a login-required site); a wrong key or unknown ``Api-Username`` → 403
``invalid_access``; keys in the query string are ignored. Connections are kept alive (HTTP/1.1) unless the client
sends ``Connection: close``.

Real behaviours worth knowing (each has a test in ``tests/contract/test_sandbox_*.py``):

* post ids start at 101 and topic ids at 1, so code mixing them up fails instead of passing by coincidence;
* an identical ``POST /posts.json`` from the same user within 120 s (of ``clock``) returns the first post
  again instead of posting twice (§7); a topic title already in use is a 422 "Title has already been used";
* replies bump the topic (``bumped_at``), edits do not; whispers (post_type 4) and small actions (3) don't bump
  and never appear in ``/posts.json``;
* poll results follow ``can_see_results?`` (§3): no staff exemption for ``on_vote``/``on_close``, ``votes``
  omitted when hidden, ``public``/``close``/``preloaded_voters`` only when they apply;
* the rate limiter is Discourse's sliding window; refused requests don't spend the budget; 403s never reach it.

Python API (all thread-safe; the records returned are the live objects — read them, change them only through
these methods; a username the forum does not know yet is created as a plain user on first use)::

    forum.url -> str                      forum.now() -> datetime          forum.start() / forum.stop()
    forum.add_user(username, *, name=None, admin=False, moderator=False, trust_level=1, created_at=None,
                   timezone="Europe/London", title=None) -> User
    forum.user(username) -> User
    forum.add_category(name, *, slug=None, color="0088CC", description=None, parent_id=None,
                       read_restricted=False, allowed_groups=()) -> Category
    forum.category(id_or_slug) -> Category
    forum.create_topic(title, raw, category_id=None, tags=(), username="system", created_at=None, *,
                       pinned=False, pinned_globally=False, visible=True, closed=False) -> (Topic, Post)
    forum.reply(topic_id, raw, username="system", created_at=None, *, reply_to_post_number=None,
                post_type=1) -> Post                                  (post_type 4 = whisper, 3 = small action)
    forum.send_pm(title, raw, from_username, to, created_at=None) -> (Topic, Post)   to: usernames/group names
    forum.edit_post(post_id, raw, *, edit_reason=None, at=None, username=None) -> Post
                                                  bumps version + updated_at (same raw: no-op), not the topic
    forum.delete_post(post_id, at=None) -> Post        deleting post 1 deletes the topic (§2)
    forum.delete_topic(topic_id, at=None) -> Topic
    forum.pin_topic(topic_id, *, globally=False) / unpin_topic(topic_id) / close_topic(topic_id, closed=True)
    forum.set_topic_visible(topic_id, visible)         unlisted topics leave /latest for non-staff
    forum.vote(post_id, poll_name, username, option_ids) -> Poll   ids or option texts; replaces earlier vote
    forum.unvote(post_id, poll_name, username) -> Poll
    forum.close_poll(post_id, poll_name="poll") -> Poll            forum.open_poll(post_id, poll_name="poll")
    forum.set_attendance(post_id, username, status="going") -> Event    going | interested | not_going
    forum.add_group(name, *, full_name=None, allow_membership_requests=True, members=(), owners=(),
                    public_admission=False, membership_request_template=None) -> Group
    forum.add_group_member(group, username, *, owner=False, added_at=None) / remove_group_member(group, username)
    forum.request_membership(group, username, reason, requested_at=None) -> MembershipRequest
    forum.topic(id) / post(id) / topic_posts(topic_id) / poll(post_id, name="poll") / event(post_id) / group(name)
    forum.posts_by(username) -> list[Post]          every post the user wrote, PMs included, oldest first
    forum.private_messages(username=None) -> list[Topic]
    forum.topic_count / forum.post_count -> int
    forum.requests -> list[RequestRecord]   forum.connections_opened -> int   forum.clear_log()
    forum.contract_violations -> list[ContractViolation]     forum.assert_no_contract_violations()
    forum.faults.fail_next(n=1, status=500, *, path=None)    JSON error body with that status
    forum.faults.slow_next(n, seconds, *, path=None)         answer late (client timeouts); stop() cuts it short
    forum.faults.malformed_next(n=1, *, path=None)           200, JSON content type, truncated body
    forum.faults.rate_limit_next(n=1, wait_seconds=60, *, path=None)   Discourse's 429
    forum.faults.clear() / forum.faults.pending                (path = a path prefix, e.g. "/latest")
    forum.corrupt_post(post_id, **fields)              TEST HOOK: every serialization of that post carries
                                                       ``fields`` (FakeDiscourse.MISSING drops a field); no
                                                       fields = serve it intact again. Breaks the contract:
                                                       use with ``validate=False`` (the default)
    forum.set_rate_limit(per_minute | None)
    forum.tag_style = "objects"                        switch tag shape at any time
    forum.staff_see_deleted = False                    True: staff read deleted topics/posts with deleted_at (real
                                                       Discourse); False (default): deleted → 404 for everyone
    forum.editing_grace_period = 0.0                   seconds; Discourse's default is 300: edits by the author
                                                       inside it keep ``version`` (``updated_at`` still moves)
    forum.min_post_length, min_first_post_length, min_personal_message_post_length, min_topic_title_length,
    forum.min_personal_message_title_length            HTTP-only validation (20, 20, 10, 15, 2 as in Discourse)
    forum.allow_duplicate_topic_titles = False         HTTP: a second topic with an existing title is a 422

Not modelled: likes, bookmarks, read state, notifications, uploads, search, webhooks, trust-level promotion,
post revisions history, hidden/flagged posts workflow, the topic-list ``filter`` language, category
permissions beyond "read restricted to groups", private-posts.json, poll voting over HTTP, edit conflicts other
than ``original_text``, the "just posted that" duplicate check for non-staff, slugs of non-ASCII titles.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import html
import itertools
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from cotechbot.sandbox import markup
from cotechbot.sandbox.markup import MarkupError, utc_iso
from cotechbot.sandbox.schemas import Contracts, load_contracts

__all__ = [
    "JSON_CONTENT_TYPE",
    "Category",
    "ContractViolation",
    "ContractViolationError",
    "Event",
    "FakeDiscourse",
    "Faults",
    "Group",
    "MarkupError",
    "MembershipRequest",
    "Poll",
    "PollOption",
    "Post",
    "RequestRecord",
    "Topic",
    "User",
]

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
POSTS_PAGE_SIZE = 50
TOPIC_CHUNK_SIZE = 20
DEFAULT_PER_PAGE = 30
MEMO_SECONDS = 120.0

NOT_FOUND = "The requested URL or resource could not be found."
INVALID_ACCESS = "You are not permitted to view the requested resource. The API username or key is invalid."
NOT_PERMITTED = "You are not permitted to view the requested resource."
NOT_LOGGED_IN = "You need to be logged in to do that."


class _Missing:
    """Sentinel for `FakeDiscourse.corrupt_post`: leave the field out of the post's JSON."""

    def __repr__(self) -> str:
        return "FakeDiscourse.MISSING"


def _membership_routes() -> Any:
    from cotechbot.sandbox import membership_routes  # imports this module: loaded on first use

    return membership_routes


def _all_routes(
    own: list[tuple[str, re.Pattern[str], str, str]],
) -> list[tuple[str, re.Pattern[str], str, Any]]:
    """This module's routes, then those of the route modules beside it (``membership_routes.ROUTES``)."""
    extra = [(r.method, re.compile(r.pattern), r.name, r.handler) for r in _membership_routes().ROUTES]
    return [*own, *extra]


# ==============================================================================================================
# records


@dataclass(kw_only=True, eq=False)
class User:
    id: int
    username: str
    name: str
    created_at: datetime
    admin: bool = False
    moderator: bool = False
    trust_level: int = 1
    timezone: str | None = "Europe/London"
    title: str | None = None

    @property
    def staff(self) -> bool:
        return self.admin or self.moderator


@dataclass(kw_only=True, eq=False)
class Category:
    id: int
    name: str
    slug: str
    color: str = "0088CC"
    text_color: str = "FFFFFF"
    description: str | None = None
    parent_id: int | None = None
    read_restricted: bool = False
    allowed_groups: list[str] = field(default_factory=list)


@dataclass(kw_only=True, eq=False)
class Topic:
    id: int
    title: str
    slug: str
    category_id: int | None
    user_id: int
    created_at: datetime
    bumped_at: datetime
    last_posted_at: datetime
    archetype: str = "regular"  # or "private_message"
    tags: list[str] = field(default_factory=list)
    pinned_at: datetime | None = None
    pinned_globally: bool = False
    visible: bool = True
    closed: bool = False
    archived: bool = False
    deleted_at: datetime | None = None
    views: int = 0
    like_count: int = 0
    post_ids: list[int] = field(default_factory=list)  # in post_number order, deleted ones included
    highest_post_number: int = 0
    last_post_user_id: int = 0
    allowed_user_ids: set[int] = field(default_factory=set)  # private messages only
    allowed_group_ids: set[int] = field(default_factory=set)
    reply_counts: dict[int, int] = field(default_factory=dict)  # post_number → replies to it
    posts_count: int = 0  # posts neither deleted nor whispers (what Discourse counts)

    @property
    def is_pm(self) -> bool:
        return self.archetype == "private_message"


@dataclass(kw_only=True, eq=False)
class PollOption:
    id: str
    text: str
    html: str


@dataclass(kw_only=True, eq=False)
class Poll:
    id: int
    post_id: int
    name: str
    type: str
    status: str
    results: str
    public: bool
    chart_type: str
    options: list[PollOption]
    min: int | None = None
    max: int | None = None
    step: int | None = None
    close: datetime | None = None
    groups: str | None = None
    title: str | None = None
    votes: dict[int, list[str]] = field(default_factory=dict)  # user id → option ids, in voting order

    def option(self, key: str) -> PollOption:
        for option in self.options:
            if key in (option.id, option.text):
                return option
        raise KeyError(f"poll {self.name!r} has no option {key!r}")

    def tally(self) -> dict[str, int]:
        counts = {o.id: 0 for o in self.options}
        for chosen in self.votes.values():
            for option_id in chosen:
                counts[option_id] = counts.get(option_id, 0) + 1
        return counts


@dataclass(kw_only=True, eq=False)
class Event:
    id: int  # = the post id
    starts_at: datetime
    ends_at: datetime | None
    timezone: str | None
    status: str
    name: str | None = None
    url: str | None = None
    location: str | None = None
    reminders: str | None = None
    recurrence: str | None = None
    recurrence_until: datetime | None = None
    allowed_groups: list[str] = field(default_factory=list)
    show_local_time: bool = False
    minimal: bool = False
    closed: bool = False
    chat_enabled: bool = False
    description: str | None = None
    invitees: dict[int, str] = field(default_factory=dict)  # user id → going | interested | not_going


@dataclass(kw_only=True, eq=False)
class Post:
    id: int
    topic_id: int
    post_number: int
    user_id: int
    raw: str
    cooked: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
    post_type: int = 1
    deleted_at: datetime | None = None
    hidden: bool = False
    reply_to_post_number: int | None = None
    edit_reason: str | None = None
    wiki: bool = False
    polls: dict[str, Poll] = field(default_factory=dict)
    event: Event | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(kw_only=True, eq=False)
class MembershipRequest:
    user_id: int
    reason: str | None
    requested_at: datetime


@dataclass(kw_only=True, eq=False)
class Group:
    id: int
    name: str
    full_name: str | None = None
    allow_membership_requests: bool = True
    public_admission: bool = False
    public_exit: bool = False
    membership_request_template: str | None = None
    title: str | None = None
    bio_raw: str | None = None
    visibility_level: int = 0
    members_visibility_level: int = 0
    mentionable_level: int = 0
    messageable_level: int = 0
    members: dict[int, datetime] = field(default_factory=dict)  # user id → added_at
    owners: set[int] = field(default_factory=set)
    requests: dict[int, MembershipRequest] = field(default_factory=dict)  # user id → pending request


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP request the fake answered. ``at`` is the injected ``clock()`` when it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    at: float
    duration: float
    username: str | None
    route: str | None
    fault: str | None = None


@dataclass(frozen=True)
class ContractViolation:
    route: str
    method: str
    path: str
    status: int
    problems: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.route}, {self.status}): " + "; ".join(self.problems)


class ContractViolationError(AssertionError):
    """The fake served something the real contract forbids (raised by ``running()`` on exit)."""


# ==============================================================================================================
# faults and rate limiting


@dataclass
class _FaultRule:
    kind: str  # fail | slow | malformed | rate_limit
    remaining: int
    path_prefix: str | None
    status: int = 500
    seconds: float = 0.0
    wait_seconds: int = 60


class Faults:
    """Scripted failures for the next requests (optionally only those whose path starts with ``path``).

    Rules are consumed in the order they were added; a request takes at most one rule. ``slow_next`` delays and
    then answers normally, the others replace the answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_FaultRule] = []

    def fail_next(self, n: int = 1, status: int = 500, *, path: str | None = None) -> None:
        """The next ``n`` requests answer ``status`` with a JSON error body."""
        self._add(_FaultRule("fail", n, path, status=status))

    def slow_next(self, n: int, seconds: float, *, path: str | None = None) -> None:
        """The next ``n`` requests wait ``seconds`` before being answered (for client timeouts)."""
        self._add(_FaultRule("slow", n, path, seconds=seconds))

    def malformed_next(self, n: int = 1, *, path: str | None = None) -> None:
        """The next ``n`` requests answer 200 with truncated JSON and the right content type."""
        self._add(_FaultRule("malformed", n, path))

    def rate_limit_next(self, n: int = 1, wait_seconds: int = 60, *, path: str | None = None) -> None:
        """The next ``n`` requests answer Discourse's 429 with ``extras.wait_seconds``."""
        self._add(_FaultRule("rate_limit", n, path, status=429, wait_seconds=wait_seconds))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(rule.remaining for rule in self._rules)

    def _add(self, rule: _FaultRule) -> None:
        if rule.remaining < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._rules.append(rule)

    def _take(self, path: str) -> _FaultRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.path_prefix is None or path.startswith(rule.path_prefix):
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return rule
        return None


class _RateLimiter:
    """Discourse's sliding-window limiter: at most ``limit`` requests in any ``window`` seconds."""

    def __init__(self, limit: int | None, clock: Callable[[], float], window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: list[float] = []
        self._lock = threading.Lock()

    def check(self) -> int | None:
        """Record a request and return None, or return the seconds to wait when over the limit."""
        if not self.limit:
            return None
        now = self._clock()
        with self._lock:
            cutoff = now - self.window
            while self._hits and self._hits[0] <= cutoff:
                self._hits.pop(0)
            if len(self._hits) >= self.limit:
                return max(1, math.ceil(self._hits[0] + self.window - now))
            self._hits.append(now)
            return None


def _time_left(seconds: int) -> str:
    """Discourse's ``RateLimiter::LimitExceeded#time_left`` wording."""

    def plural(count: int, unit: str) -> str:
        return f"{count} {unit}" if count == 1 else f"{count} {unit}s"

    if seconds <= 3:
        return "a few seconds"
    if seconds < 60:
        return plural(seconds, "second")
    if seconds < 3600:
        return plural(seconds // 60, "minute")
    if seconds < 86400:
        return plural(seconds // 3600, "hour")
    return plural(seconds // 86400, "day")


def rate_limit_body(wait_seconds: int) -> dict[str, Any]:
    """The body Discourse sends with a controller-level 429 (§8)."""
    left = _time_left(wait_seconds)
    return {
        "errors": [f"You’ve performed this action too many times. Please wait {left} before trying again."],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": wait_seconds, "time_left": left},
    }


# ==============================================================================================================
# HTTP plumbing


class _HttpError(Exception):
    def __init__(self, status: int, errors: list[str] | str, error_type: str | None = None, extras=None):
        super().__init__(errors)
        self.status = status
        self.errors = [errors] if isinstance(errors, str) else errors
        self.error_type = error_type
        self.extras = extras

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"errors": self.errors}
        if self.error_type:
            body["error_type"] = self.error_type
        if self.extras is not None:
            body["extras"] = self.extras
        return body


class _CreatePostError(_HttpError):
    """POST /posts.json failures keep the ``{"action":"create_post","errors":[...]}`` shape (§7)."""

    def __init__(self, *messages: str) -> None:
        super().__init__(422, list(messages))

    def body(self) -> dict[str, Any]:
        return {"action": "create_post", "errors": self.errors}


def _not_found(topic: bool = False) -> _HttpError:
    extras = None
    if topic:
        extras = {
            "title": "Page Not Found",
            "html": '<div class="page-not-found"><h1 class="title">Oops! That page doesn’t exist or is private.</h1></div>',
            "group": None,
        }
    return _HttpError(404, NOT_FOUND, "not_found", extras)


def _invalid(param: str) -> _HttpError:
    return _HttpError(400, f"You supplied invalid parameters to the request: {param}", "invalid_parameters")


@dataclass
class _Reply:
    status: int
    body: Any  # JSON-able, or bytes for non-JSON
    route: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_CONTENT_TYPE


@dataclass
class _Req:
    method: str
    path: str  # without .json
    args: MultiDict
    params: MultiDict  # query + body, flattened (JSON bodies become post[raw] style keys)
    viewer: User
    groups: tuple[str, ...]

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self.params.get(key)
        return default if value is None else value

    def getlist(self, key: str) -> list[str]:
        return [*self.params.getlist(f"{key}[]"), *self.params.getlist(key)]

    def flag(self, key: str) -> bool:
        return (self.params.get(key) or "").lower() == "true"

    def int(self, key: str, default: int | None = None, *, minimum: int | None = None) -> int | None:
        value = self.params.get(key)
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise _invalid(key) from None
        if minimum is not None and number < minimum:
            raise _invalid(key)
        return number


def _flatten_json(data: Any, prefix: str, out: MultiDict) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _flatten_json(value, f"{prefix}[{key}]" if prefix else str(key), out)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict | list):
                _flatten_json(item, f"{prefix}[]", out)
            else:
                out.add(f"{prefix}[]", _scalar(item))
    elif data is not None:
        out.add(prefix, _scalar(data))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:80].strip("-") or "topic"


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"naive datetime {value.isoformat()}: the fake forum stores aware UTC datetimes only"
        )
    return value.astimezone(UTC)


_PLUS_AS_SPACE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


def _parse_iso(value: str, param: str) -> datetime:
    """An ISO-8601 query/body parameter (a ``+`` offset that arrived as a space is repaired)."""
    text = _PLUS_AS_SPACE.sub(r"\1+\2", value.strip()).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            from dateutil import parser as dateutil_parser

            parsed = dateutil_parser.parse(value)
        except (ValueError, OverflowError):
            raise _invalid(param) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


_LETTER_COLOURS = ("1ea97c", "e36b2b", "5e99b9", "a87137", "8c91ba", "b19c9b", "d6c81f", "9ed47d")


@functools.lru_cache(maxsize=4096)
def _avatar_template(username: str) -> str:
    colour = _LETTER_COLOURS[int(hashlib.md5(username.encode()).hexdigest(), 16) % len(_LETTER_COLOURS)]
    return f"/letter_avatar_proxy/v4/letter/{username[:1].lower() or 'x'}/{colour}/{{size}}.png"


# ==============================================================================================================
# the forum


class FakeDiscourse:
    """An in-memory Discourse with a real HTTP front end; see the module docstring for the whole API."""

    #: Value for `corrupt_post` that removes a field from the post's JSON instead of replacing it.
    MISSING: Any = _Missing()

    def __init__(
        self,
        *,
        api_key: str = "sandbox-api-key",
        api_username: str = "cotechbot",
        now: Callable[[], datetime] | Any | None = None,
        clock: Callable[[], float] = time.monotonic,
        rate_limit_per_minute: int | None = None,
        tag_style: str = "strings",
        validate: bool = False,
        shared_dir: Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
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
        self._clock = clock
        self.api_key = api_key
        self.api_username = api_username
        self.tag_style = tag_style
        self.title = title
        self.host = host
        self._port = port
        self.staff_see_deleted = False
        self.editing_grace_period = 0.0
        self.min_post_length = 20
        self.min_first_post_length = 20
        self.min_personal_message_post_length = 10
        self.min_topic_title_length = 15
        self.min_personal_message_title_length = 2
        self.allow_duplicate_topic_titles = False

        self.faults = Faults()
        self._limiter = _RateLimiter(rate_limit_per_minute, clock)
        self._lock = threading.RLock()
        self._log_lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._violations: list[ContractViolation] = []
        self._connections_opened = 0
        self._open_sockets: set[socket.socket] = set()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.scenario: Any = None

        self._contracts: Contracts | None = None
        if validate:
            self._contracts = load_contracts(Path(shared_dir) if shared_dir is not None else None)

        # storage, indexed
        self._users: dict[int, User] = {}
        self._users_by_name: dict[str, User] = {}
        self._categories: dict[int, Category] = {}
        self._topics: dict[int, Topic] = {}
        self._posts: dict[int, Post] = {}
        self._listed_post_ids: list[int] = []  # posts of regular topics, ascending (ids only grow)
        self._posts_by_user: dict[int, list[int]] = {}
        self._groups: dict[int, Group] = {}
        self._groups_by_name: dict[str, Group] = {}
        self._tags: dict[str, int] = {}
        self._titles: dict[str, int] = {}  # lowercased title → topic id (regular, not deleted)
        self._events: dict[int, Event] = {}
        self._corrupted: dict[int, dict[str, Any]] = {}  # post id -> fields overriding its JSON (test hook)
        self._memo: dict[tuple, tuple[float, Any]] = {}
        self._topic_order_cache: dict[tuple[str, bool], tuple[int, list[int]]] = {}
        self._topics_version = 0
        self._next = {
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
        self._users[system.id] = system
        self._users_by_name["system"] = system
        self._categories[1] = Category(id=1, name="Uncategorized", slug="uncategorized", color="0088CC")
        if api_username.lower() != "system":
            self.add_user(
                api_username,
                name="CoTech bot",
                admin=True,
                moderator=False,
                trust_level=4,
                created_at=created,
            )

    # ------------------------------------------------------------------------------------------ lifecycle

    @classmethod
    @contextlib.contextmanager
    def running(
        cls, scenario: Callable[[FakeDiscourse], Any] | None = None, **kwargs: Any
    ) -> Iterator[FakeDiscourse]:
        """Serve a new forum (seeded by ``scenario(forum)`` when given) for the duration of the block.

        On a clean exit, raises :class:`ContractViolationError` if any reply broke the contract.
        """
        forum = cls(**kwargs)
        if scenario is not None:
            forum.scenario = scenario(forum)
        forum.start()
        try:
            yield forum
        except BaseException:
            forum.stop()
            raise
        forum.stop()
        forum.assert_no_contract_violations()

    def __enter__(self) -> FakeDiscourse:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> FakeDiscourse:
        """Bind 127.0.0.1 on a free port (or the given one) and serve from a daemon thread."""
        if self._server is not None:
            return self
        forum = self

        class Handler(WSGIRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 120  # idle keep-alive connections are dropped after this many seconds

            def run_wsgi(self) -> None:
                # Werkzeug 3's own run_wsgi always sends "Connection: close" and then drains the socket, which
                # would swallow the next request on a kept-alive connection. Our app reads every request body
                # in full and answers with a Content-Length, so the stream is at the next request line and
                # the connection can stay open unless the client asked to close it.
                if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
                    self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                environ = self.make_environ()
                state: dict[str, Any] = {}
                chunks: list[bytes] = []

                def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
                    state["status"], state["headers"] = status, headers
                    return chunks.append

                result = self.server.app(environ, start_response)
                try:
                    chunks.extend(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
                body = b"".join(chunks)
                code, _, reason = state["status"].partition(" ")
                self.send_response(int(code), reason)
                for key, value in state["headers"]:
                    if key.lower() not in ("content-length", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                if environ["REQUEST_METHOD"] != "HEAD":
                    self.wfile.write(body)
                self.wfile.flush()

            def setup(self) -> None:
                super().setup()
                # headers and body go out in separate writes: without TCP_NODELAY, Nagle plus the client's
                # delayed ACK adds ~40 ms to every small reply on a kept-alive connection
                with contextlib.suppress(OSError):
                    self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                forum._connection_opened(self.connection)

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    forum._connection_closed(self.connection)

            def log(self, type: str, message: str, *args: Any) -> None:  # our own request log instead
                pass

        self._stopping.clear()
        self._server = make_server(self.host, self._port, self._wsgi, threaded=True, request_handler=Handler)
        self._server.block_on_close = False  # type: ignore[attr-defined]
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.02), name="fake-discourse", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open keep-alive connections. Safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._log_lock:
            sockets = list(self._open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake forum is not running: call start() or use FakeDiscourse.running()")
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def validating(self) -> bool:
        """True when replies are being checked against the contracts (``validate=True`` and ../shared found)."""
        return self._contracts is not None

    def now(self) -> datetime:
        """The forum's current time (aware UTC), from the injected ``now``."""
        return _aware(self._now_fn())

    # ------------------------------------------------------------------------------------------ logs

    def _connection_opened(self, sock: socket.socket) -> None:
        with self._log_lock:
            self._connections_opened += 1
            self._open_sockets.add(sock)

    def _connection_closed(self, sock: socket.socket) -> None:
        with self._log_lock:
            self._open_sockets.discard(sock)

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted since start (or the last :meth:`clear_log`)."""
        with self._log_lock:
            return self._connections_opened

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        with self._log_lock:
            return list(self._requests)

    @property
    def contract_violations(self) -> list[ContractViolation]:
        with self._log_lock:
            return list(self._violations)

    def clear_log(self) -> None:
        """Forget logged requests, counted connections and recorded contract violations."""
        with self._log_lock:
            self._requests.clear()
            self._violations.clear()
            self._connections_opened = 0

    def assert_no_contract_violations(self) -> None:
        violations = self.contract_violations
        if violations:
            raise ContractViolationError(
                f"the fake Discourse served {len(violations)} repl(ies) breaking the contract:\n"
                + "\n".join(str(v) for v in violations)
            )

    def set_rate_limit(self, per_minute: int | None) -> None:
        """Switch the site-wide admin-API limit on (requests per minute) or off (None)."""
        self._limiter.limit = per_minute

    # ================================================================================ Python API: users etc.

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
        with self._lock:
            if username.lower() in self._users_by_name:
                raise ValueError(f"user {username!r} exists")
            user = User(
                id=next(self._next["user"]),
                username=username,
                name=name if name is not None else username,
                created_at=_aware(created_at) if created_at else self.now(),
                admin=admin,
                moderator=moderator,
                trust_level=trust_level,
                timezone=timezone,
                title=title,
            )
            self._users[user.id] = user
            self._users_by_name[username.lower()] = user
            return user

    def user(self, username: str) -> User:
        with self._lock:
            try:
                return self._users_by_name[username.lower()]
            except KeyError:
                raise KeyError(f"no user {username!r}") from None

    def _user_or_create(self, username: str) -> User:
        found = self._users_by_name.get(username.lower())
        return found if found is not None else self.add_user(username)

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
        with self._lock:
            category = Category(
                id=next(self._next["category"]),
                name=name,
                slug=slug or _slugify(name),
                color=color,
                description=description,
                parent_id=parent_id,
                read_restricted=read_restricted,
                allowed_groups=list(allowed_groups),
            )
            self._categories[category.id] = category
            return category

    def category(self, key: int | str) -> Category:
        with self._lock:
            if isinstance(key, int):
                return self._categories[key]
            for category in self._categories.values():
                if key in (category.slug, category.name):
                    return category
            raise KeyError(f"no category {key!r}")

    # ================================================================================ Python API: content

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
        with self._lock:
            author = self._user_or_create(username)
            if category_id is not None and category_id not in self._categories:
                raise KeyError(f"no category {category_id}")
            topic, post = self._create_topic(
                title,
                raw,
                category_id or 1,
                list(tags),
                author,
                _aware(created_at) if created_at else self.now(),
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
        with self._lock:
            topic = self._topics[topic_id]
            author = self._user_or_create(username)
            return self._create_post(
                topic,
                raw,
                author,
                _aware(created_at) if created_at else self.now(),
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
        with self._lock:
            author = self._user_or_create(from_username)
            names = [n.strip() for n in (to.split(",") if isinstance(to, str) else to) if n.strip()]
            users, groups = self._resolve_recipients(names)
            return self._create_pm(
                title, raw, author, users, groups, _aware(created_at) if created_at else self.now()
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
        with self._lock:
            post = self._posts[post_id]
            editor = self._users_by_name[username.lower()] if username else self._users[post.user_id]
            self._revise(post, raw, editor, edit_reason, _aware(at) if at else self.now())
            return post

    def delete_post(self, post_id: int, at: datetime | None = None) -> Post:
        """Soft-delete a post; deleting post 1 deletes its topic, as in Discourse."""
        with self._lock:
            post = self._posts[post_id]
            when = _aware(at) if at else self.now()
            if post.post_number == 1:
                self._delete_topic(self._topics[post.topic_id], when)
            else:
                self._delete_post(post, when)
            return post

    def delete_topic(self, topic_id: int, at: datetime | None = None) -> Topic:
        with self._lock:
            topic = self._topics[topic_id]
            self._delete_topic(topic, _aware(at) if at else self.now())
            return topic

    def pin_topic(self, topic_id: int, *, globally: bool = False) -> Topic:
        with self._lock:
            topic = self._topics[topic_id]
            self._pin(topic, globally)
            return topic

    def unpin_topic(self, topic_id: int) -> Topic:
        with self._lock:
            topic = self._topics[topic_id]
            topic.pinned_at = None
            topic.pinned_globally = False
            self._topics_changed()
            return topic

    def close_topic(self, topic_id: int, closed: bool = True) -> Topic:
        with self._lock:
            topic = self._topics[topic_id]
            topic.closed = closed
            return topic

    def set_topic_visible(self, topic_id: int, visible: bool) -> Topic:
        """List or unlist a topic (unlisted topics leave /latest for non-staff)."""
        with self._lock:
            topic = self._topics[topic_id]
            topic.visible = visible
            self._topics_changed()
            return topic

    # ---------------------------------------------------------------------------------------- polls, events

    def poll(self, post_id: int, name: str = "poll") -> Poll:
        with self._lock:
            try:
                return self._posts[post_id].polls[name]
            except KeyError:
                raise KeyError(f"post {post_id} has no poll named {name!r}") from None

    def vote(self, post_id: int, poll_name: str, username: str, option_ids: Iterable[str] | str) -> Poll:
        """Cast (or replace) ``username``'s vote; options by id or by their source text."""
        with self._lock:
            poll = self.poll(post_id, poll_name)
            user = self._user_or_create(username)
            chosen = [option_ids] if isinstance(option_ids, str) else list(option_ids)
            if self._poll_closed(poll):
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
                if not allowed & set(self._group_names_of(user)):
                    raise ValueError("you are not in a group allowed to vote in this poll")
            poll.votes.pop(user.id, None)
            poll.votes[user.id] = ids
            return poll

    def unvote(self, post_id: int, poll_name: str, username: str) -> Poll:
        with self._lock:
            poll = self.poll(post_id, poll_name)
            poll.votes.pop(self.user(username).id, None)
            return poll

    def close_poll(self, post_id: int, poll_name: str = "poll") -> Poll:
        with self._lock:
            poll = self.poll(post_id, poll_name)
            poll.status = "closed"
            return poll

    def open_poll(self, post_id: int, poll_name: str = "poll") -> Poll:
        with self._lock:
            poll = self.poll(post_id, poll_name)
            poll.status = "open"
            return poll

    def event(self, post_id: int) -> Event | None:
        with self._lock:
            return self._events.get(post_id)

    def set_attendance(self, post_id: int, username: str, status: str = "going") -> Event:
        if status not in ("going", "interested", "not_going"):
            raise ValueError("status is going, interested or not_going")
        with self._lock:
            event = self._events[post_id]
            event.invitees[self._user_or_create(username).id] = status
            return event

    # ---------------------------------------------------------------------------------------- groups

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
        with self._lock:
            if name.lower() in self._groups_by_name:
                raise ValueError(f"group {name!r} exists")
            group = Group(
                id=next(self._next["group"]),
                name=name,
                full_name=full_name,
                allow_membership_requests=allow_membership_requests,
                public_admission=public_admission,
                membership_request_template=membership_request_template,
            )
            self._groups[group.id] = group
            self._groups_by_name[name.lower()] = group
            for username in members:
                self.add_group_member(name, username)
            for username in owners:
                self.add_group_member(name, username, owner=True)
            return group

    def group(self, name: str | int) -> Group:
        with self._lock:
            if isinstance(name, int):
                return self._groups[name]
            try:
                return self._groups_by_name[name.lower()]
            except KeyError:
                raise KeyError(f"no group {name!r}") from None

    def add_group_member(
        self, group: str | int, username: str, *, owner: bool = False, added_at: datetime | None = None
    ) -> Group:
        with self._lock:
            found = self.group(group)
            user = self._user_or_create(username)
            found.members.setdefault(user.id, _aware(added_at) if added_at else self.now())
            if owner:
                found.owners.add(user.id)
            found.requests.pop(user.id, None)
            return found

    def remove_group_member(self, group: str | int, username: str) -> Group:
        with self._lock:
            found = self.group(group)
            user = self.user(username)
            found.members.pop(user.id, None)
            found.owners.discard(user.id)
            return found

    def request_membership(
        self, group: str | int, username: str, reason: str | None, requested_at: datetime | None = None
    ) -> MembershipRequest:
        """A pending request to join ``group``; like Discourse, it also PMs the group's owners."""
        with self._lock:
            found = self.group(group)
            user = self._user_or_create(username)
            if user.id in found.members:
                raise ValueError(f"{username} is already a member of {found.name}")
            if user.id in found.requests:
                raise ValueError(f"{username} has already asked to join {found.name}")
            when = _aware(requested_at) if requested_at else self.now()
            request = MembershipRequest(user_id=user.id, reason=reason, requested_at=when)
            found.requests[user.id] = request
            owners = [self._users[uid] for uid in sorted(found.owners)][:20]
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
        ``FakeDiscourse.MISSING`` as a value drops that field. The post itself is unchanged: it keeps its
        place in lists, streams and paging. Called with no fields, it undoes the corruption.

        Real Discourse never serves such posts, so corrupted replies break the contract: keep ``validate``
        off (the default) in tests that use this, or every such reply becomes a 500 contract violation.
        """
        with self._lock:
            if post_id not in self._posts:
                raise KeyError(f"no post {post_id}")
            if fields:
                self._corrupted[post_id] = dict(fields)
            else:
                self._corrupted.pop(post_id, None)

    # ---------------------------------------------------------------------------------------- lookups

    def topic(self, topic_id: int) -> Topic:
        with self._lock:
            return self._topics[topic_id]

    def post(self, post_id: int) -> Post:
        with self._lock:
            return self._posts[post_id]

    def topic_posts(self, topic_id: int) -> list[Post]:
        """All posts of a topic in order, deleted ones included."""
        with self._lock:
            return [self._posts[pid] for pid in self._topics[topic_id].post_ids]

    def posts_by(self, username: str) -> list[Post]:
        """Every post ``username`` wrote (topics, replies, PMs; deleted ones too), oldest first."""
        with self._lock:
            user = self._users_by_name.get(username.lower())
            if user is None:
                return []
            return [self._posts[pid] for pid in self._posts_by_user.get(user.id, [])]

    def private_messages(self, username: str | None = None) -> list[Topic]:
        """PM topics, optionally only those ``username`` takes part in (directly or through a group)."""
        with self._lock:
            pms = [t for t in self._topics.values() if t.is_pm and t.deleted_at is None]
            if username is None:
                return pms
            user = self.user(username)
            group_ids = {g.id for g in self._groups.values() if user.id in g.members}
            return [t for t in pms if user.id in t.allowed_user_ids or t.allowed_group_ids & group_ids]

    @property
    def topic_count(self) -> int:
        with self._lock:
            return len(self._topics)

    @property
    def post_count(self) -> int:
        with self._lock:
            return len(self._posts)

    # ================================================================================ internals: mutation

    def _topics_changed(self) -> None:
        self._topics_version += 1

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
                if name not in self._tags:
                    self._tags[name] = next(self._next["tag"])
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
            id=next(self._next["topic"]),
            title=title,
            slug=_slugify(title),
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
        self._topics[topic.id] = topic
        self._titles[title.strip().lower()] = topic.id
        post = self._store_post(topic, raw, author, when, polls, event)
        self._topics_changed()
        return topic, post

    def _create_pm(
        self, title: str, raw: str, author: User, users: list[User], groups: list[Group], when: datetime
    ) -> tuple[Topic, Post]:
        polls, event = self._parse_markup(raw, 1)
        topic = self._new_topic_record(title, None, author, when, "private_message", [])
        topic.allowed_user_ids = {author.id, *(u.id for u in users)}
        topic.allowed_group_ids = {g.id for g in groups}
        self._topics[topic.id] = topic
        post = self._store_post(topic, raw, author, when, polls, event)
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
            id=next(self._next["post"]),
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
        self._posts[post.id] = post
        topic.post_ids.append(post.id)
        if post_type != 4:
            topic.posts_count += 1
        if reply_to_post_number:
            topic.reply_counts[reply_to_post_number] = topic.reply_counts.get(reply_to_post_number, 0) + 1
        if not topic.is_pm:
            self._listed_post_ids.append(post.id)  # ids only grow, so the list stays sorted
        self._posts_by_user.setdefault(author.id, []).append(post.id)
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
                id=previous.id if previous else next(self._next["poll"]),
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
                self._events.pop(post.id, None)
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
        self._events[post.id] = event

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
        return True

    def _delete_post(self, post: Post, when: datetime) -> None:
        if post.deleted_at is None:
            post.deleted_at = when
            topic = self._topics[post.topic_id]
            if post.post_type != 4:
                topic.posts_count -= 1
            if post.reply_to_post_number and topic.reply_counts.get(post.reply_to_post_number):
                topic.reply_counts[post.reply_to_post_number] -= 1
            self._topics_changed()

    def _delete_topic(self, topic: Topic, when: datetime) -> None:
        if topic.deleted_at is None:
            topic.deleted_at = when
            if self._titles.get(topic.title.strip().lower()) == topic.id:
                del self._titles[topic.title.strip().lower()]
            for pid in topic.post_ids:
                post = self._posts[pid]
                if post.deleted_at is None:
                    post.deleted_at = when
            self._topics_changed()

    def _resolve_recipients(self, names: list[str]) -> tuple[list[User], list[Group]]:
        users: list[User] = []
        groups: list[Group] = []
        unknown: list[str] = []
        for name in names:
            group = self._groups_by_name.get(name.lower())
            user = self._users_by_name.get(name.lower())
            if group is not None:
                groups.append(group)
            elif user is not None:
                users.append(user)
            else:
                unknown.append(name)
        if unknown:
            raise MarkupError(f"Sorry, you can't send a message to {', '.join(unknown)}.")
        return users, groups

    # ================================================================================ internals: visibility

    def _group_names_of(self, user: User) -> list[str]:
        return [g.name for g in self._groups.values() if user.id in g.members]

    def _can_see_category(self, viewer: User, category_id: int | None, groups: tuple[str, ...]) -> bool:
        category = self._categories.get(category_id) if category_id is not None else None
        if category is None:
            return True
        if category.read_restricted and not viewer.staff:
            return bool(set(category.allowed_groups) & set(groups))
        if category.parent_id is not None:
            return self._can_see_category(viewer, category.parent_id, groups)
        return True

    def _can_see_topic(self, viewer: User, topic: Topic, groups: tuple[str, ...]) -> bool:
        if topic.deleted_at is not None and not (self.staff_see_deleted and viewer.staff):
            return False
        if topic.is_pm:
            if viewer.admin or viewer.id in topic.allowed_user_ids:
                return True
            return any(self._groups[g].name in groups for g in topic.allowed_group_ids if g in self._groups)
        return self._can_see_category(viewer, topic.category_id, groups)

    def _can_see_post(self, viewer: User, post: Post) -> bool:
        if post.deleted_at is not None and not (self.staff_see_deleted and viewer.staff):
            return False
        if post.post_type == 4 and not viewer.staff:
            return False
        return not (post.hidden and not viewer.staff and viewer.id != post.user_id)

    def _poll_closed(self, poll: Poll) -> bool:
        return poll.status == "closed" or (poll.close is not None and poll.close <= self.now())

    def _can_see_results(self, poll: Poll, viewer: User, post: Post) -> bool:
        """Discourse's ``can_see_results?`` (§3): no staff exemption for on_vote/on_close."""
        if poll.results == "staff_only":
            return viewer.staff
        if poll.results == "always" or self._poll_closed(poll):
            return True
        if poll.results == "on_vote":
            return viewer.id in poll.votes or viewer.id == post.user_id
        return False

    # ================================================================================ serializers

    def _user_brief(self, user: User) -> dict[str, Any]:
        return {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "avatar_template": _avatar_template(user.username),
        }

    def _poll_user(self, user: User) -> dict[str, Any]:
        return {**self._user_brief(user), "title": user.title}

    def _tags_json(self, topic: Topic) -> list[Any]:
        if self.tag_style == "objects":
            return [{"id": self._tags[name], "name": name, "slug": name} for name in topic.tags]
        return list(topic.tags)

    def _poll_json(self, poll: Poll, viewer: User, post: Post) -> dict[str, Any]:
        visible = self._can_see_results(poll, viewer, post)
        tally = poll.tally() if visible else {}
        options = []
        for option in poll.options:
            item: dict[str, Any] = {"id": option.id, "html": option.html}
            if visible:
                item["votes"] = tally.get(option.id, 0)
            options.append(item)
        body: dict[str, Any] = {
            "id": poll.id,
            "name": poll.name,
            "type": poll.type,
            "status": "closed" if self._poll_closed(poll) else "open",
            "results": poll.results,
            "dynamic": False,
            "options": options,
            "voters": len(poll.votes),
            "chart_type": poll.chart_type,
            "title": poll.title,
        }
        if poll.public:
            body["public"] = True
        if poll.type in ("multiple", "number"):
            if poll.min is not None:
                body["min"] = poll.min
            if poll.max is not None:
                body["max"] = poll.max
        if poll.type == "number" and poll.step is not None:
            body["step"] = poll.step
        if poll.close is not None:
            body["close"] = utc_iso(poll.close)
        if poll.groups:
            body["groups"] = poll.groups
        if poll.public and visible:
            preloaded: dict[str, list[dict[str, Any]]] = {}
            for user_id, chosen in poll.votes.items():
                voter = self._users.get(user_id)
                if voter is None:
                    continue
                for option_id in chosen:
                    bucket = preloaded.setdefault(option_id, [])
                    if len(bucket) < 25:
                        bucket.append(self._poll_user(voter))
            body["preloaded_voters"] = preloaded
        return body

    def _event_occurrence(self, event: Event) -> tuple[datetime, datetime | None]:
        """The next occurrence for recurring events (``starts_at`` is the next one, §4)."""
        start, end = event.starts_at, event.ends_at
        if not event.recurrence:
            return start, end
        now = self.now()
        duration = (end - start) if end else timedelta(0)
        step = markup.RECURRENCE_STEPS.get(event.recurrence)
        guard = 0
        while (start + duration) < now and guard < 5000:
            guard += 1
            nxt = markup.add_months(start, 1) if step is None else start + step
            if event.recurrence == "every_weekday":
                while nxt.weekday() >= 5:
                    nxt += timedelta(days=1)
            if event.recurrence_until and nxt > event.recurrence_until:
                break
            start = nxt
        return start, (start + duration) if end else None

    def _event_post_json(self, event: Event, detailed: bool) -> dict[str, Any]:
        post = self._posts[event.id]
        topic = self._topics[post.topic_id]
        body: dict[str, Any] = {
            "id": post.id,
            "post_number": post.post_number,
            "url": f"/t/{topic.slug}/{topic.id}/{post.post_number}",
        }
        if detailed:
            category = self._categories.get(topic.category_id) if topic.category_id else None
            body["category_slug"] = category.slug if category else ""
            body["topic"] = {
                "id": topic.id,
                "title": topic.title,
                "tags": list(topic.tags),
                "tags_descriptions": {},
                "slug": topic.slug,
            }
        else:
            body["topic"] = {"id": topic.id, "title": topic.title}
        return body

    def _event_json(self, event: Event, viewer: User, groups: tuple[str, ...]) -> dict[str, Any]:
        post = self._posts[event.id]
        topic = self._topics[post.topic_id]
        creator = self._users[post.user_id]
        start, end = self._event_occurrence(event)
        now = self.now()
        stats = {"going": 0, "interested": 0, "not_going": 0}
        for status in event.invitees.values():
            stats[status] = stats.get(status, 0) + 1
        invited = len(event.invitees)
        if event.status == "private":
            members = set()
            for name in event.allowed_groups:
                group = self._groups_by_name.get(name.lower())
                if group:
                    members |= set(group.members)
            invited = len(members | set(event.invitees))
        is_public, is_private = event.status == "public", event.status == "private"
        in_allowed = bool(set(event.allowed_groups) & set(groups))
        body: dict[str, Any] = {
            "id": event.id,
            "category_id": topic.category_id,
            "name": event.name,
            "recurrence": event.recurrence,
            "recurrence_until": utc_iso(event.recurrence_until),
            "starts_at": utc_iso(start),
            "ends_at": utc_iso(end),
            "show_local_time": event.show_local_time,
            "timezone": event.timezone,
            "all_day": False,
            "custom_fields": {},
            "post": self._event_post_json(event, True),
            "occurrences": [],
            "can_act_on_discourse_post_event": viewer.staff or viewer.id == creator.id,
            "can_update_attendance": event.status != "standalone"
            and (is_public or in_allowed or viewer.staff),
            "creator": self._user_brief(creator),
            "is_closed": event.closed,
            "is_expired": (end or start) < now,
            "is_ongoing": start <= now and (end is not None and now < end),
            "is_private": is_private,
            "is_public": is_public,
            "is_standalone": event.status == "standalone",
            "minimal": event.minimal,
            "raw_invitees": list(event.allowed_groups) if is_private else None,
            "reminders": markup.parse_reminders(event.reminders),
            "sample_invitees": [
                {"id": index, "status": status, "user": self._user_brief(self._users[uid])}
                for index, (uid, status) in enumerate(list(event.invitees.items())[:10], start=1)
            ],
            "should_display_invitees": event.status != "standalone"
            and ((is_public and bool(event.invitees)) or (is_private and bool(event.allowed_groups))),
            "stats": {**stats, "invited": invited},
            "status": event.status,
            "description": event.description,
            "location": event.location,
            "watching_invitee": (
                {"id": 0, "status": event.invitees[viewer.id], "user": self._user_brief(viewer)}
                if viewer.id in event.invitees
                else None
            ),
            "chat_enabled": event.chat_enabled,
            "max_attendees": None,
            "at_capacity": False,
        }
        if event.url:
            body["url"] = event.url
        if end is not None and (end - start) < timedelta(hours=100):
            seconds = int((end - start).total_seconds())
            body["duration"] = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        if event.recurrence:
            body["occurrences"] = [
                {"starts_at": utc_iso(s), "ends_at": utc_iso(e)}
                for s, e in self._upcoming(event, start, end, 5)
            ]
        return body

    def _upcoming(self, event: Event, start: datetime, end: datetime | None, count: int):
        step = markup.RECURRENCE_STEPS.get(event.recurrence or "")
        duration = (end - start) if end else None
        out = []
        current = start
        for _ in range(count):
            if event.recurrence_until and current > event.recurrence_until:
                break
            out.append((current, current + duration if duration else None))
            current = markup.add_months(current, 1) if step is None else current + step
            if event.recurrence == "every_weekday":
                while current.weekday() >= 5:
                    current += timedelta(days=1)
        return out

    def _event_summary_json(self, event: Event) -> dict[str, Any]:
        post = self._posts[event.id]
        topic = self._topics[post.topic_id]
        start, end = self._event_occurrence(event)
        return {
            "id": event.id,
            "starts_at": utc_iso(start),
            "ends_at": utc_iso(end),
            "show_local_time": event.show_local_time,
            "timezone": event.timezone,
            "post": self._event_post_json(event, False),
            "name": event.name,
            "category_id": topic.category_id,
            "upcoming_dates": (
                [
                    {"starts_at": utc_iso(s), "ends_at": utc_iso(e)}
                    for s, e in self._upcoming(event, start, end, 5)
                ]
                if event.recurrence
                else []
            ),
        }

    def _post_json(
        self, post: Post, viewer: User, groups: tuple[str, ...], kind: str, include_raw: bool = False
    ) -> dict[str, Any]:
        """One post as each endpoint serializes it; ``kind`` is latest | show | topic | create | update."""
        topic = self._topics[post.topic_id]
        author = self._users[post.user_id]
        staff = viewer.staff
        mine = viewer.id == author.id
        body: dict[str, Any] = {
            "id": post.id,
            "name": author.name,
            "username": author.username,
            "avatar_template": _avatar_template(author.username),
            "created_at": utc_iso(post.created_at),
            "cooked": post.cooked,
            "post_number": post.post_number,
            "post_type": post.post_type,
            "updated_at": utc_iso(post.updated_at),
            "reply_count": topic.reply_counts.get(post.post_number, 0),
            "reply_to_post_number": post.reply_to_post_number,
            "quote_count": 0,
            "incoming_link_count": 0,
            "reads": 1,
            "readers_count": 0,
            "score": 0,
            "yours": mine,
            "topic_id": topic.id,
            "topic_slug": topic.slug,
            "display_username": author.name,
            "primary_group_name": None,
            "flair_name": None,
            "flair_url": None,
            "flair_bg_color": None,
            "flair_color": None,
            "version": post.version,
            "can_edit": staff or mine,
            "can_delete": staff or (mine and post.post_number > 1),
            "can_recover": staff and post.deleted_at is not None,
            "can_see_hidden_post": staff,
            "can_wiki": staff,
            "user_title": author.title,
            "bookmarked": False,
            "actions_summary": [],
            "moderator": author.moderator,
            "admin": author.admin,
            "staff": author.staff,
            "user_id": author.id,
            "hidden": post.hidden,
            "trust_level": author.trust_level,
            "deleted_at": utc_iso(post.deleted_at),
            "user_deleted": False,
            "edit_reason": post.edit_reason,
            "can_view_edit_history": True,
            "wiki": post.wiki,
            "reviewable_id": None,
            "reviewable_score_count": 0,
            "reviewable_score_pending_count": 0,
        }
        post_url = f"/t/{topic.slug}/{topic.id}/{post.post_number}"
        if kind == "latest":
            text, truncated = markup.excerpt(post.cooked)
            body.update(
                posts_count=self._visible_posts_count(topic),
                topic_title=topic.title,
                topic_html_title=html.escape(topic.title, quote=False),
                category_id=topic.category_id,
                flair_group_id=None,
                badges_granted=[],
                raw=post.raw,
                excerpt=text,
                truncated=truncated,
                post_url=post_url,
            )
        elif kind == "show":
            body.update(
                posts_count=self._visible_posts_count(topic),
                post_url=post_url,
                raw=post.raw,
                mentioned_users=[],
                flair_group_id=None,
            )
        elif kind == "topic":
            body.update(link_counts=[], read=True, reviewable_id=0)
            if include_raw:
                body["raw"] = post.raw
        elif kind in ("create", "update"):
            body.update(
                raw=post.raw,
                posts_count=self._visible_posts_count(topic),
                flair_group_id=None,
                badges_granted=[],
                draft_sequence=0,
                post_url=post_url,
                mentioned_users=[],
            )
        if post.polls:
            body["polls"] = [self._poll_json(p, viewer, post) for p in post.polls.values()]
            own = {p.name: list(p.votes[viewer.id]) for p in post.polls.values() if viewer.id in p.votes}
            if own:
                body["polls_votes"] = own
        if post.event is not None:
            body["event"] = self._event_json(post.event, viewer, groups)
        for name, value in self._corrupted.get(post.id, {}).items():
            if value is FakeDiscourse.MISSING:
                body.pop(name, None)
            else:
                body[name] = value
        return body

    def _visible_posts_count(self, topic: Topic) -> int:
        return topic.posts_count

    def _topic_list_item(self, topic: Topic) -> dict[str, Any]:
        first = self._posts[topic.post_ids[0]]
        text, _ = markup.excerpt(first.cooked, 200)
        posters = []
        seen: list[int] = []
        for uid in [
            topic.user_id,
            *[self._posts[p].user_id for p in topic.post_ids[1:]],
            topic.last_post_user_id,
        ]:
            if uid not in seen:
                seen.append(uid)
        for index, uid in enumerate(seen[:5]):
            description = "Original Poster" if index == 0 else "Frequent Poster"
            extras = None
            if uid == topic.last_post_user_id:
                description += ", Most Recent Poster"
                extras = "latest"
            posters.append(
                {"extras": extras or "", "description": description, "user_id": uid, "primary_group_id": None}
            )
        posts_count = self._visible_posts_count(topic)
        return {
            "id": topic.id,
            "title": topic.title,
            "fancy_title": html.escape(topic.title, quote=False),
            "slug": topic.slug,
            "posts_count": posts_count,
            "reply_count": max(0, posts_count - 1),
            "highest_post_number": topic.highest_post_number,
            "image_url": None,
            "created_at": utc_iso(topic.created_at),
            "last_posted_at": utc_iso(topic.last_posted_at),
            "bumped": True,
            "bumped_at": utc_iso(topic.bumped_at),
            "archetype": topic.archetype,
            "unseen": False,
            "pinned": topic.pinned_at is not None,
            "unpinned": None,
            "excerpt": text,
            "visible": topic.visible,
            "closed": topic.closed,
            "archived": topic.archived,
            "bookmarked": None,
            "liked": None,
            "tags": self._tags_json(topic),
            "tags_descriptions": {},
            "views": topic.views,
            "like_count": topic.like_count,
            "has_summary": False,
            "last_poster_username": self._users[topic.last_post_user_id].username,
            "category_id": topic.category_id,
            "pinned_globally": topic.pinned_globally,
            "featured_link": None,
            "posters": posters,
        }

    def _participant(self, user: User, count: int) -> dict[str, Any]:
        return {
            **self._user_brief(user),
            "post_count": count,
            "primary_group_name": None,
            "flair_name": None,
            "flair_url": None,
            "flair_color": None,
            "flair_bg_color": None,
            "flair_group_id": None,
            "admin": user.admin,
            "moderator": user.moderator,
            "trust_level": user.trust_level,
        }

    def _topic_view_json(
        self,
        topic: Topic,
        posts: list[Post],
        stream: list[int],
        viewer: User,
        groups: tuple[str, ...],
        include_raw: bool,
        chunk: int,
    ) -> dict[str, Any]:
        staff = viewer.staff
        counts: dict[int, int] = {}
        for pid in stream:
            uid = self._posts[pid].user_id
            counts[uid] = counts.get(uid, 0) + 1
        words = sum(len(self._posts[pid].raw.split()) for pid in stream)
        return {
            "post_stream": {
                "posts": [self._post_json(p, viewer, groups, "topic", include_raw) for p in posts],
                "stream": stream,
            },
            "timeline_lookup": [],
            "suggested_topics": [],
            "tags": self._tags_json(topic),
            "tags_descriptions": {},
            "id": topic.id,
            "title": topic.title,
            "fancy_title": html.escape(topic.title, quote=False),
            "posts_count": len(stream),
            "created_at": utc_iso(topic.created_at),
            "views": topic.views,
            "reply_count": max(0, len(stream) - 1),
            "like_count": topic.like_count,
            "last_posted_at": utc_iso(topic.last_posted_at),
            "visible": topic.visible,
            "closed": topic.closed,
            "archived": topic.archived,
            "has_summary": False,
            "archetype": topic.archetype,
            "slug": topic.slug,
            "category_id": topic.category_id,
            "word_count": words,
            "deleted_at": utc_iso(topic.deleted_at),
            "user_id": topic.user_id,
            "featured_link": None,
            "pinned_globally": topic.pinned_globally,
            "pinned_at": utc_iso(topic.pinned_at),
            "pinned_until": None,
            "image_url": None,
            "slow_mode_seconds": 0,
            "draft": None,
            "draft_key": f"topic_{topic.id}",
            "draft_sequence": 0,
            "unpinned": None,
            "pinned": topic.pinned_at is not None,
            "current_post_number": posts[0].post_number if posts else 1,
            "highest_post_number": topic.highest_post_number,
            "deleted_by": None,
            "has_deleted": any(self._posts[p].deleted_at is not None for p in topic.post_ids),
            "actions_summary": [],
            "chunk_size": chunk,
            "bookmarked": False,
            "bookmarks": [],
            "topic_timer": None,
            "message_bus_last_id": 0,
            "participant_count": len(counts),
            "show_read_indicator": False,
            "thumbnails": None,
            "slow_mode_enabled_until": None,
            "details": {
                "can_edit": staff or viewer.id == topic.user_id,
                "notification_level": 1,
                "can_move_posts": staff,
                "can_delete": staff,
                "can_remove_allowed_users": staff,
                "can_create_post": staff or not topic.closed,
                "can_reply_as_new_topic": True,
                "can_invite_to": staff,
                "can_invite_via_email": staff,
                "can_flag_topic": not staff,
                "can_convert_topic": staff,
                "can_review_topic": staff,
                "can_close_topic": staff,
                "can_archive_topic": staff,
                "can_split_merge_topic": staff,
                "can_edit_staff_notes": staff,
                "can_toggle_topic_visibility": staff,
                "can_pin_unpin_topic": staff,
                "can_moderate_category": staff,
                "can_remove_self_id": viewer.id,
                "participants": [
                    self._participant(self._users[uid], n) for uid, n in list(counts.items())[:24]
                ],
                "created_by": self._user_brief(self._users[topic.user_id]),
                "last_poster": self._user_brief(self._users[topic.last_post_user_id]),
            },
        }

    def _basic_group_json(self, group: Group, viewer: User) -> dict[str, Any]:
        """The fields Discourse's basic group serializer gives wherever a group appears."""
        return {
            "id": group.id,
            "automatic": False,
            "name": group.name,
            "user_count": len(group.members),
            "mentionable_level": group.mentionable_level,
            "messageable_level": group.messageable_level,
            "visibility_level": group.visibility_level,
            "primary_group": False,
            "title": group.title,
            "grant_trust_level": None,
            "incoming_email": None,
            "has_messages": False,
            "flair_url": None,
            "flair_bg_color": None,
            "flair_color": None,
            "bio_raw": group.bio_raw,
            "bio_cooked": None,
            "bio_excerpt": None,
            "public_admission": group.public_admission,
            "public_exit": group.public_exit,
            "allow_membership_requests": group.allow_membership_requests,
            "full_name": group.full_name,
            "default_notification_level": 3,
            "membership_request_template": group.membership_request_template,
            "members_visibility_level": group.members_visibility_level,
            "can_see_members": True,
            "can_admin_group": viewer.staff,
            "publish_read_state": False,
        }

    def _group_json(self, group: Group, viewer: User) -> dict[str, Any]:
        staff = viewer.staff
        is_owner = viewer.id in group.owners
        return {
            **self._basic_group_json(group, viewer),
            "bio_cooked": markup.cook(group.bio_raw) if group.bio_raw else None,
            "bio_excerpt": markup.excerpt(markup.cook(group.bio_raw))[0] if group.bio_raw else None,
            "is_group_user": viewer.id in group.members,
            "can_edit_group": staff or is_owner,
            "is_group_owner_display": is_owner,
            "mentionable": True,
            "messageable": True,
            "automatic_membership_email_domains": None,
            "smtp_server": None,
            "smtp_port": None,
            "smtp_ssl_mode": None,
            "email_username": None,
            "email_password": None,
            "message_count": 0,
            "allow_unknown_sender_topic_replies": False,
            "associated_group_ids": [],
            "watching_category_ids": [],
            "tracking_category_ids": [],
            "watching_first_post_category_ids": [],
            "regular_category_ids": [],
            "muted_category_ids": [],
        }

    def _member_json(self, user: User, added_at: datetime) -> dict[str, Any]:
        last_post = self._posts_by_user.get(user.id)
        last_posted = self._posts[last_post[-1]].created_at if last_post else user.created_at
        return {
            **self._user_brief(user),
            "title": user.title,
            "last_posted_at": utc_iso(last_posted),
            "last_seen_at": utc_iso(max(last_posted, user.created_at)),
            "added_at": utc_iso(added_at),
            "timezone": user.timezone or "UTC",
        }

    def _user_json(self, user: User, viewer: User) -> dict[str, Any]:
        staff = viewer.staff
        me = viewer.id == user.id
        own_posts = [self._posts[p] for p in self._posts_by_user.get(user.id, [])]
        topics = sum(1 for p in own_posts if p.post_number == 1 and not self._topics[p.topic_id].is_pm)
        last_posted = utc_iso(own_posts[-1].created_at) if own_posts else None
        groups = [g for g in self._groups.values() if user.id in g.members]
        schedule = {"enabled": False}
        for day in range(7):
            schedule[f"day_{day}_start_time"] = 480
            schedule[f"day_{day}_end_time"] = 1020
        return {
            "user_badges": [],
            "user": {
                **self._user_brief(user),
                "last_posted_at": last_posted,
                "last_seen_at": last_posted,
                "created_at": utc_iso(user.created_at),
                "ignored": False,
                "muted": False,
                "can_ignore_user": not me,
                "can_mute_user": not me,
                "can_send_private_messages": True,
                "can_send_private_message_to_user": not me,
                "trust_level": user.trust_level,
                "moderator": user.moderator,
                "admin": user.admin,
                "title": user.title,
                "badge_count": 0,
                "custom_fields": {},
                "time_read": 0,
                "recent_time_read": 0,
                "primary_group_id": None,
                "primary_group_name": None,
                "flair_group_id": None,
                "flair_name": None,
                "flair_url": None,
                "flair_bg_color": None,
                "flair_color": None,
                "featured_topic": None,
                "staged": False,
                "can_edit": staff or me,
                "can_edit_username": staff or me,
                "can_edit_email": staff or me,
                "can_edit_name": staff or me,
                "uploaded_avatar_id": None,
                "has_title_badges": False,
                "pending_count": 0,
                "profile_view_count": 0,
                "second_factor_enabled": False,
                "can_upload_profile_header": staff or me,
                "can_upload_user_card_background": staff or me,
                "post_count": len(own_posts),
                "topic_count": topics,
                "can_be_deleted": staff and not me,
                "can_delete_all_posts": staff and not me,
                "locale": None,
                "muted_category_ids": [],
                "regular_category_ids": [],
                "watched_tags": [],
                "watching_first_post_tags": [],
                "tracked_tags": [],
                "muted_tags": [],
                "tracked_category_ids": [],
                "watched_category_ids": [],
                "watched_first_post_category_ids": [],
                "system_avatar_upload_id": None,
                "system_avatar_template": _avatar_template(user.username),
                "muted_usernames": [],
                "ignored_usernames": [],
                "allowed_pm_usernames": [],
                "mailing_list_posts_per_day": 0,
                "can_change_bio": True,
                "can_change_location": True,
                "can_change_website": True,
                "can_change_tracking_preferences": True,
                "user_api_keys": None,
                "user_auth_tokens": [],
                "user_notification_schedule": schedule,
                "use_logo_small_as_avatar": False,
                "featured_user_badge_ids": [],
                "invited_by": None,
                "groups": [self._user_group_json(g, user) for g in groups],
                "group_users": [
                    {
                        "group_id": g.id,
                        "user_id": user.id,
                        "notification_level": 3,
                        "owner": user.id in g.owners,
                    }
                    for g in groups
                ],
                "user_option": self._user_option_json(user),
            },
        }

    def _user_group_json(self, group: Group, user: User) -> dict[str, Any]:
        return {**self._basic_group_json(group, user), "display_name": group.name}

    def _user_option_json(self, user: User) -> dict[str, Any]:
        return {
            "user_id": user.id,
            "mailing_list_mode": False,
            "mailing_list_mode_frequency": 1,
            "email_digests": True,
            "email_level": 1,
            "email_messages_level": 0,
            "external_links_in_new_tab": False,
            "color_scheme_id": None,
            "dark_scheme_id": None,
            "dynamic_favicon": False,
            "enable_quoting": True,
            "enable_smart_lists": True,
            "enable_markdown_monospace_font": False,
            "digest_after_minutes": 10080,
            "automatically_unpin_topics": True,
            "auto_track_topics_after_msecs": 240000,
            "notification_level_when_replying": 2,
            "new_topic_duration_minutes": 2880,
            "email_previous_replies": 2,
            "email_in_reply_to": False,
            "like_notification_frequency": 1,
            "notify_on_linked_posts": True,
            "push_notification_level": "always",
            "enable_upcoming_change_available_notifications": False,
            "include_tl0_in_digests": False,
            "theme_ids": [],
            "theme_key_seq": 0,
            "allow_private_messages": True,
            "enable_allowed_pm_users": False,
            "homepage_id": None,
            "hide_profile_and_presence": False,
            "hide_profile": False,
            "hide_presence": False,
            "text_size": "normal",
            "text_size_seq": 0,
            "title_count_mode": "notifications",
            "timezone": user.timezone,
            "skip_new_user_tips": False,
            "topics_unread_when_closed": True,
            "interface_color_mode": 1,
            "show_original_content": False,
            "send_shortcut": "ctrl_enter",
            "automatically_translate": False,
            "understood_languages": [],
        }

    # ================================================================================ HTTP: dispatch

    _ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
        (m, re.compile(p), name, handler)
        for m, p, name, handler in [
            ("GET", r"^/posts$", "posts.latest", "_h_posts_latest"),
            ("POST", r"^/posts$", "posts.create", "_h_posts_create"),
            ("GET", r"^/posts/(?P<id>\d+)$", "posts.show", "_h_posts_show"),
            ("PUT", r"^/posts/(?P<id>\d+)$", "posts.update", "_h_posts_update"),
            (
                "GET",
                r"^/posts/by_number/(?P<topic_id>\d+)/(?P<number>\d+)$",
                "posts.show",
                "_h_posts_by_number",
            ),
            ("GET", r"^/latest$", "topics.latest", "_h_latest"),
            (
                "GET",
                r"^/c/(?P<slug_path>.+)/(?P<id>\d+)(?P<none>/none)?$",
                "categories.topics",
                "_h_category",
            ),
            ("GET", r"^/c/(?P<id>\d+)$", "categories.topics", "_h_category"),
            ("GET", r"^/tag/(?P<tag>[^/]+)$", "tags.topics", "_h_tag"),
            ("GET", r"^/t/(?P<id>\d+)/posts$", "topics.posts", "_h_topic_posts"),
            ("GET", r"^/t/(?P<id>\d+)$", "topics.show", "_h_topic"),
            ("GET", r"^/t/(?P<id>\d+)/(?P<number>\d+)$", "topics.show", "_h_topic"),
            ("GET", r"^/t/(?P<slug>[^/]+)/(?P<id>\d+)$", "topics.show", "_h_topic"),
            ("GET", r"^/t/(?P<slug>[^/]+)/(?P<id>\d+)/(?P<number>\d+)$", "topics.show", "_h_topic"),
            ("GET", r"^/discourse-post-event/events$", "events.list", "_h_events"),
            ("GET", r"^/discourse-post-event/events/(?P<id>\d+)$", "events.show", "_h_event"),
            ("GET", r"^/groups/(?P<name>[^/]+)/members$", "groups.members", "_h_group_members"),
            (
                "PUT",
                r"^/groups/(?P<id>\d+)/handle_membership_request$",
                "groups.handle_membership_request",
                "_h_handle_membership_request",
            ),
            (
                "POST",
                r"^/groups/(?P<name>[^/]+)/request_membership$",
                "groups.request_membership",
                "_h_request_membership",
            ),
            ("GET", r"^/groups/(?P<name>[^/]+)$", "groups.show", "_h_group"),
            ("GET", r"^/polls/voters$", "polls.voters", "_h_poll_voters"),
            ("GET", r"^/(?:u|users)/(?P<username>[^/]+)$", "users.show", "_h_user"),
            ("GET", r"^/site/basic-info$", "site.basic_info", "_h_basic_info"),
        ]
    ]

    def _wsgi(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        request.get_data()  # drain the body first: keep-alive needs the stream at the next request line
        started = time.perf_counter()
        at = self._clock()
        username = request.headers.get("Api-Username")
        reply, fault = self._answer(request)
        if (
            reply.route
            and reply.content_type == JSON_CONTENT_TYPE
            and self._contracts is not None
            and isinstance(reply.body, dict | list)
            and fault is None
        ):
            problems = self._contracts.check(reply.route, reply.status, reply.body)
            if problems:
                violation = ContractViolation(
                    reply.route, request.method, request.full_path.rstrip("?"), reply.status, tuple(problems)
                )
                with self._log_lock:
                    self._violations.append(violation)
                reply = _Reply(
                    500,
                    {"errors": [f"contract violation: {violation}"], "error_type": "contract_violation"},
                    reply.route,
                )
        if isinstance(reply.body, bytes):
            payload = reply.body
        elif reply.body is None:
            payload = b""
        else:
            try:
                payload = json.dumps(reply.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            except (TypeError, ValueError) as error:
                reply = _Reply(500, None, reply.route)
                payload = json.dumps(
                    {
                        "errors": [f"fake Discourse could not encode its reply: {error!r}"],
                        "error_type": "server_error",
                    }
                ).encode("utf-8")
        response = Response(payload, status=reply.status)
        response.headers["Content-Type"] = reply.content_type
        for key, value in reply.headers.items():
            response.headers[key] = value
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query={k: request.args.getlist(k) for k in request.args},
            status=reply.status,
            at=at,
            duration=time.perf_counter() - started,
            username=username,
            route=reply.route,
            fault=fault,
        )
        with self._log_lock:
            self._requests.append(record)
        return response(environ, start_response)

    def _answer(self, request: Request) -> tuple[_Reply, str | None]:
        path = request.path
        rule = self.faults._take(path)
        if rule is not None and rule.kind == "slow":
            self._stopping.wait(rule.seconds)
        elif rule is not None:
            return self._fault_reply(rule), rule.kind
        try:
            return self._route(request), (rule.kind if rule else None)
        except _HttpError as error:
            return _Reply(error.status, error.body(), self._route_name(request)), (
                rule.kind if rule else None
            )
        except Exception as error:  # a bug in the fake: answer like Discourse would, but say what broke
            return _Reply(
                500, {"errors": [f"fake Discourse internal error: {error!r}"], "error_type": "server_error"}
            ), None

    def _fault_reply(self, rule: _FaultRule) -> _Reply:
        if rule.kind == "fail":
            return _Reply(
                rule.status, {"errors": [f"Injected fault: HTTP {rule.status}"], "error_type": "server_error"}
            )
        if rule.kind == "malformed":
            return _Reply(200, b'{"latest_posts":[{"id":1,"raw":"trunc', content_type=JSON_CONTENT_TYPE)
        return self._rate_limited(rule.wait_seconds)

    def _rate_limited(self, wait: int) -> _Reply:
        return _Reply(
            429,
            rate_limit_body(wait),
            headers={
                "Retry-After": str(wait),
                "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit",
            },
        )

    def _route_name(self, request: Request) -> str | None:
        path = request.path[:-5] if request.path.endswith(".json") else request.path
        for method, pattern, name, _ in _all_routes(self._ROUTES):
            if method == request.method and pattern.match(path):
                return name
        return None

    def _authenticate(self, request: Request) -> User:
        key = request.headers.get("Api-Key")
        username = request.headers.get("Api-Username")
        if not key:
            raise _HttpError(403, NOT_LOGGED_IN, "not_logged_in")
        if key != self.api_key or not username:
            raise _HttpError(403, INVALID_ACCESS, "invalid_access")
        user = self._users_by_name.get(username.lower())
        if user is None:
            raise _HttpError(403, INVALID_ACCESS, "invalid_access")
        return user

    def _params(self, request: Request) -> MultiDict:
        params = MultiDict(request.args)
        if request.method in ("POST", "PUT", "DELETE", "PATCH"):
            if request.mimetype == "application/json":
                data = request.get_json(silent=True)
                if data is None and request.get_data():
                    raise _HttpError(400, "The request body is not valid JSON.", "invalid_parameters")
                if isinstance(data, dict):
                    _flatten_json(data, "", params)
            else:
                for key in request.form:
                    for value in request.form.getlist(key):
                        params.add(key, value)
        return params

    def _route(self, request: Request) -> _Reply:
        path = request.path
        suffix_json = path.endswith(".json")
        if suffix_json:
            path = path[:-5]
        wants_json = suffix_json or "json" in (request.headers.get("Accept") or "")
        with self._lock:
            viewer = self._authenticate(request)
        wait = self._limiter.check()
        if wait is not None:
            reply = self._rate_limited(wait)
            reply.route = self._route_name(request)
            return reply
        for method, pattern, name, handler in _all_routes(self._ROUTES):
            match = pattern.match(path)
            if match is None or method != request.method:
                continue
            if not wants_json and method == "GET":
                page = f"<html><head><title>{html.escape(self.title)}</title></head><body></body></html>"
                return _Reply(200, page.encode(), None, content_type=HTML_CONTENT_TYPE)
            params = self._params(request)
            with self._lock:
                req = _Req(
                    request.method, path, request.args, params, viewer, tuple(self._group_names_of(viewer))
                )
                call = (
                    getattr(self, handler) if isinstance(handler, str) else functools.partial(handler, self)
                )
                reply = call(req, **{k: v for k, v in match.groupdict().items()})
            if reply.route is None:
                reply.route = name
            return reply
        raise _not_found()

    # ================================================================================ HTTP: handlers

    def _ok(self, body: Any, route: str | None = None) -> _Reply:
        return _Reply(200, body, route)

    def _find_topic(self, req: _Req, topic_id: int) -> Topic:
        topic = self._topics.get(topic_id)
        if topic is None or not self._can_see_topic(req.viewer, topic, req.groups):
            raise _not_found(topic=True)
        return topic

    def _find_post(self, req: _Req, post_id: int) -> Post:
        post = self._posts.get(post_id)
        if post is None:
            raise _not_found()
        topic = self._topics[post.topic_id]
        if not self._can_see_topic(req.viewer, topic, req.groups) or not self._can_see_post(req.viewer, post):
            raise _not_found()
        return post

    # ---- posts

    def _h_posts_latest(self, req: _Req) -> _Reply:
        before = req.int("before")
        ids = self._listed_post_ids
        end = bisect.bisect_left(ids, before) if before is not None else len(ids)
        out: list[dict[str, Any]] = []
        index = end - 1
        while index >= 0 and len(out) < POSTS_PAGE_SIZE:
            post = self._posts[ids[index]]
            index -= 1
            if post.deleted_at is not None or post.post_type != 1 or post.hidden:
                continue
            topic = self._topics[post.topic_id]
            if topic.deleted_at is not None or not self._can_see_category(
                req.viewer, topic.category_id, req.groups
            ):
                continue
            out.append(self._post_json(post, req.viewer, req.groups, "latest"))
        return self._ok({"latest_posts": out})

    def _h_posts_show(self, req: _Req, id: str) -> _Reply:
        return self._ok(self._post_json(self._find_post(req, int(id)), req.viewer, req.groups, "show"))

    def _h_posts_by_number(self, req: _Req, topic_id: str, number: str) -> _Reply:
        topic = self._find_topic(req, int(topic_id))
        for pid in topic.post_ids:
            if self._posts[pid].post_number == int(number):
                return self._h_posts_show(req, str(pid))
        raise _not_found()

    def _h_posts_create(self, req: _Req) -> _Reply:
        signature = (req.viewer.id, tuple(sorted((k, tuple(req.params.getlist(k))) for k in req.params)))
        now_clock = self._clock()
        self._memo = {k: v for k, v in self._memo.items() if now_clock - v[0] < MEMO_SECONDS}
        if signature in self._memo:
            return self._ok(self._memo[signature][1])
        raw = req.get("raw") or ""
        title = (req.get("title") or "").strip()
        when = self.now()
        created_at = req.get("created_at")
        if created_at:
            when = _parse_iso(created_at, "created_at")
        topic_id = req.int("topic_id")
        archetype = req.get("archetype") or "regular"
        try:
            if topic_id is not None:
                topic = self._topics.get(topic_id)
                if topic is None or not self._can_see_topic(req.viewer, topic, req.groups):
                    raise _CreatePostError("The topic you are replying to could not be found.")
                if topic.closed and not req.viewer.staff:
                    raise _HttpError(403, NOT_PERMITTED, "invalid_access")
                minimum = self.min_personal_message_post_length if topic.is_pm else self.min_post_length
                self._check_body(raw, minimum)
                post = self._create_post(
                    topic, raw, req.viewer, when, reply_to_post_number=req.int("reply_to_post_number")
                )
            elif archetype == "private_message":
                recipients = req.get("target_recipients") or req.get("target_usernames") or ""
                names = [n.strip() for n in recipients.split(",") if n.strip()]
                problems = self._title_problems(
                    title, check_duplicate=False, minimum=self.min_personal_message_title_length
                )
                if not names:
                    problems.append("Private message must have at least one recipient.")
                if len(raw.strip()) < self.min_personal_message_post_length:
                    problems.append(
                        f"Body is too short (minimum is {self.min_personal_message_post_length} characters)"
                    )
                if problems:
                    raise _CreatePostError(*problems)
                users, groups = self._resolve_recipients(names)
                _, post = self._create_pm(title, raw, req.viewer, users, groups, when)
            else:
                problems = self._title_problems(title, check_duplicate=not self.allow_duplicate_topic_titles)
                if len(raw.strip()) < self.min_first_post_length:
                    problems.append(f"Body is too short (minimum is {self.min_first_post_length} characters)")
                category_param = req.get("category")
                category_id = 1
                if category_param not in (None, ""):
                    try:
                        category_id = int(category_param)  # type: ignore[arg-type]
                    except ValueError:
                        category_id = -1
                    if category_id not in self._categories:
                        problems.append("Category is invalid")
                    elif not self._can_see_category(req.viewer, category_id, req.groups):
                        raise _HttpError(403, NOT_PERMITTED, "invalid_access")
                if problems:
                    raise _CreatePostError(*problems)
                _, post = self._create_topic(title, raw, category_id, req.getlist("tags"), req.viewer, when)
        except MarkupError as error:
            raise _CreatePostError(str(error)) from None
        body = self._post_json(post, req.viewer, req.groups, "create")
        self._memo[signature] = (now_clock, body)
        return self._ok(body)

    def _check_body(self, raw: str, minimum: int) -> None:
        if len(raw.strip()) < minimum:
            raise _CreatePostError(f"Body is too short (minimum is {minimum} characters)")

    def _title_problems(self, title: str, *, check_duplicate: bool, minimum: int | None = None) -> list[str]:
        if not title:
            return ["Title can't be blank"]
        problems = []
        minimum = self.min_topic_title_length if minimum is None else minimum
        if len(title) < minimum:
            problems.append(f"Title is too short (minimum is {minimum} characters)")
        if len(title) > 255:
            problems.append("Title is too long (maximum is 255 characters)")
        if check_duplicate and title.lower() in self._titles:
            problems.append("Title has already been used")
        return problems

    def _h_posts_update(self, req: _Req, id: str) -> _Reply:
        post = self._find_post(req, int(id))
        raw = req.get("post[raw]")
        if raw is None:
            raw = req.get("raw")  # Discourse also accepts a bare raw
        if raw is None:
            raise _HttpError(400, "param is missing or the value is empty: post")
        if not (req.viewer.staff or req.viewer.id == post.user_id):
            raise _HttpError(403, NOT_PERMITTED, "invalid_access")
        original = req.get("post[original_text]")
        if original is not None and original != post.raw:
            raise _HttpError(409, "Someone else edited this post while you were editing it.", "edit_conflict")
        minimum = self.min_first_post_length if post.post_number == 1 else self.min_post_length
        if len(raw.strip()) < minimum:
            raise _HttpError(422, f"Body is too short (minimum is {minimum} characters)")
        try:
            self._revise(post, raw, req.viewer, req.get("post[edit_reason]"), self.now())
        except MarkupError as error:
            raise _HttpError(422, str(error)) from None
        return self._ok({"post": self._post_json(post, req.viewer, req.groups, "update")})

    # ---- topic lists

    def _sorted_topic_ids(self, order: str, ascending: bool) -> list[int]:
        key = (order, ascending)
        cached = self._topic_order_cache.get(key)
        if cached is not None and cached[0] == self._topics_version:
            return cached[1]
        columns: dict[str, Callable[[Topic], Any]] = {
            "created": lambda t: t.created_at,
            "views": lambda t: t.views,
            "posts": lambda t: self._visible_posts_count(t),
            "likes": lambda t: t.like_count,
            "op_likes": lambda t: 0,
            "posters": lambda t: len({self._posts[p].user_id for p in t.post_ids}),
            "category": lambda t: t.category_id or 0,
        }
        column = columns.get(order, lambda t: t.bumped_at)
        topics = [t for t in self._topics.values() if not t.is_pm and t.deleted_at is None]
        topics.sort(key=lambda t: (column(t), t.id), reverse=not ascending)
        ids = [t.id for t in topics]
        self._topic_order_cache[key] = (self._topics_version, ids)
        return ids

    def _topic_list(
        self, req: _Req, base_url: str, keep: Callable[[Topic], bool], pinned: Callable[[Topic], bool]
    ) -> dict[str, Any]:
        page = req.int("page", 0, minimum=0) or 0
        per_page = req.int("per_page", DEFAULT_PER_PAGE, minimum=1) or DEFAULT_PER_PAGE
        per_page = min(per_page, 100)
        order = req.get("order") or "default"
        ascending = req.flag("ascending")
        ids = self._sorted_topic_ids(order, ascending)
        viewer, groups = req.viewer, req.groups
        candidates = [
            t
            for t in (self._topics[i] for i in ids)
            if keep(t)
            and (t.visible or viewer.staff)
            and self._can_see_category(viewer, t.category_id, groups)
        ]
        if order in ("default", "activity") and not ascending:
            pinned_topics = [t for t in candidates if pinned(t)]
            unpinned = [t for t in candidates if not pinned(t)]
            if page == 0:
                chosen = (pinned_topics + unpinned)[:per_page]
            else:
                offset = max(0, page * per_page - len(pinned_topics))
                chosen = unpinned[offset : offset + per_page]
        else:
            chosen = candidates[page * per_page : (page + 1) * per_page]
        topic_list: dict[str, Any] = {
            "can_create_topic": True,
            "per_page": per_page,
            "topics": [self._topic_list_item(t) for t in chosen],
        }
        if len(chosen) == per_page:
            query = {
                k: v
                for k, v in (
                    ("order", req.get("order")),
                    ("ascending", req.get("ascending")),
                    ("per_page", req.get("per_page")),
                )
                if v
            }
            query["page"] = str(page + 1)
            topic_list["more_topics_url"] = f"{base_url}?{urlencode(query)}"
        user_ids: list[int] = []
        for item in topic_list["topics"]:
            for poster in item["posters"]:
                if poster["user_id"] not in user_ids:
                    user_ids.append(poster["user_id"])
        return {
            "users": [self._user_brief(self._users[uid]) for uid in user_ids],
            "primary_groups": [],
            "topic_list": topic_list,
        }

    def _h_latest(self, req: _Req) -> _Reply:
        return self._ok(
            self._topic_list(
                req, "/latest", lambda t: True, lambda t: t.pinned_at is not None and t.pinned_globally
            )
        )

    def _h_category(
        self, req: _Req, id: str, slug_path: str | None = None, none: str | None = None
    ) -> _Reply:
        category = self._categories.get(int(id))
        if category is None or not self._can_see_category(req.viewer, category.id, req.groups):
            raise _not_found()
        ids = {category.id}
        if not none:
            ids |= {c.id for c in self._categories.values() if c.parent_id == category.id}
        body = self._topic_list(
            req,
            f"/c/{category.slug}/{category.id}" + (none or ""),
            lambda t: t.category_id in ids,
            lambda t: t.pinned_at is not None and t.category_id == category.id,
        )
        return self._ok(body)

    def _h_tag(self, req: _Req, tag: str) -> _Reply:
        name = tag.lower()
        if name not in self._tags:
            raise _not_found()
        body = self._topic_list(req, f"/tag/{name}", lambda t: name in t.tags, lambda t: False)
        count = sum(
            1 for t in self._topics.values() if name in t.tags and t.deleted_at is None and not t.is_pm
        )
        body["topic_list"]["tags"] = [
            {"id": self._tags[name], "name": name, "topic_count": count, "staff": False}
        ]
        return self._ok(body)

    # ---- topics

    def _visible_stream(self, req: _Req, topic: Topic) -> list[int]:
        return [pid for pid in topic.post_ids if self._can_see_post(req.viewer, self._posts[pid])]

    def _h_topic(self, req: _Req, id: str, slug: str | None = None, number: str | None = None) -> _Reply:
        topic = self._find_topic(req, int(id))
        if slug is not None and slug != topic.slug and slug != "-":
            location = f"/t/{topic.slug}/{topic.id}" + (f"/{number}" if number else "")
            page = f'<html><body>You are being <a href="{location}">redirected</a>.</body></html>'
            return _Reply(
                301, page.encode(), None, headers={"Location": location}, content_type=HTML_CONTENT_TYPE
            )
        stream = self._visible_stream(req, topic)
        chunk = 1000 if req.flag("print") else TOPIC_CHUNK_SIZE
        start = 0
        if number is not None:
            numbers = [self._posts[p].post_number for p in stream]
            at = bisect.bisect_left(numbers, int(number))
            start = max(0, min(at - chunk // 4, len(stream) - chunk))
        posts = [self._posts[p] for p in stream[start : start + chunk]]
        body = self._topic_view_json(
            topic, posts, stream, req.viewer, req.groups, req.flag("include_raw"), chunk
        )
        return self._ok(body)

    def _h_topic_posts(self, req: _Req, id: str) -> _Reply:
        topic = self._find_topic(req, int(id))
        stream = self._visible_stream(req, topic)
        wanted = req.getlist("post_ids")
        if wanted:
            try:
                ids = {int(x) for x in wanted}
            except ValueError:
                raise _invalid("post_ids") from None
            chosen = [p for p in stream if p in ids]
        else:
            after = req.int("post_number")
            if after is not None:
                if req.flag("asc"):
                    chosen = [p for p in stream if self._posts[p].post_number > after][:TOPIC_CHUNK_SIZE]
                else:
                    chosen = [p for p in stream if self._posts[p].post_number < after][-TOPIC_CHUNK_SIZE:]
            else:
                chosen = stream[:TOPIC_CHUNK_SIZE]
        include_raw = req.flag("include_raw")
        posts = [
            self._post_json(self._posts[p], req.viewer, req.groups, "topic", include_raw) for p in chosen
        ]
        return self._ok({"post_stream": {"posts": posts}, "id": topic.id})

    # ---- events

    def _visible_events(self, req: _Req) -> list[Event]:
        out = []
        for event in self._events.values():
            post = self._posts[event.id]
            topic = self._topics[post.topic_id]
            if post.deleted_at is not None or topic.deleted_at is not None:
                continue
            if self._can_see_topic(req.viewer, topic, req.groups):
                out.append(event)
        return out

    def _h_events(self, req: _Req) -> _Reply:
        events = self._visible_events(req)
        category_id = req.int("category_id")
        if category_id is not None:
            ids = {category_id}
            if req.flag("include_subcategories"):
                ids |= {c.id for c in self._categories.values() if c.parent_id == category_id}
            events = [e for e in events if self._topics[self._posts[e.id].topic_id].category_id in ids]
        post_id = req.int("post_id")
        if post_id is not None:
            events = [e for e in events if e.id == post_id]
        attending = req.get("attending_user")
        if attending:
            user = self._users_by_name.get(attending.lower())
            events = [e for e in events if user is not None and e.invitees.get(user.id) == "going"]
        starts = {e.id: self._event_occurrence(e)[0] for e in events}
        after = req.get("after")
        if after:
            moment = _parse_iso(after, "after")
            events = [e for e in events if starts[e.id] >= moment]
        before = req.get("before")
        if before:
            moment = _parse_iso(before, "before")
            events = [e for e in events if starts[e.id] <= moment]
        order = (req.get("order") or "asc").lower()
        if order not in ("asc", "desc"):
            raise _invalid("order")
        events.sort(key=lambda e: (starts[e.id], e.id), reverse=order == "desc")
        limit = req.int("limit", 200, minimum=1) or 200
        events = events[: min(limit, 200)]
        if req.flag("include_details"):
            return self._ok(
                {"events": [self._event_json(e, req.viewer, req.groups) for e in events]}, "events.details"
            )
        return self._ok({"events": [self._event_summary_json(e) for e in events]}, "events.summary")

    def _h_event(self, req: _Req, id: str) -> _Reply:
        event = next((e for e in self._visible_events(req) if e.id == int(id)), None)
        if event is None:
            raise _not_found()
        return self._ok({"event": self._event_json(event, req.viewer, req.groups)})

    # ---- groups

    def _find_group(self, name: str) -> Group:
        group = self._groups_by_name.get(name.lower())
        if group is None:
            raise _not_found()
        return group

    def _h_group(self, req: _Req, name: str) -> _Reply:
        group = self._find_group(name)
        visible = [g.name for g in sorted(self._groups.values(), key=lambda g: g.name.lower())]
        return self._ok(
            {"group": self._group_json(group, req.viewer), "extras": {"visible_group_names": visible}}
        )

    def _h_group_members(self, req: _Req, name: str) -> _Reply:
        group = self._find_group(name)
        limit = req.int("limit", 50, minimum=0)
        offset = req.int("offset", 0, minimum=0) or 0
        if limit is None or limit > 1000:
            raise _invalid("limit")
        ascending = bool(req.get("asc"))
        order = req.get("order") or ""
        term = (req.get("filter") or "").lower()
        if req.flag("requesters"):
            if not (req.viewer.staff or req.viewer.id in group.owners):
                raise _HttpError(403, NOT_PERMITTED, "invalid_access")
            requests = [
                r
                for r in group.requests.values()
                if not term or term in self._users[r.user_id].username.lower()
            ]
            requests.sort(key=lambda r: (r.requested_at, r.user_id), reverse=not ascending)
            page = requests[offset : offset + limit]
            members = [
                {
                    **self._user_brief(self._users[r.user_id]),
                    "reason": r.reason,
                    "requested_at": utc_iso(r.requested_at),
                }
                for r in page
            ]
            meta = {"total": len(requests), "limit": limit, "offset": offset}
            return self._ok({"members": members, "meta": meta}, "groups.requesters")
        entries = [
            (self._users[uid], added)
            for uid, added in group.members.items()
            if not term or term in self._users[uid].username.lower()
        ]
        if order == "added_at":
            entries.sort(key=lambda e: (e[1], e[0].username.lower()), reverse=not ascending)
        else:
            entries.sort(key=lambda e: e[0].username.lower(), reverse=not ascending)
        page_entries = entries[offset : offset + limit]
        owners = [(self._users[uid], group.members.get(uid, self.now())) for uid in group.owners]
        owners.sort(key=lambda e: e[0].username.lower())
        return self._ok(
            {
                "members": [self._member_json(u, added) for u, added in page_entries],
                "owners": [self._member_json(u, added) for u, added in owners],
                "meta": {"total": len(entries), "limit": limit, "offset": offset},
            }
        )

    def _h_handle_membership_request(self, req: _Req, id: str) -> _Reply:
        group = self._groups.get(int(id))
        if group is None:
            raise _invalid("id")
        if not (req.viewer.staff or req.viewer.id in group.owners):
            raise _HttpError(403, NOT_PERMITTED, "invalid_access")
        user_id = req.int("user_id")
        if user_id is None or user_id not in group.requests:
            raise _invalid("user_id")
        accept = "accept" in req.params  # presence only: accept=false still accepts (§6)
        del group.requests[user_id]
        if accept:
            group.members.setdefault(user_id, self.now())
            _membership_routes().log_group_change(self, group, self._users[user_id], req.viewer, True)
        return self._ok({"success": "OK"})

    def _h_request_membership(self, req: _Req, name: str) -> _Reply:
        group = self._find_group(name)
        reason = req.get("reason")
        if reason is None:
            raise _HttpError(400, "param is missing or the value is empty: reason")
        if not group.allow_membership_requests or req.viewer.id in group.members:
            raise _HttpError(403, NOT_PERMITTED, "invalid_access")
        if req.viewer.id in group.requests:
            return _Reply(
                409, {"failed": "FAILED", "error": "You have already requested membership of this group."}
            )
        self.request_membership(group.name, req.viewer.username, reason)
        pms = [t for t in self._topics.values() if t.is_pm and t.user_id == req.viewer.id]
        relative = f"/t/{pms[-1].slug}/{pms[-1].id}" if pms else f"/g/{group.name}"
        return self._ok({"success": "OK", "relative_url": relative})

    # ---- polls

    def _h_poll_voters(self, req: _Req) -> _Reply:
        post_id = req.int("post_id")
        poll_name = req.get("poll_name")
        if post_id is None:
            raise _HttpError(400, "param is missing or the value is empty: post_id")
        if not poll_name:
            raise _HttpError(400, "param is missing or the value is empty: poll_name")
        post = self._find_post(req, post_id)
        poll = post.polls.get(poll_name)
        if poll is None:
            raise _invalid("poll_name")
        if not poll.public or not self._can_see_results(poll, req.viewer, post):
            raise _invalid("poll_name")
        limit = min(req.int("limit", 25, minimum=1) or 25, 50)
        page = req.int("page", 1, minimum=1) or 1
        option_id = req.get("option_id")
        if poll.type == "number":
            voters = [self._poll_user(self._users[uid]) for uid in poll.votes]
            return self._ok({"voters": voters[(page - 1) * limit : page * limit]})
        grouped: dict[str, list[dict[str, Any]]] = {}
        for uid, chosen in poll.votes.items():
            for oid in chosen:
                grouped.setdefault(oid, []).append(self._poll_user(self._users[uid]))
        if option_id:
            if option_id not in {o.id for o in poll.options}:
                raise _invalid("option_id")
            grouped = {option_id: grouped.get(option_id, [])}
        voters = {oid: users[(page - 1) * limit : page * limit] for oid, users in grouped.items()}
        return self._ok({"voters": voters})

    # ---- users, site

    def _h_user(self, req: _Req, username: str) -> _Reply:
        user = self._users_by_name.get(username.lower())
        if user is None:
            raise _not_found()
        return self._ok(self._user_json(user, req.viewer))

    def _h_basic_info(self, req: _Req) -> _Reply:
        return self._ok(
            {
                "logo_url": "/images/discourse-logo-sketch.png",
                "logo_small_url": "/images/discourse-logo-sketch-small.png",
                "apple_touch_icon_url": "/images/default-apple-touch-icon.png",
                "favicon_url": "/images/default-favicon.ico",
                "title": self.title,
                "description": "A sandbox standing in for the CoTech forum.",
                "header_primary_color": "333333",
                "header_background_color": "ffffff",
                "login_required": True,
                "locale": "en_GB",
                "include_in_discourse_discover": False,
                "mobile_logo_url": "",
            }
        )
