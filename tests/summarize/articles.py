"""Articles for summarizer tests, built directly (no torch needed to import this)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.schema import Article


def make_article(key: str, paragraphs: list[str], language: str, title: str = "") -> Article:
    return Article(
        id=f"id-{key}",
        source="test",
        url=f"https://news.example.com/{key}",
        title=title,
        paragraphs=tuple(paragraphs),
        language=language,
        published=datetime(2026, 11, 20, tzinfo=UTC),
        content_hash=f"hash-{key}",
    )
