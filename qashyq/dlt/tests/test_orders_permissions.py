"""Who may see, build and sign DLT orders: the full matrix of the access_*/can_* functions of
permissions/orders.py (every role, anonymous, a deactivated account, the student of the order)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.api import Role
from qashyq.dlt.permissions import orders as permissions
from qashyq.dlt.services import orders as services
from qashyq.dlt.tests.helpers import dlt_world
from qashyq.dlt.tests.test_orders_helpers import EFFECTIVE, accepted, cheap_pdfs
from qashyq.records.data import OrderKind
from qashyq.records.services.orders import order_create

pytestmark = pytest.mark.django_db

ROLES = [Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.DIDACTICS, Role.IT_SUPPORT, Role.HEAD]
# role → (list and see, prepare, sign)
EXPECTED = {
    Role.STUDENT: (False, False, False),
    Role.TEACHER: (False, False, False),
    Role.TUTOR: (False, False, False),
    Role.ADMINISTRATION: (True, True, False),
    Role.DIDACTICS: (False, False, False),
    Role.IT_SUPPORT: (False, False, False),
    Role.HEAD: (True, False, True),
}


@pytest.fixture
def world(monkeypatch):
    cheap_pdfs(monkeypatch)
    return dlt_world()


@pytest.fixture
def order(world):
    return services.dlt_order_create(actor=world.admin, application_ids=[accepted(world).pk], effective_date=EFFECTIVE)


def _can(user):
    return (
        permissions.can_list_orders(user=user),
        permissions.can_prepare_orders(user=user),
        permissions.can_sign_orders(user=user),
    )


def _sees(user, order_id):
    try:
        return permissions.access_order(user=user, order_id=order_id).id == order_id
    except Http404:
        return False


@pytest.mark.parametrize("role", ROLES)
def test_matrix_by_role(make_user, order, role):
    user = make_user(role)
    assert _can(user) == EXPECTED[role]
    assert _sees(user, order.id) is EXPECTED[role][0]


def test_anonymous_and_deactivated_accounts_get_nothing(make_user, order):
    assert _can(AnonymousUser()) == (False, False, False)
    assert not _sees(AnonymousUser(), order.id)
    for role in (Role.ADMINISTRATION, Role.HEAD):
        user = make_user(role, is_active=False)
        assert _can(user) == (False, False, False)
        assert not _sees(user, order.id)


def test_the_student_of_the_order_does_not_see_it(world, order, make_user):
    assert _can(world.student_user) == (False, False, False)
    assert not _sees(world.student_user, order.id)
    assert not _sees(make_user(Role.STUDENT), order.id)


def test_other_orders_and_missing_ones_are_not_found(world, order):
    admission = order_create(
        actor=world.admin, kind=OrderKind.ADMISSION, effective_date=EFFECTIVE, basis_kk="Негіз", basis_ru="Основание"
    )
    for user in (world.admin, world.head):
        assert _sees(user, order.id)
        assert not _sees(user, admission.pk)
        assert not _sees(user, 999999)
