from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from qashyq.core.iin import iin_make, iin_mask, iin_parse


def published_check_digit(iin: str) -> int | None:
    """The algorithm as published (kazakhstan-facts §g), written independently of qashyq.core.iin."""
    digits = [int(c) for c in iin[:11]]
    total = sum(d * (i + 1) for i, d in enumerate(digits)) % 11
    if total == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        total = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if total == 10:
            return None
    return total


def published_is_valid(iin: str) -> bool:
    if len(iin) != 12 or not iin.isdigit() or iin[6] not in "123456":
        return False
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[iin[6]]
    try:
        date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return False
    return published_check_digit(iin) == int(iin[11])


def is_valid(iin: str) -> bool:
    try:
        iin_parse(iin)
    except ValidationError:
        return False
    return True


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_agrees_with_the_published_algorithm_on_any_12_digits(iin):
    assert is_valid(iin) == published_is_valid(iin)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["male", "female"]),
    st.integers(min_value=0, max_value=9999),
)
def test_made_iins_are_valid_and_say_what_was_put_in(birth, sex, serial):
    iin = iin_make(birth_date=birth, sex=sex, serial=serial)
    assert published_is_valid(iin)
    facts = iin_parse(iin)
    assert (facts.birth_date, facts.sex) == (birth, sex)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=9999),
    st.integers(min_value=7, max_value=10),
    st.integers(min_value=1, max_value=9),
)
def test_a_changed_serial_digit_is_caught(birth, serial, position, delta):
    iin = iin_make(birth_date=birth, sex="female", serial=serial)
    changed = iin[:position] + str((int(iin[position]) + delta) % 10) + iin[position + 1 :]
    assert is_valid(changed) == published_is_valid(changed)
    if published_check_digit(iin[:11]) == published_check_digit(changed[:11]) == int(iin[11]):
        return  # the published algorithm itself cannot see this change (second weighting)
    assert not is_valid(changed)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "iin_format"),
        ("95010130011a", "iin_format"),
        ("９５０１０１３００１１５", "iin_format"),  # full-width digits
        ("950101700115", "iin_century"),
        ("951301300115", "iin_date"),
        ("950230300115", "iin_date"),
    ],
)
def test_bad_iins_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as caught:
        iin_parse(value)
    assert caught.value.code == code


def test_wrong_check_digit():
    good = iin_make(birth_date=date(2004, 5, 17), sex="male", serial=123)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as caught:
        iin_parse(bad)
    assert caught.value.code == "iin_checksum"


def test_known_value():
    # 17 May 2004, male (digit 5), serial 0123: 0·1+4·2+0·3+5·4+1·5+7·6+5·7+0·8+1·9+2·10+3·11 = 172 ≡ 7 (mod 11).
    assert iin_make(birth_date=date(2004, 5, 17), sex="male", serial=123) == "040517501237"


def test_mask_shows_only_the_first_four_digits():
    assert iin_mask("040517501237") == "0405********"
    assert iin_mask("") == ""
