"""Words that say a date is not a gathering although it looks like one: a deadline, a record or a stamp, an
example, a past reference, paperwork, someone's absence, a milestone in a process, a public holiday, a
gathering called off by a later clause, an errand or a release, a place's opening hours, a window to schedule in,
a date to keep clear of, a date in history.  Compiled once at import; bounded like
``_patterns`` (no nested unbounded repetition)."""

from __future__ import annotations

import re

from cotechbot.when._patterns import LINE_MARKS

_I = re.IGNORECASE

# The holidays a date may be named by ("Good Friday", "Boxing Day"): milestones of the calendar, not gatherings.
HOLIDAY_NAMES = (
    r"labou?r\s+day|thanksgiving|halloween|memorial\s+day|independence\s+day|boxing\s+day|good\s+friday"
    r"|new\s+year'?s\s+(?:day|eve)|christmas\s+(?:day|eve)|easter\s+(?:sunday|monday|weekend)"
)
# Milestones whatever the clock: a clause about these (and no gathering) dates a step in a process, not people
# meeting: freezes, end of life, software released, schedules announced, votes and nominations opening or
# closing, restrictions lifting, works starting, a place (re)opening, calendars cleaned, public holidays.
MILESTONE_RE = re.compile(
    r"\b(?:freeze|end\s+of\s+life|call\s+for\s+(?:\w+\s+)?(?:proposals|papers|participation|nominations|submissions|talks|speakers)|releas(?:e|es|ed|ing)|announc\w{0,4}\s+(?:the\s+)?(?:schedule|programme|program"
    r"|line-?up|speakers|results|winners)|(?:registrations?|nominations?|voting|votes?|ballots?|polls|applications?"
    r"|submissions?|entries|sign-?ups?)\s{1,3}(?:(?:will|are|is|shall)\s{1,3})?(?:be\s{1,3}|now\s{1,3})?(?:open|clos)\w{0,3}"
    r"|nominations?|(?:restrictions?|bans?|lockdowns?|curfews?|moratori(?:um|ums|a))\s{1,3}(?:(?:are|is|will|to)\s{1,3})?(?:be\s{1,3}|due\s{1,3}to\s{1,3})?(?:lift|eas|end|relax)\w{0,3}"
    r"|(?:lifting|easing|end)\s{1,3}of\s{1,3}(?:the\s{1,3})?(?:\w{1,20}\s{1,3})?restrictions|(?:building|engineering|road)\s+works|works?\s+(?:will\s+)?(?:begin|start)s?"
    r"|re-?open\w{0,3}|opened|open\s+again|closed\s+for|removed\s+from|membership\s+year|sent\s+(?:an?\s+)?e-?mail|e-?mailed"
    r"|" + HOLIDAY_NAMES + r"|public\s+holidays?"
    r"|national\s+holidays?|(?:is|are)\s+(?:easter|christmas|passover|diwali|eid|hanukkah)"
    # steps of a call for papers or a competition: "CFP notifications: Tuesday", "judging will begin on 1 June",
    # "winners will be announced on 3 February", "we will close a milestone"; and the clocks changing
    r"|cfps?|(?:acceptance\s+)?notifications?|milestones?|judging\s+(?:will\s+)?(?:begin|start|commence)s?"
    r"|(?:winners|results|schedule|programme|program|line-?up)\s{1,3}(?:(?:will|are|is|to)\s{1,3})?(?:be\s{1,3})?announced"
    r"|clocks?\s{1,3}(?:go|change|spring|fall)s?"
    # "advance voting period takes place from Aug. 13 - Sept. 13": a stretch to vote or apply in
    r"|(?:voting|ballot|nominations?|consultation|application|submission|sign-?up|registration)\s{1,3}(?:period|window)s?"
    # "the first draw of our Club Lotto will take place on Sunday", "our draw for prizes taking place Friday 16th"
    r"|(?:lotto|lottery|raffle|prizes?)\b[^.;!?\n]{0,30}\bdraws?|draws?\b[^.;!?\n]{0,30}\b(?:lotto|lottery|raffle|prizes?)"
    # "memberships will also be available Sept. 17", "permits can be obtained … between 7pm and 9pm": when a thing
    # can be had, not when anyone gathers
    r"|(?:tickets?|memberships?|permits?|forms?|copies|passes|badges|vouchers?|keys|allotments?|plots?)\s{1,3}"
    r"(?:(?:will|can|may|shall)\s{1,3}(?:also\s{1,3})?be|are|is)\s{1,3}(?:(?:now|also)\s{1,3})?"
    r"(?:available|obtain(?:ed|able)|collected|picked\s{1,3}up|on\s{1,3}sale))\b",
    _I,
)
# More steps, in a pattern of their own behind their own words (so the common text that holds none of them pays
# nothing for them): a service ended ("the proxy will be decommissioned on November 21st, and support … removed on
# January 17th"), a prize draw ("the next draw takes place on Friday 8th April"), the day someone decides ("I'm going
# to make a decision on the date on the 4th of July"), industrial action, which is withheld work ("a day of joint
# strike action on Thursday 31st October", "work-to-contract from Friday"; a rally or a picket named is a
# gathering), a season of the church's year starting ("Advent begins on November 29").
MORE_MILESTONE_RE = re.compile(
    r"\b(?:decommission\w{0,4}|(?:be|been|being|is|are|gets?)\s{1,3}(?:removed|retired|deprecated|discontinued"
    r"|switched\s{1,3}off|shut\s{1,3}down|turned\s{1,3}off)"
    r"|(?:next|weekly|monthly|final|(?:week|month)['\u2019]s)\s{1,3}draw"
    # ("we will make a final call on the 31st August": the same)
    r"|(?:make|making|take|taking|reach|reaching)\s{1,3}(?:a|the|our|my)\s{1,3}(?:(?:final\s{1,3})?decision|final\s{1,3}call)\s{1,3}(?:on|about|regarding)"
    r"|strike\s{1,3}(?:action|days?)|days?\s{1,3}of\s{1,3}(?:\w{1,12}\s{1,3})?strike|industrial\s{1,3}action"
    r"|work(?:ing)?[\s-]{1,3}to[\s-]{1,3}(?:contract|rule)"
    r"|(?:advent|lent|ramadan)\s{1,3}(?:begins|starts|ends)"
    # "The start date for the working group is June 1": when a body's term or a process starts
    r"|(?:start|starting|end|ending)\s{1,3}date\s{1,3}(?:for|of)"
    # "Decision on Monday 7 June", "a decision will be made by Friday": the day someone decides
    r"|decision\s{1,3}(?:(?:will|is\s{1,3}to)\s{1,3}be\s{1,3}(?:made|taken)\s{1,3})?(?:on|by)"
    # "Registration for the fun run begins Monday, July 30", "Registration ends at 4 p.m.": the desk opens or shuts
    r"|registrations?\s{1,3}(?:for\s{1,3}[^.;!?\n]{1,40}?\s)?(?:(?:will|is)\s{1,3})?(?:begin|start|end)(?:s|ing)?"
    # "we shall start selling programmes on Monday 27 June": selling starts (a "plant sale" is a gathering)
    r"|(?:start|begin)(?:s|ning|ing)?\s{1,3}selling)\b",
    _I,
)
MORE_MILESTONE_WORDS = (
    "decommission",
    "removed",
    "retired",
    "deprecated",
    "discontinued",
    "switched",
    "shut",
    "turned",
    "draw",
    "decision",
    "final",
    "strike",
    "industrial",
    "contract",
    "rule",
    "advent",
    "lent",
    "ramadan",
    "decision",
    "date",
    "registration",
    "selling",
)

