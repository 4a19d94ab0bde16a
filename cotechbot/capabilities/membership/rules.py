"""The rules per group and the verdict they give on a request: pure, over what an admin can read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cotechbot.models import MemberProfile
from cotechbot.settings import MembershipRules


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NEEDS_HUMAN = "needs a human"
    INELIGIBLE = "looks ineligible"


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    rule: str  # the rule that decided, as a person reads it (it goes in the audit log)
    suggest: str | None = None


def _checks(rules: MembershipRules, profile: MemberProfile, now: datetime) -> list[tuple[str, bool | None]]:
    """Each configured rule with its result: True met, False not met, None cannot tell."""
    checks: list[tuple[str, bool | None]] = []
    if rules.email_domains:
        domains = {d.lower().lstrip("@") for d in rules.email_domains}
        domain = profile.email_domain
        checks.append(
            (f"email domain in {', '.join(sorted(domains))}", None if domain is None else domain in domains)
        )
    if rules.required_group:
        wanted = rules.required_group.lower()
        checks.append((f"member of {rules.required_group}", wanted in {g.lower() for g in profile.groups}))
    if rules.min_trust_level is not None:
        checks.append(
            (f"trust level ≥ {rules.min_trust_level}", profile.trust_level >= rules.min_trust_level)
        )
    if rules.min_account_age_days is not None:
        old_enough = now - profile.created_at >= timedelta(days=rules.min_account_age_days)
        checks.append((f"account older than {rules.min_account_age_days} days", old_enough))
    return checks


def assess(
    group: str, rules: Mapping[str, MembershipRules], profile: MemberProfile | None, now: datetime
) -> Assessment:
    """Eligible when every rule of the group is met; looks ineligible when one is not; else a human decides."""
    own = next((r for name, r in rules.items() if name.lower() == group.lower()), None)
    if own is None:
        return Assessment(Verdict.NEEDS_HUMAN, f"no rules for {group}")
    if profile is None:
        return Assessment(Verdict.NEEDS_HUMAN, "the requester's account could not be read")
    checks = _checks(own, profile, now)
    if not checks:
        return Assessment(Verdict.NEEDS_HUMAN, f"no rules for {group}")
    failed = [name for name, met in checks if met is False]
    if failed:
        return Assessment(Verdict.INELIGIBLE, f"not met: {failed[0]}", own.suggest)
    unknown = [name for name, met in checks if met is None]
    if unknown:
        return Assessment(Verdict.NEEDS_HUMAN, f"cannot tell: {unknown[0]} (not visible to the bot)")
    return Assessment(Verdict.ELIGIBLE, "met: " + "; ".join(name for name, _ in checks))
