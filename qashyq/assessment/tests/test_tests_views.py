"""Pages of a test for the course's staff (views/tests.py): status codes, what they show and change, query
counts of the results page."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from qashyq.accounts.tests.factories import UserFactory
from qashyq.assessment import models
from qashyq.assessment.data import QuestionType
from qashyq.assessment.tests.helpers import exam_world, make_test
from qashyq.assessment.tests.teacher_helpers import finished_attempt
from qashyq.content.data import EnrolmentSource
from qashyq.content.models import Enrolment
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def _login(client, user, enrol_totp=None):
    if enrol_totp is not None:
        enrol_totp(user)
    client.force_login(user)


def _url(name, *args):
    return reverse(f"assessment:{name}", args=args)


# --- test_for_item and test_detail ----------------------------------------------------------------------------


def test_the_teacher_opening_the_item_creates_the_test(client, world):
    _login(client, world.teacher)
    response = client.get(_url("test-for-item", world.item.pk))
    test = models.Test.objects.get(item=world.item)
    assert response.status_code == 302
    assert response["Location"] == _url("test-detail", test.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="test-settings-summary"' in html
    assert 'id="blueprint-problems"' in html
    assert _url("test-settings", test.pk) in html
    assert _url("test-blueprint", test.pk) in html


def test_a_student_before_the_test_exists_and_after(client, world):
    _login(client, world.students[0].user)
    response = client.get(_url("test-for-item", world.item.pk))
    assert response.status_code == 200
    assert 'id="test-not-ready"' in response.content.decode()
    assert not models.Test.objects.exists()
    test = make_test(world)
    response = client.get(_url("test-for-item", world.item.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("test-detail", test.pk)
    page = client.get(_url("test-detail", test.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="start-form"' in html  # the student's page
    assert 'id="test-settings-summary"' not in html


@pytest.mark.parametrize("who", ["outsider_teacher", "it_support"])
def test_outsiders_get_404(client, world, who, enrol_totp):
    test = make_test(world)
    _login(client, getattr(world, who), enrol_totp if who == "it_support" else None)
    assert client.get(_url("test-for-item", world.item.pk)).status_code == 404
    assert client.get(_url("test-detail", test.pk)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    test = make_test(world)
    response = client.get(_url("test-detail", test.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["admin", "head", "didactics", "tutor"])
def test_others_who_see_drafts_see_the_summary_without_changing(client, world, who, enrol_totp):
    test = make_test(world)
    _login(client, getattr(world, who), enrol_totp if who in ("admin", "head") else None)
    response = client.get(_url("test-detail", test.pk))
    assert response.status_code == 200
    assert _url("test-settings", test.pk) not in response.content.decode()
    assert client.get(_url("test-settings", test.pk)).status_code == 404
    assert client.post(_url("test-settings", test.pk), {}).status_code == 404


def test_missing_test_is_404(client, world):
    _login(client, world.teacher)
    assert client.get(_url("test-detail", 999_999)).status_code == 404
    assert client.get(_url("test-for-item", 999_999)).status_code == 404


# --- Settings ---------------------------------------------------------------------


def _settings_post(**changes):
    data = {
        "instructions": "",
        "opens_at": "",
        "closes_at": "",
        "time_limit_minutes": "40",
        "grace_seconds": "60",
        "attempts_allowed": "1",
        "grading_method": "highest",
        "pass_percent": "50",
        "access_code": "",
        "allowed_networks": "",
        "identity_check": "none",
        "review_when": "after_submit",
        "review_score": "on",
        "review_responses": "on",
    }
    return data | changes


def test_settings_saved(client, world):
    test = make_test(world)
    _login(client, world.teacher)
    assert client.get(_url("test-settings", test.pk)).status_code == 200
    response = client.post(
        _url("test-settings", test.pk),
        _settings_post(opens_at="2026-12-01T09:00", closes_at="2026-12-01T12:00", allowed_networks="10.0.0.0/8"),
    )
    assert response.status_code == 302
    test.refresh_from_db()
    assert test.time_limit_minutes == 40
    assert test.allowed_networks == "10.0.0.0/8"
    assert timezone.localtime(test.opens_at).hour == 9
    assert test.shuffle_questions is False
    assert test.review_correct is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_limit_minutes": "-5"}, "time_limit_minutes"),
        ({"grace_seconds": "900"}, "grace_seconds"),
        ({"opens_at": "2026-12-02T09:00", "closes_at": "2026-12-01T09:00"}, "closes_at"),
        ({"allowed_networks": "10.0.0.0/33"}, "allowed_networks"),
    ],
)
def test_settings_refused_change_nothing(client, world, changes, field):
    test = make_test(world)
    _login(client, world.teacher)
    response = client.post(_url("test-settings", test.pk), _settings_post(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    test.refresh_from_db()
    assert test.time_limit_minutes == 0


# --- Blueprint ---------------------------------------------------------------------


def test_blueprint_page_add_and_remove_a_rule(client, world):
    test = make_test(world)
    _login(client, world.teacher)
    page = client.get(_url("test-blueprint", test.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="pool-table"' in html
    assert world.bank.name in html
    response = client.post(
        _url("test-blueprint", test.pk),
        {"action": "add", "bank": world.bank.pk, "categories": [world.category.pk], "difficulty": "2", "count": "3"},
    )
    assert response.status_code == 302
    rule = test.rules.order_by("-pk").first()
    assert (rule.count, rule.difficulty, list(rule.categories.all())) == (3, 2, [world.category])
    page = client.get(_url("test-blueprint", test.pk)).content.decode()
    assert 'id="blueprint-problems"' in page  # no medium question in the bank
    response = client.post(_url("test-blueprint", test.pk), {"action": "remove", "rule": rule.pk})
    assert response.status_code == 302
    assert test.rules.count() == 1


def test_blueprint_refuses_bad_rules(client, world):
    test = make_test(world)
    _login(client, world.teacher)
    response = client.post(_url("test-blueprint", test.pk), {"action": "add", "bank": world.bank.pk, "count": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["count"]
    response = client.post(_url("test-blueprint", test.pk), {"action": "add", "bank": 999_999, "count": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["bank"]
    response = client.post(_url("test-blueprint", test.pk), {"action": "remove", "rule": "x"})
    assert response.status_code == 400
    assert test.rules.count() == 1


def test_blueprint_is_for_teachers_only(client, world):
    test = make_test(world)
    _login(client, world.tutor)
    assert client.get(_url("test-blueprint", test.pk)).status_code == 404
    assert (
        client.post(_url("test-blueprint", test.pk), {"action": "remove", "rule": test.rules.get().pk}).status_code
        == 404
    )
    assert test.rules.count() == 1


# --- Accommodations ---------------------------------------------------------------------


def test_accommodations_set_and_remove(client, world):
    test = make_test(world)
    student = world.students[1]
    _login(client, world.teacher)
    page = client.get(_url("test-accommodations", test.pk))
    assert page.status_code == 200
    assert student.full_name in page.content.decode()
    response = client.post(
        _url("test-accommodations", test.pk),
        {"action": "set", "student": student.pk, "extra_time_percent": "50", "reason": "Disability"},
    )
    assert response.status_code == 302
    row = models.Accommodation.objects.get(test=test)
    assert (row.student_id, row.extra_time_percent, row.reason) == (student.pk, 50, "Disability")
    response = client.post(
        _url("test-accommodations", test.pk), {"action": "remove", "student": student.pk, "reason": ""}
    )
    assert response.status_code == 400
    assert 'id="remove-error"' in response.content.decode()
    assert models.Accommodation.objects.count() == 1
    response = client.post(
        _url("test-accommodations", test.pk), {"action": "remove", "student": student.pk, "reason": "Recovered"}
    )
    assert response.status_code == 302
    assert not models.Accommodation.objects.exists()


def test_accommodations_refused(client, world):
    test = make_test(world)
    _login(client, world.teacher)
    response = client.post(
        _url("test-accommodations", test.pk),
        {"action": "set", "student": world.students[0].pk, "extra_time_percent": "50", "reason": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    response = client.post(
        _url("test-accommodations", test.pk),
        {"action": "set", "student": world.students[0].pk, "reason": "Abroad"},
    )
    assert response.status_code == 400  # nothing given
    assert not models.Accommodation.objects.exists()
    _login(client, world.tutor)
    assert client.get(_url("test-accommodations", test.pk)).status_code == 404


# --- Results ---------------------------------------------------------------------


def _more_students(world, count):
    for _n in range(count):
        student = make_student(
            world.students[0].programme,
            group=world.groups[0],
            status=StudentStatus.ACTIVE,
            user=UserFactory.create(roles=["student"]),
        )
        Enrolment.objects.create(course=world.course, student=student, source=EnrolmentSource.GROUP)


def test_results_show_attempts_and_graders(client, world):
    test = make_test(world)
    first = finished_attempt(world, test)
    finished_attempt(world, test, student=1, right=False)
    _login(client, world.teacher)
    response = client.get(_url("test-results", test.pk))
    assert response.status_code == 200
    rows = {r.student_id: r for r in response.context["rows"]}
    assert rows[world.students[0].pk].attempts[0].attempt == first
    assert rows[world.students[0].pk].pending is True
    assert rows[world.students[1].pk].attempts[0].attempt.points == 0
    assert _url("attempt-staff", first.pk) in response.content.decode()
    # The group filter and a tutor's own group.
    response = client.get(_url("test-results", test.pk), {"group": world.groups[1].pk})
    assert [r.student_id for r in response.context["rows"]] == [world.students[1].pk]
    _login(client, world.tutor)
    response = client.get(_url("test-results", test.pk))
    assert [r.student_id for r in response.context["rows"]] == [world.students[1].pk]
    response = client.get(_url("test-results", test.pk), {"group": world.groups[0].pk})
    assert response.context["rows"] == []


def test_results_as_xlsx(client, world):
    test = make_test(world)
    finished_attempt(world, test)
    _login(client, world.tutor)  # sees the second group only
    response = client.get(_url("test-results", test.pk), {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [world.students[1].full_name]
    _login(client, world.teacher)
    response = client.get(_url("test-results", test.pk), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    first = next(r for r in rows[1:] if r[0] == world.students[0].full_name)
    with translation.override("kk"):
        yes = translation.gettext("yes")
    assert first[2:5] == (None, yes, 1)  # the essay awaits grading: no grade yet


@pytest.mark.parametrize("students", [1, 20])
def test_results_query_count_is_fixed(client, world, students, django_assert_max_num_queries):
    test = make_test(world)
    _more_students(world, students - 1)
    finished_attempt(world, test)
    _login(client, world.teacher)
    client.get(_url("test-results", test.pk))  # session and caches warm
    with django_assert_max_num_queries(16):
        response = client.get(_url("test-results", test.pk))
    assert len(response.context["rows"]) == students + 1


@pytest.mark.parametrize("who", ["didactics", "outsider_teacher"])
def test_results_closed_to_those_who_do_not_see_results(client, world, who):
    test = make_test(world)
    _login(client, getattr(world, who))
    assert client.get(_url("test-results", test.pk)).status_code == 404
    assert client.get(_url("test-analysis", test.pk)).status_code == 404
    assert client.get(_url("test-analysis-xlsx", test.pk)).status_code == 404


def test_results_open_to_the_head(client, world, enrol_totp):
    test = make_test(world)
    _login(client, world.head, enrol_totp)
    assert client.get(_url("test-results", test.pk)).status_code == 200


# --- Item analysis ---------------------------------------------------------------------


def test_analysis_page_and_xlsx(client, world):
    test = make_test(world)
    finished_attempt(world, test)
    finished_attempt(world, test, student=1, answers={QuestionType.SINGLE: {"choice": "b"}})
    _login(client, world.teacher)
    response = client.get(_url("test-analysis", test.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="score-chart"' in html
    assert 'id="distribution-table"' in html
    data = response.context["data"]
    assert data.attempts == 2
    single = next(q for q in data.questions if q.qtype == QuestionType.SINGLE)
    assert single.stats.facility == 0.5
    assert [(o[0], o[3]) for o in single.options] == [("a", 1), ("b", 1), ("c", 0), ("d", 0)]
    essay = next(q for q in data.questions if q.qtype == QuestionType.ESSAY)
    assert essay.stats.n == 0  # awaiting grading
    xlsx = client.get(_url("test-analysis-xlsx", test.pk))
    assert xlsx.status_code == 200
    book = load_workbook(BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + len(data.questions)
    single_row = next(r for r in rows[1:] if r[2] == QuestionType.SINGLE)
    assert single_row[3:5] == (2, 0.5)


def test_analysis_with_no_attempts(client, world):
    test = make_test(world)
    _login(client, world.teacher)
    response = client.get(_url("test-analysis", test.pk))
    assert response.status_code == 200
    assert response.context["data"].attempts == 0
    assert 'id="kr20">—' in response.content.decode()


def test_past_window_still_shows_the_staff_pages(client, world):
    test = make_test(world, opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=2))
    _login(client, world.teacher)
    assert client.get(_url("test-detail", test.pk)).status_code == 200
