"""The outage lexicon (``bot/data/lexicon.toml``): its tables of words, compiled once.

Each table lists patterns per language (``en``, ``zh``); see the file for what each
table means to the classifier.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.languages import LANGUAGES
from bot.schema import IncidentStatus

# The order the status tables are tried in: the most advanced first.
_STATUS_ORDER: tuple[IncidentStatus, ...] = ("postmortem", "resolved", "mitigated", "investigating")


def _compile(table: dict[str, Any], name: str = "") -> re.Pattern[str]:
    """One pattern from a lexicon table's lists of every registered language (``en``,
    ``zh``; ``<name>_en`` for named lists). Languages written with spaces between words
    match whole words only: "AWS" is not found in "LAWSUIT"."""
    parts = []
    for language in LANGUAGES:
        for pattern in table.get(f"{name}_{language.code}" if name else language.code, ()):
            if language.word_boundaries:
                pattern = rf"(?<![A-Za-z0-9])(?:{pattern})(?![A-Za-z0-9])"
            parts.append(pattern)
    # No list at all must match nothing (an empty pattern would match everywhere).
    return re.compile("|".join(f"(?:{p})" for p in parts) or r"(?!)", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    outage: re.Pattern[str]
    negative: re.Pattern[str]
    headline_negative: re.Pattern[str]
    never_outage: re.Pattern[str]
    no_outage: re.Pattern[str]
    cause: re.Pattern[str]
    hit: re.Pattern[str]
    victim: re.Pattern[str]
    roundup: re.Pattern[str]
    outage_weight: float
    negative_weight: float
    power: re.Pattern[str]
    it_context: re.Pattern[str]
    power_outage: re.Pattern[str]
    follow_up: re.Pattern[str]
    lasted_days: re.Pattern[str]
    slow_recovery: re.Pattern[str]
    repeat: re.Pattern[str]
    aftermath: re.Pattern[str]
    redress: re.Pattern[str]
    disruptive_attack: re.Pattern[str]
    attack_aftermath: re.Pattern[str]
    inquiry: re.Pattern[str]
    inquiry_questions: re.Pattern[str]
    inquiry_object: re.Pattern[str]
    penalties: re.Pattern[str]
    reference: re.Pattern[str]
    faulty_change: re.Pattern[str]
    translated: re.Pattern[str]
    status: tuple[tuple[IncidentStatus, re.Pattern[str]], ...]

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        text = (
            path.read_text(encoding="utf-8")
            if path
            else (files("bot") / "data" / "lexicon.toml").read_text(encoding="utf-8")
        )
        raw: dict[str, Any] = tomllib.loads(text)
        status = raw["status"]
        return cls(
            outage=_compile(raw["outage"]),
            negative=_compile(raw["negative"]),
            headline_negative=_compile(raw["headline_negative"]),
            never_outage=_compile(raw["never_outage"]),
            no_outage=_compile(raw["no_outage"]),
            cause=_compile(raw["cause"]),
            hit=_compile(raw["hit"]),
            victim=_compile(raw["victim"]),
            roundup=_compile(raw["roundup"]),
            outage_weight=float(raw["outage"]["weight"]),
            negative_weight=float(raw["negative"]["weight"]),
            power=_compile(raw["power"]),
            it_context=_compile(raw["power"], "it_context"),
            power_outage=_compile(raw["power"], "it_outage"),
            follow_up=_compile(raw["follow_up"]),
            lasted_days=_compile(raw["lasted_days"]),
            slow_recovery=_compile(raw["slow_recovery"]),
            repeat=_compile(raw["repeat"]),
            aftermath=_compile(raw["aftermath"]),
            redress=_compile(raw["aftermath"], "redress"),
            disruptive_attack=_compile(raw["attack_aftermath"], "attack"),
            attack_aftermath=_compile(raw["attack_aftermath"]),
            inquiry=_compile(raw["inquiry"]),
            inquiry_questions=_compile(raw["inquiry"], "questions"),
            inquiry_object=_compile(raw["inquiry"], "object"),
            penalties=_compile(raw["inquiry"], "penalties"),
            reference=_compile(raw["reference"]),
            faulty_change=_compile(raw["reference"], "change"),
            translated=_compile(raw["translated"]),
            status=tuple((name, _compile(status, name)) for name in _STATUS_ORDER),
        )
