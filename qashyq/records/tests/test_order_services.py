"""Services of contingent orders: exact values, and every refusal changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from qashyq.accounts.data import Role
from qashyq.audit.models import Event
from qashyq.records import printing, tasks
from qashyq.records.data import ExpulsionReason, OrderKind, OrderStatus, StudentStatus
from qashyq.records.models import Order, OrderItem, OrderNumberCounter
from qashyq.records.selectors.orders import order_items_for_student
from qashyq.records.services.orders import (
    order_cancel,
    order_create,
    order_item_add,
    order_item_remove,
    order_sign,
    order_update,
    orders_apply_due,
)
from qashyq.records.tests.order_helpers import make_institution, orders_snapshot, state
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

pytestmark = pytest.mark.django_db

BASIS_KK = "Қабылдау комиссиясының 2026 жылғы 20 тамыздағы №5 хаттамасы негізінде"
BASIS_RU = "На основании протокола приёмной комиссии от 20 августа 2026 года №5"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def issued(monkeypatch):
    """Order PDFs are the documents part's concern: here the call is recorded, not rendered."""
    calls = []

    def fake(*, order, actor):
        calls.append((order.pk, order.number_label, actor.pk))
        return []

    monkeypatch.setattr(printing, "order_documents_issue", fake)
    return calls


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATION)


@pytest.fixture
def head(make_user):
    return make_user(Role.HEAD)


@pytest.fixture
def programme():
    return make_programme()


@pytest.fixture
def group(programme):
    return make_group("ИС-26-1", programme, capacity=3)


@pytest.fixture
def other_group(programme):
    return make_group("ИС-26-2", programme, capacity=3, form_of_study="correspondence")


def today():
    return timezone.localdate()


def draft(admin, kind=OrderKind.ADMISSION, effective_date=None, **fields):
    return order_create(
        actor=admin,
        kind=kind,
        effective_date=effective_date or today(),
        basis_kk=fields.pop("basis_kk", BASIS_KK),
        basis_ru=fields.pop("basis_ru", BASIS_RU),
        **fields,
    )


def admitted(admin, head, programme, group, **student_fields):
    """A student admitted into `group` by a signed admission order in force."""
    student = make_student(programme, **student_fields)
    order = draft(admin)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    order_sign(actor=head, order=order)
    student.refresh_from_db()
    return student, order


def ledger_size():
    return Event.objects.count()


# --- order_create ---------------------------------------------------------------------------------


def test_order_create_makes_a_draft_with_the_usual_title(admin):
    # when
    order = draft(admin, effective_date=date(2026, 9, 1))
    # then
    order.refresh_from_db()
    assert (order.kind, order.status, order.number, order.number_label, order.year) == (
        OrderKind.ADMISSION,
        OrderStatus.DRAFT,
        None,
        "",
        None,
    )
    assert order.title_kk == "Білім алушыларды оқуға қабылдау туралы"
    assert order.title_ru == "О зачислении обучающихся"
    assert (order.basis_kk, order.basis_ru, order.effective_date) == (BASIS_KK, BASIS_RU, date(2026, 9, 1))
    assert order.prepared_by == admin
    event = Event.objects.get(action="records.order_created")
    assert (event.target_type, event.target_id, event.actor_id) == ("records.order", str(order.pk), admin.pk)
    assert event.after["status"] == "draft"
    assert event.after["effective_date"] == "2026-09-01"


def test_order_create_keeps_given_titles(admin):
    order = draft(admin, kind=OrderKind.TRANSFER, title_kk="Ауыстыру", title_ru="О переводе")
    assert (order.title_kk, order.title_ru) == ("Ауыстыру", "О переводе")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATION])
def test_order_create_only_by_the_administration(make_user, role):
    with pytest.raises(ValidationError) as refused:
        draft(make_user(role))
    assert refused.value.messages == ["Only the administration service prepares orders."]
    assert Order.objects.count() == 0
    assert not Event.objects.filter(action__startswith="records.").exists()


def test_order_create_refuses_missing_basis_and_kind(admin):
    with pytest.raises(ValidationError) as refused:
        order_create(actor=admin, kind="promotion", effective_date=today(), basis_kk=" ", basis_ru="")
    assert set(refused.value.message_dict) == {"kind", "basis_kk", "basis_ru"}
    assert refused.value.message_dict["basis_kk"] == ["Enter the basis of the order in Kazakh."]
    with pytest.raises(ValidationError):
        order_create(actor=admin, kind=OrderKind.CANCELLATION, effective_date=today(), basis_kk="a", basis_ru="b")
    assert Order.objects.count() == 0


