"""Signing a DLT order through records' real signing path, and what happens when it comes into force or is
cancelled (rules 12–14; R39, R42): the gates refuse (naming the student) while an attachment is missing or out
of date, a plan is not approved, a discipline lacks an approved e-UMK, or the institution may not use DLT;
in force, the students study by DLT in the courses of their plans; cancelled, all of it ends."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.accounts.api import Role
from qashyq.content.data import EumkStatus
from qashyq.content.models import Enrolment as CourseEnrolment
from qashyq.content.models import Eumk
from qashyq.dlt.data import ApplicationStatus, AttachmentKind, Category, DltType, EnrolmentStatus
from qashyq.dlt.models import Application, Attachment, Enrolment, Schedule, StudyPlan
from qashyq.dlt.services import orders as services
from qashyq.dlt.tests.helpers import World, dlt_world
from qashyq.dlt.tests.test_orders_helpers import (
    EFFECTIVE,
    accepted,
    actions_since,
    last_seq,
    make_order,
    new_student,
    no_pdf_drawing,  # noqa: F401 (autouse)
    snapshot,
)
from qashyq.organization.models import Institution
from qashyq.records import api as records_api
from qashyq.records.data import OrderStatus
from qashyq.records.models import Order
from qashyq.records.services.orders import order_cancel
from qashyq.records.services.orders import order_sign as records_order_sign

pytestmark = pytest.mark.django_db


def refused_sign(world: World, order_id: int) -> list[str]:
    """Sign as the head and return the refusal's messages; check that nothing changed."""
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_sign(actor=world.head, order_id=order_id)
    assert snapshot() == before
    # The same through records' own signing (the hook is records' before_sign):
    with pytest.raises(ValidationError) as through_records:
        records_api.order_sign(actor=world.head, order_id=order_id)
    assert through_records.value.messages == refused.value.messages
    assert snapshot() == before
    return refused.value.messages


# --- Ready to sign -----------------------------------------------------------------------------------


@pytest.fixture
def world() -> World:
    return dlt_world()


def test_ready_order_signed_and_waiting_for_its_date(world, run_jobs):
    application = accepted(world)
    order = make_order(world, run_jobs, application)
    assert services.sign_problems(order_id=order.id) == []
    seq = last_seq()

    signed = services.dlt_order_sign(actor=world.head, order_id=order.id)

    assert signed.status == OrderStatus.SIGNED
    assert signed.number_label.endswith("-ОД")
    assert signed.order_date == timezone.localdate()
    assert signed.signed_by_id == world.head.pk
    enrolment = Enrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.SIGNED
    assert Application.objects.get().status == ApplicationStatus.IN_ORDER
    assert not CourseEnrolment.objects.filter(student=world.student).exists()
    actions = actions_since(seq)
    assert actions.index("records.order_signed") < actions.index("dlt.order_signed")
    assert actions[-1] == "dlt.order_signed"


def test_signed_through_records_own_path_the_enrolments_are_signed_too(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    records_api.order_sign(actor=world.head, order_id=order.id)
    assert Enrolment.objects.get().status == EnrolmentStatus.SIGNED


# --- The gates ------------------------------------------------------------------------------------------


def test_refused_while_an_attachment_is_missing(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    Attachment.objects.filter(kind=AttachmentKind.SCHEDULE).delete()
    expected = [f"{world.student.full_name}: the attachment “Individual schedule” is missing."]
    assert services.sign_problems(order_id=order.id) == expected
    assert refused_sign(world, order.id) == expected


def test_refused_while_an_attachment_is_out_of_date(world, run_jobs):
    application = accepted(world)
    order = make_order(world, run_jobs, application)
    schedule = Schedule.objects.get(application=application)
    Schedule.objects.filter(pk=schedule.pk).update(version=schedule.version + 1)
    expected = [
        f"{world.student.full_name}: the attachment “Individual schedule” is out of date (made from version "
        f"{schedule.version}, now version {schedule.version + 1}): generate the attachments again."
    ]
    assert services.sign_problems(order_id=order.id) == expected
    assert refused_sign(world, order.id) == expected


def test_refused_while_a_plan_is_not_approved(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world, approve=False))
    expected = [f"{world.student.full_name}: the individual study plan is not approved by the administration service."]
    assert refused_sign(world, order.id) == expected


def test_refused_while_a_discipline_lacks_an_approved_eumk(run_jobs):
    world = dlt_world(eumk_missing=1)
    other = new_student(world, last_name="Омарова", first_name="Жанар")
    first, second = accepted(world), accepted(world, other, category=Category.EXCHANGE)
    order = make_order(world, run_jobs, first, second)
    names = [e.student.full_name for e in Enrolment.objects.select_related("student")]
    expected = [
        f"{', '.join(names)}: these disciplines of the curriculum have no approved e-UMK, so training by DLT "
        "cannot be organized (rule 14): WEB202 Web programming."
    ]
    assert services.sign_problems(order_id=order.id) == expected
    assert refused_sign(world, order.id) == expected


def test_refused_while_the_institution_may_not_use_dlt(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    Institution.objects.update(dlt_permission_number="", dlt_permission_date=None)
    expected = [
        "The institution may not use distance learning technologies on 01.12.2026: No permission of the "
        "authorized body to use DLT is recorded."
    ]
    assert refused_sign(world, order.id) == expected


def test_every_problem_is_listed_at_once(run_jobs):
    world = dlt_world(eumk_missing=2)
    order = make_order(world, run_jobs, accepted(world, approve=False))
    Attachment.objects.filter(kind=AttachmentKind.APPLICATION).delete()
    messages = refused_sign(world, order.id)
    assert len(messages) == 3
    assert messages[0] == f"{world.student.full_name}: the attachment “Application” is missing."
    assert "not approved" in messages[1]
    assert messages[2].endswith("DB201 Databases, WEB202 Web programming.")


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATION, Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT]
)
def test_a_forged_signature_changes_nothing(world, run_jobs, make_user, role):
    order = make_order(world, run_jobs, accepted(world))
    before = snapshot()
    actor = world.admin if role == Role.ADMINISTRATION else make_user(role)
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_sign(actor=actor, order_id=order.id)
    assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError) as through_records:
        records_api.order_sign(actor=actor, order_id=order.id)
    assert through_records.value.code == "forbidden"
    # The student of the order themselves:
    with pytest.raises(ValidationError):
        services.dlt_order_sign(actor=world.student_user, order_id=order.id)
    assert snapshot() == before


