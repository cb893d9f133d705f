"""What other apps (and the demo) may use of records: contingent orders and the student body.

Orders are named by id here; an app above records that manages an order kind of its own (the DLT order)
registers its hooks with `register_order_kind` (see records.hooks)."""

from datetime import date
from typing import Any

from qashyq.records.data import DltType, OrderData, OrderItemData, OrderKind, OrderStatus, StudentData
from qashyq.records.hooks import OrderKindHooks, register_order_kind
from qashyq.records.models import Order, OrderItem, Student
from qashyq.records.rules import search_fold
from qashyq.records.selectors.students import student_get, students_in_groups
from qashyq.records.services import orders as order_services
from qashyq.records.services.orders import order_data, order_item_data, orders_apply_due
from qashyq.records.services.students import student_create

__all__ = [
    "DltType",
    "OrderData",
    "OrderItemData",
    "OrderKind",
    "OrderKindHooks",
    "OrderStatus",
    "StudentData",
    "order_create",
    "order_get",
    "order_items",
    "order_sign",
    "order_student_add",
    "order_student_remove",
    "orders_apply_due",
    "register_order_kind",
    "search_fold",
    "student_create",
    "student_get",
    "students_in_groups",
]


def order_create(
    *, actor: Any, kind: str, effective_date: date, basis_kk: str, basis_ru: str, title_kk: str = "", title_ru: str = ""
) -> OrderData:
    """A draft order of the administration service (ValidationError by field). Audit `records.order_created`."""
    return order_data(
        order_services.order_create(
            actor=actor,
            kind=kind,
            effective_date=effective_date,
            basis_kk=basis_kk,
            basis_ru=basis_ru,
            title_kk=title_kk,
            title_ru=title_ru,
        )
    )


def order_get(*, order_id: int) -> OrderData | None:
    order = Order.objects.filter(pk=order_id).first()
    return order_data(order) if order is not None else None


def order_items(*, order_id: int) -> list[OrderItemData]:
    """The students of an order, by position (one query)."""
    return [order_item_data(i) for i in OrderItem.objects.filter(order_id=order_id).order_by("position")]


def order_student_add(
    *, actor: Any, order_id: int, student_id: int, changes: dict[str, Any], reason: str = "", note: str = ""
) -> OrderItemData:
    """Add a student to a draft, checked against the record now (ValidationError naming the student)."""
    item = order_services.order_item_add(
        actor=actor,
        order=Order.objects.get(pk=order_id),
        student=Student.objects.get(pk=student_id),
        changes=changes,
        reason=reason,
        note=note,
    )
    return order_item_data(item)


def order_student_remove(*, actor: Any, order_id: int, student_id: int) -> None:
    """Take a student off a draft (nothing happens when they are not in it)."""
    item = OrderItem.objects.filter(order_id=order_id, student_id=student_id).select_related("order").first()
    if item is not None:
        order_services.order_item_remove(actor=actor, item=item)


def order_sign(*, actor: Any, order_id: int) -> OrderData:
    """The head signs a draft: numbered, issued in kk and ru, applied at once when its date has come.
    ValidationError lists every reason it cannot be signed (records' checks, then the kind's hooks)."""
    return order_data(order_services.order_sign(actor=actor, order=Order.objects.get(pk=order_id)))
