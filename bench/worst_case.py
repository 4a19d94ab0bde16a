"""Worst-case inputs, timed: what a hostile or careless post costs the date reader and the events planner.

    .venv/bin/python bench/worst_case.py

Prints seconds per input; nothing asserts on them (the unit tests check these inputs never raise and read
what they should). Figures to watch: the huge marked-up text (300,000 characters) well under 5 s, each
pathological repetition (40,000 characters) well under 2 s, and the events planner on one 32 KB post with
thousands of dated sentences growing linearly with the post (issue 9, item 14), capped at the settings'
events per post.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cotechbot.capabilities.events import EventRules, events_in_post  # noqa: E402
from cotechbot.capabilities.events.reading import read_post  # noqa: E402
from cotechbot.models import Post  # noqa: E402
from cotechbot.when import read_times  # noqa: E402

NOW = datetime(2024, 9, 10, 11, tzinfo=UTC)
HUGE_CHUNK = (
    "<p>Hi **all**, see [notes](https://x.example/2024-07-02) and `code 17.30`.</p>\n"
    "3-4pm Monday 26th February 2024 · Tues 4th or Thurs 6th April @ 17.30 UTC · 1.2.3.4.5.6.7.8 "
    + "9" * 200
    + " "
    + "-" * 200
    + "\n"
)
PATHOLOGICAL_UNITS = [
    "1 ",
    "Tuesday ",
    "- ",
    "3-",
    "[date=",
    "1.",
    "<span class=",
    "4th or ",
    "3pm ",
    "`",
    "in 10 minutes call ",
    "on the 5th and ",
    "I can do the 5th, ",
    "The 20th would work ",
    "tonight ",
    "| Wed 18 February | 12-2 ",
    "5pm, Monday 13 June 2022: ",
    "out of office 1st May, ",
    "Sat, Sun: 7:00 - 21:00 ",
    "Mondays at 9.30am, Saturday at 6.30pm, ",
    "2 p.m. on Feb 24, 25, & 26th ",
]


def timed(label: str, work: Callable[[], str]) -> None:
    started = time.perf_counter()
    result = work()
    print(f"  {label:<40} {time.perf_counter() - started:7.3f} s  ({result})")


def main() -> None:
    print("date reader")
    huge = HUGE_CHUNK * (300_000 // len(HUGE_CHUNK))
    timed(f"huge marked-up text ({len(huge):,} chars)", lambda: f"{len(read_times(huge, NOW))} mentions")
    for unit in PATHOLOGICAL_UNITS:
        text = unit * (40_000 // len(unit))
        timed(
            f"{unit!r} x {40_000 // len(unit):,}", lambda text=text: f"{len(read_times(text, NOW))} mentions"
        )
    print("reading a post's own words (paragraphs of plain text; linear in the post)")
    for paragraphs in (500, 1000, 2000, 4000):
        raw = "\n\n".join(f"Paragraph {i} about the accounts." for i in range(paragraphs))
        post = Post(id=1, topic_id=1, post_number=1, raw=raw, cooked="", created_at=NOW, username="someone")
        timed(
            f"{paragraphs} paragraphs ({len(raw):,} chars)",
            lambda post=post: f"{len(read_post(post).text.splitlines())} lines",
        )
    print("events planner (one post, a call per line)")
    rules = EventRules()
    for lines in (250, 500, 1000, 2000, 4000):
        raw = "\n\n".join(f"Call at 3pm on {day % 28 + 1} October 2024." for day in range(lines))
        post = Post(id=1, topic_id=1, post_number=1, raw=raw, cooked="", created_at=NOW, username="someone")
        timed(
            f"{lines} dated sentences ({len(raw):,} chars)",
            lambda post=post: f"{len(events_in_post(post, None, NOW, rules, []))} events kept",
        )


if __name__ == "__main__":
    main()
