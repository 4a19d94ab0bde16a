"""Issue 9 at dispatch: a new or lost ledger looks before posting, a dispatcher that lost its lock or its
claim stops, each forum posts only its own actions, and every operation is checked after a crash."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cotechbot.actions import Action, CreateTopic, HandleMembershipRequest, PrivateMessage, Status
from cotechbot.clock import FixedClock
from cotechbot.dispatch import Dispatcher, DispatchReport
from cotechbot.errors import ForumRejected
from cotechbot.ledger import Ledger
from cotechbot.messages import key_marker
from cotechbot.models import CreatedPost
from tests.unit.test_dispatch import T0, RecordingForum, SimulatedCrash, reply_action


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def ledger(tmp_path, clock) -> Ledger:
    return Ledger(f"sqlite:///{tmp_path / 'state.db'}", clock)


def already_replied(forum: RecordingForum, key: str, topic_id: int = 7) -> None:
    """The forum shows the bot's reply for ``key``, posted before this ledger knew of it."""
    forum.replies.append((topic_id, f"Reminder\n\n{key_marker(key)}"))


def mark_something_sent(ledger: Ledger) -> None:
    """A ledger that has sent before (not a new or rebuilt one)."""
    ledger.apply_plan(
        "cotech", ["topic/99"], [reply_action("earlier", due=T0 - timedelta(days=3), topic_id=99)]
    )
    [row] = ledger.claim_due("w0", T0 - timedelta(days=3))
    ledger.finish(row.key, Status.SENT, post_ref="post/1")


# -- item 9: a new or lost ledger ------------------------------------------------------------------------


def test_a_fresh_ledger_looks_for_its_post_before_the_first_send(ledger, clock) -> None:
    """The database was lost and rebuilt: the reminder it plans again is already on the forum, so it is
    recorded as sent, not posted a second time."""
    forum = RecordingForum()
    already_replied(forum, "a")
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])
    report = Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due()
    assert report.recovered == ["a"] and len(forum.replies) == 1
    assert ledger.action("a").status == Status.SENT


def test_an_overdue_action_is_looked_for_before_it_is_posted(ledger, clock) -> None:
    """An action due long ago on a ledger that has sent before may have been posted by a bot whose ledger
    was lost since: it is looked for first; one due just now is posted without the extra read."""
    mark_something_sent(ledger)
    forum = RecordingForum()
    already_replied(forum, "late")
    ledger.apply_plan(
        "cotech", ["topic/7"], [reply_action("late", due=T0 - timedelta(hours=1)), reply_action("now")]
    )
    report = Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due()
    assert report.recovered == ["late"] and report.sent == ["now"]
    assert len(forum.replies) == 2


# -- item 11: a dispatcher that lost its lock or its claim stops ---------------------------------------------


class Lock:
    def __init__(self, held_for: int) -> None:
        self.checks_left = held_for

    def still_held(self) -> bool:
        self.checks_left -= 1
        return self.checks_left >= 0


def test_a_dispatcher_that_loses_its_lock_posts_nothing_more(ledger, clock) -> None:
    """The lock is checked before claiming and before each post; what is left is given back unposted and
    the next leader posts it once."""
    forum = RecordingForum()
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a"), reply_action("b")])
    report = Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due(leadership=Lock(held_for=2))
    assert report.sent == ["a"] and report.released == ["b"] and len(forum.replies) == 1
    assert ledger.action("b").status == Status.PENDING
    assert (
        Dispatcher(ledger, forum, clock, worker_id="w2").dispatch_due(leadership=Lock(held_for=0)).sent == []
    )
    assert Dispatcher(ledger, forum, clock, worker_id="w2").dispatch_due().sent == ["b"]
    assert len(forum.replies) == 2


def test_a_stalled_dispatcher_whose_lease_ran_out_does_not_post_after_the_next_one(tmp_path, clock) -> None:
    """PostgreSQL case: the first dispatcher claimed, then stalled past its lease (its lock had died); the
    second took the row and posted it. When the first wakes up it finds the claim gone and posts nothing."""
    ledger = Ledger(f"sqlite:///{tmp_path / 'leased.db'}", clock, claim_lease=timedelta(minutes=5))
    forum = RecordingForum()
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("a")])
    first = Dispatcher(ledger, forum, clock, worker_id="first")
    [row] = ledger.claim_due("first", clock.now(), forum="cotech")
    assert Dispatcher(ledger, forum, clock, worker_id="second").dispatch_due().sent == []  # still leased
    clock.advance(timedelta(minutes=5))
    assert Dispatcher(ledger, forum, clock, worker_id="second").dispatch_due().sent == ["a"]
    resumed = DispatchReport()
    first._dispatch_one(row, resumed)  # the stalled call resumes where it stopped: its one claimed row
    assert len(forum.replies) == 1 and resumed.sent == [] and resumed.released == ["a"]
    assert ledger.action("a").status == Status.SENT and ledger.action("a").claimed_by == "second"


# -- item 12: one forum's dispatcher posts only that forum's actions ----------------------------------------


def test_a_dispatcher_takes_only_its_own_forums_actions(ledger, clock) -> None:
    forum = RecordingForum()  # named "cotech"
    theirs = reply_action("theirs").model_copy(update={"forum": "other"})
    ledger.apply_plan("cotech", ["topic/7"], [reply_action("ours")])
    ledger.apply_plan("other", ["topic/7"], [theirs])
    dry = Dispatcher(ledger, forum, clock, worker_id="w1", dry_run=True).dispatch_due()
    assert [row.key for row in dry.would_send] == ["ours"]
    assert Dispatcher(ledger, forum, clock, worker_id="w1").dispatch_due().sent == ["ours"]
    assert ledger.action("theirs").status == Status.PENDING and len(forum.replies) == 1


