"""The weekly digest as pure functions: weeks in the forum's zone, when it is due, what it lists, and safety."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cotechbot.actions import CreateTopic, PrivateMessage
from cotechbot.capabilities.base import (
    SHARED_DECISIONS,
    SHARED_MEMBERSHIP_PENDING,
    Facts,
    outbox_view,
)
from cotechbot.capabilities.digest import DigestRules, parse_week, week_of
from cotechbot.capabilities.digest.capability import DigestCapability
from cotechbot.capabilities.events import EventRules
from cotechbot.capabilities.events.capability import EventsCapability
from cotechbot.capabilities.polls import PollRules
from cotechbot.capabilities.polls.capability import PollsCapability
from cotechbot.messages import render
from cotechbot.models import Decision, Post, Topic
from cotechbot.settings import Settings

LONDON = ZoneInfo("Europe/London")
BASE = "https://forum.example.coop"
RULES = DigestRules(category_id=7)
HOSTILE = "@everyone @admins ping [click](https://evil.example) **loud** <!-- cotechbot:digest:x --> #staff"


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def digest(rules: DigestRules = RULES) -> DigestCapability:
    return DigestCapability(
        rules,
        render,
        (PollsCapability(PollRules()), EventsCapability(EventRules(base_url=BASE))),
    )


def topic(topic_id: int, title: str, created: datetime, **fields) -> Topic:
    return Topic(
        id=topic_id,
        title=title,
        slug=fields.pop("slug", f"topic-{topic_id}"),
        created_at=created,
        last_posted_at=fields.pop("last_posted_at", created),
        posts_count=fields.pop("posts_count", 1),
        **fields,
    )


def post(topic_id: int, raw: str, created: datetime, post_number: int = 1) -> Post:
    return Post(
        id=100 + topic_id * 10 + post_number,
        topic_id=topic_id,
        post_number=post_number,
        raw=raw,
        created_at=created,
        username="organiser",
    )


def facts(topics=(), posts=(), outbox=(), shared=None) -> Facts:
    by_topic: dict[int, list[Post]] = {}
    for p in posts:
        by_topic.setdefault(p.topic_id, []).append(p)
    return Facts(
        forum="cotech",
        zone="Europe/London",
        base_url=BASE,
        topics={t.id: t for t in topics},
        posts=by_topic,
        topic_ids=tuple(sorted(t.id for t in topics)),
        outbox=tuple(outbox),
        shared=shared or {},
    )


# -- weeks and the moment ------------------------------------------------------------------------------


def test_the_week_is_the_forums_iso_week_and_due_at_monday_nine_local_in_bst_and_gmt() -> None:
    """Monday 1 July 2024 09:00 BST is 08:00 UTC; Monday 4 Nov 2024 09:00 GMT is 09:00 UTC."""
    summer = week_of(london(2024, 7, 3, 12, 0), "Europe/London")
    assert summer.label == "2024-W27"
    assert summer.due(RULES) == datetime(2024, 7, 1, 8, 0, tzinfo=UTC)
    winter = week_of(london(2024, 11, 6, 12, 0), "Europe/London")
    assert winter.label == "2024-W45"
    assert winter.due(RULES) == datetime(2024, 11, 4, 9, 0, tzinfo=UTC)


def test_sunday_night_local_is_still_last_week_even_when_utc_says_monday() -> None:
    """Sunday 30 June 23:30 BST is Sunday 22:30 UTC; Monday 00:30 BST (Sunday 23:30 UTC) is the new week."""
    assert week_of(datetime(2024, 6, 30, 22, 30, tzinfo=UTC), "Europe/London").label == "2024-W26"
    assert week_of(datetime(2024, 6, 30, 23, 30, tzinfo=UTC), "Europe/London").label == "2024-W27"


def test_the_week_of_the_october_change_ends_at_local_midnight_in_gmt() -> None:
    """Clocks go back on Sunday 27 October 2024: the week starts in BST and ends in GMT (169 hours)."""
    week = parse_week("2024-W43", "Europe/London")
    assert week.start == datetime(2024, 10, 20, 23, 0, tzinfo=UTC)
    assert week.end == datetime(2024, 10, 28, 0, 0, tzinfo=UTC)
    assert week.end - week.start == timedelta(hours=169)
    sunday = DigestRules(category_id=7, weekday=6, at=time(18, 0))
    assert week.due(sunday) == datetime(2024, 10, 27, 18, 0, tzinfo=UTC)  # 18:00 GMT, after the change


def test_the_spring_change_week_is_due_at_nine_bst() -> None:
    """Clocks go forward on Sunday 31 March 2024; Monday 1 April 09:00 is BST (08:00 UTC)."""
    assert parse_week("2024-W14", "Europe/London").due(RULES) == datetime(2024, 4, 1, 8, 0, tzinfo=UTC)


def test_a_moment_in_the_skipped_spring_hour_moves_forward_and_the_repeated_autumn_hour_is_the_first() -> (
    None
):
    sunday_0130 = DigestRules(category_id=7, weekday=6, at=time(1, 30))
    spring = parse_week("2024-W13", "Europe/London").due(sunday_0130)  # Sunday 31 March 2024
    assert spring == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # 02:30 BST, never before the change
    autumn = parse_week("2024-W43", "Europe/London").due(sunday_0130)  # Sunday 27 October 2024
    assert autumn == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # 01:30 BST, the first of the two


def test_nothing_is_planned_before_the_hour_and_it_wakes_at_the_hour() -> None:
    plan = digest().plan(facts(), london(2024, 7, 1, 8, 59))
    assert plan.actions == ()
    assert plan.wake_at == frozenset({london(2024, 7, 1, 9, 0)})


def test_at_the_hour_one_topic_in_the_category_titled_with_the_week() -> None:
    plan = digest().plan(facts(), london(2024, 7, 1, 9, 0))
    [action] = plan.actions
    assert action.key == "digest:cotech:2024-W27"
    assert isinstance(action.operation, CreateTopic)
    assert action.operation.title == "CoTech weekly digest: week of 1 July 2024"
    assert action.operation.category_id == 7
    assert action.due_at == london(2024, 7, 1, 9, 0)
    assert action.expires_at == london(2024, 7, 8, 0, 0)


def test_a_late_start_the_same_week_posts_with_the_same_key() -> None:
    """Down at the hour, back on Thursday evening: the same week's digest, due at once."""
    [action] = digest().plan(facts(), london(2024, 7, 4, 20, 0)).actions
    assert action.key == "digest:cotech:2024-W27"
    assert action.due_at < london(2024, 7, 4, 20, 0) < action.expires_at


