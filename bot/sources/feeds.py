"""RSS and Atom via feedparser, always from bytes.

feedparser never raises on bad input: it sets ``bozo`` and parses what it can.
We keep that spirit: a damaged feed that still yields entries is used (and the
problem reported as a warning); a feed with nothing usable is a ParseError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import feedparser

from bot.errors import ParseError
from bot.schema import Entry
from bot.sources.timeparse import parse_time


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


def parse_feed(data: bytes, source: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    # Bytes, never a str: feedparser treats a str as a URL or a file path to open.
    parsed = feedparser.parse(data, response_headers=headers or {})
    warnings = []
    if parsed.get("bozo"):
        warnings.append(f"feed is malformed: {parsed.get('bozo_exception')}")
    entries: list[Entry] = []
    feed_language = parsed.feed.get("language")
    for index, raw in enumerate(parsed.entries):
        entry = _entry(raw, source, feed_language)
        if entry is None:
            warnings.append(f"entry {index} skipped: no title, link or body")
            continue
        entries.append(entry)
    if not entries and not parsed.get("version"):
        # feedparser accepts anything; no recognised version and no entries means
        # this was not a feed at all (an HTML error page, a JSON blob, noise).
        why = parsed.get("bozo_exception") or "no RSS/Atom root element"
        raise ParseError(source, f"not an RSS or Atom feed ({why})")
    return ParsedFeed(title=parsed.feed.get("title", ""), entries=entries, warnings=warnings)


def _entry(raw: Any, source: str, feed_language: str | None) -> Entry | None:
    contents = raw.get("content") or []
    # The longest body wins: content:encoded is the full article, description a teaser.
    bodies = [c.get("value", "") for c in contents] + [raw.get("summary", "")]
    body = max(bodies, key=len)
    title = (raw.get("title") or "").strip()
    link = (raw.get("link") or "").strip() or None
    if not title and not body.strip() and not link:
        return None
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        published = parse_time(raw.get(key))
        if published is not None:
            break
    language = next((c.get("language") for c in contents if c.get("language")), None)
    return Entry(
        source=source,
        guid=(raw.get("id") or "").strip() or None,
        link=link,
        title=title or (link or "(untitled)"),
        html=body,
        published=published,
        author=raw.get("author"),
        language=language or feed_language,
    )