# --- Admission ------------------------------------------------------------------------------------


def test_admission_makes_the_applicant_active_in_the_group(admin, head, programme, group, issued):
    # given
    student = make_student(programme, course_year=1)
    order = draft(admin)
    item = order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk}, note="өтініш")
    assert item.changes == {
        "group": group.pk,
        "group_code": "ИС-26-1",
        "programme": programme.pk,
        "programme_code": "6B06101",
        "form_of_study": "full_time",
    }
    assert (item.position, item.note, item.before) == (1, "өтініш", {})
    assert state(student) == (StudentStatus.APPLICANT, None, programme.pk, "full_time", 1)
    # when
    signed = order_sign(actor=head, order=order)
    # then
    assert signed.status == OrderStatus.IN_FORCE
    assert (signed.year, signed.number, signed.number_label) == (today().year, 1, "1-ОД")
    assert (signed.order_date, signed.signed_by) == (today(), head)
    assert signed.signed_at is not None
    assert signed.applied_at is not None
    assert state(student) == (StudentStatus.ACTIVE, group.pk, programme.pk, "full_time", 1)
    item.refresh_from_db()
    assert item.before == {
        "status": "applicant",
        "group": None,
        "programme": programme.pk,
        "form_of_study": "full_time",
        "course_year": 1,
    }
    change = Event.objects.get(action="records.student_changed_by_order")
    assert (change.target_type, change.target_id) == ("records.student", str(student.pk))
    assert change.before == {"group": None, "status": "applicant"}
    assert change.after == {"group": group.pk, "status": "active"}
    assert change.reason == "admission № 1-ОД"
    actions = list(
        Event.objects.filter(target_type="records.order", target_id=str(order.pk)).values_list("action", flat=True)
    )
    assert actions == [
        "records.order_created",
        "records.order_item_added",
        "records.order_signed",
        "records.order_in_force",
    ]
    signed_event = Event.objects.get(action="records.order_signed")
    assert signed_event.before == {"status": "draft"}
    assert signed_event.after["number"] == "1-ОД"
    assert signed_event.actor_id == head.pk
    assert issued == [(order.pk, "1-ОД", head.pk)]


def test_admission_with_a_course_year(admin, head, programme, group):
    student = make_student(programme)
    order = draft(admin)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk, "course_year": 2})
    order_sign(actor=head, order=order)
    assert state(student) == (StudentStatus.ACTIVE, group.pk, programme.pk, "full_time", 2)


def test_course_year_beyond_the_programme_is_refused(admin, programme, group):
    student = make_student(programme)
    order = draft(admin)
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk, "course_year": 9})
    assert refused.value.message_dict == {"course_year": ["The course year must be from 1 to 8."]}
    assert OrderItem.objects.count() == 0


def test_admission_needs_an_applicant(admin, head, programme, group, other_group):
    student, _order = admitted(admin, head, programme, group)
    order = draft(admin)
    before = orders_snapshot()
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={"group": other_group.pk})
    assert refused.value.messages == [
        f"{student.full_name} has the status “Studying”; this order needs the status “Applicant”."
    ]
    assert orders_snapshot() == before


def test_admission_needs_a_group(admin, programme):
    student = make_student(programme)
    order = draft(admin)
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={})
    assert refused.value.message_dict == {"group": [f"Choose the group {student.full_name} goes to."]}
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={"group": 999_999})
    assert refused.value.message_dict == {"group": ["There is no such group."]}
    assert OrderItem.objects.count() == 0


def test_the_same_student_is_listed_once(admin, programme, group):
    student = make_student(programme)
    order = draft(admin)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    assert refused.value.messages == [f"{student.full_name} is already in this order."]
    assert OrderItem.objects.count() == 1


def test_only_the_administration_adds_and_removes_students(make_user, admin, programme, group):
    student = make_student(programme)
    order = draft(admin)
    item = order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    head = make_user(Role.HEAD)
    before = orders_snapshot()
    with pytest.raises(ValidationError):
        order_item_add(actor=head, order=order, student=make_student(programme), changes={"group": group.pk})
    with pytest.raises(ValidationError):
        order_item_remove(actor=head, item=item)
    assert orders_snapshot()[:2] == before[:2]


