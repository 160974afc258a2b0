"""The input budget is exact: an article that fits is read whole, one token more is chunked.

Counted on the real tokenizers of tiny T5, mT5 and BART models, for prompts with
text before, after and around the article, so that no token of the model's
input is wasted and none is cut away by the tokenizer's safety truncation.
"""

from __future__ import annotations

import pytest

from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import (
    ARCHES,
    Arch,
    build_tiny_model,
    long_postmortem,
    make_article,
)

PROMPTS = [
    "summarize: {text}",
    "{text}",
    "{text} Summary:",
    "Summarize the following article in {language}: {text}",
]
MAX_INPUT = 48


def _exactly_fitting(engine: Seq2SeqSummarizer, lead: str) -> tuple[str, str]:
    """A text opening with ``lead`` whose prompt is exactly ``MAX_INPUT`` tokens, and
    the same text a token longer."""
    tokenizer = engine.tokenizer
    words = [lead, *" ".join(long_postmortem(6)).split()]

    def size(text: str) -> int:
        prompt = engine.preset.prompt.format(text=text, language="English")
        return len(tokenizer(prompt)["input_ids"])

    text = ""
    for word in words:
        longer = f"{text} {word}".strip()
        if size(longer) > MAX_INPUT:
            break
        text = longer
    # Top up with one-token words until the prompt is exactly full.
    filler = next(w for w in words if size(f"{text} {w}") == size(text) + 1)
    while size(text) < MAX_INPUT:
        text = f"{text} {filler}"
    assert size(text) == MAX_INPUT
    over = f"{text} {filler}"
    assert size(over) == MAX_INPUT + 1
    return text, over


# Byte-level BPE (BART) merges the space into "ĠAzure" but not into "10:15", so
# a text counted on its own would not be the text the model reads.
LEADS = ["Update", "10:15", "Azure"]


@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("arch", ARCHES)
def test_an_article_that_exactly_fits_is_one_chunk(
    arch: Arch, prompt: str, lead: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    model = build_tiny_model(
        tmp_path_factory.mktemp(arch), arch, prompt=prompt, max_input_tokens=MAX_INPUT
    )
    engine = Seq2SeqSummarizer.load(model.preset, model.folder, EngineOptions(threads=1))
    fits, over = _exactly_fitting(engine, lead)
    assert engine.plan_chunks(make_article("fits", [fits], "en")) == [fits]
    assert engine.format_prompt(fits, "en") == model.preset.prompt.format(
        text=fits, language="English"
    )
    chunks = engine.plan_chunks(make_article("over", [over], "en"))
    assert len(chunks) == 2
    for chunk in chunks:
        ids = engine.tokenizer(engine.format_prompt(chunk, "en"))["input_ids"]
        assert len(ids) <= MAX_INPUT
