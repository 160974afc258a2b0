"""Which providers, cloud regions and downstream brands an outage article names.

The catalogue is data (bot/data/*.toml, described in bot/data/README.md); this
module compiles it once into two regular expressions and reads articles with them.

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
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

ProviderKind = Literal[
    "cloud", "cdn", "saas", "security", "social", "payments", "gaming", "consumer"
]
_Catalogue = Literal["provider", "region", "service"]

PROVIDERS_FILE = "providers.toml"
REGIONS_FILE = "regions.toml"
SERVICES_FILE = "services.toml"

# Ids, codes and slugs: lowercase words joined by single hyphens ("fly-io", "us-east-1").
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# --- Text normalisation --------------------------------------------------------------
#
# Articles are only lowercased (one fast C call) and, in the rare text that has
# them, cleared of full-width letters and digits. Full-width punctuation is common
# in Chinese and is left alone: the compiled patterns accept "（" for "(" instead,
# and only the few matched strings are folded completely.

# Full-width forms (U+FF01..U+FF5E) sit at a fixed offset from ASCII. Typographic
# apostrophes fold with them: news writes "Amazon’s cloud" more often than not.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\u2018\u2019]")
_APOSTROPHES = "\u2018\u2019"
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDTH_OFFSET = 0xFEE0
# For the rare text whose str.lower() changes length (U+0130 "İ" becomes two
# characters): positions in the text and its lowercase form must stay aligned.
_NARROW_LOWER = str.maketrans(
    {c: c + 32 for c in range(0x41, 0x5B)} | {c: c + 32 for c in range(0xFF21, 0xFF3B)}
)

# Addresses are not mentions. Only ASCII runs are skipped: Chinese text often
# continues straight after a link without a space.
_ADDRESS = re.compile(r"(?:https?://|ftp://|www\.|data:)[!-~]+")
_ADDRESS_MARKS = ("://", "www.", "data:")

_SEPARATOR_CHARS = "-_\u2010\u2011\u2012\u2013\u2014\uff0d\uff3f"
_SEP_CLASS = r"[\s\-_\u2010-\u2014\uff0d\uff3f]"  # \s covers the ideographic space
_SEP_RUN = re.compile(_SEP_CLASS + "+")
# Once runs are collapsed to "-", a separator counts only between two ASCII
# letters or digits; anywhere else it is optional and left out of keys.
_LOOSE_SEP = re.compile(r"(?<![0-9A-Za-z])-|-(?![0-9A-Za-z])")
_REQUIRED_SEP = _SEP_CLASS + "+"
_OPTIONAL_SEP = _SEP_CLASS + "*"

# Word characters are ASCII (the text is lowercased); Chinese characters are
# deliberately not among them. An alias that starts with a letter or digit is
# searched for together with the character before it (the text gets a leading
# space for the first word): the engine can then jump between non-word
# characters instead of trying every position, about twice as fast as a
# look-behind.
_BEFORE_WORD = "[^0-9a-z_](?=[0-9a-z])"
_AFTER_WORD = "(?![0-9a-z_])"
# A region code may carry one more letter, so availability zones ("us-east-1a")
# count for their region; "us-east-10" still does not.
_AFTER_ZONE = "(?![0-9_]|[a-z][0-9a-z_])"

# Matched text spelled differently from its key ("Amazon Web Services", "US EAST 1")
# is looked up through a memo; this bounds it, as only odd spellings make it grow.
_RESPELT_LIMIT = 4096


def _half_width(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\u3000":
        return " "
    return "'" if char in _APOSTROPHES else chr(ord(char) - _WIDTH_OFFSET)


def _fold(text: str) -> str:
    """Full-width forms as ASCII. Meant for aliases and matches, not whole articles."""
    return _FULL_WIDTH.sub(_half_width, text)


def _lower(text: str) -> str:
    """Lowercase with ASCII letters and digits for full-width ones, same length."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_NARROW_LOWER)
    if lowered.isascii() or not _FULL_WIDTH_ALNUM.search(lowered):
        return lowered
    return _FULL_WIDTH_ALNUM.sub(_half_width, lowered)


def _key(folded: str) -> str:
    """The form that every spelling of one alias shares: separators normalised."""
    return _LOOSE_SEP.sub("", _SEP_RUN.sub("-", folded.strip()))