def test_an_order_is_signed_once(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_sign(actor=world.head, order_id=order.id)
    assert refused.value.code == "signed"
    assert snapshot() == before


# --- In force -----------------------------------------------------------------------------------------------


def _plan_courses(application: Application) -> set[int]:
    plan = StudyPlan.objects.get(application=application)
    return {line.course_id for line in plan.lines.all() if not line.completed and line.course_id}


def test_in_force_the_students_study_in_the_courses_of_their_plans(world, run_jobs):
    other = new_student(world)
    network = accepted(world)
    case = accepted(world, other, granted=DltType.CASE)
    order = make_order(world, run_jobs, network, case)
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    seq = last_seq()

    records_api.orders_apply_due(today=EFFECTIVE)

    assert Order.objects.get(pk=order.id).status == OrderStatus.IN_FORCE
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.ACTIVE}
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.ENROLLED}
    assert _plan_courses(network) == {c.pk for c in world.courses}
    enrolled = set(CourseEnrolment.objects.values_list("course_id", "student_id", "source", "delivery", "active"))
    assert enrolled == {
        *((c, world.student.pk, "individual_plan", "electronic", True) for c in _plan_courses(network)),
        *((c, other.pk, "individual_plan", "paper", True) for c in _plan_courses(case)),
    }
    actions = actions_since(seq)
    assert actions.count("content.enrolled") == len(enrolled)
    assert "dlt.order_applied" in actions
    assert actions[-1] == "records.order_in_force"


def test_signed_on_its_date_it_is_in_force_at_once(world, run_jobs):
    application = accepted(world)
    order = make_order(world, run_jobs, application, effective_date=timezone.localdate())
    signed = services.dlt_order_sign(actor=world.head, order_id=order.id)
    assert signed.status == OrderStatus.IN_FORCE
    assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE
    assert Application.objects.get().status == ApplicationStatus.ENROLLED
    assert CourseEnrolment.objects.filter(student=world.student, active=True).count() == len(_plan_courses(application))


def test_completed_disciplines_and_lines_without_a_course_are_not_enrolled(world, run_jobs):
    application = accepted(world)
    plan = StudyPlan.objects.get(application=application)
    lines = list(plan.lines.order_by("period_number", "discipline__code"))
    lines[0].completed = True
    lines[0].save()
    lines[1].course = None
    lines[1].save()
    order = make_order(world, run_jobs, application, effective_date=timezone.localdate())
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    assert set(CourseEnrolment.objects.values_list("course_id", flat=True)) == {lines[2].course_id, lines[3].course_id}


