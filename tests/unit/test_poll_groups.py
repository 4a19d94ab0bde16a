"""A poll's ``groups`` attribute is the author's text: which members the closing nudge may name or count
(issue 9 item 13). The bot reads as staff, so what it may say is bounded by what the poll's author may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cotechbot.capabilities.base import GROUP_VISIBILITY, Facts, Need
from cotechbot.capabilities.polls import PollRules, plan_poll
from cotechbot.capabilities.polls.capability import PollsCapability
from cotechbot.facts import NeedsReader
from cotechbot.models import Group
from tests.unit.test_polls import BEFORE_CLOSE, FORUM, voted_poll

MEMBERS = ("ada", "bryn", "cerys", "dafydd")


def non_voters(level: int | None, author: str, members=MEMBERS, voters=("ada",)):
    poll = voted_poll(public=True, groups="g").model_copy(update={"author": author})
    facts = Facts(
        forum=FORUM,
        zone="Europe/London",
        base_url="https://forum.example.coop",
        poll_voters={(poll.post_id, poll.name): frozenset(voters)},
        group_members={"g": tuple(members)},
        extra={GROUP_VISIBILITY: {"g": level}},
    )
    return PollsCapability(PollRules())._non_voters(poll, facts, BEFORE_CLOSE)


def test_names_only_for_a_group_the_author_belongs_to():
    """A member of a group everyone may list gets its non-voters named; an outsider naming the same group
    only gets a count (they could see the list, but must not make the bot ping it)."""
    assert non_voters(0, author="ada") == (["bryn", "cerys", "dafydd"], None)
    assert non_voters(0, author="outsider") == (None, 3)
    assert non_voters(1, author="Outsider") == (None, 3)


def test_groups_the_author_cannot_list_are_neither_named_nor_counted():
    """Members-only lists count only for the group's own members; staff/owner-only or unknown never."""
    assert non_voters(2, author="bryn") == (["bryn", "cerys", "dafydd"], None)
    assert non_voters(2, author="outsider") == (None, None)
    for level in (3, 4, None):
        assert non_voters(level, author="ada") == (None, None)


def test_more_than_twenty_non_voters_are_a_count_not_a_list_of_mentions():
    """At most 20 names: a bigger crowd is told as a number, with no @ at all."""
    poll = voted_poll(public=True, groups="g")
    many = [f"member{n}" for n in range(21)]
    [action] = plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=many).actions
    assert "@" not in action.payload["raw"] and "21 members have not voted yet" in action.payload["raw"]
    [named] = plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=many[:20]).actions
    assert len(named.payload["mentions"]) == 20 and "@member19" in named.payload["raw"]
    [counted] = plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voter_count=2).actions
    assert "@" not in counted.payload["raw"] and "2 members have not voted yet" in counted.payload["raw"]


class CountingForum:
    def __init__(self, level: int) -> None:
        self.level, self.calls = level, []

    def group(self, name):
        self.calls.append(("group", name))
        return Group(id=1, name=name, members_visibility_level=self.level)

    def group_member_usernames(self, name):
        self.calls.append(("members", name))
        return list(MEMBERS)


def facts() -> Facts:
    return Facts(forum=FORUM, zone="Europe/London", base_url="https://forum.example.coop")


def test_member_lists_are_cached_for_an_hour():
    """A 1,000-member group is not re-read every cycle: one read per group per hour."""
    forum = CountingForum(level=0)
    reader = NeedsReader(forum)
    now = datetime(2024, 2, 23, 12, tzinfo=UTC)
    first = reader.read([Need("group_members", ("g",))], facts(), now)
    again = reader.read([Need("group_members", ("g",))], facts(), now + timedelta(minutes=59))
    assert first.group_members["g"] == again.group_members["g"] == MEMBERS
    assert first.extra[GROUP_VISIBILITY] == {"g": 0}
    assert len(forum.calls) == 2
    reader.read([Need("group_members", ("g",))], facts(), now + timedelta(minutes=61))
    assert len(forum.calls) == 4


def test_staff_only_member_lists_are_never_read():
    """The bot could list a staff-only group; it does not, whatever a poll names."""
    forum = CountingForum(level=3)
    read = NeedsReader(forum).read([Need("group_members", ("staff",))], facts(), datetime.now(UTC))
    assert read.group_members["staff"] == () and ("members", "staff") not in forum.calls
