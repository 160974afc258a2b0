"""Serving a bolt App: HTTP mode under waitress, or Socket Mode over a websocket.

HTTP mode answers ``POST /slack/events`` (commands, events, interactivity; bolt
verifies each request's signature and refuses stale timestamps) and
``GET /healthz`` for load balancers and orchestrators. Socket Mode needs no
public URL: the app asks ``apps.connections.open`` (through the injected
WebClient, so ``SLACK_API_URL`` applies) for a websocket URL and receives the
same payloads as envelopes it acknowledges.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import resource
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from waitress.trigger import trigger as WakeUp

from bot.errors import ConfigError, ConfigProblem, DeliveryError
from bot.ops.metrics import exposition
from bot.slack.gate import BadRequest, check_body, check_headers

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"  # Prometheus scrapes the same port Slack posts to

# Slack's payloads are a few KiB; refusing large bodies early keeps a flood of
# junk from tying up worker threads before the signature check can reject it.
MAX_BODY_BYTES = 1 << 20

# Idle or trickling clients (slowloris) cost waitress a connection, not a thread:
# requests go to worker threads only once fully read. So the defence is room for
# many connections (default 100, after which waitress stops accepting anyone)
# and a short idle timeout (default 120 s): Slack sends its small requests at once.
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT_S = 10
CLEANUP_INTERVAL_S = 2
MAX_HEADER_BYTES = 64 * 1024

HealthCheck = Callable[[], Mapping[str, Any]]


def _json_reply(start_response: StartResponse, status: str, body: Mapping[str, Any]) -> list[bytes]:
    data = json.dumps(body, default=str).encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [data]


def _text_reply(
    start_response: StartResponse, status: str, text: str, extra: Iterable[tuple[str, str]] = ()
) -> list[bytes]:
    data = text.encode("utf-8")
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    start_response(status, [*headers, *extra])
    return [data]


def _health_reply(health: HealthCheck | None, start_response: StartResponse) -> list[bytes]:
    if health is None:
        return _json_reply(start_response, "200 OK", {"ok": True})
    try:
        extra = dict(health())
    except Exception as exc:  # any failing dependency means "not healthy", never a crash
        log.warning("health check failed: %s", exc)
        reason = f"{type(exc).__name__}: {exc}"
        return _json_reply(
            start_response, "503 Service Unavailable", {"ok": False, "error": reason}
        )
    return _json_reply(start_response, "200 OK", {**extra, "ok": True})


def wsgi_app(app: App, health: HealthCheck | None = None) -> WSGIApplication:
    """The WSGI application of HTTP mode.

    ``health`` may add fields to the ``/healthz`` answer (e.g. a Redis ping); when
    it raises, ``/healthz`` answers 503 with the reason.
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH:
            if method != "POST":
                return _text_reply(
                    start_response, "405 Method Not Allowed", "Use POST\n", [("Allow", "POST")]
                )
            try:
                _checked(environ)
            except BadRequest as exc:
                return _text_reply(start_response, exc.status, exc.why + "\n")
            # bolt's handler reads the body, checks the signature and dispatches.
            reply: Iterable[bytes] = slack(environ, start_response)
            return reply
        if path == METRICS_PATH and method in ("GET", "HEAD"):
            body, content_type = exposition()
            start_response("200 OK", [("Content-Type", content_type),
                                      ("Content-Length", str(len(body)))])  # fmt: skip
            return [body]
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return _text_reply(
                    start_response, "405 Method Not Allowed", "Use GET\n", [("Allow", "GET, HEAD")]
                )
            return _health_reply(health, start_response)
        return _text_reply(start_response, "404 Not Found", "Not Found\n")

    return application


def _checked(environ: WSGIEnvironment) -> None:
    """Refuse what would make bolt raise (see ``bot.slack.gate``); the body, read here,
    is put back for bolt."""
    check_headers(
        environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"), environ.get("HTTP_X_SLACK_SIGNATURE")
    )
    length = str(environ.get("CONTENT_LENGTH") or "0")
    if not length.isdigit():
        raise BadRequest("400 Bad Request", "malformed Content-Length")
    body = environ["wsgi.input"].read(min(int(length), MAX_BODY_BYTES))
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    check_body(body, str(environ.get("CONTENT_TYPE") or ""))


