"""Address checks behind the fetcher's SSRF protection."""

from __future__ import annotations

import ipaddress

import pytest

from bot.sources.netguard import AddressPolicy, BlockedAddressError, refusal, system_resolver


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.1.1", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, not a bind
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "documentation"),  # not routable
        ("::", "unspecified"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 form of 169.254.169.254
        ("64:ff9b::a00:1", "private"),  # NAT64 form of 10.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 form of 127.0.0.1
        ("2002:a00:1::", "private"),  # 6to4 form of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
        ("64:ff9b:1::1", "NAT64"),
    ],
)
def test_internal_addresses_are_refused(address: str, reason: str) -> None:
    why = refusal(ipaddress.ip_address(address))
    assert why is not None and reason in why


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "2002:808:808::", "64:ff9b::808:808"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("fec0::1", "site-local"),  # Python 3.11 calls it global
        ("feff:ffff::1", "site-local"),
        ("0.1.2.3", "this network"),
        ("192.0.0.8", "IETF"),
        ("192.31.196.1", "AS112"),
        ("192.52.193.1", "AMT"),
        ("192.88.99.1", "6to4 relay"),
        ("192.175.48.1", "AS112"),
        ("198.18.0.1", "benchmarking"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.7", "documentation"),
        ("::7f00:1", "IPv4-compatible"),
        ("100::1", "discard"),
        ("2001:2::1", "IETF"),
        ("2001:db8::1", "documentation"),
        ("3fff::1", "documentation"),
        ("5f00::1", "segment-routing"),
        ("fd12:3456::1", "unique-local"),
        ("febf::1", "link-local"),
        ("ff0e::1", "multicast"),
    ],
)
def test_every_special_purpose_range_is_refused_by_the_explicit_list(
    address: str, reason: str
) -> None:
    why = refusal(ipaddress.ip_address(address))
    assert why is not None and reason in why


def fixed(answers: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    return lambda host, _port: [ipaddress.ip_address(a) for a in answers[host]]


def test_every_answer_is_checked_not_just_the_first() -> None:
    policy = AddressPolicy(resolver=fixed({"mixed.test": ["93.184.216.34", "10.0.0.7"]}))
    with pytest.raises(BlockedAddressError, match=r"mixed\.test \(10\.0\.0\.7\) is a private"):
        policy.safe_address("mixed.test", 443)


def test_allow_list_permits_named_internal_hosts_only() -> None:
    policy = AddressPolicy(
        resolver=fixed({"wiki.corp.test": ["10.0.0.5"], "other.corp.test": ["10.0.0.6"]}),
        allowed_hosts={"wiki.corp.test"},
    )
    assert str(policy.safe_address("WIKI.corp.test.", 80)) == "10.0.0.5"
    with pytest.raises(BlockedAddressError):
        policy.safe_address("other.corp.test", 80)


def test_literal_addresses_skip_dns_but_not_the_check() -> None:
    policy = AddressPolicy(resolver=fixed({}))
    with pytest.raises(BlockedAddressError, match="loopback"):
        policy.safe_address("[::1]", 80)
    assert str(policy.safe_address("93.184.216.34", 80)) == "93.184.216.34"


@pytest.mark.parametrize("host", ["localhost", "2130706433", "0x7f.1", "127.1"])
def test_odd_spellings_of_loopback_resolve_and_are_refused(host: str) -> None:
    # The system resolver turns these legacy forms into 127.0.0.1; the check sees that.
    with pytest.raises(BlockedAddressError, match="loopback"):
        AddressPolicy().safe_address(host, 80)


def test_unresolvable_names_are_refused_cleanly() -> None:
    with pytest.raises(BlockedAddressError, match="cannot resolve"):
        AddressPolicy().safe_address("no-such-host.invalid", 80)


def test_system_resolver_returns_unique_addresses() -> None:
    found = system_resolver("localhost", 80)
    assert found and len(found) == len(set(found))
