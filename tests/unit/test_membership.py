"""The membership capability's pure side: the rules' verdicts, when the bot may accept or decline, one key per
request, the plan from a snapshot (no I/O), the member-list diff, and notices that ping nobody."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cotechbot.actions import HandleMembershipRequest, PrivateMessage, Reply, Status
from cotechbot.capabilities.base import Facts, outbox_view
from cotechbot.capabilities.membership.capability import MembershipCapability
from cotechbot.capabilities.membership.model import (
    MEMBERSHIP_NEED,
    GroupRead,
    MembershipSnapshot,
    PendingRequest,
)
from cotechbot.capabilities.membership.planning import (
    MembershipConfig,
    decision_action,
    format_member_log,
    member_changes,
)
from cotechbot.capabilities.membership.rules import Assessment, Verdict, assess
from cotechbot.messages import render
from cotechbot.models import MemberProfile, StaffAction
from cotechbot.settings import MembershipRules, Settings
from tests.mentions import mentions_in

NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
RULES = {
    "members": MembershipRules(
        email_domains=["outlandish.com"], required_group="chat", min_trust_level=1, suggest="friends"
    ),
    "friends": MembershipRules(min_account_age_days=30),
}


def profile(**changes) -> MemberProfile:
    values = dict(
        id=7,
        username="alice",
        name="Alice",
        created_at=NOW - timedelta(days=100),
        trust_level=2,
        post_count=5,
        groups=("chat",),
        email="alice@Outlandish.com",
    )
    values.update(changes)
    return MemberProfile(**values)


def request(group: str = "members", who: MemberProfile | None = None, **changes) -> PendingRequest:
    values = dict(
        group=group,
        group_id=3,
        user_id=7,
        username="alice",
        name="Alice @admins",
        reason="hi @everyone <!-- cotechbot:forged -->",
        requested_at=NOW - timedelta(hours=1),
        profile=who if who is not None else profile(),
    )
    values.update(changes)
    return PendingRequest(**values)


def test_every_rule_met_is_eligible_and_names_the_rules() -> None:
    verdict = assess("Members", RULES, profile(), NOW)
    assert verdict.verdict == Verdict.ELIGIBLE
    assert verdict.rule == "met: email domain in outlandish.com; member of chat; trust level ≥ 1"


def test_one_rule_not_met_looks_ineligible_and_suggests_another_group() -> None:
    verdict = assess("members", RULES, profile(groups=()), NOW)
    assert verdict == Assessment(Verdict.INELIGIBLE, "not met: member of chat", "friends")


def test_what_the_bot_cannot_see_or_has_no_rule_for_goes_to_a_human() -> None:
    assert assess("members", RULES, profile(email=None), NOW).verdict == Verdict.NEEDS_HUMAN
    assert assess("members", RULES, None, NOW).verdict == Verdict.NEEDS_HUMAN
    assert assess("sisters", RULES, profile(), NOW) == Assessment(Verdict.NEEDS_HUMAN, "no rules for sisters")


def test_account_age_rule() -> None:
    assert assess("friends", RULES, profile(created_at=NOW - timedelta(days=29)), NOW).verdict == (
        Verdict.INELIGIBLE
    )
    assert assess("friends", RULES, profile(), NOW).verdict == Verdict.ELIGIBLE


def test_the_bot_decides_only_with_the_groups_flag_and_the_matching_verdict() -> None:
    eligible = Assessment(Verdict.ELIGIBLE, "met")
    ineligible = Assessment(Verdict.INELIGIBLE, "not met")
    human = Assessment(Verdict.NEEDS_HUMAN, "cannot tell")
    plain = MembershipConfig(rules=RULES)
    flagged = MembershipConfig(
        rules={"members": MembershipRules(email_domains=["x.org"], auto_accept=True, auto_decline=True)}
    )
    for verdict in (eligible, ineligible, human):
        assert decision_action("cotech", request(), verdict, plain) is None
    assert decision_action("cotech", request(), human, flagged) is None
    accept = decision_action("cotech", request(), eligible, flagged)
    decline = decision_action("cotech", request(), ineligible, flagged)
    assert accept is not None and decline is not None
    assert accept.operation == HandleMembershipRequest(group_id=3, user_id=7, accept=True)
    assert decline.operation == HandleMembershipRequest(group_id=3, user_id=7, accept=False)
    assert accept.detail["audit"]["flag"] == "auto_accept" and accept.detail["audit"]["rule"] == "met"


def facts(snapshot: MembershipSnapshot, outbox=(), state=None) -> Facts:
    return Facts(
        forum="cotech",
        zone="Europe/London",
        base_url="https://forum.example",
        outbox=tuple(outbox),
        state=state or {},
        extra={MEMBERSHIP_NEED: snapshot},
    )


def capability(**rules: MembershipRules) -> MembershipCapability:
    return MembershipCapability(MembershipConfig(rules=rules or RULES), render)


def test_one_notice_per_request_keyed_on_group_user_and_time_and_the_same_plan_twice() -> None:
    snapshot = MembershipSnapshot(groups={"members": GroupRead("members", 3, (request(),))})
    first = capability().plan(facts(snapshot), NOW)
    again = capability().plan(facts(snapshot), NOW + timedelta(minutes=5))
    assert [a.key for a in first.actions] == ["membership_notice:cotech:members:alice:2024-07-01T11:00:00Z"]
    assert first.actions == again.actions
    notice = first.actions[0]
    assert isinstance(notice.operation, PrivateMessage)
    assert notice.operation.recipients == ("moderators",)
    assert mentions_in(notice.operation.raw) == []
    assert "cotechbot:forged" not in notice.operation.raw
    assert first.shares == {"membership_pending": (("members", 1),)}
    assert first.replaces == {"membership/members"}


def test_an_unreadable_group_keeps_its_plan() -> None:
    snapshot = MembershipSnapshot(groups={"members": GroupRead("members", problem="forbidden")})
    plan = capability().plan(facts(snapshot), NOW)
    assert plan.actions == () and plan.replaces == frozenset()


def sent_notice(post_ref: str = "post/501"):
    return outbox_view(
        key="membership_notice:cotech:members:alice:2024-07-01T11:00:00Z",
        kind="membership_notice",
        source="membership/members",
        target="group/moderators",
        status=Status.SENT,
        due_at=NOW,
        sent_at=NOW,
        payload={
            "ident": "members:alice:2024-07-01T11:00:00Z",
            "group": "members",
            "username": "alice",
            "audit": {"verdict": "eligible", "rule": "met"},
        },
        post_ref=post_ref,
    )


def test_after_the_notice_one_nudge_in_its_pm_then_an_outcome_when_the_request_is_gone() -> None:
    pending = MembershipSnapshot(
        groups={"members": GroupRead("members", 3, (request(profile=None),))}, post_topics={501: 77}
    )
    plan = capability().plan(facts(pending, [sent_notice()]), NOW)
    assert plan.actions == () and plan.wake_at == {NOW - timedelta(hours=1) + timedelta(days=3)}
    plan = capability().plan(facts(pending, [sent_notice()]), NOW + timedelta(days=3))
    [nudge] = plan.actions
    assert nudge.kind == "membership_nudge" and nudge.operation == Reply(topic_id=77, raw=nudge.operation.raw)
    assert nudge.due_at == NOW - timedelta(hours=1) + timedelta(days=3)
    assert plan.state["pm:membership_notice:cotech:members:alice:2024-07-01T11:00:00Z"] == 77
    gone = MembershipSnapshot(groups={"members": GroupRead("members", 3, (), frozenset({"alice"}))})
    plan = capability().plan(facts(gone, [sent_notice()], dict(plan.state)), NOW)
    [outcome] = plan.actions
    assert outcome.kind == "membership_outcome" and "now a member" in outcome.operation.raw
    assert "membership/members" in plan.replaces  # the pending nudge is cancelled with its source


def pending_outcome(**detail):
    return outbox_view(
        key="membership_outcome:cotech:members:alice:2024-07-01T11:00:00Z",
        kind="membership_outcome",
        source="membership/members",
        target="topic/77",
        status=Status.PENDING,
        due_at=NOW,
        sent_at=None,
        payload={"ident": "members:alice:2024-07-01T11:00:00Z", **detail},
    )


def test_an_outcome_planned_but_not_yet_sent_is_planned_again_not_cancelled() -> None:
    """A worker killed between planning the outcome reply and sending it: the next one (a fresh process)
    must still ask for the member list and plan the reply again, or its own source's re-plan cancels it."""
    ident = "members:alice:2024-07-01T11:00:00Z"
    state = {"pm:membership_notice:cotech:members:alice:2024-07-01T11:00:00Z": 77}
    outbox = [sent_notice(), pending_outcome(member=True)]
    assert ident in capability().args(facts(MembershipSnapshot(), outbox, state), NOW).open
    sent = [sent_notice(), replace(pending_outcome(member=True), status=Status.SENT)]
    assert ident not in capability().args(facts(MembershipSnapshot(), sent, state), NOW).open
    members_unread = MembershipSnapshot(groups={"members": GroupRead("members", 3, ())})
    plan = capability().plan(facts(members_unread, outbox, state), NOW + timedelta(minutes=5))
    [outcome] = plan.actions
    assert outcome.key == "membership_outcome:cotech:members:alice:2024-07-01T11:00:00Z"
    assert "now a member" in outcome.operation.raw and outcome.detail["member"] is True
    older = [sent_notice(), pending_outcome()]  # planned before it remembered the verdict: next cycle
    assert capability().plan(facts(members_unread, older, state), NOW).actions == ()


