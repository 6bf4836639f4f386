"""Connect only to the address that was checked: an httpcore network backend that guards dials.

Checking a host name and then letting the HTTP client resolve it again is two
lookups, and a DNS answer that changes between them (DNS rebinding) reaches
whatever address the second one gives: the request is sent before any check
of the peer could refuse it. So the fetcher's connections are made here, the
way advocate, Smokescreen and Go's ``Dialer.Control`` do it: the host is
resolved once (with the policy's resolver), every address is checked against
the `NetworkPolicy`, and the connection is dialled to a checked IP address
itself. TLS still verifies and names the original host (httpcore passes it
to ``start_tls``), so certificates work as before.

Only the direct transport uses this backend. Requests that httpx's own mounts
(from HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY) would send through a
proxy are refused unless ``LAUNCHWATCH_FETCH_TRUST_PROXY`` trusts it (see
`services.fetcher.http`): a proxy resolves names itself, so behind one only
the name check holds.
"""

from __future__ import annotations

import ipaddress
import ssl
import typing

import httpcore
import httpx

from services.fetcher.guard import Blocked, IPAddress, NetworkPolicy


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address, then dial a checked address; never a unix socket."""

    def __init__(self, policy: NetworkPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        where = f"{host}:{port}"
        try:
            addresses: list[IPAddress] = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            addresses = await self._policy.resolver(host, port)
        self._policy.check_addresses(where, addresses)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise Blocked(path, "unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, its connection pool dialling through `CheckedBackend`."""

    def __init__(
        self, policy: NetworkPolicy, *, trust_env: bool = True, limits: httpx.Limits | None = None
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(trust_env=trust_env, limits=limits)
        context: ssl.SSLContext = httpx.create_ssl_context(trust_env=trust_env)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=CheckedBackend(policy),
        )
