"""``{p}:last-digest:{channel}``: when a channel's digest last went out (or was queued).

The schedule (``bot.jobs.schedule.is_due``) reads it; the clock marks it when it
queues a digest, so the next tick does not queue it again.
"""

from __future__ import annotations

from datetime import datetime

from bot.store import Store, redis_errors


class DigestClock:
    def __init__(self, store: Store) -> None:
        self._store = store

    def last(self, channel: str) -> datetime | None:
        with redis_errors("reading the time of the last digest"):
            raw = self._store.redis.get(self._store.keys.last_digest(channel))
        return datetime.fromisoformat(str(raw)) if raw else None

    def mark(self, channel: str, at: datetime) -> None:
        with redis_errors("recording the time of a digest"):
            self._store.redis.set(self._store.keys.last_digest(channel), at.isoformat())