# -- typed operations: a topic or private message is never created twice after a crash ----------------------


class TopicForum(RecordingForum):
    """Creates topics and private messages in memory; ``finders`` decides whether it can look for them."""

    def __init__(self, finders: bool) -> None:
        super().__init__()
        self.created: list[tuple[str, str]] = []
        self.crash_after_creating = False
        if finders:
            self.find_own_topic = self._find
            self.find_own_private_message = self._find

    def _create(self, kind: str, raw: str) -> CreatedPost:
        self.created.append((kind, raw))
        if self.crash_after_creating:
            self.crash_after_creating = False
            raise SimulatedCrash()
        return CreatedPost(id=5000 + len(self.created), topic_id=600 + len(self.created), post_number=1)

    def create_topic(self, title, raw, category_id=None, tags=()) -> CreatedPost:
        return self._create("topic", raw)

    def create_private_message(self, title, raw, recipients) -> CreatedPost:
        return self._create("pm", raw)

    def _find(self, key: str) -> int | None:
        return next((5001 + i for i, (_, raw) in enumerate(self.created) if key_marker(key) in raw), None)


def create_action(key: str, private: bool) -> Action:
    raw = f"This week\n\n{key_marker(key)}"
    operation = (
        PrivateMessage(title="Digest", raw=raw, recipients=("stewards",))
        if private
        else CreateTopic(title="Digest", raw=raw, category_id=4)
    )
    return Action(
        key=key,
        kind="digest",
        forum="cotech",
        source="digest",
        target="forum",
        due_at=T0,
        operation=operation,
    )


@pytest.mark.parametrize("private", [False, True], ids=["topic", "private_message"])
def test_a_crash_after_creating_is_recovered_by_asking_the_forum(ledger, clock, private) -> None:
    mark_something_sent(ledger)
    forum = TopicForum(finders=True)
    forum.crash_after_creating = True
    ledger.apply_plan("cotech", ["digest"], [create_action("d", private)])
    with pytest.raises(SimulatedCrash):
        Dispatcher(ledger, forum, clock, worker_id="dies").dispatch_due()
    report = Dispatcher(ledger, forum, clock, worker_id="restarted").dispatch_due()
    assert report.recovered == ["d"] and len(forum.created) == 1
    assert ledger.action("d").post_ref == "post/5001"


@pytest.mark.parametrize("private", [False, True], ids=["topic", "private_message"])
def test_a_crash_after_creating_fails_loudly_when_the_forum_cannot_be_asked(ledger, clock, private) -> None:
    """Without find_own_topic / find_own_private_message the retry is failed, never posted blind."""
    mark_something_sent(ledger)
    forum = TopicForum(finders=False)
    forum.crash_after_creating = True
    ledger.apply_plan("cotech", ["digest"], [create_action("d", private)])
    with pytest.raises(SimulatedCrash):
        Dispatcher(ledger, forum, clock, worker_id="dies").dispatch_due()
    report = Dispatcher(ledger, forum, clock, worker_id="restarted").dispatch_due()
    assert report.failed == ["d"] and len(forum.created) == 1
    row = ledger.action("d")
    assert row.status == Status.FAILED and "find_own_" in row.last_error


class MembershipForum(RecordingForum):
    """Answers a membership request once; a second answer finds no request left, as the forum refuses it."""

    def __init__(self) -> None:
        super().__init__()
        self.answered: list[tuple[int, int, bool]] = []
        self.crash_after_answering = False

    def handle_membership_request(self, group_id: int, user_id: int, *, accept: bool) -> None:
        if any(g == group_id and u == user_id for g, u, _ in self.answered):
            raise ForumRejected("PUT /groups/3/handle_membership_request.json: rejected (400)", status=400)
        self.answered.append((group_id, user_id, accept))
        if self.crash_after_answering:
            self.crash_after_answering = False
            raise SimulatedCrash()


def membership_answer(key: str) -> Action:
    return Action(
        key=key,
        kind="membership_decision",
        forum="cotech",
        source="membership/members",
        target="group/3",
        due_at=T0,
        operation=HandleMembershipRequest(group_id=3, user_id=42, accept=True),
    )


def test_a_membership_answer_repeated_after_a_crash_is_recorded_as_done_not_failed(ledger, clock) -> None:
    forum = MembershipForum()
    forum.crash_after_answering = True
    ledger.apply_plan("cotech", ["membership/members"], [membership_answer("m")])
    with pytest.raises(SimulatedCrash):
        Dispatcher(ledger, forum, clock, worker_id="dies").dispatch_due()
    report = Dispatcher(ledger, forum, clock, worker_id="restarted").dispatch_due()
    assert report.recovered == ["m"] and forum.answered == [(3, 42, True)]
    assert ledger.action("m").status == Status.SENT


def test_a_first_membership_answer_the_forum_refuses_is_a_failure(ledger, clock) -> None:
    forum = MembershipForum()
    forum.answered.append((3, 42, False))  # someone else settled it before the bot ever tried
    ledger.apply_plan("cotech", ["membership/members"], [membership_answer("m")])
    report = Dispatcher(ledger, forum, clock, worker_id="only").dispatch_due()
    assert report.failed == ["m"] and ledger.action("m").status == Status.FAILED
