"""The seeded CoTech scenario: what it contains, relative to the ``now`` it is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.scenario import LONDON, cotech_scenario, ordinal, seed
from tests.contract.sandbox_support import BOT, KEY, NOW, get

LATER = datetime(2025, 11, 3, 8, 30, tzinfo=UTC)  # a Monday in winter time


@pytest.fixture(params=[NOW, LATER], ids=["summer", "winter"])
def forum(request):
    now = request.param
    with FakeDiscourse.running(
        scenario=cotech_scenario(now), now=lambda: now, api_key=KEY, api_username=BOT, validate=True
    ) as fake:
        yield fake


def test_events_are_upcoming_relative_to_now(forum):
    """The prose call and the calendar event lie a few days after ``now``, at London times."""
    h = forum.scenario
    assert timedelta(days=2) < h.prose_call_at - h.now < timedelta(days=10)
    assert h.prose_call_at.astimezone(LONDON).hour == 15 and h.prose_call_at.astimezone(LONDON).weekday() == 1
    assert timedelta(days=3) < h.calendar_event_starts_at - h.now < timedelta(days=11)
    assert forum.event(h.calendar_event_post_id).starts_at == h.calendar_event_starts_at
    upcoming = get(forum, "/discourse-post-event/events.json", after=h.now.isoformat()).json()["events"]
    assert [e["id"] for e in upcoming] == [h.calendar_event_post_id]


def test_prose_call_names_day_date_time_and_link(forum):
    """The call announcement says 'at 3pm on <Weekday> <ordinal> <Month>' and carries the video-call URL."""
    h = forum.scenario
    local = h.prose_call_at.astimezone(LONDON)
    raw = forum.post(h.prose_call_post_id).raw
    assert f"a call at 3pm on {local:%A} {ordinal(local.day)} {local:%B}" in raw
    assert h.prose_call_url in raw and forum.post(h.prose_call_post_id).event is None


def test_date_poll_has_free_text_options_and_one_year_typo(forum):
    """The date poll's options read '3-4pm Monday 26th February 2024'-style, one with a mistyped year."""
    h = forum.scenario
    poll = forum.poll(h.date_poll_post_id, h.date_poll_name)
    texts = [o.text for o in poll.options]
    assert texts == list(h.date_poll_options) and len(texts) == 8
    assert all(t.startswith("3-4pm ") for t in texts)
    years = {int(t.rsplit(" ", 1)[1]) for t in texts}
    assert len(years - {h.now.year, h.now.year + 1}) == 1
    assert h.date_poll_typo_option in texts and poll.public and len(poll.votes) == 3
    assert poll.groups == h.members_group and poll.close == h.date_poll_closes_at  # non-voters can be named
    assert timedelta(days=3) < h.date_poll_closes_at - h.now < timedelta(days=5)


def test_local_dates_poll_hides_results_until_close(forum):
    """The Saturday poll's options carry local-date spans and its votes stay hidden (results=on_close)."""
    h = forum.scenario
    served = get(forum, f"/posts/{h.local_dates_poll_post_id}.json").json()["polls"][0]
    assert all('class="discourse-local-date"' in o["html"] for o in served["options"])
    assert all("votes" not in o for o in served["options"]) and served["voters"] == 4


def test_membership_requests_are_pending(forum):
    """cotech-members has two pending requests with reasons, newest first."""
    h = forum.scenario
    body = get(forum, f"/groups/{h.members_group}/members.json", requesters="true").json()
    assert [m["username"] for m in body["members"]] == list(reversed(h.pending_requesters))
    assert all(m["reason"] for m in body["members"])


def test_decision_topic_is_tagged(forum):
    """The decision topic carries the decision tag; the proposal does not."""
    h = forum.scenario
    listed = get(forum, f"/tag/{h.decision_tag}.json").json()["topic_list"]["topics"]
    assert [t["id"] for t in listed] == [h.decision_topic_id]


def test_bot_is_staff_and_sees_the_restricted_category(forum):
    """The bot user is an admin: it reads the stewards-only category that plain members cannot."""
    h = forum.scenario
    assert forum.user(BOT).admin
    assert get(forum, f"/c/stewards/{h.stewards_category_id}.json").status_code == 200
    assert get(forum, f"/c/stewards/{h.stewards_category_id}.json", username="efa").status_code == 404


def test_post_ids_follow_creation_time(forum):
    """Posts were seeded in time order, so id order and created_at order agree, as on a real forum."""
    posts = sorted((forum.post(pid) for pid in range(101, 101 + forum.post_count)), key=lambda p: p.id)
    assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)
    assert all(p.created_at <= forum.scenario.now for p in posts)


def test_seed_is_deterministic():
    """Seeding twice at the same ``now`` gives the same ids, texts and times."""

    def snapshot() -> list[tuple]:
        fake = FakeDiscourse(api_key=KEY, now=lambda: NOW)
        seed(fake, NOW)
        return [
            (p.id, p.topic_id, p.raw, p.created_at)
            for p in (fake.post(i) for i in range(101, 101 + fake.post_count))
        ]

    assert snapshot() == snapshot()
