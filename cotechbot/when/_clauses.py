"""What the words of a clause say about a date in it: told in the past or ahead, about a gathering or not,
called off, a step in a process, a stamp; and what the lines just above and below a date line say."""

from __future__ import annotations

import bisect
import re
from datetime import datetime

from cotechbot.when import _not_gatherings as N
from cotechbot.when import _patterns as P
from cotechbot.when._model import TimeMention

_I = re.IGNORECASE

# The clause word lists CANCELLED_RE, PAST_RE and EVENT_RE open with r"\b(?=\w)": every alternative of their
# first group opens with a letter, so only a word's start can begin one, and a word's end is passed over before
# the long case-blind alternation is tried there (the same matches, about a third faster; tests/unit/
# test_when_prefilter.py checks every alternative opens with a word character).  FUTURE_RE's "'re meeting"
# opens on the apostrophe of "we're", so it looks ahead for a word character or an apostrophe.
# A clause that calls a date off: the date is not an event, unless it is the new date ("postponed to …").
CANCELLED_RE = re.compile(
    # ("note changed date": the date written is the new one)
    r"\b(?=\w)(?:cancell?ed|called\s+off|postponed|rescheduled|moved|changed(?!\s+date)|(?:pushed|put)\s+(?:back|forward|out)(?=\s{1,3}(?:to|until|till|by|a|one|two|three|\d|in|into)\b)|brought\s+forward(?=\s{1,3}(?:to|by|a|one|two|three|\d|in|into)\b)|not\s+(?:be\s+)?happening|won't\s+be\s+happening"
    r"|no\s+(?:meeting|call|session|gathering|social)"
    # "we must cancel the March 7 meeting", "the plenary will not take place", "we don't meet this Friday"
    r"|cancel(?:s|l?ing)?|not\s+(?:now\s+)?(?:be\s+)?tak(?:e|ing)\s+place|won't\s+(?:now\s+)?(?:be\s+)?tak(?:e|ing)\s+place"
    r"|(?:don't|do\s+not|won't|will\s+not)\s+(?:be\s+)?meet(?:ing)?"
    # "if we cannot meet on Wednesday 31st, …", "it can't be done on Tuesday, April 19": the day is out
    # (not "since we can't meet in person, the gathering moves online: …": the gathering goes on)
    r"|(?:can't|can’t|cannot|can\s+not)\s+(?:meet(?!\s+(?:up\s+)?(?:in\s+person|face[\s-]to[\s-]face|physically|in\s+real\s+life|irl)\b)"
    r"|be\s+(?:done|held|run)(?!\s+(?:in\s+person|face[\s-]to[\s-]face|physically)\b))"
    # "will not go ahead", "will no longer take place", "has been scrapped", "we're skipping the meeting"
    r"|(?:not|won't)\s+(?:now\s+)?go(?:ing)?\s+ahead|(?:will\s+not|won't)\s+(?:now\s+)?(?:occur|be\s+occurring)"
    # "the meeting was due to have been held on Monday 23rd": said as what would have been; "on hold from 17 Dec"
    r"|was\s+(?:due|supposed|meant|set)\s+to\s+(?:have\s+)?(?:been\s+)?(?:be\s+)?(?:held|hold|tak(?:e|en)|happen(?:ed)?|run)"
    # "the concert which was due for 25th June", "AASL was due to hold its AGM on…": the plan as it stood
    r"|was\s+(?:due|supposed|meant)\s+(?:to\s+be\s+)?(?:for|on)\b"
    # "the meeting had been scheduled for 5/7", "what we had planned for Sept 1-14": what was to have been
    # ("we had a meetup scheduled for tomorrow but…": the gathering named between)
    r"|had\s+(?:been\s+)?(?:(?:an?|the|our)\s+(?:[\w'-]{1,20}\s+){0,3}?)?(?:scheduled|planned|arranged|booked)"
    # "Delay the meeting from Thursday, November 23 to a later date", "postponed until further notice": moved
    # away to no day yet
    r"|(?:to|until|till)\s+a\s+(?:later|future)\s+date|until\s+further\s+notice"
    # "we have decided to postpone the meeting planned for Thursday 27 May", "Will NOT Be Opening … Tonight"
    # (not "we will postpone the start of this Monday's meeting to 14:30": the day kept, its clock moved)
    r"|postpone(?![^.;!?\n]{0,60}?\s(?:to|until|till)\s+(?:the\s+)?(?:\d|next|following|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))|(?:will\s+not|won't)\s+(?:now\s+)?be\s+opening"
    r"|on\s+hold|(?:will\s+not|won't|is\s+not|isn't)\s+(?:now\s+)?be\s+possible|no\s+longer\s+(?:be\s+)?(?:tak(?:e|ing)\s+place|happening|going\s+ahead)"
    r"|scrapped|skip(?:s|ping|ped)?\s+(?:the|this|next|our)\s+(?:[\w'’-]{1,20}\s+)?"
    r"(?:meeting|call|session|gathering|social|talk|class|practice|rehearsal|quiz|workshop|event|service)s?\b"
    # "Moving June 4th meeting to June 11th", "rescheduling them to Thursday": a move under way, to somewhere
    # (not "moving forward", not "glad this is moving again")
    r"|(?:moving|rescheduling)(?!\s+(?:forward|on|ahead|along)\b)(?=[^.;!?\n]{0,60}?\s(?:to|until|till)\s)"
    # "we will be postponing our AGM from 11th May": a postponement under way, from the old date or to the new
    r"|postponing(?=[^.;!?\n]{0,60}?\s(?:to|until|till|from)\s))\b"
    # "there will NOT now be a Society meeting", "we will not have a meeting on…", "there won't be any call":
    # a gathering denied with a verb
    r"|(?:will\s+not|won't|shall\s+not|do\s+not|don't)\s{1,3}(?:now\s{1,3})?(?:be|have|hold|be\s{1,3}(?:having|holding))\s{1,3}(?:an?|any|our|the)\s{1,3}"
    r"(?:(?-i:[A-Z])[\w&-]{0,20}\s{1,3}){0,3}"
    r"(?:meeting|call|session|gathering|social|talk|class|practice|rehearsal|quiz|workshop|event|service|run|ride|walk)s?\b"
    # "there will be no TENAC Board Meeting", "_no_ meeting", "no office hours", "No talk": a named gathering denied
    r"|(?<![a-z])no[_*]{0,2}\s{1,3}(?:(?-i:[A-Z])[\w&-]{0,20}\s{1,3}){0,3}"
    r"(?:meeting|call|session|gathering|social|talk|office\s+hours|class|classes|practice|rehearsal|quiz|workshop|event|service"
    # "No Club Training", "No Lecture or Classes": a club's or a course's session denied
    r"|training|lecture|run|ride|walk|match)s?\b",
    _I,
)
# "the committee scheduled for Tuesday 13th has been postponed": "scheduled for" names the old date, not the new
# ("rescheduled to 19th November" names the new one).
NEW_DATE_BEFORE_RE = re.compile(
    # ("moved to weekend of June 9th": the new date's weekend)
    # ("the concert which was due for 25th June": the old date)
    r"\b(?<!\bscheduled\s)(?<!planned\s)(?<!booked\s)(?<!due\s)(?:to|until|till|for|instead|now)\s+(?:on\s+)?"
    r"(?:the\s+|next\s+week\s+)?(?:weekend\s+of\s+(?:the\s+)?)?$"
    # "canceled and replaced with a special meeting on September 13th": the replacement's date
    r"|\breplaced\s+(?:with|by)\s+[^.;!?\n]{0,40}?\bon\s+(?:the\s+)?$"
    # "postponed … so it will now be held at 2:00 pm next Sunday 27th September"
    r"|\bnow\s+be\s+(?:held|run|hosted)\s+(?:at|on)\s+$"
    # "moved the meeting to the following week so it will now be on Tuesday 28th April"
    r"|\b(?:will|'ll)\s+now\s+be\s+(?:on\s+)?(?:the\s+)?$",
    _I,
)
# Right before a date: "for" names the new date only when the call-off is said before it ("rescheduled for the
# 9th"); "the call for November 19 was cancelled" names the date called off.
FOR_BEFORE_RE = re.compile(r"\bfor\s+(?:on\s+)?(?:the\s+)?$", _I)
# Right before a date, in its clause: "the cancellation of the juniors' training this Tuesday" calls that day off.
# (not "after the cancellation of last week's talk the speaker will now come on 5 March": a new date)
CANCELLATION_OF_BEFORE_RE = re.compile(
    r"\bcancell?ations?\s{1,3}of\s(?:(?!\b(?:will|now|instead|replac\w{0,4}|moved|to|until)\b)[^,.;:!?\n]){0,50}$",
    _I,
)
# "moved from 5 March to 12 March": a span read from a move is the old date and the new one.
# ("scheduled to take place from January 23 to 26, is being pushed forward": a span's days, not a move)
MOVED_FROM_BEFORE_RE = re.compile(
    # ("cancel the meeting which is planned from May 4th to 8th": the span planned, called off whole)
    r"(?<!place\s)(?<!held\s)(?<!run\s)(?<!runs\s)(?<!running\s)(?<!scheduled\s)(?<!planned\s)(?<!booked\s)"
    r"(?<!arranged\s)(?<!due\s)(?<!set\s)(?<!is\s)(?<!are\s)(?<!was\s)(?<!were\s)\bfrom\s+(?:the\s+)?$",
    _I,
)
# Sentence context: who is speaking about when.
PAST_RE = re.compile(
    r"\b(?=\w)(?:was|were|had\s+(?!to\b)|did|met|held|took\s+place|happened|went|came|attended|enjoyed|gathered"
    r"|ran|began|(?<!getting\s)(?<!get\s)started|arrived|attracted|celebrated|finished|ended|concluded|passed|yesterday|ago|(?:have|has)\s+been(?!\s+[a-z]{2,}ing\b)|last\s+(?:week|month|year|time)|recap"
    # ("will be discussed", "venue to be decided": a passive after a bare "be" is still to come)
    r"|write-?up|(?<!\bbe\s)(?:agreed|decided|discussed|talked|chatted|released|announced)"
    # "some people showed at 5 PM", "a dozen turned up": who came, told afterwards
    r"|showed(?:\s+up)?|turned\s+up"
    r"|thanks?\s+(?:to\s+)?(?:everyone|all|you)\s+(?:who|for)\s+(?:came|joined|coming|joining|attending)"
    # "thank you … for a great annual meeting on June 3": thanked for, so held
    r"|thank(?:s|\s+you)\b[^.;!?\n]{0,80}?\bfor\s+(?:a|an|the|such\s+a|our)\s+(?:really\s+|very\s+)?"
    r"(?:great|lovely|wonderful|fantastic|successful|brilliant|fabulous|excellent|good|fun|productive|inspiring)\b"
    # "we agreed", "they organised": a pronoun and a regular past tense
    r"|(?:we|they|i|he|she|you|everyone)\s+(?:all\s+|also\s+|then\s+|just\s+|finally\s+)?"
    r"(?!need|embed|feed|seed|speed|proceed|succeed|exceed|shed|bed|wed|bleed|breed|plead|schedul|plann|propos|intend"
    # "I just wanted to check", "I wondered if": politeness, not the past
    r"|wanted\s+to|wondered)"
    # "at the AGM on November 20th we said goodbye to…": a pronoun and an irregular past tense too
    r"(?:[a-z]{2,}ed|said|saw|heard|spent|gave|took|told|won|lost|sang|ate|drank|built|found|felt|brought"
    r"|bought|wrote|taught|sat|kept|led))\b",
    _I,
)
FUTURE_RE = re.compile(
    r"\b(?=[\w'])(?:will|shall|going\s+to|gonna|next|upcoming|coming|plan(?:ning|ned)?\s+to|hope|hoping|would|could|can"
    r"|let'?s|please|pencil|save\s+the\s+date|scheduled|propose[sd]?|suggest(?:ed|ing)?|is\s+on|are\s+on|be\s+held"
    r"|(?:are|'re)\s+(?:meeting|having|holding|hosting|running|organi[sz]ing)|(?:is|are)\s+(?:happening|taking\s+place|being\s+held)"
    r"|join|register|book|rsvp|see\s+you|looking\s+forward|likely\s+to\s+be|available|free\s+on|tbc|tba"
    r"|provisional(?:ly)?|pencilled|penciled|confirmed\s+for|moved\s+to|moving\s+to|postponed\s+to|rescheduled"
    # "SCOUTS STARTS AGAIN Tuesday 6th Jan": a group resuming, said on the day it does
    r"|(?:starts?|begins?|opens?)\s+again|re-?(?:starts?|starting|opens?|opening|commences?)|resum(?:es|ing)"
    # "We were thinking 10th - 11th or 17th - 18th Nov?", "we're aiming for 11-12th October": a proposal, whatever
    # the tense of its verb
    r"|(?:was|were|am|are|'m|'re)\s+(?:just\s+|also\s+)?(?:thinking|considering|aiming)|aim(?:s|ing)?\s+(?:for|to))\b|'ll\b",
    _I,
)
# Words that say a weekday or a day-word is about a gathering rather than an errand.
EVENT_RE = re.compile(
    # "call for proposals" is a milestone, not a call
    # ("call a day of strike action", "call a ballot": the verb, not a call)
    # ("we will make a final call on the 31st", "a judgement call": a decision, not a call)
    r"\b(?=\w)(?:(?<!\bfinal\s)(?<!\bjudgement\s)(?<!\bjudgment\s)call(?!\s+for\s+(?:\w+\s+)?(?:proposals|papers|participation|nominations|submissions|talks|speakers)"
    r"|\s+an?\s+(?:\w+\s+)?(?:days?|strike|halt|vote|ballot|election|referendum)\b)"
    r"|meeting|meet(?:-?up)?|meet|chat|session|gathering|workshop|event|conf(?:erence)?|webinar|talk|hangout"
    r"|social(?!\s+distanc)|agm|assembly|drinks|party|launch|festival|summit|hack\s?day|hackathon|retreat|training|lunch|dinner"
    r"|breakfast|coffee|catch[\s-]?up|get[\s-]together|round[\s-]?table|stand[\s-]?up|sprint|demo|presentation"
    r"|congress|celebrat(?:e|es|ing|ion|ions)|see\s+you|join(?:ing)?\s+us|huddle|jitsi|zoom|video|space4|retro|standup|circle|co-?working"
    # "look forward to seeing you", "I'll be there" (not "I can't be there": an absence)
    r"|forward\s+to\s+seeing\s+you|(?<!n't\s)(?<!n’t\s)(?<!not\s)be\s+there"
    r"|meetup|kick(?:s|ing)?\s+off|doors\s+open|met|gathered|attended|came|visit(?:ed)?|weekend|fortnight"
    # attending, and the gatherings co-ops, clubs and gardens hold
    r"|make\s+it|come\s+(?:along|out|by|down)|drop\s+in|open\s+(?:day|night|evening)|f[eê]te|repair\s+caf[eé]|who(?:'s|\s+is)\s+coming"
    r"|potluck|picnic|quiz|hack\s+night|work\s*day|work\s+party"
    r"|open\s+house|screening|concert|gig|tour|course|seminar|panel|camp"
    # what a club or a hall puts on: "the Art Exhibition tomorrow", "an online fundraiser", "a DVD night",
    # "Field Day", "will throw open its doors", "we are hosting"
    r"|exhibitions?|fundraisers?|field\s+day|(?:film|movie|dvd|games?|quiz|music|social)\s+night"
    r"|throws?\s+open|(?:is|are|be)\s+hosting"
    # "a reminder that this is happening tomorrow": the thread's gathering, said to happen
    r"|(?:it|this)(?:'s|\s+is)\s+(?:still\s+)?happening"
    # "first one is tonight", "the next one will be on Tuesday": one of a series of gatherings just named
    r"|(?:first|next)\s+one\s+(?:is|will\s+be)"
    # lessons and classes, a choir's rehearsals, a cycling club's rides
    r"|lessons?|classes|rehearsals?|choir|rides?"
    # the gatherings of campaigns and unions
    r"|rall(?:y|ies)|vigils?|pickets?|protests?|demonstrations?"
    # what residents' groups and gardens turn out for: "the clean-up next Saturday", "volunteers needed Sunday"
    r"|clean[\s-]?ups?|litter[\s-]?picks?|(?:beach|river|park|spring|canal|street)\s+cleans?|tidy[\s-]?ups?"
    r"|working\s+bees?|volunteer(?:ing)?\s+(?:days?|sessions?|mornings?|afternoons?)"
    r"|(?:need|want|looking\s+for|calling\s+(?:all|for))\s+(?:some\s+|more\s+|a\s+few\s+)?(?:volunteers|helpers)"
    r"|(?:volunteers|helpers)\s+(?:needed|wanted|required)"
    # "don't forget it's this evening!": what readers are reminded of is a gathering (not "don't forget to
    # renew…", an errand)
    r"|don'?t\s+forget(?!\s+to\b)"
    # "you are invited to decorate the tree", "we invite everyone to": an invitation is to a gathering
    r"|(?:are|is|be)\s+(?:warmly\s+|cordially\s+|all\s+|also\s+)?invited|invit(?:e|ing)\s+(?:you|everyone|all|members)"
    # a ceremony people come to: "the official opening of our new pitch", "a grand opening"
    r"|(?:official|grand)\s+(?:re-?)?opening"
    # a body's full sitting: "at the plenary on Wednesday morning"
    r"|plenary|plenaries"
    # a team's look back together ("Week 10 Release Retrospective"; "retro" and "sprint" are above)
    r"|retrospectives?)\b",
    _I,
)


