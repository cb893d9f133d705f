"""Contingent orders: drafted by the administration service, signed by the head, in force on their date.

Only an order in force changes a student's status, group, programme, form of study or course year
(rule 9: "orders on admission, transfer and reinstatement"). Each applied item keeps what the record
held before (`OrderItem.before`), so a later cancellation order can give it back. A signed order is never
edited: it is cancelled by another order.

Numbers are given at signing, per calendar year of the signing date, from `OrderNumberCounter` locked
with SELECT ... FOR UPDATE in the signing transaction: a failed signature rolls its number back, so
there are no gaps and no duplicates (on SQLite every write transaction starts IMMEDIATE and so is
serialized already).
"""

import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.audit import api as audit_api
from qashyq.organization import api as organization_api
from qashyq.records import printing
from qashyq.records.data import (
    DltType,
    ExpulsionReason,
    OrderData,
    OrderItemData,
    OrderKind,
    OrderStatus,
    StudentStatus,
)
from qashyq.records.hooks import hooks_for
from qashyq.records.models import Order, OrderItem, OrderNumberCounter, Student
from qashyq.records.permissions import can_prepare_orders, can_sign_orders

logger = logging.getLogger(__name__)

DEFAULT_NUMBER_SUFFIX = "ОД"

# Kinds that place the student in a group (and so need an open group with a free place).
KINDS_INTO_GROUP = frozenset({OrderKind.ADMISSION, OrderKind.TRANSFER, OrderKind.REINSTATEMENT})
SEAT_STATUSES = (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE)
CHANGE_KEYS = frozenset({"group", "course_year", "from_institution", "to_institution", "until"})
# What a DLT order states for each student (rule 12): the type, the period, the category and the application.
DLT_CHANGE_KEYS = frozenset({"dlt_type", "starts_on", "ends_on", "category", "application"})

# Default titles of the printed order (documents are in Kazakh and in Russian, whatever the UI language).
DEFAULT_TITLES: dict[str, tuple[str, str]] = {
    OrderKind.ADMISSION: ("Білім алушыларды оқуға қабылдау туралы", "О зачислении обучающихся"),
    OrderKind.TRANSFER: ("Білім алушыларды ауыстыру туралы", "О переводе обучающихся"),
    OrderKind.REINSTATEMENT: ("Білім алушыларды оқуға қайта қабылдау туралы", "О восстановлении обучающихся"),
    OrderKind.EXPULSION: ("Білім алушыларды оқудан шығару туралы", "Об отчислении обучающихся"),
    OrderKind.ACADEMIC_LEAVE: (
        "Білім алушыларға академиялық демалыс беру туралы",
        "О предоставлении академического отпуска обучающимся",
    ),
    OrderKind.RETURN_FROM_LEAVE: (
        "Білім алушыларды академиялық демалыстан шығару туралы",
        "О выходе обучающихся из академического отпуска",
    ),
    OrderKind.DLT: (
        "Білім алушыларды қашықтықтан білім беру технологияларын қолдана отырып оқыту туралы",
        "Об обучении обучающихся с применением дистанционных образовательных технологий",
    ),
}


# --- Small helpers ---------------------------------------------------------------------------------


def order_data(order: Order) -> OrderData:
    return OrderData(
        id=order.pk,
        kind=order.kind,
        status=order.status,
        number_label=order.number_label,
        order_date=order.order_date,
        effective_date=order.effective_date,
        title_kk=order.title_kk,
        title_ru=order.title_ru,
        signed_by_id=order.signed_by_id,
    )


def order_item_data(item: OrderItem) -> OrderItemData:
    return OrderItemData(
        id=item.pk,
        order_id=item.order_id,
        student_id=item.student_id,
        position=item.position,
        changes=dict(item.changes or {}),
    )


def order_label(order: Order) -> str:
    """How messages name an order: "№ 137-ОД" once signed, "draft no. 12" before."""
    if order.number_label:
        return f"№ {order.number_label}"
    return _("draft no. %(id)s") % {"id": order.pk}


