"""Signing issues the order's documents for real (PDF in Kazakh and in Russian), shown on the order page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qashyq.accounts.data import Role
from qashyq.documents.api import documents_for
from qashyq.records.data import OrderKind
from qashyq.records.services.orders import order_create, order_item_add, order_sign
from qashyq.records.tests.order_helpers import make_institution
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

pytestmark = pytest.mark.django_db


def test_signing_issues_the_order_in_kazakh_and_russian(client, make_user, enrol_totp):
    make_institution()
    admin = make_user(Role.ADMINISTRATION, language="en")
    head = make_user(Role.HEAD, first_name="Жандос", last_name="Әміров")
    programme = make_programme()
    group = make_group("ИС-26-1", programme)
    order = order_create(
        actor=admin,
        kind=OrderKind.ADMISSION,
        effective_date=timezone.localdate(),
        basis_kk="Өтініштер негізінде",
        basis_ru="На основании заявлений",
    )
    order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})

    order_sign(actor=head, order=order)

    documents = documents_for(target=("records.order", str(order.pk)))
    assert sorted(d.language for d in documents) == ["kk", "ru"]
    assert {d.number for d in documents} == {"1-ОД"}
    enrol_totp(admin)
    client.force_login(admin)
    page = client.get(reverse("records:order-detail", args=[order.pk])).content.decode()
    for document in documents:
        assert document.url in page
        assert document.verification_code in page
