"""DLT orders (rules 12, 13; R38, R39): building a draft from accepted applications, adding and taking out
students, and the background job that issues the three attachments of every student. Exact values, and that
bad input changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.accounts.api import Role
from qashyq.dlt import printing
from qashyq.dlt.data import ApplicationStatus, AttachmentKind, Category, DltType, EnrolmentStatus, JobStatus
from qashyq.dlt.models import Application, Attachment, AttachmentJob, Enrolment, Schedule, StudyPlan
from qashyq.dlt.selectors import orders as selectors
from qashyq.dlt.services import orders as services
from qashyq.dlt.tests.helpers import World, dlt_world, make_application
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
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, OrderItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return dlt_world()


def two_students(world: World) -> tuple[Application, Application]:
    first = accepted(world)
    second = accepted(
        world,
        new_student(world, last_name="Әлиева", first_name="Дана"),
        category=Category.DISABILITY,
        granted=DltType.CASE,
        starts_on=date(2026, 12, 10),
        ends_on=date(2027, 6, 30),
    )
    return first, second


# --- Creating a draft ----------------------------------------------------------------------------------


def test_create_order_with_students_enrolments_and_attachments(world, run_jobs):
    first, second = two_students(world)
    seq = last_seq()

    order = run_jobs(
        services.dlt_order_create,
        actor=world.admin,
        application_ids=[first.pk, second.pk],
        effective_date=EFFECTIVE,
    )

    assert order.kind == OrderKind.DLT
    assert order.status == OrderStatus.DRAFT
    assert order.effective_date == EFFECTIVE
    stored = Order.objects.get(pk=order.id)
    assert stored.basis_kk == services.DEFAULT_BASIS_KK
    assert stored.basis_ru == services.DEFAULT_BASIS_RU
    assert stored.basis_kk.startswith("Білім алушылардың өтініштері негізінде")
    assert stored.basis_ru.startswith("На основании заявлений обучающихся")
    assert "12-тармағына" in stored.basis_kk
    assert "пунктом 12" in stored.basis_ru
    items = {i.student_id: i.changes for i in OrderItem.objects.filter(order_id=order.id)}
    assert items == {
        first.student_id: {
            "dlt_type": "network",
            "starts_on": first.starts_on.isoformat(),
            "ends_on": first.ends_on.isoformat(),
            "category": "military",
            "application": first.pk,
        },
        second.student_id: {
            "dlt_type": "case",
            "starts_on": "2026-12-10",
            "ends_on": "2027-06-30",
            "category": "disability",
            "application": second.pk,
        },
    }
    enrolments = {
        e.application_id: (
            e.student_id,
            e.programme_id,
            e.order_id,
            e.dlt_type,
            e.category,
            e.starts_on,
            e.ends_on,
            e.status,
        )
        for e in Enrolment.objects.all()
    }
    assert enrolments == {
        first.pk: (
            first.student_id,
            world.programme.pk,
            order.id,
            "network",
            "military",
            first.starts_on,
            first.ends_on,
            EnrolmentStatus.ORDERED,
        ),
        second.pk: (
            second.student_id,
            world.programme.pk,
            order.id,
            "case",
            "disability",
            date(2026, 12, 10),
            date(2027, 6, 30),
            EnrolmentStatus.ORDERED,
        ),
    }
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.IN_ORDER}

    job = AttachmentJob.objects.get(order_id=order.id)
    assert (job.status, job.total, job.done, job.error, job.started_by) == (JobStatus.DONE, 6, 6, "", world.admin)
    assert job.finished_at is not None
    attachments = {
        (a.enrolment.application_id, a.kind): (a.source_version, a.document.target_type, a.document.target_id)
        for a in Attachment.objects.select_related("enrolment", "document")
    }
    plans = {p.application_id: p for p in StudyPlan.objects.all()}
    schedules = {s.application_id: s for s in Schedule.objects.all()}
    assert attachments == {
        (app.pk, kind): value
        for app in (first, second)
        for kind, value in (
            (AttachmentKind.APPLICATION, (1, "dlt.application", str(app.pk))),
            (AttachmentKind.STUDY_PLAN, (plans[app.pk].version, "dlt.studyplan", str(plans[app.pk].pk))),
            (AttachmentKind.SCHEDULE, (schedules[app.pk].version, "dlt.schedule", str(schedules[app.pk].pk))),
        )
    }
    actions = actions_since(seq)
    assert actions[0] == "records.order_created"
    assert actions.count("records.order_item_added") == 2
    assert "dlt.order_created" in actions
    assert "dlt.order_attachments_requested" in actions
    assert actions.count("dlt.order_attachment_issued") == 6
    assert actions[-1] == "dlt.order_attachments_finished"


def test_create_order_with_own_basis(world, run_jobs):
    application = accepted(world)
    order = run_jobs(
        services.dlt_order_create,
        actor=world.admin,
        application_ids=[application.pk],
        effective_date=EFFECTIVE,
        basis_kk="  Өтініш негізінде ",
        basis_ru="На основании заявления",
    )
    stored = Order.objects.get(pk=order.id)
    assert (stored.basis_kk, stored.basis_ru) == ("Өтініш негізінде", "На основании заявления")


def test_create_refuses_an_application_that_is_not_accepted_and_changes_nothing(world, run_jobs):
    good = accepted(world)
    other = new_student(world, last_name="Серікова", first_name="Айым")
    submitted = make_application(other, status=ApplicationStatus.SUBMITTED)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        run_jobs(
            services.dlt_order_create,
            actor=world.admin,
            application_ids=[good.pk, submitted.pk],
            effective_date=EFFECTIVE,
        )

    messages = refused.value.message_dict["applications"]
    assert messages == [
        f"{other.full_name}: application № {submitted.pk} is “Submitted”; only accepted applications go into an order."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "status", [ApplicationStatus.UNDER_REVIEW, ApplicationStatus.REJECTED, ApplicationStatus.DRAFT]
)
def test_create_names_every_student_whose_application_is_not_accepted(world, status):
    one = make_application(world.student, status=status)
    other_student = new_student(world)
    other = make_application(other_student, status=ApplicationStatus.RETURNED)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_create(actor=world.admin, application_ids=[one.pk, other.pk], effective_date=EFFECTIVE)
    messages = refused.value.message_dict["applications"]
    assert len(messages) == 2
    assert world.student.full_name in messages[0]
    assert str(ApplicationStatus(status).label) in messages[0]
    assert other_student.full_name in messages[1]
    assert "Returned for changes" in messages[1]
    assert snapshot() == before


def test_create_refuses_an_application_already_in_an_order(world, run_jobs):
    application = accepted(world)
    run_jobs(services.dlt_order_create, actor=world.admin, application_ids=[application.pk], effective_date=EFFECTIVE)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_create(actor=world.admin, application_ids=[application.pk], effective_date=EFFECTIVE)
    assert "“In an order”" in refused.value.message_dict["applications"][0]
    assert snapshot() == before


def test_create_refuses_what_records_refuses_and_changes_nothing(world):
    """A student who is not studying any more: records refuses to list them; nothing is created."""
    application = accepted(world)
    world.student.status = "academic_leave"
    world.student.save()
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_create(actor=world.admin, application_ids=[application.pk], effective_date=EFFECTIVE)
    (message,) = refused.value.message_dict["applications"]
    assert message.startswith(world.student.full_name)
    assert "On academic leave" in message
    assert snapshot() == before


@pytest.mark.parametrize(
    ("application_ids", "effective_date", "field", "message"),
    [
        ([], EFFECTIVE, "applications", "Choose at least one accepted application."),
        (["x"], EFFECTIVE, "applications", "Choose at least one accepted application."),
        ([999999], EFFECTIVE, "applications", "There is no application with the number 999999."),
        (None, "2026-12-01", "effective_date", "Enter the date the order comes into force."),
    ],
)
def test_create_refuses_bad_input(world, application_ids, effective_date, field, message):
    if application_ids is None:
        application_ids = [accepted(world).pk]
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_create(actor=world.admin, application_ids=application_ids, effective_date=effective_date)
    assert refused.value.message_dict[field] == [message]
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.HEAD, Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT])
def test_only_the_administration_service_builds_orders(world, make_user, role):
    application = accepted(world)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_create(actor=make_user(role), application_ids=[application.pk], effective_date=EFFECTIVE)
    assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError):
        services.dlt_order_create(actor=world.student_user, application_ids=[application.pk], effective_date=EFFECTIVE)
    assert snapshot() == before


# --- Adding and taking out ---------------------------------------------------------------------------


def test_add_and_remove_applications_on_a_draft(world, run_jobs):
    first, second = two_students(world)
    order = run_jobs(services.dlt_order_create, actor=world.admin, application_ids=[first.pk], effective_date=EFFECTIVE)
    seq = last_seq()

    run_jobs(services.dlt_order_add_applications, actor=world.admin, order_id=order.id, application_ids=[second.pk])

    assert set(OrderItem.objects.filter(order_id=order.id).values_list("student_id", flat=True)) == {
        first.student_id,
        second.student_id,
    }
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.IN_ORDER
    added = Enrolment.objects.get(application=second)
    assert Attachment.objects.filter(enrolment=added).count() == 3
    assert "dlt.order_applications_added" in actions_since(seq)

    seq = last_seq()
    services.dlt_order_remove_application(actor=world.admin, order_id=order.id, application_id=second.pk)

    assert list(OrderItem.objects.filter(order_id=order.id).values_list("student_id", flat=True)) == [first.student_id]
    assert not Enrolment.objects.filter(application=second).exists()
    assert not Attachment.objects.filter(enrolment_id=added.pk).exists()
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.ACCEPTED
    actions = actions_since(seq)
    assert "records.order_item_removed" in actions
    assert actions[-1] == "dlt.order_application_removed"


def test_remove_refuses_an_application_not_in_the_order(world, run_jobs):
    first, second = two_students(world)
    order = run_jobs(services.dlt_order_create, actor=world.admin, application_ids=[first.pk], effective_date=EFFECTIVE)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_remove_application(actor=world.admin, order_id=order.id, application_id=second.pk)
    assert refused.value.messages == [f"Application № {second.pk} is not in this order."]
    assert snapshot() == before


def test_a_signed_order_is_not_edited(world, run_jobs):
    first, second = two_students(world)
    order = run_jobs(services.dlt_order_create, actor=world.admin, application_ids=[first.pk], effective_date=EFFECTIVE)
    services.dlt_order_sign(actor=world.head, order_id=order.id)
    before = snapshot()
    for call, kwargs in (
        (services.dlt_order_add_applications, {"application_ids": [second.pk]}),
        (services.dlt_order_remove_application, {"application_id": first.pk}),
        (services.attachments_generate, {}),
    ):
        with pytest.raises(ValidationError) as refused:
            call(actor=world.admin, order_id=order.id, **kwargs)
        assert refused.value.code == "signed"
    assert snapshot() == before


def test_other_orders_are_not_dlt_orders(world):
    from qashyq.records.services.orders import order_create

    admission = order_create(
        actor=world.admin, kind=OrderKind.ADMISSION, effective_date=EFFECTIVE, basis_kk="Негіз", basis_ru="Основание"
    )
    application = accepted(world)
    with pytest.raises(ValidationError) as refused:
        services.dlt_order_add_applications(actor=world.admin, order_id=admission.pk, application_ids=[application.pk])
    assert refused.value.messages == [f"There is no DLT order with the number {admission.pk}."]


# --- The attachments job -----------------------------------------------------------------------------


def test_job_skips_attachments_that_are_up_to_date(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    documents = dict(Attachment.objects.values_list("kind", "document_id"))

    job = run_jobs(services.attachments_generate, actor=world.admin, order_id=order.id)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert dict(Attachment.objects.values_list("kind", "document_id")) == documents
    assert AttachmentJob.objects.filter(order_id=order.id).count() == 2


def test_job_replaces_what_is_out_of_date(world, run_jobs):
    application = accepted(world)
    order = make_order(world, run_jobs, application)
    documents = dict(Attachment.objects.values_list("kind", "document_id"))
    plan = StudyPlan.objects.get(application=application)
    StudyPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)

    cells = selectors.order_student_rows(order_id=order.id)[0].cells
    assert [c.state for c in cells] == [selectors.READY, selectors.STALE, selectors.READY]

    run_jobs(services.attachments_generate, actor=world.admin, order_id=order.id)

    now = dict(Attachment.objects.values_list("kind", "document_id"))
    assert now[AttachmentKind.APPLICATION] == documents[AttachmentKind.APPLICATION]
    assert now[AttachmentKind.SCHEDULE] == documents[AttachmentKind.SCHEDULE]
    assert now[AttachmentKind.STUDY_PLAN] != documents[AttachmentKind.STUDY_PLAN]
    assert Attachment.objects.get(kind=AttachmentKind.STUDY_PLAN).source_version == plan.version + 1
    assert Attachment.objects.count() == 3
    assert [c.state for c in selectors.order_student_rows(order_id=order.id)[0].cells] == [selectors.READY] * 3


def test_job_refreshes_the_schedule_first(world, run_jobs, monkeypatch):
    application = accepted(world)
    order = make_order(world, run_jobs, application)
    refreshed = []
    original = services.schedule_services.schedule_generate

    def spy(*, application, actor=None, today=None):
        refreshed.append(application.pk)
        return original(application=application, actor=actor, today=today)

    monkeypatch.setattr(services.schedule_services, "schedule_generate", spy)
    run_jobs(services.attachments_generate, actor=world.admin, order_id=order.id)
    assert refreshed == [application.pk]


def test_only_one_job_runs_per_order(world, run_jobs):
    order = make_order(world, run_jobs, accepted(world))
    running = AttachmentJob.objects.create(order_id=order.id, status=JobStatus.RUNNING, total=3, started_by=world.admin)

    assert services.attachments_generate(actor=world.admin, order_id=order.id) == running
    assert AttachmentJob.objects.filter(order_id=order.id).count() == 2

    # A job that has not moved for longer than the limit is taken for dead: a new one starts.
    AttachmentJob.objects.filter(pk=running.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    job = services.attachments_generate(actor=world.admin, order_id=order.id)
    assert job != running
    running.refresh_from_db()
    assert running.status == JobStatus.FAILED
    assert "Interrupted: no progress for 30 minutes." in running.error


def test_a_failing_student_fails_the_job_and_the_others_get_theirs(world, run_jobs, monkeypatch):
    first, second = two_students(world)
    real = printing.schedule_document_issue

    def broken(*, schedule, actor):
        if schedule.application_id == second.pk:
            raise RuntimeError("the printer is on fire")
        return real(schedule=schedule, actor=actor)

    monkeypatch.setattr(printing, "schedule_document_issue", broken)
    order = make_order(world, run_jobs, first, second)

    job = AttachmentJob.objects.get(order_id=order.id)
    assert (job.status, job.done, job.total) == (JobStatus.FAILED, 6, 6)
    assert job.error == f"{second.student.full_name}: RuntimeError: the printer is on fire"
    assert Attachment.objects.filter(enrolment__application=first).count() == 3
    assert set(Attachment.objects.filter(enrolment__application=second).values_list("kind", flat=True)) == {
        AttachmentKind.APPLICATION,
        AttachmentKind.STUDY_PLAN,
    }


def test_job_in_chunks(world, run_jobs, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 1)
    first, second = two_students(world)
    order = make_order(world, run_jobs, first, second)
    job = AttachmentJob.objects.get(order_id=order.id)
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 6, 6)
    assert Attachment.objects.count() == 6
    assert actions_since(0).count("dlt.order_attachments_finished") == 1


def test_students_added_while_a_job_runs_get_a_job_of_their_own(world, django_capture_on_commit_callbacks):
    first, second = two_students(world)
    with django_capture_on_commit_callbacks(execute=False):
        order = services.dlt_order_create(actor=world.admin, application_ids=[first.pk], effective_date=EFFECTIVE)
        services.dlt_order_add_applications(actor=world.admin, order_id=order.id, application_ids=[second.pk])
    # The first job was queued before the second student came: it covers only the first...
    job = AttachmentJob.objects.get(order_id=order.id)
    Enrolment.objects.filter(application=second).update(created_at=timezone.now() + timedelta(seconds=1))
    AttachmentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, total=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachments_chunk_process(job_id=job.pk, enrolment_ids=[Enrolment.objects.get(application=first).pk])
    # ...and when it finishes, a new job issues the second student's.
    assert list(AttachmentJob.objects.filter(order_id=order.id).order_by("pk").values_list("status", flat=True)) == [
        JobStatus.DONE,
        JobStatus.DONE,
    ]
    assert Attachment.objects.count() == 6


@pytest.mark.parametrize("role", [Role.HEAD, Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT])
def test_only_the_administration_service_generates_attachments(world, run_jobs, make_user, role):
    order = make_order(world, run_jobs, accepted(world))
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.attachments_generate(actor=make_user(role), order_id=order.id)
    assert refused.value.code == "forbidden"
    assert snapshot() == before
