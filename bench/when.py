"""Benchmark for cotechbot.when: accuracy on the labelled corpora, then speed against dateparser.

    .venv/bin/python bench/when.py [--posts 10000] [--dateparser-posts 200] [--misses]

Accuracy: precision, recall and F1, an event matching when start, end and all_day are equal, over the sets the
reader was tuned on (../shared/samples/dates-dev.jsonl when present, or under $COTECHBOT_SHARED_DIR, and
tests/data/when/*.jsonl) and, printed apart, over held-out real text it was never tuned on
(tests/data/when/heldout.jsonl), with dateparser's ``search_dates`` on the same held-out text for comparison.
"reminded on" scores only what the events layer acts on (timed, confident, not a candidate) against the
timed gold events.

Speed: whole posts (several sentences, some with dates, most without) composed in the style of the CoTech
forum from a fixed seed; texts per second for ``read_times`` over all of them and for dateparser's
``search_dates`` over a subset (it is far slower), extrapolated per post, and the ratio; dateparser is timed
both as commonly called (language detected per text) and told the text is English.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cotechbot.when import read_times  # noqa: E402
from cotechbot.when._scoring import (  # noqa: E402
    Score,
    event_key,
    is_held_out,
    load_examples,
    score_examples,
    score_file,
)

CLOCK_WRITTEN_RE = re.compile(r"\d[:.]\d\d|\d\s*(?:am|pm)\b|\bnoon\b|\b\d{4}\s*(?:h|utc|gmt)", re.IGNORECASE)

SHARED_DEV = (
    Path(os.environ.get("COTECHBOT_SHARED_DIR", ROOT.parent / "shared")) / "samples" / "dates-dev.jsonl"
)
CORPUS_DIR = ROOT / "tests" / "data" / "when"

# Sentences with no date in them, in the register of the forum's threads.
PLAIN = [
    "Thanks for pulling this together, it's really useful.",
    "I think a merger with the wider federation makes sense, but we should talk it through first.",
    "Happy to help with copywriting if someone can take on the design side.",
    "We've had about 17 enquiries so far, which is more than I expected.",
    "The hosting costs are roughly £1000 a month at the moment.",
    "Has anyone used Mattermost for this kind of thing?",
    "I'm not sure the chat channel is visible to the Sisters group yet.",
    "Our co-op has been going since 2016 and we're still only six people.",
    "Let me know if there's anything Good Praxis can help with.",
    "The Etherpad notes are linked from the first post.",
    "I'd be up for a round table if there's interest from the US side.",
    "Perfect is the enemy of good, so let's ship the MVP.",
    "We upgraded the server to Ubuntu 22.04 and Python 3.12 last month.",
    "Sociocracy takes a while to get used to but it's worth it.",
    "Can someone add me to the Members group? I think I was missed.",
    "There were about forty people at the last gathering, which felt right.",
    "The site is still under construction; we'll launch it soon.",
    "I'm heading on holiday for three weeks so replies will be slow.",
    "Welcome back! That sounds good for a face-to-face event.",
    "If the event is out of London I might struggle because of childcare.",
    "The access code for the room is 486072.",
    "Meeting ID 845 1234 5678, passcode 9921.",
    "We grew revenue 10-15% last year, mostly from public sector work.",
    "See section 4.2 of the draft memo of agreement.",
    "It's a 30 minute chat, nothing formal.",
    "I'll post the recording in a week or so.",
    "Perhaps those of us at the weekend in May could come up with a proposal.",
    "Spring or early summer would suit us better.",
    "Every Tuesday we run an open office hour on Jitsi.",
    "The Discourse forum was used a fair bit when it was first set up.",
    ":slight_smile: glad this is moving again!",
    "@chrislowis I've split your post into a separate thread, I hope that's OK.",
    "Given the lack of response so far, I'm guessing it's a no for now.",
    "We're trying to hire a mid-senior developer at the moment.",
    "I learnt something new today about the Patio network.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Tues", "Weds", "Thurs", "Mon", "Fri"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "September",
    "October",
    "Nov",
    "Dec",
]
TIMES = [
    "3pm",
    "3-4pm",
    "17.30",
    "10:00-11:30",
    "1500 UTC",
    "2pm BST",
    "noon",
    "6.30pm",
    "11am",
    "8am-10amPT",
]
DATED = [
    "We're going to have a call at {time} on {wd} {day} {month} to discuss the gathering.",
    "How about {wd} {day} or {wd2} {day2} {month} @ {time}?",
    "The next members' call is {wd} {day} {month} {year}, {time}.",
    "Save the date: CoTech gathering {day}-{day2} {month} {year} at Wortley Hall.",
    "{time} {wd} {day} {month} {year}",
    "The above call is in 10 minutes at the usual link.",
    "They met for their conference on {day}-{day2} {month} in Finsbury Park.",
    "Please vote by {wd} {day} {month}.",
    "See you all tomorrow at {time} for the show and tell!",
    'I\'ve put it in the calendar: [date={year}-06-{day:02d} time=18:00:00 timezone="Europe/London"]',
    "Shall we say next Thursday at {time}?",
    "Workers Co-op Weekend is {day}th-{day2}th {month} this year.",
]


def compose_posts(count: int, seed: int = 2024) -> list[str]:
    """Whole posts of 2-9 sentences; about a third carry one or more dates."""
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        sentences = [rng.choice(PLAIN) for _ in range(rng.randint(2, 8))]
        if rng.random() < 0.35:
            day = rng.randint(1, 26)
            filled = rng.choice(DATED).format(
                time=rng.choice(TIMES),
                wd=rng.choice(WEEKDAYS),
                wd2=rng.choice(WEEKDAYS),
                day=day,
                day2=day + 2,
                month=rng.choice(MONTHS),
                year=rng.choice([2024, 2025]),
            )
            sentences.insert(rng.randrange(len(sentences) + 1), filled)
        greeting = rng.choice(["Hi all,\n\n", "Hey folks,\n\n", "", "", "Hello everyone!\n\n"])
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        posts.append(greeting + "\n\n".join(paragraphs))
    return posts


def _print_score(label: str, score: Score) -> None:
    print(
        f"  {label:<24} examples {score.examples:>4}  gold {score.gold:>4}  predicted {score.predicted:>4}  "
        f"P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}"
    )


def bootstrap_interval(
    examples: list[dict[str, Any]], *, actionable_only: bool = False, resamples: int = 2000
) -> tuple[tuple[float, float], tuple[float, float]]:
    """95% intervals for precision and recall, resampling whole examples (fixed seed): how far a score on a
    few hundred sentences can be trusted."""
    counts = []
    for example in examples:
        one = score_examples([example], confident_only=True, actionable_only=actionable_only)
        counts.append((one.true_positives, one.predicted, one.gold))
    rng = random.Random(14)
    precisions, recalls = [], []
    for _ in range(resamples):
        drawn = [counts[rng.randrange(len(counts))] for _ in counts]
        hits, predicted, gold = (sum(column) for column in zip(*drawn, strict=True))
        precisions.append(hits / predicted if predicted else 1.0)
        recalls.append(hits / gold if gold else 1.0)
    precisions.sort()
    recalls.sort()
    low, high = int(resamples * 0.025), int(resamples * 0.975) - 1
    return (precisions[low], precisions[high]), (recalls[low], recalls[high])


def _print_interval(examples: list[dict[str, Any]], *, actionable_only: bool = False) -> None:
    (p_low, p_high), (r_low, r_high) = bootstrap_interval(examples, actionable_only=actionable_only)
    print(f"  {'':<24} 95% interval  P {p_low:.3f}-{p_high:.3f}  R {r_low:.3f}-{r_high:.3f}")


def accuracy(show_misses: bool) -> None:
    tuned = ([SHARED_DEV] if SHARED_DEV.exists() else []) + sorted(
        p for p in CORPUS_DIR.glob("*.jsonl") if not is_held_out(p)
    )
    total = Score()
    print("accuracy (an event matches when start, end and all_day are equal)")
    print(" sets the reader was tuned on")
    for path in tuned:
        score = score_file(path)
        total.add(score)
        _print_score(path.name, score)
        if show_misses:
            for miss in score.misses:
                print(
                    f"      {miss.id}: {miss.text[:100]!r}\n        gold {miss.gold}\n        got  {miss.predicted}"
                )
    _print_score("all tuned", total)
    tuning = CORPUS_DIR / "realtext_tuning.jsonl"
    if tuning.exists():
        _print_score("real tuning, reminded on", score_examples(load_examples(tuning), actionable_only=True))
    # Real text the reader has never been tuned on: measured and printed apart, never looked at miss by miss.
    held_out_files = sorted(p for p in CORPUS_DIR.glob("*.jsonl") if is_held_out(p))
    if held_out_files:
        print(" held-out real text (never tuned on; misses are not listed)")
    for held_out in held_out_files:
        held_out_examples = list(load_examples(held_out))
        _print_score(held_out.name, score_file(held_out))
        _print_interval(held_out_examples)
        # The timed, confident, single-candidate readings the events layer plans reminders on.
        actionable = score_examples(held_out_examples, actionable_only=True)
        _print_score("  reminded on", actionable)
        _print_interval(held_out_examples, actionable_only=True)
        baseline = dateparser_score(held_out_examples)
        if baseline is not None:
            _print_score("  dateparser", baseline)
    if held_out_files:
        print(" the labels themselves, on a random sample of held-out records")
        second_labeller_agreement()


def second_labeller_agreement() -> None:
    """How far the labels themselves can be trusted: a second labeller, given only the text, the posting time
    and the zone hint of a random sample of held-out records, scored against the gold labels (one line per
    sample: each was drawn from the held-out sets of its time)."""
    gold = {e["id"]: e for p in CORPUS_DIR.glob("*.jsonl") if is_held_out(p) for e in load_examples(p)}
    for second in sorted((CORPUS_DIR / "agreement").glob("*second_labeller.jsonl")):
        score, identical = Score(), 0
        for relabelled in load_examples(second):
            expected = [event_key(e) for e in gold[relabelled["id"]]["events"]]
            given = [event_key(e) for e in relabelled["events"]]
            score.count(expected, given)
            identical += sorted(map(str, expected)) == sorted(map(str, given))
        _print_score(f"second labeller, {second.stem.removesuffix('_second_labeller')}", score)
        print(f"  {'':<24} records labelled identically {identical} of {score.examples}")


def dateparser_score(examples: list[dict[str, Any]]) -> Score | None:
    """dateparser's ``search_dates`` read as a date reader: a match with a clock is a timed event in the
    record's zone, one without is an all-day date; the kindest settings (English, future dates preferred)."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("  dateparser is not installed; install the dev extras to compare")
        return None
    score = Score()
    for example in examples:
        now = datetime.fromisoformat(str(example.get("now") or example["posted_at"]).replace("Z", "+00:00"))
        zone_name = example.get("tz") or example.get("tz_hint") or "Europe/London"
        zone = ZoneInfo(zone_name)
        settings = {
            "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "TIMEZONE": zone_name,
            "RETURN_AS_TIMEZONE_AWARE": True,
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(example["text"], languages=["en"], settings=settings) or []
        predicted = []
        # Told nothing of tense, it is at least not charged for dates before the post.
        for words, moment in ((w, m) for w, m in found if m >= now):
            if CLOCK_WRITTEN_RE.search(words):
                predicted.append((moment.isoformat(), None, False))
            else:
                predicted.append((moment.date().isoformat(), None, True))
        score.count([event_key(e) for e in example.get("events", [])], predicted)
    return score


def speed(post_count: int, dateparser_count: int) -> None:
    posts = compose_posts(post_count)
    characters = sum(map(len, posts))
    print(f"\nspeed on {len(posts)} composed posts (mean {characters / len(posts):.0f} characters)")
    base = datetime(2024, 2, 20, 10, tzinfo=UTC)
    nows = [base + timedelta(hours=i % 5000) for i in range(len(posts))]

    started = time.perf_counter()
    found = 0
    for post, now in zip(posts, nows, strict=True):
        found += len(read_times(post, now, "Europe/London"))
    ours = time.perf_counter() - started
    ours_rate = len(posts) / ours
    print(
        f"  cotechbot.when.read_times {'':<37} {ours_rate:>8,.0f} posts/s  ({ours:.2f} s, {found} mentions)"
    )

    try:
        from dateparser.search import search_dates
    except ImportError:
        print("  dateparser is not installed; install the dev extras to compare")
        return
    settings = {"RELATIVE_BASE": base.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}
    # Its default call detects the language of every text; telling it English is the kindest comparison.
    for label, options, count in (
        ("search_dates(text)", {}, dateparser_count),
        ("search_dates(text, languages=['en'])", {"languages": ["en"]}, dateparser_count * 3),
    ):
        subset = posts[:count]
        search_dates("warm up on Tuesday 2nd July at 3pm", settings=settings, **options)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            started = time.perf_counter()
            for post in subset:
                search_dates(post, settings=settings, **options)
            theirs = time.perf_counter() - started
        theirs_rate = len(subset) / theirs
        print(
            f"  dateparser {label:<37} {theirs_rate:>8,.1f} posts/s  ({theirs:.2f} s for {len(subset)} posts)"
        )
        print(f"    ratio: read_times is {ours_rate / theirs_rate:,.0f}x faster per post")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--dateparser-posts", type=int, default=150, help="posts timed with its default call")
    parser.add_argument(
        "--misses", action="store_true", help="list every example read differently from its label"
    )
    args = parser.parse_args()
    accuracy(args.misses)
    speed(args.posts, args.dateparser_posts)


if __name__ == "__main__":
    main()
