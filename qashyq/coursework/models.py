"""Assignments (course items of kind "assignment"), the works students submit for them, their hand-over to
tutors and the tutors' reviews (rule 16; R15, R16, R53).

A submission is one attempt: a resubmission after a return for revision is a new row (`attempt` 2, 3, …) that
`revises` the one returned. Grades do not live here (R17): an accepted work's score goes into the gradebook
through `gradebook.api.record_result`; a review keeps what the tutor decided as the log of the assessment.
Every write goes through `services` and is an audit event."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.core.models import TimeStampedModel
from qashyq.coursework.data import Channel, Decision, FileKind, FileType, LatePolicy, SubmissionStatus


def default_file_types() -> list[str]:
    return [FileType.PDF.value, FileType.WORD.value]


class Assignment(TimeStampedModel):
    """The settings of an assignment: a course item of kind "assignment" (content), made when its staff first
    open it. Worth 100 points; the rubric, when given, is criteria whose points add up to 100."""

    item = models.OneToOneField("content.Item", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("content.Course", on_delete=models.CASCADE, related_name="+")
    instructions = models.TextField(_("instructions"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    late_policy = models.CharField(
        _("late work"), max_length=10, choices=LatePolicy.choices, default=LatePolicy.ACCEPTED
    )
    late_penalty_percent = models.PositiveSmallIntegerField(_("penalty for late work, %"), default=0)
    allow_text = models.BooleanField(_("text typed in the form"), default=True)
    allow_files = models.BooleanField(_("files"), default=True)
    file_types = models.JSONField(_("kinds of files accepted"), default=default_file_types)
    max_files = models.PositiveSmallIntegerField(_("files at most"), default=5)
    max_file_mb = models.PositiveSmallIntegerField(_("largest file, MB"), default=20)
    resubmission_allowed = models.BooleanField(_("resubmission after a return for revision"), default=True)
    rubric = models.JSONField(_("rubric"), default=list, blank=True)  # [{"title": str, "points": int}]
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(condition=Q(late_penalty_percent__lte=100), name="coursework_penalty_range"),
            models.CheckConstraint(condition=Q(max_files__gte=1, max_files__lte=20), name="coursework_max_files"),
            models.CheckConstraint(condition=Q(max_file_mb__gte=1), name="coursework_max_file_mb"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}"


class Submission(models.Model):
    """One attempt of a student at an assignment, with its receipt (`number`, `submitted_at`, the files'
    SHA-256 and the receipt's own `digest`). A paper work registered by the administration service keeps the
    date it was received and its scanned copy."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="submissions")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    revises = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("receipt number"), max_length=30, unique=True, null=True)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices, default=Channel.ELECTRONIC)
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    text = models.TextField(_("text"), blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("registered at"))
    received_on = models.DateField(_("paper work received on"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    late = models.BooleanField(_("late"), default=False)
    penalty_percent = models.PositiveSmallIntegerField(_("penalty, %"), default=0)
    digest = models.CharField(_("receipt check code"), max_length=64, blank=True)
    handover = models.ForeignKey("Handover", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assignment_id", "student_id", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student", "attempt"], name="coursework_submission_once"),
            models.CheckConstraint(condition=Q(penalty_percent__lte=100), name="coursework_submission_penalty"),
        ]
        indexes = [models.Index(fields=["assignment", "status"], name="coursework_sub_status_idx")]

    def __str__(self) -> str:
        return self.number or f"{self.assignment_id}/{self.student_id}/{self.attempt}"


class SubmissionFile(models.Model):
    """A file of a submission: the work itself, or the scanned copy of a paper work (a private stored file of
    content, `file_id`)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices, default=FileKind.WORK)
    position = models.PositiveSmallIntegerField(default=0)
    file_id = models.CharField(max_length=64)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        ordering = ["submission_id", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Handover(models.Model):
    """The administration service handed a submission to a tutor (R16); `received_at` is when the tutor
    confirmed receiving it. A resubmission goes back to the tutor who returned the work by itself
    (`handed_by` None). A submission handed over again (to another tutor) keeps every hand-over."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="handovers")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_at = models.DateTimeField(_("handed over at"))
    note = models.TextField(_("note"), blank=True)
    received_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["submission_id", "handed_at", "pk"]
        indexes = [models.Index(fields=["tutor", "handed_at"], name="coursework_handover_tutor_idx")]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.tutor_id}"


class Review(models.Model):
    """The tutor's decision on a submission: returned for revision (with feedback), or accepted with points
    (from the rubric or a single score; `score` is after the late penalty, what went into the gradebook)."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review")
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="+")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    points = models.DecimalField(_("points given"), max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score sent to the gradebook"), max_digits=5, decimal_places=2, null=True, blank=True)
    rubric_points = models.JSONField(default=list, blank=True)  # [{"title", "points", "given"}]
    feedback = models.TextField(_("feedback"), blank=True)
    file_id = models.CharField(max_length=64, blank=True)
    file_name = models.CharField(_("annotated file"), max_length=255, blank=True)
    file_content_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0, points__lte=100), name="coursework_review_points"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="coursework_review_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.decision}"
