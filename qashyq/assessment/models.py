"""Question banks, tests and attempts (rules 7, 17, 27, 28; R24, R31, R46, R47).

A question's content lives in immutable `QuestionVersion` rows: editing a question that an attempt has
shown makes a new version, and an attempt keeps the version it showed (`AttemptQuestion.version`).
Type-specific content is in `QuestionVersion.data` (shapes in `rules/questions.py`); answers are in
`AttemptQuestion.answer` (shapes in the same module).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.assessment.data import (
    AttemptEventKind,
    AttemptStatus,
    Difficulty,
    FinishedBy,
    GradingMethod,
    IdentityCheck,
    QuestionLanguage,
    QuestionType,
    ReviewWhen,
)
from qashyq.core.models import TimeStampedModel


class Bank(TimeStampedModel):
    """A question bank of a discipline, kept by its teachers and the didactic-means service."""

    discipline = models.ForeignKey("academics.Discipline", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["discipline", "name"])]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A topic of a bank. `path` is the whole path with "/" between levels, as in GIFT's `$CATEGORY:`."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="categories")
    path = models.CharField(_("topic"), max_length=500)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["path", "pk"]
        constraints = [models.UniqueConstraint(fields=["bank", "path"], name="assessment_category_unique")]

    def __str__(self) -> str:
        return self.path


class Question(TimeStampedModel):
    """A question of a bank; what it says is its `current` version. `fingerprint` (a hash of the type and
    the normalized stem) finds duplicates on import."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="questions")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.SIMPLE
    )
    language = models.CharField(_("language"), max_length=2, choices=QuestionLanguage.choices, default="kk")
    current = models.ForeignKey("QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fingerprint = models.CharField(max_length=64, db_index=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["pk"]
        indexes = [models.Index(fields=["bank", "category", "difficulty", "archived"])]

    def __str__(self) -> str:
        return f"{self.bank_id}/{self.pk}"


class QuestionVersion(models.Model):
    """What a question said at one time. Never changed once an attempt has shown it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("name"), max_length=300, blank=True)
    stem = models.TextField(_("question text"))  # sanitized HTML; formulas as \( … \) for MathJax
    data = models.JSONField(default=dict)  # type-specific: options, answers, pairs, gaps, rubric
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=1)
    feedback = models.TextField(_("general feedback"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        ordering = ["question_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="assessment_version_unique")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class Image(models.Model):
    """An image of a bank's questions (stems refer to it by its id), a private file behind an access check."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="images")
    file_id = models.CharField(max_length=64)  # content.api.file_store
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.name


class Test(TimeStampedModel):
    """The settings of a test: a course item of kind "test" (content), made when its staff first open it."""

    __test__ = False  # not a test case, whatever pytest thinks of the name

    item = models.OneToOneField("content.Item", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("content.Course", on_delete=models.CASCADE, related_name="+")
    instructions = models.TextField(_("instructions"), blank=True)
    time_limit_minutes = models.PositiveIntegerField(_("time limit, minutes"), default=0)  # 0: none
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    grace_seconds = models.PositiveIntegerField(_("grace period, seconds"), default=60)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)  # 0: unlimited
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle answer options"), default=True)
    access_code = models.CharField(_("access code"), max_length=50, blank=True)
    allowed_networks = models.TextField(_("allowed IP ranges"), blank=True)  # one address or CIDR a line
    identity_check = models.CharField(
        _("identity check at the start"), max_length=20, choices=IdentityCheck.choices, default=IdentityCheck.NONE
    )
    review_when = models.CharField(
        _("review is open"), max_length=20, choices=ReviewWhen.choices, default=ReviewWhen.AFTER_SUBMIT
    )
    review_score = models.BooleanField(_("students see their score"), default=True)
    review_responses = models.BooleanField(_("students see their answers"), default=True)
    review_correct = models.BooleanField(_("students see the right answers"), default=False)
    review_feedback = models.BooleanField(_("students see the feedback"), default=True)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark, %"), default=50)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return f"test {self.pk} (item {self.item_id})"


class BlueprintRule(models.Model):
    """Draw `count` questions of a bank (of these topics, none: any; of this difficulty, None: any)."""

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField(default=0)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices, null=True, blank=True)
    count = models.PositiveIntegerField(_("questions"))
    points = models.DecimalField(
        _("points each"), max_digits=6, decimal_places=2, null=True, blank=True
    )  # None: each question's own

    class Meta:
        verbose_name = _("blueprint rule")
        verbose_name_plural = _("blueprint rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.count} × bank {self.bank_id}"


class Accommodation(TimeStampedModel):
    """Arrangements for one student in one test (a student with a disability, a student abroad)."""

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="accommodations")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    extra_time_percent = models.PositiveSmallIntegerField(_("extra time, %"), default=0)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [models.UniqueConstraint(fields=["test", "student"], name="assessment_accommodation_unique")]


