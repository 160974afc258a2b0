"""Tiny seq2seq models of the real architectures, built from nothing inside a test.

Nothing is downloaded: the tokenizer is trained here on outage text we write
ourselves (English and Chinese), and the model is a randomly initialised T5, mT5
or BART with toy dimensions and a fixed seed. The weights are random, so the
summaries are gibberish, but they are real ``generate`` output of the real model
classes, loaded through the same ``from_pretrained`` path as a pulled model.
"""

from __future__ import annotations

import itertools
import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# Set before transformers is imported: huggingface_hub reads it once at import time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    MT5Config,
    MT5ForConditionalGeneration,
    PretrainedConfig,
    PreTrainedModel,
    PreTrainedTokenizerFast,
    T5Config,
    T5ForConditionalGeneration,
)

from bot.summarize.presets import Preset

# Re-exported: tests that build tiny models make their articles from here too.
from tests.summarize.articles import make_article as make_article

Arch = Literal["t5", "mt5", "bart"]
ARCHES: tuple[Arch, ...] = ("t5", "mt5", "bart")

VOCAB_SIZE = 500
SEED = 1234
# Long enough for the chunking tests (BART has learned positions up to this).
MAX_POSITIONS = 256

# min_new_tokens keeps a random model from stopping at once, and the n-gram ban
# from repeating one token for ever.
TINY_GENERATION: dict[str, int | float | bool] = {
    "num_beams": 2,
    "max_new_tokens": 12,
    "min_new_tokens": 4,
    "no_repeat_ngram_size": 2,
}

_PROVIDERS = ["AWS", "Azure", "Google Cloud", "Cloudflare", "GitHub", "Slack", "Fastly", "Stripe"]
_PROVIDERS_ZH = ["阿里云", "腾讯云", "华为云", "百度智能云", "微博", "支付宝", "微信", "抖音"]
_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "the Frankfurt region", "Tokyo"]
_REGIONS_ZH = ["华东1区", "华北2区", "华南地区", "香港地区", "上海可用区"]
_EN_TEMPLATES = [
    "{p} reported elevated error rates in {r} on Tuesday morning.",
    "Customers of {p} could not reach the console while engineers investigated {r}.",
    "A configuration change at {p} caused an outage in {r} that lasted two hours.",
    "{p} said the root cause was a failed network upgrade in {r}.",
    "Services at {p} recovered after a rollback, and the incident in {r} is resolved.",
    "The post-mortem from {p} explains that a DNS fault in {r} spread to other services.",
    "Engineers at {p} are monitoring {r} after mitigating the degraded performance.",
]
_ZH_TEMPLATES = [
    "{p}{r}出现大范围故障，大量用户无法访问。",
    "{p}表示，{r}的网络设备升级失败导致服务中断。",
    "工程师回滚配置后，{p}{r}的服务已逐步恢复。",
    "{p}发布故障复盘报告，称{r}的存储系统出现异常。",
    "截至发稿时，{p}{r}的错误率正在下降，事件仍在监控中。",
]


ROOT_CAUSE = "The root cause was a failed network upgrade in eu-west-1."


def long_postmortem(updates: int = 24) -> list[str]:
    """A post-mortem much longer than a tiny model's input, with its point at the end."""
    lines = [
        f"Update {n}: at {n % 24:02d}:15 engineers at AWS checked rack {n} in us-east-1 "
        "and found it healthy."
        for n in range(updates)
    ]
    return [*lines, ROOT_CAUSE]


def outage_corpus() -> list[str]:
    """A few hundred lines of outage news in both languages, for tokenizer training."""
    lines = [
        # The prompts the tests use, and every letter and digit, so that no input
        # of the tests needs <unk>.
        "summarize: Summarize the following article in English: Summary:",
        string.ascii_letters + string.digits,
        *long_postmortem(),
    ]
    lines += [
        template.format(p=provider, r=region)
        for template, provider, region in itertools.product(_EN_TEMPLATES, _PROVIDERS, _REGIONS)
    ]
    lines += [
        template.format(p=provider, r=region)
        for template, provider, region in itertools.product(
            _ZH_TEMPLATES, _PROVIDERS_ZH, _REGIONS_ZH
        )
    ]
    return lines


