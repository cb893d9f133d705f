"""The full access matrix of the order functions in records.permissions: every role, anonymous, inactive."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.data import Role
from qashyq.records.data import OrderKind
from qashyq.records.models import Order
from qashyq.records.permissions import access_order, can_prepare_orders, can_sign_orders, can_view_orders

ALL_ROLES = list(Role)
SEE = {Role.ADMINISTRATION, Role.HEAD}


@pytest.fixture
def order(make_user):
    return Order.objects.create(
        kind=OrderKind.ADMISSION,
        effective_date=date(2026, 9, 1),
        title_kk="т",
        title_ru="т",
        prepared_by=make_user(Role.ADMINISTRATION),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_prepare_orders(make_user, role):
    assert can_prepare_orders(user=make_user(role)) is (role == Role.ADMINISTRATION)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_sign_orders(make_user, role):
    assert can_sign_orders(user=make_user(role)) is (role == Role.HEAD)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_view_orders(make_user, role):
    assert can_view_orders(user=make_user(role)) is (role in SEE)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_access_order(make_user, order, role):
    user = make_user(role)
    if role in SEE:
        assert access_order(user=user, order_id=order.pk) == order
    else:
        with pytest.raises(Http404):
            access_order(user=user, order_id=order.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SEE))
def test_access_order_missing_is_404(make_user, order, role):
    with pytest.raises(Http404):
        access_order(user=make_user(role), order_id=order.pk + 1000)


@pytest.mark.django_db
def test_a_student_does_not_see_even_the_order_about_them(make_user, order):
    """Orders are internal papers: the student sees their own record and extracts, not the order."""
    from qashyq.records.models import OrderItem
    from qashyq.records.tests.student_helpers import make_programme, make_student

    user = make_user(Role.STUDENT)
    student = make_student(make_programme(), user=user)
    OrderItem.objects.create(order=order, student=student, changes={})
    with pytest.raises(Http404):
        access_order(user=user, order_id=order.pk)


@pytest.mark.django_db
def test_anonymous_inactive_and_roleless(make_user, order):
    for user in (
        AnonymousUser(),
        make_user(Role.ADMINISTRATION, is_active=False),
        make_user(Role.HEAD, is_active=False),
        make_user(),
    ):
        assert can_prepare_orders(user=user) is False
        assert can_sign_orders(user=user) is False
        assert can_view_orders(user=user) is False
        with pytest.raises(Http404):
            access_order(user=user, order_id=order.pk)


@pytest.mark.django_db
def test_several_roles_add_up(make_user, order):
    user = make_user(Role.TEACHER, Role.HEAD)
    assert (can_prepare_orders(user=user), can_sign_orders(user=user), can_view_orders(user=user)) == (
        False,
        True,
        True,
    )
    assert access_order(user=user, order_id=order.pk) == order
