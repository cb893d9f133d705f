"""Learning content: courses and their items, stored files, SCORM, progress, the didactic catalogue, e-UMKs,
case packages and TV broadcasts (rules 2, 7, 8.1, 8.2, 14, 17, 22)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.content.data import (
    Activity,
    AssetPurpose,
    CasePackageStatus,
    CompletionRule,
    DeliveryChannel,
    DispatchChannel,
    EnrolmentSource,
    EumkReviewAction,
    EumkStatus,
    ItemKind,
    ProgressStatus,
    ResourceKind,
    ResourceMedia,
    ResourceOrigin,
    ResourceStatus,
    ScormVersion,
    StaffRole,
    TrackKind,
)
from qashyq.core.i18n import TrilingualName, localized
from qashyq.core.models import TimeStampedModel


def asset_path(instance: "Asset", filename: str) -> str:
    # The stored name never carries the uploaded one (it may hold anything); the original is kept in a field.
    return f"content/{instance.purpose}/{instance.pk.hex[:2]}/{instance.pk.hex}"


class Asset(models.Model):
    """A private stored file: its content type was read from its bytes, never from its name. Downloads go
    through `access_asset`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(_("purpose"), max_length=20, choices=AssetPurpose.choices)
    file = models.FileField(_("file"), upload_to=asset_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.original_name


# --- Courses ---------------------------------------------------------------------------------------


class Course(TrilingualName, TimeStampedModel):
    """A discipline taught in an academic period to one or more groups. `name_*` is the course title
    (by default the discipline's name)."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    discipline = models.ForeignKey("academics.Discipline", on_delete=models.PROTECT, related_name="courses")
    period = models.ForeignKey("academics.AcademicPeriod", on_delete=models.PROTECT, related_name="courses")
    language = models.CharField(_("language of instruction"), max_length=2, default="kk")
    groups = models.ManyToManyField("academics.StudyGroup", blank=True, related_name="courses")
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["period", "discipline"])]

    @property
    def description(self) -> str:
        return localized(self, "description")


class CourseStaff(TimeStampedModel):
    """A teacher or tutor of a course; a tutor may be assigned to some of its groups only (rule 5)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_roles")
    role = models.CharField(_("role"), max_length=10, choices=StaffRole.choices)
    groups = models.ManyToManyField("academics.StudyGroup", blank=True, related_name="+")

    class Meta:
        verbose_name = _("course teacher or tutor")
        verbose_name_plural = _("course teachers and tutors")
        constraints = [models.UniqueConstraint(fields=["course", "user", "role"], name="content_staff_unique")]
        indexes = [models.Index(fields=["user", "role"])]


class Enrolment(TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="enrolments")
    source = models.CharField(_("enrolled"), max_length=20, choices=EnrolmentSource.choices)
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=DeliveryChannel.choices, default=DeliveryChannel.ELECTRONIC
    )
    active = models.BooleanField(_("active"), default=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="content_enrolment_unique")]
        indexes = [models.Index(fields=["student", "active"])]


class Section(TrilingualName, TimeStampedModel):
    """A week or topic of a course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    @property
    def summary(self) -> str:
        return localized(self, "summary")


class ScormPackage(TimeStampedModel):
    """An uploaded, validated and unpacked SCORM package. Its files lie under `root` in private storage."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    version = models.CharField(_("SCORM version"), max_length=10, choices=ScormVersion.choices)
    identifier = models.CharField(_("identifier"), max_length=255)
    title = models.CharField(_("title"), max_length=500)
    launch = models.CharField(_("launch file"), max_length=500)
    manifest = models.JSONField(_("organizations, items and resources"), default=dict)
    root = models.CharField(max_length=300)
    file_count = models.PositiveIntegerField(default=0)
    total_size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return self.title


class Item(TrilingualName, TimeStampedModel):
    """An item of a section. The fields hold the teacher's draft; students see `live_version`, the snapshot
    taken when it was last published (None: never published)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    activity = models.CharField(_("type of work"), max_length=20, choices=Activity.choices)
    completion = models.CharField(
        _("completed"), max_length=10, choices=CompletionRule.choices, default=CompletionRule.VIEW
    )
    minutes = models.PositiveIntegerField(_("expected time, minutes"), default=0)
    body = models.TextField(_("text"), blank=True)  # sanitized HTML (nh3) of a page; a description otherwise
    url = models.URLField(_("address"), max_length=1000, blank=True)
    asset = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transcript = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scorm_package = models.ForeignKey(ScormPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    prerequisite = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
        verbose_name=_("opens after completing"),
    )
    live_version = models.ForeignKey("ItemVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    draft_changed = models.BooleanField(_("unpublished changes"), default=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["course", "section", "position"])]


class ItemTrack(TimeStampedModel):
    """A WebVTT track of a video or audio item (captions are required before a video is published)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tracks")
    language = models.CharField(_("language"), max_length=2)
    kind = models.CharField(_("kind"), max_length=20, choices=TrackKind.choices, default=TrackKind.CAPTIONS)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")
        constraints = [models.UniqueConstraint(fields=["item", "language", "kind"], name="content_track_unique")]


