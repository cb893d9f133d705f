"""Rows the order tests need, written straight to the database (white-box: tests may look inside apps)."""

import itertools
from datetime import date
from typing import Any

from qashyq.academics.models import Programme, StudyGroup
from qashyq.core.iin import iin_make
from qashyq.organization.models import Institution
from qashyq.records import rules
from qashyq.records.data import StudentStatus
from qashyq.records.models import Order, OrderItem, Student

_serial = itertools.count(1)

SURNAMES = ("Сейітова", "Жұмабаев", "Әбілқасымова", "Нұрланов", "Оспанова", "Қайратов", "Байжанова", "Ержанов")
FIRST_NAMES = ("Айгерім", "Арман", "Дана", "Ерлан", "Әсел", "Нұрлан", "Гүлнар", "Талғат")


def make_programme(code: str = "6B06101", **fields: Any) -> Programme:
    defaults: dict[str, Any] = {
        "name_kk": "Ақпараттық жүйелер",
        "name_ru": "Информационные системы",
        "name_en": "Information systems",
        "level": "bachelor",
        "forms_offered": ["full_time", "correspondence"],
        "languages": ["kk", "ru"],
        "periods": 8,
    }
    defaults.update(fields)
    return Programme.objects.create(code=code, **defaults)


def make_group(code: str, programme: Programme, **fields: Any) -> StudyGroup:
    defaults: dict[str, Any] = {"admission_year": 2026, "language": "kk", "form_of_study": "full_time"}
    defaults.update(fields)
    return StudyGroup.objects.create(code=code, programme=programme, **defaults)


def make_student(
    programme: Programme,
    *,
    group: StudyGroup | None = None,
    status: str = StudentStatus.APPLICANT,
    last_name: str | None = None,
    first_name: str | None = None,
    **fields: Any,
) -> Student:
    n = next(_serial)
    sex = "female" if n % 2 else "male"
    birth = date(2005, 1 + n % 12, 1 + n % 28)
    last_name = last_name or SURNAMES[n % len(SURNAMES)]
    first_name = first_name or FIRST_NAMES[n % len(FIRST_NAMES)]
    latin = rules.name_latin(last_name=last_name, first_name=first_name)
    values: dict[str, Any] = {
        "iin": iin_make(birth_date=birth, sex=sex, serial=n * 7),
        "last_name": last_name,
        "first_name": first_name,
        "name_latin": latin,
        "search_text": rules.search_text(last_name=last_name, first_name=first_name, name_latin=latin),
        "birth_date": birth,
        "sex": sex,
        "programme": programme,
        "group": group,
        "form_of_study": group.form_of_study if group else "full_time",
        "language": "kk",
        "funding": "state_grant",
        "status": status,
    }
    values.update(fields)
    return Student.objects.create(**values)


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
