"""Membership requests on the seam: planned once per cycle after the watched groups' pending requests were
read (trigger GROUP_REQUESTS). ``needs`` names what the shell must read — requesters, the profiles of the
ones not told of yet, member lists when a told request disappeared or the daily comparison is due, the PM
topics of sent notices — and ``plan`` turns that snapshot into actions without any I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from cotechbot.actions import Status
from cotechbot.capabilities.base import SHARED_MEMBERSHIP_PENDING, Facts, Need, Plan, Trigger
from cotechbot.capabilities.membership.model import MEMBERSHIP_NEED, MembershipArgs, MembershipSnapshot
from cotechbot.capabilities.membership.planning import (
    HAND_ADDED,
    NOTICE,
    NUDGE,
    OUTCOME,
    MembershipConfig,
    Renderer,
    hand_added_alerts,
    member_changes,
    notice_post_id,
    plan_requests,
)
from cotechbot.messages import local_time
from cotechbot.settings import Settings


class MembershipCapability:
    name: ClassVar[str] = "membership"
    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.GROUP_REQUESTS})
    post_switches: ClassVar[dict[str, str]] = {
        NOTICE: "notices",
        NUDGE: "nudges",
        OUTCOME: "outcomes",
        HAND_ADDED: "hand_added_alerts",
    }

    def __init__(self, config: MembershipConfig, render: Renderer) -> None:
        self.config = config
        self.render = render

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer) -> MembershipCapability:
        return cls(MembershipConfig.from_settings(settings), render)

    def args(self, facts: Facts, now: datetime) -> MembershipArgs:
        notices = [row for row in facts.outbox if row.kind == NOTICE]
        # Closed only once its outcome reply left (as the planner counts it): an outcome still pending — a
        # worker stopped between planning and sending it — is planned again, which needs the member list.
        closed = {
            str(row.detail.get("ident"))
            for row in facts.outbox
            if row.kind == OUTCOME and row.status != Status.PENDING
        }
        told = [row for row in notices if row.status != Status.PENDING]
        told_idents = frozenset(str(row.detail.get("ident")) for row in told)
        checked = facts.state.get("members_checked_at")
        due = (
            not isinstance(checked, str)
            or now - datetime.fromisoformat(checked) >= self.config.member_check_every
        )
        return MembershipArgs(
            groups=self.config.groups,
            noticed=told_idents,
            open=told_idents - closed,
            profiles=frozenset(
                str(v.get("username", "")).lower() for k, v in facts.state.items() if k.startswith("check:")
            ),
            post_topics=frozenset(
                post_id
                for row in told
                if f"pm:{row.key}" not in facts.state and (post_id := notice_post_id(row)) is not None
            ),
            members=due,
        )

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        return (Need(MEMBERSHIP_NEED, (self.args(facts, now),)),)

    def plan(self, facts: Facts, now: datetime) -> Plan:
        snapshot = facts.extra.get(MEMBERSHIP_NEED)
        if not isinstance(snapshot, MembershipSnapshot):
            return Plan()
        planned = plan_requests(
            facts.forum, snapshot, facts.outbox, facts.state, now, self.config, facts.base_url, self.render
        )
        state: dict[str, Any] = dict(planned.state)
        if snapshot.changes is not None:
            state.update(member_changes(snapshot, facts.state, now, self.config, facts.outbox))
        checks = {k: v for k, v in {**facts.state, **state}.items() if k.startswith("check:") and v}
        alerts, done, sources = hand_added_alerts(
            facts.forum, checks, snapshot.profiles, now, self.config, facts.base_url, self.render
        )
        state.update(done)
        return Plan(
            actions=(*planned.actions, *alerts),
            replaces=frozenset(planned.replaces | sources),
            state=state,
            shares={SHARED_MEMBERSHIP_PENDING: tuple(planned.pending)},
            wake_at=frozenset(planned.wake_at),
        )

    def describe(self, facts: Facts, now: datetime) -> str:
        notices = [row for row in facts.outbox if row.kind == NOTICE]
        open_ = [
            row
            for row in notices
            if not any(
                o.kind == OUTCOME and o.detail.get("ident") == row.detail.get("ident") for o in facts.outbox
            )
        ]
        lines = [f"Membership requests (notices to {self.config.moderators}):"]
        if not open_:
            lines.append("    no pending request known")
        for row in open_:
            requested = row.detail.get("requested_at")
            when = (
                local_time(datetime.fromisoformat(requested), self.config.zone, False) if requested else "?"
            )
            verdict = (row.detail.get("audit") or {}).get("verdict", "?")
            state = "notice sent" if row.status == Status.SENT else f"notice {row.status}"
            lines.append(
                f"    {row.detail.get('group')}: {row.detail.get('username')} asked {when}; {verdict}; {state}"
            )
        return "\n".join(lines)
