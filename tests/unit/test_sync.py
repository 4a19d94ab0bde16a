"""cotechbot.sync against an in-memory forum and the real SQLite ledger: cursors, gaps, crash-safety, edits."""

from __future__ import annotations

import io
import math
import random
from datetime import UTC, datetime, timedelta

import pytest
import structlog

from cotechbot.clock import FixedClock
from cotechbot.errors import ForumBadResponse, ForumNotFound, ForumRateLimited, ForumUnavailable
from cotechbot.forum.discourse import PostList, SkippedPost
from cotechbot.ledger import Ledger
from cotechbot.models import CalendarEvent, Poll, PollOption, Post, Topic
from cotechbot.settings import Settings
from cotechbot.sync import (
    DEFAULT_MAX_REQUESTS_PER_CYCLE,
    MAX_ID,
    PASS_BEFORE,
    PASS_TOP,
    TOPICS_BACKFILL,
    DiscourseSync,
    SyncOptions,
)

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
PAGE = 50


class MemoryForum:
    """A Forum double holding posts in memory; every call counts as one request and may be made to fail."""

    def __init__(self, clock: FixedClock) -> None:
        self.name = "cotech"
        self.clock = clock
        self.requests_made = 0
        self.calls: list[tuple] = []
        self.posts: dict[int, Post] = {}
        self.topics: dict[int, Topic] = {}
        self.event_list: list[CalendarEvent] = []
        self.failures: dict[int, Exception] = {}  # request number (1-based) -> error to raise instead
        self._next_post = 0
        self._next_topic = 0

    # seeding ------------------------------------------------------------------------------------------
    def _stamp(self) -> datetime:
        self.clock.advance(timedelta(seconds=1))
        return self.clock.now()

    def create_topic(self, title: str = "topic", raw: str = "first", polls=()) -> Post:
        self._next_topic += 1
        now = self._stamp()
        self.topics[self._next_topic] = Topic(
            id=self._next_topic,
            title=title,
            slug=title,
            created_at=now,
            bumped_at=now,
            posts_count=0,
            highest_post_number=0,
        )
        return self.reply(self._next_topic, raw, polls=polls)

    def reply(self, topic_id: int, raw: str = "reply", polls=()) -> Post:
        self._next_post += 1
        now = self._stamp()
        topic = self.topics[topic_id]
        number = topic.highest_post_number + 1
        post = Post(
            id=self._next_post,
            topic_id=topic_id,
            post_number=number,
            username="alice",
            raw=raw,
            cooked=f"<p>{raw}</p>",
            created_at=now,
            updated_at=now,
            topic_title=topic.title,
            topic_slug=topic.slug,
            polls=list(polls),
        )
        self.posts[post.id] = post
        self.topics[topic_id] = topic.model_copy(
            update={
                "bumped_at": now,
                "highest_post_number": number,
                "posts_count": topic.posts_count + 1,
                "last_posted_at": now,
            }
        )
        return post

    def edit(self, post_id: int, raw: str) -> None:
        post = self.posts[post_id]
        self.posts[post_id] = post.model_copy(
            update={"raw": raw, "version": post.version + 1, "updated_at": self._stamp()}
        )

    def delete(self, post_id: int) -> None:
        del self.posts[post_id]

    # the port -----------------------------------------------------------------------------------------
    def _request(self, *call) -> None:
        self.requests_made += 1
        self.calls.append(call)
        failure = self.failures.pop(self.requests_made, None)
        if failure is not None:
            raise failure

    def latest_posts(self, before=None):
        self._request("posts", before)
        ids = sorted((i for i in self.posts if before is None or i < before), reverse=True)[:PAGE]
        return [self.posts[i] for i in ids]

    def latest_topics(self, page=0, per_page=100):
        self._request("latest", page)
        ordered = sorted(self.topics.values(), key=lambda t: t.bumped_at, reverse=True)
        return ordered[page * per_page : (page + 1) * per_page]

    def _stream(self, topic_id):
        return sorted((p for p in self.posts.values() if p.topic_id == topic_id), key=lambda p: p.post_number)

    def topic(self, topic_id, include_raw=True):
        self._request("topic", topic_id)
        if topic_id not in self.topics:
            raise ForumNotFound("gone", status=404)
        posts = self._stream(topic_id)
        for _ in range(math.ceil(max(0, len(posts) - 20) / 50)):
            self._request("topic_posts", topic_id)
        view = self.topics[topic_id].model_copy(update={"bumped_at": None})  # the topic view has no bumped_at
        return view, [p.model_copy(update={"topic_title": None}) for p in posts]

    def topic_posts(self, topic_id, post_ids):
        self._request("topic_posts", topic_id, tuple(post_ids))
        return [self.posts[i].model_copy(update={"topic_title": None}) for i in post_ids if i in self.posts]

    def events(self, after=None):
        self._request("events", after)
        return [e for e in self.event_list if after is None or e.starts_at >= after]


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def forum(clock):
    return MemoryForum(clock)


