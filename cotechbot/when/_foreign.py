"""Dates and clocks written in languages other than English, rewritten into the English the reader knows.

"am Dienstag, den 12. Januar um 19h", "le mardi 3 mars à 19h30", "sexta-feira dia 10/07 às 16:00", "2022년 1월
22일", "7月11日": the common European languages write the day first, with a month's or weekday's own name; the
East Asian ones number year, month and day.  Only the words that carry a date or a clock are rewritten, and
each rewritten piece remembers where it came from, so every span read off the English copy is a span of the
caller's text.

The pass is gated by plain substring tests: a post in English pays for ``str.isascii`` (and, when it holds a
curly quote or an emoji, one character-class scan).
"""

from __future__ import annotations

import re

from cotechbot.when._patterns import GERMAN_FRENCH_MONTHS

# (the German and French names the reader's month pattern knows itself are listed once, in
# _patterns.GERMAN_FRENCH_MONTHS, and added below; these are the other languages' and those MON leaves alone:
# "märz", "mars" (the planet), the Austrian "jänner")
_MONTHS = {
    "January": "jänner enero janeiro gennaio januari",
    "February": "feber febrero fevereiro febbraio februari",
    "March": "märz maerz mars marzo março marco maart",
    "April": "abril aprile",
    "May": "mayo maio maggio mei",
    "June": "junio junho giugno",
    "July": "julio julho luglio",
    "August": "agosto augustus",
    "September": "septiembre setiembre setembro settembre",
    "October": "octubre outubro ottobre",
    "November": "noviembre novembro",
    "December": "diciembre dezembro dicembre",
}
_WEEKDAYS = {
    "Monday": "montag lundi lunes segunda-feira segunda lunedì lunedi maandag",
    "Tuesday": "dienstag mardi martes terça-feira terca-feira terça terca martedì martedi dinsdag",
    "Wednesday": "mittwoch mercredi miércoles miercoles quarta-feira quarta mercoledì mercoledi woensdag",
    "Thursday": "donnerstag jeudi jueves quinta-feira quinta giovedì giovedi donderdag",
    "Friday": "freitag vendredi viernes sexta-feira sexta venerdì venerdi vrijdag",
    "Saturday": "samstag sonnabend samedi sábado sabado sabato zaterdag",
    "Sunday": "sonntag dimanche domingo domenica zondag",
}
_ENGLISH: dict[str, str] = {
    word: english
    for table in (_MONTHS, _WEEKDAYS)
    for english, words in table.items()
    for word in words.split()
}
_ENGLISH.update((word, list(_MONTHS)[number - 1]) for word, number in GERMAN_FRENCH_MONTHS.items())
# the English month names a day-first date in another language may also use ("29. September")
_ENGLISH.update({m.lower(): m for m in ("April", "August", "September", "November", "December")})
_MONTH_WORDS = "|".join(
    sorted((w for w, english in _ENGLISH.items() if english in _MONTHS), key=len, reverse=True)
)
_WEEKDAY_WORDS = "|".join(sorted((w for ws in _WEEKDAYS.values() for w in ws.split()), key=len, reverse=True))
_NUMBERED_MONTHS = list(_MONTHS)
_ORDINALS = {
    "premier": "first",
    "première": "first",
    "primer": "first",
    "primeiro": "first",
    "primeira": "first",
    "deuxième": "second",
    "segundo": "second",
    "tercer": "third",
    "troisième": "third",
    "terceiro": "third",
    "quatrième": "fourth",
    "cuarto": "fourth",
    "dernier": "last",
    "último": "last",
    "ultimo": "last",
}
_NTH = ("", "first", "second", "third", "fourth", "fifth")
_CJK_WEEKDAYS = dict(zip("月火水木金土日", ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))

