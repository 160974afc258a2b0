"""Article files as they come: Markdown (with or without front matter) and plain text.

Shapes met in real archives, all read here:

* Hexo/Hugo/Jekyll posts: YAML (``---``) or TOML (``+++``) front matter, then an
  HTML or Markdown body (RSSHub mirrors, static sites).
* Whole pages saved as Markdown behind front matter (chainreactors/picker): the
  body is cleaned of the page around the story (``bot.sources.markdown_body``).
* No front matter, the metadata as a list under the headline
  (``+ Link: [article](https://…)``, ``+ Date: July 22, 2021``), as articleMD writes.
* Plain Markdown or text: the title is the first heading, else the first line.
* Blogs that put the date on a line of its own under the headline ("2021/10/05",
  "Posted on October 5, 2021 to Networking"): that line is the publication date.

Where the file does not say when it was published, the Jekyll/Hexo file-name
convention (``2021-12-07-slug.md``) or a date directory (``2024/07/20/``) does;
otherwise the entry is undated and says so, never silently "now". The file path
is kept as ``Entry.path``; ``link`` is the original article when the file names it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markdown_it import MarkdownIt

from bot.errors import ExtractError, ParseError
from bot.schema import Entry
from bot.sources.frontmatter import split_front_matter
from bot.sources.markdown_body import html_paragraphs, markdown_paragraphs, prose_chars
from bot.sources.timeparse import date_from_path, parse_loose_time, parse_time

_LINK_KEYS = ("url", "link", "permalink", "source_url", "original_url", "canonical_url")
_TIME_KEYS = ("date", "published", "pubDate", "pubdate", "created", "publishDate")
# A character reference as Markdown reads one: closed by ";" (HTML's legacy names with
# none, "&not" in "&notice", are text).
_CHARACTER_REFERENCE = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Below this many characters of story text the body is page chrome: title-only.
MIN_STORY_CHARS = 10
MIN_LINE_CHARS = 40
# A body written in HTML (Hexo posts), not Markdown: block tags and no Markdown headings.
_HTML_BLOCK = re.compile(r"<(p|div|br|h[1-6]|ul|ol|li|table|article|section|blockquote)\b", re.I)
_MD_HEADING = re.compile(r"^#{1,6}\s", re.M)
_HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$|^(.+)\n[ \t]*(?:=+|-+)[ \t]*$", re.M)
# "+ Link: [article](https://…)" lines near the top: a metadata list in the body.
_META_LINE = re.compile(
    r"^[ \t]*[-+*][ \t]+(source|link|url|date|published|author)[ \t]*:[ \t]*(.+?)[ \t]*$",
    re.I | re.M,
)
_MD_LINK_TARGET = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)>?")
_BARE_URL = re.compile(r"https?://\S+")
_META_SCAN_CHARS = 3000  # the metadata list sits under the headline, not in the story
# A line that is a date and nothing else (but a "Posted on" before it, and the
# category or author after it): only whole dates with a year, in the usual shapes.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
_DATELINE = re.compile(
    rf"^(?:(?:posted|published|date)(?:\s+on)?\s*:?\s*)?({_DATE})"
    r"(?:\s+(?:to|by|in|at)\s.*|\s*[|·—–-].*|\s+\d{1,2}\s*[:：时]\s*\d{2}.*)?$",
    re.I,
)
_DATELINE_LINES = 6  # non-empty lines under the headline looked at
_INLINE = MarkdownIt("commonmark")


@dataclass(frozen=True)
class MarkdownRead:
    entry: Entry
    warnings: list[str] = field(default_factory=list)


def parse_markdown(data: bytes, source: str, path: str) -> Entry:
    """One article from a Markdown file; ``path`` (as given) is the fallback URL."""
    return read_markdown(data, source, path).entry


def read_markdown(data: bytes, source: str, path: str) -> MarkdownRead:
    """One article from a Markdown file, with warnings about what was read leniently."""
    text = _decode(data, source, path)
    front = split_front_matter(text)
    meta: dict[str, Any] = dict(front.meta)
    body, listed = _metadata_list(front.body)
    for key, value in listed.items():
        meta.setdefault(key, value)
    if not any(meta.get(key) for key in _TIME_KEYS) and (dated := _dateline(body)):
        meta["date"] = dated
    # A front matter's title holds character references as a feed wrote them; they are
    # the characters ("IPv6 to the Rescue&#x3f;" is a question, its ";" no break between
    # two stories). A heading's are rendered with the Markdown.
    front_title = _text(meta, ("title",))
    title = _CHARACTER_REFERENCE.sub(lambda ref: html.unescape(ref[0]), front_title or "")
    title = title.strip() or _first_heading(body) or _first_line(body) or ""
    if not title:
        raise ParseError(source, f"{path}: no title (no front matter title, heading or text)")
    try:
        if _HTML_BLOCK.search(body) and not _MD_HEADING.search(body):
            paragraphs = html_paragraphs(body, title)
        else:
            paragraphs = markdown_paragraphs(body, title)
    except ExtractError as exc:
        raise ParseError(source, f"{path}: {exc.why}") from exc
    warnings = [f"{path}: {w}" for w in front.warnings]
    return MarkdownRead(_entry(source, path, meta, title, paragraphs), warnings)


def parse_plain_text(data: bytes, source: str, path: str) -> Entry:
    """A ``.txt`` article: the first line is the title, blank lines separate paragraphs.

    A date on the line under the title ("December 10th, 2021") is its publication day.
    """
    lines = _decode(data, source, path).strip().splitlines()
    if not lines:
        raise ParseError(source, f"{path}: empty file")
    title = lines[0].strip()
    rest = "\n".join(lines[1:])
    blocks = [" ".join(b.split()) for b in re.split(r"\n[ \t]*\n", rest) if b.strip()]
    meta: dict[str, Any] = {}
    if blocks and len(blocks[0]) <= 40 and parse_loose_time(blocks[0]):
        meta["date"] = blocks.pop(0)
    return _entry(source, path, meta, title, blocks)


def _entry(
    source: str, path: str, meta: dict[str, Any], title: str, paragraphs: list[str]
) -> Entry:
    # No sentence and no line long enough to be one (live-update lines such as
    # "19:50: attack resumes" have no full stop but are still the story).
    # A teaser cut off with an ellipsis is not a body either.
    title_only = prose_chars(paragraphs) < MIN_STORY_CHARS and all(
        len(p) < MIN_LINE_CHARS or p.endswith(("...", "…")) for p in paragraphs
    )
    stated = next((t for k in _TIME_KEYS if (t := _time(meta.get(k)))), None)
    inferred = None if stated else date_from_path(path)
    return Entry(
        source=source,
        guid=_text(meta, ("guid", "id", "uuid")),
        # Without a link in the front matter, the file path (as given) identifies it.
        link=_link(meta) or path,
        path=path,
        title=title,
        # A body of page chrome only (navigation kept, story lost) is not used at all.
        html=""
        if title_only
        else "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
        published=stated or inferred,
        published_from="path" if inferred else "source",
        author=_text(meta, ("author",)),
        language=_text(meta, ("lang", "language")),
        title_only=title_only,
    )


def _decode(data: bytes, source: str, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            source, f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc


def _metadata_list(body: str) -> tuple[str, dict[str, str]]:
    """``+ Key: value`` lines under the headline, read and taken out of the body."""
    head, tail = body[:_META_SCAN_CHARS], body[_META_SCAN_CHARS:]
    found: dict[str, str] = {}
    for match in _META_LINE.finditer(head):
        key, value = match.group(1).lower(), match.group(2)
        if key in ("link", "url"):
            target = _MD_LINK_TARGET.search(value) or _BARE_URL.match(value)
            if target is None:
                continue
            value = target.group(1) if target.re is _MD_LINK_TARGET else target.group(0)
        found.setdefault("date" if key == "published" else key, value)
    if not found:
        return body, {}
    return _META_LINE.sub("", head) + tail, found


def _dateline(body: str) -> str | None:
    """The date on a line of its own near the top of the body, if there is one."""
    lines = (_plain_inline(line) for line in body[:_META_SCAN_CHARS].splitlines())
    for line in [text for text in lines if text][:_DATELINE_LINES]:
        if match := _DATELINE.match(line):
            return match.group(1)
    return None


def _first_heading(body: str) -> str | None:
    for match in _HEADING.finditer(body):
        if text := _plain_inline(match.group(1) or match.group(2)):
            return text
    return None


def _first_line(body: str) -> str | None:
    for line in body.splitlines():
        text = _plain_inline(line)
        if any(char.isalnum() for char in text):  # not a rule ("---") or stray punctuation
            return text[:300]
    return None


def _plain_inline(markdown: str) -> str:
    """The text of one line of Markdown: link and emphasis syntax gone, images dropped."""
    tokens = _INLINE.parseInline(markdown.strip())
    parts = [
        child.content
        for token in tokens
        for child in token.children or []
        if child.type in ("text", "code_inline")
    ]
    return " ".join("".join(parts).split())


def _link(meta: dict[str, Any]) -> str | None:
    for key in _LINK_KEYS:
        value = _text(meta, (key,))
        if value and value.lower().startswith(("http://", "https://")):
            return value
    return None


def _time(value: object) -> datetime | None:
    return parse_time(value) if not isinstance(value, str) else parse_loose_time(value)


def _text(meta: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None
