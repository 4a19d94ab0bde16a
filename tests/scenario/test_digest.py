"""The weekly digest end to end over HTTP against the sandbox forum: at the hour, once a week, after a missed
hour, across restarts, a crash between creating the topic and recording it, and two replicas; its links and
sections; no mention; and one request more than an idle cycle."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.ledger import CLAIMED, FAILED, SENT, Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock
from tests.scenario.crash_harness import run_child
from tests.store.conftest import postgres_schema_url

LONDON = ZoneInfo("Europe/London")
DIGEST_TITLE = re.compile(r"^CoTech weekly digest: week of \d{1,2} \w+ \d{4}$")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def digests(forum: FakeDiscourse, category_id: int) -> list:
    """Topics in the digest category whose first post the bot wrote."""
    return [
        post
        for post in forum.posts_by(BOT)
        if post.post_number == 1 and forum.topic(post.topic_id).category_id == category_id
    ]


def seed_week(forum: FakeDiscourse, at: datetime) -> dict[str, int]:
    """A call announced for Tuesday, a hostile title, a new topic with replies and a stalled proposal."""
    call, _ = forum.create_topic(
        "Members call in July",
        "We're having a call at 3pm on Tuesday 2nd July: https://meet.jit.si/cotech-july",
        username="organiser",
        created_at=at,
    )
    forum.reply(call.id, "I'll be there", username="polly", created_at=at + timedelta(hours=1))
    hostile, _ = forum.create_topic(
        "@everyone @admins look at [this](https://evil.example) now",
        "Just a plain topic with nothing dated in it.",
        username="mallory",
        created_at=at,
    )
    stalled, _ = forum.create_topic(
        "Proposal: a shared cooperative pension scheme",
        "What do people think about pooling pensions?",
        username="organiser",
        tags=["proposal"],
        created_at=at - timedelta(days=50),
    )
    return {"call": call.id, "hostile": hostile.id, "stalled": stalled.id}


def test_one_digest_per_week_at_the_hour_with_links_sections_and_no_mention(make_bot) -> None:
    """Nothing before Monday 09:00 BST; one topic at 09:00; no second one that week or after a restart; the
    next week's at its own hour."""
    start = london(2024, 6, 29, 10, 0)
    bot = make_bot(start)
    category = bot.forum.add_category("Digest")
    ids = seed_week(bot.forum, start)
    bot = restart(bot, category.id)
    for at in (london(2024, 7, 1, 0, 0), london(2024, 7, 1, 8, 0), london(2024, 7, 1, 8, 59)):
        bot.run_at(at)
    assert digests(bot.forum, category.id) == []
    bot.run_at(london(2024, 7, 1, 9, 0), cycles=2)
    [first] = digests(bot.forum, category.id)
    assert first.created_at == london(2024, 7, 1, 9, 0)
    topic = bot.forum.topic(first.topic_id)
    assert DIGEST_TITLE.match(topic.title) and topic.title.endswith("week of 1 July 2024")
    raw = first.raw
    base = bot.forum.url
    call_link = f"{base}/t/{bot.forum.topic(ids['call']).slug}/{ids['call']}"
    assert f"[Members call in July]({call_link}) — Tuesday 2 July 2024, 15:00 BST" in raw
    assert "https://meet.jit.si/cotech-july" in raw
    assert f"[Members call in July]({call_link}) — 1 reply" in raw.split("### New topics this week")[1]
    stalled_link = f"{base}/t/{bot.forum.topic(ids['stalled']).slug}/{ids['stalled']}"
    assert stalled_link in raw.split("### Stalled threads")[1]
    body = raw.rsplit("<!--", 1)[0]
    assert re.search(r"(?<![\w`/])@\w", body) is None
    assert "](https://evil.example)" not in body
    # Later that week, and after a restart, nothing more.
    for at in (london(2024, 7, 1, 9, 5), london(2024, 7, 3, 12, 0), london(2024, 7, 7, 23, 50)):
        bot.run_at(at)
    bot = restart(bot, category.id)
    bot.run_at(london(2024, 7, 5, 9, 0), cycles=2)
    assert len(digests(bot.forum, category.id)) == 1
    # The next week: nothing before its hour, then one.
    bot.run_at(london(2024, 7, 8, 8, 30))
    assert len(digests(bot.forum, category.id)) == 1
    bot.run_at(london(2024, 7, 8, 9, 0))
    assert [p.created_at for p in digests(bot.forum, category.id)] == [
        london(2024, 7, 1, 9, 0),
        london(2024, 7, 8, 9, 0),
    ]
    assert {r.key: r.status for r in bot.ledger.actions(kind="digest")} == {
        "digest:cotech:2024-W27": SENT,
        "digest:cotech:2024-W28": SENT,
    }
    bot.forum.assert_no_contract_violations()


