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
SUMMARY_MIN = 300  # room kept for the summary before "also reported by" links

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
        fallback = title + "\n" + "\n".join(f"• {escape(i.incident.title)}" for i in chunk)
        messages.append({"text": fallback, "blocks": blocks})
    return messages


def _item_blocks(item: DigestItem, tz: ZoneInfo) -> list[dict[str, Any]]:
    lead, summary = item.lead, item.summary
    title = _escaped_within(lead.title, 300)
    # A URL too long for a section (rare, but Slack would refuse the whole message)
    # is left out; the title still shows.
    heading = f"*<{_link_target(lead.url)}|{title}>*" if _linkable(lead.url) else f"*{title}*"
    facts = escape(_facts(item))
    reporters = _reported_by(item, SECTION_MAX - len(facts) - len(heading) - 3 - SUMMARY_MIN)
    room = SECTION_MAX - len(heading) - len(facts) - len(reporters) - 3
    body = f"{facts}\n{heading}\n{_escaped_within(summary.text, room)}"
    if reporters:
        body += f"\n{reporters}"
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(_byline(item, tz))}]},
        {"type": "divider"},
    ]


def _facts(item: DigestItem) -> str:
    """The line an SRE scans first: what, where, how far along."""
    incident = item.incident
    parts = [item.provider_name or ("Outage" if incident.is_outage else "News")]
    if incident.regions:
        parts.append(", ".join(region_label(r) for r in incident.regions[:4]))
    if incident.status:
        parts.append(incident.status)
    if incident.affected:
        shown = ", ".join(incident.affected[:5])
        parts.append(f"affects {shown}" + (" …" if len(incident.affected) > 5 else ""))
    prefix = "UPDATE · " if item.update else ""
    return prefix + " · ".join(parts)


def _reported_by(item: DigestItem, budget: int, limit: int = 6) -> str:
    """ "Also reported by" with links, in mrkdwn (escaped), within ``budget`` characters.

    A link that does not fit is shown as its plain label; when not even that fits,
    the rest are counted in "and N more".
    """
    others = [a for a in item.incident.articles if a.article_id != item.lead.article_id]
    if not others:
        return ""
    prefix = "Also reported by "
    used = len(prefix) + len(" and 999 more")
    shown: list[str] = []
    for article in others[:limit]:
        label = escape(f"{host_of(article.url)} ({article.language})")
        linked = f"<{_link_target(article.url)}|{label}>" if _linkable(article.url) else label
        piece = linked if used + len(linked) + 2 <= budget else label
        if used + len(piece) + 2 > budget:
            break
        shown.append(piece)
        used += len(piece) + 2
    hidden = len(others) - len(shown)
    if not shown:
        return f"Reported by {len(others)} other source(s)" if budget >= 40 else ""
    return prefix + ", ".join(shown) + (f" and {hidden} more" if hidden else "")


def region_label(region_key: str) -> str:
    """ "aws:us-east-1" -> "us-east-1"."""
    return region_key.split(":", 1)[-1]


def host_of(url: str) -> str:
    if not _is_web(url):
        return url.rsplit("/", 1)[-1] or url
    host = url.split("/", 3)[2].rsplit("@", 1)[-1]  # never show user:password@
    return host.removeprefix("www.")


def render_text(digest: Digest, timezone: str = "UTC", width: int = 88) -> str:
    """The digest for a terminal: what the Slack message says, readable as text."""
    tz = ZoneInfo(timezone)
    lines = [_headline(digest, tz), ""]
    for item in digest.items:
        lead = item.lead
        lines.append(f"■ {_facts(item)}")
        lines.append(f"  {lead.title}")
        lines.append(f"  {lead.url}")
        wrapped = _wrap(item.summary.text, width - 4) or [""]
        lines.extend(f"    {line}" for line in wrapped)
        others = [a for a in item.incident.articles if a.article_id != lead.article_id]
        for other in others:
            lines.append(f"  also: [{other.language}] {other.title} — {host_of(other.url)}")
        lines.append(f"  {_byline(item, tz)}")
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
    noun = "incident" if count == 1 else "incidents"
    when = _when(digest.generated_at, tz)
    return f"Outage digest for {digest.channel}: {count} {noun} with news · {when}"


def _byline(item: DigestItem, tz: ZoneInfo) -> str:
    summary, incident = item.summary, item.incident
    if summary.fallback:
        engine = "extractive summary (model unavailable)"
    elif summary.engine == "extractive":
        engine = "extractive summary"
    else:
        engine = f"summary by {summary.engine}"
    if item.wanted_language and not summary.language.startswith(item.wanted_language):
        # Say so when the summary could not be written in the channel's language.
        engine += f" in {summary.language} ({item.wanted_language} unavailable)"
    reports = len(incident.articles)
    languages = "/".join(incident.languages)
    noun = "report" if reports == 1 else "reports"
    return (
        f"{reports} {noun} · {languages} · first seen {_when(incident.first_seen, tz)}"
        f" · updated {_when(incident.updated_at, tz)} · {engine}"
    )


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _linkable(url: str) -> bool:
    return _is_web(url) and len(_link_target(url)) <= MAX_LINK_URL


def _link_target(url: str) -> str:
    # "|" separates a Slack link's target from its label, so it must not occur in the target.
    return escape(url).replace("|", "%7C")


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


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
