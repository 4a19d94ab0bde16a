"""DiscourseForum + sync over real HTTP against the sandbox Discourse, with one fake clock for all timing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import structlog

from cotechbot.clock import FixedClock
from cotechbot.errors import ForumRateLimited
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.ledger import Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sync import MAX_ID, PASS_BEFORE, PASS_TOP, DiscourseSync, SyncOptions

KEY = "sandbox-key-0123456789"
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
BODY = "An opening post with enough words in it"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def ledger(tmp_path, clock):
    led = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}", clock)
    yield led
    led.dispose()


@contextmanager
def sandbox(clock: FixedClock, **kwargs) -> Iterator[FakeDiscourse]:
    """A running fake whose timestamps and rate-limit window both read ``clock``."""
    with FakeDiscourse.running(
        api_key=KEY, api_username="cotechbot", now=clock, clock=lambda: clock.now().timestamp(), **kwargs
    ) as fake:
        yield fake


def adapter(fake: FakeDiscourse, clock: FixedClock, **kwargs) -> DiscourseForum:
    """The adapter under test; its token bucket sleeps by advancing the same fake clock."""
    kwargs.setdefault("timeout", 5.0)
    return DiscourseForum(fake.url, "cotechbot", KEY, name="cotech", clock=clock, **kwargs)


def seed(fake: FakeDiscourse, topics: int, replies: int) -> list[int]:
    ids = [fake.create_topic(f"Topic number {n}", BODY)[0].id for n in range(topics)]
    for n in range(replies):
        fake.reply(ids[n % topics], f"Reply {n} with a few words")
    return ids


def syncer(forum, ledger, clock, **options) -> DiscourseSync:
    options.setdefault("backfill_max_posts", None)
    options.setdefault("progress_bar", False)
    return DiscourseSync(forum, ledger, clock, SyncOptions(**options))


def mirrored(ledger) -> dict[int, object]:
    return {p.id: p for p in ledger.mirrored_posts("cotech")}


def visible_post_ids(fake: FakeDiscourse) -> set[int]:
    return {p.id for t in range(1, fake.topic_count + 1) for p in fake.topic_posts(t) if p.deleted_at is None}


def assert_cursor_claims_only_stored(ledger, fake) -> None:
    held = set(mirrored(ledger))
    max_id = int(ledger.get_cursor("cotech", MAX_ID) or 0)
    assert {i for i in visible_post_ids(fake) if i <= max_id} <= held
    top, before = ledger.get_cursor("cotech", PASS_TOP), ledger.get_cursor("cotech", PASS_BEFORE)
    if top and before:
        assert {i for i in visible_post_ids(fake) if int(before) <= i <= int(top)} <= held


# -- steady state ------------------------------------------------------------------------------------------


def test_idle_cycle_is_exactly_one_request(clock, ledger):
    """Once synced, a cycle on an unchanged forum sends exactly one HTTP request, GET /posts.json."""
    with sandbox(clock) as fake:
        topics = seed(fake, 8, 40)
        forum = adapter(fake, clock)
        sync = syncer(forum, ledger, clock)
        assert sync.run_cycle(watched_topic_ids=topics[:2]).complete
        for _ in range(3):
            clock.advance(timedelta(minutes=5))
            fake.clear_log()
            report = sync.run_cycle(watched_topic_ids=topics[:2])
            assert report.requests == 1 and report.complete
            assert [(r.method, r.path) for r in fake.requests] == [("GET", "/posts.json")]


def test_new_post_deep_in_an_old_topic_is_found(clock, ledger):
    """A reply to an old, long topic far down the topic list is stored by the next cycle."""
    with sandbox(clock) as fake:
        topics = seed(fake, 150, 300)
        sync = syncer(adapter(fake, clock), ledger, clock)
        sync.run_cycle()
        clock.advance(timedelta(minutes=5))
        late = fake.reply(topics[0], "A late answer in the oldest topic")
        report = sync.run_cycle()
        assert report.complete and report.new_posts == 1 and topics[0] in report.touched_topic_ids
        assert mirrored(ledger)[late.id].raw == "A late answer in the oldest topic"


def test_edit_to_an_older_post_is_found(clock, ledger):
    """An edit (which bumps nothing) to an old post of a watched topic is stored within the edit-check period."""
    with sandbox(clock) as fake:
        topics = seed(fake, 5, 30)
        first_post = fake.topic_posts(topics[1])[0]
        sync = syncer(adapter(fake, clock), ledger, clock, edit_check_interval=timedelta(minutes=30))
        sync.run_cycle(watched_topic_ids=[topics[1]])
        clock.advance(timedelta(minutes=5))
        fake.edit_post(first_post.id, "Moved: the call is now on Thursday at 18:00")
        assert sync.run_cycle(watched_topic_ids=[topics[1]]).edited_posts == 0  # not due yet: 1 request
        clock.advance(timedelta(minutes=30))
        fake.clear_log()
        report = sync.run_cycle(watched_topic_ids=[topics[1]])
        assert report.edited_posts == 1
        stored = mirrored(ledger)[first_post.id]
        assert stored.raw == "Moved: the call is now on Thursday at 18:00" and stored.version == 2
        batched = [r for r in fake.requests if r.path == f"/t/{topics[1]}/posts.json"]
        assert len(batched) == 1


def test_edit_alongside_a_reply_is_found_through_the_bump(clock, ledger):
    """An edit in an unwatched topic is found in the same cycle as a reply that bumps that topic."""
    with sandbox(clock) as fake:
        topics = seed(fake, 5, 10)
        opening = fake.topic_posts(topics[2])[0]
        sync = syncer(adapter(fake, clock), ledger, clock)
        sync.run_cycle()
        clock.advance(timedelta(minutes=5))
        fake.edit_post(opening.id, "Date changed to the 12th, see below")
        fake.reply(topics[2], "I have moved the date, sorry everyone")
        report = sync.run_cycle()
        assert report.new_posts == 1 and report.edited_posts == 1 and report.topics_reread == 1
        assert mirrored(ledger)[opening.id].raw == "Date changed to the 12th, see below"
        clock.advance(timedelta(minutes=5))
        assert sync.run_cycle().requests == 1


class _KeepAliveHandler(BaseHTTPRequestHandler):
    """A minimal HTTP/1.1 server that keeps connections open (Content-Length set, no Connection: close)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: don't wait for delayed ACKs
    connections = 0

    def setup(self) -> None:
        super().setup()
        type(self).connections += 1

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = json.dumps({"latest_posts": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_one_connection_serves_many_requests(clock):
    """Against a keep-alive HTTP/1.1 server, 20 adapter calls travel over a single TCP connection."""
    _KeepAliveHandler.connections = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with DiscourseForum(f"http://127.0.0.1:{server.server_port}", "cotechbot", KEY, clock=clock) as forum:
            for _ in range(20):
                forum.latest_posts()
        assert forum.requests_made == 20 and _KeepAliveHandler.connections == 1
    finally:
        server.shutdown()
        server.server_close()


def test_one_connection_serves_a_whole_backfill(clock, ledger):
    """Against the sandbox, every request of a whole backfill travels over one kept-alive connection."""
    with sandbox(clock) as fake:
        seed(fake, 40, 400)
        forum = adapter(fake, clock)
        report = syncer(forum, ledger, clock).run_cycle()
        assert report.complete and report.requests > 10
        assert fake.connections_opened == 1


# -- the request budget ------------------------------------------------------------------------------------


def test_backfill_under_a_60_per_minute_site_limit_sees_no_429(clock, ledger):
    """Paced at 50/min (burst 5), a 60-page backfill against a 60/min sandbox limit never gets a 429."""
    with sandbox(clock, rate_limit_per_minute=60) as fake:
        seed(fake, 300, 2700)  # 3,000 posts = 60 pages of /posts.json
        forum = adapter(fake, clock)
        report = syncer(forum, ledger, clock).run_cycle()
        statuses = [r.status for r in fake.requests]
        assert report.complete and 429 not in statuses and forum.rate_limited_responses == 0
        assert set(mirrored(ledger)) == visible_post_ids(fake)
        simulated_minutes = (clock.now() - T0).total_seconds() / 60
        assert simulated_minutes == pytest.approx((report.requests - 5) / 50, abs=0.05)


def test_without_pacing_the_same_backfill_is_rate_limited_and_recovers(clock, ledger):
    """Control: with a budget above the site limit the sandbox answers 429; the cycle stops cleanly and resumes."""
    with sandbox(clock, rate_limit_per_minute=60) as fake:
        seed(fake, 300, 2700)
        forum = adapter(fake, clock, requests_per_minute=600, burst=100)
        sync = syncer(forum, ledger, clock)
        first = sync.run_cycle()
        assert not first.complete and "ForumRateLimited" in first.error
        assert_cursor_claims_only_stored(ledger, fake)
        for _ in range(10):
            clock.advance(timedelta(minutes=2))
            if sync.run_cycle().complete:
                break
        assert set(mirrored(ledger)) == visible_post_ids(fake)


# -- faults: the caller keeps running, nothing is lost ----------------------------------------------------


def start_gap(fake, forum, ledger, clock) -> DiscourseSync:
    """Sync, add 150 posts, then store only their first page so the next request is mid-pass."""
    sync = syncer(forum, ledger, clock)
    assert sync.run_cycle().complete
    topics = list(range(1, fake.topic_count + 1))
    for n in range(150):
        fake.reply(topics[n % len(topics)], f"New reply number {n}")
    clock.advance(timedelta(minutes=5))
    partial = syncer(forum, ledger, clock, max_requests_per_cycle=1).run_cycle()
    assert not partial.complete and ledger.get_cursor("cotech", PASS_BEFORE)
    return sync


@pytest.mark.parametrize(
    ("inject", "expected"),
    [
        (lambda faults: faults.rate_limit_next(1, wait_seconds=60), "ForumRateLimited"),
        (lambda faults: faults.fail_next(1, 500), "ForumUnavailable"),
        (lambda faults: faults.slow_next(1, 0.5), "ForumUnavailable"),
        (lambda faults: faults.malformed_next(1), "ForumBadResponse"),
    ],
    ids=["429", "500", "timeout", "malformed-json"],
)
def test_a_fault_mid_pass_is_logged_and_loses_nothing(clock, ledger, inject, expected):
    """A 429, 500, timeout or malformed page mid-pass ends the cycle with a clear log line; the cursor stays
    behind what was stored and the next cycle completes with every post."""
    with sandbox(clock) as fake:
        seed(fake, 10, 90)
        forum = adapter(fake, clock, timeout=0.1)
        sync = start_gap(fake, forum, ledger, clock)
        max_before = ledger.get_cursor("cotech", MAX_ID)
        inject(fake.faults)
        clock.advance(timedelta(minutes=5))
        with structlog.testing.capture_logs() as logs:
            failed = sync.run_cycle()
        assert not failed.complete and failed.error.startswith(expected)
        cycle = [e for e in logs if e["event"] == "sync.cycle"]
        assert len(cycle) == 1 and cycle[0]["log_level"] == "warning"
        assert cycle[0]["forum"] == "cotech" and expected in cycle[0]["error"]
        assert any(
            e["event"] in ("discourse.request_failed", "discourse.rate_limited", "discourse.bad_response")
            and e.get("path") == "/posts.json"
            for e in logs
        )
        assert ledger.get_cursor("cotech", MAX_ID) == max_before
        assert_cursor_claims_only_stored(ledger, fake)
        clock.advance(timedelta(minutes=5))
        done = sync.run_cycle()
        assert done.complete and done.error is None
        assert set(mirrored(ledger)) == visible_post_ids(fake)


def test_a_short_429_is_absorbed_within_the_cycle(clock, ledger):
    """A 429 asking for 2 s is waited out (on the fake clock) and the cycle completes without an error."""
    with sandbox(clock) as fake:
        seed(fake, 5, 20)
        forum = adapter(fake, clock)
        sync = syncer(forum, ledger, clock)
        sync.run_cycle()
        fake.reply(1, "One more reply for the cycle")
        fake.faults.rate_limit_next(1, wait_seconds=2)
        clock.advance(timedelta(minutes=5))
        report = sync.run_cycle()
        assert report.complete and report.new_posts == 1 and forum.rate_limited_responses == 1


def test_after_a_long_429_the_next_calls_do_not_hit_the_server(clock, ledger):
    """Within the server's wait the adapter refuses calls locally, so a rate-limited forum gets no extra load."""
    with sandbox(clock) as fake:
        seed(fake, 3, 3)
        forum = adapter(fake, clock)
        fake.faults.rate_limit_next(1, wait_seconds=60)
        with pytest.raises(ForumRateLimited):
            forum.latest_posts()
        fake.clear_log()
        with pytest.raises(ForumRateLimited):
            forum.latest_topics()
        assert fake.requests == []


# -- the rest of the port over HTTP -------------------------------------------------------------------------


def test_port_reads_and_writes_against_the_sandbox(clock):
    """Events, polls, voters, groups, topic reads, own-post lookup and writes all work over HTTP."""
    with sandbox(clock, tag_style="objects") as fake:
        fake.add_user("alice")
        fake.add_user("dee")
        topic, first = fake.create_topic(
            "CoTech monthly call",
            '[event start="2025-06-10 18:00" timezone="Europe/London" name="Call"]\n'
            "Monthly call\n[/event]\n\n[poll name=dates type=regular public=true]\n* Tuesday\n* Thursday\n[/poll]",
            tags=["events"],
            username="alice",
        )
        for n in range(30):
            fake.reply(topic.id, f"Reply {n} in the call topic")
        poll = fake.vote(first.id, "dates", "dee", ["Tuesday"])
        group = fake.add_group("members-team", owners=["cotechbot"])
        fake.request_membership("members-team", "dee", "We are a tech co-op in Leeds")
        forum = adapter(fake, clock)

        assert "cotechbot" in forum.check()
        events = forum.events(after=T0)
        assert [(e.post_id, e.topic_id) for e in events] == [(first.id, topic.id)]
        view, posts = forum.topic(topic.id)
        assert view.tags == ["events"] and len(posts) == 31 and posts[0].polls[0].name == "dates"
        voters = forum.poll_voters(first.id, "dates")
        tuesday = (
            next(o.id for o in poll.options if o.text == "Tuesday")
            if hasattr(poll.options[0], "text")
            else next(iter(voters))
        )
        assert [v.username for v in voters[tuesday]] == ["dee"]
        assert forum.group("members-team").id == group.id
        requesters = forum.group_requesters("members-team")
        assert [r.username for r in requesters] == ["dee"]
        forum.handle_membership_request(group.id, requesters[0].id, accept=True)
        assert forum.group_requesters("members-team") == []

        marker = "<!-- cotechbot:reminder:topic/1:test -->"
        created = forum.create_reply(topic.id, f"Reminder: the call starts soon.\n\n{marker}")
        assert forum.find_own_post(topic.id, marker) == created.id
        assert forum.find_own_post(topic.id, "<!-- cotechbot:other -->") is None
        edited = forum.edit_post(
            created.id, f"Reminder: starts in 10 minutes.\n\n{marker}", edit_reason="update"
        )
        assert edited.version == 2 and marker in edited.raw
        new_topic = forum.create_topic(
            "Weekly digest for CoTech", "This week on the forum: lots happened.", tags=["digest"]
        )
        assert forum.post(new_topic.id).topic_id == new_topic.topic_id


# -- malformed posts over HTTP ------------------------------------------------------------------------------


def assert_cursor_claims_only_stored_but(ledger, fake, skipped: set[int]) -> None:
    """Like assert_cursor_claims_only_stored, for a forum serving the ``skipped`` posts broken."""
    held = set(mirrored(ledger))
    max_id = int(ledger.get_cursor("cotech", MAX_ID) or 0)
    assert {i for i in visible_post_ids(fake) - skipped if i <= max_id} <= held


def test_malformed_posts_are_skipped_and_the_sync_pages_past_them(clock, ledger):
    """Posts the forum serves broken (mid-page, bottom of a page, alone on the last page) are skipped, logged and
    audited; paging goes on over real HTTP, every good post is stored, and a re-read never marks them deleted."""
    with sandbox(clock) as fake:  # contract validation stays off: these replies break it on purpose
        seed(fake, 10, 141)  # ids 101..251: pages 251-202, 201-152, 151-102, then 101 alone
        fake.corrupt_post(180, polls={"dates": "not a list"})  # mid-page
        fake.corrupt_post(152, created_at=FakeDiscourse.MISSING)  # the very bottom of page 2
        fake.corrupt_post(101, created_at="yesterday", id="101")  # alone on the last page
        forum = adapter(fake, clock)
        sync = syncer(forum, ledger, clock)
        with structlog.testing.capture_logs() as logs:
            report = sync.run_cycle()
        assert report.complete and report.error is None and report.skipped_posts == 3
        assert set(mirrored(ledger)) == visible_post_ids(fake) - {101, 152, 180}
        assert ledger.get_cursor("cotech", MAX_ID) == "251"
        befores = [r.query.get("before", [None])[0] for r in fake.requests if r.path == "/posts.json"]
        assert befores == [None, "202", "152", "102", "101"]
        warned = [e for e in logs if e["event"] == "discourse.post_skipped"]
        assert [(e["post_id"], e["path"], e["log_level"]) for e in warned] == [
            (180, "/posts.json", "warning"),
            (152, "/posts.json", "warning"),
            (101, "/posts.json", "warning"),
        ]
        assert "polls" in warned[0]["error"] and "created_at" in warned[1]["error"]
        assert KEY not in str(logs)
        audited = ledger.audit_log("cotech", "post_skipped")
        assert [(a["detail"]["post_id"], a["detail"]["topic_id"]) for a in audited] == [
            (180, fake.post(180).topic_id),
            (152, fake.post(152).topic_id),
            (101, 1),
        ]

        # A stored post served broken by a topic re-read keeps its mirrored copy and is not marked deleted.
        stored = fake.post(120)
        fake.corrupt_post(120, created_at="soon")
        fake.reply(stored.topic_id, "A reply that bumps the topic of the broken post")
        clock.advance(timedelta(minutes=5))
        bumped = sync.run_cycle()
        assert bumped.complete and bumped.topics_reread == 1 and bumped.deleted_posts == 0
        assert 120 in mirrored(ledger) and len(ledger.audit_log("cotech", "post_skipped")) == 3

        # Once the forum serves post 101 intact, the next re-read of its topic stores it.
        fake.corrupt_post(101)
        fake.reply(1, "A reply to the first topic, so it is re-read")
        clock.advance(timedelta(minutes=5))
        healed = sync.run_cycle()
        assert healed.complete and 101 in mirrored(ledger)
        assert_cursor_claims_only_stored_but(ledger, fake, {152, 180})
