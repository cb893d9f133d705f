"""The plan's pages: who gets what, what each POST changes (302), bad input (400), 404 for no access, the PDF
redirect, and a fixed number of queries."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from qashyq.academics.tests.factories import CurriculumEntryFactory, DisciplineFactory
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import StaffRole
from qashyq.content.models import CourseStaff
from qashyq.dlt import printing
from qashyq.dlt.data import ApplicationStatus, DltType, PlanStatus
from qashyq.dlt.models import StudyPlanLine
from qashyq.dlt.services.plans import study_plan_generate
from qashyq.dlt.tests.helpers import dlt_world, make_application
from qashyq.dlt.tests.plan_helpers import planned, sign_in, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def setup():
    return planned()


def detail_url(setup):
    return reverse("dlt:plan-detail", args=[setup.application.pk])


def line_of(setup, code):
    return setup.plan.lines.get(discipline__code=code)


def edit_url(line):
    return reverse("dlt:plan-line-edit", args=[line.pk])


# --- Who opens what ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, setup):
    line = line_of(setup, "INF101")
    for url in (detail_url(setup), edit_url(line), reverse("dlt:plan-pdf", args=[setup.application.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("self", 200),
        ("admin", 200),
        ("head", 200),
        ("teacher", 200),
        ("tutor", 200),
        ("other_student", 404),
        ("other_teacher", 404),
        ("other_tutor", 404),
        ("didactics", 404),
        ("it_support", 404),
    ],
)
def test_the_plan_page_by_person(client, enrol_totp, setup, who, status):
    sign_in(client, user_of(setup, who), enrol_totp)
    assert client.get(detail_url(setup)).status_code == status


def test_there_is_no_plan_page_before_acceptance(client, enrol_totp):
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.UNDER_REVIEW)
    sign_in(client, world.admin, enrol_totp)
    assert client.get(reverse("dlt:plan-detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("dlt:plan-detail", args=[999_999])).status_code == 404


def test_the_page_shows_periods_totals_teachers_and_tutors(client, enrol_totp, setup):
    sign_in(client, setup.world.student_user, enrol_totp)
    page = client.get(detail_url(setup)).content.decode()
    assert "Academic period 1 (year 1)" in page
    assert "Academic period 2 (year 1)" in page
    assert "Credits of the period: 10; still to study: 10" in page
    assert '<td id="plan-total">20</td>' in page
    assert setup.world.teacher.full_name in page
    assert setup.world.tutor.full_name in page
    assert "INF101-26" in page
    assert 'id="approve"' not in page
    assert "plan-line-edit" not in page
    assert reverse("dlt:plan-line-edit", args=[line_of(setup, "INF101").pk]) not in page
    assert reverse("dlt:plan-pdf", args=[setup.application.pk]) in page


def test_the_administration_service_sees_what_is_missing(client, enrol_totp):
    world = dlt_world()
    CourseStaff.objects.filter(course=world.courses[1], role=StaffRole.TUTOR).delete()
    setup = planned(world)
    sign_in(client, world.admin, enrol_totp)
    page = client.get(detail_url(setup)).content.decode()
    assert 'id="approve"' in page
    assert "MAT102 Mathematics</a> — no tutor" in page
    assert reverse("dlt:plan-line-edit", args=[line_of(setup, "INF101").pk]) in page


# Session (user and roles cached), second factor; the plan (with application and student), its
# lines (with discipline, course, teacher, tutor); the current academic period and the periods (periods a year).
QUERIES = 6


def test_the_plan_page_reads_a_fixed_number_of_queries(client, enrol_totp, django_assert_num_queries):
    world = dlt_world()
    setup = planned(world)
    sign_in(client, world.admin, enrol_totp)
    url = detail_url(setup)
    client.get(url)
    with django_assert_num_queries(QUERIES) as counted:
        assert client.get(url).status_code == 200
    for n in range(3):
        discipline = DisciplineFactory(code=f"EXT{n}", credits=3)
        CurriculumEntryFactory(programme=world.programme, discipline=discipline, period_number=3 + n)
    study_plan_generate(application=setup.application, today=date(2026, 11, 26))
    assert StudyPlanLine.objects.filter(plan=setup.plan).count() == 7
    with django_assert_num_queries(len(counted)):
        assert client.get(url).status_code == 200


# --- Changing a line ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("head", 404), ("teacher", 404), ("self", 404)])
def test_the_line_form_by_person(client, enrol_totp, setup, who, status):
    sign_in(client, user_of(setup, who), enrol_totp)
    assert client.get(edit_url(line_of(setup, "INF101"))).status_code == status


def test_a_line_is_changed(client, enrol_totp, setup):
    world = setup.world
    sign_in(client, world.admin, enrol_totp)
    tutor = UserFactory(roles=["tutor"])
    line = line_of(setup, "INF101")
    response = client.post(
        edit_url(line),
        {"teacher": world.teacher.pk, "tutor": tutor.pk, "course": "", "dlt_type": DltType.CASE},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(setup)}#line-{line.pk}"
    line.refresh_from_db()
    assert (line.tutor_id, line.course_id, line.dlt_type) == (tutor.pk, None, DltType.CASE)
    setup.plan.refresh_from_db()
    assert setup.plan.version == 2


@pytest.mark.parametrize(
    "change",
    [
        {"tutor": "teacher"},  # an account without the tutor role is not among the choices
        {"course": "other"},  # a course of another discipline neither
        {"dlt_type": "radio"},
    ],
)
def test_a_bad_line_is_400_and_changes_nothing(client, enrol_totp, setup, change):
    world = setup.world
    sign_in(client, world.admin, enrol_totp)
    line = line_of(setup, "INF101")
    data = {"teacher": world.teacher.pk, "tutor": world.tutor.pk, "course": world.courses[0].pk, "dlt_type": "tv"}
    if change.get("tutor") == "teacher":
        data["tutor"] = world.teacher.pk
    elif change.get("course") == "other":
        data["course"] = world.courses[1].pk
    else:
        data.update(change)
    response = client.post(edit_url(line), data)
    assert response.status_code == 400
    line.refresh_from_db()
    assert (line.tutor_id, line.course_id, line.dlt_type) == (world.tutor.pk, world.courses[0].pk, "network")


def test_posting_a_line_as_someone_else_is_404(client, enrol_totp, setup):
    sign_in(client, setup.world.head, enrol_totp)
    line = line_of(setup, "INF101")
    response = client.post(edit_url(line), {"dlt_type": "tv"})
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.dlt_type == "network"


# --- Approval and re-generation ---------------------------------------------------------------------------


def test_the_plan_is_approved(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    response = client.post(reverse("dlt:plan-approve", args=[setup.application.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(setup)
    setup.plan.refresh_from_db()
    assert setup.plan.status == PlanStatus.APPROVED
    page = client.get(detail_url(setup)).content.decode()
    assert 'id="plan-approved"' in page
    assert setup.world.admin.full_name in page
    assert client.post(reverse("dlt:plan-approve", args=[setup.application.pk])).status_code == 400


def test_approval_with_missing_tutors_is_400_naming_them(client, enrol_totp):
    world = dlt_world()
    CourseStaff.objects.filter(course__in=world.courses[2:], role=StaffRole.TUTOR).delete()
    setup = planned(world)
    sign_in(client, world.admin, enrol_totp)
    response = client.post(reverse("dlt:plan-approve", args=[setup.application.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "DB201 Databases (no tutor); WEB202 Web programming (no tutor)" in page
    setup.plan.refresh_from_db()
    assert setup.plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize("who", ["head", "teacher", "self"])
def test_only_the_administration_service_approves_and_regenerates(client, enrol_totp, setup, who):
    sign_in(client, user_of(setup, who), enrol_totp)
    for name in ("dlt:plan-approve", "dlt:plan-regenerate"):
        assert client.post(reverse(name, args=[setup.application.pk])).status_code == 404
    setup.plan.refresh_from_db()
    assert (setup.plan.status, setup.plan.version) == (PlanStatus.DRAFT, 1)


def test_approval_and_regeneration_take_post_only(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    for name in ("dlt:plan-approve", "dlt:plan-regenerate"):
        assert client.get(reverse(name, args=[setup.application.pk])).status_code == 405


def test_the_plan_is_brought_up_to_date(client, enrol_totp, setup):
    world = setup.world
    sign_in(client, world.admin, enrol_totp)
    url = reverse("dlt:plan-regenerate", args=[setup.application.pk])
    response = client.post(url, follow=True)
    assert "nothing changed" in response.content.decode()
    CurriculumEntryFactory(programme=world.programme, discipline=DisciplineFactory(code="NEW105"), period_number=2)
    response = client.post(url)
    assert response.status_code == 302
    assert setup.plan.lines.filter(discipline__code="NEW105").exists()


# --- The PDF ---------------------------------------------------------------------------------------------


def test_the_pdf_is_issued_and_downloaded(client, enrol_totp, setup, monkeypatch):
    calls = []

    def current(*, plan, actor):
        calls.append((plan.pk, actor.pk))
        return SimpleNamespace(id=41)

    monkeypatch.setattr(printing, "study_plan_document_current", current)
    sign_in(client, setup.world.tutor, enrol_totp)
    response = client.get(reverse("dlt:plan-pdf", args=[setup.application.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document-download", args=[41])
    assert calls == [(setup.plan.pk, setup.world.tutor.pk)]


def test_no_pdf_for_those_who_may_not_read_the_plan(client, enrol_totp, setup, monkeypatch):
    monkeypatch.setattr(printing, "study_plan_document_current", lambda **kw: pytest.fail("issued"))
    sign_in(client, user_of(setup, "other_student"), enrol_totp)
    assert client.get(reverse("dlt:plan-pdf", args=[setup.application.pk])).status_code == 404
