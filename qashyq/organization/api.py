"""What other apps may use of the organization: the institution's identity and whether DLT may be used."""

from datetime import date

from django.utils.translation import gettext as _

from qashyq.organization.data import DltPermission, InstitutionData
from qashyq.organization.rules import dlt_permission_reasons
from qashyq.organization.selectors import institution_current

__all__ = ["DltPermission", "InstitutionData", "dlt_allowed", "institution_get"]


def institution_get() -> InstitutionData | None:
    """The institution's names, city, BIN and order-number suffix; None before the profile is filled in."""
    institution = institution_current()
    if institution is None:
        return None
    return InstitutionData(
        id=institution.pk,
        name_kk=institution.name_kk,
        name_ru=institution.name_ru,
        name_en=institution.name_en,
        city_kk=institution.city_kk,
        city_ru=institution.city_ru,
        bin=institution.bin,
        order_number_suffix=institution.order_number_suffix,
    )


def dlt_allowed(*, on: date) -> DltPermission:
    """Whether the institution may use distance learning technologies on `on` (R3), with every reason why not:
    an education licence and the authorized body's permission, dated no later than `on` and not expired."""
    institution = institution_current()
    if institution is None:
        return DltPermission(allowed=False, reasons=[_("No institution profile is filled in.")])
    reasons = dlt_permission_reasons(
        licence_number=institution.licence_number,
        licence_date=institution.licence_date,
        permission_number=institution.dlt_permission_number,
        permission_date=institution.dlt_permission_date,
        permission_valid_until=institution.dlt_permission_valid_until,
        on=on,
    )
    return DltPermission(allowed=not reasons, reasons=reasons)
