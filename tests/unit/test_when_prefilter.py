"""The cheap word prefilters of cotechbot.when admit every text their full pattern matches."""

from __future__ import annotations

import json
import re
import sys
from re import _constants as K  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from hypothesis import given, settings
from hypothesis import strategies as st

from cotechbot.when import _gates as G
from cotechbot.when import _not_gatherings as N
from tests.conftest import REPO_ROOT

CORPUS_DIR = REPO_ROOT / "tests" / "data" / "when"


def _covered(items: list, words: tuple[str, ...]) -> bool:
    """Does every string matching this parsed sequence hold one of ``words`` (a run of its literal letters)?"""
    runs, run = [], ""
    for op, av in items:
        if op is K.LITERAL:
            run += chr(av).lower()
            continue
        runs.append(run)
        run = ""
    runs.append(run)
    if any(word in r for r in runs for word in words):
        return True
    # or some group that must occur at least once is covered in each of its alternatives
    for op, av in items:
        if op is K.SUBPATTERN and _covered(list(av[3]), words):
            return True
        if op is K.BRANCH and all(_covered(list(alt), words) for alt in av[1]):
            return True
        if op in (K.MAX_REPEAT, K.MIN_REPEAT) and av[0] >= 1 and _covered(list(av[2]), words):
            return True
    return False


def test_milestone_words_cover_every_alternative_of_the_pattern():
    parsed = _parser.parse(N.MILESTONE_RE.pattern, N.MILESTONE_RE.flags)
    assert _covered(list(parsed), N.MILESTONE_WORDS)
    # and the check itself is not vacuous: dropping a word leaves its alternative uncovered
    assert not _covered(list(parsed), tuple(w for w in N.MILESTONE_WORDS if w != "freeze"))
    more = _parser.parse(N.MORE_MILESTONE_RE.pattern, N.MORE_MILESTONE_RE.flags)
    assert _covered(list(more), N.MORE_MILESTONE_WORDS)


def test_fold_turns_every_character_an_ignorecase_letter_matches_into_that_letter():
    text = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for m in re.finditer(letter, text, re.IGNORECASE):
            assert N.fold(m.group()) == letter, hex(ord(m.group()))


def test_milestone_prefilter_admits_every_match_on_the_corpus_texts():
    texts = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        if path.name.startswith("heldout"):
            continue
        texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
    found = 0
    for text in texts:
        for m in N.MILESTONE_RE.finditer(text):
            found += 1
            assert N.may_be_milestone(N.fold(m.group()))[0], m.group()
        for m in N.MORE_MILESTONE_RE.finditer(text):
            assert N.may_be_milestone(N.fold(m.group()))[1], m.group()
    assert found > 100


def _corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        if path.name.startswith("heldout"):
            continue
        texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
    return texts


