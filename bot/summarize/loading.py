"""Getting a seq2seq model off the disk and ready to generate, never from the network.

``load_files`` reads tokenizer and model from a model folder (or, failing that,
the local Hugging Face cache) and turns every way that can fail into one
SummarizerError that names the folder and the command that fixes it.
``prepare_model`` applies the engine options that touch the model (threads,
device, int8), so a model gets them however the engine was built.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, PreTrainedTokenizerBase
from transformers.utils import logging as hf_logging

from bot.errors import SummarizerError
from bot.summarize.presets import Preset
from bot.summarize.vocab import TrimmedVocabulary, script_token_ids

log = logging.getLogger(__name__)

# One of these in a model folder means its tokenizer was pulled (fast, SentencePiece,
# byte-level BPE and WordPiece tokenizers respectively).
TOKENIZER_FILES = (
    "tokenizer.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "tokenizer.model",
    "vocab.json",
    "vocab.txt",
)
# Model types whose word embeddings were untied when their config does not say:
# the original MT5Config defaulted to untied, and mT5/mT0/XL-Sum checkpoints carry
# an lm_head of their own.
_UNTIED_BY_DEFAULT = frozenset({"mt5"})
# What transformers logs when it finds both weights it was told to tie.
_TIE_NOTICE = "both are present in the checkpoints with different values"
_QUANTIZED_LINEAR = torch.ao.nn.quantized.dynamic.Linear
# torch allows setting the inter-op pool once per process, before any parallel work.
_interop_threads_set = False


def load_files(preset: Preset, folder: Path) -> tuple[PreTrainedTokenizerBase, Any]:
    """Tokenizer and model for ``preset``: from ``folder``, else the local HF cache.

    Nothing is downloaded; anything missing or damaged is a SummarizerError.
    """
    fix = f"run `outage-bot models pull {preset.name}` on a machine with internet access"
    if folder.is_dir():
        # Without tokenizer files transformers quietly builds a default tokenizer
        # for the architecture (a handful of tokens), which would "work" and write
        # nonsense; a folder like that was pulled incompletely.
        if not any((folder / name).is_file() for name in TOKENIZER_FILES):
            raise SummarizerError(
                f"{preset.name}: model folder {folder} has no tokenizer files "
                f"(looked for {', '.join(TOKENIZER_FILES)}); {fix}"
            )
        source, revision = str(folder), None
    else:
        # A model already in the Hugging Face cache (pulled by another tool) is
        # fine too; local_files_only makes that a lookup, never a download.
        source, revision = preset.hub_id, preset.revision
    try:
        with _no_progress_bars(), _quiet_tie_notice():
            tokenizer = AutoTokenizer.from_pretrained(
                source, revision=revision, local_files_only=True
            )
            model = AutoModelForSeq2SeqLM.from_pretrained(
                source, revision=revision, local_files_only=True
            )
        raw = _raw_config(source, revision)
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
    _tie_as_stated(model, raw, f"{preset.name}: {source}", fix)
    return tokenizer, model


def load_tokenizer(preset: Preset, folder: Path) -> PreTrainedTokenizerBase:
    """Only the tokenizer of the model in ``folder``: for an engine that has its own weights."""
    fix = f"run `outage-bot models pull {preset.name}` on a machine with internet access"
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise SummarizerError(
            f"{preset.name}: model folder {folder} has no tokenizer files "
            f"(looked for {', '.join(TOKENIZER_FILES)}); {fix}"
        )
    try:
        with _no_progress_bars():
            tokenizer: PreTrainedTokenizerBase = AutoTokenizer.from_pretrained(
                str(folder), local_files_only=True
            )
    except Exception as exc:  # broad for the same reason as in load_files
        raise SummarizerError(
            f"{preset.name}: the tokenizer in {folder} is damaged ({exc}); {fix}"
        ) from exc
    return tokenizer


def _tie_as_stated(model: Any, raw: dict[str, Any], where: str, fix: str) -> None:
    """Make lm_head tied to the input embedding exactly when the checkpoint says so.

    transformers 5 forces T5Config and MT5Config to "tied" whatever config.json
    says; loading a checkpoint with an lm_head of its own (mT5, mT0, XL-Sum,
    Flan-T5) then keeps the two apart and warns on every load. The file is the
    truth: untied needs the checkpoint's own lm_head, tied shares the embedding.
    """
    head = getattr(model, "lm_head", None)
    embedding = model.get_input_embeddings() if hasattr(model, "get_input_embeddings") else None
    if not isinstance(head, torch.nn.Linear) or not isinstance(embedding, torch.nn.Embedding):
        return
    shared = head.weight is embedding.weight
    if _ties_embeddings(raw, model):
        if not shared:
            log.warning(
                "%s: config.json ties lm_head to the embedding but the checkpoint holds a "
                "different lm_head; using the embedding, as the config says",
                where,
            )
            head.weight = embedding.weight
    elif shared:
        # Loaded "tied" because the checkpoint has no lm_head: it would write
        # from the wrong weights.
        raise SummarizerError(
            f"{where}: config.json says lm_head is not tied to the embedding, but the "
            f"checkpoint has no lm_head weights; {fix}"
        )


def _ties_embeddings(raw: dict[str, Any], model: Any) -> bool:
    stated = raw.get("tie_word_embeddings")
    if isinstance(stated, bool):
        return stated
    model_type = raw.get("model_type", getattr(model.config, "model_type", ""))
    return model_type not in _UNTIED_BY_DEFAULT


def _raw_config(source: str, revision: str | None) -> dict[str, Any]:
    """config.json as written, before transformers' config classes rewrite it."""
    path = Path(source) / "config.json"
    if not path.is_file():
        from transformers.utils.hub import cached_file

        resolved = cached_file(source, "config.json", revision=revision, local_files_only=True)
        if resolved is None:
            return {}
        path = Path(resolved)
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


