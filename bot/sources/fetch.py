"""The one place that touches the network: a careful HTTP GET for feeds and pages.

Rules, all enforced for every request and every redirect hop:

* http and https only; at most ``max_redirects`` redirects; loops detected.
* The host is resolved and checked by ``AddressPolicy``; the connection goes to
  that checked address (Host header and TLS SNI keep the real name, so virtual
  hosting and certificate checks work as usual).
* Timeouts: connect, per-read, and a total wall-clock deadline for the whole
  fetch (DNS lookup, connect, headers and body, every hop) that holds while waiting
  (``bot.sources.deadline``), so a server that trickles one byte a second cannot
  hold a worker; the message says which phase ran out of time.
* Whatever a hostile server or URL makes httpx (or anything below it) raise
  comes out as ``FetchError``: callers handle one exception type.
* The body is decompressed here, chunk by chunk, with a cap on the *decompressed*
  size, so a gzip bomb stops at the cap instead of filling memory.
* Content types outside feeds, JSON, HTML and text are refused.
* Conditional GET (ETag / Last-Modified); 429 and 503 report ``Retry-After``.

The ``httpx.Client`` is built once by the CLI (``build_http_client``) and passed in.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from bot import __version__
from bot.errors import FetchError
from bot.sources.deadline import deadline_transport, fetch_deadline
from bot.sources.netguard import AddressPolicy, BlockedAddressError

USER_AGENT = f"outage-bot/{__version__} (+https://github.com/outage-bot; feed reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
_REDIRECTS = {301, 302, 303, 307, 308}
_ALLOWED_TYPES = ("xml", "rss", "atom", "json", "html", "text/", "application/octet-stream")
_CHUNK = 64 * 1024
_LOOKUP_THREADS = 8  # DNS lookups in flight at once, per fetcher


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch; built from Settings."""

    max_bytes: int = 5 * 1024 * 1024
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0
    total_timeout_s: float = 30.0
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL after redirects
    status: int  # 200, or 304 when the validators matched
    content_type: str | None
    data: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def build_http_client(policy: FetchPolicy) -> httpx.Client:
    """The process's HTTP client. Redirects and proxies are off: we follow redirects
    ourselves (to check each hop) and connect only to addresses we checked."""
    return httpx.Client(
        transport=deadline_transport(),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(
            connect=policy.connect_timeout_s,
            read=policy.read_timeout_s,
            write=policy.read_timeout_s,
            pool=policy.connect_timeout_s,
        ),
        headers={"User-Agent": USER_AGENT},
    )


