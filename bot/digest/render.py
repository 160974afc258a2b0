"""Digest rendering: Slack Block Kit messages and terminal text. Pure functions.

Slack limits respected here: 50 blocks per message, 3,000 characters per
section text, 150 per header. Text from feeds is escaped (&, <, >) so a title
cannot smuggle in a mention or a link.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Collection
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.digest import briefing, mrkdwn
from bot.digest.lead import root_cause_report
from bot.schema import Digest, DigestItem, IncidentArticle
from bot.summarize.title_only import TITLE_ENGINE

ITEMS_PER_MESSAGE = 15  # incidents per DigestSink call: the terminal gets a digest in chunks
SECTION_MAX = 3000
HEADER_MAX = 150
MAX_LINK_URL = 2000
SUMMARY_MIN = 300  # room kept for the summary before "also reported by" links
REPORT_TITLE_MAX = 200  # a report's title in an update's list of new reports
FALLBACK_TITLE_MAX = 500  # notification text; the blocks carry the whole message

Message = dict[str, Any]  # a chat.postMessage payload without ``channel``: text, blocks
Block = dict[str, Any]


escape = mrkdwn.escape  # control characters only: link targets
md = mrkdwn.text  # every piece of outside text shown as mrkdwn


def render_header(
    digest: Digest, timezone: str = "UTC", *, new: int | None = None, updated: int = 0
) -> Message:
    """The message that opens a digest in a channel; one message per incident follows.

    ``new`` counts the incidents that get their own message now (default: all);
    ``updated`` those already posted earlier, whose news goes to their threads.
    """
    tz = ZoneInfo(timezone)
    count = len(digest.items) if new is None else new
    noun = "new incident" if count == 1 else "new incidents"
    title = _clip(f"Outage digest: {count} {noun} · {_when(digest.generated_at, tz)}", HEADER_MAX)
    note = (
        "Each incident has its own message below; later news about it goes to its thread, "
        "and a question asked there is answered from its reports."
    )
    if updated:
        where = "1 earlier incident has" if updated == 1 else f"{updated} earlier incidents have"
        note += f" {where} news in {'its thread' if updated == 1 else 'their threads'}."
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": title}}, _context(note)]
    return {"text": title, "blocks": blocks}


def render_incident(
    item: DigestItem, timezone: str = "UTC", now: datetime | None = None
) -> Message:
    """One incident as its own message: the thread root that later news edits and replies to.

    ``now`` (the digest's time) lets an open incident say how long it has been going on.
    """
    blocks = _item_blocks(item, ZoneInfo(timezone), now=now)
    fallback = md(_facts(item, mark_update=False)) + ": "
    fallback += _escaped_within(item.incident.title, FALLBACK_TITLE_MAX)
    return {"text": fallback, "blocks": blocks}


def render_change(
    item: DigestItem,
    *,
    status_before: str | None,
    articles_before: Collection[str],
    timezone: str = "UTC",
) -> Message:
    """The thread reply that says what changed since the channel last saw the incident.

    ``status_before`` and ``articles_before`` (article ids) are what its message showed.
    """
    incident = item.incident
    lines: list[str] = []
    summary: list[str] = []
    if incident.status != status_before:
        before = md(status_before or "unknown")
        lines.append(f"*Status:* {before} → *{md(incident.status or 'unknown')}*")
        summary.append(f"Status: {status_before or 'unknown'} → {incident.status or 'unknown'}")
    seen = set(articles_before)
    fresh = [a for a in incident.articles if a.article_id not in seen]
    # Follow-ups that went to a nearer incident (bot.incidents.distant) are listed there.
    moved = len(seen - {a.article_id for a in incident.articles})
    causes = [a for a in fresh if root_cause_report(a)]
    others = [a for a in fresh if not root_cause_report(a)]
    for cause in causes:
        lines.append(f"*Root cause / post-mortem:* {_report_line(cause)}")
    if causes:
        lines.extend(_post_incident(item, ZoneInfo(timezone)))
    if others:
        lines.append("*New reports:*" if len(others) > 1 else "*New report:*")
        lines.extend(f"• {_report_line(a)}" for a in others)
    if moved:
        lines.append(f"*Moved:* {_reports(moved)} now listed under the incident they follow")
    if causes:
        summary.append("root cause / post-mortem report")
    if others:
        summary.append(f"{len(others)} new report" + ("s" if len(others) > 1 else ""))
    if moved:
        summary.append(f"{_reports(moved)} moved to another incident")
    if not lines:  # regions, affected services or the lead changed
        lines.append(f"*Details updated:* {md(_facts(item, mark_update=False))}")
        summary.append("details updated")
    body = _within_section(lines)
    byline = (
        f"Updated {_when(incident.updated_at, ZoneInfo(timezone))} · "
        f"{_reports(len(incident.articles))} · {'/'.join(incident.languages)}"
    )
    text = _escaped_within("Update: " + "; ".join(summary), FALLBACK_TITLE_MAX)
    return {"text": text, "blocks": [_section(body), _context(md(byline))]}


def render_merged(item: DigestItem) -> Message:
    """What the message of an incident found to be part of ``item``'s says from then on
    (the incident that took its place has its own message in the channel)."""
    facts = md(_facts(item, mark_update=False))
    title = _escaped_within(item.incident.title, FALLBACK_TITLE_MAX)
    body = (
        f"*Merged:* the same event as *{facts}: {title}*. Its reports and later news are "
        "in that incident's message in this channel."
    )
    return {"text": f"Merged into {facts}: {title}", "blocks": [_section(body)]}


def _reports(count: int) -> str:
    return f"{count} report" + ("" if count == 1 else "s")


def _post_incident(item: DigestItem, tz: ZoneInfo) -> list[str]:
    """What failed, impact, duration, cause, fix: each only when the reports say it."""
    incident = item.incident
    lines = ["*Post-incident summary*"]
    failed = [item.provider_name or incident.provider or ""]
    if incident.regions:
        failed.append(", ".join(region_label(r) for r in incident.regions[:4]))
    lines.append(f"• What failed: {md(' · '.join(p for p in failed if p))}")
    if incident.affected:
        lines.append(f"• Impact: {md(', '.join(incident.affected[:8]))}")
    told = briefing.timing(incident)
    if told.duration is not None and told.started is not None:
        span = briefing.duration_text(told.duration)
        lines.append(f"• Duration: {span} from {md(briefing.when(told.started, tz))}")
    if item.root_cause:
        lines.append(f"• Cause: {md(item.root_cause)}")
    if item.fix:
        lines.append(f"• Fix: {md(item.fix)}")
    return lines


def _report_line(article: IncidentArticle) -> str:
    """A linked report title with where it came from, in mrkdwn (escaped)."""
    title = _escaped_within(article.title, REPORT_TITLE_MAX)
    linked = f"<{_link_target(article.url)}|{title}>" if _linkable(article.url) else title
    return f"{linked} — {md(host_of(article.url))} ({md(article.language)})"


def _within_section(lines: list[str]) -> str:
    """Join lines up to the section limit; the ones that do not fit are counted instead."""
    kept: list[str] = []
    used = 0
    reserve = len("… and 9999 more")
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        if used + len(line) + (0 if last else reserve) > SECTION_MAX:
            kept.append(f"… and {len(lines) - number} more")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def _item_blocks(item: DigestItem, tz: ZoneInfo, *, now: datetime | None = None) -> list[Block]:
    """Section (facts, confirmation and timing, linked lead title, summary, sources) and byline."""
    lead, summary = item.lead, item.summary
    title = _escaped_within(lead.title, 300)
    # A URL too long for a section (rare, but Slack would refuse the whole message)
    # is left out; the title still shows.
    heading = f"*<{_link_target(lead.url)}|{title}>*" if _linkable(lead.url) else f"*{title}*"
    # No "UPDATE" mark: in Slack an update edits this message and says so in its thread.
    facts = md(_facts(item, mark_update=False))
    told = f"*{md(confirmation_of(item))}* · {md(briefing.timing_line(item.incident, tz, now))}"
    # A status-page lead is its latest update: say which state that update announced.
    said = f"*{md(lead.status.capitalize())}:* " if lead.status_page and lead.status else ""
    if item.root_cause:
        told += f"\n*Root cause:* {md(item.root_cause)}"
    fixed = len(facts) + len(told) + len(heading) + len(said) + 4
    sources = _sources(item, SECTION_MAX - fixed - SUMMARY_MIN)
    room = SECTION_MAX - fixed - len(sources)
    body = f"{facts}\n{heading}\n{told}\n{said}{_escaped_within(summary.text, room)}"
    if sources:
        body += f"\n{sources}"
    return [_section(body), _context(md(_byline(item, tz)))]


def confirmation_of(item: DigestItem) -> str:
    return briefing.confirmation(item.incident, item.provider_name)


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def _facts(item: DigestItem, *, mark_update: bool = True) -> str:
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
    prefix = "UPDATE · " if item.update and mark_update else ""
    return prefix + " · ".join(parts)


def _sources(item: DigestItem, budget: int) -> str:
    """ "Sources:" one entry per outlet, official first, in mrkdwn, within ``budget`` characters.

    Each entry links to that outlet's latest report. A link that does not fit is
    shown as its plain label; when not even that fits, the rest are counted.
    """
    outlets = briefing.outlets(item.incident)
    if len(outlets) == 1 and outlets[0].reports == 1:
        return ""  # the lead is the only report: its link is the heading
    prefix = "Sources: "
    used = len(prefix) + len(" and 999 more")
    shown: list[str] = []
    for outlet in outlets:
        label = md(f"{outlet.name} ({_outlet_note(outlet)})")
        url = outlet.latest.url
        linked = f"<{_link_target(url)}|{label}>" if _linkable(url) else label
        piece = linked if used + len(linked) + 2 <= budget else label
        if used + len(piece) + 2 > budget:
            break
        shown.append(piece)
        used += len(piece) + 2
    hidden = len(outlets) - len(shown)
    if not shown:
        return f"{len(outlets)} sources" if budget >= 40 else ""
    return prefix + ", ".join(shown) + (f" and {hidden} more" if hidden else "")


def _outlet_note(outlet: briefing.Outlet) -> str:
    notes = ["official"] if outlet.official else []
    notes.append("/".join(outlet.languages))
    if outlet.reports > 1:
        notes.append(f"{outlet.reports} {'updates' if outlet.official else 'reports'}")
    return " · ".join(notes)


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
        told = briefing.timing_line(item.incident, tz, digest.generated_at)
        lines.append(f"  {confirmation_of(item)} · {told}")
        lines.append(f"  {lead.title}")
        lines.append(f"  {lead.url}")
        wrapped = _wrap(item.summary.text, width - 4) or [""]
        lines.extend(f"    {line}" for line in wrapped)
        for outlet in briefing.outlets(item.incident):
            latest = outlet.latest.title
            lines.append(f"  source: {outlet.name} ({_outlet_note(outlet)}) — {latest}")
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
    if summary.engine == TITLE_ENGINE:
        engine = "title only (the source has no article text)"
    elif summary.fallback:
        engine = "extractive summary (model unavailable)"
    elif summary.engine == "extractive":
        engine = "extractive summary"
    else:
        engine = f"summary by {summary.engine}"
        if summary.precision:
            engine += f" ({summary.precision})"
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
    escaped = md(raw)
    while len(escaped) > limit and raw:
        raw = raw[: max(len(raw) * limit // len(escaped) - 1, 0)]
        escaped = md(raw) + "…"
    return escaped


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
