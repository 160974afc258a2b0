"""The languages the bot reads and writes: one registry, kept as data.

``bot/data/languages.toml`` holds, per language, what the stages need to know of
it: the name prompts use, whether its words have boundaries, how sentences join,
summary budgets, how its articles name time zones, and what the bot says in it.
Stages ask ``LANGUAGES.of(tag)`` instead of comparing with "zh" and "en".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import hanzidentifier  # type: ignore[import-untyped]
import opencc

from bot.schema import Article


@dataclass(frozen=True)
class Language:
    code: str  # the lexicon's and the catalogue's key ("en", "zh")
    name: str
    tags: tuple[str, ...]
    tag_names: Mapping[str, str]
    word_boundaries: bool
    separator: str
    summary_chars: int
    min_sentence_chars: int
    zone_words: Mapping[str, str]
    messages: Mapping[str, str]

    def say(self, message: str, **values: object) -> str:
        """A message of this language, filled in ("region": "Region: {x}.")."""
        return self.messages[message].format(**values)


class Languages:
    """Every language of the registry, looked up by any tag that names it."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        tables = {k: v for k, v in raw.items() if isinstance(v, dict) and k != "other_names"}
        self._all = {code: _language(code, table) for code, table in tables.items()}
        self._default = self._all[str(raw["default"])]
        self._by_tag = {tag: lang for lang in self._all.values() for tag in (lang.code, *lang.tags)}
        self._other_names: Mapping[str, str] = MappingProxyType(dict(raw.get("other_names", {})))

    @classmethod
    def load(cls, path: Path | None = None) -> Languages:
        text = (
            path.read_text(encoding="utf-8")
            if path
            else (files("bot") / "data" / "languages.toml").read_text(encoding="utf-8")
        )
        return cls(tomllib.loads(text))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._all)

    def __iter__(self) -> Any:
        return iter(self._all.values())

    def known(self, tag: str) -> bool:
        return self._lookup(tag) is not None

    def of(self, tag: str | None) -> Language:
        """The language a tag names ("zh-Hant" → Chinese), else the default one."""
        return (self._lookup(tag) if tag else None) or self._default

    def prompt_name(self, tag: str) -> str:
        """How to name ``tag`` to a model ("Traditional Chinese"); an unknown tag as given."""
        lower = tag.lower()
        language = self._lookup(tag)
        if language is not None:
            return language.tag_names.get(lower, language.name)
        return self._other_names.get(lower, tag)

    def zone_words(self) -> dict[str, str]:
        """Every language's time-zone words, lower-cased, → IANA zone."""
        return {word.lower(): zone for lang in self for word, zone in lang.zone_words.items()}

    def _lookup(self, tag: str) -> Language | None:
        lower = tag.lower()
        return self._by_tag.get(lower) or self._by_tag.get(lower.split("-", 1)[0])


def _language(code: str, table: Mapping[str, Any]) -> Language:
    return Language(
        code=code,
        name=str(table["name"]),
        tags=tuple(str(t).lower() for t in table.get("tags", ())),
        tag_names=MappingProxyType(
            {str(k).lower(): str(v) for k, v in table.get("tag_names", {}).items()}
        ),
        word_boundaries=bool(table["word_boundaries"]),
        separator=str(table["separator"]),
        summary_chars=int(table["summary_chars"]),
        min_sentence_chars=int(table["min_sentence_chars"]),
        zone_words=MappingProxyType(dict(table.get("zone_words", {}))),
        messages=MappingProxyType(dict(table.get("messages", {}))),
    )


# Read once at import: a small TOML file, and every stage that speaks asks it.
LANGUAGES = Languages.load()


# --- Traditional Chinese -------------------------------------------------------------
#
# Taiwan's and Hong Kong's outlets write Traditional characters and their own words
# ("伺服器當機", "網路斷線"); the lexicon and the catalogue are written in Simplified. Read
# for judgement (never for display), such text is first put in Simplified script with
# mainland words by OpenCC's Taiwan-to-mainland phrase table ("服务器当机", "网络断线").
# A Chinese character (the CJK Unified Ideographs block).
HAN_CHARACTER = re.compile(r"[\u4e00-\u9fff]")
# Enough of a text to tell its script by.
_SCRIPT_SAMPLE_CHARS = 2_000


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def in_simplified(text: str) -> str:
    """``text`` in Simplified script with mainland words if it is Traditional Chinese
    (all of it, or mixed with Simplified); any other text as it is."""
    return to_simplified(text) if is_traditional(text) else text


def in_simplified_article(article: Article) -> Article:
    """``article`` with its headline and its text in Simplified script where they are
    Traditional Chinese: what the classifier and its text models read. The text is its
    paragraphs joined, so each paragraph is converted when the text is Traditional."""
    title = in_simplified(article.title)
    paragraphs = article.paragraphs
    if is_traditional(article.text):
        paragraphs = tuple(to_simplified(paragraph) for paragraph in paragraphs)
    if (title, paragraphs) == (article.title, article.paragraphs):
        return article
    return article.model_copy(update={"title": title, "paragraphs": paragraphs})


def is_traditional(text: str) -> bool:
    """Whether ``text`` is Traditional Chinese, all of it or mixed with Simplified (judged
    on its opening)."""
    sample = text[:_SCRIPT_SAMPLE_CHARS]
    return bool(HAN_CHARACTER.search(sample)) and hanzidentifier.identify(sample) in (
        hanzidentifier.TRADITIONAL,
        hanzidentifier.MIXED,
    )


def to_simplified(text: str) -> str:
    """``text`` converted to Simplified script with mainland words, whatever it is."""
    try:
        return str(_to_simplified().convert(text))
    except UnicodeEncodeError:  # a lone surrogate, which no UTF-8 text holds
        return str(_to_simplified().convert(text.encode("utf-8", "replace").decode("utf-8")))
