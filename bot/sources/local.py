"""Local files and directories as sources (Markdown, feeds, status JSON, pages)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import SourceError
from bot.schema import Entry, Source
from bot.sources.reader import Document, SourceRead, parse_document

SUFFIXES = {".md", ".markdown", ".txt", ".xml", ".rss", ".atom", ".rdf", ".json", ".html", ".htm"}
# A local file bigger than this is not an article or a feed; refuse it early.
MAX_FILE_BYTES = 5 * 1024 * 1024


_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def read_local(source: Source) -> SourceRead:
    if _OTHER_SCHEME.match(source.location):
        # file://, ftp://, ... are refused outright: a source is a path or an http(s) URL.
        raise SourceError(source.name, "only http and https URLs (or plain file paths) are read")
    path = Path(source.location)
    if path.is_dir():
        return _read_directory(source, path)
    if not path.exists():
        raise SourceError(source.name, f"{source.location} does not exist")
    return _read_file(source, path, source.location)


def _read_directory(source: Source, directory: Path) -> SourceRead:
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        listed = ", ".join(sorted(SUFFIXES))
        raise SourceError(source.name, f"{directory} holds no files of a known kind ({listed})")
    entries: list[Entry] = []
    warnings: list[str] = []
    for file in files:
        # One bad file is reported and skipped; the rest of the directory still counts.
        try:
            read = _read_file(source, file, str(file))
        except SourceError as exc:
            warnings.append(exc.why if str(file) in exc.why else f"{file}: {exc.why}")
            continue
        entries.extend(read.entries)
        warnings.extend(read.warnings)
    if not entries and len(warnings) == len(files):
        raise SourceError(source.name, "no usable files: " + "; ".join(warnings))
    return SourceRead(entries, warnings)


def _read_file(source: Source, path: Path, shown: str) -> SourceRead:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(source.name, f"{shown} is larger than {MAX_FILE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(source.name, f"cannot read {shown}: {exc.strerror}") from exc
    read = parse_document(Document(data, shown), source.name, source.kind)
    # Keep the file each entry came from: ``link`` may be the original article's URL.
    entries = [e if e.path else e.model_copy(update={"path": shown}) for e in read.entries]
    return SourceRead(entries, read.warnings)
