"""Seq2SeqSummarizer with real transformers models: tiny T5, mT5 and BART built per test run.

Nothing here is mocked: the models are real (random weights, toy sizes) and are
loaded through ``Seq2SeqSummarizer.load`` from a folder, as a pulled model is.
Where a test needs a model to fail or to be watched, it subclasses or wraps the
real model and still calls the real ``generate``.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import AutoTokenizer, T5ForConditionalGeneration

from bot.errors import SummarizerError
from bot.schema import Article
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import (
    ARCHES,
    ROOT_CAUSE,
    Arch,
    TinyModel,
    build_tiny_model,
    long_postmortem,
    make_article,
    outage_corpus,
)

OPTIONS = EngineOptions(threads=1, batch_size=4)
CORPUS = outage_corpus()
EN = [line for line in CORPUS if line.isascii()]
ZH = [line for line in CORPUS if not line.isascii()]


pytestmark = pytest.mark.usefixtures("no_network")  # tests/summarize/conftest.py


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[Arch, TinyModel]:
    """One tiny model of each architecture, shared by the tests that only read them."""
    root = tmp_path_factory.mktemp("tiny")
    return {arch: build_tiny_model(root, arch) for arch in ARCHES}


@pytest.fixture(scope="module")
def loaded(tiny: dict[Arch, TinyModel]) -> dict[Arch, Seq2SeqSummarizer]:
    return {arch: Seq2SeqSummarizer.load(m.preset, m.folder, OPTIONS) for arch, m in tiny.items()}


def _articles() -> list[Article]:
    """English and Chinese articles of quite different lengths."""
    return [
        make_article("en-1", EN[0:1], "en", title="AWS outage"),
        make_article("zh-1", ZH[0:3], "zh"),
        make_article("en-2", EN[10:13], "en"),
        make_article("zh-2", ZH[40:41], "zh", title="阿里云故障"),
        make_article("en-3", [" ".join(EN[50:52]), EN[90]], "en"),
        make_article("en-4", EN[120:121], "en"),
        make_article("zh-3", ZH[70:74], "zh"),
    ]


def _engine(
    tiny_model: TinyModel, model: Any = None, options: EngineOptions = OPTIONS, **preset: Any
) -> Seq2SeqSummarizer:
    """An engine built by hand, for tests that swap the model or the preset."""
    tokenizer = AutoTokenizer.from_pretrained(tiny_model.folder, local_files_only=True)
    if model is None:
        model = T5ForConditionalGeneration.from_pretrained(tiny_model.folder, local_files_only=True)
    return Seq2SeqSummarizer(
        tokenizer, model.eval(), tiny_model.preset.model_copy(update=preset), options
    )


# -- loading ------------------------------------------------------------------------------


@pytest.mark.parametrize("arch", ARCHES)
def test_each_architecture_loads_and_summarises(
    arch: Arch, loaded: dict[Arch, Seq2SeqSummarizer], no_network: list[Any]
) -> None:
    engine = loaded[arch]
    articles = _articles()
    summaries = engine.summarize(articles)
    assert [s.article_id for s in summaries] == [a.id for a in articles]
    for article, summary in zip(articles, summaries, strict=True):
        assert summary.text.strip()
        assert len(summary.text) <= OPTIONS.max_summary_chars
        assert summary.engine == f"tiny-{arch}" == engine.name
        assert summary.language == article.language
        assert summary.fallback is False
    assert no_network == []


def test_missing_folder_names_the_folder_and_the_fix(
    tiny: dict[Arch, TinyModel], tmp_path: Path
) -> None:
    folder = tmp_path / "models" / "not-pulled"
    with pytest.raises(SummarizerError) as caught:
        Seq2SeqSummarizer.load(tiny["t5"].preset, folder, OPTIONS)
    assert str(folder) in str(caught.value)
    assert "outage-bot models pull tiny-t5" in str(caught.value)


def test_corrupt_weights_name_the_folder_and_the_fix(tmp_path: Path) -> None:
    model = build_tiny_model(tmp_path, "t5")
    (model.folder / "model.safetensors").write_bytes(b"\x00garbage, not a safetensors file" * 8)
    with pytest.raises(SummarizerError) as caught:
        Seq2SeqSummarizer.load(model.preset, model.folder, OPTIONS)
    assert str(model.folder) in str(caught.value)
    assert "outage-bot models pull tiny-t5" in str(caught.value)


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_broken_tokenizer_is_refused(tmp_path: Path, damage: str) -> None:
    # Without tokenizer files transformers would build a default one and "work".
    model = build_tiny_model(tmp_path, "mt5")
    if damage == "missing":
        for name in ("tokenizer.json", "tokenizer_config.json"):
            (model.folder / name).unlink()
    else:
        (model.folder / "tokenizer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SummarizerError) as caught:
        Seq2SeqSummarizer.load(model.preset, model.folder, OPTIONS)
    assert str(model.folder) in str(caught.value)
    assert "outage-bot models pull tiny-mt5" in str(caught.value)


def test_offline_a_model_that_is_not_on_disk_fails_without_network(
    tiny: dict[Arch, TinyModel], tmp_path: Path, no_network: list[Any]
) -> None:
    preset = tiny["bart"].preset.model_copy(
        update={"hub_id": "outage-bot-tests/never-published", "revision": "main"}
    )
    with pytest.raises(SummarizerError) as caught:
        Seq2SeqSummarizer.load(preset, tmp_path / "models" / "tiny-bart", OPTIONS)
    assert "outage-bot models pull tiny-bart" in str(caught.value)
    assert "not in the local Hugging Face cache" in str(caught.value)
    assert no_network == []


def test_threads_are_set_deliberately(tiny: dict[Arch, TinyModel]) -> None:
    before = torch.get_num_threads()
    try:
        Seq2SeqSummarizer.load(tiny["t5"].preset, tiny["t5"].folder, EngineOptions(threads=1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_unknown_generation_settings_are_refused_at_load(tiny: dict[Arch, TinyModel]) -> None:
    with pytest.raises(SummarizerError, match="num_beam"):
        _engine(tiny["t5"], generation={"num_beam": 4})


# -- inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("arch", ARCHES)
def test_the_prompt_prefix_starts_the_input(
    arch: Arch, loaded: dict[Arch, Seq2SeqSummarizer]
) -> None:
    engine = loaded[arch]
    tokenizer = engine._tokenizer
    prompt = engine.format_prompt(EN[3], "en")
    assert prompt == f"summarize: {EN[3]}"
    ids = engine.encode_inputs([prompt])["input_ids"][0].tolist()
    prefix = tokenizer("summarize:", add_special_tokens=False)["input_ids"]
    if tokenizer.bos_token_id is not None:  # BART opens with <s>
        assert ids[0] == tokenizer.bos_token_id
        ids = ids[1:]
    assert ids[: len(prefix)] == prefix
    assert ids[-1] == tokenizer.eos_token_id


def test_the_wanted_language_fills_the_prompt(tiny: dict[Arch, TinyModel]) -> None:
    engine = _engine(tiny["t5"], prompt="Summarize the following article in {language}: {text}")
    assert (
        engine.format_prompt(ZH[0], "zh") == f"Summarize the following article in Chinese: {ZH[0]}"
    )
    article = make_article("zh", ZH[:2], "zh")
    (asked,) = engine.summarize([article], language="en")
    (own,) = engine.summarize([article])
    assert (asked.language, own.language) == ("en", "zh")


def test_summary_language_follows_what_the_preset_can_do(tiny: dict[Arch, TinyModel]) -> None:
    article = make_article("zh", ZH[:2], "zh")
    # A prompt without {language} cannot ask for English: the summary stays Chinese.
    same = _engine(tiny["t5"], prompt="{text}")
    assert same.summarize([article], language="en")[0].language == "zh"
    # A cross-lingual model always writes its target language.
    cross = _engine(tiny["t5"], prompt="{text}", languages=("multilingual->en",))
    assert cross.summarize([article])[0].language == "en"


@pytest.mark.parametrize("arch", ARCHES)
def test_long_text_is_cut_to_max_input_tokens_keeping_the_prompt_whole(
    arch: Arch, tiny: dict[Arch, TinyModel]
) -> None:
    tokenizer = AutoTokenizer.from_pretrained(tiny[arch].folder, local_files_only=True)
    model = tiny[arch]
    engine = Seq2SeqSummarizer.load(
        model.preset.model_copy(update={"prompt": "{text} Summary:", "max_input_tokens": 40}),
        model.folder,
        OPTIONS,
    )
    text = " ".join(EN[:6])
    assert len(tokenizer(text)["input_ids"]) > 40
    prompt = engine.format_prompt(text, "en")
    assert prompt.endswith(" Summary:") and text.startswith(prompt.removesuffix(" Summary:"))
    ids = tokenizer(prompt)["input_ids"]  # no truncation: format_prompt made it fit
    assert 30 <= len(ids) <= 40
    suffix = tokenizer(" Summary:", add_special_tokens=False)["input_ids"]
    assert ids[-1 - len(suffix) : -1] == suffix  # the part after {text} survived


# -- long articles ------------------------------------------------------------------------


def test_a_short_article_is_one_chunk(loaded: dict[Arch, Seq2SeqSummarizer]) -> None:
    article = make_article("short", EN[:1], "en", title="AWS outage")
    assert loaded["t5"].plan_chunks(article) == [f"AWS outage. {EN[0]}"]


@pytest.mark.parametrize("arch", ARCHES)
def test_long_articles_are_cut_into_overlapping_windows(
    arch: Arch, tiny: dict[Arch, TinyModel]
) -> None:
    model = tiny[arch]
    options = EngineOptions(threads=1, chunk_overlap_tokens=8, max_chunks=50)
    engine = Seq2SeqSummarizer.load(model.preset, model.folder, options)
    article = make_article("long", long_postmortem(12), "en")
    text = " ".join(article.paragraphs)
    chunks = engine.plan_chunks(article)
    assert len(chunks) > 2
    assert text.startswith(chunks[0]) and text.endswith(chunks[-1])
    spans = [(text.index(chunk), text.index(chunk) + len(chunk)) for chunk in chunks]
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start < end  # consecutive windows overlap: nothing falls between them
    for chunk in chunks:
        # Each window fits the input as it is: format_prompt has nothing to cut.
        prompt = engine.format_prompt(chunk, "en")
        assert prompt == f"summarize: {chunk}"
        assert len(engine._tokenizer(prompt)["input_ids"]) <= model.preset.max_input_tokens


def test_beyond_max_chunks_the_windows_still_reach_the_end(
    loaded: dict[Arch, Seq2SeqSummarizer],
) -> None:
    engine = loaded["mt5"]
    article = make_article("very-long", long_postmortem(60), "en")
    chunks = engine.plan_chunks(article)
    assert len(chunks) == OPTIONS.max_chunks
    assert chunks[0].startswith("Update 0:")
    assert chunks[-1].endswith(ROOT_CAUSE)


class CountingModel:
    """Wraps a real model and records the batch size of every ``generate`` call."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.batches: list[int] = []

    @property
    def device(self) -> torch.device:
        return self.inner.device

    def generate(self, **kwargs: Any) -> Any:
        self.batches.append(int(kwargs["input_ids"].shape[0]))
        return self.inner.generate(**kwargs)


