"""The weekly digest, as pure functions: which ISO week it is in the forum's zone, when that week's digest is
due, what goes in it (read from the mirror and from what earlier capabilities shared) and the one action
that posts it.

Exactly one digest per forum and ISO week: the key is ``digest:<forum>:<year>-W<week>``, due at the week's
``at`` moment and expiring when the week ends, so a bot that was down at the hour posts when it comes back
that same week and never posts last week's late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from cotechbot.actions import Action, CreateTopic, PrivateMessage
from cotechbot.capabilities.base import SHARED_DECISIONS, SHARED_MEMBERSHIP_PENDING, SHARED_STALLED, Facts
from cotechbot.capabilities.polls import DatePoll, detect_date_polls
from cotechbot.messages import Renderer, inline, local_time
from cotechbot.models import EventFact, Topic
from cotechbot.settings import Settings, parse_weekly_at

TEMPLATE = "digest.md"
EVENTS_AHEAD = timedelta(days=14)
LOOK_BACK = timedelta(days=7)
LOOK_AHEAD = timedelta(days=7)  # Loomio proposals "closing this week"


@dataclass(frozen=True)
class DigestRules:
    """The settings the digest reads, gathered so the functions stay pure."""

    zone: str = "Europe/London"
    weekday: int = 0  # Monday
    at: time = time(9, 0)
    category_id: int | None = None
    group: str | None = None
    skip_empty: bool = False
    title: str = "CoTech weekly digest"
    stall_days: int = 30
    stall_tags: tuple[str, ...] = ("proposal", "awaiting-decision")
    # Categories not everyone may read: their topics never appear in the digest.
    hidden_category_ids: frozenset[int] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestRules:
        weekday, hour, minute = parse_weekly_at(settings.digest.at)
        return cls(
            zone=settings.timezone,
            weekday=weekday,
            at=time(hour, minute),
            category_id=settings.digest.category_id,
            group=(settings.digest.group or "").strip() or None,
            skip_empty=settings.digest.skip_empty,
            title=settings.digest.title,
            stall_days=settings.stall_days,
            stall_tags=tuple(settings.digest.stall_tags),
            hidden_category_ids=frozenset(settings.digest.hidden_category_ids),
        )

    @property
    def configured(self) -> bool:
        return self.category_id is not None or self.group is not None

    @property
    def target(self) -> str:
        return f"group/{self.group}" if self.group else f"category/{self.category_id}"


@dataclass(frozen=True)
class Week:
    """An ISO week in the forum's zone: its label, its local Monday and its bounds as UTC instants."""

    year: int
    number: int
    monday: date
    zone: str

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def local(self, day: date, at: time) -> datetime:
        """``day`` at ``at`` in the zone, as UTC (a wall time skipped by the spring change moves forward)."""
        # fold=0: a repeated autumn hour is its first occurrence; a skipped spring hour reads as GMT, i.e.
        # an hour later on the new clock (01:30 on the day clocks go forward is 02:30 BST).
        return datetime.combine(day, at, tzinfo=ZoneInfo(self.zone)).astimezone(UTC)

    @property
    def start(self) -> datetime:
        return self.local(self.monday, time(0, 0))

    @property
    def end(self) -> datetime:
        return self.local(self.monday + timedelta(days=7), time(0, 0))

    def due(self, rules: DigestRules) -> datetime:
        return self.local(self.monday + timedelta(days=rules.weekday), rules.at)

    def next(self) -> Week:
        return week_of_day(self.monday + timedelta(days=7), self.zone)


def week_of_day(day: date, zone: str) -> Week:
    year, number, weekday = day.isocalendar()
    return Week(year, number, day - timedelta(days=weekday - 1), zone)


def week_of(now: datetime, zone: str) -> Week:
    """The ISO week ``now`` falls in, on the forum's calendar (Sunday 23:30 GMT is still last week)."""
    return week_of_day(now.astimezone(ZoneInfo(zone)).date(), zone)