# Unicode letters that IGNORECASE matches to an ASCII letter without lowering to it (or lowering to two characters):
# folded first, so that ``fold`` turns every character an IGNORECASE letter matches into that very letter.
_CASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold(text: str) -> str:
    """``text`` lowered so that a letter run an IGNORECASE pattern matches in it is found as a plain substring."""
    # (translating is slow per character: plain ASCII, the usual text, holds none of those letters)
    return text.lower() if text.isascii() else text.translate(_CASE_FOLD).lower()


# One letter run from each alternative of MILESTONE_RE: a text holding none of them (folded) holds no milestone,
# so the costly search is skipped (checked against the pattern in tests/unit/test_when_prefilter.py).
_MILESTONE_WORDS_TEXT = """
    freeze end call releas announc registration nomination voting vote ballot poll application
    submission entries sign restriction ban lockdown curfew moratori lifting easing work open closed
    removed membership sent mailed labo thanksgiving halloween memorial independence boxing friday year
    christmas easter holiday passover diwali eid hanukkah cfp notification milestone judging clock
    period window draw available obtain collected picked sale
"""
MILESTONE_WORDS = tuple(_MILESTONE_WORDS_TEXT.split())


def may_be_milestone(folded: str) -> tuple[bool, bool]:
    """Could MILESTONE_RE, and could MORE_MILESTONE_RE, match in this folded text (False: it cannot)?"""
    return any(word in folded for word in MILESTONE_WORDS), any(
        word in folded for word in MORE_MILESTONE_WORDS
    )


def milestone_in(text: str, start: int, end: int, may: tuple[bool, bool]) -> bool:
    """Is a milestone named in ``text[start:end]`` (``may``: what ``may_be_milestone`` says of the text)?"""
    return bool(
        (may[0] and MILESTONE_RE.search(text, start, end) is not None)
        or (may[1] and MORE_MILESTONE_RE.search(text, start, end) is not None)
    )


# "Monday September 4 is Labor Day", "(April 10--12) is Easter", "7/3, but that is a holiday": a date named as a public holiday, whatever
# else the clause says (a party on the holiday names the party: "Halloween party on Oct 31").
HOLIDAY_AFTER_RE = re.compile(
    # "this Friday 7/3/20, but that is a holiday for Google": the holiday may be said in a clause of its own
    r"[)\s,]{0,4}(?:(?:but|and|which|as)\s{1,3})?(?:(?:that|it|this)\s{1,3})?(?:is|was|will\s+be)\s{1,3}"
    r"(?:(?:the|a)\s{1,3})?(?:(?-i:[A-Z])\w{1,15}\s{1,3})?"
    r"(?:(?<=a\s)holiday|labou?r\s+day|thanksgiving|easter|christmas|halloween|memorial\s+day|independence\s+day|boxing\s+day"
    r"|good\s+friday|new\s+year'?s|passover|diwali|eid|hanukkah|(?:public|bank|national)\s+holiday)\b"
    # "is Christmas party night": the party, not the holiday
    r"(?![\s'-]{1,3}(?:s\s{1,3})?(?:party|parties|dinner|lunch|social|meal|service|market|fair|drinks|celebration|quiz"
    r"|gathering|meet))",
    _I,
)
# The writer's own trip: "I will visit Spain", "I'm travelling", "I'll be flying".
_MY_TRIP = (
    r"\bI(?:\s+will|\s+am|['\u2019](?:ll|m))\s+(?:be\s+)?(?:(?:visit(?:ing)?|in)\s+(?-i:[A-Z][a-z]{1,20})"
    r"|travel(?:l?ing)?\b|fly(?:ing)?\b)"
)
# A clause that says someone is away: "I'm on vacation from June 25", "out of office, 1st May", "when I return to
# the office on October 9".  The dates after it (with no gathering named in between) are the absence.
ABSENCE_RE = re.compile(
    r"\b(?:on\s+(?:vacation|holiday|leave|annual\s+leave|sabbatical|parental\s+leave|paternity\s+leave"
    r"|maternity\s+leave)|out\s+of\s+(?:the\s+)?(?:office|town|country)|out-of-(?:the-)?office|ooo"
    r"|return(?:s|ing)?\s+to\s+(?:the\s+)?(?:office|work)|back\s+(?:in|at)\s+(?:the\s+)?(?:office|work)"
    r"|(?:i'm|i\s+am|i'll\s+be|i\s+will\s+be|we're|we'll\s+be)\s+(?:away|off)"
    # "Jonathan will be gone Friday the 3rd": anyone's absence, whoever is named
    r"|(?:will|'ll|won't|is|are|am|'s|'re|'m)\s+(?:be\s+)?(?:gone|absent)"
    # "I will visit Spain (Santiago), August 3-8 in LA": the writer's own trip (not "we will visit the museum")
    r"|" + _MY_TRIP + r")\b",
    _I,
)
# Before a date, in a sentence that gives both ends of a stay: "Arrival is recommended for Sunday 23rd and
# departure on Sunday 30th": when people travel, not when they gather.
ARRIVAL_OR_DEPARTURE_BEFORE_RE = re.compile(r"\b(?:arrivals?|departures?)\b(?P<between>[^.;!?\n]{0,50})$", _I)
# Right after a date: "During June 3-5 I will visit Spain": the writer's own trip.
MY_TRIP_AFTER_RE = re.compile(r"[\s,]{0,3}" + _MY_TRIP, _I)
# "rescheduling them", "postpone it": a gathering being moved, whatever it is called.
RESCHEDULING_RE = re.compile(r"\b(?:re-?schedul|postpon)\w{0,5}\b", _I)
ABSENCE_HINTS = (
    "vacation",
    "holiday",
    "leave",
    "out of",
    "out-of",
    "ooo",
    "office",
    "work",
    "away",
    "off",
    "gone",
    "absent",
    "visit",
    "travel",
    "fly",
)
# "This Friday is the 7th, so we don't meet": a consequence clause later in the sentence calls the date off.
SO_CALLED_OFF_AFTER_RE = re.compile(
    r",\s{1,3}so\s[^.;!?\n]{0,60}?\b(?:(?:don't|do\s+not|won't|will\s+not)\s{1,3}(?:be\s{1,3})?meet(?:ing)?"
    r"|no\s{1,3}(?:meeting|call|session|gathering))\b",
    _I,
)

