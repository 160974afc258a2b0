"""Summary language routing: the channel's language when some local model can write it.

A channel may want every summary in one language (``summary_language``). The
configured engine writes it when it can: a model whose prompt asks for a
language, or an article already in that language. For the other articles a
cross-lingual preset that writes the wanted language (``languages =
["multilingual->en"]``, e.g. crosssum-zh-en) takes over, when its weights are in
the models folder: loaded once, on first need, never downloaded. Without one,
or when it fails, the configured engine writes the source language as before.
``Summary.engine`` names the engine that wrote each summary, so the digest can
say which.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from bot.errors import SummarizerError
from bot.schema import Article, Summary
from bot.summarize.base import Summarizer
from bot.summarize.presets import Preset

log = logging.getLogger(__name__)

_ANY_SOURCE = "multilingual"


@runtime_checkable
class LanguagePlanner(Protocol):
    """An engine that can say, before summarising, which language it will write."""

    def summary_language(self, article: Article, language: str | None = None) -> str: ...


def same_language(a: str, b: str) -> bool:
    """Whether two language tags name the same language ("zh-cn" and "zh" do)."""
    return a.split("-")[0].lower() == b.split("-")[0].lower()


def writes(engine: Summarizer, article: Article, language: str) -> bool:
    """Whether ``engine`` would summarise ``article`` in ``language``."""
    if isinstance(engine, LanguagePlanner):
        return same_language(engine.summary_language(article, language), language)
    # Engines that cannot plan (extraction) write what they read.
    return same_language(article.language, language)


def reads(preset: Preset, article: Article) -> bool:
    """Whether a cross-lingual preset accepts ``article``'s language as its source."""
    for entry in preset.languages:
        source, arrow, _ = entry.partition("->")
        if arrow and (source == _ANY_SOURCE or same_language(source, article.language)):
            return True
    return False


@dataclass
class _Route:
    preset: Preset
    engine: Summarizer | None = None
    failed: bool = False


class LanguageRouter:
    """A Summarizer in front of the configured one that adds cross-lingual presets.

    ``load`` builds an engine for a preset; it runs at most once per preset, under
    a lock, the first time an article needs that preset. ``variant`` names the
    engine settings the loaded presets will run with (for the cache key).
    """

    def __init__(
        self,
        primary: Summarizer,
        presets: Sequence[Preset],
        load: Callable[[Preset], Summarizer],
        variant: str = "",
    ) -> None:
        self.primary = primary
        self.name = primary.name
        # A specific source ("zh->en") before "multilingual->en"; then by name.
        ordered = sorted(presets, key=lambda p: (all(_any_source(e) for e in p.languages), p.name))
        self._routes = [_Route(preset) for preset in ordered]
        self._load = load
        self._lock = threading.Lock()
        # Which summaries the router can produce depends on which presets it may
        # route to and how they are configured: all of that is in the key.
        described = "|".join(f"{p.model_dump_json()}#{variant}" for p in ordered)
        digest = hashlib.sha256(described.encode()).hexdigest()[:10]
        names = ",".join(p.name for p in ordered)
        self.cache_key = f"{primary.cache_key}+{names}:{digest}"

    @property
    def routes(self) -> list[str]:
        """The cross-lingual presets this router may use, in order of preference."""
        return [route.preset.name for route in self._routes]

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        results: list[Summary | None] = [None] * len(articles)
        if language is not None:
            by_route: dict[int, list[int]] = {}
            for index, article in enumerate(articles):
                route = self._route_for(article, language)
                if route is not None:
                    by_route.setdefault(route, []).append(index)
            for route, indexes in by_route.items():
                engine = self._engine(self._routes[route])
                if engine is None:
                    continue
                summaries = engine.summarize([articles[i] for i in indexes], language)
                for index, summary in zip(indexes, summaries, strict=True):
                    # A cross-lingual model that failed on this article: the
                    # configured engine still does better than extraction.
                    if not summary.fallback:
                        results[index] = summary
        rest = [i for i, summary in enumerate(results) if summary is None]
        if rest:
            own = self.primary.summarize([articles[i] for i in rest], language)
            for index, summary in zip(rest, own, strict=True):
                results[index] = summary
        return [summary for summary in results if summary is not None]

    def _route_for(self, article: Article, language: str) -> int | None:
        if writes(self.primary, article, language):
            return None
        for index, route in enumerate(self._routes):
            target = route.preset.cross_lingual_target
            if (
                not route.failed
                and target is not None
                and same_language(target, language)
                and reads(route.preset, article)
            ):
                return index
        return None

    def _engine(self, route: _Route) -> Summarizer | None:
        with self._lock:
            if route.engine is None and not route.failed:
                preset = route.preset
                try:
                    route.engine = self._load(preset)
                except SummarizerError as exc:
                    route.failed = True
                    log.warning(
                        "%s; summaries wanted in %s stay in the source language",
                        exc,
                        preset.cross_lingual_target,
                    )
                else:
                    # The licence is said wherever a preset is chosen, and this
                    # is where a cross-lingual one is.
                    log.log(
                        logging.WARNING if preset.non_commercial else logging.INFO,
                        "summaries wanted in %s are written by %s (licence %s%s)",
                        preset.cross_lingual_target,
                        preset.name,
                        preset.license,
                        ": non-commercial use only" if preset.non_commercial else "",
                    )
            return route.engine


def _any_source(entry: str) -> bool:
    source, arrow, _ = entry.partition("->")
    return not arrow or source == _ANY_SOURCE


def cross_lingual_presets(
    presets: dict[str, Preset], models_dir: Path, exclude: str | None = None
) -> list[Preset]:
    """Presets that write another language than they read, with weights in ``models_dir``.

    Only the models folder counts: whatever routing adds must have been pulled
    on purpose (``outage-bot models pull NAME``), never fetched mid-digest.
    """
    return [
        preset
        for name, preset in sorted(presets.items())
        if name != exclude
        and preset.cross_lingual_target is not None
        and (models_dir / name).is_dir()
    ]
