"""Local files and directories as sources: Markdown articles and RSS/Atom files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import ParseError, SourceError
from bot.schema import Entry, Source
from bot.sources.feeds import parse_feed
from bot.sources.markdown import parse_markdown

MARKDOWN_SUFFIXES = {".md", ".markdown"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
# A local file bigger than this is not an article or a feed; refuse it early.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SourceRead:
    """What one source yielded: entries, plus warnings and per-file errors that were skipped."""

    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


def read_local(source: Source) -> SourceRead:
    if source.location.startswith(("http://", "https://")):
        raise SourceError(
            source.name, "URL sources are not supported yet: give a local file or directory"
        )
    path = Path(source.location)
    if path.is_dir():
        return _read_directory(source, path)
    if not path.exists():
        raise SourceError(source.name, f"{source.location} does not exist")
    return _read_file(source, path, source.location)


def _read_directory(source: Source, directory: Path) -> SourceRead:
    files = sorted(
        p for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES | FEED_SUFFIXES
    )  # fmt: skip
    if not files:
        raise SourceError(source.name, f"{directory} holds no .md, .xml, .rss or .atom files")
    entries: list[Entry] = []
    warnings: list[str] = []
    for file in files:
        # One bad file is reported and skipped; the rest of the directory still counts.
        try:
            read = _read_file(source, file, str(file))
        except SourceError as exc:
            warnings.append(exc.why)
            continue
        entries.extend(read.entries)
        warnings.extend(read.warnings)
    if not entries:
        raise SourceError(source.name, "no usable articles: " + "; ".join(warnings))
    return SourceRead(entries, warnings)


def _read_file(source: Source, path: Path, shown: str) -> SourceRead:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(source.name, f"{shown} is larger than {MAX_FILE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(source.name, f"cannot read {shown}: {exc.strerror}") from exc
    if _is_markdown(source, path, data):
        return SourceRead([parse_markdown(data, source.name, shown)])
    parsed = parse_feed(data, source.name)
    if not parsed.entries and not parsed.warnings:
        return SourceRead([], [f"{shown}: feed has no entries"])
    if not parsed.entries:
        raise ParseError(source.name, f"{shown}: {'; '.join(parsed.warnings)}")
    return SourceRead(parsed.entries, [f"{shown}: {w}" for w in parsed.warnings])


def _is_markdown(source: Source, path: Path, data: bytes) -> bool:
    if source.kind != "auto":
        return source.kind == "markdown"
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return True
    if path.suffix.lower() in FEED_SUFFIXES:
        return False
    return data.lstrip(b"\xef\xbb\xbf").startswith(b"---")
