"""The decision log end to end over HTTP, against the sandbox forum and the fake Loomio: forum decisions and
Loomio outcomes filed with revisions, the exports, the log post kept up to date, proposals cross-posted with a
reminder that moves and drops, and Loomio outages that leave the forum side running."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import structlog

from cotechbot.decision_log import DecisionLogStore
from cotechbot.decisions_cli import decisions_text
from cotechbot.sandbox.loomio import FakeLoomio
from tests.mentions import assert_no_mention as assert_no_mentions
from tests.scenario.conftest import BOT

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, GMT
LOOMIO_KEY = "loomio-scenario-key"
MARKER = re.compile(r"<!-- cotechbot:(.+?) -->")


@pytest.fixture
def loomio():
    clock = {"now": START}
    fake = FakeLoomio(api_key=LOOMIO_KEY, now=lambda: clock["now"]).start()
    fake.clock = clock
    yield fake
    fake.stop()


def decision_bot(make_bot, loomio: FakeLoomio | None = None, **overrides):
    """A bot with the decision log in topic 1 and Loomio proposals announced in topic 2 (the fake forum numbers
    topics from 1); Loomio group 7 is watched when ``loomio`` is given."""
    settings = {"decision_log_topic_id": 1, **overrides}
    if loomio is not None:
        settings["loomio"] = {"url": loomio.url, "api_key": LOOMIO_KEY, "group_ids": [7], "topic_id": 2}
    bot = make_bot(START, **settings)
    log_topic, _ = bot.forum.create_topic(
        "Decision log of the network", "The bot keeps the decision log in this topic.", username="organiser"
    )
    proposals, _ = bot.forum.create_topic(
        "Loomio proposals for everyone", "Proposals from Loomio are announced here.", username="organiser"
    )
    assert (log_topic.id, proposals.id) == (1, 2)
    bot.log_topic_id, bot.proposals_topic_id = log_topic.id, proposals.id
    return bot


def run(bot, loomio: FakeLoomio | None, when: datetime, cycles: int = 1) -> None:
    if loomio is not None:
        loomio.clock["now"] = when
    bot.run_at(when, cycles)


def entries(bot) -> dict:
    return DecisionLogStore(bot.ledger, bot.settings.forum_name).entries()


def exported(bot, **kwargs) -> list[dict]:
    return json.loads(decisions_text(bot.ledger, bot.settings, "json", **kwargs))


def bot_posts_in(bot, topic_id: int) -> list:
    return [p for p in bot.forum.posts_by(BOT) if p.topic_id == topic_id and not p.deleted]


# -- forum decisions -----------------------------------------------------------------------------------
def test_a_tagged_topic_is_filed_with_its_decision_line_and_untagging_withdraws_it(make_bot):
    """Decision: line → the decision; decided_at = creation on the first sync; untag → withdrawn, revision 2."""
    bot = decision_bot(make_bot)
    topic, _ = bot.forum.create_topic(
        "Hosting for the network website",
        "We talked this through at the call.\n\n**Decision:** we move hosting to Webarch from April.\n\nThanks all.",
        tags=["decision"],
        username="organiser",
        created_at=START - timedelta(days=3),
    )
    plain, _ = bot.forum.create_topic(
        "Not a decision at all here", "Just chatting about the weather today.", username="organiser"
    )
    run(bot, None, START)
    rows = exported(bot)
    assert [r["title"] for r in rows] == ["Hosting for the network website"]
    row = rows[0]
    assert row["decision"] == "we move hosting to Webarch from April."
    assert row["source"] == "discourse" and row["tags"] == ["decision"]
    assert row["decided_at"] == (START - timedelta(days=3)).isoformat().replace("+00:00", "Z")
    assert row["url"].endswith(f"/{topic.id}") and row["id"] == f"discourse:topic/{topic.id}"
    assert plain.id not in {int(r["url"].rsplit("/", 1)[1]) for r in rows}

    bot.forum.topic(topic.id).tags = []  # someone removes the tag (Discourse does not bump the topic)
    run(bot, None, START + timedelta(hours=1))
    entry = entries(bot)[f"discourse:topic/{topic.id}"]
    assert entry.status == "withdrawn" and entry.revision == 2
    assert entry.decided_at == START - timedelta(days=3)
    revisions = DecisionLogStore(bot.ledger, "cotech").revisions(entry.decision_id)
    assert [r["status"] for r in revisions] == ["decided", "withdrawn"]


def test_a_tag_added_after_the_first_sync_is_dated_when_first_seen_and_falls_back_to_the_first_paragraph(
    make_bot,
):
    """No labelled line: the first paragraph is the decision; decided_at is the cycle that saw the tag."""
    bot = decision_bot(make_bot)
    run(bot, None, START)
    bot.forum.create_topic(
        "Adopting the new membership fee",
        "Members agreed the fee goes up to 50 pounds a year.\n\nDetails below.",
        tags=["Decision"],
        username="organiser",
        created_at=START - timedelta(days=10),
    )
    later = START + timedelta(hours=2)
    run(bot, None, later)
    (row,) = exported(bot)
    assert row["decision"] == "Members agreed the fee goes up to 50 pounds a year."
    assert row["decided_at"] == later.isoformat().replace("+00:00", "Z")


def test_two_exports_with_nothing_new_are_identical_and_filters_apply(make_bot):
    """JSON, CSV and markdown exports repeat byte for byte; --since and --source narrow them."""
    bot = decision_bot(make_bot)
    bot.forum.create_topic(
        "Old decision about the wiki",
        "Agreed: the wiki moves to the new server.",
        tags=["decision"],
        username="organiser",
        created_at=START - timedelta(days=40),
    )
    bot.forum.create_topic(
        "New decision about @everyone",
        "Resolved: @admins will rotate the keys <b>monthly</b>.",
        tags=["decision"],
        username="organiser",
        created_at=START - timedelta(days=1),
    )
    run(bot, None, START)
    for fmt in ("json", "csv", "md"):
        first = decisions_text(bot.ledger, bot.settings, fmt)
        run(bot, None, START + timedelta(minutes=30))
        assert decisions_text(bot.ledger, bot.settings, fmt) == first
    assert [r["title"] for r in exported(bot, since=START - timedelta(days=7))] == [
        "New decision about @everyone"
    ]
    assert exported(bot, source="loomio") == []
    assert_no_mentions(decisions_text(bot.ledger, bot.settings, "md"))


def test_a_topic_without_a_decision_line_files_its_accepted_answer(make_bot):
    """The solved plugin's accepted reply, served as ``accepted_answer`` over HTTP, is the decision text."""
    bot = decision_bot(make_bot)
    topic, _ = bot.forum.create_topic(
        "Which bank holds the network account",
        "We need to pick a bank for the shared account.\n\nThe options are in the replies.",
        tags=["decision"],
        username="organiser",
        created_at=START - timedelta(days=2),
    )
    bot.forum.reply(topic.id, "Maybe the big high-street bank, it is the easiest.", username="member1")
    chosen = bot.forum.reply(
        topic.id,
        "We go with the Co-operative Bank; the account opens next week.\n\nI will fill in the forms.",
        username="member2",
    )
    bot.forum.accept_answer(chosen.id)
    run(bot, None, START)
    (row,) = exported(bot)
    assert row["decision"] == "We go with the Co-operative Bank; the account opens next week."
    assert row["id"] == f"discourse:topic/{topic.id}"
    (page,) = bot_posts_in(bot, bot.log_topic_id)
    assert "We go with the Co-operative Bank" in page.raw


