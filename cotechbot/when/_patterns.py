"""The vocabulary of forum dates and times, compiled once at import.

Every pattern runs on a copy of the text whose dashes, quotes and odd spaces were mapped one-for-one to ASCII
(see ``_text.normalise``), so offsets found here are offsets into the caller's text.  Patterns are written to
fail fast: no nested unbounded repetition, every optional run bounded, so a hostile megabyte cannot make a
search go quadratic.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# The German and French month names read beside the English ones ("6. Oktober", "le 12 juin", "23 février
# 2026"), each with its month: MON reads them, ``month_number`` numbers them and _foreign rewrites the same words
# into English (with those of the languages MON does not read).
GERMAN_FRENCH_MONTHS = {
    "januar": 1,
    "janvier": 1,
    "februar": 2,
    "février": 2,
    "fevrier": 2,
    "avril": 4,
    "mai": 5,
    "juni": 6,
    "juin": 6,
    "juli": 7,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "oktober": 10,
    "octobre": 10,
    "novembre": 11,
    "dezember": 12,
    "décembre": 12,
    "decembre": 12,
}
# The first three letters of every month name MON reads, and the month they stand for (an abbreviation such as
# "Okt.", "déc." is numbered by them; "juin" and "juillet" share "jui", so a whole name is looked up first).
MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
for _name, _number in GERMAN_FRENCH_MONTHS.items():
    MONTHS.setdefault(_name[:3], _number)


def month_number(word: str) -> int:
    """The month a name written in the text stands for ("Sept." 9, "juillet" 7, "Dez." 12)."""
    key = word.lower().rstrip(".")
    return GERMAN_FRENCH_MONTHS.get(key) or MONTHS[key[:3]]


WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "tu": 1,
    "th": 3,
    "tu.": 1,
    "th.": 3,
}

# Abbreviations people really type: Tues, Weds, Thurs, Sept; a trailing full stop is allowed.
# Only an abbreviation takes a full stop ("Oct. 3rd"); "October." ends a sentence.
WD = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?"
    # "Tu 13th", "Th 5th": the two-letter forms of a calendar's header, capitalised, before a day
    r"|(?-i:Tu|Th)\.?(?=[ \t]{1,2}(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b))(?![a-z])"
)


def _word_tree(words: list[str]) -> str:
    """An alternation of ``words`` written as a tree of their prefixes, longest reading first ("jan(?:uary|\\.)?"),
    so a position where none starts costs a test or two per first letter, not one per word."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def written(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + written(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return written(tree)


# Every way a month is written that MON reads: the English names and their abbreviations (with or without a
# stop: "Sept.", "Oct 3rd"), the German and French abbreviations, and the German and French names above.
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_MONTH_SPELLINGS = [
    *("january", "february", "march", "april", "may", "june", "july", "august", "september", "october"),
    *("november", "december"),
    # ("Febuary": the misspelling, dropping the r no one says, is common enough to be read as the month)
    "febuary",
    *(abbreviation + stop for abbreviation in _MONTH_ABBREVIATIONS for stop in ("", ".")),
    *("janv.", "okt", "okt.", "dez", "dez.", "fév", "fév.", "fev", "fev.", "avr", "avr.", "déc", "déc."),
    *GERMAN_FRENCH_MONTHS,
]
MON = "(?:" + _word_tree(_MONTH_SPELLINGS) + r")(?!(?!(?-i:Mon|Tue|Wed|Thu|Fri|Sat|Sun))[a-z])"
# "Tuesday January 15thTuesday March 12th": flattened HTML glues a date to the next weekday; a day (or, in MON,
# a month) written right before a capitalised weekday still ends there.
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)(?:st|nd|rd|th)?(?!(?!(?-i:Mon|Tue|Wed|Thu|Fri|Sat|Sun))[a-z])"
# A year must not be the start of a 24 h clock such as "2000 UTC" or of a span like "2024-25".
YEAR = r"(?:19|20)\d\d(?!\d|:\d)(?!-\d)(?!\s*(?:hrs?\b|h\b|(?-i:UTC|GMT|BST|CES?T)))"

SP = r"\s{1,3}"  # where one space is written, tolerate a few (double spaces, a stray newline)
SP0 = r"\s{0,3}"

ZONE_ABBR = (
    r"(?-i:UTC|GMT|BST|CEST|CET|EEST|EET|WEST|WET|EDT|EST|ET|CDT|CST|CT|MDT|MST|PDT|PST|PT"
    # zones further east, as listed beside a European or American clock ("9pm IST / 3:30pm GMT")
    r"|IST|JST|KST|AEDT|AEST|ACDT|ACST|AWST|NZDT|NZST|Z)"
)
_PLACES = (
    r"UK|London|British|our|local|forum|Europe/London|NYC|New{SP}York|Toronto|Montreal|Chicago|Denver"
    r"|Colorado|Vancouver|Seattle|SF|San{SP}Francisco|Mexico|Berlin|Central{SP}European|Paris|Amsterdam"
    r"|Brussels|Madrid|Barcelona|BCN|Rome|Lisbon|Dublin|Sydney|Melbourne|Tokyo|India|East{SP}Coast|West{SP}Coast"
).replace("{SP}", r"\s{1,3}")
_CITIES = (
    r"London|NYC|New{SP}York|Toronto|Montreal|Chicago|Denver|Colorado|Vancouver|Seattle|San{SP}Francisco"
    r"|Mexico{SP}City|Berlin|Paris|Amsterdam|Brussels|Madrid|Barcelona|Rome|Lisbon|Dublin|Sydney|Melbourne|Tokyo"
).replace("{SP}", r"\s{1,3}")
# "NYC time", "Berlin time", "9am Pacific", "12:00pm US Eastern": zones named by a place or a region.
ZONE_WORDS = (
    rf"(?:{_PLACES}){SP0}-?{SP0}time"
    # "5pm Central European": Europe's central zone, never US Central
    rf"|(?-i:Central){SP}(?-i:European)(?:{SP}time)?(?![A-Za-z])"
    rf"|(?:(?-i:US|U\.S\.){SP})?(?-i:Pacific|Eastern|Central(?!{SP}European)|Mountain)(?:{SP}(?:standard|daylight))?(?:{SP}time)?"
    r"(?![A-Za-z])|(?-i:UK)"
    # "6am Colorado, 9pm Tokyo, 12noon UTC": a city named alone in a list of clocks
    rf"|(?-i:{_CITIES})(?={SP0}(?:[,;/)|]|\.(?![A-Za-z0-9])|$))"
    # "1:00 PM US/Eastern", "19:00 Europe/Paris": a zone written by its IANA name
    r"|(?-i:(?:Europe|America|US|Canada|Asia|Australia|Africa|Pacific|Atlantic)/[A-Z][A-Za-z_]{2,20}(?:/[A-Z][A-Za-z_]{2,20})?)"
    r"(?![A-Za-z/])"
)
# An offset is glued to its sign ("UTC+1", "UTC +05:30", "UTC+ 1"), so "1500 UTC - 1630 UTC" stays a range.
_OFFSET = r"(?:0?\d|1[0-4])(?::?[0-5]\d)?(?!\d)"
ZONE = rf"(?:{ZONE_ABBR}(?:{SP0}[+-]{_OFFSET}|[+-]{SP0}{_OFFSET})?(?![A-Za-z])|{ZONE_WORDS})"
# "9:00 AM - Mexico time; 10:00 AM - EST": a zone may also follow a dash.
_ZONE_TAIL = (
    rf"(?P<zone>{SP0}\({SP0}{ZONE}{SP0}\)|{SP0}{ZONE}|{SP0}-{SP0}(?:{ZONE_WORDS}|{ZONE_ABBR}(?![A-Za-z+-]))"
    # "15:00 - 17:00 (Add to calendar) GMT": a short aside in brackets between the clock and its zone
    rf"|{SP0}\([^()\n]{{1,24}}\){SP0}(?-i:{ZONE_ABBR})(?![A-Za-z+-]))?"
)

