"""Reading sources and claiming what is new (the first half of a poll).

Claimed articles are stored and put on the "unfiled" list in the same atomic
step; ``bot.intake.filing`` then classifies them and files them into incidents. A
failing source or entry is logged, reported and skipped, so one bad feed never
stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from redis import RedisError

from bot.dedupe.claims import Claim, Deduper
from bot.errors import ExtractError, FetchError, SourceError, StoreError
from bot.ops import metrics
from bot.schema import Article, Entry, Source
from bot.sources.article import to_article
from bot.sources.fetch import SafeFetcher
from bot.sources.health import SourceStates
from bot.sources.local import is_url, read_local
from bot.sources.page import parse_page
from bot.sources.reader import Document, parse_document
from bot.store import Store

log = logging.getLogger(__name__)

# Failures of our own state, not of a source: they stop the run (see bot.errors),
# because recording anything per source needs Redis too.
_NOT_A_SOURCE_FAILURE = (RedisError, StoreError, MemoryError)

# Feed items shorter than this are excerpts: the linked page is fetched for the
# full text (at most MAX_PAGE_FETCHES per source per poll, to stay polite).
TEASER_CHARS = 400
MAX_PAGE_FETCHES = 20
# New items taken from one source in one poll, newest first: a feed of 100,000
# items is read over many polls instead of crowding out every other source (and
# filing) in one. The rest stay unseen and are read next time.
MAX_NEW_PER_POLL = 2_000
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


@dataclass
class SourceReport:
    name: str
    entries: int = 0
    new: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    deferred: int = 0  # new items left for the next poll (per-poll cap, full queue)
    not_modified: bool = False  # the server said 304: nothing to read
    skipped_until: datetime | None = None  # backing off after failures


@dataclass
class IngestReport:
    sources: list[SourceReport] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return bool(self.sources) and all(s.error for s in self.sources)


def read_sources(
    sources: Sequence[Source],
    store: Store,
    now: datetime,
    fetcher: SafeFetcher | None = None,
    *,
    force: bool = False,
    on_source: Callable[[SourceReport], None] | None = None,
) -> IngestReport:
    """Read every source; claim what is new. Never raises for one bad source.

    URL sources need ``fetcher``; they are skipped while backing off unless ``force``.
    ``on_source`` hears each source's report as soon as that source is done
    (progress for a person watching a long ingest).
    """
    deduper = Deduper(store)
    states = SourceStates(store)
    report = IngestReport()
    for source in sources:
        source_report = SourceReport(source.name)
        report.sources.append(source_report)
        _read_and_claim(source, states, deduper, fetcher, now, force, source_report, report)
        if on_source is not None:
            on_source(source_report)
    return report


def _read_and_claim(
    source: Source,
    states: SourceStates,
    deduper: Deduper,
    fetcher: SafeFetcher | None,
    now: datetime,
    force: bool,
    source_report: SourceReport,
    report: IngestReport,
) -> None:
    """One source: read, claim, count; its failure is recorded in its report, never raised."""
    try:
        read = _read(source, states, fetcher, now, force, source_report)
        if read is None:
            return
        source_report.warnings.extend(read.entries_warnings)
        new = _claim_new(source, read.entries, deduper, fetcher, now, source_report)
    except _NOT_A_SOURCE_FAILURE:
        raise
    except Exception as exc:  # anything one source does is that source's error
        _record_source_failure(source, exc, states, now, source_report)
        return
    report.new_articles.extend(new)
    metrics.ARTICLES_READ.inc(source_report.entries)
    metrics.ARTICLES_NEW.inc(len(new))
    # Path sources too: `outage-bot sources` shows when each was last read.
    states.record_success(source.name, now, new=len(new), etag=read.etag,
                          last_modified=read.last_modified)  # fmt: skip


def _record_source_failure(
    source: Source, exc: Exception, states: SourceStates, now: datetime, report: SourceReport
) -> None:
    """One line in the log and one in the source's health; the poll goes on."""
    if isinstance(exc, (SourceError, FetchError)):
        why = exc.why
        log.warning("source %s failed: %s", source.name, why)
    else:
        # Not an error we raise on purpose: a parser or library bug the source
        # triggered. The traceback is logged (once) for whoever fixes it.
        why = f"unexpected {type(exc).__name__} while reading: {str(exc)[:300]}"
        log.error("source %s failed: %s", source.name, why, exc_info=exc)
    report.error = why
    if is_url(source.location):
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        states.record_failure(source.name, now, why, retry_after=retry_after)


