"""Articles whose source kept no body are summarised as their title.

A feed item without a description, or a page capture that held only the site's
navigation (``Article.title_only``), has nothing for a model to read: running
one would summarise an empty string or page chrome. The title is the honest
summary, and the digest says so ("title only").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.schema import Article, Summary
from bot.summarize.base import Summarizer

TITLE_ENGINE = "title"


class TitleOnlyAware:
    """Passes articles with a body to ``inner``; the others get their title."""

    def __init__(self, inner: Summarizer) -> None:
        self.engine = inner
        self.name = inner.name
        self.cache_key = inner.cache_key

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        with_body = [a for a in articles if not a.title_only]
        written = iter(self.engine.summarize(with_body, language) if with_body else [])
        return [
            _title_summary(article) if article.title_only else next(written) for article in articles
        ]


def _title_summary(article: Article) -> Summary:
    return Summary(
        article_id=article.id,
        text=article.title,
        engine=TITLE_ENGINE,
        language=article.language,
    )
