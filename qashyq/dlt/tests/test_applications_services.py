"""The services of DLT applications: each use case with exact values, and bad input that changes nothing
(rules 10, 11; the issue's list: no justification, no document, Bolashak on exchange, full-time for military
service, a 3-month trip, a forged self-approval, accepting a draft)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qashyq.accounts.tests.factories import UserFactory
from qashyq.audit.models import Event
from qashyq.content.models import Asset
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType
from qashyq.dlt.models import Application, ApplicationEvent, Schedule, StudyPlan, SupportingDocument
from qashyq.dlt.services import applications as services
from qashyq.dlt.tests.helpers import PDF_BYTES, TODAY, dlt_world, make_application
from qashyq.organization.models import Institution
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def world():
    return dlt_world()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the services schedule after commit (the e-mails) as the real transaction would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def pdf(name="call-up.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def snapshot(application):
    """Everything a refused call must leave as it was."""
    fresh = Application.objects.filter(pk=application.pk).first()
    return (
        services.application_snapshot(fresh) if fresh else None,
        fresh.submitted_at if fresh else None,
        list(ApplicationEvent.objects.order_by("pk").values_list("pk", "status_to", "seen_at")),
        list(SupportingDocument.objects.order_by("pk").values_list("pk", "doc_type", "file_id")),
        Application.objects.count(),
        Event.objects.count(),
        StudyPlan.objects.count(),
        Schedule.objects.count(),
    )


def refused(call, subject=None, /, **kwargs):
    """Call a service that must refuse: returns its ValidationError after checking that nothing changed (about
    `subject`, an application, and everything else the snapshot holds)."""
    before = snapshot(subject) if subject is not None else None
    outbox = len(mail.outbox)
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    if subject is not None:
        assert snapshot(subject) == before
    assert len(mail.outbox) == outbox
    return caught.value


def messages_of(error):
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


def audit_actions(application):
    return list(
        Event.objects.filter(target_type="dlt.application", target_id=str(application.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def student_user_with(world, *roles, **fields):
    """Another student of the world's group, with an account of these roles."""
    user = UserFactory(roles=list(roles) or ["student"])
    fields.setdefault("status", StudentStatus.ACTIVE)
    make_student(world.programme, group=world.group, user=user, **fields)
    return user


CREATE = {
    "category": Category.MILITARY,
    "justification": "  Әскери қызметке шақырылдым.  ",
    "dlt_types": [DltType.NETWORK, DltType.CASE, DltType.NETWORK],
    "starts_on": TODAY + timedelta(days=5),
    "ends_on": date(2027, 11, 30),
    "language": "ru",
}


# --- application_create -----------------------------------------------------------------------------------


class TestCreate:
    def test_the_student_writes_a_draft_of_their_own(self, world):
        application = services.application_create(actor=world.student_user, **CREATE)
        application.refresh_from_db()
        assert application.student_id == world.student.pk
        assert application.status == S.DRAFT
        assert application.justification == "Әскери қызметке шақырылдым."
        assert application.dlt_types == [DltType.CASE, DltType.NETWORK]
        assert application.starts_on == TODAY + timedelta(days=5)
        assert application.ends_on == date(2027, 11, 30)
        assert application.language == "ru"
        assert application.submitted_at is None
        event = application.events.get()
        assert (event.status_from, event.status_to, event.actor_id) == ("", S.DRAFT, world.student_user.pk)
        assert event.seen_at is not None  # their own step is no news to them
        assert audit_actions(application) == ["dlt.application_created"]
        audit = Event.objects.get(action="dlt.application_created")
        assert audit.after["category"] == Category.MILITARY
        assert audit.after["status"] == S.DRAFT
        assert audit.before == {}
        assert mail.outbox == []

    @pytest.mark.parametrize("role", ["administration", "head", "teacher", "tutor", "didactics", "it_support"])
    def test_only_a_student_with_a_record_writes_one(self, world, role):
        error = refused(services.application_create, actor=UserFactory(roles=[role]), **CREATE)
        assert error.code == "forbidden"
        assert Application.objects.count() == 0

    def test_a_student_account_without_a_record_is_refused(self, world):
        error = refused(services.application_create, actor=UserFactory(roles=["student"]), **CREATE)
        assert error.code == "forbidden"

    def test_a_deactivated_student_is_refused(self, world):
        world.student_user.is_active = False
        world.student_user.save()
        refused(services.application_create, actor=world.student_user, **CREATE)
        assert Application.objects.count() == 0

    def test_one_open_application_at_a_time(self, world):
        current = make_application(world.student, status=S.UNDER_REVIEW)
        error = refused(services.application_create, current, actor=world.student_user, **CREATE)
        assert messages_of(error)[NON_FIELD_ERRORS] == [
            f"You already have an application (No. {current.pk}, “Under review”): a new one can be written once it "
            "is rejected, or its order is in force or cancelled."
        ]

    @pytest.mark.parametrize("status", [S.REJECTED, S.ENROLLED, S.CANCELLED])
    def test_a_new_one_after_a_finished_one(self, world, status):
        make_application(world.student, status=status)
        services.application_create(actor=world.student_user, **CREATE)
        assert Application.objects.filter(status=S.DRAFT).count() == 1

    def test_bad_values_are_named_by_field(self, world):
        error = refused(
            services.application_create,
            actor=world.student_user,
            **{
                **CREATE,
                "category": "astronaut",
                "dlt_types": ["radio"],
                "language": "en",
                "ends_on": CREATE["starts_on"],
                "abroad_from": date(2027, 3, 1),
                "abroad_until": date(2027, 2, 1),
            },
        )
        assert set(messages_of(error)) == {"category", "dlt_types", "language", "ends_on", "abroad_until"}
        assert Application.objects.count() == 0