# --- Full and closed groups -----------------------------------------------------------------------


def test_a_full_group_is_refused_counting_this_orders_students(admin, head, programme):
    # given: 2 places, one taken by an active student, one by the first student of this order
    small = make_group("ИС-26-3", programme, capacity=2)
    admitted(admin, head, programme, small)
    order = draft(admin)
    first, second = make_student(programme), make_student(programme)
    order_item_add(actor=admin, order=order, student=first, changes={"group": small.pk})
    before, ledger = orders_snapshot(), ledger_size()
    # when
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=second, changes={"group": small.pk})
    # then
    assert refused.value.message_dict == {
        "group": [f"Group ИС-26-3 is full (2 of 2 places taken): {second.full_name} cannot be placed in it."]
    }
    assert (orders_snapshot(), ledger_size()) == (before, ledger)


def test_transfer_into_a_full_group_is_refused(admin, head, programme, group):
    full = make_group("ИС-26-4", programme, capacity=1)
    admitted(admin, head, programme, full)
    student, _ = admitted(admin, head, programme, group)
    order = draft(admin, kind=OrderKind.TRANSFER)
    before, ledger = orders_snapshot(), ledger_size()
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={"group": full.pk})
    assert refused.value.message_dict == {
        "group": [f"Group ИС-26-4 is full (1 of 1 places taken): {student.full_name} cannot be placed in it."]
    }
    assert (orders_snapshot(), ledger_size()) == (before, ledger)
    assert state(student)[:2] == (StudentStatus.ACTIVE, group.pk)


def test_transfer_into_a_closed_group_is_refused(admin, head, programme, group):
    closed = make_group("ИС-20-1", programme, closed=True)
    student, _ = admitted(admin, head, programme, group)
    order = draft(admin, kind=OrderKind.TRANSFER)
    before, ledger = orders_snapshot(), ledger_size()
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={"group": closed.pk})
    assert refused.value.message_dict == {
        "group": [f"Group ИС-20-1 is closed for admission and transfer: {student.full_name} cannot be placed in it."]
    }
    assert (orders_snapshot(), ledger_size()) == (before, ledger)


def test_a_group_that_filled_up_after_drafting_is_refused_at_signing(admin, head, programme):
    small = make_group("ИС-26-5", programme, capacity=1)
    waiting = make_student(programme)
    order = draft(admin)
    order_item_add(actor=admin, order=order, student=waiting, changes={"group": small.pk})
    admitted(admin, head, programme, small)  # another order takes the last place first
    before, ledger = orders_snapshot(), ledger_size()
    counter = OrderNumberCounter.objects.get().last_number
    with pytest.raises(ValidationError) as refused:
        order_sign(actor=head, order=order)
    assert refused.value.messages == [
        f"Group ИС-26-5 is full (1 of 1 places taken): {waiting.full_name} cannot be placed in it."
    ]
    assert (orders_snapshot(), ledger_size()) == (before, ledger)
    assert OrderNumberCounter.objects.get().last_number == counter


def test_signed_orders_not_yet_in_force_hold_their_places(admin, head, programme):
    small = make_group("ИС-26-6", programme, capacity=1)
    later = draft(admin, effective_date=today() + timedelta(days=10))
    order_item_add(actor=admin, order=later, student=make_student(programme), changes={"group": small.pk})
    order_sign(actor=head, order=later)
    other = make_student(programme)
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=draft(admin), student=other, changes={"group": small.pk})
    assert "is full (1 of 1 places taken)" in refused.value.messages[0]


# --- Transfer -------------------------------------------------------------------------------------


def test_transfer_changes_group_programme_and_form_and_keeps_history(admin, head, programme, group):
    # given
    second_programme = make_programme("6B06102", periods=6)
    target = make_group("ВТ-26-1", second_programme, form_of_study="correspondence")
    student, admission = admitted(admin, head, programme, group)
    order = draft(admin, kind=OrderKind.TRANSFER)
    item = order_item_add(actor=admin, order=order, student=student, changes={"group": target.pk})
    # when
    order_sign(actor=head, order=order)
    # then
    assert state(student) == (StudentStatus.ACTIVE, target.pk, second_programme.pk, "correspondence", 1)
    item.refresh_from_db()
    assert item.before == {
        "status": "active",
        "group": group.pk,
        "programme": programme.pk,
        "form_of_study": "full_time",
        "course_year": 1,
    }
    history = order_items_for_student(student_id=student.pk)
    assert [(i.order.kind, i.order.number) for i in history] == [
        (OrderKind.TRANSFER, 2),
        (OrderKind.ADMISSION, admission.number),
    ]


