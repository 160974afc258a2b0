"""The issue's quality targets, held on our written evaluation set.

benchmarks/quality.py prints the full report (and the corpus-labelled set); this
test fails when a change drops the written set below the targets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.quality import (
    EVAL,
    TARGETS,
    Item,
    articlemd_full_items,
    articlemd_items,
    corpus_items,
    evaluate,
    half_of,
    labelled_items,
    newsmd_items,
    pickermd_items,
    postmortem_items,
    written_items,
)
from bot.intake.pipeline import Intelligence
from bot.store import Store


def figures_of(items: list[Item], redis_server: object, name: str) -> dict[str, float]:
    """The benchmark's figures for ``items``, filed into a fresh Redis as the bot files them."""
    from bot.keys import Keys
    from tests.conftest import RedisServer

    server: RedisServer = redis_server  # type: ignore[assignment]
    client = server.client()
    client.flushall()
    store = Store(client, Keys(f"quality-{name}"), server.url)
    return evaluate(items, Intelligence.load(), store, show=False)


def below(figures: dict[str, float], floors: dict[str, float]) -> dict[str, float]:
    """The figures under their floor (every one of them, so a failure names them all)."""
    return {name: figures[name] for name, floor in floors.items() if figures[name] < floor}


@pytest.fixture(scope="module")
def scores(redis_server: object) -> dict[str, float]:
    return figures_of(written_items(), redis_server, "written")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_outage_classification_meets_the_targets(scores: dict[str, float], language: str) -> None:
    assert scores[f"classify.{language}.precision"] >= TARGETS["precision"]
    assert scores[f"classify.{language}.recall"] >= TARGETS["recall"]


def test_incident_clustering_meets_the_target_including_across_languages(
    scores: dict[str, float],
) -> None:
    assert scores["cluster.pairs.f1"] >= TARGETS["f1"]
    assert scores["cluster.cross-language pairs.f1"] >= TARGETS["f1"]


# What the written set has reached, above the targets: kept from sliding back.
WRITTEN_FLOORS = {
    "classify.en.recall": 1.0,
    "classify.zh.recall": 1.0,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.f1": 0.99,
    "cluster.cross-language pairs.f1": 0.98,
}


def test_the_written_set_keeps_its_figures(scores: dict[str, float]) -> None:
    assert not below(scores, WRITTEN_FLOORS)


# The corpus labels (real articles of ../shared/corpus, labelled by reference). The
# pairs still missed are Italian headlines of the CrowdStrike event, a language the
# bot does not read, and a Chinese headline that names no one ("这次造成全球瘫痪的竟是
# 安全软件"): it joined the event only while every WeChat address was read as one page
# (0.945 and 0.894 then).
CORPUS_FLOORS = {
    "classify.en.precision": 1.0,
    "classify.en.recall": 1.0,
    "classify.zh.precision": 1.0,
    "classify.zh.recall": 1.0,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.f1": 0.92,
    "cluster.cross-language pairs.f1": 0.87,
}


@pytest.mark.corpus
def test_the_corpus_labels_keep_their_figures(redis_server: object) -> None:
    from tests.conftest import corpus_dir

    corpus_dir("datasets")
    assert not below(figures_of(corpus_items(), redis_server, "corpus"), CORPUS_FLOORS)


# Measured on the test half of ../shared/corpus/labelled/ (never tuned on). Of the
# issue's targets (TARGETS) recall and clustering are reached there (clustering in session
# 31: 27 of 33 pairs, F1 0.900), and in session 34 precision: Chinese 0.973 (the Chinese
# text model), English 0.963 (banks blocking another firm's payments, a class the labelled
# README names). These floors keep them at the targets.
TEST_HALF_FLOORS = {
    "classify.en.precision": TARGETS["precision"],
    "classify.en.recall": TARGETS["recall"],
    "classify.zh.precision": TARGETS["precision"],
    "classify.zh.recall": TARGETS["recall"],
    "cluster.pairs.f1": TARGETS["f1"],
    "cluster.cross-language pairs.f1": 0.93,
}
# The dev half is what the rules are tuned on: its figures say what the rules can do
# on articles like those, not what they do on new ones (that is the test half).
DEV_HALF_FLOORS = {
    "classify.en.precision": 0.95,
    "classify.en.recall": 0.95,
    "classify.zh.precision": 0.95,
    "classify.zh.recall": 0.95,
    "cluster.pairs.f1": 0.95,
    "cluster.cross-language pairs.f1": 0.90,
}


@pytest.mark.corpus
@pytest.mark.parametrize(("half", "floors"), [("test", TEST_HALF_FLOORS), ("dev", DEV_HALF_FLOORS)])
def test_both_halves_of_the_labelled_corpus_keep_their_figures(
    redis_server: object, half: str, floors: dict[str, float]
) -> None:
    from tests.conftest import corpus_dir

    corpus_dir("labelled")
    assert not below(figures_of(labelled_items(half), redis_server, f"{half}-half"), floors)


