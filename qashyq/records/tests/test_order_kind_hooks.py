"""The DLT order kind in records: what its items hold, and the hooks an app above records registers for it
(records.hooks), called at signing, when the order comes into force and when a cancellation of it is applied.
Also the id-based records.api the DLT app uses."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from qashyq.accounts.data import Role
from qashyq.records import api, hooks, printing
from qashyq.records.data import DltType, OrderKind, OrderStatus, StudentStatus
from qashyq.records.models import Order, OrderItem
from qashyq.records.tests.order_helpers import make_institution, orders_snapshot, state
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_pdfs(monkeypatch):
    monkeypatch.setattr(printing, "order_documents_issue", lambda *, order, actor: [])


@pytest.fixture
def calls(monkeypatch):
    """Hooks of the DLT kind that record their calls (the real ones of the dlt app are put aside)."""
    seen: dict[str, list] = {"before_sign": [], "on_sign": [], "on_apply": [], "on_cancel": []}

    def recorder(name):
        return lambda order, items: seen[name].append((order, items))

    monkeypatch.setitem(
        hooks._HOOKS,
        OrderKind.DLT,
        hooks.OrderKindHooks(
            before_sign=recorder("before_sign"),
            on_sign=recorder("on_sign"),
            on_apply=recorder("on_apply"),
            on_cancel=recorder("on_cancel"),
            manage_url=lambda order_id: f"/elsewhere/{order_id}/",
        ),
    )
    return seen


@pytest.fixture
def people(make_user):
    make_institution()
    programme = make_programme()
    group = make_group("ИС-25-1", programme)
    return {
        "admin": make_user(Role.ADMINISTRATION),
        "head": make_user(Role.HEAD),
        "student": make_student(programme, group=group, status=StudentStatus.ACTIVE),
    }


def dlt_changes(**overrides):
    today = timezone.localdate()
    values = {
        "dlt_type": DltType.NETWORK,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=200)).isoformat(),
        "category": "military",
        "application": 7,
    }
    values.update(overrides)
    return values


def draft(people, *, effective_date=None):
    return api.order_create(
        actor=people["admin"],
        kind=OrderKind.DLT,
        effective_date=effective_date or timezone.localdate(),
        basis_kk="Өтініштер негізінде",
        basis_ru="На основании заявлений",
    )


def test_a_dlt_item_keeps_its_type_period_category_and_application(people, calls):
    order = draft(people)
    item = api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    assert order.title_ru == "Об обучении обучающихся с применением дистанционных образовательных технологий"
    today = timezone.localdate()
    assert item.changes == {
        "dlt_type": "network",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=200)).isoformat(),
        "category": "military",
        "application": 7,
    }
    assert [i.student_id for i in api.order_items(order_id=order.id)] == [people["student"].pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dlt_type": "radio"}, "dlt_type"),
        ({"starts_on": "someday"}, "starts_on"),
        ({"ends_on": timezone.now().date().isoformat()}, "ends_on"),
        ({"group": 1}, "changes"),
    ],
)
def test_a_wrong_dlt_item_is_refused_and_nothing_changes(people, calls, changes, field):
    order = draft(people)
    before = orders_snapshot()
    with pytest.raises(ValidationError) as error:
        api.order_student_add(
            actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes(**changes)
        )
    assert field in error.value.message_dict
    assert orders_snapshot() == before


def test_a_dlt_order_needs_a_studying_student(people, calls):
    people["student"].status = StudentStatus.ACADEMIC_LEAVE
    people["student"].save()
    order = draft(people)
    with pytest.raises(ValidationError, match="needs the status “Studying”"):
        api.order_student_add(
            actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
        )


def test_signing_asks_the_hook_and_its_refusal_stops_everything(people, calls):
    order = draft(people)
    api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )

    def refuse(order_data, items):
        raise ValidationError("An attachment is missing.")

    hooks._HOOKS[OrderKind.DLT] = hooks.OrderKindHooks(before_sign=refuse)
    before = orders_snapshot()
    with pytest.raises(ValidationError, match="An attachment is missing"):
        api.order_sign(actor=people["head"], order_id=order.id)
    assert orders_snapshot() == before
    assert Order.objects.get(pk=order.id).number is None


def test_signing_an_order_due_today_calls_before_sign_then_on_apply(people, calls):
    student = people["student"]
    order = draft(people)
    api.order_student_add(actor=people["admin"], order_id=order.id, student_id=student.pk, changes=dlt_changes())
    record_before = state(student)
    signed = api.order_sign(actor=people["head"], order_id=order.id)
    assert signed.status == OrderStatus.IN_FORCE
    assert signed.number_label
    ((seen_order, seen_items),) = calls["before_sign"]
    assert seen_order.status == OrderStatus.DRAFT
    assert [i.student_id for i in seen_items] == [student.pk]
    ((numbered, _),) = calls["on_sign"]
    assert numbered.status == OrderStatus.SIGNED
    assert numbered.number_label == signed.number_label
    ((applied, applied_items),) = calls["on_apply"]
    assert applied.id == order.id
    assert applied_items[0].changes["dlt_type"] == "network"
    student.refresh_from_db()
    assert state(student) == record_before  # a DLT order changes nothing on the record itself


def test_an_order_for_later_is_applied_when_its_date_comes(people, calls):
    later = timezone.localdate() + timedelta(days=3)
    order = draft(people, effective_date=later)
    api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    assert api.order_sign(actor=people["head"], order_id=order.id).status == OrderStatus.SIGNED
    assert calls["on_apply"] == []
    api.orders_apply_due(today=later)
    assert [o.id for o, _ in calls["on_apply"]] == [order.id]
    assert api.order_get(order_id=order.id).status == OrderStatus.IN_FORCE


def test_a_refusing_on_apply_keeps_the_order_signed(people, calls):
    later = timezone.localdate() + timedelta(days=1)
    order = draft(people, effective_date=later)
    api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    api.order_sign(actor=people["head"], order_id=order.id)

    def refuse(order_data, items):
        raise ValidationError("An e-UMK is missing.")

    hooks._HOOKS[OrderKind.DLT] = hooks.OrderKindHooks(on_apply=refuse)
    assert api.orders_apply_due(today=later) == []
    assert api.order_get(order_id=order.id).status == OrderStatus.SIGNED


def test_cancelling_a_dlt_order_calls_on_cancel(people, calls):
    from qashyq.records.services.orders import order_cancel

    order = draft(people)
    api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    api.order_sign(actor=people["head"], order_id=order.id)
    cancellation = order_cancel(
        actor=people["admin"], order=Order.objects.get(pk=order.id), basis_kk="Қате", basis_ru="Ошибка"
    )
    api.order_sign(actor=people["head"], order_id=cancellation.pk)
    ((cancelled, items),) = calls["on_cancel"]
    assert cancelled.id == order.id
    assert cancelled.status == OrderStatus.CANCELLED
    assert [i.student_id for i in items] == [people["student"].pk]


def test_records_pages_send_a_dlt_order_to_the_page_that_manages_it(people, calls, client, enrol_totp):
    order = draft(people)
    enrol_totp(people["head"])
    enrol_totp(people["admin"])
    client.force_login(people["head"])
    response = client.get(f"/records/orders/{order.id}/sign/")
    assert response.status_code == 302
    assert response["Location"] == f"/elsewhere/{order.id}/"
    client.force_login(people["admin"])
    page = client.get(f"/records/orders/{order.id}/")
    assert f'href="/elsewhere/{order.id}/"' in page.content.decode()
    assert client.get(f"/records/orders/{order.id}/items/add/").status_code == 404


def test_the_records_draft_form_offers_no_dlt_kind(people, client, enrol_totp):
    enrol_totp(people["admin"])
    client.force_login(people["admin"])
    page = client.get("/records/orders/new/").content.decode()
    assert 'value="dlt"' not in page


def test_order_student_remove_takes_the_student_off(people, calls):
    order = draft(people)
    api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    api.order_student_remove(actor=people["admin"], order_id=order.id, student_id=people["student"].pk)
    assert not OrderItem.objects.filter(order_id=order.id).exists()
    api.order_student_remove(actor=people["admin"], order_id=order.id, student_id=people["student"].pk)  # no-op


def test_records_own_page_takes_no_student_off_a_dlt_order(people, calls, client, enrol_totp):
    order = draft(people)
    item = api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    enrol_totp(people["admin"])
    client.force_login(people["admin"])
    response = client.post(f"/records/orders/{order.id}/items/{item.id}/remove/")
    assert response.status_code == 404
    assert OrderItem.objects.filter(pk=item.id).exists()


# --- order_detail / order_lock / order_list: what the DLT pages read ------------------------------------


def test_order_detail_gives_the_basis_and_who_prepared_and_signed_in_one_query(
    people, calls, django_assert_num_queries
):
    order = draft(people)
    api.order_student_add(
        actor=people["admin"], order_id=order.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    api.order_sign(actor=people["head"], order_id=order.id)
    with django_assert_num_queries(1):
        detail = api.order_detail(order_id=order.id, kind=OrderKind.DLT)
    stored = Order.objects.get(pk=order.id)
    assert detail is not None
    assert detail.id == order.id
    assert (detail.basis_kk, detail.basis_ru) == ("Өтініштер негізінде", "На основании заявлений")
    assert detail.status_label == "In force"
    assert detail.prepared_by_name == people["admin"].full_name
    assert detail.signed_by_name == people["head"].full_name
    assert detail.signed_at == stored.signed_at
    assert detail.created_at == stored.created_at


def test_order_detail_of_a_draft_has_no_signer_and_another_kind_or_none_is_none(people, calls):
    order = draft(people)
    detail = api.order_detail(order_id=order.id)
    assert detail is not None
    assert (detail.status, detail.status_label, detail.signed_by_name, detail.signed_at) == ("draft", "Draft", "", None)
    assert api.order_detail(order_id=order.id, kind=OrderKind.ADMISSION) is None
    assert api.order_detail(order_id=order.id + 1000) is None


@pytest.mark.django_db(transaction=True)
def test_order_lock_selects_the_row_for_update_in_one_query(people, calls):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    order = draft(people)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = api.order_lock(order_id=order.id, kind=OrderKind.DLT)
    assert locked == api.order_get(order_id=order.id)
    assert len(queries) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in queries[0]["sql"]
    with transaction.atomic():
        assert api.order_lock(order_id=order.id, kind=OrderKind.ADMISSION) is None
        assert api.order_lock(order_id=order.id + 1000) is None


def test_order_list_is_newest_first_with_student_counts_in_one_query(people, calls, django_assert_num_queries):
    older = draft(people)
    api.order_student_add(
        actor=people["admin"], order_id=older.id, student_id=people["student"].pk, changes=dlt_changes()
    )
    Order.objects.filter(pk=older.id).update(created_at=timezone.now() - timedelta(days=1))
    newer = draft(people)
    api.order_create(
        actor=people["admin"], kind=OrderKind.ADMISSION, effective_date=timezone.localdate(), basis_kk="x", basis_ru="x"
    )
    with django_assert_num_queries(1):
        orders = api.order_list(kind=OrderKind.DLT)
    assert [(o.id, o.student_count) for o in orders] == [(newer.id, 0), (older.id, 1)]
    assert {o.prepared_by_name for o in orders} == {people["admin"].full_name}
    assert [o.id for o in api.order_list(kind=OrderKind.DLT, query=people["student"].last_name)] == [older.id]
    assert api.order_list(kind=OrderKind.DLT, status=OrderStatus.SIGNED) == []
    assert [o.id for o in api.order_list(kind=OrderKind.DLT, status=OrderStatus.DRAFT)] == [newer.id, older.id]
