"""What other apps may use of learning content."""

from collections.abc import Iterable
from datetime import date, datetime

from qashyq.academics import api as academics_api
from qashyq.academics.data import DisciplineData
from qashyq.content.data import BroadcastData, CourseData, Coverage, EnrolmentData
from qashyq.content.models import Course, Enrolment
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
