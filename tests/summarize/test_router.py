"""Summary language routing with tiny real models in a temporary models folder.

The presets file and the models folder are laid out as in a real install:
models/<preset name>/ holds each preset's weights, and build_summarizer builds the
engine from them. A cross-lingual preset is only ever read from that folder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.errors import SummarizerError
from bot.summarize.base import LoadedModel, Summarizer
from bot.summarize.extractive import ExtractiveSummarizer
from bot.summarize.factory import build_summarizer, load_models
from bot.summarize.options import EngineOptions
from bot.summarize.presets import Preset, load_presets
from bot.summarize.router import LanguageRouter, same_language
from bot.summarize.seq2seq import Seq2SeqSummarizer
from bot.summarize.title_only import TitleOnlyAware
from tests.summarize.tiny_models import TINY_GENERATION, build_tiny_model, make_article

SAME = "tiny-same"  # summarises in the language it reads
CROSS = "tiny-crosssum-en"  # reads anything, writes English
ASKS = "tiny-asks"  # its prompt asks for the language
ABSENT = "tiny-crosssum-zh"  # writes Chinese; never pulled

EN = make_article("en", ["AWS reported elevated error rates in us-east-1 on Tuesday."], "en")
ZH = make_article("zh", ["阿里云华东1区出现大范围故障，大量用户无法访问。"], "zh")
ZH_2 = make_article("zh-2", ["腾讯云表示，华北2区的网络设备升级失败导致服务中断。"], "zh")


def _preset_table(name: str, languages: list[str], prompt: str) -> str:
    generation = ", ".join(f"{k} = {json.dumps(v)}" for k, v in TINY_GENERATION.items())
    return (
        f'[{name}]\nhub_id = "outage-bot-tests/{name}"\nrevision = "test"\n'
        f'license = "CC-BY-NC-SA-4.0"\nlanguages = {json.dumps(languages)}\n'
        f'tasks = ["summarize"]\nprompt = {json.dumps(prompt)}\nmax_input_tokens = 64\n'
        f"generation = {{ {generation} }}\n\n"
    )


pytestmark = pytest.mark.usefixtures("no_network")  # tests/summarize/conftest.py


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A presets file and models/ with SAME, CROSS and ASKS pulled (ABSENT is not)."""
    root = tmp_path_factory.mktemp("install")
    build_tiny_model(root, "t5", name=SAME)
    build_tiny_model(root, "mt5", name=CROSS, prompt="{text}")
    build_tiny_model(root, "t5", name=ASKS, prompt="Summarize in {language}: {text}")
    (root / "presets.toml").write_text(
        _preset_table(SAME, ["multilingual"], "summarize: {text}")
        + _preset_table(CROSS, ["multilingual->en"], "{text}")
        + _preset_table(ASKS, ["multilingual"], "Summarize in {language}: {text}")
        + _preset_table(ABSENT, ["multilingual->zh"], "{text}"),
        encoding="utf-8",
    )
    return root


def _build(install: Path, model: str, models: Path | None = None) -> Summarizer:
    built = build_summarizer(
        model, models or install / "models", presets_file=install / "presets.toml"
    )
    # Every engine is wrapped so that title-only articles are summarised as their title.
    assert isinstance(built, TitleOnlyAware)
    return built.engine


def _direct(install: Path, name: str) -> Seq2SeqSummarizer:
    preset = load_presets(install / "presets.toml")[name]
    # int8, as build_summarizer runs by default on the CPU (OUTAGE_BOT_QUANTIZE).
    return Seq2SeqSummarizer.load(preset, install / "models" / name, EngineOptions(quantize=True))


def test_other_languages_go_to_the_cross_lingual_preset(
    install: Path, no_network: list[Any]
) -> None:
    engine = _build(install, SAME)
    assert isinstance(engine, LanguageRouter)
    assert engine.routes == [CROSS]  # ABSENT has no folder: never considered
    en, zh = engine.summarize([EN, ZH], language="en")
    assert (zh.engine, zh.language, zh.fallback) == (CROSS, "en", False)
    assert (en.engine, en.language, en.fallback) == (SAME, "en", False)
    # Real output of each model, as each would write it alone.
    assert zh == _direct(install, CROSS).summarize([ZH], "en")[0]
    assert en == _direct(install, SAME).summarize([EN], "en")[0]
    assert no_network == []


def test_without_a_wanted_language_nothing_is_routed(install: Path) -> None:
    engine = _build(install, SAME)
    summaries = engine.summarize([EN, ZH])
    assert [(s.engine, s.language) for s in summaries] == [(SAME, "en"), (SAME, "zh")]


def test_no_preset_writes_the_language_so_the_source_language_stays(install: Path) -> None:
    engine = _build(install, SAME)
    (summary,) = engine.summarize([EN], language="zh")  # ABSENT would, but is not pulled
    assert (summary.engine, summary.language) == (SAME, "en")


