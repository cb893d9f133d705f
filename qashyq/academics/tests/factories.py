from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from qashyq.academics.data import Component, Cycle, FinalControl, Level, PeriodKind, TeachingRole
from qashyq.academics.models import (
    AcademicCalendar,
    AcademicPeriod,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"6B{6100 + n:05d}")
    name_kk = factory.Sequence(lambda n: f"Ақпараттық жүйелер {n}")
    name_ru = factory.Sequence(lambda n: f"Информационные системы {n}")
    name_en = factory.Sequence(lambda n: f"Information systems {n}")
    level = Level.BACHELOR
    forms_offered = factory.LazyFunction(lambda: ["full_time", "part_time"])
    languages = factory.LazyFunction(lambda: ["kk", "ru"])
    periods = 8


class DisciplineFactory(DjangoModelFactory):
    class Meta:
        model = Discipline

    code = factory.Sequence(lambda n: f"DISC{n:04d}")
    name_kk = factory.Sequence(lambda n: f"Пән {n}")
    credits = 5


class CurriculumEntryFactory(DjangoModelFactory):
    class Meta:
        model = CurriculumEntry

    programme = factory.SubFactory(ProgrammeFactory)
    discipline = factory.SubFactory(DisciplineFactory)
    period_number = 1
    credits = factory.LazyAttribute(lambda e: e.discipline.credits)
    cycle = Cycle.BASIC
    component = Component.COMPULSORY
    final_control = FinalControl.EXAM


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("title",)

    title = "2026–2027"
    start_date = date(2026, 9, 1)
    end_date = date(2027, 8, 31)


class AcademicPeriodFactory(DjangoModelFactory):
    class Meta:
        model = AcademicPeriod

    year = factory.SubFactory(AcademicYearFactory)
    kind = PeriodKind.SEMESTER
    number = 1
    start_date = factory.LazyAttribute(lambda p: p.year.start_date)
    end_date = factory.LazyAttribute(lambda p: p.year.start_date + timedelta(days=120))


class AcademicCalendarFactory(DjangoModelFactory):
    class Meta:
        model = AcademicCalendar

    year = factory.SubFactory(AcademicYearFactory)
    level = Level.BACHELOR


class CalendarEventFactory(DjangoModelFactory):
    class Meta:
        model = CalendarEvent

    calendar = factory.SubFactory(AcademicCalendarFactory)


class StudyGroupFactory(DjangoModelFactory):
    class Meta:
        model = StudyGroup

    code = factory.Sequence(lambda n: f"ИС-{n:03d}")
    programme = factory.SubFactory(ProgrammeFactory)
    admission_year = 2025
    language = "kk"
    form_of_study = "full_time"
    capacity = 25


class TeachingAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    discipline = factory.SubFactory(DisciplineFactory)
    role = TeachingRole.TEACHER
