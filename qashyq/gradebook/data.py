"""Enums of the gradebook and the frozen data other apps receive (never the models)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeasureKind(models.TextChoices):
    """What a control measure is (rules 9, 16, 27)."""

    CURRENT = "current", _("Current control")
    MIDTERM = "midterm", _("Midterm control")
    CONTROL_WORK = "control_work", _("Control work")
    COURSE_WORK = "course_work", _("Course work")
    ESSAY = "essay", _("Essay")
    ABSTRACT = "abstract", _("Abstract (referat)")
    WRITTEN_EXAM = "written_exam", _("Written exam sheet")
    TEST = "test", _("Test")
    EXAM = "exam", _("Exam")


class RatingPart(models.TextChoices):
    """Which part of the rating a measure counts in: R1 = (TK1 + RK1)/2, R2 = (TK2 + RK2)/2, then the exam."""

    TK1 = "tk1", pgettext_lazy("rating part", "Current control 1 (TK1)")
    RK1 = "rk1", pgettext_lazy("rating part", "Midterm control 1 (RK1)")
    TK2 = "tk2", pgettext_lazy("rating part", "Current control 2 (TK2)")
    RK2 = "rk2", pgettext_lazy("rating part", "Midterm control 2 (RK2)")
    EXAM = "exam", pgettext_lazy("rating part", "Exam")


class MeasureMode(models.TextChoices):
    """How a measure is done with distance learning technologies (rule 27)."""

    ONLINE = "online", _("On-line contact with the teacher")
    TEST = "test", _("Automated test")
    CASE = "case", _("Written individual assignment (case)")


class ResultSource(models.TextChoices):
    """Where a grade came from: entered by hand, or fed by another part of the system."""

    MANUAL = "manual", _("Entered by hand")
    TEST = "test", _("Test")
    ASSIGNMENT = "assignment", _("Assignment")
    SCORM = "scorm", _("SCORM package")
    PRACTICE = "practice", _("Professional practice")


class Rounding(models.TextChoices):
    """How a fractional score is rounded before its letter is read off the scale."""

    HALF_UP = "half_up", _("To the nearest whole point, halves up (94.5 → 95)")
    HALF_EVEN = "half_even", _("To the nearest whole point, halves to even (94.5 → 94)")
    DOWN = "down", _("Down to the whole point (94.9 → 94)")


class Outcome(models.TextChoices):
    """Where a student stands in a course."""

    IN_PROGRESS = "in_progress", _("In progress")
    NOT_ADMITTED = "not_admitted", _("Not admitted to the exam")
    ADMITTED = "admitted", _("Admitted to the exam")
    PASSED = "passed", _("Passed")
    FX = "fx", _("FX: exam retake")
    F = "f", _("F: to be studied again")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the head's decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


@dataclass(frozen=True)
class AdmissionData:
    """Whether a student may sit a course's exam, and why not (rule 29)."""

    course_id: int
    student_id: int
    admitted: bool
    rating: Decimal | None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class GradeData:
    measure_id: int
    student_id: int
    attempt: int
    score: Decimal
    source: str
    entered_at: datetime


@dataclass(frozen=True)
class PeriodGpa:
    """The GPA of one academic period: credits are those of the disciplines with a final letter."""

    period_id: int
    year_id: int
    year_title: str
    number: int
    credits: int
    gpa: Decimal | None


@dataclass(frozen=True)
class YearGpa:
    year_id: int
    year_title: str
    credits: int
    gpa: Decimal | None


@dataclass(frozen=True)
class GpaData:
    """A student's GPA per academic period, per academic year and cumulative (credit-weighted; F counts 0 and
    stays in the denominator; only final letters count: an FX waiting for its retake does not)."""

    student_id: int
    periods: tuple[PeriodGpa, ...]
    years: tuple[YearGpa, ...]
    credits: int
    gpa: Decimal | None
