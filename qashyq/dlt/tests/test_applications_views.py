"""Pages of DLT applications: who gets what (200/302/400/404/405), what each POST changes, and the query count
of the review queue."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from qashyq.accounts.tests.factories import UserFactory
from qashyq.audit.models import Event
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType
from qashyq.dlt.models import Application, ApplicationEvent, StudyPlan, SupportingDocument
from qashyq.dlt.services import applications as services
from qashyq.dlt.tests.helpers import PDF_BYTES, TODAY, dlt_world, make_application
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

S = ApplicationStatus
MINE = reverse("dlt:application-mine")
CREATE = reverse("dlt:application-create")
LIST = reverse("dlt:application-list")
MFA = ("admin", "head", "it_support")


def url(name, application):
    return reverse(f"dlt:application-{name}", args=[application.pk])


@pytest.fixture(autouse=True)
def _language_back():
    """A request in a user's language leaves it active in this thread: later tests expect the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(enrol_totp):
    world = dlt_world()
    for user in (world.student_user, world.admin, world.head, world.teacher, world.tutor, world.it_support):
        user.language = "en"
        user.save(update_fields=["language"])
    for who in MFA:
        enrol_totp(getattr(world, who))
    return world


@pytest.fixture
def as_(client, world):
    """`as_("admin")`: the client signed in as that person of the world (or a user passed in)."""

    def sign_in(who):
        user = getattr(world, who) if isinstance(who, str) else who
        client.force_login(user)
        return client

    return sign_in


def other_student(world):
    user = UserFactory(roles=["student"], language="en")
    make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, user=user)
    return user


def form_data(**changes):
    data = {
        "category": Category.MILITARY,
        "justification": "Әскери қызметке шақырылдым.",
        "dlt_types": [DltType.NETWORK],
        "starts_on": (TODAY + timedelta(days=5)).isoformat(),
        "ends_on": "2027-11-30",
        "language": "kk",
        "host_institution": "",
        "host_country": "",
        "abroad_from": "",
        "abroad_until": "",
    }
    data.update(changes)
    return data


# --- anonymous and the wrong people --------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world):
    application = make_application(world.student, status=S.SUBMITTED)
    document = application.documents.get()
    urls = [MINE, CREATE, LIST, reverse("dlt:application-document", args=[document.pk])]
    urls += [url(name, application) for name in ("detail", "edit", "documents", "delete", "pdf")]
    for address in urls:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "mine", "create", "queue"),
    [
        ("student_user", 200, 200, 404),
        ("admin", 404, 404, 200),
        ("head", 404, 404, 200),
        ("teacher", 404, 404, 404),
        ("tutor", 404, 404, 404),
        ("didactics", 404, 404, 404),
        ("it_support", 404, 404, 404),
    ],
)
def test_who_opens_which_page(as_, world, who, mine, create, queue):
    client = as_(who)
    assert client.get(MINE).status_code == mine
    assert client.get(CREATE).status_code == create
    assert client.get(LIST).status_code == queue


# --- my applications --------------------------------------------------------------------------------------


def test_mine_offers_to_write_one_when_none_is_open(as_, world):
    response = as_("student_user").get(MINE)
    assert response.status_code == 200
    assert 'id="write-application"' in response.text
    assert "You have written no application yet." in response.text


def test_mine_lists_them_with_their_new_steps(as_, world):
    application = make_application(world.student, status=S.SUBMITTED)
    services.application_take_for_review(actor=world.admin, application=application)
    services.application_return(actor=world.admin, application=application, comment="Шақыру қағазын қосыңыз")
    response = as_("student_user").get(MINE)
    assert 'id="write-application"' not in response.text  # a returned application is still open
    assert "2 new steps" in response.text
    assert "Шақыру қағазын қосыңыз" in response.text
    assert f"Application No. {application.pk}: Returned for changes" in response.text


# --- writing and changing ------------------------------------------------------------------------------


def test_create_saves_a_draft_and_leads_to_the_documents(as_, world):
    response = as_("student_user").post(CREATE, form_data(dlt_types=["network", "case"]))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("documents", application)
    assert (application.status, application.dlt_types) == (S.DRAFT, ["case", "network"])


def test_create_without_a_category_is_400(as_, world):
    response = as_("student_user").post(CREATE, form_data(category=""))
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_create_while_one_is_open_is_400_with_the_reason(as_, world):
    current = make_application(world.student, status=S.SUBMITTED)
    response = as_("student_user").post(CREATE, form_data())
    assert response.status_code == 400
    assert f"You already have an application (No. {current.pk}" in response.text
    assert Application.objects.count() == 1


