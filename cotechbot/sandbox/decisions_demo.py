"""The decision log's part of ``cotechbot demo``: a fake Loomio beside the sandbox forum, seeded with one open
proposal and one closed with an outcome, the settings that point the bot at both, and the log it filed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, TextIO

from cotechbot.decisions_cli import decisions_text
from cotechbot.ledger import Ledger
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.loomio import FakeLoomio, seed_loomio
from cotechbot.settings import Settings

DEMO_LOOMIO_KEY = "demo-loomio-key-not-a-secret"


@contextlib.contextmanager
def demo_loomio(forum: FakeDiscourse, now: Any) -> Iterator[dict[str, Any]]:
    """Serve a seeded fake Loomio (on the demo's clock) and yield the settings for the decision log."""
    with FakeLoomio.running(api_key=DEMO_LOOMIO_KEY, now=now) as loomio:
        # Open for two weeks: its reminder comes after the forum's moments the demo steps through.
        handles = seed_loomio(loomio, now.now(), closes_in=timedelta(days=14))
        proposals, _ = forum.create_topic(
            "Proposals on Loomio", "New Loomio proposals are announced in this topic.", username="system"
        )
        # No log topic: the demo prints the log instead (``show_decision_log``), and its moments stay the forum's.
        yield {
            "loomio": {
                "url": loomio.url,
                "api_key": DEMO_LOOMIO_KEY,
                "group_ids": [handles["group_id"]],
                "topic_id": proposals.id,
            },
        }


def show_decision_log(out: TextIO, ledger: Ledger, settings: Settings, heading: Any) -> None:
    heading(out, "The decision log (cotechbot decisions)")
    out.write(decisions_text(ledger, settings, "md"))
