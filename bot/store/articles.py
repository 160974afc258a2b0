"""``{p}:article:{id}``: the articles we read, kept 30 days (written when claimed, bot.dedupe)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.schema import Article
from bot.store import Store, redis_errors


class ArticleStore:
    """Reads stored articles; one whose key expired is simply absent."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, article_id: str) -> Article | None:
        with redis_errors("reading an article"):
            raw = self._store.redis.get(self._store.keys.article(article_id))
        return Article.model_validate_json(raw) if raw else None

    def get_many(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The articles still stored, by id, in one round trip."""
        if not article_ids:
            return {}
        keys = [self._store.keys.article(i) for i in article_ids]
        with redis_errors("reading articles"):
            raws = self._store.redis.mget(keys)
        return {
            i: Article.model_validate_json(raw)
            for i, raw in zip(article_ids, raws, strict=True)
            if raw is not None
        }