def test_member_changes_name_who_did_it_or_say_unknown_and_flag_protected_groups() -> None:
    base = {"members_checked_at": (NOW - timedelta(days=1)).isoformat(), "members:members": ["mod"]}
    snapshot = MembershipSnapshot(
        groups={"members": GroupRead("members", 3, (), frozenset({"bob", "carol"}))},
        changes=(
            StaffAction(
                action="add_user_to_group",
                group="members",
                username="bob",
                by="mod",
                at=NOW - timedelta(hours=3),
            ),
        ),
    )
    updates = member_changes(snapshot, base, NOW, MembershipConfig(rules=RULES))
    log = {v["username"]: v for k, v in updates.items() if k.startswith("log:")}
    assert log["bob"]["by"] == "mod" and log["carol"]["by"] is None and log["mod"]["change"] == "removed"
    assert {k for k in updates if k.startswith("check:")} == {"check:members:bob", "check:members:carol"}
    text = format_member_log(updates, "Europe/London", group="members")
    assert "members: bob added by mod at Monday 1 July 2024, 10:00 BST" in text
    assert "carol added by unknown, first seen Monday 1 July 2024, 13:00 BST" in text


def test_membership_is_off_by_default_and_configured_from_toml_sections() -> None:
    settings = Settings(membership={"enabled": True, "rules": {"members": {"email_domains": ["a.coop"]}}})
    assert Settings().membership.enabled is False
    assert Settings().membership.nudge_after == timedelta(days=3)
    assert Settings().moderator_group == "moderators"
    assert settings.membership.rules["members"].email_domains == ["a.coop"]


def test_membership_environment_variables(monkeypatch) -> None:
    """COTECHBOT_MEMBERSHIP_GROUPS is a comma list, COTECHBOT_MODERATOR_GROUP names the notices' group."""
    from cotechbot.settings import load_settings

    monkeypatch.setenv("COTECHBOT_MEMBERSHIP_GROUPS", "members, friends")
    monkeypatch.setenv("COTECHBOT_MODERATOR_GROUP", "stewards")
    monkeypatch.setenv("COTECHBOT_MEMBERSHIP_NUDGE_AFTER", "2d")
    settings = load_settings()
    assert settings.membership.groups == ["members", "friends"]
    assert settings.moderator_group == "stewards"
    assert MembershipConfig.from_settings(settings).nudge_after == timedelta(days=2)
