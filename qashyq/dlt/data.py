"""Enums and frozen data that cross the dlt app's boundary (R4, R35, R37–R40)."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qashyq.records.data import DltType

__all__ = [
    "ApplicationStatus",
    "AttachmentKind",
    "Category",
    "DltEnrolmentData",
    "DltType",
    "DocumentType",
    "EnrolmentStatus",
    "EntryKind",
    "JobStatus",
    "PlanStatus",
    "RegistryCounts",
]


class Category(models.TextChoices):
    """The five categories of students to whom DLT applies (rule 10, R35)."""

    SHORTENED = "shortened", _("Shortened programme on the basis of TVET, post-secondary or higher education")
    DISABILITY = "disability", _("Person with a disability (limited physical mobility)")
    EXCHANGE = "exchange", _("Abroad on an exchange programme")
    MILITARY = "military", _("Called up for conscript military service")
    BUSINESS_TRIP = "business_trip", _("Long business trip abroad (more than 4 months)")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    ACCEPTED = "accepted", _("Accepted")
    IN_ORDER = "in_order", _("In an order")
    ENROLLED = "enrolled", pgettext_lazy("DLT application status", "Enrolled")
    CANCELLED = "cancelled", _("Order cancelled")


# An application in one of these states is finished: the student may write a new one.
CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.ENROLLED, ApplicationStatus.CANCELLED)
# The student edits the application (and its documents) only in these states.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class DocumentType(models.TextChoices):
    PRIOR_EDUCATION = "prior_education", _("Diploma of prior education (TVET, post-secondary or higher)")
    DISABILITY = "disability", _("Certificate of disability")
    EXCHANGE = "exchange", _("Exchange programme agreement or invitation")
    MILITARY = "military", _("Call-up notice for military service")
    BUSINESS_TRIP = "business_trip", _("Order on the business trip abroad")
    OTHER = "other", _("Other document")


class EnrolmentStatus(models.TextChoices):
    """A student's DLT study by an order: in a draft, signed, in force (studying), cancelled. Whether it has
    ended is read from its dates (`ends_on` before today)."""

    ORDERED = "ordered", _("In a draft order")
    SIGNED = "signed", _("Order signed, not yet in force")
    ACTIVE = "active", _("Studying by DLT")
    CANCELLED = "cancelled", _("Order cancelled")


class AttachmentKind(models.TextChoices):
    """The three attachments of a DLT order for each student (rule 13, R39)."""

    APPLICATION = "application", _("Application")
    STUDY_PLAN = "study_plan", _("Individual study plan")
    SCHEDULE = "schedule", _("Individual schedule")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class EntryKind(models.TextChoices):
    """What a line of an individual schedule is (rule 13)."""

    CONSULTATION = "consultation", _("On-line consultation")
    BROADCAST = "broadcast", _("TV broadcast")
    ASSIGNMENT = "assignment", _("Off-line assignment")
    TEST = "test", _("Test")
    MIDTERM_1 = "midterm_1", _("Midterm control 1 (RK1)")
    MIDTERM_2 = "midterm_2", _("Midterm control 2 (RK2)")
    CONTROL_MATERIALS = "control_materials", _("Control materials due")
    EXAM = "exam", _("Exam")
    COURSE_WORK = "course_work", _("Course-work defence")
    PRACTICE = "practice", _("Professional practice")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


@dataclass(frozen=True)
class DltEnrolmentData:
    """A student's study by DLT as other apps see it."""

    id: int
    student_id: int
    application_id: int  # the student's plan and schedule are found by it
    order_id: int
    dlt_type: str
    category: str
    starts_on: date
    ends_on: date
    status: str


@dataclass(frozen=True)
class RegistryCounts:
    """Students studying by DLT now, by category, type and programme code (R56); applications by state."""

    total: int
    by_category: dict[str, int]
    by_type: dict[str, int]
    by_programme: dict[str, int]
    applications_by_status: dict[str, int]
