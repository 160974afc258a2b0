"""The CTranslate2 engine: the same summaries from an int8 model built for inference.

``outage-bot models pull NAME`` converts the pulled T5/mT5/BART weights into
``models/NAME/ct2-int8/`` (``convert``). When that folder is there and the
engine runs int8 on the CPU, ``Seq2SeqSummarizer.load`` wraps a
``ctranslate2.Translator`` in ``Ct2Model``, which answers ``generate`` the
way a transformers model does (token ids in, token ids out), so prompting,
chunking, batching, cleaning and thread Q&A run unchanged on top of it. The
transformers engine stays the fallback: no folder, another device, a
generation setting CTranslate2 has no equivalent for, or a load that fails.

Why CTranslate2: on two CPU cores a decoding step of mT5-base is bound by
reading its weights, and CTranslate2 reads them as int8 in fused kernels with
no per-step Python; torch's dynamic int8 re-reads activations and runs the
beam bookkeeping in Python (benchmarks/summarize.py).

Vocabulary: the conversion writes ``vmap.txt``, CTranslate2's vocabulary map:
its fixed candidates, every piece written only in the scripts of
bot/summarize/vocab.py (Chinese and English: CJK, ASCII and typography, so
digits, names and Latin brand names in Chinese text stay). Decided from the
tokenizer alone, never from a corpus. An article decodes over the map only
when it and every summary asked of it are in those languages and every piece
of its input is a candidate, so the map takes nothing away that the article
itself uses; any other article (a "Zürich" in an English report) decodes over
the whole vocabulary, in its own call (``generate``). The map has no rule per
other piece, which would make the same candidates: CTranslate2 parses the map
at every load, and mT5's 190k such rules were a quarter of its load time.

Tokenizer: the conversion also saves ``tokenizer/``, a copy of the tokenizer as
loaded that reads in one parse (bot/summarize/tokenizer_copy.py); the engine
loads it beside the weights.

Same output? Weights are int8 either way; beam search is CTranslate2's, which
differs from transformers' in how it stops (it stops once ``num_beams``
hypotheses are finished: ``early_stopping=True``) and can pick another of two
near-tied beams, so its summary of an article may differ from the transformers
engine's in a word. Tests pin greedy output of the tiny models token for token.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import SummarizerError

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

# torch, transformers and ctranslate2 are imported where a model is converted or
# loaded: `models list` reads the folder names here and must stay quick.

log = logging.getLogger(__name__)

CT2_FOLDER = "ct2-int8"
VMAP_FILE = "vmap.txt"
# Which languages the vocabulary map's fixed candidates cover (written by ``convert``).
VMAP_LANGUAGES_FILE = "vmap-languages.json"
# Settings that change nothing here: greedy/beam only, one sequence, plain ids back.
_FIXED = {"do_sample": False, "num_return_sequences": 1, "return_dict_in_generate": False}
# CTranslate2 stops a beam search once num_beams hypotheses are finished, which is
# transformers' early_stopping=True; False/"never" keep searching a little longer
# there. Accepted: the difference is which of two near-tied beams wins.
_IGNORED = frozenset({"early_stopping", "use_cache"})
_SAME_NAME = ("no_repeat_ngram_size", "length_penalty", "repetition_penalty")
_LENGTHS = ("max_new_tokens", "max_length", "min_new_tokens", "min_length")
# transformers' default when nothing says how long: max_length 20, counting the start token.
_DEFAULT_MAX_LENGTH = 20


def ct2_folder(model_folder: Path) -> Path:
    return model_folder / CT2_FOLDER


def has_ct2(model_folder: Path) -> bool:
    return (ct2_folder(model_folder) / "model.bin").is_file()


def precision_label(model_folder: Path, *, quantize: bool) -> str:
    """What ``models list`` says a preset runs as on the CPU, without loading anything."""
    if not quantize:
        return "fp32"
    return "int8 ctranslate2" if has_ct2(model_folder) else "int8 torch"


# -- conversion (``models pull``) -------------------------------------------------------------


def convert(
    model_folder: Path,
    *,
    force: bool = False,
    target: Path | None = None,
    quantization: str = "int8",
) -> Path:
    """Convert the transformers weights in ``model_folder`` to ``<folder>/ct2-int8``.

    ``target`` and ``quantization`` exist for tests and benchmarks (a float32
    copy checks the conversion against transformers token for token).

    The model is loaded by our own loader (bot/summarize/loading.py), which
    applies the checkpoint's real ``tie_word_embeddings``: transformers 5 reports
    every T5/mT5 config as tied, and CTranslate2's converter, trusting that,
    would scale mT5's decoder output and use the embedding as its lm_head.
    Written to a temporary folder first, so a failed conversion leaves no
    half-written model that ``has_ct2`` would take for a good one.
    """
    import ctranslate2.converters

    from bot.summarize.loading import load_files
    from bot.summarize.presets import Preset
    from bot.summarize.tokenizer_copy import TOKENIZER_COPY, write_tokenizer_copy

    target = target or ct2_folder(model_folder)
    if (target / "model.bin").is_file() and not force:
        return target
    preset = Preset(name=model_folder.name, hub_id=str(model_folder), revision="local",
                    license="unknown", languages=("multilingual",), tasks=("summarize",),
                    prompt="{text}", max_input_tokens=512)  # fmt: skip
    tokenizer, model = load_files(preset, model_folder)
    _as_ct2_expects(model)

    class _Loaded(ctranslate2.converters.TransformersConverter):  # type: ignore[misc]
        def load_model(self, model_class: Any, name: str, **kwargs: Any) -> Any:
            return model

        def load_tokenizer(self, tokenizer_class: Any, name: str, **kwargs: Any) -> Any:
            return tokenizer

    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _Loaded(str(model_folder)).convert(str(staging), quantization=quantization, force=True)
        write_vocabulary_as_text(staging)
        write_vocabulary_map(tokenizer, staging)
        write_tokenizer_copy(tokenizer, staging / TOKENIZER_COPY)
    except Exception as exc:  # the converter raises many kinds; all mean "not converted"
        shutil.rmtree(staging, ignore_errors=True)
        raise SummarizerError(
            f"{model_folder.name}: could not convert to CTranslate2 ({type(exc).__name__}: {exc})"
        ) from exc
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def _as_ct2_expects(model: Any) -> None:
    """Adjust the config attributes CTranslate2's converter reads to what the model does.

    T5: the converter scales decoder output when ``tie_word_embeddings``; transformers 5
    scales when ``scale_decoder_outputs`` (T5) and never for mT5. BART: the converter
    reads ``normalize_before``, which transformers 5 dropped (BART is post-norm).
    """
    config = model.config
    if config.model_type in {"t5", "mt5"}:
        config.tie_word_embeddings = bool(getattr(config, "scale_decoder_outputs", False))
    if config.model_type == "bart" and not hasattr(config, "normalize_before"):
        config.normalize_before = False


def write_vocabulary_map(tokenizer: PreTrainedTokenizerBase, folder: Path) -> None:
    """``vmap.txt``: the pieces of the script languages, CTranslate2's fixed candidates.

    A byte-level BPE vocabulary (BART) has no script pieces to choose from, so it
    gets no map and always decodes over everything.
    """
    from bot.summarize.vocab import SCRIPTS, script_token_ids

    languages = sorted(SCRIPTS)
    try:
        fixed = script_token_ids(tokenizer, languages)
    except ValueError as exc:
        log.info("%s: no vocabulary map (%s)", folder, exc)
        return
    pieces = tokenizer.convert_ids_to_tokens(fixed)
    # The map line is "\t<candidate> <candidate> ...": a piece with whitespace in it
    # cannot be written there, so an input using one decodes over everything.
    writable = [p for p in pieces if isinstance(p, str) and p and not any(c.isspace() for c in p)]
    (folder / VMAP_FILE).write_text("\t" + " ".join(writable) + "\n", encoding="utf-8")
    (folder / VMAP_LANGUAGES_FILE).write_text(json.dumps(languages), encoding="utf-8")


def read_map_candidates(folder: Path) -> frozenset[str]:
    """The fixed candidates of ``folder``'s vocabulary map (its "" line); empty without one.

    A map written before the map lost its per-piece rules has the same first
    line; its rules then go unused (an input using their pieces decodes over
    everything).
    """
    try:
        with (folder / VMAP_FILE).open(encoding="utf-8") as lines:
            for line in lines:
                key, _, candidates = line.rstrip("\n").partition("\t")
                if key == "":
                    return frozenset(candidates.split(" ")) - {""}
    except (OSError, UnicodeDecodeError):
        pass
    return frozenset()


def write_vocabulary_as_text(folder: Path) -> None:
    """Rewrite the converter's ``*_vocabulary.json`` as ``.txt``, one token a line.

    CTranslate2 reads either; the text one parses faster (about a tenth of
    mT5-base's load: 250k tokens). A vocabulary with a token that cannot be a
    line (a line break in it) stays JSON.
    """
    for source in folder.glob("*_vocabulary.json"):
        tokens = json.loads(source.read_text(encoding="utf-8"))
        if not all(isinstance(t, str) and "\n" not in t and "\r" not in t for t in tokens):
            continue
        source.with_suffix(".txt").write_text("".join(t + "\n" for t in tokens), encoding="utf-8")
        source.unlink()


# -- the model --------------------------------------------------------------------------------


def load_translator(folder: Path, threads: int, compute_type: str = "int8") -> Any:
    """The ``ctranslate2.Translator`` of the converted model in ``folder``.

    Safe to call on another thread while the tokenizer loads: CTranslate2 reads
    its weights and vocabularies without holding the GIL.
    """
    import ctranslate2

    try:
        return ctranslate2.Translator(
            str(folder), device="cpu", compute_type=compute_type, intra_threads=threads
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise SummarizerError(f"{folder}: cannot load the CTranslate2 model ({exc})") from exc


class Ct2Model:
    """A ``ctranslate2.Translator`` with the ``generate`` the engine calls on a torch model."""

    backend = "ctranslate2"

    def __init__(
        self,
        folder: Path,
        tokenizer: PreTrainedTokenizerBase,
        *,
        threads: int,
        model_defaults: Mapping[str, Any] | None = None,
        compute_type: str = "int8",
        translator: Any = None,
    ) -> None:
        """``translator``: the model already loaded by ``load_translator`` (with the same
        folder, threads and compute type), or None to load it here."""
        if translator is None:
            translator = load_translator(folder, threads, compute_type)
        self._translator = translator
        self._tokenizer = tokenizer
        self._pad = int(tokenizer.pad_token_id or 0)
        self._defaults = dict(model_defaults or {})
        self.folder = folder
        self.precision = "int8" if compute_type.startswith("int8") else compute_type
        # When the decoder starts from the model's own bos (T5: <pad>), CTranslate2
        # returns that start token with each hypothesis and counts it in the
        # decoding length; transformers counts only new tokens.
        config = _ct2_config(folder)
        start = config.get("decoder_start_token")
        same = bool(start) and start == config.get("bos_token")
        self._start_token: str | None = str(start) if same else None
        languages = folder / VMAP_LANGUAGES_FILE
        self.map_candidates = read_map_candidates(folder)
        self.vocabulary_languages: frozenset[str] = frozenset(
            json.loads(languages.read_text(encoding="utf-8"))
            if self.map_candidates and languages.is_file()
            else []
        )

    @property
    def device(self) -> torch.device:
        import torch

        return torch.device("cpu")

    def options(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``translate_batch`` keywords for transformers ``generate`` settings.

        The model's own generation defaults apply under the given settings, as
        in transformers. Raises ValueError for a setting with no equivalent.
        """
        merged = {**self._defaults, **settings}
        unknown = sorted(
            key
            for key, value in merged.items()
            if key not in _SAME_NAME and key not in _LENGTHS and key not in _IGNORED
            and key != "num_beams" and key != "forced_bos_token_id"
            and _FIXED.get(key, object()) != value
        )  # fmt: skip
        if unknown:
            raise ValueError(f"no CTranslate2 equivalent for {', '.join(unknown)}")
        # transformers counts the decoder start token in max_length/min_length,
        # not in the *_new_tokens settings, and prefers the latter.
        if "max_new_tokens" in merged:
            longest = int(merged["max_new_tokens"])
        else:
            longest = int(merged.get("max_length", _DEFAULT_MAX_LENGTH)) - 1
        if "min_new_tokens" in merged:
            shortest = int(merged["min_new_tokens"])
        else:
            shortest = max(int(merged.get("min_length", 0)) - 1, 0)
        extra = 1 if self._start_token is not None else 0
        options: dict[str, Any] = {
            "beam_size": int(merged.get("num_beams", 1)),
            "max_decoding_length": max(longest, 1) + extra,
            "min_decoding_length": min(shortest, max(longest, 1)) + extra,
            "max_input_length": 0,  # the engine already cut every input to fit
        }
        for name in _SAME_NAME:
            if name in merged:
                options[name] = merged[name]
        return options

    def generate(
        self,
        *,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        languages: Collection[str] = (),
        **settings: Any,
    ) -> torch.Tensor:
        """Token ids for each input row, padded with the pad id, like transformers' generate.

        ``languages``: every language the batch reads and writes. When all are
        covered by the vocabulary map, the rows whose every piece is one of its
        candidates decode over the map (one call), the others over the whole
        vocabulary (another call).
        """
        import torch

        options = self.options(settings)
        sources = []
        for ids, mask in zip(input_ids.tolist(), attention_mask.tolist(), strict=True):
            kept = [i for i, on in zip(ids, mask, strict=True) if on]
            sources.append(self._tokenizer.convert_ids_to_tokens(kept))
        forced = settings.get("forced_bos_token_id", self._defaults.get("forced_bos_token_id"))
        prefix: list[str] | None = None
        if forced is not None:
            # transformers forces this token first (BART's <s>); CTranslate2 takes it as a prefix.
            prefix = [str(self._tokenizer.convert_ids_to_tokens(int(forced)))]
        wanted = {language.split("-")[0].lower() for language in languages}
        map_allowed = bool(wanted) and wanted <= self.vocabulary_languages
        on_map = [map_allowed and self.map_candidates.issuperset(row) for row in sources]
        results: list[Any] = [None] * len(sources)
        for use_vmap in (True, False):
            chosen = [index for index, flag in enumerate(on_map) if flag is use_vmap]
            if not chosen:
                continue
            try:
                done = self._translator.translate_batch(
                    [sources[index] for index in chosen],
                    target_prefix=None if prefix is None else [prefix] * len(chosen),
                    use_vmap=use_vmap,
                    **options,
                )
            except (RuntimeError, ValueError) as exc:
                raise RuntimeError(f"CTranslate2: {exc}") from exc
            for index, result in zip(chosen, done, strict=True):
                results[index] = result
        rows: list[list[int]] = []
        for result in results:
            tokens = list(result.hypotheses[0])
            if self._start_token is not None and tokens[:1] == [self._start_token]:
                tokens = tokens[1:]
            ids = self._tokenizer.convert_tokens_to_ids(tokens)
            rows.append([ids] if isinstance(ids, int) else [int(i) for i in ids])
        width = max((len(row) for row in rows), default=0)
        return torch.tensor([row + [self._pad] * (width - len(row)) for row in rows],
                            dtype=torch.long).reshape(len(rows), width)  # fmt: skip


def _ct2_config(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def model_defaults(model_folder: Path) -> dict[str, Any]:
    """The checkpoint's own generation settings (generation_config.json), as transformers uses."""
    path = model_folder / "generation_config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    known = {"num_beams", "forced_bos_token_id", "early_stopping", *_SAME_NAME, *_LENGTHS}
    return {key: value for key, value in data.items() if key in known and value is not None}
