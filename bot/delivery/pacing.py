"""About one message per second per channel, for every process together.

Slack allows roughly one ``chat.postMessage`` per second per channel (short
bursts pass, longer ones get HTTP 429). A digest of forty incidents is forty-odd
messages, and several workers may post to the same channel, so the pace is kept
in Redis: each post reserves the next free slot of its channel atomically and
sleeps until it. Reservations queue posts fairly instead of letting them race.
The 429s that still happen are retried by the WebClient's retry handler.

Times come from the local clock; hosts kept in sync by NTP agree to within
milliseconds, far below the one-second pace.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from bot.store import Store

INTERVAL_S = 1.0

# KEYS: the channel's pace key. ARGV: now (ms), interval (ms).
# Returns how many ms the caller must wait for its slot. The key expires once its
# slot has passed, so an idle channel leaves nothing behind.
_RESERVE = """
local now = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
local after = slot + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', math.max(after - now, 1))
return slot - now
"""


class Pacer(Protocol):
    def wait(self, channel: str) -> float:
        """Block until a message may be posted to ``channel``; returns the seconds waited."""
        ...


class ChannelPacer:
    """The Redis-shared pace; ``sleep`` and ``clock`` are injectable for tests."""

    def __init__(
        self,
        store: Store,
        interval_s: float = INTERVAL_S,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._interval_ms = max(int(interval_s * 1000), 1)
        self._sleep = sleep
        self._clock = clock
        self._reserve = store.redis.register_script(_RESERVE)

    def wait(self, channel: str) -> float:
        now_ms = int(self._clock() * 1000)
        key = self._store.keys.pace(channel)
        wait_ms = int(self._reserve(keys=[key], args=[now_ms, self._interval_ms]))
        if wait_ms > 0:
            self._sleep(wait_ms / 1000)
        return wait_ms / 1000
