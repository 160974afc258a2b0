"""Heartbeats: each long-running process says in Redis that it is alive and what it did last.

A beat rewrites a hash with a TTL of a few intervals, so a process that stops
beating disappears by itself; the sorted set of last beats keeps its name for a
day, so ``outage-bot status`` can say "stopped" rather than forget it.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot import __version__
from bot.store import Store

FORGET_AFTER = timedelta(days=1)


class Beat(BaseModel):
    """What one process last said about itself."""

    model_config = ConfigDict(frozen=True)

    process: str
    role: str  # run, clock, worker, serve
    pid: int
    host: str
    version: str
    started: datetime
    last_beat: datetime
    last_tick: datetime | None = None  # the last poll, tick or job batch that finished
    model: str | None = None  # the summarizer it loaded ("mt0-base", "extractive (fallback)")
    alive: bool = True  # False: its hash expired, it stopped beating


class Heartbeat:
    """One process's beats. ``every`` is how often it beats; three missed beats mean dead."""

    def __init__(self, store: Store, role: str, every: timedelta, *, model: str | None = None,
                 process: str | None = None) -> None:  # fmt: skip
        self._store = store
        self.process = process or f"{role}-{socket.gethostname()}-{os.getpid()}"
        self._ttl = max(int(every.total_seconds() * 3), 30)
        self._fields = {
            "role": role,
            "pid": str(os.getpid()),
            "host": socket.gethostname(),
            "version": __version__,
            "started": datetime.now(UTC).isoformat(),
        }
        if model is not None:
            self._fields["model"] = model

    def set_model(self, model: str) -> None:
        """The summarizer, once loaded (``run`` loads it while it reads its sources)."""
        self._fields["model"] = model

    def beat(self, *, ticked: bool = False) -> None:
        """Alive now; ``ticked``: and a unit of work (poll, tick, batch) just finished."""
        now = datetime.now(UTC)
        keys = self._store.keys
        fields = {**self._fields, "last_beat": now.isoformat()}
        if ticked:
            fields["last_tick"] = now.isoformat()
        write = self._store.redis.pipeline(transaction=False)
        write.hset(keys.heartbeat(self.process), mapping=fields)  # type: ignore[arg-type]  # redis-py's key type is invariant
        write.expire(keys.heartbeat(self.process), self._ttl)
        write.zadd(keys.heartbeats(), {self.process: now.timestamp()})
        write.zremrangebyscore(keys.heartbeats(), 0, (now - FORGET_AFTER).timestamp())
        write.execute()


def beats(store: Store) -> list[Beat]:
    """Every process heard from in the last day, most recent first."""
    keys = store.keys
    ranked: Any = store.redis.zrevrange(keys.heartbeats(), 0, -1, withscores=True)
    heard = [(str(name), float(score)) for name, score in ranked]
    read = store.redis.pipeline(transaction=False)
    for name, _ in heard:
        read.hgetall(keys.heartbeat(name))
    found = []
    for (name, score), raw in zip(heard, read.execute(), strict=True):
        last = datetime.fromtimestamp(score, UTC)
        if not raw:  # expired: the process stopped beating
            found.append(Beat(process=name, role=name.split("-", 1)[0], pid=0, host="?",
                              version="?", started=last, last_beat=last, alive=False))  # fmt: skip
        else:
            found.append(Beat(process=name, **raw))
    return found
