"""A contingent order from draft to force: the administration service drafts an admission order for an
applicant, the head signs it (with a second factor), and the student's card shows them studying."""

import re
from collections.abc import Callable

from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.records.data import OrderStatus, StudentStatus
from qashyq.records.models import Order, Student
from qashyq.records.services.orders import order_create, order_item_add, order_sign
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student
from tests.e2e.support import Account, assert_accessible, path_is, sign_out

ORDERS = "/records/orders/"


def kk(label: object) -> str:
    """A label as the Kazakh page shows it."""
    with translation.override("kk"):
        return str(label)


def test_admission_order_from_draft_to_the_student_card(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    administration = make_account(Role.ADMINISTRATION, first_name="Гүлнар", last_name="Байжанова")
    head = make_account(Role.HEAD, first_name="Жандос", last_name="Әміров")
    programme = make_programme()
    group = make_group("ИС-26-1", programme, capacity=25)
    applicant = make_student(programme, last_name="Нұрланов", first_name="Ерлан")

    # The administration service drafts the order.
    sign_in(page, administration)
    page.locator(f"header nav a[href='{ORDERS}']").click()
    expect(page).to_have_url(path_is(ORDERS))
    assert_accessible(page)
    page.locator("main a[href='/records/orders/new/']").click()
    expect(page).to_have_url(path_is("/records/orders/new/"))
    assert_accessible(page)
    page.locator("#id_kind").select_option("admission")
    page.locator("#id_basis_kk").fill("Қабылдау комиссиясының 2026 жылғы 20 тамыздағы №5 хаттамасы")
    page.locator("#id_basis_ru").fill("Протокол приёмной комиссии от 20 августа 2026 года №5")
    page.locator("main form [type=submit]").click()
    order = Order.objects.get()
    detail = f"/records/orders/{order.pk}/"
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("#order-status")).to_have_text(kk(OrderStatus.DRAFT.label))
    assert_accessible(page)

    # ... finds the applicant by IIN and places them in the group.
    add = f"/records/orders/{order.pk}/items/add/"
    page.locator(f"main a[href='{add}']").click()
    expect(page).to_have_url(path_is(add))
    assert_accessible(page)
    page.locator("#q").fill(applicant.iin)
    page.locator("form[role=search] [type=submit]").click()
    expect(page.locator("main input[name=student]")).to_have_count(1)
    assert_accessible(page)
    # Without a group nothing is added, and the page says what is missing.
    page.locator("main input[name=student]").check()
    page.locator("main form[method=post] [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_group")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not order.items.exists()
    page.locator("main input[name=student]").check()
    page.locator("#id_group").select_option(str(group.pk))
    page.locator("main form[method=post] [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{detail}#items$"))
    expect(page.locator("#order-items tbody tr")).to_have_count(1)
    expect(page.locator("#order-items")).to_contain_text(applicant.full_name)
    assert_accessible(page)
    # The administration service does not sign.
    expect(page.locator(f"main a[href='{detail}sign/']")).to_have_count(0)
    sign_out(page)

    # The head signs it, after a confirmation page.
    sign_in(page, head)
    page.goto(url(detail))
    assert_accessible(page)
    page.locator(f"main a[href='{detail}sign/']").click()
    expect(page).to_have_url(path_is(f"{detail}sign/"))
    expect(page.locator("main")).to_contain_text(applicant.full_name)
    assert_accessible(page)
    page.locator("main form[method=post] [type=submit]").click()
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("#order-status")).to_have_text(kk(OrderStatus.IN_FORCE.label))
    expect(page.locator("main h1")).to_contain_text("1-ОД")
    assert_accessible(page)
    order.refresh_from_db()
    assert (order.status, order.number_label, order.signed_by_id) == (OrderStatus.IN_FORCE, "1-ОД", head.user.pk)

    # The student's card shows the student studying in the group, with the order in the history.
    page.locator(f"main a[href='/records/students/{applicant.pk}/']").click()
    expect(page).to_have_url(path_is(f"/records/students/{applicant.pk}/"))
    expect(page.locator("main")).to_contain_text(kk(StudentStatus.ACTIVE.label))
    expect(page.locator("main")).to_contain_text("ИС-26-1")
    expect(page.locator("main")).to_contain_text("1-ОД")
    assert_accessible(page)
    student = Student.objects.get(pk=applicant.pk)
    assert (student.status, student.group_id) == (StudentStatus.ACTIVE, group.pk)

    # The list shows the signed order; a signed order offers no editing, only cancellation by a new order.
    page.goto(url(ORDERS))
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("1-ОД")
    assert_accessible(page)
    response = page.goto(url(f"{detail}sign/"))
    assert response is not None
    assert response.status == 400
    assert_accessible(page)


def test_cancellation_page_and_list_filters(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    administration = make_account(Role.ADMINISTRATION)
    head = make_account(Role.HEAD)
    programme = make_programme()
    group = make_group("ИС-26-2", programme)
    student = make_student(programme)
    with translation.override("en"):
        order = order_create(
            actor=administration.user,
            kind="admission",
            effective_date=timezone.localdate(),
            basis_kk="негіз",
            basis_ru="основание",
        )
        order_item_add(actor=administration.user, order=order, student=student, changes={"group": group.pk})
        order_sign(actor=head.user, order=order)

    sign_in(page, administration)
    page.goto(url(f"{ORDERS}?kind=admission&status=in_force&number=1"))
    expect(page.locator("main table tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.goto(url(f"/records/orders/{order.pk}/"))
    page.locator(f"main a[href='/records/orders/{order.pk}/cancel/']").click()
    assert_accessible(page)
    page.locator("main form [type=submit]").click()  # no basis: refused, and said so
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_basis_kk").fill("Техникалық қате")
    page.locator("#id_basis_ru").fill("Техническая ошибка")
    page.locator("main form [type=submit]").click()
    cancellation = Order.objects.get(cancels=order)
    expect(page).to_have_url(path_is(f"/records/orders/{cancellation.pk}/"))
    expect(page.locator("#order-status")).to_have_text(kk(OrderStatus.DRAFT.label))
    assert_accessible(page)
