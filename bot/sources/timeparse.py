"""Publication times from the many shapes feeds and front matter use, as UTC."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

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