def test_transfer_into_the_same_group_is_refused(admin, head, programme, group):
    student, _ = admitted(admin, head, programme, group)
    with pytest.raises(ValidationError) as refused:
        order_item_add(
            actor=admin, order=draft(admin, kind=OrderKind.TRANSFER), student=student, changes={"group": group.pk}
        )
    assert refused.value.message_dict == {"group": [f"{student.full_name} is already in this group."]}


def test_transfer_to_another_institution_expels(admin, head, programme, group):
    student, _ = admitted(admin, head, programme, group)
    order = draft(admin, kind=OrderKind.TRANSFER)
    item = order_item_add(actor=admin, order=order, student=student, changes={"to_institution": " ҚазҰУ "})
    assert (item.changes, item.reason) == ({"to_institution": "ҚазҰУ"}, ExpulsionReason.TRANSFER_OUT)
    order_sign(actor=head, order=order)
    assert state(student) == (StudentStatus.EXPELLED, group.pk, programme.pk, "full_time", 1)


def test_transfer_from_another_institution_admits(admin, head, programme, group):
    student = make_student(programme)
    order = draft(admin, kind=OrderKind.TRANSFER)
    item = order_item_add(
        actor=admin,
        order=order,
        student=student,
        changes={"from_institution": "Satbayev University", "group": group.pk, "course_year": 2},
    )
    assert item.changes["from_institution"] == "Satbayev University"
    order_sign(actor=head, order=order)
    assert state(student) == (StudentStatus.ACTIVE, group.pk, programme.pk, "full_time", 2)


# --- Expulsion, leave, return, reinstatement -------------------------------------------------------


def test_expulsion_needs_a_reason_and_expels(admin, head, programme, group):
    student, _ = admitted(admin, head, programme, group)
    order = draft(admin, kind=OrderKind.EXPULSION)
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=student, changes={})
    assert refused.value.message_dict == {"reason": [f"Choose the reason {student.full_name} is expelled."]}
    item = order_item_add(actor=admin, order=order, student=student, changes={}, reason=ExpulsionReason.OWN_WISH)
    assert (item.changes, item.reason) == ({}, "own_wish")
    order_sign(actor=head, order=order)
    assert state(student) == (StudentStatus.EXPELLED, group.pk, programme.pk, "full_time", 1)


def test_an_expelled_student_is_refused_by_every_order_but_reinstatement(admin, head, programme, group, other_group):
    student, _ = admitted(admin, head, programme, group)
    expulsion = draft(admin, kind=OrderKind.EXPULSION)
    order_item_add(actor=admin, order=expulsion, student=student, changes={}, reason=ExpulsionReason.ACADEMIC_FAILURE)
    order_sign(actor=head, order=expulsion)
    before, ledger = orders_snapshot(), ledger_size()
    for kind, changes, reason in (
        (OrderKind.TRANSFER, {"group": other_group.pk}, ""),
        (OrderKind.EXPULSION, {}, ExpulsionReason.OTHER),
        (OrderKind.ACADEMIC_LEAVE, {}, ""),
        (OrderKind.ADMISSION, {"group": other_group.pk}, ""),
        (OrderKind.RETURN_FROM_LEAVE, {"group": other_group.pk}, ""),
    ):
        order = Order.objects.create(
            kind=kind, effective_date=today(), title_kk="t", title_ru="t", basis_kk="b", basis_ru="b", prepared_by=admin
        )
        with pytest.raises(ValidationError) as refused:
            order_item_add(actor=admin, order=order, student=student, changes=changes, reason=reason)
        assert refused.value.messages == [
            f"{student.full_name} is expelled: only a reinstatement order can include them."
        ], kind
        order.delete()
    assert (orders_snapshot(), ledger_size()) == (before, ledger)
    # reinstatement is the way back
    reinstatement = draft(admin, kind=OrderKind.REINSTATEMENT)
    order_item_add(actor=admin, order=reinstatement, student=student, changes={"group": other_group.pk})
    order_sign(actor=head, order=reinstatement)
    assert state(student) == (StudentStatus.ACTIVE, other_group.pk, programme.pk, "correspondence", 1)