# After am/pm: no lowercase letter ("3 amazing"), but a glued zone is fine ("10amPT").
_AP = r"[ap]\.?m\.?(?!(?-i:[a-z]))"
# "from 11.20. a.m.": a stray full stop between a clock and a dotted "a.m." neither ends the clock nor the sentence.
_DOTTED_AP = r"[ \t]{1,2}(?-i:[ap]\.m\.)"
DOTTED_AP_AFTER_RE = re.compile(_DOTTED_AP)
# A clock cannot follow a currency sign, a letter (v1.2), or another number part (1.2.3, 10/12).
# (an underscore may stand before: markdown italics, "_12:00 PM on Saturday_")
_CLOCK_START = r"(?<![^\W_])(?<![£$€.:#+])(?<!\d,)(?<!\d/)"
CLOCK = (
    r"(?:"
    # "06:00:00 PM", "19:00:00": seconds as a calendar export writes them
    # ("9.pm", "8;00am": a stray full stop before the pm, a semicolon typed for the colon)
    rf"(?:1[0-2]|0?[1-9])(?:[:.;][0-5]\d(?::00|\.(?={_DOTTED_AP}))?|\.(?=[ap]\.?m))?{SP0}{_AP}"
    # "at 4p?": one letter for am/pm, only after "at"
    # (not pence: "at 4p each", "at 5p a bag")
    r"|(?<=\bat )(?:1[0-2]|0?[1-9])(?::[0-5]\d)?[ap](?![\w:]|\.\w|[ \t]{1,3}(?:each|per|a|an|off)\b)"
    # "12.00 noon", "12:00 midday": one clock said twice
    rf"|12[:.]00{SP0}(?:noon|midday)\b"
    rf"|(?:[01]?\d|2[0-3])[:h][0-5]\d(?::00)?(?![\d:])(?:{SP0}(?:hrs|h)\b)?"
    rf"|(?:[01]?\d|2[0-3])\.[0-5]\d(?!\d|\.\d|{SP0}%)"
    # ("1830 - 2000 local time": a 24 h clock with its zone in words)
    # ("at 1300 Berlin time": or in a place's time)
    rf"|(?:[01]\d|2[0-3])[0-5]\d(?={SP0}(?:hrs\b|h\b|{ZONE_ABBR}|local{SP}time\b|(?-i:{_PLACES}){SP0}-?{SP0}time\b))"
    rf"(?:{SP0}(?:hrs|h)\b)?"
    # "0800 + 1700 UTC", "1400 or 1600 UTC": the zone written once after the second
    rf"|(?:[01]\d|2[0-3])[0-5]\d(?={SP0}(?:\+|or|and|&){SP0}(?:[01]\d|2[0-3])[0-5]\d{SP0}{ZONE_ABBR})"
    rf"|(?:[01]?\d|2[0-3])h(?={SP0}{ZONE_ABBR}(?![A-Za-z]))"
    # "Meetup 14.04.2022 19h", "startet um 19h": an afternoon or evening hour with an "h" is a clock (a span
    # of hours is "for 12h", "a 16h shift", "within 24h")
    rf"|(?<!for )(?<!\ba )(?<!\ban )(?<!\bin )(?<!within )(?<!\bper )(?<!every )(?<!\blast )(?<!over )"
    rf"(?:1[2-9]|2[0-3])h(?![\w:]|{SP0}(?:of|per|a|each|shifts?|days?|weeks?|later|earlier|ago|long|straight|total|notice|in\s+advance)\b)"
    # "at 1030 on Wednesday": a 4-digit clock after "at" when "on" follows (no count is "at 1030 on")
    rf"|(?<=\bat )(?:[01]\d|2[0-3])[0-5]\d(?={SP}on\b)"
    rf"|(?:[01]?\d|2[0-3])(?={SP0}(?-i:UTC|GMT)(?![A-Za-z]))"
    rf"|(?:12{SP0})?(?:noon|midday)|midnight"
    r")"
)
HOUR_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?![a-z])"
# The first end of a range may leave out am/pm ("3-4pm", "11-1pm").
# "1300 - 1430 UTC": a 4-digit first end only before a 4-digit second end (never a year before a clock).
_BARE_HOUR = (
    r"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?"
    r"|(?:[01]\d|2[0-3])[0-5]\d(?=\s{0,3}-{1,2}\s{0,3}(?:[01]\d|2[0-3])[0-5]\d(?!\d))"
)

# "from 1600-1800": after "from", two 4-digit clocks joined by a dash are a 24 h range even without a zone
# (never two years: "from 2019-2023").
_HHMM = r"(?:[01]\d|2[0-3])[0-5]\d"
_FROM_24H_START = (
    rf"(?(from)(?!(?:19|20)\d\d{SP0}-{{1,2}}{SP0}(?:19|20)\d\d)"
    rf"(?P<left24>{_HHMM})(?={SP0}-{{1,2}}{SP0}{_HHMM}(?![\d:]|[.,/]\d))|(?!))"
)
_FROM_24H_END = rf"|(?(left24){_HHMM}(?![\d:]|[.,/]\d)|(?!))"

TIME_RANGE_RE = re.compile(
    rf"{_CLOCK_START}(?:(?P<between>between){SP}|(?P<from>from){SP})?(?P<left>{_FROM_24H_START}|{CLOCK}|{_BARE_HOUR})"
    rf"(?P<left_zone>{SP0}{ZONE_ABBR}(?![A-Za-z]))?{SP0}(?P<sep>-{{1,2}}|to|till|til|until|and|through|for){SP0}"
    # ("from 10 am to approx. 1 pm": an end given roughly is still the end)
    rf"(?:(?:approx\.?|approximately|about|around|roughly|ca\.){SP})?"
    # "10-23h": a range ending on a 24 h hour with an "h" (a short "2-3h" is a duration, never read)
    rf"(?P<right>{CLOCK}|(?:1[2-9]|2[0-3])h(?![\w:]){_FROM_24H_END}){_ZONE_TAIL}",
    _I,
)
# "Sunday June 10th, 10-3", "from 8am-5": an hour range whose end says no am/pm, read only beside a date; a
# table's cell ends it too ("| Wednesday 18 February | 12-2 |": the hours of that row's day). "and" joins the
# hours only after "between" ("Sunday 30th between 11 and 1"), which the reader checks before the hour.
BARE_RANGE_RE = re.compile(
    # ("from noon-5": the end is that afternoon)
    rf"{_CLOCK_START}(?:from{SP})?(?P<left>(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?(?:{SP0}{_AP})?|(?:12{SP0})?(?:noon|midday))"
    rf"{SP0}(?P<sep>-{{1,2}}|to|till|until|and){SP0}"
    rf"(?P<right>(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?)(?![\d:]|\.\d|{SP0}[ap]\.?m)"
    rf"(?={SP0}(?:$|[,;!?)\n|]|\.(?!\d)|(?:at|in|on|with|weather)\b))",
    _I,
)
TIME_RE = re.compile(
    rf"{_CLOCK_START}(?P<clock>{CLOCK}){_ZONE_TAIL}"
    # "at 3", "@ 5" and "3 o'clock" name an hour without am or pm; they only count right next to a date.
    rf"|(?:(?<=\bat )|(?<=@ )|(?<=@)|(?<=\bfrom ))(?P<bare>1[0-2]|0?[1-9])(?![\d:.])"
    # "Aug 9 at 3 ET": a regional zone after the bare hour is that hour's zone (UTC/GMT make it 24 h, above)
    rf"(?P<bare_zone>{SP0}(?-i:ET|EST|EDT|PT|PST|PDT|CT|CST|CDT|CET|CEST|BST)(?![A-Za-z]))?"
    rf"(?={SP0}(?:$|[,;!?)]|\.(?!\d)|ish\b|on\b|o'?clock\b|(?:we|i|you|they|for|with|sharp|start|prompt|til|till|until)\b))"
    rf"|(?<![\w.])(?P<oclock>1[0-2]|0?[1-9]){SP0}o'?clock\b",
    _I,
)
# Clocks in words, run only where "half", "quarter" or "o'clock" is written: "half past two", "quarter to
# 7pm", "two o'clock" (am or pm only if written).
WORDED_TIME_RE = re.compile(
    rf"(?<![\w.])(?:(?P<oclock_word>{HOUR_WORDS}){SP0}o'?clock\b"
    rf"|(?P<worded>(?P<fraction>half|quarter){SP}(?P<relation>past|to){SP}(?P<hour>1[0-2]|0?[1-9]|{HOUR_WORDS})"
    rf")(?:{SP0}(?P<worded_ap>{_AP})|(?![\w:]|\.\d)))",
    _I,
)
WORDED_TIME_HINTS = ("half", "quarter", "clock")
# Parses one side of a range or a single clock once it has been found.
CLOCK_PARTS_RE = re.compile(
    rf"(?P<h>\d{{1,2}})(?:[:.h;]?(?P<m>\d\d)(?::00|\.(?={SP0}[ap]))?)?\.?{SP0}(?:(?P<ap>[ap])(?:\.?m)?\.?)?{SP0}(?:hrs|h)?"
    rf"|(?:12(?:[:.]00)?{SP0})?(?P<noon>noon|midday)|(?P<midnight>midnight)",
    _I,
)
ZONE_PARTS_RE = re.compile(
    rf"(?P<abbr>[A-Z]+)(?:{SP0}(?P<sign>[+-]){SP0}(?P<oh>\d{{1,2}})(?::?(?P<om>\d\d))?)?",
)

