"""Allowed IP ranges of a test: one IPv4/IPv6 address or CIDR range a line; empty lines and "#" comments are
ignored; no range at all means every address is allowed. Pure: no database."""

import ipaddress
from functools import lru_cache

from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#", 1)[0].strip()
        if value:
            lines.append((number, value))
    return lines


@lru_cache(maxsize=256)
def _networks(text: str) -> tuple[Network, ...]:
    networks: list[Network] = []
    for _number, value in _lines(text):
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def networks_problems(text: str) -> list[str]:
    """A translated reason for each line that is not an address or a range."""
    problems = []
    for number, value in _lines(text):
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            problems.append(
                _("Line %(line)d: “%(value)s” is not an IP address or range (such as 10.0.0.0/8).")
                % {"line": number, "value": value}
            )
    return problems


def ip_allowed(ip: str, networks_text: str) -> bool:
    """Whether `ip` is in one of the ranges (True when there are none; False for a missing or bad address)."""
    if not _lines(networks_text):
        return True
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return False
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        candidates.append(address.ipv4_mapped)
    return any(
        candidate in network
        for network in _networks(networks_text)
        for candidate in candidates
        if candidate.version == network.version
    )