def test_every_clock_match_starts_where_the_reader_tries_clocks(monkeypatch):
    """The reader tries the clock patterns only at digit runs and clock words: on every corpus text (and odd
    casings and digits), each match the full search finds is found at one of those starts, the same match."""
    from cotechbot.when import _clocks as C
    from cotechbot.when import _patterns as P

    extra = [
        "_12:00 PM on Saturday_",
        "MIDDAY-5, FROM 1600-1800",
        "BETWEEN 11 AND 1pm",
        "١٢:٣٠ and 12.00 Noon",
        "Meeting ID 845 1234 5678, passcode 9921, at 1830 UTC, 45pm 0800 + 1700 UTC 123 12345 at 12",
    ]
    found = 0
    monkeypatch.setattr(C, "_SPARSE_CLOCK_STARTS", 0)  # (always tried one start at a time)
    for text in [*_corpus_texts(), *extra]:
        for start, end in ((0, len(text)), (len(text) // 3, len(text))):
            digits = [m.start() for m in P.DIGIT_RUN_RE.finditer(text, start, end)]
            starts = C.clock_starts(text, start, end, digits)
            for pattern in (P.TIME_RE, P.TIME_RANGE_RE):
                expected = [m.span() for m in pattern.finditer(text, start, end)]
                found += len(expected)
                assert [m.span() for m in C.clock_matches(pattern, text, start, end, starts)] == expected
    assert found > 100


def test_after_date_hints_cover_every_alternative_of_the_pattern():
    parsed = _parser.parse(N.AFTER_DATE_BEFORE_RE.pattern, N.AFTER_DATE_BEFORE_RE.flags)
    assert _covered(list(parsed), N.AFTER_DATE_HINTS)


def test_items_the_sentence_reader_skips_never_resolve_to_a_mention(monkeypatch):
    """``never_resolves`` lets the sentence reader skip an item before weighing its clause: for every shape of
    weekday and day-word item (modifier, series, part of the day, with and without a clock), whatever tense,
    gathering words and flags the clause gives, ``_resolve`` without the gate gives nothing for the items it
    names, and the gate is not vacuous."""
    from datetime import UTC, date, datetime, timedelta

    from cotechbot.when import _calendar as K_
    from cotechbot.when._model import _Clock, _Context, _Day, _Item, _Time

    gate = K_.never_resolves
    monkeypatch.setattr(K_, "never_resolves", lambda item: False)
    ctx = _Context(
        now=datetime(2024, 3, 1, 12, tzinfo=UTC),
        today=date(2024, 3, 1),
        zone=UTC,
        zone_name="UTC",
        reference_year=None,
    )
    mods = (
        None,
        "next",
        "this",
        "coming",
        "this coming",
        "on",
        "next week",
        "last",
        "every",
        "each",
        "most",
        "alternate",
        "today",
        "tomorrow",
    )
    clocks = (
        None,
        _Time((20, 24), _Clock(15, 0, True), None),
        _Time((20, 24), _Clock(7, 30, False), None),
        _Time((20, 24), _Clock(10, 0, True), _Clock(11, 0, True)),
    )
    parts = (None, "morning", "afternoon", "evening")
    skipped = kept = 0
    for kind in ("weekday", "relday"):
        for mod in mods:
            for recurrence in (None, "weekly", "monthly:1", "monthly:-1"):
                if kind == "relday" and recurrence is not None:
                    continue
                for clock in clocks:
                    for part in parts:
                        for weekday in range(7) if kind == "weekday" else (None,):
                            item = _Item(
                                kind,
                                (0, 10),
                                first=_Day(0, None, None, weekday) if weekday is not None else None,
                                fixed=ctx.today + timedelta(days=1 if mod == "tomorrow" else 0),
                                weekday_mod=mod,
                                part_of_day=part,
                                time=clock,
                                recurrence=recurrence,
                            )
                            results = [
                                K_._resolve(
                                    item, "Tuesday at 3pm xxxxxxxxxx", ctx, past, gathering, list(flags)
                                )
                                for past in (False, True)
                                for gathering in (False, True)
                                for flags in ([], ["relative"], ["series_start"])
                            ]
                            if gate(item):
                                skipped += 1
                                assert not any(results), item
                            elif any(results):
                                kept += 1
    assert skipped > 100 and kept > 100


_DATE_PIECES = [
    "5",
    "17",
    "2024",
    "3rd",
    "4th",
    "15.",
    "22.04",
    "4.2",
    ".24",
    ".2024",
    "%",
    "-15%",
    " - 5% ",
    " ",
    "  ",
    "   ",
    "\n",
    ",",
    ", ",
    "-",
    " - ",
    "/",
    ".",
    "&",
    "+",
    " or ",
    " and ",
    " to ",
    " till ",
    " of ",
    "the ",
    "(",
    ")",
    "May",
    "Oct.",
    "September",
    "Tues",
    "Thursday",
    "Sunday",
    "Mon",
    "mar",
    "market",
    "theatre",
    "07",
    "06/03",
    "27.05.",
    "13.09",
]


def _date_starts_hold(text: str) -> int:
    from cotechbot.when import _patterns as P

    found = 0
    for at in range(len(text)):
        if P.DATE_RE.match(text, at):
            found += 1
            gate = G.DIGIT_DATE_START_RE if re.match(r"\d", text[at]) else G.WORD_DATE_START_RE
            assert gate.match(text, at), text[at : at + 40]
    return found


def test_every_date_match_opens_as_the_date_start_gate_allows():
    """The reader tries DATE_RE only where DIGIT_DATE_START_RE (at a digit) or WORD_DATE_START_RE (at a word)
    matches: at every position of every corpus text where DATE_RE matches, so does the gate."""
    from cotechbot.when._model import _NORMALISE

    found = sum(_date_starts_hold(text.translate(_NORMALISE)) for text in _corpus_texts())
    assert found > 3000


def test_date_re_opens_with_the_number_start_the_digit_gate_opens_with():
    """DIGIT_DATE_START_RE opens with P._NUM_START, a lookbehind-only start DATE_RE itself opens with after its
    optional "date" (which no digit starts): at a digit, whatever DATE_RE's start rejects, the gate rejects."""
    from cotechbot.when import _patterns as P

    head = r"(?:(?<![^\W_])date(?=\d))?" + P._NUM_START + "(?:"
    assert P.DATE_RE.pattern.startswith(head) and P.DATE_RE.pattern.endswith(")")
    assert G.DIGIT_DATE_START_RE.pattern.startswith(P._NUM_START + "(?:")
    top = list(_parser.parse(P.DATE_RE.pattern, P.DATE_RE.flags))
    assert len(top) == 4 and top[3][0] is K.BRANCH  # ("date"?, word start, number start, then every date)
    assert P.DATE_RE.match("2 of May") and P.DATE_RE.match("4.2 of May", 2) is None
    assert G.DIGIT_DATE_START_RE.match("4.2 of May", 2) is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=12))