# "Dienstag, den", "le mardi", "sexta-feira dia": a weekday and the article or word before its day
_WEEKDAY = (
    rf"(?:\b(?:am|le|el|o|on|the|op)\s+)?\b(?P<{{0}}>{_WEEKDAY_WORDS})\b,?(?:\s+(?:den|le|el|dia|o|il))?"
)
# "12.", "12", "1er", "1º"
_DAY = r"(?P<{0}>[0-3]?\d)(?:\.|er|º|°)?"
_FOREIGN_RE = re.compile(
    # "vom 13. bis 16. Oktober", "du 3 au 5 mars", "del 3 al 5 de marzo"
    rf"(?:\b(?:vom|von|du|del|de|dal|van)\s+)?{_DAY.format('first')}\s*(?:-|–|\b(?:bis|au|al|a|tot|t/m)\b)\s*"
    rf"(?:(?:den|le|el)\s+)?{_DAY.format('to')}\s+(?:de\s+)?(?P<tomonth>{_MONTH_WORDS})\b"
    rf"(?:\s+(?:de\s+)?(?P<toyear>\d{{4}})\b)?"
    # "Dienstag den 12. Januar 2016", "le 23 février 2026", "29. September"
    rf"|(?:{_WEEKDAY.format('weekday')}\s+)?(?:\b(?:le|el|am|den|dia|il|op)\s+)?\b{_DAY.format('day')}\s+(?:de\s+)?"
    rf"(?P<month>{_MONTH_WORDS})\b(?:\s+(?:de\s+)?(?P<year>\d{{4}})\b)?"
    # "am 2. Dienstag im Monat", "le deuxième mardi du mois", "el primer jueves del mes"
    rf"|(?:\b(?:am|le|el|jeden)\s+)?(?:(?P<nth>[1-5])\.|\b(?P<nthword>{'|'.join(_ORDINALS)}))\s+"
    rf"(?P<nthday>{_WEEKDAY_WORDS})\b(?:\s+(?P<ofmonth>im\s+monat|des\s+monats|du\s+mois|del\s+mes|do\s+m[eê]s|van\s+de\s+maand))?"
    # "Samedi 24 mai" is caught above; a weekday alone: "sexta-feira dia 10/07", "am Samstag"
    rf"|{_WEEKDAY.format('lone')}"
    # "um 19h", "à 19h30", "às 16:00", "de 10h à 12h", "19 Uhr"
    rf"|(?:\b(?:um|à|às|as|a\s+las|alle|om|de|von)\s+)?(?<![\d.:])(?P<hour>[0-2]?\d)(?:\s*h\s*(?P<minute>[0-5]\d)?|\s*Uhr\b|:(?P<min2>[0-5]\d))"
    rf"(?:\s*(?:-|–|\b(?:bis|à|a|tot)\b)\s*(?P<endhour>[0-2]?\d)(?:\s*h\s*(?P<endminute>[0-5]\d)?|\s*Uhr\b|:(?P<endmin2>[0-5]\d)))?(?![\w:])"
    # "14.04.", "02.09." (a German date without its year)
    rf"|(?<![\d.])(?P<dday>[0-3]?\d)\.(?P<dmonth>[01]?\d)\.(?![\d])"
    # "2022년 1월 22일", "2015年7月11日", "7月11日", "9/28 (水)"
    r"|(?:(?P<cyear>\d{4})\s*[년年]\s*)?(?P<cmonth>1[0-2]|0?[1-9])\s*[월月]\s*(?P<cday>[0-3]?\d)\s*[일日]"
    r"|\s*[(（]\s*(?:第[一二三四五]\s*)?(?P<cweekday>[月火水木金土日])(?:曜日?)?\s*[)）]"
    # "19:00 ~ 21:00", "9/14(土)か9/28(土)"
    r"|(?<=\d)\s*(?P<tilde>[~〜～])\s*(?=\d)|(?<=[)）\d])(?P<ka>か)(?=\d)"
    # "a été", "fue": the past tense, that a day it names is over
    r"|\b(?P<past>a\s+été|était|fue|foi)\b"
    # "오늘 3시 반", "3시 30분"
    r"|(?P<kday>오늘|내일)?\s*(?P<khour>[0-2]?\d)\s*시\s*(?:(?P<khalf>반)|(?P<kminute>[0-5]?\d)\s*분)?",
    re.IGNORECASE,
)
_AT_RE = re.compile(r"(?:um|à|às|as|a\s+las|alle|om)\s", re.IGNORECASE)
# what a post in another language shows before it is scanned


def _clock(hour: str, minute: str | None) -> str | None:
    h = int(hour)
    if h > 24:
        return None
    return f"{h}:{minute or '00'}"