@pytest.fixture
def ledger(tmp_path, clock):
    led = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}", clock)
    yield led
    led.dispose()


def seed(forum: MemoryForum, topics: int, replies: int) -> None:
    for n in range(topics):
        forum.create_topic(f"t{n}")
    rng = random.Random(7)
    topic_ids = list(forum.topics)
    for _ in range(replies):
        forum.reply(rng.choice(topic_ids))


def make_sync(forum, ledger, clock, **options) -> DiscourseSync:
    options.setdefault("backfill_max_posts", None)
    options.setdefault("progress_bar", False)
    return DiscourseSync(forum, ledger, clock, SyncOptions(**options))


def mirrored_ids(ledger) -> set[int]:
    return {p.id for p in ledger.mirrored_posts("cotech")}


def assert_cursor_invariant(ledger, forum) -> None:
    """Every post at or under posts.max_id, and every post in the open pass [before, top], is mirrored."""
    held = mirrored_ids(ledger)
    max_id = int(ledger.get_cursor("cotech", MAX_ID) or 0)
    assert {i for i in forum.posts if i <= max_id} <= held
    top, before = ledger.get_cursor("cotech", PASS_TOP), ledger.get_cursor("cotech", PASS_BEFORE)
    if top and before:
        assert {i for i in forum.posts if int(before) <= i <= int(top)} <= held


# -- backfill ----------------------------------------------------------------------------------------------


def test_first_run_backfills_every_post_and_topic(forum, ledger, clock):
    """With no cursor, the sync pages /posts.json back to the beginning and fills topic rows, then sets max_id."""
    seed(forum, 30, 170)  # 200 posts
    report = make_sync(forum, ledger, clock).run_cycle()
    assert report.complete and report.error is None and report.backfilling
    assert mirrored_ids(ledger) == set(forum.posts)
    assert report.new_posts == 200 and report.pages == 5  # 4 full pages + the empty one that ends the forum
    assert ledger.get_cursor("cotech", MAX_ID) == "200"
    assert ledger.get_cursor("cotech", TOPICS_BACKFILL) == "done"
    assert {t.id for t in ledger.mirrored_topics("cotech")} == set(forum.topics)


def test_idle_cycle_costs_exactly_one_request(forum, ledger, clock):
    """After a complete sync, a cycle on an unchanged forum sends one request: GET /posts.json."""
    seed(forum, 5, 20)
    sync = make_sync(forum, ledger, clock)
    sync.run_cycle(watched_topic_ids=[1, 2])
    clock.advance(timedelta(minutes=5))
    before = forum.requests_made
    report = sync.run_cycle(watched_topic_ids=[1, 2])
    assert report.requests == 1 == forum.requests_made - before
    assert forum.calls[-1] == ("posts", None)
    assert report.complete and report.new_posts == 0


def test_failure_mid_backfill_keeps_what_was_stored_and_resumes(forum, ledger, clock):
    """A ForumError on page 3 keeps pages 1–2, leaves max_id unset, and the next cycle resumes at before=B."""
    seed(forum, 10, 240)  # 250 posts: ids 250..1
    forum.failures[3] = ForumUnavailable("503", status=503)
    sync = make_sync(forum, ledger, clock)
    first = sync.run_cycle()
    assert not first.complete and "ForumUnavailable" in first.error
    assert mirrored_ids(ledger) == set(range(151, 251))
    assert ledger.get_cursor("cotech", MAX_ID) is None
    assert (ledger.get_cursor("cotech", PASS_TOP), ledger.get_cursor("cotech", PASS_BEFORE)) == ("250", "151")
    assert_cursor_invariant(ledger, forum)
    second = sync.run_cycle()
    assert forum.calls[first.requests] == ("posts", 151)  # resumes exactly where it stopped
    assert second.complete and mirrored_ids(ledger) == set(forum.posts)
    assert ledger.get_cursor("cotech", MAX_ID) == "250"
    assert first.new_posts + second.new_posts == 250


