"""Who downloads an issued document: only through the check its target type registered (full matrix)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.api import Role
from qashyq.documents import permissions

ALL_ROLES = list(Role)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch) -> dict:
    """A registry of the test's own (records' real checks stay registered outside it)."""
    checks: dict = {}
    monkeypatch.setattr(permissions, "_ACCESS_CHECKS", checks)
    return checks


@pytest.fixture
def document(issue):
    return issue(target=("tests.thing", "42"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_check_registered_means_nobody(registry, document, make_user, role):
    user = make_user(role)
    with pytest.raises(Http404):
        permissions.access_document(user=user, document_id=document.pk)


def test_no_check_registered_means_nobody_even_a_superuser(registry, document, make_user):
    user = make_user(is_superuser=True, is_staff=True)
    with pytest.raises(Http404):
        permissions.access_document(user=user, document_id=document.pk)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_registered_check_decides(registry, document, make_user, role):
    # given: a check that lets only the head download, and records what it was asked
    asked = []

    def check(user, target_id):
        asked.append(target_id)
        return Role.HEAD in {g.name for g in user.groups.all()}

    permissions.register_access_check("tests.thing", check)
    user = make_user(role)
    # when / then
    if role == Role.HEAD:
        assert permissions.access_document(user=user, document_id=document.pk) == document
    else:
        with pytest.raises(Http404):
            permissions.access_document(user=user, document_id=document.pk)
    assert asked == ["42"]


def test_a_check_for_another_target_type_does_not_apply(registry, document, make_user):
    permissions.register_access_check("tests.other", lambda user, target_id: True)
    with pytest.raises(Http404):
        permissions.access_document(user=make_user(Role.HEAD), document_id=document.pk)


def test_anonymous_never_reaches_the_check(registry, document):
    permissions.register_access_check("tests.thing", lambda user, target_id: True)
    with pytest.raises(Http404):
        permissions.access_document(user=AnonymousUser(), document_id=document.pk)


def test_inactive_user_never_reaches_the_check(registry, document, make_user):
    permissions.register_access_check("tests.thing", lambda user, target_id: True)
    user = make_user(Role.HEAD, is_active=False)
    with pytest.raises(Http404):
        permissions.access_document(user=user, document_id=document.pk)


def test_missing_document_is_404(registry, make_user):
    permissions.register_access_check("tests.thing", lambda user, target_id: True)
    with pytest.raises(Http404):
        permissions.access_document(user=make_user(Role.HEAD), document_id=999_999)
