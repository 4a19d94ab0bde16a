"""Reading *when* from what people write on the forum: dates, times, ranges and zones, as a careful
organiser would put them in a calendar.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2023, 3, 20, 12, tzinfo=timezone.utc)
    >>> [m.start.isoformat() for m in read_times("Tues 4th or Thurs 6th April @ 17.30 UTC", now)]
    ['2023-04-04T17:30:00+00:00', '2023-04-06T17:30:00+00:00']

Pure: no I/O and no clock of its own; the caller says when the text was written.
"""

from cotechbot.when._output import format_table, mention_as_json, run_jsonl
from cotechbot.when._polls import read_poll_options
from cotechbot.when._reader import TimeMention, read_times

__all__ = ["TimeMention", "format_table", "mention_as_json", "read_poll_options", "read_times", "run_jsonl"]
