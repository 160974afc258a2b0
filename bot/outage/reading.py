"""The parts of an article the classifier reads besides its headline: the opening
sentence (past a translator's note), and the section of a digest under one story's
heading."""

from __future__ import annotations

import re

# The opening sentence of a lead: a standfirst, or a report's first line.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|[。！？]")
OPENING_SENTENCE_CHARS = 300
# A story heading shorter than this is found in texts by chance.
SECTION_HEADING_CHARS = 8
SECTION_CHARS = 600
# Where a digest's sections are looked for, and for how many of its outage stories: a
# hostile headline holds thousands.
SECTION_SEARCH_CHARS = 20_000
SECTION_STORIES = 8


def opening_sentence(lead: str, note: re.Pattern[str]) -> str:
    """The lead's first sentence; the next one when the first is a translator's note
    ("译文仅供参考，…原文为准。"), which Chinese reposts of English news open with."""
    first = _first_sentence(lead)
    if not note.search(first):
        return first
    return _first_sentence(lead[len(first) :].lstrip("。！？.!? \n"))


def section(text: str, story: str) -> str:
    """The part of a digest's text under ``story``'s heading, if the text repeats it."""
    start = text.find(story.strip()) if len(story.strip()) >= SECTION_HEADING_CHARS else -1
    return text[start : start + SECTION_CHARS] if start >= 0 else ""


def _first_sentence(lead: str) -> str:
    opening = lead[:OPENING_SENTENCE_CHARS]
    end = _SENTENCE_END.search(opening)
    return opening[: end.start()] if end else opening
