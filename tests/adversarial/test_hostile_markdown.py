"""Hostile Markdown files: each is read, title-only or refused, in bounded time.

Before the bounded patterns in bot/sources/markdown_body.py, 200 KB of "[" took
333 s (a quadratic regular expression); the bound here is far above what linear
code needs on a loaded machine and far below what quadratic code takes.
"""

from __future__ import annotations

import time

import pytest

from bot.errors import ParseError
from bot.sources.markdown import read_markdown

BOUND_S = 30
CASES = {
    "unclosed brackets": "[" * 200_000,
    "unclosed images": "![" * 100_000,
    "unclosed links": "[a](" * 50_000,
    "emphasis runs": "*a" * 100_000,
    "deep quotes": "> " * 5_000 + "x",
    "deep lists": "".join("  " * i + "- x\n" for i in range(2_000)),
    "long table": "|a|b|\n|-|-|\n" + "|x|y|\n" * 40_000,
    "one long line": "word " * 400_000,
    "trailing links": "Service is down. " + "https://x.test/a " * 50_000 + "end",
}


@pytest.mark.parametrize("body", list(CASES.values()), ids=list(CASES))
def test_hostile_markdown_is_read_or_refused_in_bounded_time(body: str) -> None:
    data = ("---\ntitle: Hostile\n---\n" + body).encode()
    start = time.perf_counter()
    outcome: str
    try:
        outcome = read_markdown(data, "s", "hostile.md").entry.title
    except ParseError as exc:  # too deep or too large to clean: that file's error
        outcome = str(exc)
    assert time.perf_counter() - start < BOUND_S
    assert outcome == "Hostile" or "hostile.md" in outcome


def test_nested_html_in_markdown_is_that_files_error() -> None:
    data = ("---\ntitle: Hostile\n---\n" + "<div>" * 100_000).encode()
    with pytest.raises(ParseError, match="nested more than"):
        read_markdown(data, "s", "nested.md")
