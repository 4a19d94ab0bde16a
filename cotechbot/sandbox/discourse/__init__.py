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
    GET  /topics/created-by/{username}.json, /topics/private-messages-sent/{username}.json   (own_topics_routes)
    GET  /categories.json[?include_subcategories=true]  with read_restricted  (categories_routes)

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
    forum.accept_answer(post_id, accepted=True) -> Post   the solved plugin's solution mark (one per topic;
                                                  served as accepted_answer on /posts.json and topic views)
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
    forum.add_webhook(url, secret=None, *, retry_delays=(60, 300, 1500, 7500), timeout=20.0) -> Webhook
                                                       topic_created / post_created / post_edited, signed,
                                                       sent off the request thread, retried (§9; see
                                                       :mod:`.webhooks`)
    forum.ping_webhook(hook)   forum.webhook_deliveries -> list[WebhookDelivery]   forum.wait_for_webhooks(timeout)
    forum.tag_style = "objects"                        switch tag shape at any time
    forum.staff_see_deleted = False                    True: staff read deleted topics/posts with deleted_at (real
                                                       Discourse); False (default): deleted → 404 for everyone
    forum.editing_grace_period = 0.0                   seconds; Discourse's default is 300: edits by the author
                                                       inside it keep ``version`` (``updated_at`` still moves)
    forum.min_post_length, min_first_post_length, min_personal_message_post_length, min_topic_title_length,
    forum.min_personal_message_title_length            HTTP-only validation (20, 20, 10, 15, 2 as in Discourse)
    forum.max_post_length = 32_000                     HTTP: a longer body (created or edited) is a 422
    forum.allow_duplicate_topic_titles = False         HTTP: a second topic with an existing title is a 422

Layout (one concern per module; no module over ~500 lines)::

    records.py      dataclasses: User, Category, Topic, Post, Poll, Event, Group, MembershipRequest, logs
    faults.py       forum.faults (scripted failures) and the rate limiter
    replies.py      Reply / Req / HttpError and Discourse's error bodies
    store.py        ForumStore: the tables and the low-level writes      visibility.py  who may see what
    forum.py        SandboxForum(ForumStore): the Python API above       serializers/   JSON per resource
    routes.py       Route, the werkzeug URL map, extension discovery     handlers/      one module per resource
    server.py       FakeDiscourse(SandboxForum): HTTP, faults, auth, rate limit, validation, request log
    webhooks.py     outgoing signed webhooks, delivered and retried on their own thread

Adding endpoints without editing the core: put a module whose name ends in ``_routes`` anywhere in the
``cotechbot.sandbox`` package (e.g. ``cotechbot/sandbox/loomio_routes.py``) defining ::

    from cotechbot.sandbox.discourse.replies import ok
    from cotechbot.sandbox.discourse.routes import Route

    def ping(forum, req):                  # forum: the FakeDiscourse, req: Req (viewer, params, groups)
        return ok({"pong": req.get("x")})

    ROUTES = [Route("GET", "/admin/ping", ping, name=None)]   # werkzeug rule syntax, no ".json"

It is found and imported the first time a ``FakeDiscourse`` is built; handlers run under ``forum.lock`` after
authentication and the rate limiter, exactly like the core ones. ``name`` is the contract route its replies
are validated against (None: not validated). ``forum.handlers["module.function"]`` can be replaced on one
forum instance (tests that break a reply on purpose do that).

Not modelled: likes, bookmarks, read state, notifications, uploads, search, webhooks other than topic/post
(no deletions, users, groups), trust-level promotion,
post revisions history, hidden/flagged posts workflow, the topic-list ``filter`` language, category
permissions beyond "read restricted to groups", private-posts.json, poll voting over HTTP, edit conflicts other
than ``original_text``, the "just posted that" duplicate check for non-staff, slugs of non-ASCII titles.
"""

from cotechbot.sandbox.discourse.faults import Faults, rate_limit_body
from cotechbot.sandbox.discourse.records import (
    Category,
    ContractViolation,
    ContractViolationError,
    Event,
    Group,
    MembershipRequest,
    Poll,
    PollOption,
    Post,
    RequestRecord,
    Topic,
    User,
)
from cotechbot.sandbox.discourse.replies import JSON_CONTENT_TYPE, Reply, Req
from cotechbot.sandbox.discourse.routes import Route
from cotechbot.sandbox.discourse.server import FakeDiscourse
from cotechbot.sandbox.discourse.webhooks import Webhook, WebhookDelivery
from cotechbot.sandbox.markup import MarkupError

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
    "Reply",
    "Req",
    "RequestRecord",
    "Route",
    "Topic",
    "User",
    "Webhook",
    "WebhookDelivery",
    "rate_limit_body",
]
