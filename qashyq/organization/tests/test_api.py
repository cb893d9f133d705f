from datetime import date

import pytest

from qashyq.organization import api, services
from qashyq.organization.data import DltPermission, InstitutionData


@pytest.mark.django_db
def test_institution_get_before_and_after_the_profile(profile):
    assert api.institution_get() is None
    institution = services.institution_update(actor=None, **profile)
    assert api.institution_get() == InstitutionData(
        id=institution.pk,
        name_kk="Qashyq университеті",
        name_ru="Университет Qashyq",
        name_en="Qashyq University",
        city_kk="Алматы",
        city_ru="Алматы",
        bin="081240000013",
        order_number_suffix="ОД",
    )


@pytest.mark.django_db
def test_institution_data_name_follows_the_language(institution):
    from django.utils import translation

    data = api.institution_get()
    with translation.override("ru"):
        assert data.name == "Университет Qashyq"
    with translation.override("kk"):
        assert data.name == "Qashyq университеті"


@pytest.mark.django_db
def test_dlt_allowed_without_a_profile():
    assert api.dlt_allowed(on=date(2026, 9, 1)) == DltPermission(
        allowed=False, reasons=["No institution profile is filled in."]
    )


@pytest.mark.django_db
def test_dlt_allowed_with_licence_and_permission(institution):
    assert api.dlt_allowed(on=date(2026, 9, 1)) == DltPermission(allowed=True, reasons=[])


@pytest.mark.django_db
def test_dlt_not_allowed_before_the_permission_or_after_it_expires(institution):
    assert api.dlt_allowed(on=date(2021, 8, 14)).reasons == [
        "The permission to use DLT is dated 15.08.2021, after 14.08.2021."
    ]
    services.institution_update(actor=None, dlt_permission_valid_until=date(2026, 6, 30))
    result = api.dlt_allowed(on=date(2026, 9, 1))
    assert (result.allowed, result.reasons) == (False, ["The permission to use DLT expired on 30.06.2026."])


@pytest.mark.django_db
def test_dlt_not_allowed_without_a_permission(institution):
    services.institution_update(actor=None, dlt_permission_number="", dlt_permission_date=None)
    assert api.dlt_allowed(on=date(2026, 9, 1)) == DltPermission(
        allowed=False, reasons=["No permission of the authorized body to use DLT is recorded."]
    )