class Attempt(TimeStampedModel):
    """One student's attempt. The server owns the clock: `deadline` is fixed at the start (time limit and
    extra time, never past the closing time); saves are refused after `deadline` plus the test's grace
    period, `hard_deadline` (None: no limit)."""

    test = models.ForeignKey(Test, on_delete=models.PROTECT, related_name="attempts")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolment_id = models.PositiveIntegerField(null=True, blank=True)  # content's enrolment at the start
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    hard_deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    finished_by = models.CharField(_("finished by"), max_length=10, choices=FinishedBy.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(_("out of"), max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(_("score, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    identity_file_id = models.CharField(max_length=64, blank=True)  # content.api.file_store
    seed = models.BigIntegerField(default=0)
    # When the graded result was last passed on to the course (item progress, gradebook); None while it waits.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["test_id", "student_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["test", "student", "number"], name="assessment_attempt_number_unique"),
            models.UniqueConstraint(
                fields=["test", "student"],
                condition=Q(status="in_progress"),
                name="assessment_one_active_attempt",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "hard_deadline"]),
            models.Index(fields=["user", "status"]),
            models.Index(
                fields=["finished_at"],
                condition=Q(status="graded", published_at__isnull=True),
                name="assessment_attempt_unpublished",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk}"


class AttemptQuestion(models.Model):
    """A question as one attempt shows it: the version, the order of its options, the answer as last saved
    (`seq` is the browser's sequence number of that save) and the score."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()  # 1, 2, ...
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    points = models.DecimalField(max_digits=6, decimal_places=2)  # what it is worth in this attempt
    layout = models.JSONField(default=dict)  # shown order: {"options": [ids]}, {"right": [ids]}, {"items": [ids]}
    answer = models.JSONField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    needs_grading = models.BooleanField(default=False)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    rubric_scores = models.JSONField(default=dict, blank=True)  # {criterion index: points}

    class Meta:
        verbose_name = _("question of an attempt")
        verbose_name_plural = _("questions of attempts")
        ordering = ["attempt_id", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="assessment_slot_unique")]
        indexes = [models.Index(fields=["version"]), models.Index(fields=["needs_grading"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class AttemptEvent(models.Model):
    """What happened during an attempt: start, identity, tab switches, reconnects, refusals, submit, grading."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=AttemptEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("attempt event")
        verbose_name_plural = _("attempt events")
        ordering = ["attempt_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.kind}"


class ImportJob(models.Model):
    """An uploaded question file between the preview and the confirmation (two requests, maybe on two
    workers): the bytes, the format and its options, under a random token. Deleted once imported; old ones
    are removed when the next import starts."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    fmt = models.CharField(max_length=20)
    options = models.JSONField(default=dict, blank=True)
    content = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("question import")
        verbose_name_plural = _("question imports")

    def __str__(self) -> str:
        return f"import {self.filename} → bank {self.bank_id}"