# -- the log post ----------------------------------------------------------------------------------------
def test_the_log_post_is_created_once_and_edited_only_when_the_log_changes(make_bot):
    """One bot post in the log topic; a quiet cycle edits nothing; a new decision edits it once, newest first."""
    bot = decision_bot(make_bot)
    bot.forum.create_topic(
        "First decision of the year",
        "Decision: the first one.",
        tags=["decision"],
        username="organiser",
        created_at=START - timedelta(days=2),
    )
    run(bot, None, START)
    (page,) = bot_posts_in(bot, bot.log_topic_id)
    assert "First decision of the year" in page.raw
    run(bot, None, START + timedelta(minutes=10), cycles=2)
    assert bot.forum.post(page.id).version == 1  # nothing changed, nothing edited
    assert bot.forum.post(page.id).wiki  # members may edit it too
    bot.forum.create_topic(
        "Second decision of the year",
        "Decision: the second one.",
        tags=["decision"],
        username="organiser",
    )
    run(bot, None, START + timedelta(minutes=20), cycles=2)
    edited = bot.forum.post(page.id)
    assert edited.version == 2
    assert edited.raw.index("Second decision") < edited.raw.index("First decision")
    assert bot_posts_in(bot, bot.log_topic_id) == [edited]
    assert MARKER.findall(edited.raw) == [f"decision_log:cotech:topic/{bot.log_topic_id}:page/1"]


