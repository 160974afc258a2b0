"""What an on-call engineer reads off an incident first: is it confirmed, when, who says so.

Pure functions over ``Incident`` values; the digest renders what they return and
``incidents --json`` prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.incidents.rules import FIRST_NEWS_WINDOW
from bot.schema import Incident, IncidentArticle

NEWS_ONLY = "news only"
RESOLVED = "resolved"
_OVER = ("resolved", "postmortem")  # statuses after which the event is over
UTC_ZONE = ZoneInfo("UTC")
STALE = timedelta(hours=24)  # an open incident with no news this long is not "ongoing for …"


# How providers title their own post-event reports (AWS "Summary of the AWS Service
# Event in …", Azure "Post Incident Review (PIR)", Google "Incident Report for …",
# Statuspage "Postmortem"); a news story about one is titled as news.
_OFFICIAL_REPORT = re.compile(
    r"^\s*(summary of the\b.*\b(event|disruption|outage|issue)|post[- ]?incident review"
    r"|incident report\b|post[- ]?mortem\b|root cause analysis\b|rca\b)",
    re.IGNORECASE,
)


def official(article: IncidentArticle) -> bool:
    """The provider's own account: a status-page update, or a post-event report titled so."""
    return article.status_page or bool(_OFFICIAL_REPORT.match(article.title))


def confirmation(incident: Incident, provider_name: str | None) -> str:
    """``news only``, ``confirmed by <provider> status``, ``resolved``, or both of the last two.

    Confirmation needs a status-page update joined to the incident (a Statuspage, AWS
    Health or Google Cloud incident): not a news story quoting the provider.
    """
    page = next((a for a in incident.articles if a.status_page), None)
    if page is None:
        label = NEWS_ONLY
    elif provider_name:
        label = f"confirmed by {provider_name} status"
    else:  # a page of a provider the catalogue does not know: name the page itself
        label = f"confirmed by {outlet_name(page)}"
    confirmed = page is not None
    if incident.status in _OVER:
        return RESOLVED if not confirmed else f"{RESOLVED}, {label}"
    return label


@dataclass(frozen=True)
class Timing:
    """When the event started and ended, as far as the reports say."""

    started: datetime | None  # the stated start, else the earliest dated report
    # When it ended: an official "resolved" update's time, or (``official`` false) the
    # publication of the first news report saying it is over: only an upper bound.
    resolved: datetime | None
    official_end: bool
    over: bool  # resolved or post-mortem, even when no report dates the end
    last_update: datetime
    # The start is only a day: no report states a time, and the earliest was dated by day
    # (a file name, a date-only field), which reads as midnight UTC.
    date_only: bool = False

    @property
    def duration(self) -> timedelta | None:
        """Only from an official end: a news report's time says when it was written."""
        if self.started is None or self.resolved is None or not self.official_end:
            return None
        return self.resolved - self.started if self.resolved >= self.started else None


def timing(incident: Incident) -> Timing:
    dated = [a for a in incident.articles if not a.undated]
    events = [a.event_at or a.published for a in dated]
    # News of an outage comes within days of it: a day a report states long before
    # the first report appeared is another event it mentions ("after the September
    # 22 outage"), not this one's start.
    if dated:
        earliest = min(a.published for a in dated) - FIRST_NEWS_WINDOW
        events = [e for e in events if e >= earliest] or events
    started = incident.started_at or (min(events) if events else None)
    # Each status-page incident (one per AWS service, say) ends at its first "resolved";
    # the event is over when the last of them is.
    thread_ends: dict[str, datetime] = {}
    for a in dated:
        if a.status_page and a.status == "resolved":
            key = a.thread or a.url
            thread_ends[key] = min(thread_ends.get(key, a.published), a.published)
    official_ends = list(thread_ends.values())
    ends = [t.at for t in incident.timeline if t.status == "resolved"]
    ends += [a.published for a in dated if a.status == "resolved"]
    if official_ends:
        resolved: datetime | None = max(official_ends)
    else:
        # A news report of recovery published with the first news tells no end time.
        later = [t for t in ends if started is None or t > started]
        resolved = min(later) if later else None
    date_only = (
        incident.started_at is None
        and started is not None
        and started.astimezone(UTC_ZONE).time() == time(0, 0)
    )
    return Timing(
        date_only=date_only,
        started=started,
        resolved=resolved,
        official_end=bool(official_ends),
        over=incident.status in _OVER,
        last_update=incident.updated_at,
    )