def test_posts_made_during_an_interrupted_backfill_are_caught_after_the_gap_closes(forum, ledger, clock):
    """When a resumed pass closes its gap, the same cycle looks again from the top and stores newer posts."""
    seed(forum, 5, 145)
    forum.failures[2] = ForumRateLimited("429", wait_seconds=60)
    sync = make_sync(forum, ledger, clock)
    sync.run_cycle()
    new = [forum.reply(1, f"late {n}") for n in range(3)]
    report = sync.run_cycle()
    assert report.complete
    assert mirrored_ids(ledger) == set(forum.posts)
    assert ledger.get_cursor("cotech", MAX_ID) == str(new[-1].id)


def test_incremental_gap_never_moves_the_cursor_past_unstored_posts(forum, ledger, clock):
    """With 120 new posts and a failure on page 2, max_id stays put; the next cycle closes the gap."""
    seed(forum, 5, 15)
    sync = make_sync(forum, ledger, clock)
    sync.run_cycle()
    seed_more = [forum.reply(2) for _ in range(120)]
    forum.failures[forum.requests_made + 2] = ForumBadResponse("malformed")
    failed = sync.run_cycle()
    assert not failed.complete and ledger.get_cursor("cotech", MAX_ID) == "20"
    assert_cursor_invariant(ledger, forum)
    done = sync.run_cycle()
    assert done.complete and mirrored_ids(ledger) == set(forum.posts)
    assert ledger.get_cursor("cotech", MAX_ID) == str(seed_more[-1].id)


def test_a_crash_while_storing_loses_nothing(forum, ledger, clock, monkeypatch):
    """If the process dies inside record_sync, neither the page nor its cursor lands; a new sync resumes."""
    seed(forum, 5, 145)
    calls = {"n": 0}
    real = ledger.record_sync

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, "record_sync", dying)
    with pytest.raises(SystemExit):
        make_sync(forum, ledger, clock).run_cycle()
    assert mirrored_ids(ledger) == set(range(101, 151))
    assert ledger.get_cursor("cotech", PASS_BEFORE) == "101"
    monkeypatch.setattr(ledger, "record_sync", real)
    assert make_sync(forum, ledger, clock).run_cycle().complete
    assert mirrored_ids(ledger) == set(forum.posts)


def test_random_failures_never_break_the_cursor_invariant(forum, ledger, clock):
    """Under random failures and new posts, after every cycle the cursors claim only what is stored."""
    rng = random.Random(3)
    seed(forum, 20, 300)
    sync = make_sync(forum, ledger, clock)
    errors = [ForumUnavailable("x"), ForumRateLimited("y", wait_seconds=90), ForumBadResponse("z")]
    for _ in range(30):
        for _ in range(rng.randrange(0, 80)):
            forum.reply(rng.choice(list(forum.topics)))
        for _ in range(rng.randrange(0, 3)):
            forum.failures[forum.requests_made + rng.randrange(1, 6)] = rng.choice(errors)
        sync.run_cycle()
        assert_cursor_invariant(ledger, forum)
    forum.failures.clear()
    assert sync.run_cycle().complete
    assert mirrored_ids(ledger) == set(forum.posts)


def test_backfill_stops_at_the_configured_count(forum, ledger, clock):
    """backfill_max_posts bounds the first run; the newest posts are kept and later cycles go forward only."""
    seed(forum, 10, 190)
    sync = make_sync(forum, ledger, clock, backfill_max_posts=120)
    report = sync.run_cycle()
    assert report.complete and report.new_posts == 120
    assert mirrored_ids(ledger) == set(range(81, 201))
    assert ledger.get_cursor("cotech", MAX_ID) == "200"
    late = forum.reply(1)
    report = sync.run_cycle()
    # the bumped topic is re-read whole, which also brings in its posts from before the floor
    assert {1} <= report.touched_topic_ids
    assert ledger.get_cursor("cotech", MAX_ID) == str(late.id)
    assert {p.id for p in forum.posts.values() if p.topic_id == 1} <= mirrored_ids(ledger)