def test_create_with_a_period_the_wrong_way_is_400(as_, world):
    response = as_("student_user").post(CREATE, form_data(ends_on=(TODAY + timedelta(days=1)).isoformat()))
    assert response.status_code == 400
    assert "which is not after its start" in response.text
    assert Application.objects.count() == 0


def test_the_form_shows_the_categories_fieldsets(as_, world):
    response = as_("student_user").get(CREATE)
    for legend in ("Category and justification", "What you ask for", "Exchange programme", "Dates abroad"):
        assert f">{legend}</legend>" in response.text
    assert 'name="host_institution"' in response.text


def test_edit_a_draft(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    client = as_("student_user")
    assert client.get(url("edit", draft)).status_code == 200
    response = client.post(url("edit", draft), form_data(justification="Жаңа"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.justification == "Жаңа"


def test_edit_with_a_bad_date_is_400(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    response = as_("student_user").post(url("edit", draft), form_data(starts_on="31.02.2027"))
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["admin", "head", "teacher"])
def test_only_the_student_edits(as_, world, who):
    draft = make_application(world.student, status=S.SUBMITTED)
    assert as_(who).get(url("edit", draft)).status_code == 404
    assert as_(who).post(url("edit", draft), form_data()).status_code == 404


def test_another_student_gets_404_everywhere(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    client = as_(other_student(world))
    for name in ("detail", "edit", "documents", "delete", "pdf"):
        assert client.get(url(name, draft)).status_code == 404, name
    assert client.post(url("submit", draft)).status_code == 404
    assert client.get(reverse("dlt:application-document", args=[draft.documents.get().pk])).status_code == 404


def test_a_submitted_one_is_not_edited(as_, world):
    application = make_application(world.student, status=S.SUBMITTED)
    client = as_("student_user")
    assert client.get(url("edit", application)).status_code == 404
    assert client.get(url("documents", application)).status_code == 404
    assert client.get(url("delete", application)).status_code == 404


# --- documents --------------------------------------------------------------------------------------------


def test_attach_and_take_off_a_document(as_, world):
    draft = make_application(world.student, status=S.DRAFT, with_document=False)
    client = as_("student_user")
    assert client.get(url("documents", draft)).status_code == 200
    upload = SimpleUploadedFile("notice.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url("documents", draft), {"doc_type": DocumentType.MILITARY, "upload": upload})
    assert response.status_code == 302
    document = draft.documents.get()
    assert document.doc_type == DocumentType.MILITARY
    page = client.get(url("documents", draft))
    assert "notice.pdf" in page.text
    response = client.post(url("documents", draft), {"remove": str(document.pk)})
    assert response.status_code == 302
    assert draft.documents.count() == 0


def test_a_document_without_a_type_or_file_is_400(as_, world):
    draft = make_application(world.student, status=S.DRAFT, with_document=False)
    client = as_("student_user")
    upload = SimpleUploadedFile("notice.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url("documents", draft), {"doc_type": "", "upload": upload}).status_code == 400
    assert client.post(url("documents", draft), {"doc_type": DocumentType.MILITARY}).status_code == 400
    fake = SimpleUploadedFile("notice.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = client.post(url("documents", draft), {"doc_type": DocumentType.MILITARY, "upload": fake})
    assert response.status_code == 400
    assert "notice.pdf" in response.text
    assert SupportingDocument.objects.count() == 0


def test_removing_another_applications_document_is_404(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    others = make_application(other_student(world).student, status=S.DRAFT)
    response = as_("student_user").post(url("documents", draft), {"remove": str(others.documents.get().pk)})
    assert response.status_code == 404
    assert SupportingDocument.objects.count() == 2


@pytest.mark.parametrize(("who", "status"), [("student_user", 200), ("admin", 200), ("head", 200), ("teacher", 404)])
def test_download_a_document(as_, world, who, status):
    application = make_application(world.student, status=S.SUBMITTED)
    response = as_(who).get(reverse("dlt:application-document", args=[application.documents.get().pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content if response.streaming else [response.content]) == PDF_BYTES


def test_staff_do_not_download_from_a_draft(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    assert as_("admin").get(reverse("dlt:application-document", args=[draft.documents.get().pk])).status_code == 404


# --- delete, submit ------------------------------------------------------------------------------------------


def test_delete_a_draft(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    client = as_("student_user")
    assert client.get(url("delete", draft)).status_code == 200
    response = client.post(url("delete", draft))
    assert response.status_code == 302
    assert response["Location"] == MINE
    assert Application.objects.count() == 0


def test_delete_refused_by_the_service_is_no_error_page(as_, world, monkeypatch):
    """Submitted between the page's check and the service's lock: the service refuses, the page says so."""
    application = make_application(world.student, status=S.SUBMITTED)
    monkeypatch.setattr("qashyq.dlt.permissions.applications.can_delete", lambda **kwargs: True)
    response = as_("student_user").post(url("delete", application))
    assert response.status_code == 302
    assert response["Location"] == url("detail", application)
    assert Application.objects.get().status == S.SUBMITTED


def test_submit(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    response = as_("student_user").post(url("submit", draft))
    assert response.status_code == 302
    assert Application.objects.get().status == S.SUBMITTED


def test_submit_lists_every_problem_and_changes_nothing(as_, world):
    draft = make_application(world.student, status=S.DRAFT, with_document=False, justification="")
    response = as_("student_user").post(url("submit", draft))
    assert response.status_code == 400
    assert "Justification: Write the justification: why you ask to study by DLT." in response.text
    assert "Supporting documents: Attach at least one supporting document." in response.text
    assert Application.objects.get().status == S.DRAFT
    assert ApplicationEvent.objects.filter(status_to=S.SUBMITTED).count() == 0


def test_submit_is_post_only_and_pages_are_get_only(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    client = as_("student_user")
    assert client.get(url("submit", draft)).status_code == 405
    assert client.post(url("detail", draft)).status_code == 405
    assert client.post(MINE).status_code == 405


# --- one application's page -------------------------------------------------------------------------------


def test_the_students_page_shows_the_steps_and_marks_new_ones_seen(as_, world):
    application = make_application(world.student, status=S.SUBMITTED)
    services.application_take_for_review(actor=world.admin, application=application)
    client = as_("student_user")
    response = client.get(url("detail", application))
    assert response.status_code == 200
    assert 'aria-current="step"' in response.text
    assert ">new</span>" in response.text
    assert application.events.filter(seen_at__isnull=True).count() == 0
    assert ">new</span>" not in client.get(url("detail", application)).text


def test_a_draft_lists_what_is_missing_before_submitting(as_, world):
    draft = make_application(world.student, status=S.DRAFT, with_document=False)
    response = as_("student_user").get(url("detail", draft))
    assert 'id="outstanding"' in response.text
    assert "Attach at least one supporting document." in response.text
    assert url("submit", draft) in response.text


def test_returned_and_rejected_show_the_comment(as_, world):
    returned = make_application(world.student, status=S.RETURNED, comment="Түзетіңіз")
    response = as_("student_user").get(url("detail", returned))
    assert "Returned for changes:" in response.text
    assert "Түзетіңіз" in response.text


def test_the_head_reads_without_review_actions(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    response = as_("head").get(url("detail", application))
    assert response.status_code == 200
    assert url("review", application) not in response.text
    assert url("edit", application) not in response.text


def test_the_reviewer_sees_the_checks_and_the_decision(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    response = as_("admin").get(url("detail", application))
    assert 'id="checks-pass"' in response.text
    assert 'value="accept"' in response.text


def test_staff_do_not_see_a_draft(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    assert as_("admin").get(url("detail", draft)).status_code == 404
    assert as_("head").get(url("detail", draft)).status_code == 404


def test_missing_is_404(as_, world):
    assert as_("admin").get(reverse("dlt:application-detail", args=[999_999])).status_code == 404


def test_plan_and_schedule_are_linked_once_accepted(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    services.application_accept(actor=world.admin, application=application, granted_type=DltType.NETWORK)
    response = as_("student_user").get(url("detail", application))
    assert reverse("dlt:plan-detail", args=[application.pk]) in response.text
    assert reverse("dlt:schedule-detail", args=[application.pk]) in response.text


# --- the review ---------------------------------------------------------------------------------------------


def review(client, application, **data):
    return client.post(url("review", application), data)


def test_take_up_then_accept(as_, world):
    application = make_application(world.student, status=S.SUBMITTED)
    client = as_("admin")
    assert review(client, application, action="take").status_code == 302
    response = review(client, application, action="accept", granted_type=DltType.NETWORK)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.granted_type, application.reviewer) == (
        S.ACCEPTED,
        DltType.NETWORK,
        world.admin,
    )
    assert StudyPlan.objects.filter(application=application).exists()


def test_return_without_a_comment_is_400(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    response = review(as_("admin"), application, action="return", comment="")
    assert response.status_code == 400
    assert "Say what the student is to change." in response.text
    assert Application.objects.get().status == S.UNDER_REVIEW


def test_reject_with_a_reason(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    assert review(as_("admin"), application, action="reject", comment="Санатқа сай емес").status_code == 302
    assert Application.objects.get().status == S.REJECTED


def test_accepting_a_type_not_asked_for_is_400(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    assert review(as_("admin"), application, action="accept", granted_type="tv").status_code == 400
    assert Application.objects.get().status == S.UNDER_REVIEW


def test_an_unknown_action_is_400(as_, world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    assert review(as_("admin"), application, action="approve-all").status_code == 400


def test_accepting_a_submitted_one_not_taken_up_is_400(as_, world):
    application = make_application(world.student, status=S.SUBMITTED)
    response = review(as_("admin"), application, action="accept", granted_type=DltType.NETWORK)
    assert response.status_code == 400
    assert Application.objects.get().status == S.SUBMITTED


@pytest.mark.parametrize("who", ["head", "student_user", "teacher"])
def test_only_the_administration_service_reviews(as_, world, who):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    response = review(as_(who), application, action="accept", granted_type=DltType.NETWORK)
    assert response.status_code == 404
    assert Application.objects.get().status == S.UNDER_REVIEW


def test_a_forged_request_to_approve_ones_own_changes_nothing(as_, world, enrol_totp):
    user = UserFactory(roles=["administration", "student"], language="en")
    enrol_totp(user)
    student = make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, user=user)
    own = make_application(student, status=S.UNDER_REVIEW)
    client = as_(user)  # signing in is an audit event of its own
    events = Event.objects.count()
    response = review(client, own, action="accept", granted_type=DltType.NETWORK)
    assert response.status_code == 404
    own.refresh_from_db()
    assert (own.status, own.granted_type, own.decided_by) == (S.UNDER_REVIEW, "", None)
    assert Event.objects.count() == events
    assert not StudyPlan.objects.exists()


# --- the application as a PDF -------------------------------------------------------------------------------


def test_the_pdf_redirects_to_the_issued_document(as_, world):
    application = make_application(world.student, status=S.SUBMITTED)
    response = as_("student_user").get(url("pdf", application))
    assert response.status_code == 302
    assert response["Location"].startswith("/documents/")
    assert response["Location"].endswith("/pdf/")


def test_no_pdf_of_a_draft(as_, world):
    draft = make_application(world.student, status=S.DRAFT)
    assert as_("student_user").get(url("pdf", draft)).status_code == 404


# --- the review queue ---------------------------------------------------------------------------------------


def queue_world(world, n):
    """`n` more students with a submitted application each."""
    for i in range(n):
        student = make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE)
        make_application(student, status=S.SUBMITTED if i % 2 else S.UNDER_REVIEW)


def test_the_queue_lists_submitted_applications_not_drafts(as_, world):
    make_application(world.student, status=S.DRAFT)
    other = make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, last_name="Сейітова")
    submitted = make_application(other, status=S.SUBMITTED)
    response = as_("admin").get(LIST)
    assert response.status_code == 200
    assert "1 application" in response.text
    assert url("detail", submitted) in response.text


def test_the_queue_filters(as_, world):
    seitova = make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, last_name="Сейітова")
    first = make_application(seitova, status=S.SUBMITTED)
    other = make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, last_name="Ахметов")
    second = make_application(
        other, status=S.UNDER_REVIEW, category=Category.DISABILITY, document_type=DocumentType.DISABILITY
    )
    client = as_("admin")

    def listed(**query):
        text = client.get(LIST, query).text
        return {a.pk for a in (first, second) if url("detail", a) in text}

    assert listed() == {first.pk, second.pk}
    assert listed(status=S.SUBMITTED) == {first.pk}
    assert listed(category=Category.DISABILITY) == {second.pk}
    assert listed(programme=str(world.programme.pk)) == {first.pk, second.pk}
    assert listed(q="сейітова") == {first.pk}
    assert listed(q="seiitova") == {first.pk}


@pytest.mark.parametrize("query", [{"status": "gone"}, {"category": "astronaut"}, {"programme": "x"}])
def test_bad_filters_are_400(as_, world, query):
    assert as_("admin").get(LIST, query).status_code == 400


def test_the_queue_pages(as_, world):
    queue_world(world, 51)
    client = as_("head")
    assert "51 applications" in client.get(LIST).text
    assert client.get(LIST, {"page": "2"}).status_code == 200


def test_the_queue_reads_a_fixed_number_of_queries(as_, world, django_assert_num_queries):
    client = as_("admin")
    queue_world(world, 1)
    client.get(LIST)  # the account's row is cached from here on
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    queue_world(world, 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST, {"status": "", "category": "", "programme": "", "q": ""}).status_code == 200
    assert len(many) == len(few)
    # The session (account and roles cached), its second factor; the programmes of the
    # filter; a count; the page.
    with django_assert_num_queries(5):
        client.get(LIST)


def test_applications_dated_explicitly_need_no_today(world):
    """The helpers' applications start five days from 26.11.2026 (the day these tests were written)."""
    assert make_application(world.student, status=S.DRAFT).starts_on == date(2026, 12, 1)
