"""What other apps may use of learning content."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from qashyq.academics import api as academics_api
from qashyq.academics.data import DisciplineData
from qashyq.content import storage
from qashyq.content.data import (
    AssetPurpose,
    BroadcastData,
    CourseData,
    CourseStaffData,
    Coverage,
    EnrolmentData,
    ItemKind,
    ScheduledItemData,
    StoredFileData,
)
from qashyq.content.models import Asset, Course, CourseStaff, Enrolment, Item
from qashyq.content.selectors import broadcasts as broadcast_selectors
from qashyq.content.selectors import eumk as eumk_selectors
from qashyq.content.services import courses as course_services

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


def course_list(*, period_id: int | None = None, discipline_ids: Iterable[int] | None = None) -> list[CourseData]:
    """Courses by code: all, or of an academic period and/or of some disciplines (two queries)."""
    courses = Course.objects.prefetch_related("groups").order_by("code")
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


def file_response(*, request: HttpRequest, file_id: str, download: bool = False) -> HttpResponse:
    """The stored file (the caller has checked access): PDFs and images inline unless `download`."""
    asset = Asset.objects.get(pk=file_id, purpose=AssetPurpose.SUPPORTING_DOCUMENT)
    return storage.asset_response(request=request, asset=asset, download=download)