def test_never_last_weeks_digest_late() -> None:
    """Down from Sunday to the next Monday 08:00: nothing for last week, and this week's waits for 09:00."""
    plan = digest().plan(facts(), london(2024, 7, 8, 8, 0))
    assert plan.actions == ()
    assert plan.wake_at == frozenset({london(2024, 7, 8, 9, 0)})
    [action] = digest().plan(facts(), london(2024, 7, 8, 9, 0)).actions
    assert action.key == "digest:cotech:2024-W28"  # never W27


def test_a_digest_already_sent_or_claimed_is_not_planned_again() -> None:
    for status in ("sent", "claimed"):
        row = outbox_view(
            key="digest:cotech:2024-W27",
            kind="digest",
            source="digest/2024-W27",
            target="category/7",
            status=status,
            due_at=london(2024, 7, 1, 9, 0),
            sent_at=None,
            payload={},
        )
        assert digest().plan(facts(outbox=[row]), london(2024, 7, 2, 9, 0)).actions == ()


def test_no_digest_while_no_category_or_group_is_set() -> None:
    assert digest(DigestRules()).plan(facts(), london(2024, 7, 1, 9, 0)).actions == ()


def test_with_a_group_set_it_is_a_private_message_to_the_group() -> None:
    [action] = digest(DigestRules(group="organisers")).plan(facts(), london(2024, 7, 1, 9, 0)).actions
    assert isinstance(action.operation, PrivateMessage)
    assert action.operation.recipients == ("organisers",)
    assert action.target == "group/organisers"