class SafeFetcher:
    def __init__(
        self,
        client: httpx.Client,
        addresses: AddressPolicy,
        policy: FetchPolicy = FetchPolicy(),
    ) -> None:
        self._client = client
        self._addresses = addresses
        self._policy = policy
        # getaddrinfo cannot be given a timeout: lookups run here and are waited for
        # only until the fetch's deadline. Bounded, so hung lookups cannot pile up threads.
        self._lookups = ThreadPoolExecutor(max_workers=_LOOKUP_THREADS, thread_name_prefix="dns")

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET ``url`` under the rules above; raise FetchError with a plain reason."""
        deadline = time.monotonic() + self._policy.total_timeout_s
        try:
            with fetch_deadline(deadline):
                return self._fetch(url, etag, last_modified, accept, deadline)
        except FetchError:
            raise
        except Exception as exc:  # a hostile server must not find a way past FetchError
            raise FetchError(url, f"failed: {type(exc).__name__}: {exc}") from exc

    def _fetch(
        self, url: str, etag: str | None, last_modified: str | None, accept: str, deadline: float
    ) -> FetchResult:
        visited: set[str] = set()
        current = url
        for _hop in range(self._policy.max_redirects + 1):
            if current in visited:
                raise FetchError(url, f"redirect loop at {current}", permanent=True)
            visited.add(current)
            headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            result = self._one_request(url, current, headers, deadline)
            if isinstance(result, FetchResult):
                return result
            current = result  # a redirect target, checked on the next hop
        raise FetchError(url, f"more than {self._policy.max_redirects} redirects", permanent=True)

    def _one_request(
        self, original: str, url: str, headers: dict[str, str], deadline: float
    ) -> FetchResult | str:
        pinned, host_header, sni = self._pin(original, url, deadline)
        try:
            request = self._client.build_request(
                "GET",
                pinned,
                headers={**headers, "Host": host_header},
                extensions={"sni_hostname": sni},
            )
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(original, f"malformed URL {url!r}: {exc}", permanent=True) from exc
        try:
            response = self._client.send(request, stream=True)
        except httpx.ConnectTimeout as exc:
            raise FetchError(original, self._timed_out(deadline, "connecting to", url)) from exc
        except httpx.WriteTimeout as exc:
            why = self._timed_out(deadline, "sending the request to", url)
            raise FetchError(original, why) from exc
        except httpx.TimeoutException as exc:
            # Connected and sent: the server is not answering (or trickling its headers).
            why = self._timed_out(deadline, "waiting for the response headers from", url)
            raise FetchError(original, why) from exc
        except httpx.ConnectError as exc:
            raise FetchError(original, f"cannot connect to {url}: {exc}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(original, f"malformed URL {url!r}: {exc}", permanent=True) from exc
        except httpx.HTTPError as exc:
            raise FetchError(original, f"request to {url} failed: {exc}") from exc
        try:
            return self._handle(original, url, response, deadline)
        finally:
            response.close()

    def _timed_out(self, deadline: float, phase: str, url: str) -> str:
        # A socket timeout shortened to the deadline fires at (not after) it.
        if time.monotonic() >= deadline - 0.05:
            total = self._policy.total_timeout_s
            return f"took longer than {total:g} s in total; ran out while {phase} {url}"
        return f"timed out {phase} {url}"

    def _pin(self, original: str, url: str, deadline: float) -> tuple[str, str, str]:
        """The URL rewritten to the checked IP, the Host header, and the TLS name."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchError(original, f"malformed URL {url!r}: {exc}", permanent=True) from exc
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            why = f"only http and https URLs are fetched, not {scheme or '?'}:"
            raise FetchError(original, why, permanent=True)
        if not parts.hostname:
            raise FetchError(original, f"no host in URL {url!r}", permanent=True)
        port = port or (443 if scheme == "https" else 80)
        lookup = self._lookups.submit(self._addresses.safe_address, parts.hostname, port)
        try:
            address = lookup.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout as exc:
            lookup.cancel()
            why = self._timed_out(deadline, "resolving the host of", url)
            raise FetchError(original, why) from exc
        except BlockedAddressError as exc:
            raise FetchError(original, str(exc), permanent=True) from exc
        ip = f"[{address}]" if address.version == 6 else str(address)
        default = port == (443 if scheme == "https" else 80)
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        host_header = host if default else f"{host}:{port}"
        pinned = urlunsplit((scheme, f"{ip}:{port}", parts.path or "/", parts.query, ""))
        return pinned, host_header, parts.hostname

    def _handle(
        self, original: str, url: str, response: httpx.Response, deadline: float
    ) -> FetchResult | str:
        status = response.status_code
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(original, f"HTTP {status} redirect without a Location")
            try:
                return str(urljoin(url, location.strip()))
            except ValueError as exc:
                why = f"HTTP {status} redirect to a malformed URL: {exc}"
                raise FetchError(original, why, permanent=True) from exc
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if status == 304:
            return FetchResult(url, 304, None, b"", etag, modified)
        if status in (429, 503):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise FetchError(original, f"HTTP {status} from {url}", retry_after=wait)
        if status >= 400:
            raise FetchError(original, f"HTTP {status} from {url}", permanent=status in (404, 410))
        if status != 200:
            raise FetchError(original, f"unexpected HTTP {status} from {url}")
        content_type = response.headers.get("Content-Type")
        if content_type and not any(t in content_type.lower() for t in _ALLOWED_TYPES):
            raise FetchError(original, f"refusing content type {content_type!r} from {url}",
                             permanent=True)  # fmt: skip
        data = self._read_body(original, url, response, deadline)
        return FetchResult(url, 200, content_type, data, etag, modified)

    def _read_body(
        self, original: str, url: str, response: httpx.Response, deadline: float
    ) -> bytes:
        cap = self._policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if declared.isdigit() and encoding == "identity" and int(declared) > cap:
            raise FetchError(original, f"body of {declared} bytes is over the {cap}-byte limit")
        out = bytearray()
        try:
            for piece in _decoded(response.iter_raw(_CHUNK), encoding, cap - len(out) + 1):
                out.extend(piece)
                if len(out) > cap:
                    raise FetchError(original, f"body is over the {cap}-byte limit (decompressed)")
        except httpx.TimeoutException as exc:
            why = self._timed_out(deadline, "reading the body of", url)
            raise FetchError(original, why) from exc
        except httpx.HTTPError as exc:
            raise FetchError(original, f"connection failed while reading: {exc}") from exc
        except zlib.error as exc:
            raise FetchError(original, f"corrupt {encoding} body: {exc}") from exc
        return bytes(out)


def _decoded(raw: Iterator[bytes], encoding: str, limit: int) -> Iterator[bytes]:
    """Decompress as we go, never producing much more than ``limit`` bytes per step."""
    if encoding in ("", "identity"):
        yield from raw
        return
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()  # zlib-wrapped, as the RFC says (raw is rare)
    else:
        raise zlib.error(f"unsupported Content-Encoding {encoding!r}")
    for chunk in raw:
        data = chunk
        while data:
            # max_length bounds the output of one step; the rest waits in unconsumed_tail.
            piece = decoder.decompress(data, limit)
            yield piece
            data = decoder.unconsumed_tail
    yield decoder.flush()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
