"""What the status-platform readers share: clock times as pages print them, and text helpers.

Statuspage feeds and the AWS dashboard both stamp updates with a wall-clock time
that leaves out the year, sometimes the whole date, and names its zone by
abbreviation; :func:`parse_clock` reads such a stamp and :func:`nearest` /
:func:`following` place it in time. The rest are the small text and markup helpers
that ``bot.sources.statuspage`` and ``bot.sources.cloud_status`` both need, kept
here so the two readers stay independent of each other.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from bs4 import Comment, Tag
from bs4.element import NavigableString

# A damaged item must not cost the rest of the document; these are what odd field
# types raise while we read one (pydantic's ValidationError is a ValueError).
ITEM_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)

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
class Clock:
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


def parse_clock(text: str) -> Clock | None:
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
    return Clock(
        hour=hour,
        minute=minute,
        zone=timezone(timedelta(minutes=_ZONE_MINUTES[zone_name])),
        month=month,
        day=int(match["day"]) if match["day"] else None,
        year=int(match["year"]) if match["year"] else None,
    )


def nearest(clock: Clock, reference: datetime) -> datetime | None:
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


def following(clock: Clock, previous: datetime) -> datetime | None:
    """The first reading of a date-less ``clock`` not (much) before ``previous``."""
    moment = clock.on(previous.astimezone(clock.zone).date())
    if moment is None:
        return None
    while moment < previous - _BACKWARD_SLACK:
        moment += timedelta(days=1)
    return moment


# --------------------------------------------------------------------------- shared helpers

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def json_text(value: object) -> str:
    """A JSON scalar as text; anything else (lists, objects, null) as empty."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def dedupe(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in names if name))


def split_names(text: str) -> tuple[str, ...]:
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
    return dedupe(squash(name) for name in names)


def inner_html(nodes: Iterable[object]) -> str:
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


def trim(markup: str) -> str:
    return _EDGE_BREAKS_END.sub("", _EDGE_BREAKS_START.sub("", markup))
