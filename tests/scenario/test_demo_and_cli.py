"""The demo and the real command line against the sandbox forum."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import UTC, datetime

from cotechbot.demo import run_demo
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.scenario import cotech_scenario

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SECRET = "sk-live-4b1d-must-never-be-logged"


def test_demo_reads_the_sandbox_plans_and_shows_sent_reminders() -> None:
    """The demo shows what it read, the upcoming events, the plan, and the reminder texts it sends."""
    out = io.StringIO()
    assert run_demo(now=NOW, out=out) == 0
    text = out.getvalue()
    assert "What the bot read" in text and "Upcoming events (" in text and "What it plans to post" in text
    assert "event reminder" in text and "starts in 10 minutes" in text
    assert "a reply in “Planning call for this year's CoTech gathering”" in text  # topics named by title
    # Written for people: no operation names, no markers, no topic/N targets.
    assert "create_reply" not in text and "event_reminder" not in text
    assert "<!--" not in text and "topic/" not in text
    # A member's call announced for 10 minutes' time is answered through the webhook, not the next poll.
    pushed = text.split("== A post answered within a second (webhooks)")[1].split("\n== ")[0]
    assert "signed webhook" in pushed and "answers" in pushed
    assert "a reply in “Quick call about the newsletter” ──" in pushed and "starts in 10 minutes" in pushed


def test_demo_prints_what_is_still_planned_when_it_ends() -> None:
    """The demo's state is thrown away, so the plan left after its last step is printed, not pointed at."""
    out = io.StringIO()
    assert run_demo(now=NOW, out=out, max_moments=2) == 0
    text = out.getvalue()
    assert "cotechbot plan" not in text
    rest = text.split("== Still to come after that")[1]
    assert rest.count("poll closing") == 2 and "This poll closes in about 24 hours" in rest


def test_the_plan_table_columns_line_up() -> None:
    """Every row of the plan table starts its columns where the header's do."""
    out = io.StringIO()
    assert run_demo(now=NOW, out=out) == 0
    table = out.getvalue().split("== What it plans to post")[1].split("\n\n")[0].splitlines()[1:]
    header, rows = table[0], table[1:]
    assert rows
    for column in ("what", "where", "text"):
        start = header.index(column)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows), (column, rows)


def test_a_result_never_gives_the_winning_time_twice() -> None:
    """An option that already reads as the time (the gathering poll's local dates) is not followed by it."""
    out = io.StringIO()
    assert run_demo(now=NOW, out=out, max_moments=12) == 0
    results = re.findall(r"option is \*\*(.+?)\*\* with \d+ votes?( \(.+?\))?\.", out.getvalue())
    assert len(results) == 2
    for label, shown in results:
        assert not shown or shown[2:-1].split(" (")[0] not in label


def test_demo_shows_the_date_polls_lifecycle() -> None:
    """The demo lists each date poll's stage, sends the typo note at once, then the nudge, result and reminder."""
    out = io.StringIO()
    assert run_demo(now=NOW, out=out) == 0
    text = out.getvalue()
    polls = text.split("Date polls (")[1].split("== What it plans to post")[0]
    assert polls.startswith("2 live")
    assert (
        "(poll “poll”): open, 3 voters, results always, closes Wed 25 Nov 17:00 · check note (1 problem)"
        in polls
    )
    assert (
        "closing reminder Tue 24 Nov 17:00" in polls and "posted so far: poll check, poll standings" in polls
    )
    assert "(poll “gathering”): open, 4 voters, results on_close, closes Tue 01 Dec 10:00" in polls
    assert "post/" not in polls  # no internal references, only titles
    sent = text.split("== What it posts, moment by moment")[1]
    headings = re.findall(r"^── (.+?) · a reply in “(.+?)”", sent, re.MULTILINE)
    assert headings[0][0] == "Saturday 21 November 2026, 10:00 GMT"  # due at once: the check note
    assert headings[0][1].startswith("Video call about the memorandum of understanding")
    note = next(c for c in re.split(r"^── ", sent, flags=re.MULTILINE) if "· a reply in" in c)
    assert "8 December 2016 was a Thursday, not a Tuesday" in note and "Tuesday 8 December 2026" in note
    assert "Still to vote: @bryn, @efa, @huw." in sent  # members of the poll's group who have not voted
    assert "── Wednesday 25 November 2026, 17:00 GMT · a reply in" in sent
    assert "most popular option is **3-4pm Monday 30th November 2026** with 3 votes" in sent
    # An option written as a date the bot can show in words is followed by that time once…
    assert "with 3 votes (Monday 30 November 2026, 15:00 GMT)." in sent
    assert (
        "when suits?** starts tomorrow: Monday 30 November 2026, 15:00 GMT (in your time zone: "
        '[date=2026-11-30 time=15:00:00 timezone="Europe/London"])' in sent
    )  # the winner's reminder
    assert (
        sent.count("A quick look at the dates in this poll") == 1 and sent.count("The poll has closed") == 1
    )


def test_a_whole_once_command_never_writes_the_api_key(tmp_path) -> None:
    """`cotechbot once` with debug logs against the sandbox runs a full cycle and never prints the key."""
    with FakeDiscourse.running(
        scenario=cotech_scenario(NOW), api_key=SECRET, api_username="cotechbot", now=lambda: NOW
    ) as forum:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COTECHBOT_")}
        env.update(
            COTECHBOT_DISCOURSE_URL=forum.url,
            COTECHBOT_DISCOURSE_API_KEY=SECRET,
            COTECHBOT_DISCOURSE_API_USERNAME="cotechbot",
            COTECHBOT_LOG_LEVEL="debug",
            COTECHBOT_REQUESTS_PER_MINUTE="600",
        )
        result = subprocess.run(
            [sys.executable, "-m", "cotechbot.cli", "once", "--now", NOW.isoformat()],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        requests_seen = len(forum.requests)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "new actions:" in result.stdout
    assert requests_seen >= 3  # it really talked to the forum with the key
    assert SECRET not in result.stdout + result.stderr


def test_demo_shows_a_weekly_digest() -> None:
    """The demo posts (dry-run) this week's digest in its Digest category, with links and no stewards' topic."""
    out = io.StringIO()
    assert run_demo(now=NOW, out=out) == 0
    text = out.getvalue()
    digest = text.split("· a new topic “CoTech weekly digest")[1].split("\n── ")[0]
    assert "for the week of 16 November 2026" in digest and "### Events in the next 14 days" in digest
    assert re.search(r"\]\(http://127\.0\.0\.1:\d+/t/[a-z0-9-]+/\d+\)", digest)
    assert "Stewards" not in digest
    polls = digest.split("### Open date polls")[1].split("###")[0]
    assert (
        "closes Wednesday 25 November 2026, 17:00 GMT; leading: 3-4pm Monday 30th November 2026 (3 votes)"
        in polls
    )
    [hidden_results] = [line for line in polls.splitlines() if "pick a Saturday" in line]
    assert "closes Tuesday 1 December 2026" in hidden_results and "leading" not in hidden_results  # on_close
    assert "Weekly digest 2026-W47 in category" in text
