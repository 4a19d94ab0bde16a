"""Date polls: find Discourse polls whose options are times, check them, and plan their lifecycle. Pure.

A date poll is a ``regular`` or ``multiple`` poll with at least two options, more than half of which read as
one date or time: free text such as "3-4pm Monday 26th February 2024" (read by ``cotechbot.when``) or a
Discourse ``[date]``/``[date-range]`` tag (read from the cooked span's ``data-*`` attributes). Options are
read relative to when the post was written, and as a set (``when.read_poll_options``): an option whose
weekday contradicts its year is read in the year most options share when that makes the weekday right
("Tuesday 5th March 2014" among 2024 options reads as Tuesday 5 March 2024, flagged ``year_corrected``).

The lifecycle of one poll, each step an outbox action with a deterministic key (``<ref>`` is
``post/<post id>/<poll name>``, the source of every action is ``poll/<post id>/<poll name>``):

- ``poll-check:<ref>`` — one friendly note listing likely mistakes (weekday not matching the date, a date
  before the poll was posted, the same time twice, a year unlike the others), due as soon as the poll is
  seen, while the poll is open and young (``PollRules.check_window``).
- ``poll-standings:<ref>:<period start>`` — votes so far, only on open polls whose results everyone may see
  (``results=always``), at most once per ``standings_interval`` counted from the poll's post, only when the
  tallies differ from the last standings posted, never in the closing-reminder window.
- ``poll-closing:<ref>:<close>`` — a nudge ``close_reminder`` before ``close``, expiring at close; on public
  ``results=always`` polls restricted to groups it names the members who have not voted (the worker supplies
  them; other polls hide their voters until close, so their nudge names nobody).
- ``poll-result:<ref>`` — once the poll is closed (status, or its close time passed): the winner, or the
  tied options, or that nobody voted. Tallies of a ``staff_only`` poll are never shown.

A single clear winner whose time is an upcoming instant becomes an ``EventFact(origin="poll")`` for the
events planner, which plans its reminders under the topic like any other event; a tie needs a human.
"""

from cotechbot.capabilities.polls.checks import check_poll
from cotechbot.capabilities.polls.model import (
    WEEKDAY_NAMES,
    DateOption,
    DatePoll,
    Moment,
    OptionProblem,
    OptionTime,
    PollPlan,
    PollRules,
)
from cotechbot.capabilities.polls.options import (
    DATE_POLL_TYPES,
    MAX_HTML_CHARS,
    MAX_TEXT_CHARS,
    OptionMarkup,
    date_poll_from,
    detect_date_polls,
    option_text,
    parse_option_html,
)
from cotechbot.capabilities.polls.planning import (
    last_standings_from,
    may_name_non_voters,
    needs_non_voters,
    non_voters_among,
    plan_poll,
    should_watch,
    tallies_digest,
    with_close_anchor,
)

__all__ = [
    "DATE_POLL_TYPES",
    "MAX_HTML_CHARS",
    "MAX_TEXT_CHARS",
    "WEEKDAY_NAMES",
    "DateOption",
    "DatePoll",
    "Moment",
    "OptionMarkup",
    "OptionProblem",
    "OptionTime",
    "PollPlan",
    "PollRules",
    "check_poll",
    "date_poll_from",
    "detect_date_polls",
    "last_standings_from",
    "may_name_non_voters",
    "needs_non_voters",
    "non_voters_among",
    "option_text",
    "parse_option_html",
    "plan_poll",
    "should_watch",
    "tallies_digest",
    "with_close_anchor",
]
