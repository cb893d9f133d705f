"""Rows the DLT tests need, written straight to the database (tests may look inside apps).

`dlt_world()` builds a whole institution that may use DLT on 26.11.2026: the 2026–2027 year with two semesters
and an approved calendar (RK1, RK2, exam session, practice), a programme whose curriculum has four disciplines
over two semesters (each with an approved e-UMK and a course of the first or second semester with a teacher and
a tutor), a correspondence group, one studying student with an account, and one user of each service role.
`make_application(...)` writes an application in any state with a supporting document."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile

from qashyq.academics.data import EventKind, FinalControl, Level
from qashyq.academics.models import AcademicCalendar, AcademicPeriod, CalendarEvent, Discipline, Programme, StudyGroup
from qashyq.academics.tests.factories import (
    AcademicPeriodFactory,
    AcademicYearFactory,
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
)
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import AssetPurpose, EumkStatus, StaffRole
from qashyq.content.models import Asset, Course, Eumk
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType
from qashyq.dlt.models import Application, SupportingDocument
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.tests.order_helpers import make_institution
from qashyq.records.tests.student_helpers import make_group, make_student

TODAY = date(2026, 11, 26)
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    programme: Programme
    group: StudyGroup
    student: Student
    student_user: Any
    admin: Any
    head: Any
    teacher: Any
    tutor: Any
    didactics: Any
    it_support: Any
    disciplines: list[Discipline]
    courses: list[Course]
    semesters: list[AcademicPeriod]
    calendar: AcademicCalendar


def permit_dlt() -> None:
    """The institution profile with an education licence and the authorized body's DLT permission."""
    institution = make_institution()
    institution.dlt_permission_number = "KZ-DLT-0001"
    institution.dlt_permission_date = date(2021, 6, 1)
    institution.save()


def dlt_world(*, eumk_missing: int = 0, shortened: bool = False, form_of_study: str = "correspondence") -> World:
    """See the module's docstring; the last `eumk_missing` disciplines have no approved e-UMK."""
    permit_dlt()
    year = AcademicYearFactory.create(title="2026–2027", start_date=date(2026, 9, 1), end_date=date(2027, 8, 31))
    first = AcademicPeriodFactory.create(year=year, number=1, start_date=date(2026, 9, 1), end_date=date(2026, 12, 31))
    second = AcademicPeriodFactory.create(year=year, number=2, start_date=date(2027, 1, 15), end_date=date(2027, 5, 31))
    calendar = AcademicCalendar.objects.create(
        year=year, level=Level.BACHELOR, approved_on=date(2026, 8, 28), protocol_number="1"
    )
    for period, kind, start, end in (
        (first, EventKind.MIDTERM_1, date(2026, 10, 19), date(2026, 10, 24)),
        (first, EventKind.MIDTERM_2, date(2026, 12, 7), date(2026, 12, 12)),
        (first, EventKind.ATTESTATION, date(2026, 12, 14), date(2026, 12, 26)),
        (second, EventKind.MIDTERM_1, date(2027, 3, 8), date(2027, 3, 13)),
        (second, EventKind.MIDTERM_2, date(2027, 4, 26), date(2027, 5, 1)),
        (second, EventKind.ATTESTATION, date(2027, 5, 3), date(2027, 5, 15)),
        (second, EventKind.PRACTICE, date(2027, 6, 1), date(2027, 6, 28)),
    ):
        CalendarEvent.objects.create(calendar=calendar, period=period, kind=kind, start_date=start, end_date=end)
    programme = ProgrammeFactory.create(
        code="6B06101",
        shortened=shortened,
        shortened_basis="tvet" if shortened else "",
        forms_offered=["full_time", "correspondence"],
        periods=2,
    )
    group = make_group("ИС-25-1", programme, form_of_study=form_of_study, admission_year=2025)
    users = {
        role: UserFactory.create(roles=[role]) for role in ("administration", "head", "teacher", "tutor", "didactics")
    }
    users["it_support"] = UserFactory.create(roles=["it_support"])
    names = (
        ("INF101", "Информатика", "Informatics"),
        ("MAT102", "Математика", "Mathematics"),
        ("DB201", "Деректер қоры", "Databases"),
        ("WEB202", "Веб-бағдарламалау", "Web programming"),
    )
    disciplines, courses = [], []
    for index, (code, kk, en) in enumerate(names):
        semester = first if index < 2 else second
        discipline = DisciplineFactory.create(code=code, name_kk=kk, name_ru=kk, name_en=en, credits=5)
        CurriculumEntryFactory.create(
            programme=programme,
            discipline=discipline,
            period_number=semester.number,
            final_control=FinalControl.EXAM,
        )
        if index < 4 - eumk_missing:
            Eumk.objects.create(
                discipline=discipline,
                year=year,
                status=EumkStatus.APPROVED,
                approved_on=date(2026, 8, 30),
                approved_by=users["didactics"],
                created_by=users["didactics"],
            )
        course = CourseFactory.create(discipline=discipline, period=semester, code=f"{code}-26", name_en=en)
        course.groups.add(group)
        add_staff(course, users["teacher"], StaffRole.TEACHER)
        add_staff(course, users["tutor"], StaffRole.TUTOR)
        disciplines.append(discipline)
        courses.append(course)
    student_user = UserFactory.create(roles=["student"])
    student = make_student(programme, group=group, status=StudentStatus.ACTIVE, user=student_user, course_year=1)
    return World(
        programme=programme,
        group=group,
        student=student,
        student_user=student_user,
        admin=users["administration"],
        head=users["head"],
        teacher=users["teacher"],
        tutor=users["tutor"],
        didactics=users["didactics"],
        it_support=users["it_support"],
        disciplines=disciplines,
        courses=courses,
        semesters=[first, second],
        calendar=calendar,
    )


def stored_pdf(*, name: str = "certificate.pdf", by: Any = None) -> Asset:
    asset = Asset(
        purpose=AssetPurpose.SUPPORTING_DOCUMENT,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=by,
    )
    asset.file.save(name, ContentFile(PDF_BYTES), save=False)
    asset.save()
    return asset


def make_application(
    student: Student,
    *,
    status: str = ApplicationStatus.SUBMITTED,
    category: str = Category.MILITARY,
    document_type: str = DocumentType.MILITARY,
    with_document: bool = True,
    **fields: Any,
) -> Application:
    """An application in `status` (with `submitted_at` set past the draft), asking for network technology from
    the next month for a year, with one supporting document unless `with_document` is False."""
    values: dict[str, Any] = {
        "category": category,
        "justification": "Әскери қызметке шақырылдым; оқуды қашықтан жалғастырғым келеді.",
        "dlt_types": [DltType.NETWORK],
        "starts_on": TODAY + timedelta(days=5),
        "ends_on": TODAY + timedelta(days=370),
        "status": status,
    }
    if status != ApplicationStatus.DRAFT:
        from django.utils import timezone

        values["submitted_at"] = timezone.now()
    if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.IN_ORDER, ApplicationStatus.ENROLLED):
        values.setdefault("granted_type", DltType.NETWORK)
    values.update(fields)
    application = Application.objects.create(student=student, **values)
    if with_document:
        SupportingDocument.objects.create(
            application=application,
            doc_type=document_type,
            file=stored_pdf(by=student.user),
            issued_on=TODAY - timedelta(days=10),
            uploaded_by=student.user or UserFactory.create(),
        )
    return application
