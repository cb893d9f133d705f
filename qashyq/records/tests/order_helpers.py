"""Rows the order tests need, written straight to the database (white-box: tests may look inside apps).

Programmes, groups and students come from `student_helpers`."""

from datetime import date
from typing import Any

from qashyq.organization.models import Institution
from qashyq.records.models import Order, OrderItem, Student


def make_institution(suffix: str = "ОД") -> Institution:
    return Institution.objects.create(
        name_kk="Qashyq университеті",
        name_ru="Университет Qashyq",
        name_en="Qashyq University",
        bin="123456789012",
        ownership="private",
        subordination="ҚР Ғылым және жоғары білім министрлігі",
        education_levels=["higher"],
        city_kk="Алматы",
        city_ru="Алматы",
        licence_number="KZ12LAA00000001",
        licence_date=date(2020, 1, 10),
        licence_issuer="ҚР Ғылым және жоғары білім министрлігі",
        order_number_suffix=suffix,
    )


def state(student: Student) -> tuple[Any, ...]:
    """What an order may change on a student, read from the database now."""
    fresh = Student.objects.get(pk=student.pk)
    return (fresh.status, fresh.group_id, fresh.programme_id, fresh.form_of_study, fresh.course_year)


def orders_snapshot() -> tuple[Any, ...]:
    """Everything about orders, to compare before and after a refused call."""
    orders = list(
        Order.objects.order_by("pk").values_list("pk", "status", "number", "number_label", "effective_date", "basis_kk")
    )
    items = list(
        OrderItem.objects.order_by("pk").values_list("pk", "order_id", "student_id", "position", "changes", "before")
    )
    students = list(
        Student.objects.order_by("pk").values_list(
            "pk", "status", "group_id", "programme_id", "form_of_study", "course_year"
        )
    )
    return orders, items, students
