"""Seq2SeqAnswerer: the summarizer's own tiny T5/mT5 answering, prompt budgets, build_answerer."""

from __future__ import annotations

import logging

import pytest
import torch

from bot.errors import SummarizerError
from bot.qa.model import Seq2SeqAnswerer, build_answerer
from bot.summarize.extractive import ExtractiveSummarizer
from bot.summarize.options import EngineOptions
from bot.summarize.router import LanguageRouter
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import Arch, build_tiny_model

ANSWER_PROMPT = "Context: {context} Question: {question} Answer in {language}:"
OPTIONS = EngineOptions(threads=1)
CONTEXT = [
    "AWS reported elevated error rates in us-east-1 on Tuesday morning.",
    "Services at AWS recovered after a rollback, and the incident in us-east-1 is resolved.",
    "阿里云华东1区出现大范围故障，大量用户无法访问。",
]


def _load(
    tmp_path_factory: pytest.TempPathFactory, arch: Arch, answers: bool = True
) -> Seq2SeqSummarizer:
    tiny = build_tiny_model(tmp_path_factory.mktemp(arch), arch, max_input_tokens=96)
    preset = tiny.preset
    if answers:
        preset = preset.model_copy(
            update={"tasks": ("summarize", "answer"), "answer_prompt": ANSWER_PROMPT}
        )
    return Seq2SeqSummarizer.load(preset, tiny.folder, OPTIONS)


@pytest.fixture(scope="module")
def t5(tmp_path_factory: pytest.TempPathFactory) -> Seq2SeqSummarizer:
    return _load(tmp_path_factory, "t5")


def _tokens(summarizer: Seq2SeqSummarizer, text: str) -> int:
    return len(summarizer.tokenizer(text)["input_ids"])


def test_build_answerer_shares_the_loaded_model(t5: Seq2SeqSummarizer) -> None:
    generator = build_answerer(t5)
    assert isinstance(generator, Seq2SeqAnswerer)
    assert generator.name == t5.name == "tiny-t5"
    # The answer is what the summarizer's own model generates for the prompt,
    # with the preset's beams and n-gram rule and the caller's length.
    prompt = generator.prompt("Is AWS back?", CONTEXT, "en")
    inputs = t5.tokenizer([prompt], return_tensors="pt")
    with torch.inference_mode():
        ids = t5.model.generate(
            **inputs,
            num_beams=2,
            no_repeat_ngram_size=2,
            min_new_tokens=4,
            max_new_tokens=10,
            do_sample=False,
        )
    expected = t5.tokenizer.batch_decode(ids, skip_special_tokens=True)
    assert generator.complete([prompt], max_new_tokens=10) == expected
    assert expected[0].strip()


@pytest.mark.parametrize("arch", ["mt5", "bart"])
def test_other_architectures_answer_too(
    tmp_path_factory: pytest.TempPathFactory, arch: Arch
) -> None:
    generator = build_answerer(_load(tmp_path_factory, arch))
    assert generator is not None
    prompt = generator.prompt("阿里云恢复了吗？", CONTEXT, "zh")
    assert "Answer in Chinese:" in prompt
    (text,) = generator.complete([prompt], max_new_tokens=8)
    assert text.strip()


def test_generation_is_deterministic_and_batch_independent(t5: Seq2SeqSummarizer) -> None:
    generator = Seq2SeqAnswerer(t5)
    one = generator.prompt("Is AWS back?", CONTEXT[:2])
    two = generator.prompt("阿里云怎么了？", CONTEXT[2:], "zh")
    alone = [generator.complete([one], 8)[0], generator.complete([two], 8)[0]]
    assert generator.complete([one, two], 8) == alone
    assert generator.complete([one, two], 8) == alone
    assert generator.complete([], 8) == []
    with pytest.raises(ValueError, match="max_new_tokens"):
        generator.complete([one], 0)


def test_the_prompt_fits_and_never_cuts_the_question(t5: Seq2SeqSummarizer) -> None:
    generator = Seq2SeqAnswerer(t5)
    question = "Why did AWS fail in us-east-1 on Tuesday?"
    long_context = [" ".join(CONTEXT[:2]) * 6, "Engineers at AWS are monitoring us-east-1."]
    prompt = generator.prompt(question, long_context)
    assert _tokens(t5, prompt) <= t5.preset.max_input_tokens
    assert prompt.endswith(f"Question: {question} Answer in English:")
    context = prompt.removeprefix("Context: ").split(" Question: ")[0]
    assert context and long_context[0].startswith(context)  # the best passage, cut
    assert "monitoring" not in prompt  # no room left for the second
    # With room for them, the passages are all there, best first.
    roomy = t5.preset.model_copy(update={"max_input_tokens": 240})
    generator = Seq2SeqAnswerer(Seq2SeqSummarizer(t5.tokenizer, t5.model, roomy, OPTIONS))
    short = generator.prompt(question, CONTEXT[:2])
    assert short.startswith(f"Context: {CONTEXT[0]} {CONTEXT[1]} Question:")


def test_a_question_that_leaves_no_room_is_an_error(t5: Seq2SeqSummarizer) -> None:
    generator = Seq2SeqAnswerer(t5)
    with pytest.raises(SummarizerError, match="leaves"):
        generator.prompt("Why did AWS fail? " * 20, CONTEXT)


def test_a_preset_without_the_answer_task_gets_no_generator(
    tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    summarizer = _load(tmp_path_factory, "t5", answers=False)
    with caplog.at_level(logging.WARNING, logger="bot.qa.model"):
        assert build_answerer(summarizer) is None
    (record,) = caplog.records
    assert "tiny-t5 model cannot answer" in record.getMessage()
    assert "outage-bot models pull mt0-base" in record.getMessage()
    with pytest.raises(SummarizerError):
        Seq2SeqAnswerer(summarizer)


def test_the_extractive_engine_gets_no_generator(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.qa.model"):
        assert build_answerer(ExtractiveSummarizer()) is None
    (record,) = caplog.records
    assert "no QA model is loaded" in record.getMessage()


def test_a_language_router_answers_with_its_configured_model(t5: Seq2SeqSummarizer) -> None:
    # The router's cross-lingual engines are never asked questions: nothing to load.
    # The composition root hands Q&A the engine it loaded (load_models().engine), which a
    # router wraps as its primary.
    router = LanguageRouter(t5, [], load=lambda preset: ExtractiveSummarizer())
    generator = build_answerer(router.primary)
    assert isinstance(generator, Seq2SeqAnswerer) and generator.name == t5.name
