"""Build tests/data/when/corpus.jsonl, an independent labelled corpus for ``cotechbot.when``.

Run from anywhere:  python tests/data/when/make_corpus.py

The output is deterministic (fixed seed, fixed order).  Nothing here reads dates out of text:
hand-written cases carry hand-written labels, and templated cases render their text from the
very date objects that become the labels.  Offsets always come from zoneinfo (or from the fixed
offset of a zone abbreviation the text names: UTC/GMT +00:00, BST +01:00, CET +01:00,
CEST +02:00).  Sentences are our own, modelled on the kinds of posts found on CoTech's forum.

Labelling conventions follow tests/data/when/../../../../shared/samples/dates-dev.jsonl; see the
``notes`` of each line for the reason behind its label.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

OUT = Path(__file__).with_name("corpus.jsonl")
LON = "Europe/London"
NY = "America/New_York"
LA = "America/Los_Angeles"
BER = "Europe/Berlin"

# Zone abbreviations with a fixed meaning, and the ones that name a US zone's local time.
FIXED = {"UTC": 0, "GMT": 0, "BST": 60, "CET": 60, "CEST": 120}
ALIAS = {"ET": NY, "EST": NY, "EDT": NY, "PT": LA, "PST": LA, "PDT": LA}
ABBREV_OFFSET = {"EST": -300, "EDT": -240, "PST": -480, "PDT": -420}


def tzinfo(zone: str) -> dt.tzinfo:
    if zone in FIXED:
        return dt.timezone(dt.timedelta(minutes=FIXED[zone]))
    return ZoneInfo(ALIAS.get(zone, zone))


def aware(local: str, zone: str) -> dt.datetime:
    """'2024-07-02 15:00' in `zone`; refuses wall times that are missing or doubled by DST."""
    naive = dt.datetime.fromisoformat(local)
    tz = tzinfo(zone)
    value = naive.replace(tzinfo=tz)
    if isinstance(tz, ZoneInfo) and value.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        raise ValueError(f"{local} is ambiguous or missing in {zone}")
    if zone in ABBREV_OFFSET and value.utcoffset() != dt.timedelta(minutes=ABBREV_OFFSET[zone]):
        raise ValueError(f"{zone} does not apply on {local}")
    return value


def iso(local: str, zone: str) -> str:
    return aware(local, zone).isoformat()


def E(start: str, end: str | None = None, zone: str | None = None) -> dict:
    """An expected event.  'YYYY-MM-DD' is all-day; 'YYYY-MM-DD HH:MM' is timed in `zone`
    (default: the case's tz_hint); an end of 'HH:MM' means the same day as the start; a value
    containing 'T' is an already-resolved ISO string."""
    return {"start": start, "end": end, "zone": zone}


def resolve(ev: dict, tz: str) -> dict:
    start, end, zone = ev["start"], ev["end"], ev["zone"] or tz
    if len(start) == 10:
        dt.date.fromisoformat(start)
        if end is not None:
            dt.date.fromisoformat(end)
        return {"start": start, "end": end, "all_day": True}

    def one(value: str) -> str:
        return value if "T" in value else iso(value, zone)

    if end is not None and len(end) == 5:
        end = start[:10] + " " + end
    return {"start": one(start), "end": None if end is None else one(end), "all_day": False}


CASES: list[dict] = []


def add(cat: str, posted: str, text: str, events: list[dict], notes: str, tz: str = LON) -> None:
    CASES.append({"cat": cat, "posted": posted, "tz": tz, "text": text, "events": events, "notes": notes})


def posted_iso(posted: str, tz: str) -> str:
    return posted if "T" in posted else iso(posted, tz)


def later(posted: str, minutes: int, tz: str = LON) -> str:
    """Absolute time `minutes` after a local posting time, as ISO in the forum zone."""
    return (aware(posted, tz) + dt.timedelta(minutes=minutes)).astimezone(tzinfo(tz)).isoformat()


def next_weekday(posted: str, weekday: int) -> str:
    """The first date strictly after the posting date with this weekday (Monday = 0)."""
    day = dt.date.fromisoformat(posted[:10]) + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day.isoformat()


def plus_days(posted: str, days: int) -> str:
    return (dt.date.fromisoformat(posted[:10]) + dt.timedelta(days=days)).isoformat()


# ---------------------------------------------------------------------------------------------
# 1. Hand-written prose positives
# ---------------------------------------------------------------------------------------------
P = "prose"

add(P, "2024-06-26 12:00",
    "A few of us got talking at Congress last week, so there'll be a video call at 4pm on Wednesday 10th July to start planning this year's gathering. Link below, everyone welcome.",
    [E("2024-07-10 16:00")],
    "call announcement; year implicit (next occurrence); BST in July; 'last week' is vague past")
add(P, "2023-11-14 18:40",
    "We're kicking off in 20 minutes, grab a cuppa and come along :tea:",
    [E(later("2023-11-14 18:40", 20))],
    "relative to posted_at: 18:40 + 20 min = 19:00 GMT")
add(P, "2025-10-26 09:30",
    "Reminder: the hack session starts in half an hour, same Jitsi room as always.",
    [E(later("2025-10-26 09:30", 30))],
    "relative 'in half an hour'; posted on the morning BST ended (26 Oct 2025), so +00:00")
add(P, "2024-03-31 08:45",
    "Doors open in 15 mins for the online co-working morning!",
    [E(later("2024-03-31 08:45", 15))],
    "relative; posted the morning BST started (31 Mar 2024): 09:00+01:00")
add(P, "2022-02-08 10:15",
    "The budget call is in an hour if anyone else wants to join, link in the first post.",
    [E(later("2022-02-08 10:15", 60))],
    "relative 'in an hour' = 11:15 GMT")
add(P, "2021-06-08 11:00",
    "Starting the onboarding session in 2 hours, there's still room for a couple more people.",
    [E(later("2021-06-08 11:00", 120))],
    "'in 2 hours' anchored to posting time is an event (contrast: 'lasts 2 hours' is a duration)")
add(P, "2025-03-29 16:00",
    "See you tomorrow at 10am for the website sprint. Note the clocks go forward tonight!",
    [E("2025-03-30 10:00")],
    "tomorrow = Sun 30 Mar 2025, the day BST starts, so 10:00+01:00; 'tonight' is the clock change, not an event")
add(P, "2024-10-26 18:00",
    "Tomorrow’s call is at 11am UK time — the clocks go back overnight so double-check your calendar :sweat_smile:",
    [E("2024-10-27 11:00")],
    "tomorrow = Sun 27 Oct 2024, BST has ended by 11am so +00:00; curly apostrophe")
add(P, "2020-12-31 15:00",
    "New Year's Day quiz tomorrow at noon for anyone not too fragile :tada:",
    [E("2021-01-01 12:00")],
    "relative across a year boundary; 'noon'")
add(P, "2025-02-10 09:20",
    "Let's pick this up next Thursday at 11am, I'll send round the link.",
    [E(next_weekday("2025-02-10", 3) + " 11:00")],
    "posted Monday 10 Feb 2025; next Thursday = first Thursday after posting = 13 Feb")
add(P, "2023-06-15 16:30",
    "Good call today, thanks all. Same time next Thursday? 2pm works for me.",
    [E(next_weekday("2023-06-15", 3) + " 14:00")],
    "posted on a Thursday, so next Thursday is 22 June 2023; 'today' call is past and has no time")
add(P, "2024-01-17 12:00",
    "I can't do this week but next Thursday at 3pm would be fine.",
    [E(next_weekday("2024-01-17", 3) + " 15:00")],
    "posted Wednesday 17 Jan 2024: by the corpus convention 'next Thursday' is the first Thursday after posting (18 Jan); some British readers would say the 25th")
add(P, "2024-09-10 11:00",
    "Short notice, but is anyone free this Friday at 4pm for a chat about the shared hosting offer?",
    [E(next_weekday("2024-09-10", 4) + " 16:00")],
    "posted Tue 10 Sep 2024; this Friday = 13 Sep; BST")
add(P, "2024-05-14 09:12",
    "Reminder that the finance circle meets today at 4pm — agenda's on the pad.",
    [E("2024-05-14 16:00")],
    "'today at 4pm'")
add(P, "2019-11-21 12:00",
    "Pub social tonight at 7pm at the Lion, first round is on us :beers:",
    [E("2019-11-21 19:00")],
    "'tonight at 7pm' = posting date")
add(P, "2025-06-02 10:00",
    "Shall we do Thursday at 2pm? I've got the room booked either way.",
    [E(next_weekday("2025-06-02", 3) + " 14:00")],
    "bare weekday + time = its next occurrence after posting (Mon 2 Jun 2025 -> Thu 5 Jun)")
add(P, "2022-09-30 17:00",
    "OK, moving it to Monday at 10:30 then. Same link.",
    [E(next_weekday("2022-09-30", 0) + " 10:30")],
    "posted Friday 30 Sep 2022; Monday = 3 Oct 2022")
add(P, "2024-06-12T23:30:00+00:00",
    "Sorry for the late post — tomorrow at 10am is still on for the retro.",
    [E("2024-06-14 10:00")],
    "posted_at is 23:30Z on 12 June = 00:30 BST on 13 June in the forum zone, so 'tomorrow' is 14 June (day counted in tz_hint)")
add(P, "2026-03-29 12:00",
    "Next Tuesday, 3pm, for the rebrand check-in? Clocks went forward this morning so it's BST from now on.",
    [E(next_weekday("2026-03-29", 1) + " 15:00")],
    "posted Sun 29 Mar 2026 (BST began that morning): next Tuesday = 31 Mar, +01:00")
add(P, "2026-10-24 10:00",
    "Tomorrow, 2-3pm, drop-in for anyone struggling with the new accounting software.",
    [E("2026-10-25 14:00", "15:00")],
    "tomorrow = Sun 25 Oct 2026, the day BST ends: 14:00+00:00; '2-3pm' range")

# Zones
add(P, "2024-03-04 10:00",
    "The US folks suggested Thursday 14th March at 12pm ET, which is 4pm for us.",
    [E("2024-03-14 12:00", zone="ET")],
    "ET on 14 Mar 2024 is EDT (-04:00, US DST began 10 Mar) while London is still GMT; 12pm ET = 4pm UK; one event, two renderings")
add(P, "2024-04-01 09:00",
    "The Pacific co-ops can do 8am-10amPT on Wednesday 10th April, which is 4-6pm here.",
    [E("2024-04-10 08:00", "10:00", zone="PT")],
    "'8am-10amPT' = PDT -07:00; same instant as 4-6pm BST; one event")
add(P, "2025-01-15 14:00",
    "Our friends in Berlin suggested Tuesday 28 January, 17:30 CET, for the first federation call.",
    [E("2025-01-28 17:30", zone="CET")],
    "named zone CET +01:00 (= 16:30 UK)")
add(P, "2025-06-01 14:00",
    "FACTTIC are hosting an open call on Thurs 12 June at 18:00 CEST, all CoTech members welcome.",
    [E("2025-06-12 18:00", zone="CEST")],
    "named zone CEST +02:00")
add(P, "2024-07-01 11:00",
    "Let's say 1600 GMT on Wednesday 17th July so that nobody has to do the DST maths.",
    [E("2024-07-17 16:00", zone="GMT")],
    "GMT names UTC+0 even in summer, so 16:00Z (= 5pm BST); '1600' compact 24h")
add(P, "2024-07-30 09:00",
    "Catch-up with Media Co-op at 2pm BST on Friday 9th August, details to follow.",
    [E("2024-08-09 14:00", zone="BST")],
    "named zone BST +01:00")
add(P, "2025-01-20 16:00",
    "Confirmed with the New York folks: Tuesday 4th February, 11am EST / 4pm GMT.",
    [E("2025-02-04 11:00", zone="EST")],
    "two renderings of one instant (16:00Z); EST -05:00 in February")
add(P, "2023-08-22 17:00",
    "The platform co-op panel is Thursday 7th September 9am PDT, recording afterwards.",
    [E("2023-09-07 09:00", zone="PDT")],
    "PDT -07:00")
add(P, "2023-06-05 12:00",
    "Proposed slot: Wednesday 21 June at 15:00 UTC (16:00 in London).",
    [E("2023-06-21 15:00", zone="UTC")],
    "explicit UTC; parenthetical London time is the same instant, not a second event")
add(P, "2025-03-03 12:00",
    "Wed 12 March, 9am PT / 4pm UK — that's the only overlap that works for everyone.",
    [E("2025-03-12 09:00", zone="PT")],
    "US DST began 9 Mar 2025 but UK is still GMT: 9am PDT = 16:00Z = 4pm UK; one event")
add(P, "2024-06-10 10:00",
    "The Belgian co-ops proposed Tuesday 25th June at 18:00 CET.",
    [E("2024-06-25 18:00", zone="CET")],
    "CET named in summer: labelled as the named zone's fixed +01:00 (17:00Z), by analogy with GMT; the writer may have meant CEST (16:00Z)")
add(P, "2023-03-20 12:00",
    "Got a reply: they can do **Wed 12th April at 5.30pm UK** (12.30pm ET). Shall I confirm?",
    [E("2023-04-12 17:30")],
    "'UK' as zone = forum zone, BST in April; ET rendering is the same instant; markdown bold")

# Candidates / several dates
add(P, "2023-05-09 10:00",
    "Could do Mon 15th, Wed 17th or Fri 19th May, 10-11am? Whichever suits most people.",
    [E("2023-05-15 10:00", "11:00"), E("2023-05-17 10:00", "11:00"), E("2023-05-19 10:00", "11:00")],
    "three candidates sharing month and time range")
add(P, "2024-01-02 10:00",
    "Working on a date with the Canadian co-ops, probably Mon 8th or Wed 10th January @ 16.00 UTC. Pencil both in for now.",
    [E("2024-01-08 16:00", zone="UTC"), E("2024-01-10 16:00", zone="UTC")],
    "two candidates; '16.00' dotted time; explicit UTC")
add(P, "2025-03-03 15:00",
    "Either Tuesday 11th March at 10am or Thursday 13th March at 3pm would work for us.",
    [E("2025-03-11 10:00"), E("2025-03-13 15:00")],
    "two candidates with different times")
add(P, "2022-10-03 09:00",
    "How about Tues 11th, Weds 12th or Thurs 13th October, any time 2-4pm?",
    [E("2022-10-11 14:00", "16:00"), E("2022-10-12 14:00", "16:00"), E("2022-10-13 14:00", "16:00")],
    "three candidates; window 2-4pm applies to each")
add(P, "2024-09-16 12:00",
    "Either the 1st or the 3rd of October at 6pm, in person at Space4.",
    [E("2024-10-01 18:00"), E("2024-10-03 18:00")],
    "two candidates; 'the 1st ... of October' form")
add(P, "2021-11-08 12:00",
    "Thursday 18th November or, failing that, Tuesday 23rd November — both 12:30-13:30.",
    [E("2021-11-18 12:30", "13:30"), E("2021-11-23 12:30", "13:30")],
    "two candidates share one 24h range")
add(P, "2026-05-05 12:00",
    "Tuesday 2nd June, 4pm (or the 9th if that clashes with Congress).",
    [E("2026-06-02 16:00"), E("2026-06-09 16:00")],
    "fallback 'the 9th' takes its month and time from the first date, so it is a concrete candidate (unlike a bare 'on the 5th')")
add(P, "2019-06-03 12:00",
    "We could do the weekend of 13-14 July or 20-21 July for the summer gathering.",
    [E("2019-07-13", "2019-07-14"), E("2019-07-20", "2019-07-21")],
    "two all-day range candidates")

# Date forms
add(P, "2024-05-20 12:00",
    "The AGM is booked for 02/07/2024 at 6pm in the big room.",
    [E("2024-07-02 18:00")],
    "UK day-first numeric date: 2 July, not 7 February")
add(P, "2024-06-01 12:00",
    "Provisional date for the hack day is 6/7/24, venue tbc.",
    [E("2024-07-06")],
    "UK day-first with two-digit year: 6 July 2024, all-day")
add(P, "2025-04-10 12:00",
    "Two-day meetup in Sheffield, Sat 14 & Sun 15 June — cheap beds at the hostel.",
    [E("2025-06-14", "2025-06-15")],
    "consecutive days of one meetup -> one all-day range")
add(P, "2025-06-20 12:00",
    "Retro on the 2nd of July, 11am, then lunch.",
    [E("2025-07-02 11:00")],
    "'the 2nd of July' form")
add(P, "2021-09-10 12:00",
    "The conference is on 23-24th September, hope to see lots of you there!",
    [E("2021-09-23", "2021-09-24")],
    "future tense all-day range, ordinal on the second number only")
add(P, "2025-08-01 12:00",
    "We're running the retreat from 3rd to 5th October at a farm near Hebden Bridge.",
    [E("2025-10-03", "2025-10-05")],
    "'from 3rd to 5th October' all-day range")
add(P, "2025-05-01 12:00",
    "The worker co-op summer school is 30 June – 2 July this year.",
    [E("2025-06-30", "2025-07-02")],
    "range across a month boundary, en dash")
add(P, "2022-03-10 12:00",
    "The Glasgow gathering is Friday 29th April - Sunday 1st May, travel bursaries available.",
    [E("2022-04-29", "2022-05-01")],
    "weekday-named range across a month boundary")
add(P, "2025-07-14 12:00",
    "We've got the venue from 6pm Friday 12th September to 2pm Sunday 14th September.",
    [E("2025-09-12 18:00", "2025-09-14 14:00")],
    "timed start and end on different days")
add(P, "2025-02-03 12:00",
    "Let's do noon on Friday 14th February, I'll bring cake.",
    [E("2025-02-14 12:00")],
    "'noon'")
add(P, "2025-03-20 12:00",
    "Co-working day kick-off at midday Tuesday 1st April.",
    [E("2025-04-01 12:00")],
    "'midday'; BST (began 30 Mar 2025)")
add(P, "2025-03-01 12:00",
    "Pricing workshop, Saturday 22nd March, 11-1pm, in the upstairs room.",
    [E("2025-03-22 11:00", "13:00")],
    "'11-1pm': pm belongs to the end only (11pm-1pm is impossible), so 11:00-13:00")
add(P, "2024-11-25 12:00",
    "Lunchtime drop-in on Wed 4 Dec 12-1pm, bring your own sandwiches.",
    [E("2024-12-04 12:00", "13:00")],
    "'12-1pm' = 12:00-13:00")
add(P, "2025-10-20 12:00",
    "I'll be at the Bristol hub between 2 and 4pm on Monday 3rd November if anyone wants to talk about the tender.",
    [E("2025-11-03 14:00", "16:00")],
    "'between 2 and 4pm' — pm applies to both; GMT")
add(P, "2025-03-20 13:00",
    "Open day from 10am until 4pm on Saturday 5 April.",
    [E("2025-04-05 10:00", "16:00")],
    "'from ... until ...'")
add(P, "2020-02-03 12:00",
    "Next governance call: Thursday 13 February at 3 p.m.",
    [E("2020-02-13 15:00")],
    "'3 p.m.' with dots")
add(P, "2025-03-05 12:00",
    "Retro on Tuesday\u00a018th\u00a0March at 2\u00a0pm.",
    [E("2025-03-18 14:00")],
    "non-breaking spaces inside the date and time")
add(P, "2025-10-15 12:00",
    "“Show & tell” evening on Thursday 6th November, 6–8pm 🎉",
    [E("2025-11-06 18:00", "20:00")],
    "curly quotes, emoji, en dash; GMT in November")
add(P, "2024-12-18 12:00",
    "First call of the new year: Tuesday 7th January, 2pm.",
    [E("2025-01-07 14:00")],
    "posted in December: implicit year rolls over to 2025 (and 7 Jan 2025 is a Tuesday)")
add(P, "2025-12-22 12:00",
    "Shall we pick this up after the break, Thursday 8th January at 11am?",
    [E("2026-01-08 11:00")],
    "year rollover to 2026")
add(P, "2023-12-05 12:00",
    "The members' council meets on Thursday 29th February at 6pm.",
    [E("2024-02-29 18:00")],
    "leap day; implicit year: the next 29 Feb after Dec 2023 is 2024")
add(P, "2019-12-10 12:00",
    "Co-op winter school is 8th–10th January, Manchester.",
    [E("2020-01-08", "2020-01-10")],
    "range, year rolls over")
add(P, "2024-06-10 10:00",
    "Confirmed for Friday 21st June, 1500 UTC, recording will go on PeerTube.",
    [E("2024-06-21 15:00", zone="UTC")],
    "compact 24h '1500' with UTC")
add(P, "2025-05-27 10:00",
    "Join at https://meet.coop/b/cot-4xz-9q1 on Wednesday 4th June at 14:00 (access code 339120).",
    [E("2025-06-04 14:00")],
    "URL and access code are not times; 14:00 BST")
add(P, "2019-12-02 10:00",
    "Monday 9 December 10:30, dial in on 020 3481 5237, PIN 7712#.",
    [E("2019-12-09 10:30")],
    "phone number and PIN are not dates")
add(P, "2024-09-05 12:00",
    "The gathering is Saturday 12th October at Space4; before that we'll have a planning call on Tuesday 24th September at 5pm.",
    [E("2024-10-12"), E("2024-09-24 17:00")],
    "two events: all-day gathering and timed planning call")
add(P, "2026-03-02 12:00",
    "Things to avoid clashing with: Co-ops Fortnight (20 June – 3 July 2026) and the Stir festival on 11th July 2026.",
    [E("2026-06-20", "2026-07-03"), E("2026-07-11")],
    "named external events with dates are calendar entries (cf. dev-01)")

# Past-tense reports
add(P, "2022-11-20 12:00",
    "We met at Space4 on 14-15th October and got through a lot of the backlog.",
    [E("2022-10-14", "2022-10-15")],
    "past-tense report: most recent past occurrence; listed")
add(P, "2025-01-10 12:00",
    "Thanks to everyone who came along on 12th December, the notes are now on the wiki.",
    [E("2024-12-12")],
    "past tense in January refers to the previous December (2024)")
add(P, "2023-07-06 12:00",
    "On Tuesday 4th July at 2pm we had eight co-ops on the call, which was brilliant.",
    [E("2023-07-04 14:00")],
    "past timed event; 'eight co-ops' is a count")
add(P, "2019-11-04 12:00",
    "CoTech's annual gathering took place on 17-18 October in Manchester, write-up to follow.",
    [E("2019-10-17", "2019-10-18")],
    "past report")
add(P, "2024-05-22 12:00",
    "What a month: the finance call on the 14th May, then the Workers Co-op Weekend (17th–19th May).",
    [E("2024-05-14"), E("2024-05-17", "2024-05-19")],
    "two past events; 'the 14th May' has a month so it is concrete")

# Typos and contradictions
add(P, "2026-01-06 12:00",
    "Next circle call: Thursday 15th January 2025 at 5pm.",
    [E("2026-01-15 17:00")],
    "year typo at the turn of the year: 15 Jan 2025 was a Wednesday and in the past; Thursday 15 Jan 2026 fits")
add(P, "2025-01-08 12:00",
    "Kick-off meeting on Monday 20th January 2024 at 2pm please.",
    [E("2025-01-20 14:00")],
    "old year written in January: 20 Jan 2024 was a Saturday; Monday 20 Jan 2025 fits the weekday")
add(P, "2025-03-03 16:00",
    "Can we move it to Tuesday 12th March, 2-3pm?",
    [E("2025-03-12 14:00", "15:00")],
    "weekday contradicts date (12 Mar 2025 is a Wednesday; the Tuesday is the 11th): labelled as the date as written")
add(P, "2022-11-28 12:00",
    "The end-of-year social is Tuesday 6th December 2021, 6pm, usual pub.",
    [E("2022-12-06 18:00")],
    "stale year: 6 Dec 2021 was a Monday and a year ago; Tuesday 6 Dec 2022 fits")
add(P, "2024-02-01 12:00",
    "Accounts workshop Friday 8th March 2023, 10am–4pm.",
    [E("2024-03-08 10:00", "16:00")],
    "8 Mar 2023 was a Wednesday; Friday 8 Mar 2024 fits the weekday and the posting year")
add(P, "2024-10-01 12:00",
    "Tech for Good social on Thursday 16th October, 7pm.",
    [E("2024-10-16 19:00")],
    "weekday contradicts date (16 Oct 2024 is a Wednesday): labelled as the date as written")

# Whole posts
add(P, "2025-09-02 10:00",
    "Hi all :wave:\n\nQuick update on the **autumn gathering**:\n\n- Venue: the Old Fire Station, Oxford (thanks Agile Collective!)\n- Date: **Saturday 11th October**, 10am till late\n- Cost: £25 per head, bursaries available\n\nWe'll have a planning call on Tuesday 16th September at 5.30pm — [join here](https://meet.jit.si/cotech-planning). Please fill in the form by Friday 26th September so we can sort food.",
    [E("2025-10-11 10:00"), E("2025-09-16 17:30")],
    "whole post: gathering (start time only) and planning call; the form deadline and the price are not events")
add(P, "2024-11-28 14:00",
    "Just back from the Congress fringe (21–22 November), great to see so many tech co-ops there. Slides from our session are [here](https://example.coop/slides).\n\nWe're doing a follow-up call on **Wednesday 11 December at 2pm** if anyone wants in.",
    [E("2024-11-21", "2024-11-22"), E("2024-12-11 14:00")],
    "whole post: past range (recent past) + future call")
add(P, "2022-05-03 12:00",
    "Options for the summer meetup:\n\n* Sat 18 June — Leeds\n* Sat 25 June — Manchester\n\nReply below, or just come to the call on Thurs 12th May at 12:30.",
    [E("2022-06-18"), E("2022-06-25"), E("2022-05-12 12:30")],
    "whole post: two all-day options and a timed call")
add(P, "2026-02-10 12:00",
    "The AGM will be on Saturday 21st March 2026, 11am–3pm, at Space4. Motions need to be in by Saturday 7th March. There'll be lunch (veggie/vegan) and we'll cover travel for up to 2 people per co-op.",
    [E("2026-03-21 11:00", "15:00")],
    "whole post: AGM is the event; motions deadline is not; GMT (BST starts 29 Mar 2026)")
add(P, "2021-03-22 12:00",
    "Heads up that the clocks go forward this Sunday, so Monday's call (29th March, 4pm) will be 4pm BST = 3pm UTC. Same link as ever.",
    [E("2021-03-29 16:00")],
    "one call stated twice (BST and UTC agree); 'this Sunday' is the clock change, not a meeting")
add(P, "2020-04-14 12:00",
    "Since we can't meet in person, the gathering moves online: Thursday 23rd and Friday 24th April, 10:00–16:00 each day, on the BBB server. Recordings will be up a week later.",
    [E("2020-04-23 10:00", "16:00"), E("2020-04-24 10:00", "16:00")],
    "two days with the same daily hours -> two timed events; 'a week later' is vague")
add(P, "2024-06-24 09:00",
    "We're going to have a call at 4pm on Wednesday 3rd July about the gathering. I'll post the access code on the day. Based on who came last time I'm tagging @polly @kawaiipunk, hope to see you on the 3rd!",
    [E("2024-07-03 16:00")],
    "'on the 3rd' repeats the same call: one event, not two")
add(P, "2023-01-30 12:00",
    "Update from the working group:\n\n1. The booking page is live\n2. We've had 11 sign-ups so far\n3. Next review call is **Monday 13th February, 10–10.30am** on the usual link\n\nThanks all :pray:",
    [E("2023-02-13 10:00", "10:30")],
    "numbered list; counts are not dates; '10–10.30am' range")

# ---------------------------------------------------------------------------------------------
# 2. Non-London forum zone (tz_hint) — 'our time' and zone-less times use tz_hint
# ---------------------------------------------------------------------------------------------
add(P, "2024-11-05 10:00",
    "Let's meet Thursday 14th November at 1pm our time.",
    [E("2024-11-14 13:00")], "'our time' = tz_hint America/New_York (EST -05:00)", tz=NY)
add(P, "2024-11-20 10:00",
    "Next meetup is Tuesday 3rd December, 19:00, at the Kreuzberg co-working space.",
    [E("2024-12-03 19:00")], "no zone = tz_hint Europe/Berlin (+01:00)", tz=BER)
add(P, "2024-10-10 10:00",
    "Call with the UK folks on Monday 21st October at 9am our time (evening for them).",
    [E("2024-10-21 09:00")], "'our time' = Australia/Sydney, in AEDT +11:00 since 6 Oct 2024", tz="Australia/Sydney")
add(P, "2024-11-01 10:00",
    "Friday 15 November 2024, 6.30pm — open session on co-op governance.",
    [E("2024-11-15 18:30")], "tz_hint Asia/Kolkata: half-hour offset +05:30", tz="Asia/Kolkata")
add(P, "2025-04-01 10:00",
    "Wed 9th April 17:00 for the Patio circle?",
    [E("2025-04-09 17:00")], "tz_hint America/Argentina/Buenos_Aires (-03:00, no DST)", tz="America/Argentina/Buenos_Aires")
add(P, "2024-02-01 10:00",
    "The London co-ops asked for Monday 12th February, 3pm UK time.",
    [E("2024-02-12 15:00", zone=LON)], "'UK time' names Europe/London even though the forum zone is New York: 15:00+00:00 (= 10am EST)", tz=NY)
add(P, "2024-11-05 12:15",
    "We start in 45 minutes!",
    [E(later("2024-11-05 12:15", 45, NY))], "relative in a non-London forum zone", tz=NY)
add(P, "2024-10-05 15:00",
    "Tomorrow at 9am for the handover call, don't forget daylight saving starts overnight.",
    [E("2024-10-06 09:00")], "Sydney DST starts 6 Oct 2024 at 02:00, so 9am tomorrow is +11:00 while posted_at is +10:00", tz="Australia/Sydney")
add(P, "2025-03-05 10:00",
    "Monday 10th March at 9am our time works for me.",
    [E("2025-03-10 09:00")], "New York: US DST began 9 Mar 2025, so -04:00", tz=NY)
add(P, "2025-10-28 10:00",
    "Let's do Tue 4 Nov 10am.",
    [E("2025-11-04 10:00")], "Los Angeles: DST ended 2 Nov 2025, so PST -08:00 (posted_at is PDT)", tz=LA)
add(P, "2025-03-27 10:00",
    "Sunday 30th March at 10:00 for the brunch meetup.",
    [E("2025-03-30 10:00")], "Berlin: CEST begins 30 Mar 2025 at 02:00, so 10:00 is +02:00", tz=BER)
add(P, "2025-01-06 10:00",
    "International call: Thursday 16 January, 15:00 UTC.",
    [E("2025-01-16 15:00", zone="UTC")], "explicit UTC overrides the Berlin forum zone", tz=BER)
add(P, "2023-10-20 10:00",
    "Monday 30 October at 10:00 for the federation assembly prep.",
    [E("2023-10-30 10:00")], "Europe/Madrid: summer time ended 29 Oct 2023, so +01:00", tz="Europe/Madrid")
add(P, "2022-10-05 10:00",
    "We met on 27-28 September in Philadelphia and talked a lot about the UK network.",
    [E("2022-09-27", "2022-09-28")], "past report in a non-London forum", tz=NY)
add(P, "2026-04-02 10:00",
    "The worker co-op conference runs 12–14 June, who's going?",
    [E("2026-06-12", "2026-06-14")], "all-day range, New York forum", tz=NY)
add(P, "2026-02-09 10:00",
    "Next Thursday at 11am for the translation sprint.",
    [E(next_weekday("2026-02-09", 3) + " 11:00")], "posted Monday 9 Feb 2026 -> Thursday 12 Feb; Berlin +01:00", tz=BER)
add(P, "2025-03-11 10:00",
    "Noon ET on Friday 21 March suits the east coast crowd.",
    [E("2025-03-21 12:00", zone="ET")], "ET in EDT -04:00", tz=NY)
add(P, "2023-11-01 10:00",
    "Wednesday 8th November at 2pm for the Toronto side.",
    [E("2023-11-08 14:00")], "America/Toronto: EST from 5 Nov 2023, so -05:00 (posted_at -04:00)", tz="America/Toronto")
add(P, "2025-09-20 10:00",
    "Monday 29 September, 8am, early but it's the only overlap with Europe.",
    [E("2025-09-29 08:00")], "Pacific/Auckland: NZDT began 28 Sep 2025, so +13:00", tz="Pacific/Auckland")
add(P, "2024-07-01 10:00",
    "Thursday 11th July at 1pm in the Dublin office.",
    [E("2024-07-11 13:00")], "Europe/Dublin summer time +01:00", tz="Europe/Dublin")

# ---------------------------------------------------------------------------------------------
# 3. Hand-written markup / ISO
# ---------------------------------------------------------------------------------------------
M = "markup"
add(M, "2025-05-28 10:00",
    'Next call: [date=2025-06-10 time=18:00:00 timezone="Europe/London"]',
    [E("2025-06-10 18:00", zone=LON)], "Discourse local date with time and zone")
add(M, "2025-06-01 10:00",
    "Summer social in the park [date=2025-06-21] — bring a blanket!",
    [E("2025-06-21")], "[date] without time = all-day")
add(M, "2024-10-28 10:00",
    "Infra call [date=2024-11-05 time=16:00:00]",
    [E("2024-11-05 16:00", zone="UTC")], "[date] with time but no timezone = UTC")
add(M, "2025-05-20 10:00",
    'Workshop: [date-range from=2025-06-10T18:00:00 to=2025-06-10T20:00:00 timezone="Europe/London"]',
    [E("2025-06-10 18:00", "20:00", zone=LON)], "date-range with zone")
add(M, "2024-01-05 10:00",
    "Hack evening [date-range from=2024-01-18T17:00:00 to=2024-01-18T21:00:00]",
    [E("2024-01-18 17:00", "21:00", zone="UTC")], "date-range without timezone = UTC")
add(M, "2025-07-01 10:00",
    "Gathering weekend: [date-range from=2025-09-12 to=2025-09-14]",
    [E("2025-09-12", "2025-09-14")], "date-range without times = all-day range, inclusive end")
add(M, "2025-02-01 10:00",
    'Round-table [date=2025-02-20 time=17:30:00 format="LLLL" timezone="Europe/London" timezones="Europe/London|America/New_York|Europe/Berlin"]',
    [E("2025-02-20 17:30", zone=LON)], "extra attributes (format, timezones) do not change the event")
add(M, "2025-05-30 10:00",
    '[poll name=dates type=multiple results=always public=true chartType=bar close=2025-06-05T12:00:00.000Z]\n# When suits?\n* Tue [date=2025-06-10 time=18:00:00 timezone="Europe/London"]\n* Thu [date=2025-06-12 time=18:00:00 timezone="Europe/London"]\n[/poll]',
    [E("2025-06-10 18:00", zone=LON), E("2025-06-12 18:00", zone=LON)],
    "poll with two date options; the poll's close= time is a deadline, not an event")
add(M, "2025-05-30 10:00",
    "[poll type=regular results=on_close close=2025-06-05T12:00:00.000Z]\n* Yes, go ahead with the rebrand\n* No, keep the old name\n[/poll]",
    [], "poll close= timestamp is a deadline, not an event")
add(M, "2025-03-01 10:00",
    "Call is at 2025-03-12T14:00:00Z, see you there.",
    [E("2025-03-12T14:00:00+00:00")], "ISO timestamp in prose")
add(M, "2024-06-20 10:00",
    "Calendar invite says 2024-07-02T15:00:00+01:00 for the co-op clinic.",
    [E("2024-07-02T15:00:00+01:00")], "ISO timestamp with offset")
add(M, "2025-03-01 11:00",
    "Confirmed: 2025-03-12 14:00 UTC.",
    [E("2025-03-12 14:00", zone="UTC")], "ISO date + time + UTC")
add(M, "2024-06-20 10:00",
    "The hosting migration is scheduled for 2024-07-02, expect some downtime.",
    [E("2024-07-02")], "ISO date alone = all-day")
add(M, "2024-09-20 10:00",
    "Sprint review at 2024-10-08T18:30 (no offset on the invite, sorry).",
    [E("2024-10-08 18:30")], "ISO without offset read in the forum zone (BST)")
add(M, "2025-04-01 10:00",
    "To show times in everyone's zone, write `[date=2025-06-10 time=18:00:00 timezone=\"Europe/London\"]` in your post and Discourse converts it.",
    [], "markup inside inline code is a syntax example, not an event")
add(M, "2024-04-02 10:00",
    'US round-table: [date=2024-04-16 time=12:00:00 timezone="America/New_York"]',
    [E("2024-04-16 12:00", zone=NY)], "markup zone America/New_York (EDT)")
add(M, "2024-05-02 10:00",
    'Notes from [date=2024-04-25 time=15:00:00 timezone="Europe/London"] are on the pad.',
    [E("2024-04-25 15:00", zone=LON)], "markup dates in the past are still listed")
add(M, "2024-10-20 10:00",
    'Reminder for [date=2024-10-27 time=09:00:00 timezone="Europe/London"] — clocks change that morning.',
    [E("2024-10-27 09:00", zone=LON)], "DST end day: 09:00 is +00:00")
add(M, "2024-03-25 10:00",
    'Spring clean of the wiki on [date=2024-03-31 time=12:00:00 timezone="Europe/London"]',
    [E("2024-03-31 12:00", zone=LON)], "DST start day: 12:00 is +01:00")
add(M, "2025-05-28 11:00",
    'Tuesday 10th June at 6pm ([date=2025-06-10 time=18:00:00 timezone="Europe/London"])',
    [E("2025-06-10 18:00", zone=LON)], "prose and markup name the same instant: one event")
add(M, "2025-11-10 10:00",
    'Hosted by our Berlin friends: [date=2025-11-20 time=19:00:00 timezone="Europe/Berlin"]',
    [E("2025-11-20 19:00", zone=BER)], "markup zone Berlin (+01:00) in a London forum")
add(M, "2023-02-01 10:00",
    'Clinic [date=2023-02-15 time=09:30 timezone="Europe/London"]',
    [E("2023-02-15 09:30", zone=LON)], "time without seconds")
add(M, "2025-08-20 10:00",
    'Gathering countdown: [date=2025-09-12 time=10:00:00 timezone="Europe/London" countdown=true]',
    [E("2025-09-12 10:00", zone=LON)], "countdown attribute")
add(M, "2025-08-01 10:00",
    'Venue booked [date-range from=2025-09-12T18:00:00 to=2025-09-14T14:00:00 timezone="Europe/London"]',
    [E("2025-09-12 18:00", "2025-09-14 14:00", zone=LON)], "timed range across days")
add(M, "2025-01-10 10:00",
    'Options:\n* Mon [date=2025-01-20 time=15:00:00 timezone="Europe/London"]\n* Wed [date=2025-01-22 time=15:00:00 timezone="Europe/London"]\n* Fri [date=2025-01-24]',
    [E("2025-01-20 15:00", zone=LON), E("2025-01-22 15:00", zone=LON), E("2025-01-24")],
    "bullet list mixing timed and all-day markup")
add(M, "2024-11-01 10:00",
    "Meeting notes: https://pad.coops.tech/p/cotech-2024-10-29-notes",
    [], "a date inside a URL path is not an event")
add(M, "2025-02-20 10:00",
    'Our US partners: [date=2025-03-10 time=11:00:00 timezone="America/New_York"]',
    [E("2025-03-10 11:00", zone=NY)], "NY already on EDT (9 Mar) while London on GMT", tz=NY)
add(M, "2025-02-20 10:00",
    "Stammtisch [date=2025-03-06 time=19:00:00]",
    [E("2025-03-06 19:00", zone="UTC")], "markup without timezone is UTC even in a Berlin forum", tz=BER)


# ---------------------------------------------------------------------------------------------
# 4. Hand-written negatives
# ---------------------------------------------------------------------------------------------
def neg(sub: str, posted: str, text: str, notes: str, tz: str = LON) -> None:
    add("neg:" + sub, posted, text, [], notes, tz)


neg("count", "2024-03-10 12:00", "We now have 42 member co-ops and roughly 1500 members between us.", "counts")
neg("count", "2019-10-01 12:00", "Around 20 people turned up to the gathering, more than we'd hoped.", "count; no date")
neg("count", "2023-05-05 12:00", "Room 101 is ours for the breakout, it seats 12.", "room number and capacity")
neg("count", "2022-04-12 12:00", "Twenty-three co-ops answered the survey, 9 of them outside London.", "counts")
neg("count", "2021-09-14 12:00", "This is our 5th AGM and the 3rd one held online.", "ordinals that are not days of a month")
neg("count", "2025-01-14 12:00", "It's on the 4th floor, take the lift at the back.", "floor number")
neg("count", "2024-08-01 12:00", "The 1st draft of the MoU is on the pad, comments welcome.", "ordinal, not a date")
neg("count", "2020-11-03 12:00", "We came 2nd in the co-op awards, which is amazing for a 7-person co-op.", "ordinal and count")
neg("count", "2023-09-19 12:00", "About 3/4 of members voted in favour of the merger.", "fraction, not 3 April")
neg("count", "2024-06-18 12:00", "A 50/50 split between the two co-ops seemed fair.", "ratio, not a date")
neg("count", "2022-06-06 12:00", "We offer 24/7 support on the premium hosting tier.", "'24/7' is not 24 July")
neg("count", "2025-02-11 12:00", "10/10 would attend again :slight_smile:", "rating, not 10 October")
neg("count", "2021-02-02 12:00", "We need 4-6 people for the panel and 2-3 for the stall.", "number ranges, not dates or times")
neg("count", "2023-01-31 12:00", "Pages 10-11 of the handbook explain the process.", "page range")
neg("count", "2024-02-13 12:00", "See clause 7.3 and section 12.1 of the rules.", "clause numbers look like dotted times or dates")
neg("count", "2020-07-07 12:00", "Item 3.4 on the agenda is the hosting budget.", "agenda item")
neg("count", "2026-01-20 12:00", "The ratio of developers to designers is about 3:1 across the network.", "ratio with a colon is not a time")
neg("count", "2025-05-12 12:00", "On 3 of the 5 days we had more than 30 visitors.", "counts; 'On 3' is not a date")
neg("price", "2024-04-02 12:00", "Hosting costs £30 a month per co-op, or £300 a year.", "prices")
neg("price", "2023-03-03 12:00", "Please chip in £20 on the 5th when the invoice goes out.", "price; 'on the 5th' with no month is too vague")
neg("price", "2025-09-09 12:00", "Tickets are £12.50 (£7.50 concessions).", "prices with decimals are not times")
neg("price", "2023-02-14 12:00", "The service brings in over £1000 in monthly recurring revenue.", "money")
neg("price", "2022-08-30 12:00", "Day rates across the network range from £350 to £600.", "money range")
neg("duration", "2024-03-12 12:00", "The migration took 2.5 days in the end.", "duration")
neg("duration", "2023-10-10 12:00", "Sessions will be 30 minutes each, with a 10 minute break.", "durations")
neg("duration", "2022-01-18 12:00", "The call will last about 90 minutes.", "duration")
neg("duration", "2021-05-25 12:00", "Lightning talks are strictly 3 minutes, no exceptions!", "duration")
neg("duration", "2025-06-30 12:00", "We spent 2 hours on the budget and still didn't finish.", "duration (contrast 'in 2 hours')")
neg("duration", "2024-09-24 12:00", "It takes 10 minutes to walk from the station.", "duration (contrast 'in 10 minutes')")
neg("duration", "2020-09-15 12:00", "Give it half an hour and refresh the page, DNS can be slow.", "instruction to wait, not an event")
neg("duration", "2023-07-18 12:00", "I'm heading on holiday for three weeks, back after that.", "duration")
neg("duration", "2025-04-29 12:00", "Two days of presentations was a lot, maybe one next time?", "duration")
neg("version", "2024-05-07 12:00", "We're running Discourse 3.2.1 now; the upgrade from v2.3.1 was painless.", "version numbers")
neg("version", "2023-04-25 12:00", "New box is on Ubuntu 22.04 with Python 3.12 and Postgres 16.", "'22.04' is a version, not 22:04 or 22 April")
neg("version", "2025-06-10 12:00", "Version 2024.06.1 of the app is out, changelog linked.", "calendar-style version number")
neg("version", "2022-11-15 12:00", "Nextcloud 25.0.1 fixed the sync bug for us.", "version")
neg("version", "2021-08-03 12:00", "Upgrade to Node 18.12 before the 1.5 release please.", "versions")
neg("code", "2024-07-02 10:00", "Meeting ID: 845 2231 0098, passcode 5531", "meeting id and passcode")
neg("code", "2023-08-08 10:00", "Access code is 913447 if the link asks.", "access code")
neg("code", "2025-02-25 10:00", "Invoice INV-2024-0702 is attached.", "invoice reference containing digits like a date")
neg("code", "2022-03-15 10:00", "Our registered society number is 31415R.", "registration number")
neg("code", "2024-12-03 10:00", "The pad is at https://pad.example.coop/p/gathering-2024 and the room PIN is 2024.", "URL and PIN")
neg("phone", "2019-05-14 10:00", "Give us a ring on 0161 496 0732 or +44 20 7946 0958.", "phone numbers")
neg("phone", "2023-06-27 10:00", "Dial-in: 020 3481 5237, then PIN 7712#", "phone number and PIN; no date")
neg("year", "2025-04-15 12:00", "CoTech was founded in 2016 and has grown ever since.", "bare year")
neg("year", "2024-01-09 12:00", "Our plans for 2025 are on the roadmap page.", "bare year")
neg("year", "2022-02-22 12:00", "Since 2019 we've grown from four members to eleven.", "bare year; counts")
neg("year", "2020-01-21 12:00", "Back in 2018 we hosted the gathering in Manchester.", "bare year")
neg("year", "2024-10-08 12:00", "The 2023/24 accounts are filed and the 2024/25 budget is on the wiki.", "financial years")
neg("year", "2026-02-17 12:00", "Q3 was quiet for us but Q4 is looking busier.", "quarters")
neg("year", "2023-11-21 12:00", "The 2019–2022 funding round paid for the servers.", "year range")
neg("year", "2025-03-18 12:00", "Our financial year ending 31 March 2024 was the best yet.", "period end date in an accounting phrase, not an event")
neg("month", "2024-01-29 12:00", "Worker Co-op Weekend is in May again, same venue I think.", "month alone")
neg("month", "2024-02-20 12:00", "Maybe June would suit everyone better?", "month alone")
neg("month", "2025-04-15 12:00", "Agile Collective will host the next gathering in Oxford this Autumn.", "season alone")
neg("month", "2023-01-10 12:00", "Let's aim for early spring for the in-person one.", "season")
neg("month", "2022-06-01 12:00", "Mid-September works better for us than August.", "vague part of a month")
neg("month", "2024-04-16 12:00", "We want the rebrand done by July 2025.", "month + year with a deadline; no day")
neg("month", "2019-11-12 12:00", "Sometime in the new year?", "vague")
neg("month", "2020-10-06 12:00", "Before Christmas would be ideal for the social.", "vague")
neg("month", "2025-07-08 12:00", "The Coops Congress is in Rochdale in July, worth going.", "month alone")
neg("month", "2021-04-20 12:00", "End of March is year end for most of us, so accounts are busy.", "vague")
neg("month", "2023-08-15 12:00", "Spring/summer 2024 for the next big gathering?", "seasons")
neg("span", "2023-03-06 12:00", "They're keen on a first meeting in a couple of weeks.", "vague span")
neg("span", "2022-07-12 12:00", "Let's regroup in a fortnight.", "vague span")
neg("span", "2024-10-15 12:00", "I'll post the poll next month.", "next month")
neg("span", "2025-01-28 12:00", "I'll have a draft up in a week's time.", "vague span")
neg("span", "2021-12-07 12:00", "Later this year we'll look at pooling our hosting.", "vague")
neg("span", "2020-03-03 12:00", "Over the next few days I'll contact each co-op.", "vague")
neg("span", "2026-05-12 12:00", "Can we find a slot at some point next week?", "next week, no day")
neg("span", "2019-07-23 12:00", "The site should launch by the end of the month.", "vague deadline")
neg("span", "2024-11-19 12:00", "In about 3 weeks we'll know whether the bid was successful.", "vague span")
neg("time", "2023-03-13 12:00", "Calls usually start at 17.30 our time.", "time without date (and habitual)")
neg("time", "2025-05-20 12:00", "I'm free after 3pm most days.", "time without date")
neg("time", "2024-02-06 12:00", "Could we make it 10am instead of 9?", "times without a date")
neg("time", "2022-09-20 12:00", "The venue opens at 09:00 and we need to be out by 18:00.", "times without a date")
neg("time", "2021-10-12 12:00", "Lunch is at 12.30, then the afternoon sessions.", "time without date")
neg("time", "2023-12-12 12:00", "We'll need 2-3 volunteers for the 10:00-13:00 shift.", "time range without date")
neg("time", "2024-08-20 12:00", "Our office hours are 9-5, UK time.", "working hours")
neg("time", "2020-05-19 12:00", "Replied at 14:32, sorry for the slow response.", "timestamp of a message, no date")
neg("time", "2025-10-07 12:00", "Noon is a bit early for the West Coast folks.", "'noon' without a date")
neg("recurring", "2023-01-24 12:00", "I can usually do Tues AM or Thurs PM.", "recurring availability")
neg("recurring", "2024-03-26 12:00", "The general circle meets every other Thursday at 2pm.", "recurring")
neg("recurring", "2022-05-17 12:00", "Monthly calls are on the first Monday of each month at 11am.", "recurring")
neg("recurring", "2025-08-12 12:00", "We do stand-ups every weekday at 9:30.", "recurring")
neg("recurring", "2021-07-06 12:00", "Fridays are our no-meeting days.", "recurring")
neg("recurring", "2024-12-10 12:00", "Socials happen on the last Wednesday of the month, 6pm-ish.", "recurring")
neg("recurring", "2019-03-05 12:00", "Available Mon/Weds afternoons, Fri mornings.", "recurring availability")
neg("recurring", "2026-06-16 12:00", "We keep the monthly general circle calls going through the summer.", "recurring, no date")
neg("past", "2023-02-07 12:00", "We talked about this last week, see the notes.", "vague past")
neg("past", "2023-04-24 12:00", "Those slots are in the past now, sorry, I'll find new ones.", "no date")
neg("past", "2024-01-16 12:00", "A while back we tried a shared Mattermost.", "vague past")
neg("past", "2024-02-27 12:00", "The discussion hasn't moved since last May or so.", "vague past")
neg("past", "2025-05-06 12:00", "A couple of weeks later I followed up with Doug about pre-mortems.", "vague past")
neg("past", "2022-10-18 12:00", "Thanks for joining the chat just now!", "vague, no date")
neg("past", "2021-03-09 12:00", "I couldn't make Thursday's call, did I miss much?", "past weekday without date or time")
neg("deadline", "2024-04-20 12:00", "Please reply by Friday 3rd May if you want a place.", "deadline, not an event")
neg("deadline", "2023-05-30 12:00", "The deadline for submissions is 12th June.", "deadline")
neg("deadline", "2024-08-27 12:00", "Nominations close at 5pm on Monday 9th September.", "deadline with time, still not an event")
neg("deadline", "2025-02-10 12:00", "Voting closes on 28th February at midnight.", "deadline")
neg("deadline", "2026-03-03 12:00", "Get your expenses to me before 31st March please.", "deadline")
neg("deadline", "2025-04-01 12:00", "Early-bird tickets are available until 30 April.", "deadline")
neg("deadline", "2024-07-01 12:00", "The poll will close on Sunday 14th July.", "poll close = deadline")
neg("deadline", "2025-08-05 12:00", "Applications must be in no later than 1 October 2025.", "deadline")
neg("deadline", "2022-11-29 12:00", "RSVP by Tuesday 6th December so we can order food.", "deadline")
neg("deadline", "2023-12-01 12:00", "Our lease on the office runs out on 31st December.", "end of a contract, not an event")
neg("deadline", "2019-09-03 12:00", "Please send slides by 5pm on Friday 13th September at the latest.", "deadline with time")
neg("vague-day", "2024-06-25 12:00", "Hope to see a few of you on the 2nd!", "'the 2nd' with no month in this text is too vague")
neg("vague-day", "2025-01-07 12:00", "The invoice run is on the 15th.", "no month")
neg("vague-day", "2023-08-29 12:00", "I'm away until the 20th, back after that.", "no month; also an absence, not an event")
neg("vague-day", "2022-02-15 12:00", "I can't do Thursday, sorry.", "weekday without time: a constraint, not an event")
neg("misc", "2023-01-02 12:00", "Happy New Year everyone! :tada:", "greeting")
neg("misc", "2024-04-23 12:00", ":clock3: I'm on UTC+2 this week, so replies might be slow.", "zone without a date or time")
neg("misc", "2025-05-13 12:00", "Next steps:\n\n- Doug to set up booking slots\n- Ask @chris for a subdomain\n- Everyone: think about the copy", "action list, no dates")
neg("misc", "2020-06-30 12:00", "Minutes are in the file minutes-2020-06-23.pdf on the drive.", "date inside a filename is not an event")
neg("misc", "2026-04-07 12:00", "Posted this 2 hrs ago but nobody's replied :thinking:", "relative past duration")
neg("misc", "2024-09-03 12:00", "We're five hours ahead of New York, so mornings are tricky.", "zone difference, not an event")
neg("misc", "2019-02-19 12:00", "The 9-5 job isn't for everyone, that's why co-ops appeal.", "'9-5' is an idiom, not a time range")

# Whole negative posts
neg("post", "2023-01-20 09:00",
    "Morning folks. Notes from Thursday's chat are on the pad. Next steps:\n\n1. Doug sets up booking slots\n2. Chris sorts a subdomain\n3. Everyone else: have a think about copy\n\nNo date for the next call yet — I'll put up a poll.",
    "whole post with no concrete date")
neg("post", "2019-09-25 12:00",
    "Great weekend at the gathering in Wortley — 40 or so people, 20 co-ops. Minutes to follow. Next one likely in the spring.",
    "vague past and a season")
neg("post", "2025-04-22 12:00",
    "Two years on I still think about my first gathering in 2022. We stayed in a big house, about fifteen of us, and talked till 2am. If anyone wants to host one in Leeds this year, I'm in!",
    "bare years, a count and a time of night in a past anecdote with no date")
neg("post", "2024-02-06 12:00",
    "**Budget update**\n\n| Item | Cost |\n|---|---|\n| Hosting | £1,200 |\n| Domains | £85.50 |\n\nWe spent 40% of Q1's budget by 14:00 on day one of the sale, lol. More in the 2024/25 plan.",
    "table of prices, a quarter, a financial year, a time with no date")
neg("post", "2023-04-20 12:00",
    "Well, both of those proposed dates came and went without a reply from them. Parking this until they're ready.",
    "no concrete date")
neg("post", "2022-08-16 12:00",
    "Reminder of how we run things: calls every other Tuesday at 4pm UK, socials on the last Friday of the month, and the gathering once a year, usually in autumn.",
    "recurring schedule only")
neg("post", "2021-06-22 12:00",
    "The new server has 64 GB RAM, 2 x 1.92 TB NVMe and sits in rack 12. Uptime since 03:15 last night has been solid.",
    "hardware numbers and a past time of night")

neg("count", "2024-05-21 12:00", "Zählerstand: 1.234 members across 12 countries in the Patio network.", "counts with a European thousands separator", tz=BER)
neg("time", "2025-02-18 12:00", "We're at 10am our time most days if you want to call.", "time without date in a non-London forum", tz=NY)
neg("recurring", "2024-09-10 12:00", "Our calls are every Tuesday at 18:00 our time.", "recurring, Berlin forum", tz=BER)
neg("deadline", "2023-03-14 12:00", "Please register by Friday 31 March so we can plan.", "deadline in a New York forum", tz=NY)

# A deadline plus an event in one post
add(P, "2024-04-20 12:00",
    "Please vote on the motions by 3rd May; the AGM itself is on Saturday 18th May at 11am.",
    [E("2024-05-18 11:00")], "the vote deadline is not an event; the AGM is")
add(P, "2025-06-03 12:00",
    "Poll closes Friday 13 June. Whatever wins, the call will be on Wednesday 18 June at 5pm.",
    [E("2025-06-18 17:00")], "poll close is a deadline; the call is the event")

# ---------------------------------------------------------------------------------------------
# 5. Poll options
# ---------------------------------------------------------------------------------------------
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD3 = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WDUK = ["Mon", "Tues", "Weds", "Thurs", "Fri", "Sat", "Sun"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONUK = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def h12(h: int, m: int, sep: str = ".") -> tuple[str, str]:
    hh = h % 12 or 12
    return (f"{hh}" if m == 0 else f"{hh}{sep}{m:02d}"), ("am" if h < 12 else "pm")


def fmt_range12(h1: int, m1: int, h2: int, m2: int, sep: str = ".", dash: str = "-") -> str:
    a, mer1 = h12(h1, m1, sep)
    b, mer2 = h12(h2, m2, sep)
    return f"{a}{dash}{b}{mer2}" if mer1 == mer2 else f"{a}{mer1}{dash}{b}{mer2}"


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def poll(posted: str, options: list[tuple[str, list[dict]]], notes: str, tz: str = LON) -> None:
    for text, events in options:
        add("poll", posted, text, events, notes, tz)


# The real thread's format: '3-4pm Monday 26th February 2024'
def opt_a(day: str, h1: int, h2: int) -> tuple[str, list[dict]]:
    x = d(day)
    text = f"{fmt_range12(h1, 0, h2, 0)} {WEEKDAYS[x.weekday()]} {ordinal(x.day)} {MONTHS[x.month - 1]} {x.year}"
    return text, [E(f"{day} {h1:02d}:00", f"{h2:02d}:00")]


poll("2019-10-14 12:00", [opt_a(s, 14, 15) for s in ["2019-10-21", "2019-10-22", "2019-10-24", "2019-10-28", "2019-10-29", "2019-10-31"]],
     "date-poll option in the real thread's format; the UK leaves BST on 27 Oct 2019, so options before are +01:00 and after are +00:00")
poll("2023-02-27 12:00", [opt_a(s, 10, 11) for s in ["2023-03-20", "2023-03-23", "2023-03-27", "2023-03-30"]],
     "date-poll option; BST starts 26 Mar 2023, so 20/23 Mar are +00:00 and 27/30 Mar +01:00")


def opt_b(day: str, start: str, end: str) -> tuple[str, list[dict]]:
    x = d(day)
    return f"{WDUK[x.weekday()]} {ordinal(x.day)} {MON3[x.month - 1]}, {start}-{end}", [E(f"{day} {start}", end)]


poll("2024-10-28 12:00", [opt_b(s, "12:30", "13:30") for s in ["2024-11-04", "2024-11-05", "2024-11-07", "2024-11-11", "2024-11-14"]],
     "date-poll option 'Thurs 7th Nov, 12:30-13:30' style; implicit year; GMT")


def opt_c(day: str, h: int) -> tuple[str, list[dict]]:
    x = d(day)
    a, mer = h12(h, 0)
    return f"{WDUK[x.weekday()]} {x.day} {MONUK[x.month - 1]} {a}{mer}", [E(f"{day} {h:02d}:00")]


poll("2024-03-01 12:00", [opt_c(s, 10) for s in ["2024-03-13", "2024-03-14", "2024-03-20", "2024-03-28", "2024-04-02", "2024-04-03"]],
     "date-poll option 'Weds 13 March 10am' style; BST begins 31 Mar 2024 so April options are +01:00")


def opt_d(day: str, hm: str, zone_word: str, zone: str) -> tuple[str, list[dict]]:
    x = d(day)
    return f"{WD3[x.weekday()]} {x.day} {MON3[x.month - 1]} {hm} {zone_word}", [E(f"{day} {hm}", zone=zone)]


poll("2025-06-16 12:00", [opt_d(s, "14:00", "BST", "BST") for s in ["2025-07-01", "2025-07-03", "2025-07-08"]]
     + [opt_d(s, "13:00", "UTC", "UTC") for s in ["2025-07-02", "2025-07-09"]],
     "date-poll option with an explicit zone (BST +01:00 or UTC)")


def opt_allday(day: str) -> tuple[str, list[dict]]:
    x = d(day)
    return f"{WEEKDAYS[x.weekday()]} {ordinal(x.day)} {MONTHS[x.month - 1]}", [E(day)]


poll("2021-01-11 12:00", [opt_allday(s) for s in ["2021-02-06", "2021-02-13", "2021-02-20", "2021-02-27"]],
     "date-poll option without a time -> all-day")
poll("2026-04-20 12:00", [opt_allday(s) for s in ["2026-06-13", "2026-06-20", "2026-06-27"]],
     "date-poll option without a time -> all-day")


def opt_f(day: str, hm: str, zone_word: str, zone: str) -> tuple[str, list[dict]]:
    x = d(day)
    return f"{WEEKDAYS[x.weekday()]} {x.day} {MONTHS[x.month - 1]} {x.year} – {hm} {zone_word}", [E(f"{day} {hm}", zone=zone)]


poll("2026-10-12 12:00", [opt_f("2026-10-22", "17:00", "UTC", "UTC"), opt_f("2026-10-29", "17:00", "UTC", "UTC"),
                          opt_f("2026-10-22", "17:00", "UK time", LON), opt_f("2026-10-29", "17:00", "UK time", LON)],
     "date-poll option either side of the UK's return to GMT (25 Oct 2026): 'UK time' is +01:00 on 22 Oct, +00:00 on 29 Oct; UTC stays +00:00")


def opt_j(day: str, start: tuple[int, int], end: tuple[int, int]) -> tuple[str, list[dict]]:
    x = d(day)
    a, m1 = h12(*start, ":")
    b, m2 = h12(*end, ":")
    return (f"{a}{m1} - {b}{m2}, {WEEKDAYS[x.weekday()]} {x.day} {MONTHS[x.month - 1]}",
            [E(f"{day} {start[0]:02d}:{start[1]:02d}", f"{end[0]:02d}:{end[1]:02d}")])


poll("2022-12-05 12:00", [opt_j(s, (10, 0), (11, 30)) for s in ["2022-12-14", "2023-01-04", "2023-01-05", "2023-01-11"]],
     "date-poll option, time first; January options roll over into 2023")


def opt_g(day: str, hm: str) -> tuple[str, list[dict]]:
    return f"{day} {hm}", [E(f"{day} {hm}")]


poll("2020-06-22 12:00", [opt_g("2020-07-01", "15:00"), opt_g("2020-07-02", "15:00"), opt_g("2020-07-06", "10:00")],
     "ISO-like date-poll option without zone -> forum zone (BST)")


def opt_h(day: str, h: int) -> tuple[str, list[dict]]:
    x = d(day)
    a, mer = h12(h, 0)
    return f"{WD3[x.weekday()]} {x.day}/{x.month}, {a}{mer}", [E(f"{day} {h:02d}:00")]


poll("2023-02-27 13:00", [opt_h(s, 15) for s in ["2023-03-06", "2023-03-07", "2023-03-09"]],
     "date-poll option with UK day/month 'Mon 6/3' (6 March), implicit year")
poll("2024-05-06 12:00", [(f"{WEEKDAYS[d(s).weekday()]} {d(s).day} {MONTHS[d(s).month - 1]}, 18:00", [E(f"{s} 18:00")])
                          for s in ["2024-05-15", "2024-05-16", "2024-05-22"]],
     "date-poll option in a Berlin forum: zone-less time = tz_hint (+02:00)", tz=BER)
poll("2025-02-24 12:00", [(f"{WD3[d(s).weekday()]} {MON3[d(s).month - 1]} {d(s).day}, 1pm", [E(f"{s} 13:00")])
                          for s in ["2025-03-04", "2025-03-06", "2025-03-11", "2025-03-13"]],
     "US-style date-poll option in a New York forum; US DST begins 9 Mar 2025 so 4/6 Mar are -05:00 and 11/13 Mar -04:00", tz=NY)
poll("2026-03-16 12:00", [(f"{WEEKDAYS[d(s).weekday()]} {d(s).day} {MONTHS[d(s).month - 1]}, 5pm", [E(f"{s} 17:00")])
                          for s in ["2026-03-26", "2026-03-27", "2026-03-31", "2026-04-01"]],
     "date-poll option around the UK's BST start (29 Mar 2026)")
poll("2019-06-10 12:00", [(f"{fmt_range12(h, 0, h + 1, 30)}, {WDUK[d(s).weekday()]} {ordinal(d(s).day)} {MONTHS[d(s).month - 1]}", [E(f"{s} {h:02d}:00", f"{h + 1:02d}:30")])
                          for s, h in [("2019-06-17", 11), ("2019-06-18", 14), ("2019-06-20", 16)]],
     "date-poll option with a 90-minute 12h range, e.g. '11am-12.30pm' / '2-3.30pm'")
poll("2025-11-17 12:00", [(f"{WEEKDAYS[d(s).weekday()]} {ordinal(d(s).day)} {MONTHS[d(s).month - 1]} {t}", [E(f"{s} {hm}")])
                          for s, t, hm in [("2025-12-02", "@ noon", "12:00"), ("2025-12-03", "@ 12.30", "12:30"), ("2025-12-09", "@ midday", "12:00")]],
     "date-poll option with noon/midday/dotted time")
poll("2024-02-20 12:00", [("2-3pm Wednesday 13th March 2023", [E("2024-03-13 14:00", "15:00")])],
     "typo: 13 Mar 2023 was a Monday and in the past; Wednesday 13 Mar 2024 fits the weekday and the other options")
poll("2023-09-01 12:00", [("Mon 11th Sept, 6pm", [E("2023-09-11 18:00")]), ("Tue 12th Sept, 6pm", [E("2023-09-12 18:00")]),
                          ("Wed 14th Sept, 6pm", [E("2023-09-14 18:00")])],
     "date-poll options; the third has a weekday typo (14 Sep 2023 is a Thursday, the Wednesday is the 13th): labelled as the date as written")
poll("2021-05-04 12:00", [("None of these work for me", []), ("Any of the above", []), ("I'd prefer an evening", []),
                          ("Can't make it, please send notes", [])],
     "non-date poll option")
add("poll", "2024-02-20 12:00",
    "[poll type=multiple results=always public=true]\n* 3-4pm Monday 4th March 2024\n* 3-4pm Wednesday 6th March 2024\n* 3-4pm Thursday 7th March 2024\n[/poll]",
    [E("2024-03-04 15:00", "16:00"), E("2024-03-06 15:00", "16:00"), E("2024-03-07 15:00", "16:00")],
    "a whole poll block: one event per option")
add("poll", "2025-09-22 12:00",
    "Poll for the first planning call:\n\n* Wednesday 1st October, 12:30–13:30\n* Thursday 2nd October, 12:30–13:30\n* Neither, suggest another time below",
    [E("2025-10-01 12:30", "13:30"), E("2025-10-02 12:30", "13:30")],
    "poll-like list: two options and a non-date option")


# ---------------------------------------------------------------------------------------------
# 6. Templated prose (text rendered from the label's own date)
# ---------------------------------------------------------------------------------------------
rng = random.Random(20240702)


def london_offset_hours(day: dt.date, zone: str) -> float:
    return aware(f"{day} 12:00", zone).utcoffset().total_seconds() / 3600


def fmt_date(x: dt.date, style: str, year: bool) -> str:
    y = f" {x.year}" if year else ""
    yc = f", {x.year}" if year else ""
    wd, w3, wuk = WEEKDAYS[x.weekday()], WD3[x.weekday()], WDUK[x.weekday()]
    mo, m3, muk = MONTHS[x.month - 1], MON3[x.month - 1], MONUK[x.month - 1]
    o = ordinal(x.day)
    return {
        "o_M": f"{o} {mo}{y}",
        "M_o": f"{mo} {o}{yc}",
        "d_M": f"{x.day} {mo}{y}",
        "M_d": f"{mo} {x.day}{yc}",
        "W_o_M": f"{wd} {o} {mo}{y}",
        "W_d_M": f"{wd} {x.day} {mo}{y}",
        "w_d_m": f"{w3} {x.day} {m3}{y}",
        "wuk_o_muk": f"{wuk} {o} {muk}{y}",
        "W_the_o_of_M": f"{wd} the {o} of {mo}{y}",
        "W_c_M_d": f"{wd}, {mo} {x.day}{yc}",
        "W_c_o_M": f"{wd}, {o} {mo}{y}",
        "slash": f"{x:%d/%m/%Y}",
        "iso": x.isoformat(),
    }[style]


DATE_STYLES = ["o_M", "M_o", "d_M", "M_d", "W_o_M", "W_o_M", "W_d_M", "w_d_m", "wuk_o_muk", "W_the_o_of_M",
               "W_c_M_d", "W_c_o_M"]
YEAR_ONLY_STYLES = ["slash", "iso"]


def pick_date_text(x: dt.date, force_year: bool | None = None) -> tuple[str, str]:
    year = rng.random() < 0.3 if force_year is None else force_year
    if year and rng.random() < 0.25:
        style = rng.choice(YEAR_ONLY_STYLES)
    else:
        style = rng.choice(DATE_STYLES)
    text = fmt_date(x, style, year)
    if rng.random() < 0.05:
        text = text.replace(" ", "\u00a0", 1)
    return text, ("explicit year" if year or style in YEAR_ONLY_STYLES else "year implicit")


def fmt_time(h: int, m: int, zone_word: str) -> str:
    styles = ["ampm", "ampm", "ampm_colon", "ampm_space", "h24", "h24", "h24dot", "pdots"]
    if zone_word.strip() in ("UTC", "GMT", "BST"):
        styles.append("compact")
    if (h, m) == (12, 0):
        styles += ["noon", "midday"]
    style = rng.choice(styles)
    a, mer = h12(h, m, ":" if style == "ampm_colon" else ".")
    return {
        "ampm": f"{a}{mer}",
        "ampm_colon": f"{a}{mer}",
        "ampm_space": f"{a} {mer}",
        "pdots": f"{a} {mer[0]}.m.",
        "h24": f"{h:02d}:{m:02d}",
        "h24dot": f"{h:02d}.{m:02d}",
        "compact": f"{h:02d}{m:02d}",
        "noon": "noon",
        "midday": "midday",
    }[style]


def fmt_range(h1: int, m1: int, h2: int, m2: int) -> str:
    style = rng.choice(["compact", "compact", "full", "h24", "h24dash", "h24dot"])
    if style == "compact":
        return fmt_range12(h1, m1, h2, m2, rng.choice([".", ":"]))
    if style == "full":
        a, mer1 = h12(h1, m1, ":")
        b, mer2 = h12(h2, m2, ":")
        return f"{a}{mer1} - {b}{mer2}"
    if style == "h24":
        return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"
    if style == "h24dash":
        return f"{h1:02d}:{m1:02d}–{h2:02d}:{m2:02d}"
    return f"{h1:02d}.{m1:02d} - {h2:02d}.{m2:02d}"


def pick_zone(x: dt.date, tz: str) -> tuple[str, str, str]:
    """(suffix written after the time, zone used for the label, note)."""
    if tz != LON:
        return rng.choice([("", tz, f"no zone = tz_hint {tz}")] * 3
                          + [(" our time", tz, f"'our time' = tz_hint {tz}"), (" UTC", "UTC", "explicit UTC")])
    opts = [("", LON, "no zone = forum zone")] * 7 + [
        (" UK time", LON, "'UK time' = forum zone"),
        (" our time", LON, "'our time' = forum zone"),
        (" (London time)", LON, "London time"),
        (" UTC", "UTC", "explicit UTC"),
        (" UTC", "UTC", "explicit UTC"),
        (" GMT", "GMT", "GMT = UTC+0"),
        (" ET", "ET", "ET = America/New_York local time"),
        (" PT", "PT", "PT = America/Los_Angeles local time"),
    ]
    if london_offset_hours(x, LON) == 1:
        opts.append((" BST", "BST", "BST +01:00"))
    opts.append((" CEST", "CEST", "CEST +02:00") if london_offset_hours(x, BER) == 2 else (" CET", "CET", "CET +01:00"))
    return rng.choice(opts)


def offset_note(x: dt.date, zone: str) -> str:
    if zone == LON:
        return "BST" if london_offset_hours(x, LON) == 1 else "GMT"
    return ""


def rand_posted(tz: str = LON, last: dt.date = dt.date(2026, 6, 30)) -> tuple[str, dt.date]:
    first = dt.date(2019, 1, 3)
    day = first + dt.timedelta(days=rng.randrange((last - first).days))
    return f"{day} {rng.randint(8, 19):02d}:{rng.choice(range(0, 60, 5)):02d}", day


FUT_TIMED = [
    "We're going to have a call {w} to carry on the MoU discussion, link to follow.",
    "Next general circle call is {w}. Agenda's on the pad, add anything you like.",
    "I've booked the big room at Space4 {w} for the show and tell.",
    "Reminder that the AGM is {w}. Proxy forms are on the wiki.",
    "Proposed: an online round-table with the US tech co-ops {w}.",
    "The next hack night is {w} at the Outlandish office, pizza provided :pizza:",
    "Kicking off the website refresh working group {w}, all welcome.",
    "Can we meet {w}? I've got clashes the rest of that week.",
    "**Save the date:** member onboarding session {w}",
    "Doug's running a short workshop on pricing {w}, details [here](https://example.coop/pricing).",
    "Our finance circle will meet {w} to sign off the accounts.",
    "We've pencilled in a call with Patio {w}; shout if that's a problem.",
    "Hi all :wave: open office hours {w} for anyone co-op curious.",
    "Intro call for new members {w} on Jitsi: https://meet.jit.si/cotech-intro",
    "Heads up: the servers.coop maintenance chat is {w}.",
    "I'll host a retro on the gathering {w}.",
    "Would a quick catch-up on the rebrand {w} work for people?",
    "The governance working group meets {w} (access code 2297).",
    "Let's have the follow-up call {w}, same link as before.",
    "Panel discussion on platform co-ops {w} at the Brighton hub.",
    "Co-op clinic pilot: first volunteer session {w}.",
    "I've sent the invite for {w}; if you didn't get it, reply here.",
    "The Loomio proposal will be discussed {w}, please read it beforehand.",
    "Digital Candle volunteers' debrief {w}.",
    "Copywriting jam for the landing page {w}, bring ideas!",
]

FUT_ALLDAY = [
    "The next in-person gathering will be on {D} at SPACE4.",
    "Co-ops Congress is on {D} this year, so let's not clash with that.",
    "Save the date: CoTech day at the Leeds hub, {D}.",
    "Agile Collective have offered to host us in Oxford on {D}.",
    "I'll be at the Stir to Action fair on {D} if anyone wants to say hi.",
    "Tech for Good meetup on {D}, anyone going?",
    "The servers will be migrated on {D}; expect a little downtime.",
    "Open Data Day is {D} and a couple of us are running a stall.",
]

FUT_RANGE = [
    "The Workers Co-op Weekend is {R}, at the usual venue.",
    "We've booked the hostel for {R}, twelve beds, first come first served.",
    "Gathering dates confirmed: {R} in Glasgow!",
    "Two-day retreat {R}, details to follow.",
    "The hackathon runs {R}.",
    "Mozfest is {R} if anyone fancies a group booking.",
]

PAST_ALLDAY = [
    "We held the autumn gathering on {R} and it was lovely to see everyone.",
    "Thanks to everyone who came on {D}; notes are on the pad.",
    "At the meetup on {D} we agreed to draft the MoU.",
    "The workshop on {D} had a great turnout.",
    "Write-up of the retreat ({R}) is finally on the blog.",
]

PAST_TIMED = [
    "Thanks to everyone who joined the call {w}; notes are on the pad.",
    "The session {w} ran over, sorry to those who had to leave.",
    "Recording of the talk {w} is now on PeerTube.",
]

EITHER = [
    "Likely dates for the round-table: {X}. Pencil them in and I'll confirm which.",
    "I could do {X}, does either suit?",
    "Options from the US side are {X}.",
    "Proposing {X} for the budget call.",
]


def timed_phrase(x: dt.date, h: int, m: int, end: tuple[int, int] | None, tz: str) -> tuple[str, str, str]:
    dtext, ynote = pick_date_text(x)
    zone_word, zone, znote = pick_zone(x, tz)
    if end is None:
        t = fmt_time(h, m, zone_word)
        form = rng.choice(["at {t}{z} on {D}", "on {D} at {t}{z}", "on {D}, {t}{z}", "on {D} @ {t}{z}"])
        phrase = form.format(t=t, z=zone_word, D=dtext)
    else:
        form = rng.choice(["on {D}, {r}{z}", "on {D} from {t1} to {t2}{z}", "{r}{z} on {D}", "on {D} ({r}{z})"])
        phrase = form.format(r=fmt_range(h, m, *end), t1=fmt_time(h, m, ""), t2=fmt_time(*end, ""), z=zone_word, D=dtext)
    extra = offset_note(x, zone)
    return phrase, zone, "; ".join(n for n in (ynote, znote, extra) if n)


def timed_event(x: dt.date, h: int, m: int, end: tuple[int, int] | None, zone: str) -> dict:
    return E(f"{x} {h:02d}:{m:02d}", None if end is None else f"{end[0]:02d}:{end[1]:02d}", zone)


def rand_slot() -> tuple[int, int, tuple[int, int] | None]:
    h = rng.randint(9, 18)
    m = rng.choice([0, 0, 0, 0, 30, 30, 15])
    if rng.random() < 0.4:
        total = h * 60 + m + rng.choice([30, 60, 60, 90, 120])
        return h, m, (total // 60, total % 60)
    return h, m, None


def range_text(a: dt.date, b: dt.date, year: bool) -> str:
    y = f" {a.year}" if year else ""
    if a.month == b.month:
        mo = MONTHS[a.month - 1]
        forms = [f"{ordinal(a.day)}-{ordinal(b.day)} {mo}{y}", f"{a.day}-{b.day} {mo}{y}",
                 f"{ordinal(a.day)} - {ordinal(b.day)} {mo}{y}", f"{a.day}–{b.day} {MON3[a.month - 1]}{y}",
                 f"{WEEKDAYS[a.weekday()]} {ordinal(a.day)} - {WEEKDAYS[b.weekday()]} {ordinal(b.day)} {mo}{y}",
                 f"{ordinal(a.day)}-{b.day} {mo}{y}", f"{a.day}-{ordinal(b.day)} {mo}{y}"]
    else:
        forms = [f"{a.day} {MONTHS[a.month - 1]} – {b.day} {MONTHS[b.month - 1]}{y}",
                 f"{WEEKDAYS[a.weekday()]} {ordinal(a.day)} {MONTHS[a.month - 1]} - {WEEKDAYS[b.weekday()]} {ordinal(b.day)} {MONTHS[b.month - 1]}{y}"]
    return rng.choice(forms)


def templated() -> None:
    non_london = [NY, BER, "Europe/Madrid", "America/Chicago", "Europe/Berlin", LA]
    # future timed
    for i in range(50):
        tz = non_london[i % len(non_london)] if i % 10 == 9 else LON
        posted, pday = rand_posted(tz)
        x = pday + dt.timedelta(days=rng.randint(2, 120))
        h, m, end = rand_slot()
        phrase, zone, note = timed_phrase(x, h, m, end, tz)
        text = FUT_TIMED[i % len(FUT_TIMED)].format(w=phrase)
        add(P, posted, text, [timed_event(x, h, m, end, zone)], "templated future event; " + note, tz)
    # future all-day
    for i in range(12):
        posted, pday = rand_posted()
        x = pday + dt.timedelta(days=rng.randint(3, 150))
        dtext, ynote = pick_date_text(x)
        add(P, posted, FUT_ALLDAY[i % len(FUT_ALLDAY)].format(D=dtext), [E(str(x))], "templated all-day event; " + ynote)
    # future ranges
    for i in range(12):
        posted, pday = rand_posted()
        a = pday + dt.timedelta(days=rng.randint(10, 150))
        b = a + dt.timedelta(days=rng.choice([1, 1, 2, 2, 3]))
        year = rng.random() < 0.35
        add(P, posted, FUT_RANGE[i % len(FUT_RANGE)].format(R=range_text(a, b, year)), [E(str(a), str(b))],
            "templated all-day range, inclusive end; " + ("explicit year" if year else "year implicit"))
    # past all-day / ranges
    for i in range(10):
        posted, pday = rand_posted()
        tpl = PAST_ALLDAY[i % len(PAST_ALLDAY)]
        a = pday - dt.timedelta(days=rng.randint(3, 90))
        if "{R}" in tpl:
            b = a + dt.timedelta(days=rng.choice([1, 2]))
            if b >= pday:
                b = pday - dt.timedelta(days=1)
            text, ev = tpl.format(R=range_text(a, b, False)), [E(str(a), str(b))]
        else:
            dtext, _ = pick_date_text(a, force_year=False)
            text, ev = tpl.format(D=dtext), [E(str(a))]
        add(P, posted, text, ev, "templated past-tense report: most recent past occurrence, listed")
    # past timed
    for i in range(6):
        posted, pday = rand_posted()
        x = pday - dt.timedelta(days=rng.randint(2, 40))
        h, m, end = rand_slot()
        phrase, zone, note = timed_phrase(x, h, m, end, LON)
        add(P, posted, PAST_TIMED[i % len(PAST_TIMED)].format(w=phrase), [timed_event(x, h, m, end, zone)],
            "templated past timed event (most recent past occurrence); " + note)
    # several candidates
    for i in range(14):
        tz = NY if i == 13 else LON
        posted, pday = rand_posted(tz)
        a = pday + dt.timedelta(days=rng.randint(3, 90))
        if a.day > 20:  # keep every candidate inside one month
            a = a.replace(day=rng.randint(5, 18))
            if a <= pday + dt.timedelta(days=2):
                a = (a.replace(day=1) + dt.timedelta(days=32)).replace(day=rng.randint(5, 18))
        n = 3 if i % 4 == 3 else 2
        days = [a]
        while len(days) < n:
            days.append(days[-1] + dt.timedelta(days=rng.randint(1, 3)))
        h, m, end = rand_slot()
        zone_word, zone, znote = pick_zone(days[0], tz)
        mo = MONTHS[a.month - 1]
        when = fmt_time(h, m, zone_word) if end is None else fmt_range(h, m, *end)
        heads = [f"{WDUK[x.weekday()]} {ordinal(x.day)}" for x in days]
        style = i % 4
        if style == 0:
            x_text = f"{' or '.join(heads)} {mo} @ {when}{zone_word}"
        elif style == 1:
            x_text = f"{' or '.join(WEEKDAYS[x.weekday()] + ' ' + ordinal(x.day) for x in days)} {mo} at {when}{zone_word}"
        elif style == 2:
            x_text = f"the {' or '.join(ordinal(x.day) for x in days)} of {mo}, {when}{zone_word}"
        else:
            x_text = f"{', '.join(heads[:-1])} or {heads[-1]} {mo}, {when}{zone_word}"
        evs = [timed_event(x, h, m, end, zone) for x in days]
        add(P, posted, EITHER[i % len(EITHER)].format(X=x_text), evs,
            f"templated candidates ({n}) sharing one month and time; {znote}", tz)


templated()

# ---------------------------------------------------------------------------------------------
# 7. Templated markup
# ---------------------------------------------------------------------------------------------
for i in range(22):
    posted, pday = rand_posted()
    x = pday + dt.timedelta(days=rng.randint(1, 60))
    kind = i % 6
    h, m = rng.randint(8, 19), rng.choice([0, 0, 30])
    zone = rng.choice([LON, LON, LON, "UTC", NY, BER, "Europe/Paris"])
    label = rng.choice(["Call", "Next meetup", "Gathering", "Workshop", "AGM", "Onboarding", ""])
    lead = f"{label}: " if label else ""
    if kind in (0, 1):
        text = f'{lead}[date={x} time={h:02d}:{m:02d}:00 timezone="{zone}"]'
        ev, note = [E(f"{x} {h:02d}:{m:02d}", zone=zone)], f"[date] with time in {zone}"
    elif kind == 2:
        text = f"{lead}[date={x}]"
        ev, note = [E(str(x))], "[date] without time = all-day"
    elif kind == 3:
        text = f"{lead}[date={x} time={h:02d}:{m:02d}:00]"
        ev, note = [E(f"{x} {h:02d}:{m:02d}", zone="UTC")], "[date] without timezone = UTC"
    elif kind == 4:
        end = dt.datetime.combine(x, dt.time(h, m)) + dt.timedelta(minutes=rng.choice([60, 90, 120]))
        text = f'{lead}[date-range from={x}T{h:02d}:{m:02d}:00 to={end:%Y-%m-%dT%H:%M:%S} timezone="{zone}"]'
        ev, note = [E(f"{x} {h:02d}:{m:02d}", f"{end:%H:%M}", zone=zone)], f"[date-range] in {zone}"
    else:
        y = x + dt.timedelta(days=rng.choice([1, 2]))
        text = f"{lead}[date-range from={x} to={y}]"
        ev, note = [E(str(x), str(y))], "[date-range] of dates = all-day range"
    add(M, posted, text, ev, note)

for i in range(6):
    posted, pday = rand_posted()
    x = pday + dt.timedelta(days=rng.randint(1, 60))
    h = rng.randint(9, 18)
    if i % 2 == 0:
        add(M, posted, f"Calendar says {x}T{h:02d}:00:00Z for the call.", [E(f"{x} {h:02d}:00", zone="UTC")], "ISO timestamp with Z")
    else:
        add(M, posted, f"Booked the room for {x} {h:02d}:00 UTC.", [E(f"{x} {h:02d}:00", zone="UTC")], "ISO date + time + UTC")

# ---------------------------------------------------------------------------------------------
# 8. Templated negatives (numbers that look like dates or times)
# ---------------------------------------------------------------------------------------------
for i in range(36):
    posted, _ = rand_posted()
    kind = i % 9
    if kind == 0:
        a, b = rng.randint(10, 60), rng.randint(200, 2500)
        neg("count", posted, f"We're {a} co-ops now, with about {b} members between us.", "counts")
    elif kind == 1:
        p = rng.choice([12, 15, 20, 25, 30, 45])
        neg("price", posted, f"Hosting is £{p}.{rng.choice(['00', '30', '50'])} a month, or £{p * 10} up front for the year.", "prices with pence look like dotted times")
    elif kind == 2:
        v = f"{rng.randint(2, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}"
        neg("version", posted, f"Upgraded the forum to Discourse {v} this morning, shout if anything looks odd.", "version number; 'this morning' is vague past")
    elif kind == 3:
        mid = f"{rng.randint(800, 999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        neg("code", posted, f"Meeting ID {mid}, passcode {rng.randint(100000, 999999)}", "meeting id and passcode")
    elif kind == 4:
        neg("phone", posted, f"Call the office on 0{rng.randint(113, 191)} {rng.randint(100, 999)} {rng.randint(1000, 9999)} if the link fails.", "phone number")
    elif kind == 5:
        hours = rng.choice(["1.5", "2", "3", "2.5"])
        neg("duration", posted, f"The workshop takes about {hours} hours including breaks.", "duration")
    elif kind == 6:
        yr = rng.randint(2015, 2026)
        neg("year", posted, f"Our co-op was set up in {yr} by {rng.randint(3, 9)} founding members.", "bare year and a count")
    elif kind == 7:
        h = rng.randint(9, 18)
        neg("time", posted, f"I can't do anything before {h % 12 or 12}{'am' if h < 12 else 'pm'}, childcare.", "time without date")
    else:
        wd = rng.choice(["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays"])
        neg("recurring", posted, f"{wd} at {rng.randint(9, 17)}:{rng.choice(['00', '30'])} are best for me generally.", "recurring availability")


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------
def main() -> None:
    lines = []
    for n, case in enumerate(CASES, 1):
        record = {
            "id": f"c-{n:04d}",
            "source": "synthetic",
            "posted_at": posted_iso(case["posted"], case["tz"]),
            "tz_hint": case["tz"],
            "text": case["text"],
            "events": [resolve(ev, case["tz"]) for ev in case["events"]],
            "notes": case["notes"],
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = Counter(c["cat"].split(":")[0] for c in CASES)
    print(f"wrote {len(lines)} cases to {OUT}: {dict(counts)}")


if __name__ == "__main__":
    main()
