"""Cloud status JSON, split into one Entry per update: AWS Health and Google Cloud.

:func:`detect_status_json` tells which document a decoded JSON value is;
:func:`parse_aws_health` reads the AWS Service Health Dashboard ``data.json`` and
:func:`parse_gcp_incidents` Google Cloud's ``incidents.json`` (both shapes are
described in ``bot.sources.status``).
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Literal, TypeGuard

from bs4 import BeautifulSoup

from bot.errors import ParseError
from bot.schema import Entry, StatusWord
from bot.sources.status_common import (
    ITEM_ERRORS,
    Clock,
    dedupe,
    following,
    inner_html,
    json_text,
    nearest,
    parse_clock,
    squash,
    trim,
)
from bot.sources.timeparse import parse_time

# The logger name from before the split into modules, so log filters keep working.
log = logging.getLogger("bot.sources.status")

AWS_LINK = "https://health.aws.amazon.com/health/status"
GCP_BASE = "https://status.cloud.google.com/"

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
            except ITEM_ERRORS as exc:
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
    service = json_text(event.get("service"))
    stamp = json_text(event.get("date"))
    start = _epoch(stamp)
    description = event.get("description")
    if not service or start is None or not isinstance(description, str):
        return []
    name = json_text(event.get("service_name")) or service
    raw_summary = json_text(event.get("summary"))
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


def _aws_updates(description: str) -> list[tuple[Clock | None, str]]:
    """Each update ``<div>`` of a description as (its clock time, its text as HTML)."""
    soup = BeautifulSoup(description, "lxml")
    container = soup.body or soup
    blocks = container.find_all("div", recursive=False)
    if not blocks:
        # Plain text without update markup: one update, timed at the event start.
        body = trim(inner_html(container.children))
        return [(None, body)] if squash(container.get_text()) else []
    updates: list[tuple[Clock | None, str]] = []
    for block in blocks:
        marked = block.find("span", class_="yellowfg")
        span = marked or block.find("span")
        clock = parse_clock(squash(span.get_text())) if span is not None else None
        # An unmarked span is only the time when it reads as one; else it is text.
        if span is not None and (marked is not None or clock is not None):
            span.extract()
        if not squash(block.get_text()):
            continue
        updates.append((clock, trim(inner_html(block.children))))
    return updates


def _aws_times(clocks: list[Clock | None], start: datetime) -> list[datetime]:
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
                moment = nearest(clock, previous)
            else:
                moment = following(clock, previous)
        previous = moment or previous
        times.append(previous)
    return times


def _aws_status(body: str) -> StatusWord:
    text = squash(BeautifulSoup(body, "lxml").get_text())
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
        except ITEM_ERRORS as exc:
            log.warning("%s: GCP incident %d skipped: %s", source, index, exc)
            continue
        if not found:
            log.warning("%s: GCP incident %d skipped: no id or no dated update", source, index)
        entries.extend(found)
    return entries


def _gcp_incident(incident: object, source: str) -> list[Entry]:
    if not _is_gcp_incident(incident):
        return []
    ident = json_text(incident.get("id"))
    if not ident:
        return []
    service = json_text(incident.get("service_name"))
    described = squash(json_text(incident.get("external_desc")))
    # Many descriptions open with "[Service]": the title already starts with it.
    if service and described.lower().startswith(f"[{service.lower()}]"):
        described = described[len(service) + 2 :].strip()
    title = f"{service}: {described}" if service and described else described or service or ident
    uri = json_text(incident.get("uri"))
    products = [
        json_text(product.get("title")) for product in _mappings(incident.get("affected_products"))
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
            json_text(place.get("id")) for place in _mappings(update.get("affected_locations"))
        ]
        entries.append(
            Entry(
                source=source,
                guid=f"gcp:{ident}#{json_text(update.get('when'))}",
                link=GCP_BASE + uri.lstrip("/") if uri else None,
                title=title,
                html=_text_to_html(json_text(update.get("text"))),
                published=moment,
                status=_gcp_status(json_text(update.get("status")), first=position == 0),
                components=dedupe([*products, *locations]),
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