# The longest verbless lead of a clause read as sharing the verb of the clause before it.
_SHARED_LEAD = 40
_VERB_RE = re.compile(r"\b(?:is|are|was|were|will|shall|be|has|have|had|'s|'ll)\b|'s\b|'ll\b", _I)


class Clauses:
    """A sentence cut into clauses, with the tense and the gathering words of each read once."""

    def __init__(self, sentence: str) -> None:
        self._sentence = sentence
        self._cuts = [0]
        for m in P.CLAUSE_END_RE.finditer(sentence):
            self._cuts.extend((m.start(), m.end()))
        self._cuts.append(len(sentence))
        self._past: dict[int, bool] = {}
        self._gathering: dict[int, bool] = {}
        self._cancelled: dict[int, bool] = {}
        self._paperwork: dict[int, bool] = {}
        self._milestone: dict[int, bool] = {}
        self._hours: dict[int, bool] = {}
        self._quiet: bool | None = None
        self._names_gathering: bool | None = None
        self._may_be_away: bool | None = None
        self._absences: dict[int, tuple[list[int], list[tuple[int, int]], list[tuple[int, int]]]] = {}
        self._sentence_tense: bool | None = None
        self._sentence_read = False
        self._deadline_words: list[int] | None = None
        self._may_be_milestone: tuple[bool, bool] | None = None

    def bounds(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._cuts, offset) - 1
        i -= i % 2  # even positions start clauses, odd ones end them
        return self._cuts[i], self._cuts[min(i + 1, len(self._cuts) - 1)]

    def past(self, offset: int) -> bool:
        """Is the clause at ``offset`` told in the past tense (the sentence decides when the clause has no verb)?"""
        start, end = self.bounds(offset)
        if start not in self._past:
            tense = clause_tense(self._sentence, start, end)
            if tense is None:
                if not self._sentence_read:
                    # a clause that is the whole sentence has already been read as the sentence
                    whole = start == 0 and end == len(self._sentence)
                    self._sentence_tense = (
                        None if whole else clause_tense(self._sentence, 0, len(self._sentence))
                    )
                    self._sentence_read = True
                tense = self._sentence_tense
            self._past[start] = bool(tense)
        return self._past[start]

    def deadline_word_between(self, start: int, end: int) -> bool:
        """Is there a word such as "deadline" between two offsets (found once per sentence, then bisected)?"""
        if self._deadline_words is None:
            self._deadline_words = [m.start() for m in N.DEADLINE_WORD_RE.finditer(self._sentence)]
        i = bisect.bisect_left(self._deadline_words, start)
        return i < len(self._deadline_words) and self._deadline_words[i] < end

    def paperwork(self, offset: int) -> bool:
        """Is the clause at ``offset`` about paperwork or the calendar itself (leases, invoices, bank holidays)?"""
        start, end = self.bounds(offset)
        if start not in self._paperwork:
            self._paperwork[start] = N.NOT_A_GATHERING_RE.search(self._sentence, start, end) is not None
        return self._paperwork[start]

    def milestone(self, offset: int) -> bool:
        """Is the clause at ``offset`` about a step in a process (a freeze, a vote opening, a public holiday)?"""
        start, end = self.bounds(offset)
        if start not in self._milestone:
            if self._may_be_milestone is None:
                self._may_be_milestone = N.may_be_milestone(N.fold(self._sentence))
            self._milestone[start] = N.milestone_in(self._sentence, start, end, self._may_be_milestone)
        return self._milestone[start]

    def milestones_only_holidays(self, offset: int) -> bool:
        """Are the milestones of the clause at ``offset`` all holidays named ("Christmas Day", "Good Friday")?"""
        start, end = self.bounds(offset)
        may = self._may_be_milestone or (False, False)
        if may[1] and N.MORE_MILESTONE_RE.search(self._sentence, start, end) is not None:
            return False
        named = N.MILESTONE_RE.finditer(self._sentence, start, end) if may[0] else ()
        return all(_HOLIDAY_NAME_RE.fullmatch(m.group()) for m in named)

    def shares_milestone(self, offset: int) -> bool:
        """ "release the beta on 3 March and the final version on 10 March": a clause opened by "and" that has no
        verb or gathering of its own before ``offset`` shares the milestone of the clause before it."""
        start, _ = self.bounds(offset)
        if start < 5 or offset - start > _SHARED_LEAD or self._sentence[start - 5 : start].lower() != " and ":
            return False
        lead = self._sentence[start:offset]
        if _VERB_RE.search(lead) or EVENT_RE.search(lead):
            return False
        before_start, _ = self.bounds(start - 6)
        # (each clause's words are read once, so a clause of many dates stays linear)
        return self.milestone(before_start) and not self.gathering(before_start)

    def names_gathering(self) -> bool:
        """Does the sentence name a gathering anywhere (read once per sentence)?"""
        if self._names_gathering is None:
            self._names_gathering = EVENT_RE.search(self._sentence) is not None
        return self._names_gathering

    def quiet(self) -> bool:
        """Does the whole sentence name no gathering and say nothing ahead (read once per sentence)?"""
        if self._quiet is None:
            self._quiet = not self.names_gathering() and FUTURE_RE.search(self._sentence) is None
        return self._quiet

    def opening_hours(self, offset: int) -> bool:
        """Does the clause at ``offset`` give a place's hours ("the shop will close early", "late night opening")?"""
        start, end = self.bounds(offset)
        if start not in self._hours:
            self._hours[start] = N.OPENING_HOURS_RE.search(self._sentence, start, end) is not None
        return self._hours[start]

    def away(self, offset: int) -> bool:
        """Does the clause say someone is away before ``offset``, with no gathering named in between?"""
        if self._may_be_away is None:
            lowered = self._sentence.lower()
            self._may_be_away = any(hint in lowered for hint in N.ABSENCE_HINTS)
        if not self._may_be_away:
            return False
        start, end = self.bounds(offset)
        if start not in self._absences:
            # found once per clause, so a clause of many dates is read in linear time
            # (the gatherings and moves only matter after an absence: a clause with none skips them)
            ends = [m.end() for m in N.ABSENCE_RE.finditer(self._sentence, start, end)]
            self._absences[start] = (
                ends,
                [m.span() for m in EVENT_RE.finditer(self._sentence, start, end)] if ends else [],
                [m.span() for m in N.RESCHEDULING_RE.finditer(self._sentence, start, end)] if ends else [],
            )
        absence_ends, *named = self._absences[start]
        last = bisect.bisect_right(absence_ends, offset) - 1
        if last < 0:
            return False
        # "X will be gone Friday the 3rd, can you reschedule it to Thursday the 2nd?": a move names a gathering too
        since = absence_ends[last]
        return not any(_found_between(spans, since, offset) for spans in named)

    def cancelled(self, offset: int) -> bool:
        """Does the clause at ``offset`` call something off ("cancelled", "postponed", "moved")?"""
        start, end = self.bounds(offset)
        if start not in self._cancelled:
            self._cancelled[start] = CANCELLED_RE.search(self._sentence, start, end) is not None
        return self._cancelled[start]

    def gathering(self, offset: int) -> bool:
        """Does the clause at ``offset`` speak of a gathering (a call, a meeting, a chat…)?"""
        start, end = self.bounds(offset)
        if start not in self._gathering:
            # the clause's gatherings are already listed when an absence in it was read
            self._gathering[start] = (
                bool(self._absences[start][1])
                if start in self._absences and self._absences[start][0]
                else EVENT_RE.search(self._sentence, start, end) is not None
            )
        return self._gathering[start]


