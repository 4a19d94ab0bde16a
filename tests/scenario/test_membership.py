"""Membership requests end to end over HTTP against the sandbox forum: one PM to the moderators per request,
one nudge, no accept or decline without a rule and its flag, the outcome noticed after a moderator acted, the
who-added-whom log, a clear line for a 403, and nothing sent twice across restarts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from structlog.testing import capture_logs

from cotechbot.sandbox import membership_routes as admin
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.settings import MembershipRules, MembershipSettings
from tests.scenario.conftest import BOT

LONDON = ZoneInfo("Europe/London")
START = datetime(2024, 7, 1, 9, 0, tzinfo=LONDON)
MEMBERS_RULES = MembershipRules(
    email_domains=["outlandish.com", "agile.coop"], required_group="cotech-chat", suggest="friends"
)


def membership(**rules: MembershipRules) -> MembershipSettings:
    return MembershipSettings(enabled=True, groups=["members", "friends"], rules=rules)


def seed(forum: FakeDiscourse) -> None:
    """Moderators, the groups, and two people: a co-op worker in the chat group and someone from elsewhere."""
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


def notices(forum: FakeDiscourse) -> dict[str, object]:
    """The bot's PMs about requests, by requester."""
    found = {}
    for post in forum.posts_by(BOT):
        title = forum.topic(post.topic_id).title
        if post.post_number == 1 and title.startswith("Membership request: "):
            found[title.split()[2]] = post
    return found


def replies_in(forum: FakeDiscourse, topic_id: int) -> list[str]:
    return [p.raw for p in forum.posts_by(BOT) if p.topic_id == topic_id and p.post_number > 1]


def test_one_pm_per_request_to_the_moderators_naming_the_requester_without_a_mention(make_bot) -> None:
    """Each request gets exactly one PM to the moderators' group, however many cycles and restarts read it;
    it names the requester, the group, the reason, the admin facts and the verdict, and pings nobody."""
    bot = make_bot(START, membership=membership(members=MEMBERS_RULES))
    seed(bot.forum)
    bot.forum.request_membership("members", "alice", "I work at @Outlandish", requested_at=START)
    bot.forum.request_membership("members", "bob", "please", requested_at=START)
    for minutes in (0, 5, 10):
        bot.run_at(START + timedelta(minutes=minutes))
    found = notices(bot.forum)
    assert sorted(found) == ["alice", "bob"]
    alice = found["alice"]
    topic = bot.forum.topic(alice.topic_id)
    assert topic.allowed_group_ids == {bot.forum.group("moderators").id}
    assert "**alice** (Alice @\u2060admins Smith) asks to join **members**" in alice.raw
    assert "I work at @\u2060Outlandish" in alice.raw
    assert (
        "400 days old when asking, trust level 2" in alice.raw and "Email domain: outlandish.com" in alice.raw
    )
    assert "Other groups: cotech-chat" in alice.raw
    assert "Rules' verdict: eligible" in alice.raw
    assert f"{bot.forum.url}/g/members/requests" in alice.raw
    bob = found["bob"].raw
    assert "Rules' verdict: looks ineligible" in bob and "Perhaps **friends** fits better" in bob
    # nothing was accepted or declined: no group has the flags
    assert {r for r in bot.forum.group("members").requests} == {
        bot.forum.user("alice").id,
        bot.forum.user("bob").id,
    }
    bot.forum.assert_no_contract_violations()


def test_a_request_made_again_later_is_a_new_request_and_a_withdrawn_one_gets_no_pm(make_bot) -> None:
    """The key is group + user + requested time: withdrawn before the bot saw it → nothing; asked again → one PM."""
    bot = make_bot(START, membership=membership())
    seed(bot.forum)
    bot.forum.request_membership("friends", "bob", "hi", requested_at=START)
    del bot.forum.group("friends").requests[bot.forum.user("bob").id]  # withdrawn before any cycle
    bot.run_at(START + timedelta(minutes=5))
    assert notices(bot.forum) == {}
    bot.forum.request_membership("friends", "bob", "hi again", requested_at=START + timedelta(minutes=7))
    bot.run_at(START + timedelta(minutes=10), cycles=2)
    assert list(notices(bot.forum)) == ["bob"]


