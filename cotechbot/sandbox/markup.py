"""Discourse markup for the fake forum: a small, fast ``raw`` → ``cooked`` renderer and the plugin parsers.

This is not Discourse's markdown-it pipeline. It renders the subset cotechbot reads, with the shapes the real
plugins produce (API-NOTES §2, §3, §4, §5):

* paragraphs (a single newline becomes ``<br>``), ``#`` headings, ``*``/``-``/``1.`` lists, ``>`` quotes,
  fenced code (nothing inside a fence is interpreted), ``**bold**``, ``*em*``, `` `code` ``, ``[text](url)``,
  bare ``http(s)://`` links and ``@mentions``;
* ``[poll ...]`` blocks → ``div.poll`` with ``data-poll-*`` attributes and one ``li[data-poll-option-id]`` per
  option (ids are Discourse's: md5 of the JSON text ``["<option source>"]``);
* ``[event ...]...[/event]`` blocks → ``div.discourse-post-event`` with every attribute as ``data-<dasherized>``;
* ``[date=… time=… timezone=…]`` and ``[date-range from=… to=…]`` → ``span.discourse-local-date`` with
  ``data-date``/``data-time``/``data-timezone`` (unknown zones dropped, as Discourse does).

Public functions:

    cook(raw: str) -> str                      the cooked HTML of a post
    render_inline(text: str) -> str           one line of inline markdown as HTML (poll option ``html``)
    parse_polls(raw: str) -> list[ParsedPoll]  the ``[poll]`` blocks; raises MarkupError like Discourse's 422s
    parse_event(raw: str) -> ParsedEvent|None  the first ``[event]`` block; raises MarkupError when invalid
    option_id(text: str) -> str                Discourse's poll option id for an option's source text
    excerpt(cooked: str, length=300) -> (text, truncated)
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MarkupError",
    "ParsedEvent",
    "ParsedPoll",
    "cook",
    "excerpt",
    "option_id",
    "parse_event",
    "parse_polls",
    "render_inline",
]


class MarkupError(ValueError):
    """Markup Discourse would refuse when the post is saved (its message is the 422 error text)."""


# --------------------------------------------------------------------------------------------------------------
# attributes and small helpers

_ATTR_RE = re.compile(r"""([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|“([^”]*)”|([^\s\]]+))""")
_POLL_OPEN_RE = re.compile(r"^\s*\[poll(?P<attrs>(?:\s[^\]]*)?)\]\s*$")
_POLL_CLOSE_RE = re.compile(r"^\s*\[/poll\]\s*$")
_EVENT_OPEN_RE = re.compile(r"^\s*\[event(?P<attrs>(?:\s[^\]]*)?)\](?P<rest>.*)$")
_EVENT_CLOSE = "[/event]"
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_QUOTE_OPEN_RE = re.compile(r"^\s*\[quote(?:=(?P<attrs>[^\]]*))?\]\s*$")
_LIST_RE = re.compile(r"^(\s*)([*+-]|\d+[.)])\s+(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

_INLINE_RE = re.compile(
    r"(?P<daterange>\[date-range(?P<dr_attrs>(?:\s+[A-Za-z_]\w*=(?:\"[^\"]*\"|[^\s\]]+))*)\s*\])"
    r"|(?P<date>\[date=(?P<date_value>[^\s\]]+)(?P<date_attrs>(?:\s+[A-Za-z_]\w*=(?:\"[^\"]*\"|[^\s\]]+))*)\s*\])"
    r"|(?P<link>\[(?P<link_text>[^\]\n]+)\]\((?P<link_url>[^)\s]+)\))"
    r"|(?P<url>https?://[^\s<>\"'\])]+[^\s<>\"'\]).,;:!?])"
    r"|(?P<mention>(?<![\w@])@(?P<mention_name>[A-Za-z0-9_][\w.-]*[\w]|[A-Za-z0-9_]))"
    r"|(?P<code>`(?P<code_text>[^`\n]+)`)"
)
_STRONG_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_STARTS = frozenset("#*-+>[`~")
_SPECIAL = re.compile(r"[\[`*@:]|https?://")


def parse_attributes(text: str) -> dict[str, str]:
    """``name=dates type="multiple"`` → ``{"name": "dates", "type": "multiple"}`` (quoted or bare values)."""
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(text or ""):
        key = match.group(1)
        value = next(g for g in match.groups()[1:] if g is not None)
        attrs[key] = value
    return attrs


def dasherize(name: str) -> str:
    """``allowedGroups`` → ``allowed-groups`` (how discourse-calendar names its ``data-*`` attributes)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).replace("_", "-").lower()


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def option_id(text: str) -> str:
    """Discourse's poll option id: lowercase hex md5 of ``JSON.stringify([text])`` (API-NOTES §3)."""
    payload = json.dumps([text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.md5(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------------------
# local dates (discourse-local-dates)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        from dateutil import parser as dateutil_parser

        return dateutil_parser.parse(value).date()
    except (ValueError, OverflowError):
        return None


def _parse_time(value: str | None) -> time | None:
    if not value:
        return None
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            return datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    return None


def _local_date_span(date_value: str, attrs: dict[str, str], extra: str = "") -> str:
    day = _parse_date(date_value)
    if day is None:  # Discourse leaves markup it cannot read as text
        return None  # type: ignore[return-value]
    at = _parse_time(attrs.get("time"))
    zone_name = attrs.get("timezone")
    zone = _zone(zone_name)
    local = datetime.combine(day, at or time(0, 0), tzinfo=zone or UTC)
    utc_text = local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [f'data-date="{day.isoformat()}"']
    if attrs.get("time"):
        parts.append(f'data-time="{_esc(attrs["time"])}"')
    parts.append('class="discourse-local-date"')
    if zone is not None:
        parts.append(f'data-timezone="{_esc(zone_name or "")}"')
    for key in ("format", "timezones", "displayedTimezone", "recurring", "countdown"):
        if key in attrs:
            parts.append(f'data-{dasherize(key)}="{_esc(attrs[key])}"')
    if extra:
        parts.append(extra)
    parts.append(f'data-email-preview="{utc_text} UTC"')
    return f"<span {' '.join(parts)}>{utc_text}</span>"


def _date_range_spans(attrs: dict[str, str]) -> str | None:
    spans = []
    for which in ("from", "to"):
        value = attrs.get(which)
        if not value:
            continue
        day_part, _, time_part = value.partition("T")
        sub = {k: v for k, v in attrs.items() if k not in ("from", "to")}
        if time_part:
            sub["time"] = time_part
        span = _local_date_span(day_part, sub, extra=f'data-range="{which}"')
        if span is None:
            return None
        spans.append(span)
    return "<span>→</span>".join(spans) if spans else None


# --------------------------------------------------------------------------------------------------------------
# inline rendering


_APOS_RE = re.compile(r"(?<=\w)'|'(?=\w)")
_DQUOTE_RE = re.compile(r'"([^"\n]*)"')


def _typographer(text: str) -> str:
    """Discourse's typographer: straight quotes become curly, ``...`` an ellipsis (``I'll`` → ``I’ll``)."""
    if "'" in text:
        text = _APOS_RE.sub(lambda m: "’" if m.start() > 0 and (text[m.start() - 1].isalnum()) else "‘", text)
    if '"' in text:
        text = _DQUOTE_RE.sub("“\\1”", text)
    if "..." in text:
        text = text.replace("...", "…")
    return text


def _plain(text: str) -> str:
    """A plain stretch of inline text: typographer, HTML escaping, emphasis."""
    return _emphasis(_esc(_typographer(text)))


def _emphasis(escaped: str) -> str:
    if "*" not in escaped:
        return escaped
    escaped = _STRONG_RE.sub(r"<strong>\1</strong>", escaped)
    return _EM_RE.sub(r"<em>\1</em>", escaped)


def render_inline(text: str) -> str:
    """Render one line (or a paragraph's lines joined by ``\\n``) of inline markdown as HTML."""
    if not _SPECIAL.search(text):
        return _esc(_typographer(text)).replace("\n", "<br>\n")
    out: list[str] = []
    pos = 0
    for match in _INLINE_RE.finditer(text):
        rendered: str | None = None
        kind = match.lastgroup
        if match.group("daterange"):
            rendered = _date_range_spans(parse_attributes(match.group("dr_attrs")))
        elif match.group("date"):
            rendered = _local_date_span(
                match.group("date_value"), parse_attributes(match.group("date_attrs"))
            )
        elif match.group("link"):
            rendered = f'<a href="{_esc(match.group("link_url"))}">{_plain(match.group("link_text"))}</a>'
        elif match.group("url"):
            url = match.group("url")
            rendered = f'<a href="{_esc(url)}" rel="noopener nofollow ugc">{_esc(url)}</a>'
        elif match.group("mention"):
            name = match.group("mention_name")
            rendered = f'<a class="mention" href="/u/{_esc(name.lower())}">@{_esc(name)}</a>'
        elif match.group("code"):
            rendered = f"<code>{_esc(match.group('code_text'))}</code>"
        del kind
        if rendered is None:
            continue
        out.append(_plain(text[pos : match.start()]))
        out.append(rendered)
        pos = match.end()
    out.append(_plain(text[pos:]))
    return "".join(out).replace("\n", "<br>\n")


# --------------------------------------------------------------------------------------------------------------
# polls

POLL_TYPES = ("regular", "multiple", "number", "ranked_choice")
POLL_RESULTS = ("always", "on_vote", "on_close", "staff_only")
POLL_CHART_TYPES = ("bar", "pie")


@dataclass
class ParsedOption:
    id: str
    text: str  # markdown source of the option (what the id is computed from)
    html: str  # cooked HTML of the option


@dataclass
class ParsedPoll:
    name: str = "poll"
    type: str = "regular"
    results: str = "always"
    public: bool = False
    status: str = "open"
    min: int | None = None
    max: int | None = None
    step: int | None = None
    close: datetime | None = None
    groups: str | None = None
    chart_type: str = "bar"
    title: str | None = None
    order: str | None = None
    options: list[ParsedOption] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


def _int_attr(attrs: dict[str, str], key: str) -> int | None:
    if key not in attrs:
        return None
    try:
        return int(attrs[key])
    except ValueError as exc:
        raise MarkupError(f"Poll attribute {key}={attrs[key]!r} is not a number.") from exc


def _parse_close(value: str) -> datetime:
    return _markup_time(value, UTC, f"Poll close date {value!r} is not a valid date.")


def _markup_time(value: str, zone: ZoneInfo | timezone, error: str) -> datetime:
    """An ISO (or looser) date-time from markup; naive ones are in ``zone``. Unreadable → MarkupError."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            from dateutil import parser as dateutil_parser

            parsed = dateutil_parser.parse(text)
        except (ValueError, OverflowError) as exc:
            raise MarkupError(error) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def _poll_from_block(attr_text: str, body: list[str]) -> ParsedPoll:
    attrs = parse_attributes(attr_text)
    poll = ParsedPoll(attributes=attrs)
    poll.name = attrs.get("name") or "poll"
    poll.type = attrs.get("type", "regular")
    if poll.type == "irv":
        poll.type = "ranked_choice"
    if poll.type not in POLL_TYPES:
        poll.type = "regular"
    poll.results = attrs.get("results", "always")
    if poll.results not in POLL_RESULTS:
        poll.results = "always"
    poll.public = attrs.get("public") == "true"
    poll.status = "closed" if attrs.get("status") == "closed" else "open"
    poll.min = _int_attr(attrs, "min")
    poll.max = _int_attr(attrs, "max")
    poll.step = _int_attr(attrs, "step")
    if "close" in attrs:
        poll.close = _parse_close(attrs["close"])
    poll.groups = attrs.get("groups") or None
    chart = attrs.get("chartType", "bar")
    poll.chart_type = chart if chart in POLL_CHART_TYPES else "bar"
    poll.order = attrs.get("order")

    items: list[str] = []
    in_list = False
    list_indent = None
    for line in body:
        heading = _HEADING_RE.match(line)
        if heading and poll.title is None and not items:
            poll.title = heading.group(2)
            continue
        item = _LIST_RE.match(line)
        if item:
            indent = len(item.group(1))
            if list_indent is None:
                list_indent = indent
            if indent == list_indent:
                items.append(item.group(3).strip())
                in_list = True
            continue
        if in_list and line.strip() and items and line.startswith(" "):
            items[-1] += " " + line.strip()  # lazy continuation of the previous item
            continue
        if in_list and not line.strip():
            continue
        if in_list and line.strip():
            break  # only the first list counts
    if poll.type == "number":
        if items:
            raise MarkupError("A number poll must not have a list of options.")
        low = 1 if poll.min is None else poll.min
        high = 10 if poll.max is None else poll.max
        step = 1 if not poll.step or poll.step < 1 else poll.step
        items = [str(n) for n in range(low, high + 1, step)]
    poll.options = [ParsedOption(id=option_id(text), text=text, html=render_inline(text)) for text in items]
    return poll


def _validate_polls(polls: list[ParsedPoll]) -> None:
    names = [p.name for p in polls]
    if len(names) != len(set(names)):
        if names.count("poll") > 1:
            raise MarkupError(
                "There are multiple polls without a name. Use the 'name' attribute to uniquely identify your polls."
            )
        duplicate = next(n for n in names if names.count(n) > 1)
        raise MarkupError(f"There are multiple polls with the same name: {duplicate}.")
    for poll in polls:
        label = "Poll" if poll.name == "poll" else f"Poll named <strong>{poll.name}</strong>"
        ids = [o.id for o in poll.options]
        if len(ids) != len(set(ids)):
            raise MarkupError(f"{label} options must be different.")
        if len(ids) < 2 and poll.type != "number":
            raise MarkupError(f"{label} must have at least 2 options.")
        if poll.type == "multiple":
            count = len(ids)
            low = 1 if poll.min is None else poll.min
            high = count if poll.max is None else poll.max
            if low < 1 or low >= count or high > count or low > high:
                raise MarkupError(f"{label} has invalid parameters (min={low}, max={high}, {count} options).")


# --------------------------------------------------------------------------------------------------------------
# events (discourse-calendar)

EVENT_STATUSES = ("standalone", "public", "private")
EVENT_RECURRENCES = (
    "every_day",
    "every_weekday",
    "every_week",
    "every_two_weeks",
    "every_four_weeks",
    "every_month",
)


@dataclass
class ParsedEvent:
    starts_at: datetime
    ends_at: datetime | None
    timezone: str | None
    status: str
    name: str | None
    url: str | None
    location: str | None
    reminders: str | None
    recurrence: str | None
    recurrence_until: datetime | None
    allowed_groups: list[str]
    show_local_time: bool
    minimal: bool
    closed: bool
    chat_enabled: bool
    description: str | None
    attributes: dict[str, str]


def _event_time(value: str, zone: ZoneInfo | None, what: str) -> datetime:
    return _markup_time(value, zone or UTC, f"The event {what} date {value!r} is not valid.")


def _event_from_block(attr_text: str, description: str) -> ParsedEvent | None:
    attrs = parse_attributes(attr_text)
    if "start" not in attrs:
        return None  # discourse-calendar only recognises the block when start is present
    zone_name = attrs.get("timezone")
    zone = _zone(zone_name)
    starts_at = _event_time(attrs["start"], zone, "start")
    ends_at = _event_time(attrs["end"], zone, "end") if attrs.get("end") else None
    if ends_at is not None and ends_at < starts_at:
        raise MarkupError("An event must end after it starts.")
    status = attrs.get("status", "standalone")
    if status not in EVENT_STATUSES:
        raise MarkupError(f"Event status {status!r} is not one of {', '.join(EVENT_STATUSES)}.")
    recurrence = attrs.get("recurrence") or None
    if recurrence is not None and recurrence not in EVENT_RECURRENCES:
        raise MarkupError(f"Event recurrence {recurrence!r} is not supported.")
    until = attrs.get("recurrenceUntil") or attrs.get("recurrence-until")
    groups = attrs.get("allowedGroups") or attrs.get("allowed-groups") or ""
    allowed = [g.strip() for g in groups.split(",") if g.strip()]
    if len(allowed) > 10:
        raise MarkupError("A private event may invite at most 10 groups.")
    return ParsedEvent(
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=zone_name if zone is not None else None,
        status=status,
        name=attrs.get("name") or None,
        url=attrs.get("url") or None,
        location=attrs.get("location") or None,
        reminders=attrs.get("reminders") or None,
        recurrence=recurrence,
        recurrence_until=_event_time(until, zone, "recurrence end") if until else None,
        allowed_groups=allowed,
        show_local_time=attrs.get("showLocalTime", attrs.get("show-local-time")) == "true",
        minimal=attrs.get("minimal") == "true",
        closed=attrs.get("closed") == "true",
        chat_enabled=attrs.get("chatEnabled", attrs.get("chat-enabled")) == "true",
        description=description.strip() or None,
        attributes=attrs,
    )


def parse_reminders(text: str | None) -> list[dict[str, object]]:
    """``notification.1.hours,bumpTopic.-2.days`` → the serialized reminder list (API-NOTES §4)."""
    reminders: list[dict[str, object]] = []
    for chunk in (text or "").split(","):
        parts = [p.strip() for p in chunk.strip().split(".") if p.strip()]
        if len(parts) == 2:
            parts = ["notification", *parts]
        if len(parts) != 3:
            continue
        kind, value, unit = parts
        try:
            number = int(value)
        except ValueError:
            continue
        reminders.append(
            {"value": abs(number), "unit": unit, "period": "after" if number < 0 else "before", "type": kind}
        )
    return reminders


# --------------------------------------------------------------------------------------------------------------
# block structure


@dataclass
class _Block:
    kind: str  # paragraph | heading | list | quote | bbquote | code | poll | event
    lines: list[str]
    attrs: str = ""
    level: int = 0
    ordered: bool = False


def _blocks(raw: str) -> list[_Block]:
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[_Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(_Block("paragraph", para.copy()))
            para.clear()

    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush()
            i += 1
            continue
        if _FENCE_RE.match(line):
            flush()
            fence = _FENCE_RE.match(line).group(1)  # type: ignore[union-attr]
            body = []
            i += 1
            while i < n and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            blocks.append(_Block("code", body))
            i += 1
            continue
        if not para and line.startswith(
            ("    ", "\t")
        ):  # an indented code block (it cannot interrupt a paragraph)
            body = []
            while i < n and (lines[i].startswith(("    ", "\t")) or not lines[i].strip()):
                body.append(lines[i][4:] if lines[i].startswith("    ") else lines[i][1:])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            blocks.append(_Block("code", body))
            continue
        if stripped.startswith("[quote"):
            opening = _QUOTE_OPEN_RE.match(line)
            end = next((j for j in range(i + 1, n) if lines[j].strip() == "[/quote]"), None)
            if opening and end is not None:
                flush()
                blocks.append(_Block("bbquote", lines[i + 1 : end], attrs=opening.group("attrs") or ""))
                i = end + 1
                continue
        if stripped.startswith("[poll"):
            opening = _POLL_OPEN_RE.match(line)
            if opening:
                end = next((j for j in range(i + 1, n) if _POLL_CLOSE_RE.match(lines[j])), None)
                if end is not None:
                    flush()
                    blocks.append(_Block("poll", lines[i + 1 : end], attrs=opening.group("attrs")))
                    i = end + 1
                    continue
        if stripped.startswith("[event"):
            opening = _EVENT_OPEN_RE.match(line)
            if opening:
                rest = opening.group("rest")
                if _EVENT_CLOSE in rest:
                    flush()
                    blocks.append(
                        _Block("event", [rest.split(_EVENT_CLOSE, 1)[0]], attrs=opening.group("attrs"))
                    )
                    i += 1
                    continue
                end = next((j for j in range(i + 1, n) if _EVENT_CLOSE in lines[j]), None)
                if end is not None:
                    flush()
                    body = ([rest] if rest.strip() else []) + lines[i + 1 : end]
                    tail = lines[end].split(_EVENT_CLOSE, 1)[0]
                    if tail.strip():
                        body.append(tail)
                    blocks.append(_Block("event", body, attrs=opening.group("attrs")))
                    i = end + 1
                    continue
        heading = _HEADING_RE.match(line) if stripped.startswith("#") else None
        if heading:
            flush()
            blocks.append(_Block("heading", [heading.group(2)], level=len(heading.group(1))))
            i += 1
            continue
        item = _LIST_RE.match(line)
        if item and not para:
            items = []
            ordered = item.group(2)[0].isdigit()
            while i < n:
                match = _LIST_RE.match(lines[i])
                if match:
                    items.append(match.group(3))
                elif lines[i].strip() and lines[i].startswith(" ") and items:
                    items[-1] += "\n" + lines[i].strip()
                else:
                    break
                i += 1
            blocks.append(_Block("list", items, ordered=ordered))
            continue
        if stripped.startswith(">"):
            flush()
            quoted = []
            while i < n and lines[i].strip().startswith(">"):
                quoted.append(lines[i].strip()[1:].lstrip())
                i += 1
            blocks.append(_Block("quote", quoted))
            continue
        para.append(line.strip())
        i += 1
    flush()
    return blocks


def _poll_html(poll: ParsedPoll) -> str:
    data = [
        f'data-poll-name="{_esc(poll.name)}"',
        f'data-poll-type="{poll.type}"',
        f'data-poll-results="{poll.results}"',
        f'data-poll-status="{poll.status}"',
        f'data-poll-chart-type="{poll.chart_type}"',
    ]
    if poll.public:
        data.append('data-poll-public="true"')
    for key in ("min", "max", "step"):
        value = getattr(poll, key)
        if value is not None:
            data.append(f'data-poll-{key}="{value}"')
    if poll.close is not None:
        data.append(f'data-poll-close="{poll.close.strftime("%Y-%m-%dT%H:%M:%S.000Z")}"')
    if poll.groups:
        data.append(f'data-poll-groups="{_esc(poll.groups)}"')
    title = f'<div class="poll-title">{render_inline(poll.title)}</div>\n' if poll.title else ""
    tag = "ol" if poll.type == "ranked_choice" else "ul"
    items = "\n".join(f'<li data-poll-option-id="{o.id}">{o.html}</li>' for o in poll.options)
    return (
        f'<div class="poll" {" ".join(data)}>\n<div class="poll-container">\n{title}<{tag}>\n{items}\n</{tag}>\n'
        '</div>\n<div class="poll-info">\n<div class="poll-info_counts">\n<div class="poll-info_counts-count">\n'
        '<span class="info-number">0</span>\n<span class="info-label">voters</span>\n</div>\n</div>\n</div>\n</div>'
    )


def _event_html(attr_text: str) -> str:
    attrs = parse_attributes(attr_text)
    data = " ".join(f'data-{dasherize(k)}="{_esc(v)}"' for k, v in attrs.items())
    return (
        f'<div class="discourse-post-event" {data}>\n<div class="discourse-post-event-loader"></div>\n</div>'
    )


def _render(blocks: list[_Block], polls: dict[int, ParsedPoll] | None = None) -> str:
    out: list[str] = []
    for index, block in enumerate(blocks):
        if block.kind == "paragraph":
            out.append(f"<p>{render_inline(chr(10).join(block.lines))}</p>")
        elif block.kind == "heading":
            out.append(f"<h{block.level}>{render_inline(block.lines[0])}</h{block.level}>")
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            items = "\n".join(f"<li>{render_inline(item)}</li>" for item in block.lines)
            out.append(f"<{tag}>\n{items}\n</{tag}>")
        elif block.kind == "quote":
            out.append(f"<blockquote>\n{_render(_blocks(chr(10).join(block.lines)))}\n</blockquote>")
        elif block.kind == "bbquote":  # [quote="name, post:1, topic:2"] … [/quote], as Discourse cooks it
            author = _esc(block.attrs.strip('"“” ').split(",")[0])
            inner = _render(_blocks(chr(10).join(block.lines)))
            out.append(
                f'<aside class="quote no-group" data-username="{author}">\n<div class="title">{author}:</div>\n'
                f"<blockquote>\n{inner}\n</blockquote>\n</aside>"
            )
        elif block.kind == "code":
            out.append(f"<pre><code>{_esc(chr(10).join(block.lines))}\n</code></pre>")
        elif block.kind == "poll":
            poll = (polls or {}).get(index) or _poll_from_block(block.attrs, block.lines)
            out.append(_poll_html(poll))
        elif block.kind == "event":
            out.append(_event_html(block.attrs))
    return "\n".join(out)


def cook(raw: str) -> str:
    """The cooked HTML of ``raw`` (see the module docstring for what is rendered)."""
    if not raw:
        return ""
    stripped = raw.strip()
    if "\n" not in stripped and stripped[:1] not in _BLOCK_STARTS and not stripped[:1].isdigit():
        return f"<p>{render_inline(stripped)}</p>"  # the common one-paragraph post
    try:
        return _render(_blocks(raw))
    except MarkupError:
        # invalid poll markup is refused before cooking in the forum; render it as text if asked directly
        return f"<p>{_esc(raw)}</p>"


def parse_polls(raw: str) -> list[ParsedPoll]:
    """Every ``[poll]`` block of ``raw`` (outside code fences), validated like Discourse's PollsValidator."""
    if "[poll" not in raw:
        return []
    polls = [_poll_from_block(b.attrs, b.lines) for b in _blocks(raw) if b.kind == "poll"]
    _validate_polls(polls)
    return polls


def parse_event(raw: str) -> ParsedEvent | None:
    """The ``[event]`` block of ``raw``, or None; more than one event in a post is an error."""
    if "[event" not in raw:
        return None
    events = [b for b in _blocks(raw) if b.kind == "event"]
    parsed = [e for e in (_event_from_block(b.attrs, "\n".join(b.lines)) for b in events) if e is not None]
    if len(parsed) > 1:
        raise MarkupError("A post can only contain one event.")
    return parsed[0] if parsed else None


def excerpt(cooked: str, length: int = 300) -> tuple[str, bool]:
    """A plain-text excerpt of cooked HTML (entities kept escaped, as Discourse's excerpts are)."""
    text = _TAG_RE.sub("", cooked.replace("<br>", " "))
    text = " ".join(text.split())
    if len(text) <= length:
        return text, False
    return text[:length].rstrip() + "&hellip;", True


def utc_iso(value: datetime | None) -> str | None:
    """Discourse's timestamp format: ISO-8601 UTC with milliseconds, e.g. ``2020-01-25T02:10:07.971Z``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def add_months(value: datetime, months: int) -> datetime:
    """``value`` moved by whole months, clamping the day (used for monthly recurring events)."""
    month = value.month - 1 + months
    year = value.year + month // 12
    month = month % 12 + 1
    for day in range(value.day, 27, -1):
        try:
            return value.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return value.replace(year=year, month=month, day=min(value.day, 28))


RECURRENCE_STEPS: dict[str, timedelta | None] = {
    "every_day": timedelta(days=1),
    "every_weekday": timedelta(days=1),
    "every_week": timedelta(weeks=1),
    "every_two_weeks": timedelta(weeks=2),
    "every_four_weeks": timedelta(weeks=4),
    "every_month": None,
}
