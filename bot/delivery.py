"""Delivering a digest exactly once: claim in Redis, deliver, then record.

Each item is claimed (``SET NX``) for its channel *before* it is sent, so a retry,
a restart or a second process can never send it again. If the sink fails, the
claims are released and the items stay pending for the next run: nothing is
lost and nothing is sent twice. The sinks themselves are small: the terminal
(demo, dry runs) and Slack (``bot.slack.poster``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from bot.digest import ITEMS_PER_MESSAGE, render_messages, render_text
from bot.errors import DeliveryError
from bot.keys import DELIVERED_TTL, POSTED_TTL
from bot.schema import Digest, DigestItem
from bot.store import Store

log = logging.getLogger(__name__)


class Sink(Protocol):
    """Somewhere a digest goes. Returns one id per message sent (Slack ts, or a label)."""

    def deliver(self, digest: Digest, timezone: str) -> list[str]: ...


@dataclass(frozen=True)
class DeliveryReport:
    channel: str
    delivered: int  # items sent by this call
    skipped: int  # items another process had already claimed
    message_ids: tuple[str, ...] = ()


class TerminalSink:
    """Prints the digest as text; optionally also writes its Block Kit JSON."""

    def __init__(self, out: TextIO, blocks_file: Path | None = None) -> None:
        self._out = out
        self._blocks_file = blocks_file

    def deliver(self, digest: Digest, timezone: str) -> list[str]:
        self._out.write(render_text(digest, timezone) + "\n")
        if self._blocks_file is not None:
            write_blocks(digest, timezone, self._blocks_file)
        return ["terminal"]


def write_blocks(digest: Digest, timezone: str, path: Path) -> None:
    payload = [
        {"channel": digest.channel, **message} for message in render_messages(digest, timezone)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def deliver(store: Store, digest: Digest, sink: Sink, timezone: str = "UTC") -> DeliveryReport:
    """Send the not-yet-claimed items of ``digest`` through ``sink``, once."""
    ttl = int(POSTED_TTL.total_seconds())
    claimed = []
    for item in digest.items:
        key = _claim_key(store, digest.channel, item)
        if store.redis.set(key, "claimed", nx=True, ex=ttl):
            claimed.append(item)
    skipped = len(digest.items) - len(claimed)
    if not claimed:
        return DeliveryReport(digest.channel, 0, skipped)
    # One sink call per message-sized chunk, recorded as soon as it is sent: if a
    # later chunk fails, only its own items are released for a retry.
    ids: list[str] = []
    sent = 0
    try:
        for start in range(0, len(claimed), ITEMS_PER_MESSAGE):
            chunk = tuple(claimed[start : start + ITEMS_PER_MESSAGE])
            chunk_ids = sink.deliver(digest.model_copy(update={"items": chunk}), timezone)
            _record(store, digest.channel, chunk, chunk_ids, ttl)
            ids.extend(chunk_ids)
            sent += len(chunk)
    except Exception as exc:
        # Release the unsent items: they are still pending and the next run retries them.
        unsent = claimed[sent:]
        store.redis.delete(*(_claim_key(store, digest.channel, i) for i in unsent))
        if isinstance(exc, DeliveryError):
            raise
        raise DeliveryError(f"{digest.channel}: {exc}") from exc
    log.info("delivered %d item(s) to %s", sent, digest.channel)
    return DeliveryReport(digest.channel, sent, skipped, tuple(ids))


def _claim_key(store: Store, channel: str, item: DigestItem) -> str:
    return store.keys.posted(channel, item.incident.id, item.incident.revision)


# Take an incident off the channel's pending list only if no newer revision was
# filed meanwhile (otherwise that update would never be delivered).
# KEYS: incident key, pending key. ARGV: incident id, delivered revision.
_DONE = """
local raw = redis.call('GET', KEYS[1])
if raw and tonumber(cjson.decode(raw)['revision']) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
"""


def _record(
    store: Store, channel: str, items: tuple[DigestItem, ...], ids: list[str], ttl: int
) -> None:
    keys = store.keys
    done = store.redis.register_script(_DONE)
    record = store.redis.pipeline(transaction=True)
    for item in items:
        incident = item.incident
        record.set(_claim_key(store, channel, item), ",".join(ids), ex=ttl)
        record.set(keys.delivered(channel, incident.id), incident.revision,
                   ex=int(DELIVERED_TTL.total_seconds()))  # fmt: skip
        done(keys=[keys.incident(incident.id), keys.pending(channel)],
             args=[incident.id, incident.revision], client=record)  # fmt: skip
    record.execute()
