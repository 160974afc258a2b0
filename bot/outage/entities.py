"""Which providers, cloud regions and downstream brands an outage article names.

The catalogue is data (bot/data/*.toml, described in bot/data/README.md):
``bot.outage.catalog`` reads and checks it, ``bot.outage.patterns`` compiles it once
into two regular expressions, and this module reads articles with them.

Matching, in brief:

* Case is ignored except for case-sensitive aliases ("Slack", "Meta"), which must
  also stand as words of their own rather than half of a hyphenated one
  ("Meta-analysis"). Full-width forms match their ASCII twins ("ＡＷＳ",
  "华东1（杭州）" = "华东1(杭州)").
* An alias that starts or ends with a Latin letter or digit needs a word boundary
  there ("AWS" is not in "LAWSUIT"); Chinese characters do not count as word
  characters, so "平台Slack" still names Slack. Chinese aliases match anywhere.
* Spaces, hyphens and underscores between letters and digits are interchangeable
  ("us-east-1", "US EAST 1", "us_east_1"), and optional where Latin meets Chinese
  or punctuation ("亚马逊 AWS", "N.Virginia").
* The longest alias wins at each position, across all three catalogues: "Google
  Cloud" is GCP rather than Google, "京东云" JD Cloud rather than the JD shop.
* Web addresses are skipped: share buttons and image links would otherwise name
  every social network on the page.

Regions are resolved against the providers of the same article: a place ("Tokyo",
"北京") only counts for a provider the article names, and a code or console name
that several providers share goes to the most salient of them, else to the region
marked preferred, else nowhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NamedTuple

# The catalogue files are read and checked in bot.outage.catalog, their aliases
# compiled in bot.outage.patterns; the names other modules import from here stay here.
from bot.outage.catalog import (
    PROVIDERS_FILE,
    REGIONS_FILE,
    SERVICES_FILE,
    CatalogError,
    Provider,
    ProviderKind,
    Region,
    Service,
    read_catalogue,
)
from bot.outage.patterns import Alias, alias_table
from bot.outage.text import ADDRESS, ADDRESS_MARKS, alias_key, fold, lower, skip_address

__all__ = [
    "PROVIDERS_FILE",
    "REGIONS_FILE",
    "SERVICES_FILE",
    "CatalogError",
    "Entities",
    "EntityCatalog",
    "Provider",
    "ProviderKind",
    "Region",
    "Service",
]

# Matched text spelled differently from its key ("Amazon Web Services", "US EAST 1")
# is looked up through a memo; this bounds it, as only odd spellings make it grow.
_RESPELT_LIMIT = 4096


@dataclass(frozen=True)
class Entities:
    """What one article is about, most salient first."""

    providers: tuple[str, ...]  # provider ids
    regions: tuple[str, ...]  # region keys such as "aws:us-east-1"
    affected: tuple[str, ...]  # brand display names, in order of first mention
    # What the headline or its lead names (providers also by a region of theirs): what
    # the article is about. One named only further down is background ("weeks after the
    # Cloudflare outage", a gang's earlier victim).
    providers_in_lead: frozenset[str] = frozenset()
    affected_in_lead: frozenset[str] = frozenset()

    def in_lead(self) -> Entities:
        """The providers and brands the headline or lead names (regions as they are)."""
        return Entities(
            providers=tuple(p for p in self.providers if p in self.providers_in_lead),
            regions=self.regions,
            affected=tuple(a for a in self.affected if a in self.affected_in_lead),
            providers_in_lead=self.providers_in_lead,
            affected_in_lead=self.affected_in_lead,
        )


# --- The catalogue -----------------------------------------------------------------


class _Hit(NamedTuple):
    # A tuple rather than a dataclass: an article makes dozens and creating them shows.
    alias: Alias
    start: int  # in title-then-text coordinates
    in_title: bool
    end: int

    def in_headline_or_lead(self, lead_end: int) -> bool:
        return self.in_title or self.start < lead_end


# In a headline that names two providers, the one that failed is the one named as the
# cause ("Microsoft 365 outage caused by Azure"), else the one next to the failure
# ("Google Cloud outage takes down Discord", "谷歌云故障导致…"), not the one it took down,
# however often the body names that. (Not "after": "Azure down a week after AWS outage"
# names last week's outage as background.)
_FAILURE_AFTER = re.compile(
    r"\s*(?:['’]s\s+)?(?:\w+\s+)?(?:outages?|failures?|disruptions?|meltdown|glitch|down|offline"
    r"|(?:is|was|goes|went|suffers|fails)\b|故障|宕机|中断|崩|瘫痪|挂了)",
    re.IGNORECASE,
)
_TITLE_NAMES_READ = 12
_CAUSE_CHARS = 24  # "caused by an " and the like, right before the name
_LIST_JOIN = re.compile(r"\s*(?:,|and|&|/|、|，|和|与|及)\s*", re.IGNORECASE)
_CAUSE_BEFORE = re.compile(
    r"(?:caused by|due to|because of|blamed on|traced to)\s+(?:an?\s+|the\s+)?$|(?:因|由于)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, eq=False, repr=False)
class EntityCatalog:
    """Providers, regions and brands, compiled for matching. Build with ``load``."""

    providers: Mapping[str, Provider]
    regions: Mapping[str, Region]
    services: Mapping[str, Service]
    _words: re.Pattern[str]  # aliases that start with a Latin letter or digit
    _others: re.Pattern[str]  # aliases that start with anything else (Chinese)
    _aliases: Mapping[str, tuple[Alias, ...]]  # by lowercase key
    _provider_lookup: Mapping[str, str]  # lowercase key of any provider name → id
    _parts: Mapping[str, frozenset[str]]  # provider id → keys of its own brands
    _no_evidence: frozenset[str]  # names of brands that are no sign of outage news
    _respelt: dict[str, tuple[Alias, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path | None = None) -> EntityCatalog:
        """The catalogue in ``directory``, or the packaged one (read once per process)."""
        if directory is None:
            return _packaged()
        return cls._build(directory)

    @classmethod
    def _build(cls, source: Traversable | Path) -> EntityCatalog:
        files = read_catalogue(source)
        table = alias_table(files)
        lookup: dict[str, str] = {}
        for pid, p in files.provider_entries.items():
            for name in (pid, p.name, *p.aliases, *p.case_sensitive_aliases):
                lookup.setdefault(alias_key(lower(fold(name))), pid)
        parts: dict[str, set[str]] = {}
        for service in files.services.values():
            if service.provider is not None:
                parts.setdefault(service.provider, set()).add(service.key)
        return cls(
            providers=files.providers,
            regions=files.regions,
            services=files.services,
            _words=table.compile(words=True),
            _others=table.compile(words=False),
            _aliases=table.meanings(),
            _provider_lookup=lookup,
            _parts={pid: frozenset(keys) for pid, keys in parts.items()},
            _no_evidence=frozenset(s.name for s in files.services.values() if not s.evidence),
        )

    def __repr__(self) -> str:
        # The compiled patterns run to tens of kilobytes: not something to print.
        counts = f"{len(self.providers)} providers, {len(self.regions)} regions"
        return f"EntityCatalog({counts}, {len(self.services)} services)"

    # --- Queries ----------------------------------------------------------------------

    def provider_ids(self) -> frozenset[str]:
        return frozenset(self.providers)

    def provider_name(self, provider_id: str) -> str:
        try:
            return self.providers[provider_id].name
        except KeyError:
            raise KeyError(f"unknown provider {provider_id!r}") from None

    def region_label(self, region_key: str) -> str:
        """How a region is written for people: the provider's own code ("us-east-1")."""
        try:
            return self.regions[region_key].code
        except KeyError:
            raise KeyError(f"unknown region {region_key!r}") from None

    def find_provider(self, query: str) -> str | None:
        """The provider id that ``query`` names: any alias, id or name, in any case."""
        return self._provider_lookup.get(alias_key(lower(fold(query))))

    def cloud_of(self, provider_id: str) -> str | None:
        """The cloud platform of a company (gcp for google), if the catalogue says."""
        provider = self.providers.get(provider_id)
        return provider.cloud if provider else None

    def is_upstream(self, provider_id: str) -> bool:
        """Others run on it (a cloud, a CDN, a security agent): its outages take
        other companies' services down with them."""
        provider = self.providers.get(provider_id)
        return provider is not None and provider.kind in UPSTREAM_KINDS

    def family(self, provider_id: str) -> tuple[str, ...]:
        """Providers that are one subject with ``provider_id``: a company and its cloud,
        either way round (google ↔ gcp, microsoft365 ↔ azure)."""
        cloud = self.cloud_of(provider_id)
        owners = tuple(p.id for p in self.providers.values() if p.cloud == provider_id)
        return ((cloud,) if cloud else ()) + owners

    def is_evidence(self, entities: Entities) -> bool:
        """Whether what an article names is a sign of outage news: a provider, or a
        brand that is not in the news for many other reasons (``Service.evidence``)."""
        return bool(entities.providers) or any(
            name not in self._no_evidence for name in entities.affected
        )

    def services_of(self, provider_id: str) -> frozenset[str]:
        """Keys of the brands that are part of a provider (Instagram for meta)."""
        return self._parts.get(provider_id, frozenset())

    # --- Extraction -------------------------------------------------------------------

    def extract(self, title: str, text: str) -> Entities:
        hits = [*self._scan(title, 0, in_title=True), *self._scan(text, len(title) + 1)]
        lead_end = len(title) + 1 + SALIENT_LEAD_CHARS
        named = [h for h in hits if h.alias.catalogue == "provider"]
        providers = _by_salience(named, lead_end, _failed_in_title(title, named))
        region_hits = self._region_hits(
            [h for h in hits if h.alias.catalogue == "region"], providers
        )
        regions = _by_salience(region_hits, lead_end)
        providers_in_lead = {
            h.alias.target
            if h.alias.catalogue == "provider"
            else self.regions[h.alias.target].provider
            for h in (*named, *region_hits)
            if h.in_headline_or_lead(lead_end)
        }
        # A brand of the article's own subject is the outage, not a casualty of it.
        own = self.services_of(providers[0]) if providers else frozenset()
        affected: dict[str, None] = {}
        affected_in_lead: set[str] = set()
        for hit in hits:
            if hit.alias.catalogue == "service" and hit.alias.target not in own:
                name = self.services[hit.alias.target].name
                affected.setdefault(name)
                if hit.in_headline_or_lead(lead_end):
                    affected_in_lead.add(name)
        return Entities(
            providers=providers,
            regions=regions,
            affected=tuple(affected),
            providers_in_lead=frozenset(providers_in_lead),
            affected_in_lead=frozenset(affected_in_lead),
        )

    def own_brands(self, provider_id: str, title: str, text: str) -> tuple[str, ...]:
        """Display names of ``provider_id``'s own brands the text names (Instagram and
        WhatsApp in a Meta outage story), in order of first mention: what ``extract``
        leaves out of ``affected`` because, for that subject, they are the outage."""
        own = self.services_of(provider_id)
        named: dict[str, None] = {}
        for hit in (*self._scan(title, 0, in_title=True), *self._scan(text, len(title) + 1)):
            if hit.alias.catalogue == "service" and hit.alias.target in own:
                named.setdefault(self.services[hit.alias.target].name)
        return tuple(named)

    def _scan(self, text: str, offset: int, *, in_title: bool = False) -> Iterator[_Hit]:
        lowered = lower(text)
        if any(mark in lowered for mark in ADDRESS_MARKS):
            lowered = ADDRESS.sub(skip_address, lowered)
        for start, end in self._spans(lowered):
            found = lowered[start:end]
            # Most matches are spelled exactly like their key and need no work.
            aliases = self._aliases.get(found)
            if aliases is None:
                aliases = self._respelt.get(found)
                if aliases is None:
                    aliases = self._aliases.get(alias_key(fold(found)), ())
                    if len(self._respelt) < _RESPELT_LIMIT:
                        self._respelt[found] = aliases
            for alias in aliases:
                if alias.case_sensitive and not _written_as(alias, text, start, end):
                    continue
                yield _Hit(alias, offset + start, in_title, offset + end)

    def _spans(self, lowered: str) -> list[tuple[int, int]]:
        """Where aliases occur: the longest at each place, none overlapping."""
        # Each match of the first pattern starts with the character before its alias,
        # which the leading space supplies for the very first word.
        spans = [(m.start(), m.end() - 1) for m in self._words.finditer(" " + lowered)]
        if lowered.isascii():
            return spans  # nothing else can occur
        others = [m.span() for m in self._others.finditer(lowered)]
        if not spans or not others:
            return spans or others
        merged: list[tuple[int, int]] = []
        for span in sorted(spans + others, key=lambda s: (s[0], -s[1])):
            if not merged or span[0] >= merged[-1][1]:
                merged.append(span)
        return merged

    def _region_hits(self, hits: list[_Hit], providers: tuple[str, ...]) -> list[_Hit]:
        """The region each region match means, if any."""
        rank = {pid: i for i, pid in enumerate(providers)}
        by_start: dict[int, list[_Hit]] = {}
        for hit in hits:
            by_start.setdefault(hit.start, []).append(hit)
        # The hits of one match are the regions its name may mean: keep one at most.
        chosen = (self._choose_region(group, rank) for group in by_start.values())
        return [hit for hit in chosen if hit is not None]

    def _choose_region(self, group: list[_Hit], rank: Mapping[str, int]) -> _Hit | None:
        def owner(hit: _Hit) -> str:
            return self.regions[hit.alias.target].provider

        named = [h for h in group if owner(h) in rank]
        if named:
            return min(named, key=lambda h: rank[owner(h)])
        # None of the article's providers owns it: a place means nothing on its own,
        # a code or console name only when it is unambiguous or one region claims it.
        standalone = [h for h in group if not h.alias.place]
        if len({h.alias.target for h in standalone}) == 1:
            return standalone[0]
        preferred = [h for h in standalone if self.regions[h.alias.target].preferred]
        return preferred[0] if len(preferred) == 1 else None


