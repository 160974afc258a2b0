"""Summarization model presets, read from bot/data/presets.toml (package data).

A preset says where a model comes from (hub id and pinned revision), under what
licence, which languages it summarises, how to prompt it and how to generate.
``SUMMARIZER_MODEL`` names one; the weights live in models/<name>/.
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

# Apache-2.0: usable by anyone. The default must never be a non-commercial model,
# because whoever runs the bot without choosing would be bound by that licence.
DEFAULT_PRESET = "mt0-base"
# Shipped inside the package so a non-editable install (a wheel) has it; models/
# holds only downloaded weights and its README.
PRESETS_FILE = Path(__file__).resolve().parents[1] / "data" / "presets.toml"

_PROMPT_FIELDS = frozenset({"text", "language"})
# Thread Q&A: the question and the retrieved passages, and optionally the language
# the answer should be written in (the question's).
_ANSWER_FIELDS = frozenset({"question", "context", "language"})
ANSWER_TASK = "answer"
# "multilingual->en" reads any language and writes the language after the arrow.
_CROSS_LINGUAL = "->"


class Preset(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    hub_id: str = Field(min_length=1)
    revision: str = Field(min_length=1)
    license: str = Field(min_length=1)
    languages: tuple[str, ...] = Field(min_length=1)  # "en", "multilingual", "multilingual->en"
    tasks: tuple[str, ...] = Field(min_length=1)
    prompt: str  # str.format template with {text} and optionally {language}
    # For the "answer" task: {question} and {context}, optionally {language}.
    answer_prompt: str | None = None
    max_input_tokens: int = Field(gt=8)
    generation: dict[str, int | float | bool] = Field(default_factory=dict)

    @field_validator("prompt")
    @classmethod
    def _prompt_fields(cls, prompt: str) -> str:
        try:
            fields = {
                field for _, field, _, _ in string.Formatter().parse(prompt) if field is not None
            }
        except ValueError as exc:  # an unbalanced brace
            raise ValueError(f"not a valid format string: {exc}") from None
        if "text" not in fields:
            raise ValueError("must contain {text}")
        unknown = fields - _PROMPT_FIELDS
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; only {{text}} and {{language}}"
            )
        return prompt

    @field_validator("answer_prompt")
    @classmethod
    def _answer_prompt_fields(cls, prompt: str | None) -> str | None:
        if prompt is None:
            return None
        fields = _placeholders(prompt)
        missing = {"question", "context"} - fields
        if missing:
            raise ValueError("must contain " + " and ".join(f"{{{f}}}" for f in sorted(missing)))
        unknown = fields - _ANSWER_FIELDS
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; only {{question}}, {{context}} "
                "and {language}"
            )
        return prompt

    @model_validator(mode="after")
    def _answer_task_has_prompt(self) -> Preset:
        # A preset that claims to answer questions without saying how to ask would
        # only fail later, at the first question in a thread.
        if ANSWER_TASK in self.tasks and self.answer_prompt is None:
            raise ValueError('tasks include "answer": set answer_prompt')
        if ANSWER_TASK not in self.tasks and self.answer_prompt is not None:
            raise ValueError('answer_prompt is set: add "answer" to tasks or remove it')
        return self

    @property
    def answers(self) -> bool:
        """Whether thread Q&A can use this model."""
        return ANSWER_TASK in self.tasks and self.answer_prompt is not None

    @field_validator("languages")
    @classmethod
    def _one_target(cls, languages: tuple[str, ...]) -> tuple[str, ...]:
        for language in languages:
            source, arrow, target = language.partition(_CROSS_LINGUAL)
            if arrow and not (source and target):
                raise ValueError(f"{language!r}: expected SOURCE->TARGET, e.g. multilingual->en")
        return languages

    @property
    def non_commercial(self) -> bool:
        return self.license.upper().startswith("CC-BY-NC")

    @property
    def cross_lingual_target(self) -> str | None:
        """The language every summary is written in, for models that translate as they summarise."""
        for language in self.languages:
            _, arrow, target = language.partition(_CROSS_LINGUAL)
            if arrow:
                return target
        return None

    @property
    def takes_language(self) -> bool:
        """Whether the prompt can ask for a summary language."""
        return any(field == "language" for _, field, _, _ in string.Formatter().parse(self.prompt))


def _placeholders(template: str) -> set[str]:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    except ValueError as exc:  # an unbalanced brace
        raise ValueError(f"not a valid format string: {exc}") from None


def load_presets(path: Path | None = None) -> dict[str, Preset]:
    """Every preset in the file, by name. Bad data raises ValueError naming file and key."""
    path = path or PRESETS_FILE
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ValueError(f"{path}: presets file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from None
    presets: dict[str, Preset] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"{path}: {name}: expected a [{name}] table")
        if "name" in table:
            raise ValueError(f"{path}: {name}.name: remove it; the table name is the preset name")
        try:
            presets[name] = Preset(name=name, **table)
        except ValidationError as exc:
            raise ValueError(f"{path}: {_describe(name, exc)}") from None
    return presets


def _describe(name: str, exc: ValidationError) -> str:
    """One "preset.key: why" per bad key, in file order."""
    problems: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        if loc[:1] == ["generation"] and len(loc) == 3:
            # pydantic reports each member of int | float | bool separately.
            problems[".".join([name, *loc[:2]])] = "must be an integer, a number or true/false"
        else:
            problems.setdefault(".".join([name, *loc]), error["msg"])
    return "; ".join(f"{key}: {why}" for key, why in problems.items())
