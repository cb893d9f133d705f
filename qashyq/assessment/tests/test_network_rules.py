"""rules/network.py: allowed IP ranges (no database)."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qashyq.assessment.rules.network import ip_allowed, networks_problems

RANGES = """
# the campus
10.20.0.0/16
192.168.1.7
2001:db8::/32   # IPv6 campus
"""


@pytest.mark.parametrize(
    ("ip", "allowed"),
    [
        ("10.20.3.4", True),
        ("10.21.0.1", False),
        ("192.168.1.7", True),
        ("192.168.1.8", False),
        ("2001:db8:1::5", True),
        ("2001:db9::1", False),
        ("::ffff:10.20.0.9", True),
        ("", False),
        ("not an ip", False),
    ],
)
def test_addresses_inside_the_ranges_are_allowed(ip, allowed):
    assert ip_allowed(ip, RANGES) is allowed


def test_no_ranges_allows_everyone():
    assert ip_allowed("8.8.8.8", "")
    assert ip_allowed("", "  \n# nothing\n")


def test_bad_lines_are_reported_with_their_number():
    problems = networks_problems("10.0.0.0/8\n\n10.0.0.300\nfoo/bar  # x\n2001:db8::/129")
    assert len(problems) == 3
    assert "3" in problems[0]
    assert "10.0.0.300" in problems[0]
    assert "foo/bar" in problems[1]
    assert networks_problems(RANGES) == []


@given(address=st.ip_addresses(v=4), prefix=st.integers(min_value=0, max_value=32))
def test_an_address_is_inside_its_own_network(address, prefix):
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    assert ip_allowed(str(address), str(network))