def test_without_cross_lingual_weights_the_engine_is_used_as_it_is(
    install: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / SAME).symlink_to(install / "models" / SAME)
    engine = _build(install, SAME, models)
    assert isinstance(engine, Seq2SeqSummarizer)
    (summary,) = engine.summarize([ZH], language="en")
    assert (summary.engine, summary.language, summary.fallback) == (SAME, "zh", False)


def test_an_engine_that_asks_for_the_language_needs_no_routing(install: Path) -> None:
    engine = _build(install, ASKS)
    assert isinstance(engine, Seq2SeqSummarizer)
    (summary,) = engine.summarize([ZH], language="en")
    assert (summary.engine, summary.language) == (ASKS, "en")


def test_explicit_extractive_gets_no_model(install: Path) -> None:
    engine = _build(install, "extractive")
    assert isinstance(engine, ExtractiveSummarizer)
    (summary,) = engine.summarize([ZH], language="en")
    assert (summary.engine, summary.language, summary.fallback) == ("extractive", "zh", False)


def test_a_missing_configured_model_still_routes_what_it_can(install: Path) -> None:
    # The configured preset was never pulled: extractive fallback, but Chinese
    # articles for an English channel still get a model summary in English.
    engine = _build(install, ABSENT)
    assert isinstance(engine, LanguageRouter)
    en, zh = engine.summarize([EN, ZH], language="en")
    assert (en.engine, en.fallback) == ("extractive", True)
    assert (zh.engine, zh.language, zh.fallback) == (CROSS, "en", False)


class CountingLoads:
    def __init__(self, install: Path, fail: bool = False) -> None:
        self.install = install
        self.fail = fail
        self.loads: list[str] = []

    def __call__(self, preset: Preset) -> Summarizer:
        self.loads.append(preset.name)
        if self.fail:
            raise SummarizerError(f"{preset.name}: model folder is incomplete or damaged")
        return Seq2SeqSummarizer.load(preset, self.install / "models" / preset.name)


def test_the_cross_lingual_model_loads_once_on_first_need(install: Path) -> None:
    presets = load_presets(install / "presets.toml")
    primary = _direct(install, SAME)
    loads = CountingLoads(install)
    router = LanguageRouter(primary, [presets[CROSS]], loads)
    router.summarize([EN, ZH])  # no language wanted
    router.summarize([EN], language="en")  # English already
    assert loads.loads == []
    router.summarize([ZH], language="en")
    router.summarize([ZH_2, EN, ZH], language="en")
    assert loads.loads == [CROSS]


def test_a_cross_lingual_model_that_fails_to_load_is_tried_once(
    install: Path, caplog: pytest.LogCaptureFixture
) -> None:
    presets = load_presets(install / "presets.toml")
    loads = CountingLoads(install, fail=True)
    router = LanguageRouter(_direct(install, SAME), [presets[CROSS]], loads)
    with caplog.at_level(logging.WARNING, logger="bot.summarize.router"):
        first = router.summarize([ZH, EN], language="en")
        second = router.summarize([ZH_2], language="en")
    assert loads.loads == [CROSS]
    assert [(s.engine, s.language) for s in [*first, *second]] == [
        (SAME, "zh"),
        (SAME, "en"),
        (SAME, "zh"),
    ]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "stay in the source language" in warned[0]


def test_the_cache_key_names_the_routes(install: Path) -> None:
    presets = load_presets(install / "presets.toml")
    primary = _direct(install, SAME)
    router = LanguageRouter(primary, [presets[CROSS]], CountingLoads(install))
    assert router.cache_key.startswith(primary.cache_key + "+" + CROSS)
    changed = presets[CROSS].model_copy(update={"revision": "v2"})
    other = LanguageRouter(primary, [changed], CountingLoads(install))
    int8 = LanguageRouter(primary, [presets[CROSS]], CountingLoads(install), variant="int8")
    assert len({router.cache_key, other.cache_key, int8.cache_key}) == 3


@pytest.mark.parametrize(
    ("a", "b", "same"), [("zh-cn", "zh", True), ("EN", "en-GB", True), ("zh", "en", False)]
)
def test_language_tags_compare_by_language(a: str, b: str, same: bool) -> None:
    assert same_language(a, b) is same


def test_load_models_hands_the_configured_engine_to_qa_and_routes_only_summaries(
    install: Path,
) -> None:
    # The composition root loads once: the router summarises, the engine it routes
    # around (the configured model, already in memory) is the one thread Q&A gets.
    models = load_models(SAME, install / "models", presets_file=install / "presets.toml")
    assert isinstance(models.summarizer, TitleOnlyAware)
    router = models.summarizer.engine
    assert isinstance(router, LanguageRouter)
    assert router.primary is models.engine
    assert isinstance(models.engine, Seq2SeqSummarizer) and models.engine.name == SAME
    assert isinstance(models.engine, LoadedModel)


def test_load_models_of_extractive_has_no_model_to_share(install: Path) -> None:
    models = load_models("extractive", install / "models")
    assert not isinstance(models.engine, LoadedModel)
    assert isinstance(models.summarizer, TitleOnlyAware)
    assert models.summarizer.engine is models.engine
