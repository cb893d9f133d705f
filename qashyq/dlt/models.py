"""DLT enrolment: applications (rules 10, 11), the DLT order's students and attachments (rules 12, 13),
individual study plans and schedules (rules 13, 20)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.core.models import TimeStampedModel
from qashyq.dlt.data import (
    CLOSED_STATUSES,
    ApplicationStatus,
    AttachmentKind,
    Category,
    DltType,
    DocumentType,
    EnrolmentStatus,
    EntryKind,
    JobStatus,
    PlanStatus,
)

LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian"))]


def feed_token() -> str:
    return secrets.token_urlsafe(32)


class Application(TimeStampedModel):
    """A student's application to the head to study by DLT (rule 11)."""

    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="dlt_applications")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    justification = models.TextField(_("justification"), blank=True)
    dlt_types = models.JSONField(_("DLT types asked for"), default=list)  # DltType values
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    language = models.CharField(_("language of the application"), max_length=2, choices=LANGUAGE_CHOICES, default="kk")
    # What the category rests on (rule 10): the host of an exchange, and the dates abroad (exchange or trip).
    host_institution = models.CharField(_("host institution"), max_length=300, blank=True)
    host_country = models.CharField(_("country"), max_length=100, blank=True)
    abroad_from = models.DateField(_("abroad from"), null=True, blank=True)
    abroad_until = models.DateField(_("abroad until"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_type = models.CharField(_("DLT type granted"), max_length=10, choices=DltType.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)  # the latest reason to return or reject

    class Meta:
        verbose_name = _("DLT application")
        verbose_name_plural = _("DLT applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="dlt_one_open_application",
            )
        ]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self) -> str:
        return f"{self.pk}"


class SupportingDocument(TimeStampedModel):
    """A document the application rests on (rule 11): a stored private file with its type."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    file = models.ForeignKey("content.Asset", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["created_at", "pk"]


class ApplicationEvent(models.Model):
    """A step of an application: the trail the student sees, and their in-app notice until they have seen it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_from = models.CharField(max_length=20, blank=True, choices=ApplicationStatus.choices)
    status_to = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status_from} → {self.status_to}"


class StudyPlan(TimeStampedModel):
    """The individual study plan (rules 13, 20): every discipline of the curriculum, by period."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="study_plan")
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # raised by every change: attachments name the version

    class Meta:
        verbose_name = _("individual study plan")
        verbose_name_plural = _("individual study plans")


class StudyPlanLine(models.Model):
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="lines")
    discipline = models.ForeignKey("academics.Discipline", on_delete=models.PROTECT, related_name="+")
    period_number = models.PositiveSmallIntegerField(_("academic period"))
    credits = models.PositiveSmallIntegerField(_("credits"))
    cycle = models.CharField(_("cycle"), max_length=20)
    component = models.CharField(_("component"), max_length=20)
    final_control = models.CharField(_("form of final control"), max_length=30)
    dlt_type = models.CharField(_("DLT type"), max_length=10, choices=DltType.choices)
    course = models.ForeignKey("content.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed = models.BooleanField(_("studied before DLT"), default=False)
    # Fields the administration service set by hand ("teacher", "tutor", "course", "dlt_type"): re-generation
    # keeps their values.
    hand_set = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["period_number", "discipline__code"]
        # A line per curriculum line: a discipline listed in several periods has a line in each.
        constraints = [
            models.UniqueConstraint(fields=["plan", "discipline", "period_number"], name="dlt_plan_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.discipline_id}"


class Schedule(TimeStampedModel):
    """The individual schedule of the learning activity (rule 13), with its iCal feed."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="schedule")
    version = models.PositiveIntegerField(default=1)
    generated_at = models.DateTimeField(null=True, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=feed_token)
    # Source keys of generated entries the administration service deleted: re-generation leaves them out.
    dismissed_keys = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("individual schedule")
        verbose_name_plural = _("individual schedules")


class ScheduleEntry(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="entries")
    discipline = models.ForeignKey(
        "academics.Discipline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)  # when it has a time of day
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    mode = models.CharField(_("mode"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source_key = models.CharField(max_length=60, blank=True)  # "calendar:12", "broadcast:5", "item:9"; "" by hand
    edited = models.BooleanField(default=False)  # changed by the administration service: kept on re-generation

    class Meta:
        ordering = ["starts_on", "starts_at", "pk"]
        indexes = [models.Index(fields=["schedule", "source_key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}"


class Enrolment(TimeStampedModel):
    """A student's study by DLT under an order (rule 12): type, category, period, and where the order stands."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="enrolment")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="dlt_enrolments")
    programme = models.ForeignKey("academics.Programme", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("records.Order", on_delete=models.PROTECT, related_name="+")
    dlt_type = models.CharField(_("DLT type"), max_length=10, choices=DltType.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ORDERED
    )

    class Meta:
        verbose_name = _("DLT enrolment")
        verbose_name_plural = _("DLT enrolments")
        ordering = ["student__last_name", "student__first_name", "pk"]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["status", "dlt_type"]),
            models.Index(fields=["status", "programme"]),
            models.Index(fields=["starts_on", "ends_on"]),
        ]


class Attachment(models.Model):
    """One of the three attachments of a student's line in a DLT order (rule 13): an issued PDF, made from a
    given version of the plan or schedule (stale when they change)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    source_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "kind"], name="dlt_attachment_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.kind}"


class AttachmentJob(TimeStampedModel):
    """Generating the attachments of one DLT order in the background, with its progress."""

    order = models.ForeignKey("records.Order", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