def test_backfill_stops_at_the_configured_age(forum, ledger, clock):
    """backfill_max_age keeps only posts newer than now - age."""
    seed(forum, 10, 90)  # every post a second or two after the one before
    report = make_sync(forum, ledger, clock, backfill_max_age=timedelta(seconds=30)).run_cycle()
    assert report.complete
    cutoff = clock.now() - timedelta(seconds=30)
    assert mirrored_ids(ledger) == {p.id for p in forum.posts.values() if p.created_at >= cutoff}
    assert 0 < report.new_posts < 100


def test_request_cap_splits_a_backfill_across_cycles(forum, ledger, clock):
    """max_requests_per_cycle stops paging early (complete=False, no error); the next cycles continue."""
    seed(forum, 10, 290)
    sync = make_sync(forum, ledger, clock, max_requests_per_cycle=3)
    first = sync.run_cycle()
    assert not first.complete and first.error is None and first.requests == 3
    reports = [sync.run_cycle() for _ in range(4)]
    assert reports[-1].complete and mirrored_ids(ledger) == set(forum.posts)


class BeforeIgnoringForum(MemoryForum):
    """A server that ignores ``before=``: every page is the newest one. Refuses to serve a 20th page, so a
    sync that keeps asking fails this test instead of hanging it."""

    def latest_posts(self, before=None):
        if self.requests_made >= 20:
            raise AssertionError("the sync kept paging a server that makes no progress")
        return super().latest_posts(None)


def test_a_server_ignoring_before_stops_the_cycle_instead_of_looping(clock, ledger):
    """Issue 9 item 15: a /posts.json page at or above the ``before`` asked for is no progress: the cycle
    stops with a ForumBadResponse after the second page, and the next cycle does the same, never looping."""
    forum = BeforeIgnoringForum(clock)
    seed(forum, 10, 140)
    report = make_sync(forum, ledger, clock).run_cycle()
    assert not report.complete and report.pages == 2
    assert report.error.startswith("ForumBadResponse") and "before" in report.error
    assert make_sync(forum, ledger, clock).run_cycle().pages == 1  # resumes at the open pass, stops again


def test_paging_is_capped_per_cycle_by_default(forum, ledger, clock):
    """Issue 9 item 15: without any setting a cycle spends at most DEFAULT_MAX_REQUESTS_PER_CYCLE on paging."""
    assert SyncOptions().max_requests_per_cycle == DEFAULT_MAX_REQUESTS_PER_CYCLE <= 500
    seed(forum, 10, 20)
    sync = DiscourseSync(forum, ledger, clock, SyncOptions(max_requests_per_cycle=None, progress_bar=False))
    assert sync.options.max_requests_per_cycle is None  # None still means "until caught up", when asked for
    capped = DiscourseSync(forum, ledger, clock, SyncOptions.from_settings(Settings(), progress_bar=False))
    assert capped.options.max_requests_per_cycle == DEFAULT_MAX_REQUESTS_PER_CYCLE


def test_empty_forum_completes_with_one_request(forum, ledger, clock):
    """A forum with no posts completes its backfill with one request and then idles at one request."""
    sync = make_sync(forum, ledger, clock, sync_events=False)
    report = sync.run_cycle()
    assert report.complete and ledger.get_cursor("cotech", MAX_ID) == "0"


# -- edits, bumps, watched topics -------------------------------------------------------------------------


def test_edit_to_an_older_post_in_a_watched_topic_is_found_within_the_period(forum, ledger, clock):
    """Edits don't bump: a watched topic is re-read every edit_check_interval with one batched request."""
    seed(forum, 3, 30)
    sync = make_sync(forum, ledger, clock)
    sync.run_cycle(watched_topic_ids=[2])
    forum.edit(2, "moved to Thursday 18:00")
    clock.advance(timedelta(minutes=5))
    early = sync.run_cycle(watched_topic_ids=[2])
    assert early.requests == 1 and early.edited_posts == 0
    clock.advance(timedelta(minutes=30))
    before = forum.requests_made
    found = sync.run_cycle(watched_topic_ids=[2])
    assert found.edited_posts == 1 and 2 in found.touched_topic_ids
    assert sum(1 for c in forum.calls[before:] if c[0] == "topic_posts") == 1
    stored = {p.id: p for p in ledger.mirrored_posts("cotech", topic_ids=[2])}[2]
    assert stored.raw == "moved to Thursday 18:00" and stored.version == 2
    assert stored.topic_title == "t1"  # fields the topic read leaves out are kept from the mirror


