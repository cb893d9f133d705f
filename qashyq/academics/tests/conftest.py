from datetime import date

import pytest

from qashyq.accounts.data import Role

MFA_ROLES = {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT}


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids), whatever the catalogs hold."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def signed_in(client, make_user, enrol_totp):
    """`signed_in(Role.X, ...)`: a new account holding the roles, signed in on `client` (with TOTP when required)."""

    def sign_in(*roles, **fields):
        user = make_user(*roles, **fields)
        if MFA_ROLES & set(roles):
            enrol_totp(user)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def year(db):
    from qashyq.academics.tests.factories import AcademicYearFactory

    return AcademicYearFactory(title="2026–2027", start_date=date(2026, 9, 1), end_date=date(2027, 8, 31))


@pytest.fixture
def calendar(year):
    from qashyq.academics.tests.factories import AcademicCalendarFactory

    return AcademicCalendarFactory(year=year)
