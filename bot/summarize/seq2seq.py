"""The local seq2seq engine: a T5/mT5/BART-style model summarising on this machine.

The model loads once from models/<preset>/ (``outage-bot models pull`` put it
there) and never touches the network. ``summarize`` builds the preset's prompt,
cuts long articles into overlapping token windows (map-reduce, so the end of a
long post-mortem still counts), batches inputs of similar length, and generates
deterministically, so a summary does not depend on which batch an article
landed in and a cached summary equals a fresh one. A failure never costs more
than the article it happened on: that article gets the extractive summary.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import torch
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BatchEncoding,
    GenerationConfig,
    PreTrainedTokenizerBase,
)
from transformers.utils import logging as hf_logging

from bot.errors import SummarizerError
from bot.schema import Article, Summary
from bot.summarize.extractive import ExtractiveSummarizer
from bot.summarize.postprocess import clean_summary
from bot.summarize.presets import Preset

log = logging.getLogger(__name__)

# Names for prompts that say "... in {language}"; instruction-tuned models know
# languages by name, not by ISO code. An unknown code is passed through as given.
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Chinese",
    "zh-hans": "Simplified Chinese",
    "zh-cn": "Simplified Chinese",
    "zh-hant": "Traditional Chinese",
    "zh-tw": "Traditional Chinese",
    "zh-hk": "Traditional Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "ru": "Russian",
}
# One of these in a model folder means its tokenizer was pulled (fast, SentencePiece,
# byte-level BPE and WordPiece tokenizers respectively).
_TOKENIZER_FILES = (
    "tokenizer.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "tokenizer.model",
    "vocab.json",
    "vocab.txt",
)
# How many tokens to look for a word start before cutting inside a word.
_WORD_SEARCH = 16
# Chunk summaries are cleaned with this much room: the final clean applies the real budget.
_CHUNK_SUMMARY_CHARS = 2000
# torch allows setting the inter-op pool once per process, before any parallel work.
_interop_threads_set = False


class Seq2SeqModel(Protocol):
    """What the engine needs from a model: ``generate`` and where its weights live."""

    @property
    def device(self) -> torch.device: ...

    def generate(self, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class EngineOptions:
    threads: int | None = None  # torch intra-op threads; None: every CPU this process may use
    batch_size: int = 8
    quantize: bool = False  # int8 dynamic quantisation of Linear layers (CPU only)
    device: str = "auto"  # "auto" (CUDA when available), "cpu", "cuda", "cuda:1", ...
    max_summary_chars: int = 400
    chunk_overlap_tokens: int = 32
    max_chunks: int = 6

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.max_chunks < 1 or self.max_summary_chars < 2:
            raise ValueError("batch_size and max_chunks must be >= 1, max_summary_chars >= 2")
        if self.chunk_overlap_tokens < 0 or (self.threads is not None and self.threads < 1):
            raise ValueError("chunk_overlap_tokens must be >= 0 and threads >= 1")


@dataclass
class _Job:
    """One article on its way through the engine."""

    article: Article
    language: str  # the language the summary will be in
    chunks: list[str]
    chunk_summaries: list[str] = field(default_factory=list)
    text: str | None = None
    error: BaseException | None = None


class Seq2SeqSummarizer:
    def __init__(
        self,
        tokenizer: PreTrainedTokenizerBase,
        model: Seq2SeqModel,
        preset: Preset,
        options: EngineOptions,
    ) -> None:
        self.name = preset.name
        self.preset = preset
        self.options = options
        self._tokenizer = tokenizer
        self._model = model
        self._fallback = ExtractiveSummarizer(fallback=True)
        self._generation = self._generation_kwargs(preset)
        self.cache_key = f"{preset.name}@{preset.revision}:{self._settings_hash()}"

    @classmethod
    def load(
        cls, preset: Preset, folder: Path, options: EngineOptions = EngineOptions()
    ) -> Seq2SeqSummarizer:
        """Load tokenizer and model from ``folder`` (or the local Hugging Face cache).

        Nothing is downloaded: a model that is not on disk is a SummarizerError
        that says how to pull it.
        """
        tokenizer, model = _load_files(preset, folder)
        _configure_threads(options.threads)
        model.eval()
        device = _pick_device(options)
        # Dynamic int8 kernels exist only on the CPU, so quantising means staying there.
        model = _quantize(model) if options.quantize else model.to(device)
        log.info(
            "loaded %s (%s@%s) on %s%s",
            preset.name,
            preset.hub_id,
            preset.revision,
            "cpu" if options.quantize else device,
            ", int8" if options.quantize else "",
        )
        return cls(tokenizer, model, preset, options)

    # -- the public pipeline ---------------------------------------------------------

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        """One summary per article, in order; never raises for a single article.

        ``language`` is the language summaries should be written in, for presets
        whose prompt can ask for one; None means each article's own language.
        """
        jobs = [
            _Job(article, lang, self.plan_chunks(article, lang))
            for article, lang in ((a, self.summary_language(a, language)) for a in articles)
        ]
        # Map: every chunk of every article, batched together.
        work = [job for job in jobs if job.chunks]
        for job in jobs:
            if not job.chunks:
                job.error = ValueError("the article has no text")
        prompts = [
            (job, self.format_prompt(chunk, job.language)) for job in work for chunk in job.chunks
        ]
        outputs = self._generate_all([prompt for _, prompt in prompts])
        for (job, _), output in zip(prompts, outputs, strict=True):
            if isinstance(output, BaseException):
                job.error = job.error or output
            else:
                job.chunk_summaries.append(
                    clean_summary(output, job.language, _CHUNK_SUMMARY_CHARS)
                )
        # Reduce: articles that needed several chunks are summarised once more,
        # from what their chunks said.
        reduce: list[tuple[_Job, str]] = []
        for job in work:
            if job.error is not None:
                continue
            said = [summary for summary in job.chunk_summaries if summary]
            if len(said) <= 1:
                job.text = said[0] if said else ""
            else:
                joined = self._join_chunk_summaries(said, job.language)
                reduce.append((job, self.format_prompt(joined, job.language)))
        outputs = self._generate_all([prompt for _, prompt in reduce])
        for (job, _), output in zip(reduce, outputs, strict=True):
            if isinstance(output, BaseException):
                job.error = output
            else:
                job.text = output
        return [self._finish(job) for job in jobs]

    def summary_language(self, article: Article, language: str | None = None) -> str:
        """The language the summary of ``article`` will be written in."""
        if self.preset.cross_lingual_target is not None:
            return self.preset.cross_lingual_target
        if language is not None and self.preset.takes_language:
            return language
        # A prompt without {language} cannot ask for another one: the model
        # answers in the language it read.
        return article.language

    def plan_chunks(self, article: Article, language: str | None = None) -> list[str]:
        """The article text, cut into the overlapping windows the model will read.

        One window when the article fits; otherwise windows of the input budget
        that overlap by ``chunk_overlap_tokens``. Beyond ``max_chunks`` windows,
        they are spread evenly from the first token to the last, so the start and
        the end (where post-mortems put the root cause) are always read.
        """
        text = _source_text(article)
        if not text:
            return []
        budget = self._text_budget(self.summary_language(article, language))
        offsets = self._token_offsets(text)
        if len(offsets) <= budget:
            return [text]
        overlap = min(self.options.chunk_overlap_tokens, budget // 2)
        step = budget - overlap
        last = len(offsets) - budget
        count = math.ceil(last / step) + 1
        if count > self.options.max_chunks:
            count = self.options.max_chunks
        starts = [0] if count == 1 else [round(i * last / (count - 1)) for i in range(count)]
        return [self._cut(text, offsets, start, start + budget, budget) for start in starts]

    def format_prompt(self, text: str, language: str) -> str:
        """The preset's prompt around ``text``, which is cut to fit the input budget."""
        budget = self._text_budget(language)
        offsets = self._token_offsets(text)
        if len(offsets) > budget:
            text = self._cut(text, offsets, 0, budget, budget)
        return self._prompt(text, language)

    def encode_inputs(self, prompts: Sequence[str]) -> BatchEncoding:
        """Token ids and attention masks for a batch, padded on the right.

        Right padding is what encoder-decoder models expect; the attention mask
        hides the padding from the encoder, and the decoder never sees it.
        ``truncation`` is a safety net: ``format_prompt`` already made room.
        """
        encoded: BatchEncoding = self._tokenizer(
            list(prompts),
            padding=True,
            padding_side="right",
            truncation=True,
            max_length=self.preset.max_input_tokens,
            return_tensors="pt",
        )
        return encoded

    # -- generation --------------------------------------------------------------------

    def _generate_all(self, prompts: Sequence[str]) -> list[str | BaseException]:
        """Raw model output for each prompt, or the error that prevented it.

        Prompts are sorted by token length and batched, so each batch pads little;
        results come back in the order given. A batch that fails is retried one
        prompt at a time, so one oversized input cannot sink its neighbours.
        """
        results: list[str | BaseException] = [RuntimeError("not generated")] * len(prompts)
        if not prompts:
            return results
        lengths = [len(ids) for ids in self._tokenizer(list(prompts), verbose=False)["input_ids"]]
        order = sorted(range(len(prompts)), key=lambda i: lengths[i])
        size = max(1, self.options.batch_size)
        for first in range(0, len(order), size):
            batch = order[first : first + size]
            try:
                texts = self._generate([prompts[i] for i in batch])
            except (RuntimeError, ValueError) as exc:
                self._after_failure()
                if len(batch) == 1:
                    results[batch[0]] = exc
                    continue
                log.info(
                    "%s: a batch of %d failed (%s); retrying one by one", self.name, len(batch), exc
                )
                for i in batch:
                    try:
                        results[i] = self._generate([prompts[i]])[0]
                    except (RuntimeError, ValueError) as single:
                        self._after_failure()
                        results[i] = single
                continue
            for i, text in zip(batch, texts, strict=True):
                results[i] = text
        return results

    def _generate(self, prompts: list[str]) -> list[str]:
        inputs = self.encode_inputs(prompts).to(self._model.device)
        with torch.inference_mode():
            output = self._model.generate(
                input_ids=inputs["input_ids"],
                attention_mask=inputs["attention_mask"],
                **self._generation,
            )
        return list(self._tokenizer.batch_decode(output, skip_special_tokens=True))

    def _after_failure(self) -> None:
        # A CUDA out-of-memory leaves cached blocks behind that the retry needs.
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    def _finish(self, job: _Job) -> Summary:
        text = ""
        if job.error is None and job.text is not None:
            text = clean_summary(job.text, job.language, self.options.max_summary_chars)
            if not text:
                job.error = ValueError("the model produced an empty summary")
        if job.error is not None:
            log.warning(
                "%s could not summarise article %s (%s); using the extractive summary",
                self.name,
                job.article.id,
                job.error,
            )
            return self._fallback.summarize([job.article])[0]
        return Summary(
            article_id=job.article.id,
            text=text,
            engine=self.name,
            language=job.language,
            fallback=False,
        )

    # -- helpers ------------------------------------------------------------------

    def _prompt(self, text: str, language: str) -> str:
        name = LANGUAGE_NAMES.get(language.lower(), language)
        return self.preset.prompt.format(text=text, language=name)

    def _text_budget(self, language: str) -> int:
        """Tokens left for the article once the prompt and special tokens are counted."""
        # Measured around a one-word stand-in rather than an empty text: with an
        # empty text, "summarize: " ends in a lone word-start marker that the real
        # input never has, and a token of every input would be wasted.
        stand_in = "x"
        with_prompt = len(
            self._tokenizer(self._prompt(stand_in, language), verbose=False)["input_ids"]
        )
        overhead = with_prompt - self._count_tokens(stand_in)
        return max(8, self.preset.max_input_tokens - overhead)

    def _token_offsets(self, text: str) -> list[tuple[int, int]]:
        encoded = self._tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [(int(start), int(end)) for start, end in encoded["offset_mapping"]]

    def _join_chunk_summaries(self, summaries: list[str], language: str) -> str:
        """The chunk summaries as one input; when they do not fit, each gets an
        equal share, so the last chunk's summary is not the one cut away."""
        separator = "" if language.startswith(("zh", "ja")) else " "
        joined = separator.join(summaries)
        budget = self._text_budget(language)
        if self._count_tokens(joined) <= budget:
            return joined
        share = max(1, budget // len(summaries) - 1)  # - 1: room for the separators
        trimmed = []
        for summary in summaries:
            offsets = self._token_offsets(summary)
            trimmed.append(
                self._cut(summary, offsets, 0, share, share) if len(offsets) > share else summary
            )
        return separator.join(trimmed)

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def _cut(
        self, text: str, offsets: list[tuple[int, int]], start: int, end: int, budget: int
    ) -> str:
        """The text of tokens ``start`` to ``end`` (exclusive), cut between words,
        that tokenises on its own to at most ``budget`` tokens."""
        total = len(offsets)
        # Both cuts move back to a word start: a word cut in two tokenises
        # differently alone, and adjacent windows still meet or overlap.
        start = _word_start(text, offsets, start, step=-1)
        if end < total:
            end = max(_word_start(text, offsets, end, step=-1), start + 1)
        while True:
            stop = offsets[end][0] if end < total else len(text)
            piece = text[offsets[start][0] : stop].strip()
            if end - start <= 1 or self._count_tokens(piece) <= budget:
                return piece
            # Still too long on its own: give up a word at the end, or at the
            # start for the article's last window, whose end is what matters.
            if end < total:
                end = max(_word_start(text, offsets, end - 1, step=-1), start + 1)
            else:
                start = min(_word_start(text, offsets, start + 1, step=1), end - 1)

    @staticmethod
    def _generation_kwargs(preset: Preset) -> dict[str, int | float | bool]:
        known = GenerationConfig().to_dict()  # type: ignore[no-untyped-call]
        unknown = sorted(set(preset.generation) - set(known))
        if unknown:
            # generate() would reject them for every batch; say so once, at load.
            raise SummarizerError(
                f"{preset.name}: unknown generation setting(s) {', '.join(unknown)} "
                "in models/presets.toml"
            )
        kwargs = dict(preset.generation)
        # Always greedy or beam search, one sequence per input: sampling would make
        # a summary depend on the run and the batch, and the cache assumes one text
        # per article and settings.
        kwargs.update(do_sample=False, num_return_sequences=1, return_dict_in_generate=False)
        return kwargs

    def _settings_hash(self) -> str:
        """A short digest of everything that changes what the engine writes."""
        settings = {
            "hub_id": self.preset.hub_id,
            "prompt": self.preset.prompt,
            "max_input_tokens": self.preset.max_input_tokens,
            "generation": self._generation,
            "quantize": self.options.quantize,
            "max_summary_chars": self.options.max_summary_chars,
            "chunk_overlap_tokens": self.options.chunk_overlap_tokens,
            "max_chunks": self.options.max_chunks,
        }
        blob = json.dumps(settings, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:10]


def _load_files(preset: Preset, folder: Path) -> tuple[PreTrainedTokenizerBase, Any]:
    fix = f"run `outage-bot models pull {preset.name}` on a machine with internet access"
    if folder.is_dir():
        # Without tokenizer files transformers quietly builds a default tokenizer
        # for the architecture (a handful of tokens), which would "work" and write
        # nonsense; a folder like that was pulled incompletely.
        if not any((folder / name).is_file() for name in _TOKENIZER_FILES):
            raise SummarizerError(
                f"{preset.name}: model folder {folder} has no tokenizer files "
                f"(looked for {', '.join(_TOKENIZER_FILES)}); {fix}"
            )
        source, revision = str(folder), None
    else:
        # A model already in the Hugging Face cache (pulled by another tool) is
        # fine too; local_files_only makes that a lookup, never a download.
        source, revision = preset.hub_id, preset.revision
    try:
        with _no_progress_bars():
            tokenizer = AutoTokenizer.from_pretrained(
                source, revision=revision, local_files_only=True
            )
            model = AutoModelForSeq2SeqLM.from_pretrained(
                source, revision=revision, local_files_only=True
            )
    except Exception as exc:
        # Broad on purpose: the loaders raise OSError, ValueError, safetensors
        # and JSON errors alike for files that are missing or damaged.
        if folder.is_dir():
            why = f"model folder {folder} is incomplete or damaged ({exc})"
        else:
            why = (
                f"model folder {folder} does not exist and {preset.hub_id}@{preset.revision} "
                "is not in the local Hugging Face cache"
            )
        raise SummarizerError(f"{preset.name}: {why}; {fix}") from exc
    return tokenizer, model


@contextmanager
def _no_progress_bars() -> Iterator[None]:
    # transformers draws a "Loading weights" bar on stderr, which is only noise
    # in a service's log; put the global switch back as it was afterwards.
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def _source_text(article: Article) -> str:
    """Title and body as one line of text; newlines mean nothing to these models.

    The title leads (as a sentence of its own) unless the body already opens
    with it: for a short status update it is often half of what there is to say.
    """
    body = " ".join(article.text.split())
    title = " ".join(article.title.split())
    if not title or body.startswith(title):
        return body
    if not body:
        return title
    if title[-1] in ".!?。！？":
        return f"{title} {body}"
    han = "\u3400" <= title[-1] <= "\u9fff"
    return f"{title}。{body}" if han else f"{title}. {body}"


def _word_start(text: str, offsets: list[tuple[int, int]], index: int, step: int) -> int:
    """The nearest token at or from ``index`` (searching by ``step``) that starts a word.

    Gives up after a few tokens (a long URL has no word start to find) and
    returns ``index`` itself.
    """
    for candidate in range(index, index + step * _WORD_SEARCH, step):
        if not 0 <= candidate < len(offsets):
            break
        position = offsets[candidate][0]
        if candidate == 0 or position == 0:
            return candidate
        if position == offsets[candidate - 1][0]:
            continue  # a byte-level token inside the same character
        if not (_in_word(text[position - 1]) and _in_word(text[position])):
            return candidate
    return index


def _in_word(char: str) -> bool:
    # Han characters are words on their own: any cut between them is clean.
    return char.isalnum() and not ("\u3400" <= char <= "\u9fff")


def _configure_threads(threads: int | None) -> None:
    """Size torch's thread pools on purpose rather than by torch's guess.

    torch's default counts every core of the machine, while a container or
    ``taskset`` may give this process fewer; oversubscribing them slows
    generation down a lot.
    """
    global _interop_threads_set
    count = threads or _available_cpus()
    torch.set_num_threads(count)
    if not _interop_threads_set:
        _interop_threads_set = True
        try:
            torch.set_num_interop_threads(count)
        except RuntimeError:
            # torch allows this once per process and only before parallel work
            # starts; when something got there first, keep what it chose.
            log.debug("torch inter-op threads already fixed at %d", torch.get_num_interop_threads())


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def _pick_device(options: EngineOptions) -> torch.device:
    if options.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(options.device)


def _quantize(model: Any) -> Any:
    """Linear layers as int8 with dynamic activation scales: about 2x faster on CPU."""
    with warnings.catch_warnings():
        # torch has deprecated its eager quantisation API (and the quantised tensor
        # constructors under it) in favour of torchao, which we do not depend on.
        # It still works, so silence exactly those two notices rather than print
        # them at every start; when torch removes the API, swap in torchao here.
        warnings.filterwarnings(
            "ignore", message="torch.ao.quantization is deprecated", category=DeprecationWarning
        )
        warnings.filterwarnings(
            "ignore", message=r"torch\.quantize_per_tensor, .* are deprecated", category=UserWarning
        )
        return torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
            model.to("cpu"), {torch.nn.Linear}, dtype=torch.qint8
        )