def test_watched_refresh_prefers_first_post_and_polls(forum, ledger, clock):
    """The batched re-read of a long watched topic asks for post 1 and poll posts before the newest replies."""
    forum.create_topic("big")
    for _ in range(60):
        forum.reply(1)
    poll = Poll(name="dates", options=[PollOption(id="a", html="Tue"), PollOption(id="b", html="Thu")])
    poll_post = forum.reply(1, "[poll]", polls=[poll])
    for _ in range(10):
        forum.reply(1)
    sync = make_sync(forum, ledger, clock, watched_posts_per_topic=5)
    sync.run_cycle(watched_topic_ids=[1])
    asked = next(c for c in forum.calls if c[0] == "topic_posts")[2]
    assert asked[:2] == (1, poll_post.id) and len(asked) == 5


def test_edit_with_a_reply_is_found_through_the_bump(forum, ledger, clock):
    """A new reply bumps the topic; the bumped topic is re-read whole, so an edit made alongside it is found."""
    seed(forum, 4, 12)
    sync = make_sync(forum, ledger, clock)
    sync.run_cycle()
    forum.edit(3, "event moved")
    forum.reply(3, "see the edit above")
    report = sync.run_cycle()  # not watched, interval not due
    assert report.new_posts == 1 and report.edited_posts == 1 and report.topics_reread == 1
    assert {p.id: p.raw for p in ledger.mirrored_posts("cotech")}[3] == "event moved"
    clock.advance(timedelta(minutes=5))
    assert sync.run_cycle().requests == 1  # the stored list row has bumped_at: no churn


def test_deleted_post_is_marked_when_its_topic_is_reread(forum, ledger, clock):
    """A post missing from a re-read topic is marked deleted in the mirror."""
    seed(forum, 2, 6)
    sync = make_sync(forum, ledger, clock)
    sync.run_cycle()
    victim = next(p.id for p in forum.posts.values() if p.topic_id == 1 and p.post_number > 1)
    forum.delete(victim)
    forum.reply(1)
    report = sync.run_cycle()
    assert report.deleted_posts == 1 and victim not in mirrored_ids(ledger)


def test_rereads_beyond_the_budget_wait_for_the_next_cycle(forum, ledger, clock):
    """Bumped topics over max_reread_requests are deferred and the topic check stays due."""
    seed(forum, 6, 0)
    sync = make_sync(forum, ledger, clock, max_reread_requests=2)
    sync.run_cycle()
    for topic_id in range(1, 6):
        forum.reply(topic_id)
    first = sync.run_cycle()
    assert first.topics_reread == 2 and first.complete
    second = sync.run_cycle()
    assert second.topics_reread == 2
    third = sync.run_cycle()
    assert third.topics_reread == 1
    assert sync.run_cycle().requests == 1


def test_events_are_refreshed_on_the_interval(forum, ledger, clock):
    """Events are read once per edit_check_interval and stored in the mirror."""
    forum.create_topic("call")
    forum.event_list.append(
        CalendarEvent(id=1, name="Call", starts_at=T0 + timedelta(days=3), post_id=1, topic_id=1)
    )
    sync = make_sync(forum, ledger, clock)
    first = sync.run_cycle()
    assert first.events == 1 and [e.id for e in ledger.mirrored_events("cotech")] == [1]
    clock.advance(timedelta(minutes=31))
    assert sum(1 for c in forum.calls if c[0] == "events") == 1
    sync.run_cycle()
    assert sum(1 for c in forum.calls if c[0] == "events") == 2


# -- reporting ---------------------------------------------------------------------------------------------


