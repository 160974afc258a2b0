"""The whole shared corpus through ingest, then the incident invariants (skipped
when ../shared/corpus is absent).

No incident's evidence spans more than the follow-up window of event time (a follow-up
attached weeks on is within four weeks after first news), no incident holds
two incidents of one status page, every incident filed is listed by
``incidents --since all``, and filing the labelled articles in another order gives
the same incidents.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.incidents.book import IncidentBook
from bot.incidents.distant import distant_gap
from bot.incidents.rules import FOLLOW_UP_WINDOW, page_of, report_time
from bot.incidents.tracker import IncidentTracker
from bot.intake.pipeline import Intelligence, ingest
from bot.schema import Article, Source
from bot.sources.article import to_article
from bot.sources.local import read_local
from bot.store import Store
from tests.conftest import corpus_dir

pytestmark = pytest.mark.corpus
NOW = datetime(2026, 12, 6, tzinfo=UTC)
EPOCH = datetime(1990, 1, 1, tzinfo=UTC)


def test_the_whole_corpus_files_into_incidents_that_keep_the_rules(store: Store) -> None:
    folders = [corpus_dir(name) for name in ("seed", "articles", "status", "feeds", "labelled")]
    sources = [Source(name=folder.name, location=str(folder)) for folder in folders]
    report = ingest(sources, store, [], NOW, Intelligence.load(), None, force=True)
    filed = {
        f.incident.id
        for f in report.filed
        if f.incident is not None and f.incident.is_outage and not f.incident.held
    }
    listed = IncidentBook(store).recent(EPOCH)
    assert len(filed) > 300
    assert {i.id for i in listed} == filed
    for incident in listed:
        times = [t for report_ in incident.evidence if (t := report_time(report_)) is not None]
        assert not times or max(times) - min(times) <= FOLLOW_UP_WINDOW, incident.title
        # A follow-up weeks on is attached: within four weeks after first news.
        for follow_up in (r for r in incident.articles if r.attached):
            assert distant_gap(incident, report_time(follow_up) or EPOCH) is not None
        pages = [page_of(thread) for thread in incident.threads]
        assert len(pages) == len(set(pages)), incident.title
    # The seed (cnBeta on AWS us-east-1, 2021-12-07) is one incident with the AWS
    # Health events of that morning and the English reports of it.
    seed = next(i for i in listed if any("cnbeta" in a.source or "seed" in a.source
                                         for a in i.articles))  # fmt: skip
    assert seed.provider == "aws" and "aws:us-east-1" in seed.regions
    assert any(a.status_page for a in seed.articles)
    assert any(a.language == "en" and not a.status_page for a in seed.articles)


def _labelled_articles() -> list[Article]:
    folder = corpus_dir("labelled")
    entries = read_local(Source(name="labelled", location=str(folder))).entries
    return [to_article(entry, NOW) for entry in entries]


def _partition(store: Store, articles: list[Article]) -> set[frozenset[str]]:
    store.redis.flushdb()
    tracker = IncidentTracker(store)
    classifier = Intelligence.load().classifier
    for article in articles:
        outage = classifier.classify(article)
        if outage.is_outage:
            tracker.file(article, outage)
    return _groups(store, articles)


def _groups(store: Store, articles: list[Article]) -> set[frozenset[str]]:
    """Articles by the incident they are filed under now (merges move them)."""
    groups: dict[str, set[str]] = {}
    for article in articles:
        if (incident := store.redis.get(store.keys.filed(article.id))) is not None:
            groups.setdefault(str(incident), set()).add(article.id)
    return {frozenset(group) for group in groups.values()}


def test_labelled_articles_make_the_same_incidents_in_any_order(store: Store) -> None:
    articles = sorted(_labelled_articles(), key=lambda a: a.published)
    assert _partition(store, articles[::-1]) == _partition(store, articles)
