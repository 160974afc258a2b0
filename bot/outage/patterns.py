"""The aliases of the entity catalogue, checked for clashes and compiled into patterns.

Every name in the three catalogue files becomes an :class:`Alias`; the
:class:`AliasTable` refuses names that would mean two things, then compiles all
aliases into two regular expressions (those that start with a Latin letter or
digit, and the rest), each a trie so that thousands of aliases stay fast.
``bot.outage.entities`` runs the patterns over articles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from bot.outage.catalog import (
    PROVIDERS_FILE,
    REGIONS_FILE,
    SERVICES_FILE,
    CatalogEntry,
    CatalogError,
    CatalogueFiles,
    Region,
)
from bot.outage.text import alias_key, fold, is_word, lower, pattern_units

Catalogue = Literal["provider", "region", "service"]

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


@dataclass(frozen=True)
class Alias:
    """One name from a catalogue file, with what it stands for."""

    catalogue: Catalogue
    target: str  # provider id, region key or service key; "" for an ignored phrase
    text: str  # as written, full-width folded
    written: str  # its key with the case kept, to check case-sensitive matches
    case_sensitive: bool = False
    place: bool = False

    @property
    def ignore(self) -> bool:
        return not self.target


def alias_table(files: CatalogueFiles) -> AliasTable:
    """Every alias of the three files in one table, with clashes refused."""
    table = AliasTable()
    for pid, p in files.provider_entries.items():
        table.add_entry(PROVIDERS_FILE, "provider", pid, p)
    for rkey, r in files.region_entries.items():
        table.add_entry(REGIONS_FILE, "region", rkey, r, code=r.code, places=r.places)
    for skey, s in files.service_entries.items():
        table.add_entry(SERVICES_FILE, "service", skey, s)
    # Ignored phrases last: the order decides how a clash between a name and an
    # ignored phrase is worded, and the messages must stay as they were.
    table.add_ignored(PROVIDERS_FILE, "provider", files.provider_ignore)
    table.add_ignored(REGIONS_FILE, "region", files.region_ignore)
    table.add_ignored(SERVICES_FILE, "service", files.service_ignore)
    table.check_regions(files.regions)
    return table


# --- Compiling aliases -----------------------------------------------------------------


class _Shape(NamedTuple):
    units: list[str]
    starts_word: bool
    ends_with: str  # the last character, which decides the closing boundary
    zone: bool  # a region code, which may carry an availability-zone letter


class AliasTable:
    """Every alias of the three files: checks clashes, then compiles the patterns."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Alias]] = {}
        self._shapes: dict[str, _Shape] = {}

    def add_entry(
        self,
        file: str,
        catalogue: Catalogue,
        target: str,
        entry: CatalogEntry,
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

    def add_ignored(self, file: str, catalogue: Catalogue, phrases: tuple[str, ...]) -> None:
        for phrase in phrases:
            if not phrase.strip():
                raise CatalogError(file, "ignore has an empty phrase")
            self._add(file, catalogue, "", phrase)

    def _add(
        self,
        file: str,
        catalogue: Catalogue,
        target: str,
        name: str,
        *,
        case_sensitive: bool = False,
        place: bool = False,
    ) -> None:
        text = fold(name).strip()
        lowered = lower(text)
        key = alias_key(lowered)
        alias = Alias(catalogue, target, text, alias_key(text), case_sensitive, place)
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
            self._shapes[key] = _Shape(
                pattern_units(lowered), is_word(lowered[0]), lowered[-1], zone
            )

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

    def meanings(self) -> dict[str, tuple[Alias, ...]]:
        """What each key stands for. Where an ignored phrase has the key it stands for
        nothing in that catalogue, but stays in the pattern to use its text up."""
        meanings: dict[str, tuple[Alias, ...]] = {}
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
                node[_END] = _AFTER_WORD if is_word(last) else ""
        if not trie:
            return re.compile("(?!)")  # matches nothing
        return re.compile((_BEFORE_WORD if words else "") + _trie_pattern(trie))


def _clash(alias: Alias, other: Alias) -> str:
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
