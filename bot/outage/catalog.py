"""The entity catalogue files (bot/data/*.toml): reading, validating, cross-checking.

``bot/data/README.md`` describes the three files: providers, their cloud regions,
and downstream services (brands). :func:`read_catalogue` reads them from a folder
or the packaged data and checks every entry, so that a broken file fails loudly
with a :class:`CatalogError` naming the file and the entry, before any pattern is
compiled. Matching lives in ``bot.outage.entities``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

ProviderKind = Literal[
    "cloud", "cdn", "saas", "security", "social", "payments", "gaming", "consumer"
]

PROVIDERS_FILE = "providers.toml"
REGIONS_FILE = "regions.toml"
SERVICES_FILE = "services.toml"

# Ids, codes and slugs: lowercase words joined by single hyphens ("fly-io", "us-east-1").
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# --- Public values ---------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: ProviderKind
    # The provider id of this company's cloud platform (Google → gcp): news calls a
    # Google Cloud outage a "Google outage", so the two are one subject.
    cloud: str | None = None


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
    # Naming it is a sign of outage news (a bank or an airline is in the news for many
    # other reasons: it names the subject of an outage story, but is no sign of one).
    evidence: bool = True


# --- Catalogue files -----------------------------------------------------------------


class CatalogEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Lists, as TOML writes them (a tuple type would make pydantic say "tuple").
    aliases: list[str] = []
    case_sensitive_aliases: list[str] = []


_E = TypeVar("_E", bound=CatalogEntry)


class ProviderEntry(CatalogEntry):
    name: str
    kind: ProviderKind
    cloud: str | None = None


class RegionEntry(CatalogEntry):
    code: str
    provider: str
    places: list[str] = []
    preferred: bool = False


class ServiceEntry(CatalogEntry):
    name: str
    provider: str | None = None
    evidence: bool = True


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
        if isinstance(entry, RegionEntry):
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


@dataclass(frozen=True)
class CatalogueFiles:
    """The three files, validated and checked against each other, before compiling."""

    provider_entries: Mapping[str, ProviderEntry]
    region_entries: Mapping[str, RegionEntry]
    service_entries: Mapping[str, ServiceEntry]
    provider_ignore: tuple[str, ...]
    region_ignore: tuple[str, ...]
    service_ignore: tuple[str, ...]
    providers: Mapping[str, Provider]
    regions: Mapping[str, Region]
    services: Mapping[str, Service]


def read_catalogue(source: Traversable | Path) -> CatalogueFiles:
    """The catalogue files in ``source``; raises CatalogError at the first problem."""
    # Files in this order, each checked whole before the next, so that the error
    # a broken catalogue reports is always the same one.
    provider_entries, provider_ignore = _entries(
        PROVIDERS_FILE, _read(source, PROVIDERS_FILE), ProviderEntry
    )
    region_entries, region_ignore = _entries(REGIONS_FILE, _read(source, REGIONS_FILE), RegionEntry)
    service_entries, service_ignore = _entries(
        SERVICES_FILE, _read(source, SERVICES_FILE), ServiceEntry
    )
    providers = _providers(provider_entries)
    return CatalogueFiles(
        provider_entries=provider_entries,
        region_entries=region_entries,
        service_entries=service_entries,
        provider_ignore=provider_ignore,
        region_ignore=region_ignore,
        service_ignore=service_ignore,
        providers=providers,
        regions=_regions(region_entries, providers),
        services=_services(service_entries, providers),
    )


def _providers(entries: Mapping[str, ProviderEntry]) -> dict[str, Provider]:
    providers: dict[str, Provider] = {}
    for pid, entry in entries.items():
        if not _SLUG.fullmatch(pid):
            raise CatalogError(PROVIDERS_FILE, "an id is lowercase words and hyphens", pid)
        providers[pid] = Provider(id=pid, name=entry.name, kind=entry.kind, cloud=entry.cloud)
    for pid, entry in entries.items():
        if entry.cloud is not None and entry.cloud not in providers:
            raise CatalogError(PROVIDERS_FILE, f"cloud {entry.cloud!r} is not a provider id", pid)
    return providers


def _regions(
    entries: Mapping[str, RegionEntry], providers: Mapping[str, Provider]
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
    entries: Mapping[str, ServiceEntry], providers: Mapping[str, Provider]
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
        services[skey] = Service(skey, entry.name, entry.provider, entry.evidence)
    return services
