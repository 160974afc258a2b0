"""The Summarizer protocol, and the protocol of an engine whose model is loaded.

Engines are built once at start-up by ``bot.summarize.factory``; nothing here
imports torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from bot.schema import Article, Summary
from bot.summarize.presets import Preset

EXTRACTIVE = "extractive"


class Summarizer(Protocol):
    """Turns articles into summaries. Implementations must not raise per article:
    an engine that fails on one article falls back for that article only.

    ``language`` is the language the summary should be written in ("en", "zh"),
    or None for each article's own language. An engine that cannot write the
    wanted language writes the source language; ``Summary.language`` says which.
    ``cache_key`` names everything that changes the output (engine, revision,
    settings) for the summary cache.
    """

    name: str
    cache_key: str

    def summarize(
        self, articles: Sequence[Article], language: str | None = None
    ) -> list[Summary]: ...


@runtime_checkable
class LoadedModel(Protocol):
    """An engine with seq2seq weights in memory (``Seq2SeqSummarizer``).

    The composition root hands the configured engine to thread Q&A too, which
    generates answers with these same weights when the preset can answer.
    """

    name: str

    @property
    def preset(self) -> Preset: ...

    @property
    def tokenizer(self) -> Any: ...

    @property
    def model(self) -> Any: ...
