"""What other apps (and the demo) may use of records: contingent orders and the student body.

Orders are named by id here; an app above records that manages an order kind of its own (the DLT order)
registers its hooks with `register_order_kind` (see records.hooks)."""

from datetime import date
from typing import Any

from qashyq.records.data import DltType, OrderData, OrderItemData, OrderKind, OrderStatus, StudentData
from qashyq.records.hooks import OrderKindHooks, register_order_kind
from qashyq.records.models import Order, OrderItem, Student
from qashyq.records.rules import search_fold
from qashyq.records.selectors.students import student_for_user, student_get, students_in_groups
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
    "order_detail",
    "order_get",
    "order_items",
    "order_list",
    "order_lock",
    "order_sign",
    "order_student_add",
    "order_student_remove",
    "orders_apply_due",
    "register_order_kind",
    "search_fold",
    "student_create",
    "student_for_user",
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


# --- Orders as the pages of an order kind show them (DLT) -------------------------------------------------


def _order_full(order: Order, *, student_count: int = 0) -> OrderData:
    """An order with its basis, who prepared and signed it (`prepared_by`/`signed_by` already selected)."""
    from dataclasses import replace

    return replace(
        order_data(order),
        basis_kk=order.basis_kk,
        basis_ru=order.basis_ru,
        status_label=str(order.get_status_display()),
        created_at=order.created_at,
        signed_at=order.signed_at,
        prepared_by_name=order.prepared_by.full_name,
        signed_by_name=order.signed_by.full_name if order.signed_by is not None else "",
        student_count=student_count,
    )


def order_detail(*, order_id: int, kind: str = "") -> OrderData | None:
    """An order (of `kind`, when given) with its basis and who prepared and signed it (one query), or None."""
    orders = Order.objects.select_related("prepared_by", "signed_by").filter(pk=order_id)
    if kind:
        orders = orders.filter(kind=kind)
    order = orders.first()
    return _order_full(order) if order is not None else None


def order_lock(*, order_id: int, kind: str = "") -> OrderData | None:
    """Lock an order's row (SELECT ... FOR UPDATE, inside the caller's transaction) and return it (one query),
    or None when there is no such order (of `kind`, when given)."""
    orders = Order.objects.select_for_update().filter(pk=order_id)
    if kind:
        orders = orders.filter(kind=kind)
    order = orders.first()
    return order_data(order) if order is not None else None


def order_list(*, kind: str, status: str = "", query: str = "") -> list[OrderData]:
    """Orders of a kind, newest first, each with its number of students and who prepared and signed it (one
    query); filtered by status and by the order number or a student's name."""
    from django.db.models import Count, Q

    orders = (
        Order.objects.filter(kind=kind)
        .select_related("prepared_by", "signed_by")
        .annotate(student_count=Count("items", distinct=True))
        .order_by("-created_at", "-pk")
    )
    if status:
        orders = orders.filter(status=status)
    if query:
        orders = orders.filter(
            Q(number_label__icontains=query)
            | Q(items__student__last_name__icontains=query)
            | Q(items__student__first_name__icontains=query)
        ).distinct()
    return [_order_full(order, student_count=order.student_count) for order in orders]
