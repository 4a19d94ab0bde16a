"""Where the sentences of a post start: the reader reads each sentence apart, so a stop, a newline or a quoted
mail's hard wrap decides which words share a date's context. Lines that only go on saying one thing ("Date: …"
then "Time: …", "…14th march from" then "2-4pm") stay one sentence."""

from __future__ import annotations

import re

from cotechbot.when import _patterns as P
from cotechbot.when import _spans as S

# A line the checks below join to the line before opens with one of these patterns: tried once per newline as
# a gate, so a line that can join nothing costs one match instead of five.
_LINE_MAY_JOIN_RE = re.compile(
    "|".join(
        f"(?{'i' if pattern.flags & re.IGNORECASE else ''}:{pattern.pattern})"
        for pattern in (
            P.TIME_LABEL_RE,
            P.PLACE_LABEL_LINE_RE,
            S.LINE_CONTINUES_RE,
            S.DAY_OPENS_LINE_RE,
            S.MONTH_YEAR_OPENS_LINE_RE,
        )
    )
)

# The first two letters of every line the checks below join, after no indent or mark: case-blind, a label
# ("Time:", "Times:", "Starts:", "From:", "Duration:", "Hours:", "Location:", "Venue:", "Place:", "Where:",
# "Address:") or a month's name; as written, a span going on ("through", "thru", "till", "until").  A line opening
# with an ASCII letter and none of these (the usual line of prose, "The …", "I'm …") joins nothing.
_JOINING_LINE_OPENERS = frozenset(
    ["ti", "st", "fr", "du", "ho", "lo", "ve", "pl", "wh", "ad", *(month[:2] for month in P.MONTHS)]
)
_GOING_ON_LINE_OPENERS = frozenset(["th", "ti", "un"])


def _line_may_join(work: str, line_start: int) -> bool:
    """Does the gate pattern match the line at ``line_start`` (may it join the line before)?  Its first two
    characters often settle it: a letter opening no label, span word or month says no at once; a blank line
    (only the label pattern reads on over a newline: the others open with spaces, tabs or marks) asks that one."""
    opening = work[line_start : line_start + 2]
    if opening.isascii() and opening[:1].isalpha():
        if opening.lower() not in _JOINING_LINE_OPENERS and opening not in _GOING_ON_LINE_OPENERS:
            return False
    elif opening[:1] == "\n":
        return P.TIME_LABEL_RE.match(work, line_start) is not None
    return _LINE_MAY_JOIN_RE.match(work, line_start) is not None


def sentence_starts(work: str, lowered: str, quoted: bool = False) -> list[int]:
    """Where sentences start: after . ! ? and a space, or a newline; not after "a.m.", "e.g." or "Oct."."""
    starts = [0]
    dotted_days = [d.span() for d in S.DOTTED_DAY_RANGE_RE.finditer(work)] if ". -" in work else []
    dotted_ap = ".m." in work  # (P.DOTTED_AP_AFTER_RE matches only where "a.m." or "p.m." is written)
    for m in P.SENTENCE_END_RE.finditer(work):
        at, after = m.span()
        if dotted_days and any(a < at < b for a, b in dotted_days):
            continue
        mark = m.group()
        if mark == "\n":
            if (
                (
                    _line_may_join(work, after)
                    and (
                        P.TIME_LABEL_RE.match(work, after)
                        or _place_between_date_and_time_labels(work, at, after)
                        or S.LINE_CONTINUES_RE.match(work, after)
                        or (
                            S.DAY_OPENS_LINE_RE.match(work, after)
                            and S.MONTH_ENDS_LINE_RE.search(work, max(0, at - 16), at)
                        )
                        or (
                            S.MONTH_YEAR_OPENS_LINE_RE.match(work, after)
                            and S.DAY_SPAN_ENDS_LINE_RE.search(work, max(0, at - 16), at)
                        )
                    )
                )
                or (
                    lowered[max(0, at - 9) : at].rstrip(" \t\n").endswith(P.LINE_GOES_ON)
                    # "… at six o'clock,\ntoday - wednesday july third.": a comma and a lower-case word wrap one sentence
                    or (work[at - 1 : at] == "," and work[after : after + 1].islower())
                    or (quoted and _quoted_line_wraps(work, at))
                    or (
                        work[after : after + 1] in P.BULLETS
                        and P.BULLET_CLOCK_LINE_RE.match(work, after)
                        and P.SHORT_HEADING_RE.search(work, max(0, at - 40), at)
                    )
                )
            ):
                continue  # "Date: …" then "Time: …" on the next line is one statement; so is "…14th march from\n2-4pm"
        else:
            if mark == "." and dotted_ap and P.DOTTED_AP_AFTER_RE.match(work, after):
                continue  # "from 11.20. a.m.": the clock goes on
            if (
                mark == "."
                # (the pattern ends on a digit, at the stop or before a newline just before it)
                and (work[at - 1 : at].isdigit() or work[at - 1 : at] == "\n")
                and P.DOTTED_DAY_MONTH_BEFORE_RE.search(work, max(0, at - 6), at)
                and P.LOWER_WORD_AFTER_RE.match(work, after)
            ):
                continue  # "Sunday the 27.05. at 10:00": the stop ends a date written day.month., not a sentence
            if (
                mark == "."
                and work[at - 1 : at].isdigit()
                and P.DAY_STOP_BEFORE_RE.search(work, max(0, at - 3), at)
                and P.MONTH_OR_BIS_AFTER_RE.match(work, after)
            ):
                continue  # "am 21. September": the stop marks a day written as German does, not a sentence's end
            before = lowered[max(0, at - 8) : at].rsplit(None, 1)
            if before and before[-1].lstrip("([\"'") in P.NOT_SENTENCE_END:
                continue  # "(Oct. 7)", "[Nov. 7]": an abbreviation after a bracket ends no sentence
            if (
                before
                and before[-1][-3:] in ("a.m", "p.m")
                and before[-1][:-3].replace(":", "").replace(".", "").isdigit()
            ):
                continue  # "10a.m. - 4 p.m.": a dotted am/pm glued to its hour ends no sentence either
        starts.append(after)
    return starts


# The shortest quoted line read as hard-wrapped mid-sentence.
_WRAPPED_LINE = 55
# (the quote marks are blanked to spaces before sentences are cut)
_QUOTED_WRAP_RE = re.compile(r"[ \t]{1,5}[A-Za-z0-9(]")


def _quoted_line_wraps(work: str, newline: int) -> bool:
    """ "> … we plan on releasing Ubuntu 8.10" / "> Intrepid Ibex on October 30th.": a long quoted line ending
    with no stop, followed by a quoted line of text, is a mail's hard wrap inside one sentence."""
    line_start = work.rfind("\n", max(0, newline - 200), newline) + 1
    if line_start == 0 and newline > 200:
        return False
    return (
        newline - line_start >= _WRAPPED_LINE
        and work.startswith(" ", line_start)
        and (work[newline - 1].isalnum() or work[newline - 1] == ",")
        and _QUOTED_WRAP_RE.match(work, newline + 1) is not None
    )


def _place_between_date_and_time_labels(work: str, newline: int, line_start: int) -> bool:
    """ "Date: …" / "Location: …" / "Time: …": the place line belongs to the labelled date above it when the
    labelled time follows it, so the three lines are one statement."""
    if not (place := P.PLACE_LABEL_LINE_RE.match(work, line_start)):
        return False
    return (
        P.TIME_LABEL_RE.match(work, place.end()) is not None
        and P.DATE_LABEL_LINE_RE.search(work, max(0, newline - 90), newline) is not None
    )