@dataclass(frozen=True)
class TinyModel:
    """A built model folder and the preset that describes it."""

    name: str
    arch: Arch
    folder: Path
    preset: Preset


def _t5_tokenizer(corpus: list[str]) -> PreTrainedTokenizerFast:
    # T5 and mT5 use a SentencePiece Unigram model with "▁" marking word starts,
    # ids 0/1/2 for <pad>/</s>/<unk>, and append </s> to every input.
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=["<pad>", "</s>", "<unk>", "<extra_id_0>", "<extra_id_1>"],
        unk_token="<unk>",
        max_piece_length=8,
    )
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A </s>",
        pair="$A </s> $B </s>",
        special_tokens=[("</s>", tokenizer.token_to_id("</s>"))],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        additional_special_tokens=["<extra_id_0>", "<extra_id_1>"],
        model_max_length=MAX_POSITIONS,
    )


def _bart_tokenizer(corpus: list[str]) -> PreTrainedTokenizerFast:
    # BART uses byte-level BPE (like GPT-2), wraps inputs in <s> ... </s> and keeps
    # ids 0..3 for <s>/<pad>/</s>/<unk>.
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[
            ("<s>", tokenizer.token_to_id("<s>")),
            ("</s>", tokenizer.token_to_id("</s>")),
        ],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=MAX_POSITIONS,
    )


def _config(arch: Arch, tokenizer: PreTrainedTokenizerFast) -> PretrainedConfig:
    vocab = len(tokenizer)
    pad = tokenizer.pad_token_id
    eos = tokenizer.eos_token_id
    if arch == "bart":
        return BartConfig(
            vocab_size=vocab,
            d_model=32,
            encoder_layers=2,
            decoder_layers=2,
            encoder_attention_heads=4,
            decoder_attention_heads=4,
            encoder_ffn_dim=64,
            decoder_ffn_dim=64,
            max_position_embeddings=MAX_POSITIONS,
            bos_token_id=tokenizer.bos_token_id,
            pad_token_id=pad,
            eos_token_id=eos,
            decoder_start_token_id=eos,
            forced_bos_token_id=tokenizer.bos_token_id,
            init_std=0.3,
        )
    dims = {
        "vocab_size": vocab,
        "d_model": 32,
        "d_kv": 8,
        "d_ff": 64,
        "num_layers": 2,
        "num_decoder_layers": 2,
        "num_heads": 4,
        "pad_token_id": pad,
        "eos_token_id": eos,
        "decoder_start_token_id": pad,
    }
    if arch == "mt5":
        return MT5Config(**dims, feed_forward_proj="gated-gelu", tie_word_embeddings=False)
    return T5Config(**dims)


_MODEL_CLASSES: dict[Arch, type[PreTrainedModel]] = {
    "t5": T5ForConditionalGeneration,
    "mt5": MT5ForConditionalGeneration,
    "bart": BartForConditionalGeneration,
}


def build_tiny_model(
    root: Path,
    arch: Arch,
    *,
    name: str | None = None,
    prompt: str = "summarize: {text}",
    max_input_tokens: int = 64,
    generation: dict[str, int | float | bool] | None = None,
) -> TinyModel:
    """Train a tokenizer, initialise a model and save both into root/models/<name>."""
    name = name or f"tiny-{arch}"
    folder = root / "models" / name
    corpus = outage_corpus()
    tokenizer = _bart_tokenizer(corpus) if arch == "bart" else _t5_tokenizer(corpus)
    torch.manual_seed(SEED)
    model = _MODEL_CLASSES[arch](_config(arch, tokenizer))
    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    preset = Preset(
        name=name,
        hub_id=f"outage-bot-tests/{name}",
        revision="test",
        license="MIT",
        languages=("multilingual",),
        tasks=("summarize",),
        prompt=prompt,
        max_input_tokens=max_input_tokens,
        generation=generation or dict(TINY_GENERATION),
    )
    return TinyModel(name=name, arch=arch, folder=folder, preset=preset)
