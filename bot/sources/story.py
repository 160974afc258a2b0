"""What web pages and scraped Markdown share: trafilatura's main text, as paragraphs,
and the test that tells story text (sentences) from menus, headlines and buttons."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import trafilatura
from trafilatura.settings import Document

# Leaf blocks of trafilatura's output tree; <lb/> is a line break inside one.
_BLOCKS = ("p", "head", "item", "quote", "cell", "code")
_LINE = "\ue000"  # private-use: cannot occur in page text
_SENTENCE_END = ".!?。！？…"
_CLOSERS = "\"'”’」』）)]】》"


class _Node(Protocol):
    """The part of lxml's element API used on trafilatura's output tree."""

    tail: str | None

    def iter(self, *tags: str) -> Iterator[_Node]: ...

    def iterdescendants(self, *tags: str) -> Iterator[_Node]: ...

    def itertext(self) -> Iterator[str]: ...


def main_text_paragraphs(html: str) -> list[str]:
    """The paragraphs trafilatura (precision mode) takes for the main text; [] for none."""
    document = trafilatura.bare_extraction(
        html, favor_precision=True, include_comments=False, include_images=False
    )
    if not isinstance(document, Document) or not document.text:
        return []
    body: _Node = document.body
    for line_break in body.iter("lb"):
        line_break.tail = _LINE + (line_break.tail or "")
    paragraphs: list[str] = []
    for block in body.iter(*_BLOCKS):
        if next(block.iterdescendants(*_BLOCKS), None) is not None:
            continue  # a container (a quote of paragraphs): its leaves are taken instead
        for line in "".join(block.itertext()).split(_LINE):
            if cleaned := " ".join(line.split()):
                paragraphs.append(cleaned)
    return paragraphs


def ends_sentence(paragraph: str) -> bool:
    last = paragraph.rstrip(_CLOSERS)[-1:]
    return bool(last) and last in _SENTENCE_END


def sentence_chars(paragraphs: Sequence[str]) -> int:
    """Characters in paragraphs that end like sentences (menus and headlines do not)."""
    return sum(len(p) for p in paragraphs if ends_sentence(p))