def test_enrolment_cannot_start_while_an_eumk_is_withdrawn(world, run_jobs):
    application = accepted(world)
    order = make_order(world, run_jobs, application)
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    Eumk.objects.filter(discipline=world.disciplines[0]).update(status=EumkStatus.INCOMPLETE)
    before = snapshot()

    assert records_api.orders_apply_due(today=EFFECTIVE) == []

    assert snapshot() == before
    assert Order.objects.get(pk=order.id).status == OrderStatus.SIGNED
    assert Enrolment.objects.get().status == EnrolmentStatus.SIGNED
    with pytest.raises(ValidationError) as refused:
        services.on_apply(records_api.order_get(order_id=order.id), records_api.order_items(order_id=order.id))
    assert refused.value.messages[0].startswith("Enrolment cannot start: ")
    assert "INF101 Informatics" in refused.value.messages[0]


# --- Cancelled ------------------------------------------------------------------------------------------


def _cancel(world: World, order_id: int) -> None:
    cancellation = order_cancel(
        actor=world.admin,
        order=Order.objects.get(pk=order_id),
        basis_kk="Қате бұйрық",
        basis_ru="Ошибочный приказ",
        effective_date=timezone.localdate(),
    )
    records_order_sign(actor=world.head, order=cancellation)


def test_cancelled_in_force_the_study_by_dlt_ends(world, run_jobs):
    application = accepted(world)
    order = make_order(world, run_jobs, application, effective_date=timezone.localdate())
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    # A course the student takes with their group (not from the plan) is not touched.
    from qashyq.content.tests.factories import CourseFactory

    group_course = CourseFactory(discipline=world.disciplines[0], period=world.semesters[0], code="GRP-1")
    CourseEnrolment.objects.create(course=group_course, student=world.student, source="group")
    seq = last_seq()

    _cancel(world, order.id)

    assert Order.objects.get(pk=order.id).status == OrderStatus.CANCELLED
    assert Enrolment.objects.get().status == EnrolmentStatus.CANCELLED
    assert Application.objects.get().status == ApplicationStatus.CANCELLED
    states = dict(CourseEnrolment.objects.values_list("course_id", "active"))
    assert states == {**dict.fromkeys(_plan_courses(application), False), group_course.pk: True}
    actions = actions_since(seq)
    assert actions.count("content.enrolment_ended") == len(_plan_courses(application))
    assert "dlt.order_cancelled" in actions


def test_cancelled_before_it_came_into_force(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    _cancel(world, order.id)
    assert Order.objects.get(pk=order.id).status == OrderStatus.CANCELLED
    assert Enrolment.objects.get().status == EnrolmentStatus.CANCELLED
    assert Application.objects.get().status == ApplicationStatus.CANCELLED
    assert not CourseEnrolment.objects.exists()
    # A cancelled order never comes into force.
    assert records_api.orders_apply_due(today=EFFECTIVE) == []


def test_refused_while_the_attachments_are_being_issued(world, run_jobs):
    from qashyq.dlt.data import JobStatus
    from qashyq.dlt.models import AttachmentJob

    order = make_order(world, run_jobs, accepted(world))
    AttachmentJob.objects.create(order_id=order.id, status=JobStatus.RUNNING, total=3, started_by=world.admin)
    assert refused_sign(world, order.id) == ["The attachments are being issued: sign once the job is done."]


def test_a_signed_orders_attachments_are_never_replaced(world, run_jobs):
    from qashyq.dlt.data import JobStatus
    from qashyq.dlt.models import AttachmentJob

    application = accepted(world)
    order = make_order(world, run_jobs, application)
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    documents = dict(Attachment.objects.values_list("kind", "document_id"))
    plan = StudyPlan.objects.get(application=application)
    StudyPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    # A job that was running when the head signed goes on: it stores nothing.
    job = AttachmentJob.objects.create(order_id=order.id, status=JobStatus.RUNNING, total=3, started_by=world.admin)
    assert services.attachments_chunk_process(job_id=job.pk, enrolment_ids=[Enrolment.objects.get().pk]) == 0
    assert dict(Attachment.objects.values_list("kind", "document_id")) == documents
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_refused_while_a_student_was_taken_off_through_records_own_page(world, run_jobs):
    """records' page takes a student off any draft: their enrolment must not come into force with an order
    that does not name them."""
    from qashyq.records.models import OrderItem
    from qashyq.records.services.orders import order_item_remove

    other = new_student(world, last_name="Омарова", first_name="Жанар")
    first, second = accepted(world), accepted(world, other)
    order = make_order(world, run_jobs, first, second)
    order_item_remove(actor=world.admin, item=OrderItem.objects.get(order_id=order.id, student=other))
    expected = [
        f"{other.full_name}: application № {second.pk} is not listed in the contingent order: take it out of "
        "this order and add it again."
    ]
    assert services.sign_problems(order_id=order.id) == expected
    assert refused_sign(world, order.id) == expected
    # Taken out through the DLT page, the order is ready again.
    services.dlt_order_remove_application(actor=world.admin, order_id=order.id, application_id=second.pk)
    assert services.sign_problems(order_id=order.id) == []
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.ACCEPTED
