"""Bytes of one document (a file or an HTTP body) to entries, whatever the format.

Which parser runs is decided from the source's ``kind``, then the file suffix or
the HTTP content type, then the bytes themselves:

* Markdown, with or without front matter            -> ``markdown``
* plain text (``.txt``)                               -> ``markdown`` (plain-text reader)
* JSON: JSON Feed, AWS Health data.json, GCP incidents.json -> ``jsonfeed`` / ``status``
* RSS / Atom (Statuspage history feeds are split per update) -> ``feeds`` / ``status``
* an HTML article page (``kind = "page"``, a local ``.html`` file, or HTML that
  is not a feed) -> ``page``

Parsers receive bytes, never a URL or a path to open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.errors import ParseError
from bot.schema import Entry, SourceKind
from bot.sources.charset import feed_bytes
from bot.sources.feeds import parse_feed
from bot.sources.jsonfeed import is_json_feed, parse_json_feed
from bot.sources.markdown import parse_plain_text, read_markdown
from bot.sources.page import parse_page
from bot.sources.status import (
    detect_status_json,
    expand_statuspage,
    is_statuspage,
    parse_aws_health,
    parse_gcp_incidents,
)

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt",)
JSON_SUFFIXES = (".json",)
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Document:
    """One fetched or read document, before parsing."""

    data: bytes
    location: str  # the URL, or the file path as given
    content_type: str | None = None  # from HTTP; None for local files


@dataclass(frozen=True)
class SourceRead:
    """What one source yielded: entries, plus warnings about what was skipped."""

    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


def parse_document(doc: Document, source: str, kind: SourceKind = "auto") -> SourceRead:
    """Entries of ``doc``; ParseError when it holds nothing usable."""
    # "status" documents come as feeds or JSON; the bytes tell which.
    shape = kind if kind not in ("auto", "status") else _sniff(doc)
    if shape == "text":
        return SourceRead([parse_plain_text(doc.data, source, doc.location)])
    if shape == "markdown":
        read = read_markdown(doc.data, source, doc.location)
        return SourceRead([read.entry], read.warnings)
    if shape == "json":
        return _parse_json(doc, source)
    if shape == "page":
        return SourceRead([parse_page(doc.data, source, doc.location, doc.content_type)])
    return _parse_feed_or_page(doc, source, allow_page=kind == "auto" and _looks_html(doc))


def _sniff(doc: Document) -> str:
    lowered = doc.location.lower().split("?", 1)[0]
    content_type = (doc.content_type or "").lower()
    head = doc.data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.endswith(MARKDOWN_SUFFIXES) or (
        not content_type and head.startswith((b"---", b"+++"))
    ):
        return "markdown"
    if lowered.endswith(TEXT_SUFFIXES) and not content_type:
        return "text"
    if lowered.endswith(HTML_SUFFIXES) and not content_type:
        return "page"  # a saved web page: one article
    if "json" in content_type or lowered.endswith(JSON_SUFFIXES) or head[:1] in (b"{", b"["):
        return "json"
    return "feed"


def _looks_html(doc: Document) -> bool:
    content_type = (doc.content_type or "").lower()
    if "html" in content_type:
        return True
    head = doc.data[:1024].lstrip().lower()
    return doc.location.lower().endswith(HTML_SUFFIXES) or head.startswith(
        (b"<!doctype html", b"<html")
    )


def _parse_json(doc: Document, source: str) -> SourceRead:
    try:
        obj = json.loads(doc.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(source, f"{doc.location}: not valid JSON: {exc}") from exc
    except RecursionError as exc:  # [[[[…]]]]: the C decoder recurses per level
        raise ParseError(source, f"{doc.location}: JSON nested too deeply to read") from exc
    if is_json_feed(obj):
        parsed = parse_json_feed(obj, source)
        return SourceRead(parsed.entries, [f"{doc.location}: {w}" for w in parsed.warnings])
    platform = detect_status_json(obj)
    if platform == "aws":
        return SourceRead(parse_aws_health(obj, source))
    if platform == "gcp":
        return SourceRead(parse_gcp_incidents(obj, source))
    raise ParseError(
        source,
        f"{doc.location}: JSON that is neither a JSON Feed nor an AWS/Google Cloud status document",
    )


def _parse_feed_or_page(doc: Document, source: str, *, allow_page: bool) -> SourceRead:
    try:
        # feed_bytes already settled the charset (transcoding when feedparser would
        # misread it), so the header's charset must not be applied a second time.
        parsed = parse_feed(feed_bytes(doc.data, doc.content_type), source)
    except ParseError:
        if not allow_page:
            raise
        # Not a feed but HTML: a single article page (an error page fails here too,
        # because parse_page insists on real article text).
        return SourceRead([parse_page(doc.data, source, doc.location, doc.content_type)])
    warnings = [f"{doc.location}: {w}" for w in parsed.warnings]
    entries = parsed.entries
    if is_statuspage(parsed.title, entries):
        entries = expand_statuspage(entries)
    if not entries:
        warnings.append(f"{doc.location}: feed has no entries")
    return SourceRead(entries, warnings)