class ItemVersion(models.Model):
    """What was published: a frozen copy of the item's content (`data`: names, body, url, asset ids, tracks)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(default=dict)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="content_item_version_unique")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class ItemProgress(models.Model):
    """One student's progress on one item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="progress")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        _("status"), max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    viewed_at = models.DateTimeField(_("first viewed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "item"], name="content_progress_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.item_id}: {self.status}"


class ScormRuntime(models.Model):
    """The CMI data of one learner in one SCORM item, kept server-side so that it survives reloads."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scorm_runtimes")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="scorm_runtimes")
    cmi = models.JSONField(default=dict)
    completion_status = models.CharField(max_length=30, blank=True)  # 1.2 lesson_status or 2004 completion_status
    success_status = models.CharField(max_length=30, blank=True)
    score_raw = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    score_min = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    score_max = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    session_time = models.CharField(max_length=40, blank=True)
    total_seconds = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    sequence = models.PositiveBigIntegerField(default=0)  # the last commit applied: a replay changes nothing
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "item"], name="content_scorm_runtime_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.item_id}: {self.completion_status}"


# --- Didactic resources and e-UMK (rules 14, 17) ---------------------------------------------------


class DidacticResource(TrilingualName, TimeStampedModel):
    """An entry of the didactic-means service's catalogue. `name_*` is its title."""

    kind = models.CharField(_("kind"), max_length=30, choices=ResourceKind.choices)
    origin = models.CharField(_("origin"), max_length=20, choices=ResourceOrigin.choices)
    media = models.CharField(_("media"), max_length=20, choices=ResourceMedia.choices)
    status = models.CharField(_("status"), max_length=20, choices=ResourceStatus.choices)
    disciplines = models.ManyToManyField("academics.Discipline", blank=True, related_name="resources")
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    asset = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("didactic resource")
        verbose_name_plural = _("didactic resources")


class EumkComponentType(TrilingualName, models.Model):
    """A component an e-UMK must (or may) hold: syllabus, lectures, practical tasks… (configurable)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    required = models.BooleanField(_("required"), default=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("e-UMK component")
        verbose_name_plural = _("e-UMK components")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Eumk(TimeStampedModel):
    """The e-learning methodical complex of a discipline for one academic year (one version per year)."""

    discipline = models.ForeignKey("academics.Discipline", on_delete=models.PROTECT, related_name="eumks")
    year = models.ForeignKey("academics.AcademicYear", on_delete=models.PROTECT, related_name="eumks")
    status = models.CharField(_("status"), max_length=20, choices=EumkStatus.choices, default=EumkStatus.INCOMPLETE)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("e-learning methodical complex")
        verbose_name_plural = _("e-learning methodical complexes")
        constraints = [models.UniqueConstraint(fields=["discipline", "year"], name="content_eumk_unique")]
        indexes = [models.Index(fields=["year", "status"])]


class EumkLink(TimeStampedModel):
    """A component of an e-UMK filled by a course item or a catalogue resource."""

    eumk = models.ForeignKey(Eumk, on_delete=models.CASCADE, related_name="links")
    component = models.ForeignKey(EumkComponentType, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="eumk_links")
    resource = models.ForeignKey(
        DidacticResource, null=True, blank=True, on_delete=models.CASCADE, related_name="eumk_links"
    )

    class Meta:
        verbose_name = _("e-UMK material")
        verbose_name_plural = _("e-UMK materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(resource__isnull=True))
                | (Q(item__isnull=True) & Q(resource__isnull=False)),
                name="content_eumk_link_one_target",
            )
        ]


class EumkReview(models.Model):
    """The review trail of an e-UMK: submissions, comments, returns and the approval."""

    eumk = models.ForeignKey(Eumk, on_delete=models.CASCADE, related_name="reviews")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=EumkReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.eumk_id}: {self.action}"


# --- Case technology and TV (rules 2, 8.2) ---------------------------------------------------------


class CasePackage(TimeStampedModel):
    """A built case package of a course: a ZIP with a printable PDF, the files and an offline HTML copy."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="case_packages")
    status = models.CharField(
        _("status"), max_length=20, choices=CasePackageStatus.choices, default=CasePackageStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    asset = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case package")
        verbose_name_plural = _("case packages")

    @property
    def percent(self) -> int:
        return 100 if self.status == CasePackageStatus.READY else (100 * self.done // self.total if self.total else 0)


class Dispatch(TimeStampedModel):
    """A case package (or paper materials) sent to one student, and its receipt."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="dispatches")
    package = models.ForeignKey(CasePackage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, choices=DispatchChannel.choices)
    dispatched_on = models.DateField(_("dispatched on"))
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")


class Broadcast(TrilingualName, TimeStampedModel):
    """A TV broadcast of a course (TV technology). `name_*` is its topic."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="broadcasts")
    channel = models.CharField(_("TV channel"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=45)
    recording_url = models.URLField(_("recording"), max_length=1000, blank=True)
    recording_item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("TV broadcast")
        verbose_name_plural = _("TV broadcasts")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]