_RANGE_SEP = rf"{SP0}(?:-{{1,2}}|to|till|until|through|thru|bis){SP0}"
# ("3rd 4th & 5th March": ordinals, each with its suffix, may be listed with nothing but a space between)
_COORD_SEP = (
    rf"(?:{SP0},{SP0}(?:or{SP}|and{SP})?|{SP}(?:or|and|&){SP}|{SP0}[/&]{SP0}|\+"
    rf"|(?<=st|nd|rd|th)[ \t]{{1,2}}(?=\d{{1,2}}(?:st|nd|rd|th)\b))"
)
# ("_15 March_": markdown italics; "Next meeting date25 March": a label run into its date, as a flattened table
# leaves it)
_NUM_START = r"(?:(?<![^\W_])|(?<=date))(?<![£$€.,:/#+-])"
# "13-Jul-2017": a dashed day-month takes its year after another dash.
_YEAR_LEAD = rf"(?:,?{SP0}|(?<=[A-Za-z])-(?=\d{{4}}\b))"


def _date(i: int) -> str:
    """One calendar date with optional weekday and year, its groups suffixed with ``i``."""
    # ("Monday,October 23": the comma may have no space after it)
    # ("Friday21st April": a weekday written out may run into its day, as a table flattened to text leaves it)
    prefix = rf"(?:(?P<wd{i}>{WD})(?:,{SP0}|{SP}|(?<=day)(?=\d))(?:the{SP})?|(?:the{SP}))?"
    # ("Leeds 3 November 23, 2024": a number before a month written month first with its year is no day of it;
    # "21. September": a day with a stop, as German writes it; "1. September 18th" numbers a list)
    dm = (
        rf"(?P<d{i}>{DAY})(?:\.(?={SP}[A-Za-z]{{4}})(?!{SP}{MON}{SP0}(?:3[01]|[12]\d|0?[1-9])(?!\d)))?{SP0}(?:of{SP}|-|,(?={SP}{MON}{SP0}[.,]))?{SP0}(?P<m{i}>{MON})"
        rf"(?!{SP}{DAY},?{SP0}{YEAR})"
    )
    # ("Wednesday March, 18th", "on November, 5th": after a weekday or "on", a comma after the month before an
    # ordinal day; never "In March, 5th graders …")
    md = (
        rf"(?:(?<=\bon )(?P<on{i}>))?"
        rf"(?P<ma{i}>{MON})(?:{SP}|(?(wd{i}),{SP0}(?=\d{{1,2}}(?:st|nd|rd|th)\b)|(?(on{i}),{SP0}(?=\d{{1,2}}(?:st|nd|rd|th)\b)|(?!))))"
        rf"(?:the{SP})?(?P<da{i}>{DAY})"
    )
    return rf"{prefix}(?:{dm}|{md})(?:{_YEAR_LEAD}(?P<y{i}>{YEAR}))?"


def _partial(i: int, *, weekday: bool) -> str:
    """A day of the month without a month, optionally with a weekday ("Tues 4th", "the 6th")."""
    # "Saturday (14th)": an ordinal in brackets restates the weekday's day of the month.
    wd = (
        rf"(?P<wd{i}>{WD})(?:,?{SP}|{SP0}\({SP0}(?=\d{{1,2}}(?:st|nd|rd|th){SP0}\)))(?:the{SP})?"
        if weekday
        else rf"(?:(?P<wd{i}>{WD}),?{SP})?(?:the{SP})?"
    )
    return wd + rf"(?P<d{i}>{DAY})"


