"""``{p}:article:{id}``: the articles we read, kept 30 days (written when claimed, bot.dedupe)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pydantic import ValidationError

from bot.schema import Article
from bot.store import Store, redis_errors

log = logging.getLogger(__name__)


class ArticleStore:
    """Reads stored articles; one whose key expired is simply absent, and so is one
    whose record cannot be read (written by another version, or damaged): it costs
    only itself, never the digest or batch it was to be part of."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, article_id: str) -> Article | None:
        with redis_errors("reading an article"):
            raw = self._store.redis.get(self._store.keys.article(article_id))
        return _readable(article_id, raw) if raw else None

    def get_many(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The articles still stored, by id, in one round trip."""
        if not article_ids:
            return {}
        keys = [self._store.keys.article(i) for i in article_ids]
        with redis_errors("reading articles"):
            raws = self._store.redis.mget(keys)
        found = {i: _readable(i, raw) for i, raw in zip(article_ids, raws, strict=True) if raw}
        return {i: article for i, article in found.items() if article is not None}


def _readable(article_id: str, raw: bytes | str) -> Article | None:
    try:
        return Article.model_validate_json(raw)
    except ValidationError as exc:
        log.warning("article %s is stored in a form this version cannot read; skipped (%d "
                    "error(s), first: %s)", article_id, exc.error_count(),
                    exc.errors()[0]["msg"])  # fmt: skip
        return None
