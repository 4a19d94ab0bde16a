"""How a weekday is said: the words around a bare weekday that make it a standing slot (a series, a habit, a
timetable's list), the first day of a series, a day of next week, or one of a pair or list of weekdays."""

from __future__ import annotations

import re

from cotechbot.when._patterns import WD

_I = re.IGNORECASE

# "see you all Wednesday", "I plan to be there Saturday", "meeting day is going to be Saturday": a weekday
# written bare right after words of attending (or naming the day) is said as "on Saturday" is ("I can't be
# there Saturday" is an absence).
ATTENDING_BEFORE_RE = re.compile(
    r"(?<!n't\s)(?<!n’t\s)(?<!not\s)\b(?:see(?:ing)?\s{1,3}(?:you|y'all|everyone)(?:\s{1,3}all)?|be\s{1,3}there"
    r"|(?:day|date)\s{1,3}(?:is|will\s{1,3}be|is\s{1,3}going\s{1,3}to\s{1,3}be))\s{1,3}$",
    _I,
)
# "Moved to Friday.", "the call has been rescheduled for Thursday": the new day of a move told as done, written
# bare, is said as "on Friday" is (as ``_patterns.MOVED_TO_DAYS_RE`` reads "changed to the 17th").
MOVED_TO_BEFORE_RE = re.compile(
    r"\b(?:moved|changed|re-?scheduled|postponed|pushed\s{1,3}back|brought\s{1,3}forward|put\s{1,3}back)"
    r"\s{1,3}(?:to|for|until|till)\s{1,3}$",
    _I,
)
# (only where the weekday ends its clause: "Moved to Thursday Net Policy" under a dated heading is a session's
# new slot in that week, not the next Thursday)
CLAUSE_ENDS_AFTER_RE = re.compile(r"[ \t]{0,3}(?:[.,;:!?)]|$)", re.M)
RECURRING_BEFORE_RE = re.compile(
    r"\b(?:every|each|alternate|other|first|second|third|fourth|last|most|1st|2nd|3rd|4th)\s+$"
    # "every 3 weeks on Tuesday", "meets fortnightly on Thursday": a series with no sure next date
    r"|\bevery\s+(?:\d{1,2}|two|three|four|five|six|other|second|third|alternate)\s+weeks?\s+$"
    r"|\b(?:fortnightly|bi-?weekly)\s+$"
    # "the seminar occurs most weeks on Tuesday", "we usually meet on Monday": a habit, no one day
    r"|\b(?:most|many|some|all|other)\s+weeks?\s+(?:on\s+)?$"
    r"|\b(?:usually|normally|typically|generally|regularly|always)\s+(?:(?:meets?|held|runs?|happens?)\s+)?(?:on\s+)?$"
    # "The current meeting day is Thursday", "our club night is Tuesday": the standing day of a group
    r"|\b(?:meeting|club|practice|training|usual|regular|normal|current)\s+(?:days?|nights?|evenings?)\s+(?:is|are)"
    r"\s+(?:now\s+|still\s+|usually\s+)?(?:on\s+)?$"
    # "come along on a Tuesday or Friday morning": any such day, not one
    r"|\bon\s+an?\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+(?:or|and)\s+)?$",
    _I,
)
# Later in a weekday's sentence: "(Wednesday, 3:30 pm) every other week", "on Thursday, fortnightly": weeks skipped.
ALTERNATING_AFTER_RE = re.compile(
    r"[^.!?\n]{0,80}?\b(?:every\s{1,3}(?:other|second|alternate|two|2|three|3|four|4)\s{1,3}weeks?|alternate\s{1,3}weeks"
    r"|fortnightly|bi-?weekly)\b",
    _I,
)
SERIES_START_AFTER_RE = re.compile(r"[^.!?\n]{0,40}?\b(?:start(?:s|ing)?|beginning|from|commencing)\b", _I)
# "Wednesday at 2:00pm EST/EDT", "Thursdays 15:00 CET/CEST": a weekday's clock given in a zone's winter and
# summer names at once holds across the clock change, so it names a standing weekly slot, not one day.
BOTH_SEASONS_AFTER_RE = re.compile(
    r"[^.!?\n]{0,30}?(?-i:\b(?:[A-Z]{1,2}ST/[A-Z]{1,2}DT|[A-Z]{1,2}DT/[A-Z]{1,2}ST|CET/CEST|CEST/CET|GMT/BST|BST/GMT"
    r"|AEST/AEDT|AEDT/AEST|NZST/NZDT|NZDT/NZST)\b)"
)
# Before a bare weekday, in its sentence: "Weekly meetings are back on, Tuesday midday", "our weekly Tuesday meetup".
WEEKLY_BEFORE_RE = re.compile(r"(?<![\w-])weekly\b[^.!?\n]{0,60}$", _I)
# Before a bare weekday, in its sentence: a plural weekday slot with its clock, then a list's comma or "and"
# ("Mondays at 9.30am, Saturday at 6.30pm", "Tuesday evenings at 8 and Saturday at 10"): the weekday is listed
# in the same timetable.
PLURAL_SLOT_LISTED_BEFORE_RE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)(?:days|day\s{1,3}(?:mornings|afternoons|evenings|nights))\b"
    r"[^.!?\n]{0,20}?\d(?:[^.!?\n]|\.(?=\d)){0,120}?(?:,|;|\band)\s{0,3}$",
    _I,
)
# Before a bare weekday: short weekday names written as a list ("Sat, Sun", "Tues, Weds, Fri and 9.30-12.30
# Saturday") name standing days of a timetable, not one dated day.
SHORT_WEEKDAYS_LISTED_BEFORE_RE = re.compile(
    r"(?<![\w'’])(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?,\s{0,2}"
    r"(?:(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?(?![\w'’])(?:[^.!?\n]|\.(?=\d)){0,30})?$",
    _I,
)
# After a bare weekday: the next short name of such a list ("Tue, Wed, Thu").
SHORT_WEEKDAY_LISTED_AFTER_RE = re.compile(
    r"\.?,\s{0,2}(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?(?![\w'’])", _I
)
# "Starting Tuesday, every other week": the series' first day is named.
SERIES_START_BEFORE_RE = re.compile(
    r"\b(?:start(?:s|ing)?|beginning|from|commencing)\s{1,3}(?:on\s{1,3})?(?:this\s{1,3}|next\s{1,3})?$", _I
)