# Order matters: at one position the first alternative that matches wins, so longer shapes come first.
DATE_RE = re.compile(
    r"(?:(?<![^\W_])date(?=\d))?"  # (the label run into its date is read from its own word start)
    + _NUM_START
    + r"(?:"
    # Friday 29th April - Sunday 1st May 2022 · May 30 - June 2 · Friday, Nov. 12, to Sunday, Nov. 14
    + rf"(?P<full>{_date(1)}(?:,(?={SP0}(?:to|through|thru|till|until)\b))?{_RANGE_SEP}{_date(2)})"
    # 17th-19 May 2024 · Friday 17th - Sunday 19th May · 23-24th September
    # 15. - 18. March 2012: days written with a full stop, as in German
    # ("from Wednesday, the 26th, to Friday, the 28th of July": a comma before "to")
    + rf"|(?P<dmrange>{_partial(3, weekday=False)}\.?(?:,(?={SP0}(?:to|through|thru|till|until)\b))?{_RANGE_SEP}"
    + rf"{_partial(4, weekday=False)}\.?{SP0}(?:of{SP})?"
    + rf"(?P<m4>{MON})(?:{_YEAR_LEAD}(?P<y4>{YEAR}))?)"
    # May 17-19, 2024 ("May 8th - 10.00 am until 1 pm": a clock after the dash is the day's hours, not a last day)
    + rf"|(?P<mdrange>(?:(?P<wd5>{WD}),?{SP})?(?P<m5>{MON}){SP}(?:the{SP})?(?P<d5>{DAY}){_RANGE_SEP}"
    # "October 29 - 30 - 31": the days between written out too
    # ("May 17-Wednesday, 18, 2022": the last day's weekday written before it)
    + rf"(?:{DAY}{SP0}-{SP0}){{0,2}}(?:{WD},?{SP})?(?P<d6>{DAY})"
    + rf"(?![.:]\d|{SP0}[ap]\.?m\b)"
    + rf"(?:{_YEAR_LEAD}(?P<y6>{YEAR}))?)"
    # Tues 4th or Thurs 6th April · 4th, 5th or 6th April · 17th and 18th May
    + rf"|(?P<list>(?:{_partial(7, weekday=False)}{_COORD_SEP}){{1,6}}){_date(8)}"
    + rf"|(?P<single>{_date(9)})"
    # "in June (8-11) and October (19-23)", "in March (22nd)": a month with its day or days in brackets
    + rf"|(?P<mbr>(?P<m13>{MON}){SP0}\({SP0}(?P<d13>{DAY})(?:{_RANGE_SEP}(?P<d14>{DAY}))?{SP0}\))"
    # 2024-07-02, 2024/07/02 (the T-form with a clock is read as a timestamp before this); 2024.07.02, year
    # first with stops as East Asia and Hungary write it, only with a two-digit month and day ("2024.1.2" is
    # more often a version)
    + r"|(?P<iso>(?P<iy>(?:19|20)\d\d)(?P<isep>[-/]|\.(?=\d\d\.\d\d(?![\d.]\d)))(?P<im>0?[1-9]|1[0-2])(?P=isep)(?P<id>0?[1-9]|[12]\d|3[01]))(?![\d/-]|\.\d)"
    # 02/07/2024, 2/7/24, 02.07.2024: day first, as written in the UK; 03-21-2025 (with dashes, only before a
    # year written in full)
    + rf"|(?P<numeric>(?:(?P<wd12>{WD}),?{SP})?(?P<n1>\d{{1,2}})(?P<nsep>[/.]|-(?=\d{{1,2}}-(?:19|20)\d\d(?![\d-])))(?P<n2>\d{{1,2}})(?P=nsep)(?P<ny>(?:19|20)\d\d|\d\d))(?![\d/.]\d|\d)"
    # Mon 6/3 (no year: the weekday decides between day-first and month-first); "Sunday the 27.05.",
    # "Sunday (13.09)" (day first)
    + rf"|(?P<wdnum>(?P<wd11>{WD}),?{SP}(?:(?P<n3>\d{{1,2}})/(?P<n4>\d{{1,2}})(?![\d/])"
    # ("Friday 9.3": a month of one digit needs no closing stop; "Friday 9.30" is a clock)
    + rf"|(?:the{SP})?(?P<n3d>\d{{1,2}})\.(?P<n4d>\d{{1,2}})(?:\.(?![\d.])|(?<=\.\d)(?![\d.:,]))"
    # "this Sunday (13.09)": the day and month in brackets after the weekday
    + rf"|\({SP0}(?P<n3b>\d{{1,2}})\.(?P<n4b>\d{{1,2}}){SP0}\)))"
    # Tuesday 4th · Thursday the 12th (the month follows from the weekday)
    # ("Tue 4th - 5-6pm" is a day and its hours; "Tue 4 - 6" a span this does not read)
    # ("Tuesday 16:00 GMT", "Fri 10.30", "Sat 4 pm", "Sun 18h": a weekday and its clock, not a day of the month)
    + rf"|(?P<wdday>{_partial(10, weekday=True)})(?!{SP0}(?:of{SP})?{MON}|{SP0}[-/]{SP0}\d(?!\d?(?:[:.]\d\d)?{SP0}-{SP0}\d)"
    + rf"|[:.h][0-5]\d(?!\d)|{SP0}[ap]\.?m\b|{SP0}h\b|{SP0}hrs\b)"
    + r")",
    _I,
)
# "Oct 8, 15, 29th", "May 22 or maybe 23", "Dec 5 and 7", "Dec 5/7": more days of the month just written
# (month first), each followed by something that ends a date, not by a noun ("Oct 8, 15 people came").
DAY_CONTINUATION_RE = re.compile(
    rf"(?P<glue>{SP0}(?:,{SP0}(?:(?:or|and){SP}|&{SP0})?|/|&|{SP}(?:or|and|&){SP})"
    rf"(?:(?:maybe|perhaps|possibly|also){SP})?(?:the{SP})?)(?P<day>{DAY})"
    # "September 26th and 27th 2020": the year written once after the last day (or "in" and the place)
    rf"(?=(?:{SP0},?{SP0}(?P<year>(?:19|20)\d\d)(?![\d:])"
    # a ':' or '.' with a digit after it makes the number an hour ("Mon, Dec 5, 9:00 pm"), not a day
    # ("June 1 and 2**.": markdown emphasis closing after the last day ends it too)
    rf"|{SP0}(?:$|[,;?!)(/&]|(?<!\s)[*_]{{1,2}}(?![\w*])|[.:](?!\d)|-(?!{SP0}\d)|(?:or|and|is|are|would|works?|at|in|from|both|each|meetings?|calls?|sessions?)\b)))",
    _I,
)
# "3rd - 4th or 10th - 11th June": a span of days offered before a span with its month.
RANGE_BEFORE_RE = re.compile(
    rf"(?<![\w.,/-])(?P<first>{DAY}){_RANGE_SEP}(?P<last>{DAY}){SP0}(?P<glue>,{SP0}or|,|or){SP0}$", _I
)
# What may stand beside the day in a line that is only a day ("Tuesday, May 9th", "TONIGHT! -"), and the
# whitespace (at most one blank line) between such a heading and the sentence it heads.
HEADING_DAY_REST_RE = re.compile(r"[\s,.:;!()-]*")
HEADING_GAP_RE = re.compile(r"[ \t]{0,8}(?:\n[ \t]{0,8}){0,2}|[ \t]{1,8}")
# "… is the developer meeting. This generally takes place at 4pm UTC": a sentence that gives the time of
# the gathering just named, however long it runs on.
TAKES_PLACE_RE = re.compile(
    r"\s*(?:it|this|that|the\s+(?:call|meeting|session|event|gathering|meetup))\s+(?:[a-z]+\s+){0,2}?"
    r"(?:takes?\s+place|starts?|begins?|kicks?\s+off|is\s+held|will\s+be\s+held|runs?)\s+(?:at|from)\b"
    # "Meet at the beach entrance at 11am.", "Please meet outside the hall at 10am": where and when to gather
    r"|\s*(?:please\s+)?meet\s+(?:us\s+)?(?:at|outside|by|in)\b",
    _I,
)
# "We should be done by 11am", "It will finish at 4pm": the sentence after it gives the same gathering's end.
LATER_CLOCK_ENDS_RE = re.compile(
    r"\b(?:done|finish(?:es|ed|ing)?|ends?|ending|wrap(?:s|ping)?\s+up|over)\s+(?:by|at|around|about)\s+$", _I
)
# "starts 18:00 UTC, closes at 19:00": a start and its end written as two clocks.
CLOCK_THEN_END_RE = re.compile(
    # ("arrive at 10.30am – end around 3.30pm": a dash before the end's word)
    r"[ \t]{0,3}[,;\u2013-]?[ \t]{0,3}(?:and[ \t]{1,3})?(?:(?:it|we|the\s+\w+)[ \t]{1,3})?(?:will[ \t]{1,3})?"
    # ("from 10.00 am and be finished by 1.00 pm", "will commence at 12.30pm and will have concluded by 1.30pm")
    r"(?:have[ \t]{1,3})?(?:be[ \t]{1,3})?"
    r"(?:close[sd]?|closing|ends?|ending|finish(?:es|ing|ed)?|conclude[sd]?|concluding|wraps?[ \t]{1,3}up|wrapping[ \t]{1,3}up"
    # "start at 7pm and go on to at least 10pm", "… and run until 4pm"
    r"|(?:go(?:es|ing)?|run(?:s|ning)?|carry(?:ing)?[ \t]{1,3}on|last(?:s|ing)?)(?:[ \t]{1,3}on)?[ \t]{1,3}(?:to|until|till)"
    r"(?:[ \t]{1,3}at[ \t]{1,3}least)?)"
    r"[ \t]{1,3}(?:at|by|around|about)?[ \t]{0,3}(?:no[ \t]{1,3}later[ \t]{1,3}than[ \t]{1,3})?",
    _I,
)
# "starts at 7pm on Friday 24 September and ends at 10pm": the day between the start and the end.
DAY_THEN_END_RE = re.compile(
    r"[ \t]{1,3}on[ \t]{1,3}[\w ,]{3,40}?[ \t]{1,3}and[ \t]{1,3}(?:it[ \t]{1,3})?(?:will[ \t]{1,3})?"
    r"(?:close[sd]?|ends?|finish(?:es)?|wraps?[ \t]{1,3}up)[ \t]{1,3}(?:at|by|around|about)?[ \t]{0,3}",
    _I,
)
# "the 6th at 7pm": an ordinal day of the month with its clock right after it (the month is the next with
# such a day); without a clock a bare "the 6th" is too often a count or a rank to read.
ORDINAL_NUMBER_RE = re.compile(r"\d{1,2}(?:st|nd|rd|th)\b")
ORDINAL_DAY_RE = re.compile(
    rf"(?<![\w-])the{SP}(?P<day>(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th))(?![\w-])"
    rf"(?={SP0},?{SP0}(?:(?:at|@|from){SP0})?(?:1[0-2]|0?[1-9]|1\d|2[0-3])(?:[:.][0-5]\d)?{SP0}(?:[ap]\.?m\b|[:.h]|(?-i:UTC|GMT|BST)))",
    _I,
)
# "I could do the 5th, 19th or 26th", "I'd prefer the 5th": days of the month offered or chosen in a thread
# that is finding a date; the verb before them is what makes a bare ordinal a day.
# The same family announces days in running text: "see you on the 23rd", "the concert on 7th, the talk on
# 21st", "(that's the 13th)".  There the ordinal must end its phrase (a stop, a comma, "at", "between", "in",
# "and" before a name…), so "on the 5th floor", "on the 3rd and final day" are never days.
_ORDINAL = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)"
_ANNOUNCED_DAY_END = (
    r"(?=[ \t]{0,3}(?:[.,;:!?)\n]|$|(?:at|from|between|in|when|with|-)(?![\w-])"
    # "December's will be on the 10th of the month": the month named before it (never a series' day alone)
    r"|of[ \t]{1,3}the[ \t]{1,3}month\b"
    r"|(?:and|or)[ \t]{1,3}(?:(?-i:[A-Z])|the\b|on\b|at\b)))"
)
OFFERED_DAYS_RE = re.compile(
    rf"\b(?:(?:(?:can|could)(?:{SP}(?:probably|also|maybe|definitely|only|still))?{SP}(?:do|make|offer)"
    rf"|prefer|how{SP}about|what{SP}about|suggest|go{SP}for){SP}the"
    rf"|(?P<announced>on(?:{SP}the)?|(?:that's|that{SP}is|i\.e\.?|ie),?{SP}the))"
    rf"{SP}(?P<days>(?>{_ORDINAL}(?:(?:{SP0},{SP0}(?:or{SP})?|{SP}(?:or|and){SP})(?:the{SP})?{_ORDINAL}){{0,12}}))"
    rf"(?(announced){_ANNOUNCED_DAY_END}|(?![\w-]|{SP0}(?:of{SP})?{MON}|{SP}of\b))",
    _I,
)
# "hope to see you on the 12th", "seeing many of you on the 23rd", "join us … on the 15th": the writer meeting
# the readers, so a day alone after it is a gathering's (see ``_items._gathering_ahead_on``).
INVITED_ON_RE = re.compile(
    rf"\b(?:see(?:ing)?{SP}(?:(?:many|some|all|lots|most|more|each|both){SP}of{SP})?(?:you|y'all|everyone|everybody)"
    rf"|join(?:ing)?{SP}(?:us|me))\b",
    _I,
)
# "The 20th would work too", "the 5th or 12th suits me", "would 23rd be better?": days offered by what is said
# of them after.
OFFERED_DAYS_AFTER_RE = re.compile(
    rf"\b(?:the|if(?:{SP}the)?|would(?:{SP}the)?){SP}(?P<days>(?>{_ORDINAL}(?:(?:{SP0},{SP0}(?:or{SP}|and{SP})?|{SP}(?:or|and){SP})(?:the{SP})?{_ORDINAL}){{0,6}}))"
    # ("let me know if 21st would also do": "do" only after "would", and ending the clause)
    rf"(?={SP}would{SP}(?:also{SP}|still{SP})?do\b(?![ \t]{{1,3}}\w)"
    rf"|{SP}(?:(?:would|could|might|will|should){SP})?(?:also{SP}|still{SP})?"
    rf"(?:works?|suits?|be{SP}(?:fine|good|better|best|ok|okay|possible|great|perfect)|is{SP}(?:fine|good|better|best|ok|okay|possible|great|perfect))\b"
    # "The 12th and 19th will be 'free' events", "the 26th will be our planning meeting": days said to be gatherings
    rf"|{SP}will{SP}be{SP}(?:[\w'‘’-]{{1,16}}{SP}){{0,3}}(?:events?|meetings?|sessions?|socials?|workshops?|talks?|walks?|gatherings?)\b)",
    _I,
)
OFFERED_DAY_RE = re.compile(_ORDINAL, _I)
# "Changed to 17th", "has been postponed to the 19th": the new day of a move told as done, written alone, is
# the next such day; a move only proposed ("could we push it back to the 21st?") waits for the thread.
MOVED_TO_DAYS_RE = re.compile(
    rf"\b(?:moved|changed|re-?scheduled|postponed|pushed{SP}back|brought{SP}forward|put{SP}back)\b[^.!?\n]{{0,40}}?\bto{SP}(?:the{SP})?"
    rf"(?P<days>(?>{_ORDINAL}(?:(?:{SP0},{SP0}(?:or{SP})?|{SP}or{SP})(?:the{SP})?{_ORDINAL}){{0,3}}))"
    rf"(?![\w-]|{SP0}(?:of{SP})?{MON}|{SP}of\b){_ANNOUNCED_DAY_END}",
    _I,
)
# "a meetup on the 5th?": the day ends the question that proposes it.
QUESTION_AFTER_RE = re.compile(r"[ \t]{0,3}\?")
# "The next month, March, will be…", "an October event": a month named alone (capitalised, no day beside it), the
# month of a day written alone after it.
MONTH_NAMED_ALONE_RE = re.compile(
    # (at a sentence's start only as the possessive, "December's will be on the 10th": not "May I …")
    r"(?<![\w-])(?<!\d[ \t])(?<!(?:st|nd|rd|th|of)[ \t])"
    rf"(?:(?<![.!?\n][ \t])(?<!\n)|(?={MON}['’]s\b))(?-i:(?=[A-Z]))"
    rf"(?P<mon>{MON})(?!{SP0}(?:\d|the\b)|[ \t]{{1,3}}(?:19|20)\d\d)",
    _I,
)
# "events coming up this month – the concert on 7th": the month an announced day belongs to.
THIS_OR_NEXT_MONTH_RE = re.compile(r"\b(?P<which>this|next)\s{1,3}month\b", _I)
# "the 18th or 25th (Wednesdays)", "the 24th as well which is a Wed": the weekday they fall on, which picks
# their month.
OFFERED_WEEKDAY_RE = re.compile(
    rf"{SP0}[(,]?{SP0}(?:(?:as{SP}well|too),?{SP0})?(?:(?:which|that){SP}(?:is|are|'s){SP}(?:a{SP})?|both{SP}|all{SP})?"
    rf"(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]{{0,7}}\b",
    _I,
)
# "2/19 WeWa, 10am-12pm", "from 3/8 to 3/15": month/day with no year, read only where the forum is North
# American and the numbers stand where a date would (a line's start, after "on"/"for"/"to", before a clock).
MONTH_DAY_RE = re.compile(
    # ("10/14: 1:30-2:00pm": a colon closing the date is no clock's)
    r"(?<![\w/.:$£€#+-])(?P<month>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])(?![\w/%-]|[.,:]\d)"
)
# "31/10 at 10:30": day/month (month/day on a North American forum) with no year, read on a day-first forum
# only where a clock or "at" follows or a word such as "on" leads in (never a bare fraction such as "1/2").
DAY_MONTH_RE = re.compile(
    r"(?<![\w/.:$£€#+-])(?P<first>3[01]|[12]\d|0?[1-9])/(?P<second>3[01]|[12]\d|0?[1-9])(?![\w/%-]|[.,:]\d)"
)
DAY_MONTH_BEFORE_RE = re.compile(r"\b(?:on|for|from|until|till|meeting|call|date:?)\s+(?:the\s+)?$", _I)
DAY_MONTH_AFTER_RE = re.compile(
    r"\s*,?\s*(?:(?:at|@|from)\s*)?(?:\d{1,2}(?:[:.]\d\d|\s*[ap]\.?m\b)|(?:at|@)\s*\d{1,2}\s*(?:$|[,;!?)]|\.(?!\d)))"
    r"|\s*,?\s*(?:at|@)\s+(?:noon|midday|half|quarter)"
    # "the 26/7 meeting": the date of the gathering named right after it; "11/8 (Sunday)": its weekday restated
    r"|[ \t]{1,3}(?:meeting|call|session|workshop|social|meetup|gathering)s?\b"
    rf"|[ \t]{{0,3}}\([ \t]{{0,3}}{WD}[ \t]{{0,3}}\)",
    _I,
)
MONTH_DAY_BEFORE_RE = re.compile(
    r"(?:^|\n|\b(?:on|for|to|from|until|till|of|meeting|call|date:?)\s+)\s*$", _I
)
MONTH_DAY_AFTER_RE = re.compile(
    r"\s*(?:$|\n|[,:;)]|-\s|(?:at|from|@)\s|\d)"
    r"|[ \t]{1,3}(?:meeting|call|session|workshop|social|meetup|gathering)s?\b"
    rf"|[ \t]{{0,3}}\([ \t]{{0,3}}{WD}[ \t]{{0,3}}\)",
    _I,
)
# A date that ends on its day number, month first ("Oct 8", "November 6th"), with no year after it.
MONTH_FIRST_END_RE = re.compile(rf"{MON}{SP0}(?:the{SP})?{DAY}$", _I)
# "2 p.m. on Feb 4, 5 and 6" / "4, 5 and 6 March, 7-9pm": one clock written right before or right after a list
# of days (read only in a few characters beside the list)
CLOCK_BEFORE_LIST_RE = re.compile(r"\d\s?(?:[ap]\.?\s?m\b\.?|o'clock)\s*(?:on\s+)?$", _I)
CLOCK_AFTER_LIST_RE = re.compile(
    r"(?:st|nd|rd|th)?\s?[,;-]?\s?(?:at\s|from\s)?\s?\d{1,2}(?:[:.]\d\d)?\s?"
    r"(?:[ap]\.?\s?m\b|[-\u2013]\s?\d{1,2}(?:[:.]\d\d)?\s?[ap]\.?\s?m\b)",
    _I,
)
LIST_ITEM_RE = re.compile(rf"{_partial(0, weekday=False)}", _I)

