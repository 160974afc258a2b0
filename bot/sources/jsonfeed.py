"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org) as a ParsedFeed, like RSS and Atom.

A JSON Feed is one JSON object::

    {"version": "https://jsonfeed.org/version/1.1",
     "title": "Example status", "language": "en",         # language: 1.1 only
     "authors": [{"name": "Ops"}],                         # 1.0: "author": {"name": ...}
     "items": [{"id": "42", "url": "https://...", "external_url": "https://...",
                "title": "...", "content_html": "<p>...</p>", "content_text": "...",
                "summary": "...", "date_published": "2024-05-01T10:00:00Z",
                "date_modified": "...", "authors": [...], "language": "en"}]}

Only ``version`` and ``items`` are needed to call it a feed. Every item field is
optional in practice (``id`` is required by the spec but missing in the wild),
so an item is kept when it has any of a title, a body or a link; the rest are
skipped with a warning, the way ``parse_feed`` treats RSS/Atom entries.

Input is the decoded JSON (``json.loads`` output); the caller sniffs the bytes.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Mapping

from bot.errors import ExtractError, ParseError
from bot.schema import Entry
from bot.sources.extract import html_to_paragraphs
from bot.sources.feeds import ParsedFeed
from bot.sources.timeparse import parse_time

# Both versions; http:// appears in early feeds, the trailing slash now and then.
_VERSION = re.compile(r"^https?://jsonfeed\.org/version/1(?:\.\d+)?/?$")
_BLANK_LINES = re.compile(r"\n\s*\n")
# A title made from the text: long enough to recognise, short enough for a headline.
_SNIPPET_CHARS = 80


class _BadItem(Exception):
    """An item that cannot become an Entry; the message says why."""


def is_json_feed(obj: object) -> bool:
    """Whether decoded JSON is a JSON Feed (1.x version URL and an items list)."""
    return (
        isinstance(obj, Mapping)
        and isinstance(obj.get("version"), str)
        and bool(_VERSION.match(obj["version"].strip()))
        and isinstance(obj.get("items"), list)
    )


def parse_json_feed(obj: object, source: str) -> ParsedFeed:
    """The entries of a decoded JSON Feed; a non-feed object raises ParseError."""
    if not isinstance(obj, Mapping):
        raise ParseError(source, "not a JSON Feed (the document is not a JSON object)")
    if not is_json_feed(obj):
        version = obj.get("version")
        why = f"version {version!r} is not a JSON Feed 1.x URL" if version else "no version"
        raise ParseError(source, f"not a JSON Feed ({why}, or no items list)")
    warnings: list[str] = []
    title = _string(obj.get("title"))
    if not title:
        warnings.append("feed has no title")
    feed_author = _authors(obj)
    feed_language = _string(obj.get("language")) or None
    entries: list[Entry] = []
    for index, raw in enumerate(obj["items"]):
        try:
            entries.append(_item(raw, source, feed_author, feed_language, warnings, index))
        except (_BadItem, ExtractError) as exc:
            warnings.append(f"item {index} skipped: {exc}")
    return ParsedFeed(title=title, entries=entries, warnings=warnings)


def _item(
    raw: object,
    source: str,
    feed_author: str | None,
    feed_language: str | None,
    warnings: list[str],
    index: int,
) -> Entry:
    if not isinstance(raw, Mapping):
        raise _BadItem("not a JSON object")
    link = _string(raw.get("url")) or _string(raw.get("external_url")) or None
    body = _body(raw)
    title = _string(raw.get("title")) or _snippet(raw, body)
    if not title and not body and not link:
        raise _BadItem("no title, link or body")
    published = None
    for key in ("date_published", "date_modified"):
        value = raw.get(key)
        published = parse_time(value)
        if published is not None:
            break
        if value not in (None, ""):
            warnings.append(f"item {index}: unreadable {key} {value!r}")
    return Entry(
        source=source,
        guid=_identifier(raw.get("id")),
        link=link,
        title=title or link or "(untitled)",
        html=body,
        published=published,
        author=_authors(raw) or feed_author,
        language=_string(raw.get("language")) or feed_language,
    )


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _identifier(value: object) -> str | None:
    # The spec says string, but early 1.0 feeds wrote numbers; both identify the item.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string(value) or None


def _body(raw: Mapping[str, object]) -> str:
    """The fullest body: HTML content, else the text content, else the summary."""
    content_html = _string(raw.get("content_html"))
    if content_html:
        return content_html
    return _text_to_html(_string(raw.get("content_text")) or _string(raw.get("summary")))


def _text_to_html(text: str) -> str:
    """Plain text as escaped paragraphs: blank lines split them, single newlines break lines."""
    paragraphs = []
    for block in _BLANK_LINES.split(text.replace("\r\n", "\n")):
        lines = [htmllib.escape(line.strip(), quote=False) for line in block.split("\n")]
        joined = "<br>".join(line for line in lines if line)
        if joined:
            paragraphs.append(f"<p>{joined}</p>")
    return "".join(paragraphs)


def _snippet(raw: Mapping[str, object], body: str) -> str:
    """A title for an untitled item (microblog posts): the start of its text."""
    text = _string(raw.get("summary")) or _string(raw.get("content_text"))
    if not text and body:
        text = " ".join(html_to_paragraphs(body))
    text = " ".join(text.split())
    if len(text) <= _SNIPPET_CHARS:
        return text
    cut = text[:_SNIPPET_CHARS].rsplit(" ", 1)[0] or text[:_SNIPPET_CHARS]
    return cut.rstrip(",;:") + "…"


def _authors(holder: Mapping[str, object]) -> str | None:
    """Names from 1.1 ``authors`` (a list) or 1.0 ``author`` (one object), comma-joined."""
    people: list[object] = []
    listed = holder.get("authors")
    if isinstance(listed, list):
        people = listed
    elif holder.get("author") is not None:
        people = [holder.get("author")]
    names = []
    for person in people:
        # A bare string is not the spec, but it can only be a name.
        name = _string(person.get("name")) if isinstance(person, Mapping) else _string(person)
        if name and name not in names:
            names.append(name)
    return ", ".join(names) or None
