"""Decoding over a trimmed vocabulary gives the untrimmed output when that output
only needs kept tokens; the encoder still reads every token."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, PreTrainedTokenizerBase

from bot.summarize.loading import is_quantized
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from bot.summarize.vocab import TrimmedVocabulary, script_token_ids, text_token_ids
from tests.summarize.tiny_models import (
    TINY_GENERATION,
    Arch,
    TinyModel,
    build_tiny_model,
    make_article,
    outage_corpus,
)

CORPUS = outage_corpus()
EN = [line for line in CORPUS if line.isascii()][2:]
ZH = [line for line in CORPUS if not line.isascii()]
GREEDY = {**TINY_GENERATION, "num_beams": 1}


def _load(tiny: TinyModel) -> tuple[PreTrainedTokenizerBase, Any]:
    tokenizer = AutoTokenizer.from_pretrained(tiny.folder, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny.folder, local_files_only=True)
    return tokenizer, model.eval()


def _generate(
    tokenizer: PreTrainedTokenizerBase, model: Any, texts: list[str], settings: dict[str, Any]
) -> list[list[int]]:
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        output = model.generate(**inputs, **settings)
    return [[int(i) for i in row if i != tokenizer.pad_token_id] for row in output]


def _keep_what_is_used(
    tokenizer: PreTrainedTokenizerBase, outputs: list[list[int]], vocab: int
) -> list[int]:
    """The tokens the outputs use, the special ones, and every third other token."""
    used = {i for row in outputs for i in row} | set(tokenizer.all_special_ids)
    return sorted(used | set(range(0, vocab, 3)))


@pytest.mark.parametrize("arch", ["t5", "mt5"])
def test_greedy_output_is_unchanged_when_it_only_uses_kept_tokens(
    arch: Arch, tmp_path: Path
) -> None:
    tiny = build_tiny_model(tmp_path, arch)
    tokenizer, full = _load(tiny)
    texts = [*EN[:6:2], *ZH[:9:3]]
    expected = _generate(tokenizer, full, texts, GREEDY)
    vocab = full.get_output_embeddings().weight.shape[0]
    kept = _keep_what_is_used(tokenizer, expected, vocab)
    assert len(kept) < vocab * 0.6  # a real cut: most other tokens are gone
    _, fresh = _load(tiny)
    trimmed = TrimmedVocabulary(fresh, kept).eval()
    assert trimmed.model.get_output_embeddings().weight.shape[0] == len(kept)
    # The encoder still embeds every token of the input.
    assert trimmed.model.get_input_embeddings().weight.shape[0] == vocab
    assert _generate(tokenizer, trimmed, texts, GREEDY) == expected


def test_beam_output_is_unchanged_when_dropped_tokens_have_no_probability(
    tmp_path: Path,
) -> None:
    # BART adds a bias per output token: a very negative bias on the tokens we
    # drop makes them impossible for the untrimmed model too, as other-language
    # pieces are for a trained model writing English or Chinese.
    tiny = build_tiny_model(tmp_path, "bart")
    tokenizer, full = _load(tiny)
    vocab = full.get_output_embeddings().weight.shape[0]
    kept = sorted(set(range(0, vocab, 2)) | set(tokenizer.all_special_ids))
    dropped = torch.tensor(sorted(set(range(vocab)) - set(kept)))
    with torch.no_grad():
        full.final_logits_bias[:, dropped] = -1e4
    texts = [*EN[:6:2], *ZH[:6:3]]
    settings = {**TINY_GENERATION, "num_beams": 3}
    expected = _generate(tokenizer, full, texts, settings)
    assert {i for row in expected for i in row} <= set(kept)
    _, fresh = _load(tiny)
    with torch.no_grad():
        fresh.final_logits_bias[:, dropped] = -1e4
    trimmed = TrimmedVocabulary(fresh, kept).eval()
    assert _generate(tokenizer, trimmed, texts, settings) == expected


def test_script_ids_keep_the_languages_asked_for(tmp_path: Path) -> None:
    tiny = build_tiny_model(tmp_path, "mt5")
    tokenizer, _ = _load(tiny)
    english = set(script_token_ids(tokenizer, ["en"]))
    both = set(script_token_ids(tokenizer, ["zh", "en"]))
    assert english < both
    assert set(tokenizer.all_special_ids) <= english
    zh_ids = set(text_token_ids(tokenizer, ZH))
    en_ids = set(text_token_ids(tokenizer, EN))
    assert en_ids <= english and zh_ids <= both
    assert not zh_ids - set(tokenizer.all_special_ids) <= english
    with pytest.raises(ValueError, match="th"):
        script_token_ids(tokenizer, ["th"])


def test_byte_level_vocabularies_stay_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tiny = build_tiny_model(tmp_path, "bart")
    tokenizer, _ = _load(tiny)
    with pytest.raises(ValueError, match="SentencePiece"):
        script_token_ids(tokenizer, ["en"])
    # In the engine, a speed setting that cannot apply must not cost the model.
    options = EngineOptions(threads=1, vocabulary=("en",))
    with caplog.at_level(logging.WARNING, logger="bot.summarize.seq2seq"):
        engine = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, options)
    assert not isinstance(engine.model, TrimmedVocabulary)
    whole = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, EngineOptions(threads=1))
    assert engine.cache_key == whole.cache_key
    assert any("whole vocabulary" in r.getMessage() for r in caplog.records)


def test_the_engine_trims_on_request_and_keys_it(tmp_path: Path) -> None:
    tiny = build_tiny_model(tmp_path, "mt5", generation=GREEDY)
    full = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, EngineOptions(threads=1))
    options = EngineOptions(threads=1, vocabulary=("en",))
    trimmed = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, options)
    assert isinstance(trimmed.model, TrimmedVocabulary)
    assert trimmed.cache_key != full.cache_key
    english = set(script_token_ids(trimmed.tokenizer, ["en"]))
    # Whatever it writes, even for a Chinese article, is made of English pieces.
    articles = [make_article("en", EN[:2], "en"), make_article("zh", ZH[:2], "zh")]
    for summary in trimmed.summarize(articles):
        assert not summary.fallback and summary.text
        ids = trimmed.tokenizer(summary.text, add_special_tokens=False)["input_ids"]
        assert set(ids) <= english
    # Quantised after trimming: both levers at once.
    both = Seq2SeqSummarizer.load(
        tiny.preset, tiny.folder, EngineOptions(threads=1, quantize=True, vocabulary=("en", "zh"))
    )
    assert is_quantized(both.model) and isinstance(both.model, TrimmedVocabulary)
    assert all(s.text and not s.fallback for s in both.summarize(articles))


def test_unknown_vocabulary_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        EngineOptions(vocabulary=("xx",))


def test_settings_accept_exactly_the_languages_a_vocabulary_can_be_trimmed_to() -> None:
    from bot.config import VOCABULARY_LANGUAGES
    from bot.summarize.vocab import SCRIPTS

    assert set(SCRIPTS) == VOCABULARY_LANGUAGES