def test_a_long_log_spans_several_bot_posts_under_the_limit_newest_first_and_a_quiet_cycle_edits_nothing(
    make_bot,
):
    """Decisions too many for one 32,000-character post fill page 1 then page 2 (newest first across both);
    the sandbox refuses longer bodies as Discourse does; with nothing new, a cycle sends no PUT at all."""
    bot = decision_bot(make_bot)
    count = 36  # ~1,050 characters per entry: more than one post holds
    for n in range(count):
        bot.forum.create_topic(
            f"Decision number {n:02d} of the network",
            f"Decision: item {n:02d} " + "agreed " * 130,
            tags=["decision"],
            username="organiser",
            created_at=START - timedelta(days=count - n),
        )
    run(bot, None, START, cycles=2)

    def log_pages() -> list:
        return sorted(bot_posts_in(bot, bot.log_topic_id), key=lambda p: p.post_number)

    def listed(pages: list) -> list[int]:
        return [
            int(n) for page in pages for n in re.findall(r"Decision number (\d\d) of the network", page.raw)
        ]

    pages = log_pages()
    assert len(pages) >= 2
    assert all(len(page.raw) < 32_000 for page in pages)
    assert listed(pages) == list(range(count - 1, -1, -1))
    assert [MARKER.findall(page.raw) for page in pages] == [
        [f"decision_log:cotech:topic/{bot.log_topic_id}:page/{number}"] for number in range(1, len(pages) + 1)
    ]
    versions = [page.version for page in pages]

    bot.forum.clear_log()
    run(bot, None, START + timedelta(minutes=10), cycles=2)
    assert [r for r in bot.forum.requests if r.method == "PUT"] == []
    assert [page.version for page in log_pages()] == versions

    bot.forum.create_topic(
        "Decision number 99 of the network",
        "Decision: the newest one goes on top of page one.",
        tags=["decision"],
        username="organiser",
    )
    run(bot, None, START + timedelta(minutes=20), cycles=2)
    pages = log_pages()
    assert listed(pages) == [99, *range(count - 1, -1, -1)]
    assert all(len(page.raw) < 32_000 for page in pages)


def test_the_log_post_never_edits_someone_elses_post(make_bot):
    """If the recorded post id points at a member's post, the edit fails and the member's text stays."""
    from cotechbot.actions import Action, EditPost

    bot = decision_bot(make_bot)
    theirs = bot.forum.reply(bot.log_topic_id, "A member's own words, not the bot's.", username="organiser")
    bot.ledger.add_action(
        Action(
            key="decision_log_edit:cotech:forged",
            kind="decision_log_edit",
            forum="cotech",
            source="decision_log/forged",
            target=f"topic/{bot.log_topic_id}",
            due_at=START - timedelta(minutes=1),
            operation=EditPost(post_id=theirs.id, raw="overwritten"),
        )
    )
    run(bot, None, START)
    assert bot.forum.post(theirs.id).raw == "A member's own words, not the bot's."
    assert bot.ledger.action("decision_log_edit:cotech:forged").status == "failed"


