"""Beam search without copying the cross-attention cache at every step.

At each step of beam search, transformers reorders every cached key and value
to follow the surviving beams, the cross-attention ones included. Those are
computed from the encoder output, which is the same for all beams of one
article, and beams never move between articles: the reorder copies rows onto
identical rows. It is also the largest copy there is: for a 512-token input,
38 MB per beam per step on mT5-base, 1.2 GB a step for a batch of 8 articles
with 4 beams. A cross-attention cache that ignores reorders gives bit-for-bit
the same output without that traffic.
"""

from __future__ import annotations

from typing import Any

import torch
from transformers import DynamicCache, EncoderDecoderCache


class _BeamSharedCache(DynamicCache):
    """Cross-attention keys and values: identical within an article's beams."""

    def reorder_cache(self, beam_idx: torch.LongTensor) -> None:
        return None


def beam_cache(model: Any) -> EncoderDecoderCache | None:
    """A fresh cache for one ``generate`` call of ``model``, or None to use the default."""
    config = getattr(model, "config", None)
    if config is None or not getattr(config, "is_encoder_decoder", False):
        return None
    return EncoderDecoderCache(DynamicCache(config=config), _BeamSharedCache(config=config))