def clause_tense(text: str, start: int, end: int) -> bool | None:
    """True for past, False for present or future, None when the words do not say."""
    past = PAST_RE.search(text, start, end) is not None
    future = FUTURE_RE.search(text, start, end) is not None
    if not (past or future):
        return None
    return past and not future


def milestone_leads_to(sentence: str, clause_start: int, at: int) -> bool:
    """ "voting will be opened on Thursday 16th March … announced at the AGM": the words leading up to a date say
    what it is; a milestone named before it, with no gathering before it, makes it the milestone's day."""
    may = N.may_be_milestone(N.fold(sentence[clause_start:at]))
    named = list(N.MILESTONE_RE.finditer(sentence, clause_start, at)) if may[0] else []
    more = may[1] and N.MORE_MILESTONE_RE.search(sentence, clause_start, at) is not None
    if not (named or more) or EVENT_RE.search(sentence, clause_start, at) is not None:
        return False
    # "On Good Friday (2nd April) you are invited…": a holiday with its date in brackets only names the day
    return not (
        len(named) == 1
        and not more
        and _HOLIDAY_NAME_RE.fullmatch(named[0].group())
        and _BRACKET_OPEN_RE.fullmatch(sentence, named[0].end(), at)
    )


_HOLIDAY_NAME_RE = re.compile(N.HOLIDAY_NAMES, _I)
_BRACKET_OPEN_RE = re.compile(r"[ \t]{0,3}\([ \t]{0,3}")