# --- application_update, application_delete ------------------------------------------------------------------


class TestUpdate:
    def test_the_student_changes_a_draft(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        values = {**CREATE, "category": Category.MILITARY, "justification": "Жаңа негіздеме"}
        services.application_update(actor=world.student_user, application=draft, **values)
        draft.refresh_from_db()
        assert draft.justification == "Жаңа негіздеме"
        assert draft.dlt_types == [DltType.CASE, DltType.NETWORK]
        assert draft.language == "ru"
        audit = Event.objects.get(action="dlt.application_updated")
        assert set(audit.after) == {"justification", "dlt_types", "ends_on", "language"}
        assert audit.before["dlt_types"] == [DltType.NETWORK]

    def test_nothing_changed_writes_nothing(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        values = {key: getattr(draft, key) for key in services.STUDENT_FIELDS}
        before = snapshot(draft)
        services.application_update(actor=world.student_user, application=draft, **values)
        assert snapshot(draft) == before

    def test_a_returned_application_may_be_changed(self, world):
        returned = make_application(world.student, status=S.RETURNED, comment="Құжат жоқ")
        services.application_update(actor=world.student_user, application=returned, **CREATE)
        returned.refresh_from_db()
        assert returned.language == "ru"

    @pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.REJECTED])
    def test_not_once_it_is_submitted(self, world, status):
        application = make_application(world.student, status=status)
        error = refused(
            services.application_update, application, actor=world.student_user, application=application, **CREATE
        )
        assert error.code == "not_editable"

    def test_another_student_cannot_change_it(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        other = student_user_with(world)
        error = refused(services.application_update, draft, actor=other, application=draft, **CREATE)
        assert error.code == "forbidden"

    def test_staff_cannot_change_it(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        refused(services.application_update, draft, actor=world.admin, application=draft, **CREATE)


class TestDelete:
    def test_the_student_deletes_a_draft(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        pk = draft.pk
        services.application_delete(actor=world.student_user, application=draft)
        assert not Application.objects.filter(pk=pk).exists()
        assert SupportingDocument.objects.count() == 0
        audit = Event.objects.get(action="dlt.application_deleted")
        assert audit.target_id == str(pk)
        assert audit.before["status"] == S.DRAFT

    def test_the_stored_files_go_with_the_draft(self, world, run_on_commit):
        draft = make_application(world.student, status=S.DRAFT)
        stored = draft.documents.get().file
        name, storage = stored.file.name, stored.file.storage
        run_on_commit(services.application_delete, actor=world.student_user, application=draft)
        assert not Asset.objects.filter(pk=stored.pk).exists()
        assert not storage.exists(name)

    @pytest.mark.parametrize("status", [S.SUBMITTED, S.RETURNED])
    def test_only_a_draft(self, world, status):
        application = make_application(world.student, status=status)
        error = refused(services.application_delete, application, actor=world.student_user, application=application)
        assert error.code == "wrong_status"

    def test_not_by_another(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        refused(services.application_delete, draft, actor=world.admin, application=draft)


# --- supporting documents ---------------------------------------------------------------------------------


class TestDocuments:
    def test_a_document_is_stored_privately_with_its_type(self, world):
        draft = make_application(world.student, status=S.DRAFT, with_document=False)
        document = services.supporting_document_add(
            actor=world.student_user,
            application=draft,
            doc_type=DocumentType.MILITARY,
            upload=pdf(),
            issued_on=date(2026, 11, 1),
            description=" Шақыру қағазы ",
        )
        document.refresh_from_db()
        asset = Asset.objects.get(pk=document.file_id)
        assert asset.original_name == "call-up.pdf"
        assert asset.content_type == "application/pdf"
        assert (document.doc_type, document.issued_on, document.description) == (
            DocumentType.MILITARY,
            date(2026, 11, 1),
            "Шақыру қағазы",
        )
        assert document.uploaded_by == world.student_user
        audit = Event.objects.get(action="dlt.application_document_added")
        assert audit.after["doc_type"] == DocumentType.MILITARY
        assert audit.after["name"] == "call-up.pdf"

    def test_the_type_is_required(self, world):
        draft = make_application(world.student, status=S.DRAFT, with_document=False)
        assets = Asset.objects.count()
        error = refused(
            services.supporting_document_add,
            draft,
            actor=world.student_user,
            application=draft,
            doc_type="",
            upload=pdf(),
        )
        assert messages_of(error) == {"doc_type": ["Choose the type of the document."]}
        assert Asset.objects.count() == assets

    def test_a_file_that_is_not_what_it_says_is_refused(self, world):
        draft = make_application(world.student, status=S.DRAFT, with_document=False)
        fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
        error = refused(
            services.supporting_document_add,
            draft,
            actor=world.student_user,
            application=draft,
            doc_type=DocumentType.MILITARY,
            upload=fake,
        )
        assert list(messages_of(error)) == ["upload"]
        assert "scan.pdf" in messages_of(error)["upload"][0]

    def test_not_once_submitted(self, world):
        application = make_application(world.student, status=S.SUBMITTED)
        refused(
            services.supporting_document_add,
            application,
            actor=world.student_user,
            application=application,
            doc_type=DocumentType.OTHER,
            upload=pdf(),
        )

    def test_not_by_another_student(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        refused(
            services.supporting_document_add,
            draft,
            actor=student_user_with(world),
            application=draft,
            doc_type=DocumentType.OTHER,
            upload=pdf(),
        )

    def test_the_student_takes_one_off(self, world, run_on_commit):
        draft = make_application(world.student, status=S.DRAFT)
        document = draft.documents.get()
        stored = document.file
        run_on_commit(services.supporting_document_remove, actor=world.student_user, document=document)
        assert draft.documents.count() == 0
        assert not Asset.objects.filter(pk=stored.pk).exists()
        assert not stored.file.storage.exists(stored.file.name)
        assert Event.objects.get(action="dlt.application_document_removed").before["doc_type"] == DocumentType.MILITARY

    def test_not_off_a_submitted_one(self, world):
        application = make_application(world.student, status=S.SUBMITTED)
        refused(
            services.supporting_document_remove,
            application,
            actor=world.student_user,
            document=application.documents.get(),
        )


# --- application_submit ----------------------------------------------------------------------------------


class TestSubmit:
    def test_a_complete_draft_is_submitted_and_the_student_told(self, world, run_on_commit):
        draft = make_application(world.student, status=S.DRAFT)
        run_on_commit(services.application_submit, actor=world.student_user, application=draft, today=TODAY)
        draft.refresh_from_db()
        assert draft.status == S.SUBMITTED
        assert draft.submitted_at is not None
        event = draft.events.get()
        assert (event.status_from, event.status_to) == (S.DRAFT, S.SUBMITTED)
        assert event.seen_at is not None
        audit = Event.objects.get(action="dlt.application_submitted")
        assert (audit.before, audit.after["status"]) == ({"status": S.DRAFT}, S.SUBMITTED)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [world.student_user.email]

    def test_a_returned_one_is_submitted_again_and_the_comment_cleared(self, world):
        returned = make_application(world.student, status=S.RETURNED, comment="Құжатты қосыңыз")
        services.application_submit(actor=world.student_user, application=returned, today=TODAY)
        returned.refresh_from_db()
        assert (returned.status, returned.comment) == (S.SUBMITTED, "")
        assert returned.events.get().status_from == S.RETURNED

    def test_no_justification(self, world):
        draft = make_application(world.student, status=S.DRAFT, justification="   ")
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert messages_of(error) == {"justification": ["Write the justification: why you ask to study by DLT."]}

    def test_no_document(self, world):
        draft = make_application(world.student, status=S.DRAFT, with_document=False)
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert messages_of(error) == {
            "documents": [
                "Attach at least one supporting document.",
                "Attach the supporting document of this category: “Call-up notice for military service”.",
            ]
        }

    def test_a_bolashak_scholar_on_exchange(self, world):
        world.student.bolashak = True
        world.student.save()
        draft = make_application(
            world.student,
            status=S.DRAFT,
            category=Category.EXCHANGE,
            document_type=DocumentType.EXCHANGE,
            host_institution="Universität Wien",
            host_country="Austria",
            abroad_from=date(2027, 2, 1),
            abroad_until=date(2027, 6, 30),
        )
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert list(messages_of(error)) == ["category"]
        assert messages_of(error)["category"][0].startswith("Bolashak scholars are excluded by rule 10")

    def test_a_full_time_student_for_military_service(self, db):
        world = dlt_world(form_of_study="full_time")
        draft = make_application(world.student, status=S.DRAFT)
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert messages_of(error) == {
            "category": [
                "Students called up for military service study by DLT only in correspondence (extramural) study; "
                "your form of study is “Full-time”."
            ]
        }

    def test_a_three_month_trip(self, world):
        draft = make_application(
            world.student,
            status=S.DRAFT,
            category=Category.BUSINESS_TRIP,
            document_type=DocumentType.BUSINESS_TRIP,
            abroad_from=date(2027, 1, 10),
            abroad_until=date(2027, 4, 10),
        )
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert messages_of(error) == {
            "abroad_until": [
                "The business trip from 10.01.2027 to 10.04.2027 lasts 3 months: this category is for a business "
                "trip abroad of more than 4 months."
            ]
        }

    def test_a_trip_of_four_months_and_a_day_is_submitted(self, world):
        draft = make_application(
            world.student,
            status=S.DRAFT,
            category=Category.BUSINESS_TRIP,
            document_type=DocumentType.BUSINESS_TRIP,
            abroad_from=date(2027, 1, 10),
            abroad_until=date(2027, 5, 11),
        )
        services.application_submit(actor=world.student_user, application=draft, today=TODAY)
        assert Application.objects.get(pk=draft.pk).status == S.SUBMITTED

    def test_every_problem_is_listed_at_once(self, db):
        world = dlt_world(form_of_study="full_time")
        draft = make_application(
            world.student,
            status=S.DRAFT,
            with_document=False,
            justification="",
            dlt_types=[],
            starts_on=TODAY - timedelta(days=1),
        )
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert set(messages_of(error)) == {"justification", "dlt_types", "starts_on", "documents", "category"}
        assert len(messages_of(error)["documents"]) == 2

    def test_an_institution_without_permission_to_use_dlt(self, world):
        Institution.objects.update(dlt_permission_number="", dlt_permission_date=None)
        draft = make_application(world.student, status=S.DRAFT)
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert messages_of(error) == {
            NON_FIELD_ERRORS: ["No permission of the authorized body to use DLT is recorded."]
        }

    def test_a_student_who_is_not_studying(self, world):
        world.student.status = StudentStatus.ACADEMIC_LEAVE
        world.student.save()
        draft = make_application(world.student, status=S.DRAFT)
        error = refused(services.application_submit, draft, actor=world.student_user, application=draft, today=TODAY)
        assert messages_of(error) == {
            NON_FIELD_ERRORS: ["Only a studying student applies for DLT; your record's status is “On academic leave”."]
        }

    def test_twice(self, world):
        application = make_application(world.student, status=S.SUBMITTED)
        error = refused(
            services.application_submit, application, actor=world.student_user, application=application, today=TODAY
        )
        assert error.code == "not_editable"

    def test_not_by_staff(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        refused(services.application_submit, draft, actor=world.admin, application=draft, today=TODAY)


# --- the review ---------------------------------------------------------------------------------------------


@pytest.fixture
def self_student_admin(world):
    """A member of the administration service who is also a student."""
    return student_user_with(world, "administration", "student")


class TestTakeForReview:
    def test_the_administration_service_takes_it_up(self, world, run_on_commit):
        application = make_application(world.student, status=S.SUBMITTED)
        run_on_commit(services.application_take_for_review, actor=world.admin, application=application)
        application.refresh_from_db()
        assert (application.status, application.reviewer) == (S.UNDER_REVIEW, world.admin)
        event = application.events.get()
        assert (event.status_from, event.status_to, event.actor, event.seen_at) == (
            S.SUBMITTED,
            S.UNDER_REVIEW,
            world.admin,
            None,
        )
        audit = Event.objects.get(action="dlt.application_taken_for_review")
        assert audit.after == {"status": S.UNDER_REVIEW, "reviewer": world.admin.pk}
        assert len(mail.outbox) == 1

    @pytest.mark.parametrize("who", ["head", "teacher", "tutor", "didactics", "it_support", "student_user"])
    def test_no_one_else(self, world, who):
        application = make_application(world.student, status=S.SUBMITTED)
        error = refused(
            services.application_take_for_review, application, actor=getattr(world, who), application=application
        )
        assert error.code == "forbidden"

    def test_not_a_draft(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        error = refused(services.application_take_for_review, draft, actor=world.admin, application=draft)
        assert error.code == "wrong_status"

    def test_not_ones_own(self, world, self_student_admin):
        own = make_application(self_student_admin.student, status=S.SUBMITTED)
        error = refused(services.application_take_for_review, own, actor=self_student_admin, application=own)
        assert error.messages == ["You cannot review your own application: another member of the service does."]


class TestReturnAndReject:
    def test_return_with_a_comment(self, world, run_on_commit):
        application = make_application(world.student, status=S.UNDER_REVIEW, reviewer=world.admin)
        run_on_commit(
            services.application_return, actor=world.admin, application=application, comment=" Құжатты қосыңыз "
        )
        application.refresh_from_db()
        assert (application.status, application.comment) == (S.RETURNED, "Құжатты қосыңыз")
        assert application.events.get().comment == "Құжатты қосыңыз"
        audit = Event.objects.get(action="dlt.application_returned")
        assert audit.reason == "Құжатты қосыңыз"
        assert "Құжатты қосыңыз" in mail.outbox[0].body

    def test_return_needs_a_comment(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        error = refused(
            services.application_return, application, actor=world.admin, application=application, comment=" "
        )
        assert messages_of(error) == {"comment": ["Say what the student is to change."]}

    def test_reject_with_a_reason(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        services.application_reject(actor=world.admin, application=application, reason="Санатқа сәйкес емес")
        application.refresh_from_db()
        assert (application.status, application.comment, application.decided_by) == (
            S.REJECTED,
            "Санатқа сәйкес емес",
            world.admin,
        )
        assert application.decided_at is not None
        assert audit_actions(application) == ["dlt.application_rejected"]

    def test_reject_needs_a_reason(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        error = refused(services.application_reject, application, actor=world.admin, application=application, reason="")
        assert messages_of(error) == {"comment": ["Give the reason for rejecting the application."]}

    def test_only_under_review(self, world):
        application = make_application(world.student, status=S.SUBMITTED)
        refused(services.application_reject, application, actor=world.admin, application=application, reason="x")

    def test_the_head_reads_but_does_not_decide(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        refused(services.application_return, application, actor=world.head, application=application, comment="x")


class TestAccept:
    def test_accepted_with_a_type_asked_for_then_plan_and_schedule_built(self, world, run_on_commit):
        application = make_application(
            world.student, status=S.UNDER_REVIEW, dlt_types=[DltType.NETWORK, DltType.CASE], reviewer=world.admin
        )
        run_on_commit(services.application_accept, actor=world.admin, application=application, granted_type="case")
        application.refresh_from_db()
        assert (application.status, application.granted_type, application.decided_by) == (
            S.ACCEPTED,
            DltType.CASE,
            world.admin,
        )
        assert StudyPlan.objects.filter(application=application).exists()
        assert Schedule.objects.filter(application=application).exists()
        assert application.study_plan.lines.count() == 4
        audit = Event.objects.get(action="dlt.application_accepted")
        assert audit.after["status"] == S.ACCEPTED
        assert audit.after["granted_type"] == DltType.CASE
        assert len(mail.outbox) == 1

    def test_a_type_not_asked_for_is_refused(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        error = refused(
            services.application_accept, application, actor=world.admin, application=application, granted_type="tv"
        )
        assert messages_of(error) == {
            "granted_type": ["Grant one of the DLT types the student asked for: Network technology."]
        }

    def test_accepting_a_draft_is_refused(self, world):
        draft = make_application(world.student, status=S.DRAFT)
        error = refused(
            services.application_accept, draft, actor=world.admin, application=draft, granted_type=DltType.NETWORK
        )
        assert error.code == "wrong_status"

    @pytest.mark.parametrize("status", [S.SUBMITTED, S.RETURNED, S.REJECTED, S.ACCEPTED])
    def test_accepting_outside_review_is_refused(self, world, status):
        application = make_application(world.student, status=status)
        refused(
            services.application_accept,
            application,
            actor=world.admin,
            application=application,
            granted_type=DltType.NETWORK,
        )

    def test_a_forged_self_approval_is_refused(self, world, self_student_admin):
        own = make_application(self_student_admin.student, status=S.UNDER_REVIEW)
        error = refused(
            services.application_accept, own, actor=self_student_admin, application=own, granted_type=DltType.NETWORK
        )
        assert error.code == "forbidden"

    def test_a_student_never_approves(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        refused(
            services.application_accept,
            application,
            actor=world.student_user,
            application=application,
            granted_type=DltType.NETWORK,
        )

    def test_eligibility_is_checked_again(self, world):
        application = make_application(world.student, status=S.UNDER_REVIEW)
        world.student.form_of_study = "full_time"
        world.student.save()
        error = refused(
            services.application_accept,
            application,
            actor=world.admin,
            application=application,
            granted_type=DltType.NETWORK,
        )
        assert list(messages_of(error)) == ["category"]


# --- the order's steps ----------------------------------------------------------------------------------


class TestStatusSet:
    @pytest.mark.parametrize(
        ("start", "to", "verb"),
        [
            (S.ACCEPTED, S.IN_ORDER, "put_in_order"),
            (S.IN_ORDER, S.ACCEPTED, "taken_out_of_order"),
            (S.IN_ORDER, S.ENROLLED, "enrolled"),
            (S.IN_ORDER, S.CANCELLED, "cancelled"),
            (S.ENROLLED, S.CANCELLED, "cancelled"),
        ],
    )
    def test_each_step_of_the_order(self, world, run_on_commit, start, to, verb):
        application = make_application(world.student, status=start)
        result = run_on_commit(
            services.application_status_set, application=application, status=to, actor=None, comment="№ 12-ҚОТ"
        )
        assert result.status == to
        application.refresh_from_db()
        assert application.status == to
        event = application.events.get()
        assert (event.status_from, event.status_to, event.actor, event.comment, event.seen_at) == (
            start,
            to,
            None,
            "№ 12-ҚОТ",
            None,
        )
        audit = Event.objects.get(action=f"dlt.application_{verb}")
        assert (audit.before, audit.after, audit.reason) == ({"status": start}, {"status": to}, "№ 12-ҚОТ")
        assert len(mail.outbox) == 1

    def test_by_the_administration_service(self, world):
        application = make_application(world.student, status=S.ACCEPTED)
        services.application_status_set(application=application, status=S.IN_ORDER, actor=world.admin)
        assert application.events.get().actor == world.admin

    @pytest.mark.parametrize(
        ("start", "to"),
        [(S.SUBMITTED, S.IN_ORDER), (S.DRAFT, S.ENROLLED), (S.ACCEPTED, S.ENROLLED), (S.ACCEPTED, "graduated")],
    )
    def test_other_steps_are_refused(self, world, start, to):
        application = make_application(world.student, status=start)
        error = refused(services.application_status_set, application, application=application, status=to)
        assert error.code == "wrong_status"

    @pytest.mark.parametrize("who", ["student_user", "teacher", "tutor", "didactics"])
    def test_not_by_others(self, world, who):
        application = make_application(world.student, status=S.ACCEPTED)
        error = refused(
            services.application_status_set,
            application,
            application=application,
            status=S.IN_ORDER,
            actor=getattr(world, who),
        )
        assert error.code == "forbidden"

    def test_not_on_ones_own(self, world, self_student_admin):
        own = make_application(self_student_admin.student, status=S.ACCEPTED)
        refused(services.application_status_set, own, application=own, status=S.IN_ORDER, actor=self_student_admin)


# --- in-app notices ---------------------------------------------------------------------------------------


def test_the_student_sees_the_steps_of_others_once(world):
    application = make_application(world.student, status=S.SUBMITTED)
    services.application_take_for_review(actor=world.admin, application=application)
    services.application_return(actor=world.admin, application=application, comment="Түзетіңіз")
    assert application.events.filter(seen_at__isnull=True).count() == 2
    assert services.application_notices_seen(actor=world.admin, application=application) == 0
    assert services.application_notices_seen(actor=world.student_user, application=application) == 2
    assert application.events.filter(seen_at__isnull=True).count() == 0