# -- Loomio ------------------------------------------------------------------------------------------------
def test_loomio_outcomes_are_filed_awaiting_then_completed_and_revised(make_bot, loomio):
    """Closed without outcome → awaiting; outcome → decided (rev 2); edited outcome → rev 3; drafts never."""
    loomio.add_group("CoTech", group_id=7)
    poll = loomio.add_poll(
        7,
        "Join the new federation",
        closing_at=START + timedelta(hours=5),
        created_at=START - timedelta(days=3),
    )
    loomio.add_poll(7, "A draft nobody should see", closing_at=None)
    loomio.vote(poll.id, "Agree", 5)
    bot = decision_bot(make_bot, loomio)
    run(bot, loomio, START)
    assert exported(bot, source="loomio") == []  # open: not a decision yet
    run(bot, loomio, START + timedelta(hours=6))  # closed by the hourly job at 14:00
    (row,) = exported(bot, source="loomio")
    assert row["status"] == "awaiting_outcome" and row["decision"].startswith("closed, awaiting outcome")
    assert row["url"] == f"{loomio.url}/p/{poll.key}"
    assert row["decided_at"] == "2026-03-02T14:00:00Z"
    loomio.set_outcome(poll.id, "We join the federation as a founding member.")
    run(bot, loomio, START + timedelta(hours=7))
    (row,) = exported(bot, source="loomio")
    assert row["status"] == "decided" and row["revision"] == 2
    assert row["decision"].startswith("We join the federation as a founding member.")
    assert "Agree 5" in row["decision"]
    loomio.set_outcome(poll.id, "We join the federation as an associate member.")
    run(bot, loomio, START + timedelta(hours=8))
    (row,) = exported(bot, source="loomio")
    assert row["revision"] == 3 and "associate" in row["decision"]
    history = DecisionLogStore(bot.ledger, "cotech").revisions(row["id"])
    assert ["founding" in r["decision"] for r in history] == [False, True, False]
    assert all("draft" not in r["title"].lower() for r in exported(bot))


def test_a_proposal_is_cross_posted_once_reminded_when_its_closing_moves_and_its_outcome_posted(
    make_bot, loomio
):
    """One announcement; the reminder follows a moved closing_at (24 h before the new time); the outcome once."""
    loomio.add_group("CoTech", group_id=7)
    poll = loomio.add_poll(
        7, "Fund the @admins <script>gathering</script>", closing_at=START + timedelta(days=3)
    )
    bot = decision_bot(make_bot, loomio)
    run(bot, loomio, START, cycles=2)
    (announced,) = bot_posts_in(bot, bot.proposals_topic_id)
    assert "/p/" + poll.key in announced.raw and "Thursday 5 March 2026, 09:00 GMT" in announced.raw
    assert_no_mentions(announced.raw)
    loomio.set_closing_at(poll.id, START + timedelta(days=4))  # extended by a day
    run(bot, loomio, START + timedelta(days=2, hours=1))  # the old reminder's moment: nothing
    assert len(bot_posts_in(bot, bot.proposals_topic_id)) == 1
    run(bot, loomio, START + timedelta(days=3, minutes=5))  # 24 h before the new closing time
    posts = bot_posts_in(bot, bot.proposals_topic_id)
    assert len(posts) == 2 and "closes on Loomio in about 24 hours" in posts[1].raw
    run(bot, loomio, START + timedelta(days=3, minutes=30))
    assert len(bot_posts_in(bot, bot.proposals_topic_id)) == 2
    loomio.set_outcome(poll.id, "Funded: 500 pounds, @everyone welcome.")
    run(bot, loomio, START + timedelta(days=4, hours=2), cycles=2)
    posts = bot_posts_in(bot, bot.proposals_topic_id)
    assert len(posts) == 3 and "Funded: 500 pounds" in posts[2].raw
    assert_no_mentions(posts[2].raw)


