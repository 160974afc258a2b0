"""Values handed from one pipeline stage to the next.

Every model is frozen: a stage never edits what it was given, it returns a new
value. Times are timezone-aware UTC; text is plain (already extracted from HTML).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SourceKind = Literal["auto", "feed", "markdown", "page", "status"]
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

    _utc = field_validator("published")(_require_utc)


class Article(Frozen):
    """An entry reduced to clean text, with its identity keys."""

    id: str  # stable: derived from the strongest identity (guid, url, content hash)
    source: str
    url: str  # normalised link, or the file path as given when there is no link
    guid: str | None = None
    title: str
    paragraphs: tuple[str, ...]
    language: str
    published: datetime  # UTC; the fetch time when the source gave none
    content_hash: str
    status: StatusWord | None = None
    components: tuple[str, ...] = ()
    thread: str | None = None

    _utc = field_validator("published")(_require_utc)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


class Summary(Frozen):
    """What a summarizer made of one article."""

    article_id: str
    text: str
    engine: str  # "extractive" or a model preset name
    language: str
    fallback: bool = False  # True when a model was wanted but the extractive engine ran


class DigestItem(Frozen):
    """One article in a digest with its summary.

    Incidents (several articles about one event) replace this once outage
    classification lands; until then every new article is its own item.
    """

    article: Article
    summary: Summary


class Digest(Frozen):
    """Everything new for one channel at one moment."""

    channel: str
    generated_at: datetime
    items: tuple[DigestItem, ...] = Field(default_factory=tuple)

    _utc = field_validator("generated_at")(_require_utc)
