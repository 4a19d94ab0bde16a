"""A seeded CoTech forum for ``cotechbot demo`` and the scenario tests, written in our own words.

It is modelled on the shapes of real CoTech threads (a call announced in prose with a video-call link, a date
poll whose options are free text with one mistyped year, a calendar-plugin event, membership requests, a
decision, ordinary chatter) — the people, co-ops and wording are invented. Every date is relative to ``now``,
so the demo always has upcoming events.

API::

    scenario = cotech_scenario(now)            # -> Scenario (callable: scenario(forum) -> ScenarioHandles)
    with FakeDiscourse.running(scenario=scenario, now=lambda: now) as forum:
        handles = forum.scenario              # ScenarioHandles: the ids and names tests assert on
    # or directly: handles = seed(forum, now)

``now`` must be timezone-aware; it defaults to the forum's own clock. Times of day are chosen in Europe/London,
as CoTech people write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cotechbot.sandbox.discourse import FakeDiscourse

__all__ = ["LONDON", "Scenario", "ScenarioHandles", "cotech_scenario", "ordinal", "seed"]

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class ScenarioHandles:
    """What the seeded forum contains, for assertions (all datetimes aware UTC)."""

    now: datetime
    bot_username: str
    organiser_username: str
    general_category_id: int
    events_category_id: int
    governance_category_id: int
    stewards_category_id: int
    welcome_topic_id: int
    # a call announced in prose: "a call at 3pm on Tuesday 9th July ... https://meet.jit.si/..."
    prose_call_topic_id: int
    prose_call_post_id: int
    prose_call_at: datetime
    prose_call_url: str
    # a date poll with free-text options, one with a mistyped year
    date_poll_topic_id: int
    date_poll_post_id: int
    date_poll_name: str
    date_poll_options: tuple[str, ...]
    date_poll_typo_option: str
    # ...limited to the members' group (its public voters make non-voters nameable), closing in four days
    date_poll_closes_at: datetime
    # a poll whose options carry [date=...] markup, results on close
    local_dates_poll_topic_id: int
    local_dates_poll_post_id: int
    local_dates_poll_name: str
    # a discourse-calendar [event]
    calendar_event_topic_id: int
    calendar_event_post_id: int
    calendar_event_starts_at: datetime
    calendar_event_ends_at: datetime
    past_event_post_id: int
    # membership
    members_group: str
    members_group_id: int
    pending_requesters: tuple[str, ...]
    # decisions
    decision_tag: str
    decision_topic_id: int
    proposal_topic_id: int
    chatter_topic_ids: tuple[int, ...]
    whisper_post_id: int
    private_message_topic_id: int


def ordinal(day: int) -> str:
    """``1`` → ``1st``, ``22`` → ``22nd``, ``13`` → ``13th``."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def _next_weekday(start: date, weekday: int) -> date:
    """The first date on or after ``start`` falling on ``weekday`` (Monday = 0)."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _long_date(day: date) -> str:
    return f"{day:%A} {ordinal(day.day)} {day:%B} {day.year}"


class Scenario:
    """A callable seeding a forum with the CoTech scenario at ``now`` (see :func:`seed`)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def __call__(self, forum: FakeDiscourse) -> ScenarioHandles:
        return seed(forum, self.now)


def cotech_scenario(now: datetime | None = None) -> Scenario:
    """The scenario, to pass as ``FakeDiscourse.running(scenario=...)``; ``now`` defaults to the forum's."""
    return Scenario(now)


