"""Server-side request forgery protection: the fetcher only talks to the public internet.

Feed and page URLs come from the outside world, so a hostile feed could point
the fetcher at a cloud metadata service, a database on the cluster network or
the host itself. Every URL, and every redirect hop, is checked before a
connection is made: the scheme must be http or https, and every address the
host resolves to must be public, unless it falls inside a network the operator
explicitly allowed (``LAUNCHWATCH_FETCH_ALLOW_NETWORKS``, e.g. ``127.0.0.1/32``
for a local test site). Cloud metadata addresses are refused even when a
broader allowed network covers them, unless listed on their own.

Resolving and connecting are two lookups, so a DNS answer that changes between
them (DNS rebinding) could slip through a check of the name alone. The HTTP
client therefore also checks the address it actually connected to (the peer of
the response's network stream) before it reads a byte of the body; see
`services.fetcher.http`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})

METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, ...
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
"""Addresses of cloud instance metadata services, where credentials live."""

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
"""Host and port to the addresses a connection could go to."""


class Blocked(Exception):
    """The URL may not be fetched; `reason` says why in words an operator understands."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason


class ResolutionFailed(Exception):
    """The host name did not resolve (status `dns`)."""


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Comma-separated CIDRs (``127.0.0.1/32, 10.1.0.0/16``); a bare address is a /32 or /128."""
    networks: list[IPNetwork] = []
    for item in text.split(","):
        item = item.strip()
        if item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks)


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The addresses the operating system's resolver gives for `host` (both families)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ResolutionFailed(f"cannot resolve {host}: {error}") from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ResolutionFailed(f"cannot resolve {host}: no addresses")
    return addresses


def _unmapped(address: IPAddress) -> IPAddress:
    """An IPv4 address hiding inside IPv6 (::ffff:10.0.0.1, 2002::/16, NAT64) is judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: IPAddress) -> str | None:
    """Why `address` is not on the public internet, or None when it is."""
    inner = _unmapped(address)
    for candidate in dict.fromkeys((inner, address)):  # the IPv4 meaning first
        if candidate in METADATA_ADDRESSES:
            return "cloud metadata address"
        if candidate.is_unspecified:
            return "unspecified address"
        if candidate.is_loopback:
            return "loopback address"
        if candidate.is_link_local:
            return "link-local address"
        if candidate.is_multicast:
            return "multicast address"
        if candidate.is_reserved:
            return "reserved address"
        if candidate.is_private:
            return "private address"
        if not candidate.is_global:
            return "non-public address"  # e.g. 100.64.0.0/10, carrier-grade NAT
    return None


@dataclass(frozen=True)
class NetworkPolicy:
    """Which addresses the fetcher may connect to: public ones, plus `allowed` networks."""

    allowed: tuple[IPNetwork, ...] = ()
    resolver: Resolver = system_resolver

    @classmethod
    def from_setting(cls, text: str, resolver: Resolver = system_resolver) -> NetworkPolicy:
        """The policy for a ``LAUNCHWATCH_FETCH_ALLOW_NETWORKS`` value."""
        return cls(parse_networks(text), resolver)

    def _is_allowed(self, address: IPAddress) -> bool:
        candidates = {address, _unmapped(address)}
        for network in self.allowed:
            if any(c.version == network.version and c in network for c in candidates):
                # A metadata address needs a network of its own, not a broad range.
                if candidates & METADATA_ADDRESSES and network.num_addresses > 1:
                    continue
                return True
        return False

    def check_address(self, url: str, address: IPAddress) -> None:
        """Raise `Blocked` unless the fetcher may connect to `address` for `url`."""
        reason = refusal(address)
        if reason is not None and not self._is_allowed(address):
            raise Blocked(url, f"{reason} {address}")

    def check_addresses(self, url: str, addresses: Iterable[IPAddress]) -> None:
        for address in addresses:
            self.check_address(url, address)

    async def check_url(self, url: str) -> list[IPAddress]:
        """Check scheme and every resolved address of `url`; return the addresses.

        Every address must pass, not just one: the connection may use any of them.
        Raises `Blocked`, or `ResolutionFailed` when the host does not resolve.
        """
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise Blocked(url, f"malformed URL ({error})") from None
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise Blocked(url, f"scheme {scheme or 'missing'!r} is not http or https")
        host = parts.hostname
        if not host:
            raise Blocked(url, "no host")
        if parts.username is not None or parts.password is not None:
            raise Blocked(url, "credentials in the URL")
        port = port or (443 if scheme == "https" else 80)
        try:
            addresses: list[IPAddress] = [ipaddress.ip_address(host)]
        except ValueError:
            addresses = await self.resolver(host, port)
        self.check_addresses(url, addresses)
        return addresses
