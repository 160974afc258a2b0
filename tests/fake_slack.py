"""A fake Slack Web API on 127.0.0.1 that records every call.

The real slack_sdk WebClient talks to it over HTTP (``base_url``), so tests
exercise the client's real request encoding. Behaviour per method can be
scripted: a Slack error (``not_in_channel``), a 429 with Retry-After, a delay.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

# What auth.test answers as the workspace's URL (message permalinks start with it).
TEAM_URL = "https://fake-team.slack.test/"


@dataclass
class Call:
    method: str  # Web API method, e.g. "chat.postMessage"
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def token(self) -> str | None:
        """The bearer token the call was made with (bot token, or app token for Socket Mode)."""
        value = next((v for k, v in self.headers.items() if k.lower() == "authorization"), None)
        if value is None or not value.startswith("Bearer "):
            return None
        return value.removeprefix("Bearer ")


@dataclass
class Scripted:
    """What the next calls of one method answer, consumed in order."""

    error: str | None = None
    status: int = 200
    retry_after: int | None = None
    delay_s: float = 0.0


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    scripts: dict[str, list[Scripted]] = field(default_factory=dict)
    # Where ``apps.connections.open`` sends Socket Mode clients: a fresh URL per call.
    socket_mode_url: Callable[[], str] | None = None
    # Messages posted per channel, for conversations.history (metadata included on request).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _ts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, method: str, *answers: Scripted) -> None:
        self.scripts.setdefault(method, []).extend(answers)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def answer(
        self, method: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            scripted = self.scripts.get(method, [])
            plan = scripted.pop(0) if scripted else Scripted()
            self._ts += 1
            ts = f"1700000000.{self._ts:06d}"
        accepted = plan.status == 200 and not plan.error
        if method == "chat.postMessage" and accepted:
            # Stored before any delay: like Slack, a post the client gave up waiting
            # for (or died waiting for) may still have been made.
            with self._lock:
                self.history.setdefault(str(body.get("channel")), []).append({**body, "ts": ts})
        if plan.delay_s:
            time.sleep(plan.delay_s)
        headers = {}
        if plan.retry_after is not None:
            headers["Retry-After"] = str(plan.retry_after)
        if plan.status != 200:
            return plan.status, headers, {"ok": False, "error": "ratelimited"}
        if plan.error:
            return 200, headers, {"ok": False, "error": plan.error}
        if method in ("chat.postMessage", "chat.update"):
            return 200, headers, {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method == "conversations.history":
            with self._lock:
                posted = list(self.history.get(str(body.get("channel")), []))
            with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
            messages = [
                {"type": "message", "ts": m["ts"], "text": m.get("text", ""),
                 **({"metadata": m["metadata"]} if with_metadata and m.get("metadata") else {})}
                for m in reversed(posted)
                if not m.get("thread_ts")
            ]  # fmt: skip
            return 200, headers, {"ok": True, "messages": messages, "has_more": False}
        if method == "apps.connections.open":
            if self.socket_mode_url is None:
                return 200, headers, {"ok": False, "error": "fake_slack_no_socket_mode_server"}
            return 200, headers, {"ok": True, "url": self.socket_mode_url()}
        if method == "auth.test":
            return 200, headers, {"ok": True, "user_id": "UBOT", "team_id": "T1", "url": TEAM_URL}
        return 200, headers, {"ok": True}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # slack_sdk sends some read methods (conversations.history) as GET.
            path, _, query = self.path.partition("?")
            self._answer(path, dict(parse_qsl(query)))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length).decode("utf-8")
            if self.headers.get("Content-Type", "").startswith("application/json"):
                body = json.loads(raw) if raw else {}
            else:
                body = dict(parse_qsl(raw))
            self._answer(self.path, body)

        def _answer(self, path: str, body: dict[str, Any]) -> None:
            method = path.rstrip("/").rsplit("/", 1)[-1]
            fake.calls.append(Call(method, dict(self.headers.items()), body))
            status, headers, payload = fake.answer(method, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class FakeSlackServer:
    def __init__(self) -> None:
        self.fake = FakeSlack()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.fake))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def api_url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}/api/"

    def attach_socket_mode(self, new_url: Callable[[], str]) -> None:
        """Make ``apps.connections.open`` hand out ``new_url()`` (a Socket Mode server's)."""
        self.fake.socket_mode_url = new_url

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
