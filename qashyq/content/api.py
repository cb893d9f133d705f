"""What other apps may use of learning content."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse

from qashyq.academics import api as academics_api
from qashyq.academics.data import DisciplineData
from qashyq.accounts.api import acting_roles
from qashyq.content import rules as content_rules
from qashyq.content import scorm, storage
from qashyq.content.data import (
    AssetPurpose,
    BroadcastData,
    CourseData,
    CourseEnrolmentData,
    CourseStaffData,
    Coverage,
    EnrolmentData,
    ItemAccessData,
    ItemKind,
    ProgressStatus,
    ScheduledItemData,
    StaffRole,
    StoredFileData,
)
from qashyq.content.models import Asset, Course, CourseStaff, Enrolment, Item, ScormRuntime
from qashyq.content.permissions import catalogue as catalogue_permissions
from qashyq.content.permissions import courses as course_permissions
from qashyq.content.permissions import items as item_permissions
from qashyq.content.selectors import broadcasts as broadcast_selectors
from qashyq.content.selectors import eumk as eumk_selectors
from qashyq.content.services import courses as course_services
from qashyq.content.services import progress as progress_services

# --- courses and enrolment (rules 7, 22; the DLT issue enrols from individual study plans) ---


def _course_data(course: Course) -> CourseData:
    return CourseData(
        id=course.pk,
        discipline_id=course.discipline_id,
        period_id=course.period_id,
        code=course.code,
        title=course.name,
        group_ids=tuple(sorted(g.pk for g in course.groups.all())),
    )


def _enrolment_data(enrolment: Enrolment) -> EnrolmentData:
    return EnrolmentData(
        id=enrolment.pk,
        course_id=enrolment.course_id,
        student_id=enrolment.student_id,
        source=enrolment.source,
        delivery=enrolment.delivery,
        active=enrolment.active,
    )


def enrol(
    *, actor: object, course_id: int, student_id: int, source: str, delivery: str = "electronic"
) -> EnrolmentData:
    """Enrol a studying student in a course (source: "group", "individual_plan" or "manual"). Idempotent: an
    active enrolment is returned as it is, an ended one is made active again. `actor` is an administration
    account or None (the system). ValidationError by field: unknown course or student, a student who is not
    studying, an unknown source or delivery channel. Audit `content.enrolled`."""
    return _enrolment_data(
        course_services.enrol(actor=actor, course_id=course_id, student_id=student_id, source=source, delivery=delivery)
    )


def enrolment_end(*, actor: object, course_id: int, student_id: int, reason: str = "") -> EnrolmentData | None:
    """End a student's active enrolment in a course (None when there is none). Audit `content.enrolment_ended`."""
    enrolment = Enrolment.objects.filter(course_id=course_id, student_id=student_id, active=True).first()
    if enrolment is None:
        return None
    return _enrolment_data(course_services.enrolment_end(actor=actor, enrolment=enrolment, reason=reason))


def course_get(*, course_id: int) -> CourseData | None:
    course = Course.objects.prefetch_related("groups").filter(pk=course_id).first()
    return _course_data(course) if course is not None else None


def course_list(
    *, period_id: int | None = None, discipline_ids: Iterable[int] | None = None, ids: Iterable[int] | None = None
) -> list[CourseData]:
    """Courses by code: all, or of an academic period and/or of some disciplines and/or with these ids (two
    queries)."""
    courses = Course.objects.prefetch_related("groups").order_by("code")
    if ids is not None:
        courses = courses.filter(pk__in=sorted(set(ids)))
    if period_id is not None:
        courses = courses.filter(period_id=period_id)
    if discipline_ids is not None:
        courses = courses.filter(discipline_id__in=sorted(set(discipline_ids)))
    return [_course_data(c) for c in courses]


def courses_for_discipline(*, discipline_id: int, period_id: int | None = None) -> list[CourseData]:
    """The courses of one discipline (in one academic period, if given), by code (two queries)."""
    return course_list(period_id=period_id, discipline_ids=[discipline_id])


