"""The full access matrix of every access_* and can_* function in accounts.permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.data import Role
from qashyq.accounts.permissions import access_dashboard, access_user_for_role_change, can_manage_roles

ALL_ROLES = list(Role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_manage_roles(make_user, role):
    assert can_manage_roles(user=make_user(role)) is (role == Role.IT_SUPPORT)


@pytest.mark.django_db
def test_can_manage_roles_needs_an_active_signed_in_account(make_user):
    assert can_manage_roles(user=AnonymousUser()) is False
    assert can_manage_roles(user=make_user(Role.IT_SUPPORT, is_active=False)) is False
    assert can_manage_roles(user=make_user()) is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_access_user_for_role_change(make_user, role):
    actor, other = make_user(role), make_user(Role.STUDENT)
    if role == Role.IT_SUPPORT:
        assert access_user_for_role_change(user=actor, user_id=other.pk) == other
    else:
        with pytest.raises(Http404):
            access_user_for_role_change(user=actor, user_id=other.pk)


@pytest.mark.django_db
def test_access_user_for_role_change_never_own_or_missing(make_user):
    it = make_user(Role.IT_SUPPORT)
    with pytest.raises(Http404):
        access_user_for_role_change(user=it, user_id=it.pk)
    with pytest.raises(Http404):
        access_user_for_role_change(user=it, user_id=it.pk + 10_000)
    with pytest.raises(Http404):
        access_user_for_role_change(user=AnonymousUser(), user_id=it.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("holder", ALL_ROLES)
@pytest.mark.parametrize("dashboard", ALL_ROLES)
def test_access_dashboard(make_user, holder, dashboard):
    user = make_user(holder)
    if holder == dashboard:
        assert access_dashboard(user=user, role=dashboard) == dashboard
    else:
        with pytest.raises(Http404):
            access_dashboard(user=user, role=dashboard)


def test_access_dashboard_anonymous():
    with pytest.raises(Http404):
        access_dashboard(user=AnonymousUser(), role=Role.STUDENT)


@pytest.mark.django_db
def test_access_dashboard_several_roles(make_user):
    user = make_user(Role.TEACHER, Role.TUTOR)
    assert access_dashboard(user=user, role=Role.TEACHER) == Role.TEACHER
    assert access_dashboard(user=user, role=Role.TUTOR) == Role.TUTOR
    with pytest.raises(Http404):
        access_dashboard(user=user, role=Role.STUDENT)
