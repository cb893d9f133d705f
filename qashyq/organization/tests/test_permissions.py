"""The full access matrix of every access_* and can_* function in organization.permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.data import Role
from qashyq.organization import permissions
from qashyq.organization.tests.factories import PositionFactory, StaffMemberFactory, UnitFactory

ALL_ROLES = list(Role)
MANAGERS = {Role.HEAD, Role.ADMINISTRATION}


def anonymous_and_roles():
    return [None, *ALL_ROLES]


def actor(make_user, role):
    return AnonymousUser() if role is None else make_user(role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_can_manage_organization(make_user, role):
    assert permissions.can_manage_organization(user=actor(make_user, role)) is (role in MANAGERS)


@pytest.mark.django_db
def test_inactive_manager_and_account_without_roles(make_user):
    assert permissions.can_manage_organization(user=make_user(Role.HEAD, is_active=False)) is False
    assert permissions.can_manage_organization(user=make_user()) is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_access_institution_to_read(make_user, institution, role):
    user = actor(make_user, role)
    if role is None:
        with pytest.raises(Http404):
            permissions.access_institution(user=user)
    else:
        assert permissions.access_institution(user=user) == institution


@pytest.mark.django_db
def test_access_institution_to_read_without_roles_and_before_the_profile(make_user):
    user = make_user()
    assert permissions.access_institution(user=user) is None
    with pytest.raises(Http404):
        permissions.access_institution(user=make_user(Role.STUDENT, is_active=False))


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_access_institution_to_edit(make_user, institution, role):
    user = actor(make_user, role)
    if role in MANAGERS:
        assert permissions.access_institution(user=user, edit=True) == institution
    else:
        with pytest.raises(Http404):
            permissions.access_institution(user=user, edit=True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_access_structure(make_user, role):
    user = actor(make_user, role)
    if role in MANAGERS:
        assert permissions.access_structure(user=user) is None
    else:
        with pytest.raises(Http404):
            permissions.access_structure(user=user)


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_access_unit(make_user, role):
    unit = UnitFactory()
    user = actor(make_user, role)
    if role in MANAGERS:
        assert permissions.access_unit(user=user, unit_id=unit.pk) == unit
        with pytest.raises(Http404):
            permissions.access_unit(user=user, unit_id=unit.pk + 1000)
    else:
        with pytest.raises(Http404):
            permissions.access_unit(user=user, unit_id=unit.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_access_position(make_user, role):
    position = PositionFactory()
    user = actor(make_user, role)
    if role in MANAGERS:
        assert permissions.access_position(user=user, position_id=position.pk) == position
        with pytest.raises(Http404):
            permissions.access_position(user=user, position_id=position.pk + 1000)
    else:
        with pytest.raises(Http404):
            permissions.access_position(user=user, position_id=position.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", anonymous_and_roles())
def test_access_staff_member(make_user, role):
    member = StaffMemberFactory(user=make_user())
    user = actor(make_user, role)
    if role in MANAGERS:
        assert permissions.access_staff_member(user=user, staff_member_id=member.pk) == member
        with pytest.raises(Http404):
            permissions.access_staff_member(user=user, staff_member_id=member.pk + 1000)
    else:
        with pytest.raises(Http404):
            permissions.access_staff_member(user=user, staff_member_id=member.pk)
