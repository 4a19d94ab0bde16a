"""Events: find upcoming gatherings in what the forum says, and plan reminders for them. Pure functions.

Where events come from, most explicit first:
- the calendar plugin's ``[event]`` (a ``CalendarEvent`` on the post);
- Discourse ``[date]``/``[date-range]`` markup, and dates in prose, when the sentence names a gathering
  (a cue word such as "call" or "meeting") or the topic is in a watched events category or tag;
- a date poll's winning option (planned by the polls capability, handed over as an ``EventFact``).

A sentence that offers several candidate times ("Tues 4th or Thurs 6th April") is a proposal, not an event,
and plans nothing; so do past times, all-day mentions in prose, and topics carrying the opt-out tag.

Reminder keys are ``reminder:topic/<id>:<start UTC>:-<offset>``: an edited time makes new keys (the old
pending reminders are cancelled when the topic is re-planned), a repeated plan makes the same ones.
Whole-day offsets are taken on the wall clock of the forum's zone, so "1 day before" a 15:00 call is 15:00
the day before even across a clock change; shorter offsets are exact durations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cotechbot.actions import Action
from cotechbot.messages import render
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
_QUOTE = re.compile(r"\[quote[^\]]*\].*?\[/quote\]", re.IGNORECASE | re.DOTALL)
_POLL = re.compile(r"\[poll[^\]]*\].*?\[/poll\]", re.IGNORECASE | re.DOTALL)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_TRAILING_PUNCTUATION = ".,;:!?"


@dataclass(frozen=True)
class EventRules:
    """The settings event detection and planning read, gathered so the functions stay pure."""

    zone: str = "Europe/London"
    cue_words: Sequence[str] = ("call", "meeting", "gathering", "session", "workshop", "chat")
    category_ids: Sequence[int] = ()
    tags: Sequence[str] = ("event", "events")
    opt_out_tag: str = "no-reminders"
    offsets: Sequence[timedelta] = (timedelta(days=1), timedelta(minutes=10))
    grace: timedelta = timedelta(minutes=30)
    respect_calendar_reminders: bool = True
    base_url: str = ""
    _cue_pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = "|".join(re.escape(w) for w in sorted(self.cue_words, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{words})s?\b", re.IGNORECASE) if words else re.compile(r"(?!)")
        object.__setattr__(self, "_cue_pattern", pattern)

    @classmethod
    def from_settings(cls, settings: Settings) -> EventRules:
        return cls(
            zone=settings.timezone,
            cue_words=tuple(settings.event_cue_words),
            category_ids=tuple(settings.event_category_ids),
            tags=tuple(settings.event_tags),
            opt_out_tag=settings.opt_out_tag,
            offsets=tuple(settings.reminder_offsets),
            grace=settings.reminder_grace,
            respect_calendar_reminders=settings.respect_calendar_reminders,
            base_url=str(settings.discourse_url or "").rstrip("/"),
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


def meeting_link(text: str) -> str | None:
    """The link people will click to join: a known video-call host first, else the first plain link."""
    urls = [u.rstrip(_TRAILING_PUNCTUATION) for u in _URL.findall(text)]
    urls = [u for u in urls if not re.search(r"\.(png|jpe?g|gif|svg|webp)$", u, re.IGNORECASE)]
    for url in urls:
        if _MEETING_HOSTS.search(url):
            return url
    return urls[0] if urls else None


def _readable_text(post: Post) -> str:
    """The post's words without quotes of other posts, poll blocks or code, which announce nothing."""
    text = post.text
    for pattern in (_QUOTE, _POLL, _CODE):
        text = pattern.sub(" ", text)
    return text


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    return text[left : right_match.start() if right_match else len(text)]