def test_date_start_gate_admits_every_date_match_in_pieced_text(pieces):
    _date_starts_hold("".join(pieces))


def test_the_stems_the_reader_checks_are_in_every_match_of_its_word_patterns():
    """_find runs P.RELDAY_RE, P.WEEKDAY_RE and P.IN_DELTA_RE only where the folded sentence holds one of their
    stems (each alternative spells one out whole; WEEKDAY_RE's capitalised "Tu 13th" has a gate of its own): every
    match on every corpus text, and on odd casings, holds one."""
    from cotechbot.when import _patterns as P

    texts = [
        *_corpus_texts(),
        "TOMORROW tmrw ToNiGhT this  EVENING ſat frı SUN. in 5 MINS in an hour in 2 hrs Tu 13th Th. 5th",
    ]
    for pattern, stems, minimum in (
        (P.RELDAY_RE, G.RELDAY_STEMS, 100),
        (P.WEEKDAY_RE, G.WEEKDAY_STEMS, 1000),
        (P.IN_DELTA_RE, G.DELTA_STEMS, 10),
    ):
        found = 0
        for text in texts:
            for m in pattern.finditer(text):
                found += 1
                assert any(stem in N.fold(m.group()) for stem in stems) or (
                    pattern is P.WEEKDAY_RE and G.TWO_LETTER_WEEKDAY_RE.match(text, m.start("wd"))
                ), m.group()
        assert found > minimum


_CLOCK_PIECES = [
    *"0123456789",
    "٣",
    "²",
    *":.;-h ",
    "am",
    "pm",
    " UTC",
    " hrs",
    " noon",
    " o'clock",
    " to ",
    " and ",
    "at ",
    "from ",
    "between ",
    " on",
    ".",
]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789٣Tt x-:", max_size=16))
def test_iso_hint_finds_a_digit_t_digit_wherever_there_is_one(text):
    """ISO_HINT_RE, spelt from its "T", is searched for where r"\\d[Tt]\\d" would be: same answer on any text."""
    from cotechbot.when import _patterns as P

    assert bool(P.ISO_HINT_RE.search(text)) == bool(re.search(r"\d[Tt]\d", text))


