"""The membership capability's cost in forum requests: an identical bot with it off and on, over HTTP at the
sandbox, with N pending requests spread over two watched groups — the first cycle (every requester's profile
read, every notice sent), a steady cycle five minutes later, and the cycle a day later (member lists
compared, the staff action log read).

    .venv/bin/python bench/membership.py [--requests 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotechbot.app import build_worker  # noqa: E402
from cotechbot.clock import FixedClock  # noqa: E402
from cotechbot.logging import configure_logging  # noqa: E402
from cotechbot.sandbox import membership_routes as admin  # noqa: E402
from cotechbot.sandbox.discourse import FakeDiscourse  # noqa: E402
from cotechbot.settings import MembershipRules, MembershipSettings  # noqa: E402
from tests.scenario.conftest import API_KEY, BOT, bot_settings, fast_forum, never_memoised_clock  # noqa: E402

START = datetime(2024, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
MOMENTS = (("first", timedelta(0)), ("steady", timedelta(minutes=5)), ("+1 day", timedelta(days=1)))


def requests_per_cycle(workdir: Path, pending: int, enabled: bool) -> dict[str, tuple[int, Counter]]:
    clock = FixedClock(START)
    forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=clock, clock=never_memoised_clock())
    forum.start()
    try:
        forum.add_group("moderators", members=["mod"])
        for group in ("members", "friends"):
            forum.add_group(group, members=[f"{group}-old-{i}" for i in range(30)])
        for index in range(pending):
            name = f"asker{index}"
            forum.add_user(name, created_at=START - timedelta(days=index))
            admin.set_email(forum, name, f"{name}@{'agile.coop' if index % 2 else 'example.org'}")
            forum.request_membership(("members", "friends")[index % 2], name, "hello", requested_at=START)
        membership = MembershipSettings(
            enabled=enabled,
            groups=["members", "friends"],
            rules={"members": MembershipRules(email_domains=["agile.coop"])},
        )
        settings = bot_settings(
            forum.url, f"sqlite:///{workdir / f'{enabled}.db'}", membership=membership, log_level="error"
        )
        worker = build_worker(settings, clock, forum=fast_forum(settings))
        counts = {}
        for label, offset in MOMENTS:
            clock.set(START + offset)
            forum.clear_log()
            worker.cycle()
            paths = Counter(
                r.route or r.path for r in forum.requests if r.method == "GET" or r.path.startswith("/posts")
            )
            counts[label] = (len(forum.requests), paths)
        return counts
    finally:
        forum.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    with tempfile.TemporaryDirectory() as workdir:
        off = requests_per_cycle(Path(workdir), args.requests, enabled=False)
        on = requests_per_cycle(Path(workdir), args.requests, enabled=True)
    print(f"{args.requests} pending requests over 2 watched groups; forum requests per cycle")
    print(f"{'cycle':<8} {'off':>5} {'on':>5} {'extra':>6}  (membership's requests by route)")
    for label, _ in MOMENTS:
        extra = on[label][1] - off[label][1]
        detail = ", ".join(f"{route} {n}" for route, n in sorted(extra.items()))
        print(f"{label:<8} {off[label][0]:>5} {on[label][0]:>5} {on[label][0] - off[label][0]:>6}  {detail}")


if __name__ == "__main__":
    main()
