"""Entry to Article: extract clean text, detect language, compute identity."""

from __future__ import annotations

from datetime import datetime

from bot.identity import article_id, content_hash, normalise_url
from bot.schema import Article, Entry
from bot.sources.extract import html_to_paragraphs
from bot.sources.language import detect_language
from bot.sources.timeparse import published_or_now


def to_article(entry: Entry, now: datetime) -> Article:
    """A local file's path (as given) stands in for the URL when there is no link."""
    paragraphs = html_to_paragraphs(entry.html, entry.title)
    text = "\n\n".join(paragraphs)
    url = normalise_url(entry.link) if entry.link else ""
    body_hash = content_hash(entry.title, text)
    # GUIDs are only unique within one feed, so they are scoped by the source name.
    guid = f"{entry.source}|{entry.guid}" if entry.guid else None
    return Article(
        id=article_id(guid, url or None, body_hash),
        source=entry.source,
        url=url,
        guid=guid,
        title=entry.title,
        paragraphs=paragraphs,
        language=detect_language(f"{entry.title}\n{text}", hint=entry.language),
        published=published_or_now(entry.published, now),
        content_hash=body_hash,
    )