def timing_line(incident: Incident, tz: ZoneInfo, now: datetime | None = None) -> str:
    """``Started … (… UTC) · resolved after 6 h 40 min · last update …``; plain text.

    While the incident is open, ``now`` gives "ongoing for 3 h".
    """
    told = timing(incident)
    parts = []
    if told.started is not None and told.date_only:
        parts.append(f"Started {told.started.astimezone(UTC_ZONE):%Y-%m-%d} (time not reported)")
    elif told.started is not None:
        parts.append(f"Started {when(told.started, tz, utc_too=True)}")
    if told.resolved is not None and told.over and told.official_end:
        ended = f"resolved {when(told.resolved, tz)}"
        if told.duration is not None:
            ended += f", after {duration_text(told.duration)}"
        parts.append(ended)
    elif told.resolved is not None and told.over:
        parts.append(f"resolved by {when(told.resolved, tz)} (news)")
    elif told.over:
        parts.append("resolved (end time not reported)")
    elif now is not None and now - told.last_update > STALE:
        # Nobody has said anything for days: "ongoing for 9 d" would be a guess.
        parts.append(f"open, no news for {duration_text(now - told.last_update)}")
    elif (
        told.started is not None and not told.date_only and now is not None and now >= told.started
    ):
        parts.append(f"ongoing for {duration_text(now - told.started)}")
    else:
        parts.append("ongoing")
    parts.append(f"last update {when(told.last_update, tz)}")
    return " · ".join(parts)


def when(moment: datetime, tz: ZoneInfo, *, utc_too: bool = False) -> str:
    """``2021-12-07 10:30 EST (15:30 UTC)``: the channel's clock, and UTC for the start."""
    local = moment.astimezone(tz)
    shown = local.strftime("%Y-%m-%d %H:%M %Z")
    if utc_too and local.utcoffset() != timedelta(0):
        utc = moment.astimezone(ZoneInfo("UTC"))
        same_day = utc.date() == local.date()
        shown += f" ({utc.strftime('%H:%M' if same_day else '%Y-%m-%d %H:%M')} UTC)"
    return shown


def duration_text(span: timedelta) -> str:
    """``45 min``, ``3 h``, ``6 h 40 min``, ``2 d 4 h``: what people say on a bridge call."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days} d" + (f" {hours} h" if hours else "")


@dataclass(frozen=True)
class Outlet:
    """Everyone who published through one host (or one local source): one entry."""

    name: str
    latest: IncidentArticle  # the one to link to
    reports: int
    official: bool
    languages: tuple[str, ...]


def outlets(incident: Incident, exclude: str | None = None) -> list[Outlet]:
    """One entry per outlet, official ones first, then in the order they first reported.

    ``exclude`` is an article id (the lead) whose outlet is still listed when it
    has other reports, but that report itself is not counted.
    """
    grouped: dict[str, list[IncidentArticle]] = {}
    for article in incident.articles:
        if article.article_id != exclude:
            grouped.setdefault(outlet_name(article), []).append(article)
    found = [
        Outlet(
            name=name,
            latest=max(reports, key=lambda a: a.published),
            reports=len(reports),
            official=any(official(a) for a in reports),
            languages=tuple(dict.fromkeys(a.language for a in reports)),
        )
        for name, reports in grouped.items()
    ]
    return sorted(found, key=lambda o: not o.official)  # stable: first reporters stay first


def outlet_name(article: IncidentArticle) -> str:
    url = article.url
    if url.lower().startswith(("http://", "https://")):
        host = url.split("/", 3)[2].rsplit("@", 1)[-1]  # never show user:password@
        return host.removeprefix("www.").lower()
    # A local file: every file of one configured source is one outlet, named by the last
    # part of its name (a source given as a path is named by that path).
    name = article.source or url
    return name.rstrip("/").rsplit("/", 1)[-1] or name
