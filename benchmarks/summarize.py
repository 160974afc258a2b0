"""Seq2seq summarisation speed on real-size architectures: the engine versus a naive loop.

Run:  .venv/bin/python benchmarks/summarize.py [--models t5-small,mt5-small,mt5-base]
          [--articles 8] [--new-tokens 32] [--beams 4] [--batch-size 8] [--repeat 1]
          [--no-repeat-ngram 3] [--threads N] [--bandwidth 29] [--keep-extra 0] [--first-only]

Nothing is downloaded. Each model is built from a config with the published sizes
of t5-small, mT5-small or mT5-base and random weights (fixed seed); the tokenizer
is trained here on outage text and padded with filler pieces up to the model's
vocabulary, so every id the model emits decodes to a word. Every article encodes
to exactly --input-tokens tokens, and generation is forced to exactly --new-tokens
tokens (min_new_tokens == max_new_tokens), so every row does the same model work
per article.

Rows, measured side by side in one run with the same generation settings:

* naive fp32          one article at a time: tokenizer -> model.generate
* engine fp32         Seq2SeqSummarizer.load(...).summarize(articles), batched
* engine int8         the same with quantize=True (dynamic int8 Linear layers)
* engine int8 beams=1 the same, greedy: the "smaller beams" lever
* ct2 int8+map beams=1 the defaults, greedy: the fastest configuration
* engine int8 trimmed the int8 engine at the same beams, decoding over a trimmed
                      vocabulary: the pieces that tokenising the zh+en outage
                      corpus uses (plus --keep-extra more ids, to stand in for a
                      larger kept set), bot/summarize/vocab.py

The engine goes through ``Seq2SeqSummarizer.load`` from a saved model folder,
the path the bot takes. The trimmed row's output cannot match the others: a
random model writes any of its 250k pieces, most of which trimming removes.

Per row: seconds per article, articles per minute, speed-up over the naive
loop, the memory-bandwidth lower bound on seconds per article (every decoder and
lm_head weight read once per generated token, shared by all beams and all
articles of a batch), efficiency (bound / measured), the same bound for one
article decoded alone ("alone bound": the weights read once per step for it
only, as issue 16 states the bound) and how far the row is from it ("x alone"),
and how many summaries equal the naive loop's (a check that batching changes
nothing). At these batch sizes the work is compute-bound (the encoder reads 512
tokens through every layer, and 4 beams x 4 articles share each decoder read),
so the shared bound is far below what any row reaches.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Imported first: it sets HF_HUB_OFFLINE before transformers is imported.
from tests.summarize.tiny_models import make_article, outage_corpus  # isort: skip

import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (
    AutoTokenizer,
    MT5Config,
    MT5ForConditionalGeneration,
    PreTrainedModel,
    PreTrainedTokenizerFast,
    T5Config,
    T5ForConditionalGeneration,
)

from bot.schema import Article
from bot.summarize.ct2 import Ct2Model, convert, ct2_folder
from bot.summarize.loading import load_files
from bot.summarize.options import EngineOptions
from bot.summarize.postprocess import clean_summary
from bot.summarize.presets import Preset
from bot.summarize.seq2seq import Seq2SeqSummarizer
from bot.summarize.tokenizer_copy import TOKENIZER_COPY, write_tokenizer_copy
from bot.summarize.vocab import TrimmedVocabulary, text_token_ids

SEED = 20261128
LANGUAGE = "en"
# A T5-style task prefix; articles are built so that prefix + text + </s> is
# exactly --input-tokens tokens, and the engine must read them in one piece.
PROMPT = "summarize: {text}"
# Pieces learned from the outage corpus; the rest of the vocabulary is filler.
TRAINED_VOCAB = 1000
# T5's default initialisation gives a random model that writes the same few tokens
# whatever it reads; wider weights make its output depend on the input, so rows
# that should agree token for token can be checked. The amount of work is the same.
INIT_FACTOR = 5.0
# T5's layout: ids 0, 1 and 2 are padding, end of sequence and unknown.
SPECIAL_TOKENS = ["<pad>", "</s>", "<unk>", "<extra_id_0>", "<extra_id_1>"]
PAD, EOS, UNK = SPECIAL_TOKENS[:3]
# Filler pieces a zh+en vocabulary map keeps (an estimate for mT5's 250k pieces:
# the ASCII and CJK ones; this machine cannot read the real vocabulary).
FILLER_KEPT = 60000
# Fresh loads behind each first-summary figure (see first_summary).
FIRST_SUMMARY_LOADS = 5


def _thai(n: int) -> str:
    digits = []
    while True:
        n, rest = divmod(n, 46)
        digits.append(chr(0x0E01 + rest))
        if n == 0:
            return "".join(digits)


@dataclass(frozen=True)
class Architecture:
    name: str
    config: Callable[[], T5Config]
    model_class: type[PreTrainedModel]
    tied: bool  # whether lm_head shares the input embedding (T5 yes, mT5 no)


def _t5_small() -> T5Config:
    return T5Config(
        initializer_factor=INIT_FACTOR,
        vocab_size=32128,
        d_model=512,
        d_kv=64,
        d_ff=2048,
        num_layers=6,
        num_decoder_layers=6,
        num_heads=8,
        feed_forward_proj="relu",
        tie_word_embeddings=True,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )


def _mt5(d_model: int, d_ff: int, layers: int, heads: int) -> MT5Config:
    return MT5Config(
        initializer_factor=INIT_FACTOR,
        vocab_size=250112,
        d_model=d_model,
        d_kv=64,
        d_ff=d_ff,
        num_layers=layers,
        num_decoder_layers=layers,
        num_heads=heads,
        feed_forward_proj="gated-gelu",
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )


ARCHITECTURES = {
    arch.name: arch
    for arch in (
        Architecture("t5-small", _t5_small, T5ForConditionalGeneration, tied=True),
        Architecture(
            "mt5-small", lambda: _mt5(512, 1024, 8, 6), MT5ForConditionalGeneration, tied=False
        ),
        Architecture(
            "mt5-base", lambda: _mt5(768, 2048, 12, 12), MT5ForConditionalGeneration, tied=False
        ),
    )
}


def build_model(arch: Architecture) -> Any:
    torch.manual_seed(SEED)
    model = arch.model_class(arch.config())
    if not arch.tied:
        # MT5Config always ties lm_head to the embedding when built from a config
        # (transformers 5), though the published mT5 checkpoints carry their own
        # lm_head and load untied. Give it its own weights, initialised as mT5's are.
        std = model.config.initializer_factor
        weight = torch.empty_like(model.lm_head.weight).normal_(0.0, std)
        model.lm_head.weight = torch.nn.Parameter(weight)
        model.config.tie_word_embeddings = False
    return model.eval()


# -- tokenizer and articles -----------------------------------------------------------------


def build_tokenizer(vocab_size: int, max_length: int) -> PreTrainedTokenizerFast:
    """A T5-style Unigram tokenizer trained on outage text, padded to ``vocab_size`` pieces.

    The filler pieces score far below anything learned, so they never win when
    encoding our text; they exist so that the random model's output decodes to
    words instead of vanishing (ids a tokenizer lacks decode to nothing).
    """
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(
        vocab_size=TRAINED_VOCAB,
        special_tokens=SPECIAL_TOKENS,
        unk_token=UNK,
        max_piece_length=12,
        show_progress=False,
    )
    tokenizer.train_from_iterator(outage_corpus(), trainer=trainer)
    learned = json.loads(tokenizer.to_str())["model"]
    pieces = [(str(piece), float(score)) for piece, score in learned["vocab"]]
    floor = min(score for _, score in pieces) - 100.0
    # The first FILLER_KEPT filler pieces are ASCII (kept by a zh+en vocabulary
    # map), the rest Thai (dropped), as in a real multilingual vocabulary.
    pieces += [
        (f"▁w{n}" if n < FILLER_KEPT else "▁" + _thai(n), floor)
        for n in range(vocab_size - len(pieces))
    ]
    tokenizer.model = models.Unigram(pieces, unk_id=learned["unk_id"], byte_fallback=False)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"$A {EOS}",
        pair=f"$A {EOS} $B {EOS}",
        special_tokens=[(EOS, tokenizer.token_to_id(EOS))],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token=PAD,
        eos_token=EOS,
        unk_token=UNK,
        additional_special_tokens=SPECIAL_TOKENS[3:],
        model_max_length=max_length,
    )


def build_articles(tokenizer: PreTrainedTokenizerFast, count: int, tokens: int) -> list[Article]:
    """``count`` different English articles whose prompt encodes to exactly ``tokens`` tokens.

    Metaspace splits on spaces before the Unigram model runs, so a text's token
    count is the sum of its words' counts: add words while they fit, then top up
    with a one-token word. The prompt's own cost is measured around a real word:
    around an empty text, "summarize: " would count a lone "▁" no input has.
    """
    english = [line for line in outage_corpus() if line.isascii()]

    def count_of(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    probe = english[-1].split()[0]
    overhead = len(tokenizer(PROMPT.format(text=probe))["input_ids"]) - count_of(probe)
    budget = tokens - overhead
    single = next(w for line in english for w in line.split() if count_of(w) == 1)
    articles = []
    for index in range(count):
        shuffle = random.Random(SEED + index)  # noqa: S311 - sample text, not secrets
        words: list[str] = []
        used = 0
        while used < budget:
            before = used
            for word in shuffle.choice(english).split():
                cost = count_of(word)
                if used + cost <= budget:
                    words.append(word)
                    used += cost
            if used == before:  # nothing else fits: top up one token at a time
                words += [single] * (budget - used)
                used = budget
        text = " ".join(words)
        ids = tokenizer(PROMPT.format(text=text))["input_ids"]
        assert len(ids) == tokens, (len(ids), tokens)
        articles.append(make_article(f"bench-{index}", [text], LANGUAGE))
    return articles


# -- the two sides ----------------------------------------------------------------------------


def generation(args: argparse.Namespace, beams: int) -> dict[str, int | float | bool]:
    return {
        "num_beams": beams,
        "min_new_tokens": args.new_tokens,
        "max_new_tokens": args.new_tokens,
        "no_repeat_ngram_size": args.no_repeat_ngram,
    }


def bench_preset(name: str, args: argparse.Namespace, beams: int) -> Preset:
    return Preset(
        name=f"bench-{name}",
        hub_id=f"outage-bot-benchmarks/{name}",
        revision="random",
        license="MIT",
        languages=("multilingual",),
        tasks=("summarize",),
        prompt=PROMPT,
        max_input_tokens=args.input_tokens,
        generation=generation(args, beams),
    )


def naive_loop(
    tokenizer: PreTrainedTokenizerFast,
    model: Any,
    articles: Sequence[Article],
    settings: dict[str, int | float | bool],
    max_tokens: int,
) -> list[str]:
    """What a first version would do: one article at a time, fp32, plain ``generate``."""
    texts = []
    for article in articles:
        inputs = tokenizer(
            PROMPT.format(text=article.text),
            truncation=True,
            max_length=max_tokens,
            return_tensors="pt",
        )
        with torch.inference_mode():
            output = model.generate(**inputs, **settings)
        raw = tokenizer.decode(output[0], skip_special_tokens=True)
        texts.append(clean_summary(raw, LANGUAGE, EngineOptions().max_summary_chars))
    return texts


def engine_texts(engine: Seq2SeqSummarizer, articles: Sequence[Article]) -> list[str]:
    summaries = engine.summarize(articles)
    fallbacks = sum(summary.fallback for summary in summaries)
    if fallbacks:
        print(f"  warning: {fallbacks} article(s) fell back to the extractive summary")
    return [summary.text for summary in summaries]


# -- the memory-bandwidth bound ---------------------------------------------------------------


def decoding_bytes(model: Any) -> int:
    """Bytes of weights one decoding step reads: the decoder and lm_head, as stored.

    Embedding tables are skipped (a step looks up one row per token, not the
    table); dynamically quantised Linear layers count their int8 weights.
    """
    quantized = torch.ao.nn.quantized.dynamic.Linear
    total = 0
    for part in (model.decoder, model.lm_head):
        for module in part.modules():
            if isinstance(module, quantized):
                weight = module.weight()
                total += weight.numel() * weight.element_size()
                bias = module.bias()
                total += 0 if bias is None else bias.numel() * bias.element_size()
            elif not isinstance(module, torch.nn.Embedding):
                total += sum(p.numel() * p.element_size() for p in module.parameters(recurse=False))
    return total


def cross_cache_bytes(config: T5Config, input_tokens: int) -> int:
    """Cross-attention keys and values one sequence reads per step (fp32), not in the bound."""
    inner = config.num_heads * config.d_kv
    return 2 * config.num_decoder_layers * input_tokens * inner * 4


# -- running ----------------------------------------------------------------------------------


@dataclass
class Row:
    mode: str
    run: Callable[[Sequence[Article]], list[str]]
    bound_s: float  # per article, the weights read once per step for the whole batch
    compare: bool = True  # same generation settings as the naive loop: compare texts
    seconds: list[float] | None = None
    texts: list[str] | None = None
    shared_by: int = 1  # articles per batch: each article alone reads the weights this often

    @property
    def alone_s(self) -> float:
        """The bound for one article decoded alone (no batch to share the reads with)."""
        return self.bound_s * self.shared_by


def measure(rows: list[Row], articles: Sequence[Article], repeat: int) -> None:
    """Warm each row up on one article, then time every row ``repeat`` times, interleaved."""
    for row in rows:
        row.run(articles[:1])
        row.seconds = []
    for _ in range(repeat):
        for row in rows:
            start = time.perf_counter()
            row.texts = row.run(articles)
            assert row.seconds is not None
            row.seconds.append(time.perf_counter() - start)


def bench_model(name: str, args: argparse.Namespace, work: Path) -> None:
    arch = ARCHITECTURES[name]
    started = time.perf_counter()
    model = build_model(arch)
    config = model.config
    tokenizer = build_tokenizer(config.vocab_size, args.input_tokens)
    articles = build_articles(tokenizer, args.articles, args.input_tokens)
    folder = work / name
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    params = sum(p.numel() for p in model.parameters())  # a tied weight counts once
    print(
        f"\n{name}: {params / 1e6:.0f}M parameters, vocabulary {config.vocab_size}, "
        f"{args.articles} articles of {args.input_tokens} tokens, "
        f"{args.new_tokens} new tokens each (built in {time.perf_counter() - started:.0f} s)"
    )

    bandwidth = args.bandwidth * 1e9
    steps = args.new_tokens
    beam_settings = generation(args, args.beams)
    fp32_bytes = decoding_bytes(model)

    def engine(beams: int, quantize: bool) -> Seq2SeqSummarizer:
        options = EngineOptions(threads=args.threads, batch_size=args.batch_size, quantize=quantize)
        return Seq2SeqSummarizer.load(bench_preset(name, args, beams), folder, options)

    if args.first_only:
        convert(folder)
        first_summary(folder, articles, engine=lambda: engine(args.beams, quantize=True))
        return
    fp32_engine = engine(args.beams, quantize=False)
    int8_engine = engine(args.beams, quantize=True)
    # The bound needs the weights the engine really holds.
    int8_model: Any = int8_engine.model
    int8_layers = sum(
        isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in int8_model.modules()
    )
    int8_bytes = decoding_bytes(int8_model)
    batch = min(args.batch_size, args.articles)
    threads = torch.get_num_threads()
    rows = [
        Row(
            f"naive fp32 b1 beams={args.beams}",
            lambda batch: naive_loop(tokenizer, model, batch, beam_settings, args.input_tokens),
            steps * fp32_bytes / bandwidth,
        ),
        Row(
            f"engine fp32 b{batch} beams={args.beams}",
            lambda batch: engine_texts(fp32_engine, batch),
            steps * fp32_bytes / bandwidth / batch,
            shared_by=batch,
        ),
        Row(
            f"engine int8 b{batch} beams={args.beams}",
            lambda batch: engine_texts(int8_engine, batch),
            steps * int8_bytes / bandwidth / batch,
            shared_by=batch,
        ),
    ]
    # The trimmed row: the loaded model decodes over a kept set of ids, then int8.
    _, loaded = load_files(bench_preset(name, args, args.beams), folder)
    kept = text_token_ids(tokenizer, outage_corpus())
    corpus_ids = set(kept)
    filler = [i for i in range(config.vocab_size) if i not in corpus_ids]
    kept += filler[: args.keep_extra]
    trimmed_engine = Seq2SeqSummarizer(
        tokenizer,
        TrimmedVocabulary(loaded, kept),
        bench_preset(name, args, args.beams),
        EngineOptions(threads=args.threads, batch_size=args.batch_size, quantize=True),
    )
    trimmed_model = trimmed_engine.model
    assert isinstance(trimmed_model, TrimmedVocabulary)
    trimmed_bytes = decoding_bytes(trimmed_model.model)
    rows.append(
        Row(
            f"engine int8 trim b{batch} beams={args.beams}",
            lambda batch: engine_texts(trimmed_engine, batch),
            steps * trimmed_bytes / bandwidth / batch,
            shared_by=batch,
            compare=False,
        )
    )
    if args.beams != 1:
        greedy = engine(1, quantize=True)
        rows.append(
            Row(
                f"engine int8 b{batch} beams=1",
                lambda batch: engine_texts(greedy, batch),
                steps * int8_bytes / bandwidth / batch,
                shared_by=batch,
                compare=False,
            )
        )
    print(
        f"  decoder + lm_head read per step: {fp32_bytes / 1e6:.0f} MB fp32, "
        f"{int8_bytes / 1e6:.0f} MB int8 ({int8_layers} Linear layers quantised), "
        f"{trimmed_bytes / 1e6:.0f} MB int8 over {len(kept)} kept ids; "
        f"cross-attention K/V per sequence per step: "
        f"{cross_cache_bytes(config, args.input_tokens) / 1e6:.0f} MB (not in the bound); "
        f"{threads} torch threads"
    )
    # CTranslate2, as `models pull` leaves it: the engine's default on the CPU.
    convert(folder)
    defaults = engine(args.beams, quantize=True)
    assert isinstance(defaults.model, Ct2Model)
    # The articles are English in pieces the map holds, so the defaults decode over it.
    for article in articles:
        pieces = tokenizer.tokenize(PROMPT.format(text=article.text))
        assert defaults.model.map_candidates.issuperset(pieces)
    whole = engine(args.beams, quantize=True)
    assert isinstance(whole.model, Ct2Model)
    whole.model.vocabulary_languages = frozenset()  # never use the vocabulary map
    head = model.lm_head.weight
    head_int8 = head.numel()  # one byte a weight
    kept_rows = sum(1 for i in range(config.vocab_size) if _kept_by_map(tokenizer, i))
    map_bytes = int8_bytes - head_int8 + kept_rows * head.shape[1]
    rows[1:1] = [
        Row(
            f"DEFAULTS ct2 int8+map b{batch}",
            lambda batch: engine_texts(defaults, batch),
            steps * map_bytes / bandwidth / batch,
            shared_by=batch,
            compare=False,
        ),
        Row(
            f"ct2 int8 whole vocab b{batch}",
            lambda batch: engine_texts(whole, batch),
            steps * int8_bytes / bandwidth / batch,
            shared_by=batch,
        ),
    ]
    if args.beams != 1:  # the fastest configuration: the defaults, greedy
        greedy_ct2 = engine(1, quantize=True)
        assert isinstance(greedy_ct2.model, Ct2Model)
        rows.append(
            Row(
                f"ct2 int8+map b{batch} beams=1",
                lambda batch: engine_texts(greedy_ct2, batch),
                steps * map_bytes / bandwidth / batch,
                shared_by=batch,
                compare=False,
            )
        )
    measure(rows, articles, args.repeat)
    first_summary(folder, articles, engine=lambda: engine(args.beams, quantize=True))
    print(f"  vocabulary map keeps {kept_rows} of {config.vocab_size} rows")

    naive = rows[0]
    assert naive.seconds is not None and naive.texts is not None
    naive_s = statistics.median(naive.seconds) / args.articles
    print(
        f"  {'mode':<28} {'s/article':>10} {'art/min':>8} {'vs naive':>9} "
        f"{'bound s/art':>12} {'efficiency':>11} {'alone bound':>12} {'x alone':>8} {'= naive':>8}"
    )
    for row in rows:
        assert row.seconds is not None and row.texts is not None
        per_article = statistics.median(row.seconds) / args.articles
        same = sum(a == b for a, b in zip(row.texts, naive.texts, strict=True))
        agreement = f"{same}/{args.articles}" if row.compare else "-"
        print(
            f"  {row.mode:<28} {per_article:10.3f} {60 / per_article:8.1f} "
            f"{naive_s / per_article:8.2f}x {row.bound_s:12.4f} "
            f"{row.bound_s / per_article:10.1%} {row.alone_s:12.4f} "
            f"{per_article / row.alone_s:7.2f}x {agreement:>8}"
        )


def name_t5_tokenizer(folder: Path) -> None:
    """Make the saved tokenizer name ``T5Tokenizer``, as published T5/mT5/mT0 folders do."""
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "T5Tokenizer"
    config_path.write_text(json.dumps(config), encoding="utf-8")


def first_summary(
    folder: Path,
    articles: Sequence[Article],
    engine: Callable[[], Seq2SeqSummarizer],
    loads: int = FIRST_SUMMARY_LOADS,
) -> None:
    """First summary after start-up, load included, against a steady-state summary.

    In this process (imports and the OS file cache are already warm). The model
    folder is first made to name ``T5Tokenizer``, as the published T5/mT5/mT0
    folders do (the class rebuilds its pipeline at every load), and the
    conversion's tokenizer copy is written from it as ``models pull`` would;
    then the same again without the copy. Only these runs read that class: its
    pipeline may cut the articles a few tokens otherwise than the rows above.

    One summary of one article varies by a third between runs on a shared
    machine, so the figure is a median: ``loads`` fresh loads, and after each
    load every other article summarised alone as the steady side; each load's
    ratio is its first summary against its own steady ones (measured minutes
    apart, the two sides would see different machine load), and the figure is
    the median of those ratios.
    """
    name_t5_tokenizer(folder)
    copy = ct2_folder(folder) / TOKENIZER_COPY
    assert write_tokenizer_copy(AutoTokenizer.from_pretrained(folder), copy)
    lines = []
    for label in ("with the tokenizer copy", "without it"):
        firsts, steadies, ratios = [], [], []
        for _ in range(loads):
            started = time.perf_counter()
            cold = engine()
            engine_texts(cold, articles[:1])
            firsts.append(time.perf_counter() - started)
            after = []
            for article in articles[1:]:
                started = time.perf_counter()
                engine_texts(cold, [article])
                after.append(time.perf_counter() - started)
            steadies += after
            ratios.append(firsts[-1] / statistics.median(after))
            tokenizer = type(cold.tokenizer).__name__
            del cold
        first, steady = statistics.median(firsts), statistics.median(steadies)
        lines.append(
            f"{label} ({tokenizer}) {first:.2f} s against a steady one {steady:.2f} s, "
            f"{statistics.median(ratios):.2f}x (per load {', '.join(f'{r:.2f}' for r in ratios)})"
        )
        shutil.rmtree(copy, ignore_errors=True)
    print(f"  first summary after load (medians of {loads} loads): " + "; ".join(lines))


def _kept_by_map(tokenizer: PreTrainedTokenizerFast, index: int) -> bool:
    piece = tokenizer.convert_ids_to_tokens(index)
    return isinstance(piece, str) and not any(0x0E00 <= ord(c) <= 0x0E7F for c in piece)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", default="t5-small,mt5-small")
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--input-tokens", type=int, default=512)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument(
        "--no-repeat-ngram", type=int, default=3, help="as in the mt0-base preset; 0: off"
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--first-only",
        action="store_true",
        help="only the first summary after load against a steady one (no rows)",
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads for every row (default: torch's)"
    )
    parser.add_argument("--bandwidth", type=float, default=29.0, help="memory GB/s for the bound")
    parser.add_argument(
        "--keep-extra",
        type=int,
        default=0,
        help="trimmed row: keep this many ids beyond the zh+en corpus's pieces",
    )
    args = parser.parse_args()
    names = [name.strip() for name in args.models.split(",") if name.strip()]
    unknown = [name for name in names if name not in ARCHITECTURES]
    if unknown:
        sys.exit(f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(ARCHITECTURES)}")
    logging.basicConfig(level=logging.WARNING, format="  %(levelname)s %(name)s: %(message)s")
    transformers.utils.logging.disable_progress_bar()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(
        f"bound: {args.new_tokens} decoding steps x (decoder + lm_head weight bytes as stored: "
        f"int8 for quantised Linear layers, fp32 otherwise, embeddings not counted) / "
        f"{args.bandwidth:g} GB/s, divided by the articles sharing a batch; beams share each "
        "read; the encoder, the cross-attention cache and beam bookkeeping are left out. "
        "efficiency = bound / measured; 'alone bound': the same for one article decoded "
        "alone, 'x alone' = measured / alone bound."
    )
    with tempfile.TemporaryDirectory(prefix="outage-bot-bench-") as work:
        for name in names:
            bench_model(name, args, Path(work))


if __name__ == "__main__":
    main()
