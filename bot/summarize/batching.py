"""Batched generation: prompts of similar length together, a failed batch retried one by one.

Sorting prompts by token length before batching keeps padding (wasted work)
small; results still come back in the order the prompts were given. A failure
(an oversized input, a CUDA out-of-memory) costs only the prompt it happened
on: the batch is retried one prompt at a time and that prompt gets its error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import torch
from transformers import PreTrainedTokenizerBase

log = logging.getLogger(__name__)


def generate_in_batches(
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    generate: Callable[[list[str]], list[str]],
    batch_size: int,
    name: str,
) -> list[str | BaseException]:
    """``generate``'s output for each prompt, or the error that prevented it.

    ``generate`` turns one batch of prompts into one text each; ``name`` is the
    engine's, for the log.
    """
    results: list[str | BaseException] = [RuntimeError("not generated")] * len(prompts)
    if not prompts:
        return results
    lengths = [len(ids) for ids in tokenizer(list(prompts), verbose=False)["input_ids"]]
    order = sorted(range(len(prompts)), key=lambda i: lengths[i])
    size = max(1, batch_size)
    for first in range(0, len(order), size):
        batch = order[first : first + size]
        try:
            texts = generate([prompts[i] for i in batch])
        except (RuntimeError, ValueError) as exc:
            _after_failure()
            if len(batch) == 1:
                results[batch[0]] = exc
                continue
            log.info("%s: a batch of %d failed (%s); retrying one by one", name, len(batch), exc)
            for i in batch:
                try:
                    results[i] = generate([prompts[i]])[0]
                except (RuntimeError, ValueError) as single:
                    _after_failure()
                    results[i] = single
            continue
        for i, text in zip(batch, texts, strict=True):
            results[i] = text
    return results


def _after_failure() -> None:
    # A CUDA out-of-memory leaves cached blocks behind that the retry needs.
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