# Weekday-only mentions; "Tuesdays" is recurring and never matches (WD refuses a following letter).
WEEKDAY_RE = re.compile(
    rf"(?<![\w-])(?:(?P<mod>next|this(?:{SP}coming)?|coming|on|last|every|each|most|alternate){SP})?(?P<wd>{WD})",
    _I,
)
# "Friday we will meet at 18:00", "**Tuesday** I'll host the call": a weekday opening its sentence (or line), its
# subject right after, is said as "on Friday" is.
WEEKDAY_OPENS_SENTENCE_BEFORE_RE = re.compile(
    r"(?:^|[.!?][ \t]{1,3})[ \t]*(?:[-*>][ \t]{1,3})?(?:\*\*|__)?$", re.M
)
SUBJECT_AFTER_WEEKDAY_RE = re.compile(
    r"(?:\*\*|__)?,?[ \t]{1,3}(?:we|i|you|they|there)(?:'(?:ll|re|m|d))?\b(?![ \t]{1,3}(?:was|were|had|did)\b)",
    _I,
)
RELDAY_RE = re.compile(
    rf"\b(?:(?P<dat>the{SP}day{SP}after{SP}tomorrow)|(?P<tomorrow>tomorrow|tmrw)|(?P<today>today|tonight)"
    rf"|(?P<this>this{SP}(?:morning|afternoon|evening)))(?:'s)?"
    rf"(?:{SP}(?P<part>morning|afternoon|evening|night|lunchtime))?\b",
    _I,
)
IN_DELTA_RE = re.compile(
    rf"\bin{SP}(?P<approx>(?:about|around|roughly|approx\.?|approximately|another|just{SP}under|just{SP}over|a{SP}few"
    rf"|a{SP}couple{SP}of|several){SP})?"
    rf"(?P<n>\d{{1,3}}|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty[\s-]five|half{SP}an?)"
    rf"{SP0}(?P<unit>minutes?|mins?|hours?|hrs?)\b(?P<approx_after>{SP0}(?:or{SP}so|-?ish))?",
    _I,
)

