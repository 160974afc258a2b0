"""Riding out a Redis outage in the long-running processes (``run``, ``clock``, ``worker``).

Without a supervisor, a process that exits when Redis restarts stays down. Each
loop iteration is therefore run through ``RedisOutage.attempt``: on a Redis
error it says so once, waits with exponential back-off (1 s doubling to 60 s)
and tries the iteration again, and says when Redis is back. Retrying is safe
because every step commits through atomic claims (``bot.dedupe.claims``, delivery
claims, stream acknowledgements): an iteration cut short repeats only what was
not committed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis

from bot.errors import StoreError

log = logging.getLogger(__name__)
T = TypeVar("T")

FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 60.0


class RedisOutage:
    """Runs one unit of work, waiting out Redis failures until ``stop`` is set."""

    def __init__(
        self,
        what: str,
        stop: threading.Event,
        *,
        say: Callable[[str], None] | None = None,
        retry: bool = True,
        first_wait_s: float = FIRST_WAIT_S,
        longest_wait_s: float = LONGEST_WAIT_S,
    ) -> None:
        self._what = what
        self._stop = stop
        self._say = say or log.warning
        self._first, self._longest = first_wait_s, longest_wait_s
        # A one-shot run (``--once``, cron) reports the failure instead of waiting.
        self._retry = retry

    def attempt(self, work: Callable[[], T]) -> T | None:
        """``work()``'s result; None only when stopped while Redis was down."""
        wait = self._first
        down_since: float | None = None
        while True:
            try:
                result = work()
            except (redis.RedisError, StoreError) as exc:
                if not self._retry:
                    raise
                if down_since is None:
                    down_since = time.monotonic()
                    self._say(f"{self._what}: Redis is unreachable ({exc}); retrying with "
                              f"back-off up to {self._longest:g} s until it is back")  # fmt: skip
                if self._stop.wait(wait):
                    return None
                wait = min(wait * 2, self._longest)
                continue
            if down_since is not None:
                self._say(
                    f"{self._what}: Redis is back after {time.monotonic() - down_since:.0f} s"
                )
            return result