def test_a_proposal_closed_early_gets_no_reminder(make_bot, loomio):
    """Closed by a person before the reminder: the pending reminder is dropped, never posted."""
    loomio.add_group("CoTech", group_id=7)
    poll = loomio.add_poll(7, "Change the logo colour", closing_at=START + timedelta(days=3))
    bot = decision_bot(make_bot, loomio)
    run(bot, loomio, START, cycles=2)
    assert [r.status for r in bot.ledger.actions() if r.kind == "loomio_reminder"] == ["pending"]
    loomio.close_poll(poll.id, START + timedelta(days=1))
    run(bot, loomio, START + timedelta(days=1, hours=1))
    run(bot, loomio, START + timedelta(days=2, hours=1))
    (only,) = bot_posts_in(bot, bot.proposals_topic_id)
    assert "Change the logo colour" in only.raw
    reminders = [r for r in bot.ledger.actions() if r.kind == "loomio_reminder"]
    assert reminders and all(r.status == "cancelled" for r in reminders)


def test_loomio_down_or_refusing_logs_once_per_outage_and_the_forum_side_carries_on(make_bot, loomio):
    """503 and then a rotated key: one error line per outage, one recovery line; forum decisions still filed."""
    loomio.add_group("CoTech", group_id=7)
    poll = loomio.add_poll(7, "Adopt the charter", closing_at=START + timedelta(days=2))
    bot = decision_bot(make_bot, loomio)
    run(bot, loomio, START)
    assert len(bot_posts_in(bot, bot.proposals_topic_id)) == 1
    loomio.down = True
    bot.forum.create_topic(
        "Decided while Loomio was down",
        "Decision: carry on regardless.",
        tags=["decision"],
        username="organiser",
    )
    with structlog.testing.capture_logs() as logs:
        for minutes in (10, 20, 30):
            run(bot, loomio, START + timedelta(minutes=minutes))
        loomio.down = False
        run(bot, loomio, START + timedelta(minutes=40))
        loomio.api_key = "rotated"
        for minutes in (50, 60):
            run(bot, loomio, START + timedelta(minutes=minutes))
    outages = [e for e in logs if e["event"].startswith("loomio unreachable")]
    assert len(outages) == 2
    assert "COTECHBOT_LOOMIO_API_KEY" in outages[1]["error"]
    assert LOOMIO_KEY not in json.dumps([{k: str(v) for k, v in e.items()} for e in logs])
    assert len([e for e in logs if e["event"] == "loomio reachable again"]) == 1
    assert [r["title"] for r in exported(bot, source="discourse")] == ["Decided while Loomio was down"]
    # The reminder planned from the stored snapshot survives the outage.
    assert any(r.kind == "loomio_reminder" and r.status == "pending" for r in bot.ledger.actions())
    assert poll.id


