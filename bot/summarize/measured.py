"""Counting summaries and timing the engine (Prometheus), around any Summarizer.

Sits under the cache (``CachedSummarizer(MeasuredSummarizer(engine))``), so only
summaries an engine actually wrote are counted and timed, never cache hits.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from bot.ops import metrics
from bot.schema import Article, Summary
from bot.summarize.base import Summarizer


class MeasuredSummarizer:
    def __init__(self, inner: Summarizer) -> None:
        self._inner = inner
        self.name = inner.name
        self.cache_key = inner.cache_key

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        if not articles:
            return []
        started = time.perf_counter()
        summaries = self._inner.summarize(articles, language)
        metrics.SUMMARY_SECONDS.labels(engine=self.name).observe(time.perf_counter() - started)
        # By the engine that wrote each: a seq2seq engine may fall back per article.
        for engine, count in Counter(s.engine for s in summaries).items():
            metrics.SUMMARIES.labels(engine=engine).inc(count)
        return summaries
