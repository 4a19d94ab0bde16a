"""Membership requests planned into actions, purely: one notice per request to the moderators' group, its
auto-decision when the group's flag and a rule allow it, one nudge, one outcome reply, and the member-list
diff (who added whom) with an alert when someone lands in a rules-protected group without meeting its rule.

Keys end with the request's ident (group + user + requested time), so a request is told of exactly once
however often it is read, and a request made again later is a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from cotechbot.actions import Action, HandleMembershipRequest, PrivateMessage, Reply, Status
from cotechbot.capabilities.base import OutboxView
from cotechbot.capabilities.membership.model import MembershipSnapshot, PendingRequest
from cotechbot.capabilities.membership.rules import Assessment, Verdict, assess
from cotechbot.messages import inline, local_time, mention_safe
from cotechbot.models import MemberProfile, StaffAction
from cotechbot.settings import MembershipRules, Settings

NOTICE = "membership_notice"
NUDGE = "membership_nudge"
OUTCOME = "membership_outcome"
DECISION = "membership_decision"
HAND_ADDED = "membership_hand_added"
Renderer = Callable[..., str]


@dataclass(frozen=True)
class MembershipConfig:
    moderators: str = "moderators"
    groups: tuple[str, ...] = ()
    nudge_after: timedelta = timedelta(days=3)
    member_check_every: timedelta = timedelta(days=1)
    rules: Mapping[str, MembershipRules] = field(default_factory=dict)
    zone: str = "Europe/London"

    @classmethod
    def from_settings(cls, settings: Settings) -> MembershipConfig:
        section = settings.membership
        return cls(
            moderators=settings.moderator_group,
            groups=tuple(g.strip() for g in section.groups if g.strip()),
            nudge_after=section.nudge_after,
            member_check_every=section.member_check_every,
            rules=dict(section.rules),
            zone=settings.timezone,
        )

    def protected(self, group: str) -> bool:
        own = next((r for name, r in self.rules.items() if name.lower() == group.lower()), None)
        return own is not None and bool(
            own.email_domains
            or own.required_group
            or own.min_trust_level is not None
            or own.min_account_age_days is not None
        )

    def flags(self, group: str) -> MembershipRules | None:
        return next((r for name, r in self.rules.items() if name.lower() == group.lower()), None)


def _local(iso: Any, zone: str) -> str:
    return local_time(datetime.fromisoformat(str(iso)), zone, False) if iso else "an unknown time"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def group_source(group: str) -> str:
    return f"membership/{group.lower()}"


def requests_page(base_url: str, group: str) -> str:
    return f"{base_url}/g/{quote(group, safe='')}/requests"


def _notice_rows(outbox: Sequence[OutboxView]) -> dict[str, OutboxView]:
    return {str(row.detail.get("ident")): row for row in outbox if row.kind == NOTICE}


def _sent_keys(outbox: Sequence[OutboxView], kind: str) -> set[str]:
    return {row.key for row in outbox if row.kind == kind and row.status != Status.PENDING}


def notice_action(
    forum: str,
    request: PendingRequest,
    assessment: Assessment,
    config: MembershipConfig,
    base_url: str,
    render: Renderer,
) -> Action:
    key = f"{NOTICE}:{forum}:{request.ident}"
    profile = request.profile
    raw = render(
        "membership_notice.md",
        key=key,
        request=request,
        profile=profile,
        assessment=assessment,
        flags=config.flags(request.group),
        requests_url=requests_page(base_url, request.group),
        zone=config.zone,
        account_days=None
        if profile is None or request.requested_at is None
        else max(0, (request.requested_at - profile.created_at).days),
    )
    return Action(
        key=key,
        kind=NOTICE,
        forum=forum,
        source=group_source(request.group),
        target=f"group/{config.moderators}",
        due_at=request.requested_at or datetime(1970, 1, 1, tzinfo=UTC),
        operation=PrivateMessage(
            title=f"Membership request: {mention_safe(request.username)} asks to join {inline(request.group, 40)}",
            raw=raw,
            recipients=(config.moderators,),
        ),
        detail={
            "ident": request.ident,
            "group": request.group,
            "username": request.username,
            "user_id": request.user_id,
            "requested_at": _iso(request.requested_at),
            "audit": {"verdict": str(assessment.verdict), "rule": assessment.rule},
        },
    )


def decision_action(
    forum: str, request: PendingRequest, assessment: Assessment, config: MembershipConfig
) -> Action | None:
    """Accept only with ``auto_accept`` and an eligible verdict; decline only with ``auto_decline`` and an
    ineligible one. Anything else is left to the moderators."""
    flags = config.flags(request.group)
    if flags is None:
        return None
    if assessment.verdict == Verdict.ELIGIBLE and flags.auto_accept:
        accept = True
    elif assessment.verdict == Verdict.INELIGIBLE and flags.auto_decline:
        accept = False
    else:
        return None
    return Action(
        key=f"{DECISION}:{forum}:{request.ident}",
        kind=DECISION,
        forum=forum,
        source=group_source(request.group),
        target=f"group/{request.group}",
        due_at=request.requested_at or datetime(1970, 1, 1, tzinfo=UTC),
        operation=HandleMembershipRequest(group_id=request.group_id, user_id=request.user_id, accept=accept),
        detail={
            "ident": request.ident,
            "audit": {
                "decision": "accepted" if accept else "declined",
                "verdict": str(assessment.verdict),
                "rule": assessment.rule,
                "group": request.group,
                "username": request.username,
                "flag": "auto_accept" if accept else "auto_decline",
            },
        },
    )


def _reply(
    kind: str,
    forum: str,
    ident: str,
    source_group: str,
    topic_id: int,
    due: datetime,
    render: Renderer,
    template: str,
    remember: Mapping[str, Any] | None = None,
    **context: Any,
) -> Action:
    key = f"{kind}:{forum}:{ident}"
    return Action(
        key=key,
        kind=kind,
        forum=forum,
        source=group_source(source_group),
        target=f"topic/{topic_id}",
        due_at=due,
        operation=Reply(topic_id=topic_id, raw=render(template, key=key, **context)),
        detail={"ident": ident, **(remember or {})},
    )


@dataclass
class RequestPlan:
    actions: list[Action] = field(default_factory=list)
    replaces: set[str] = field(default_factory=set)
    state: dict[str, Any] = field(default_factory=dict)
    pending: list[tuple[str, int]] = field(default_factory=list)
    wake_at: set[datetime] = field(default_factory=set)


def plan_requests(
    forum: str,
    snapshot: MembershipSnapshot,
    outbox: Sequence[OutboxView],
    state: Mapping[str, Any],
    now: datetime,
    config: MembershipConfig,
    base_url: str,
    render: Renderer,
) -> RequestPlan:
    plan = RequestPlan()
    notices = _notice_rows(outbox)
    closed = _sent_keys(outbox, OUTCOME)
    planned_outcomes = {
        str(row.detail.get("ident")): bool(row.detail["member"])
        for row in outbox
        if row.kind == OUTCOME and row.status == Status.PENDING and "member" in row.detail
    }
    for name, group in sorted(snapshot.groups.items()):
        if group.requests is None:
            continue  # unreadable this cycle: keep whatever is planned for it
        plan.replaces.add(group_source(name))
        plan.pending.append((group.name, len(group.requests)))
        current = {r.ident for r in group.requests}
        for request in group.requests:
            notice = notices.get(request.ident)
            if notice is None or notice.status == Status.PENDING:
                assessment = assess(request.group, config.rules, request.profile, now)
                plan.actions.append(notice_action(forum, request, assessment, config, base_url, render))
            else:
                audit = notice.detail.get("audit") or {}
                assessment = Assessment(
                    Verdict(audit.get("verdict", Verdict.NEEDS_HUMAN)), audit.get("rule", "")
                )
                topic_id = pm_topic(notice, snapshot, state)
                due = (request.requested_at or now) + config.nudge_after
                if due > now:
                    # Planned only once due: a pending reply would have the sync re-read its PM every cycle.
                    plan.wake_at.add(due)
                elif topic_id is not None and request.requested_at is not None:
                    plan.actions.append(
                        _reply(
                            NUDGE,
                            forum,
                            request.ident,
                            request.group,
                            topic_id,
                            due,
                            render,
                            "membership_nudge.md",
                            request=request,
                            waited=config.nudge_after.days,
                            requests_url=requests_page(base_url, request.group),
                        )
                    )
                if topic_id is not None and notice.post_ref:
                    plan.state[f"pm:{notice.key}"] = topic_id
            decision = decision_action(forum, request, assessment, config)
            if decision is not None:
                plan.actions.append(decision)
        for ident, notice in notices.items():
            if (
                notice.status == Status.PENDING
                or str(notice.detail.get("group", "")).lower() != name.lower()
                or ident in current
                or f"{OUTCOME}:{forum}:{ident}" in closed
            ):
                continue
            username = str(notice.detail.get("username", ""))
            topic_id = pm_topic(notice, snapshot, state)
            member = (
                username.lower() in group.members
                if group.members is not None
                else planned_outcomes.get(ident)  # members not read: the outcome already planned stands
            )
            if topic_id is None or member is None:
                continue  # the PM's topic or the group's members are not known yet: next cycle
            plan.actions.append(
                _reply(
                    OUTCOME,
                    forum,
                    ident,
                    name,
                    topic_id,
                    now,
                    render,
                    "membership_outcome.md",
                    remember={"member": member},  # planned again from this if the members go unread
                    username=username,
                    group=group.name,
                    member=member,
                )
            )
            plan.state[f"pm:{notice.key}"] = topic_id
    return plan


def pm_topic(notice: OutboxView, snapshot: MembershipSnapshot, state: Mapping[str, Any]) -> int | None:
    known = state.get(f"pm:{notice.key}")
    if isinstance(known, int):
        return known
    post_id = notice_post_id(notice)
    return snapshot.post_topics.get(post_id) if post_id is not None else None


def notice_post_id(notice: OutboxView) -> int | None:
    ref = notice.post_ref or ""
    if notice.status == Status.SENT and ref.startswith("post/"):
        try:
            value = int(ref.split("/", 1)[1])
        except ValueError:
            return None
        return value if value != 0 else None  # a dry run's posts have negative ids
    return None


# -- who added whom ---------------------------------------------------------------------------------------
def member_changes(
    snapshot: MembershipSnapshot,
    state: Mapping[str, Any],
    now: datetime,
    config: MembershipConfig,
    outbox: Sequence[OutboxView] = (),
) -> dict[str, Any]:
    """State updates: each group's member list, one ``log:`` entry per addition or removal since the last
    comparison (who did it and when, from the staff action log, else unknown and first seen now), and a
    ``check:`` entry for each addition to a rules-protected group by hand (not through a request the
    moderators were told of: their PM already carries the verdict)."""
    asked = {
        (str(row.detail.get("group", "")).lower(), str(row.detail.get("username", "")).lower())
        for row in outbox
        if row.kind == NOTICE
    }
    updates: dict[str, Any] = {}
    since_text = state.get("members_checked_at")
    since = datetime.fromisoformat(since_text) if isinstance(since_text, str) else None
    for name, group in sorted(snapshot.groups.items()):
        if group.members is None or snapshot.changes is None:
            continue
        key = f"members:{name.lower()}"
        before = state.get(key)
        updates[key] = sorted(group.members)
        if not isinstance(before, list):
            continue  # first look at this group: the baseline
        for change, usernames in (
            ("added", group.members - set(before)),
            ("removed", set(before) - group.members),
        ):
            for username in sorted(usernames):
                found = attribution(snapshot.changes, name, username, change, since)
                entry = {
                    "group": name,
                    "username": username,
                    "change": change,
                    "by": found.by if found else None,
                    "at": _iso(found.at) if found else None,
                    "first_seen": _iso(now),
                }
                updates[f"log:{_iso(now)}:{name.lower()}:{username}:{change}"] = entry
                if change == "added" and config.protected(name) and (name.lower(), username) not in asked:
                    updates[f"check:{name.lower()}:{username}"] = entry
    updates["members_checked_at"] = _iso(now)
    return updates


def attribution(
    changes: Sequence[StaffAction], group: str, username: str, change: str, since: datetime | None
) -> StaffAction | None:
    action = "add_user_to_group" if change == "added" else "remove_user_from_group"
    matches = [
        c
        for c in changes
        if c.action == action
        and c.group.lower() == group.lower()
        and c.username.lower() == username.lower()
        and (since is None or c.at >= since - timedelta(minutes=5))
    ]
    return max(matches, key=lambda c: c.at) if matches else None


def hand_added_alerts(
    forum: str,
    checks: Mapping[str, Mapping[str, Any]],
    profiles: Mapping[str, MemberProfile | None],
    now: datetime,
    config: MembershipConfig,
    base_url: str,
    render: Renderer,
) -> tuple[list[Action], dict[str, Any], set[str]]:
    """For each pending check whose profile was read: a PM unless the rules say eligible; the check is done."""
    actions: list[Action] = []
    done: dict[str, Any] = {}
    sources: set[str] = set()
    for check_key, entry in sorted(checks.items()):
        username = str(entry.get("username", ""))
        if username.lower() not in profiles:
            continue
        group = str(entry.get("group", ""))
        profile = profiles[username.lower()]
        assessment = assess(group, config.rules, profile, now)
        done[check_key] = None
        if assessment.verdict == Verdict.ELIGIBLE:
            continue
        key = f"{HAND_ADDED}:{forum}:{group.lower()}:{username.lower()}:{entry.get('first_seen')}"
        source = f"membership/alert/{group.lower()}/{username.lower()}"
        sources.add(source)
        actions.append(
            Action(
                key=key,
                kind=HAND_ADDED,
                forum=forum,
                source=source,
                target=f"group/{config.moderators}",
                due_at=now,
                operation=PrivateMessage(
                    title=f"Added to {inline(group, 40)} without meeting its rule: {mention_safe(username)}",
                    raw=render(
                        "membership_hand_added.md",
                        when=_local(entry.get("at") or entry.get("first_seen"), config.zone),
                        key=key,
                        entry=entry,
                        profile=profile,
                        assessment=assessment,
                        zone=config.zone,
                        members_url=f"{base_url}/g/{quote(group, safe='')}",
                    ),
                    recipients=(config.moderators,),
                ),
                detail={"audit": {"verdict": str(assessment.verdict), "rule": assessment.rule, **entry}},
            )
        )
    return actions, done, sources


def format_member_log(
    state: Mapping[str, Any], zone: str, group: str | None = None, since: datetime | None = None
) -> str:
    """``cotechbot members log``: each recorded addition and removal, oldest first, in the forum's zone."""
    lines = []
    entries = sorted(
        (v for k, v in state.items() if k.startswith("log:") and isinstance(v, dict)),
        key=lambda v: (str(v.get("at") or v.get("first_seen")), str(v.get("group")), str(v.get("username"))),
    )
    for entry in entries:
        seen = datetime.fromisoformat(str(entry["first_seen"]))
        when = datetime.fromisoformat(str(entry["at"])) if entry.get("at") else seen
        if group and str(entry.get("group", "")).lower() != group.lower():
            continue
        if since is not None and when < since:
            continue
        who = (
            f"by {entry['by']} at {local_time(when, zone, False)}"
            if entry.get("by")
            else f"by unknown, first seen {local_time(seen, zone, False)}"
        )
        lines.append(f"{entry['group']}: {entry['username']} {entry['change']} {who}")
    return "\n".join(lines) if lines else "No membership changes recorded."