def courses_of_student(*, student_id: int) -> list[CourseData]:
    """The courses of a student's active enrolments, by code (two queries)."""
    courses = (
        Course.objects.filter(enrolments__student_id=student_id, enrolments__active=True)
        .prefetch_related("groups")
        .order_by("code")
    )
    return [_course_data(c) for c in courses]


def enrolments_of_student(*, student_id: int, active_only: bool = True) -> list[EnrolmentData]:
    """A student's enrolments (active ones only, unless asked), by course (one query)."""
    enrolments = Enrolment.objects.filter(student_id=student_id).order_by("course_id")
    if active_only:
        enrolments = enrolments.filter(active=True)
    return [_enrolment_data(e) for e in enrolments]


def course_enrolments(*, course_id: int, group_ids: Iterable[int] | None = None) -> list[CourseEnrolmentData]:
    """The course's active enrolments with their students (of these groups only, when given), in the Kazakh
    alphabetical order of their names (one query)."""
    enrolments = Enrolment.objects.filter(course_id=course_id, active=True).select_related("student")
    if group_ids is not None:
        enrolments = enrolments.filter(student__group_id__in=list(group_ids))
    ordered = sorted(enrolments.order_by("student_id"), key=lambda e: e.student.name_key)
    return [
        CourseEnrolmentData(
            enrolment_id=e.pk,
            student_id=e.student_id,
            user_id=e.student.user_id or 0,
            group_id=e.student.group_id,
            full_name=e.student.full_name,
        )
        for e in ordered
    ]


def course_students(*, course_ids: Iterable[int]) -> dict[int, list[int]]:
    """The students of these courses' active enrolments, {course id: student ids in ascending order}; a course
    without any is absent (one query, ids only: what the gradebook's recalculation reads)."""
    rows = Enrolment.objects.filter(course_id__in=sorted(set(course_ids)), active=True).order_by(
        "course_id", "student_id"
    )
    found: dict[int, list[int]] = {}
    for course_id, student_id in rows.values_list("course_id", "student_id"):
        found.setdefault(course_id, []).append(student_id)
    return found


# --- items owned by an app above content (assessment owns tests) ---

_ITEM_LINKS: dict[str, Callable[[int], str]] = {}


def register_item_link(*, kind: str, url: Callable[[int], str]) -> None:
    """An app above content owns the items of `kind`: their page sends staff and students to `url(item_id)`
    (assessment registers tests from its AppConfig.ready)."""
    _ITEM_LINKS[kind] = url


def item_link(*, kind: str, item_id: int) -> str:
    """The owning app's page of an item of `kind`, or "" when no app owns the kind."""
    url = _ITEM_LINKS.get(kind)
    return url(item_id) if url is not None else ""


def item_access(*, user: Any, item_id: int) -> ItemAccessData:
    """What `user` may do with the item; Http404 when they may not open it (an unpublished item is open to
    those who see drafts only). Four queries for a teacher, a tutor or a student: their roles (unless
    read already), the item, its course, and their staff rows or enrolment."""
    item = item_permissions.access_item(user=user, item_id=item_id)
    course = item.course
    roles = acting_roles(user)
    staff = course_permissions.staff_of(user=user, course=course)
    enrolment = course_permissions.enrolment_for(user=user, course=course)
    tutor_groups: frozenset[int] | None
    if StaffRole.TEACHER.value in staff or roles & course_permissions.SEE_ALL_PROGRESS:
        tutor_groups = None
    elif StaffRole.TUTOR.value in staff:
        tutor_groups = staff[StaffRole.TUTOR.value] or None
    else:
        tutor_groups = frozenset()
    return ItemAccessData(
        item_id=item.pk,
        course_id=course.pk,
        discipline_id=course.discipline_id,
        period_id=course.period_id,
        kind=item.kind,
        published=item.live_version_id is not None,
        name=item.name,
        can_edit=course_permissions.can_edit_course(user=user, course=course),
        is_staff=bool(staff),
        sees_drafts=course_permissions.can_see_drafts(user=user, course=course),
        sees_results=course_permissions.can_see_progress(user=user, course=course),
        tutor_group_ids=tutor_groups,
        enrolment_id=enrolment.pk if enrolment is not None else None,
        student_id=enrolment.student_id if enrolment is not None else None,
    )


