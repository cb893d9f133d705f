"""The IIN (ЖСН / ИИН), Kazakhstan's 12-digit individual identification number.

Digits 1-6 are the birth date (YYMMDD), digit 7 the century and sex (1/2 = 1800s, 3/4 = 1900s,
5/6 = 2000s; odd = male, even = female), digits 8-11 a serial number and digit 12 a check digit:
the sum of digit_i * i (i = 1..11) modulo 11; when that is 10, the sum again with the weights
3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2, modulo 11; when that is 10 again, the number is invalid.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS_FIRST = tuple(range(1, 12))
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


@dataclass(frozen=True)
class IinFacts:
    birth_date: date
    sex: str  # "male" | "female"


def iin_check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no check digit exists."""
    digits = [int(c) for c in first_eleven]
    for weights in (WEIGHTS_FIRST, WEIGHTS_SECOND):
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return check
    return None


def iin_parse(value: str) -> IinFacts:
    """Validate an IIN and return what it says; raise ValidationError naming what is wrong."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    century = CENTURY_BY_DIGIT.get(value[6])
    if century is None:
        raise ValidationError(_("The 7th digit of an IIN (century and sex) must be 1 to 6."), code="iin_century")
    try:
        birth = date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(
            _("The first 6 digits of an IIN must be a real birth date (YYMMDD)."), code="iin_date"
        ) from None
    if iin_check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_("The check digit of this IIN is wrong: please check every digit."), code="iin_checksum")
    return IinFacts(birth_date=birth, sex="male" if int(value[6]) % 2 else "female")


def validate_iin(value: str) -> None:
    iin_parse(value)


def iin_make(*, birth_date: date, sex: str, serial: int) -> str:
    """Build a valid IIN, trying serial numbers from `serial` on until one has a check digit."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (0 if sex == "male" else 1)
    for candidate in range(serial, serial + 10_000):
        body = f"{birth_date:%y%m%d}{century_digit}{candidate % 10_000:04d}"
        check = iin_check_digit(body)
        if check is not None:
            return f"{body}{check}"
    raise ValueError("no serial gives a check digit")  # unreachable: most serials do


def iin_mask(value: str) -> str:
    """What everyone but the student, the administration service and the head sees."""
    return value[:4] + "*" * (len(value) - 4) if value else ""
