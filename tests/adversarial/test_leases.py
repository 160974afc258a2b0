"""Leases with heartbeats: a live holder keeps its work, a dead one's is taken over soon.

Real Redis; lease times are shortened so the test takes seconds (the mechanism is
the same at 90 s / 60 s).
"""

from __future__ import annotations

import time

from bot.delivery.deliver import _renew
from bot.jobs.queue import JobQueue
from bot.store import Store
from bot.store.lease import Heartbeat


def test_a_worker_that_heartbeats_keeps_its_job_and_a_dead_ones_is_reclaimed(
    store: Store,
) -> None:
    queue = JobQueue(store, "leases")
    queue.ensure_group()
    queue.add({"kind": "summarize", "article": "a1"})
    [job] = queue.read("alive", count=1)
    with Heartbeat(0.2, lambda: queue.touch("alive", [job.id])):
        time.sleep(1.5)  # longer than the lease below
        assert queue.reclaim("other", min_idle_ms=1000) == []
    # "alive" dies here (no more heartbeats): its job is reclaimable after the lease.
    time.sleep(1.1)
    [taken] = queue.reclaim("other", min_idle_ms=1000)
    assert taken.id == job.id and taken.attempt == 2  # touches did not count as deliveries


def test_claim_renewal_keeps_held_claims_and_leaves_recorded_ones(store: Store) -> None:
    held, recorded, released = "test:posted:a", "test:posted:b", "test:posted:c"
    store.redis.set(held, "claimed", ex=2)
    store.redis.set(recorded, "1700000000.000100", ex=2)
    _renew(store, [held, recorded, released])
    assert store.redis.ttl(held) > 2  # renewed to the full lease
    assert store.redis.ttl(recorded) <= 2  # a message ts is not a claim to renew
    assert not store.redis.exists(released)  # a claim given back stays given back


def test_a_process_of_this_host_that_is_gone_is_dead_and_nothing_else_is() -> None:
    import os
    import socket
    import subprocess
    import sys

    from bot.store.liveness import dead_here

    host = socket.gethostname()
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    assert dead_here(host, str(child.pid))
    assert not dead_here(host, str(os.getpid()))  # this very process
    assert not dead_here(host, str(os.getppid()))  # a live one
    assert not dead_here("another-host", str(child.pid))  # only leases tell about others
    assert not dead_here(host, "not-a-pid")
