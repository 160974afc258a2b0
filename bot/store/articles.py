"""``{p}:article:{id}``: the articles we read, kept 30 days (written when claimed, bot.dedupe)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.schema import Article
from bot.store import Store, read_record, redis_errors


class ArticleStore:
    """Reads stored articles; one whose key expired is simply absent, and so is one
    whose record cannot be read (written by another version, or damaged): it costs
    only itself, never the digest or batch it was to be part of."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, article_id: str) -> Article | None:
        with redis_errors("reading an article"):
            raw = self._store.redis.get(self._store.keys.article(article_id))
        return read_record(Article, raw, f"article {article_id}")

    def get_many(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The articles still stored, by id, in one round trip."""
        if not article_ids:
            return {}
        keys = [self._store.keys.article(i) for i in article_ids]
        with redis_errors("reading articles"):
            raws = self._store.redis.mget(keys)
        found = {
            i: read_record(Article, raw, f"article {i}")
            for i, raw in zip(article_ids, raws, strict=True)
        }
        return {i: article for i, article in found.items() if article is not None}
