"""Status-platform incidents, split into one Entry per update.

Three shapes are understood.

Atlassian Statuspage "Incident History" feeds (``/history.atom``, ``/history.rss``)
    An ordinary RSS/Atom feed (``parse_feed`` reads it) in which each item is one
    incident and its HTML body lists every update, newest first, one ``<p>`` each::

        <p><small>Aug <var>21</var>, <var>00:37</var> UTC</small><br>
           <strong>Resolved</strong> - This incident has been resolved.</p>

    The time has no year and names its zone by abbreviation (UTC, PST, CEST...).
    A ``<p>This incident affected: A, B and C.</p>`` paragraph, when present,
    names the affected components. :func:`expand_statuspage` splits the items.

The AWS Service Health Dashboard ``data.json``
    ``{"archive": [...], "current": [...]}``; each event has ``service`` (an id
    such as ``ec2-us-east-1``), ``service_name``, ``summary`` (``[RESOLVED] ...``
    once over), ``date`` (epoch seconds of the event start, as a string) and an
    HTML ``description`` with one ``<div>`` per update, oldest first, each opening
    with a Pacific clock time: ``<span class="yellowfg"> 8:22 AM PST</span>``
    (``Dec 8, 1:12 AM PST`` when an event runs over several days).

Google Cloud ``incidents.json``
    A list of incidents (``id``, ``service_name``, ``external_desc``,
    ``affected_products``, ``uri``) whose ``updates`` (newest first) carry an ISO
    ``when``, a plain ``text`` and a ``status``: AVAILABLE, SERVICE_DISRUPTION,
    SERVICE_OUTAGE or SERVICE_INFORMATION.

Every update becomes its own Entry, so a new update is a new item for the
pipeline, while ``thread`` (shared by all updates of one incident) still ties it
to its incident. ``status`` uses the one vocabulary of ``bot.schema.StatusWord``,
and ``guid`` is built from the incident and the update so it stays the same each
time the document is read again.

Third-party documents drift: one damaged incident or update is skipped (and
logged); only a document of the wrong shape altogether raises ParseError.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Literal, TypeGuard

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from bot.errors import ParseError
from bot.identity import normalise_url
from bot.schema import Entry, StatusWord
from bot.sources.timeparse import parse_time

log = logging.getLogger(__name__)

AWS_LINK = "https://health.aws.amazon.com/health/status"
GCP_BASE = "https://status.cloud.google.com/"

# A damaged item must not cost the rest of the document; these are what odd field
# types raise while we read one (pydantic's ValidationError is a ValueError).
_ITEM_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)

# --------------------------------------------------------------------------- clock times

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
# Zone abbreviations status pages print, as minutes east of UTC. Some are ambiguous
# (CST is also China, IST also Ireland and Israel): Statuspage and AWS use the US
# and Indian meanings, so those win.
_ZONE_MINUTES = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "BST": 60, "CET": 60, "CEST": 120, "IST": 330,
    "SGT": 480, "JST": 540, "AEST": 600, "AEDT": 660,
}  # fmt: skip
_CLOCK = re.compile(
    r"""^\s*
    (?:(?P<month>[A-Za-z]{3})[A-Za-z]*\.?\s+(?P<day>\d{1,2})   # "Aug 21", "Jan  1"
       (?:,?\s+(?P<year>\d{4}))?                              # ", 2024" (rare)
       \s*[,-]?\s*)?
    (?:-\s*)?
    (?P<hour>\d{1,2}):(?P<minute>\d{2})
    \s*(?P<half>[AaPp]\.?[Mm]\.?)?
    \s*(?P<zone>[A-Za-z]{1,5})?
    \s*$""",
    re.X,
)
# AWS updates are in order; a clock that goes back further than this is the next day,
# a smaller step back is an update posted out of order on the same day.
_BACKWARD_SLACK = timedelta(minutes=30)


@dataclass(frozen=True)
class _Clock:
    """A wall-clock time as a status page prints it: a zone, maybe a day, rarely a year."""

    hour: int
    minute: int
    zone: tzinfo
    month: int | None = None
    day: int | None = None
    year: int | None = None

    def on(self, day: date) -> datetime | None:
        try:
            local = datetime(day.year, day.month, day.day, self.hour, self.minute, tzinfo=self.zone)
        except ValueError:  # Feb 29 in a year without one
            return None
        return local.astimezone(UTC)


def _parse_clock(text: str) -> _Clock | None:
    match = _CLOCK.match(text)
    if match is None:
        return None
    zone_name = (match["zone"] or "UTC").upper()
    if zone_name not in _ZONE_MINUTES:
        return None  # an unknown zone: a guessed offset would be worse than no time
    hour, minute = int(match["hour"]), int(match["minute"])
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    month = _MONTHS.get(match["month"].lower()[:3]) if match["month"] else None
    if match["month"] and month is None:
        return None
    return _Clock(
        hour=hour,
        minute=minute,
        zone=timezone(timedelta(minutes=_ZONE_MINUTES[zone_name])),
        month=month,
        day=int(match["day"]) if match["day"] else None,
        year=int(match["year"]) if match["year"] else None,
    )


def _nearest(clock: _Clock, reference: datetime) -> datetime | None:
    """The reading of ``clock`` closest to ``reference``.

    The page leaves out the year (Statuspage) or the whole date (AWS), so the
    moment we know of (the feed item's time, the event start) decides: a
    "Dec 31" update of an item published on Jan 1 belongs to the year before,
    and a postmortem posted two days after the item's time to the same year.
    """
    local = reference.astimezone(clock.zone)
    days: list[date] = []
    if clock.month is not None and clock.day is not None:
        years = [clock.year] if clock.year else [local.year - 1, local.year, local.year + 1]
        for year in years:
            try:
                days.append(date(year, clock.month, clock.day))
            except ValueError:
                continue
    else:
        days = [local.date() + timedelta(days=shift) for shift in (-1, 0, 1)]
    found = [moment for moment in (clock.on(day) for day in days) if moment is not None]
    return min(found, key=lambda moment: abs(moment - reference), default=None)


def _following(clock: _Clock, previous: datetime) -> datetime | None:
    """The first reading of a date-less ``clock`` not (much) before ``previous``."""
    moment = clock.on(previous.astimezone(clock.zone).date())
    if moment is None:
        return None
    while moment < previous - _BACKWARD_SLACK:
        moment += timedelta(days=1)
    return moment


# --------------------------------------------------------------------------- shared helpers

_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text(value: object) -> str:
    """A JSON scalar as text; anything else (lists, objects, null) as empty."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in names if name))


def _split_names(text: str) -> tuple[str, ...]:
    """``"A, B and C"`` (or ``"A, B, and C"``) as names, keeping ``"Group (X, Y)"`` whole."""
    names: list[str] = []
    start = 0
    for separator in re.finditer(r"\s*,\s*(?:and\s+)?|\s+and\s+", text):
        before = text[: separator.start()]
        if before.count("(") > before.count(")"):
            continue  # inside a component group's parentheses
        names.append(text[start : separator.start()])
        start = separator.end()
    names.append(text[start:])
    return _dedupe(_squash(name) for name in names)


def _inner_html(nodes: Iterable[object]) -> str:
    """Markup of sibling nodes; text is re-escaped because bs4 stores it decoded."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, Tag):
            parts.append(node.decode())
        elif isinstance(node, NavigableString):
            parts.append(htmllib.escape(str(node), quote=False))
    return "".join(parts)


_EDGE_BREAKS_START = re.compile(r"^(?:\s|\xa0|<br\s*/?>)+", re.I)
_EDGE_BREAKS_END = re.compile(r"(?:\s|\xa0|<br\s*/?>)+$", re.I)


def _trim(markup: str) -> str:
    return _EDGE_BREAKS_END.sub("", _EDGE_BREAKS_START.sub("", markup))


# --------------------------------------------------------------------------- Statuspage

_STATUSPAGE_WORDS: dict[str, StatusWord] = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "update": "update",
    "resolved": "resolved",
    "completed": "resolved",  # a maintenance window that ended
    "postmortem": "postmortem",
    # Maintenance announced but not begun: news, yet nothing is broken.
    "scheduled": "update",
    # Maintenance under way: the work, and any impact of it, is happening now.
    "in progress": "ongoing",
    # Work done and being checked: the same stage as watching a fix.
    "verifying": "monitoring",
}
_UPDATE_MARK = re.compile(
    r"<small\b[^>]*>.*?</small>\s*(?:<br\s*/?>\s*)*<strong\b[^>]*>[^<]+</strong>\s*[-–—]",
    re.I | re.S,
)
_AFFECTED = re.compile(r"^This incident affected:\s*(?P<names>.+?)\.?$", re.I)
_TITLE_SUBJECT = re.compile(r"^(?:Incident|Disruption)s?\s+with\s+(?P<names>.+)$", re.I)
_LEADING_DASH = re.compile(r"^\s*[-–—:]\s*")


@dataclass(frozen=True)
class _Update:
    """One update inside a Statuspage incident, as printed."""

    stamp: str  # the <small> text: "Aug 21, 00:37 UTC"
    word: str  # the <strong> text: "Resolved"
    paragraphs: tuple[str, ...]  # inner HTML of each paragraph of its text


def is_statuspage(feed_title: str, entries: list[Entry]) -> bool:
    """Whether a parsed feed is a Statuspage incident history (one item per incident)."""
    if _squash(feed_title).lower().endswith("incident history"):
        return True
    if not entries:
        return False
    marked = sum(1 for entry in entries if _UPDATE_MARK.search(entry.html))
    return marked * 2 > len(entries)


def expand_statuspage(entries: list[Entry]) -> list[Entry]:
    """Each incident entry of a Statuspage history feed as one entry per update, newest first."""
    expanded: list[Entry] = []
    for entry in entries:
        try:
            expanded.extend(_expand_incident(entry))
        except _ITEM_ERRORS as exc:
            log.warning("%s: incident %r skipped: %s", entry.source, entry.title, exc)
    return expanded


def _expand_incident(entry: Entry) -> list[Entry]:
    updates, affected = _read_incident(entry.html)
    # The incident's page link is the same in a page's Atom and RSS feeds (their
    # GUIDs differ), so it names the incident when there is one.
    thread = normalise_url(entry.link) if entry.link else entry.guid
    components = affected or _title_components(entry.title)
    if not updates:
        # No update markup (a hand-written item): keep it whole rather than lose it.
        return [_copy(entry, status="update", thread=thread, components=components)]
    base = thread or entry.title
    seen: Counter[str] = Counter()
    result: list[Entry] = []
    # Oldest first, so that when two updates share minute and status it is the
    # later one that gets a suffix and the guid of the earlier never changes.
    for update in reversed(updates):
        clock = _parse_clock(update.stamp)
        moment = None
        if clock is not None and entry.published is not None:
            moment = _nearest(clock, entry.published)
        status = _STATUSPAGE_WORDS.get(_word_key(update.word), "update")
        key = f"{base}#{moment.isoformat() if moment else update.stamp or '?'}#{status}"
        seen[key] += 1
        shown = update.word or status.capitalize()
        result.append(
            Entry(
                source=entry.source,
                guid=key if seen[key] == 1 else f"{key}#{seen[key]}",
                link=entry.link,
                title=f"{entry.title} — {shown}",
                html="".join(f"<p>{paragraph}</p>" for paragraph in update.paragraphs),
                published=moment or entry.published,
                author=entry.author,
                language=entry.language,
                status=status,
                components=components,
                thread=thread,
            )
        )
    result.reverse()
    return result


def _copy(
    entry: Entry, status: StatusWord, thread: str | None, components: tuple[str, ...]
) -> Entry:
    fields = entry.model_dump()
    fields.update(status=status, thread=thread, components=components)
    return Entry(**fields)


def _word_key(word: str) -> str:
    return _squash(re.sub(r"[^a-z ]", "", word.lower()))


def _read_incident(html: str) -> tuple[list[_Update], tuple[str, ...]]:
    """The updates of an incident body (document order) and its "affected" components."""
    soup = BeautifulSoup(html, "lxml")
    updates: list[_Update] = []
    affected: tuple[str, ...] = ()
    for paragraph in soup.find_all("p"):
        small = paragraph.find("small")
        if small is not None:
            updates.append(_read_update(paragraph, small))
            continue
        text = _squash(paragraph.get_text())
        named = _AFFECTED.match(text)
        if named:
            affected = _split_names(named["names"])
        elif text and updates:
            # A long update (a postmortem) can run over several paragraphs.
            last = updates[-1]
            more = _trim(_inner_html(paragraph.children))
            updates[-1] = _Update(last.stamp, last.word, (*last.paragraphs, more))
    return updates, affected


def _read_update(paragraph: Tag, small: Tag) -> _Update:
    strong = paragraph.find("strong")
    word = _squash(strong.get_text()) if strong is not None else ""
    # The text is whatever follows the status word (or the time when there is none).
    after = strong if strong is not None else small
    body = _trim(_LEADING_DASH.sub("", _trim(_inner_html(after.next_siblings)), count=1))
    return _Update(
        stamp=_squash(small.get_text()),
        word=word,
        paragraphs=(body,) if body else (),
    )


def _title_components(title: str) -> tuple[str, ...]:
    """Components from GitHub-style titles: "Incident with Git Operations and Actions"."""
    match = _TITLE_SUBJECT.match(_squash(title))
    if match is None:
        return ()
    # "Pages - Deployment Lag": what follows the dash describes, it names nothing.
    subject = re.split(r"\s+[-–—:]\s+", match["names"], maxsplit=1)[0]
    names = _split_names(subject)
    # Component names are capitalised words; a lowercase word means free text
    # ("some GitHub services", "creation of fine grained tokens"), not a list.
    if not names or not all(_looks_like_name(name) for name in names):
        return ()
    return names


def _looks_like_name(name: str) -> bool:
    return all(word[:1].isupper() or word[:1].isdigit() for word in name.split())


# --------------------------------------------------------------------------- JSON detection


def detect_status_json(data: object) -> Literal["aws", "gcp"] | None:
    """Which status JSON a decoded document is: AWS data.json, Google incidents.json, or neither."""
    if _is_aws_document(data):
        return "aws"
    if isinstance(data, list) and any(_is_gcp_incident(item) for item in data):
        return "gcp"
    return None


def _is_aws_document(data: object) -> TypeGuard[Mapping[str, object]]:
    if not isinstance(data, Mapping):
        return False
    lists = [data[key] for key in ("archive", "current") if isinstance(data.get(key), list)]
    if not lists:
        return False
    events = [event for events in lists for event in events]
    # An empty dashboard is still a dashboard; a full one must hold AWS-like events.
    return not events or any(
        isinstance(event, Mapping) and "service" in event and "date" in event for event in events
    )


def _is_gcp_incident(item: object) -> TypeGuard[Mapping[str, object]]:
    return (
        isinstance(item, Mapping)
        and isinstance(item.get("updates"), list)
        and ("external_desc" in item or "service_name" in item)
    )


# --------------------------------------------------------------------------- AWS

_RESOLVED_MARK = re.compile(r"^\s*\[\s*resolved\s*\]\s*", re.I)
# AWS closes an event with "The issue has been resolved and the service is operating
# normally." Narrower phrasings than "resolved" / "operating normally" alone are needed:
# updates say "until this issue is resolved" and "all other queues are operating normally".
_AWS_RESOLVED = re.compile(
    r"\b(?:the|this|these)\s+(?:issues?|problems?|events?)\s+(?:has|have)\s+(?:now\s+)?been"
    r"\s+(?:fully\s+)?resolved\b(?!\s+for\b)"
    r"|\bthe\s+service\s+is\s+(?:now\s+)?operating\s+normally\b"
    r"|\b(?:all|affected)\s+services\s+are\s+(?:now\s+)?operating\s+normally\b"
    r"|\bwe\s+have\s+(?:now\s+)?(?:fully\s+)?resolved\b",
    re.I,
)
# Work still going on: a resolution next to this is partial ("resolved X, continue on Y").
_AWS_STILL = re.compile(
    r"\b(?:continue|continues|continuing|still|remains?|working\s+to(?:wards?)?|work\s+towards?)\b",
    re.I,
)
_AWS_RECOVERING = re.compile(
    r"\brecover(?:ing|ed)\b|\brestored\b|\bimprov(?:ed|ing)\b|\bmitigat(?:ed|ion)\b"
    r"|\bresolved\s+for\b"
    r"|\b(?:see|sees|seeing|saw|observe|observing|signs\s+of)\s+(?:\w+\s+){0,3}recovery\b",
    re.I,
)
_AWS_IDENTIFIED = re.compile(r"\bidentified\b[^.]*\b(?:cause|issue|problem)\b", re.I)
_AWS_INVESTIGATING = re.compile(r"\binvestigat(?:e|es|ing)\b", re.I)


def parse_aws_health(data: object, source: str) -> list[Entry]:
    """Every update of every event in an AWS Service Health Dashboard data.json."""
    if not _is_aws_document(data):
        raise ParseError(source, "not an AWS Service Health Dashboard document (archive/current)")
    entries: list[Entry] = []
    threads: set[str] = set()
    # "current" first: an event listed in both is fresher there.
    for key in ("current", "archive"):
        events = data.get(key)
        for index, event in enumerate(events if isinstance(events, list) else []):
            try:
                found = _aws_event(event, source)
            except _ITEM_ERRORS as exc:
                log.warning("%s: AWS %s event %d skipped: %s", source, key, index, exc)
                continue
            if not found:
                log.warning(
                    "%s: AWS %s event %d skipped: no service, date or update", source, key, index
                )
                continue
            if found[0].thread in threads:
                continue
            threads.add(found[0].thread or "")
            entries.extend(found)
    return entries


def _aws_event(event: object, source: str) -> list[Entry]:
    if not isinstance(event, Mapping):
        return []
    service = _text(event.get("service"))
    stamp = _text(event.get("date"))
    start = _epoch(stamp)
    description = event.get("description")
    if not service or start is None or not isinstance(description, str):
        return []
    name = _text(event.get("service_name")) or service
    raw_summary = _text(event.get("summary"))
    summary = _RESOLVED_MARK.sub("", raw_summary)
    resolved = bool(_RESOLVED_MARK.match(raw_summary))
    updates = _aws_updates(description)
    times = _aws_times([clock for clock, _ in updates], start)
    thread = f"aws:{service}:{stamp}"
    entries: list[Entry] = []
    for index, ((_, body), moment) in enumerate(zip(updates, times, strict=True)):
        last = index == len(updates) - 1
        entries.append(
            Entry(
                source=source,
                guid=f"{thread}#{index}",
                link=AWS_LINK,
                title=f"{name}: {summary}" if summary else name,
                html=f"<p>{body}</p>",
                published=moment,
                status="resolved" if resolved and last else _aws_status(body),
                components=(name,),
                thread=thread,
            )
        )
    return entries


def _epoch(text: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _aws_updates(description: str) -> list[tuple[_Clock | None, str]]:
    """Each update ``<div>`` of a description as (its clock time, its text as HTML)."""
    soup = BeautifulSoup(description, "lxml")
    container = soup.body or soup
    blocks = container.find_all("div", recursive=False)
    if not blocks:
        # Plain text without update markup: one update, timed at the event start.
        body = _trim(_inner_html(container.children))
        return [(None, body)] if _squash(container.get_text()) else []
    updates: list[tuple[_Clock | None, str]] = []
    for block in blocks:
        marked = block.find("span", class_="yellowfg")
        span = marked or block.find("span")
        clock = _parse_clock(_squash(span.get_text())) if span is not None else None
        # An unmarked span is only the time when it reads as one; else it is text.
        if span is not None and (marked is not None or clock is not None):
            span.extract()
        if not _squash(block.get_text()):
            continue
        updates.append((clock, _trim(_inner_html(block.children))))
    return updates


def _aws_times(clocks: list[_Clock | None], start: datetime) -> list[datetime]:
    """Absolute times of an event's updates from their clock times.

    The first update is read on the day that puts it nearest the event start
    (the "date" field is sometimes hours after the first update); each later one
    on the first day not before its predecessor, so a clock going from 11:50 PM
    to 12:10 AM moves to the next day. An unreadable time takes the time before.
    """
    times: list[datetime] = []
    previous = start
    for clock in clocks:
        moment: datetime | None = None
        if clock is not None:
            if not times or clock.month is not None:
                moment = _nearest(clock, previous)
            else:
                moment = _following(clock, previous)
        previous = moment or previous
        times.append(previous)
    return times


def _aws_status(body: str) -> StatusWord:
    text = _squash(BeautifulSoup(body, "lxml").get_text())
    if _AWS_RESOLVED.search(text):
        return "mitigated" if _AWS_STILL.search(text) else "resolved"
    if _AWS_RECOVERING.search(text):
        return "mitigated"
    if _AWS_IDENTIFIED.search(text):
        return "identified"
    if _AWS_INVESTIGATING.search(text):
        return "investigating"
    return "update"


# --------------------------------------------------------------------------- Google Cloud

_GCP_ONGOING = frozenset({"SERVICE_OUTAGE", "SERVICE_DISRUPTION"})
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def parse_gcp_incidents(data: object, source: str) -> list[Entry]:
    """Every update of every incident in a Google Cloud incidents.json."""
    if not isinstance(data, list):
        raise ParseError(source, "not a Google Cloud incidents.json (expected a list)")
    if data and not any(_is_gcp_incident(item) for item in data):
        raise ParseError(source, "not a Google Cloud incidents.json (no incident has updates)")
    entries: list[Entry] = []
    for index, incident in enumerate(data):
        try:
            found = _gcp_incident(incident, source)
        except _ITEM_ERRORS as exc:
            log.warning("%s: GCP incident %d skipped: %s", source, index, exc)
            continue
        if not found:
            log.warning("%s: GCP incident %d skipped: no id or no dated update", source, index)
        entries.extend(found)
    return entries


def _gcp_incident(incident: object, source: str) -> list[Entry]:
    if not _is_gcp_incident(incident):
        return []
    ident = _text(incident.get("id"))
    if not ident:
        return []
    service = _text(incident.get("service_name"))
    described = _squash(_text(incident.get("external_desc")))
    # Many descriptions open with "[Service]": the title already starts with it.
    if service and described.lower().startswith(f"[{service.lower()}]"):
        described = described[len(service) + 2 :].strip()
    title = f"{service}: {described}" if service and described else described or service or ident
    uri = _text(incident.get("uri"))
    products = [
        _text(product.get("title")) for product in _mappings(incident.get("affected_products"))
    ]
    dated = [
        (moment, update)
        for update in _mappings(incident.get("updates"))
        if (moment := parse_time(update.get("when"))) is not None
    ]
    dated.sort(key=lambda pair: pair[0])  # the file lists them newest first
    entries: list[Entry] = []
    for position, (moment, update) in enumerate(dated):
        locations = [
            _text(place.get("id")) for place in _mappings(update.get("affected_locations"))
        ]
        entries.append(
            Entry(
                source=source,
                guid=f"gcp:{ident}#{_text(update.get('when'))}",
                link=GCP_BASE + uri.lstrip("/") if uri else None,
                title=title,
                html=_text_to_html(_text(update.get("text"))),
                published=moment,
                status=_gcp_status(_text(update.get("status")), first=position == 0),
                components=_dedupe([*products, *locations]),
                thread=f"gcp:{ident}",
            )
        )
    entries.reverse()  # newest first, like the other sources
    return entries


def _mappings(value: object) -> list[Mapping[str, object]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _gcp_status(word: str, first: bool) -> StatusWord:
    word = word.upper()
    if word == "AVAILABLE":
        return "resolved"
    if word in _GCP_ONGOING:
        # Google has no "investigating" state: its first report is the investigation.
        return "investigating" if first else "ongoing"
    return "update"


def _text_to_html(text: str) -> str:
    """Google's plain text (one line per thought, **bold** labels) as paragraphs."""
    paragraphs = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            escaped = htmllib.escape(line, quote=False)
            paragraphs.append("<p>" + _BOLD.sub(r"<strong>\1</strong>", escaped) + "</p>")
    return "".join(paragraphs)