def test_academic_leave_and_return_to_the_own_group(admin, head, programme, group):
    student, _ = admitted(admin, head, programme, group)
    leave = draft(admin, kind=OrderKind.ACADEMIC_LEAVE)
    item = order_item_add(actor=admin, order=leave, student=student, changes={"until": "2027-09-01"})
    assert item.changes == {"until": "2027-09-01"}
    order_sign(actor=head, order=leave)
    assert state(student)[:2] == (StudentStatus.ACADEMIC_LEAVE, group.pk)
    back = draft(admin, kind=OrderKind.RETURN_FROM_LEAVE)
    item = order_item_add(actor=admin, order=back, student=student, changes={"course_year": 2})
    assert item.changes["group"] == group.pk
    order_sign(actor=head, order=back)
    assert state(student) == (StudentStatus.ACTIVE, group.pk, programme.pk, "full_time", 2)


def test_a_student_on_leave_keeps_their_place(admin, head, programme):
    small = make_group("ИС-26-7", programme, capacity=1)
    student, _ = admitted(admin, head, programme, small)
    leave = draft(admin, kind=OrderKind.ACADEMIC_LEAVE)
    order_item_add(actor=admin, order=leave, student=student, changes={})
    order_sign(actor=head, order=leave)
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=draft(admin), student=make_student(programme), changes={"group": small.pk})
    assert "is full (1 of 1 places taken)" in refused.value.messages[0]


def test_leave_needs_an_active_student(admin, programme):
    applicant = make_student(programme)
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=draft(admin, kind=OrderKind.ACADEMIC_LEAVE), student=applicant, changes={})
    assert refused.value.messages == [
        f"{applicant.full_name} has the status “Applicant”; this order needs the status “Studying”."
    ]


# --- Signing --------------------------------------------------------------------------------------


def test_a_second_signature_is_refused_and_changes_nothing(admin, head, make_user, programme, group):
    student = make_student(programme)
    order = draft(admin)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    order_sign(actor=head, order=order)
    before, ledger = orders_snapshot(), ledger_size()
    for signer in (head, make_user(Role.HEAD)):
        with pytest.raises(ValidationError) as refused:
            order_sign(actor=signer, order=order)
        assert refused.value.messages == ["Order № 1-ОД is already signed: an order is signed once."]
    assert (orders_snapshot(), ledger_size()) == (before, ledger)
    assert OrderNumberCounter.objects.get().last_number == 1


@pytest.mark.parametrize("role", [r for r in Role if r != Role.HEAD])
def test_a_signature_by_a_non_head_is_refused_and_changes_nothing(admin, make_user, programme, group, role):
    order = draft(admin)
    order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})
    before, ledger = orders_snapshot(), ledger_size()
    with pytest.raises(ValidationError) as refused:
        order_sign(actor=make_user(role), order=order)
    assert refused.value.messages == ["Only the head signs orders."]
    assert (orders_snapshot(), ledger_size()) == (before, ledger)
    assert not OrderNumberCounter.objects.exists()


def test_an_empty_order_is_not_signed(admin, head):
    order = draft(admin)
    with pytest.raises(ValidationError) as refused:
        order_sign(actor=head, order=order)
    assert refused.value.messages == ["The order lists no students: add them before signing."]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_a_student_in_an_order_not_yet_in_force_is_not_added_elsewhere(admin, head, programme, group, other_group):
    student, _ = admitted(admin, head, programme, group)
    leave = draft(admin, kind=OrderKind.ACADEMIC_LEAVE, effective_date=date(2099, 1, 10))
    order_item_add(actor=admin, order=leave, student=student, changes={})
    order_sign(actor=head, order=leave)
    with pytest.raises(ValidationError) as refused:
        order_item_add(
            actor=admin, order=draft(admin, kind=OrderKind.TRANSFER), student=student, changes={"group": other_group.pk}
        )
    assert refused.value.messages == [
        f"{student.full_name} is in order № 2-ОД, signed but not yet in force (from 10.01.2099): "
        "add them to another order once it is in force."
    ]


# --- Numbering ------------------------------------------------------------------------------------


def sign_one(admin, head, programme, group, **kwargs):
    order = draft(admin, **kwargs)
    order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})
    return order_sign(actor=head, order=order)


