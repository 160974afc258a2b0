"""``{p}:article:{id}``: the articles we read, kept 30 days (written when claimed, bot.dedupe)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.schema import Article
from bot.store import Store, readable_records, redis_errors


class ArticleStore:
    """Reads stored articles; one whose key expired is simply absent. One stored in a
    form this version cannot read is skipped with a warning (bot.store.readable_records)
    and left in place: nothing here writes articles back."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, article_id: str) -> Article | None:
        with redis_errors("reading an article"):
            raw = self._store.redis.get(self._store.keys.article(article_id))
        found, _ = readable_records(Article, {article_id: raw}, "article")
        return found.get(article_id)

    def get_many(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The articles still stored, by id, in one round trip."""
        return self.read_many(article_ids)[0]

    def read_many(self, article_ids: Sequence[str]) -> tuple[dict[str, Article], set[str]]:
        """``get_many``, plus the ids stored in a form this version cannot read: a caller
        that forgets what is gone must keep those."""
        if not article_ids:
            return {}, set()
        keys = [self._store.keys.article(i) for i in article_ids]
        with redis_errors("reading articles"):
            raws = self._store.redis.mget(keys)
        return readable_records(Article, dict(zip(article_ids, raws, strict=True)), "article")