def seed(forum: FakeDiscourse, now: datetime | None = None) -> ScenarioHandles:
    """Fill ``forum`` with the CoTech scenario relative to ``now`` and say what was created."""
    now = (now or forum.now()).astimezone(UTC)
    today = now.astimezone(LONDON).date()

    def ago(**delta: float) -> datetime:
        return now - timedelta(**delta)

    # ------------------------------------------------------------------ people
    people = {
        "ada": ("Ada Pryce", True, False, 3),
        "bryn": ("Bryn Hughes", False, True, 3),
        "cerys": ("Cerys Morgan", False, False, 2),
        "dafydd": ("Dafydd Rees", False, False, 2),
        "efa": ("Efa Jones", False, False, 1),
        "huw": ("Huw Evans", False, False, 1),
        "finn_coop": ("Finn O'Neill", False, False, 0),
        "gwen_newcoop": ("Gwen Taylor", False, False, 0),
    }
    for username, (name, admin, moderator, trust) in people.items():
        forum.add_user(
            username,
            name=name,
            admin=admin,
            moderator=moderator,
            trust_level=trust,
            created_at=ago(days=900 if trust else 3),
        )

    # ------------------------------------------------------------------ groups and categories
    members = forum.add_group(
        "cotech-members",
        full_name="CoTech members",
        allow_membership_requests=True,
        members=["ada", "bryn", "cerys", "dafydd", "efa", "huw"],
        owners=["ada"],
        membership_request_template="Which co-op are you from, and what does it do?",
    )
    forum.add_group(
        "stewards",
        full_name="Forum stewards",
        allow_membership_requests=False,
        members=["ada", "bryn"],
        owners=["ada"],
    )
    general = forum.add_category("General", description="Anything about CoTech and its co-ops.")
    events = forum.add_category("Events", description="Calls, gatherings, meet-ups.")
    governance = forum.add_category("Governance", description="Proposals and decisions of the network.")
    stewards = forum.add_category(
        "Stewards", read_restricted=True, allowed_groups=["stewards"], description="Forum housekeeping."
    )

    welcome, _ = forum.create_topic(
        "Welcome to the CoTech forum",
        "This is where UK tech co-operatives talk shop: events, work leads, tools and governance.\n\n"
        "Say hello in **General**, and ask to join the `cotech-members` group if your co-op is a member.",
        general.id,
        [],
        "ada",
        ago(days=800),
        pinned_globally=True,
    )

    # ------------------------------------------------------------------ chatter (oldest first)
    outreach, _ = forum.create_topic(
        "Getting CoTech talking to the outside world again",
        "I keep having corridor conversations about how to make CoTech more visible this year. "
        "Lots of our co-ops are doing interesting things; we're just too busy to tell anyone.\n\n"
        "Happy to chat with anyone, any time, about how to show more of what goes on :slight_smile:",
        general.id,
        ["outreach"],
        "dafydd",
        ago(days=40),
    )
    forum.reply(
        outreach.id,
        "I moved this into its own thread, @dafydd, hope that's OK!\n\n"
        "My own energy has gone into the wider worker co-op federation lately.",
        "ada",
        ago(days=39),
    )
    forum.reply(
        outreach.id,
        "What I value most are the in-person days and swapping war stories with other "
        "co-ops. I'd like to organise a couple of those this year and ring round the members "
        "to see who is still active.",
        "cerys",
        ago(days=38, hours=20),
    )
    forum.reply(
        outreach.id, "Sounds good. Let us know if Northern Byte can help with anything.", "huw", ago(days=37)
    )
    whisper = forum.reply(
        outreach.id,
        "Stewards only: remember to tidy the old members list after this.",
        "bryn",
        ago(days=36),
        post_type=4,
    )

    # an event that already happened
    past_day = today - timedelta(days=20)
    _, past_post = forum.create_topic(
        "Workshop: how we price our work",
        f'[event start="{past_day.isoformat()} 10:00" end="{past_day.isoformat()} 12:00" '
        'timezone="Europe/London" status="public" name="Pricing workshop"]\n'
        "A practical morning on estimating and pricing co-op projects.\n[/event]",
        events.id,
        [],
        "dafydd",
        ago(days=35),
    )

    layoffs, _ = forum.create_topic(
        "Layoffs in tech: could co-ops be an option for people?",
        "Thanks to everyone who signed up for tomorrow's chat about helping laid-off tech workers start or "
        "join co-ops. It's on, if anyone else wants to come along.",
        general.id,
        [],
        "efa",
        ago(days=30),
    )
    forum.reply(
        layoffs.id,
        "I can't offer advice sessions but I can set up a subdomain and a small static site if that helps.",
        "huw",
        ago(days=30, hours=-3),
    )
    forum.reply(
        layoffs.id,
        "Notes from today's chat are on the pad. Next steps:\n\n"
        "* Efa to set up bookable slots\n* Huw to sort the subdomain\n* everyone to share the page",
        "efa",
        ago(days=29),
    )

    roundtable, _ = forum.create_topic(
        "A round-table with North American tech co-ops?",
        "A peer network of tech co-ops across the Atlantic got in touch about building links. Would people "
        "be up for an online round-table on sub-contracting, learning from each other and joint projects?",
        general.id,
        [],
        "cerys",
        ago(days=20),
    )
    forum.reply(roundtable.id, "I'd be up for a round table.", "dafydd", ago(days=19))
    forum.reply(
        roundtable.id,
        "They're keen too: probably in about three weeks, early evening our time.",
        "cerys",
        ago(days=12),
    )

    # ------------------------------------------------------------------ governance
    decision, _ = forum.create_topic(
        "Decision: CoTech joins the worker co-op federation as its tech sector group",
        "Following the vote that closed last week, CoTech becomes the technology sector group of the "
        "federation.\n\n**Outcome:** agreed, 14 for, 1 abstention.\n\n"
        "Next step: draft a memorandum of understanding for both sides to sign.",
        governance.id,
        ["decision"],
        "ada",
        ago(days=9),
    )
    proposal, _ = forum.create_topic(
        "Proposal: refresh the CoTech website",
        "The site is out of date. Proposal: a small working group rebuilds it over the summer, paid from the "
        "network pot. Comments welcome before we take it to a vote.",
        governance.id,
        ["proposal"],
        "huw",
        ago(days=8),
    )
    forum.create_topic(
        "Stewards: spam clean-up notes",
        "Deleted a batch of spam accounts this week; nothing else to report.",
        stewards.id,
        [],
        "bryn",
        ago(days=7),
    )

    # ------------------------------------------------------------------ calendar-plugin events
    circle_day = _next_weekday(today + timedelta(days=4), 2)  # a Wednesday, 4-10 days ahead
    circle_start, circle_end = _london(circle_day, 14), _london(circle_day, 15)
    circle, circle_post = forum.create_topic(
        "General circle call",
        f'[event start="{circle_day.isoformat()} 14:00" end="{circle_day.isoformat()} 15:00" '
        'timezone="Europe/London" status="public" name="General circle call" '
        'reminders="notification.1.hours" url="https://meet.jit.si/CoTechGeneralCircle" location="Online"]\n'
        "Our monthly catch-up: updates from co-ops, work leads, and anything for the network.\n"
        "[/event]\n\nAgenda below — add your items as replies.",
        events.id,
        ["call"],
        "ada",
        ago(days=6),
    )
    for username, status in (("bryn", "going"), ("cerys", "going"), ("efa", "going"), ("huw", "interested")):
        forum.set_attendance(circle_post.id, username, status)

    # ------------------------------------------------------------------ a call announced in prose
    call_day = _next_weekday(today + timedelta(days=3), 1)  # a Tuesday, 3-9 days ahead
    call_at = _london(call_day, 15)
    call_url = "https://meet.jit.si/CoTechGatheringPlanning"
    prose_call, prose_post = forum.create_topic(
        "Planning call for this year's CoTech gathering",
        f"After a few of us got chatting at Co-op Congress, we're going to have a call at 3pm on "
        f"{call_day:%A} {ordinal(call_day.day)} {call_day:%B} to start organising a CoTech gathering, at "
        f"this link:\n\n{call_url}\n\nI'll share the access code on the day. Everyone welcome — "
        "@cerys @dafydd @efa hope to see some of you there!",
        events.id,
        ["gathering"],
        "ada",
        ago(days=5),
    )
    forum.reply(
        prose_call.id, "Count me in, I'll bring notes from last year's gathering.", "cerys", ago(days=4)
    )

    # ------------------------------------------------------------------ a free-text date poll with a typo
    first_monday = _next_weekday(today + timedelta(days=7), 0)
    slots = [first_monday + timedelta(days=d) for d in (0, 1, 2, 3, 7, 8, 9, 10)]
    options = [f"3-4pm {_long_date(day)}" for day in slots]
    typo_index = 5
    typo_day = slots[typo_index]
    typo = f"3-4pm {typo_day:%A} {ordinal(typo_day.day)} {typo_day:%B} {typo_day.year - 10}"
    options[typo_index] = typo
    poll_closes_at = _london(today + timedelta(days=4), 17)  # before the first option; members may vote
    poll_raw = (
        "To move the memorandum of understanding along, here are some times I could do for a video call. "
        "Would any of these work for you?\n\n"
        f"[poll type=multiple results=always public=true min=1 max=8 chartType=bar groups={members.name} "
        f"close={poll_closes_at.strftime('%Y-%m-%dT%H:%M:%S.000Z')}]\n"
        + "\n".join(f"* {o}" for o in options)
        + "\n[/poll]"
    )
    date_poll, date_poll_post = forum.create_topic(
        "Video call about the memorandum of understanding: when suits?",
        poll_raw,
        events.id,
        ["mou"],
        "bryn",
        ago(days=3),
    )
    forum.vote(date_poll_post.id, "poll", "ada", [options[0], options[2]])
    forum.vote(date_poll_post.id, "poll", "cerys", [options[0]])
    forum.vote(date_poll_post.id, "poll", "dafydd", [options[0], options[typo_index]])
    forum.reply(date_poll.id, "Monday works best for me, the others are a stretch.", "cerys", ago(days=2))

    # ------------------------------------------------------------------ a poll of [date=...] options
    saturdays = [_next_weekday(today + timedelta(days=28), 5) + timedelta(weeks=w) for w in range(3)]
    gathering_raw = (
        "Which Saturday suits you for the gathering at SPACE4? Results show when the poll closes.\n\n"
        f"[poll name=gathering type=regular results=on_close public=true "
        f"close={(now + timedelta(days=10)).strftime('%Y-%m-%dT%H:%M:%S.000Z')}]\n"
        "# Gathering date\n"
        + "\n".join(
            f'* Saturday [date={d.isoformat()} time=10:00:00 timezone="Europe/London"]' for d in saturdays
        )
        + "\n[/poll]"
    )
    gathering, gathering_post = forum.create_topic(
        "CoTech gathering: pick a Saturday",
        gathering_raw,
        events.id,
        ["gathering"],
        "cerys",
        ago(days=2),
    )
    gathering_ids = [o.id for o in forum.poll(gathering_post.id, "gathering").options]
    for username, choice in (("ada", 0), ("bryn", 1), ("dafydd", 0), ("efa", 2)):
        forum.vote(gathering_post.id, "gathering", username, [gathering_ids[choice]])

    # ------------------------------------------------------------------ membership requests, agenda, a PM
    forum.request_membership(
        members.name,
        "finn_coop",
        "Hello! I'm from Fictional Digital Co-op — we build websites for charities "
        "and would love to join CoTech.",
        ago(days=1, hours=20),
    )
    forum.reply(circle.id, "Agenda item: the website refresh, five minutes please.", "huw", ago(days=1))
    pm, _ = forum.send_pm(
        "Gathering venue costs",
        "Do you know what SPACE4 charges for the big room on a Saturday?",
        "cerys",
        ["ada"],
        ago(hours=20),
    )
    forum.request_membership(
        members.name,
        "gwen_newcoop",
        "We're a new worker co-op doing data engineering in Leeds.",
        ago(hours=6),
    )

    return ScenarioHandles(
        now=now,
        bot_username=forum.api_username,
        organiser_username="ada",
        general_category_id=general.id,
        events_category_id=events.id,
        governance_category_id=governance.id,
        stewards_category_id=stewards.id,
        welcome_topic_id=welcome.id,
        prose_call_topic_id=prose_call.id,
        prose_call_post_id=prose_post.id,
        prose_call_at=call_at,
        prose_call_url=call_url,
        date_poll_topic_id=date_poll.id,
        date_poll_post_id=date_poll_post.id,
        date_poll_name="poll",
        date_poll_options=tuple(options),
        date_poll_typo_option=typo,
        date_poll_closes_at=poll_closes_at,
        local_dates_poll_topic_id=gathering.id,
        local_dates_poll_post_id=gathering_post.id,
        local_dates_poll_name="gathering",
        calendar_event_topic_id=circle.id,
        calendar_event_post_id=circle_post.id,
        calendar_event_starts_at=circle_start,
        calendar_event_ends_at=circle_end,
        past_event_post_id=past_post.id,
        members_group=members.name,
        members_group_id=members.id,
        pending_requesters=("finn_coop", "gwen_newcoop"),
        decision_tag="decision",
        decision_topic_id=decision.id,
        proposal_topic_id=proposal.id,
        chatter_topic_ids=(outreach.id, layoffs.id, roundtable.id),
        whisper_post_id=whisper.id,
        private_message_topic_id=pm.id,
    )