def _past_blank_lines(work: str, at: int) -> int:
    """Where the next line holding something starts, from the start of a line ``at``."""
    while work.startswith("\n", at) or work.startswith(" \n", at):
        at = work.index("\n", at) + 1
    return at


# The line under a title that calls the titled gathering off: "This event has been cancelled for 2020."
_THIS_CALLED_OFF_RE = re.compile(
    r"[ \t*_>#-]{0,6}(?:this|the)\s{1,3}(?:year's\s{1,3})?(?:[\w'-]{1,20}\s{1,3}){0,2}?"
    r"(?:event|meeting|call|session|gathering|workshop|class|social|talk|show|course|festival|fair|party)"
    r"\s{1,3}(?:has\s{1,3}been|is|was|will\s{1,3}be|had\s{1,3}to\s{1,3}be)\s{1,3}(?:now\s{1,3})?"
    r"(?:cancell?ed|called\s{1,3}off|postponed)\b",
    _I,
)
_SENTENCE_END_RE = re.compile(r"[.!?]\s")
# The longest title line whose gathering the line below may call off.
_CALLED_OFF_TITLE = 80


def line_below_says_no_gathering(work: str, bounds: tuple[int, int], span: tuple[int, int]) -> bool:
    """ "3 July" / "Nominations close 10am": a date alone on its line heads the line below, which says what
    happens then; a call-off, or a milestone with no gathering named, is no event.  A title with its date
    ("Young Gardeners 16th - 19th April") is called off by a line below saying "This event has been cancelled"."""
    line_end = work.find("\n", span[1], span[1] + 40)
    if line_end < 0 or work[span[1] : line_end].strip(" \t*:,.|-"):
        return False
    if work[bounds[0] : span[0]].strip(P.LINE_MARKS):
        line_start = work.rfind("\n", 0, span[0]) + 1
        return (
            line_end - line_start <= _CALLED_OFF_TITLE
            and _SENTENCE_END_RE.search(work, line_start, span[0]) is None
            and _THIS_CALLED_OFF_RE.match(work, _past_blank_lines(work, line_end + 1)) is not None
        )
    below_start = _past_blank_lines(work, line_end + 1)  # "26th April" / "" / "Please note…"
    below_end = work.find("\n", below_start, below_start + 200)
    below = work[below_start : below_end if below_end >= 0 else min(len(work), below_start + 200)]
    return bool(
        CANCELLED_RE.search(below)
        or (
            # ("2 - 20 July" / "" / "Application period:": a label ending in a colon heads the lines after it)
            not below.rstrip(" \t*_").endswith(":")
            and N.milestone_in(below, 0, len(below), N.may_be_milestone(N.fold(below)))
            and not EVENT_RE.search(below)
        )
    )


