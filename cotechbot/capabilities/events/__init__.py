"""Events: find upcoming gatherings in what the forum says, and plan reminders for them. Pure functions.

Where events come from, most explicit first:
- the calendar plugin's ``[event]`` (a ``CalendarEvent`` on the post);
- Discourse ``[date]``/``[date-range]`` markup, and dates in prose, when the sentence names a gathering
  (a cue word such as "call" or "meeting") or the topic is in a watched events category or tag;
- a date poll's winning option (planned by the polls capability, handed over as an ``EventFact``).

A sentence that offers several candidate times ("Tues 4th or Thurs 6th April") is a proposal, not an event,
and plans nothing; so do past times, all-day mentions in prose, and topics carrying the opt-out tag. Only
confident readings count: a sentence the reader flags ``conflict`` (a weekday that is not its date's, clocks
that disagree) plans nothing at all, and a mention flagged ``candidate`` is never an event.

A recurring series ("every Tuesday at 3pm", "first Thursday of the month at 7pm") is read for its next
occurrence as of the planning time, so each occurrence in turn gets its reminders; only in event topics
(an events tag or category, the topic's first post) unless ``[events] recurring_everywhere`` allows it in
every topic.

Reminder keys are ``reminder:topic/<id>:<start UTC>:-<offset>``: an edited time makes new keys (the old
pending reminders are cancelled when the topic is re-planned), a repeated plan makes the same ones.
Whole-day offsets are taken on the wall clock of the forum's zone, so "1 day before" a 15:00 call is 15:00
the day before even across a clock change; shorter offsets are exact durations.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cotechbot.actions import Action, Reply
from cotechbot.capabilities.events.reading import read_post
from cotechbot.capabilities.years import within_planned_years
from cotechbot.messages import BUNDLED, Renderer, strict_http_url
from cotechbot.models import CalendarEvent, EventFact, Post, Topic
from cotechbot.settings import Settings, format_duration
from cotechbot.when import TimeMention, read_times

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_MEETING_HOSTS = re.compile(
    r"(jit\.si|jitsi|zoom\.us|meet\.google|whereby|teams\.microsoft|bigbluebutton|bbb\.|meet\.|call\.|"
    r"video\.|webex|gather\.town|discord\.gg)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MARKUP = re.compile(r"\[(?:date|date-range)[\s=][^\]]*\]", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?"
REMINDER_KIND = "event_reminder"
TIME_CHANGED_KIND = "event_time_changed"


def _setting(name: str) -> Any:
    """A setting's default: the rules built without settings (tests, tools) read as a fresh install does."""
    return Settings.model_fields[name].get_default(call_default_factory=True)


