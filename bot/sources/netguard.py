"""Which network addresses a feed URL may reach (SSRF protection).

Feed and article URLs come from config files, Slack users and redirects chosen
by remote servers, so every one of them is treated as hostile: the host is
resolved here, every address it resolves to is checked, and the fetcher then
connects to the checked address itself, so a second DNS answer (DNS rebinding)
cannot send the request somewhere else.

Refused: loopback, private, link-local (including the 169.254.169.254 cloud
metadata service), CGNAT 100.64.0.0/10, unspecified, multicast, reserved and
documentation ranges, and the IPv6 forms that smuggle an IPv4 address
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
