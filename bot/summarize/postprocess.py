"""Tidying what a seq2seq model wrote before it goes into a digest.

Models leave special tokens behind, stutter ("the outage the outage", "服务器服务器"),
stop mid-sentence when they hit their token limit, and know nothing about our
character budget. ``clean_summary`` fixes those and nothing else: escaping for
Slack is the digest renderer's job, so the text stays plain here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.languages import LANGUAGES
from bot.summarize.sentences import split_sentences

_SPECIAL_TOKENS = re.compile(r"<pad>|</?s>|<unk>|<mask>|<extra_id_\d+>|<sep>|<cls>")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"  # 。，、「」 and the full-width forms
# A space next to Han text or CJK punctuation is a tokenizer artefact, never meant.
_CJK_SPACE = re.compile(rf"(?<=[{_HAN}{_CJK_PUNCT}])\s+(?=[{_HAN}{_CJK_PUNCT}])")
_SPACE_BEFORE_CJK_PUNCT = re.compile(rf"\s+(?=[{_CJK_PUNCT}])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?%)\]])")
# Units for repeat detection: one Han character, or a run of anything else but spaces.
_UNIT = re.compile(rf"[{_HAN}]|[^\s{_HAN}]+")
_STRIP = ",.;:!?\"'()[]，。；：！？、“”‘’（）「」…"
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’」』）)\]】]*$")
# Real English that repeats a word on purpose; a model stutter is almost never these.
_REPEATABLE_WORDS = frozenset({"had", "that"})
_ELLIPSIS = "…"


def clean_summary(text: str, language: str, max_chars: int) -> str:
    """Plain, stutter-free text of at most ``max_chars`` characters."""
    text = _SPECIAL_TOKENS.sub(" ", text)
    # Byte-level BPE models can emit half of a multi-byte character, which
    # decodes to U+FFFD; it carries nothing.
    text = text.replace("\ufffd", "")
    text = _collapse_whitespace(text)
    text = _drop_repeats(text)
    sentences = split_sentences(text)
    if len(sentences) > 1 and not _SENTENCE_END.search(sentences[-1]):
        # The model ran out of tokens mid-sentence; the complete ones read better alone.
        sentences.pop()
    return _fit(sentences, language, max_chars)


def _collapse_whitespace(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = _CJK_SPACE.sub("", text)
    text = _SPACE_BEFORE_CJK_PUNCT.sub("", text)
    return _SPACE_BEFORE_PUNCT.sub("", text)


@dataclass
class _Unit:
    text: str
    before: str  # the whitespace that separated it from the previous unit
    key: str  # what repeats compare: lower case, without edge punctuation
    han: bool


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    end = 0
    for match in _UNIT.finditer(text):
        piece = match.group()
        units.append(
            _Unit(
                text=piece,
                before=text[end : match.start()],
                key=piece.lower().strip(_STRIP),
                han=len(piece) == 1 and bool(re.match(f"[{_HAN}]", piece)),
            )
        )
        end = match.end()
    return units


def _is_stutter(gram: list[_Unit]) -> bool:
    """Whether an n-gram said twice in a row is a model stutter worth removing."""
    words = [unit for unit in gram if unit.key]
    if not words:  # only punctuation: "。。" is not a phrase
        return False
    han = sum(unit.han for unit in words)
    if han == len(words):
        # A single repeated character is Chinese reduplication (渐渐, 慢慢), not a stutter.
        return han >= 2
    return not (len(words) == 1 and words[0].key in _REPEATABLE_WORDS)


def _drop_repeats(text: str) -> str:
    """Say every immediately repeated n-gram once.

    "The outage, the outage hit users" becomes "The outage hit users"; a
    repeated sentence or Chinese phrase collapses the same way.
    """
    units = _units(text)
    keys = [unit.key for unit in units]  # compared as list slices, which is fast
    changed = True
    while changed:
        changed = False
        for size in range(1, len(units) // 2 + 1):
            start = 0
            while start + 2 * size <= len(units):
                middle = start + size
                if (
                    keys[start] == keys[middle]
                    and keys[start:middle] == keys[middle : middle + size]
                    and _is_stutter(units[start:middle])
                ):
                    # Keep the first copy (its capital letter opens the phrase)
                    # with the last copy's final unit (its punctuation closes it).
                    units[middle - 1].text = units[middle + size - 1].text
                    del units[middle : middle + size], keys[middle : middle + size]
                    changed = True
                else:
                    start += 1
    return "".join(unit.before + unit.text for unit in units).strip()


def _join(sentences: list[str]) -> str:
    joined = ""
    for sentence in sentences:
        # Chinese sentences follow each other without a space; English ones take one.
        if joined and not (
            re.search(f"[{_HAN}{_CJK_PUNCT}]$", joined) or re.match(f"[{_HAN}]", sentence)
        ):
            joined += " "
        joined += sentence
    return joined


def _fit(sentences: list[str], language: str, max_chars: int) -> str:
    text = _join(sentences)
    if len(text) <= max_chars:
        return text
    kept: list[str] = []
    for sentence in sentences:
        if len(_join([*kept, sentence])) > max_chars:
            break
        kept.append(sentence)
    if kept:
        return _join(kept)
    # Not even the first sentence fits: cut it, at a word boundary where words exist.
    cut = text[: max_chars - len(_ELLIPSIS)]
    if LANGUAGES.of(language).word_boundaries and " " in cut:
        head, _, _ = cut.rpartition(" ")
        if len(head) >= len(cut) // 2:  # a very long "word" (a URL) is cut where it falls
            cut = head
    return cut.rstrip(" ,;:，；：、") + _ELLIPSIS
