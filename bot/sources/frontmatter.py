"""Front matter of a Markdown file: YAML (``---``), TOML (``+++``), or none at all.

Real archives write front matter that their own format rejects: the picker
archive leaves titles such as ``title: [更新中] 微软Outlook…`` unquoted, which
YAML reads as the start of a list and then refuses. Such a block is read line by
line as ``key: value`` (``key = value`` for TOML) with a warning, never dropped:
the title and link are what a reader needs, and they are plain lines.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

# (opening fence, closing fence, format). The closing fence must sit on its own line.
_FENCES = {
    "yaml": re.compile(r"\A\ufeff?\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL),
    "toml": re.compile(
        r"\A\ufeff?\s*\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL
    ),
}
_YAML_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+]?\d*$")
_TOML_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*?)[ \t]*$")


@dataclass(frozen=True)
class FrontMatter:
    """The metadata block (empty when the file has none) and the body after it."""

    meta: dict[str, Any]
    body: str
    warnings: list[str] = field(default_factory=list)


def split_front_matter(text: str) -> FrontMatter:
    """Metadata and body of ``text``; never raises: a broken block is read leniently."""
    for kind, fence in _FENCES.items():
        found = fence.match(text)
        if found is None:
            continue
        block, body = found.group(1), text[found.end() :]
        try:
            meta = _strict(kind, block)
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return FrontMatter(
                _lenient(block, _YAML_LINE if kind == "yaml" else _TOML_LINE),
                body,
                [f"front matter is not valid {kind.upper()} ({reason}); read line by line"],
            )
        if not isinstance(meta, dict):
            # A bare string or list: not metadata, but keep the body rather than lose it.
            return FrontMatter({}, body, ["front matter is not a mapping of keys; ignored"])
        return FrontMatter(meta, body)
    return FrontMatter({}, text.removeprefix("\ufeff"))


def _strict(kind: str, block: str) -> object:
    if kind == "toml":
        return tomllib.loads(block)
    return yaml.safe_load(block) or {}


def _lenient(block: str, line_pattern: re.Pattern[str]) -> dict[str, Any]:
    """Top-level ``key: value`` lines; the first occurrence of a key wins."""
    meta: dict[str, Any] = {}
    for line in block.splitlines():
        found = line_pattern.match(line)
        if found is None or not found.group(2):
            continue
        value = found.group(2)
        if _BLOCK_SCALAR.match(value):  # "|" or ">": the value is on the lines below
            continue
        if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        meta.setdefault(found.group(1), value)
    return meta
