"""The gradebook: the letter scale and the grading policy (dated versions), the control measures of a course,
grades (the only place a grade lives, R17), reopened entry windows, closed periods, changes waiting for the
head's approval, each course's computed result, and the disciplines a student must study again.

Every write goes through `services`; every grade change is an audit event whose `after` holds the new score,
so `manage.py audit_verify` can prove that no grade was changed behind the application's back."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.core.i18n import TrilingualName, localized
from qashyq.core.models import TimeStampedModel
from qashyq.gradebook.data import (
    ChangeStatus,
    MeasureKind,
    MeasureMode,
    Outcome,
    RatingPart,
    ResultSource,
    Rounding,
)


class GradeScale(TimeStampedModel):
    """One version of the letter point-rating scale (kazakhstan-facts §a), in force from `valid_from`."""

    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("in force from"), unique=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("grade scale")
        verbose_name_plural = _("grade scales")

    def __str__(self) -> str:
        return self.title


class GradeBand(models.Model):
    """One letter of a scale: the points it covers, its digital (GPA) equivalent and traditional grade."""

    scale = models.ForeignKey(GradeScale, on_delete=models.CASCADE, related_name="bands")
    letter = models.CharField(_("letter"), max_length=2)
    min_points = models.PositiveSmallIntegerField(_("from, points"))
    max_points = models.PositiveSmallIntegerField(_("to, points"))
    gpa = models.DecimalField(_("digital equivalent"), max_digits=3, decimal_places=2)
    traditional_kk = models.CharField(_("traditional grade (Kazakh)"), max_length=100)
    traditional_ru = models.CharField(_("traditional grade (Russian)"), max_length=100)
    traditional_en = models.CharField(_("traditional grade (English)"), max_length=100)
    passing = models.BooleanField(_("positive grade"), default=True)

    class Meta:
        ordering = ["scale", "-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "letter"], name="gradebook_band_letter"),
            models.UniqueConstraint(fields=["scale", "min_points"], name="gradebook_band_min"),
            models.CheckConstraint(condition=Q(min_points__lte=models.F("max_points")), name="gradebook_band_range"),
            models.CheckConstraint(condition=Q(max_points__lte=100), name="gradebook_band_max_100"),
        ]

    def __str__(self) -> str:
        return self.letter

    @property
    def traditional(self) -> str:
        return localized(self, "traditional")


class GradingPolicy(TimeStampedModel):
    """The institution's formulas, weights and thresholds (rules 28–30), in force from `valid_from`.

    R1 = current_weight × TK1 + (1 − current_weight) × RK1 (0.5: the plain mean), the same for R2; the
    admission rating is (R1 + R2)/2; final = (1 − exam_weight) × admission + exam_weight × exam."""

    valid_from = models.DateField(_("in force from"), unique=True)
    scale = models.ForeignKey(GradeScale, on_delete=models.PROTECT, related_name="policies")
    current_weight = models.DecimalField(
        _("weight of current control in R1 and R2"), max_digits=3, decimal_places=2, default="0.50"
    )
    exam_weight = models.DecimalField(
        _("weight of the exam in the final grade"), max_digits=3, decimal_places=2, default="0.40"
    )
    admission_threshold = models.DecimalField(
        _("admission rating needed for the exam"), max_digits=5, decimal_places=2, default="50"
    )
    exam_threshold = models.DecimalField(
        _("exam score needed for a positive grade"), max_digits=5, decimal_places=2, default="50"
    )
    rounding = models.CharField(_("rounding"), max_length=20, choices=Rounding.choices, default=Rounding.HALF_UP)
    entry_window_days = models.PositiveSmallIntegerField(_("days a week's column stays open for entry"), default=10)
    retake_window_days = models.PositiveSmallIntegerField(_("days for the free FX retake"), default=14)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("grading policy")
        verbose_name_plural = _("grading policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(current_weight__gte=0, current_weight__lte=1), name="gradebook_policy_cw"
            ),
            models.CheckConstraint(condition=Q(exam_weight__gte=0, exam_weight__lte=1), name="gradebook_policy_ew"),
        ]

    def __str__(self) -> str:
        return str(self.valid_from)


class ControlMeasure(TrilingualName, TimeStampedModel):
    """A control measure a student of the course must complete: its part of the rating, weight within the part,
    due date, mode, and the course item (test, assignment, SCORM package) whose results feed it."""

    course = models.ForeignKey("content.Course", on_delete=models.PROTECT, related_name="control_measures")
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    part = models.CharField(_("part of the rating"), max_length=4, choices=RatingPart.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=MeasureMode.choices, default=MeasureMode.ONLINE)
    week = models.PositiveSmallIntegerField(_("week"), null=True, blank=True)
    weight = models.DecimalField(_("weight within its part"), max_digits=5, decimal_places=2, default="1")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    item = models.ForeignKey(
        "content.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="control_measures"
    )
    required = models.BooleanField(_("required for admission to the exam"), default=True)
    pass_points = models.DecimalField(_("points needed to pass"), max_digits=5, decimal_places=2, default="0")
    late_allowed = models.BooleanField(_("late submissions accepted"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("control measure")
        verbose_name_plural = _("control measures")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="gradebook_measure_weight"),
            models.CheckConstraint(
                condition=Q(pass_points__gte=0, pass_points__lte=100), name="gradebook_measure_pass"
            ),
            models.UniqueConstraint(fields=["course"], condition=Q(part="exam"), name="gradebook_one_exam_per_course"),
        ]


class Grade(models.Model):
    """A student's score on a control measure, 0–100 (attempt 2: the FX retake of the exam). The only place a
    grade lives; `changes` counts the changes after the first entry (each one an audit event with a reason)."""

    measure = models.ForeignKey(ControlMeasure, on_delete=models.PROTECT, related_name="grades")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=20, choices=ResultSource.choices, default=ResultSource.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    changes = models.PositiveIntegerField(_("changes after the first entry"), default=0)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.UniqueConstraint(fields=["measure", "student", "attempt"], name="gradebook_grade_once"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="gradebook_grade_range"),
            models.CheckConstraint(condition=Q(attempt__in=[1, 2]), name="gradebook_grade_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.student_id}/{self.attempt}: {self.score}"


class EntryReopen(models.Model):
    """The administration service reopened a closed entry window of a measure for one student, with a reason."""

    measure = models.ForeignKey(ControlMeasure, on_delete=models.CASCADE, related_name="reopens")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    until = models.DateTimeField(_("open until"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["measure", "student"], name="gradebook_reopen_idx")]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.student_id} → {self.until:%Y-%m-%d}"


class PeriodClosure(models.Model):
    """An academic period whose grades are locked: a change now needs the head's approval."""

    period = models.OneToOneField("academics.AcademicPeriod", on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.period_id)