def _english(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["tomonth"]:
        month = _ENGLISH.get(g["tomonth"].lower())
        if month is None:
            return None
        year = f" {g['toyear']}" if g["toyear"] else ""
        return f"from {int(g['first'])} to {int(g['to'])} {month}{year}"
    if g["nthday"]:
        nth = _NTH[int(g["nth"])] if g["nth"] else _ORDINALS[g["nthword"].lower()]
        of_month = " of the month" if g["ofmonth"] else ""
        # "jeden 2. Dienstag im Monat": a standing arrangement
        lead = "every" if m.group()[:5].lower() == "jeden" else "on the"
        return f"{lead} {nth} {_ENGLISH[g['nthday'].lower()]}{of_month}"
    if g["month"]:
        month = _ENGLISH.get(g["month"].lower())
        if month is None:
            return None
        if month == g["month"].title() and not g["weekday"] and "." not in m.group():
            # an English date needs no help unless written the German way ("29. September")
            return None
        weekday = f"{_ENGLISH[g['weekday'].lower()]} " if g["weekday"] else ""
        year = f" {g['year']}" if g["year"] else ""
        return f"{weekday}{int(g['day'])} {month}{year}"
    if g["lone"]:
        lead = "on " if m.group()[:3].lower() in ("am ", "le ", "el ", "o s", "op ") else ""
        return f"{lead}{_ENGLISH[g['lone'].lower()]}"
    if g["hour"]:
        text = m.group()
        marked = g["min2"] is None or (g["endhour"] is not None and g["endmin2"] is None)
        said_at = _AT_RE.match(text) is not None
        if not marked and not said_at:
            # "16:00" is English already; only "16h", "19 Uhr" or "às 16:00" need rewriting
            return None
        start = _clock(g["hour"], g["minute"] or g["min2"])
        if start is None:
            return None
        lead = "at " if said_at else ""
        if g["endhour"]:
            end = _clock(g["endhour"], g["endminute"] or g["endmin2"])
            if end is None:
                return None
            lead = "from " if lead or text[:1].isalpha() else ""
            return f"{lead}{start} to {end}"
        return f"{lead}{start}"
    if g["dday"]:
        day_number, month_number = int(g["dday"]), int(g["dmonth"])
        if not (1 <= day_number <= 31 and 1 <= month_number <= 12):
            return None
        return f"{day_number} {_NUMBERED_MONTHS[month_number - 1]}"
    if g["cday"]:
        year = f", {g['cyear']}" if g["cyear"] else ""
        return f" {_NUMBERED_MONTHS[int(g['cmonth']) - 1]} {int(g['cday'])}{year} "
    if g["cweekday"]:
        return f" ({_CJK_WEEKDAYS[g['cweekday']]}) "
    if g["tilde"]:
        return " - "
    if g["ka"]:
        return " or "
    if g["past"]:
        return "was"
    if g["khour"]:
        minutes = "30" if g["khalf"] else (g["kminute"] or "00").zfill(2)
        day_word = {"오늘": "today ", "내일": "tomorrow "}.get(g["kday"] or "", "")
        hour_number = int(g["khour"])
        if hour_number > 24:
            return None
        # "3시": a meeting's hour said without 오전/오후 is in the working day
        suffix = "pm" if 1 <= hour_number <= 7 else ""
        return f" {day_word}at {hour_number}:{minutes}{suffix} "
    return None


def _looks_foreign(text: str) -> bool:
    if not text.isascii() and _NON_ENGLISH_LETTER_RE.search(text) is not None:
        return True
    # ("Montag, 22. Juli, 15 Uhr" after an en dash or a curly quote: no accented letter, but German all the same)
    # German and Dutch weekdays, "6 de marzo", "12. Januar", "6. Oktober", "19 Uhr"
    hinted = (
        "tag" in text or "dag" in text or " de " in text or ". Jan" in text or "Okt" in text or "Uhr" in text
    )
    return hinted and _ASCII_FOREIGN_RE.search(text) is not None


_NON_ENGLISH_LETTER_RE = re.compile(r"[À-ɏ\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_ASCII_FOREIGN_RE = re.compile(
    # (every foreign weekday and month name written in ASCII: the weekdays are in _ENGLISH too)
    rf"\b(?:{'|'.join(w for w in _ENGLISH if w.isascii() and w.title() != _ENGLISH[w])}|uhr)\b",
    re.IGNORECASE,
)


def to_english(text: str) -> tuple[str, list[int], list[int]] | None:
    """``text`` with its foreign dates and clocks in English, and for each offset of the English copy (and its
    end) the offset of the caller's text a span starting there starts at, and a span ending there ends at;
    None when there is nothing to rewrite."""
    if not _looks_foreign(text):
        return None
    pieces: list[str] = []
    where: list[int] = []
    ends: list[int] = []
    at = 0
    for m in _FOREIGN_RE.finditer(text):
        english = _english(m)
        if english is None or english == m.group():
            continue
        start, end = m.span()
        pieces.append(text[at:start])
        where.extend(range(at, start))
        ends.extend(range(at, start))
        pieces.append(english)
        where.extend([start] * len(english))
        ends.extend([start] + [end] * (len(english) - 1))
        at = end
    if not pieces:
        return None
    pieces.append(text[at:])
    where.extend(range(at, len(text) + 1))
    ends.extend(range(at, len(text) + 1))
    return "".join(pieces), where, ends
