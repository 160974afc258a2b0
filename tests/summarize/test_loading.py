"""Loading and preparing a model: tied or untied word embeddings as the checkpoint
says, quietly; and engine options applied (and keyed) however the engine is built."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoTokenizer, MT5ForConditionalGeneration, T5ForConditionalGeneration

from bot.errors import SummarizerError
from bot.summarize.loading import is_quantized
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import TinyModel, build_tiny_model, make_article

OPTIONS = EngineOptions(threads=1)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())


@pytest.fixture
def transformers_log() -> Iterator[Collect]:
    """Warnings transformers logs (its loggers do not reach pytest's caplog)."""
    handler = Collect()
    logger = logging.getLogger("transformers")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _untied_mt5(root: Path, *, state_tie: bool | None = False) -> tuple[TinyModel, torch.Tensor]:
    """A tiny mT5 saved as the published ones are: its own lm_head, config untied.

    ``state_tie`` is what config.json says: False, True, or None (key absent).
    """
    tiny = build_tiny_model(root, "mt5")
    model = MT5ForConditionalGeneration.from_pretrained(tiny.folder, local_files_only=True)
    torch.manual_seed(7)
    head = torch.randn_like(model.lm_head.weight)
    model.lm_head.weight = torch.nn.Parameter(head.clone())
    model.save_pretrained(tiny.folder)
    config_file = tiny.folder / "config.json"
    config = json.loads(config_file.read_text())
    config.pop("tie_word_embeddings", None)
    if state_tie is not None:
        config["tie_word_embeddings"] = state_tie
    config_file.write_text(json.dumps(config))
    return tiny, head


@pytest.mark.parametrize("state_tie", [False, None], ids=["untied", "unstated"])
def test_an_untied_mt5_loads_its_own_lm_head_without_warnings(
    tmp_path: Path, transformers_log: Collect, state_tie: bool | None
) -> None:
    tiny, head = _untied_mt5(tmp_path, state_tie=state_tie)
    saved = load_file(str(tiny.folder / "model.safetensors"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, OPTIONS)
    model = engine.model
    assert isinstance(model, MT5ForConditionalGeneration)
    assert torch.equal(model.lm_head.weight, head)
    assert model.lm_head.weight is not model.shared.weight
    # The input embeddings are still the one shared table of the checkpoint.
    assert torch.equal(model.shared.weight, saved["shared.weight"])
    assert model.encoder.embed_tokens.weight is model.shared.weight
    assert model.decoder.embed_tokens.weight is model.shared.weight
    assert transformers_log.messages == []
    assert engine.summarize([make_article("a", ["AWS is down in us-east-1."], "en")])[0].text


def test_a_tied_mt5_shares_the_embedding(tmp_path: Path, transformers_log: Collect) -> None:
    tiny = build_tiny_model(tmp_path, "mt5")  # saved by transformers 5: tied
    assert json.loads((tiny.folder / "config.json").read_text())["tie_word_embeddings"] is True
    model = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, OPTIONS).model
    assert isinstance(model, MT5ForConditionalGeneration)
    assert model.lm_head.weight is model.shared.weight
    assert transformers_log.messages == []


def test_a_config_that_says_tied_wins_over_a_stray_lm_head(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tiny, head = _untied_mt5(tmp_path, state_tie=True)
    with caplog.at_level(logging.WARNING, logger="bot.summarize.loading"):
        model = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, OPTIONS).model
    assert isinstance(model, MT5ForConditionalGeneration)
    assert model.lm_head.weight is model.shared.weight
    assert not torch.equal(model.lm_head.weight, head)
    assert any("different lm_head" in r.getMessage() for r in caplog.records)


def test_untied_without_an_lm_head_is_a_damaged_folder(tmp_path: Path) -> None:
    tiny, _ = _untied_mt5(tmp_path)
    weights = tiny.folder / "model.safetensors"
    tensors = load_file(str(weights))
    del tensors["lm_head.weight"]
    save_file(tensors, str(weights), metadata={"format": "pt"})
    with pytest.raises(SummarizerError) as caught:
        Seq2SeqSummarizer.load(tiny.preset, tiny.folder, OPTIONS)
    assert "no lm_head" in str(caught.value)
    assert "outage-bot models pull tiny-mt5" in str(caught.value)


# -- options are applied by the constructor, and the cache key tells the truth ---------


def _by_hand(tiny: TinyModel, options: EngineOptions) -> Seq2SeqSummarizer:
    tokenizer = AutoTokenizer.from_pretrained(tiny.folder, local_files_only=True)
    model = T5ForConditionalGeneration.from_pretrained(tiny.folder, local_files_only=True)
    return Seq2SeqSummarizer(tokenizer, model, tiny.preset, options)


def test_an_engine_built_directly_uses_int8_when_asked(tmp_path: Path) -> None:
    tiny = build_tiny_model(tmp_path, "t5")
    int8 = _by_hand(tiny, EngineOptions(threads=1, quantize=True))
    fp32 = _by_hand(tiny, EngineOptions(threads=1))
    assert is_quantized(int8.model) and not is_quantized(fp32.model)
    loaded = Seq2SeqSummarizer.load(
        tiny.preset, tiny.folder, EngineOptions(threads=1, quantize=True)
    )
    assert int8.cache_key == loaded.cache_key != fp32.cache_key
    articles = [make_article(k, [f"Storage in {k} failed for an hour."], "en") for k in "ab"]
    assert int8.summarize(articles) == loaded.summarize(articles)


def test_the_cache_key_follows_the_model_not_the_option(tmp_path: Path) -> None:
    tiny = build_tiny_model(tmp_path, "t5")
    already = _by_hand(tiny, EngineOptions(threads=1, quantize=True)).model
    # Handed an int8 model without asking for int8: it is still an int8 engine.
    engine = Seq2SeqSummarizer(
        AutoTokenizer.from_pretrained(tiny.folder, local_files_only=True),
        already,
        tiny.preset,
        EngineOptions(threads=1),
    )
    assert is_quantized(engine.model)
    assert engine.cache_key == _by_hand(tiny, EngineOptions(threads=1, quantize=True)).cache_key


def test_an_engine_built_directly_sets_threads(tmp_path: Path) -> None:
    tiny = build_tiny_model(tmp_path, "t5")
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        _by_hand(tiny, EngineOptions(threads=1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