# -- exactly once under SIGKILL ------------------------------------------------------------------------------
def test_killed_workers_cross_post_remind_and_edit_the_log_exactly_once(tmp_path):
    """SIGKILL at random points across announcement, reminder, outcome and log-post edit: each once."""
    from cotechbot.app import build_worker
    from cotechbot.clock import FixedClock
    from cotechbot.ledger import SENT, Ledger
    from cotechbot.sandbox.discourse import FakeDiscourse
    from tests.scenario.conftest import API_KEY, bot_settings, fast_forum, never_memoised_clock
    from tests.scenario.crash_harness import crash_campaign

    forum_clock = FixedClock(START)
    forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=forum_clock, clock=never_memoised_clock())
    forum.start()
    loomio_clock = {"now": START}
    loomio = FakeLoomio(api_key=LOOMIO_KEY, now=lambda: loomio_clock["now"]).start()
    try:
        forum.create_topic(
            "Decision log of the network", "The bot keeps the decision log here.", username="organiser"
        )
        forum.create_topic(
            "Loomio proposals for everyone", "Proposals from Loomio are announced here.", username="organiser"
        )
        forum.create_topic(
            "Hosting for the network website",
            "Decision: we move hosting in April.",
            tags=["decision"],
            username="organiser",
            created_at=START - timedelta(days=2),
        )
        loomio.add_group("CoTech", group_id=7)
        slow = loomio.add_poll(7, "Adopt the charter", closing_at=START + timedelta(days=3))
        quick = loomio.add_poll(7, "Move the call to Thursdays", closing_at=START + timedelta(days=1))
        loomio.set_outcome(quick.id, "Calls move to Thursdays.")
        settings = bot_settings(
            forum.url,
            f"sqlite:///{tmp_path / 'crash.db'}",
            log_level="error",
            decision_log_topic_id=1,
            loomio={"url": loomio.url, "api_key": LOOMIO_KEY, "group_ids": [7], "topic_id": 2},
        )

        def make_worker(at):
            return build_worker(settings, FixedClock(at), forum=fast_forum(settings))

        # Migrate first: SQLite autocommits DDL, so a kill inside the very first migration leaves tables
        # without a version row (a ledger matter, not what this test is about).
        Ledger(settings.database_url, FixedClock(START)).dispose()

        def set_time(at):
            forum_clock.set(at)
            loomio_clock["now"] = at

        times = [START, START + timedelta(days=1, hours=1), START + timedelta(days=2, minutes=1)]
        report = crash_campaign(
            forum, make_worker, settings, times, set_time, seed=20260302, kills_per_moment=6
        )
        (page,) = [p for p in forum.posts_by(BOT) if p.topic_id == 1]
    finally:
        forum.stop()
        loomio.stop()
    assert report.kills >= 12, f"only {report.kills} kills in {report.runs} runs"
    assert report.duplicates == {}
    assert set(report.posted) == {
        "decision_log:cotech:topic/1:page/1",
        f"loomio_announce:cotech:poll/{slow.id}",
        f"loomio_announce:cotech:poll/{quick.id}",
        f"loomio_reminder:cotech:poll/{slow.id}:{(START + timedelta(days=3)).isoformat()}",
        f"loomio_outcome:cotech:poll/{quick.id}",
    }
    assert "Move the call to Thursdays" in page.raw and "Hosting for the network website" in page.raw
    assert page.version == 2  # created with the forum decision, edited once when the Loomio outcome was filed
    ledger = Ledger(settings.database_url, FixedClock(times[-1]))
    edits = [r for r in ledger.actions() if r.kind == "decision_log_edit"]
    assert edits and all(r.status == SENT for r in edits)  # made a wiki, then the one real change
    assert page.wiki