# Markup and timestamps are read before prose and blanked, so their digits cannot be read twice.
# Possessive quantifiers (Python 3.11+): a tag that does not close is abandoned at once, never re-split.
DISCOURSE_DATE_RE = re.compile(r"\[date=(?P<date>[^\]\s]{1,40}+)(?P<attrs>[^\]\n]{0,400}+)\]", _I)
DISCOURSE_RANGE_RE = re.compile(r"\[date-range(?P<attrs>[^\]\n]{0,400}+)\]", _I)
MARKUP_ATTR_RE = re.compile(r"(?P<key>[a-zA-Z]+)=(?:\"(?P<q>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\]]+))")
COOKED_SPAN_RE = re.compile(r"<span\b(?P<attrs>[^<>]{0,1200}+)>(?P<inner>[^<]{0,300}+)</span>", _I)
DATA_ATTR_RE = re.compile(r"\bdata-(?P<key>date|time|timezone|range|recurring)=\"(?P<value>[^\"]*)\"", _I)
# Discourse's local dates flattened to text glue the stamps together ("…18:00:00Z2023-03-03T19:30:00Z").
ISO_STAMP_RE = re.compile(
    r"(?:(?<![\w-])|(?<=\dZ))(?P<date>(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))T"
    r"(?P<time>[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?)(?P<offset>Z|[+-][0-2]\d:?[0-5]\d)?(?!(?<!Z)[\w:]|(?<=Z)(?!(?:19|20)\d\d-)[\w:])",
    _I,
)
# Between two stamps that make one span: nothing (flattened local dates), a dash, an arrow, "to" or an ISO
# interval's slash.
STAMP_JOIN_RE = re.compile(r"\s{0,3}(?:(?:->|→|-{1,2}|/|to|until|till)\s{0,3})?", _I)
MARKUP_JOIN_RE = re.compile(r"^\s?(?:->|→|-{1,2}|to|until|till)\s?$", _I)