class HTTPServer:
    """A waitress server for one bolt App, bound on creation (``port=0`` picks a free port).

    ``run()`` blocks until ``close()`` is called from another thread (or Ctrl-C).
    """

    def __init__(
        self,
        app: App,
        host: str = "0.0.0.0",  # noqa: S104 - a server in a container listens on all interfaces
        port: int = 3000,
        threads: int = 8,
        health: HealthCheck | None = None,
        *,
        connection_limit: int = CONNECTION_LIMIT,
        channel_timeout_s: int = CHANNEL_TIMEOUT_S,
    ) -> None:
        # Our own socket map: the listening sockets and the wake-up pipe live in it,
        # so close() can empty it from inside the loop thread and the loop ends.
        self._map: dict[int, Any] = {}
        self._server = waitress.create_server(
            wsgi_app(app, health),
            map=self._map,
            host=host,
            port=port,
            threads=threads,
            ident="outage-bot",
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=MAX_HEADER_BYTES,
            connection_limit=_within_file_limit(connection_limit),
            channel_timeout=channel_timeout_s,
            cleanup_interval=min(CLEANUP_INTERVAL_S, channel_timeout_s),
        )
        self._wake = WakeUp(self._map)
        # Re-entrant: close() may run in a signal handler on the thread inside run().
        self._lock = threading.RLock()
        self._running = False
        self._closed = False

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """The (host, port) pairs actually listened on."""
        listen = getattr(self._server, "effective_listen", None)
        if listen is not None:  # several sockets (a host name with v4 and v6 addresses)
            return [(str(h), int(p)) for h, p in listen]
        return [(str(self._server.effective_host), int(self._server.effective_port))]

    @property
    def port(self) -> int:
        return self.addresses[0][1]

    @property
    def url(self) -> str:
        host, port = self.addresses[0]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}"

    def run(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._running = True
        for host, port in self.addresses:
            log.info("serving Slack HTTP mode on http://%s:%d%s", host, port, EVENTS_PATH)
        try:
            self._server.run()  # returns once the map is empty, or on Ctrl-C
        finally:
            with self._lock:
                self._running = False
                self._closed = True
                self._close_all()
            self._server.task_dispatcher.shutdown()

    def close(self) -> None:
        """Stop accepting and end ``run()``; safe from any thread, more than once."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if not self._running:
                self._close_all()
                return
        # Sockets must be closed by the loop thread that polls them, so the wake-up
        # pipe runs the closing there; the loop then finds its map empty and returns.
        self._wake.pull_trigger(self._close_all)

    def _close_all(self) -> None:
        for channel in list(self._map.values()):
            try:
                channel.close()
            except OSError as exc:
                log.debug("closing %r: %s", channel, exc)
        self._map.clear()


def _within_file_limit(wanted: int) -> int:
    """``wanted`` connections, raising the soft open-files limit when allowed, and
    leaving room for Redis, Slack and feed connections when it cannot be raised."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        needed = wanted + 200
        if soft != resource.RLIM_INFINITY and soft < needed:
            target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    except (OSError, ValueError) as exc:
        log.debug("open-files limit unchanged: %s", exc)
        return wanted
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, soft - 200))


def serve(
    app: App,
    host: str = "0.0.0.0",  # noqa: S104 - see HTTPServer
    port: int = 3000,
    threads: int = 8,
    health: HealthCheck | None = None,
) -> None:
    """Serve HTTP mode until interrupted."""
    HTTPServer(app, host=host, port=port, threads=threads, health=health).run()


def socket_mode_handler(app: App, app_token: str, web_client: WebClient) -> SocketModeHandler:
    """A Socket Mode handler for ``app``, not yet connected.

    ``web_client`` carries the base URL, so ``apps.connections.open`` goes to
    ``SLACK_API_URL``; it is called with ``app_token`` (an ``xapp-`` token), not
    the bot token.
    """
    return SocketModeHandler(app, app_token=app_token, web_client=web_client, logger=log)


class SocketMode:
    """A connected Socket Mode handler; envelopes are handled on its own threads."""

    def __init__(self, handler: SocketModeHandler) -> None:
        self.handler = handler

    @property
    def connected(self) -> bool:
        return bool(self.handler.client.is_connected())

    def close(self) -> None:
        """Disconnect and stop the handler's threads; safe more than once."""
        client = self.handler.client
        session = client.current_session
        sock = session.sock if session is not None else None
        if sock is not None:
            # The receiving thread sits in recv() holding the lock that disconnect()
            # needs, for up to its 3 s timeout; shutting the socket down wakes it now.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        client.close()


def run_socket_mode(app: App, app_token: str, web_client: WebClient) -> SocketMode:
    """Connect ``app`` in Socket Mode; call ``close()`` on the result to disconnect.

    Raises ``ConfigError`` when Slack refuses the app token and ``DeliveryError``
    when the websocket cannot be opened.
    """
    return connect_socket_mode(socket_mode_handler(app, app_token, web_client))


def connect_socket_mode(handler: SocketModeHandler) -> SocketMode:
    """Connect a handler from ``socket_mode_handler`` (see ``run_socket_mode``)."""
    client = handler.client
    try:
        client.connect()
    except SlackApiError as exc:
        client.close()
        error = exc.response.get("error", "unknown_error")
        why = f"Slack refused apps.connections.open: {error}"
        raise ConfigError([ConfigProblem("environment", "SLACK_APP_TOKEN", why)]) from exc
    except (SlackClientError, OSError, KeyError) as exc:
        client.close()
        raise DeliveryError(f"cannot open a Socket Mode connection: {exc}") from exc
    # The built-in client logs a failed websocket handshake instead of raising.
    if not client.is_connected():
        client.close()
        raise DeliveryError(f"cannot open a Socket Mode connection to {client.wss_uri}")
    return SocketMode(handler)
