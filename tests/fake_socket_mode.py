"""A Slack Socket Mode server on 127.0.0.1 for tests.

It speaks the envelope protocol the way Slack does: on connect it sends
``{"type": "hello", ...}``; each delivery is an envelope
``{"envelope_id", "type": "events_api" | "slash_commands" | "interactive",
"payload", "accepts_response_payload"}`` that the app must acknowledge with
``{"envelope_id": ..., "payload"?: ...}``; ``{"type": "disconnect"}`` asks the
app to fetch a new URL from ``apps.connections.open`` and reconnect. Websocket
pings from the client are answered by the websockets library (protocol pongs).

The app reaches it through the fake Web API: ``FakeSlackServer.attach_socket_mode``
makes ``apps.connections.open`` answer ``new_url()``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


@dataclass(frozen=True)
class Connection:
    ticket: str  # the ``ticket`` query parameter of the URL the client opened
    socket: ServerConnection


class FakeSocketModeServer:
    def __init__(self, app_id: str = "A1") -> None:
        self.app_id = app_id
        self.connections: list[Connection] = []
        self.acks: dict[str, dict[str, Any]] = {}  # envelope_id -> the ack message
        self.received: list[dict[str, Any]] = []  # every JSON message from clients
        self.sent: list[dict[str, Any]] = []  # every message sent, hello included
        self.tickets: list[str] = []  # issued by new_url(), in order
        self._changed = threading.Condition()
        # Our own keepalive pings would only add noise; the client pings us.
        self._server: Server = serve(
            self._handle, "127.0.0.1", 0, compression=None, ping_interval=None, close_timeout=2
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-socket-mode", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    def new_url(self) -> str:
        """A fresh websocket URL, as ``apps.connections.open`` hands out one per call."""
        ticket = uuid.uuid4().hex
        self.tickets.append(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- the protocol ----------------------------------------------------------------------

    def _handle(self, socket: ServerConnection) -> None:
        path = socket.request.path if socket.request is not None else ""
        ticket = path.partition("ticket=")[2].partition("&")[0]
        connection = Connection(ticket, socket)
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {
                "host": "fake-socket-mode",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        self._send(socket, hello)
        try:
            for raw in socket:
                message = json.loads(raw)
                with self._changed:
                    self.received.append(message)
                    if "envelope_id" in message:
                        self.acks[message["envelope_id"]] = message
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._changed.notify_all()

    def _send(self, socket: ServerConnection, message: dict[str, Any]) -> None:
        with self._changed:
            self.sent.append(message)
        socket.send(json.dumps(message))

    def _latest(self) -> ServerConnection:
        with self._changed:
            if not self.connections:
                raise AssertionError("no Socket Mode client has connected")
            return self.connections[-1].socket

    def send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Deliver one envelope on the newest connection; returns its envelope_id."""
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        self._send(self._latest(), envelope)
        return envelope_id

    def request_reconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does before it recycles a connection."""
        self._send(
            self._latest(),
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-socket-mode"}},
        )

    # -- waiting -----------------------------------------------------------------------------

    def wait_for_connections(self, count: int = 1, timeout: float = 10.0) -> list[Connection]:
        """Block until ``count`` connections have been opened in total."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.connections) >= count, timeout):
                raise AssertionError(
                    f"expected {count} Socket Mode connection(s) within {timeout} s, "
                    f"got {len(self.connections)}"
                )
            return list(self.connections)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The client's ack of ``envelope_id`` (``{"envelope_id", "payload"?}``)."""
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(
                    f"envelope {envelope_id} was not acknowledged within {timeout} s; "
                    f"acks so far: {list(self.acks)}"
                )
            return self.acks[envelope_id]

    def wait_for_close(self, connection: Connection, timeout: float = 10.0) -> None:
        """Block until the client has closed ``connection`` (or it dropped)."""
        deadline = time.monotonic() + timeout
        # ServerConnection has no "closed" event to wait on besides recv, which the
        # handler thread owns; its state is cheap to poll.
        while connection.socket.state.name != "CLOSED":
            if time.monotonic() > deadline:
                raise AssertionError(f"connection {connection.ticket} still open after {timeout} s")
            time.sleep(0.02)

    def close(self) -> None:
        """Stop listening and close every connection (code 1001, as a restarting Slack)."""
        self._server.shutdown()
        self._thread.join(timeout=10)