def restart(bot, category_id: int | None, database_url: str | None = None, **digest):
    """A new worker process on the same forum (and ledger, unless another is named), the digest pointed at
    the category (``None``: no digest)."""
    if category_id is not None:
        digest["category_id"] = category_id
    settings = bot_settings(bot.forum.url, database_url or bot.settings.database_url, digest=digest)
    worker = build_worker(settings, bot.clock, forum=fast_forum(settings))
    return type(bot)(bot.forum, bot.clock, settings, worker)


def test_a_missed_hour_is_posted_when_back_that_week_and_last_week_never(make_bot) -> None:
    """Down from Sunday 30 June to Wednesday 3 July: the W27 digest posts on Wednesday. Down again from
    Sunday 7 July to Monday 8 July 08:00: no W27 again, and W28's waits for 09:00."""
    start = london(2024, 6, 24, 8, 0)
    bot = make_bot(start)
    category = bot.forum.add_category("Digest")
    bot = restart(bot, category.id)
    bot.run_at(start)
    bot.run_at(london(2024, 6, 30, 12, 0))  # last ran on Sunday, W26's digest long sent
    bot.run_at(london(2024, 7, 3, 14, 0))
    [_w26, late] = digests(bot.forum, category.id)
    assert late.created_at == london(2024, 7, 3, 14, 0)
    assert bot.forum.topic(late.topic_id).title.endswith("week of 1 July 2024")
    assert "Nothing to report" in late.raw or "What is coming" in late.raw
    bot.run_at(london(2024, 7, 8, 8, 0))
    assert len(digests(bot.forum, category.id)) == 2
    bot.run_at(london(2024, 7, 8, 9, 0))
    assert [bot.forum.topic(p.topic_id).title[-12:] for p in digests(bot.forum, category.id)] == [
        "24 June 2024",
        " 1 July 2024",
        " 8 July 2024",
    ]


def test_an_empty_week_is_skipped_with_skip_empty(make_bot) -> None:
    start = london(2024, 7, 1, 8, 0)
    bot = make_bot(start)
    category = bot.forum.add_category("Digest")
    bot = restart(bot, category.id, skip_empty=True)
    bot.run_at(london(2024, 7, 1, 9, 0), cycles=2)
    assert digests(bot.forum, category.id) == []


def test_a_group_digest_is_a_private_message_to_the_group(make_bot) -> None:
    start = london(2024, 7, 1, 8, 0)
    bot = make_bot(start)
    bot.forum.add_group("organisers")
    bot.forum.add_group_member("organisers", "polly")
    bot = restart(bot, None, group="organisers")
    bot.run_at(london(2024, 7, 1, 9, 0), cycles=2)
    [message] = [t for t in bot.forum.private_messages() if "digest" in t.title]
    assert message.title == "CoTech weekly digest: week of 1 July 2024"


def test_a_digest_cycle_costs_one_request_more_than_an_idle_cycle(make_bot, tmp_path) -> None:
    """Counted at the sandbox: two bots on identical forums cycle at the same moments, one with the digest
    on; at 09:00 the digest bot sends exactly the other's requests plus one POST — and, as its ledger has
    never recorded a post, one look for a digest topic an earlier run may have created (find_own_topic)."""
    start = london(2024, 7, 1, 7, 0)
    bots = []
    for name, digest_on in (("idle", False), ("digest", True)):
        bot = make_bot(start)
        category = bot.forum.add_category("Digest")
        seed_week(bot.forum, start)
        bots.append(restart(bot, category.id if digest_on else None, f"sqlite:///{tmp_path / name}.db"))
    counts: dict[str, list[tuple[str, str]]] = {}
    for minutes in range(0, 125, 5):  # 07:55 … 09:05, as the scheduler runs them
        at = start + timedelta(minutes=55 + minutes)
        for name, bot in zip(("idle", "digest"), bots, strict=True):
            bot.forum.clear_log()
            bot.run_at(at)
            counts[f"{name} {at:%H:%M}"] = [(r.method, r.path) for r in bot.forum.requests]
    idle, digest = counts["idle 09:00"], counts["digest 09:00"]
    print(f"at 09:00: idle cycle {len(idle)} requests, digest cycle {len(digest)}: {digest}")
    assert len(digests(bots[1].forum, 2)) == 1 and digests(bots[0].forum, 2) == []
    look = ("GET", f"/topics/created-by/{BOT}.json")
    assert sorted(digest) == sorted([*idle, look, ("POST", "/posts")])
    before = [at for at in counts if at.startswith("idle ") and at < "idle 09:00"]
    assert all(counts[at] == counts[at.replace("idle", "digest")] for at in before)


