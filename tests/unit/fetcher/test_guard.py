"""The SSRF guard: which addresses the fetcher may reach."""

from __future__ import annotations

import ipaddress

import pytest

from services.fetcher.guard import (
    Blocked,
    IPAddress,
    NetworkPolicy,
    ResolutionFailed,
    parse_networks,
    refusal,
)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    found = refusal(ipaddress.ip_address(address))
    assert found is not None
    assert reason in found


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_allowed_networks_open_exactly_what_they_list() -> None:
    policy = NetworkPolicy.from_setting("127.0.0.1/32, 10.1.0.0/16")
    policy.check_address("u", ipaddress.ip_address("127.0.0.1"))
    policy.check_address("u", ipaddress.ip_address("10.1.200.3"))
    with pytest.raises(Blocked, match="loopback"):
        policy.check_address("u", ipaddress.ip_address("127.0.0.2"))
    with pytest.raises(Blocked, match="private"):
        policy.check_address("u", ipaddress.ip_address("10.2.0.1"))


def test_metadata_needs_an_explicit_entry_even_inside_an_allowed_range() -> None:
    broad = NetworkPolicy.from_setting("169.254.0.0/16")
    broad.check_address("u", ipaddress.ip_address("169.254.10.10"))
    with pytest.raises(Blocked, match="metadata"):
        broad.check_address("u", ipaddress.ip_address("169.254.169.254"))
    NetworkPolicy.from_setting("169.254.169.254/32").check_address(
        "u", ipaddress.ip_address("169.254.169.254")
    )


def test_parse_networks() -> None:
    assert parse_networks("") == ()
    assert parse_networks(" 127.0.0.1 , ::1/128,") == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("::1/128"),
    )


def _resolver(*answers: str):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(a) for a in answers]

    return resolve


@pytest.mark.asyncio
async def test_every_resolved_address_must_pass() -> None:
    policy = NetworkPolicy((), _resolver("93.184.215.14", "10.0.0.5"))
    with pytest.raises(Blocked, match=r"private address 10\.0\.0\.5"):
        await policy.check_url("https://news.example.com/rss")
    ok = NetworkPolicy((), _resolver("93.184.215.14"))
    assert await ok.check_url("https://news.example.com/rss") == [
        ipaddress.ip_address("93.184.215.14")
    ]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.com/", "scheme"),
        ("ftp://example.com/feed", "scheme"),
        ("http:///nohost", "no host"),
        ("http://user:pw@example.com/", "credentials"),
        ("http://[::1]:8080/", "loopback"),
        ("http://0x7f000001/", "loopback"),
    ],
)
@pytest.mark.asyncio
async def test_urls_refused_before_any_connection(url: str, reason: str) -> None:
    with pytest.raises(Blocked, match=reason):
        await NetworkPolicy().check_url(url)


@pytest.mark.asyncio
async def test_system_resolver_failure_is_a_resolution_failure() -> None:
    with pytest.raises(ResolutionFailed):
        await NetworkPolicy().check_url("http://no-such-host.invalid/feed")
