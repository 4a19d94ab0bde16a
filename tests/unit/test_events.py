"""Event detection and reminder planning: pure functions over posts, topics and a fixed time."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotechbot.capabilities.base import outbox_view
from cotechbot.capabilities.events import (
    EventRules,
    detect_events,
    events_in_post,
    meeting_link,
    plan_reminders,
    reminder_due,
)
from cotechbot.capabilities.events.reading import read_post
from cotechbot.messages import ends_with_marker, key_marker
from cotechbot.models import CalendarEvent, Post, Topic
from cotechbot.settings import Settings
from tests.mentions import assert_no_mention

RULES = EventRules(base_url="https://forum.example.coop")
# Posted in June 2024, as in the real thread: the call is on Tuesday 2 July 2024 at 15:00 BST.
ANNOUNCEMENT = (
    "Following a chat at Congress last week we are going to have a call at 3pm on Tuesday 2nd July to "
    "discuss organising a gathering for 2024, at this URL:\n\nhttps://meet.jit.si/cotech-gathering-2024\n\n"
    "I'll post the access code for the meeting on the day."
)
POSTED = datetime(2024, 6, 24, 11, 0, tzinfo=UTC)


def make_post(
    raw: str,
    *,
    post_id: int = 10,
    topic_id: int = 1,
    post_number: int = 1,
    created: datetime = POSTED,
    event: CalendarEvent | None = None,
    category_id: int | None = 4,
    cooked: str = "",
    username: str = "organiser",
) -> Post:
    return Post(
        id=post_id,
        topic_id=topic_id,
        post_number=post_number,
        raw=raw,
        cooked=cooked,
        created_at=created,
        topic_title="CoTech gathering 2024",
        category_id=category_id,
        event=event,
        username=username,
    )


def topic(
    tags: list[str] | None = None, category_id: int | None = 4, title: str = "CoTech gathering 2024"
) -> Topic:
    return Topic(id=1, title=title, tags=tags or [], category_id=category_id)


def test_a_call_announced_in_prose_is_an_event_with_its_link() -> None:
    """The real announcement yields one event at 15:00 BST on 2 July 2024 with the video-call link."""
    [fact] = events_in_post(make_post(ANNOUNCEMENT), topic(), POSTED, RULES)
    assert fact.start == datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
    assert fact.url == "https://meet.jit.si/cotech-gathering-2024"
    assert fact.origin == "prose"


def test_reminders_are_due_a_day_and_ten_minutes_before_in_bst() -> None:
    """Reminders fall due 1 July 15:00 and 2 July 14:50 London time, keyed by topic, start and offset."""
    facts = detect_events([make_post(ANNOUNCEMENT)], {1: topic()}, POSTED, RULES)
    actions = plan_reminders(facts, POSTED, "cotech", RULES)
    assert [a.due_at for a in actions] == [
        datetime(2024, 7, 1, 14, 0, tzinfo=UTC),
        datetime(2024, 7, 2, 13, 50, tzinfo=UTC),
    ]
    assert [a.key for a in actions] == [
        "reminder:topic/1:2024-07-02T14:00Z:-1d",
        "reminder:topic/1:2024-07-02T14:00Z:-10m",
    ]
    text = actions[1].payload["raw"]
    assert "https://meet.jit.si/cotech-gathering-2024" in text
    assert "Tuesday 2 July 2024, 15:00 BST (14:00 UTC)" in text
    assert "https://forum.example.coop/t/1/1" in text
    assert text.rstrip().endswith("<!-- cotechbot:reminder:topic/1:2024-07-02T14:00Z:-10m -->")


def test_planning_twice_gives_the_same_actions() -> None:
    """Same input, same actions: planning is deterministic."""

    def plan():
        return plan_reminders(
            detect_events([make_post(ANNOUNCEMENT)], {1: topic()}, POSTED, RULES), POSTED, "cotech", RULES
        )

    assert plan() == plan()


def test_in_winter_reminders_follow_gmt() -> None:
    """A 3pm call in November is 15:00 GMT, and its reminders are due at 15:00 and 14:50 GMT."""
    posted = datetime(2024, 10, 30, 9, 0, tzinfo=UTC)
    post = make_post(
        "Next members' call at 3pm on Tuesday 5th November, same link as always: https://meet.jit.si/cotech",
        created=posted,
    )
    actions = plan_reminders(detect_events([post], {1: topic()}, posted, RULES), posted, "cotech", RULES)
    assert [a.due_at for a in actions] == [
        datetime(2024, 11, 4, 15, 0, tzinfo=UTC),
        datetime(2024, 11, 5, 14, 50, tzinfo=UTC),
    ]


def test_a_day_before_keeps_the_wall_clock_across_the_october_change() -> None:
    """For a 15:00 GMT call on Sunday 27 October 2024, the day-before reminder is 15:00 BST on the 26th."""
    start = datetime(2024, 10, 27, 15, 0, tzinfo=UTC)  # 15:00 GMT: the clocks went back at 01:00 UTC
    assert reminder_due(start, timedelta(days=1), "Europe/London") == datetime(
        2024, 10, 26, 14, 0, tzinfo=UTC
    )
    assert reminder_due(start, timedelta(minutes=10), "Europe/London") == datetime(
        2024, 10, 27, 14, 50, tzinfo=UTC
    )


def test_a_day_before_keeps_the_wall_clock_across_the_march_change() -> None:
    """For a 10:00 BST call on Sunday 31 March 2024, the day-before reminder is 10:00 GMT on the 30th."""
    start = datetime(2024, 3, 31, 9, 0, tzinfo=UTC)
    assert reminder_due(start, timedelta(days=1), "Europe/London") == datetime(2024, 3, 30, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        "Working on a date with the US co-ops, likely: Tues 4th or Thurs 6th April @ 17.30 UTC.",
        "They met for their conference on 23-24th September at Space4.",
        "We could have a call sometime in about 3 weeks at 17.30 our time.",
        "The Workers Co-op Weekend is 17th-19 May 2024, so let's avoid that.",
        "The call was at 3pm on Tuesday 18th June, thanks all for coming.",
    ],
)
def test_proposals_past_vague_and_quoted_times_plan_nothing(raw: str) -> None:
    """Candidate dates, past or all-day mentions, vague times, code and quotes are not events to remind."""
    assert events_in_post(make_post(raw), topic(), POSTED, RULES) == []


def test_a_dated_sentence_without_a_cue_word_needs_an_event_topic() -> None:
    """'Tuesday 2nd July at 3pm works for me' is not an event in chat, but is in a topic tagged events."""
    raw = "Tuesday 2nd July at 3pm works for me."
    assert events_in_post(make_post(raw), topic(), POSTED, RULES) == []
    [fact] = events_in_post(make_post(raw), topic(tags=["events"]), POSTED, RULES)
    assert fact.start == datetime(2024, 7, 2, 14, 0, tzinfo=UTC)


def test_the_opt_out_tag_silences_a_topic() -> None:
    """A topic tagged no-reminders yields no events at all."""
    assert events_in_post(make_post(ANNOUNCEMENT), topic(tags=["no-reminders"]), POSTED, RULES) == []


def test_calendar_events_use_their_own_time_and_url() -> None:
    """An [event] post gives its start, end and url, whatever the prose says."""
    event = CalendarEvent(
        id=10,
        name="Members' call",
        starts_at=datetime(2024, 7, 3, 17, 0, tzinfo=UTC),
        ends_at=datetime(2024, 7, 3, 18, 0, tzinfo=UTC),
        url="https://meet.example/abc",
    )
    [fact] = events_in_post(make_post("[event start=...]\n[/event]", event=event), topic(), POSTED, RULES)
    assert (fact.title, fact.start, fact.end, fact.url, fact.origin) == (
        "Members' call",
        event.starts_at,
        event.ends_at,
        "https://meet.example/abc",
        "calendar",
    )


def test_calendar_plugin_reminders_are_not_doubled() -> None:
    """When the calendar plugin reminds for an event, the bot plans no reminder of its own (by default)."""
    event = CalendarEvent(
        id=10,
        starts_at=datetime(2024, 7, 3, 17, 0, tzinfo=UTC),
        reminders=[{"value": 1, "unit": "hours", "period": "before", "type": "notification"}],
    )
    facts = events_in_post(make_post("x", event=event), topic(), POSTED, RULES)
    assert plan_reminders(facts, POSTED, "cotech", RULES) == []
    doubled = EventRules(respect_calendar_reminders=False)
    assert len(plan_reminders(facts, POSTED, "cotech", doubled)) == 2


def test_a_reminder_past_its_grace_is_not_planned() -> None:
    """Found after the day-before moment has passed by more than the grace, only the 10-minute one remains."""
    facts = detect_events([make_post(ANNOUNCEMENT)], {1: topic()}, POSTED, RULES)
    late = datetime(2024, 7, 1, 14, 31, tzinfo=UTC)  # 31 minutes after the 1-day reminder fell due
    assert [a.payload["offset"] for a in plan_reminders(facts, late, "cotech", RULES)] == ["10m"]
    just_in_time = datetime(2024, 7, 1, 14, 29, tzinfo=UTC)
    assert len(plan_reminders(facts, just_in_time, "cotech", RULES)) == 2


def test_a_repeat_announcement_does_not_make_a_second_event() -> None:
    """'The above call is in 10 minutes' names the same start as the announcement: one event, not two."""
    repeat = make_post(
        "The above call is in 10 minutes at this URL, access code 486072!",
        post_id=11,
        post_number=2,
        created=datetime(2024, 7, 2, 13, 50, tzinfo=UTC),
    )
    facts = detect_events([make_post(ANNOUNCEMENT), repeat], {1: topic()}, POSTED, RULES)
    assert [(f.post_id, f.start) for f in facts] == [(10, datetime(2024, 7, 2, 14, 0, tzinfo=UTC))]


def test_reminder_text_never_pings_or_breaks_markdown() -> None:
    """A hostile topic title cannot @-mention people or inject markup into the reminder."""
    hostile = topic(title="@everyone **urgent** [click](http://evil.example) <script>")
    facts = detect_events([make_post(ANNOUNCEMENT)], {1: hostile}, POSTED, RULES)
    raw = plan_reminders(facts, POSTED, "cotech", RULES)[0].payload["raw"]
    assert "@everyone" not in raw and "<script>" not in raw and "[click]" not in raw
    assert_no_mention(raw)
    assert "everyone" in raw and "urgent" in raw and "click" in raw  # the title is there, only defused


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "see https://example.coop/agenda and join https://meet.jit.si/cotech.",
            "https://meet.jit.si/cotech",
        ),
        ("agenda: https://example.coop/agenda.", "https://example.coop/agenda"),
        ("no link here", None),
    ],
)
def test_meeting_link_prefers_video_call_hosts(text: str, expected: str | None) -> None:
    """The join link is a known video-call host when there is one, else the first link, without punctuation."""
    assert meeting_link(text) == expected


# ------------------------------------------------------------------ issue 9: what a post says, and who says it

CALL = "We are going to have a call at 3pm on Tuesday 2nd July."


def test_the_sentence_used_below_is_an_event_when_written_plainly() -> None:
    """The control for the code and quote cases: the same words outside them announce the call."""
    [fact] = events_in_post(make_post(CALL), topic(), POSTED, RULES)
    assert fact.start == datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
    cooked = f"<p>{CALL}</p>"
    assert len(events_in_post(make_post("", cooked=cooked), topic(), POSTED, RULES)) == 1


@pytest.mark.parametrize(
    "raw",
    [
        f"```\n{CALL}\n```",
        f"~~~\n{CALL}\n~~~",
        f"Example of what not to write:\n\n    {CALL}\n",
        f"`{CALL}`",
        f'[quote="someone, post:1, topic:1"]\n{CALL}\n[/quote]\nI can\'t make it.',
        f"> {CALL}\n\nI can't make it.",
        f"<!-- {CALL} -->",
    ],
    ids=["backticks", "tildes", "indented", "inline-code", "bbcode-quote", "blockquote", "comment"],
)
def test_code_quotes_and_comments_in_raw_announce_nothing(raw: str) -> None:
    """Code (fenced with backticks or tildes, indented, inline), quotes and comments are not the author's
    own announcement (issue 9, item 3)."""
    assert events_in_post(make_post(raw), topic(), POSTED, RULES) == []


@pytest.mark.parametrize(
    "cooked",
    [
        f'<pre><code class="lang-plaintext">{CALL}\n</code></pre>',
        f'<aside class="quote no-group" data-username="someone"><div class="title">someone:</div>'
        f"<blockquote><p>{CALL}</p></blockquote></aside><p>I can't make it.</p>",
        f"<blockquote><p>{CALL}</p></blockquote>",
        f'<div class="poll" data-poll-name="poll"><ul><li>{CALL}</li></ul></div>',
        f"<p>Hi</p><!-- {CALL} -->",
    ],
    ids=["pre-code", "aside-quote", "blockquote", "poll", "comment"],
)
def test_code_quotes_polls_and_comments_in_cooked_html_announce_nothing(cooked: str) -> None:
    """Discourse's cooked HTML is what is read when the post has it (the raw is ignored then)."""
    post = make_post(CALL, cooked=cooked)
    assert events_in_post(post, topic(), POSTED, RULES) == []