def test_long_articles_are_summarised_map_reduce(tiny: dict[Arch, TinyModel]) -> None:
    engine = _engine(tiny["t5"], options=EngineOptions(threads=1, batch_size=16))
    counting = CountingModel(engine._model)
    engine._model = counting
    long_article = make_article("long", long_postmortem(30), "en")
    chunks = engine.plan_chunks(long_article)
    assert len(chunks) == 6
    summaries = engine.summarize([long_article, make_article("short", EN[:1], "en")])
    # One map batch: six chunks and the short article; one reduce batch: the long one.
    assert counting.batches == [7, 1]
    assert all(s.text and not s.fallback for s in summaries)


def test_chunk_summaries_that_do_not_fit_share_the_input(
    loaded: dict[Arch, Seq2SeqSummarizer],
) -> None:
    engine = loaded["t5"]
    said = [
        f"Update {n}: engineers at AWS checked rack {n} and found it healthy." for n in range(6)
    ]
    joined = engine._join_chunk_summaries(said, "en")
    prompt = engine.format_prompt(joined, "en")
    assert prompt == f"summarize: {joined}"  # fits without further cutting
    assert all(f"Update {n}" in joined for n in range(6))  # the last chunk is heard too


def test_the_title_leads_the_text(loaded: dict[Arch, Seq2SeqSummarizer]) -> None:
    engine = loaded["t5"]
    zh = make_article("zh", [ZH[0]], "zh", title="阿里云故障")
    assert engine.plan_chunks(zh) == [f"阿里云故障。{ZH[0]}"]
    repeated = make_article("en", [EN[0]], "en", title=EN[0])
    assert engine.plan_chunks(repeated) == [EN[0]]


