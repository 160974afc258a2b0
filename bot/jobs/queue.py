"""Jobs between processes: one Redis Stream and its consumer group.

``outage-bot clock`` adds jobs; every ``outage-bot worker``, on any machine, joins
the consumer group and takes them. Redis gives each job to one consumer
(XREADGROUP) and remembers it as pending until that consumer acknowledges it
(XACK), so:

- a job is acknowledged only after its work succeeded; one that raised stays
  pending and is retried once it has been idle for ``min_idle_ms`` (XAUTOCLAIM),
  by whichever worker looks first;
- a job whose worker was killed is pending too, and is reclaimed the same way;
- the group counts how often each job was handed out (XPENDING); a job that failed
  ``max_attempts`` times, or was handed out more often than that without ever
  finishing (it kills its worker), is moved to a dead-letter stream with its
  error and logged, so one poisoned job never blocks the rest.

Acknowledged jobs are deleted, so the stream's length is the backlog. Both
streams are trimmed on every add (``MAXLEN``): if workers stay down long enough
for ten thousand jobs to pile up, the oldest are dropped rather than Redis
filling up; the clock queues current work again on its next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from redis.typing import StreamIdT

from bot.keys import DEAD_LETTER_MAX, QUEUED_TTL, STREAM_MAX
from bot.schema import Frozen
from bot.store import Store
from bot.store.liveness import dead_here

log = logging.getLogger(__name__)

DEFAULT_GROUP = "workers"
MAX_ATTEMPTS = 5
# The job field that carries its "queued once" token (see ``JobQueue.add``).
ONCE_FIELD = "once"

# Add a job unless one with the same token was queued within the token's TTL; atomic,
# so two clocks (or a crash between the two steps) can neither queue it twice nor
# leave a token without its job. KEYS: stream, token. ARGV: ttl s, max length, fields...
_ADD_ONCE = """
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return false end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
"""


class Job(Frozen):
    """One job as a worker received it."""

    id: str  # the stream entry id
    fields: dict[str, str]
    attempt: int = 1  # how many times the group has handed it out, this time included

    @property
    def kind(self) -> str:
        return self.fields.get("kind", "")


class JobQueue:
    """A typed wrapper over one stream (``name``) and one consumer group (``group``)."""

    def __init__(
        self,
        store: Store,
        name: str,
        group: str = DEFAULT_GROUP,
        *,
        max_len: int = STREAM_MAX,
        max_attempts: int = MAX_ATTEMPTS,
        dead_max_len: int = DEAD_LETTER_MAX,
    ) -> None:
        self._store = store
        self._redis = store.redis
        self.name = name
        self.group = group
        self.key = store.keys.stream(name)
        self.dead_key = store.keys.dead_letters(name)
        self._max_len = max_len
        self._max_attempts = max_attempts
        self._dead_max_len = dead_max_len
        self._add_once = store.redis.register_script(_ADD_ONCE)

    # -- producing -------------------------------------------------------------------

    def add(
        self, job: Mapping[str, str], *, once: str | None = None, once_ttl: timedelta = QUEUED_TTL
    ) -> str | None:
        """Queue a job; returns its id.

        With ``once``, a token naming the work, nothing is queued (None) when a job
        with that token was queued less than ``once_ttl`` ago and not released: the
        clock can offer the same work every tick without piling up duplicates.
        """
        if once is None:
            entry: dict[Any, Any] = dict(job)  # redis-py's types want its own key type
            return str(self._redis.xadd(self.key, entry, maxlen=self._max_len,
                                        approximate=True))  # fmt: skip
        fields = [part for pair in {**job, ONCE_FIELD: once}.items() for part in pair]
        added = self._add_once(
            keys=[self.key, self._store.keys.queued(self.name, once)],
            args=[int(once_ttl.total_seconds()), self._max_len, *fields],
        )
        return str(added) if added else None

    def release(self, job: Job) -> None:
        """Forget the job's ``once`` token, so the same work may be queued again."""
        token = job.fields.get(ONCE_FIELD)
        if token is not None:
            self._redis.delete(self._store.keys.queued(self.name, token))

    # -- consuming -------------------------------------------------------------------

    def ensure_group(self) -> None:
        """Create the stream and the group (idempotent). New groups start at the
        stream's beginning, so jobs queued before any worker existed are not lost."""
        try:
            self._redis.xgroup_create(self.key, self.group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def read(self, consumer: str, count: int = 10, block_ms: int | None = None) -> list[Job]:
        """Up to ``count`` jobs nobody has had yet; waits up to ``block_ms`` for one
        (None: does not wait)."""
        try:
            reply = self._read(consumer, count, block_ms)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            # First use, or someone deleted the stream (``demo --reset``): start again.
            self.ensure_group()
            reply = self._read(consumer, count, block_ms)
        return [
            Job(id=str(entry_id), fields=dict(fields))
            for _, entries in reply or []
            for entry_id, fields in entries
            if entry_id is not None and fields is not None
        ]

    def _read(self, consumer: str, count: int, block_ms: int | None) -> Any:
        return self._redis.xreadgroup(self.group, consumer, {self.key: ">"}, count=count,
                                      block=block_ms)  # fmt: skip

    def reclaim(self, consumer: str, min_idle_ms: int, count: int = 10) -> list[Job]:
        """Take over jobs that other consumers (or this one) left pending for at least
        ``min_idle_ms``: they failed, or their worker died. Jobs handed out more than
        ``max_attempts`` times are dead-lettered instead of returned."""
        try:
            reply = self._redis.xautoclaim(self.key, self.group, consumer,
                                           min_idle_time=min_idle_ms, count=count)  # fmt: skip
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.ensure_group()
            return []
        if any(entry_id is None for entry_id, _ in reply[1]):
            self._drop_trimmed(consumer)
        jobs = []
        for entry_id, fields in reply[1]:
            if entry_id is None or fields is None:
                continue
            job = Job(id=str(entry_id), fields=dict(fields))
            job = job.model_copy(update={"attempt": self.attempts(job)})
            if job.attempt > self._max_attempts:
                self.dead_letter(job, f"handed out {job.attempt - 1} times and never finished "
                                      "(its worker died each time?)")  # fmt: skip
                continue
            jobs.append(job)
        return jobs

    def _drop_trimmed(self, consumer: str) -> None:
        # A job trimmed away while pending (workers fell ten thousand jobs behind) is
        # gone; Redis 7 forgets it during XAUTOCLAIM, Redis 6.2 keeps its id pending
        # and hides it from the reply, so acknowledge whatever pending id has no entry.
        for row in self._redis.xpending_range(self.key, self.group, min="-", max="+",
                                              count=1000, consumername=consumer):  # fmt: skip
            entry_id = row["message_id"]
            if not self._redis.xrange(self.key, min=entry_id, max=entry_id):
                log.warning("job %s was trimmed from %s before it was done", entry_id, self.key)
                self._redis.xack(self.key, self.group, entry_id)

    def own_pending(self, consumer: str, count: int = 100) -> list[Job]:
        """Jobs ``consumer`` holds and has not acknowledged (XREADGROUP from id 0): what
        a worker of that name left when it died, or what ``take_over`` gave it."""
        try:
            reply: Any = self._redis.xreadgroup(self.group, consumer, {self.key: "0"},
                                                count=count)  # fmt: skip
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            return []
        jobs = []
        for _, entries in reply or []:
            for entry_id, fields in entries:
                if entry_id is None or not fields:  # trimmed away while pending
                    continue
                job = Job(id=str(entry_id), fields=dict(fields))
                jobs.append(job.model_copy(update={"attempt": self.attempts(job)}))
        return jobs

    def take_over_dead(self, consumer: str) -> int:
        """Give ``consumer`` the jobs of workers on this host that are no longer running
        (default names are ``hostname-pid``): restarted after ``kill -9``, a worker
        finishes its predecessor's work now rather than after RECLAIM_AFTER_MS."""
        taken = 0
        for info in self._consumers():
            name = str(info["name"])
            host, _, pid = name.rpartition("-")
            host = host.removeprefix("run-")  # `outage-bot run` names itself run-host-pid
            if name == consumer or int(info["pending"]) == 0 or not dead_here(host, pid):
                continue
            rows = self._redis.xpending_range(self.key, self.group, min="-", max="+",
                                              count=1000, consumername=name)  # fmt: skip
            ids: list[StreamIdT] = [row["message_id"] for row in rows]
            if ids:
                self._redis.xclaim(self.key, self.group, consumer, min_idle_time=0,
                                   message_ids=ids, justid=True)  # fmt: skip
                taken += len(ids)
                log.warning("took over %d job(s) of %s, which is no longer running", len(ids), name)
        return taken

    def touch(self, consumer: str, job_ids: list[str]) -> None:
        """Reset the idle time of jobs ``consumer`` still holds: a heartbeat, so only
        a dead worker's jobs become reclaimable (XCLAIM ... JUSTID does not count
        as another delivery)."""
        if job_ids:
            ids: list[StreamIdT] = [*job_ids]
            self._redis.xclaim(self.key, self.group, consumer, min_idle_time=0,
                               message_ids=ids, justid=True)  # fmt: skip

    def attempts(self, job: Job) -> int:
        """How many times the group has handed the job out (0: not pending)."""
        rows = self._redis.xpending_range(self.key, self.group, min=job.id, max=job.id, count=1)
        return int(rows[0]["times_delivered"]) if rows else 0

    def ack(self, job: Job) -> None:
        """The job is done: acknowledge it and delete it from the stream."""
        done = self._redis.pipeline(transaction=True)
        done.xack(self.key, self.group, job.id)
        done.xdel(self.key, job.id)
        done.execute()

    def fail(self, job: Job, error: str) -> bool:
        """Record a failed attempt. The job stays pending (retried after the reclaim
        idle time) until its ``max_attempts``-th failure dead-letters it (True)."""
        if job.attempt >= self._max_attempts:
            self.dead_letter(job, error)
            return True
        log.warning("%s job %s failed (attempt %d of %d), will retry: %s", job.kind, job.id,
                    job.attempt, self._max_attempts, error)  # fmt: skip
        return False

    def dead_letter(self, job: Job, error: str) -> None:
        """Move the job to the dead-letter stream with its error, and log it."""
        log.error("%s job %s dead-lettered after %d attempt(s): %s %s", job.kind, job.id,
                  job.attempt, error, job.fields)  # fmt: skip
        letter: dict[Any, Any] = {
            **job.fields,
            "job": job.id,
            "attempts": str(job.attempt),
            "error": error[:2000],
            "failed_at": datetime.now(UTC).isoformat(),
        }
        move = self._redis.pipeline(transaction=True)
        move.xadd(self.dead_key, letter, maxlen=self._dead_max_len, approximate=False)
        move.xack(self.key, self.group, job.id)
        move.xdel(self.key, job.id)
        move.execute()

    # -- looking -----------------------------------------------------------------------

    def backlog(self) -> int:
        """Jobs queued and not yet done (waiting, in progress or to be retried)."""
        return int(self._redis.xlen(self.key))

    def pending(self) -> int:
        """Jobs handed out and not yet acknowledged."""
        try:
            return int(self._redis.xpending(self.key, self.group)["pending"])
        except redis.ResponseError:  # no group yet
            return 0

    def dead_letter_count(self) -> int:
        return int(self._redis.xlen(self.dead_key))

    def dead_letters(self, count: int = 100) -> list[dict[str, str]]:
        """The most recent dead letters, newest first."""
        entries: Any = self._redis.xrevrange(self.dead_key, count=count)
        return [dict(fields) for _, fields in entries]

    def _consumers(self) -> list[dict[str, Any]]:
        try:
            return list(self._redis.xinfo_consumers(self.key, self.group))
        except redis.ResponseError:  # no stream or group yet
            return []

    def prune_consumers(self, idle: timedelta = timedelta(days=1)) -> int:
        """Drop consumers that hold nothing and were idle for ``idle``: every worker
        start (``hostname-pid``) adds one, and the group would grow without end."""
        gone = 0
        for consumer in self._consumers():
            if (
                int(consumer["pending"]) == 0
                and int(consumer["idle"]) >= idle.total_seconds() * 1000
            ):
                self._redis.xgroup_delconsumer(self.key, self.group, consumer["name"])
                gone += 1
        return gone