def staff_item_access(*, user: Any, item_id: int, kind: str, refusal: str, wrong_kind: str) -> ItemAccessData:
    """`item_access` for the course's staff setting up what an app above content keeps for an item of `kind`
    (a test, an assignment): PermissionDenied(`refusal`) for anyone else, also when they may not open the
    item; ValidationError {"item": `wrong_kind`} for an item of another kind."""
    try:
        access = item_access(user=user, item_id=item_id)
    except Http404:
        raise PermissionDenied(refusal) from None
    if access.kind != kind:
        raise ValidationError({"item": wrong_kind})
    if not access.is_staff:
        raise PermissionDenied(refusal)
    return access


def item_progress_record(*, item_id: int, enrolment_id: int, score: Decimal | None, completed: bool) -> None:
    """Record a student's result on an item owned by an app above content (a finished test): viewed, or
    completed with its score (a percentage). An ended enrolment records nothing."""
    enrolment = Enrolment.objects.filter(pk=enrolment_id, active=True).first()
    item = Item.objects.filter(pk=item_id).first()
    if enrolment is None or item is None:
        return
    status = ProgressStatus.COMPLETED if completed else ProgressStatus.VIEWED
    progress_services.progress_record(enrolment=enrolment, item=item, status=status, score=score)


def scorm_scores(*, item_ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """{item id: {student id: score percentage}} of the SCORM items among these, for every learner whose
    package reported a score (one query; the gradebook reads them when it recalculates)."""
    rows = ScormRuntime.objects.filter(item_id__in=sorted(set(item_ids)), item__kind=ItemKind.SCORM).values_list(
        "item_id", "enrolment__student_id", "score_raw", "score_min", "score_max", "score_scaled"
    )
    found: dict[int, dict[int, Decimal]] = {}
    for item_id, student_id, raw, low, high, scaled in rows.order_by("item_id", "enrolment_id"):
        score = scorm.score_percent(raw=raw, minimum=low, maximum=high, scaled=scaled)
        if score is not None:
            found.setdefault(item_id, {})[student_id] = score
    return found


def staffed_disciplines(*, user: Any, teachers_only: bool = False) -> frozenset[int]:
    """The disciplines of the courses `user` teaches (or tutors, unless `teachers_only`)."""
    return catalogue_permissions.staffed_discipline_ids(user=user, teachers_only=teachers_only)


# --- didactic catalogue and e-UMK (rule 14, R41–R42) ---


def _year_or_current(year_id: int | None) -> int | None:
    if year_id is not None:
        return year_id
    year = eumk_selectors.year_today()
    return year.id if year is not None else None


def eumk_coverage(*, programme_id: int, year_id: int | None = None) -> Coverage:
    """Every discipline of the programme's curriculum (by period) and whether it holds an approved e-UMK for
    the academic year (None: the current one). With no academic year at all nothing is approved (year_id 0).
    Two queries, plus up to three to find the current year."""
    return eumk_selectors.coverage(programme_id=programme_id, year_id=_year_or_current(year_id))


def eumk_missing(*, discipline_ids: Iterable[int], year_id: int | None = None) -> list[DisciplineData]:
    """The disciplines among these that lack an approved e-UMK for the academic year (None: the current one),
    by code. Two queries, plus up to three to find the current year."""
    ids = sorted(set(discipline_ids))
    if not ids:
        return []
    year_id = _year_or_current(year_id)
    approved = eumk_selectors.approved_discipline_ids(discipline_ids=ids, year_id=year_id) if year_id else set()
    missing = [i for i in ids if i not in approved]
    return academics_api.discipline_list(ids=missing) if missing else []


# --- TV broadcasts (rule 2: TV technology) ---


def broadcasts_for(*, student_id: int, start: date | datetime, end: date | datetime) -> list[BroadcastData]:
    """The TV broadcasts of the courses of a student's active enrolments that start in [start, end) (a date
    counts from its midnight in Asia/Almaty), in time order; `recording_url` is the recording's address or
    the page of its published item ("" while none). One query."""
    return broadcast_selectors.broadcasts_for_student(student_id=student_id, start=start, end=end)


def broadcasts_of_courses(
    *, course_ids: Iterable[int], start: date | datetime, end: date | datetime
) -> list[BroadcastData]:
    """The TV broadcasts of these courses that start in [start, end), in time order (one query): what an
    individual schedule lists before the student is enrolled."""
    return broadcast_selectors.broadcasts_of_courses(course_ids=sorted(set(course_ids)), start=start, end=end)


# --- staff and dated items of courses (the individual schedule of the DLT issue) ---


def course_staff(*, course_ids: Iterable[int]) -> list[CourseStaffData]:
    """The teachers and tutors of these courses, by course and then as added (two queries)."""
    staff = CourseStaff.objects.filter(course_id__in=sorted(set(course_ids))).prefetch_related("groups")
    return [
        CourseStaffData(
            course_id=s.course_id,
            user_id=s.user_id,
            role=s.role,
            group_ids=tuple(sorted(g.pk for g in s.groups.all())),
        )
        for s in staff.order_by("course_id", "pk")
    ]


SCHEDULED_KINDS = (ItemKind.TEST, ItemKind.ASSIGNMENT, ItemKind.CONSULTATION)


def scheduled_items(*, course_ids: Iterable[int]) -> list[ScheduledItemData]:
    """The published tests, assignments and consultations of these courses with their published dates, by
    course and position (one query)."""
    items = (
        Item.objects.filter(course_id__in=sorted(set(course_ids)), kind__in=SCHEDULED_KINDS, live_version__isnull=False)
        .select_related("course", "live_version")
        .order_by("course_id", "section__position", "position", "pk")
    )
    return [
        ScheduledItemData(
            item_id=i.pk,
            course_id=i.course_id,
            discipline_id=i.course.discipline_id,
            kind=i.kind,
            name_kk=str(i.live_version.data.get("name_kk", "")),
            name_ru=str(i.live_version.data.get("name_ru", "")),
            name_en=str(i.live_version.data.get("name_en", "")),
            available_from=str(i.live_version.data.get("available_from") or ""),
            available_until=str(i.live_version.data.get("available_until") or ""),
            opens_at=content_rules.parse_moment(i.live_version.data.get("available_from")),
            closes_at=content_rules.parse_moment(i.live_version.data.get("available_until")),
        )
        for i in items
        if i.live_version is not None
    ]


# --- private files for apps above content (supporting documents of DLT applications) ---


SUPPORTING_TYPES = storage.DOCUMENT_TYPES | storage.IMAGE_TYPES


def file_store(*, upload: Any, actor: object, field: str = "file") -> StoredFileData:
    """Check an uploaded supporting document (PDF, image or office document, by its bytes) and store it
    privately. ValidationError({field: message naming the file}) stores nothing."""
    asset = storage.store_upload(
        upload=upload, purpose=AssetPurpose.SUPPORTING_DOCUMENT, actor=actor, allowed=SUPPORTING_TYPES, field=field
    )
    return StoredFileData(
        id=str(asset.pk),
        name=asset.original_name,
        content_type=asset.content_type,
        size=asset.size,
        sha256=asset.sha256,
    )


def file_delete(*, file_id: str) -> None:
    """Remove a stored supporting document that nothing refers to any more: its row now, its bytes once the
    transaction commits."""
    asset = Asset.objects.filter(pk=file_id, purpose=AssetPurpose.SUPPORTING_DOCUMENT).first()
    if asset is None:
        return
    name, store = str(asset.file.name), asset.file.storage
    asset.delete()
    transaction.on_commit(lambda: store.delete(name))


def file_read(*, file_id: str) -> bytes:
    """The bytes of a stored supporting document (the caller has checked access), e.g. to export it."""
    asset = Asset.objects.get(pk=file_id, purpose=AssetPurpose.SUPPORTING_DOCUMENT)
    with asset.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def file_response(*, request: HttpRequest, file_id: str, download: bool = False) -> HttpResponse:
    """The stored file (the caller has checked access): PDFs and images inline unless `download`."""
    asset = Asset.objects.get(pk=file_id, purpose=AssetPurpose.SUPPORTING_DOCUMENT)
    return storage.asset_response(request=request, asset=asset, download=download)