# "has postponed its AGM until 1 October", "meeting rescheduled until 2 March": "until" after a postponement made
# names the new date, not a deadline
# (a permission "allowed to postpone AGMs until 30 April" is a window, so the bare verb does not count).
POSTPONED_UNTIL_BEFORE_RE = re.compile(
    r"\b(?:postpon(?:ed|ing)|delay(?:ed|ing)|deferr(?:ed|ing)|pushed\s{1,3}back|re-?schedul(?:ed|ing)|put\s{1,3}back)\b"
    # ("postponing our scheduled Aug 7th meeting by one week until Sunday August 14th")
    r"[^.!?\n]{0,50}?\b(?:until|till)\s{1,3}(?:on\s{1,3})?(?:the\s{1,3})?$",
    _I,
)
# Immediately before a date: the date is when something is due, not when people meet.
DEADLINE_BEFORE_RE = re.compile(
    r"(?:(?<!followed )\bby(?:\s{0,2}:)?|\bbefore|\bprior(?:\s+to)?|\bdeadline\b[^.!?\n]{0,40}|\bdue(?:\s+(?:on|by))?|\bnot?\s+later\s+than"
    # "entries hand-in 22/11/2023", "hand in date: 4 March": the day work is handed in
    r"|\bhand[- ]?in(?:\s+(?:date|day))?(?:\s*:)?(?:\s+(?:on|by))?"
    r"|\bclos(?:es|ing|e)(?:\s+(?:on|at))?|\buntil|\btill|\bend(?:s|ing|ed)?(?:\s+on)?|\bexpir\w{0,3}(?:\s+on)?"
    r"|\bruns?\s+out(?:\s+on)?|\bcut-?off(?:\s+date)?:?|\bvote\s+(?:on|by)|\bup\s+to"
    # "merged no earlier than 2020 Oct 8": the first day allowed, a bound like a deadline
    r"|\bno\s+(?:earlier|sooner)\s+than"
    r"|\bdue\s+to\s+(?:launch|go\s+live|ship|be\s+(?:released|published|launched|out))(?:\s+on)?"
    # "Now through December 31, there is a poll": a window open from now until the date
    # ("elections … will be through July 7th": open until then)
    r"|\b(?:now|today|will\s+be|be\s+open)\s+(?:through|thru)"
    # German "bis 21. Juli anmelden", "bis zum 3. Mai": by that day
    r"|\bbis(?:\s+(?:zum|spätestens))?)"
    # "by end of day 30 August", "by close of business Friday": the end of the day is still the deadline
    # ("by about 8 o'clock tonight": a rough deadline is still one)
    r"\s*[*_]*\s*(?:(?:about|around|roughly|approximately)\s+)?(?:on\s+)?(?:the\s+)?"
    r"(?:(?:end|close)\s+of\s+(?:the\s+)?(?:(?:day|business|play)\s+(?:on\s+)?)?)?"
    # "end on Tuesday, \nApril 29": a weekday read apart from its date (wrapped onto the next line); "held until
    # next Monday 6th March", "by end of business Thursday** (January 7)": the date restating the weekday
    r"(?:(?:next|this|coming)\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?(?:[*_]{0,3}\s{1,3}\(|\s{1,4}))?"
    # ("no earlier than 2020 Oct 8": the year written first)
    r"(?:(?:19|20)\d\d\s{1,3})?[*_]*$",
    _I,
)
# "For example, Tuesday@16:00": a date offered as an illustration is nobody's appointment.
EXAMPLE_HINTS = ("example", "e.g", "eg.", "such as")
EXAMPLE_BEFORE_RE = re.compile(r"\b(?:for\s+example|e\.g\.?|eg\.|such\s+as)\b[^.;!?\n]{0,40}$", _I)
# Before a bare timestamp: when something is sent or published, not when anyone meets.
SENT_OUT_BEFORE_RE = re.compile(
    r"(?:\b(?:goes|go|going|sent|send|be\s+sent|comes?)\s+out|\bpublish\w*|\breleas\w*|\bdue|\bdeadline"
    # "we will send a final update at 15:00 today": the time a message goes, not a gathering's
    r"|\bsend\s{1,3}(?:(?:you|everyone|all)\s{1,3})?(?:a|an|the|our)\s{1,3}(?:[a-z]+\s{1,3})?"
    r"(?:update|reminder|e-?mail|message|notice|newsletter|link)s?)\b"
    r"[^.;!?\n]{0,25}$",
    _I,
)
SENT_OUT_HINTS = ("out", "publish", "releas", "due", "deadline", "send")
# Substrings without which MADE_PUBLIC_BEFORE_RE cannot match: a cheap test before the regex.
MADE_PUBLIC_HINTS = (
    "print",
    "posted",
    "announc",
    " sent",
    "mailed",
    "circulated",
    "distributed",
    "uploaded",
    "off ",
    "deliver",
)
# A little further before a date: "will be printed and posted up on the wall starting Friday", "announcing the
# changes publicly on 11 December": a thing made public on the day, not people gathering.
MADE_PUBLIC_BEFORE_RE = re.compile(
    r"\b(?:print(?:ed|ing)|posted\s+up|announc(?:e|ed|es|ing|ements?)|(?:be|been|being|get|gets)\s+(?:sent|e-?mailed|circulated"
    r"|distributed|uploaded)"
    # "will be turning off the water supply on 24th October", "the delivery will be made to the food bank on the
    # 16th", "drop them off on Friday 7th": a chore done on the day
    r"|(?:turn|switch)(?:s|es|ing|ed)?\s+off|deliver(?:y|ies|ed|ing)?|drop(?:s|ping)?\s+(?:\w+\s+)?off)"
    r"\b(?![^.,;!?\n]{0,50}\b(?:held|take\s+place|taking\s+place|happen\w*))[^.,;!?\n]{0,50}$",
    _I,
)
# Right after a date: "On October the 1st, we will be emailing every member": the day an errand is done.
ERRAND_AFTER_RE = re.compile(
    r"[\s,]{0,3}(?:we|i|they)(?:\s{1,3}(?:will|shall|are\s{1,3}going\s{1,3}to)|['’]ll)\s{1,3}(?:be\s{1,3})?"
    r"(?:e-?mail|mail|send|post|publish|releas|announc)\w{0,4}\b",
    _I,
)
# "after tomorrow, the next meeting…": the day a condition starts, not a gathering.
AFTER_BEFORE_RE = re.compile(r"\b(?:after|from|since)\s*$", _I)
# "the next day of action after 20 September", "the Sunday preceding August 15th": a date said as what a day
# comes after or before is a reference point.
AFTER_DATE_BEFORE_RE = re.compile(
    r"(?:\bafter|(?:day|days|week|weeks|weekend|night|evening)\s{1,3}(?:preceding|following|nearest(?:\s{1,3}to)?"
    r"|closest\s{1,3}to))\s{1,3}(?:the\s{1,3})?"
    # "any day after next Monday (10/26)": the weekday the date restates stands between
    r"(?:(?:(?:next|this|on)\s{1,3})?(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s{0,3}\(?\s{0,3})?$",
    _I,
)
# Substrings without which AFTER_DATE_BEFORE_RE cannot match: a cheap test before the regex.
AFTER_DATE_HINTS = ("after", "preceding", "following", "nearest", "closest")
# Right before a span of days: "converge on a date and time between July 16 and 27", "pick a day between": a
# window to choose one day in, not a gathering over all of it.
CHOOSE_WITHIN_BEFORE_RE = re.compile(
    r"\b(?:a|one)\s{1,3}(?:date|day|time|slot)(?:\s{1,3}and\s{1,3}(?:a\s{1,3})?(?:date|day|time))?"
    r"\s{1,3}(?:sometime\s{1,3})?between\s{1,3}(?:the\s{1,3})?$",
    _I,
)
# Substrings without which DEADLINE_BEFORE_RE cannot match: a cheap test before the regex.
DEADLINE_HINTS = (
    "by",
    "before",
    "prior",
    "deadline",
    "due",
    "later",
    "earlier",
    "sooner",
    "clos",
    "until",
    "till",
    "end",
    "expir",
    "run",
    "cut",
    "vote",
    "thru",
    "through",
    "bis",
    "hand",
)
DEADLINE_AFTER_RE = re.compile(
    # "Friday 4 December (on or before)": the date is the last day allowed
    # "photos by e-mail, 22 March or sooner": nothing later than the date
    r"[\s*_]*[,(]?\s*(?:at\s+the\s+(?:latest|very\s+latest)|latest\b|deadline\b|on\s+or\s+before\b"
    r"|or\s+(?:sooner|earlier|before)\b|expir(?:y|ation|es)\b"
    # "the 12 September will be the deadline for copy", "March 3 is the last day to apply": called the deadline
    r"|(?:will\s+be|is)\s+(?:the\s+|our\s+)?(?:final\s+|new\s+)?(?:deadline|closing\s+date|cut-?off|last\s+day\s+(?:to|for))\b)",
    _I,
)
# The label a date follows on its line: "Notification of acceptance to present: December 1, 2019", "Voting: 1st
# April (12pm) - 5th April (5pm)": a step of a process named first, whatever gathering the label mentions.
STEP_LABEL_BEFORE_RE = re.compile(
    r"[ \t*#>|\u2022-]{0,8}(?:deadlines?|notifications?|nominations?|voting|votes|ballots?|submissions?|applications?"
    r"|results|(?:last|final)\s{1,3}day)\b[^\n:]{0,80}:[ \t*_]*$",
    _I,
)
# A heading or label line over a date line: "### Deadline" / "May 26 to give enough time".
DEADLINE_HEADING_RE = re.compile(
    # "Camera ready due:", "Paper deadline": a step named before its due word (after the marks a line may open
    # with, the same as the date's line below: "• Deadline:" / "◦ 26 March")
    rf"^[\s_{re.escape(LINE_MARKS)}]{{0,8}}"
    r"(?:[\w'-]{1,20}[ \t]{1,3}){0,4}(?:deadlines?|due(?:\s+dates?)?|closing\s+dates?|cut-?off(?:\s+dates?)?)"
    r"[\s*_:|-]{0,6}$",
    _I,
)
# Right after a date: "On September 18 each year", "on 5 May annually": a yearly recurrence names no instance.
YEARLY_AFTER_RE = re.compile(r"[\s,]{0,3}(?:(?:each|every)\s{1,3}year|annually|yearly)\b", _I)
DEADLINE_WORD_RE = re.compile(
    # "extended the postmark date to Monday, February 25": the last day a ballot may be posted
    # ("Target May 29", "target date: 3 March": when a task should be done; not "agreed to target 20th October"
    # for a meeting)
    r"\b(?:deadline|due\s+date|closing\s+date|final\s+date|target\s+date|(?-i:Target)(?=[ \t]{0,3}:?[ \t]{0,3}(?:\d|(?-i:[A-Z])))|cut-?off|submissions?\s+close|postmark(?:ed)?\s+(?:date|by))\b",
    _I,
)
# Immediately before a date: a date that records something rather than gathers anyone.
RECORD_BEFORE_RE = re.compile(
    r"\b(?:dated|born|posted|published|written|update[sd]?|edit(?:ed)?|registered|incorporated|founded|since|as\s+of"
    r"|effective(?:\s+from)?|valid\s+(?:from|until)|invoice[sd]?|paid|from\s+the"
    # absence, not a gathering
    # ("meetings kick off on Nov. 2": a start, not time off)
    # ("has to be back in NYC on 5/14", "back home on Friday": travel; "We will be back on Monday 10th September":
    # a group resuming, not someone's return)
    r"|back\s+in\s+the\s+office|(?<!we\sare\s)(?<!we're\s)(?<!we'll\sbe\s)(?<!we\swill\sbe\s)(?<!we\sshall\sbe\s)back"
    r"(?:\s+home|\s+(?:in|to)\s+(?-i:[A-Z])[\w.'-]{1,20}(?:\s+(?-i:[A-Z])[\w.'-]{1,20})?)?"
    r"|returning|return|away|(?<!kick\s)(?<!kicks\s)(?<!kick-)off|leave|(?<!bank\s)holiday|vacation|ooo"
    # travel and logistics, vague weeks, what is posted or sent rather than held
    # ("Please arrive on Saturday 15th from 10am": when attendees are asked to come, not someone's travel)
    r"|(?<!please\s)arriv\w{0,3}(?:\s+(?:late|early|back|only|just))?(?:\s+(?:around|about|at|by))?|leaving|depart\w{0,3}|travell?ing|flying|landing"
    r"|(?:the\s+)?week\s+(?:of|beginning|commencing|starting)|w/c"
    r"|(?:posted|published|circulated|sent\s+out|shared)(?:\s+(?:here|there|online|up|round|around))?"
    # "will receive a Zoom invite … via email on June 29": when a message is sent
    r"|(?:e-?mails?|invites?|invitations?)(?=\s{1,3}on\s)"
    # "(from old date 22 April)", "originally planned for 3 May": the date a gathering was moved away from
    # "advised by official Notice on 25th March of the AGM": the day a notice went out
    r"|notice\s+(?:given\s+|sent\s+|issued\s+|dated\s+)?on"
    r"|old\s+date|original(?:ly)?(?:\s+(?:date|planned|scheduled|booked))?(?:\s+for)?|previously(?:\s+(?:planned|scheduled))?(?:\s+for)?"
    # "will be on Wednesday 2, not Tuesday 1": the day denied ("if not", "or not", "why not" offer it)
    # "I will miss the weekly call on 4/30", "can't attend the one on the 9th": someone's absence from it
    r"|(?:will|'ll|shall|going\s+to|have\s+to|has\s+to)\s+(?:have\s+to\s+)?miss(?:\s+[\w'-]{1,20}){0,4}"
    r"|(?:can(?:'?t|\s*not)|unable\s+to|won'?t\s+be\s+able\s+to)\s+attend(?:\s+[\w'-]{1,20}){0,4}"
    r"|instead\s+of|rather\s+than|(?<!\bif\s)(?<!\bor\s)(?<!\bwhy\s)not(?:\s+on)?|can(?:'?t|\s*not)\s+(?:make|do)(?:\s+\w+){0,2}|unable\s+to\s+(?:make|do)|not\s+available"
    r"|won'?t\s+be\s+(?:available|around|free|there)|unavailable|closed"
    # "none of the coaches are available on Friday", "nobody is free on the 9th": no one to run it that day
    r"|(?:none(?:\s+of(?:\s+[\w'’-]{1,20}){1,3}?)?|no(?:\s+|-)one|nobody)\s+(?:is|are|will\s+be|would\s+be)\s+(?:available|free|around)"
    # "Added by Harry Wood on July 28, 2008", "created by jdoe on …": who made a page and when
    r"|(?:added|created|uploaded|submitted|posted|written|published|last\s+modified)\s+by\s+[\w@.'-]{1,30}(?:\s+[\w@.'-]{1,30}){0,2}\s+on"
    # "the end of our financial year (31st March)", "tax year ending 5 April": the accounts' calendar, even in a
    # clause that names a meeting
    r"|(?:financial|fiscal|tax|accounting)\s+year(?:[\s-]end)?(?:\s+(?:ends?|ending|is))?\s*\(?"
    # "WilliamH (talk) 21:00, 30 July 2012 (UTC)": a wiki talk-page signature
    r"|(?<=\()talk(?:\s*[|·•/]\s*contribs)?\))\s*[:*_]*\s*(?:on\s+|from\s+)?(?:the\s+)?$",
    _I,
)
# The vague week of RECORD_BEFORE_RE ("the week of", "w/c"), as it matched.
WEEK_OF_RE = re.compile(r"\s*(?:the\s+)?(?:week\s+(?:of|beginning|commencing|starting)|w/c)\b", _I)
# Gatherings named as nouns, one or several ("hold the review meetings").
GATHERINGS_RE = re.compile(
    r"\b(?:meeting|session|workshop|event|conference|meetup|sprint|gathering|retreat|hackathon|summit|class|course)"
    r"(?:s|es)?\b",
    _I,
)
# Between two dates: "the 3rd or 4th", "21st, 28th": the second shares what the words before the first say of it.
SHORT_COORDINATION_RE = re.compile(r"\s{0,2}(?:,|/|&|or|and)\s{0,2}(?:(?:or|and)\s{1,2})?", _I)
# A past reference, whatever the tense of the rest of the sentence: "as decided at the meeting on 17 June",
# "(brought up in 2020-10-29 Council meeting)", "minutes for the meeting 9 Nov", "notes of the call on …".
PAST_REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:as\s+(?:agreed|decided|discussed|identified|mentioned|noted|minuted|requested|promised)"
    # ("will be discussed at the 6th July meeting": a meeting still to come)
    # "working groups established at the November 12 Planning Meeting": set up at a meeting already held
    r"|(?<!\bbe\s)(?:brought\s+up|raised|discussed|agreed|decided|established|approved|adopted|elected)\s+(?:in|at|during)|(?:minutes|notes|recap|write-?up|recordings?)\s+(?:of|for|from)"
    r")\b[^.;!?\n]{0,45}$"
    # "some photos and video of our march and rally on Saturday": pictures of a gathering show it held (not "a
    # slideshow of pictures from Pompeii at our meeting on 1 October", where the date is the showing's)
    r"|\b(?:photos?|pictures?|pics|videos?|footage)(?:\s{1,3}and\s{1,3}(?:photos?|pictures?|pics|videos?|footage))?"
    r"\s{1,3}(?:of|from)\s{1,3}(?:our|the|last|that|yesterday's)\s(?:(?!\bat\s)[^.;!?\n]){0,45}$"
    # "Last session: March 3rd", "Previous meeting - 12 Feb": a label naming the one already held
    r"|\b(?:last|previous)\s{1,3}(?:session|meeting|call|gathering)[ \t]{0,2}[:\u2013\u2014-][ \t*_]{0,4}$",
    _I,
)
PAST_REFERENCE_HINTS = (
    "photo",
    "picture",
    "pics",
    "video",
    "footage",
    "as ",
    "brought",
    "raised",
    "discussed",
    "agreed",
    "decided",
    "established",
    "approved",
    "adopted",
    "elected",
    "minutes",
    "notes",
    "recap",
    "write",
    "last",
    "previous",
    "recording",
)
# The date chosen for a gathering, whatever the tense of the choosing: "date confirmed as 4 July", "our chosen
# dates, 22 November", "we set 28 May as the time for a test run" name a day still ahead.
CHOSEN_DATE_BEFORE_RE = re.compile(
    r"\b(?:(?:date|day)s?\s{1,3}(?:(?:is|was|has\s{1,3}been|now)\s{1,3})?(?:confirmed|set|fixed|agreed|chosen|decided)"
    r"\s{1,3}(?:as|for|to\s{1,3}be)"
    r"|(?:chosen|agreed|confirmed|preferred)\s{1,3}(?:dates?|days?)\s{0,3}[,:]?(?:\s{1,3}(?:is|was|will\s{1,3}be))?"
    # "The dates … have been fixed today, and they are: 24th - 28th April"
    r"|(?:date|day)s?\b[^.;!?\n]{0,20}?\s(?:have|has)\s{1,3}been\s{1,3}(?:confirmed|set|fixed|agreed|chosen|decided)"
    r"[^.;!?\n]{0,20}?(?:they|it)\s{1,3}(?:are|is)\s{0,3}:?"
    # "this has been confirmed to happen at the 14th of November": the day confirmed for it, whatever the tense
    r"|confirmed\s{1,3}to\s{1,3}(?:happen|take\s{1,3}place|be\s{1,3}held)\s{1,3}(?:on|at)"
    # "we decided to do it on November 27/28", "members voted to hold the AGM on": the day decided for a gathering
    r"|(?:decided|agreed|voted|chose|opted)\s{1,3}to\s{1,3}(?:hold|do|have|run|host|meet|organi[sz]e|schedule)\b"
    r"[^.;!?\n]{0,30}?\s(?:on|for)"
    r")\s{1,3}(?:the\s{1,3})?$",
    _I,
)
# Right before a date: "Agenda for 26th July", "the agenda for the": the day of the meeting the agenda is for.
AGENDA_FOR_BEFORE_RE = re.compile(r"\bagenda\s{1,3}for\s{1,3}(?:the\s{1,3})?$", _I)
CHOSEN_DATE_HINTS = (
    "chosen",
    "confirmed",
    "set ",
    "fixed",
    "agreed",
    "decided",
    "preferred",
    "voted",
    "chose",
    "opted",
)
CHOSEN_DATE_AFTER_RE = re.compile(
    r"\s{1,3}as\s{1,3}(?:the|our)\s{1,3}(?:new\s{1,3})?(?:date|day|time)\s{1,3}(?:for|of)\b"
    # "Thursday 11 February was chosen", "… has been agreed"
    r"|\s{1,3}(?:was|has\s{1,3}been|had\s{1,3}been)\s{1,3}(?:cho+sen|agreed(?!\s{1,3}(?:on|at|in|during))|picked|fixed|settled\s{1,3}on)\b",
    _I,
)
# A clock with seconds right after a date ("Sat Sep 24 14:03:35 UTC 2011") stamps a message or a log line.
STAMP_AFTER_RE = re.compile(r"[\s,]{0,3}\d{1,2}:\d\d:\d\d")
RECORD_HINTS = (
    "dated",
    "born",
    "posted",
    "published",
    "written",
    "update",
    "edit",
    "registered",
    "incorporated",
    "founded",
    "since",
    "as of",
    "effective",
    "valid",
    "invoice",
    "paid",
    "from",
    "back",
    "return",
    "away",
    "off",
    "leave",
    "holiday",
    "vacation",
    "ooo",
    "make",
    "able",
    "available",
    "miss ",
    "t attend",
    "o attend",
    "instead",
    "rather",
    "not ",
    "closed",
    "arriv",
    "leaving",
    "depart",
    "travel",
    "flying",
    "landing",
    "week",
    "w/c",
    "circulated",
    "sent out",
    "shared",
    "old date",
    "notice ",
    "original",
    "previously",
    "mail",
    "invit",
    "added",
    "created",
    "uploaded",
    "submitted",
    "modified",
    "(talk",
    "financial",
    "fiscal",
    "tax",
    "accounting",
)
# Before a date with no clock: "restrictions from Thursday 5th November", "new fees apply from 1 April": when a
# rule starts to hold ("the new rules from 3pm on 5 May" has a clock: a talk about them).
RULE_FROM_BEFORE_RE = re.compile(
    r"\b(?:restrictions|rules|guidelines|regulations|fees|prices|charges|tariffs|polic(?:y|ies))"
    r"(?:\s{1,3}(?:will\s{1,3})?(?:apply|change|start|begin|come\s{1,3}into\s{1,3}force|take\s{1,3}effect))?"
    r"\s{1,3}(?:from|as\s{1,3}of|starting)\s{1,3}(?:on\s{1,3})?(?:the\s{1,3})?$"
    # "a return to our facilities is possible from the 4th July", "will be allowed again after 1 May": a permission
    r"|\b(?:is|are|be|becomes?)\s{1,3}(?:again\s{1,3})?(?:possible|allowed|permitted)\s{1,3}(?:again\s{1,3})?"
    r"(?:from|after|as\s{1,3}of)\s{1,3}(?:the\s{1,3})?$"
    # "the proposal will come into effect on the 28th of February", "takes effect from 1 May": a change starts
    r"|\b(?:(?:come|comes|coming|came)\s{1,3}into\s{1,3}(?:effect|force)|(?:take|takes|taking|took)\s{1,3}effect)"
    r"\s{1,3}(?:(?:on|from|as\s{1,3}of)\s{1,3})?(?:the\s{1,3})?$",
    _I,
)
RULE_HINTS = (
    "effect",
    "force",
    "possible",
    "allowed",
    "permitted",
    "restrictions",
    "rules",
    "guidelines",
    "regulations",
    "fees",
    "prices",
    "charges",
    "tariffs",
    "polic",
)
# "Monday 19th May (to avoid the bank holiday)", "because of the bank holiday": a date moved for the holiday
_MOVED_FOR = r"(?<!avoid\sthe\s)(?<!avoiding\sthe\s)(?<!to\sthe\s)(?<!of\sthe\s)"
# Dates of paperwork and of the calendar itself: when no time is given, these are not gatherings.
NOT_A_GATHERING_RE = re.compile(
    r"\b(?:financial\s+year|year[\s-]end|lease|contract|tenancy|rent|invoic\w*|payments?|paid|renew(?:al|s|ed)?"
    r"|(?:last|first)\s+day|newsletter"
    # (a domain name, not "The Domain", a park; "to avoid the bank holiday" is why a day was chosen)
    rf"|expir\w*|(?-i:domains?)|certificates?|licen[cs]es?|subscriptions?|tax|vat|{_MOVED_FOR}bank\s+holidays?|clocks?\s+go"
    # ("On October 12 the college is closed", "the library will be shut")
    r"|(?:office|building|space4?|college|school|university|campus|library|hall|venue|centre|center|museum|church"
    r"|club|pub|shop|store|studio|gym)\s+(?:is\s+|will\s+be\s+)?(?:closed|shut)|closure|birthdays?|anniversary|payday|salary"
    r"|signed|filed|filing|released?|applications?\s+(?:open|close)|on\s+sale|registration\s+(?:opens?|closes?)"
    # "Server Maintenance 2023-09-19", "a planned outage on Sunday": a service's work, nobody gathers
    r"|(?:planned|scheduled|server|network|power)\s+outages?|(?:server|site|system|systems|scheduled|planned)\s+maintenance"
    # "restart subs on the 1st April": a club's fees; "a final edition on 31 August" of a newsletter: an issue
    r"|subs|dues|membership\s+fees?|editions?\s+of\s+(?:the\s+|our\s+)?(?:[\w'-]{1,20}\s+){0,3}?"
    r"(?:news|newsletter|magazine|bulletin|gazette|journal|paper|digest))\b",
    _I,
)
# A sentence that quotes a message header ("On Tue, 5 Mar 2024 at 10:15, Sam wrote:", "Sent: …") dates a message.
MESSAGE_HEADER_RE = re.compile(r"\bwrote:|^\s*(?:>\s*)?(?:sent|received|posted|date\s+sent)\s*:", _I)
# "From 1 April the fee rises", "After 7 October the old calls are removed": an opening "From/After <date>"
# says when a rule starts.  (Matched from the sentence's start to the date's, so no "^": without MULTILINE it
# holds only at the start of the whole post, and a later line or sentence would never match.)
FROM_OPENING_RE = re.compile(
    r"\s*(?:[-*>]\s*)?(?:from|after|starting|beginning|as\s+of)\s+(?:on\s+)?(?:the\s+)?$", _I
)
# "Starting March 7, participants will meet weekly": a series of gatherings opens on the date (not "From 1 April").
SERIES_FROM_OPENING_RE = re.compile(r"\s*(?:[-*>]\s*)?(?:starting|beginning)\s+(?:on\s+)?(?:the\s+)?$", _I)
SERIES_WORD_RE = re.compile(r"\b(?:weekly|fortnightly|monthly|each|every)\b", _I)
# Right after a date opening its line: "Monday 27 June: Agenda sent out to members", "5pm, 13 June: Closing date
# for proposals": a timeline's label says the step is a deadline or an errand (it is read only with no gathering).
TIMELINE_LABEL_AFTER_RE = re.compile(
    # (or set apart by a run of spaces, as a table's columns are)
    r"(?:[\s*_]{0,3}[:|\u2013\u2014-][\s*_]{1,3}|[ \t]{2,40})[^\n:]{0,60}?\b(?:deadline|due\s+date|closing\s+date|cut-?off|sent\s+out"
    r"|(?:published|circulated|made\s+available|announced|notified)"
    # "05/31: Endgame done", "3 June - docs complete": a step finished that day
    r"|done|complete[sd]?|finished|merged|shipped|tagged|frozen)\b",
    _I,
)
# Right after a date opening its line, what a timeline's label says is due then, whatever gathering it names:
# "Dec. 15 – Reservations for business meetings are due", "June 14th – Submit all session information" (a step
# told as an order to send something in).
TIMELINE_DUE_AFTER_RE = re.compile(
    r"[\s*_]{0,3}[:|\u2013\u2014-][\s*_]{1,3}(?:(?:submit|send\s+in|return|upload|pay)\b"
    # ("Sun 12 May: Registration due for each accepted paper", "12 May: Final day for early registration")
    r"|[^\n:]{0,60}?\b(?:(?:is|are)\s+due|due\s+(?:for|from|by)|(?:last|final)\s+day\s+(?:for|to)|deadline|due\s+date"
    r"|closing\s+date|cut-?off"
    # "20th April – Conference Registration Closes": the day sign-up stops, whatever it is for
    r"|(?:registration|bookings?|entries|applications?|submissions?|nominations?|sign-?ups?)\s+(?:closes?|closed|ends?)"
    r")\b)",
    _I,
)
# Right after a date: "see our Oct. 1 blog post", "the 3 May newsletter": the date names a document, not a day
# anyone meets.
DOCUMENT_AFTER_RE = re.compile(
    r"(?:['\u2019]s)?\s{1,2}(?:blog\s+post|blog|post|article|newsletter|bulletin|press\s+release|announcement|edition)(?![-\w])",
    _I,
)
# On a date's own line: "May 15, 2019 May 2019 No Comments", "3 May 2019 | Leave a comment": a blog post's byline.
BYLINE_AFTER_RE = re.compile(
    r"[^\n]{0,60}?\b(?:(?:no|\d{1,4})\s+comments?|leave\s+a\s+(?:comment|reply)"
    # "2nd February 2019 AUTHOR: dwhite CATEGORIES: Event Report": a blog engine's labels
    r"|(?:author|categor(?:y|ies)|tags|filed\s+under)\s*:)",
    _I,
)
BYLINE_HINTS = ("comment", "author", "categor", "tags", "filed")
# The line right above a date alone on its line: "Plotholders' Newsletter" / "May 13th 2019" dates an issue.
ISSUE_TITLE_RE = re.compile(r"(?:newsletter|bulletin|digest|gazette|newssheet)[\s*_:|-]{0,6}$", _I)
# The opening of a to-do line: "- [ ] approve the changes on 2017-12-11", "* [x] update the roadmap on the 26th".
TASK_LINE_RE = re.compile(r"[ \t>]{0,8}(?:[-*+][ \t]{1,3})?\[[ xX]\][ \t]")
# "September 26, the original scheduled date for the first meeting, …", "the original date for the town hall of
# Monday, March 21": a date named as the one a gathering was first set for (and so moved away from).
ORIGINAL_DATE_BEFORE_RE = re.compile(
    r"\boriginal(?:ly)?\s{1,3}(?:scheduled\s{1,3}|planned\s{1,3}|proposed\s{1,3})?date\b[^.;!?\n\d]{0,45}$",
    _I,
)
ORIGINAL_DATE_AFTER_RE = re.compile(
    r"[\s,(]{0,3}(?:(?:was|is)\s{1,3})?(?:the|our|its|their)\s{1,3}original(?:ly)?\s{1,3}"
    r"(?:scheduled\s{1,3}|planned\s{1,3}|proposed\s{1,3})?date\b",
    _I,
)
# A place's hours: "the Coop will close early at 5 pm", "late night opening on Thursdays November 16 and 30", "our
# club will be open from 4pm till late": when a door is open, not a gathering (read only with no gathering named).
OPENING_HOURS_RE = re.compile(
    r"\b(?:(?:will|to|shall|may)\s{1,3}(?:be\s{1,3})?(?:close|open)\s{1,3}(?:early|late)|clos(?:es|ing)\s{1,3}early"
    r"|late[\s-]night\s{1,3}(?:opening|shopping)|opening\s{1,3}(?:hours|times)|operating\s{1,3}hours"
    # "the museum is open daily 10 a.m. to 4 p.m. and 12-4 p.m. on Sunday"
    r"|open\s{1,3}(?:daily|every\s{1,3}day|seven\s{1,3}days|7\s{1,3}days)"
    r"|(?:shop|store|stores|co-?op|cafe|café|library|bar|club|restaurant|office|centre|center|pool|museum)s?\s{1,3}"
    r"(?:will\s{1,3}be|is|are)\s{1,3}(?:(?:now|also)\s{1,3})?open\s{1,3}(?:from|between|until|till|during|as\s{1,3}usual)"
    # "the space is officially closed to non-keyholders from 5pm Friday", "we aim to be open for visitors": whoever
    # the place is named by, its door shut or open
    r"|(?:is|are|will\s{1,3}be|be)\s{1,3}(?:(?:officially|now|also|fully)\s{1,3})?closed\s{1,3}(?:to|from|over|between|until)"
    r"|(?:is|are|be)\s{1,3}open\s{1,3}(?:to|for)\s{1,3}(?:visitors|the\s{1,3}public|non-?members))\b",
    _I,
)
# Right after a date: "the weekend (Feb 11+12) isn't an option", "Friday 7th doesn't work for me": the date is
# ruled out.
RULED_OUT_AFTER_RE = re.compile(
    # "24th March ceased to be a 'target date'", "the 9th is no longer the date"
    r"(?:\s{0,2}[+&/-]\s{0,2}\d{1,2}(?:st|nd|rd|th)?)?[\s)\]*_,]{0,4}(?:ceased?\s{1,3}to\s{1,3}be\b"
    r"|(?:is|are|was)\s{1,3}no\s{1,3}longer\b|(?:isn'?t|is\s{1,3}not|aren'?t|are\s{1,3}not|won'?t|will\s{1,3}not|doesn'?t|does\s{1,3}not"
    r"|don'?t|do\s{1,3}not)\s{1,3}(?:be\s{1,3})?(?:an?\s{1,3}option|work|possible|suitable)\b)",
    _I,
)
# Right before a day with no clock, in a clause naming no gathering: "a fire from Oct 1st", "(tentatively,
# starting December 1st)", "beginning September 29": when a period or a rule starts, not a day anyone meets.
PERIOD_START_BEFORE_RE = re.compile(
    r"\b(?:from|starting|beginning|commencing)\s{1,3}(?:on\s{1,3}|from\s{1,3})?(?:the\s{1,3})?$", _I
)
# Right after a day and month: "(28 September 1752 – 10 March 1777)": a year long before any post makes the date
# history (the reader reads only years from 1900 on).
# ("12 March 1400 UTC", "1400-1500", "12 March, 1400," are clocks: the number must close a bracket, or open a
# life's span)
HISTORIC_YEAR_AFTER_RE = re.compile(
    r",?[ \t]{1,2}1[0-8]\d\d(?=[ \t]*[)\]]|[ \t]*[\u2013\u2014-][ \t]*\d{1,2}[ \t]+[A-Za-z])"
)
# The opening of a line that names a version: "1.23.0-alpha.2 -> Week 4 // Tue September 14", "v2.1: 3 May": the
# date a version is cut or released.
# (three parts, a "v" or a pre-release tag: "10.30 am" and "2.00 P.M." open a programme's line with a clock)
VERSION_LINE_RE = re.compile(
    r"[ \t>*+-]{0,6}(?:v\d{1,3}\.\d{1,3}(?:\.\d{1,3})?|\d{1,3}\.\d{1,3}\.\d{1,3}|\d{1,3}\.\d{1,3}(?=-[a-z]))"
    r"(?:-[\w.]{1,20})?(?=[ \t:|/-])",
    _I,
)
# On a short line with a date: "Sept 2, 2008 Hackerspace Meeting Agenda \\ Minutes", "Council Meeting Report: 4 April
# 2024": the title of a record of a meeting held (not "in 20 minutes", "60 minutes", "Mappy Minutes will be on").
MINUTES_TITLE_RE = re.compile(
    r"(?<![\d\s])(?<!\d\s)\s*\bminutes\b(?!\s+(?:ago|before|after|from|each|long|later|early|late))"
    r"|\b(?:meeting|council|committee|board)\s{1,3}(?:report|notes|summary|recap)\b",
    _I,
)
# Before a date: "schedule around Mozilla's All Hands in London during June 13-16", "would run into conflicts with
# Christmas (26th of December)": a date named only to be kept clear of.
AVOID_BEFORE_RE = re.compile(
    r"\b(?:schedul\w{0,3}\s{1,3}around|(?:run|runs|running)\s{1,3}into\s{1,3}(?:a\s{1,3})?(?:conflicts?|clash(?:es)?)"
    r"|(?:conflicts?|clash(?:es)?)\s{1,3}with)\b[^.;!?\n]{0,60}$"
    # "particularly avoid Marathon Monday 4/15": a day named to be kept clear of (not "avoid the rush by meeting
    # on …", nor past a comma: "to avoid the bank holiday, we meet on …")
    r"|\bavoid(?:s|ing)?\b(?:(?!\b(?:by|but|so|instead|meet\w*|hold\w*|move\w*)\b)[^.,;:!?\n]){0,40}$",
    _I,
)
# A list's heading, within a few lines above: "Dates to AVOID:" over "* June 8-12, 2026 (IVOA Meeting)".
AVOID_HEADING_RE = re.compile(
    r"^[ \t#*_>-]{0,6}(?:dates?\s{1,3}to\s{1,3})?avoid\b[^\n:]{0,30}:[ \t*_]*$", _I | re.MULTILINE
)
# Right after a date: "On Jan 17, we sent out an email … announcing the Summit": the day something was sent,
# whatever it announced.
SENT_AFTER_RE = re.compile(
    r"[\s,]{0,3}(?:we|i|they|she|he)\s{1,3}(?:just\s{1,3}|also\s{1,3}|then\s{1,3})?"
    r"(?:sent|e-?mailed|mailed|posted|published|released|announced|circulated)\b"
    # "Sam's March 10 email", "our Oct. 1 blog post": the date names a message, not a gathering
    r"|\s{1,3}(?:blog\s{1,3})?(?:e-?mails?|messages?|posts?|letters?|newsletters?|memos?|bulletins?)\b(?!-)(?!\s*(?:office|box|code))",
    _I,
)
# Right before a date: "I will email again around 12th October", "we'll send the link on Friday": the day a message
# is sent, whatever gathering it is about.
ERRAND_BEFORE_RE = re.compile(
    r"(?:\b(?:will|shall|going\s{1,3}to)|['\u2019]ll)\s{1,3}(?:\w{1,12}\s{1,3})?(?:e-?mail|write|send|contact|phone|text|message|remind)(?:\s{1,3}(?:out|round|around))?"
    r"(?:\s{1,3}[\w'-]{1,15}){0,3}?\s{1,3}(?:on|around|about)\s{1,3}(?:the\s{1,3})?$",
    _I,
)
# ("I am going to contact the caretaker on Monday to book the room": the day a message is sent)
ERRAND_HINTS = ("mail", "write", "send", "contact", "phone", "text", "message", "remind")
# After a date, in the same sentence: "This Friday, I'm not available until 3pm", "Nov 6-8, so the office won't be
# available then": someone or somewhere unavailable that day, not a gathering (unless a gathering is named
# between, or the words are a condition: "if you're not available").
UNAVAILABLE_AFTER_RE = re.compile(
    r"(?:(?:\bnot|n't|n’t|\bnever)\s{1,3}(?:be\s{1,3})?available|\bunavailable)\b", _I
)
UNAVAILABLE_CONDITION_RE = re.compile(r"\b(?:if|unless|whether|when|who|anyone)\b", _I)
# Right before a date: "with International Beer Day falling on Friday 5 August", "Mental Health Week running from
# June 11-17": a named day, week or month of observance, not a gathering.
OBSERVANCE_BEFORE_RE = re.compile(
    r"(?:(?-i:Day)s?\s{1,3}(?:(?:is|will\s{1,3}be)\s{1,3})?(?:falls|falling|fell)"
    r"|(?-i:Week|Month|Fortnight)\s{1,3}(?:(?:is|will\s{1,3}be)\s{1,3})?(?:falls|falling|fell|runs|running|ran))"
    r"\s{1,3}(?:on\s{1,3}|from\s{1,3})?(?:the\s{1,3})?$",
    _I,
)
OBSERVANCE_HINTS = ("fall", "fell", "run", "ran")
# Right after a date: "the forum on February 2nd was a great success", "Saturday's litter-pick went well": how a
# gathering went is told once it is over, whatever else the sentence says ahead.
WENT_AFTER_RE = re.compile(
    r"[\s,)]{0,3}(?:(?:was|were)\s{1,3}(?:(?:a|an|such\s{1,3}a|so|very|really|truly|hugely)\s{1,3})?"
    r"(?:great|huge|big|real|resounding|terrific|successful|success|well[\s-]attended|packed|fun|brilliant|excellent"
    r"|fantastic|wonderful|lovely|enjoyable|productive|memorable)"
    r"|went\s{1,3}(?:very\s{1,3}|really\s{1,3})?(?:well|off\s{1,3}well|brilliantly|smoothly)"
    # "July 23rd saw the annual fete", "Saturday saw over 40 of us at the hall": the day as the subject of "saw"
    r"|saw)\b",
    _I,
)
# Right before a span of days: "put someone up during the period August 5th to 10th", "for the period 1-14 May":
# a stretch of days something holds over, not a gathering.
PERIOD_OF_DAYS_BEFORE_RE = re.compile(
    r"\b(?:during|for|over|throughout|in)\s{1,3}the\s{1,3}period\s{1,3}(?:of\s{1,3}|from\s{1,3}|between\s{1,3})?(?:the\s{1,3})?$",
    _I,
)
