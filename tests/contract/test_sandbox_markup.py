"""The sandbox's cooked HTML and plugin markup match the shapes Discourse produces (API-NOTES §2-§5)."""

from __future__ import annotations

import json

import pytest

from cotechbot.sandbox.markup import (
    MarkupError,
    cook,
    excerpt,
    option_id,
    parse_event,
    parse_polls,
    parse_reminders,
    render_inline,
)
from tests.conftest import require_shared


def test_option_ids_reproduce_a_real_poll_payload():
    """Option ids and html match the real poll payload in the reference fixtures (md5 of '["text"]')."""
    path = require_shared("reference/discourse/fixtures/discourse_api/polls_vote.json")
    options = json.loads(path.read_text(encoding="utf-8"))["poll"]["options"]
    sources = [
        "I will attend the Apr 25, 2019 Launchpad meeting.",
        "I want to lead the meeting.",
        "I'll not attend this meeting.",
    ]
    assert [option_id(s) for s in sources] == [o["id"] for o in options]
    assert [render_inline(s) for s in sources] == [o["html"] for o in options]


def test_option_id_of_yes():
    """The id of 'Yes' is the md5 of the 9 characters ["Yes"] (§3)."""
    import hashlib

    assert option_id("Yes") == hashlib.md5(b'["Yes"]').hexdigest()


def test_paragraphs_lists_and_inline():
    """Paragraphs, line breaks, lists, emphasis, links and mentions cook to plausible HTML."""
    cooked = cook(
        "Hello @Ada, see [the notes](https://pad.example/x)\nand **this**.\n\n* one\n* two\n\n# Title"
    )
    assert cooked == (
        '<p>Hello <a class="mention" href="/u/ada">@Ada</a>, see <a href="https://pad.example/x">the notes</a>'
        "<br>\nand <strong>this</strong>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<h1>Title</h1>"
    )


def test_html_is_escaped_and_fences_are_literal():
    """Raw HTML is escaped and nothing inside a code fence is interpreted (no poll is made there)."""
    raw = "<script>x</script>\n\n```\n[poll]\n* a\n* b\n[/poll]\n```"
    assert cook(raw).startswith("<p>&lt;script&gt;x&lt;/script&gt;</p>")
    assert parse_polls(raw) == []


def test_poll_block_cooks_to_div_poll():
    """[poll] becomes div.poll with data-poll-* attributes and one li per option id (§3)."""
    raw = (
        "[poll name=dates type=multiple min=1 max=2 results=on_vote public=true chartType=pie]\n# When?\n"
        "* Monday\n* Tuesday\n[/poll]"
    )
    cooked = cook(raw)
    for attribute in (
        'data-poll-name="dates"',
        'data-poll-type="multiple"',
        'data-poll-results="on_vote"',
        'data-poll-public="true"',
        'data-poll-min="1"',
        'data-poll-max="2"',
        'data-poll-chart-type="pie"',
        'data-poll-status="open"',
    ):
        assert attribute in cooked
    assert f'<li data-poll-option-id="{option_id("Monday")}">Monday</li>' in cooked
    (poll,) = parse_polls(raw)
    assert (poll.name, poll.type, poll.title, poll.public, poll.min, poll.max) == (
        "dates",
        "multiple",
        "When?",
        True,
        1,
        2,
    )


def test_local_date_inside_a_poll_option():
    """A [date=...] in an option renders span.discourse-local-date with date, time and zone (§5)."""
    raw = '[poll]\n* Tue [date=2025-06-10 time=18:00:00 timezone="Europe/London"]\n* Never\n[/poll]'
    (poll,) = parse_polls(raw)
    html = poll.options[0].html
    assert html.startswith(
        'Tue <span data-date="2025-06-10" data-time="18:00:00" class="discourse-local-date"'
    )
    assert 'data-timezone="Europe/London"' in html and ">2025-06-10T17:00:00Z</span>" in html
    assert poll.options[0].id == option_id('Tue [date=2025-06-10 time=18:00:00 timezone="Europe/London"]')


def test_local_date_unknown_zone_is_dropped_and_range_renders_two_spans():
    """An unknown timezone is silently dropped (UTC); [date-range] renders from/to spans (§5)."""
    assert "data-timezone" not in render_inline("[date=2025-06-10 time=18:00 timezone=Mars/Olympus]")
    rendered = render_inline(
        '[date-range from=2025-06-10T18:00:00 to=2025-06-10T20:00:00 timezone="Europe/London"]'
    )
    assert rendered.count('class="discourse-local-date"') == 2
    assert 'data-range="from"' in rendered and 'data-range="to"' in rendered


def test_event_block_cooks_to_dasherized_data_attributes():
    """[event] becomes div.discourse-post-event with every attribute as data-<dasherized> (§4)."""
    raw = (
        '[event start="2025-06-10 18:00" timezone="Europe/London" allowedGroups="members" status="private"]\n'
        "Notes\n[/event]"
    )
    cooked = cook(raw)
    assert '<div class="discourse-post-event" data-start="2025-06-10 18:00"' in cooked
    assert 'data-allowed-groups="members"' in cooked and 'data-status="private"' in cooked
    event = parse_event(raw)
    assert event is not None and event.allowed_groups == ["members"] and event.description == "Notes"
    assert event.starts_at.isoformat() == "2025-06-10T17:00:00+00:00" and event.ends_at is None


def test_event_needs_start_and_valid_dates():
    """An [event] without start is not an event; end before start and a bad status are refused (§4)."""
    assert parse_event("[event name=x]\n[/event]") is None
    with pytest.raises(MarkupError):
        parse_event('[event start="2025-06-10 18:00" end="2025-06-10 17:00"]\n[/event]')
    with pytest.raises(MarkupError):
        parse_event('[event start="2025-06-10 18:00" status="secret"]\n[/event]')


@pytest.mark.parametrize(
    "raw",
    [
        "[poll]\n* only\n[/poll]",
        "[poll]\n* same\n* same\n[/poll]",
        "[poll type=multiple min=3 max=2]\n* a\n* b\n* c\n[/poll]",
        "[poll name=x]\n* a\n* b\n[/poll]\n[poll name=x]\n* c\n* d\n[/poll]",
    ],
)
def test_invalid_polls_are_refused(raw):
    """Polls Discourse's validator would refuse raise MarkupError (§3)."""
    with pytest.raises(MarkupError):
        parse_polls(raw)


def test_number_poll_generates_options():
    """type=number has no list: options run from min to max by step (§3)."""
    (poll,) = parse_polls("[poll type=number min=1 max=10 step=3]\n[/poll]")
    assert [o.text for o in poll.options] == ["1", "4", "7", "10"]


def test_reminders_parse():
    """Reminder strings parse to value/unit/period/type, with the legacy two-part form (§4)."""
    assert parse_reminders("notification.1.hours,bumpTopic.-2.days,15.minutes") == [
        {"value": 1, "unit": "hours", "period": "before", "type": "notification"},
        {"value": 2, "unit": "days", "period": "after", "type": "bumpTopic"},
        {"value": 15, "unit": "minutes", "period": "before", "type": "notification"},
    ]


def test_excerpt_truncates():
    """Excerpts are tag-free text, cut with an ellipsis when long."""
    text, truncated = excerpt("<p>" + "word " * 100 + "</p>", 20)
    assert truncated and text.endswith("&hellip;") and "<" not in text
