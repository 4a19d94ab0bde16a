"""Words that say a date is not a gathering although it looks like one: someone's absence, a milestone in a
process, a public holiday, a gathering called off by a later clause.  Compiled once at import; bounded like
``_patterns`` (no nested unbounded repetition)."""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Milestones whatever the clock: a clause about these (and no gathering) dates a step in a process, not people
# meeting: freezes, end of life, software released, schedules announced, votes and nominations opening or
# closing, restrictions lifting, works starting, a place (re)opening, calendars cleaned, public holidays.
MILESTONE_RE = re.compile(
    r"\b(?:freeze|end\s+of\s+life|call\s+for\s+(?:\w+\s+)?(?:proposals|papers|participation|nominations|submissions|talks|speakers)|releas(?:e|es|ed|ing)|announc\w{0,4}\s+(?:the\s+)?(?:schedule|programme|program"
    r"|line-?up|speakers|results|winners)|(?:registrations?|nominations?|voting|votes?|ballots?|polls|applications?"
    r"|submissions?|entries|sign-?ups?)\s{1,3}(?:(?:will|are|is|shall)\s{1,3})?(?:be\s{1,3}|now\s{1,3})?(?:open|clos)\w{0,3}"
    r"|nominations?|restrictions?\s{1,3}(?:(?:are|will|to)\s{1,3})?(?:be\s{1,3}|due\s{1,3}to\s{1,3})?(?:lift|eas|end|relax)\w{0,3}"
    r"|(?:lifting|easing|end)\s{1,3}of\s{1,3}(?:the\s{1,3})?(?:\w{1,20}\s{1,3})?restrictions|(?:building|engineering|road)\s+works|works?\s+(?:will\s+)?(?:begin|start)s?"
    r"|re-?open\w{0,3}|opened|open\s+again|closed\s+for|removed\s+from|membership\s+year|sent\s+(?:an?\s+)?e-?mail|e-?mailed"
    r"|labou?r\s+day|thanksgiving|halloween|memorial\s+day|independence\s+day|boxing\s+day|good\s+friday"
    r"|new\s+year'?s\s+(?:day|eve)|christmas\s+(?:day|eve)|easter\s+(?:sunday|monday|weekend)|public\s+holidays?"
    r"|national\s+holidays?|(?:is|are)\s+(?:easter|christmas|passover|diwali|eid|hanukkah))\b",
    _I,
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
# A clause that says someone is away: "I'm on vacation from June 25", "out of office, 1st May", "when I return to
# the office on October 9".  The dates after it (with no gathering named in between) are the absence.
ABSENCE_RE = re.compile(
    r"\b(?:on\s+(?:vacation|holiday|leave|annual\s+leave|sabbatical|parental\s+leave|paternity\s+leave"
    r"|maternity\s+leave)|out\s+of\s+(?:the\s+)?(?:office|town|country)|out-of-(?:the-)?office|ooo"
    r"|return(?:s|ing)?\s+to\s+(?:the\s+)?(?:office|work)|back\s+(?:in|at)\s+(?:the\s+)?(?:office|work)"
    r"|(?:i'm|i\s+am|i'll\s+be|i\s+will\s+be|we're|we'll\s+be)\s+(?:away|off))\b",
    _I,
)
ABSENCE_HINTS = ("vacation", "holiday", "leave", "out of", "out-of", "ooo", "office", "work", "away", "off")
# "This Friday is the 7th, so we don't meet": a consequence clause later in the sentence calls the date off.
SO_CALLED_OFF_AFTER_RE = re.compile(
    r",\s{1,3}so\s[^.;!?\n]{0,60}?\b(?:(?:don't|do\s+not|won't|will\s+not)\s{1,3}(?:be\s{1,3})?meet(?:ing)?"
    r"|no\s{1,3}(?:meeting|call|session|gathering))\b",
    _I,
)
