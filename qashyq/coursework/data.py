"""Enums of assignments and the collection of control materials, and the frozen data other apps receive."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LatePolicy(models.TextChoices):
    """What happens to work that comes after the due date."""

    ACCEPTED = "accepted", _("Accepted")
    PENALTY = "penalty", _("Accepted with a penalty")
    REFUSED = "refused", _("Refused")


class FileType(models.TextChoices):
    """Kinds of files an assignment may accept (checked by the files' content, not their names)."""

    PDF = "pdf", _("PDF")
    WORD = "word", _("Text documents (DOC, DOCX, ODT, RTF)")
    TEXT = "text", _("Plain text (TXT)")
    SPREADSHEET = "spreadsheet", _("Spreadsheets (XLS, XLSX, ODS, CSV)")
    PRESENTATION = "presentation", _("Presentations (PPT, PPTX, ODP)")
    IMAGE = "image", _("Images (PNG, JPEG, GIF, WebP)")


class Channel(models.TextChoices):
    """How the work reached the institution (R15): electronically, or on paper (case technology)."""

    ELECTRONIC = "electronic", _("Electronically")
    PAPER = "paper", _("On paper")


class SubmissionStatus(models.TextChoices):
    """Where a submission is on its way: collected, handed to a tutor, received by them, reviewed."""

    SUBMITTED = "submitted", pgettext_lazy("submission", "Collected, not handed over")
    HANDED_OVER = "handed_over", pgettext_lazy("submission", "Handed over, not confirmed by the tutor")
    RECEIVED = "received", pgettext_lazy("submission", "Received by the tutor")
    RETURNED = "returned", pgettext_lazy("submission", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("submission", "Accepted")


# Waiting for the tutor's review (handed over, whether confirmed or not).
WITH_TUTOR = frozenset({SubmissionStatus.HANDED_OVER.value, SubmissionStatus.RECEIVED.value})
REVIEWED = frozenset({SubmissionStatus.RETURNED.value, SubmissionStatus.ACCEPTED.value})


class FileKind(models.TextChoices):
    WORK = "work", _("The work")
    SCAN = "scan", _("Scanned copy of the paper work")


class Decision(models.TextChoices):
    """The tutor's decision on a submission."""

    RETURNED = "returned", _("Return for revision")
    ACCEPTED = "accepted", _("Accept")


@dataclass(frozen=True)
class SubmissionData:
    """A student's latest submission of an assignment, as other apps see it (no grade: that is the
    gradebook's)."""

    id: int
    item_id: int
    student_id: int
    number: str
    attempt: int
    channel: str
    status: str
    late: bool
    submitted_at: datetime


@dataclass(frozen=True)
class BacklogData:
    """What waits for one tutor: handed over and not confirmed, confirmed and not reviewed, and how many of
    these were handed over longer ago than the grading period (overdue)."""

    tutor_id: int
    unconfirmed: int
    to_review: int
    overdue: int
