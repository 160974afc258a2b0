"""Beam search with the shared cross-attention cache writes exactly what it did before."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from bot.summarize.beams import beam_cache
from tests.summarize.tiny_models import (
    ARCHES,
    TINY_GENERATION,
    Arch,
    build_tiny_model,
    outage_corpus,
)


@pytest.mark.parametrize("arch", ARCHES)
def test_the_shared_cache_changes_no_output(arch: Arch, tmp_path: Path) -> None:
    tiny = build_tiny_model(tmp_path, arch)
    tokenizer = AutoTokenizer.from_pretrained(tiny.folder, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny.folder, local_files_only=True).eval()
    corpus = outage_corpus()
    # Inputs of different lengths (padding) and beams that reorder often.
    texts = [corpus[5], " ".join(corpus[20:23]), corpus[300], " ".join(corpus[400:402])]
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    settings = {**TINY_GENERATION, "num_beams": 4, "max_new_tokens": 16}
    with torch.inference_mode():
        plain = model.generate(**inputs, **settings)
        cache = beam_cache(model)
        shared = model.generate(**inputs, cache=cache, **settings)
    assert cache is not None
    # generate used this cache (and its no-op reorder), not one of its own.
    assert cache.cross_attention_cache.get_seq_length() == inputs["input_ids"].shape[1]
    assert torch.equal(plain, shared)
    assert len({tuple(row.tolist()) for row in plain}) == len(texts)


def test_models_without_an_encoder_decoder_config_get_no_cache() -> None:
    assert beam_cache(object()) is None