def events_in_post(post: Post, topic: Topic | None, now: datetime, rules: EventRules) -> list[EventFact]:
    """Every upcoming, concrete, single-candidate gathering a post announces."""
    if post.deleted_at is not None or post.post_type != 1 or rules.opted_out(topic):
        return []
    title = (topic.title if topic else None) or post.topic_title or f"Topic {post.topic_id}"
    if post.event is not None:
        return _calendar_fact(post.event, post, title, now)
    text = _readable_text(post)
    # Dates are read as of when the post was written ("in 10 minutes", "Tuesday 2nd July" with no year),
    # then kept only if still ahead of the planning time.
    mentions = [m for m in read_times(text, post.created_at, rules.zone) if _is_upcoming_moment(m, now)]
    if not mentions:
        return []
    event_topic = rules.is_event_topic(topic, post) and post.post_number == 1
    by_sentence: dict[str, list[TimeMention]] = {}
    for mention in mentions:
        by_sentence.setdefault(_sentence_around(text, *mention.span), []).append(mention)
    facts = []
    link = meeting_link(post.text)
    for sentence, found in by_sentence.items():
        distinct = {(m.start, m.end) for m in found}
        if len(distinct) != 1:
            continue  # several candidate times: a proposal still being decided
        mention = found[0]
        from_markup = bool(_MARKUP.search(sentence))
        if not (rules.names_a_gathering(sentence) or event_topic):
            continue
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
            )
        )
    return facts


def _is_upcoming_moment(mention: TimeMention, now: datetime) -> bool:
    return (
        not mention.all_day
        and isinstance(mention.start, datetime)
        and mention.start > now
        and "past" not in mention.flags
    )


def _calendar_fact(event: CalendarEvent, post: Post, title: str, now: datetime) -> list[EventFact]:
    if event.is_closed or event.is_expired or event.starts_at <= now or (event.status or "") == "cancelled":
        return []
    return [
        EventFact(
            topic_id=post.topic_id,
            post_id=post.id,
            post_number=post.post_number,
            title=event.name or title,
            start=event.starts_at,
            end=event.ends_at,
            url=event.url or meeting_link(post.text),
            origin="calendar",
            has_plugin_reminders=event.has_plugin_reminders,
        )
    ]


def detect_events(
    posts: Iterable[Post], topics: dict[int, Topic], now: datetime, rules: EventRules
) -> list[EventFact]:
    """Facts for every post, de-duplicated per topic and start (a later "call in 10 minutes" post repeats
    the announcement rather than making a second event)."""
    facts: dict[tuple[int, datetime], EventFact] = {}
    for post in sorted(posts, key=lambda p: p.id):
        for fact in events_in_post(post, topics.get(post.topic_id), now, rules):
            facts.setdefault((fact.topic_id, fact.start), fact)
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


def plan_reminders(facts: Iterable[EventFact], now: datetime, forum: str, rules: EventRules) -> list[Action]:
    """Reminder actions for each fact and offset that can still go out in time."""
    actions = []
    for fact in facts:
        if fact.has_plugin_reminders and rules.respect_calendar_reminders:
            continue  # the calendar plugin reminds its invitees itself; a second reminder is noise
        for offset in rules.offsets:
            due = reminder_due(fact.start, offset, rules.zone)
            expires = min(due + min(rules.grace, offset / 2), fact.start)
            if expires <= now:
                continue
            key = reminder_key(fact, offset)
            raw = render(
                "event_reminder.md",
                key=key,
                fact=fact,
                zone=rules.zone,
                lead=_lead_phrase(offset),
                announcement=post_url(rules.base_url, fact.topic_id, fact.post_number),
            )
            actions.append(
                Action(
                    key=key,
                    kind="event_reminder",
                    forum=forum,
                    source=fact.source,
                    target=f"topic/{fact.topic_id}",
                    due_at=due,
                    expires_at=expires,
                    payload={
                        "op": "reply",
                        "topic_id": fact.topic_id,
                        "raw": raw,
                        "title": fact.title,
                        "event_start": fact.start.isoformat(),
                        "offset": format_duration(offset),
                    },
                )
            )
    return actions
