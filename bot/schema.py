"""Values handed from one pipeline stage to the next.

Every model is frozen: a stage never edits what it was given, it returns a new
value. Times are timezone-aware UTC; text is plain (already extracted from HTML).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SourceKind = Literal["auto", "feed", "markdown", "page", "status"]
# Where an article's publication time came from: the document itself, the file's
# path by convention (Jekyll/Hexo names, date folders), or nowhere ("undated":
# ``published`` then holds the time the bot first read it).
PublishedFrom = Literal["source", "path", "undated"]
# What a status update says about an incident, in one vocabulary for every platform.
StatusWord = Literal[
    "investigating", "identified", "ongoing", "monitoring", "mitigated", "resolved",
    "postmortem", "update",
]  # fmt: skip


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _require_utc(value: datetime | None) -> datetime | None:
    if value is not None and value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return value


class Source(Frozen):
    """Something to read: a feed or article file/directory (URLs come with ingestion)."""

    name: str
    location: str  # a path as the user gave it, or a URL
    kind: SourceKind = "auto"
    language: str | None = None  # hint; detected when absent


class Entry(Frozen):
    """One item as a parser found it, before text extraction."""

    source: str  # Source.name
    guid: str | None = None
    link: str | None = None
    title: str
    html: str  # the fullest body the source carried (content, else summary)
    published: datetime | None = None
    author: str | None = None
    language: str | None = None  # declared by the feed or front matter
    # Status pages only: one entry per update of an incident.
    status: StatusWord | None = None
    components: tuple[str, ...] = ()  # affected components/services as the page names them
    thread: str | None = None  # the platform's incident id: every update of it shares this
    path: str | None = None  # the local file it was read from, as given
    published_from: Literal["source", "path"] = "source"  # meaningful when ``published`` is set
    title_only: bool = False  # the source kept no body (or only page chrome)

    _utc = field_validator("published")(_require_utc)


# An article's text is its paragraphs joined by this.
PARAGRAPH_BREAK = "\n\n"


class Article(Frozen):
    """An entry reduced to clean text, with its identity keys."""

    id: str  # stable: derived from the strongest identity (guid, url, content hash)
    source: str
    url: str  # normalised link, or the file path as given when there is no link
    guid: str | None = None
    title: str
    paragraphs: tuple[str, ...]
    language: str
    published: datetime  # UTC; the time it was first read when ``published_from`` is "undated"
    content_hash: str
    status: StatusWord | None = None
    components: tuple[str, ...] = ()
    thread: str | None = None
    path: str | None = None  # the local file it was read from, as given
    published_from: PublishedFrom = "source"
    title_only: bool = False  # no body: classified, clustered and summarised on the title

    _utc = field_validator("published")(_require_utc)

    @property
    def text(self) -> str:
        return PARAGRAPH_BREAK.join(self.paragraphs)


IncidentStatus = Literal[
    "investigating", "identified", "ongoing", "monitoring", "mitigated", "resolved", "postmortem",
]  # fmt: skip


class Outage(Frozen):
    """What the classifier read in one article."""

    is_outage: bool
    confidence: float  # 0..1, how sure ``is_outage`` is
    provider: str | None = None  # canonical id (bot/data/providers.toml) of the main subject
    # Providers that are one subject with ``provider`` (a company and its cloud: google, gcp)
    provider_family: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()  # every provider named, most salient first
    regions: tuple[str, ...] = ()  # region keys such as "aws:us-east-1"
    affected: tuple[str, ...] = ()  # downstream services and brands named as hit
    # The main provider's own products its headline and lead name (Instagram, WhatsApp
    # for Meta): one provider's products fail separately as often as together.
    products: tuple[str, ...] = ()
    status: IncidentStatus | None = None
    started_at: datetime | None = None  # when the article says it began, if it says
    event_day: datetime | None = None  # the day it says the event happened ("on Monday")
    # The month a follow-up names its outage by, when it names no day in it ("fined over
    # March outage", "二月系统故障"): the first of that month. Filing places it on the first
    # news that month of the incident it joins (bot/incidents/tracker.py).
    event_month: datetime | None = None
    follow_up: bool = False  # a root cause / post-mortem / recovery report, not first news
    # It says the outage has lasted days or weeks, or it is the recovery from an intrusion
    # (which takes days): even its recovery is late news.
    lasted_days: bool = False
    # Its headline says it is another outage ("second IT failure in a week", "再次崩了"):
    # it joins no incident whose first news is older than first news' window (72 hours),
    # not last week's incident of the same subject.
    repeat: bool = False
    # Its provider is what others run on (a cloud, a CDN, a security agent): its outages
    # have casualties, which news may report first as outages of their own.
    upstream: bool = False
    # About the consequences of an outage (cost, apology, compensation, lawsuits, users
    # leaving, root cause): it joins that outage's incident, and never starts one.
    aftermath: bool = False
    # A translation of another outlet's report ("译文声明", "编译"): published days after
    # its source, so first news' window measured from its date is too tight.
    translated: bool = False
    # A copy of another outlet's late report (a repost of a translated post-mortem, near-
    # duplicate text): as late as the original. Set by filing, which knows the original.
    copied: bool = False
    # Its headline names what it is of (the provider, or with none the first casualty),
    # not only its text: weeks on, that is what ties a follow-up to an outage of it.
    subject_in_headline: bool = False

    _utc = field_validator("started_at", "event_day", "event_month")(_require_utc)


class IncidentArticle(Frozen):
    """One report filed under an incident."""

    article_id: str
    url: str
    title: str
    language: str
    source: str
    published: datetime
    status: IncidentStatus | None = None
    status_page: bool = False  # an update from a status page rather than a news report
    # When the event happened by this report (its stated start, else its publication);
    # None with ``undated``, or for reports filed before event times were kept.
    event_at: datetime | None = None
    undated: bool = False  # the source gave no date: ``published`` is when it was read
    late: bool = False  # aftermath or post-mortem: written days after the event
    thread: str | None = None  # the status-page incident it updates
    products: tuple[str, ...] = ()  # the provider's own products it names (Outage.products)
    regions: tuple[str, ...] = ()  # the regions it names (Outage.regions)
    upstream: bool = False  # its provider is what others run on (Outage.upstream)
    # Names of what is down (bot.incidents.names.report_names): Latin ones lower case,
    # Chinese organisation names as written; how reports of a company the catalogue does
    # not know find each other.
    names: tuple[str, ...] = ()
    # Names its opening ties to what is down, its owner or its brand
    # (bot.incidents.owners): they meet another report's own names, never its ties.
    ties: tuple[str, ...] = ()
    # Its country and kind of body (bot.incidents.setting): how a Chinese report naming a
    # foreign company only in Chinese finds the English reports of the same outage.
    setting: tuple[str, ...] = ()
    # A late report that only the distant follow-up window placed here (a post-mortem or
    # repost three weeks on, naming no day): listed with the incident, but no evidence of
    # its time, names or casualties for matching other reports, and moved to a nearer
    # incident of ``subject`` when one is filed (bot.incidents.distant).
    attached: bool = False
    subject: str | None = None  # what it is of (rules.subject_of), for an attached report
    subject_in_headline: bool = False  # Outage.subject_in_headline
    repeat: bool = False  # it says it is another outage (Outage.repeat)


class TimelineEntry(Frozen):
    at: datetime
    status: IncidentStatus
    article_id: str


class Incident(Frozen):
    """One real-world event, grown by every article that reports it.

    Non-outage articles that a channel still wants become single-article
    "incidents" with ``is_outage`` false, so a digest is always a list of these.
    """

    id: str
    is_outage: bool
    provider: str | None
    regions: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()
    status: IncidentStatus | None = None
    title: str
    started_at: datetime | None = None
    first_seen: datetime
    updated_at: datetime
    revision: int = 1  # bumped whenever articles, status or regions change
    lead_article_id: str  # the article whose summary represents the incident
    articles: tuple[IncidentArticle, ...]
    timeline: tuple[TimelineEntry, ...] = ()
    threads: tuple[str, ...] = ()  # status-page incident ids merged into this one
    # Incidents of ours found to be this event and merged into it, or emptied into it by
    # follow-ups moving here: a channel shown one of them is shown this one in the same
    # Slack message (bot.delivery.deliver), never in a second.
    absorbed: tuple[str, ...] = ()
    # Only aftermath stories so far (cost, apology, root cause of an outage we have no
    # news of): kept so that news of the outage joins them, never listed or posted.
    held: bool = False

    @property
    def evidence(self) -> tuple[IncidentArticle, ...]:
        """The reports that say when the event was and what it hit: all but the attached
        follow-ups. Matching reads these; listings show every report."""
        return tuple(a for a in self.articles if not a.attached)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.language for a in self.articles))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.source for a in self.articles))


class Summary(Frozen):
    """What a summarizer made of one article."""

    article_id: str
    text: str
    engine: str  # "extractive" or a model preset name
    language: str
    fallback: bool = False  # True when a model was wanted but the extractive engine ran
    # How the model's weights were stored ("int8", "fp32"), for the byline; None without a model.
    precision: str | None = None


class DigestItem(Frozen):
    """One incident in a digest, with the summary of its lead article."""

    incident: Incident
    summary: Summary
    provider_name: str | None = None  # display name, e.g. "AWS" for "aws"
    update: bool = False  # the channel saw an earlier revision of this incident
    wanted_language: str | None = None  # the channel's summary language, None: the source's
    # The report chosen for this channel (bot/digest/lead.py); None: the incident's own lead.
    lead_article_id: str | None = None
    # Once a root-cause report has joined: the sentence stating the cause, and the one
    # saying what fixed it (bot/outage/rootcause.py).
    root_cause: str | None = None
    fix: str | None = None

    @property
    def lead(self) -> IncidentArticle:
        wanted = self.lead_article_id or self.incident.lead_article_id
        return next(
            (a for a in self.incident.articles if a.article_id == wanted),
            self.incident.articles[0],
        )


class Digest(Frozen):
    """Everything new for one channel at one moment."""

    channel: str
    generated_at: datetime
    items: tuple[DigestItem, ...] = Field(default_factory=tuple)

    _utc = field_validator("generated_at")(_require_utc)
