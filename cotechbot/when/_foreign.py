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
    "January": "jänner enero janeiro gennaio januari gener kohitātea hānuere",
    "February": "feber febrero fevereiro febbraio februari febrer hui-tanguru pēpuere",
    "March": "märz maerz mars marzo março marco maart març poutū-te-rangi māehe",
    "April": "abril aprile paenga-whāwhā āperira",
    "May": "mayo maio maggio mei maig haratua",
    "June": "junio junho giugno juny pipiri hune",
    "July": "julio julho luglio juliol hōngongoi hūrae",
    "August": "agosto augustus agost here-turi-kōkā ākuhata",
    "September": "septiembre setiembre setembro settembre setembre mahuru hepetema",
    "October": "octubre outubro ottobre whiringa-ā-nuku oketopa",
    "November": "noviembre novembro whiringa-ā-rangi noema",
    "December": "diciembre dezembro dicembre desembre hakihea tīhema",
}
_WEEKDAYS = {
    "Monday": "montag lundi lunes segunda-feira segunda lunedì lunedi maandag dilluns rāhina",
    "Tuesday": "dienstag mardi martes terça-feira terca-feira terça terca martedì martedi dinsdag dimarts rātū",
    "Wednesday": "mittwoch mercredi miércoles miercoles quarta-feira quarta mercoledì mercoledi woensdag dimecres rāapa",
    "Thursday": "donnerstag jeudi jueves quinta-feira quinta giovedì giovedi donderdag dijous rāpare",
    "Friday": "freitag vendredi viernes sexta-feira sexta venerdì venerdi vrijdag divendres rāmere",
    "Saturday": "samstag sonnabend samedi sábado sabado sabato zaterdag dissabte rāhoroi",
    "Sunday": "sonntag dimanche domingo domenica zondag diumenge rātapu",
}
# (the German and Dutch weekdays, that posts write without an accented letter: _looks_foreign's hints hold them)
_WEEKDAYS_BY_LANGUAGE = {
    "german": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag"],
    "dutch": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
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

# "nächsten Dienstag", "el próximo martes", "mardi prochain", "letzten Donnerstag", "sábado pasado": the words
# that make a weekday the next, this week's or the last one, before it or after it
_NEXT_BEFORE = (
    "nächsten nächster nächste naechsten kommenden kommender kommende próximo próxima proximo proxima proper "
    "propera prossimo prossima volgende aanstaande"
)
_THIS_BEFORE = "diesen dieser diese ce cette este esta neste nesta questo questa deze aquest aquesta"
_LAST_BEFORE = (
    "letzten letzter letzte vorigen voriger vergangenen vergangener pasado pasada passado passada último última "
    "ultimo ultima scorso scorsa vorige afgelopen passat passada"
)
_NEXT_AFTER = "prochain prochaine próximo próxima proximo proxima prossimo prossima que\\s+vem qui\\s+ve"
_LAST_AFTER = "dernier dernière pasado pasada passado passada passat passada scorso scorsa"
_MODIFIER = {
    **{w.replace("\\s+", " "): "next " for w in (_NEXT_BEFORE + " " + _NEXT_AFTER).split()},
    **{w: "this " for w in _THIS_BEFORE.split()},
    **{w: "last " for w in (_LAST_BEFORE + " " + _LAST_AFTER).split()},
}


def _alternation(words: str) -> str:
    return "|".join(sorted(set(words.split()), key=len, reverse=True))


# "Dienstag, den", "le mardi", "sexta-feira dia", "el próximo martes", "mardi prochain": a weekday, the word
# that makes it next or last, and the article or word before its day
_WEEKDAY = (
    rf"(?:\b(?:am|le|el|o|a|na|no|on|the|op|lo|il|al|la)\s+)?"
    rf"(?:\b(?P<{{0}}before>{_alternation(_NEXT_BEFORE + ' ' + _THIS_BEFORE + ' ' + _LAST_BEFORE)})\s+)?"
    rf"\b(?P<{{0}}>{_WEEKDAY_WORDS})\b(?:\s+(?P<{{0}}after>{_alternation(_NEXT_AFTER + ' ' + _LAST_AFTER)})\b)?"
    rf",?(?:\s+(?:den|le|el|dia|o|il))?"
)
# "12.", "12", "1er", "1º"
_DAY = r"(?P<{0}>[0-3]?\d)(?:\.|er|º|°)?"
# "heute", "demain", "mañana", "amanhã", "domani", "vandaag", "demà", "明日", "heute Abend", "ce soir": the
# days said as words ("morgen" only in lower case: "Morgen" is the morning; "la mañana" is the morning too)
_TODAY = "heute aujourd'hui aujourd’hui hoy hoje oggi vandaag avui"
_TOMORROW = "demain mañana amanhã domani demà āpōpō"
_TONIGHT = "heute\\s+abend heute\\s+nacht ce\\s+soir esta\\s+noche hoje\\s+à\\s+noite stasera vanavond aquesta\\s+nit"
_DAY_WORD = {
    **dict.fromkeys(("今日", "本日"), "today"),
    "明日": "tomorrow",
    **dict.fromkeys(("今夜", "今晩"), "tonight"),
    **{w: "today" for w in _TODAY.split()},
    **{w: "tomorrow" for w in _TOMORROW.split()},
    **{w.replace("\\s+", " "): "tonight" for w in _TONIGHT.split()},
}
# "um", "à", "às", "a las", "alle ore", "om", "ore": the words a clock is said at; "ab", "à partir de", "vanaf":
# those it is said from
_AT_WORDS = r"um|à|às|as|a\s+las|a\s+les|alle\s+ore|alle|ore|om|gegen|vers|verso|hacia|cap\s+a"
_FROM_WORDS = r"ab|à\s+partir\s+de|a\s+partir\s+de(?:\s+las|\s+les)?|vanaf|dès|desde\s+las|dalle|von|van|de|das|des|del|dalle\s+ore"
# "19 Uhr", "19.30 Uhr", "19h30", "20 heures", "14 uur", "20:00 horas", "20 hs": a clock and its word
_UNIT = r"\s*(?:Uhr|uur|heures?|horas?|hs|h(?![a-z]))"
_HOUR = (
    r"(?<![\d.:])(?P<{0}>[0-2]?\d)(?::(?P<{0}min>[0-5]\d)|\.(?P<{0}dotmin>[0-5]\d)(?=" + _UNIT + r"))?"
    r"(?:(?P<{0}unit>" + _UNIT + r")(?:\s*(?P<{0}hmin>[0-5]\d)(?!\d))?)?"
)
# "de la tarde", "da noite", "du soir", "di sera": a clock's part of the day
_HALF_DAY = (
    r"\s+(?:(?P<pm>de\s+la\s+(?:tarde|noche)|da\s+(?:tarde|noite)|du\s+soir|de\s+l['’]après-midi|di\s+sera"
    r"|del\s+pomeriggio|de\s+la\s+nit)|(?P<am>de\s+la\s+mañana|da\s+manhã|du\s+matin|di\s+mattina|del\s+mattino))"
)
_FOREIGN_RE = re.compile(
    # "vom 13. bis 16. Oktober", "du 3 au 5 mars", "del 3 al 5 de marzo"
    rf"(?:\b(?:vom|von|du|del|de|dal|van)\s+)?{_DAY.format('first')}\s*(?:-|–|\b(?:bis|au|al|a|tot|t/m)\b)\s*"
    rf"(?:(?:den|le|el)\s+)?{_DAY.format('to')}\s+(?:de\s+|d['’]\s*)?(?P<tomonth>{_MONTH_WORDS})\b"
    rf"(?:\s+(?:de\s+)?(?P<toyear>\d{{4}})\b)?"
    # "Dienstag den 12. Januar 2016", "le 23 février 2026", "29. September", "5 d'abril"
    rf"|(?:{_WEEKDAY.format('weekday')}\s+)?(?:\b(?:le|el|am|den|dia|il|op)\s+)?\b{_DAY.format('day')}\s+"
    rf"(?:de\s+|d['’]\s*)?(?P<month>{_MONTH_WORDS})(?![\w-])(?:\s+(?:de\s+)?(?P<year>\d{{4}})\b)?"
    # "am 2. Dienstag im Monat", "le deuxième mardi du mois", "el primer jueves del mes"
    rf"|(?:\b(?:am|le|el|jeden)\s+)?(?:(?P<nth>[1-5])\.|\b(?P<nthword>{'|'.join(_ORDINALS)}))\s+"
    rf"(?P<nthday>{_WEEKDAY_WORDS})\b(?:\s+(?P<ofmonth>im\s+monat|des\s+monats|du\s+mois|del\s+mes|do\s+m[eê]s|van\s+de\s+maand))?"
    # "Samedi 24 mai" is caught above; a weekday alone: "sexta-feira dia 10/07", "am Samstag"
    rf"|{_WEEKDAY.format('lone')}"
    # "heute Abend", "morgen", "mañana" (not "la mañana", the morning)
    rf"|(?<![\w'’])(?P<dayword>{_alternation(_TONIGHT + ' ' + _TODAY + ' ' + _TOMORROW)}|(?-i:morgen))(?![\w'’])"
    r"|(?P<cjkday>今日|本日|明日|今夜|今晩)"
    # "14.04.", "02.09." (a German date without its year)
    rf"|(?<![\d.])(?P<dday>[0-3]?\d)\.(?P<dmonth>[01]?\d)\.(?![\d])"
    # "um 19h", "à 19h30", "às 16:00", "de 10h à 12h", "19 Uhr", "ab 19.30 Uhr", "a las 7 de la tarde", "dalle 18
    # alle 20"
    rf"|(?:\b(?P<at>{_AT_WORDS})\s+|\b(?P<from>{_FROM_WORDS})\s+)?{_HOUR.format('hour')}"
    rf"(?:\s*(?:-|–|\b(?:bis|à|às|as|a|al|alle|a\s+las|a\s+les|tot|até|ate)\b)\s*{_HOUR.format('endhour')})?"
    rf"(?:{_HALF_DAY})?(?![\w:]|\.\d)"
    # "2022년 1월 22일", "2015年7月11日", "7月11日", "9/28 (水)"
    r"|(?:(?P<cyear>\d{4})\s*[년年]\s*)?(?P<cmonth>1[0-2]|0?[1-9])\s*[월月]\s*(?P<cday>[0-3]?\d)\s*[일日]"
    r"|\s*[(（]\s*(?:第[一二三四五]\s*)?(?P<cweekday>[月火水木金土日])(?:曜日?)?\s*[)）]"
    # "19:00 ~ 21:00", "9/14(土)か9/28(土)"
    r"|(?<=\d)\s*(?P<tilde>[~〜～])\s*(?=\d)|(?<=[)）\d])(?P<ka>か)(?=\d)"
    # "a été", "fue", "fand … statt", "trafen", "waren", "tuvo lugar", "a eu lieu": the past tense, that a day
    # it names is over
    r"|\b(?P<past>a\s+été|était|fue|foi|fand|fanden|trafen|waren|stattgefunden|tuvo\s+lugar|se\s+celebró"
    r"|a\s+eu\s+lieu|ont\s+eu\s+lieu|si\s+è\s+(?:svolt|tenut)[oa]|vond|plaatsgevonden"
    # (Catalan says its past with "va" and the infinitive: "es va publicar", "vam fer", "va tenir lloc")
    r"|es\s+va[mn]?\s+\w+|va[mn]?\s+(?:ser|fer|tenir|celebrar|reunir|aprovar|publicar|acordar|decidir|convocar))\b"
    # "fecha límite", "date limite", "Frist", "prazo": the day something is due by, not a gathering
    r"|\b(?P<deadline>(?:fecha|data|date)[\s-]+(?:l[íi]mite?|m[àá]xima)|plazo|prazo|frist|anmeldeschluss"
    r"|einsendeschluss|scadenza|uiterste\s+datum)\b"
    # "午後7時", "19時30分", "19時半"
    r"|(?P<jhalfday>午前|午後)?\s*(?P<jhour>[0-2]?\d)\s*時\s*(?:(?P<jhalf>半)|(?P<jminute>[0-5]?\d)\s*分)?"
    # "오늘 3시 반", "3시 30분"
    r"|(?P<kday>오늘|내일)?\s*(?P<khour>[0-2]?\d)\s*시\s*(?:(?P<khalf>반)|(?P<kminute>[0-5]?\d)\s*분)?",
    re.IGNORECASE,
)
# what a post in another language shows before it is scanned


def _clock(hour: str, minute: str | None) -> str | None:
    h = int(hour)
    if h > 24:
        return None
    return f"{h}:{minute or '00'}"


def _weekday(g: dict[str, str | None], name: str) -> str:
    """The English of a weekday group: "next Tuesday", "last Thursday", "Saturday"."""
    said = g[name + "before"] or g[name + "after"]
    modifier = _MODIFIER.get(" ".join(said.lower().split()), "") if said else ""
    return f"{modifier}{_ENGLISH[str(g[name]).lower()]}"


def _spoken_clock(g: dict[str, str | None]) -> str | None:
    """ "at 19:00", "from 14:00 to 16:00", "19:30", or None when the clock is English already ("16:00")."""
    unit, end_unit = g["hourunit"], g["endhourunit"]
    said_at, said_from = g["at"], g["from"]
    half_day = "pm" if g["pm"] else "am" if g["am"] else ""
    marked = bool(unit or end_unit or half_day)
    if (
        unit
        and not end_unit
        and unit.strip().lower() in ("heure", "heures", "hora", "horas", "hs", "uur")
        and not (said_at or said_from or g["hourhmin"] or g["hourdotmin"] or g["endhour"])
    ):
        return None  # "maximum 4 heures", "2 uur": hours long, not a time of day
    if said_at and said_at.lower() in ("as",) and not marked:
        return None  # English "as 16:00"
    if said_from and not marked:
        # "von 16:00", "de 16:00" need a clock word to be a clock ("von 2015", "de 10 a 12 personas")
        return None
    if not marked and not said_at:
        # "16:00" is English already; only "16h", "19 Uhr" or "às 16:00" need rewriting
        return None
    if (
        not marked
        and g["hourmin"] is None
        and (said_at or "").lower() in ("um", "alle", "om", "vers", "gegen")
    ):
        return None  # "alle 14 Tage", "um 5 Personen": a bare number after a word that is not only "at"
    start = _clock(g["hour"], g["hourmin"] or g["hourdotmin"] or g["hourhmin"])  # type: ignore[arg-type]
    if start is None:
        return None
    if half_day:
        start = f"{start}{half_day}"
    if g["endhour"]:
        end = _clock(g["endhour"], g["endhourmin"] or g["endhourdotmin"] or g["endhourhmin"])
        if end is None:
            return None
        lead = "from " if said_at or said_from else ""
        return f"{lead}{start} to {end}"
    lead = "from " if said_from else "at " if said_at else ""
    return f"{lead}{start}"


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
        weekday = f"{_weekday(g, 'weekday')} " if g["weekday"] else ""
        year = f" {g['year']}" if g["year"] else ""
        return f"{weekday}{int(g['day'])} {month}{year}"
    if g["lone"]:
        lead = "on " if m.group()[:3].lower() in ("am ", "le ", "el ", "o s", "op ") else ""
        return f"{lead}{_weekday(g, 'lone')}"
    if g["dayword"]:
        word = re.sub(r"\s+", " ", g["dayword"].lower())
        if word == "mañana" and m.string[max(0, m.start() - 4) : m.start()].lower().endswith(("la ", "las ")):
            return None  # "por la mañana": in the morning
        if word == "morgen" and m.string[max(0, m.start() - 6) : m.start()].lower().endswith(
            ("heute ", "'s ", "am ")
        ):
            return None  # "heute morgen": this morning
        return _DAY_WORD.get(word, "tomorrow" if word == "morgen" else None)
    if g["cjkday"]:
        return f" {_DAY_WORD[g['cjkday']]} "
    if g["hour"]:
        return _spoken_clock(g)
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
        return "were" if g["past"].lower() in ("waren", "fanden", "trafen") else "was"
    if g["deadline"]:
        return "deadline"
    if g["jhour"]:
        hour_number = int(g["jhour"])
        if hour_number > 24 or (g["jhalfday"] and hour_number > 12):
            return None
        if g["jhalfday"] == "午後" and hour_number < 12:
            hour_number += 12
        minutes = "30" if g["jhalf"] else (g["jminute"] or "00").zfill(2)
        return f" at {hour_number}:{minutes} "
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
    # (a dash, a curly quote or "£" is no sign of English: "Ludwigsburg – Montag, 22. Juli, 15 Uhr")
    # German and Dutch weekdays, "6 de marzo", "12. Januar", "6. Oktober", "19 Uhr", "14 uur", "alle ore 18"
    hinted = (
        "tag" in text
        or "dag" in text
        or " de " in text
        or ". Jan" in text
        or "Okt" in text
        or "Uhr" in text
        or "uur" in text
        or " ore " in text
        or "woch" in text
        or "nnabend" in text
    )
    return hinted and _ASCII_FOREIGN_RE.search(text) is not None


_NON_ENGLISH_LETTER_RE = re.compile(r"[À-ɏ\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_ASCII_FOREIGN_RE = re.compile(
    # (every foreign weekday and month name written in ASCII: the weekdays are in _ENGLISH too; and the clock
    # words)
    rf"\b(?:{'|'.join(w for w in _ENGLISH if w.isascii() and w.title() != _ENGLISH[w])}|uhr|uur|ore)\b",
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
    search_from = 0
    while (m := _FOREIGN_RE.search(text, search_from)) is not None:
        english = _english(m)
        start, end = m.span()
        if english is None:
            # ("de 5 de mayo": a clock that is not one may hide a date starting inside it)
            search_from = start + 1
            continue
        search_from = max(end, start + 1)
        if english == m.group():
            continue
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
