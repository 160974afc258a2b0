"""A scriptable HTTP server on 127.0.0.1 for fetcher and ingestion tests.

Each route is a function of the request returning a ``Reply``; a reply's body
may be a list of chunks with a pause between them (a slow server).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.sources.fetch import FetchPolicy, SafeFetcher, build_http_client
from bot.sources.netguard import AddressPolicy


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | list[bytes] = b""
    pause_s: float = 0.0  # between chunks of a list body
    delay_s: float = 0.0  # before the status line


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


Route = Callable[[Seen], Reply]


class HTTPTestServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, reply: Reply | Route) -> None:
        self.routes[path] = reply if callable(reply) else (lambda _seen, r=reply: r)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                server.requests.append(seen)
                route = server.routes.get(self.path.split("?", 1)[0])
                reply = route(seen) if route else Reply(404, body=b"not found")
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                chunks = reply.body if isinstance(reply.body, list) else [reply.body]
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(sum(map(len, chunks))), **reply.headers}
                    if headers["Content-Length"] == "":
                        # No declared length: the body ends when the connection closes.
                        del headers["Content-Length"]
                        headers["Connection"] = "close"
                        self.close_connection = True
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    for chunk in chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        if reply.pause_s:
                            time.sleep(reply.pause_s)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (as the fetcher should, on limits)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


LOCAL_HOST = "news.test"  # a public-looking name for the server above


def local_fetcher(policy: FetchPolicy) -> SafeFetcher:
    """The real safe fetcher, allowed to reach LOCAL_HOST, which resolves to 127.0.0.1.

    Everything else keeps the SSRF guard: 127.0.0.1 by address is still refused.
    """
    addresses = AddressPolicy(
        resolver=lambda host, _port: [ipaddress.ip_address("127.0.0.1")],
        allowed_hosts={LOCAL_HOST},
    )
    return SafeFetcher(build_http_client(policy), addresses, policy)