# "Monday's committee meeting", "after next Tuesday’s membership meeting", "Saturday’s One Nation march": a weekday
# in the possessive, a few words before the gathering it owns, names that one gathering's day (the next such
# day, unless the clause tells it in the past); "Wednesday's weekly session" is the habit, no one day.
POSSESSIVE_GATHERING_AFTER_RE = re.compile(
    r"['’]s[ \t]{1,3}(?:(?!(?:weekly|fortnightly|monthly|regular|usual|normal)\b)[\w-]{1,20}[ \t]{1,3}){0,4}?"
    r"(?:meeting|call|meet-?up|session|workshop|social|party|rally|march|protest|vigil|picket|demonstration"
    r"|assembly|agm|gathering|event|conference|talks?|rehearsal|practice|class|lesson|training|track|dinner"
    r"|lunch|breakfast|quiz|concert|festival|fair|sprint|hackathon|webinar|hangout|stand-?up|retro|seminar"
    r"|panel|potluck|picnic|celebration|ceremony|service|workday|work[ \t]party|clean-?up)s?\b",
    _I,
)


def owns_a_gathering(work: str, end: int) -> bool:
    """Is the weekday ending at ``end`` said in the possessive of a gathering ("Monday's committee meeting")?"""
    return work[end : end + 1] in ("'", "’") and POSSESSIVE_GATHERING_AFTER_RE.match(work, end) is not None


# "next week Monday", "Tuesday next week", "Friday of next week": a weekday of the week after the post's.
NEXT_WEEK_BEFORE_RE = re.compile(r"\bnext[ \t]{1,3}week[ \t,]{0,3}(?:on[ \t]{1,3})?$", _I)
NEXT_WEEK_AFTER_RE = re.compile(r"[ \t,]{0,3}(?:of[ \t]{1,3})?next[ \t]{1,3}week\b", _I)
# "Our community meetings are on Wednesday at 1PM": gatherings said in the plural and the present meet on that
# weekday as a habit (unless counted out: "the next two meetings are on Tuesday and Thursday").
HABIT_BEFORE_RE = re.compile(
    r"\b(?:meetings|calls|sessions|classes|rehearsals|practices|meet-?ups|gatherings|socials|syncs)\s{1,3}"
    r"(?:are|take\s{1,3}place|happen)\s{1,3}(?:(?:held|usually|normally|always|generally|typically|now)\s{1,3}){0,2}$",
    _I,
)
HABIT_COUNTED_RE = re.compile(
    r"\b(?:next|these|those|upcoming|remaining|both|two|three|four|first|last)\b", _I
)

