"""Per-source state in Redis: conditional-GET validators, health and back-off.

``outage-bot sources`` shows it; the poller reads it to skip sources that are
backing off. One hash per source (``{p}:source:{name}``, see bot.keys).

Back-off after consecutive failures is exponential with jitter, from one
minute up to six hours; a server's Retry-After wins when it asks for longer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from bot.keys import SOURCE_TTL
from bot.store import Store

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
# Never wait longer than this even if a server asks for it (a typo'd Retry-After).
RETRY_AFTER_MAX = timedelta(hours=24)


class SourceHealth(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    etag: str | None = None
    last_modified: str | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    failures: int = 0  # consecutive
    next_attempt: datetime | None = None
    last_new: int = 0

    def due(self, now: datetime) -> bool:
        return self.next_attempt is None or self.next_attempt <= now


class SourceStates:
    def __init__(self, store: Store, rng: Callable[[], float] = random.random) -> None:
        self._store = store
        self._rng = rng

    def get_many(self, names: Iterable[str]) -> dict[str, SourceHealth]:
        names = list(names)
        read = self._store.redis.pipeline(transaction=False)
        for name in names:
            read.hgetall(self._store.keys.source(name))
        return {n: _from_hash(n, raw) for n, raw in zip(names, read.execute(), strict=True)}

    def get(self, name: str) -> SourceHealth:
        return self.get_many([name])[name]

    def record_success(
        self,
        name: str,
        now: datetime,
        *,
        new: int,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        fields = {"last_success": now.isoformat(), "failures": "0", "last_new": str(new)}
        if etag is not None:
            fields["etag"] = etag
        if last_modified is not None:
            fields["last_modified"] = last_modified
        self._write(name, fields, drop=("next_attempt",))

    def record_failure(
        self, name: str, now: datetime, error: str, *, retry_after: float | None = None
    ) -> datetime:
        """Count a failure and return when the source may be tried again."""
        failures = self.get(name).failures + 1
        delay: timedelta = min(BACKOFF_MAX, BACKOFF_BASE * (1 << min(failures - 1, 20)))
        delay = delay * (0.5 + self._rng())  # jitter: 0.5x to 1.5x
        if retry_after is not None:
            delay = max(delay, min(timedelta(seconds=retry_after), RETRY_AFTER_MAX))
        next_attempt = now + delay
        self._write(
            name,
            {
                "last_error": printable(error)[:500],
                "last_error_at": now.isoformat(),
                "failures": str(failures),
                "next_attempt": next_attempt.isoformat(),
            },
        )
        return next_attempt

    def _write(self, name: str, fields: dict[str, str], drop: tuple[str, ...] = ()) -> None:
        key = self._store.keys.source(name)
        write = self._store.redis.pipeline(transaction=True)
        write.hset(key, mapping=fields)  # type: ignore[arg-type]  # redis-py's key type is invariant
        if drop:
            write.hdel(key, *drop)
        write.expire(key, int(SOURCE_TTL.total_seconds()))
        write.execute()


def _from_hash(name: str, raw: dict[str, str]) -> SourceHealth:
    def when(field: str) -> datetime | None:
        value = raw.get(field)
        return datetime.fromisoformat(value).astimezone(UTC) if value else None

    return SourceHealth(
        name=name,
        etag=raw.get("etag"),
        last_modified=raw.get("last_modified"),
        last_success=when("last_success"),
        last_error=raw.get("last_error"),
        last_error_at=when("last_error_at"),
        failures=int(raw.get("failures", "0")),
        next_attempt=when("next_attempt"),
        last_new=int(raw.get("last_new", "0")),
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def printable(text: str) -> str:
    """``text`` without control characters: errors quote what remote servers sent, and
    are shown in terminals (escape sequences) and in Slack (bidi overrides)."""
    return _CONTROL.sub(" ", text)
