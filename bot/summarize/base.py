"""The Summarizer protocol and the factory the CLI calls once at start-up.

Engines: "extractive" (no model) and the seq2seq engine for a preset of
models/presets.toml whose weights are in ``<models dir>/<preset>``. Loading is
separate from using; a model that cannot be loaded is reported once, with the
command that fixes it, and the bot carries on with extractive summaries marked
as fallbacks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from bot.errors import ConfigError, ConfigProblem, SummarizerError
from bot.schema import Article, Summary

log = logging.getLogger(__name__)

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


def build_summarizer(
    model: str,
    models_dir: Path,
    *,
    quantize: bool = True,
    vocabulary: tuple[str, ...] = (),
    presets_file: Path | None = None,
) -> Summarizer:
    """The engine for ``SUMMARIZER_MODEL``: "extractive", a preset name, or a model folder.

    When the configured engine cannot write a channel's summary language for
    some articles, cross-lingual presets whose weights are in ``models_dir``
    write those (see bot/summarize/router.py); "extractive" on purpose means no
    model at all, so it gets none. ``vocabulary`` lists the languages summaries
    are written in, to trim mT5-style vocabularies to them (EngineOptions).
    """
    from bot.summarize.title_only import TitleOnlyAware

    return TitleOnlyAware(
        _build_engine(
            model,
            models_dir,
            quantize=quantize,
            vocabulary=vocabulary,
            presets_file=presets_file,
        )
    )


def _build_engine(
    model: str,
    models_dir: Path,
    *,
    quantize: bool,
    vocabulary: tuple[str, ...],
    presets_file: Path | None,
) -> Summarizer:
    from bot.summarize.extractive import ExtractiveSummarizer

    if model == EXTRACTIVE:
        return ExtractiveSummarizer()
    from bot.summarize.presets import DEFAULT_PRESET, Preset, load_presets
    from bot.summarize.router import LanguageRouter, cross_lingual_presets
    from bot.summarize.seq2seq import EngineOptions, Seq2SeqSummarizer

    presets = load_presets(presets_file)
    folder = Path(model)
    if model in presets:
        preset, folder = presets[model], models_dir / model
    elif folder.is_dir():  # a local folder: generation settings of the default preset
        preset = presets[DEFAULT_PRESET].model_copy(update={"name": folder.name})
    else:
        known = ", ".join(sorted(presets))
        raise ConfigError([ConfigProblem("environment", "SUMMARIZER_MODEL",
                                         f"{model!r} is not 'extractive', a preset ({known}) "
                                         "or a model folder")])  # fmt: skip
    if preset.non_commercial:
        log.warning("summarizer %s is licensed %s: non-commercial use only", preset.name,
                    preset.license)  # fmt: skip
    options = EngineOptions(quantize=quantize, vocabulary=vocabulary)
    engine: Summarizer
    try:
        engine = Seq2SeqSummarizer.load(preset, folder, options)
    except SummarizerError as exc:
        # One warning for the whole run, with the fix; summaries say they are fallbacks.
        log.warning("%s; using the extractive summarizer until then", exc)
        engine = ExtractiveSummarizer(fallback=True)
    if isinstance(engine, Seq2SeqSummarizer) and engine.preset.takes_language:
        return engine  # its prompt asks for the language: it writes them all itself
    routes = cross_lingual_presets(presets, models_dir, exclude=preset.name)
    if not routes:
        return engine

    def load(route: Preset) -> Summarizer:
        return Seq2SeqSummarizer.load(route, models_dir / route.name, options)

    variant = f"{'int8' if quantize else 'fp32'}:{','.join(vocabulary)}"
    router = LanguageRouter(engine, routes, load, variant=variant)
    log.info("summaries the %s engine cannot write in a channel's language can use: %s",
             engine.name, ", ".join(router.routes))  # fmt: skip
    return router