def test_one_nudge_after_three_days_then_one_outcome_when_a_moderator_acts(make_bot) -> None:
    """Still pending after nudge_after: exactly one reply; handled by a moderator: one reply with what the bot
    sees (member or not), and nothing more after that."""
    bot = make_bot(START, membership=membership(members=MEMBERS_RULES))
    seed(bot.forum)
    bot.forum.request_membership("members", "alice", "co-op worker", requested_at=START)
    bot.forum.request_membership("friends", "bob", "chat please", requested_at=START)
    bot.run_at(START, cycles=2)
    alice_pm = notices(bot.forum)["alice"].topic_id
    bob_pm = notices(bot.forum)["bob"].topic_id
    bot.run_at(START + timedelta(days=2, hours=23))
    assert replies_in(bot.forum, alice_pm) == []
    for hours in (0, 1, 30):
        bot.run_at(START + timedelta(days=3, hours=hours))
    [nudge] = replies_in(bot.forum, alice_pm)
    assert "waiting for more than 3 days" in nudge
    assert len(replies_in(bot.forum, bob_pm)) == 1
    admin.handle_request_as(bot.forum, "members", "alice", by="mod", accept=True)
    admin.handle_request_as(bot.forum, "friends", "bob", by="mod", accept=False)
    for hours in (0, 1, 2):
        bot.run_at(START + timedelta(days=5, hours=hours))
    alice_replies = replies_in(bot.forum, alice_pm)
    assert len(alice_replies) == 2 and "**alice** is now a member of **members**" in alice_replies[1]
    bob_replies = replies_in(bot.forum, bob_pm)
    assert len(bob_replies) == 2 and "**bob** is not a member of **friends**" in bob_replies[1]
    bot.run_at(START + timedelta(days=9))
    assert len(replies_in(bot.forum, alice_pm)) == 2  # no second nudge, no second outcome
    # accepted through a request the moderators were told of: not flagged as added by hand
    assert not [p for p in bot.forum.posts_by(BOT) if bot.forum.topic(p.topic_id).title.startswith("Added")]
    bot.forum.assert_no_contract_violations()


def test_no_nudge_when_the_request_is_handled_before_nudge_after(make_bot) -> None:
    """A request accepted on day 1 gets its outcome reply and its pending nudge is cancelled."""
    bot = make_bot(START, membership=membership())
    seed(bot.forum)
    bot.forum.request_membership("friends", "bob", "chat please", requested_at=START)
    bot.run_at(START, cycles=2)
    pm = notices(bot.forum)["bob"].topic_id
    admin.handle_request_as(bot.forum, "friends", "bob", by="mod", accept=True)
    bot.run_at(START + timedelta(days=1))
    bot.run_at(START + timedelta(days=4))
    [outcome] = replies_in(bot.forum, pm)
    assert "now a member" in outcome


def test_nothing_is_accepted_or_declined_without_a_rule_and_its_flag(make_bot) -> None:
    """auto_accept with an eligible verdict accepts; auto_decline with an ineligible one declines; the same
    verdicts without the flag, or a flag without rules, touch nothing. Each decision is audited with its rule."""
    rules = MembershipRules(**MEMBERS_RULES.model_dump() | {"auto_accept": True})
    friends = MembershipRules(auto_accept=True, auto_decline=True)  # flags but no rule: a human decides
    bot = make_bot(START, membership=membership(members=rules, friends=friends))
    seed(bot.forum)
    bot.forum.add_user("carol", created_at=START - timedelta(days=900), trust_level=3)
    admin.set_email(bot.forum, "carol", "carol@agile.coop")  # right domain, not in the chat group
    bot.forum.request_membership("members", "alice", "co-op worker", requested_at=START)
    bot.forum.request_membership("members", "bob", "hi", requested_at=START)
    bot.forum.request_membership("members", "carol", "hi", requested_at=START)
    bot.forum.request_membership("friends", "bob", "hi", requested_at=START)
    bot.run_at(START, cycles=2)
    members = bot.forum.group("members")
    ids = {name: bot.forum.user(name).id for name in ("alice", "bob", "carol")}
    assert ids["alice"] in members.members  # eligible + auto_accept
    assert {ids["bob"], ids["carol"]} <= set(members.requests)  # ineligible, but no auto_decline
    assert ids["bob"] in bot.forum.group("friends").requests  # flags without a rule
    decisions = [e for e in bot.ledger.audit_log() if "membership_decision" in (e["action_key"] or "")]
    assert [(e["detail"]["decision"], e["detail"]["username"], e["detail"]["flag"]) for e in decisions] == [
        ("accepted", "alice", "auto_accept")
    ]
    assert decisions[0]["detail"]["rule"].startswith("met: email domain in")
    bot.forum.assert_no_contract_violations()


