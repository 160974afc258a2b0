"""Slow replies off bolt's listener threads, with a bound per user, per channel and overall.

bolt runs each listener on a pool of 5 threads and waits up to 3 s for its ack.
A listener that acks and then fetches a slow page keeps its thread, so a dozen
``/outage-summary <url>`` against trickling servers left no thread to ack
anything else: every later command failed for minutes. Here the listener only
acks and hands the work to this pool, so acks never wait behind slow work; and
one user (or channel) can have only a few requests in flight, so a burst from
one place cannot fill the queue for everybody.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

WORKERS = 8
PER_USER = 3
PER_CHANNEL = 6
IN_FLIGHT_MAX = 64  # running plus queued


class SlowWork:
    """A bounded executor for work that runs after Slack's acknowledgement."""

    def __init__(
        self,
        *,
        workers: int = WORKERS,
        per_user: int = PER_USER,
        per_channel: int = PER_CHANNEL,
        in_flight_max: int = IN_FLIGHT_MAX,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slow-reply")
        self._limits = (per_user, per_channel, in_flight_max)
        self._lock = threading.Lock()
        self._users: Counter[str] = Counter()
        self._channels: Counter[str] = Counter()
        self._total = 0

    def start(self, user: str, channel: str, work: Callable[[], None]) -> str | None:
        """Run ``work`` soon; or, over a limit, run nothing and return why (for the ack)."""
        with self._lock:
            refused = self._why_not(user, channel)
            if refused is not None:
                return refused
            self._users[user] += 1
            self._channels[channel] += 1
            self._total += 1

        def run() -> None:
            try:
                work()
            except Exception:  # the work replies itself; a failure here is a bug to log
                log.exception("slow reply failed")
            finally:
                with self._lock:
                    self._users[user] -= 1
                    self._channels[channel] -= 1
                    self._total -= 1
                    # Unary plus drops zero counts, so the counters stay small.
                    self._users = +self._users
                    self._channels = +self._channels

        self._pool.submit(run)
        return None

    def _why_not(self, user: str, channel: str) -> str | None:
        per_user, per_channel, total = self._limits
        if self._users[user] >= per_user:
            return f"You already have {per_user} requests in progress; try again when they finish."
        if self._channels[channel] >= per_channel:
            return f"This channel already has {per_channel} requests in progress; try again soon."
        if self._total >= total:
            return "The bot is busy right now; try again in a minute."
        return None
