"""Hexo/Hugo-style Markdown files: YAML front matter, then an HTML (or plain) body.

This is the format RSSHub-to-static-site mirrors write: one article per file.
"""

from __future__ import annotations

import html
import re
from typing import Any

import yaml

from bot.errors import ParseError
from bot.schema import Entry
from bot.sources.timeparse import parse_time

_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HTML_BLOCK = re.compile(r"<(p|div|br|h[1-6]|ul|ol|li|table|article|section|blockquote)\b", re.I)
_LINK_KEYS = ("link", "url", "permalink", "source_url", "original_url")
_TIME_KEYS = ("date", "published", "pubDate", "created")


def parse_markdown(data: bytes, source: str, path: str) -> Entry:
    """One article from a front-matter file; ``path`` (as given) is the fallback URL."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            source, f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ParseError(source, f"{path}: no front matter (expected a leading '---' block)")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        # Scrapers write titles like  title: 'Error' in Microsoft's ...  which YAML
        # rejects; plain "key: value" lines still say what the article is.
        meta = _lenient_front_matter(match.group(1))
        if not meta.get("title"):
            raise ParseError(source, f"{path}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ParseError(source, f"{path}: front matter must be a mapping of keys to values")
    title = _first_text(meta, ("title",))
    if not title:
        raise ParseError(source, f"{path}: front matter has no 'title'")
    body = text[match.end() :]
    return Entry(
        source=source,
        guid=_first_text(meta, ("guid", "id", "uuid")),
        # Without a link in the front matter, the file path (as given) identifies it.
        link=_first_text(meta, _LINK_KEYS) or path,
        title=title,
        html=body if _HTML_BLOCK.search(body) else _plain_to_html(body),
        published=next((t for k in _TIME_KEYS if (t := parse_time(meta.get(k)))), None),
        author=_first_text(meta, ("author",)),
        language=_first_text(meta, ("lang", "language")),
    )


_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*?)[ \t]*$")


def _lenient_front_matter(block: str) -> dict[str, str]:
    """Top-level ``key: value`` lines, for front matter that is not valid YAML."""
    meta: dict[str, str] = {}
    for line in block.splitlines():
        found = _KEY_LINE.match(line)
        if found is None or not found.group(2):
            continue
        value = found.group(2)
        if value[0] in "[{&*!|>":  # a YAML construct we cannot read without YAML
            continue
        if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        meta.setdefault(found.group(1), value)
    return meta


def _first_text(meta: dict[Any, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None


def _plain_to_html(body: str) -> str:
    # Markdown proper is not rendered: blank-line-separated blocks become paragraphs,
    # which is what extraction needs (inline markup stays as literal characters).
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    return "".join(f"<p>{html.escape(b)}</p>" for b in blocks)
