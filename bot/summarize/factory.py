"""Loading the summarizer once at start-up: ``load_models`` and ``build_summarizer``.

Engines: "extractive" (no model) and the seq2seq engine for a preset of
bot/data/presets.toml whose weights are in ``<models dir>/<preset>``. Loading is
separate from using; a model that cannot be loaded is reported once, with the
command that fixes it, and the bot carries on with extractive summaries marked
as fallbacks. torch and transformers are imported here only when a preset or a
model folder is asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import ConfigError, ConfigProblem, SummarizerError
from bot.summarize.base import EXTRACTIVE, Summarizer

if TYPE_CHECKING:
    from bot.summarize.presets import Preset

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Models:
    """What ``SUMMARIZER_MODEL`` loaded, owned by the composition root."""

    engine: Summarizer  # the configured engine; its weights also answer thread questions
    summarizer: Summarizer  # the engine, cross-lingual routes and title-only handling


def load_models(
    model: str,
    models_dir: Path,
    *,
    quantize: bool = True,
    vocabulary: tuple[str, ...] = (),
    presets_file: Path | None = None,
) -> Models:
    """Load ``SUMMARIZER_MODEL`` once: "extractive", a preset name, or a model folder.

    When the configured engine cannot write a channel's summary language for
    some articles, cross-lingual presets whose weights are in ``models_dir``
    write those (see bot/summarize/router.py); "extractive" on purpose means no
    model at all, so it gets none. ``vocabulary`` lists the languages summaries
    are written in, to trim mT5-style vocabularies to them (EngineOptions).
    """
    from bot.summarize.extractive import ExtractiveSummarizer
    from bot.summarize.title_only import TitleOnlyAware

    if model == EXTRACTIVE:
        engine: Summarizer = ExtractiveSummarizer()
        return Models(engine, TitleOnlyAware(engine))
    engine, routed = _load_preset(model, models_dir, quantize=quantize, vocabulary=vocabulary,
                                  presets_file=presets_file)  # fmt: skip
    return Models(engine, TitleOnlyAware(routed))


def build_summarizer(
    model: str,
    models_dir: Path,
    *,
    quantize: bool = True,
    vocabulary: tuple[str, ...] = (),
    presets_file: Path | None = None,
) -> Summarizer:
    """The summarizer alone (``load_models(...).summarizer``), for callers without Q&A."""
    return load_models(model, models_dir, quantize=quantize, vocabulary=vocabulary,
                       presets_file=presets_file).summarizer  # fmt: skip


def resolve_model(
    model: str, models_dir: Path, presets: Mapping[str, Preset] | None = None
) -> tuple[Preset, Path]:
    """The preset and folder ``SUMMARIZER_MODEL`` names (a preset, or a model folder with
    the default preset's settings); ConfigError for anything else. ``presets``: those
    already read, else the presets file's. Reads TOML only: cheap enough to check at
    start-up before the model loads in the background."""
    from bot.summarize.presets import DEFAULT_PRESET, load_presets

    presets = load_presets() if presets is None else presets
    folder = Path(model)
    if model in presets:
        return presets[model], models_dir / model
    if folder.is_dir():
        return presets[DEFAULT_PRESET].model_copy(update={"name": folder.name}), folder
    known = ", ".join(sorted(presets))
    raise ConfigError([ConfigProblem("environment", "SUMMARIZER_MODEL",
                                     f"{model!r} is not 'extractive', a preset ({known}) "
                                     "or a model folder")])  # fmt: skip


def _load_preset(
    model: str,
    models_dir: Path,
    *,
    quantize: bool,
    vocabulary: tuple[str, ...],
    presets_file: Path | None,
) -> tuple[Summarizer, Summarizer]:
    """The configured engine, and the same engine behind a language router when needed."""
    from bot.summarize.extractive import ExtractiveSummarizer
    from bot.summarize.options import EngineOptions
    from bot.summarize.presets import load_presets
    from bot.summarize.router import LanguageRouter, cross_lingual_presets
    from bot.summarize.seq2seq import Seq2SeqSummarizer

    presets = load_presets(presets_file)
    preset, folder = resolve_model(model, models_dir, presets)
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
        return engine, engine  # its prompt asks for the language: it writes them all itself
    routes = cross_lingual_presets(presets, models_dir, exclude=preset.name)
    if not routes:
        return engine, engine

    def load(route: Preset) -> Summarizer:
        return Seq2SeqSummarizer.load(route, models_dir / route.name, options)

    variant = f"{'int8' if quantize else 'fp32'}:{','.join(vocabulary)}"
    router = LanguageRouter(engine, routes, load, variant=variant)
    log.info("summaries the %s engine cannot write in a channel's language can use: %s",
             engine.name, ", ".join(router.routes))  # fmt: skip
    return engine, router
