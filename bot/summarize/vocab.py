"""Decoding over part of the vocabulary: the lm_head rows of the languages in use.

mT5's vocabulary has 250,112 pieces for 101 languages, and its lm_head (one row
per piece, untied) is most of the bytes a decoding step reads: 768 MB of 1.2 GB
per step for mT5-base in fp32. A bot whose summaries are only ever Chinese or
English needs a fraction of those rows. ``TrimmedVocabulary`` keeps the encoder
as it is (the full embedding, so any input still reads correctly) and gives the
decoder an embedding and lm_head over a kept set of token ids; ``generate``
maps the ids it produced back to the tokenizer's, so callers see no difference.

Equivalence: every kept logit is computed from the same weights, so greedy
decoding gives exactly the untrimmed output whenever that output uses only
kept tokens. Beam search ranks hypotheses by log-probabilities normalised over
the kept tokens; that changes nothing while the dropped pieces carry no
probability (a trained model writing Chinese or English gives Thai pieces none
to speak of) and can reorder near-tied beams when they carry much.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import torch
from transformers import PreTrainedTokenizerBase

# The generation settings that hold token ids: each must be mapped to the kept ids.
_ID_SETTINGS = (
    "decoder_start_token_id",
    "pad_token_id",
    "eos_token_id",
    "bos_token_id",
    "forced_bos_token_id",
    "forced_eos_token_id",
)
# Settings that list token ids in ways we do not translate; trimming refuses them.
_ID_LIST_SETTINGS = ("suppress_tokens", "begin_suppress_tokens", "bad_words_ids")
_SENTENCEPIECE_SPACE = "\u2581"
# Pieces beyond plain ASCII that English text uses: quotes, dashes, the ellipsis,
# and the signs news copies (the middle dot of Chinese transliterated names
# "埃隆·马斯克", bullets, £ €, the minus and times signs). An article with any other
# character decodes over the whole vocabulary (bot/summarize/ct2.py), so the
# common ones are here.
_TYPOGRAPHY = frozenset(
    "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00b0\u00a9"
    "\u00b7\u2022\u00d7\u00a3\u20ac\u2212"
)


def _ascii_or_typography(char: str) -> bool:
    return " " <= char <= "~" or char in _TYPOGRAPHY


def _chinese(char: str) -> bool:
    # CJK ideographs (with extension A and compatibility), CJK punctuation and the
    # full-width forms; Chinese news mixes in Latin names and digits as well.
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or code == 0x30FB  # the katakana middle dot, in some transliterated names
        or code >= 0x20000
        or _ascii_or_typography(char)
    )


SCRIPTS = {"en": _ascii_or_typography, "zh": _chinese}


def script_token_ids(tokenizer: PreTrainedTokenizerBase, languages: Sequence[str]) -> list[int]:
    """Ids of the pieces written only in the scripts of ``languages``, plus special tokens.

    Works on SentencePiece vocabularies (T5, mT5), whose pieces are text; a
    byte-level BPE vocabulary (BART) splits Chinese characters into bytes that
    no script test can judge, so it is refused.
    """
    unknown = sorted(set(languages) - set(SCRIPTS))
    if unknown or not languages:
        raise ValueError(
            f"vocabulary languages must be some of {', '.join(sorted(SCRIPTS))}, "
            f"got {', '.join(unknown) or 'none'}"
        )
    tests = [SCRIPTS[language] for language in languages]
    vocabulary: dict[str, int] = tokenizer.get_vocab()
    if not any(piece.startswith(_SENTENCEPIECE_SPACE) for piece in vocabulary):
        raise ValueError("vocabulary trimming needs a SentencePiece vocabulary (T5, mT5)")
    kept = set(_special_ids(tokenizer))
    for piece, index in vocabulary.items():
        text = piece.replace(_SENTENCEPIECE_SPACE, " ")
        if text and any(all(test(char) for char in text) for test in tests):
            kept.add(index)
    return sorted(kept)


def text_token_ids(tokenizer: PreTrainedTokenizerBase, texts: Iterable[str]) -> list[int]:
    """Ids of every piece that tokenising ``texts`` uses, plus special tokens."""
    kept = set(_special_ids(tokenizer))
    for ids in tokenizer(list(texts), add_special_tokens=False, verbose=False)["input_ids"]:
        kept.update(int(i) for i in ids)
    return sorted(kept)


def _special_ids(tokenizer: PreTrainedTokenizerBase) -> list[int]:
    return [int(i) for i in tokenizer.all_special_ids]


class TrimmedVocabulary(torch.nn.Module):
    """A seq2seq model whose decoder reads and writes only ``kept`` token ids.

    Takes the model over (its decoder embedding and lm_head are replaced), so
    pass a model nobody else uses. ``generate`` takes and returns tokenizer ids.
    """

    def __init__(self, model: Any, kept: Sequence[int]) -> None:
        super().__init__()
        ids = sorted(set(int(i) for i in kept))
        vocab = model.get_output_embeddings().weight.shape[0]
        if not ids or ids[0] < 0 or ids[-1] >= vocab:
            raise ValueError(f"kept token ids must be within the vocabulary of {vocab}")
        self.model = model
        self.register_buffer("kept", torch.tensor(ids, dtype=torch.long), persistent=False)
        self.kept: torch.Tensor
        self.kept_size = len(ids)
        # Names the kept set in cache keys: another set can write other summaries.
        self.fingerprint = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:10]
        position = {old: new for new, old in enumerate(ids)}
        _map_special_ids(model, position)
        index = self.kept
        with torch.no_grad():
            decoder = model.get_decoder()
            decoder.embed_tokens = _embedding_rows(decoder.embed_tokens, index, position)
            head = model.get_output_embeddings()
            trimmed = torch.nn.Linear(head.in_features, len(ids), bias=head.bias is not None)
            trimmed.weight = torch.nn.Parameter(head.weight[index].clone())
            if head.bias is not None:
                trimmed.bias = torch.nn.Parameter(head.bias[index].clone())
            model.set_output_embeddings(trimmed)
            bias = getattr(model, "final_logits_bias", None)  # BART adds one per token
            if isinstance(bias, torch.Tensor):
                model.register_buffer("final_logits_bias", bias[:, index].clone())
        model.config.vocab_size = len(ids)

    @property
    def config(self) -> Any:
        """The wrapped model's config (its vocab_size is the kept count)."""
        return self.model.config

    @property
    def device(self) -> torch.device:
        device: torch.device = self.model.device
        return device

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        if "decoder_input_ids" in kwargs:
            raise ValueError("decoder_input_ids would need mapping to the kept ids")
        output = self.model.generate(*args, **kwargs)
        if isinstance(output, torch.Tensor):
            return self.kept[output]
        output.sequences = self.kept[output.sequences]
        return output