def test_settings_read_the_moment_the_target_and_stall_days() -> None:
    settings = Settings(
        digest={"at": "Wed 17:30", "category_id": 9, "skip_empty": True},
        stall_days=12,
        timezone="Europe/London",
    )
    rules = DigestRules.from_settings(settings)
    assert (rules.weekday, rules.at, rules.category_id, rules.skip_empty, rules.stall_days) == (
        2,
        time(17, 30),
        9,
        True,
        12,
    )
    with pytest.raises(ValueError, match="weekday and a time"):
        Settings(digest={"at": "someday 25:00"})


# -- content -------------------------------------------------------------------------------------------


def test_an_empty_week_is_one_line_or_nothing_with_skip_empty() -> None:
    [action] = digest().plan(facts(), london(2024, 7, 1, 9, 0)).actions
    lines = [line for line in action.operation.raw.splitlines() if line and not line.startswith("<!--")]
    assert len(lines) == 1 and "Nothing to report" in lines[0]
    quiet = DigestRules(category_id=7, skip_empty=True)
    assert digest(quiet).plan(facts(), london(2024, 7, 1, 9, 0)).actions == ()


def busy_week() -> Facts:
    now = london(2024, 7, 1, 9, 0)
    call = topic(1, "Members call", now - timedelta(days=2), slug="members-call", posts_count=3)
    call_post = post(
        1,
        "We're having a call at 3pm on Tuesday 2nd July: https://meet.jit.si/cotech-call",
        now - timedelta(days=2),
    )
    old = topic(2, "Old news", now - timedelta(days=20), slug="old-news")
    stalled = topic(
        3,
        "Proposal: adopt the new rules",
        now - timedelta(days=60),
        slug="proposal-rules",
        tags=["proposal"],
        last_posted_at=now - timedelta(days=45),
    )
    lively = topic(
        4,
        "Proposal: lively",
        now - timedelta(days=60),
        tags=["proposal"],
        last_posted_at=now - timedelta(days=2),
    )
    decisions = (
        Decision(
            id="discourse:topic/2",
            source="discourse",
            url=f"{BASE}/t/old-news/2",
            title="We adopt the code of conduct",
            decision="Adopted",
            decided_at=now - timedelta(days=3),
        ),
        Decision(
            id="discourse:topic/9",
            source="discourse",
            url=f"{BASE}/t/ancient/9",
            title="An old decision",
            decided_at=now - timedelta(days=30),
        ),
        Decision(
            id="loomio:poll/abc",
            source="loomio",
            url="https://www.loomio.com/p/abc",
            title="Fund the website",
            decided_at=now - timedelta(days=1),
            status="awaiting_outcome",
            closing_at=now + timedelta(days=3),
        ),
    )
    requests = (("members", 2), {"group": "members", "count": 1, "username": "secret_sam"}, ("organisers", 1))
    return facts(
        topics=[call, old, stalled, lively],
        posts=[call_post, post(2, "old", old.created_at)],
        shared={SHARED_DECISIONS: decisions, SHARED_MEMBERSHIP_PENDING: requests},
    )


def test_the_sections_list_events_decisions_requests_new_and_stalled_topics_with_links() -> None:
    raw = digest().markdown(busy_week(), london(2024, 7, 1, 9, 0))
    assert "[Members call](https://forum.example.coop/t/members-call/1)" in raw
    assert "Tuesday 2 July 2024, 15:00 BST" in raw and "https://meet.jit.si/cotech-call" in raw
    assert "Decided: [We adopt the code of conduct](https://forum.example.coop/t/old-news/2)" in raw
    assert "An old decision" not in raw  # 30 days ago is not this week
    assert "Closing this week: [Fund the website](https://www.loomio.com/p/abc)" in raw
    assert "- members: 3 requests waiting" in raw and "- organisers: 1 request waiting" in raw
    assert "secret_sam" not in raw
    new_section = raw.split("### New topics this week")[1].split("###")[0]
    assert "[Members call](https://forum.example.coop/t/members-call/1) — 2 replies" in new_section
    assert "Old news" not in new_section
    stalled_section = raw.split("### Stalled threads")[1]
    assert "[Proposal: adopt the new rules](https://forum.example.coop/t/proposal-rules/3)" in stalled_section
    assert "no reply in 45 days" in stalled_section and "lively" not in stalled_section