@pytest.mark.parametrize("author", ["system", "SYSTEM", "cotechbot", "otherbot"])
def test_posts_by_the_bot_and_ignored_users_announce_nothing(author: str) -> None:
    """The bot's own standings list candidate dates; other bots' posts repeat ours (issue 9, item 4)."""
    rules = EventRules.from_settings(
        Settings.model_validate({"discourse_api_username": "cotechbot", "ignore_posts_by": ["OtherBot"]})
    )
    defaults = EventRules()  # the bot is "system" unless set
    post = make_post(ANNOUNCEMENT, username=author)
    ignored = rules if author.lower() != "system" else defaults
    assert events_in_post(post, topic(), POSTED, ignored) == []
    assert detect_events([post], {1: topic()}, POSTED, ignored) == []
    assert len(events_in_post(make_post(ANNOUNCEMENT, username="organiser"), topic(), POSTED, rules)) == 1


def test_rules_built_without_settings_have_the_settings_defaults(monkeypatch, tmp_path) -> None:
    """One source of defaults: EventRules() reads exactly what a fresh install's settings give."""
    for name in [name for name in os.environ if name.startswith("COTECHBOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    assert EventRules() == EventRules.from_settings(Settings())
    assert "social" in EventRules().cue_words and len(EventRules().cue_words) == len(
        Settings().event_cue_words
    )


# ------------------------------------------------------------------ issue 9: event links and markers (item 2)

FORGED = "https://meet.jit.si/coop @admins <img src=x> <!-- cotechbot:reminder:topic/1:x:-10m -->"


def test_an_event_link_that_is_not_one_plain_url_is_left_out() -> None:
    """A calendar event's url carrying a mention, HTML or a forged marker never reaches the reminder."""
    event = CalendarEvent(
        id=10, name="Members' call", starts_at=datetime(2024, 7, 3, 17, tzinfo=UTC), url=FORGED
    )
    notes: list[str] = []
    [fact] = events_in_post(make_post("[event]\n[/event]", event=event), topic(), POSTED, RULES, notes)
    assert fact.url is None
    assert any("not a plain http(s) URL" in note for note in notes)
    for action in plan_reminders([fact], POSTED, "cotech", RULES):
        raw = action.payload["raw"]
        assert_no_mention(raw)
        assert "<img" not in raw and "admins" not in raw
        assert raw.count("<!-- cotechbot:") == 1 and ends_with_marker(raw, key_marker(action.key))
        assert not ends_with_marker(raw, key_marker("reminder:topic/1:x:-10m"))


def test_a_plain_event_link_is_kept_and_a_prose_link_with_an_at_is_skipped() -> None:
    event = CalendarEvent(
        id=10, starts_at=datetime(2024, 7, 3, 17, tzinfo=UTC), url="https://meet.jit.si/coop?x=1#y"
    )
    [fact] = events_in_post(make_post("[event]\n[/event]", event=event), topic(), POSTED, RULES)
    assert fact.url == "https://meet.jit.si/coop?x=1#y"
    prose = "Call at 3pm on Tuesday 2nd July: https://admin@meet.jit.si/coop or https://example.coop/agenda"
    [fact] = events_in_post(make_post(prose), topic(), POSTED, RULES)
    assert fact.url == "https://example.coop/agenda"


# ------------------------------------------------------------------ issue 9: out-of-range dates (item 7)


@pytest.mark.parametrize(
    "bad",
    [
        '[date=9999-12-31 time=23:00:00 timezone="Asia/Tokyo"]',
        '[date=9999-12-31 time=23:59:00 timezone="Pacific/Kiritimati"]',
        "[date=0001-01-01 time=00:10:00]",
    ],
)
def test_an_out_of_range_date_is_dropped_and_the_real_call_still_planned(bad: str) -> None:
    """One impossible date never sinks the topic: only that mention is dropped, with a note."""
    posts = [
        make_post(ANNOUNCEMENT),
        make_post(f"Our next meeting: {bad}", post_id=11, post_number=2),
    ]
    notes: list[str] = []
    facts = detect_events(posts, {1: topic()}, POSTED, RULES, notes)
    assert [(f.post_id, f.start) for f in facts] == [(10, datetime(2024, 7, 2, 14, 0, tzinfo=UTC))]
    assert len(plan_reminders(facts, POSTED, "cotech", RULES)) == 2


def test_a_post_written_outside_the_planned_years_is_skipped_with_a_note() -> None:
    notes: list[str] = []
    ancient = make_post(ANNOUNCEMENT, created=datetime(1850, 6, 24, tzinfo=UTC))
    assert events_in_post(ancient, topic(), POSTED, RULES, notes) == []
    assert notes and "outside the years" in notes[0]


def test_a_calendar_event_in_year_9999_is_dropped_with_a_note() -> None:
    event = CalendarEvent(id=10, starts_at=datetime(9999, 12, 31, 12, tzinfo=UTC))
    notes: list[str] = []
    assert events_in_post(make_post("x", event=event), topic(), POSTED, RULES, notes) == []
    assert notes


# ------------------------------------------------------------------ issue 9: caps on events (item 14)


def test_events_are_capped_per_post_and_per_topic_with_a_note() -> None:
    """A post listing fifty calls plans the first ten; a topic of many such posts at most thirty."""
    lines = "\n\n".join(f"Call at 3pm on {day} July 2024." for day in range(1, 29))
    notes: list[str] = []
    facts = events_in_post(make_post(lines), topic(), POSTED, RULES, notes)
    assert len(facts) == RULES.max_per_post == 10
    assert [f.start.day for f in facts] == list(range(1, 11))
    assert any("only the first 10" in note for note in notes)
    posts = [
        make_post(
            "\n\n".join(f"Call at {hour}pm on {day} July 2024." for day in range(1, 11)),
            post_id=100 + hour,
            post_number=hour + 1,
        )
        for hour in range(1, 6)
    ]
    notes = []
    facts = detect_events(posts, {1: topic()}, POSTED, RULES, notes)
    assert len(facts) == RULES.max_per_topic == 30
    assert any("over 30 events" in note for note in notes)
    small = EventRules(max_per_post=2, max_per_topic=3)
    assert len(detect_events(posts, {1: topic()}, POSTED, small)) == 3


@given(
    st.lists(
        st.sampled_from(["Call at 3pm on 2 July 2024", ". ", "! ", "\n", "\n\n", "word ", "?"]), max_size=40
    )
)
def test_sentence_lookup_agrees_with_splitting_the_text(pieces: list[str]) -> None:
    """The linear lookup finds the same sentence as splitting the whole text at every boundary would."""
    from cotechbot.capabilities.events import _SENTENCE_END, _Sentences

    text = "".join(pieces)
    sentences = _Sentences(text)
    for match in re.finditer(r"2 July", text):
        start, end = match.span()
        left = max((m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= start), default=0)
        right = min((m.start() for m in _SENTENCE_END.finditer(text) if m.start() >= end), default=len(text))
        assert sentences.around(start, end) == text[left:right]


# ------------------------------------------------------------------ issue 9: a time that changes (item 10)


def _sent(action, sent_at: datetime):
    return outbox_view(
        key=action.key,
        kind=action.kind,
        source=action.source,
        target=action.target,
        status="sent",
        due_at=action.due_at,
        sent_at=sent_at,
        payload=action.payload,
    )


def test_six_edits_after_the_day_before_reminder_give_notes_not_six_reminders() -> None:
    """Once "starts tomorrow" went out, each new time gets one short time-changed note, never another full
    day-before reminder; the ten-minute reminder still goes out at the time that stands."""
    first = datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
    [day_before, _] = plan_reminders([_fact(first)], POSTED, "cotech", RULES)
    sent = [_sent(day_before, day_before.due_at)]
    now = day_before.due_at + timedelta(minutes=5)
    kinds_seen: list[str] = []
    for hour in (15, 16, 17, 18, 19, 20):
        start = first.replace(hour=hour)
        actions = plan_reminders([_fact(start)], now, "cotech", RULES, sent)
        kinds_seen.extend(a.kind for a in actions)
        assert [a.payload.get("offset") for a in actions if a.kind == "event_reminder"] == ["10m"]
        [note] = [a for a in actions if a.kind == "event_time_changed"]
        assert note.due_at <= now and "time changed" in note.payload["raw"].lower()
        sent.append(_sent(note, now))
        now += timedelta(minutes=1)
    assert kinds_seen.count("event_reminder") == 6  # the one pending 10-minute reminder, re-keyed each time
    assert kinds_seen.count("event_time_changed") == 6


def test_an_unchanged_time_gets_no_time_changed_note() -> None:
    start = datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
    [day_before, ten_minutes] = plan_reminders([_fact(start)], POSTED, "cotech", RULES)
    sent = [_sent(day_before, day_before.due_at)]
    actions = plan_reminders([_fact(start)], day_before.due_at, "cotech", RULES, sent)
    assert [a.kind for a in actions] == ["event_reminder", "event_reminder"]


def _fact(start: datetime):
    from cotechbot.models import EventFact

    return EventFact(
        topic_id=1, post_id=10, post_number=1, title="Members' call", start=start, origin="prose"
    )


def test_a_post_with_several_events_gets_each_ones_reminders_and_no_time_changed_note() -> None:
    """A workshop at 10am and a social at 6pm in one post: the workshop's day-before reminder going out says
    nothing about the social (no "time changed" note, its own day-before reminder kept); nor does a past
    event of the same post once it is over."""
    workshop, social = datetime(2024, 7, 5, 9, 0, tzinfo=UTC), datetime(2024, 7, 5, 17, 0, tzinfo=UTC)
    both = [_fact(workshop), _fact(social)]
    planned = plan_reminders(both, POSTED, "cotech", RULES)
    sent = [_sent(planned[0], planned[0].due_at)]  # the workshop's day-before reminder
    now = planned[0].due_at + timedelta(minutes=1)
    actions = plan_reminders(both, now, "cotech", RULES, sent)
    assert "event_time_changed" not in [a.kind for a in actions]
    assert [(a.payload["event_start"], a.payload["offset"]) for a in actions] == [
        (workshop.isoformat(), "1d"),
        (workshop.isoformat(), "10m"),
        (social.isoformat(), "1d"),
        (social.isoformat(), "10m"),
    ]
    after_workshop = workshop + timedelta(hours=1)
    later = plan_reminders([_fact(social)], after_workshop, "cotech", RULES, sent)
    assert [a.kind for a in later] == ["event_reminder"]  # the social's 10-minute one, no note


def test_a_post_is_read_block_by_block_with_its_line_breaks() -> None:
    """Each block and each <br> starts a new line; inline markup stays inside its sentence."""
    cooked = (
        "<p>Call at <strong>3pm</strong><br>on Tuesday</p><ul><li>agenda</li><li>minutes</li></ul>"
        "<div><div>nested</div>after</div>"
    )
    assert read_post(make_post("", cooked=cooked)).text.splitlines() == [
        "Call at 3pm",
        "on Tuesday",
        "agenda",
        "minutes",
        "nested",
        "after",
    ]


def test_a_long_post_is_read_whole() -> None:
    """Two thousand paragraphs (a post past Discourse's size limit) are all read; bench/worst_case.py times it."""
    raw = "\n\n".join(f"Paragraph {i} about the accounts." for i in range(2000))
    lines = read_post(make_post(raw)).text.splitlines()
    assert len(lines) == 2000 and lines[-1] == "Paragraph 1999 about the accounts."
