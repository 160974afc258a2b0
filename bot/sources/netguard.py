"""Which network addresses a feed URL may reach (SSRF protection).

Feed and article URLs come from config files, Slack users and redirects chosen
by remote servers, so every one of them is treated as hostile: the host is
resolved here, every address it resolves to is checked, and the fetcher then
connects to the checked address itself, so a second DNS answer (DNS rebinding)
cannot send the request somewhere else.

Refused: every range of IANA's special-purpose registries that is not globally
reachable, by an explicit list (loopback, private, unique-local, site-local
fec0::/10, link-local including the 169.254.169.254 cloud metadata service,
CGNAT 100.64.0.0/10, unspecified, multicast, benchmarking, documentation,
reserved ...), and the IPv6 forms that smuggle an IPv4 address
(IPv4-mapped, NAT64, 6to4, Teredo) when the embedded address is one of those.
An operator can allow named internal hosts (``OUTAGE_BOT_ALLOWED_HOSTS``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[IPAddress]]

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IANA's special-purpose registries (RFC 6890 and successors), checked by an
# explicit list: Python's is_global/is_private miss some (fec0::/10 is "global"
# to Python 3.11). Anything not globally reachable is refused. The embedded-IPv4
# forms (::ffff:0:0/96, 64:ff9b::/96, 2002::/16, 2001::/32) are judged by the
# address inside them, before this list.
_NOT_GLOBAL: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/32", "the unspecified address"),
    ("0.0.0.0/8", "a 'this network' address"),
    ("10.0.0.0/8", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT (100.64.0.0/10) address"),
    ("127.0.0.0/8", "a loopback address"),
    ("169.254.0.0/16", "a link-local address (this includes cloud metadata services)"),
    ("172.16.0.0/12", "a private address"),
    ("192.0.0.0/24", "an IETF protocol assignment address"),
    ("192.0.2.0/24", "a documentation address"),
    ("192.31.196.0/24", "an AS112 address"),
    ("192.52.193.0/24", "an AMT address"),
    ("192.88.99.0/24", "a 6to4 relay anycast address"),
    ("192.168.0.0/16", "a private address"),
    ("192.175.48.0/24", "an AS112 address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved address"),
    ("::/128", "the unspecified address"),
    ("::1/128", "a loopback address"),
    ("::/96", "an IPv4-compatible (deprecated) address"),
    ("100::/64", "a discard-only address"),
    ("2001::/23", "an IETF protocol assignment address"),
    ("2001:db8::/32", "a documentation address"),
    ("3fff::/20", "a documentation address"),
    ("5f00::/16", "a segment-routing (SRv6) address"),
    ("fc00::/7", "a unique-local (private) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local (deprecated, private) address"),
    ("ff00::/8", "a multicast address"),
)
_NOT_GLOBAL_NETWORKS = tuple((ipaddress.ip_network(net), why) for net, why in _NOT_GLOBAL)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_TEREDO = ipaddress.ip_network("2001::/32")


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """All addresses the operating system's resolver gives for ``host``."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        # sockaddr is (address, port) or (address, port, flow, scope); drop any %zone.
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def refusal(address: IPAddress) -> str | None:
    """Why a connection to ``address`` is refused, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            why = refusal(embedded)
            return f"{why} (inside the IPv6 address {address})" if why else None
        if address in _TEREDO:
            return "a Teredo tunnel address"
        if address in _NAT64_LOCAL:
            return "a local-use NAT64 address"
    for network, why in _NOT_GLOBAL_NETWORKS:
        if address.version == network.version and address in network:
            return why
    # Python's own view as a second net (ranges added to the registries later).
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (this includes cloud metadata services)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a carrier-grade NAT (100.64.0.0/10) address"
    if address.is_reserved:
        return "a reserved address"
    # is_private also covers documentation and benchmarking ranges: all non-routable.
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved address"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        # (server, client): the client address is the one traffic would reach.
        return address.teredo[1]
    return None


class BlockedAddressError(Exception):
    """The host resolves to an address we refuse to contact."""


@dataclass(frozen=True)
class AddressPolicy:
    """Resolves a host and returns an address that is safe to connect to."""

    resolver: Resolver = system_resolver
    allowed_hosts: Collection[str] = ()

    def safe_address(self, host: str, port: int) -> IPAddress:
        host = host.lower().rstrip(".")
        literal = _literal(host)
        try:
            addresses = [literal] if literal is not None else self.resolver(host, port)
        except (OSError, UnicodeError, ValueError) as exc:
            raise BlockedAddressError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise BlockedAddressError(f"{host} has no addresses")
        if host in self.allowed_hosts:
            return addresses[0]
        # Refuse if *any* answer is internal: a name that mixes public and private
        # answers is either misconfigured or an attack, and neither is worth the risk.
        for address in addresses:
            why = refusal(address)
            if why is not None:
                shown = host if literal is not None else f"{host} ({address})"
                raise BlockedAddressError(f"{shown} is {why}; refusing to connect")
        return addresses[0]


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
