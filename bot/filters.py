"""Which channel wants which article (the channel's ``filters`` table)."""

from __future__ import annotations

from bot.config import ChannelFilters
from bot.schema import Article


def wants(filters: ChannelFilters, article: Article) -> bool:
    """Every non-empty filter must match; empty filters match everything.

    ``providers`` and ``keywords`` match case-insensitively anywhere in the title
    or text. Proper provider entities (with aliases in both languages) replace
    this plain matching when outage classification lands.
    """
    if filters.languages and not any(
        article.language == lang or article.language.startswith(lang + "-")
        for lang in filters.languages
    ):
        return False
    haystack = f"{article.title}\n{article.text}".casefold()
    if filters.providers and not any(p.casefold() in haystack for p in filters.providers):
        return False
    return not filters.keywords or any(k.casefold() in haystack for k in filters.keywords)
