"""How the seq2seq engine runs (``EngineOptions``) and what it needs of a model.

Kept apart from the engine (bot/summarize/seq2seq.py) so that settings, the
factory and tests can name them; the language names are shared with thread Q&A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bot.summarize.vocab import SCRIPTS

if TYPE_CHECKING:
    import torch

# "auto": CTranslate2 when the engine runs int8 on the CPU and the model folder
# holds a converted model (bot/summarize/ct2.py); transformers otherwise.
BACKENDS = ("auto", "transformers", "ctranslate2")


class Seq2SeqModel(Protocol):
    """What the engine needs from a model: ``generate`` and where its weights live."""

    @property
    def device(self) -> torch.device: ...

    def generate(self, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class EngineOptions:
    threads: int | None = None  # torch intra-op threads; None: every CPU this process may use
    batch_size: int = 8
    # int8 weights when running on the CPU (CTranslate2's, else torch's dynamic int8);
    # a CUDA device runs fp32 whatever this says. The bot turns it on by default
    # (OUTAGE_BOT_QUANTIZE); the class default stays fp32 for exact comparisons.
    quantize: bool = False
    backend: str = "auto"  # one of BACKENDS
    device: str = "auto"  # "auto" (CUDA when available), "cpu", "cuda", "cuda:1", ...
    max_summary_chars: int = 400
    chunk_overlap_tokens: int = 32
    max_chunks: int = 6
    # Languages ("en", "zh") the decoder may write; () keeps the whole vocabulary.
    # Trimming mT5's 250k pieces to these makes each decoding step read far fewer
    # lm_head rows (bot/summarize/vocab.py); summaries in other languages are then
    # impossible, so list every language the bot's summaries are written in.
    vocabulary: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.max_chunks < 1 or self.max_summary_chars < 2:
            raise ValueError("batch_size and max_chunks must be >= 1, max_summary_chars >= 2")
        if self.chunk_overlap_tokens < 0 or (self.threads is not None and self.threads < 1):
            raise ValueError("chunk_overlap_tokens must be >= 0 and threads >= 1")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}")
        unknown = sorted(set(self.vocabulary) - set(SCRIPTS))
        if unknown:
            raise ValueError(
                f"vocabulary: unknown language(s) {', '.join(unknown)}; "
                f"choose from {', '.join(sorted(SCRIPTS))}"
            )


# The defaults as one immutable value, for default arguments.
DEFAULT_OPTIONS = EngineOptions()