class GradeChangeRequest(models.Model):
    """A change to a grade of a closed period, waiting for (or decided by) the head."""

    measure = models.ForeignKey(ControlMeasure, on_delete=models.PROTECT, related_name="change_requests")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(default=1)
    score = models.DecimalField(_("new score"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="gradebook_change_range"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.student_id}: {self.score} ({self.status})"


class CourseResult(models.Model):
    """A student's computed standing in a course: the parts, ratings, admission, exam, final grade and letter.
    Derived from the grades by `services.results_recalculate`; never entered by hand."""

    course = models.ForeignKey("content.Course", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    tk1 = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    rk1 = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    tk2 = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    rk2 = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    r1 = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    r2 = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    admission = models.DecimalField(_("admission rating"), max_digits=5, decimal_places=2, null=True)
    admitted = models.BooleanField(_("admitted to the exam"), default=False)
    missing = models.JSONField(_("what is missing for admission"), default=list)
    exam = models.DecimalField(_("exam"), max_digits=5, decimal_places=2, null=True)
    exam_attempt = models.PositiveSmallIntegerField(default=0)
    final = models.DecimalField(_("final score"), max_digits=5, decimal_places=2, null=True)
    letter = models.CharField(_("letter grade"), max_length=2, blank=True)
    gpa = models.DecimalField(_("digital equivalent"), max_digits=3, decimal_places=2, null=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    policy = models.ForeignKey(GradingPolicy, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="gradebook_result_once")]
        indexes = [models.Index(fields=["student"], name="gradebook_result_student_idx")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.student_id}: {self.letter or self.outcome}"


class RepeatDiscipline(models.Model):
    """A discipline graded F: it goes into the student's plan of a later period (re-study and re-admission)."""

    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    discipline = models.ForeignKey("academics.Discipline", on_delete=models.PROTECT, related_name="+")
    failed_course = models.ForeignKey("content.Course", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "failed_course"], name="gradebook_repeat_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id}/{self.discipline_id}"


class TranscriptScope(models.TextChoices):
    """Whose transcripts a batch holds."""

    GROUP = "group", _("A group")
    PROGRAMME = "programme", _("An educational programme")
    LIST = "list", _("Selected students")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TranscriptJob(TimeStampedModel):
    """The transcripts of many students issued in the background into one ZIP, with its progress
    (`done` of `total`); the administration service starts it and downloads the ZIP when it is done."""

    scope = models.CharField(_("whose"), max_length=10, choices=TranscriptScope.choices)
    scope_id = models.PositiveIntegerField(null=True, blank=True)  # the group or the programme
    scope_label = models.CharField(max_length=200, blank=True)  # its code, as it was at the start
    student_ids = models.JSONField(default=list)
    language = models.CharField(_("language"), max_length=2)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="gradebook/transcripts/%Y/", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="gradebook_job_done")]

    def __str__(self) -> str:
        return f"{self.scope} {self.scope_label}: {self.done}/{self.total} ({self.status})"
