"""The date polls capability on the seam: per topic, each date poll's check, standings, closing nudge and
result, and its winning time handed to the events capability as a shared fact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import ClassVar

from cotechbot.actions import Action
from cotechbot.capabilities.base import GROUP_VISIBILITY, Facts, Need, Plan, Trigger
from cotechbot.capabilities.polls import (
    DatePoll,
    PollRules,
    detect_date_polls,
    last_standings_from,
    needs_non_voters,
    non_voters_among,
    plan_poll,
    should_watch,
    with_close_anchor,
)
from cotechbot.messages import Renderer, inline
from cotechbot.models import EventFact
from cotechbot.settings import Settings

SOURCE_PREFIX = "poll/"


class PollsCapability:
    name: ClassVar[str] = "polls"
    triggers: ClassVar[frozenset[Trigger]] = frozenset({Trigger.TOPICS})
    post_switches: ClassVar[Mapping[str, str]] = {  # kind of reply → its switch in [polls]
        "poll_check": "check_notes",
        "poll_standings": "standings",
        "poll_closing": "closing_reminders",
        "poll_result": "results",
    }

    def __init__(self, rules: PollRules) -> None:
        self.rules = rules

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer) -> PollsCapability:
        return cls(PollRules.from_settings(settings, render))

    # -- reading ------------------------------------------------------------------------------------
    def _polls(self, facts: Facts, now: datetime, notes: list[str] | None = None) -> list[DatePoll]:
        """The topic's date polls, each closed-by-hand one anchored at when the bot last saw it open."""
        polls = []
        found = detect_date_polls(
            facts.all_posts(), now, self.rules.zone, ignored_authors=self.rules.ignored_authors, notes=notes
        )
        for poll in found:
            seen = facts.state.get(_seen_open_key(poll))
            polls.append(with_close_anchor(poll, now, datetime.fromisoformat(seen) if seen else None))
        return polls

    def needs(self, facts: Facts, now: datetime) -> Iterable[Need]:
        for poll in self._polls(facts, now):
            if needs_non_voters(poll, now, self.rules):
                yield Need("poll_voters", (poll.post_id, poll.name))
                for group in poll.groups:
                    yield Need("group_members", (group,))

    def _non_voters(self, poll: DatePoll, facts: Facts, now: datetime) -> tuple[list[str] | None, int | None]:
        """Who has not voted: (names, None) when the bot may name them, (None, count) when it may only count
        them, (None, None) when it may say neither.

        The ``groups`` attribute is the poll author's text, and the bot reads as staff: it uses only the
        groups whose members the author could list (open to signed-in users, or to members and the author is
        one), and names people only when the author belongs to every group it uses.
        """
        if not needs_non_voters(poll, now, self.rules):
            return None, None
        voters = facts.poll_voters.get((poll.post_id, poll.name))
        if voters is None or any(group not in facts.group_members for group in poll.groups):
            return None, None
        levels = facts.extra.get(GROUP_VISIBILITY, {})
        author = (poll.author or "").lower()
        members: list[str] = []
        author_in_all = True
        for group in poll.groups:
            names = facts.group_members[group]
            belongs = bool(author) and author in {name.lower() for name in names}
            level = levels.get(group)
            if level in (0, 1) or (level == 2 and belongs):
                members.extend(names)
                author_in_all = author_in_all and belongs
        if not members:
            return None, None
        missing = non_voters_among(members, voters)
        return (missing, None) if author_in_all else (None, len(missing))

    # -- planning -----------------------------------------------------------------------------------
    def plan(self, facts: Facts, now: datetime) -> Plan:
        targets = {f"topic/{topic_id}" for topic_id in facts.topic_ids}
        # A poll edited out of its post must lose its pending actions: every poll source with pending
        # actions in these topics is replaced, whether or not the poll is still there.
        replaces = {
            row.source
            for row in facts.outbox
            if row.target in targets and row.status == "pending" and row.source.startswith(SOURCE_PREFIX)
        }
        actions: list[Action] = []
        winners: list[EventFact] = []
        watch: set[int] = set()
        state: dict[str, str] = {}
        wake: set[datetime] = set()
        notes: list[str] = []
        for poll in self._polls(facts, now, notes):
            if not poll.is_closed(now):
                state[_seen_open_key(poll)] = now.isoformat()
                if poll.close is not None:
                    wake.add(poll.close)
            non_voters, non_voter_count = self._non_voters(poll, facts, now)
            planned = plan_poll(
                poll,
                now=now,
                forum=facts.forum,
                rules=self.rules,
                last_standings=last_standings_from(facts.outbox, poll.source),
                non_voters=non_voters,
                non_voter_count=non_voter_count,
            )
            replaces.add(poll.source)
            actions.extend(planned.actions)
            winners.extend(planned.winner_events)
            if should_watch(poll, now, self.rules):
                watch.add(poll.topic_id)
        return Plan(
            actions=tuple(actions),
            replaces=frozenset(replaces),
            watch=frozenset(watch),
            state=state,
            shares={"events": tuple(winners)},
            events=tuple(winners),
            wake_at=frozenset(wake),
            notes=tuple(notes),
        )

    def describe(self, facts: Facts, now: datetime) -> str:
        """Each live date poll (open, or closed within its result window) with its lifecycle stage."""
        polls = self._polls(facts, now)
        live = [poll for poll in polls if should_watch(poll, now, self.rules)]
        if not live:
            return f"Date polls: none live ({len(polls)} in the mirror)." if polls else "Date polls: none."
        past = len(polls) - len(live)
        lines = [f"Date polls ({len(live)} live{f', {past} past' if past else ''}):"]
        for poll in live:
            planned = plan_poll(
                poll,
                now=now,
                forum=facts.forum,
                rules=self.rules,
                last_standings=last_standings_from(facts.outbox, poll.source),
            )
            title = inline(poll.topic_title or poll.title or "", 60)
            lines.append(
                f"- {f'“{title}” ' if title else ''}(poll “{inline(poll.name, 30)}”): {planned.stage}"
            )
            lines.append(
                f"    topic {poll.topic_id}, post {poll.post_id}; {len(poll.options)} options"
                + (f", {len(planned.problems)} flagged" if planned.problems else "")
            )
            sent = sorted(
                {
                    r.kind.replace("_", " ")
                    for r in facts.outbox
                    if r.source == poll.source and r.status == "sent"
                }
            )
            if sent:
                lines.append(f"    posted so far: {', '.join(sent)}")
        return "\n".join(lines)


def _seen_open_key(poll: DatePoll) -> str:
    """State key: when the poll was last planned while open (a poll closed by hand is announced from then)."""
    return f"seen_open:{poll.ref}"
