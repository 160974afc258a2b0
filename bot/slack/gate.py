"""Checks in front of bolt: request shape (400, not bolt's 500) and replay refusal.

bolt turns a malformed timestamp or signature header, a body that is not UTF-8,
or JSON of the wrong shape into an exception, which the WSGI server answers with
500 and a traceback in the log. Whatever Slack really sends passes these checks;
anything else is answered 400 (or 401 for a signature that cannot be one) before
bolt sees it.

bolt refuses requests whose timestamp is more than five minutes off, but a
request captured inside that window could be sent again. ``refuse_replays``
records each verified signature in Redis and refuses a second use of it: 401,
or, for a request marked as Slack's retry, an empty 200 that runs nothing.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import parse_qs

from redis import RedisError
from slack_bolt import BoltRequest, BoltResponse

from bot.store import Store

log = logging.getLogger(__name__)

_TIMESTAMP = re.compile(r"\d{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
# bolt accepts timestamps up to 5 minutes either side of now, so a signature can
# be presented for at most 10 minutes; the record outlives that.
REPLAY_WINDOW_S = 11 * 60
REPLAY_CHECK_BUDGET_S = 0.5


class BadRequest(Exception):
    """The request cannot be from Slack; ``status`` and ``why`` form the answer."""

    def __init__(self, status: str, why: str) -> None:
        self.status = status
        self.why = why
        super().__init__(why)


def check_headers(timestamp: str | None, signature: str | None) -> None:
    """Present authentication headers must be well-formed (absent ones: bolt says 401)."""
    if timestamp is not None and not _TIMESTAMP.fullmatch(timestamp):
        raise BadRequest("400 Bad Request", "malformed X-Slack-Request-Timestamp")
    if signature is not None and not _SIGNATURE.fullmatch(signature):
        raise BadRequest("401 Unauthorized", "invalid X-Slack-Signature")


def check_body(body: bytes, content_type: str) -> None:
    """The body must parse the way bolt parses it, into the shapes bolt indexes."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("400 Bad Request", "the body is not UTF-8") from None
    if content_type.startswith("application/json") or text.lstrip().startswith("{"):
        _check_payload(text)
        return
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        _check_payload(form["payload"][0])


def _check_payload(text: str) -> None:
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest("400 Bad Request", "the payload is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("400 Bad Request", "the payload is not a JSON object")
    wrong = (
        ("type", str),
        ("event", dict),
        ("actions", list),
        ("team", dict),
        ("user", (dict, str)),
        ("channel", (dict, str)),
    )
    for key, kind in wrong:
        if key in payload and payload[key] is not None and not isinstance(payload[key], kind):
            raise BadRequest("400 Bad Request", f"the payload's {key!r} has the wrong type")
    event = payload.get("event")
    if isinstance(event, dict) and not isinstance(event.get("type"), str):
        raise BadRequest("400 Bad Request", "the event has no type")
    actions = payload.get("actions")
    if isinstance(actions, list) and not all(isinstance(a, dict) for a in actions):
        raise BadRequest("400 Bad Request", "the payload's actions are not objects")


Middleware = Callable[[BoltRequest, BoltResponse, Callable[[], BoltResponse]], BoltResponse | None]


def refuse_replays(store: Store) -> Middleware:
    """A bolt middleware (it runs after bolt verified the signature) refusing reuse."""

    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="replay-check")

    def middleware(
        req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        signatures = req.headers.get("x-slack-signature") or []
        if not signatures:  # Socket Mode: no HTTP request to replay
            return next()
        signature = signatures[0]
        if not signature:
            return next()
        key = store.keys.request_signature(signature)
        # Bounded: redis-py retries a dead connection for seconds, and the whole
        # request has Slack's 3 s. The write itself still completes when it can.
        pending = pool.submit(store.redis.set, key, "1", nx=True, ex=REPLAY_WINDOW_S)
        try:
            first = pending.result(timeout=REPLAY_CHECK_BUDGET_S)
        except (RedisError, FutureTimeout) as exc:
            # Open, not closed: without Redis the app still answers (signature and
            # timestamp are checked); the replay window is the 5 minutes bolt allows.
            log.warning("replay check skipped, Redis failed: %s", exc or "too slow")
            return next()
        if not first:
            if req.headers.get("x-slack-retry-num"):
                # Slack's own retry of a delivery we already took (a retry can follow
                # within the same second, with the same signature): acknowledge it
                # so Slack stops, and run nothing a second time.
                return BoltResponse(status=200, body="")
            log.warning("refused a replayed Slack request (signature seen before)")
            return BoltResponse(status=401, body="replayed request")
        return next()

    return middleware
