"""Publication times from the many shapes feeds and front matter use, as UTC."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

# A clock skew allowance: a date a little in the future is trusted, a date far
# in the future (a typo, a wrong timezone) is replaced by the time we saw it.
FUTURE_SLACK = timedelta(hours=1)


def parse_time(value: object) -> datetime | None:
    """Parse RFC 822, ISO 8601, ``datetime``/``date`` or ``struct_time``; naive means UTC."""
    parsed: datetime | None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, time.struct_time):
        # feedparser's *_parsed fields are already converted to UTC.
        parsed = datetime(*value[:6], tzinfo=UTC)
    elif isinstance(value, str):
        parsed = _parse_text(value.strip())
    else:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_text(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def published_or_now(value: datetime | None, now: datetime) -> datetime:
    """The publication time to store: missing or implausibly future times become ``now``."""
    if value is None or value > now + FUTURE_SLACK:
        return now
    return value


# "2022年12月20日 22时06分": the usual Chinese way of writing a date.
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_PLAUSIBLE_YEARS = range(1990, 2100)


def parse_loose_time(text: str) -> datetime | None:
    """Like ``parse_time``, also reading dates as people write them in articles:
    "July 22, 2021 -- 18:48 GMT (19:48 BST)", "December 10th, 2021", "2022年12月20日".

    A text without a four-digit year is not taken as a date: guessing the year
    from today would make an old article look new.
    """
    if found := parse_time(text):
        return found
    if chinese := _CHINESE_DATE.search(text):
        return _day(*(int(part) for part in chinese.groups()))
    if not _YEAR.search(text):
        return None
    # Only the part before a parenthesis: "(19:48 BST)" repeats the time in another zone.
    head = text.split("(", 1)[0].replace("--", " ")
    try:
        parsed = dateutil_parser.parse(head, fuzzy=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return parse_time(parsed) if parsed.year in _PLAUSIBLE_YEARS else None


# Jekyll/Hexo file names ("2021-12-07-aws-outage.md") and date folders ("2024/07/20/").
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_.]|$)")
_FOLDER_DATE = re.compile(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)")
_SEGMENT_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def date_from_path(path: str) -> datetime | None:
    """The publication day a file's path states by convention, else None.

    Only whole conventions count: a name that *starts* with YYYY-MM-DD, a folder
    chain YYYY/MM/DD, or a folder named YYYY-MM-DD or YYYYMMDD. A date elsewhere
    in a name is often the date of something else (the event, an archive run).
    """
    normalised = path.replace("\\", "/")
    segments = [s for s in normalised.split("/") if s]
    if not segments:
        return None
    if named := _NAME_DATE.match(segments[-1]):
        return _day(*(int(part) for part in named.groups()))
    if folders := _FOLDER_DATE.search("/".join(segments[:-1])):
        return _day(*(int(part) for part in folders.groups()))
    for segment in reversed(segments[:-1]):
        if whole := _SEGMENT_DATE.match(segment):
            return _day(*(int(part) for part in whole.groups()))
    return None


def _day(year: int, month: int, day: int) -> datetime | None:
    if year not in _PLAUSIBLE_YEARS:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