# "the first Thursday of the month", "last Friday of every month": a monthly series.
NTH_WEEKDAY_BEFORE_RE = re.compile(
    r"\b(?:the\s+)?(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last)\s+$", _I
)
OF_THE_MONTH_RE = re.compile(r"\s{1,3}of\s{1,3}(?:the|each|every)\s{1,3}month\b", _I)
# "every Tuesday at 3pm and Thursday at 12pm": a weekday listed after a recurring one recurs too.
# "on Wednesday or Saturday", "Wednesday, if not then Saturday": a second weekday offered beside the first.
# Between two weekdays offered together: "Thursday or Friday", "Tue/Wed", "Monday and Tuesday".
WEEKDAYS_OR_GLUE_RE = re.compile(r"[ \t]{0,3}(?:,[ \t]{0,3})?(?:or|and|&|/)[ \t]{0,3}", _I)
WEEKDAY_ALTERNATIVE_GLUE_RE = re.compile(
    r"[ \t]{0,3},?[ \t]{0,3}(?:or|and|&|/|if[ \t]{1,3}not(?:[ \t]{1,3}then)?|failing[ \t]{1,3}that|otherwise)"
    r"[ \t]{0,3},?[ \t]{0,3}(?:on[ \t]{1,3})?",
    _I,
)
SERIES_CONTINUED_RE = re.compile(r"[^.;!?\n]{0,40}?(?:\band|&|,)\s*(?:on\s+)?$", _I)
WEEKDAY_SPAN_AFTER_RE = re.compile(
    rf"^\s*(?:-|to|through|thru|till|until|and|&)\s*{WD}|^s\b|^\s*(?:mornings?|afternoons?|evenings?)s\b", _I
)
# "on the Thursday prior to the GM", "the Sunday after our AGM": a weekday told by another gathering whose date is
# not written here, not the next such day.
DAY_BY_ANOTHER_AFTER_RE = re.compile(
    r"(?:[ \t]{1,3}(?:morning|afternoon|evening|night))?[ \t]{1,3}(?:prior[ \t]{1,3}to|before|after|preceding|following)"
    r"[ \t]{1,3}(?:the|our|each|every|this|that)\b",
    _I,
)
# "on Saturday and Sunday": a second weekday joined to the first (see ``_items._weekday_item``).
NEXT_DAY_PAIR_AFTER_RE = re.compile(
    rf"[ \t]{{1,3}}(?:and|&)[ \t]{{1,3}}(?:on[ \t]{{1,3}})?(?P<wd>{WD})(?![ \t]{{0,3}}(?:[ \t]the)?[ \t]{{0,3}}\d)",
    _I,
)
WEEKDAY_SPAN_BEFORE_RE = re.compile(rf"{WD}\s*(?:-|to|through|thru|till|until)\s*$", _I)
# "this Thursday (5th June)": a weekday restated by the date right after it; "On Sunday week, 8th October":
# the weekday a week on, restated the same way.
# ("Thursday next week, 18 March": the date says which Thursday)
WEEKDAY_RESTATED_RE = re.compile(
    r"(?:\s{1,3}(?:(?:next|this)\s{1,3})?week\b)?\s*[(,-]?\s*(?:(?:ie|i\.e\.|that\s+is|so)\s*,?\s*)?(?:the\s+)?",
    _I,
)
# "tomorrow, 2nd January", "today (5 March)": a day-word and the date written out right after it
RELDAY_RESTATED_RE = re.compile(r"\s{0,3}[,(]\s{0,3}(?:(?:ie|i\.e\.|that\s+is)\s*,?\s*)?(?:the\s+)?", _I)
# "Friday training from 12th September", "Tuesday club nights starting 4 March": a weekday naming a series, whose
# first day follows; the day must fall on that weekday.
WEEKDAY_SERIES_FROM_RE = re.compile(
    r"[ \t]{1,3}(?-i:[a-zA-Z][a-z-]{2,20})(?:[ \t]{1,3}(?-i:[a-zA-Z][a-z-]{2,20}))?[ \t]{1,3}"
    r"(?:from|starting(?:[ \t]{1,3}on)?|beginning)[ \t]{1,3}(?:the[ \t]{1,3})?",
    _I,
)
# "Monday and Tuesday (Apr 24 and 25)": weekdays listed together, whose dates follow as a list.
WEEKDAY_LIST_GLUE_RE = re.compile(r"\s*(?:,|and|&|or)\s*(?:on\s+)?", _I)
# "7 November (Thursday)", "the 4th of June, Friday,": a weekday said after its date.
WEEKDAY_AFTER_RE = re.compile(r"\s*[(,]?\s*", _I)
# What closes a bracketed weekday that restates the date before it: "7 November (Thursday)", "(Thurs.)".
BRACKET_CLOSES_RE = re.compile(r"[.,?!]?\s{0,3}\)")
