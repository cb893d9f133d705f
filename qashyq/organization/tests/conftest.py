from datetime import date

import pytest

from qashyq.accounts.data import Role

MFA_ROLES = {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT}
VALID_BIN = "081240000013"

PROFILE = {
    "name_kk": "Qashyq университеті",
    "name_ru": "Университет Qashyq",
    "name_en": "Qashyq University",
    "bin": VALID_BIN,
    "ownership": "private",
    "subordination": "Ministry of Science and Higher Education",
    "education_levels": ["higher", "postgraduate"],
    "city_kk": "Алматы",
    "city_ru": "Алматы",
    "licence_number": "KZ36LAA00011387",
    "licence_date": date(2020, 3, 1),
    "licence_issuer": "Committee for Quality Assurance in Science and Higher Education",
    "dlt_permission_number": "DLT-2021-17",
    "dlt_permission_date": date(2021, 8, 15),
    "dlt_permission_valid_until": None,
    "order_number_suffix": "ОД",
}


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids), whatever the catalogs hold."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def profile():
    return dict(PROFILE)


@pytest.fixture
def institution(db, profile):
    from qashyq.organization.services import institution_update

    return institution_update(actor=None, **profile)


@pytest.fixture
def signed_in(client, make_user, enrol_totp):
    """`signed_in(Role.X, ...)`: a new account holding the roles, signed in on `client` (with TOTP when required)."""

    def sign_in(*roles):
        user = make_user(*roles)
        if MFA_ROLES & set(roles):
            enrol_totp(user)
        client.force_login(user)
        return user

    return sign_in