def parse_week(label: str, zone: str) -> Week:
    """Read ``2024-W27`` (ISO year and week)."""
    try:
        year_text, number_text = label.strip().upper().split("-W")
        monday = date.fromisocalendar(int(year_text), int(number_text), 1)
    except ValueError:
        raise ValueError(f"{label!r} is not an ISO week like 2024-W27") from None
    return week_of_day(monday, zone)


def digest_key(forum: str, week: Week) -> str:
    return f"digest:{forum}:{week.label}"


def digest_source(week: Week) -> str:
    return f"digest/{week.label}"


def digest_title(rules: DigestRules, week: Week) -> str:
    return f"{rules.title}: week of {week.monday.day} {week.monday:%B %Y}"


# -- what goes in --------------------------------------------------------------------------------------


def topic_link(base_url: str, topic_id: int, slug: str | None) -> str:
    """``/t/{slug}/{id}`` on the forum, the slug URL-encoded ('-' when unknown: Discourse redirects)."""
    return f"{base_url}/t/{quote(slug or '-', safe='')}/{int(topic_id)}"


def _link_for(facts: Facts, topic_id: int) -> str:
    topic = facts.topics.get(topic_id)
    return topic_link(facts.base_url, topic_id, topic.slug if topic else None)


def _title_of(facts: Facts, topic_id: int, fallback: str | None = None) -> str:
    topic = facts.topics.get(topic_id)
    return inline(topic.title if topic else fallback or f"topic {topic_id}", 120)


def _listable(topic: Topic | None, rules: DigestRules) -> bool:
    """A listed, regular topic outside the categories the settings name as not for everyone."""
    return (
        topic is not None
        and topic.archetype == "regular"
        and topic.visible
        and topic.category_id not in rules.hidden_category_ids
    )


@dataclass(frozen=True)
class DigestItem:
    """One line of the digest: already made mention-safe, with its link."""

    title: str
    link: str
    note: str = ""


@dataclass(frozen=True)
class DigestContent:
    week: Week
    events: tuple[DigestItem, ...] = ()
    polls: tuple[DigestItem, ...] = ()
    decisions: tuple[DigestItem, ...] = ()
    closing: tuple[DigestItem, ...] = ()  # Loomio proposals closing this week
    requests: tuple[tuple[str, int], ...] = ()  # (group, pending requests): counts only, never names
    new_topics: tuple[DigestItem, ...] = ()
    stalled: tuple[DigestItem, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.events,
                self.polls,
                self.decisions,
                self.closing,
                self.requests,
                self.new_topics,
                self.stalled,
            )
        )


def event_items(
    events: Iterable[EventFact], facts: Facts, now: datetime, rules: DigestRules
) -> tuple[DigestItem, ...]:
    """Events starting in the next 14 days, soonest first, once each, with their local time and link."""
    seen: dict[tuple[int, datetime], EventFact] = {}
    for fact in events:
        if now <= fact.start <= now + EVENTS_AHEAD and _listable(facts.topics.get(fact.topic_id), rules):
            seen.setdefault((fact.topic_id, fact.start), fact)
    items = []
    for fact in sorted(seen.values(), key=lambda f: (f.start, f.topic_id)):
        note = local_time(fact.start, rules.zone, with_utc=False)
        if fact.url:
            note += f" · join: {fact.url}"
        items.append(
            DigestItem(_title_of(facts, fact.topic_id, fact.title), _link_for(facts, fact.topic_id), note)
        )
    return tuple(items)


def _leader(poll: DatePoll, now: datetime) -> str:
    tallies = poll.tallies
    if not poll.everyone_sees_results(now) or not tallies or max(tallies.values()) == 0:
        return ""
    best = max(tallies.values())
    leaders = [inline(o.text, 60) for o in poll.options if tallies.get(o.id) == best]
    votes = f"{best} vote{'s' if best != 1 else ''}"
    if len(leaders) > 1:
        return f"tie between {' and '.join(leaders)} ({votes} each)"
    return f"leading: {leaders[0]} ({votes})"