class _DropTieNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return _TIE_NOTICE not in record.getMessage()


@contextmanager
def _quiet_tie_notice() -> Iterator[None]:
    # The notice is about transformers' own forced "tied" (see _tie_as_stated,
    # which then applies what the checkpoint really says); drop exactly it.
    logger = hf_logging.get_logger("transformers.modeling_utils")
    notice = _DropTieNotice()
    logger.addFilter(notice)
    try:
        yield
    finally:
        logger.removeFilter(notice)


def prepare_model(model: Any, *, threads: int | None, quantize: bool, device: str) -> Any:
    """The model with the engine's options applied: eval mode, threads, device or int8.

    A model that is not a torch module (a wrapper around one) is used as it is:
    whoever wrapped it placed it. Quantising an already-quantised model is a no-op.
    """
    configure_threads(threads)
    if not isinstance(model, torch.nn.Module):
        if quantize:
            raise SummarizerError("int8 quantisation needs a torch model, not a wrapper")
        return model
    model.eval()
    if quantize:
        # Dynamic int8 kernels exist only on the CPU, so quantising means staying there.
        return model if is_quantized(model) else _quantize(model)
    if is_quantized(model):
        return model  # already int8 (on the CPU); moving it would break its kernels
    return model.to(pick_device(device))


def is_quantized(model: Any) -> bool:
    """Whether ``model`` holds dynamically quantised int8 Linear layers."""
    modules = getattr(model, "modules", None)
    if modules is None:
        return False
    return any(isinstance(module, _QUANTIZED_LINEAR) for module in modules())


def configure_threads(threads: int | None) -> None:
    """Size torch's thread pools on purpose rather than by torch's guess.

    torch's default counts every core of the machine, while a container or
    ``taskset`` may give this process fewer; oversubscribing them slows
    generation down a lot.
    """
    global _interop_threads_set
    count = threads or available_cpus()
    torch.set_num_threads(count)
    if not _interop_threads_set:
        _interop_threads_set = True
        try:
            torch.set_num_interop_threads(count)
        except RuntimeError:
            # torch allows this once per process and only before parallel work
            # starts; when something got there first, keep what it chose.
            log.debug("torch inter-op threads already fixed at %d", torch.get_num_interop_threads())


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def pick_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


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


def precision_of(model: Any) -> str:
    """ "int8", "fp16", "bf16" or "fp32": how the weights the engine reads are stored."""
    precision = getattr(model, "precision", None)
    if isinstance(precision, str):
        return precision
    if is_quantized(model):
        return "int8"
    parameters = getattr(model, "parameters", None)
    dtype = next(iter(parameters()), None) if parameters is not None else None
    names = {torch.float16: "fp16", torch.bfloat16: "bf16"}
    return names.get(getattr(dtype, "dtype", torch.float32), "fp32")


def trimmed(
    tokenizer: PreTrainedTokenizerBase, model: Any, preset: Preset, languages: tuple[str, ...]
) -> Any:
    """``model`` decoding over the pieces of ``languages`` only, where that can be done.

    A speed setting must not cost the model: a vocabulary that cannot be
    trimmed (byte-level BPE, as BART's) is used whole, with a warning.
    """
    if not isinstance(model, torch.nn.Module) or is_quantized(model):
        raise SummarizerError(f"{preset.name}: trim the vocabulary of an fp32 torch model only")
    try:
        kept = script_token_ids(tokenizer, languages)
    except ValueError as exc:
        log.warning("%s: decoding over the whole vocabulary (%s)", preset.name, exc)
        return model
    try:
        return TrimmedVocabulary(model, kept)
    except ValueError as exc:
        raise SummarizerError(f"{preset.name}: cannot trim the vocabulary: {exc}") from exc