def _written_as(alias: Alias, text: str, start: int, end: int) -> bool:
    """Whether a case-sensitive alias appears as written and as a word of its own."""
    written = text[start:end]
    if written != alias.text and alias_key(fold(written)) != alias.written:
        return False
    # "Meta-analysis", "non-Slack": a hyphen makes a common word part of another.
    before = fold(text[max(0, start - 2) : start])
    after = fold(text[end : end + 2])
    return not (
        (len(before) == 2 and before[1] == "-" and before[0].isalpha())
        or (len(after) == 2 and after[0] == "-" and after[1].isalpha())
    )


# How much of the text after the title counts as its lead for salience.
SALIENT_LEAD_CHARS = 300
UPSTREAM_KINDS = frozenset({"cloud", "cdn", "security"})


def _failed_in_title(title: str, hits: list[_Hit]) -> set[str]:
    """The providers a headline names as the cause of the failure, else those it puts
    next to the failure; a list of them shares it ("Akamai and Fastly down")."""
    # A hostile headline may name thousands: the first names are the headline's subject.
    in_title = [hit for hit in hits if hit.in_title][:_TITLE_NAMES_READ]
    caused = {
        hit.alias.target
        for hit in in_title
        if _CAUSE_BEFORE.search(title[max(0, hit.start - _CAUSE_CHARS) : hit.start])
    }
    if caused:
        return caused
    failed: set[str] = set()
    # From the last name back: a name listed before a failed one failed with it.
    failed_next = False
    for i in range(len(in_title) - 1, -1, -1):
        hit = in_title[i]
        listed = i + 1 < len(in_title) and bool(
            _LIST_JOIN.fullmatch(title[hit.end : in_title[i + 1].start])
        )
        failed_next = bool(_FAILURE_AFTER.match(title, hit.end)) or (listed and failed_next)
        if failed_next:
            failed.add(hit.alias.target)
    return failed


def _by_salience(
    hits: Iterable[_Hit], lead_end: int, failed: frozenset[str] | set[str] = frozenset()
) -> tuple[str, ...]:
    """Targets ordered by what the article is about: named in the title first (those
    the title says ``failed`` before the others), then in the lead, then most mentions,
    then earliest. Background further down ("a week after last week's AWS outage") does
    not outrank the lead's subject."""
    in_title: dict[str, bool] = {}
    in_lead: dict[str, bool] = {}
    mentions: dict[str, int] = {}
    first: dict[str, int] = {}
    for hit in hits:
        target = hit.alias.target
        in_title[target] = in_title.get(target, False) or hit.in_title
        in_lead[target] = in_lead.get(target, False) or hit.start < lead_end
        mentions[target] = mentions.get(target, 0) + (not hit.in_title)
        first.setdefault(target, hit.start)
    return tuple(
        sorted(
            first,
            key=lambda t: (
                not in_title[t],
                t not in failed,
                not in_lead[t],
                -mentions[t],
                first[t],
            ),
        )
    )


@functools.cache
def _packaged() -> EntityCatalog:
    return EntityCatalog._build(resources.files("bot") / "data")
