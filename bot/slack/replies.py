"""Replies to ``/outage-summary``, as Slack messages. Pure functions.

These are shorter than digest messages: one section per incident, so a whole
answer fits in one message (Slack allows 50 blocks; we show at most
``MAX_LISTED`` incidents and say how many more there were).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.channels.directory import Subscription
from bot.config import ChannelConfig
from bot.digest.mrkdwn import escape
from bot.digest.mrkdwn import text as md
from bot.digest.render import host_of, region_label
from bot.schema import Article, Incident, Summary
from bot.sources.health import SourceHealth

MAX_LISTED = 10  # 2 blocks each, plus a header and a footer: well under 50 blocks
SECTION_MAX = 3000

Message = dict[str, Any]


def plain(text: str, *, public: bool = False) -> Message:
    """A reply of mrkdwn text we wrote ourselves (feed text must be escaped first)."""
    return {"text": text, "response_type": "in_channel" if public else "ephemeral"}


def incident_list(
    title: str,
    listed: list[tuple[Incident, Summary | None, str | None]],
    total: int,
    timezone: str,
    *,
    public: bool,
) -> Message:
    """Incidents (with their lead's summary and provider display name), newest first."""
    tz = ZoneInfo(timezone)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(title, 150)}}
    ]
    for incident, summary, provider_name in listed[:MAX_LISTED]:
        blocks.append(_incident_section(incident, summary, provider_name))
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": md(_byline(incident, summary, tz))}],
            }
        )
    if total > MAX_LISTED:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"…and {total - MAX_LISTED} more; narrow it with a provider "
                        "or keyword, e.g. `/outage-summary aws 3d`.",
                    }
                ],
            }
        )
    fallback = md(title) + "".join(f"\n• {md(i.title)}" for i, _, _ in listed[:MAX_LISTED])
    return {
        "text": fallback,
        "blocks": blocks,
        "response_type": "in_channel" if public else "ephemeral",
    }


def _incident_section(
    incident: Incident, summary: Summary | None, provider_name: str | None
) -> dict[str, Any]:
    facts = [provider_name or "Outage"]
    if incident.regions:
        facts.append(", ".join(region_label(r) for r in incident.regions[:4]))
    if incident.status:
        facts.append(incident.status)
    # The report that was summarised for this channel (bot/digest/lead.py) is the one linked.
    wanted = summary.article_id if summary is not None else incident.lead_article_id
    lead = next((a for a in incident.articles if a.article_id == wanted), incident.articles[0])
    title = md(_clip(lead.title, 300))
    link = f"<{_target(lead.url)}|{title}>" if _is_web(lead.url) else title
    body = f"*{md(' · '.join(facts))}*\n{link}"
    if summary is not None:
        body += "\n" + md(summary.text)
    others = [a for a in incident.articles if a.article_id != lead.article_id]
    if others:
        hosts = ", ".join(dict.fromkeys(md(host_of(a.url)) for a in others[:5]))
        body += f"\nAlso reported by {hosts}" + (" …" if len(others) > 5 else "")
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(body, SECTION_MAX)}}


def _byline(incident: Incident, summary: Summary | None, tz: ZoneInfo) -> str:
    reports = len(incident.articles)
    parts = [
        f"{reports} report{'s' if reports != 1 else ''}",
        "/".join(incident.languages),
        f"updated {_when(incident.updated_at, tz)}",
    ]
    if summary is not None:
        parts.append(_engine(summary))
    return " · ".join(parts)


def article_summary(article: Article, summary: Summary, facts: str, *, public: bool) -> Message:
    """The reply to ``/outage-summary <url>``."""
    title = md(_clip(article.title, 300))
    link = f"<{_target(article.url)}|{title}>" if _is_web(article.url) else title
    body = f"*{link}*\n{md(summary.text)}"
    if facts:
        body = f"*{md(facts)}*\n" + body
    context = f"{article.language} · {_engine(summary)}"
    return {
        "text": f"Summary of {md(article.title)}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": _clip(body, SECTION_MAX)}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": md(context)}]},
        ],
        "response_type": "in_channel" if public else "ephemeral",
    }


def settings_text(channel: ChannelConfig, origin: str) -> str:
    filters = channel.filters
    schedule = "as it happens" if channel.schedule == "realtime" else f"`{channel.schedule}`"
    return "\n".join(
        [
            f"*Digest settings for <#{channel.id}>* ({origin})",
            f"• schedule: {schedule} ({md(channel.timezone)})",
            f"• providers: {_any(filters.providers)}",
            f"• languages: {_any(filters.languages)}",
            f"• keywords: {_any(filters.keywords)}",
            f"• summary language: {channel.summary_language}",
            "Change one with `/outage-summary settings <name> <value>`.",
        ]
    )


def sources_text(
    configured: list[tuple[str, str, SourceHealth]],
    subscribed: list[tuple[Subscription, SourceHealth]],
) -> str:
    lines = [f"*Sources read for everyone* ({len(configured)})"]
    lines += [
        f"• {md(name)} — {md(location)} · {_health(h)}" for name, location, h in configured
    ] or ["• none"]
    lines.append(f"*Feeds this channel subscribed* ({len(subscribed)})")
    lines += [f"• {md(s.url)} · {_health(h)}" for s, h in subscribed] or [
        "• none: `/outage-summary subscribe <feed-url>`"
    ]
    return _clip("\n".join(lines), 3900)


def _health(health: SourceHealth) -> str:
    if health.failures:
        # The error quotes what the feed's server sent (a content type, a redirect
        # target): it is outside text like any feed text, so it is escaped.
        return f"failing ({health.failures}x): {md(health.last_error or 'unknown error')}"
    if health.last_success:
        return f"ok, last read {health.last_success:%Y-%m-%d %H:%M} UTC"
    return "not read yet"


def _any(values: tuple[str, ...]) -> str:
    return ", ".join(md(v) for v in values) if values else "any"


def _engine(summary: Summary) -> str:
    if summary.fallback:
        return "extractive summary (model unavailable)"
    if summary.engine == "extractive":
        return "extractive summary"
    precision = f" ({summary.precision})" if summary.precision else ""
    return f"summary by {summary.engine}{precision}"


def window_label(window: timedelta) -> str:
    hours = int(window.total_seconds() // 3600)
    if hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{hours} h"


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and len(url) <= 2000


def _target(url: str) -> str:
    return escape(url).replace("|", "%7C")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