def _skip_address(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _char_class(char: str) -> int:
    if _is_word(char):
        return 0
    return 1 if char.isalpha() else 2  # Chinese (and other scripts); punctuation


def _literal(char: str) -> str:
    if "!" <= char <= "~" and not char.isalnum():
        twins = chr(ord(char) + _WIDTH_OFFSET) + (_APOSTROPHES if char == "'" else "")
        return f"[{re.escape(char)}{twins}]"  # "(" also matches "（"
    return re.escape(char)


def _units(alias: str) -> list[str]:
    """Pattern pieces for one folded, lowercased alias: its characters and the gaps."""
    units: list[str] = []
    previous = ""
    gap = False
    for char in alias:
        if char.isspace() or char in _SEPARATOR_CHARS:
            gap = True
            continue
        if previous:
            tight = _is_word(previous) and _is_word(char)
            if gap:
                units.append(_REQUIRED_SEP if tight else _OPTIONAL_SEP)
            elif not tight and (
                _char_class(previous) != _char_class(char) or _char_class(char) == 2
            ):
                units.append(_OPTIONAL_SEP)
        units.append(_literal(char))
        previous, gap = char, False
    return units


# --- Public values ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entities:
    """What one article is about, most salient first."""

    providers: tuple[str, ...]  # provider ids
    regions: tuple[str, ...]  # region keys such as "aws:us-east-1"
    affected: tuple[str, ...]  # brand display names, in order of first mention


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: ProviderKind


@dataclass(frozen=True)
class Region:
    key: str  # "<provider>:<code>"
    code: str
    provider: str
    preferred: bool  # wins names it shares when the article names no owner


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    provider: str | None  # the provider this brand is part of, if any


# --- Catalogue files -----------------------------------------------------------------


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Lists, as TOML writes them (a tuple type would make pydantic say "tuple").
    aliases: list[str] = []
    case_sensitive_aliases: list[str] = []


_E = TypeVar("_E", bound=_Entry)


class _ProviderEntry(_Entry):
    name: str
    kind: ProviderKind


class _RegionEntry(_Entry):
    code: str
    provider: str
    places: list[str] = []
    preferred: bool = False


class _ServiceEntry(_Entry):
    name: str
    provider: str | None = None


class CatalogError(ValueError):
    """A catalogue file that cannot be used; the message names the file and the entry."""

    def __init__(self, file: str, problem: str, key: str | None = None) -> None:
        where = f"{file}: [{key}]" if key is not None else f"{file}:"
        super().__init__(f"{where} {problem}")


def _read(source: Traversable | Path, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads((source / file).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        # tomllib reports a table or key declared twice here, naming it and the line.
        raise CatalogError(file, f"not valid TOML: {error}") from None


def _entries(
    file: str, data: Mapping[str, Any], model: type[_E]
) -> tuple[dict[str, _E], tuple[str, ...]]:
    """The tables of one file as validated entries, and its ignore list."""
    entries: dict[str, _E] = {}
    ignore: tuple[str, ...] = ()
    for key, value in data.items():
        if key == "ignore":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise CatalogError(file, "ignore must be a list of strings")
            ignore = tuple(value)
            continue
        if not isinstance(value, dict):
            raise CatalogError(file, "expected a table of fields", key)
        try:
            entry = model.model_validate(value)
        except ValidationError as error:
            raise CatalogError(file, _describe(error), key) from None
        names = [*entry.aliases, *entry.case_sensitive_aliases]
        if isinstance(entry, _RegionEntry):
            names += entry.places
        if not names:
            raise CatalogError(file, "has no aliases", key)
        if any(not name.strip() for name in names):
            raise CatalogError(file, "has an empty alias", key)
        entries[key] = entry
    return entries, ignore


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            problems.append(f"unknown field {name!r}")
        elif item["type"] == "missing":
            problems.append(f"missing field {name!r}")
        else:
            problems.append(f"{name}: {item['msg']}")
    return "; ".join(problems)


# --- The catalogue -----------------------------------------------------------------


@dataclass(frozen=True)
class _Alias:
    """One name from a catalogue file, with what it stands for."""

    catalogue: _Catalogue
    target: str  # provider id, region key or service key; "" for an ignored phrase
    text: str  # as written, full-width folded
    written: str  # its key with the case kept, to check case-sensitive matches
    case_sensitive: bool = False
    place: bool = False

    @property
    def ignore(self) -> bool:
        return not self.target


class _Hit(NamedTuple):
    # A tuple rather than a dataclass: an article makes dozens and creating them shows.
    alias: _Alias
    start: int  # in title-then-text coordinates
    in_title: bool


@dataclass(frozen=True, eq=False, repr=False)
class EntityCatalog:
    """Providers, regions and brands, compiled for matching. Build with ``load``."""

    providers: Mapping[str, Provider]
    regions: Mapping[str, Region]
    services: Mapping[str, Service]
    _words: re.Pattern[str]  # aliases that start with a Latin letter or digit
    _others: re.Pattern[str]  # aliases that start with anything else (Chinese)
    _aliases: Mapping[str, tuple[_Alias, ...]]  # by lowercase key
    _provider_lookup: Mapping[str, str]  # lowercase key of any provider name → id
    _parts: Mapping[str, frozenset[str]]  # provider id → keys of its own brands
    _respelt: dict[str, tuple[_Alias, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path | None = None) -> EntityCatalog:
        """The catalogue in ``directory``, or the packaged one (read once per process)."""
        if directory is None:
            return _packaged()
        return cls._build(directory)

    @classmethod
    def _build(cls, source: Traversable | Path) -> EntityCatalog:
        provider_entries, provider_ignore = _entries(
            PROVIDERS_FILE, _read(source, PROVIDERS_FILE), _ProviderEntry
        )
        region_entries, region_ignore = _entries(
            REGIONS_FILE, _read(source, REGIONS_FILE), _RegionEntry
        )
        service_entries, service_ignore = _entries(
            SERVICES_FILE, _read(source, SERVICES_FILE), _ServiceEntry
        )
        providers = _providers(provider_entries)
        regions = _regions(region_entries, providers)
        services = _services(service_entries, providers)

        table = _AliasTable()
        for pid, p in provider_entries.items():
            table.add_entry(PROVIDERS_FILE, "provider", pid, p)
        for rkey, r in region_entries.items():
            table.add_entry(REGIONS_FILE, "region", rkey, r, code=r.code, places=r.places)
        for skey, s in service_entries.items():
            table.add_entry(SERVICES_FILE, "service", skey, s)
        table.add_ignored(PROVIDERS_FILE, "provider", provider_ignore)
        table.add_ignored(REGIONS_FILE, "region", region_ignore)
        table.add_ignored(SERVICES_FILE, "service", service_ignore)
        table.check_regions(regions)

        lookup: dict[str, str] = {}
        for pid, p in provider_entries.items():
            for name in (pid, p.name, *p.aliases, *p.case_sensitive_aliases):
                lookup.setdefault(_key(_lower(_fold(name))), pid)
        parts: dict[str, set[str]] = {}
        for service in services.values():
            if service.provider is not None:
                parts.setdefault(service.provider, set()).add(service.key)
        return cls(
            providers=providers,
            regions=regions,
            services=services,
            _words=table.compile(words=True),
            _others=table.compile(words=False),
            _aliases=table.meanings(),
            _provider_lookup=lookup,
            _parts={pid: frozenset(keys) for pid, keys in parts.items()},
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
        return self._provider_lookup.get(_key(_lower(_fold(query))))

    def services_of(self, provider_id: str) -> frozenset[str]:
        """Keys of the brands that are part of a provider (Instagram for meta)."""
        return self._parts.get(provider_id, frozenset())

    # --- Extraction -------------------------------------------------------------------

    def extract(self, title: str, text: str) -> Entities:
        hits = [*self._scan(title, 0, in_title=True), *self._scan(text, len(title) + 1)]
        providers = _by_salience(h for h in hits if h.alias.catalogue == "provider")
        regions = self._regions([h for h in hits if h.alias.catalogue == "region"], providers)
        # A brand of the article's own subject is the outage, not a casualty of it.
        own = self.services_of(providers[0]) if providers else frozenset()
        affected: dict[str, None] = {}
        for hit in hits:
            if hit.alias.catalogue == "service" and hit.alias.target not in own:
                affected.setdefault(self.services[hit.alias.target].name)
        return Entities(providers=providers, regions=regions, affected=tuple(affected))

    def _scan(self, text: str, offset: int, *, in_title: bool = False) -> Iterator[_Hit]:
        lowered = _lower(text)
        if any(mark in lowered for mark in _ADDRESS_MARKS):
            lowered = _ADDRESS.sub(_skip_address, lowered)
        for start, end in self._spans(lowered):
            found = lowered[start:end]
            # Most matches are spelled exactly like their key and need no work.
            aliases = self._aliases.get(found)
            if aliases is None:
                aliases = self._respelt.get(found)
                if aliases is None:
                    aliases = self._aliases.get(_key(_fold(found)), ())
                    if len(self._respelt) < _RESPELT_LIMIT:
                        self._respelt[found] = aliases
            for alias in aliases:
                if alias.case_sensitive and not _written_as(alias, text, start, end):
                    continue
                yield _Hit(alias, offset + start, in_title)

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

    def _regions(self, hits: list[_Hit], providers: tuple[str, ...]) -> tuple[str, ...]:
        rank = {pid: i for i, pid in enumerate(providers)}
        by_start: dict[int, list[_Hit]] = {}
        for hit in hits:
            by_start.setdefault(hit.start, []).append(hit)
        # The hits of one match are the regions its name may mean: keep one at most.
        chosen = (self._choose_region(group, rank) for group in by_start.values())
        return _by_salience(hit for hit in chosen if hit is not None)

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


def _providers(entries: Mapping[str, _ProviderEntry]) -> dict[str, Provider]:
    providers: dict[str, Provider] = {}
    for pid, entry in entries.items():
        if not _SLUG.fullmatch(pid):
            raise CatalogError(PROVIDERS_FILE, "an id is lowercase words and hyphens", pid)
        providers[pid] = Provider(id=pid, name=entry.name, kind=entry.kind)
    return providers


def _regions(
    entries: Mapping[str, _RegionEntry], providers: Mapping[str, Provider]
) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for rkey, entry in entries.items():
        if entry.provider not in providers:
            raise CatalogError(REGIONS_FILE, f"unknown provider {entry.provider!r}", rkey)
        if not _SLUG.fullmatch(entry.code):
            raise CatalogError(REGIONS_FILE, f"{entry.code!r} is not a region code", rkey)
        if rkey != f"{entry.provider}:{entry.code}":
            raise CatalogError(REGIONS_FILE, f"the key must be {entry.provider}:{entry.code}", rkey)
        regions[rkey] = Region(rkey, entry.code, entry.provider, entry.preferred)
    return regions


def _services(
    entries: Mapping[str, _ServiceEntry], providers: Mapping[str, Provider]
) -> dict[str, Service]:
    services: dict[str, Service] = {}
    keys_by_name: dict[str, str] = {}
    for skey, entry in entries.items():
        if not _SLUG.fullmatch(skey):
            raise CatalogError(SERVICES_FILE, "a key is lowercase words and hyphens", skey)
        if entry.provider is not None and entry.provider not in providers:
            raise CatalogError(SERVICES_FILE, f"unknown provider {entry.provider!r}", skey)
        # Names are what extract() reports, so two brands must not share one.
        other = keys_by_name.setdefault(entry.name, skey)
        if other != skey:
            raise CatalogError(SERVICES_FILE, f"name {entry.name!r} is also [{other}]'s", skey)
        services[skey] = Service(skey, entry.name, entry.provider)
    return services


def _written_as(alias: _Alias, text: str, start: int, end: int) -> bool:
    """Whether a case-sensitive alias appears as written and as a word of its own."""
    written = text[start:end]
    if written != alias.text and _key(_fold(written)) != alias.written:
        return False
    # "Meta-analysis", "non-Slack": a hyphen makes a common word part of another.
    before = _fold(text[max(0, start - 2) : start])
    after = _fold(text[end : end + 2])
    return not (
        (len(before) == 2 and before[1] == "-" and before[0].isalpha())
        or (len(after) == 2 and after[0] == "-" and after[1].isalpha())
    )


def _by_salience(hits: Iterable[_Hit]) -> tuple[str, ...]:
    """Targets ordered: named in the title first, then most mentions, then earliest."""
    in_title: dict[str, bool] = {}
    mentions: dict[str, int] = {}
    first: dict[str, int] = {}
    for hit in hits:
        target = hit.alias.target
        in_title[target] = in_title.get(target, False) or hit.in_title
        mentions[target] = mentions.get(target, 0) + (not hit.in_title)
        first.setdefault(target, hit.start)
    return tuple(sorted(first, key=lambda t: (not in_title[t], -mentions[t], first[t])))


# --- Compiling aliases -----------------------------------------------------------------


class _Shape(NamedTuple):
    units: list[str]
    starts_word: bool
    ends_with: str  # the last character, which decides the closing boundary
    zone: bool  # a region code, which may carry an availability-zone letter


class _AliasTable:
    """Every alias of the three files: checks clashes, then compiles the patterns."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[_Alias]] = {}
        self._shapes: dict[str, _Shape] = {}

    def add_entry(
        self,
        file: str,
        catalogue: _Catalogue,
        target: str,
        entry: _Entry,
        *,
        code: str | None = None,
        places: Sequence[str] = (),
    ) -> None:
        names = [(a, False, False) for a in entry.aliases]
        names += [(a, True, False) for a in entry.case_sensitive_aliases]
        names += [(p, False, True) for p in places]
        if code is not None:
            names.append((code, False, False))
        for name, case_sensitive, place in names:
            self._add(file, catalogue, target, name, case_sensitive=case_sensitive, place=place)

    def add_ignored(self, file: str, catalogue: _Catalogue, phrases: tuple[str, ...]) -> None:
        for phrase in phrases:
            if not phrase.strip():
                raise CatalogError(file, "ignore has an empty phrase")
            self._add(file, catalogue, "", phrase)

    def _add(
        self,
        file: str,
        catalogue: _Catalogue,
        target: str,
        name: str,
        *,
        case_sensitive: bool = False,
        place: bool = False,
    ) -> None:
        text = _fold(name).strip()
        lowered = _lower(text)
        key = _key(lowered)
        alias = _Alias(catalogue, target, text, _key(text), case_sensitive, place)
        existing = [a for a in self._by_key.get(key, ()) if a.catalogue == catalogue]
        same = [a for a in existing if a.target == target]
        if same:
            if any((a.place, a.case_sensitive) != (place, case_sensitive) for a in same):
                raise CatalogError(file, f"{name!r} is listed twice", target or "ignore")
            if not case_sensitive or any(a.text == text for a in same):
                return  # one name spelled twice ("CrowdStrike", "Crowdstrike"): harmless
        elif existing:
            # A name means one provider or one brand, and an ignored phrase is never a
            # name; regions may share names across providers (check_regions sees to
            # the rest).
            shared = catalogue == "region" and target and existing[0].target
            if not shared:
                raise CatalogError(file, _clash(alias, existing[0]), target or "ignore")
        self._by_key.setdefault(key, []).append(alias)
        zone = catalogue == "region" and bool(target) and not place
        shape = self._shapes.get(key)
        if shape is None or (zone and not shape.zone):
            self._shapes[key] = _Shape(_units(lowered), _is_word(lowered[0]), lowered[-1], zone)

    def check_regions(self, regions: Mapping[str, Region]) -> None:
        """A name may stand for regions of several providers, never two of one."""
        for aliases in self._by_key.values():
            seen: dict[str, str] = {}
            for alias in aliases:
                if alias.catalogue != "region" or alias.ignore:
                    continue
                other = seen.setdefault(regions[alias.target].provider, alias.target)
                if other != alias.target:
                    raise CatalogError(
                        REGIONS_FILE, f"{alias.text!r} is also an alias of [{other}]", alias.target
                    )

    def meanings(self) -> dict[str, tuple[_Alias, ...]]:
        """What each key stands for. Where an ignored phrase has the key it stands for
        nothing in that catalogue, but stays in the pattern to use its text up."""
        meanings: dict[str, tuple[_Alias, ...]] = {}
        for key, aliases in self._by_key.items():
            ignored = {a.catalogue for a in aliases if a.ignore}
            meanings[key] = tuple(a for a in aliases if a.catalogue not in ignored)
        return meanings

    def compile(self, *, words: bool) -> re.Pattern[str]:
        """The aliases that start with a letter or digit (``words``), or all the others.

        Searched separately, each pattern starts with a small set of characters that
        the engine can scan for quickly.
        """
        # A trie, not a flat alternation: the engine tries alternatives one by one,
        # so sharing prefixes is what keeps a few thousand aliases fast.
        trie: _Trie = {}
        for shape in self._shapes.values():
            if shape.starts_word != words:
                continue
            node = trie
            for unit in shape.units:
                node = node.setdefault(unit, {})
            last = shape.ends_with
            if shape.zone and last.isdigit():
                node[_END] = _AFTER_ZONE
            else:
                node[_END] = _AFTER_WORD if _is_word(last) else ""
        if not trie:
            return re.compile("(?!)")  # matches nothing
        return re.compile((_BEFORE_WORD if words else "") + _trie_pattern(trie))


def _clash(alias: _Alias, other: _Alias) -> str:
    if alias.ignore:
        return f"ignored phrase {alias.text!r} is an alias of [{other.target}]"
    if other.ignore:
        return f"{alias.text!r} is also an ignored phrase"
    return f"{alias.text!r} is also an alias of [{other.target}]"


_END = ""  # trie key marking the end of an alias; its value is the closing boundary
_Trie = dict[str, Any]


def _trie_pattern(node: _Trie) -> str:
    branches = [unit + _trie_pattern(child) for unit, child in node.items() if unit != _END]
    if _END in node:
        branches.append(node[_END])  # after the longer branches: the longest alias wins
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


@functools.cache
def _packaged() -> EntityCatalog:
    return EntityCatalog._build(resources.files("bot") / "data")
