"""Hostile Markdown files: each is read, title-only or refused, in bounded time.

Before the bounded patterns in bot/sources/markdown_body.py, 200 KB of "[" took
333 s (a quadratic regular expression); the bound here is far above what linear
code needs on a loaded machine and far below what quadratic code takes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.schema import Source
from bot.sources.local import read_local
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


def test_a_hostile_file_in_a_folder_affects_only_itself(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(
        "---\ntitle: Storage outage\n---\n\nThe storage service failed for an hour.\n"
    )
    (tmp_path / "nested.md").write_text("---\ntitle: Hostile\n---\n" + "<div>" * 100_000)
    (tmp_path / "brackets.md").write_text("---\ntitle: Brackets\n---\n" + "[" * 200_000)
    read = read_local(Source(name="inbox", location=str(tmp_path)))
    assert {e.title for e in read.entries} == {"Storage outage", "Brackets"}
    (warning,) = read.warnings
    assert "nested.md" in warning and "nested more than" in warning


def test_hostile_character_references_in_a_title_affect_only_that_file(tmp_path: Path) -> None:
    """A front-matter title read with its character references: a flood of them is read in
    linear time, ones that name no character (NUL, a surrogate, past U+10FFFF) become the
    replacement character, an over-long number stays text, and markup a reference spells
    is text in the title; the file beside it is read as before."""
    flood = "&#x3f;" * 200_000
    (tmp_path / "flood.md").write_text(f"---\ntitle: Down{flood}\n---\n\nbody text\n")
    (tmp_path / "odd.md").write_text(
        "---\ntitle: A&#0;B&#xD800;C&#1114112;D&#99999999;E &lt;script&gt;\n---\n\nbody\n"
    )
    (tmp_path / "good.md").write_text(
        "---\ntitle: Storage outage\n---\n\nThe storage service failed for an hour.\n"
    )
    start = time.perf_counter()
    read = read_local(Source(name="inbox", location=str(tmp_path)))
    assert time.perf_counter() - start < BOUND_S
    titles = {entry.title for entry in read.entries}
    assert "Storage outage" in titles
    assert "Down" + "?" * 200_000 in titles
    assert "A\ufffdB\ufffdC\ufffdD&#99999999;E <script>" in titles
    assert not read.warnings
