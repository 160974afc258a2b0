"""``{p}:delivered:{channel}:{id}``: the incident revision last delivered to a channel.

Written by delivery in the same transaction that records a post
(``bot.delivery.deliver``), so it can never say delivered for something that was
not; read here to mark a digest item as an update of what the channel saw.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.keys import DELIVERED_TTL
from bot.store import Store, redis_errors


class DeliveredRevisions:
    TTL_S = int(DELIVERED_TTL.total_seconds())

    def __init__(self, store: Store) -> None:
        self._store = store

    def key(self, channel: str, incident_id: str) -> str:
        """The key delivery sets (with ``TTL_S``) inside its recording transaction."""
        return self._store.keys.delivered(channel, incident_id)

    def get_many(self, channel: str, incident_ids: Sequence[str]) -> list[int | None]:
        """The revision last delivered to ``channel`` of each incident (None: never)."""
        if not incident_ids:
            return []
        with redis_errors("reading delivered revisions"):
            raws = self._store.redis.mget([self.key(channel, i) for i in incident_ids])
        return [int(r) if r else None for r in raws]