def poll_items(facts: Facts, now: datetime, rules: DigestRules) -> tuple[DigestItem, ...]:
    """Open date polls: closing time, and the current leader when everyone may see the results."""
    items = []
    zone = rules.zone
    polls = detect_date_polls(facts.all_posts(), now, zone)
    for poll in sorted(polls, key=lambda p: (p.close or datetime.max.replace(tzinfo=UTC), p.post_id)):
        if poll.is_closed(now) or not _listable(facts.topics.get(poll.topic_id), rules):
            continue
        closing = (
            f"closes {local_time(poll.close, zone, with_utc=False)}" if poll.close else "no closing time"
        )
        leader = _leader(poll, now)
        items.append(
            DigestItem(
                _title_of(facts, poll.topic_id, poll.topic_title),
                _link_for(facts, poll.topic_id),
                f"{closing}{'; ' + leader if leader else ''}",
            )
        )
    return tuple(items)


def _field(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _instant(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return None


def _decision_link(item: Any, base_url: str) -> str:
    """The item's own link, made safe inside a markdown link target (http(s) or forum-relative only)."""
    url = str(_field(item, "url", "") or "").strip()
    if url.startswith("/"):
        url = f"{base_url}{url}"
    if not url.startswith(("https://", "http://")):
        return ""
    return quote(url, safe=":/?#=&%-._~+,;")


def decision_items(
    shared: Sequence[Any], facts: Facts, now: datetime, zone: str
) -> tuple[tuple[DigestItem, ...], tuple[DigestItem, ...]]:
    """Decisions filed in the past 7 days, and proposals closing in the next 7 (from the decision log)."""
    decided, closing = [], []
    for item in shared:
        title, link = inline(_field(item, "title", ""), 120), _decision_link(item, facts.base_url)
        if not title or not link:
            continue
        status = _field(item, "status", "decided")
        decided_at, closes = _instant(_field(item, "decided_at")), _instant(_field(item, "closing_at"))
        if status == "decided" and decided_at is not None and now - LOOK_BACK <= decided_at <= now:
            outcome = inline(_field(item, "decision", "") or "", 160)
            decided.append((decided_at, DigestItem(title, link, outcome)))
        elif status != "withdrawn" and closes is not None and now < closes <= now + LOOK_AHEAD:
            closing.append((closes, DigestItem(title, link, f"closes {local_time(closes, zone, False)}")))
    return (
        tuple(i for _, i in sorted(decided, key=lambda p: p[0])),
        tuple(i for _, i in sorted(closing, key=lambda p: p[0])),
    )


def pending_request_counts(shared: Sequence[Any]) -> tuple[tuple[str, int], ...]:
    """Pending membership requests as a count per group; whatever else the items carry is dropped."""
    counts: dict[str, int] = {}
    for item in shared:
        if isinstance(item, tuple) and len(item) == 2:
            group, count = item
        else:
            group = _field(item, "group") or _field(item, "group_name")
            count = _field(item, "count", 1)
        if not group or not isinstance(count, int) or count <= 0:
            continue
        name = inline(group, 60)
        counts[name] = counts.get(name, 0) + count
    return tuple(sorted(counts.items()))


def new_topic_items(facts: Facts, now: datetime, rules: DigestRules) -> tuple[DigestItem, ...]:
    """Topics opened in the past 7 days by people (the bot's own topics have no readable first post)."""
    opened_by_people = {
        topic_id for topic_id, posts in facts.posts.items() if any(p.post_number == 1 for p in posts)
    }
    fresh = [
        topic
        for topic in facts.topics.values()
        if _listable(topic, rules)
        and topic.id in opened_by_people
        and topic.created_at is not None
        and now - LOOK_BACK <= topic.created_at <= now
    ]
    items = []
    for topic in sorted(fresh, key=lambda t: (t.created_at, t.id)):
        replies = max(topic.posts_count - 1, 0)
        note = f"{replies} repl{'y' if replies == 1 else 'ies'}"
        items.append(DigestItem(inline(topic.title, 120), _link_for(facts, topic.id), note))
    return tuple(items)


def stalled_items(facts: Facts, now: datetime, rules: DigestRules) -> tuple[DigestItem, ...]:
    """Open proposal / awaiting-decision topics with no post for ``stall_days`` or more."""
    wanted = {tag.lower() for tag in rules.stall_tags}
    limit = now - timedelta(days=rules.stall_days)
    stalled = []
    for topic in facts.topics.values():
        last = topic.last_posted_at or topic.bumped_at or topic.created_at
        if (
            not _listable(topic, rules)
            or topic.closed
            or topic.archived
            or not wanted & {t.lower() for t in topic.tags}
            or last is None
            or last > limit
        ):
            continue
        stalled.append((last, topic))
    items = []
    for last, topic in sorted(stalled, key=lambda p: (p[0], p[1].id)):
        days = (now - last).days
        items.append(
            DigestItem(inline(topic.title, 120), _link_for(facts, topic.id), f"no reply in {days} days")
        )
    return tuple(items) + shared_stalled_items(facts.shared.get(SHARED_STALLED, ()), facts, now, limit)


def shared_stalled_items(
    shared: Sequence[Any], facts: Facts, now: datetime, limit: datetime
) -> tuple[DigestItem, ...]:
    """Threads elsewhere (Loomio) idle since before ``limit``, oldest first."""
    found = []
    for item in shared:
        last = _instant(_field(item, "last_activity_at"))
        title, link = inline(_field(item, "title", ""), 120), _decision_link(item, facts.base_url)
        if last is not None and last <= limit and title and link:
            found.append((last, title, DigestItem(title, link, f"no activity in {(now - last).days} days")))
    return tuple(item for _, _, item in sorted(found, key=lambda f: (f[0], f[1])))


def gather(
    facts: Facts, events: Iterable[EventFact], now: datetime, week: Week, rules: DigestRules
) -> DigestContent:
    decided, closing = decision_items(facts.shared.get(SHARED_DECISIONS, ()), facts, now, rules.zone)
    return DigestContent(
        week=week,
        events=event_items(events, facts, now, rules),
        polls=poll_items(facts, now, rules),
        decisions=decided,
        closing=closing,
        requests=pending_request_counts(facts.shared.get(SHARED_MEMBERSHIP_PENDING, ())),
        new_topics=new_topic_items(facts, now, rules),
        stalled=stalled_items(facts, now, rules),
    )


# -- the action ----------------------------------------------------------------------------------------


def render_digest(content: DigestContent, rules: DigestRules, render: Renderer, key: str) -> str:
    return render(
        TEMPLATE,
        key=key,
        digest=content,
        week_of=f"{content.week.monday.day} {content.week.monday:%B %Y}",
        stall_days=rules.stall_days,
    )


def digest_action(
    forum: str, week: Week, content: DigestContent, rules: DigestRules, render: Renderer
) -> Action:
    key = digest_key(forum, week)
    title, raw = digest_title(rules, week), render_digest(content, rules, render, key)
    operation: CreateTopic | PrivateMessage
    if rules.group:
        operation = PrivateMessage(title=title, raw=raw, recipients=(rules.group,))
    else:
        operation = CreateTopic(title=title, raw=raw, category_id=rules.category_id)
    return Action(
        key=key,
        kind="digest",
        forum=forum,
        source=digest_source(week),
        target=rules.target,
        due_at=week.due(rules),
        expires_at=week.end,
        operation=operation,
        detail={"week": week.label},
    )
