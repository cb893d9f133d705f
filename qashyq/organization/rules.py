"""Pure checks of the organization's data: the BIN and the permission to use DLT. No database here."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qashyq.core.iin import iin_check_digit

# The 5th digit of a BIN: 4 a resident legal entity, 5 a non-resident one, 6 an individual
# entrepreneur's joint venture (the kinds of organization that run an educational institution).
BIN_ENTITY_DIGITS = frozenset("456")


def bin_validate(value: str) -> None:
    """Raise ValidationError naming what is wrong with a BIN (business identification number)."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A BIN has exactly 12 digits."), code="bin_format")
    if not 1 <= int(value[2:4]) <= 12:
        raise ValidationError(_("Digits 3–4 of a BIN are the month of registration (01 to 12)."), code="bin_month")
    if value[4] not in BIN_ENTITY_DIGITS:
        raise ValidationError(
            _("The 5th digit of a BIN must be 4, 5 or 6 (a legal entity); this looks like an IIN."), code="bin_kind"
        )
    if iin_check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_("The check digit of this BIN is wrong: please check every digit."), code="bin_checksum")


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def dlt_permission_reasons(
    *,
    licence_number: str,
    licence_date: date | None,
    permission_number: str,
    permission_date: date | None,
    permission_valid_until: date | None,
    on: date,
) -> list[str]:
    """Every reason why DLT may not be used on `on`; an empty list means it may."""
    reasons: list[str] = []
    if not licence_number.strip() or licence_date is None:
        reasons.append(_("No education licence is recorded in the institution profile."))
    elif licence_date > on:
        reasons.append(
            _("The education licence is dated %(date)s, after %(on)s.") % {"date": _day(licence_date), "on": _day(on)}
        )
    if not permission_number.strip() or permission_date is None:
        reasons.append(_("No permission of the authorized body to use DLT is recorded."))
    else:
        if permission_date > on:
            reasons.append(
                _("The permission to use DLT is dated %(date)s, after %(on)s.")
                % {"date": _day(permission_date), "on": _day(on)}
            )
        if permission_valid_until is not None and permission_valid_until < on:
            reasons.append(_("The permission to use DLT expired on %(date)s.") % {"date": _day(permission_valid_until)})
    return reasons