def _embedding_rows(
    embedding: torch.nn.Embedding, index: torch.Tensor, position: dict[int, int]
) -> torch.nn.Embedding:
    # A shallow copy keeps the embedding's class and settings (BART's scaled
    # embedding multiplies by embed_scale) around the rows that are kept.
    trimmed = copy.copy(embedding)
    trimmed._parameters = dict(embedding._parameters)
    trimmed.weight = torch.nn.Parameter(embedding.weight[index].clone())
    trimmed.num_embeddings = int(index.numel())
    if embedding.padding_idx is not None:
        trimmed.padding_idx = position.get(int(embedding.padding_idx))
    return trimmed


def _map_special_ids(model: Any, position: dict[int, int]) -> None:
    """Point the generation settings that name token ids at the kept ids."""
    for config in (model.config, model.generation_config):
        for name in _ID_LIST_SETTINGS:
            if getattr(config, name, None):
                raise ValueError(f"{name} is set; vocabulary trimming cannot translate it")
        for name in _ID_SETTINGS:
            value = getattr(config, name, None)
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            missing = [v for v in values if v not in position]
            if missing:
                raise ValueError(f"{name} {missing} is not among the kept token ids")
            mapped = [position[v] for v in values]
            setattr(config, name, mapped if isinstance(value, list) else mapped[0])
