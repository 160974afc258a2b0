"""A flooding source: capped per poll, newest first, and nothing claimed is ever lost.

Local feed files and the real test Redis; the caps are lowered so the flood is
small enough to be quick (the mechanism does not depend on their size).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot.dedupe.claims
import bot.intake.reading
from bot.intake.pipeline import ingest
from bot.intake.reading import read_sources
from bot.schema import Source
from bot.store import Store
from tests.slack_app_kit import INTELLIGENCE

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
OUTAGE = ("AWS outage: us-east-1 suffers elevated error rates",
          "Amazon Web Services said EC2 and S3 in us-east-1 returned elevated error rates "
          "for three hours on Friday before engineers restored service.")  # fmt: skip


def _feed(path: Path, items: list[tuple[str, str, datetime]]) -> Source:
    body = "".join(
        f"<item><title>{title}</title><link>https://news.test/{path.stem}/{n}</link>"
        f"<guid>https://news.test/{path.stem}/{n}</guid>"
        f"<pubDate>{when:%a, %d %b %Y %H:%M:%S} GMT</pubDate>"
        f"<description>{text}</description></item>"
        for n, (title, text, when) in enumerate(items)
    )
    path.write_text(f"<rss version='2.0'><channel><title>{path.stem}</title>{body}</channel></rss>")
    return Source(name=path.stem, location=str(path))


def _flood(tmp_path: Path, count: int) -> Source:
    items = [(f"Promotion {n}", f"Spam item number {n} with its own text.",
              NOW - timedelta(minutes=count - n)) for n in range(count)]  # fmt: skip
    return _feed(tmp_path / "flood.xml", items)


def test_a_flood_is_read_over_several_polls_newest_first(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.intake.reading, "MAX_NEW_PER_POLL", 100)
    flood = _flood(tmp_path, 350)
    first = read_sources([flood], store, NOW).sources[0]
    assert (first.new, first.deferred) == (100, 250)
    assert any("left for the next poll" in w for w in first.warnings)
    newest = {a.title for a in read_sources([flood], store, NOW).new_articles}
    assert "Promotion 249" in newest and "Promotion 149" not in newest
    totals = [read_sources([flood], store, NOW).sources[0].new for _ in range(3)]
    assert totals == [100, 50, 0]  # 350 in all, each exactly once
    assert store.redis.zcard(store.keys.unfiled()) == 350


def test_a_flood_never_displaces_another_sources_outage(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.intake.reading, "MAX_NEW_PER_POLL", 200)
    monkeypatch.setattr(bot.dedupe.claims, "UNFILED_MAX", 300)
    flood = _flood(tmp_path, 1000)
    # Older than every flood item: the old trim by publication date dropped it first.
    news = _feed(tmp_path / "news.xml", [(*OUTAGE, NOW - timedelta(days=1))])
    report = ingest([flood, news], store, (), NOW, INTELLIGENCE)
    assert report.sources[1].new == 1
    assert any(f.incident is not None for f in report.filed if "AWS" in f.article.title)


def test_a_full_filing_queue_defers_instead_of_dropping(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.dedupe.claims, "UNFILED_MAX", 5)
    flood = _flood(tmp_path, 8)
    news = _feed(tmp_path / "news.xml", [(*OUTAGE, NOW - timedelta(days=1))])
    report = read_sources([flood, news], store, NOW)
    assert [(s.new, s.deferred) for s in report.sources] == [(5, 3), (0, 1)]
    assert any("filing queue is full" in w for w in report.sources[1].warnings)
    # Filing drains the queue; the deferred items are still new, not "seen".
    store.redis.delete(store.keys.unfiled())
    again = read_sources([flood, news], store, NOW)
    assert [(s.new, s.deferred) for s in again.sources] == [(3, 0), (1, 0)]
