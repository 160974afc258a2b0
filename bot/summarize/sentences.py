"""Sentence splitting that knows both Chinese and English punctuation.

Chinese ends sentences with 。！？； (and the ASCII forms after Han text) with no
space after; English ends with . ! ? followed by a space and a capital, except
after common abbreviations ("U.S.", "Inc.", "Dr.") and initials.
"""

from __future__ import annotations

import re

# Closing quotes/brackets that belong to the sentence they end.
_CLOSERS = "\"'”’」』）)]】"
_CLOSE = f"[{re.escape(_CLOSERS)}]*"
# Full-width marks always end a sentence; ASCII ! and ? only right after Han text
# (elsewhere they sit in URLs like "?id=42" or in English, handled below).
_ZH_END = re.compile(rf"((?:[。！？；]|(?<=[\u3400-\u9fff])[!?])+{_CLOSE}|…{{1,2}}{_CLOSE})")
_EN_END = re.compile(rf"([.!?]+[{re.escape(_CLOSERS)}]*)\s+(?=[\"'“‘(\[A-Z0-9\u4e00-\u9fff])")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "ltd", "co", "corp", "vs", "etc",
    "e.g", "i.e", "u.s", "u.k", "u.n", "no", "fig", "approx", "est", "dept", "gov", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt",
}  # fmt: skip


def split_sentences(text: str) -> list[str]:
    """Sentences in order; paragraph breaks always end a sentence."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        for piece in _split_zh(paragraph.strip()):
            sentences.extend(_split_en(piece))
    return [s for s in (s.strip() for s in sentences) if s]


def _split_zh(text: str) -> list[str]:
    parts = _ZH_END.split(text)
    # re.split with a group alternates text, terminator, text, ...
    out = []
    for i in range(0, len(parts), 2):
        chunk = parts[i] + (parts[i + 1] if i + 1 < len(parts) else "")
        if chunk.strip():
            out.append(chunk)
    return out


def _split_en(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _EN_END.finditer(text):
        candidate = text[start : match.end(1)]
        if _ends_with_abbreviation(candidate):
            continue
        out.append(candidate)
        start = match.end()
    out.append(text[start:])
    return out


def _ends_with_abbreviation(sentence: str) -> bool:
    if not sentence.endswith("."):
        return False
    last_word = sentence.rstrip(".").rsplit(maxsplit=1)[-1].lower().lstrip("(\"'“")
    if last_word in _ABBREVIATIONS:
        return True
    # A single capital letter is an initial ("John F. Kennedy"), not a sentence end.
    return len(last_word) == 1 and last_word.isalpha()