def test_each_cycle_logs_one_line_and_errors_are_warnings(forum, ledger, clock):
    """run_cycle logs exactly one sync.cycle line; a failed cycle logs it as a warning naming the error."""
    seed(forum, 2, 5)
    sync = make_sync(forum, ledger, clock)
    forum.failures[1] = ForumUnavailable("GET /posts.json: no answer within 15s")
    with structlog.testing.capture_logs() as logs:
        report = sync.run_cycle()
        sync.run_cycle()
    cycles = [e for e in logs if e["event"] == "sync.cycle"]
    assert len(cycles) == 2
    assert cycles[0]["log_level"] == "warning" and "no answer" in cycles[0]["error"]
    assert cycles[0]["forum"] == "cotech" and not report.complete
    assert cycles[1]["log_level"] == "info" and cycles[1]["complete"] is True


def test_backfill_progress_is_logged_every_n_pages_off_a_terminal(forum, ledger, clock):
    """Without a terminal, backfill progress is a log line every progress_log_every pages."""
    seed(forum, 10, 490)
    with structlog.testing.capture_logs() as logs:
        make_sync(forum, ledger, clock, progress_log_every=4).run_cycle()
    progress = [e for e in logs if e["event"] == "sync.backfill.progress"]
    assert [e["pages"] for e in progress] == [4, 8]
    assert progress[-1]["posts"] == 400


def test_backfill_progress_bar_on_a_terminal(forum, ledger, clock):
    """With progress_bar on, a tqdm bar is drawn on the given stream."""
    seed(forum, 10, 140)
    stream = io.StringIO()
    sync = DiscourseSync(
        forum, ledger, clock, SyncOptions(backfill_max_posts=None, progress_bar=True), progress_stream=stream
    )
    sync.run_cycle()
    assert "backfill cotech" in stream.getvalue() and "150" in stream.getvalue()


# -- malformed posts: skipped, logged, audited; paging goes on ----------------------------------------------


class BrokenPostsForum(MemoryForum):
    """MemoryForum whose reads leave out "broken" posts as `DiscourseForum` does: in ``PostList.skipped``."""

    def __init__(self, clock: FixedClock, page_size: int = PAGE) -> None:
        super().__init__(clock)
        self.page_size = page_size
        self.broken: set[int] = set()  # skipped with their id readable
        self.unreadable: set[int] = set()  # skipped with no readable id

    def _split(self, posts, path: str) -> PostList:
        bad = self.broken | self.unreadable
        skipped = [
            SkippedPost(
                id=None if p.id in self.unreadable else p.id,
                topic_id=p.topic_id,
                path=path,
                error="created_at: Input should be a valid datetime",
            )
            for p in posts
            if p.id in bad
        ]
        return PostList([p for p in posts if p.id not in bad], skipped)

    def latest_posts(self, before=None):
        self._request("posts", before)
        ids = sorted((i for i in self.posts if before is None or i < before), reverse=True)[: self.page_size]
        return self._split([self.posts[i] for i in ids], "/posts.json")

    def topic(self, topic_id, include_raw=True):
        view, posts = super().topic(topic_id, include_raw)
        return view, self._split(posts, f"/t/{topic_id}.json")

    def topic_posts(self, topic_id, post_ids):
        return self._split(super().topic_posts(topic_id, post_ids), f"/t/{topic_id}/posts.json")


@pytest.fixture
def broken_forum(clock):
    return BrokenPostsForum(clock)


def skipped_audit(ledger) -> list[int]:
    return [row["detail"]["post_id"] for row in ledger.audit_log("cotech", "post_skipped")]


def good_ids(forum: BrokenPostsForum) -> set[int]:
    return set(forum.posts) - forum.broken - forum.unreadable


