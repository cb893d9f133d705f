"""Order pages and the orders REST API: who gets what, what each POST changes, and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qashyq.accounts.data import Role
from qashyq.audit.models import Event
from qashyq.records import printing
from qashyq.records.data import ExpulsionReason, OrderKind, OrderStatus, StudentStatus
from qashyq.records.models import Order, OrderItem
from qashyq.records.services.orders import order_create, order_item_add, order_sign
from qashyq.records.tests.order_helpers import orders_snapshot, state
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

pytestmark = pytest.mark.django_db

LIST = reverse("records:order-list")
CREATE = reverse("records:order-create")
API_LIST = reverse("api-order-list")
OTHER_ROLES = [Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT]


def url(name, order, *extra):
    return reverse(f"records:{name}", args=[order.pk, *extra])


@pytest.fixture(autouse=True)
def _no_pdfs(monkeypatch):
    monkeypatch.setattr(printing, "order_documents_issue", lambda *, order, actor: [])


@pytest.fixture
def signed_in(client, make_user, enrol_totp):
    """`signed_in(role)`: a user of that role (with a second factor), signed in, reading English."""

    def sign_in(*roles):
        user = make_user(*roles, language="en")
        enrol_totp(user)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def admin(make_user, enrol_totp):
    user = make_user(Role.ADMINISTRATION, language="en")
    enrol_totp(user)
    return user


@pytest.fixture
def head(make_user, enrol_totp):
    user = make_user(Role.HEAD, language="en")
    enrol_totp(user)
    return user


@pytest.fixture
def programme():
    return make_programme()


@pytest.fixture
def group(programme):
    return make_group("ИС-26-1", programme, capacity=2)


def new_draft(admin, kind=OrderKind.ADMISSION, **kwargs):
    return order_create(
        actor=admin,
        kind=kind,
        effective_date=kwargs.pop("effective_date", timezone.localdate()),
        basis_kk="Өтініштер негізінде",
        basis_ru="На основании заявлений",
        **kwargs,
    )


def signed_admission(admin, head, programme, group, student=None):
    student = student or make_student(programme)
    order = new_draft(admin)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    return order_sign(actor=head, order=order), student


# --- Who may open what ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, admin):
    order = new_draft(admin)
    for path in (LIST, CREATE, url("order-detail", order), url("order-sign", order), url("order-item-add", order)):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_404_everywhere(client, signed_in, admin, programme, group, role):
    order = new_draft(admin)
    item = order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})
    signed_in(role)
    before = orders_snapshot()
    for path in (
        LIST,
        CREATE,
        url("order-detail", order),
        url("order-update", order),
        url("order-item-add", order),
        url("order-sign", order),
        url("order-cancel", order),
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(url("order-sign", order)).status_code == 404
    assert client.post(url("order-item-remove", order, item.pk)).status_code == 404
    assert client.post(CREATE, {"kind": "admission"}).status_code == 404
    assert orders_snapshot() == before


def test_the_head_reads_but_does_not_prepare(client, head, admin):
    order = new_draft(admin)
    client.force_login(head)
    assert client.get(LIST).status_code == 200
    page = client.get(url("order-detail", order))
    assert page.status_code == 200
    assert url("order-sign", order) in page.content.decode()
    assert url("order-item-add", order) not in page.content.decode()
    for path in (CREATE, url("order-update", order), url("order-item-add", order)):
        assert client.get(path).status_code == 404, path


def test_the_administration_does_not_sign(client, admin):
    order = new_draft(admin)
    client.force_login(admin)
    page = client.get(url("order-detail", order)).content.decode()
    assert url("order-sign", order) not in page
    assert client.get(url("order-sign", order)).status_code == 404
    assert client.post(url("order-sign", order)).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_a_missing_order_is_404(client, admin):
    client.force_login(admin)
    assert client.get(reverse("records:order-detail", args=[999_999])).status_code == 404


# --- List -----------------------------------------------------------------------------------------


def test_list_filters(client, admin, head, programme, group):
    admission, student = signed_admission(admin, head, programme, group)
    transfer = new_draft(admin, kind=OrderKind.TRANSFER)
    client.force_login(admin)

    def listed(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return [o.pk for o in response.context["page"]]

    assert listed() == [transfer.pk, admission.pk]  # drafts first, then by number
    assert listed(kind="transfer") == [transfer.pk]
    assert listed(status="in_force") == [admission.pk]
    assert listed(year=admission.year) == [transfer.pk, admission.pk]
    assert listed(year=admission.year - 1) == []
    assert listed(number="1") == [admission.pk]
    assert listed(number="№ 1-ОД") == [admission.pk]
    assert listed(student=student.iin) == [admission.pk]
    assert listed(student=student.iin[:6]) == [admission.pk]
    assert listed(student=student.last_name.upper()) == [admission.pk]
    assert listed(student=student.name_latin.split()[0]) == [admission.pk]
    assert listed(student="Жоқ Адам") == []
    # a wrong filter is shown, and the list is not filtered by it
    response = client.get(LIST, {"year": "last"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]


def test_list_answers_in_a_fixed_number_of_queries(client, admin, head, programme, django_assert_max_num_queries):
    group = make_group("ИС-26-9", programme, capacity=100)
    client.force_login(admin)

    def add_orders(count):
        for _ in range(count):
            signed_admission(admin, head, programme, group)
            new_draft(admin, kind=OrderKind.EXPULSION)

    add_orders(3)
    client.get(LIST)  # the first request of a session also records the session itself
    with django_assert_max_num_queries(9) as few:
        assert client.get(LIST).status_code == 200
    add_orders(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"]) == 30


# --- Create and edit a draft ----------------------------------------------------------------------


def test_create_a_draft(client, admin):
    client.force_login(admin)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE,
        {"kind": "admission", "effective_date": "2026-09-01", "basis_kk": "Негіз", "basis_ru": "Основание"},
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == url("order-detail", order)
    assert (order.kind, order.status, order.basis_ru, order.prepared_by) == (
        "admission",
        "draft",
        "Основание",
        admin,
    )


def test_create_with_bad_input_changes_nothing(client, admin):
    client.force_login(admin)
    response = client.post(CREATE, {"kind": "cancellation", "effective_date": "31.02.2026", "basis_kk": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"kind", "effective_date", "basis_kk", "basis_ru"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert Order.objects.count() == 0


def test_edit_a_draft(client, admin):
    order = new_draft(admin)
    client.force_login(admin)
    assert client.get(url("order-update", order)).status_code == 200
    response = client.post(
        url("order-update", order),
        {
            "effective_date": "2026-09-02",
            "title_kk": "Т",
            "title_ru": "З",
            "basis_kk": "Жаңа негіз",
            "basis_ru": "Новое основание",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.title_kk, order.basis_ru, str(order.effective_date)) == ("Т", "Новое основание", "2026-09-02")
    response = client.post(url("order-update", order), {"effective_date": "2026-09-02"})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.title_kk == "Т"


# --- Students of a draft --------------------------------------------------------------------------


def test_find_and_add_a_student(client, admin, programme, group):
    order = new_draft(admin)
    student = make_student(programme, last_name="Сейітова", first_name="Айгерім")
    make_student(programme, status=StudentStatus.ACTIVE, group=group, last_name="Сейітова", first_name="Дана")
    client.force_login(admin)
    page = client.get(url("order-item-add", order), {"q": "SEIITOVA Айгерім"})
    assert page.status_code == 200
    assert [s.pk for s in page.context["candidates"]] == [student.pk]  # applicants only for an admission
    response = client.post(
        url("order-item-add", order), {"q": "сейітова", "student": student.pk, "group": group.pk, "note": "n"}
    )
    assert response.status_code == 302
    item = OrderItem.objects.get()
    assert (item.student, item.changes["group"], item.note) == (student, group.pk, "n")
    detail = client.get(url("order-detail", order)).content.decode()
    assert student.full_name in detail
    assert "into group ИС-26-1 (6B06101, Full-time)" in detail


def test_adding_into_a_full_group_is_refused_with_the_message(client, admin, head, programme):
    full = make_group("ИС-26-2", programme, capacity=1)
    signed_admission(admin, head, programme, full)
    order = new_draft(admin)
    student = make_student(programme)
    client.force_login(admin)
    before = orders_snapshot()
    response = client.post(url("order-item-add", order), {"q": student.iin, "student": student.pk, "group": full.pk})
    assert response.status_code == 400
    assert (
        f"Group ИС-26-2 is full (1 of 1 places taken): {student.full_name} cannot be placed in it."
        in response.content.decode()
    )
    assert orders_snapshot() == before


def test_an_expulsion_asks_for_the_reason(client, admin, head, programme, group):
    _order, student = signed_admission(admin, head, programme, group)
    order = new_draft(admin, kind=OrderKind.EXPULSION)
    client.force_login(admin)
    page = client.get(url("order-item-add", order), {"q": student.iin})
    assert "reason" in page.context["form"].fields
    assert "group" not in page.context["form"].fields
    response = client.post(url("order-item-add", order), {"q": student.iin, "student": student.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    response = client.post(
        url("order-item-add", order), {"q": student.iin, "student": student.pk, "reason": ExpulsionReason.OWN_WISH}
    )
    assert response.status_code == 302
    assert OrderItem.objects.get(order=order).reason == "own_wish"


def test_transfer_out_needs_the_other_institution(client, admin, head, programme, group):
    _order, student = signed_admission(admin, head, programme, group)
    order = new_draft(admin, kind=OrderKind.TRANSFER)
    client.force_login(admin)
    data = {"q": student.iin, "student": student.pk, "transfer": "out"}
    response = client.post(url("order-item-add", order), data)
    assert response.status_code == 400
    assert response.context["form"].errors["institution"] == ["Name the other institution."]
    response = client.post(url("order-item-add", order), {**data, "institution": "ҚазҰУ"})
    assert response.status_code == 302
    assert OrderItem.objects.get(order=order).changes == {"to_institution": "ҚазҰУ"}


def test_remove_a_student(client, admin, programme, group):
    order = new_draft(admin)
    item = order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})
    client.force_login(admin)
    assert client.get(url("order-item-remove", order, item.pk)).status_code == 405
    response = client.post(url("order-item-remove", order, item.pk))
    assert response.status_code == 302
    assert not OrderItem.objects.exists()
    assert client.post(url("order-item-remove", order, item.pk)).status_code == 404


def test_a_signed_order_is_not_edited_through_the_pages(client, admin, head, programme, group):
    order, _student = signed_admission(admin, head, programme, group)
    item = order.items.get()
    client.force_login(admin)
    before, ledger = orders_snapshot(), Event.objects.count()
    message = "Order № 1-ОД is signed and is never edited: cancel it by a new order instead."
    for response in (
        client.get(url("order-update", order)),
        client.post(url("order-update", order), {"effective_date": "2026-09-01", "basis_kk": "x"}),
        client.get(url("order-item-add", order)),
        client.post(url("order-item-add", order), {"student": item.student_id, "group": group.pk}),
        client.post(url("order-item-remove", order, item.pk)),
    ):
        assert response.status_code == 400
        assert message in response.content.decode()
    assert (orders_snapshot(), Event.objects.count()) == (before, ledger)
    page = client.get(url("order-detail", order)).content.decode()
    assert url("order-item-remove", order, item.pk) not in page
    assert url("order-update", order) not in page


# --- Signing --------------------------------------------------------------------------------------


def test_the_head_signs_after_a_confirmation(client, admin, head, programme, group):
    order = new_draft(admin)
    student = make_student(programme)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    client.force_login(head)
    confirm = client.get(url("order-sign", order))
    assert confirm.status_code == 200
    assert student.full_name in confirm.content.decode()
    assert order.status == OrderStatus.DRAFT
    response = client.post(url("order-sign", order))
    assert response.status_code == 302
    assert response.url == url("order-detail", order)
    order.refresh_from_db()
    assert (order.status, order.number_label) == (OrderStatus.IN_FORCE, "1-ОД")
    assert state(student)[:2] == (StudentStatus.ACTIVE, group.pk)
    page = client.get(url("order-detail", order)).content.decode()
    assert "Order № 1-ОД" in page
    assert "In force" in page
    assert "Signed" in page  # the audit trail
    # a second signature
    before = orders_snapshot()
    again = client.post(url("order-sign", order))
    assert again.status_code == 400
    assert "Order № 1-ОД is already signed: an order is signed once." in again.content.decode()
    assert client.get(url("order-sign", order)).status_code == 400
    assert orders_snapshot() == before


def test_a_refused_signature_shows_why(client, admin, head):
    order = new_draft(admin)
    client.force_login(head)
    response = client.post(url("order-sign", order))
    assert response.status_code == 400
    assert "The order lists no students: add them before signing." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_the_order_page_brings_due_orders_into_force(client, admin, head, programme, group):
    start = timezone.localdate() + timedelta(days=2)
    order = new_draft(admin, effective_date=start)
    student = make_student(programme)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    order_sign(actor=head, order=order)
    Order.objects.filter(pk=order.pk).update(effective_date=timezone.localdate())  # its date has come
    client.force_login(admin)
    assert client.get(url("order-detail", order)).status_code == 200
    assert state(student)[0] == StudentStatus.ACTIVE


# --- Cancellation ---------------------------------------------------------------------------------


def test_cancel_by_a_new_order(client, admin, head, programme, group):
    order, student = signed_admission(admin, head, programme, group)
    client.force_login(admin)
    assert url("order-cancel", order) in client.get(url("order-detail", order)).content.decode()
    assert client.get(url("order-cancel", order)).status_code == 200
    response = client.post(url("order-cancel", order), {"basis_kk": "Қате", "basis_ru": "Ошибка"})
    cancellation = Order.objects.get(kind=OrderKind.CANCELLATION)
    assert response.status_code == 302
    assert response.url == url("order-detail", cancellation)
    assert list(cancellation.items.values_list("student_id", flat=True)) == [student.pk]
    response = client.post(url("order-cancel", order), {"basis_kk": ""})
    assert response.status_code == 400
    assert Order.objects.filter(kind=OrderKind.CANCELLATION).count() == 1
    draft = new_draft(admin)
    assert client.get(url("order-cancel", draft)).status_code == 400


# --- REST API -------------------------------------------------------------------------------------


def test_api_lists_orders_with_items_and_no_iin(client, admin, head, programme, group):
    order, student = signed_admission(admin, head, programme, group)
    new_draft(admin, kind=OrderKind.TRANSFER)
    client.force_login(admin)
    response = client.get(API_LIST)
    assert response.status_code == 200
    body = response.json()
    assert [o["kind"] for o in body["results"]] == ["transfer", "admission"]
    admission = body["results"][1]
    assert (admission["number_label"], admission["status"], admission["year"]) == ("1-ОД", "in_force", order.year)
    assert admission["items"] == [
        {
            "position": 1,
            "student_id": student.pk,
            "student_name": student.full_name,
            "changes": {
                "group": group.pk,
                "group_code": "ИС-26-1",
                "programme": programme.pk,
                "programme_code": "6B06101",
                "form_of_study": "full_time",
            },
            "reason": "",
            "note": "",
            "before": {
                "status": "applicant",
                "group": None,
                "programme": programme.pk,
                "form_of_study": "full_time",
                "course_year": 1,
            },
        }
    ]
    assert student.iin not in response.content.decode()
    assert [o["id"] for o in client.get(API_LIST, {"kind": "admission"}).json()["results"]] == [order.pk]
    assert [o["id"] for o in client.get(API_LIST, {"status": "draft"}).json()["results"]] != [order.pk]
    assert client.get(API_LIST, {"year": order.year - 1}).json()["results"] == []
    assert client.get(API_LIST, {"kind": "promotion"}).status_code == 400
    detail = client.get(reverse("api-order-detail", args=[order.pk]))
    assert detail.status_code == 200
    assert detail.json()["items"][0]["student_id"] == student.pk
    assert student.iin not in detail.content.decode()
    assert client.get(reverse("api-order-detail", args=[999_999])).status_code == 404


def test_api_for_the_head(client, head, admin):
    new_draft(admin)
    client.force_login(head)
    assert client.get(API_LIST).status_code == 200


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_api_refuses_other_roles(client, signed_in, admin, role):
    order = new_draft(admin)
    signed_in(role)
    assert client.get(API_LIST).status_code == 403
    assert client.get(reverse("api-order-detail", args=[order.pk])).status_code == 403


def test_api_refuses_anonymous(client, admin):
    order = new_draft(admin)
    assert client.get(API_LIST).status_code == 403
    assert client.get(reverse("api-order-detail", args=[order.pk])).status_code == 403


def test_api_list_in_a_fixed_number_of_queries(client, admin, head, programme, django_assert_max_num_queries):
    group = make_group("ИС-26-9", programme, capacity=100)
    client.force_login(admin)
    signed_admission(admin, head, programme, group)
    client.get(API_LIST)
    with django_assert_max_num_queries(8) as few:
        client.get(API_LIST)
    for _ in range(10):
        signed_admission(admin, head, programme, group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(API_LIST).json()["results"]) == 11
