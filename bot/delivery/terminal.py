"""The terminal sink: the digest as text, plus the Block Kit JSON Slack would get (demo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from bot.digest.render import render_header, render_incident, render_text
from bot.schema import Digest


class TerminalSink:
    """Prints the digest as text; optionally also writes the Block Kit that Slack would get."""

    def __init__(self, out: TextIO, blocks_file: Path | None = None) -> None:
        self._out = out
        self._blocks_file = blocks_file
        self._written: list[dict[str, object]] = []

    def deliver(self, digest: Digest, timezone: str) -> list[str]:
        self._out.write(render_text(digest, timezone) + "\n")
        if self._blocks_file is not None:
            # Everything this sink was given, so several channels (or chunks) all show.
            self._written.extend(slack_payloads(digest, timezone))
            write_payloads(self._written, self._blocks_file)
        return ["terminal"]


def slack_payloads(digest: Digest, timezone: str) -> list[dict[str, object]]:
    """The chat.postMessage payloads a first delivery of ``digest`` makes: header, incidents."""
    messages = [
        render_header(digest, timezone),
        *(render_incident(i, timezone, digest.generated_at) for i in digest.items),
    ]
    return [{"channel": digest.channel, **message} for message in messages]


def write_payloads(payloads: list[dict[str, object]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payloads, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
