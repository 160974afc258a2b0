"""The terminal sink: the digest as text, plus the Block Kit JSON Slack would get (demo)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TextIO

from bot.delivery.messages import incident_metadata
from bot.digest.render import Message, render_header, render_incident, render_text
from bot.schema import Digest


class TerminalSink:
    """Prints the digest as text; optionally also writes what Slack would get.

    ``blocks_file``: every payload in one JSON list (the demo's file).
    ``blocks_dir``: per message, a Block Kit Builder file (``{"blocks": [...]}``, pasted
    as is at https://app.slack.com/block-kit-builder) and the full chat.postMessage
    payload beside it (``*.payload.json``, with metadata and the unfurl flags).
    """

    def __init__(
        self, out: TextIO, blocks_file: Path | None = None, blocks_dir: Path | None = None
    ) -> None:
        self._out = out
        self._blocks_file = blocks_file
        self._blocks_dir = blocks_dir
        self._written: list[dict[str, object]] = []
        self.files: list[Path] = []

    def deliver(self, digest: Digest, timezone: str) -> list[str]:
        self._out.write(render_text(digest, timezone) + "\n")
        payloads = slack_payloads(digest, timezone)
        if self._blocks_file is not None:
            # Everything this sink was given, so several channels (or chunks) all show.
            self._written.extend(payloads)
            write_payloads(self._written, self._blocks_file)
        if self._blocks_dir is not None:
            self.files.extend(write_previews(payloads, self._blocks_dir, start=len(self.files)))
        return ["terminal"]


def post_payload(channel: str, message: Message, thread_ts: str | None = None) -> dict[str, Any]:
    """The chat.postMessage arguments for ``message``: what SlackSink sends, exactly."""
    payload: dict[str, Any] = {"channel": channel, "text": message["text"],
                                  "blocks": message["blocks"]}  # fmt: skip
    if thread_ts is not None:
        payload["thread_ts"] = thread_ts
    if message.get("metadata") is not None:
        payload["metadata"] = message.get("metadata")
    # Links in a digest would each unfold into a large preview.
    payload["unfurl_links"] = False
    payload["unfurl_media"] = False
    return payload


def slack_payloads(digest: Digest, timezone: str) -> list[dict[str, object]]:
    """The chat.postMessage payloads a first delivery of ``digest`` makes: header, incidents."""
    # Incident messages carry the metadata delivery adds (bot.delivery.deliver).
    messages: list[Message] = [
        render_header(digest, timezone),
        *(
            {**render_incident(i, timezone, digest.generated_at),
             "metadata": incident_metadata(i.incident.id, i.incident.revision)}
            for i in digest.items
        ),
    ]  # fmt: skip
    return [post_payload(digest.channel, message) for message in messages]


def write_payloads(payloads: list[dict[str, object]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payloads, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_previews(payloads: list[dict[str, object]], folder: Path, start: int = 0) -> list[Path]:
    """``NN-channel.json`` (Block Kit Builder) and ``NN-channel.payload.json`` per message."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, payload in enumerate(payloads, start=start // 2 + 1):
        stem = (
            f"{number:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '', str(payload['channel'])) or 'channel'}"
        )
        builder = folder / f"{stem}.json"
        builder.write_text(json.dumps({"blocks": payload["blocks"]}, ensure_ascii=False,
                                      indent=2) + "\n", encoding="utf-8")  # fmt: skip
        full = folder / f"{stem}.payload.json"
        _write_json(payload, full)
        written.extend([builder, full])
    return written


def _write_json(payload: dict[str, object], path: Path) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