def test_a_bad_post_in_the_middle_of_a_backfill_is_skipped_and_audited_once(broken_forum, ledger, clock):
    """A post failing validation mid-backfill is left out, logged and audited; every other post is stored."""
    seed(broken_forum, 10, 240)  # ids 250..1: pages 250-201, 200-151, 150-101, ...
    broken_forum.broken = {125}
    sync = make_sync(broken_forum, ledger, clock)
    with structlog.testing.capture_logs() as logs:
        report = sync.run_cycle()
    assert report.complete and report.error is None and report.skipped_posts == 1
    assert mirrored_ids(ledger) == good_ids(broken_forum) and report.new_posts == 249
    assert ledger.get_cursor("cotech", MAX_ID) == "250"
    assert [c[1] for c in broken_forum.calls if c[0] == "posts"] == [None, 201, 151, 101, 51, 1]
    assert skipped_audit(ledger) == [125]
    [row] = ledger.audit_log("cotech", "post_skipped")
    assert row["detail"]["path"] == "/posts.json" and "created_at" in row["detail"]["error"]
    [line] = [e for e in logs if e["event"] == "sync.post_skipped"]
    assert line["log_level"] == "warning" and line["post_id"] == 125 and line["forum"] == "cotech"
    assert [e["skipped_posts"] for e in logs if e["event"] == "sync.cycle"] == [1]
    clock.advance(timedelta(minutes=5))
    assert sync.run_cycle().requests == 1 and skipped_audit(ledger) == [125]


def test_a_bad_post_at_the_bottom_of_a_page_still_sets_the_next_before(broken_forum, ledger, clock):
    """The smallest id of a page comes from every post served, so a skipped last post is paged past, not re-read."""
    seed(broken_forum, 10, 240)
    broken_forum.broken = {151, 201}  # the very bottom of pages 1 and 2
    broken_forum.failures[3] = ForumUnavailable("503", status=503)
    sync = make_sync(broken_forum, ledger, clock)
    failed = sync.run_cycle()
    assert not failed.complete
    assert (ledger.get_cursor("cotech", PASS_TOP), ledger.get_cursor("cotech", PASS_BEFORE)) == ("250", "151")
    assert mirrored_ids(ledger) == set(range(152, 251)) - {201}
    done = sync.run_cycle()
    assert done.complete and mirrored_ids(ledger) == good_ids(broken_forum)
    # page 3 is asked for before=151 twice (failed, then resumed), never before=152; then a look from the top
    assert [c[1] for c in broken_forum.calls if c[0] == "posts"] == [None, 201, 151, 151, 101, 51, 1, None]
    assert skipped_audit(ledger) == [201, 151]


def test_a_page_holding_only_a_bad_post_is_not_the_end_of_the_forum(clock, ledger):
    """With a page of one skipped post (here: page size 1), paging goes on below it to the real beginning."""
    forum = BrokenPostsForum(clock, page_size=1)
    seed(forum, 1, 4)  # ids 1..5
    forum.broken = {3}
    report = make_sync(forum, ledger, clock).run_cycle()
    assert report.complete and mirrored_ids(ledger) == {1, 2, 4, 5}
    assert [c[1] for c in forum.calls if c[0] == "posts"] == [None, 5, 4, 3, 2, 1]
    assert ledger.get_cursor("cotech", MAX_ID) == "5" and skipped_audit(ledger) == [3]


def test_a_bad_post_alone_on_the_last_page_and_as_the_only_new_post(broken_forum, ledger, clock):
    """A skipped oldest post alone on the last page ends the backfill normally; a skipped newest post moves M."""
    seed(broken_forum, 1, 50)  # ids 1..51: the last page holds post 1 only
    broken_forum.broken = {1}
    sync = make_sync(broken_forum, ledger, clock, sync_events=False)
    assert sync.run_cycle().complete and mirrored_ids(ledger) == set(range(2, 52))
    assert [c[1] for c in broken_forum.calls if c[0] == "posts"] == [None, 2, 1]
    bad = broken_forum.reply(1, "a reply the forum serves broken")
    broken_forum.broken.add(bad.id)
    report = sync.run_cycle()
    assert report.complete and report.new_posts == 0 and report.skipped_posts == 1
    assert ledger.get_cursor("cotech", MAX_ID) == str(bad.id)
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        idle = sync.run_cycle()
        assert idle.complete and idle.requests == 1
    assert skipped_audit(ledger) == [1, bad.id]


def test_a_page_of_posts_without_readable_ids_stops_the_cycle_and_keeps_the_cursor(clock, ledger):
    """With nothing to page past, the page is a bad response: the cursor stays and the next cycle retries."""
    forum = BrokenPostsForum(clock, page_size=1)
    seed(forum, 1, 4)
    forum.unreadable = {3}
    sync = make_sync(forum, ledger, clock)
    failed = sync.run_cycle()
    assert not failed.complete and "ForumBadResponse" in failed.error
    assert ledger.get_cursor("cotech", PASS_BEFORE) == "4" and ledger.get_cursor("cotech", MAX_ID) is None
    forum.unreadable.clear()
    assert sync.run_cycle().complete and mirrored_ids(ledger) == set(forum.posts)


