"""A Redis cache in front of any Summarizer.

Keyed by the article's content hash, the engine's cache key (engine, revision,
settings) and the wanted language, so the same story read from two feeds (or
twice by two processes) is summarised once.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.keys import SUMMARY_TTL
from bot.schema import Article, Summary
from bot.store import Store, readable_records
from bot.summarize.base import Summarizer


class CachedSummarizer:
    def __init__(self, inner: Summarizer, store: Store) -> None:
        self._inner = inner
        self._store = store
        self.name = inner.name
        self.cache_key = inner.cache_key

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        variant = f"{self.cache_key}:{language or 'source'}"
        keys = [self._store.keys.summary(a.content_hash, variant) for a in articles]
        # One this version cannot read is a miss: summarised again and overwritten (a
        # cache entry, so overwriting loses nothing another version cannot redo).
        raws = self._store.redis.mget(keys) if keys else []
        readable, _ = readable_records(Summary, dict(zip(keys, raws, strict=True)), "summary")
        cached = [readable.get(key) for key in keys]
        missing = [a for a, hit in zip(articles, cached, strict=True) if hit is None]
        fresh = iter(self._inner.summarize(missing, language) if missing else [])
        results = []
        write = self._store.redis.pipeline(transaction=False)
        for article, key, hit in zip(articles, keys, cached, strict=True):
            if hit is not None:
                # The text is shared; which article it belongs to is not.
                results.append(hit.model_copy(update={"article_id": article.id}))
                continue
            summary = next(fresh)
            results.append(summary)
            # Fallback summaries are not cached: once the model is back, redo them.
            if not summary.fallback:
                write.set(key, summary.model_dump_json(), ex=int(SUMMARY_TTL.total_seconds()))
        write.execute()
        return results