@dataclass(frozen=True)
class EventRules:
    """The settings event detection and planning read, gathered so the functions stay pure. The defaults are
    the settings' own, so there is one source of them."""

    zone: str = _setting("timezone")
    cue_words: Sequence[str] = tuple(_setting("event_cue_words"))
    category_ids: Sequence[int] = tuple(_setting("event_category_ids"))
    tags: Sequence[str] = tuple(_setting("event_tags"))
    opt_out_tag: str = _setting("opt_out_tag")
    offsets: Sequence[timedelta] = tuple(_setting("reminder_offsets"))
    grace: timedelta = _setting("reminder_grace")
    respect_calendar_reminders: bool = _setting("respect_calendar_reminders")
    base_url: str = ""
    # lower-cased: the bot itself and other bots
    ignored_authors: frozenset[str] = frozenset({_setting("discourse_api_username").lower()})
    max_per_post: int = _setting("event_max_per_post")
    max_per_topic: int = _setting("event_max_per_topic")
    render: Renderer = field(default=BUNDLED, repr=False, compare=False)  # handed in by the shell
    recurring_everywhere: bool = False  # [events] recurring_everywhere: series outside event topics too
    _cue_pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = "|".join(re.escape(w) for w in sorted(self.cue_words, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{words})s?\b", re.IGNORECASE) if words else re.compile(r"(?!)")
        object.__setattr__(self, "_cue_pattern", pattern)

    @classmethod
    def from_settings(cls, settings: Settings, render: Renderer = BUNDLED) -> EventRules:
        return cls(
            render=render,
            zone=settings.timezone,
            cue_words=tuple(settings.event_cue_words),
            category_ids=tuple(settings.event_category_ids),
            tags=tuple(settings.event_tags),
            opt_out_tag=settings.opt_out_tag,
            offsets=tuple(settings.reminder_offsets),
            grace=settings.reminder_grace,
            respect_calendar_reminders=settings.respect_calendar_reminders,
            base_url=str(settings.discourse_url or "").rstrip("/"),
            ignored_authors=frozenset(
                name.lower() for name in (settings.discourse_api_username, *settings.ignore_posts_by) if name
            ),
            max_per_post=settings.event_max_per_post,
            max_per_topic=settings.event_max_per_topic,
            recurring_everywhere=settings.events.recurring_everywhere,
        )

    def names_a_gathering(self, sentence: str) -> bool:
        return bool(self._cue_pattern.search(sentence))

    def is_event_topic(self, topic: Topic | None, post: Post) -> bool:
        category = topic.category_id if topic and topic.category_id is not None else post.category_id
        in_category = bool(self.category_ids) and category in self.category_ids
        tagged = topic is not None and bool({t.lower() for t in topic.tags} & {t.lower() for t in self.tags})
        return in_category or tagged

    def opted_out(self, topic: Topic | None) -> bool:
        return bool(
            topic and self.opt_out_tag and self.opt_out_tag.lower() in {t.lower() for t in topic.tags}
        )


def meeting_link(text: str, links: Sequence[str] = ()) -> str | None:
    """The link people will click to join: a known video-call host first, else the first plain link. Only
    strict http(s) URLs count (nothing the bot would repeat could carry a mention or markup)."""
    candidates = [*links, *(u.rstrip(_TRAILING_PUNCTUATION) for u in _URL.findall(text))]
    urls = [url for u in candidates if (url := strict_http_url(u)) is not None]
    urls = [u for u in urls if not re.search(r"\.(png|jpe?g|gif|svg|webp)$", u, re.IGNORECASE)]
    for url in urls:
        if _MEETING_HOSTS.search(url):
            return url
    return urls[0] if urls else None


class _Sentences:
    """Sentence boundaries of a text, found once: each lookup is a binary search, so reading thousands of
    mentions in a long post stays linear in its length rather than quadratic."""

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = [m.span() for m in _SENTENCE_END.finditer(text)]
        self._starts = [start for start, _ in breaks]
        self._ends = [end for _, end in breaks]

    def around(self, start: int, end: int) -> str:
        before = bisect.bisect_right(self._ends, start)  # breaks that end at or before the mention
        left = self._ends[before - 1] if before else 0
        after = bisect.bisect_left(self._starts, end)  # the first break starting at or after its end
        right = self._starts[after] if after < len(self._starts) else len(self.text)
        return self.text[left:right]


def events_in_post(
    post: Post, topic: Topic | None, now: datetime, rules: EventRules, notes: list[str] | None = None
) -> list[EventFact]:
    """Every upcoming, concrete, single-candidate gathering a post announces (at most ``rules.max_per_post``).

    What had to be dropped (an implausible year, a bad event link, events over the cap) is appended to
    ``notes`` for the shell to log."""
    notes = notes if notes is not None else []
    if post.deleted_at is not None or post.post_type != 1 or rules.opted_out(topic):
        return []
    if post.username.lower() in rules.ignored_authors:
        return []  # the bot's own posts (its standings list candidate dates) and other bots announce nothing
    where = f"post {post.id} (topic {post.topic_id})"
    if not within_planned_years(post.created_at):
        notes.append(f"{where}: written {post.created_at:%Y-%m-%d}, outside the years read; skipped")
        return []
    title = (topic.title if topic else None) or post.topic_title or f"Topic {post.topic_id}"
    reading = read_post(post)
    if post.event is not None:
        return _calendar_fact(post.event, post, title, now, reading.links, notes)
    text = reading.text
    # Dates are read as of when the post was written ("in 10 minutes", "Tuesday 2nd July" with no year),
    # then kept only if still ahead of the planning time.
    event_topic = rules.is_event_topic(topic, post) and post.post_number == 1
    sentences = _Sentences(text)
    doubtful: set[str] = set()  # sentences that contradict themselves plan nothing, whatever else they say
    by_sentence: dict[str, list[TimeMention]] = {}
    for mention in _read_mentions(text, post.created_at, now, rules.zone):
        sentence = sentences.around(*mention.span)
        if mention.conflict:
            doubtful.add(sentence)
        elif not within_planned_years(mention.start, mention.end):
            notes.append(f"{where}: a date in {mention.start.year} is outside the years planned; dropped")
        elif _is_upcoming_moment(mention, now) and not mention.candidate:
            if mention.recurring and not (event_topic or rules.recurring_everywhere):
                continue  # a standing arrangement mentioned in passing: reminded only where events live
            by_sentence.setdefault(sentence, []).append(mention)
    facts: list[EventFact] = []
    link = meeting_link(text, reading.links)
    for sentence, found in by_sentence.items():
        if sentence in doubtful:
            continue
        series = all(m.recurring for m in found)  # "every Tuesday at 3pm and Thursday at noon": both stand
        if len({(m.start, m.end) for m in found}) != 1 and not series:
            continue  # several candidate times: a proposal still being decided
        for mention in found if series else found[:1]:
            _add_fact(facts, sentence, mention, post, title, link, event_topic, rules)
    if len(facts) > rules.max_per_post:
        notes.append(f"{where}: {len(facts)} events, only the first {rules.max_per_post} are planned")
        facts = facts[: rules.max_per_post]
    return facts


def _read_mentions(text: str, written: datetime, now: datetime, zone: str) -> list[TimeMention]:
    """What the post says, read as of when it was written; a recurring series' next occurrence is read as of
    ``now`` instead, so each occurrence in turn is the upcoming one."""
    mentions = read_times(text, written, zone)
    if now > written and any(m.recurring for m in mentions):
        current = {m.span: m for m in read_times(text, now, zone) if m.recurring}
        mentions = [current.get(m.span, m) if m.recurring else m for m in mentions]
    return mentions


def _add_fact(
    facts: list[EventFact],
    sentence: str,
    mention: TimeMention,
    post: Post,
    title: str,
    link: str | None,
    event_topic: bool,
    rules: EventRules,
) -> None:
    from_markup = bool(_MARKUP.search(sentence))
    if not (rules.names_a_gathering(sentence) or event_topic):
        return
    facts.append(
        EventFact(
            topic_id=post.topic_id,
            post_id=post.id,
            post_number=post.post_number,
            title=title,
            start=mention.start,
            end=mention.end,
            url=link,
            origin="markup" if from_markup else "prose",
            recurring=mention.recurring,
        )
    )


def _is_upcoming_moment(mention: TimeMention, now: datetime) -> bool:
    return (
        not mention.all_day
        and isinstance(mention.start, datetime)
        and mention.start > now
        and "past" not in mention.flags
    )


def _calendar_fact(
    event: CalendarEvent, post: Post, title: str, now: datetime, links: Sequence[str], notes: list[str]
) -> list[EventFact]:
    if not within_planned_years(event.starts_at, event.ends_at):
        notes.append(f"post {post.id}: calendar event in {event.starts_at.year} is outside the years planned")
        return []
    if event.is_closed or event.is_expired or event.starts_at <= now or (event.status or "") == "cancelled":
        return []
    url = strict_http_url(event.url) if event.url else None
    if event.url and url is None:
        notes.append(f"post {post.id}: calendar event link is not a plain http(s) URL; left out")
    return [
        EventFact(
            topic_id=post.topic_id,
            post_id=post.id,
            post_number=post.post_number,
            title=event.name or title,
            start=event.starts_at,
            end=event.ends_at,
            url=url or meeting_link("", links),
            origin="calendar",
            has_plugin_reminders=event.has_plugin_reminders,
        )
    ]


def detect_events(
    posts: Iterable[Post],
    topics: dict[int, Topic],
    now: datetime,
    rules: EventRules,
    notes: list[str] | None = None,
) -> list[EventFact]:
    """Facts for every post, de-duplicated per topic and start (a later "call in 10 minutes" post repeats
    the announcement rather than making a second event), at most ``rules.max_per_topic`` per topic."""
    notes = notes if notes is not None else []
    facts: dict[tuple[int, datetime], EventFact] = {}
    per_topic: dict[int, int] = {}
    for post in sorted(posts, key=lambda p: p.id):
        for fact in events_in_post(post, topics.get(post.topic_id), now, rules, notes):
            if (fact.topic_id, fact.start) in facts:
                continue
            if per_topic.get(fact.topic_id, 0) >= rules.max_per_topic:
                notes.append(
                    f"topic {fact.topic_id}: over {rules.max_per_topic} events; the rest are dropped"
                )
                break
            per_topic[fact.topic_id] = per_topic.get(fact.topic_id, 0) + 1
            facts[(fact.topic_id, fact.start)] = fact
    return sorted(facts.values(), key=lambda f: (f.start, f.topic_id))


def reminder_due(start: datetime, offset: timedelta, zone: str) -> datetime:
    """When a reminder ``offset`` before ``start`` is due; whole days keep the local wall-clock time."""
    if offset % timedelta(days=1) == timedelta(0):
        local = start.astimezone(ZoneInfo(zone))
        wall = local.replace(tzinfo=None) - offset
        return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(start.tzinfo)
    return start - offset


def reminder_key(fact: EventFact, offset: timedelta) -> str:
    return f"reminder:topic/{fact.topic_id}:{fact.start:%Y-%m-%dT%H:%MZ}:-{format_duration(offset)}"


def _lead_phrase(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if offset == timedelta(days=1):
        return "tomorrow"
    if minutes < 60:
        return f"in {minutes} minutes"
    if minutes < 24 * 60:
        hours = minutes / 60
        return f"in {hours:g} hour{'s' if hours != 1 else ''}"
    days = minutes / (24 * 60)
    return f"in {days:g} days"


def post_url(base_url: str, topic_id: int, post_number: int) -> str:
    return f"{base_url.rstrip('/')}/t/{topic_id}/{post_number}"


@dataclass(frozen=True)
class _Told:
    """Something the bot already posted about an event: a reminder (with its offset) or a time-changed note."""

    sent_at: datetime
    start: datetime
    offset: str | None


def _told_about(sent: Iterable[Any]) -> dict[tuple[int, int | None], list[_Told]]:
    """What went out about each event, by (topic, announcing post), from sent outbox rows."""
    told: dict[tuple[int, int | None], list[_Told]] = {}
    for row in sent:
        if row.status != "sent" or row.kind not in (REMINDER_KIND, TIME_CHANGED_KIND):
            continue
        detail = row.payload
        try:
            topic_id = int(str(row.target).removeprefix("topic/"))
            start = datetime.fromisoformat(str(detail["event_start"]))
        except (KeyError, ValueError):
            continue
        post_id = detail.get("post_id")
        entry = _Told(
            row.sent_at or row.due_at, start, detail.get("offset") if row.kind == REMINDER_KIND else None
        )
        told.setdefault((topic_id, int(post_id) if post_id is not None else None), []).append(entry)
    return told


def plan_reminders(
    facts: Iterable[EventFact], now: datetime, forum: str, rules: EventRules, sent: Iterable[Any] = ()
) -> list[Action]:
    """Reminder actions for each fact and offset that can still go out in time.

    ``sent`` are outbox rows (``OutboxView``) already sent. Once a reminder went out, a change of the event's
    time gets one short "time changed" note per new time, due at once, instead of a full reminder for each
    offset already used within that offset's span (six edits on the eve of a call make six notes at most,
    never six "starts tomorrow" posts); reminders for offsets not yet used still go out at the new time."""
    facts = list(facts)
    told = _told_about(sent)
    # A post may announce several events: what went out about one of them that is still announced (or
    # already over) says nothing about another. Only a time the post no longer gives, still ahead, was moved.
    announced: dict[tuple[int, int | None], set[datetime]] = {}
    for fact in facts:
        announced.setdefault((fact.topic_id, fact.post_id), set()).add(fact.start)
    actions = []
    for fact in facts:
        if fact.has_plugin_reminders and rules.respect_calendar_reminders:
            continue  # the calendar plugin reminds its invitees itself; a second reminder is noise
        still = announced[(fact.topic_id, fact.post_id)] - {fact.start}
        history = [
            entry
            for entry in told.get((fact.topic_id, fact.post_id), []) + told.get((fact.topic_id, None), [])
            if entry.start == fact.start or (entry.start not in still and entry.start > now)
        ]
        if fact.recurring:
            # Each occurrence of a series is its own event: what was said about the last one is not a move.
            history = [entry for entry in history if entry.start == fact.start]
        latest = max(history, key=lambda entry: entry.sent_at, default=None)
        if latest is not None and latest.start != fact.start and fact.start > now:
            actions.append(_time_changed_action(fact, latest, forum, rules))
        for offset in rules.offsets:
            due = reminder_due(fact.start, offset, rules.zone)
            expires = min(due + min(rules.grace, offset / 2), fact.start)
            if expires <= now or _reminded_lately(history, fact, offset, due):
                continue
            actions.append(_reminder_action(fact, offset, due, expires, forum, rules))
    return actions


def _reminded_lately(history: Sequence[_Told], fact: EventFact, offset: timedelta, due: datetime) -> bool:
    """Whether this offset's reminder already went out for another time of the event less than one offset
    before this one would be due: people were just reminded, and the time-changed note tells them the rest."""
    label = format_duration(offset)
    return any(
        entry.offset == label and entry.start != fact.start and due - entry.sent_at < offset
        for entry in history
    )


def _reminder_action(
    fact: EventFact, offset: timedelta, due: datetime, expires: datetime, forum: str, rules: EventRules
) -> Action:
    key = reminder_key(fact, offset)
    raw = rules.render(
        "event_reminder.md",
        key=key,
        fact=fact,
        zone=rules.zone,
        lead=_lead_phrase(offset),
        announcement=post_url(rules.base_url, fact.topic_id, fact.post_number),
    )
    return Action(
        key=key,
        kind=REMINDER_KIND,
        forum=forum,
        source=fact.source,
        target=f"topic/{fact.topic_id}",
        due_at=due,
        expires_at=expires,
        operation=Reply(topic_id=fact.topic_id, raw=raw),
        detail={
            "title": fact.title,
            "event_start": fact.start.isoformat(),
            "offset": format_duration(offset),
            "post_id": fact.post_id,
        },
    )


def _time_changed_action(fact: EventFact, latest: _Told, forum: str, rules: EventRules) -> Action:
    key = f"event-moved:topic/{fact.topic_id}:post/{fact.post_id}:{fact.start:%Y-%m-%dT%H:%MZ}"
    raw = rules.render(
        "event_time_changed.md",
        key=key,
        fact=fact,
        was=latest.start,
        zone=rules.zone,
        announcement=post_url(rules.base_url, fact.topic_id, fact.post_number),
    )
    return Action(
        key=key,
        kind=TIME_CHANGED_KIND,
        forum=forum,
        source=fact.source,
        target=f"topic/{fact.topic_id}",
        due_at=latest.sent_at,  # at once: deterministic, and already past
        expires_at=fact.start,
        operation=Reply(topic_id=fact.topic_id, raw=raw),
        detail={"title": fact.title, "event_start": fact.start.isoformat(), "post_id": fact.post_id},
    )