# A second dev set of real English news (headline and standfirst only, so recall is
# lower than on whole articles): our labels of the articleMD dump's items that the
# classifier flagged or that use outage words (tests/data/eval/README.md). Most of its
# missed pairs are reports not classified as outages, or follow-ups past the window.
ARTICLEMD_FLOORS = {
    # One false alarm of the three rows added in session 26 is left: a research attack
    # that makes an iPhone "unresponsive" (a device's fault, not a service's).
    "classify.en.precision": 0.96,
    "classify.en.recall": 0.90,
    # Provider-less reports of different victims kept apart (0.04 before: outlet
    # suffixes and a ransomware gang's name were taken for shared names).
    "cluster.pairs.precision": 0.95,
}


@pytest.mark.corpus
def test_the_articlemd_labels_keep_their_figures(redis_server: object) -> None:
    from tests.conftest import corpus_dir

    corpus_dir("datasets")
    items = articlemd_items()
    assert len(items) == 184
    assert not below(figures_of(items, redis_server, "articlemd"), ARTICLEMD_FLOORS)


# Real English prose about outages, not news: the danluu post-mortem list's summaries, our
# labels (tests/data/eval/README.md). A rough measure of outage phrasing: 0.459 at session
# 26's start, tuned on in that session.
POSTMORTEM_FLOORS = {"classify.en.precision": 0.95, "classify.en.recall": 0.49}


@pytest.mark.corpus
def test_the_postmortem_list_keeps_its_figures(redis_server: object) -> None:
    from tests.conftest import corpus_dir

    corpus_dir("datasets")
    items = postmortem_items()
    assert len(items) == 184
    assert not below(figures_of(items, redis_server, "postmortems"), POSTMORTEM_FLOORS)


def test_the_picker_articles_are_read_as_ingest_reads_them_by_their_label(tmp_path: Path) -> None:
    """pickermd_labels.jsonl keeps no text: a saved article is found by its path's hash,
    read as a Markdown file (front matter's date and title), and put in its half."""
    rows = [json.loads(line) for line in (EVAL / "pickermd_labels.jsonl").read_text().splitlines()]
    assert rows and all(re.fullmatch(r"[0-9a-f]{16}", row["path_sha"]) for row in rows)
    assert all(("incident" in row) == row["is_outage"] for row in rows)
    fields = {"path_sha", "day", "lang", "is_outage", "incident"}
    assert {key for row in rows for key in row} <= fields
    row = next(row for row in rows if row["is_outage"])
    (tmp_path / f"{row['path_sha']}.md").write_text(
        f"---\ntitle: Example Cloud outage takes down sites\ndate: {row['day']}\n---\n\n"
        "Sites on Example Cloud failed to load for two hours.\n",
        encoding="utf-8",
    )
    item = _the_one_item_in_its_half(pickermd_items, tmp_path, row["incident"])
    assert item.incident == row["incident"] and item.is_outage
    assert item.article.title == "Example Cloud outage takes down sites"
    assert item.article.published.date().isoformat() == row["day"]


def _the_one_item_in_its_half(
    read: Callable[[Path, str], list[Item]], directory: Path, incident: str
) -> Item:
    """The one saved article, read into the half of its incident; none in the other half
    or from a folder that is absent."""
    half = half_of(incident)
    (item,) = read(directory, half)
    assert read(directory, "test" if half == "dev" else "dev") == []
    assert read(directory / "absent", half) == []
    return item


def test_the_newsmd_articles_are_read_whole_as_ingest_reads_them(tmp_path: Path) -> None:
    """newsmd reads a labelled article saved as <file_sha>.md, in one set (not split)."""
    rows = [json.loads(line) for line in (EVAL / "newsmd_labels.jsonl").read_text().splitlines()]
    assert len(rows) == len({row["file_sha"] for row in rows}) == 46
    row = next(row for row in rows if row["is_outage"])
    (tmp_path / f"{row['file_sha']}.md").write_text(
        f"---\ntitle: Example Cloud outage takes down sites\ndate: {row['day']}\n---\n\n"
        "Sites on Example Cloud failed to load for two hours on Tuesday.\n",
        encoding="utf-8",
    )
    (item,) = newsmd_items(tmp_path)
    assert item.incident == row["incident"] and item.is_outage
    assert item.article.title == "Example Cloud outage takes down sites"
    assert item.article.published.date().isoformat() == row["day"]
    assert "two hours" in item.article.text
    assert newsmd_items(tmp_path / "absent") == []


def test_the_articlemd_rows_are_read_whole_as_ingest_reads_them(tmp_path: Path) -> None:
    """articlemd-full reads a labelled row's articleMD file, saved as <row id>.md: the
    headline, the "+ Date:" line and the body, in the row's half (by its incident)."""
    rows = [json.loads(line) for line in (EVAL / "articlemd_labels.jsonl").read_text().splitlines()]
    row = next(row for row in rows if row["is_outage"])
    (tmp_path / f"{row['id']}.md").write_text(
        "# Example Cloud outage takes down sites\n### Sites failed to load.\n\n"
        "## Information:\n+ Source: Example\n+ Link: https://example.com/a\n"
        "+ Date: 2021-11-02 10:00:00\n\n\n## Article:\n"
        "Sites on Example Cloud failed to load for two hours on Tuesday.\n",
        encoding="utf-8",
    )
    item = _the_one_item_in_its_half(articlemd_full_items, tmp_path, row["incident"])
    assert item.incident == row["incident"] and item.is_outage
    assert item.article.title == "Example Cloud outage takes down sites"
    assert item.article.published.date().isoformat() == "2021-11-02"
    assert "two hours" in item.article.text
