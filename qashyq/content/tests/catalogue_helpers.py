"""Rows the catalogue and e-UMK tests need, written straight to the database (tests may look inside apps)."""

from datetime import date, timedelta
from typing import Any

import pytest

from qashyq.academics.models import AcademicPeriod, AcademicYear, CurriculumEntry, Discipline
from qashyq.academics.tests.factories import (
    AcademicPeriodFactory,
    AcademicYearFactory,
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
)
from qashyq.audit.models import Event
from qashyq.content.data import ResourceKind, ResourceMedia, ResourceOrigin, ResourceStatus, StaffRole
from qashyq.content.models import DidacticResource, Eumk, EumkComponentType, EumkLink
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff


def ensure_default_components() -> None:
    """The component types migration 0002 adds: a test with a transactional database (the browser tests) flushes
    them away for the tests that follow it."""
    import importlib

    defaults = importlib.import_module("qashyq.content.migrations.0002_eumk_component_types").DEFAULTS
    for position, (code, kk, ru, en) in enumerate(defaults, start=1):
        EumkComponentType.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "position": position, "required": True}
        )


@pytest.fixture(autouse=True)
def catalogue_defaults(db: Any) -> None:
    """The default e-UMK components (see ensure_default_components)."""
    ensure_default_components()


DEFAULT_CODES = ("syllabus", "lectures", "practical", "independent", "control", "glossary", "literature")


def year_of(start):
    """The academic year start–start+1 with one semester (so that it is listed where periods list years)."""
    year = AcademicYearFactory(
        title=f"{start}–{start + 1}", start_date=date(start, 9, 1), end_date=date(start + 1, 8, 31)
    )
    if not AcademicPeriod.objects.filter(year=year).exists():
        AcademicPeriodFactory(
            year=year, number=1, start_date=year.start_date, end_date=year.start_date + timedelta(120)
        )
    return year


def period_of(year):
    return AcademicPeriod.objects.filter(year=year).order_by("start_date").first() or AcademicPeriodFactory(year=year)


def make_resource(*, disciplines: tuple[Discipline, ...] = (), **fields: Any) -> DidacticResource:
    from qashyq.accounts.tests.factories import UserFactory

    values: dict[str, Any] = {
        "name_kk": "Электрондық оқулық",
        "kind": ResourceKind.E_TEXTBOOK,
        "origin": ResourceOrigin.DEVELOPED,
        "media": ResourceMedia.NETWORK,
        "status": ResourceStatus.IN_USE,
        "url": "https://library.example.kz/book",
    }
    values.update(fields)
    if "created_by" not in values:
        values["created_by"] = UserFactory(roles=["didactics"])
    resource = DidacticResource.objects.create(**values)
    resource.disciplines.set(disciplines)
    return resource


def component(code: str) -> EumkComponentType:
    return EumkComponentType.objects.get(code=code)


def make_eumk(discipline: Discipline, year: AcademicYear, *, created_by: Any, **fields: Any) -> Eumk:
    return Eumk.objects.create(discipline=discipline, year=year, created_by=created_by, **fields)


def fill(eumk: Eumk, resource: DidacticResource, *, skip: tuple[str, ...] = ()) -> list[EumkLink]:
    """Link `resource` to every required component in use (but those in `skip`)."""
    return [
        EumkLink.objects.create(eumk=eumk, component=c, resource=resource)
        for c in EumkComponentType.objects.filter(active=True, required=True).exclude(code__in=skip)
    ]


def events(action: str, target: Any | None = None) -> list[Event]:
    found = Event.objects.filter(action=action)
    if target is not None:
        found = found.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return list(found.order_by("seq"))


def teaching_world(make_user):
    """A discipline taught in a course of the 2026–2027 year by a teacher and a tutor, another discipline taught
    by another teacher, one user of each role, the previous year, and a programme whose curriculum holds both."""
    this_year, last_year = year_of(2026), year_of(2025)
    discipline = DisciplineFactory(code="INF101", name_kk="Информатика", name_ru="Информатика", name_en="Informatics")
    other = DisciplineFactory(code="MAT102", name_kk="Математика", name_ru="Математика", name_en="Mathematics")
    course = CourseFactory(discipline=discipline, period=period_of(this_year), code="INF101-26")
    other_course = CourseFactory(discipline=other, period=period_of(this_year), code="MAT102-26")
    people = {
        role: make_user(role)
        for role in ("student", "teacher", "tutor", "administration", "didactics", "it_support", "head")
    }
    add_staff(course, people["teacher"], StaffRole.TEACHER)
    add_staff(course, people["tutor"], StaffRole.TUTOR)
    other_teacher = make_user("teacher")
    add_staff(other_course, other_teacher, StaffRole.TEACHER)
    item = ItemFactory(section__course=course, name_kk="Кіріспе дәріс")
    other_item = ItemFactory(section__course=other_course, name_kk="Матрицалар")
    programme = ProgrammeFactory(code="6B06199")
    CurriculumEntryFactory(programme=programme, discipline=discipline, period_number=1)
    CurriculumEntryFactory(programme=programme, discipline=other, period_number=2)
    return {
        "year": this_year,
        "last_year": last_year,
        "discipline": discipline,
        "other": other,
        "course": course,
        "other_course": other_course,
        "item": item,
        "other_item": other_item,
        "people": people,
        "other_teacher": other_teacher,
        "programme": programme,
    }


__all__ = [
    "DEFAULT_CODES",
    "CurriculumEntry",
    "catalogue_defaults",
    "component",
    "ensure_default_components",
    "events",
    "fill",
    "make_eumk",
    "make_resource",
    "period_of",
    "teaching_world",
    "year_of",
]
