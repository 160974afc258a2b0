"""Thread Q&A on the summarizer's own model: no second copy of the weights.

The composition root loads the model once (``bot.summarize.factory.load_models``)
and hands its engine here. ``Seq2SeqAnswerer`` wraps that already-loaded engine
(a ``LoadedModel``) when its preset has the "answer" task. It builds the
preset's ``answer_prompt`` around the retrieved passages, cutting the passages
(never the question) to the model's input budget, and generates
deterministically, so one question on one set of articles always gets the same
answer.

Nothing here imports torch at module level: a bot on the extractive engine asks
``build_answerer`` too and should not pay for loading it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from bot.errors import SummarizerError
from bot.languages import LANGUAGES
from bot.outage.entities import EntityCatalog
from bot.qa.answerer import Answerer, TextGenerator
from bot.summarize.base import LoadedModel, Summarizer

log = logging.getLogger(__name__)

# Below this many tokens of context an answer is not worth generating.
_MIN_CONTEXT_TOKENS = 16
# How many tokens to look back for a word start before cutting inside a word.
_WORD_SEARCH = 16
# Length settings of a summary mean nothing for an answer: the caller says how long.
_LENGTH_SETTINGS = frozenset({"max_length", "min_length", "max_new_tokens"})


class Seq2SeqAnswerer:
    """A ``TextGenerator`` sharing a loaded summarizer's tokenizer and model."""

    def __init__(self, summarizer: LoadedModel) -> None:
        preset = summarizer.preset
        if not preset.answers or preset.answer_prompt is None:
            raise SummarizerError(f"{preset.name}: the preset has no answer task/answer_prompt")
        self.name = preset.name
        self._template = preset.answer_prompt
        self._tokenizer = summarizer.tokenizer
        self._model = summarizer.model
        self._max_input = preset.max_input_tokens
        self._generation = {k: v for k, v in preset.generation.items() if k not in _LENGTH_SETTINGS}
        # Sampling would make the answer depend on the run; one sequence per prompt.
        self._generation.update(do_sample=False, num_return_sequences=1)
        # Slack handlers run on several threads; one generate at a time keeps
        # them from oversubscribing the CPU threads torch was sized for.
        self._lock = threading.Lock()

    def prompt(self, question: str, context: Sequence[str], language: str = "en") -> str:
        """The answer prompt with as much of ``context`` (best passage first) as fits.

        The question is never cut: when it leaves no room for context, that is a
        SummarizerError and the caller answers with evidence instead.
        """
        question = " ".join(question.split())
        language_name = LANGUAGES.prompt_name(language)

        def fill(text: str) -> str:
            return self._template.format(question=question, context=text, language=language_name)

        # Measured around a one-word stand-in, as the summarizer measures its prompt.
        overhead = self._count(fill("x"), special=True) - self._count("x")
        budget = self._max_input - overhead
        if budget < _MIN_CONTEXT_TOKENS:
            raise SummarizerError(
                f"{self.name}: the question leaves {max(budget, 0)} of {self._max_input} "
                "input tokens for the articles"
            )
        pieces: list[str] = []
        used = 0
        for passage in context:
            text = " ".join(passage.split())
            if not text:
                continue
            cost = self._count(text)
            if used + cost <= budget:
                pieces.append(text)
                used += cost
                continue
            if budget - used >= _MIN_CONTEXT_TOKENS:
                pieces.append(self._head(text, budget - used))
            break
        joined = " ".join(piece for piece in pieces if piece)
        # Pieces joined may tokenise a token or two longer than apart: trim the end.
        excess = self._count(fill(joined), special=True) - self._max_input
        while excess > 0 and joined:
            joined = self._head(joined, self._count(joined) - excess)
            excess = self._count(fill(joined), special=True) - self._max_input
        return fill(joined)

    def complete(self, prompts: Sequence[str], max_new_tokens: int = 64) -> list[str]:
        """The model's raw text for each prompt, in order. Raises what generate raises."""
        import torch

        if max_new_tokens < 1:
            raise ValueError("max_new_tokens must be >= 1")
        if not prompts:
            return []
        settings = dict(self._generation)
        settings["max_new_tokens"] = max_new_tokens
        if "min_new_tokens" in settings:
            settings["min_new_tokens"] = min(int(settings["min_new_tokens"]), max_new_tokens)
        with self._lock:
            # ``truncation`` is a safety net: ``prompt`` already made everything fit.
            inputs = self._tokenizer(
                list(prompts),
                padding=True,
                padding_side="right",
                truncation=True,
                max_length=self._max_input,
                return_tensors="pt",
            ).to(self._model.device)
            with torch.inference_mode():
                output = self._model.generate(
                    input_ids=inputs["input_ids"],
                    attention_mask=inputs["attention_mask"],
                    **settings,
                )
        return list(self._tokenizer.batch_decode(output, skip_special_tokens=True))

    # -- helpers ------------------------------------------------------------------

    def _count(self, text: str, *, special: bool = False) -> int:
        encoded = self._tokenizer(text, add_special_tokens=special, verbose=False)
        return len(encoded["input_ids"])

    def _head(self, text: str, tokens: int) -> str:
        """The start of ``text`` that tokenises to at most ``tokens``, cut between words."""
        if tokens < 1:
            return ""
        encoded = self._tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        starts = [int(start) for start, _ in encoded["offset_mapping"]]
        end = min(tokens, len(starts))
        while end > 0:
            cut = _word_cut(text, starts, end) if end < len(starts) else len(text)
            piece = text[:cut].rstrip()
            if self._count(piece) <= tokens:
                return piece
            end -= 1
        return ""


def _word_cut(text: str, starts: list[int], end: int) -> int:
    """Where to cut before token ``end``: the nearest earlier start of a word.

    A Latin word cut in two would tokenise differently and read as nonsense;
    Han characters are words on their own. Gives up after a few tokens (a long
    URL has no word start) and cuts at ``end`` itself.
    """
    for index in range(end, max(0, end - _WORD_SEARCH), -1):
        position = starts[index]
        if position == 0 or not (_latin(text[position - 1]) and _latin(text[position])):
            return position
    return starts[end]


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def build_answerer(engine: Summarizer) -> TextGenerator | None:
    """A generator for thread Q&A sharing ``engine``'s loaded model, or None (one warning).

    ``engine`` is the configured engine the composition root loaded (not the
    cache or language router around it). Only a loaded seq2seq model whose
    preset has the "answer" task can answer; otherwise Q&A quotes the best
    evidence passages and says why.
    """
    if isinstance(engine, LoadedModel):
        if engine.preset.answers:
            return Seq2SeqAnswerer(engine)
        log.warning(
            "thread Q&A: the %s model cannot answer questions; replies quote the best "
            "evidence passages instead (for written answers, set SUMMARIZER_MODEL=mt0-base "
            "and run `outage-bot models pull mt0-base`)",
            engine.name,
        )
        return None
    log.warning(
        "thread Q&A: no QA model is loaded (summarizer %r); replies quote the best evidence "
        "passages instead (for written answers, run `outage-bot models pull mt0-base` and set "
        "SUMMARIZER_MODEL=mt0-base)",
        engine.name,
    )
    return None


def answerer_for(engine: Summarizer, catalog: EntityCatalog | None = None) -> Answerer:
    """The Answerer for a bot whose loaded engine is ``engine``: its model answers when it can.

    Shares the loaded weights (no second copy); logs one warning at build time
    when there is no QA model, after which answers quote evidence only.
    """
    return Answerer(build_answerer(engine), catalog or EntityCatalog.load())