def student_snapshot(student: Student) -> dict[str, Any]:
    """What an order may change on a student: kept as `before` and written to the audit ledger."""
    return {
        "status": student.status,
        "group": student.group_id,
        "programme": student.programme_id,
        "form_of_study": student.form_of_study,
        "course_year": student.course_year,
    }


def target_state(*, kind: str, changes: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """The student's state after an item of `kind` with `changes` is applied to `before`."""
    after = dict(before)
    if kind == OrderKind.EXPULSION or (kind == OrderKind.TRANSFER and changes.get("to_institution")):
        after["status"] = StudentStatus.EXPELLED
    elif kind == OrderKind.ACADEMIC_LEAVE:
        after["status"] = StudentStatus.ACADEMIC_LEAVE
    elif kind in KINDS_INTO_GROUP or kind == OrderKind.RETURN_FROM_LEAVE:
        after["status"] = StudentStatus.ACTIVE
        after["group"] = changes["group"]
        after["programme"] = changes["programme"]
        after["form_of_study"] = changes["form_of_study"]
        if changes.get("course_year"):
            after["course_year"] = changes["course_year"]
    return after


def _status_label(status: str) -> str:
    return str(StudentStatus(status).label) if status in StudentStatus.values else status


def _refuse_unless_preparer(actor: Any) -> None:
    if not can_prepare_orders(user=actor):
        raise ValidationError(_("Only the administration service prepares orders."), code="forbidden")


def _refuse_unless_draft(order: Order) -> None:
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(
            _("Order %(order)s is signed and is never edited: cancel it by a new order instead.")
            % {"order": order_label(order)},
            code="signed",
        )


def order_check_editable(*, order: Order) -> None:
    """Refuse (ValidationError) unless the order is a draft: a signed order is never edited."""
    _refuse_unless_draft(order)


def _lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


# --- Validation of one item ------------------------------------------------------------------------

# What status a student must have for each kind (transfer depends on its direction: see below).
_REQUIRED_STATUS: dict[str, tuple[str, ...]] = {
    OrderKind.ADMISSION: (StudentStatus.APPLICANT,),
    OrderKind.REINSTATEMENT: (StudentStatus.EXPELLED,),
    OrderKind.EXPULSION: SEAT_STATUSES,
    OrderKind.ACADEMIC_LEAVE: (StudentStatus.ACTIVE,),
    OrderKind.RETURN_FROM_LEAVE: (StudentStatus.ACADEMIC_LEAVE,),
    OrderKind.DLT: (StudentStatus.ACTIVE,),
}


def _transfer_direction(changes: dict[str, Any]) -> str:
    if changes.get("to_institution"):
        return "out"
    if changes.get("from_institution"):
        return "in"
    return "internal"


def _required_status(kind: str, changes: dict[str, Any]) -> tuple[str, ...]:
    if kind == OrderKind.TRANSFER:
        return {
            "out": SEAT_STATUSES,
            "in": (StudentStatus.APPLICANT,),
            "internal": (StudentStatus.ACTIVE,),
        }[_transfer_direction(changes)]
    return _REQUIRED_STATUS[kind]


def _check_student_status(*, kind: str, changes: dict[str, Any], student: Student) -> None:
    name = student.full_name
    if student.status == StudentStatus.EXPELLED and kind != OrderKind.REINSTATEMENT:
        raise ValidationError(
            _("%(student)s is expelled: only a reinstatement order can include them.") % {"student": name},
            code="expelled",
        )
    if student.status == StudentStatus.GRADUATED:
        raise ValidationError(
            _("%(student)s has graduated: no contingent order can include them.") % {"student": name},
            code="graduated",
        )
    required = _required_status(kind, changes)
    if student.status not in required:
        raise ValidationError(
            _("%(student)s has the status “%(status)s”; this order needs the status “%(required)s”.")
            % {
                "student": name,
                "status": _status_label(student.status),
                "required": " / ".join(_status_label(s) for s in required),
            },
            code="status",
        )


def _seats_taken(*, group_id: int, student: Student, order: Order) -> int:
    """Places taken in a group: its active students and students on leave, plus the students that
    this order and every signed order not yet in force put into it (except `student`)."""
    in_group = Student.objects.filter(group_id=group_id, status__in=SEAT_STATUSES).exclude(pk=student.pk).count()
    incoming = (
        OrderItem.objects.filter(Q(order=order) | Q(order__status=OrderStatus.SIGNED), changes__group=group_id)
        .exclude(order__kind=OrderKind.CANCELLATION)
        .exclude(student=student)
        .exclude(student__group_id=group_id, student__status__in=SEAT_STATUSES)
        .values("student")
        .distinct()
        .count()
    )
    return in_group + incoming


def _check_group(*, group_id: Any, student: Student, order: Order) -> dict[str, Any]:
    """The group fields of `changes` for a placement into this group, or a ValidationError."""
    name = student.full_name
    if group_id in (None, ""):
        raise ValidationError({"group": _("Choose the group %(student)s goes to.") % {"student": name}})
    try:
        group = academics_api.group_get(group_id=int(group_id))
    except (TypeError, ValueError):
        group = None
    if group is None:
        raise ValidationError({"group": _("There is no such group.")})
    if group.closed:
        raise ValidationError(
            {
                "group": _("Group %(group)s is closed for admission and transfer: %(student)s cannot be placed in it.")
                % {"group": group.code, "student": name}
            }
        )
    taken = _seats_taken(group_id=group.id, student=student, order=order)
    if taken >= group.capacity:
        raise ValidationError(
            {
                "group": _(
                    "Group %(group)s is full (%(taken)s of %(capacity)s places taken): "
                    "%(student)s cannot be placed in it."
                )
                % {"group": group.code, "taken": taken, "capacity": group.capacity, "student": name}
            }
        )
    return {
        "group": group.id,
        "group_code": group.code,
        "programme": group.programme_id,
        "programme_code": group.programme_code,
        "form_of_study": group.form_of_study,
    }


def _check_course_year(value: Any, *, programme_id: int) -> int:
    try:
        course_year = int(value)
    except (TypeError, ValueError):
        course_year = 0
    programme = academics_api.programme_get(programme_id=programme_id)
    highest = max(1, programme.periods) if programme is not None else 1
    if not 1 <= course_year <= highest:
        raise ValidationError(
            {"course_year": _("The course year must be from 1 to %(highest)s.") % {"highest": highest}}
        )
    return course_year


def _check_pending(*, student: Student, order: Order) -> None:
    """A student in an order that is signed but not yet in force may not be in another one: the
    second would be checked against a state that is about to change."""
    others = OrderItem.objects.filter(student=student, order__status=OrderStatus.SIGNED).exclude(order=order)
    if order.cancels_id is not None:  # a cancellation may list the students of the order it cancels
        others = others.exclude(order_id=order.cancels_id)
    pending = others.select_related("order").first()
    if pending is not None:
        raise ValidationError(
            _(
                "%(student)s is in order %(order)s, signed but not yet in force (from %(date)s): "
                "add them to another order once it is in force."
            )
            % {
                "student": student.full_name,
                "order": order_label(pending.order),
                "date": pending.order.effective_date.strftime("%d.%m.%Y"),
            },
            code="pending",
        )


def _dlt_changes(changes: dict[str, Any], *, student: Student) -> dict[str, Any]:
    """The DLT type and period of one student of a DLT order, checked; the category and application as given."""
    name = student.full_name
    if changes.get("dlt_type") not in DltType.values:
        raise ValidationError({"dlt_type": _("Choose the DLT type for %(student)s.") % {"student": name}})
    try:
        starts_on = date.fromisoformat(str(changes.get("starts_on")))
        ends_on = date.fromisoformat(str(changes.get("ends_on")))
    except ValueError:
        raise ValidationError(
            {"starts_on": _("Enter the period of study by DLT for %(student)s as dates.") % {"student": name}}
        ) from None
    if ends_on <= starts_on:
        raise ValidationError(
            {"ends_on": _("The period of study by DLT for %(student)s ends before it starts.") % {"student": name}}
        )
    return {
        "dlt_type": changes["dlt_type"],
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "category": str(changes.get("category", ""))[:40],
        "application": changes.get("application"),
    }


def _normalize_item(
    *, order: Order, student: Student, changes: dict[str, Any], reason: str
) -> tuple[dict[str, Any], str]:
    """Validate one student for this order now; return the `changes` and `reason` to store."""
    kind = order.kind
    unknown = set(changes) - (DLT_CHANGE_KEYS if kind == OrderKind.DLT else CHANGE_KEYS)
    if unknown:
        raise ValidationError({"changes": _("Unknown changes: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}})
    _check_student_status(kind=kind, changes=changes, student=student)
    _check_pending(student=student, order=order)
    stored: dict[str, Any] = {}
    direction = _transfer_direction(changes) if kind == OrderKind.TRANSFER else ""

    if kind == OrderKind.EXPULSION or direction == "out":
        if direction == "out":
            institution = str(changes.get("to_institution", "")).strip()[:300]
            stored["to_institution"] = institution
            reason = ExpulsionReason.TRANSFER_OUT
        if reason not in ExpulsionReason.values:
            raise ValidationError(
                {"reason": _("Choose the reason %(student)s is expelled.") % {"student": student.full_name}}
            )
        return stored, reason

    if kind == OrderKind.DLT:
        return _dlt_changes(changes, student=student), ""

    if kind == OrderKind.ACADEMIC_LEAVE:
        until = changes.get("until")
        if until:
            try:
                stored["until"] = date.fromisoformat(str(until)).isoformat()
            except ValueError:
                raise ValidationError({"until": _("Enter the end of the leave as a date.")}) from None
        return stored, ""

    # Every other kind places the student into a group.
    group_id = changes.get("group")
    if kind == OrderKind.RETURN_FROM_LEAVE and group_id in (None, ""):
        group_id = student.group_id
    if kind == OrderKind.TRANSFER and direction == "internal" and str(group_id) == str(student.group_id):
        raise ValidationError({"group": _("%(student)s is already in this group.") % {"student": student.full_name}})
    stored.update(_check_group(group_id=group_id, student=student, order=order))
    if changes.get("course_year") not in (None, ""):
        stored["course_year"] = _check_course_year(changes["course_year"], programme_id=stored["programme"])
    if direction == "in":
        stored["from_institution"] = str(changes["from_institution"]).strip()[:300]
    return stored, ""


# --- Use cases -------------------------------------------------------------------------------------


def order_create(
    *,
    actor: Any,
    kind: str,
    effective_date: date,
    basis_kk: str,
    basis_ru: str,
    title_kk: str = "",
    title_ru: str = "",
) -> Order:
    """A draft order of the administration service; titles default to the kind's usual title."""
    _refuse_unless_preparer(actor)
    errors: dict[str, str] = {}
    if kind not in OrderKind.values or kind == OrderKind.CANCELLATION:
        errors["kind"] = _("Choose the kind of the order.")
    if not isinstance(effective_date, date):
        errors["effective_date"] = _("Enter the date the order comes into force.")
    if not basis_kk.strip():
        errors["basis_kk"] = _("Enter the basis of the order in Kazakh.")
    if not basis_ru.strip():
        errors["basis_ru"] = _("Enter the basis of the order in Russian.")
    if errors:
        raise ValidationError(errors)
    default_kk, default_ru = DEFAULT_TITLES[kind]
    order = Order(
        kind=kind,
        effective_date=effective_date,
        basis_kk=basis_kk.strip(),
        basis_ru=basis_ru.strip(),
        title_kk=title_kk.strip() or default_kk,
        title_ru=title_ru.strip() or default_ru,
        prepared_by=actor,
    )
    order.full_clean()
    with transaction.atomic():
        order.save()
        audit_api.record(actor=actor, action="records.order_created", target=order, after=_order_header(order))
    return order


def _order_header(order: Order) -> dict[str, Any]:
    return {
        "kind": order.kind,
        "status": order.status,
        "effective_date": order.effective_date.isoformat(),
        "title_kk": order.title_kk,
        "title_ru": order.title_ru,
        "basis_kk": order.basis_kk,
        "basis_ru": order.basis_ru,
    }


def order_update(
    *,
    actor: Any,
    order: Order,
    effective_date: date,
    basis_kk: str,
    basis_ru: str,
    title_kk: str,
    title_ru: str,
) -> Order:
    """Change the header of a draft (a signed order is never edited)."""
    _refuse_unless_preparer(actor)
    errors: dict[str, str] = {}
    for field, value, message in (
        ("basis_kk", basis_kk, _("Enter the basis of the order in Kazakh.")),
        ("basis_ru", basis_ru, _("Enter the basis of the order in Russian.")),
        ("title_kk", title_kk, _("Enter the title of the order in Kazakh.")),
        ("title_ru", title_ru, _("Enter the title of the order in Russian.")),
    ):
        if not value.strip():
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock_order(order)
        _refuse_unless_draft(locked)
        before = _order_header(locked)
        locked.effective_date = effective_date
        locked.basis_kk, locked.basis_ru = basis_kk.strip(), basis_ru.strip()
        locked.title_kk, locked.title_ru = title_kk.strip(), title_ru.strip()
        locked.full_clean()
        locked.save(update_fields=["effective_date", "basis_kk", "basis_ru", "title_kk", "title_ru", "updated_at"])
        after = _order_header(locked)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            audit_api.record(
                actor=actor,
                action="records.order_updated",
                target=locked,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    order.refresh_from_db()
    return order


def order_item_add(
    *, actor: Any, order: Order, student: Student, changes: dict[str, Any], reason: str = "", note: str = ""
) -> OrderItem:
    """Add a student to a draft, with what the order does to them; checked against the record now."""
    _refuse_unless_preparer(actor)
    with transaction.atomic():
        locked = _lock_order(order)
        _refuse_unless_draft(locked)
        if locked.kind == OrderKind.CANCELLATION:
            raise ValidationError(
                _("A cancellation order lists the students of the order it cancels; none can be added."),
                code="cancellation",
            )
        student = Student.objects.select_for_update().get(pk=student.pk)
        if locked.items.filter(student=student).exists():
            raise ValidationError(
                _("%(student)s is already in this order.") % {"student": student.full_name}, code="duplicate"
            )
        stored, reason = _normalize_item(order=locked, student=student, changes=dict(changes), reason=reason)
        last = locked.items.order_by("-position").values_list("position", flat=True).first() or 0
        item = OrderItem(
            order=locked, student=student, position=last + 1, changes=stored, reason=reason, note=note.strip()[:500]
        )
        item.full_clean(exclude=["changes"])  # empty changes are fine (an expulsion changes the status only)
        item.save()
        audit_api.record(
            actor=actor,
            action="records.order_item_added",
            target=locked,
            after={"student": student.pk, "position": item.position, "changes": stored, "reason": reason},
        )
    return item


def order_item_remove(*, actor: Any, item: OrderItem) -> None:
    """Take a student off a draft; the positions after it move up."""
    _refuse_unless_preparer(actor)
    with transaction.atomic():
        locked = _lock_order(item.order)
        _refuse_unless_draft(locked)
        if locked.kind == OrderKind.CANCELLATION:
            raise ValidationError(
                _("A cancellation order lists the students of the order it cancels; none can be removed."),
                code="cancellation",
            )
        item = OrderItem.objects.get(pk=item.pk, order=locked)
        removed = {
            "student": item.student_id,
            "position": item.position,
            "changes": item.changes,
            "reason": item.reason,
        }
        position = item.position
        item.delete()
        for later in locked.items.filter(position__gt=position).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position", "updated_at"])
        audit_api.record(actor=actor, action="records.order_item_removed", target=locked, before=removed)


def _next_number(year: int) -> int:
    OrderNumberCounter.objects.get_or_create(year=year)
    counter = OrderNumberCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _number_suffix() -> str:
    institution = organization_api.institution_get()
    if institution is None:
        return DEFAULT_NUMBER_SUFFIX
    return institution.order_number_suffix.strip()


def _touched_later(*, item: OrderItem, original: Order) -> OrderItem | None:
    """An item of a later order, signed or in force, that changed the same student. Cancellation
    orders and cancelled orders undid what they did and do not count. (A student is never in two
    signed orders that are not yet in force, so number order is the order they came into force.)"""
    return (
        OrderItem.objects.filter(
            student_id=item.student_id, order__status__in=(OrderStatus.SIGNED, OrderStatus.IN_FORCE)
        )
        .exclude(order_id=original.pk)
        .exclude(order__kind=OrderKind.CANCELLATION)
        .filter(Q(order__year__gt=original.year) | Q(order__year=original.year, order__number__gt=original.number))
        .select_related("order")
        .first()
    )


def _check_cancellation(cancellation: Order) -> tuple[Order, list[OrderItem]]:
    """The cancelled order and its items, or a ValidationError naming why it cannot be cancelled."""
    if cancellation.cancels_id is None:
        raise ValueError("not a cancellation order")
    target = Order.objects.select_for_update().get(pk=cancellation.cancels_id)
    if target.status not in (OrderStatus.SIGNED, OrderStatus.IN_FORCE):
        raise ValidationError(
            _("Order %(order)s is not in force and cannot be cancelled.") % {"order": order_label(target)},
            code="not_in_force",
        )
    others = Order.objects.filter(cancels=target, status__in=(OrderStatus.SIGNED, OrderStatus.IN_FORCE))
    if cancellation.pk is not None:
        others = others.exclude(pk=cancellation.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            _("Order %(order)s is already cancelled by order %(other)s.")
            % {"order": order_label(target), "other": order_label(other)},
            code="already_cancelled",
        )
    items = list(target.items.select_related("student").order_by("position"))
    problems = []
    for item in items:
        later = _touched_later(item=item, original=target)
        if later is not None:
            problems.append(
                ValidationError(
                    _(
                        "%(student)s was changed by a later order %(later)s: cancel that order first, "
                        "or correct the record by a new order."
                    )
                    % {"student": item.student.full_name, "later": order_label(later.order)},
                    code="touched_later",
                )
            )
    if problems:
        raise ValidationError(problems)
    return target, items


def order_cancel(
    *, actor: Any, order: Order, basis_kk: str, basis_ru: str, effective_date: date | None = None
) -> Order:
    """A draft CANCELLATION order listing the students of `order`: once signed and in force, each gets
    back what their record held before `order`, and `order` becomes cancelled."""
    _refuse_unless_preparer(actor)
    errors: dict[str, str] = {}
    if not basis_kk.strip():
        errors["basis_kk"] = _("Enter the basis of the order in Kazakh.")
    if not basis_ru.strip():
        errors["basis_ru"] = _("Enter the basis of the order in Russian.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = _lock_order(order)
        if target.kind == OrderKind.CANCELLATION:
            raise ValidationError(
                _("A cancellation order is not cancelled itself: correct the record by a new order."),
                code="cancellation",
            )
        cancellation = Order(
            kind=OrderKind.CANCELLATION,
            cancels=target,
            effective_date=effective_date or timezone.localdate(),
            basis_kk=basis_kk.strip(),
            basis_ru=basis_ru.strip(),
            title_kk=f"{target.order_date:%d.%m.%Y} № {target.number_label} бұйрықтың күшін жою туралы"
            if target.order_date
            else "Бұйрықтың күшін жою туралы",
            title_ru=f"Об отмене приказа от {target.order_date:%d.%m.%Y} № {target.number_label}"
            if target.order_date
            else "Об отмене приказа",
            prepared_by=actor,
        )
        _target, items = _check_cancellation(cancellation)
        cancellation.full_clean()
        cancellation.save()
        OrderItem.objects.bulk_create(
            OrderItem(
                order=cancellation,
                student_id=item.student_id,
                position=item.position,
                changes={"cancels_item": item.pk},
            )
            for item in items
        )
        audit_api.record(
            actor=actor,
            action="records.order_created",
            target=cancellation,
            after={**_order_header(cancellation), "cancels": target.pk, "students": [i.student_id for i in items]},
        )
    return cancellation


def _check_items_for_signing(order: Order, items: list[OrderItem]) -> None:
    """Every item again, against the records as they are now: a draft may have waited for days."""
    problems: list[ValidationError] = []
    for item in items:
        student = item.student
        keys = DLT_CHANGE_KEYS if order.kind == OrderKind.DLT else CHANGE_KEYS
        given: dict[str, Any] = {k: v for k, v in item.changes.items() if k in keys}
        try:
            stored, _reason = _normalize_item(order=order, student=student, changes=given, reason=item.reason)
        except ValidationError as error:
            problems.extend(_named(error, student))
            continue
        if stored != item.changes:
            item.changes = stored
            item.save(update_fields=["changes", "updated_at"])
    if problems:
        raise ValidationError(problems)


def _named(error: ValidationError, student: Student) -> list[ValidationError]:
    """Messages of an item's error, each naming the student (field errors do not always)."""
    out = []
    for message in error.messages:
        if student.full_name not in message:
            message = f"{student.full_name}: {message}"
        out.append(ValidationError(message))
    return out


def order_sign(*, actor: Any, order: Order) -> Order:
    """The head signs a draft: it gets the next number of the year, its documents are issued, and it is
    applied at once when its date has come."""
    if not can_sign_orders(user=actor):
        raise ValidationError(_("Only the head signs orders."), code="forbidden")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.status != OrderStatus.DRAFT:
            raise ValidationError(
                _("Order %(order)s is already signed: an order is signed once.") % {"order": order_label(locked)},
                code="signed",
            )
        student_ids = list(locked.items.values_list("student_id", flat=True))
        if not student_ids:
            raise ValidationError(_("The order lists no students: add them before signing."), code="empty")
        # The year's counter is locked first: signatures of a year are serialized, so two orders signed
        # at once cannot both take the last free place of a group (and a refused one frees its number).
        number = _next_number(today.year)
        list(Student.objects.select_for_update().filter(pk__in=student_ids).values_list("pk", flat=True))
        items = list(locked.items.select_related("student").order_by("position"))
        if locked.kind == OrderKind.CANCELLATION:
            _check_cancellation(locked)
        else:
            _check_items_for_signing(locked, items)
            before_sign = hooks_for(locked.kind).before_sign
            if before_sign is not None:
                before_sign(order_data(locked), [order_item_data(i) for i in items])
        suffix = _number_suffix()
        locked.status = OrderStatus.SIGNED
        locked.year = today.year
        locked.number = number
        locked.number_label = f"{number}-{suffix}" if suffix else str(number)
        locked.order_date = today
        locked.signed_by = actor
        locked.signed_at = timezone.now()
        locked.full_clean()
        locked.save(
            update_fields=[
                "status",
                "year",
                "number",
                "number_label",
                "order_date",
                "signed_by",
                "signed_at",
                "updated_at",
            ]
        )
        audit_api.record(
            actor=actor,
            action="records.order_signed",
            target=locked,
            before={"status": OrderStatus.DRAFT},
            after={
                "status": OrderStatus.SIGNED,
                "number": locked.number_label,
                "order_date": today.isoformat(),
                "effective_date": locked.effective_date.isoformat(),
                "students": [i.student_id for i in items],
            },
        )
        printing.order_documents_issue(order=locked, actor=actor)
        on_sign = hooks_for(locked.kind).on_sign
        if on_sign is not None:
            on_sign(order_data(locked), [order_item_data(i) for i in items])
    if locked.effective_date <= today:
        orders_apply_due(today=today)
    order.refresh_from_db()
    return order


# --- Applying orders -------------------------------------------------------------------------------


def _apply_items(order: Order) -> None:
    items = list(order.items.order_by("position"))
    students = Student.objects.select_for_update().in_bulk([i.student_id for i in items])
    for item in items:
        student = students[item.student_id]
        before = student_snapshot(student)
        _check_student_status(kind=order.kind, changes=item.changes, student=student)
        after = target_state(kind=order.kind, changes=item.changes, before=before)
        _write_student(student, before=before, after=after, order=order)
        item.before = before
        item.save(update_fields=["before", "updated_at"])


def _write_student(student: Student, *, before: dict[str, Any], after: dict[str, Any], order: Order) -> None:
    if after == before:  # a DLT order changes nothing on the record itself
        return
    student.status = after["status"]
    student.group_id = after["group"]
    student.programme_id = after["programme"]
    student.form_of_study = after["form_of_study"]
    student.course_year = after["course_year"]
    student.save(update_fields=["status", "group", "programme", "form_of_study", "course_year", "updated_at"])
    changed = {k for k in after if after[k] != before.get(k)}
    audit_api.record(
        actor=None,
        action="records.student_changed_by_order",
        target=student,
        before={k: before.get(k) for k in sorted(changed)},
        after={k: after[k] for k in sorted(changed)},
        reason=f"{order.kind} № {order.number_label}",  # the ledger keeps one language: the codes
    )


def _apply_cancellation(order: Order) -> Order:
    """Give each student back the `before` of the cancelled order's item; the cancelled order ends."""
    target, cancelled_items = _check_cancellation(order)
    own = {i.student_id: i for i in order.items.all()}
    students = Student.objects.select_for_update().in_bulk([i.student_id for i in cancelled_items])
    for item in cancelled_items:
        student = students[item.student_id]
        current = student_snapshot(student)
        mine = own.get(item.student_id)
        if mine is not None:
            mine.before = current
            mine.save(update_fields=["before", "updated_at"])
        if not item.before:  # the cancelled order never came into force: nothing to give back
            continue
        _write_student(student, before=current, after={**current, **item.before}, order=order)
    previous = target.status
    target.status = OrderStatus.CANCELLED
    target.save(update_fields=["status", "updated_at"])
    on_cancel = hooks_for(target.kind).on_cancel
    if on_cancel is not None:
        on_cancel(order_data(target), [order_item_data(i) for i in cancelled_items])
    audit_api.record(
        actor=None,
        action="records.order_cancelled",
        target=target,
        before={"status": previous},
        after={"status": OrderStatus.CANCELLED, "cancelled_by": order.number_label},
        reason=f"{order.kind} № {order.number_label}",
    )
    return target


def order_apply(*, order: Order) -> Order:
    """Bring one signed order into force now (its date has come); see `orders_apply_due`."""
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.status != OrderStatus.SIGNED:
            raise ValidationError(
                _("Order %(order)s is not waiting to come into force.") % {"order": order_label(locked)},
                code="not_signed",
            )
        if locked.kind == OrderKind.CANCELLATION:
            _apply_cancellation(locked)
        else:
            _apply_items(locked)
            on_apply = hooks_for(locked.kind).on_apply
            if on_apply is not None:
                on_apply(order_data(locked), [order_item_data(i) for i in locked.items.order_by("position")])
        now = timezone.now()
        locked.status = OrderStatus.IN_FORCE
        locked.applied_at = now
        locked.save(update_fields=["status", "applied_at", "updated_at"])
        audit_api.record(
            actor=None,
            action="records.order_in_force",
            target=locked,
            before={"status": OrderStatus.SIGNED},
            after={"status": OrderStatus.IN_FORCE, "applied_at": now.isoformat()},
        )
    return locked


def orders_apply_due(*, today: date) -> list[Order]:
    """Bring into force, in number order, every signed order whose date is `today` or earlier.

    Called after signing, when an order page or a student card is opened, and daily by Celery beat;
    nothing depends on the schedule. An order that cannot be applied stays signed and is logged.
    """
    due = list(
        Order.objects.filter(status=OrderStatus.SIGNED, effective_date__lte=today)
        .order_by("year", "number")
        .values_list("pk", flat=True)
    )
    applied = []
    for pk in due:
        try:
            applied.append(order_apply(order=Order(pk=pk)))
        except ValidationError as error:
            if getattr(error, "code", None) == "not_signed":
                continue  # another request brought it into force a moment ago
            logger.warning("Order %s was not brought into force: %s", pk, "; ".join(error.messages))
    return applied