# -- the command, the HTTP face and the demo ---------------------------------------------------------------
def test_the_decisions_command_and_the_http_face_serve_the_same_export(make_bot, loomio, monkeypatch, capsys):
    """`cotechbot decisions --format json --source loomio --since …` and GET /decisions.json agree byte for
    byte; /decisions.md is the markdown export; a repeated request gets 304."""
    import requests

    from cotechbot.cli import main
    from cotechbot.web.face import build_face
    from cotechbot.web.metrics import Metrics
    from cotechbot.web.server import BackgroundServer

    loomio.add_group("CoTech", group_id=7)
    done = loomio.add_poll(
        7, "Adopt the charter", closing_at=START - timedelta(days=1), created_at=START - timedelta(days=4)
    )
    loomio.set_outcome(done.id, "Adopted.")
    bot = decision_bot(make_bot, loomio)
    bot.forum.create_topic("Hosting moves", "Decision: we move.", tags=["decision"], username="organiser")
    run(bot, loomio, START)
    for name, value in {
        "COTECHBOT_DATABASE_URL": bot.settings.database_url,
        "COTECHBOT_DISCOURSE_URL": str(bot.settings.discourse_url),
        "COTECHBOT_FORUM_NAME": "cotech",
        "COTECHBOT_LOG_LEVEL": "error",
    }.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()  # what the bot logged while running
    assert main(["decisions", "--format", "json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert {r["source"] for r in everything} == {"discourse", "loomio"}
    assert main(["decisions", "--format", "json", "--source", "loomio", "--since", "2026-02-01"]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert only["title"] == "Adopt the charter" and only["decided_at"].endswith("Z")
    assert main(["decisions", "--format", "csv"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[0]
        == "id,source,url,title,decision,decided_at,tags,status,revision"
    )

    app = build_face(
        settings=bot.settings,
        ledger=bot.ledger,
        clock=bot.clock,
        metrics=Metrics(bot.ledger, "cotech"),
        request_cycle=lambda: None,
        leading=lambda: True,
    )
    server = BackgroundServer(app, "127.0.0.1", 0).start()
    try:
        served = requests.get(f"{server.url}/decisions.json", timeout=5)
        assert served.status_code == 200 and served.headers["Content-Type"].startswith("application/json")
        assert served.text == decisions_text(bot.ledger, bot.settings, "json")
        again = requests.get(
            f"{server.url}/decisions.json", headers={"If-None-Match": served.headers["ETag"]}, timeout=5
        )
        assert again.status_code == 304
        markdown = requests.get(f"{server.url}/decisions.md", timeout=5)
        assert markdown.text.startswith("# Decision log") and "Adopt the charter" in markdown.text
    finally:
        server.stop()


def test_the_demo_files_a_loomio_outcome_and_cross_posts_a_proposal():
    """`make demo` prints the log with the closed Loomio proposal's outcome and shows the new one announced."""
    import io

    from cotechbot.demo import run_demo

    out = io.StringIO()
    assert run_demo(now=datetime(2026, 11, 21, 10, 0, tzinfo=UTC), out=out) == 0
    text = out.getvalue()
    log = text.split("== The decision log")[1].split("== What it plans to post")[0]
    assert "Move the monthly call to Thursdays" in log and "Agreed: the monthly call moves" in log
    assert "Results: Agree 6, Abstain 1 (7 of 7 voted)" in log
    assert (
        "a reply in “Proposals on Loomio”" in text
        and "New on Loomio: [Adopt the CoTech code of conduct v2]" in text
    )


def test_a_loomio_thread_idle_past_stall_days_is_listed_among_the_digests_stalled_threads(make_bot, loomio):
    """An open proposal whose Loomio thread last moved 40 days ago appears under Stalled threads; a lively one
    does not; its title is mention-safe."""
    loomio.add_group("CoTech", group_id=7)
    idle = loomio.add_discussion(7, "Pensions thread", last_activity_at=START - timedelta(days=40))
    lively = loomio.add_discussion(7, "Logo thread", last_activity_at=START - timedelta(days=2))
    loomio.add_poll(7, "Pool our @pensions", closing_at=START + timedelta(days=30), discussion_id=idle)
    loomio.add_poll(7, "Pick a logo", closing_at=START + timedelta(days=30), discussion_id=lively)
    bot = decision_bot(make_bot, loomio, digest={"category_id": 2}, stall_days=30)
    digest_category = bot.forum.add_category("Digest", description="The weekly digest")
    assert digest_category.id == 2
    run(bot, loomio, START + timedelta(minutes=5))
    (digest,) = [
        p
        for p in bot.forum.posts_by(BOT)
        if p.post_number == 1 and bot.forum.topic(p.topic_id).category_id == 2
    ]
    stalled = digest.raw.split("### Stalled threads")[1]
    assert "Pool our" in stalled and "no activity in 40 days" in stalled and "Pick a logo" not in stalled
    assert_no_mentions(digest.raw)


def test_proposals_go_to_new_topics_in_a_category_and_a_discarded_one_is_dropped(make_bot, loomio):
    """category_id mode: one new topic per proposal, its reminder a reply in that topic; a discarded
    proposal's reminder is cancelled and its closed entry withdrawn."""
    loomio.add_group("CoTech", group_id=7)
    kept = loomio.add_poll(7, "Buy a shared server for members", closing_at=START + timedelta(days=3))
    dropped = loomio.add_poll(7, "Rename the network entirely", closing_at=START + timedelta(days=3))
    bot = make_bot(
        START,
        loomio={"url": loomio.url, "api_key": LOOMIO_KEY, "group_ids": [7], "category_id": 2},
    )
    category = bot.forum.add_category("Loomio", description="Proposals from Loomio")
    assert category.id == 2
    run(bot, loomio, START, cycles=2)
    created = {
        bot.forum.topic(p.topic_id).title: p.topic_id for p in bot.forum.posts_by(BOT) if p.post_number == 1
    }
    assert set(created) == {"Loomio: Buy a shared server for members", "Loomio: Rename the network entirely"}
    loomio.discard_poll(dropped.id)
    run(bot, loomio, START + timedelta(days=2, minutes=5))
    replies = [p for p in bot.forum.posts_by(BOT) if p.post_number > 1]
    assert [bot.forum.topic(p.topic_id).title for p in replies] == ["Loomio: Buy a shared server for members"]
    assert "closes on Loomio in about 24 hours" in replies[0].raw
    statuses = {r.key.split(":")[2]: r.status for r in bot.ledger.actions() if r.kind == "loomio_reminder"}
    assert statuses == {f"poll/{kept.id}": "sent", f"poll/{dropped.id}": "cancelled"}


def test_check_reports_a_rotated_loomio_key_as_one_actionable_line(make_bot, loomio, capsys):
    """`cotechbot check` says loomio: ok with the right key, and names COTECHBOT_LOOMIO_API_KEY when refused."""
    from cotechbot.decision_sync import check_loomio

    loomio.add_group("CoTech", group_id=7)
    bot = decision_bot(make_bot, loomio)
    assert check_loomio(bot.settings) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("loomio: ok")
    loomio.api_key = "rotated"
    assert check_loomio(bot.settings) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("loomio: FAILED") and "COTECHBOT_LOOMIO_API_KEY" in line and LOOMIO_KEY not in line


def test_deleting_a_decision_topic_withdraws_its_entry(make_bot):
    """The topic's first post is deleted (Discourse deletes the topic): the entry stays, marked withdrawn."""
    bot = decision_bot(make_bot)
    topic, first = bot.forum.create_topic(
        "A decision someone regrets", "Decision: paint it red.", tags=["decision"], username="organiser"
    )
    run(bot, None, START)
    bot.forum.delete_post(first.id)
    run(bot, None, START + timedelta(hours=1))
    entry = entries(bot)[f"discourse:topic/{topic.id}"]
    assert entry.status == "withdrawn" and entry.decision == "paint it red."


def test_the_digest_preview_lists_the_weeks_decisions_from_the_log(make_bot, loomio):
    """`cotechbot digest` (posting and reading nothing) shows a Loomio outcome filed this week."""
    from cotechbot.digest_preview import preview_digest

    loomio.add_group("CoTech", group_id=7)
    poll = loomio.add_poll(
        7, "Adopt the charter", closing_at=START - timedelta(days=1), created_at=START - timedelta(days=5)
    )
    loomio.set_outcome(poll.id, "Adopted unanimously.")
    bot = decision_bot(make_bot, loomio)
    run(bot, loomio, START)
    text = preview_digest(bot.settings, bot.ledger, now=START + timedelta(hours=1))
    decided = text.split("### Decisions")[1]
    assert "Decided: [Adopt the charter]" in decided and "Adopted unanimously." in decided
