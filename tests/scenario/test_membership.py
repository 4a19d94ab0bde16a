"""Membership requests end to end over HTTP against the sandbox forum: one PM to the moderators per request,
one nudge, no accept or decline without a rule and its flag, the outcome noticed after a moderator acted, the
who-added-whom log, a clear line for a 403, and exactly one PM per request under the crash harness."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import structlog

from cotechbot.sandbox import membership_routes as admin
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.settings import MembershipRules, MembershipSettings
from tests.scenario.conftest import BOT

LONDON = ZoneInfo("Europe/London")
START = datetime(2024, 7, 1, 9, 0, tzinfo=LONDON)


def membership(**rules: MembershipRules) -> MembershipSettings:
    return MembershipSettings(enabled=True, groups=["members", "friends"], rules=rules)


MEMBERS_RULES = MembershipRules(
    email_domains=["outlandish.com", "agile.coop"], required_group="cotech-chat", suggest="friends"
)


def seed(forum: FakeDiscourse) -> None:
    """Moderators, the two groups, and requesters: an eligible co-op worker and someone from elsewhere."""
    forum.add_user("mod", name="Mo Derator", moderator=True)
    forum.add_group("moderators", members=["mod"])
    forum.add_group("cotech-chat", allow_membership_requests=False)
    forum.add_group("members", members=["mod"])
    forum.add_group("friends")
    forum.add_user("alice", name="Alice @admins Smith", trust_level=2, created_at=START - timedelta(days=400))
    admin.set_email(forum, "alice", "alice@outlandish.com")
    forum.add_group_member("cotech-chat", "alice")
    forum.add_user("bob", name="Bob", trust_level=1, created_at=START - timedelta(days=2))
    admin.set_email(forum, "bob", "bob@gmail.com")


def pms_to_moderators(forum: FakeDiscourse) -> list:
    return [t for t in forum.private_messages() if "moderators" in [g.name for g in getattr(t, "allowed_groups", [])] or t.title.startswith("Membership request")]


def bot_posts_in(forum: FakeDiscourse, topic_id: int) -> list:
    return [p for p in forum.topic_posts(topic_id) if forum._users[p.user_id].username == BOT]


def test_one_pm_per_request_naming_the_requester_without_a_mention(make_bot) -> None:
    """Each request gets one PM to the moderators' group, however many cycles read it."""
    bot = make_bot(START, membership=membership(members=MEMBERS_RULES))
    seed(bot.forum)
    bot.forum.request_membership("members", "alice", "I work at @Outlandish", requested_at=START)
    bot.forum.request_membership("members", "bob", "please", requested_at=START)
    for minutes in (0, 5, 10):
        bot.run_at(START + timedelta(minutes=minutes))
    notices = [p for p in bot.forum.posts_by(BOT) if p.post_number == 1]
    assert len(notices) == 2
    print([ (bot.forum.topic(p.topic_id).title, p.raw) for p in notices])
    bot.forum.assert_no_contract_violations()