def test_numbers_follow_each_other_with_the_institutions_suffix(admin, head, programme):
    make_institution(suffix="ҚБ")
    group = make_group("ИС-26-8", programme, capacity=30)
    labels = [sign_one(admin, head, programme, group).number_label for _ in range(3)]
    assert labels == ["1-ҚБ", "2-ҚБ", "3-ҚБ"]


def test_default_suffix_without_an_institution_profile(admin, head, programme, group):
    assert sign_one(admin, head, programme, group).number_label == "1-ОД"


def test_numbering_continues_the_years_counter_and_a_refusal_leaves_no_gap(admin, head, programme):
    OrderNumberCounter.objects.create(year=today().year, last_number=136)
    OrderNumberCounter.objects.create(year=today().year - 1, last_number=500)
    small = make_group("ИС-26-9", programme, capacity=1)
    refused = draft(admin)
    order_item_add(actor=admin, order=refused, student=make_student(programme), changes={"group": small.pk})
    first = sign_one(admin, head, programme, small)  # takes the last place of the group
    with pytest.raises(ValidationError):
        order_sign(actor=head, order=refused)
    second = sign_one(admin, head, programme, make_group("ИС-26-10", programme))
    assert (first.number_label, second.number_label) == ("137-ОД", "138-ОД")
    refused.refresh_from_db()
    assert (refused.status, refused.number) == (OrderStatus.DRAFT, None)
    assert OrderNumberCounter.objects.get(year=today().year - 1).last_number == 500


def test_numbers_start_again_each_year(admin, head, programme, monkeypatch):
    group = make_group("ИС-26-11", programme, capacity=30)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 12, 31))
    december = [sign_one(admin, head, programme, group, effective_date=date(2026, 12, 31)) for _ in range(2)]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 1, 4))
    january = sign_one(admin, head, programme, group, effective_date=date(2027, 1, 4))
    assert [(o.year, o.number, o.order_date) for o in december] == [
        (2026, 1, date(2026, 12, 31)),
        (2026, 2, date(2026, 12, 31)),
    ]
    assert (january.year, january.number, january.number_label) == (2027, 1, "1-ОД")


# --- Coming into force ----------------------------------------------------------------------------


def test_an_order_comes_into_force_on_its_date(admin, head, programme, group):
    student = make_student(programme)
    start = today() + timedelta(days=5)
    order = draft(admin, effective_date=start)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    signed = order_sign(actor=head, order=order)
    assert (signed.status, signed.applied_at) == (OrderStatus.SIGNED, None)
    assert state(student)[0] == StudentStatus.APPLICANT
    assert orders_apply_due(today=start - timedelta(days=1)) == []
    assert state(student)[0] == StudentStatus.APPLICANT
    applied = orders_apply_due(today=start)
    assert [o.pk for o in applied] == [order.pk]
    assert state(student)[:2] == (StudentStatus.ACTIVE, group.pk)
    assert orders_apply_due(today=start) == []  # once only


def test_due_orders_are_applied_in_number_order(admin, head, programme, group):
    start = today() + timedelta(days=3)
    later = sign_one(admin, head, programme, group, effective_date=start)
    earlier_date = sign_one(admin, head, programme, group, effective_date=start - timedelta(days=1))
    applied = orders_apply_due(today=start)
    assert [o.number for o in applied] == [later.number, earlier_date.number]
    assert Order.objects.filter(status=OrderStatus.IN_FORCE).count() == 2


def test_the_daily_task_applies_due_orders(admin, head, programme, group):
    order = draft(admin, effective_date=today() - timedelta(days=1))
    order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.SIGNED, year=today().year, number=1, number_label="1-ОД", signed_by=head
    )
    assert tasks.orders_apply_due.delay().get() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_FORCE


# --- A signed order is never edited ---------------------------------------------------------------


def test_editing_a_signed_order_is_refused_and_changes_nothing(admin, head, programme, group):
    student = make_student(programme)
    order = draft(admin)
    item = order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    order_sign(actor=head, order=order)
    newcomer = make_student(programme)
    before, ledger = orders_snapshot(), ledger_size()
    message = ["Order № 1-ОД is signed and is never edited: cancel it by a new order instead."]
    with pytest.raises(ValidationError) as refused:
        order_item_add(actor=admin, order=order, student=newcomer, changes={"group": group.pk})
    assert refused.value.messages == message
    with pytest.raises(ValidationError) as refused:
        order_item_remove(actor=admin, item=item)
    assert refused.value.messages == message
    with pytest.raises(ValidationError) as refused:
        order_update(
            actor=admin, order=order, effective_date=today(), basis_kk="x", basis_ru="y", title_kk="a", title_ru="b"
        )
    assert refused.value.messages == message
    assert (orders_snapshot(), ledger_size()) == (before, ledger)


