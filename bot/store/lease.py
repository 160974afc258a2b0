"""A heartbeat that keeps short leases alive while their holder is alive.

Work handed between processes (stream jobs, delivery claims) is leased: it
expires on its own when the holder dies. A lease long enough for the slowest
piece of work made a killed worker's items wait that long (ten minutes); a short
lease renewed by a heartbeat lets another process take over within a minute or
two, while a live holder keeps its work however long it takes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)


class Heartbeat:
    """``with Heartbeat(every_s, beat):`` calls ``beat()`` every ``every_s`` seconds
    on a daemon thread until the block ends. A failing beat is logged and retried
    at the next beat: the lease then lapses only if the holder stays cut off."""

    def __init__(self, every_s: float, beat: Callable[[], None], name: str = "heartbeat") -> None:
        self._every = every_s
        self._beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=self._every + 5)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._beat()
            except Exception as exc:  # Redis blipped: the next beat tries again
                log.warning("lease heartbeat failed: %s", exc)