_REST_OF_DAY_LINE = 120  # how far after the date line's first sentence its line may run on


def rest_of_day_line_calls_off(work: str, bounds: tuple[int, int], span: tuple[int, int]) -> bool:
    """ "Mon 23 October        Half-term.  NO REHEARSAL": a schedule's line opened by its date, whose later
    sentence on that line calls the day's gathering off."""
    if bounds[1] >= len(work) or work[bounds[1] - 1] == "\n":
        return False  # the date's sentence ends its line: nothing more on it
    line_start = work.rfind("\n", 0, span[0]) + 1
    if work[line_start : span[0]].strip(P.LINE_MARKS):
        return False
    line_end = work.find("\n", bounds[1], bounds[1] + _REST_OF_DAY_LINE)
    rest = work[bounds[1] : line_end if line_end >= 0 else min(len(work), bounds[1] + _REST_OF_DAY_LINE)]
    return CANCELLED_RE.search(rest) is not None


def line_above_names_a_deadline(work: str, span: tuple[int, int]) -> bool:
    """ "### Deadline" / "May 26 to give enough time": a date opening the line under a deadline heading is due."""
    line_start = work.rfind("\n", 0, span[0]) + 1
    if line_start == 0 or work[line_start : span[0]].strip(P.LINE_MARKS):
        return False
    above_end = line_start - 1
    while (blank_end := work.rfind("\n", max(0, above_end - 3), above_end)) >= 0 and not work[
        blank_end:above_end
    ].strip():
        above_end = blank_end  # "## Deadline" / "" / "May 26": blank lines between
    above_start = work.rfind("\n", max(0, above_end - 40), above_end) + 1
    if above_start == 0 and above_end > 40:
        return False  # a line above longer than any heading
    return N.DEADLINE_HEADING_RE.match(work[above_start:above_end]) is not None