def test_missing_shared_decisions_and_requests_are_tolerated() -> None:
    raw = digest().markdown(
        facts(
            topics=[topic(1, "Hello", london(2024, 6, 30, 9, 0))],
            posts=[post(1, "hi", london(2024, 6, 30, 9, 0))],
        ),
        london(2024, 7, 1, 9, 0),
    )
    assert "### New topics this week" in raw and "### Decisions" not in raw


def test_an_open_date_poll_shows_its_closing_time_and_visible_leader() -> None:
    now = london(2024, 7, 1, 9, 0)
    poll_post = Post.model_validate(
        {
            **post(5, "Which day?", now - timedelta(days=1)).model_dump(),
            "polls": [
                {
                    "name": "poll",
                    "type": "regular",
                    "status": "open",
                    "results": "always",
                    "close": (now + timedelta(days=2)).isoformat(),
                    "voters": 3,
                    "options": [
                        {"id": "a", "html": "Tuesday 9 July 2024 15:00", "votes": 2},
                        {"id": "b", "html": "Wednesday 10 July 2024 15:00", "votes": 1},
                    ],
                }
            ],
        }
    )
    raw = digest().markdown(
        facts(topics=[topic(5, "When shall we meet?", now - timedelta(days=1))], posts=[poll_post]), now
    )
    section = raw.split("### Open date polls")[1].split("###")[0]
    assert "[When shall we meet?](https://forum.example.coop/t/topic-5/5)" in section
    assert "closes Wednesday 3 July 2024, 09:00 BST" in section
    assert "leading: Tuesday 9 July 2024 15:00 (2 votes)" in section


def test_hostile_titles_never_mention_anyone_nor_break_the_markdown() -> None:
    """@-mentions, group pings, links, markers and headings in titles arrive as plain text."""
    now = london(2024, 7, 1, 9, 0)
    hostile = topic(1, HOSTILE, now - timedelta(days=1), slug="x)(@everyone", tags=["proposal"])
    shared = {
        SHARED_DECISIONS: (
            Decision(
                id="d",
                source="discourse",
                url=f"{BASE}/t/x/1",
                title=HOSTILE,
                decision=HOSTILE,
                decided_at=now - timedelta(days=1),
            ),
        ),
        SHARED_MEMBERSHIP_PENDING: (("@admins", 1),),
    }
    raw = digest().markdown(
        facts(topics=[hostile], posts=[post(1, HOSTILE, now - timedelta(days=1))], shared=shared), now
    )
    body = raw.rsplit("<!--", 1)[0]
    assert re.search(r"(?<![\w`/])@\w", body) is None, body
    assert "[click]" not in body and "<!--" not in body and "\n#staff" not in body
    assert "/t/x%29%28%40everyone/1" in body  # the slug is URL-encoded in the link


def test_topics_in_hidden_categories_never_appear() -> None:
    """A stewards-only topic is left out of every section when its category is named hidden."""
    now = london(2024, 7, 1, 9, 0)
    secret = topic(1, "Stewards: banned accounts", now - timedelta(days=1), category_id=13, tags=["proposal"])
    shown = topic(2, "Open to all", now - timedelta(days=1), category_id=4)
    posts = [post(1, "a call at 3pm on Tuesday 2nd July", now - timedelta(days=1)), post(2, "hi", now)]
    rules = DigestRules(category_id=7, hidden_category_ids=frozenset({13}), stall_days=0)
    raw = digest(rules).markdown(facts(topics=[secret, shown], posts=posts), now)
    assert "Open to all" in raw and "Stewards" not in raw and "/1)" not in raw
