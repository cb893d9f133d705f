"""Rows the student tests need, written straight to the database (tests may look inside apps)."""

import io
import itertools
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from qashyq.academics.models import Discipline, Programme, StudyGroup, TeachingAssignment
from qashyq.core.iin import iin_make
from qashyq.records import imports, rules
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student

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


def teach(user: Any, group: StudyGroup, *, role: str = "teacher") -> TeachingAssignment:
    discipline, _ = Discipline.objects.get_or_create(code=f"D-{group.code}", defaults={"name_kk": "Пән", "credits": 5})
    return TeachingAssignment.objects.create(user=user, discipline=discipline, group=group, role=role)


def new_iin(*, birth: date | None = None, sex: str = "female") -> str:
    n = next(_serial)
    return iin_make(birth_date=birth or date(2005, 1 + n % 12, 1 + n % 28), sex=sex, serial=n * 13)


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
    sex = fields.pop("sex", "female" if n % 2 else "male")
    birth = fields.pop("birth_date", date(2005, 1 + n % 12, 1 + n % 28))
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


def row(**values: Any) -> dict[str, Any]:
    """One good import row (programme 6B06101, group ИС-26-1), changed by `values`."""
    birth = values.pop("birth", date(2006, 4, 9))
    sex = values.pop("sex_", "female")
    base: dict[str, Any] = {
        "iin": iin_make(birth_date=birth, sex=sex, serial=next(_serial) * 11),
        "last_name": "Сейітова",
        "first_name": "Айгерім",
        "patronymic": "Қайратқызы",
        "name_latin": "",
        "birth_date": birth.strftime("%d.%m.%Y"),
        "sex": sex,
        "citizenship": "KZ",
        "phone": "+7 701 000 00 00",
        "email": "",
        "address": "Алматы",
        "programme": "6B06101",
        "group": "ИС-26-1",
        "form_of_study": "full_time",
        "language": "kk",
        "funding": "state_grant",
        "bolashak": "no",
        "disability": "",
        "course_year": "1",
    }
    base.update(values)
    return base


def xlsx_from_template(rows: list[dict[str, Any]], *, keep_example: bool = False) -> bytes:
    """The downloadable template, filled in as a person would: the example row replaced by `rows`."""
    workbook = load_workbook(io.BytesIO(imports.template_xlsx()))
    sheet = workbook[imports.SHEET_NAME]
    header = [cell.value for cell in sheet[1]]
    if not keep_example:
        sheet.delete_rows(2)
    for values in rows:
        sheet.append([values.get(key, "") for key in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx(rows: list[list[Any]], *, title: str = "students") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict[str, Any]], *, delimiter: str = ";", bom: bool = False) -> bytes:
    keys = list(imports.COLUMN_KEYS)
    lines = [delimiter.join(keys)] + [delimiter.join(str(r.get(k, "")) for k in keys) for r in rows]
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def students_snapshot() -> list[tuple[Any, ...]]:
    return list(Student.objects.order_by("pk").values_list())