def test_iso_hint_finds_a_digit_t_digit_in_every_corpus_text_that_has_one():
    from cotechbot.when import _patterns as P

    texts = _corpus_texts()
    assert all(bool(P.ISO_HINT_RE.search(t)) == bool(re.search(r"\d[Tt]\d", t)) for t in texts)
    assert sum(bool(P.ISO_HINT_RE.search(t)) for t in texts) > 5


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*_CLOCK_PIECES]), max_size=14), st.integers(0, 40))
def test_every_clock_match_opening_on_a_digit_opens_on_a_run_that_may_open_a_clock(pieces, cut):
    """Every match of the clock patterns at a digit run's start (the text cut anywhere, as a sentence's end cuts
    it) is at a run ``_may_open_clock`` admits, in text pieced from digits, separators, am/pm, zones and words."""
    from cotechbot.when import _clocks as C
    from cotechbot.when import _patterns as P

    text = "".join(pieces)
    end = min(cut, len(text))
    for run in P.DIGIT_RUN_RE.finditer(text, 0, end):
        for pattern in (P.TIME_RE, P.TIME_RANGE_RE):
            if pattern.match(text, run.start(), end):
                assert C._may_open_clock(text, run.start(), end), (text, end, run.start())


def test_every_dotted_am_pm_match_holds_a_dotted_m():
    """sentence_starts tries P.DOTTED_AP_AFTER_RE only in a text holding ".m.": every match holds one."""
    from cotechbot.when import _patterns as P

    assert (
        P.DOTTED_AP_AFTER_RE.pattern == r"[ \t]{1,2}(?-i:[ap]\.m\.)" and not P.DOTTED_AP_AFTER_RE.flags & re.I
    )
    found = 0
    for text in [*_corpus_texts(), "at 11.20. a.m. and 4. p.m.", "4. A.M."]:
        for m in P.DOTTED_AP_AFTER_RE.finditer(text):
            found += 1
            assert ".m." in m.group()
    assert found >= 2


def _opens_with_a_word_character(items: list, also: str = "") -> bool:
    """Does every string matching this parsed sequence open with a word character (or one of ``also``), after its
    look-behinds?"""

    def opener(c: int) -> bool:
        return chr(c).isalnum() or chr(c) == "_" or chr(c) in also

    for op, av in items:
        if op is K.ASSERT_NOT or (op is K.ASSERT and av[0] < 0):
            continue  # a look-behind consumes nothing and decides nothing about the first character
        if op is K.LITERAL:
            return opener(av)
        if op is K.IN:
            return all(
                (kind is K.LITERAL and opener(c))
                or (kind is K.RANGE and all(opener(code) for code in range(c[0], c[1] + 1)))
                for kind, c in av
            )
        if op is K.SUBPATTERN:
            return _opens_with_a_word_character(list(av[3]), also)
        if op is K.BRANCH:
            return all(_opens_with_a_word_character(list(alt), also) for alt in av[1])
        return False
    return False


def test_clause_word_lists_open_only_where_a_word_starts():
    # r"\b(?=\w)" before the first group passes over a word's end: it may hide no match, so every alternative of
    # the group must open with a word character (FUTURE_RE's r"\b(?=[\w'])": or an apostrophe, "we're")
    from cotechbot.when import _clauses as C

    for pattern, ahead, also in (
        (C.CANCELLED_RE, r"\b(?=\w)(?:", ""),
        (C.PAST_RE, r"\b(?=\w)(?:", ""),
        (C.EVENT_RE, r"\b(?=\w)(?:", ""),
        (C.FUTURE_RE, r"\b(?=[\w'])(?:", "'"),
    ):
        assert pattern.pattern.startswith(ahead), pattern.pattern[:40]
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        first = list(parsed.data[0][1][1][0]) if parsed.data[0][0] is K.BRANCH else list(parsed.data)
        assert first[0] == (K.AT, K.AT_BOUNDARY), pattern.pattern[:40]
        assert first[1][0] is K.ASSERT and first[1][1][0] == 1, pattern.pattern[:40]  # the look-ahead
        assert _opens_with_a_word_character(first[2:], also), pattern.pattern[:40]
        # and without the look-ahead the pattern finds the very same matches in every corpus text
        bare = re.compile(pattern.pattern.replace(ahead, r"\b(?:", 1), pattern.flags)
        for text in [*_corpus_texts(), "we're meeting, they 're having, I'm thinking, we'll, 'll"]:
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in bare.finditer(text)]
    assert not _opens_with_a_word_character(
        list(_parser.parse(C.FUTURE_RE.pattern, C.FUTURE_RE.flags).data[0][1][1][0])[2:]
    )  # (the apostrophe is needed: "'re meeting")