def test_order_update_changes_a_draft(admin):
    order = draft(admin)
    order_update(
        actor=admin,
        order=order,
        effective_date=date(2026, 9, 2),
        basis_kk="Жаңа негіз",
        basis_ru=BASIS_RU,
        title_kk="Тақырып",
        title_ru="Заголовок",
    )
    order.refresh_from_db()
    assert (order.effective_date, order.basis_kk, order.title_kk, order.title_ru) == (
        date(2026, 9, 2),
        "Жаңа негіз",
        "Тақырып",
        "Заголовок",
    )
    event = Event.objects.get(action="records.order_updated")
    assert event.before == {
        "basis_kk": BASIS_KK,
        "effective_date": today().isoformat(),
        "title_kk": "Білім алушыларды оқуға қабылдау туралы",
        "title_ru": "О зачислении обучающихся",
    }
    assert event.after["basis_kk"] == "Жаңа негіз"


def test_order_item_remove_renumbers_the_draft(admin, programme, group):
    order = draft(admin)
    students = [make_student(programme) for _ in range(3)]
    items = [order_item_add(actor=admin, order=order, student=s, changes={"group": group.pk}) for s in students]
    order_item_remove(actor=admin, item=items[0])
    assert list(order.items.order_by("position").values_list("student_id", "position")) == [
        (students[1].pk, 1),
        (students[2].pk, 2),
    ]
    event = Event.objects.get(action="records.order_item_removed")
    assert event.before["student"] == students[0].pk


# --- Cancellation ---------------------------------------------------------------------------------


def test_cancellation_restores_the_records(admin, head, programme, group):
    # given
    first, second = make_student(programme), make_student(programme)
    admission = draft(admin)
    order_item_add(actor=admin, order=admission, student=first, changes={"group": group.pk})
    order_item_add(actor=admin, order=admission, student=second, changes={"group": group.pk, "course_year": 2})
    order_sign(actor=head, order=admission)
    # when
    cancellation = order_cancel(actor=admin, order=admission, basis_kk="Қате", basis_ru="Ошибка")
    # then: a draft listing the same students
    assert (cancellation.kind, cancellation.status, cancellation.cancels_id) == (
        OrderKind.CANCELLATION,
        OrderStatus.DRAFT,
        admission.pk,
    )
    assert cancellation.title_ru == f"Об отмене приказа от {today():%d.%m.%Y} № 1-ОД"
    assert list(cancellation.items.values_list("student_id", "position")) == [(first.pk, 1), (second.pk, 2)]
    assert state(first)[0] == StudentStatus.ACTIVE
    # when signed
    order_sign(actor=head, order=cancellation)
    # then
    assert state(first) == (StudentStatus.APPLICANT, None, programme.pk, "full_time", 1)
    assert state(second) == (StudentStatus.APPLICANT, None, programme.pk, "full_time", 1)
    admission.refresh_from_db()
    cancellation.refresh_from_db()
    assert (admission.status, cancellation.status, cancellation.number_label) == (
        OrderStatus.CANCELLED,
        OrderStatus.IN_FORCE,
        "2-ОД",
    )
    own = cancellation.items.get(student=second)
    assert own.before == {
        "status": "active",
        "group": group.pk,
        "programme": programme.pk,
        "form_of_study": "full_time",
        "course_year": 2,
    }
    event = Event.objects.get(action="records.order_cancelled")
    assert (event.target_id, event.before, event.after) == (
        str(admission.pk),
        {"status": "in_force"},
        {"status": "cancelled", "cancelled_by": "2-ОД"},
    )
    assert [i.order.kind for i in order_items_for_student(student_id=first.pk)] == [
        OrderKind.CANCELLATION,
        OrderKind.ADMISSION,
    ]


