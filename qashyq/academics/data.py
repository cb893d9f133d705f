"""Enums of the academic structure and the frozen data other apps receive (never the models)."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from qashyq.core.i18n import localized


class Level(models.TextChoices):
    TVET = "tvet", _("Technical and vocational education")
    POST_SECONDARY = "post_secondary", _("Post-secondary education")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctoral studies")


class FormOfStudy(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    CORRESPONDENCE = "correspondence", _("Correspondence (extramural)")


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class ShortenedBasis(models.TextChoices):
    TVET = "tvet", _("On the basis of technical and vocational education")
    POST_SECONDARY = "post_secondary", _("On the basis of post-secondary education")
    HIGHER = "higher", _("On the basis of higher education")


class Cycle(models.TextChoices):
    GENERAL = "general", _("General education disciplines")
    BASIC = "basic", _("Basic disciplines")
    PROFILE = "profile", _("Profile disciplines")


class Component(models.TextChoices):
    COMPULSORY = "compulsory", _("Compulsory component")
    UNIVERSITY = "university", _("University component")
    ELECTIVE = "elective", _("Elective component")


class FinalControl(models.TextChoices):
    EXAM = "exam", _("Exam")
    DIFFERENTIATED_CREDIT = "differentiated_credit", _("Differentiated credit")
    CREDIT = "credit", _("Credit")
    COURSE_WORK = "course_work", _("Course work defence")
    PRACTICE_REPORT = "practice_report", _("Practice report defence")


class PeriodKind(models.TextChoices):
    SEMESTER = "semester", _("Semester")
    TRIMESTER = "trimester", _("Trimester")


class EventKind(models.TextChoices):
    CLASSES = "classes", _("Classes")
    MIDTERM_1 = "midterm_1", _("Midterm control 1 (RK1)")
    MIDTERM_2 = "midterm_2", _("Midterm control 2 (RK2)")
    ATTESTATION = "attestation", _("Intermediate attestation (exam session)")
    PRACTICE = "practice", _("Professional practice")
    HOLIDAYS = "holidays", _("Holidays")


class TeachingRole(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    TUTOR = "tutor", _("Tutor")


@dataclass(frozen=True)
class ProgrammeData:
    id: int
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    level: str
    periods: int
    shortened: bool
    shortened_basis: str
    forms_offered: tuple[str, ...]
    languages: tuple[str, ...]

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True)
class GroupData:
    id: int
    code: str
    programme_id: int
    programme_code: str
    admission_year: int
    language: str
    form_of_study: str
    capacity: int
    closed: bool


@dataclass(frozen=True)
class DisciplineData:
    id: int
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    credits: int

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True)
class CurriculumLineData:
    """One discipline of a programme's curriculum."""

    discipline: DisciplineData
    period_number: int
    credits: int
    cycle: str
    component: str
    final_control: str


@dataclass(frozen=True)
class YearData:
    id: int
    title: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class PeriodData:
    id: int
    year_id: int
    year_title: str
    kind: str
    number: int
    start_date: date
    end_date: date


@dataclass(frozen=True)
class CalendarEventData:
    """A dated event of an approved academic calendar (classes, RK1, RK2, exam session, practice, holidays)."""

    id: int
    kind: str  # EventKind
    period_id: int | None
    period_number: int | None
    start_date: date
    end_date: date


@dataclass(frozen=True)
class TeachingData:
    """A teacher or tutor serving a discipline, for one group (group_id) or for all its groups (None)."""

    user_id: int
    discipline_id: int
    group_id: int | None
    role: str  # TeachingRole