# Code is quoted, not meant: blanked before anything else is read.
CODE_RE = re.compile(
    r"```.{0,20000}?```|`[^`\n]{1,500}`|<code>.{0,5000}?</code>|<pre>.{0,20000}?</pre>", re.I | re.S
)
EVENT_TAG_RE = re.compile(r"\[event\b(?P<attrs>[^\]\n]{0,800}+)\]", _I)
# Text that never holds a date for us: links, e-mail addresses, HTML tags, BBCode tags and their attributes.
# Each pattern comes with a substring that must be present for it to be worth running, or a pattern that must find
# something.
EMAIL_RE = re.compile(r"[\w.+-]{1,64}+@[\w-]{1,63}+\.[\w.-]{1,200}+", _I)
# Every address holds its "@" and the domain's first part and stop just as EMAIL_RE reads them: searched from the
# "@" (a literal, which sre skips to), where EMAIL_RE, opening on a word character, is tried at every letter of
# the post and runs each word to its end ("@name" mentions and "Tuesday @ 7pm" hold an "@" but no address).
EMAIL_DOMAIN_HINT_RE = re.compile(r"@[\w-]{1,63}+\.", _I)
NOISE_PATTERNS: list[tuple[str | re.Pattern[str], re.Pattern[str]]] = [
    ("://", re.compile(r"https?://[^\s<>\"')\]]{1,2000}+", _I)),
    ("www.", re.compile(r"www\.[^\s<>\"')\]]{1,2000}+", _I)),
    (EMAIL_DOMAIN_HINT_RE, EMAIL_RE),
    ("<", re.compile(r"<[^<>]{0,2000}+>", _I)),
    ("](", re.compile(r"\]\([^)\s]{0,2000}+\)", _I)),
    (
        "[",
        re.compile(
            r"\[/?(?:poll|quote|details|wrap|chat|spoiler|img|url|email|size|color)\b[^\]\n]{0,800}+\]", _I
        ),
    ),
    # "~~30th of May at the usual slot~~", "<del>Tuesday 4th</del>": struck through, so withdrawn (the tildes hug
    # words: "~~ News ~~" is trim)
    ("~~", re.compile(r"~~(?=[^\s~])[^~\n]{1,300}?(?<=[^\s~])~~")),
    ("<del>", re.compile(r"<del>[^<]{1,800}?</del>", _I)),
    ("<s>", re.compile(r"<s>[^<]{1,800}?</s>", _I)),
    ("<strike>", re.compile(r"<strike>[^<]{1,800}?</strike>", _I)),
]
# "2024-03-01T18:00": a digit, "T", a digit (spelt from the "T", a rarer candidate for the scan than a digit, and
# then the digit before it looked back at: the same texts as r"\d[Tt]\d")
ISO_HINT_RE = re.compile(r"[Tt](?<=\d[Tt])\d")
# (spelt "\d\d*", not "\d+": a pattern that opens on a character set lets the scan skip to its candidates)
DIGIT_RUN_RE = re.compile(r"\d\d*")
# In ASCII text (the usual post), where \d is [0-9], the same two scans spelt with a range, which sre tests faster
# than the Unicode digit category: the same matches there.
ASCII_DIGIT_RUN_RE = re.compile(r"[0-9][0-9]*")
ASCII_ISO_HINT_RE = re.compile(r"[0-9][Tt][0-9]")
# The first three letters of every word a date can begin with: weekdays, months, "the" (and "date", run into its
# day).
DATE_OPENERS = frozenset(list(WEEKDAYS) + list(MONTHS) + ["the", "dat", "tu ", "th "])
WORD_START_RE = re.compile(r"(?<![\w])[\w]")
ORDINAL_WORD_NUMBERS = {
    word: n
    for n, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
_ORDINAL_WORD = (
    "(?:"
    + "|".join(ORDINAL_WORD_NUMBERS)
    + "|twenty[ -]?(?:"
    + "|".join(list(ORDINAL_WORD_NUMBERS)[:9])
    + ")|thirtieth|thirty[ -]?first)"
)
# "the first of April", "Wednesday July third": a day of the month written as a word.
WORDED_DATE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<wd>{WD}),?{SP})?(?:(?:the{SP})?(?P<ord>{_ORDINAL_WORD}){SP}of{SP}(?P<mon>{MON})"
    rf"|(?P<mon2>{MON}){SP}(?:the{SP})?(?P<ord2>{_ORDINAL_WORD})"
    rf"(?![\w-]|{SP}(?:of|time|day|week|weekend|round|half|quarter|place|year|term|session|meeting)\b))"
    rf"(?:,?{SP}(?P<year>{YEAR}))?",
    _I,
)
# The first three letters of every word a date in words can begin with: weekdays, months, "the", ordinals.
ORDINAL_OPENERS = frozenset(word[:3] for word in ORDINAL_WORD_NUMBERS) | {"the"}
WORDED_DATE_OPENERS = DATE_OPENERS | ORDINAL_OPENERS
HOLIDAY_DAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "halloween": (10, 31),
    "hallowe'en": (10, 31),
}
HOLIDAY_DAY_RE = re.compile(r"(?<![\w-])(?-i:C|H)(?:hristmas\s{1,3}(?:Eve|Day)|allowe'?en)\b", _I)
# A line that names a month and nothing dated ("Sessions in March:", "## June 2025"): the month of the day-only
# items below it ("Tue 6th - 5-6pm").
MONTH_HEADING_RE = re.compile(
    rf"^[#*>\s-]{{0,6}}(?:[A-Za-z'&]+[ \t]+){{0,5}}?(?P<mon>{MON})(?:[ \t]+(?P<year>(?:19|20)\d\d))?[ \t]*:?[ \t*#]*$",
    re.IGNORECASE | re.MULTILINE,
)
# "Sept 2018" / "11th - AGM": a line opened by a day of the month and a dash or a colon, under a month heading.
ORDINAL_OPENS_LINE_RE = re.compile(
    r"[ \t*>-]{0,6}(?P<day>(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th))[ \t]{0,3}[:-][ \t]{1,3}(?=[A-Za-z])",
    re.IGNORECASE,
)
# A line that stops on one of these words goes on on the next line ("Saturday 14th March from\n2-4.30 pm").
LINE_GOES_ON = (
    tuple(
        f" {word}"
        for word in ("from", "at", "on", "between", "until", "till", "and", "or", "of", "with", "the")
    )
    + ("@",)
    # "end on Tuesday,  \nApril 29.": a hard-wrapped weekday and comma wait for their date (only the last 9
    # characters, spaces included, are looked at, so the weekdays' endings)
    + ("onday,", "esday,", "rsday,", "riday,", "urday,", "unday,")
)
BULLETS = frozenset("•*- \t")
# What may stand before the words of a line (indent, list bullets, a heading's or a quote's marks, a table's bar):
# a date after nothing but these opens its line.
LINE_MARKS = " \t*#>|-•◦▪·"
# "SUN:" then "• 4pm UTC", "• 12pm EDT" on the lines below: one moment under its heading.
# (a programme's line names its session after the clock, "• 9:45AM Pitch practice": a line of its own)
BULLET_CLOCK_LINE_RE = re.compile(
    rf"[ \t]*[•*-][ \t]*(?:1[0-2]|0?[1-9]|1\d|2[0-3])(?:[:.][0-5]\d)?[ \t]*(?:[ap]\.?m\b|{ZONE_ABBR}\b)"
    r"(?:[ \t]*-[ \t]*(?:1[0-2]|0?[1-9]|1\d|2[0-3])(?:[:.][0-5]\d)?[ \t]*(?:[ap]\.?m\b)?)?+"
    rf"(?![ \t]{{1,3}}(?!(?-i:Pacific|Eastern|Central|Mountain)|{ZONE_ABBR}\b)[A-Za-z]{{3,}})",
    _I,
)
SHORT_HEADING_RE = re.compile(r"(?:^|\n)[^\n]{1,24}:[ \t]*$|(?:^|\n)[ \t]*[•*-][ \t]*\d[^\n]{0,30}$")
# ("[.!?]+(?=\s)|\n", spelt to open on one character set so the scan skips to its candidates)
SENTENCE_END_RE = re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[.!?]*(?=\s))")
# "Sunday the 27.05. at 10:00": a day and month written with stops, then a lowercase word: the sentence goes on.
DOTTED_DAY_MONTH_BEFORE_RE = re.compile(r"(?<![\d.])(?:3[01]|[12]\d|0?[1-9])\.(?:1[0-2]|0?[1-9])$")
LOWER_WORD_AFTER_RE = re.compile(r"[ \t]{1,3}(?-i:[a-z])")
# "am 21. September", "vom 13. bis 16. Oktober": a day written with a stop, then its month (or "bis" and the last day).
DAY_STOP_BEFORE_RE = re.compile(r"(?<![\d.])(?:3[01]|[12]\d|0?[1-9])$")
MONTH_OR_BIS_AFTER_RE = re.compile(rf"[ \t]{{1,3}}(?:{MON}(?![.:]?\d)|bis\b)", re.IGNORECASE)
# A full stop after these does not end a sentence ("3 p.m. on", "Oct. 3rd", "e.g. Tuesday").
NOT_SENTENCE_END = frozenset(
    [
        "a.m",
        "p.m",
        "pm",
        "v",
        "vs",
        "i.e",
        "e.g",
        "eg",
        "ie",
        "approx",
        "no",
        "nos",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "weds",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        # a street's compass point ("2300 S. 18th Street", "W. 23rd St."), not the end of a sentence
        "n",
        "s",
        "e",
        "w",
    ]
)
CLAUSE_END_RE = re.compile(
    # ("postponed the concert which was due for 25th June......Richard will now visit on 29th October": an
    # ellipsis before a capital ends what was said)
    r"(?:\.{2,}|…)\s*(?=(?-i:[A-Z]))|;|\s(?:but|whereas|while)\s|,\s(?:and|but|so)\s|\sand\s(?=(?:the|then|we|i|it)\s)|,\s(?=(?:we|we'll|let's)\s)",
    _I,
)

