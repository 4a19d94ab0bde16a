"""Scoring the reader against labelled examples: the same arithmetic for the tests and the benchmark.

An example is a JSON object with ``text``, ``now``/``posted_at``, ``tz``/``tz_hint`` and gold ``events``. A
predicted event matches a gold one when start, end and all_day are equal (timestamps compared as written
instants *and* offsets, so "15:00+01:00" and "14:00+00:00" differ); each prediction matches at most one gold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cotechbot.when._output import mention_as_json
from cotechbot.when._reader import read_times

EventKey = tuple[str | None, str | None, bool]


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    if len(text) == 10:
        return text
    return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()


def event_key(event: dict[str, Any]) -> EventKey:
    return (_canonical(event.get("start")), _canonical(event.get("end")), bool(event.get("all_day")))


@dataclass
class Miss:
    """One example where prediction and gold differ."""

    id: str
    text: str
    gold: list[EventKey]
    predicted: list[EventKey]


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    examples: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def count(self, gold: list[EventKey], predicted: list[EventKey]) -> int:
        """Tally one example: each predicted event matches at most one equal gold event. Returns the hits."""
        unmatched = list(gold)
        hits = 0
        for key in predicted:
            if key in unmatched:
                unmatched.remove(key)
                hits += 1
        self.true_positives += hits
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.examples += 1
        return hits

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.gold += other.gold
        self.examples += other.examples
        self.misses.extend(other.misses)


def load_examples(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


# Corpora labelled by LABELLING.md, where a past reference is not an event: what is scored there is what the
# events layer acts on, the confident mentions. The older synthetic corpora list past dates as events.
def labelled_as_real_text(path: Path) -> bool:
    """The real-text corpora (``realtext_*.jsonl`` and the held-out ``heldout*.jsonl``), labelled by
    LABELLING.md."""
    return path.name.startswith("realtext_") or is_held_out(path)


def is_held_out(path: Path) -> bool:
    """Real text the reader is never tuned on: scored apart, its misses never listed."""
    return path.name.startswith("heldout")


def predict(
    example: dict[str, Any], *, confident_only: bool = False, actionable_only: bool = False
) -> list[EventKey]:
    now = datetime.fromisoformat(str(example.get("now") or example["posted_at"]).replace("Z", "+00:00"))
    zone = example.get("tz") or example.get("tz_hint") or "Europe/London"
    options = (
        {"reference_year": example["reference_year"]}
        if isinstance(example.get("reference_year"), int)
        else {}
    )
    mentions = read_times(example["text"], now, zone, **options)
    # A series' next occurrence is flagged, not labelled: every corpus counts a recurrence rule as no event.
    if actionable_only:
        # What the events layer plans reminders on: timed, confident, not one of several candidates.
        mentions = [m for m in mentions if not m.all_day and m.confident and not m.candidate]
    return [
        event_key(mention_as_json(m))
        for m in mentions
        if not m.recurring and (m.confident or not confident_only and not m.conflict)
    ]


def score_file(path: Path) -> Score:
    """A corpus scored by its own labelling convention (see ``labelled_as_real_text``)."""
    return score_examples(load_examples(path), confident_only=labelled_as_real_text(path))


def score_examples(
    examples: Iterable[dict[str, Any]], *, confident_only: bool = False, actionable_only: bool = False
) -> Score:
    """Mentions flagged ``conflict`` are never scored as read; with ``confident_only`` past ones are not either.
    With ``actionable_only`` only timed gold events count, against what the events layer would act on."""
    score = Score()
    for example in examples:
        gold = [event_key(e) for e in example.get("events", []) if not (actionable_only and e.get("all_day"))]
        predicted = predict(example, confident_only=confident_only, actionable_only=actionable_only)
        hits = score.count(gold, predicted)
        if hits != len(gold) or hits != len(predicted):
            score.misses.append(Miss(str(example.get("id")), example["text"], gold, predicted))
    return score
