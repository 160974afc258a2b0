"""Digest rendering: Slack Block Kit messages and terminal text. Pure functions.

Slack limits respected here: 50 blocks per message, 3,000 characters per
section text, 150 per header. Text from feeds is escaped (&, <, >) so a title
cannot smuggle in a mention or a link.
"""

from __future__ import annotations

import textwrap
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.schema import Digest, DigestItem

ITEMS_PER_MESSAGE = 15  # 3 blocks per item + a header stays under Slack's 50
SECTION_MAX = 3000
HEADER_MAX = 150
MAX_LINK_URL = 2000

Message = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters; everything else is literal text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_messages(digest: Digest, timezone: str = "UTC") -> list[Message]:
    """One or more chat.postMessage payloads (without ``channel``) for a digest."""
    tz = ZoneInfo(timezone)
    items = digest.items
    chunks = [items[i : i + ITEMS_PER_MESSAGE] for i in range(0, len(items), ITEMS_PER_MESSAGE)]
    messages = []
    for number, chunk in enumerate(chunks, start=1):
        title = _headline(digest, tz)
        if len(chunks) > 1:
            title += f" ({number}/{len(chunks)})"
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": _clip(title, HEADER_MAX)}}
        ]
        for item in chunk:
            blocks.extend(_item_blocks(item, tz))
        fallback = title + "\n" + "\n".join(f"• {escape(i.article.title)}" for i in chunk)
        messages.append({"text": fallback, "blocks": blocks})
    return messages


def _item_blocks(item: DigestItem, tz: ZoneInfo) -> list[dict[str, Any]]:
    article, summary = item.article, item.summary
    title = _escaped_within(article.title, 300)
    # A URL too long for a section (rare, but Slack would refuse the whole message)
    # is left out; the title still shows.
    linkable = _is_web(article.url) and len(escape(article.url)) <= MAX_LINK_URL
    heading = f"*<{escape(article.url)}|{title}>*" if linkable else f"*{title}*"
    body = f"{heading}\n{_escaped_within(summary.text, SECTION_MAX - len(heading) - 1)}"
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(_byline(item, tz))}]},
        {"type": "divider"},
    ]


def render_text(digest: Digest, timezone: str = "UTC", width: int = 88) -> str:
    """The digest for a terminal: what the Slack message says, readable as text."""
    tz = ZoneInfo(timezone)
    lines = [_headline(digest, tz), ""]
    for item in digest.items:
        lines.append(f"■ {item.article.title}")
        lines.append(f"  {_byline(item, tz)}")
        lines.append(f"  {item.article.url}")
        wrapped = _wrap(item.summary.text, width - 4) or [""]
        lines.extend(f"    {line}" for line in wrapped)
        lines.append("")
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap to a display width; Han characters take two terminal columns each."""
    if not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return textwrap.wrap(text, width=width)
    lines, line, used = [], "", 0
    for char in text:
        cells = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + cells > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line += char
        used += cells
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _headline(digest: Digest, tz: ZoneInfo) -> str:
    count = len(digest.items)
    noun = "article" if count == 1 else "articles"
    return (
        f"Outage digest for {digest.channel}: {count} new {noun} · {_when(digest.generated_at, tz)}"
    )


def _byline(item: DigestItem, tz: ZoneInfo) -> str:
    summary = item.summary
    if summary.fallback:
        engine = "extractive summary (model unavailable)"
    elif summary.engine == "extractive":
        engine = "extractive summary"
    else:
        engine = f"summary by {summary.engine}"
    language = item.article.language
    return f"{item.article.source} · {language} · {_when(item.article.published, tz)} · {engine}"


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _is_web(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def _escaped_within(raw: str, limit: int) -> str:
    """Escape, then shorten the raw text until the escaped form fits.

    Clipping after escaping could cut an entity such as "&amp;" in half.
    """
    escaped = escape(raw)
    while len(escaped) > limit and raw:
        raw = raw[: max(len(raw) * limit // len(escaped) - 1, 0)]
        escaped = escape(raw) + "…"
    return escaped


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