def test_auto_decline_declines_only_what_a_rule_finds_ineligible(make_bot) -> None:
    rules = MembershipRules(**MEMBERS_RULES.model_dump() | {"auto_decline": True})
    bot = make_bot(START, membership=membership(members=rules))
    seed(bot.forum)
    bot.forum.request_membership("members", "alice", "co-op worker", requested_at=START)
    bot.forum.request_membership("members", "bob", "hi", requested_at=START)
    bot.run_at(START, cycles=3)
    members = bot.forum.group("members")
    assert bot.forum.user("bob").id not in members.requests | members.members.keys()  # declined
    assert bot.forum.user("alice").id in members.requests  # eligible, but no auto_accept
    [decision] = [e for e in bot.ledger.audit_log() if "membership_decision" in (e["action_key"] or "")]
    assert decision["detail"]["decision"] == "declined"
    assert decision["detail"]["rule"] == "not met: email domain in agile.coop, outlandish.com"
    pm = notices(bot.forum)["bob"]
    assert "The bot declines this request" in pm.raw
    assert "declined or withdrawn" in replies_in(bot.forum, pm.topic_id)[0]


def test_who_added_whom_is_logged_and_a_hand_added_member_breaking_the_rule_is_flagged(
    make_bot, capsys, monkeypatch
) -> None:
    """The daily member-list comparison records each addition and removal with who did it (staff action log)
    or 'unknown, first seen'; `cotechbot members log` prints it; an addition to a rules-protected group
    that does not meet the rule gets one PM to the moderators."""
    from cotechbot.cli import main

    bot = make_bot(START, membership=membership(members=MEMBERS_RULES))
    seed(bot.forum)
    bot.run_at(START)  # the baseline
    admin.add_member_by(bot.forum, "members", "bob", by="mod")
    bot.forum.add_group_member("friends", "alice")  # not in the staff action log
    bot.run_at(START + timedelta(hours=2))  # not due yet: member lists are compared once a day
    assert bot.ledger.state_items("cotech", "membership").get("members:members") == ["mod"]
    bot.run_at(START + timedelta(days=1), cycles=3)
    log = {
        (v["group"], v["username"], v["change"]): v
        for k, v in bot.ledger.state_items("cotech", "membership").items()
        if k.startswith("log:")
    }
    assert log[("members", "bob", "added")]["by"] == "mod"
    assert log[("friends", "alice", "added")]["by"] is None
    alerts = [
        p for p in bot.forum.posts_by(BOT) if bot.forum.topic(p.topic_id).title.startswith("Added to members")
    ]
    assert len(alerts) == 1 and "**bob** was added to **members** by mod" in alerts[0].raw
    assert "not met: email domain" in alerts[0].raw
    admin.remove_member_by(bot.forum, "members", "bob", by="mod")
    bot.run_at(START + timedelta(days=2, hours=1), cycles=2)
    monkeypatch.setenv("COTECHBOT_DATABASE_URL", bot.settings.database_url)
    assert main(["members", "log", "--group", "members"]) == 0
    out = capsys.readouterr().out
    assert "bob added by mod" in out and "bob removed by mod" in out
    assert "alice" not in out
    assert main(["members", "log", "--since", "2024-07-01"]) == 0
    assert "alice added by unknown, first seen" in capsys.readouterr().out