# Glue allowed between a date and a clock that belongs to it (matched whole against short gaps only).
# A preference said between a day and its clock proposes both ("Sunday afternoon works best: 2pm", "Tuesday
# suits me at 3pm").
GLUE_AFTER_RE = re.compile(
    r"\s*[,;:]?\s*(?:(?:at|@|from|between|starting(?:\s+at)?|starts?\s+at|start(?:ing)?\s+from"
    r"|kick(?:s|ing)?\s+off\s+at|beginning\s+at|both|each|all|either|-|\(|\)|,|\||•|·|time\s*:|\*\*"
    # "on Saturday 29 March at about 2pm": a clock said roughly
    r"|about|around|approx(?:imately|\.)?|roughly|circa"
    # "at the regular time of 3pm", "at the new time of 11:00": the clock named as the meeting's time
    r"|(?:the\s+)?(?:usual|regular|normal|new|same)\s+time(?:\s+of)?"
    r"|(?:works?|suits?)(?:\s+(?:best|better|well|(?:for\s+)?(?:me|us|everyone))){0,2}\s*:?)\s*){0,4}",
    _I,
)
GLUE_BEFORE_RE = re.compile(
    # ("*03:00 UTC*, 2024-07-28": markdown emphasis may close between the clock and its date)
    r"\s*[*_]{0,2}\s*[,)]?\s*(?:(?:onwards|sharp|start|kick-?off|prompt|ish)\s*,?\s*)?-?\s*(?:on\s+|,\s*|\|\s*)?(?:the\s+)?",
    _I,
)
# "at 4PM GMT:" / "Day 1, Wednesday …": a clock with a colon that opens a list of dated days (each perhaps labelled)
CLOCK_OPENS_LIST_RE = re.compile(r"[\s*_]{0,3}:[\s*_]*(?:(?:\w{1,12}\s){0,2}\w{1,12}\s?[,:.-]\s*)?")
# "All sessions start at 7pm:" / "Sessions at 7pm on:": the rest of a clock's line, ended by a colon.
CLOCK_LINE_ENDS_IN_COLON_RE = re.compile(r"[^\n:.!?]{0,24}:[ \t*_]*\n?")
# "8PM Tuesday October 20th UTC": a zone abbreviation straight after a date that follows its clock.
ZONE_AFTER_DATE_RE = re.compile(rf"[ \t]{{1,3}}(?P<zone>{ZONE_ABBR})(?![A-Za-z0-9+-])")
# "Sunday July 28th. 12.00. Fete.": a sentence that is nothing but a clock.
CLOCK_ALONE_RE = re.compile(r"\s{0,3}(?:[01]?\d|2[0-3])[.:][0-5]\d\.?\s{0,3}")
# "between 10:30am PST and 1:30pm PST, Friday": a clock that ends a range is not the day's start time.
CLOSES_RANGE_RE = re.compile(r"\bbetween\b[^.;!?\n]{1,50}\band\s{0,3}$", _I)
# Between clocks that write one moment in several zones: "8 am NYC time / 1300 UTC", "16:00 UTC (12:00pm
# US Eastern)", "• 4pm UTC • 12pm EDT • 9am PDT" (never "or"/"and": those are alternatives); an arrow or a
# "so" converts ("17:00-19:00 CEST > so 3 to 5 pm UTC", "18:00 CET -> 17:00 UTC").
EQUIVALENT_GLUE_RE = re.compile(
    r"[\s(),/;|=•*>-]{0,8}(?:(?:i\.?e\.?|which\s+is|aka|that's|that\s+is|so)[\s(),/;|=:•*>-]{0,6})?", _I
)
ZONES_OR_RE = re.compile(r"[\s,(]{1,3}or[\s(]{1,3}", _I)
# "at 2pm or 3pm UTC", "0800 + 1700 UTC": more clocks on the same day (with "or", alternatives to choose from).
CLOCK_ALTERNATIVE_RE = re.compile(r"\s{0,3}(?P<joint>or|\+|&|and)\s{0,3}", _I)
# 'Wednesday, January 30th options:\n/poll "11:30am EST" "3:00 pm EST"': clocks quoted one after another
# under a day are a poll's options, each a candidate time that day.
QUOTED_OPTIONS_GLUE_RE = re.compile(r"[ \t]{0,3}(?:options?)?[ \t]{0,3}:?\s{0,3}(?:/poll[ \t]{1,3})?\"", _I)
QUOTED_OPTION_JOINT_RE = re.compile(r"\"[ \t]{1,3}\"")
# "Date: Thursday 21 November" on one line and "Time: 14:00 - 15:30" on the next belong together.
TIME_LABEL_RE = re.compile(
    r"\s*(?:[*-]\s*)?(?:\*\*)?(?:time|times|start(?:s|ing)?(?:\s+time)?|from|duration|hours)(?:\*\*)?\s*:", _I
)
# "Date: Tuesday 19th February\nLocation: …\nTime: 12:00 – 1.30pm": a place line between a labelled date and its
# labelled time is part of the same notice, so the date keeps its time.
PLACE_LABEL_LINE_RE = re.compile(
    r"[ \t]*(?:[*-][ \t]*)?(?:\*\*)?(?:location|venue|place|where|address)(?:\*\*)?[ \t]*:[^\n]{0,120}\n", _I
)
DATE_LABEL_LINE_RE = re.compile(
    r"(?:^|\n)[ \t]*(?:[*-][ \t]*)?(?:\*\*)?(?:date|when)(?:\*\*)?[ \t]*:[^\n]{1,80}$", _I
)
# An event page's "Start date / time" … "End date / time" (or "Starts:" … "Ends:") labels around two moments,
# bold either way markdown writes it ("**Start:**", "__Start:__").
# ("Event starting time:" / "Event finishing": the label may name what starts)
_LABELLED_THING = r"(?:(?:event|meeting|session|class|course|workshop)[ \t]{1,3})?"
START_LABEL_RE = re.compile(
    r"(?:^|\n)[ \t*_#-]{0,4}"
    + _LABELLED_THING
    + r"start(?:s|ing)?(?:[ \t]{1,3}(?:date|time|[/&]|and)){0,4}[ \t*_]{0,3}:?[ \t*_]{0,3}\n?[ \t*_]{0,3}$",
    _I,
)
# (blank lines, or lines of nothing but "<br>" tags, blanked before this runs, may stand before "Ends:")
END_LABEL_RE = re.compile(
    r"[ \t,.;]{0,3}(?:[ \t]{0,8}\n){0,3}[ \t*_#-]{0,4}"
    + _LABELLED_THING
    + r"(?:end(?:s|ing)?|finish(?:es|ing)?)(?:[ \t]{1,3}(?:date|time|[/&]|and)){0,4}[ \t*_]{0,3}:?[ \t*_]{0,3}\n?[ \t*_]{0,3}",
    _I,
)
PART_OF_DAY_RE = re.compile(r"\s{1,3}(?P<part>morning|afternoon|evening|night|lunchtime)\b", _I)
COORD_GLUE_RE = re.compile(
    r"\s*[,;]?\s*(?:(?:or|and|&|/|either)\s*){0,2}"
    r"(?:,?\s*(?:failing\s+that|alternatively|otherwise|if\s+not|if\s+that\s+fails|possibly|maybe|perhaps)\s*,?\s*)?",
    _I,
)
# For "in 20 minutes": something is about to begin.
STARTING_RE = re.compile(
    r"\b(?:start(?:s|ing)?|begin(?:s|ning)?|kick(?:s|ing)?\s+off|go(?:es|ing)?\s+live|doors\s+open|on\s+air)\b",
    _I,
)
# "(or the 9th if that clashes)": another day of the month just named.
ALT_DAY_RE = re.compile(rf"\bor\s+(?:on\s+)?(?:{WD}\s+)?the\s+(?P<day>{DAY})", _I)
# "| US / Pacific | Thu 13-Jul-2017 13:00 |", "UTC: Friday 3 May, 16:00": a zone heading its line (a table's first
# cell, a label) is the zone of that line's clocks.
ROW_ZONE_RE = re.compile(
    rf"[ \t]{{0,3}}(?:[|*-][ \t]{{0,3}})?(?P<zone>{ZONE_ABBR}|(?:(?-i:US){SP0}/?{SP0})?(?-i:Pacific|Eastern|Central|Mountain))"
    rf"(?:{SP}time)?[ \t]{{0,8}}[|:](?![\d/])"
)
# "setting up any time from midday", "(check in starts at 5:30pm)", "registration opens 9:30": a clock for getting
# ready, written before it.
SETUP_BEFORE_RE = re.compile(
    # ("Check-in: 5:00pm", "Doors: 6pm": the label's colon)
    r"\b(?:set(?:ting)?[ -]?up|check(?:ing)?[ -]?in|registration|doors)\b:?[^.;:!?()\n\d]{0,28}$",
    _I,
)
