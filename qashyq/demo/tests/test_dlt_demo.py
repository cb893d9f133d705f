"""The demo's DLT enrolment (issue 5): applications in every state and category, the refusals of rule 10 with
their reasons, one signed order in force with every attachment, one draft order blocked by a missing e-UMK, all
made through the services (audited), and seeding again changes nothing."""

import subprocess
from collections import Counter

import pytest

from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.content.models import Enrolment as CourseEnrolment
from qashyq.demo import dlt as demo_dlt
from qashyq.demo.services import demo_seed
from qashyq.dlt.data import (
    CLOSED_STATUSES,
    ApplicationStatus,
    AttachmentKind,
    Category,
    EnrolmentStatus,
    JobStatus,
    PlanStatus,
)
from qashyq.dlt.models import (
    Application,
    ApplicationEvent,
    Attachment,
    AttachmentJob,
    Enrolment,
    Schedule,
    ScheduleEntry,
    StudyPlan,
    StudyPlanLine,
    SupportingDocument,
)
from qashyq.dlt.selectors import orders as order_selectors
from qashyq.dlt.services import orders as order_services
from qashyq.documents import services as document_services
from qashyq.documents.models import Document
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, Student

MINIMAL_PDF = b"%PDF-1.7\n%demo test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _counts() -> dict[str, int]:
    models = (Application, SupportingDocument, ApplicationEvent, StudyPlan, StudyPlanLine, Schedule, ScheduleEntry,
              Enrolment, Attachment, AttachmentJob, Order, Document, CourseEnrolment, Student, Event)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_holds_dlt_enrolment_of_issue_5(monkeypatch):
    monkeypatch.setattr(document_services, "pdf_render", lambda **kwargs: MINIMAL_PDF)
    demo_seed()

    applications = list(Application.objects.select_related("student", "student__user", "student__programme"))
    assert len(applications) == len(demo_dlt.ROWS)
    # Every state of the way (an order's cancellation aside) and every category of rule 10.
    assert {a.status for a in applications} == set(ApplicationStatus.values) - {ApplicationStatus.CANCELLED}
    assert {a.category for a in applications} == set(Category.values)
    by_user = {a.student.user.username: a for a in applications}
    for row in demo_dlt.ROWS:
        assert (by_user[row.username].status, by_user[row.username].category) == (row.target, row.category)
    # Each was written by its student and went through the services: a trail, an audit event per step.
    for application in applications:
        trail = list(application.events.order_by("pk").values_list("status_to", flat=True))
        assert trail[0] == ApplicationStatus.DRAFT
        assert trail[-1] == application.status
        assert Event.objects.filter(action="dlt.application_created", target_id=str(application.pk)).exists()
    # One open application per student at most.
    open_ones = Counter(a.student_id for a in applications if a.status not in CLOSED_STATUSES)
    assert set(open_ones.values()) == {1}

    # Past the draft, every application rests on a real PDF of its category; the bare draft has none yet.
    rows_by_user = {row.username: row for row in demo_dlt.ROWS}
    for application in applications:
        documents = list(application.documents.select_related("file"))
        if not rows_by_user[application.student.user.username].with_document:
            assert application.status == ApplicationStatus.DRAFT
            assert documents == []
            continue
        assert len(documents) == 1, application.student.user.username
        asset = documents[0].file
        assert asset.content_type == "application/pdf"
        data = asset.file.read()
        assert data.startswith(b"%PDF-1.4")
        assert data.rstrip().endswith(b"%%EOF")
        assert documents[0].description

    # Returned with a comment, rejected with the reasons of the issue.
    for application in applications:
        if application.status in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED):
            assert application.comment
            assert application.events.filter(status_to=application.status, comment=application.comment).exists()
            assert application.reviewer is not None
    rejected = {a.category: a for a in applications if a.status == ApplicationStatus.REJECTED}
    assert set(rejected) == {Category.EXCHANGE, Category.BUSINESS_TRIP}
    assert rejected[Category.EXCHANGE].student.bolashak
    assert "Болашақ" in rejected[Category.EXCHANGE].comment
    # A full-time student's military application stays a draft: the system refuses to submit it (rule 10).
    military_draft = next(
        a for a in applications if a.category == Category.MILITARY and a.status == ApplicationStatus.DRAFT
    )
    assert military_draft.student.form_of_study == "full_time"
    assert "3 ай" in rejected[Category.BUSINESS_TRIP].comment
    # The facts the other categories rest on.
    for application in applications:
        if application.category == Category.DISABILITY:
            assert application.student.disability
        if application.category == Category.SHORTENED:
            assert application.student.programme.shortened
            assert application.student.programme.shortened_basis == "tvet"
        if application.category == Category.MILITARY and application.status != ApplicationStatus.DRAFT:
            assert application.student.form_of_study == "correspondence"
    # Accepted applications have their plan and schedule.
    for application in applications:
        if application.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.IN_ORDER, ApplicationStatus.ENROLLED):
            assert application.granted_type in application.dlt_types
            assert application.study_plan.lines.exists()
            assert application.schedule.entries.exists()

    # One signed DLT order in force: the students of 6B01101, plans approved, three current attachments each,
    # enrolled in the courses of their plans.
    dlt_orders = {o.status: o for o in Order.objects.filter(kind=OrderKind.DLT)}
    assert set(dlt_orders) == {OrderStatus.IN_FORCE, OrderStatus.DRAFT}
    signed = dlt_orders[OrderStatus.IN_FORCE]
    assert (signed.signed_by.username, signed.prepared_by.username) == ("head", "admin1")
    assert signed.number_label.endswith("-ОД")
    assert Document.objects.filter(target_type="records.order", target_id=str(signed.pk)).count() == 2
    rows = order_selectors.order_student_rows(order_id=signed.pk)
    assert len(rows) == 3
    for row in rows:
        enrolment = row.enrolment
        assert row.complete, [(c.kind, c.state) for c in row.cells]
        assert {a.kind for a in enrolment.attachments.all()} == set(AttachmentKind.values)
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert enrolment.programme.code == "6B01101"
        application = enrolment.application
        assert application.status == ApplicationStatus.ENROLLED
        assert application.study_plan.status == PlanStatus.APPROVED
        lines = application.study_plan.lines.filter(completed=False)
        assert not lines.filter(teacher__isnull=True).exists()
        assert not lines.filter(tutor__isnull=True).exists()
        courses = set(lines.exclude(course=None).values_list("course_id", flat=True))
        assert courses
        enrolled = set(
            CourseEnrolment.objects.filter(student=enrolment.student, active=True).values_list("course_id", flat=True)
        )
        assert courses <= enrolled
        for attachment in enrolment.attachments.select_related("document"):
            assert attachment.document.target_type in ("dlt.application", "dlt.studyplan", "dlt.schedule")
            assert attachment.document.language == application.language
    assert {row.enrolment.category for row in rows} == {Category.SHORTENED, Category.DISABILITY, Category.MILITARY}
    assert {row.enrolment.application.language for row in rows} == {"kk", "ru"}

    # One draft order blocked only by the missing e-UMKs of 6B06101, which its sign page names.
    blocked = dlt_orders[OrderStatus.DRAFT]
    rows = order_selectors.order_student_rows(order_id=blocked.pk)
    assert len(rows) == 1
    assert rows[0].complete
    assert rows[0].enrolment.programme.code == "6B06101"
    assert rows[0].enrolment.application.study_plan.status == PlanStatus.APPROVED
    problems = order_services.sign_problems(order_id=blocked.pk)
    assert len(problems) == 1
    assert "MT 1121" in problems[0]
    assert "ZhI 4250" in problems[0]
    assert rows[0].enrolment.student.full_name in problems[0]
    assert set(AttachmentJob.objects.values_list("status", flat=True)) == {JobStatus.DONE}

    # Everything was audited through the ledger, which still verifies; seeding again changes nothing.
    assert audit_api.verify().ok
    counts = _counts()
    statuses = list(Application.objects.order_by("pk").values_list("status", "comment"))
    demo_dlt.dlt_seed()
    assert _counts() == counts
    assert demo_seed() == 0
    assert _counts() == counts
    assert list(Application.objects.order_by("pk").values_list("status", "comment")) == statuses


@pytest.mark.django_db
def test_without_the_institution_nothing_is_made():
    demo_dlt.dlt_seed()
    assert not Application.objects.exists()
    assert not Enrolment.objects.exists()


def test_the_supporting_pdf_is_a_valid_pdf(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(demo_dlt.small_pdf(["Call-up notice (No. 0417)", "Akhmetov Olzhas", "back\\slash"]))
    try:
        result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603,S607
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert result.stderr == ""
    assert "Call-up notice (No. 0417)" in result.stdout
    assert "back\\slash" in result.stdout