@given(st.text(alphabet="0123456789tT-: \n٣x", max_size=40))
def test_ascii_spellings_of_the_digit_scans_find_the_same_in_ascii_text(text):
    from cotechbot.when import _patterns as P

    if text.isascii():
        assert [m.span() for m in P.ASCII_DIGIT_RUN_RE.finditer(text)] == [
            m.span() for m in P.DIGIT_RUN_RE.finditer(text)
        ]
        assert bool(P.ASCII_ISO_HINT_RE.search(text)) == bool(P.ISO_HINT_RE.search(text))


def test_foreign_ascii_hints_admit_every_german_and_dutch_weekday_and_clock_word():
    """A post with no accented letter reaches the foreign rewrite only through _looks_foreign's hints: every
    German and Dutch weekday (and "Uhr", "uur", "ore") holds one, written lower case or capitalised."""
    from cotechbot.when import _foreign as F

    for word in F._WEEKDAYS_BY_LANGUAGE["german"] + F._WEEKDAYS_BY_LANGUAGE["dutch"]:
        for written in (word, word.capitalize()):
            assert F._looks_foreign(f"Treffen {written} 12 Mai"), written
    assert F._looks_foreign("Treffen 12 Mai, 19 Uhr")
    assert F._looks_foreign("vergadering 12 mei, 19 uur")
    assert F._looks_foreign("riunione alle ore 18")
    assert not F._looks_foreign("We meet on Tuesday 12 May at 7pm – see you there.")


@given(
    st.text(
        alphabet="\u2010\u2013\u2014\u2212\u2018\u2019\u00a0\u2009\u202f\u200b\u3000\t\r -' £aé\n",
        max_size=30,
    )
)
def test_normalised_replaces_what_translating_would(text):
    """normalised() replaces each mapped character where the text holds it instead of translating the whole
    text: the same string, since no replacement is itself mapped."""
    from cotechbot.when._model import _NORMALISE, _NORMALISE_PAIRS, normalised

    assert not {ord(to) for _, to in _NORMALISE_PAIRS} & set(_NORMALISE)
    assert len(_NORMALISE_PAIRS) == len(_NORMALISE)
    assert normalised(text) == text.translate(_NORMALISE)
    assert normalised(text + "x") == (text + "x").translate(_NORMALISE)


def _email_hint_holds(text: str) -> bool:
    from cotechbot.when import _patterns as P

    found = P.EMAIL_RE.search(text) is not None
    if found:
        assert P.EMAIL_DOMAIN_HINT_RE.search(text), text
    return found


def test_every_email_match_holds_what_its_hint_searches_for():
    """_blank_noise runs EMAIL_RE only in a text where EMAIL_DOMAIN_HINT_RE finds its "@", domain part and stop:
    every corpus text (and odd ones) EMAIL_RE finds an address in."""
    extra = ["@name.", "a@b.c", "x@-.y", "é@ß.ü", "a@b@c.d", "a" * 70 + "@b.c", "a@" + "b" * 70 + ".c"]
    assert sum(_email_hint_holds(text) for text in [*_corpus_texts(), *extra]) > 10


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["@", ".", "-", "+", "_", "a", "é", "5", " ", "\n", "ab" * 20, "x" * 63]), max_size=14
    )
)
def test_email_hint_finds_something_wherever_an_email_matches_in_pieced_text(pieces):
    _email_hint_holds("".join(pieces))