@dataclass
class _Read:
    entries: list[Entry]
    entries_warnings: list[str]
    etag: str | None = None
    last_modified: str | None = None


def _read(
    source: Source,
    states: SourceStates,
    fetcher: SafeFetcher | None,
    now: datetime,
    force: bool,
    report: SourceReport,
) -> _Read | None:
    if not is_url(source.location):
        local = read_local(source)
        return _Read(local.entries, local.warnings)
    if fetcher is None:
        raise SourceError(source.name, "URL sources need network access (no fetcher configured)")
    health = states.get(source.name)
    if not force and not health.due(now):
        report.skipped_until = health.next_attempt
        return None
    result = fetcher.fetch(source.location, etag=health.etag, last_modified=health.last_modified)
    if result.not_modified:
        report.not_modified = True
        states.record_success(source.name, now, new=0)
        return None
    document = Document(result.data, source.location, result.content_type)
    parsed = parse_document(document, source.name, source.kind)
    return _Read(parsed.entries, parsed.warnings, result.etag, result.last_modified)


def _claim_new(
    source: Source,
    entries: list[Entry],
    deduper: Deduper,
    fetcher: SafeFetcher | None,
    now: datetime,
    report: SourceReport,
) -> list[Article]:
    report.entries = len(entries)
    if source.language:
        entries = [e if e.language else e.model_copy(update={"language": source.language})
                   for e in entries]  # fmt: skip
    new: list[Article] = []
    candidates: list[Article] = []
    page_fetches = 0
    unknown = [e for e, known in zip(entries, deduper.known(entries), strict=True) if not known]
    if len(unknown) > MAX_NEW_PER_POLL:
        # Undated items become "now" when read, so they count as the newest.
        unknown.sort(key=lambda e: e.published or now, reverse=True)
        report.deferred = len(unknown) - MAX_NEW_PER_POLL
        unknown = unknown[:MAX_NEW_PER_POLL]
    for entry in unknown:
        try:
            article = to_article(entry, now)
        except _NOT_A_SOURCE_FAILURE:
            raise
        except Exception as exc:  # one bad item is that item's problem
            report.warnings.append(f"entry {entry.title[:200]!r} skipped: {_reason(exc)}")
            continue
        # Only for feeds read over the network: local files are fixtures or mirrors,
        # and reading one should never make the bot go out to the web.
        remote = fetcher is not None and is_url(source.location)
        if remote and is_teaser(article) and page_fetches < MAX_PAGE_FETCHES:
            assert fetcher is not None  # noqa: S101 - narrowed above, for mypy
            page_fetches += 1
            article = _with_full_page(article, entry, fetcher, now, report)
        candidates.append(article)
    full = 0
    for article, claim in zip(candidates, deduper.claim_batch(candidates), strict=True):
        if claim is Claim.NEW:
            report.new += 1
            new.append(article)
        elif claim is Claim.DEFERRED:
            full += 1
    report.deferred += full
    if report.deferred:
        why = f"at most {MAX_NEW_PER_POLL:,} per poll" if not full else "the filing queue is full"
        report.warnings.append(
            f"{report.deferred:,} new items left for the next poll ({why}; nothing is lost)"
        )
    return new


def is_teaser(article: Article) -> bool:
    """A feed item that carries only an excerpt: short text and a web link."""
    return (
        article.status is None
        and len(article.text) < TEASER_CHARS
        and article.url.startswith(("http://", "https://"))
    )


def _with_full_page(
    article: Article, entry: Entry, fetcher: SafeFetcher, now: datetime, report: SourceReport
) -> Article:
    """The article with the linked page's text; the teaser when the page fails."""
    try:
        result = fetcher.fetch(article.url, accept=PAGE_ACCEPT)
        page = parse_page(result.data, entry.source, result.url, result.content_type)
        # The feed's identity, title and time stay; only the body comes from the page.
        fuller = entry.model_copy(update={"html": page.html})
        return to_article(fuller, now)
    except _NOT_A_SOURCE_FAILURE:
        raise
    except Exception as exc:  # a hostile page costs only its own text
        report.warnings.append(f"kept the teaser of {article.url}: {_reason(exc)}")
        return article


def _reason(exc: Exception) -> str:
    if isinstance(exc, (SourceError, FetchError, ExtractError)):
        return exc.why
    return f"{type(exc).__name__}: {str(exc)[:300]}"
