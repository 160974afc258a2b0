"""The local seq2seq engine: a T5/mT5/BART-style model summarising on this machine.

The model loads once from models/<preset>/ (``outage-bot models pull`` put it
there) and never touches the network. ``summarize`` builds the preset's prompt,
cuts long articles into overlapping token windows (map-reduce, so the end of a
long post-mortem still counts; bot/summarize/chunking.py), batches inputs of
similar length (bot/summarize/batching.py), and generates deterministically
(greedy or beam search, never sampling). A failure never costs more than the
article it happened on: that article gets the extractive summary.

The limit of batching: a batch computes the same function as one article at a
time, but not with the same rounding. Padding lengthens attention's sums and
the matrix kernels pick different blockings for different batch shapes, so fp32
logits of a batched article differ from its one-by-one logits in the last
digits (measured on a t5-small-size model: up to 6e-2 on logits of magnitude
~100 after six layers; in float64 the same comparison differs by < 1e-8, so
the attention masks are right and this is rounding, not a bug). Greedy
decoding and clear beam winners are unaffected; beam search over near-tied
hypotheses can pick a different one, so on real-size models a batched summary
may differ from a one-by-one summary in a word. Tiny models (the tests) and
batch_size=1 give identical results; a cached summary is whichever one was
written first.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from transformers import BatchEncoding, GenerationConfig, PreTrainedTokenizerBase

from bot.errors import SummarizerError
from bot.languages import LANGUAGES
from bot.schema import Article, Summary
from bot.summarize.batching import generate_in_batches
from bot.summarize.beams import beam_cache
from bot.summarize.chunking import ChunkPlanner, source_text
from bot.summarize.ct2 import Ct2Model, ct2_folder, has_ct2, load_translator, model_defaults
from bot.summarize.extractive import ExtractiveSummarizer
from bot.summarize.loading import (
    available_cpus,
    load_files,
    load_tokenizer,
    pick_device,
    precision_of,
    prepare_model,
    trimmed,
)
from bot.summarize.options import DEFAULT_OPTIONS, EngineOptions, Seq2SeqModel
from bot.summarize.postprocess import clean_summary
from bot.summarize.presets import Preset
from bot.summarize.revision import as_loaded
from bot.summarize.tokenizer_copy import TOKENIZER_COPY, load_tokenizer_copy
from bot.summarize.vocab import TrimmedVocabulary

log = logging.getLogger(__name__)

# Chunk summaries are cleaned with this much room: the final clean applies the real budget.
_CHUNK_SUMMARY_CHARS = 2000


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
        if isinstance(model, Ct2Model):
            # Its own int8 runtime, threads and vocabulary map (bot/summarize/ct2.py).
            self._model: Seq2SeqModel = model
        else:
            if options.vocabulary and not isinstance(model, TrimmedVocabulary):
                model = trimmed(tokenizer, model, preset, options.vocabulary)
            # Threads, device and int8 are applied here, not only by ``load``, so an
            # engine built around a model in any way runs (and is keyed) as its options say.
            self._model = prepare_model(
                model, threads=options.threads, quantize=options.quantize, device=options.device
            )
        self.precision = precision_of(self._model)
        self._fallback = ExtractiveSummarizer(fallback=True)
        self._generation = self._generation_kwargs(preset)
        self._chunker = ChunkPlanner(tokenizer, self._prompt, preset.max_input_tokens)
        self.cache_key = f"{preset.name}@{preset.revision}:{self._settings_hash()}"

    @property
    def tokenizer(self) -> PreTrainedTokenizerBase:
        """The loaded tokenizer, for other tasks that share these weights (thread Q&A)."""
        return self._tokenizer

    @property
    def model(self) -> Seq2SeqModel:
        """The loaded model, for other tasks that share these weights (thread Q&A)."""
        return self._model

    @classmethod
    def load(
        cls, preset: Preset, folder: Path, options: EngineOptions = DEFAULT_OPTIONS
    ) -> Seq2SeqSummarizer:
        """Load tokenizer and model from ``folder`` (or the local Hugging Face cache).

        Nothing is downloaded: a model that is not on disk is a SummarizerError
        that says how to pull it. The preset's revision becomes the commit
        ``models pull`` recorded in the folder, so the cache key names the weights.
        """
        engine = cls._load_ct2(preset, folder, options)
        if engine is None:
            tokenizer, model = load_files(preset, folder)
            engine = cls(tokenizer, model, as_loaded(preset, folder), options)
        log.info(
            "loaded %s (%s@%s) on %s, %s (%s)",
            engine.preset.name,
            engine.preset.hub_id,
            engine.preset.revision,
            engine._model.device,
            engine.precision,
            "ctranslate2" if isinstance(engine._model, Ct2Model) else "transformers",
        )
        return engine

    @classmethod
    def _load_ct2(
        cls, preset: Preset, folder: Path, options: EngineOptions
    ) -> Seq2SeqSummarizer | None:
        """The engine on the CTranslate2 model in ``folder``, or None to use transformers.

        Chosen for int8 on the CPU when ``models pull`` converted the weights
        (or always, with backend="ctranslate2"). Only the tokenizer is loaded
        through transformers: no torch copy of the weights, so start-up is short.
        """
        wanted = options.backend == "ctranslate2" or (
            options.backend == "auto"
            and options.quantize
            and has_ct2(folder)
            and pick_device(options.device).type == "cpu"
        )
        if not wanted:
            return None
        threads = options.threads or available_cpus()
        try:
            # Weights and tokenizer load side by side (load_translator leaves the GIL
            # free): mT5's 250k-piece tokenizer takes about as long as its int8 weights,
            # and both come before the first summary. The conversion's copy of the
            # tokenizer loads in one parse (bot/summarize/tokenizer_copy.py).
            with ThreadPoolExecutor(max_workers=1) as pool:
                translator = pool.submit(load_translator, ct2_folder(folder), threads)
                tokenizer = load_tokenizer_copy(ct2_folder(folder) / TOKENIZER_COPY)
                if tokenizer is None:
                    tokenizer = load_tokenizer(preset, folder)
                model = Ct2Model(ct2_folder(folder), tokenizer, threads=threads,
                                 model_defaults=model_defaults(folder),
                                 translator=translator.result())  # fmt: skip
            model.options(cls._generation_kwargs(preset))  # refuses what it cannot do
        except (SummarizerError, ValueError) as exc:
            if options.backend == "ctranslate2":
                raise SummarizerError(f"{preset.name}: CTranslate2 engine: {exc}") from exc
            log.warning("%s: using the transformers engine (CTranslate2: %s)", preset.name, exc)
            return None
        return cls(tokenizer, model, as_loaded(preset, folder), options)

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
        outputs = self._generate_all([prompt for _, prompt in prompts], _languages(prompts))
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
        outputs = self._generate_all([prompt for _, prompt in reduce], _languages(reduce))
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
        text = source_text(article)
        if not text:
            return []
        return self._chunker.windows(
            text,
            self.summary_language(article, language),
            overlap_tokens=self.options.chunk_overlap_tokens,
            max_chunks=self.options.max_chunks,
        )

    def format_prompt(self, text: str, language: str) -> str:
        """The preset's prompt around ``text``, which is cut to fit the input budget."""
        return self._prompt(self._chunker.fit(text, language), language)

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

    def _generate_all(
        self, prompts: Sequence[str], languages: dict[str, frozenset[str]] | None = None
    ) -> list[str | BaseException]:
        """Raw model output for each prompt, or the error that prevented it.

        ``languages``: for each prompt, the languages it reads and must write
        (the CTranslate2 engine decodes over its vocabulary map only when it
        covers them all).
        """
        known = languages or {}

        def generate(batch: list[str]) -> list[str]:
            wanted = frozenset().union(*(known.get(prompt, frozenset({"?"})) for prompt in batch))
            return self._generate(batch, wanted)

        return generate_in_batches(
            self._tokenizer, prompts, generate, self.options.batch_size, self.name
        )

    def _generate(self, prompts: list[str], languages: frozenset[str] = frozenset()) -> list[str]:
        inputs = self.encode_inputs(prompts).to(self._model.device)
        extra: dict[str, Any] = {}
        if isinstance(self._model, Ct2Model):
            extra["languages"] = languages
        else:
            # Beam search that does not copy the cross-attention cache every step
            # (bot/summarize/beams.py); same output, less memory traffic.
            cache = beam_cache(self._model)
            if cache is not None:
                extra["cache"] = cache
        with torch.inference_mode():
            output = self._model.generate(
                input_ids=inputs["input_ids"],
                attention_mask=inputs["attention_mask"],
                **self._generation,
                **extra,
            )
        return list(self._tokenizer.batch_decode(output, skip_special_tokens=True))

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
            precision=self.precision,
        )

    # -- helpers ------------------------------------------------------------------

    def _prompt(self, text: str, language: str) -> str:
        name = LANGUAGES.prompt_name(language)
        return self.preset.prompt.format(text=text, language=name)

    def _join_chunk_summaries(self, summaries: list[str], language: str) -> str:
        """The chunk summaries as one input, each given an equal share if need be."""
        return self._chunker.join(summaries, language)

    @staticmethod
    def _generation_kwargs(preset: Preset) -> dict[str, int | float | bool]:
        known = GenerationConfig().to_dict()  # type: ignore[no-untyped-call]
        unknown = sorted(set(preset.generation) - set(known))
        if unknown:
            # generate() would reject them for every batch; say so once, at load.
            raise SummarizerError(
                f"{preset.name}: unknown generation setting(s) {', '.join(unknown)} "
                "in bot/data/presets.toml"
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
            # What the model is, not what was asked: an int8 model writes differently,
            # and CTranslate2's int8 and beam search differently again.
            "int8": self.precision == "int8",
            "backend": getattr(self._model, "backend", "transformers"),
            "vocabulary": getattr(self._model, "fingerprint", None),
            "max_summary_chars": self.options.max_summary_chars,
            "chunk_overlap_tokens": self.options.chunk_overlap_tokens,
            "max_chunks": self.options.max_chunks,
        }
        blob = json.dumps(settings, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:10]


def _languages(prompts: Sequence[tuple[_Job, str]]) -> dict[str, frozenset[str]]:
    """For each prompt, the language its article is in and the language asked for."""
    found: dict[str, frozenset[str]] = {}
    for job, prompt in prompts:
        found[prompt] = found.get(prompt, frozenset()) | {job.article.language, job.language}
    return found