def test_random_bad_posts_and_failures_lose_no_good_post(broken_forum, ledger, clock):
    """Under random bad posts, failures and new posts, every good post ends up stored and each bad one audited once."""
    rng = random.Random(11)
    seed(broken_forum, 20, 300)
    sync = make_sync(broken_forum, ledger, clock)
    errors = [ForumUnavailable("x"), ForumRateLimited("y", wait_seconds=90), ForumBadResponse("z")]
    for _ in range(25):
        for _ in range(rng.randrange(0, 80)):
            post = broken_forum.reply(rng.choice(list(broken_forum.topics)))
            if rng.random() < 0.05:
                broken_forum.broken.add(post.id)
        broken_forum.broken.update(
            rng.sample(sorted(broken_forum.posts), 2) if not mirrored_ids(ledger) else []
        )
        for _ in range(rng.randrange(0, 3)):
            broken_forum.failures[broken_forum.requests_made + rng.randrange(1, 6)] = rng.choice(errors)
        sync.run_cycle()
        max_id = int(ledger.get_cursor("cotech", MAX_ID) or 0)
        assert {i for i in good_ids(broken_forum) if i <= max_id} <= mirrored_ids(ledger)
    broken_forum.failures.clear()
    assert sync.run_cycle().complete
    assert good_ids(broken_forum) <= mirrored_ids(ledger)
    audited = skipped_audit(ledger)
    assert len(audited) == len(set(audited)) and set(audited) <= broken_forum.broken


def test_a_skipped_post_in_a_reread_topic_is_not_taken_for_deleted(broken_forum, ledger, clock):
    """A stored post that a topic re-read serves broken keeps its mirrored copy; it is not marked deleted."""
    seed(broken_forum, 2, 6)
    sync = make_sync(broken_forum, ledger, clock)
    sync.run_cycle()
    victim = next(p for p in broken_forum.posts.values() if p.topic_id == 1 and p.post_number > 1)
    broken_forum.edit(victim.id, "edited, but served broken")
    broken_forum.broken = {victim.id}
    broken_forum.reply(1)
    report = sync.run_cycle()
    assert report.complete and report.topics_reread == 1 and report.deleted_posts == 0
    assert report.skipped_posts == 2  # served broken by /posts.json and again by the topic re-read
    assert {p.id: p.raw for p in ledger.mirrored_posts("cotech")}[victim.id] == victim.raw


def test_an_unreadable_post_in_a_reread_topic_blocks_deletion_by_absence(broken_forum, ledger, clock):
    """If a re-read served a post with no readable id, no stored post is marked deleted for being absent."""
    seed(broken_forum, 2, 6)
    sync = make_sync(broken_forum, ledger, clock)
    sync.run_cycle()
    in_topic = [p.id for p in broken_forum.posts.values() if p.topic_id == 1 and p.post_number > 1]
    broken_forum.unreadable = {in_topic[0]}
    broken_forum.delete(in_topic[1])
    broken_forum.reply(1)
    report = sync.run_cycle()
    assert report.complete and report.deleted_posts == 0 and in_topic[1] in mirrored_ids(ledger)
    broken_forum.unreadable.clear()
    broken_forum.reply(1)
    assert sync.run_cycle().deleted_posts == 1 and in_topic[1] not in mirrored_ids(ledger)


def test_a_skipped_post_in_a_watched_topic_is_not_taken_for_deleted(broken_forum, ledger, clock):
    """The batched re-read of a watched topic does not mark a post deleted because it came back broken."""
    seed(broken_forum, 3, 30)
    sync = make_sync(broken_forum, ledger, clock)
    sync.run_cycle(watched_topic_ids=[2])
    broken_forum.broken = {2}
    clock.advance(timedelta(minutes=31))
    report = sync.run_cycle(watched_topic_ids=[2])
    assert report.complete and report.deleted_posts == 0
    assert report.skipped_posts == 2  # on the idle /posts.json page and in the watched re-read
    assert 2 in mirrored_ids(ledger) and skipped_audit(ledger) == []  # already stored: nothing passed over