@pytest.mark.parametrize(
    "bad",
    [{"batch_size": 0}, {"max_chunks": 0}, {"chunk_overlap_tokens": -1}, {"threads": 0}],
)
def test_engine_options_are_checked(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match=">="):
        EngineOptions(**bad)


# -- batching and determinism -------------------------------------------------------------


@pytest.mark.parametrize("arch", ARCHES)
def test_batched_results_equal_one_by_one(arch: Arch, tiny: dict[Arch, TinyModel]) -> None:
    model = tiny[arch]
    articles = [*_articles(), make_article("long", long_postmortem(2), "en")]
    batched = Seq2SeqSummarizer.load(
        model.preset, model.folder, EngineOptions(threads=1, batch_size=3)
    )
    single = Seq2SeqSummarizer.load(
        model.preset, model.folder, EngineOptions(threads=1, batch_size=1)
    )
    together = batched.summarize(articles)
    reversed_order = batched.summarize(articles[::-1])[::-1]
    alone = [single.summarize([article])[0] for article in articles]
    assert together == alone == reversed_order
    # Random weights still depend on the input: the equality is not trivial.
    assert len({s.text for s in together}) > 1


# -- failures -----------------------------------------------------------------------------


class OutOfMemoryOnLongInputs(T5ForConditionalGeneration):
    """A real T5 that runs out of memory (as a GPU would) on inputs over ``limit`` tokens."""

    limit = 20

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs["input_ids"].shape[1] > self.limit:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return super().generate(*args, **kwargs)


