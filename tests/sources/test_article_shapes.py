"""Every article shape in tests/fixtures/articles/ reads as its .expected.json says.

The fixtures mimic what real archives write (picker page captures, articleMD lists,
Hexo HTML bodies, TOML front matter, WeChat title-only captures, aggregator
navigation, vendor post-mortem text, saved pages); their README explains the format.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.dedupe.identity import normalise_url
from bot.schema import Article, Source
from bot.sources.article import to_article
from bot.sources.local import read_local

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CASES = sorted(p for p in FIXTURES.iterdir() if p.suffix != ".json" and p.name != "README.md")


def _read(path: Path) -> Article:
    read = read_local(Source(name="fixtures", location=str(path)))
    (entry,) = read.entries
    return to_article(entry, NOW)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_article_shape_reads_as_expected(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    article = _read(path)
    assert article.title == expected["title"]
    if expected["link"].startswith("http"):
        assert article.url == normalise_url(expected["link"])
    else:  # no link in the file: the path as given stands in for it
        assert Path(article.url).name == expected["link"]
    assert article.path == str(path)
    assert article.published_from == expected["published_from"]
    if expected["published"] is None:
        assert article.published == NOW  # undated: the time it was read, and it says so
    else:
        assert article.published == datetime.fromisoformat(expected["published"])
    assert article.title_only is expected["title_only"]
    assert article.text.startswith(expected["starts_with"])
    for wanted in expected["contains"]:
        assert wanted in article.text
    for unwanted in expected["absent"]:
        assert unwanted not in article.text, f"{unwanted!r} leaked into the text"


def test_every_fixture_has_its_expectation() -> None:
    assert len(CASES) >= 10
    for path in CASES:
        assert path.with_name(path.stem + ".expected.json").exists(), path.name


def test_a_directory_of_mixed_shapes_reads_every_file() -> None:
    read = read_local(Source(name="fixtures", location=str(FIXTURES)))
    # README.md is itself a Markdown article; every other non-JSON file is one too.
    # (.json files here are expectations, which are not status or feed documents.)
    paths = {e.path for e in read.entries}
    assert {str(p) for p in CASES} <= paths