_CANCELLED_HEADING_RE = re.compile(
    r"^[ \t]{0,3}#{1,6}[ \t*_]{0,4}(?:cancell?ed|postponed|called\s+off)[ \t*_.!]{0,6}$",
    re.IGNORECASE | re.MULTILINE,
)


def called_off_by_the_heading_above(work: str, at: int) -> bool:
    """ "# Cancelled!" / "See you in the new year!" / "# Community Meeting 2022-12-19": a heading that says only
    "Cancelled" calls off the dated heading that follows it (a few lines on, with no other heading between)."""
    line_start = work.rfind("\n", 0, at) + 1
    if line_start == 0 or not work.startswith("#", line_start):
        return False
    above = work[max(0, line_start - 160) : line_start]
    if "ancel" not in above.lower() and "ostpone" not in above.lower() and "called" not in above.lower():
        return False
    headings = [m for m in re.finditer(r"^[ \t]{0,3}#", above, re.MULTILINE)]
    return bool(headings) and _CANCELLED_HEADING_RE.match(above, headings[-1].start()) is not None


def line_above_is_an_issue_title(work: str, span: tuple[int, int]) -> bool:
    """ "Plotholders' Newsletter" / "May 13th 2019": a date alone on the line under a newsletter's title is
    the issue's date."""
    line_start = work.rfind("\n", 0, span[0]) + 1
    line_end = work.find("\n", span[1])
    if (
        line_start == 0
        or work[line_start : span[0]].strip(P.LINE_MARKS)
        or work[span[1] : line_end if line_end >= 0 else len(work)].strip(" \t*#>|-.,")
    ):
        return False
    above_start = work.rfind("\n", max(0, line_start - 61), line_start - 1) + 1
    return N.ISSUE_TITLE_RE.search(work, above_start, line_start - 1) is not None