def test_cancellation_is_refused_when_a_later_order_changed_the_student(admin, head, programme, group, other_group):
    student, admission = admitted(admin, head, programme, group)
    transfer = draft(admin, kind=OrderKind.TRANSFER)
    order_item_add(actor=admin, order=transfer, student=student, changes={"group": other_group.pk})
    order_sign(actor=head, order=transfer)
    before, ledger = orders_snapshot(), ledger_size()
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=admin, order=admission, basis_kk="Қате", basis_ru="Ошибка")
    assert refused.value.messages == [
        f"{student.full_name} was changed by a later order № 2-ОД: cancel that order first, "
        "or correct the record by a new order."
    ]
    assert (orders_snapshot(), ledger_size()) == (before, ledger)
    # cancelling the transfer first, then the admission, brings the applicant back
    order_sign(actor=head, order=order_cancel(actor=admin, order=transfer, basis_kk="a", basis_ru="b"))
    assert state(student)[:2] == (StudentStatus.ACTIVE, group.pk)
    order_sign(actor=head, order=order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b"))
    assert state(student)[:2] == (StudentStatus.APPLICANT, None)


def test_a_change_after_drafting_the_cancellation_is_caught_at_signing(admin, head, programme, group, other_group):
    student, admission = admitted(admin, head, programme, group)
    cancellation = order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b")
    transfer = draft(admin, kind=OrderKind.TRANSFER)
    order_item_add(actor=admin, order=transfer, student=student, changes={"group": other_group.pk})
    order_sign(actor=head, order=transfer)
    before, ledger = orders_snapshot(), ledger_size()
    with pytest.raises(ValidationError) as refused:
        order_sign(actor=head, order=cancellation)
    assert f"{student.full_name} was changed by a later order № 2-ОД" in refused.value.messages[0]
    assert (orders_snapshot(), ledger_size()) == (before, ledger)


def test_cancelling_an_order_not_yet_in_force(admin, head, programme, group):
    student = make_student(programme)
    start = today() + timedelta(days=30)
    order = draft(admin, effective_date=start)
    order_item_add(actor=admin, order=order, student=student, changes={"group": group.pk})
    order_sign(actor=head, order=order)
    order_sign(actor=head, order=order_cancel(actor=admin, order=order, basis_kk="a", basis_ru="b"))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert orders_apply_due(today=start) == []
    assert state(student)[:2] == (StudentStatus.APPLICANT, None)


def test_cancellation_refusals(admin, head, programme, group):
    _student, admission = admitted(admin, head, programme, group)
    cancellation = order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b")
    order_sign(actor=head, order=cancellation)
    before, ledger = orders_snapshot(), ledger_size()
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b")
    assert refused.value.messages == ["Order № 1-ОД is not in force and cannot be cancelled."]
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=admin, order=cancellation, basis_kk="a", basis_ru="b")
    assert refused.value.messages == [
        "A cancellation order is not cancelled itself: correct the record by a new order."
    ]
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=admin, order=draft(admin), basis_kk="a", basis_ru="b")
    assert refused.value.messages[0].endswith("is not in force and cannot be cancelled.")
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=head, order=admission, basis_kk="a", basis_ru="b")
    assert refused.value.messages == ["Only the administration service prepares orders."]
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=admin, order=admission, basis_kk="", basis_ru="")
    assert set(refused.value.message_dict) == {"basis_kk", "basis_ru"}
    assert Order.objects.count() == len(before[0]) + 1  # the draft made above only
    assert ledger_size() == ledger + 1


def test_two_cancellations_of_one_order_are_refused(admin, head, programme, group):
    _student, admission = admitted(admin, head, programme, group)
    first = order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b")
    second = order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b")
    order_sign(actor=head, order=first)
    with pytest.raises(ValidationError) as refused:
        order_sign(actor=head, order=second)
    assert refused.value.messages == ["Order № 1-ОД is not in force and cannot be cancelled."]
    second.refresh_from_db()
    assert second.status == OrderStatus.DRAFT


def test_students_of_a_cancellation_are_fixed(admin, head, programme, group):
    student, admission = admitted(admin, head, programme, group)
    cancellation = order_cancel(actor=admin, order=admission, basis_kk="a", basis_ru="b")
    with pytest.raises(ValidationError):
        order_item_add(actor=admin, order=cancellation, student=make_student(programme), changes={})
    with pytest.raises(ValidationError):
        order_item_remove(actor=admin, item=cancellation.items.get())
    assert list(cancellation.items.values_list("student_id", flat=True)) == [student.pk]
