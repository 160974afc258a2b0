"""Cheap text similarity shared by stages: overlap of adjacent character pairs.

Character pairs work the same for Chinese (no spaces to split on) and English.
"""

from __future__ import annotations


def char_pairs(text: str) -> set[str]:
    """Adjacent character pairs of the text's letters and digits, lower-cased."""
    flat = "".join(ch.lower() for ch in text if ch.isalnum())
    return {flat[i : i + 2] for i in range(len(flat) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