def test_a_crash_after_creating_the_topic_and_before_recording_it_never_posts_twice(make_bot) -> None:
    """The worker is SIGKILLed right after the forum answered the create; the restarted worker finds its own
    topic by the key marker (``find_own_topic``), records it as sent, and posts nothing more — or, with an
    adapter that can't look, fails the action rather than create the topic twice."""
    start = london(2024, 7, 1, 8, 0)
    bot = make_bot(start)
    category = bot.forum.add_category("Digest")
    bot = restart(bot, category.id)
    bot.run_at(start)

    def crash_after_create() -> None:
        worker = restart(bot, category.id).worker
        create = worker.forum.create_topic

        def create_then_die(*args, **kwargs):
            create(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)

        worker.forum.create_topic = create_then_die
        bot.clock.set(london(2024, 7, 1, 9, 0))
        worker.cycle()

    killed, _ = run_child(crash_after_create, kill_at=None)
    assert killed
    assert len(digests(bot.forum, category.id)) == 1
    assert [r.status for r in Ledger(bot.settings.database_url, bot.clock).actions(kind="digest")] == [
        CLAIMED
    ]
    bot = restart(bot, category.id)
    bot.run_at(london(2024, 7, 1, 9, 5), cycles=2)
    bot.run_at(london(2024, 7, 2, 9, 0))
    assert len(digests(bot.forum, category.id)) == 1
    [row] = bot.ledger.actions(kind="digest")
    if hasattr(bot.worker.forum, "find_own_topic"):
        assert row.status == SENT and row.attempts == 2
    else:  # the adapter can't look for the topic: the retry fails loudly instead of posting blind
        assert row.status == FAILED and "find_own_topic" in (row.last_error or "")


@pytest.fixture
def postgres_url():
    yield from postgres_schema_url()


def _replica(settings, times: list[datetime], barrier) -> int:
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            clock = FixedClock(times[0])
            worker = build_worker(settings, clock, forum=fast_forum(settings))
            for at in times:
                barrier.wait(timeout=60)
                clock.set(at)
                worker.cycle()
            worker.ledger.dispose()
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    return pid


@pytest.mark.postgres
def test_two_replicas_post_one_digest_a_week(postgres_url: str) -> None:
    """Two worker processes on one PostgreSQL ledger, racing at the same moments, post one digest a week."""
    start = london(2024, 7, 1, 8, 0)
    forum = FakeDiscourse(
        api_key=API_KEY,
        api_username=BOT,
        now=FixedClock(start),
        clock=never_memoised_clock(),
        validate=True,  # replies checked against ../shared's Discourse schemas when that folder is there
    )
    forum.start()
    try:
        category = forum.add_category("Digest")
        seed_week(forum, start)
        settings = bot_settings(
            forum.url, postgres_url, digest={"category_id": category.id}, log_level="error"
        )
        times = [start, london(2024, 7, 1, 9, 0), london(2024, 7, 1, 9, 0), london(2024, 7, 2, 9, 0)]
        times += [london(2024, 7, 8, 9, 0), london(2024, 7, 8, 9, 1)]
        barrier = multiprocessing.Barrier(2)
        pids = [_replica(settings, times, barrier) for _ in range(2)]
        statuses = [os.waitpid(pid, 0)[1] for pid in pids]
        assert all(os.WIFEXITED(s) and os.WEXITSTATUS(s) == 0 for s in statuses)
        titles = sorted(forum.topic(p.topic_id).title for p in digests(forum, category.id))
        forum.assert_no_contract_violations()
    finally:
        forum.stop()
    assert titles == [
        "CoTech weekly digest: week of 1 July 2024",
        "CoTech weekly digest: week of 8 July 2024",
    ]


def test_the_digest_command_prints_the_week_from_the_mirror_posting_nothing(
    make_bot, tmp_path, monkeypatch, capsys
) -> None:
    """`cotechbot digest --week 2024-W27` prints the title and markdown and sends no request at all; a
    template in config/templates/ replaces the bundled one."""
    from cotechbot.cli import main

    start = london(2024, 6, 29, 10, 0)
    bot = make_bot(start)
    ids = seed_week(bot.forum, start)
    bot.run_at(start)  # the mirror; no digest configured for the worker
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": bot.settings.database_url,
        "DISCOURSE_URL": bot.forum.url,
        "DISCOURSE_API_KEY": API_KEY,
        "DISCOURSE_API_USERNAME": BOT,
        "DIGEST_CATEGORY_ID": "2",
        "LOG_LEVEL": "error",
    }.items():
        monkeypatch.setenv(f"COTECHBOT_{name}", value)
    bot.forum.clear_log()
    capsys.readouterr()  # the worker's log lines
    assert main(["digest", "--week", "2024-W27"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CoTech weekly digest: week of 1 July 2024\n")
    assert f"/t/{bot.forum.topic(ids['call']).slug}/{ids['call']})" in out
    assert "<!-- cotechbot:digest:cotech:2024-W27 -->" in out
    assert bot.forum.requests == [] and bot.bot_posts() == []
    overrides = tmp_path / "config" / "templates"
    overrides.mkdir(parents=True)
    (overrides / "digest.md").write_text(
        "Our own digest for {{ week_of }}: {{ digest.events | length }} events."
    )
    assert main(["digest", "--week", "2024-W27", "--now", "2024-07-01T09:00:00+01:00"]) == 0
    assert "Our own digest for 1 July 2024: 1 events." in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["digest", "--week", "2024-27"])
    assert usage.value.code == 2
    assert "not an ISO week like 2024-W27" in capsys.readouterr().err
