"""Entry to Article: extract clean text, detect language, compute identity."""

from __future__ import annotations

from datetime import datetime

from bot.dedupe.identity import article_id, content_hash, normalise_url, scoped_guid
from bot.schema import PARAGRAPH_BREAK, Article, Entry, PublishedFrom
from bot.sources.extract import html_to_paragraphs
from bot.sources.language import detect_language
from bot.sources.timeparse import published_or_now


def to_article(entry: Entry, now: datetime) -> Article:
    """A local file's path (as given) stands in for the URL when there is no link."""
    paragraphs = html_to_paragraphs(entry.html, entry.title)
    text = PARAGRAPH_BREAK.join(paragraphs)
    url = normalise_url(entry.link) if entry.link else ""
    body_hash = content_hash(entry.title, text)
    guid = scoped_guid(entry.source, entry.guid) if entry.guid else None
    published = published_or_now(entry.published, now)
    # A missing (or implausibly future) date is replaced by the reading time: say so.
    dated = entry.published is not None and published == entry.published
    published_from: PublishedFrom = entry.published_from if dated else "undated"
    return Article(
        id=article_id(guid, url or None, body_hash, status_update=entry.status is not None),
        source=entry.source,
        url=url,
        guid=guid,
        title=entry.title,
        paragraphs=paragraphs,
        language=detect_language(f"{entry.title}\n{text}", hint=entry.language),
        published=published,
        published_from=published_from,
        content_hash=body_hash,
        status=entry.status,
        components=entry.components,
        thread=entry.thread,
        path=entry.path,
        title_only=entry.title_only or not paragraphs,
    )