def _date_matches_trying_every_word(
    work: str, start: int, end: int, digits: list[int]
) -> list[tuple[int, int]]:
    """_date_matches as it was before it skipped the word starts an earlier digit had tried: every word start
    within the lead before each digit not inside a date found (less its memo of the words that opened no date,
    which only spared trying one again)."""
    from cotechbot.when import _patterns as P
    from cotechbot.when._model import _DATE_LEAD

    found = []
    covered = start
    for digit in digits:
        if digit < covered:
            continue
        for word in P.WORD_START_RE.finditer(work, max(covered, digit - _DATE_LEAD), digit + 1):
            at = word.start()
            if at == digit:
                gate = G.DIGIT_DATE_START_RE
            elif work[at : at + 3].lower() not in P.DATE_OPENERS:
                continue
            else:
                gate = G.WORD_DATE_START_RE
            m = P.DATE_RE.match(work, at, end) if gate.match(work, at, end) else None
            if m is not None and m.end() > digit:
                found.append(m.span())
                covered = m.end()
                break
    return found


def _date_matches_hold(work: str) -> int:
    from cotechbot.when import _patterns as P
    from cotechbot.when._reader import _date_matches

    found = 0
    for start, end in ((0, len(work)), (len(work) // 3, len(work))):
        digits = [m.start() for m in P.DIGIT_RUN_RE.finditer(work, start, end)]
        expected = _date_matches_trying_every_word(work, start, end, digits)
        assert [m.span() for m in _date_matches(work, start, end, digits)] == expected, work
        found += len(expected)
    return found


def test_date_matches_skip_no_word_an_earlier_digit_left_untried():
    """_date_matches tries each word start once, for the first digit after it: a date a word opens does not
    depend on the digit, so one that ended before that digit ends before the later ones too.  The same dates
    as trying every word start before every digit, on every corpus text."""
    from cotechbot.when._model import _NORMALISE

    assert sum(_date_matches_hold(text.translate(_NORMALISE)) for text in _corpus_texts()) > 3000


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=16))
def test_date_matches_are_those_of_trying_every_word_in_pieced_text(pieces):
    _date_matches_hold("".join(pieces))


_LINE_PIECES = [
    "\n",
    " ",
    "\t",
    "*",
    "**",
    "-",
    "•",
    "_",
    "Time",
    "time",
    "TIMES",
    "ſtart",
    "Starts",
    "From",
    "Duration",
    "hours",
    "Location",
    "venue",
    "PLACE",
    "Where",
    "Address",
    "through",
    "Through",
    "thru",
    "till",
    "until",
    "Until",
    "Dec",
    "Déc",
    "Août",
    "Avr",
    "Juin",
    "Okt",
    "Sept",
    "MAY",
    "march",
    "The",
    "I'm",
    "3rd",
    "12",
    ":",
    ",",
    ".",
    " 2024",
    " to ",
]


def _line_gate_holds(text: str) -> int:
    from cotechbot.when import _sentence_ends as E

    found = 0
    for line_start in [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]:
        if E._LINE_MAY_JOIN_RE.match(text, line_start):
            found += 1
            assert E._line_may_join(text, line_start), text[line_start : line_start + 40]
        elif text[line_start : line_start + 1] == "\n":
            # (where a blank line follows, only the label pattern is asked: the others open with no newline)
            assert not E._line_may_join(text, line_start), text[line_start : line_start + 40]
    return found


def test_line_join_gate_admits_every_line_the_gate_pattern_matches():
    """sentence_starts asks _line_may_join, which answers from a line's first two characters where they open no
    label, span word or month, and asks only the label pattern before a blank line: at every line of every corpus
    text where _LINE_MAY_JOIN_RE matches, so does it; and its openers hold every month's first two letters."""
    from cotechbot.when import _patterns as P
    from cotechbot.when import _sentence_ends as E
    from cotechbot.when._model import _NORMALISE

    assert all(month[:2] in E._JOINING_LINE_OPENERS for month in P.MONTHS)
    assert sum(_line_gate_holds(text.translate(_NORMALISE)) for text in _corpus_texts()) > 200


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=10))
def test_line_join_gate_admits_every_line_the_gate_pattern_matches_in_pieced_text(pieces):
    _line_gate_holds("".join(pieces))