def test_a_group_the_bot_cannot_see_gets_one_clear_log_line_and_the_others_go_on(make_bot) -> None:
    """A 403 on the requests says, once, to make the bot's user an owner or admin; no crash, no PM lost."""
    bot = make_bot(START, membership=membership())
    seed(bot.forum)
    bot.forum.request_membership("friends", "bob", "hi", requested_at=START)
    bot.forum.faults.fail_next(2, status=403, path="/groups/members/members")
    with capture_logs() as logs:
        bot.run_at(START, cycles=2)
    said = [e["event"] for e in logs if "cannot see the requests" in e["event"]]
    assert said == [
        "membership: cannot see the requests to group 'members' (403); make the bot's user an owner of "
        "'members' or an admin"
    ]
    assert list(notices(bot.forum)) == ["bob"]


def test_a_removed_group_and_an_unreadable_requester_neither_crash_nor_duplicate(make_bot) -> None:
    """A configured group that no longer exists is a log line; a requester whose account can't be read is
    left to a human; nothing is sent twice."""
    bot = make_bot(START, membership=MembershipSettings(enabled=True, groups=["gone", "friends"]))
    seed(bot.forum)
    bot.forum.request_membership("friends", "bob", "hi", requested_at=START)
    bot.forum.faults.fail_next(1, status=404, path=f"/admin/users/{bot.forum.user('bob').id}")
    with capture_logs() as logs:
        bot.run_at(START, cycles=3)
    assert any("group 'gone' not found (404)" in e["event"] for e in logs)
    pm = notices(bot.forum)["bob"]
    assert "Account: could not be read by the bot" in pm.raw
    assert "needs a human" in pm.raw


def test_default_groups_are_every_group_that_takes_requests_and_counts_reach_the_digest(make_bot) -> None:
    """Without COTECHBOT_MEMBERSHIP_GROUPS every group allowing requests is watched; the digest prints the
    pending count per group."""
    bot = make_bot(
        START,
        membership=MembershipSettings(enabled=True),
        digest={"group": "moderators", "at": "monday 09:00"},
    )
    seed(bot.forum)
    bot.forum.request_membership("friends", "bob", "hi", requested_at=START - timedelta(hours=1))
    bot.forum.request_membership("members", "bob", "hi", requested_at=START - timedelta(hours=1))
    bot.run_at(START, cycles=2)
    assert len([p for p in bot.forum.posts_by(BOT) if p.post_number == 1]) == 3  # two notices, one digest
    digest = next(p for p in bot.forum.posts_by(BOT) if "digest" in bot.forum.topic(p.topic_id).title.lower())
    assert "friends" in digest.raw and "members" in digest.raw


def test_the_demo_shows_a_request_handled_end_to_end() -> None:
    """`make demo`: the stewards' PM with the verdict, a steward declining on the forum, the outcome reply."""
    import io

    from cotechbot.demo import run_demo

    out = io.StringIO()
    assert run_demo(now=datetime(2024, 11, 21, 10, 0, tzinfo=LONDON), out=out) == 0
    text = out.getvalue()
    sees = text.split("Membership requests (notices to stewards):")[1].split("\n\n")[0]
    assert "finn_coop asked" in sees and "eligible; notice sent" in sees
    sent = text.split("== What it posts, moment by moment")[1]
    assert (
        "a private message to stewards: “Membership request: finn_coop asks to join cotech-members”" in sent
    )
    assert "**Rules' verdict: eligible** — met: email domain in fictional.coop." in sent
    assert "**Rules' verdict: looks ineligible**" in sent
    assert "(On the forum, ada declines gwen_newcoop's request to join cotech-members.)" in sent
    after = sent.split("ada declines")[1]
    assert "Handled: the request is gone and **gwen_newcoop** is not a member of **cotech-members**" in after
    assert "waiting for more than 3 days" in after  # finn's request, still pending, nudged once
    assert after.count("waiting for more than 3 days") == 1
