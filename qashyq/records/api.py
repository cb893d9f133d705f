"""What other apps (and the demo) may use of records: contingent orders and the student body."""

from qashyq.records.data import StudentData
from qashyq.records.selectors.students import student_get, students_in_groups
from qashyq.records.services.orders import (
    order_cancel,
    order_create,
    order_item_add,
    order_sign,
    orders_apply_due,
)
from qashyq.records.services.students import student_create

__all__ = [
    "StudentData",
    "order_cancel",
    "order_create",
    "order_item_add",
    "order_sign",
    "orders_apply_due",
    "student_create",
    "student_get",
    "students_in_groups",
]
