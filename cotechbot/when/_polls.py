"""Poll options are read as a set: a year that disagrees with its siblings and with its weekday is a typo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, tzinfo

from cotechbot.when._reader import TimeMention, read_times


def read_poll_options(
    options: Sequence[str], now: datetime, tz: str | tzinfo = "Europe/London"
) -> list[list[TimeMention]]:
    """The mentions of each option, read with the year most options share as the reference year.

    "3-4pm Tuesday 5th March 2014" among seven options dated 2024 reads as 2024 (flagged), because Tuesday
    5 March is a 2024 date; options that agree with their weekday keep the year they state.
    """
    first_pass = [read_times(option, now, tz) for option in options]
    years = Counter(
        m.start.year
        for mentions in first_pass
        for m in mentions
        if not any(f.startswith("weekday_mismatch") for f in m.flags)
    )
    if not years:
        return first_pass
    reference_year, _ = years.most_common(1)[0]
    return [read_times(option, now, tz, reference_year=reference_year) for option in options]
