"""Why a digest is empty: the question every first `digest --dry-run` raises."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import ChannelConfig
from bot.incidents.book import IncidentBook
from bot.keys import PENDING_MAX_AGE
from bot.store import Store
from bot.store.delivered import DeliveredRevisions


def why_empty(store: Store, channel: ChannelConfig) -> str:
    """One sentence: nothing stored, everything delivered, or nothing this channel wants."""
    every = [i for i in IncidentBook(store).recent(datetime.fromtimestamp(0, UTC)) if i.is_outage]
    if not every:
        return "nothing is pending: no incidents are stored yet (run `outage-bot ingest` or `run`)."
    seen = DeliveredRevisions(store).get_many(channel.id, [i.id for i in every])
    delivered = sum(
        1 for i, s in zip(every, seen, strict=True) if s is not None and s >= i.revision
    )
    rest = len(every) - delivered
    parts = [f"nothing is pending for {channel.id}: {len(every)} incident(s) stored"]
    if delivered:
        parts.append(f"{delivered} already delivered there")
    if rest:
        filters = channel.filters.model_dump(exclude_defaults=True)
        wanted = f"its filters {filters}" if filters else "its filters"
        parts.append(f"{rest} not wanted by {wanted}, or news older than the "
                     f"{PENDING_MAX_AGE.days}-day pending window")  # fmt: skip
    return "; ".join(parts) + "."