def stamp_of_an_errand(mention: TimeMention, work: str, bounds: tuple[int, int]) -> bool:
    """ "the agenda goes out around 2024-07-01T10:00:00Z": a bare timestamp written in prose says when
    something is sent or due; markup ([date], local-date spans) is written to announce, and always counts."""
    if "iso" not in mention.flags:
        return False
    if isinstance(mention.start, datetime) and mention.start.second:
        return True  # "[[DateTime(2007-06-17T00:29:54Z)]]": a stamp to the second records when something was written
    before = work[max(bounds[0], mention.span[0] - 60) : mention.span[0]]
    return bool(
        N.SENT_OUT_BEFORE_RE.search(before)
        or _STARTED_AT_BEFORE_RE.search(before)
        or N.DEADLINE_BEFORE_RE.search(before)
        or N.RECORD_BEFORE_RE.search(before)
    )


# "Meeting started at 2022-04-20T00:00+0000": a log's record of when something began or ended.
_STARTED_AT_BEFORE_RE = re.compile(
    r"\b(?:started|began|ended|finished|closed|opened)\s{1,3}(?:at|on)\s*$", _I
)


def _found_between(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does one of these matches (in text order, not overlapping) lie wholly between ``start`` and ``end``?"""
    i = bisect.bisect_left(spans, (start, start))
    return i < len(spans) and spans[i][1] <= end


# How far after a date a word of being unavailable is looked for.
_UNAVAILABLE_REACH = 70


def unavailable_after(work: str, date_end: int, sentence_end: int) -> bool:
    """ "Nov 6-8 unfortunately, so the office won't be available then": a date followed, in its sentence and with
    no gathering or condition between, by words saying someone or somewhere is not available is no gathering."""
    end = min(sentence_end, date_end + _UNAVAILABLE_REACH)
    if "available" not in work[date_end:end].lower():
        return False
    found = N.UNAVAILABLE_AFTER_RE.search(work, date_end, end)
    return (
        found is not None
        and EVENT_RE.search(work, date_end, found.start()) is None
        and N.UNAVAILABLE_CONDITION_RE.search(work, date_end, found.start()) is None
    )


_COLON_LINE_END_RE = re.compile(r":[ \t*_]*\n")
# How far above a date a list's heading is looked for.
_HEADING_REACH = 300


def under_an_avoid_heading(work: str, span: tuple[int, int]) -> bool:
    """ "Dates to AVOID:" then a bulleted list of dates: each date in it is one to keep clear of."""
    line_start = work.rfind("\n", max(0, span[0] - _TITLE_LINE), span[0]) + 1
    above_start = max(0, line_start - _HEADING_REACH)
    if line_start == 0 or _AVOID_WORD_RE.search(work, above_start, line_start) is None:
        return False
    above = work[above_start:line_start]
    headings = list(N.AVOID_HEADING_RE.finditer(above))
    # the heading rules the lines below it until another line ending in a colon
    return bool(headings) and _COLON_LINE_END_RE.search(above, headings[-1].end()) is None


_AVOID_WORD_RE = re.compile(r"avoid", re.IGNORECASE)
# The longest line read as a title ("Matrix Council Meeting Report: 4 April 2024").
_TITLE_LINE = 100


def titles_a_record(work: str, span: tuple[int, int]) -> bool:
    """A date on a short line that calls itself minutes or a meeting's report, saying nothing ahead, titles the
    record of a meeting already held."""
    line_start = work.rfind("\n", max(0, span[0] - _TITLE_LINE), span[0]) + 1
    line_end = work.find("\n", span[1], span[1] + _TITLE_LINE)
    if line_start == 0 and span[0] >= _TITLE_LINE:
        return False
    if line_end < 0:
        if len(work) - span[1] >= _TITLE_LINE:
            return False
        line_end = len(work)
    return (
        line_end - line_start <= _TITLE_LINE
        and N.MINUTES_TITLE_RE.search(work, line_start, line_end) is not None
        and FUTURE_RE.search(work, line_start, line_end) is None
    )


# The line under a record's title that lists who came: "Attendees (current): …", "Present: …", "Apologies: …".
_ATTENDANCE_LINE_RE = re.compile(
    r"[ \t]*(?:[-*#>]+[ \t]*)?(?:[*_]{1,2})?(?:attendees|attendance|attending|present|participants|apologies)\b"
    r"[^\n:]{0,30}:",
    re.IGNORECASE,
)


def attendance_below(work: str, span: tuple[int, int]) -> bool:
    """ "Meeting — April 16, 2020" / "" / "Attendees: …": a date line followed by who attended titles minutes."""
    line_end = work.find("\n", span[1], span[1] + _TITLE_LINE)
    if line_end < 0:
        return False
    return _ATTENDANCE_LINE_RE.match(work, _past_blank_lines(work, line_end + 1)) is not None


def on_a_line_opened_by(opening: re.Pattern[str], work: str, span: tuple[int, int]) -> bool:
    """A date on a to-do line ("- [ ] send the notice on 10 July") dates the task, one on a line opened by a
    version number its release, unless the line names a gathering ("- [x] book the hall for our AGM on 24 July")."""
    line_start = work.rfind("\n", max(0, span[0] - _TASK_REACH), span[0]) + 1
    if (line_start == 0 and span[0] > _TASK_REACH) or opening.match(work, line_start) is None:
        return False
    # bounded both ways, so a long line of many dates is still read in linear time
    line_end = work.find("\n", span[1], span[1] + _TASK_REACH)
    return EVENT_RE.search(work, line_start, line_end if line_end >= 0 else span[1] + _TASK_REACH) is None


# How far a to-do line's words are looked at around a date on it.
_TASK_REACH = 200


# A document's front matter: a "date:" key among keys a page or a record is described by ("title:", "author:",
# "tags:", "deadline:" …) dates the page, not a gathering (not "date:" / "time:" / "venue:", an event's own card).
_FRONT_MATTER_DATE_RE = re.compile(r"[ \t+]{0,2}date:[ \t]")
_FRONT_MATTER_KEY_RE = re.compile(
    r"^[ \t+]{0,2}(?:title|subtitle|layout|author|authors|tags|categories|category|slug|draft|permalink|status|topic"
    r"|description|deadline|size|type|lang|summary):",
    re.MULTILINE,
)
_EVENT_CARD_KEY_RE = re.compile(
    r"^[ \t+*-]{0,3}(?:time|venue|location|place|where|when|starts?|ends?):", _I | re.MULTILINE
)
# How far above and below a "date:" line the other keys are looked for.
_FRONT_MATTER_REACH = 300


def dates_front_matter(work: str, span: tuple[int, int]) -> bool:
    """ "title: …" / "date: 2023-01-06 09:00:00": a date on a lowercase "date:" line among a page's other keys."""
    line_start = work.rfind("\n", 0, span[0]) + 1
    if not _FRONT_MATTER_DATE_RE.match(work, line_start, span[0]):
        return False
    around_start = max(0, line_start - _FRONT_MATTER_REACH)
    around_end = min(len(work), span[1] + _FRONT_MATTER_REACH)
    return (
        _FRONT_MATTER_KEY_RE.search(work, around_start, around_end) is not None
        and _EVENT_CARD_KEY_RE.search(work, around_start, around_end) is None
    )
