"""The BIN check and the reasons DLT may not be used: pure functions, no database."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from qashyq.organization.rules import bin_validate, dlt_permission_reasons

ON = date(2026, 9, 1)
GOOD = {
    "licence_number": "KZ36LAA00011387",
    "licence_date": date(2020, 3, 1),
    "permission_number": "DLT-17",
    "permission_date": date(2021, 8, 15),
    "permission_valid_until": None,
    "on": ON,
}


@pytest.mark.parametrize("value", ["081240000013", "990340001230", "050840005127"])
def test_valid_bins(value):
    bin_validate(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("081240000014", "bin_checksum"),  # the last digit should be 3
        ("08124000001", "bin_format"),
        ("0812400000133", "bin_format"),
        ("08124000001A", "bin_format"),
        ("０８１２４００００００１３", "bin_format"),  # full-width digits are not ASCII
        ("081340000013", "bin_month"),  # month 13
        ("081200000016", "bin_kind"),  # 5th digit 0: an IIN-like number
        ("950101300038", "bin_kind"),  # a real IIN's layout
    ],
)
def test_bad_bins_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as caught:
        bin_validate(value)
    assert caught.value.code == code


def test_bin_wrong_check_digit_message():
    with pytest.raises(ValidationError) as caught:
        bin_validate("081240000014")
    assert caught.value.messages == ["The check digit of this BIN is wrong: please check every digit."]


def test_no_reasons_when_licence_and_permission_are_in_order():
    assert dlt_permission_reasons(**GOOD) == []


def test_permission_valid_through_its_last_day():
    assert dlt_permission_reasons(**{**GOOD, "permission_valid_until": ON}) == []


def test_every_reason_is_listed():
    reasons = dlt_permission_reasons(
        licence_number="",
        licence_date=None,
        permission_number="",
        permission_date=None,
        permission_valid_until=None,
        on=ON,
    )
    assert reasons == [
        "No education licence is recorded in the institution profile.",
        "No permission of the authorized body to use DLT is recorded.",
    ]


def test_permission_dated_after_the_day_and_expired():
    assert dlt_permission_reasons(**{**GOOD, "permission_date": date(2026, 9, 2)}) == [
        "The permission to use DLT is dated 02.09.2026, after 01.09.2026."
    ]
    assert dlt_permission_reasons(**{**GOOD, "permission_valid_until": date(2026, 8, 31)}) == [
        "The permission to use DLT expired on 31.08.2026."
    ]


def test_licence_dated_after_the_day():
    assert dlt_permission_reasons(**{**GOOD, "licence_date": date(2027, 1, 1)}) == [
        "The education licence is dated 01.01.2027, after 01.09.2026."
    ]


def test_blank_number_counts_as_missing():
    assert dlt_permission_reasons(**{**GOOD, "permission_number": "  "}) == [
        "No permission of the authorized body to use DLT is recorded."
    ]