def test_an_article_that_fails_falls_back_alone(
    tiny: dict[Arch, TinyModel], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tiny["t5"].folder
    model = OutOfMemoryOnLongInputs.from_pretrained(folder, local_files_only=True)
    failing = _engine(tiny["t5"], model)
    healthy = _engine(tiny["t5"])
    short = [make_article(f"short-{i}", [f"AWS is down {'again ' * i}"], "en") for i in range(3)]
    long = [make_article(f"long-{i}", EN[i * 9 : i * 9 + 3], "en") for i in range(2)]
    articles = [short[0], long[0], short[1], long[1], short[2]]

    def length(article: Article) -> int:
        prompt = failing.format_prompt(article.text, "en")
        return len(failing.encode_inputs([prompt])["input_ids"][0])

    model.limit = max(map(length, short))
    assert min(map(length, long)) > model.limit
    with caplog.at_level(logging.WARNING, logger="bot.summarize.seq2seq"):
        summaries = failing.summarize(articles)
    by_id = {s.article_id: s for s in summaries}
    for article in long:
        assert by_id[article.id].fallback is True
        assert by_id[article.id].engine == "extractive"
        assert by_id[article.id].text  # the lead sentences instead
    assert [by_id[a.id] for a in short] == healthy.summarize(short)
    warnings_logged = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings_logged) == len(long)
    assert all("out of memory" in r.getMessage() for r in warnings_logged)


class SaysNothing(T5ForConditionalGeneration):
    """A real T5 whose every output is just the end-of-sequence token."""

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        rows = kwargs["input_ids"].shape[0]
        return torch.full((rows, 2), self.config.eos_token_id)


def test_an_empty_model_summary_falls_back(tiny: dict[Arch, TinyModel]) -> None:
    engine = _engine(
        tiny["t5"], SaysNothing.from_pretrained(tiny["t5"].folder, local_files_only=True)
    )
    (summary,) = engine.summarize([make_article("a", EN[:2], "en")])
    assert summary.fallback is True and summary.engine == "extractive" and summary.text


def test_an_article_without_text_falls_back(loaded: dict[Arch, Seq2SeqSummarizer]) -> None:
    empty = make_article("empty", [], "en", title="")
    (summary,) = loaded["t5"].summarize([empty])
    assert summary.fallback is True


# -- options ------------------------------------------------------------------------------


def test_quantized_model_still_summarises(tiny: dict[Arch, TinyModel]) -> None:
    model = tiny["mt5"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the deprecation notice is silenced
        engine = Seq2SeqSummarizer.load(
            model.preset, model.folder, EngineOptions(threads=1, quantize=True)
        )
    kinds = {type(module).__module__ for module in engine._model.modules()}  # type: ignore[attr-defined]
    assert "torch.ao.nn.quantized.dynamic.modules.linear" in kinds
    summaries = engine.summarize(_articles())
    assert all(s.text and not s.fallback for s in summaries)


def test_cache_key_follows_the_settings_that_change_output(tiny: dict[Arch, TinyModel]) -> None:
    base = _engine(tiny["t5"])
    assert base.cache_key.startswith("tiny-t5@test:")
    assert _engine(tiny["t5"]).cache_key == base.cache_key
    # Speed settings do not change what is written.
    assert (
        _engine(tiny["t5"], options=EngineOptions(threads=2, batch_size=1)).cache_key
        == base.cache_key
    )
    changed = [
        _engine(tiny["t5"], generation={**tiny["t5"].preset.generation, "num_beams": 3}),
        _engine(tiny["t5"], revision="v2"),
        _engine(tiny["t5"], prompt="Summarize: {text}"),
        _engine(tiny["t5"], max_input_tokens=32),
        _engine(tiny["t5"], options=EngineOptions(threads=1, quantize=True)),
        _engine(tiny["t5"], options=EngineOptions(threads=1, max_summary_chars=200)),
    ]
    keys = [engine.cache_key for engine in changed]
    assert base.cache_key not in keys and len(set(keys)) == len(keys)
