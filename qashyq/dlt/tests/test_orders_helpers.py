"""What the DLT order tests share (no tests here): students with accepted applications and approved plans, a
cheap stand-in for the PDFs of the attachments, records' order PDFs left out, and snapshots of everything an
order touches (to show that a refused call changed nothing); the fixture `no_pdf_drawing` (autouse where
imported) and `make_order` (with the fixture `run_jobs` of conftest.py)."""

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from qashyq.accounts.tests.factories import UserFactory
from qashyq.audit.models import Event
from qashyq.content.models import Enrolment as CourseEnrolment
from qashyq.dlt import printing
from qashyq.dlt.data import ApplicationStatus, DltType
from qashyq.dlt.models import Application, Attachment, AttachmentJob, Enrolment, StudyPlan
from qashyq.dlt.services import orders as order_services
from qashyq.dlt.services import plans as plan_services
from qashyq.dlt.services import schedules as schedule_services
from qashyq.dlt.tests.helpers import TODAY, World, make_application
from qashyq.documents.models import Document
from qashyq.documents.selectors import document_data
from qashyq.records import printing as records_printing
from qashyq.records.data import OrderData, StudentStatus
from qashyq.records.models import Order, OrderItem, Student
from qashyq.records.tests.student_helpers import make_student

EFFECTIVE = date(2026, 12, 1)  # after TODAY: a signed order waits to come into force
_codes = itertools.count(1)


def new_student(world: World, **fields: Any) -> Student:
    """Another studying student of the world's group, with an account."""
    return make_student(
        world.programme,
        group=world.group,
        status=StudentStatus.ACTIVE,
        user=UserFactory(roles=["student"]),
        course_year=1,
        **fields,
    )


def accepted(
    world: World, student: Student | None = None, *, approve: bool = True, granted: str = DltType.NETWORK, **fields: Any
) -> Application:
    """An accepted application of `student` (the world's own by default) with its plan (approved unless told)
    and schedule, as the APPLICATIONS and PLANS services make them."""
    application = make_application(
        student or world.student, status=ApplicationStatus.ACCEPTED, granted_type=granted, **fields
    )
    plan = plan_services.study_plan_generate(application=application, today=TODAY)
    schedule_services.schedule_generate(application=application, today=TODAY)
    if approve:
        plan_services.study_plan_approve(actor=world.admin, plan=plan)
    return application


def fake_issue(target_type: str, target_id: int, number: str) -> Any:
    """A document row standing in for an issued PDF (no drawing: the tests of printing draw them)."""
    document = Document(
        kind=target_type,
        title=f"{target_type} {target_id}",
        number=number,
        issued_on=TODAY,
        language="kk",
        target_type=target_type,
        target_id=str(target_id),
        sha256="0" * 64,
        verification_code=f"T{next(_codes):011d}",
    )
    document.file.name = f"documents/2026/{document.verification_code}.pdf"
    document.save()
    return document_data(document)


def cheap_pdfs(monkeypatch: Any) -> None:
    """The attachments and records' order PDFs without drawing PDFs (call it from a fixture)."""
    monkeypatch.setattr(
        printing,
        "application_document_issue",
        lambda *, application, actor: fake_issue("dlt.application", application.pk, str(application.pk)),
    )
    monkeypatch.setattr(
        printing,
        "study_plan_document_issue",
        lambda *, plan, actor: fake_issue("dlt.studyplan", plan.pk, f"{plan.application_id}/{plan.version}"),
    )
    monkeypatch.setattr(
        printing,
        "schedule_document_issue",
        lambda *, schedule, actor: fake_issue(
            "dlt.schedule", schedule.pk, f"{schedule.application_id}/{schedule.version}"
        ),
    )
    monkeypatch.setattr(records_printing, "order_documents_issue", lambda *, order, actor: [])


@pytest.fixture(autouse=True)
def no_pdf_drawing(monkeypatch: Any) -> None:
    """`cheap_pdfs` for every test of the module that imports this fixture."""
    cheap_pdfs(monkeypatch)


def make_order(
    world: World, run_jobs: Callable[..., Any], *applications: Application, effective_date: date = EFFECTIVE
) -> OrderData:
    """A draft DLT order of `applications` made by the administration service, with its attachments."""
    return run_jobs(
        order_services.dlt_order_create,
        actor=world.admin,
        application_ids=[a.pk for a in applications],
        effective_date=effective_date,
    )


def snapshot() -> tuple[Any, ...]:
    """Everything a DLT order may change, read from the database now."""
    return (
        list(Order.objects.order_by("pk").values_list("pk", "kind", "status", "number_label", "effective_date")),
        list(OrderItem.objects.order_by("pk").values_list("pk", "order_id", "student_id", "changes")),
        list(
            Enrolment.objects.order_by("pk").values_list(
                "pk", "application_id", "order_id", "status", "dlt_type", "starts_on", "ends_on"
            )
        ),
        list(Application.objects.order_by("pk").values_list("pk", "status")),
        list(Attachment.objects.order_by("pk").values_list("pk", "enrolment_id", "kind", "document_id")),
        list(AttachmentJob.objects.order_by("pk").values_list("pk", "status", "done", "total")),
        list(CourseEnrolment.objects.order_by("pk").values_list("pk", "course_id", "student_id", "active")),
        list(StudyPlan.objects.order_by("pk").values_list("pk", "status", "version")),
        Event.objects.count(),
    )


def actions_since(seq: int) -> list[str]:
    return list(Event.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))


def last_seq() -> int:
    return Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
