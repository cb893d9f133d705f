"""Enums and frozen data that cross this app's boundary (gradebook will read results through api.py)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True/false")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    SHORT = "short", _("Short answer")
    NUMERIC = "numeric", _("Numeric")
    CLOZE = "cloze", _("Fill in the blanks")
    ESSAY = "essay", _("Essay")


# Graded by hand by the tutor or teacher; every other type is graded automatically at submit.
MANUAL_TYPES = frozenset({QuestionType.ESSAY.value})


class Difficulty(models.IntegerChoices):
    SIMPLE = 1, pgettext_lazy("difficulty", "Simple")
    MEDIUM = 2, pgettext_lazy("difficulty", "Medium")
    HARD = 3, pgettext_lazy("difficulty", "Hard")


class QuestionLanguage(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")


class PartialCredit(models.TextChoices):
    """How a multiple-choice answer with some right and some wrong choices is scored."""

    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Each right choice earns its share; a wrong choice cancels a right one")
    FRACTIONS = "fractions", _("Sum of the choices' fractions (as in Moodle), never below zero")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    AVERAGE = "average", _("Average of attempts")


class ReviewWhen(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_SUBMIT = "after_submit", _("Right after the attempt")
    AFTER_CLOSE = "after_close", _("After the test closes")


class IdentityCheck(models.TextChoices):
    NONE = "none", _("None")
    WEBCAM = "webcam", _("Webcam snapshot")
    ID_DOCUMENT = "id_document", _("Photo of the identity document")


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_GRADING = "needs_grading", _("Awaiting grading")
    GRADED = "graded", _("Graded")


class FinishedBy(models.TextChoices):
    STUDENT = "student", _("Submitted by the student")
    DEADLINE = "deadline", _("Closed at the deadline")
    STAFF = "staff", _("Closed by staff")


class AttemptEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    IDENTITY = "identity", _("Identity snapshot taken")
    TAB_HIDDEN = "tab_hidden", _("Left the test tab")
    TAB_VISIBLE = "tab_visible", _("Returned to the test tab")
    OFFLINE = "offline", _("Connection lost")
    RECONNECTED = "reconnected", _("Reconnected")
    RESUMED = "resumed", _("Reopened the attempt page")
    SAVE_REFUSED = "save_refused", _("An answer was refused")
    SUBMITTED = "submitted", _("Submitted")
    CLOSED = "closed", _("Closed at the deadline")
    GRADED = "graded", _("Graded by hand")
    REGRADED = "regraded", _("Regraded")
    REOPENED = "reopened", _("Reopened by staff")


# Events the browser may report (the others are written by the server).
CLIENT_EVENTS = frozenset(
    {
        AttemptEventKind.TAB_HIDDEN.value,
        AttemptEventKind.TAB_VISIBLE.value,
        AttemptEventKind.OFFLINE.value,
        AttemptEventKind.RECONNECTED.value,
    }
)


@dataclass(frozen=True)
class TestResultData:
    """A student's result in a test: the grade by the test's grading method over finished attempts (a
    percentage 0–100), None while nothing is graded; `pending` while an essay awaits grading."""

    test_id: int
    item_id: int
    student_id: int
    percent: Decimal | None
    attempts: int
    pending: bool = False
    attempt_ids: tuple[int, ...] = field(default_factory=tuple)
