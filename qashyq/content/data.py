"""Enums of learning content and the frozen data other apps receive (never the models)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    TUTOR = "tutor", _("Tutor")


class EnrolmentSource(models.TextChoices):
    GROUP = "group", _("From the study group")
    INDIVIDUAL_PLAN = "individual_plan", _("From the individual study plan")
    MANUAL = "manual", _("Added by hand")


class DeliveryChannel(models.TextChoices):
    """How a student receives the course (rule 2, 8.2)."""

    ELECTRONIC = "electronic", _("Electronically")
    PAPER = "paper", _("On paper (case)")


class ItemKind(models.TextChoices):
    PAGE = "page", _("Page")
    FILE = "file", _("File")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    LINK = "link", _("External link")
    SCORM = "scorm", _("SCORM package")
    # Placeholders that later capabilities fill (testing complex, assignments, consultations).
    TEST = "test", _("Test")
    ASSIGNMENT = "assignment", _("Assignment")
    CONSULTATION = "consultation", _("Consultation")


class Activity(models.TextChoices):
    """Rule 22: every item is either pedagogical interaction or independent work."""

    INTERACTION = "interaction", _("Pedagogical interaction")
    INDEPENDENT = "independent", _("Independent work")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CompletionRule(models.TextChoices):
    """When an item counts as completed for a student."""

    VIEW = "view", _("When viewed")
    MANUAL = "manual", _("When the student marks it done")
    SCORM = "scorm", _("When the package reports completion")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    VIEWED = "viewed", _("Viewed")
    COMPLETED = "completed", _("Completed")


class TrackKind(models.TextChoices):
    CAPTIONS = "captions", _("Captions")
    SUBTITLES = "subtitles", _("Subtitles")
    DESCRIPTIONS = "descriptions", _("Audio descriptions")


class AssetPurpose(models.TextChoices):
    FILE = "file", _("File")
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    CAPTIONS = "captions", _("Captions (WebVTT)")
    TRANSCRIPT = "transcript", _("Transcript")
    SCORM = "scorm", _("SCORM package")
    RESOURCE = "resource", _("Didactic resource")
    CASE_PACKAGE = "case_package", _("Case package")
    SUPPORTING_DOCUMENT = "supporting_doc", _("Supporting document")


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004 = "2004", _("SCORM 2004")


# --- Didactic resources and e-UMK (rules 14, 17) ---------------------------------------------------


class ResourceKind(models.TextChoices):
    E_TEXTBOOK = "e_textbook", _("E-textbook")
    MULTIMEDIA_COURSE = "multimedia_course", _("Multimedia course")
    METHODOLOGICAL_AID = "methodological_aid", _("Methodological aid")
    CONTROL_MATERIALS = "control_materials", _("Control materials")


class ResourceOrigin(models.TextChoices):
    DEVELOPED = "developed", _("Developed by the organization")
    ACQUIRED = "acquired", _("Acquired")


class ResourceMedia(models.TextChoices):
    NETWORK = "network", _("Network")
    CD = "cd", _("CD")
    DVD = "dvd", _("DVD")
    LOCAL = "local", _("Local")


class ResourceStatus(models.TextChoices):
    IN_DEVELOPMENT = "in_development", _("In development")
    IN_USE = "in_use", _("In use")


class EumkStatus(models.TextChoices):
    INCOMPLETE = "incomplete", _("Incomplete")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")


class EumkReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    COMMENTED = "commented", _("Commented")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


# --- Case technology and TV (rules 2, 8.2) ---------------------------------------------------------


class CasePackageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DispatchChannel(models.TextChoices):
    POST = "post", _("Post")
    COURIER = "courier", _("Courier")
    DISC = "disc", _("CD/DVD")
    HAND_OVER = "hand_over", _("Handed over in person")


# --- Data crossing app boundaries ------------------------------------------------------------------


@dataclass(frozen=True)
class CourseData:
    id: int
    discipline_id: int
    period_id: int
    code: str
    title: str
    group_ids: tuple[int, ...]


@dataclass(frozen=True)
class EnrolmentData:
    id: int
    course_id: int
    student_id: int
    source: str
    delivery: str
    active: bool


@dataclass(frozen=True)
class DisciplineCoverage:
    """One discipline of a curriculum and whether it holds an approved e-UMK for the year."""

    discipline_id: int
    discipline_code: str
    discipline_name: str
    period_number: int
    approved: bool
    eumk_id: int | None
    status: str  # EumkStatus, or "" when no e-UMK exists for the year


@dataclass(frozen=True)
class Coverage:
    programme_id: int
    year_id: int
    disciplines: tuple[DisciplineCoverage, ...]

    @property
    def missing(self) -> tuple[DisciplineCoverage, ...]:
        return tuple(d for d in self.disciplines if not d.approved)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class BroadcastData:
    id: int
    course_id: int
    discipline_id: int
    channel: str
    starts_at_iso: str
    duration_minutes: int
    topic: str
    recording_url: str
    on: date


@dataclass(frozen=True)
class CourseStaffData:
    """A teacher or tutor of a course; a tutor may serve some of its groups only (empty: all of them)."""

    course_id: int
    user_id: int
    role: str  # StaffRole
    group_ids: tuple[int, ...]


@dataclass(frozen=True)
class ScheduledItemData:
    """A published test, assignment or consultation of a course with the dates it is open (its deadline is
    `available_until`), as published; the dates are ISO moments in institution time or "", and `opens_at` and
    `closes_at` are the same moments read (None where there is none)."""

    item_id: int
    course_id: int
    discipline_id: int
    kind: str  # ItemKind.TEST / ASSIGNMENT / CONSULTATION
    name_kk: str
    name_ru: str
    name_en: str
    available_from: str
    available_until: str
    opens_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True)
class StoredFileData:
    """A private file stored for an app above content (a supporting document of a DLT application)."""

    id: str
    name: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ItemAccessData:
    """What a user may do with one item of a course, for an app above content that owns the item's kind
    (assessment owns tests). `tutor_group_ids` is None when the user sees every group of the course
    (a teacher on its staff, or the administration service and the head), a set of group ids for a tutor
    limited to some groups, and empty for anyone who sees no student's work."""

    item_id: int
    course_id: int
    discipline_id: int
    period_id: int
    kind: str
    published: bool
    name: str  # the draft name in the active language, for staff pages
    can_edit: bool  # a teacher of the course
    is_staff: bool  # a teacher or tutor of the course
    sees_drafts: bool  # staff, administration, head, didactic-means service
    sees_results: bool  # staff (a tutor: their groups), administration, head
    tutor_group_ids: frozenset[int] | None
    enrolment_id: int | None  # the user's active enrolment, when they are its student
    student_id: int | None


@dataclass(frozen=True)
class CourseEnrolmentData:
    """An active enrolment with what a teacher's list needs about its student."""

    enrolment_id: int
    student_id: int
    user_id: int
    group_id: int | None
    full_name: str
