"""Composes intake: read and claim (``bot.intake.reading``), then classify and file.

Every function takes its collaborators (store, classifier, fetcher) as arguments;
nothing here builds a client. Digests are built in ``bot.digest.build`` and
delivered by ``bot.delivery``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.config import ChannelConfig
from bot.intake.filing import Filed, Filer
from bot.intake.reading import IngestReport, SourceReport, read_sources
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.schema import Source
from bot.sources.fetch import SafeFetcher
from bot.store import Store


@dataclass(frozen=True)
class Intelligence:
    """The classifier and the catalogue it reads entities with, built once."""

    catalog: EntityCatalog
    classifier: OutageClassifier

    @classmethod
    def load(cls) -> Intelligence:
        from bot.outage.lexicon import Lexicon
        from bot.outage.textmodel import TextModels

        catalog = EntityCatalog.load()
        return cls(catalog, OutageClassifier(catalog, Lexicon.load(), TextModels.load()))


@dataclass
class PollReport:
    ingest: IngestReport
    filed: list[Filed]

    @property
    def sources(self) -> list[SourceReport]:
        return self.ingest.sources

    @property
    def all_failed(self) -> bool:
        return self.ingest.all_failed


def ingest(
    sources: Sequence[Source],
    store: Store,
    channels: Sequence[ChannelConfig],
    now: datetime,
    intelligence: Intelligence,
    fetcher: SafeFetcher | None = None,
    *,
    force: bool = False,
    on_source: Callable[[SourceReport], None] | None = None,
) -> PollReport:
    """Read, claim, classify and file; queue changed incidents for their channels."""
    read = read_sources(sources, store, now, fetcher, force=force, on_source=on_source)
    filer = Filer(store, intelligence.classifier, intelligence.catalog)
    return PollReport(read, filer.file_unfiled(channels))
