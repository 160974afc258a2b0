"""``{p}:pending:{channel}``: incidents with news for a channel's next digest.

Filing adds to it (``add``, from ``bot.intake.filing``); delivery takes an incident off it
in the same transaction that records the delivery (``bot.delivery.deliver``), so
that write stays a script there. Reading and trimming live here too.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.keys import PENDING_MAX, PENDING_MAX_AGE
from bot.store import Store, redis_errors


class PendingIncidents:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, channels: Collection[str], incident_id: str, updated_at: datetime) -> None:
        """``incident_id`` has news for each of ``channels``; each list keeps its newest
        PENDING_MAX entries."""
        keys = self._store.keys
        write = self._store.redis.pipeline(transaction=False)
        for channel in channels:
            write.zadd(keys.pending(channel), {incident_id: updated_at.timestamp()})
            write.zremrangebyrank(keys.pending(channel), 0, -(PENDING_MAX + 1))
        with redis_errors("queueing an incident for its channels"):
            write.execute()

    def ids(self, channel: str, now: datetime) -> list[str]:
        """Incident ids with news for ``channel``, most recently updated first.

        Entries older than PENDING_MAX_AGE are dropped as they are read: their
        incidents have expired too.
        """
        key = self._store.keys.pending(channel)
        oldest = int((now - PENDING_MAX_AGE).timestamp())
        with redis_errors("reading a channel's pending incidents"):
            self._store.redis.zremrangebyscore(key, "-inf", f"({oldest}")
            return [str(i) for i in self._store.redis.zrevrange(key, 0, -1)]

    def forget(self, channel: str, incident_ids: Collection[str]) -> None:
        """Drop ids whose incidents are gone (expired), so they are not looked up again."""
        if incident_ids:
            with redis_errors("trimming a channel's pending incidents"):
                self._store.redis.zrem(self._store.keys.pending(channel), *incident_ids)

    def score(self, channel: str, incident_id: str) -> float | None:
        """When the incident was queued for the channel (epoch seconds), or None."""
        with redis_errors("reading a channel's pending incidents"):
            score = self._store.redis.zscore(self._store.keys.pending(channel), incident_id)
        return None if score is None else float(score)
