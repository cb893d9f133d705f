"""The journal pages: the list of gradebooks, the journal of a course (who may open it, which groups, read-only or
open cells, a fixed number of queries), entering a score in a cell with htmx and without JavaScript (200, 302,
400, 403, 404), a cell's details and history, a student's row, and the change request of a closed period."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qashyq.audit.models import Event
from qashyq.audit.tests.helpers import LEDGER_LOCK
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.gradebook.data import ChangeStatus
from qashyq.gradebook.models import CourseResult, Grade, GradeChangeRequest, PeriodClosure
from qashyq.gradebook.tests.factories import grade, gradebook_world
from qashyq.gradebook.tests.journal_helpers import large_journal
from qashyq.gradebook.tests.pages_helpers import sign_in

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world():
    """The gradebook world with TK1 open for entry now (due tomorrow) and TK2 closed (due a month ago)."""
    world = gradebook_world()
    tk1, tk2 = world.measure("tk1"), world.measure("tk2")
    tk1.week, tk1.due_at = None, timezone.now() + timedelta(days=1)
    tk1.save()
    tk2.week, tk2.due_at = None, timezone.now() - timedelta(days=30)
    tk2.save()
    return world


@pytest.fixture
def as_(client, world, enrol_totp):
    def sign(role):
        return sign_in(client, world, role, enrol_totp)

    return sign


def journal_url(world, **query):
    url = reverse("gradebook:journal", args=[world.course.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def enter_url(world, **query):
    url = reverse("gradebook:grade-enter", args=[world.course.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def entry(world, student, measure="tk1", score="87.5", **extra):
    return {"measure": world.measure(measure).pk, "student": student.pk, "score": score, **extra}


# --- The list of gradebooks ---------------------------------------------------------------------------------


def test_the_list_of_gradebooks(as_, world):
    response = as_("teacher").get(reverse("gradebook:course-list"))
    assert response.status_code == 200
    assert [c.course.id for c in response.context["courses"]] == [world.course.pk]
    html = response.content.decode()
    assert reverse("gradebook:journal", args=[world.course.pk]) in html
    assert reverse("gradebook:measure-list", args=[world.course.pk]) in html
    # The administration service sees every course, filterable by period.
    admin = as_("admin").get(reverse("gradebook:course-list"), {"period": world.period.pk})
    assert {c.course.id for c in admin.context["courses"]} == {world.course.pk, world.other_course.pk}
    assert as_("admin").get(reverse("gradebook:course-list"), {"period": "x"}).status_code == 200


def test_the_list_of_gradebooks_is_empty_for_a_student_and_asks_anonymous_to_sign_in(as_, world):
    response = as_("student").get(reverse("gradebook:course-list"))
    assert response.status_code == 200
    assert response.context["courses"] == []
    assert 'id="no-courses"' in response.content.decode()
    assert as_("anonymous").get(reverse("gradebook:course-list")).status_code == 302


@pytest.mark.parametrize("extra", [0, 6])
def test_the_list_of_gradebooks_costs_a_fixed_number_of_queries(as_, world, django_assert_num_queries, extra):
    for n in range(extra):
        add_staff(CourseFactory.create(code=f"ZZ-{n}", period=world.period), world.teacher)
    client = as_("teacher")
    client.get(reverse("gradebook:course-list"))
    # the session (user and roles cached); the disciplines taught, the courses and their groups, their staff
    # and the staff's groups, the periods, the groups
    with django_assert_num_queries(9):
        response = client.get(reverse("gradebook:course-list"))
    assert len(response.context["courses"]) == 1 + extra


# --- The journal page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("tutor", 200),
        ("admin", 200),
        ("head", 200),
        ("student", 404),
        ("outsider_teacher", 404),
        ("outsider_tutor", 404),
        ("didactics", 404),
        ("it_support", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_journal(as_, world, role, status):
    assert as_(role).get(journal_url(world)).status_code == status


def test_a_missing_course_is_404(as_):
    assert as_("teacher").get(reverse("gradebook:journal", args=[999999])).status_code == 404


def test_the_journal_table_for_the_teacher(as_, world):
    grade(world.measure("tk1"), world.students[0], "87.5", by=world.teacher)
    response = as_("teacher").get(journal_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    # A caption, headers with scopes, a header row per part, the sticky name column.
    assert '<caption id="journal-caption">' in html
    assert 'scope="colgroup"' in html
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert html.count('class="qh-part qh-part-') == 6
    assert 'class="qh-sticky"' in html
    # Open cells are inputs posting to the cell endpoint; the closed window of TK2 is read-only.
    student = world.students[0]
    tk1, tk2 = world.measure("tk1"), world.measure("tk2")
    assert f'id="s{tk1.pk}-{student.pk}-1" name="score" value="87.50"' in html
    assert f'hx-post="{enter_url(world)}"' in html
    assert f'id="s{tk2.pk}-{student.pk}-1"' not in html
    assert f'id="c{tk2.pk}-{student.pk}-1"' in html
    # Who entered the value and when.
    assert f"Entered by {world.teacher.full_name}" in html
    assert reverse("gradebook:student-row", args=[world.course.pk, student.pk]) in html
    # The computed columns of each row.
    assert f'id="r{student.pk}-letter"' in html
    assert len(response.context["rows"]) == 4


def test_the_head_reads_the_journal_without_inputs(as_, world):
    grade(world.measure("tk1"), world.students[0], "87.5", by=world.teacher)
    html = as_("head").get(journal_url(world)).content.decode()
    assert 'name="score"' not in html
    detail = reverse("gradebook:grade-detail", args=[world.course.pk, world.measure("tk1").pk, world.students[0].pk])
    assert f'href="{detail}"' in html


def test_a_tutor_sees_the_groups_of_their_staff_row_only(as_, world):
    response = as_("tutor").get(journal_url(world))
    assert {r.student_id for r in response.context["journal"].rows} == {s.pk for s in world.students[2:]}
    assert as_("tutor").get(journal_url(world, group=world.groups[0].pk)).status_code == 404
    assert as_("tutor").get(journal_url(world, group=world.groups[1].pk)).status_code == 200


def test_one_group_of_the_journal(as_, world):
    response = as_("teacher").get(journal_url(world, group=world.groups[0].pk))
    assert response.status_code == 200
    assert {r.student_id for r in response.context["journal"].rows} == {s.pk for s in world.students[:2]}
    assert "group GB-26-1" in response.content.decode()
    assert as_("teacher").get(journal_url(world, group="x")).status_code == 404
    assert as_("teacher").get(journal_url(world, group=999999)).status_code == 404


def test_a_closed_period_shows_read_only_cells_with_a_way_to_request_a_change(as_, world):
    grade(world.measure("tk1"), world.students[0], "87.5", by=world.teacher)
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    html = as_("teacher").get(journal_url(world)).content.decode()
    assert 'id="period-closed"' in html
    assert 'name="score"' not in html
    assert "Request a grade for" in html


def test_a_course_without_measures_says_so(as_, world):
    for measure in world.measures.values():
        measure.delete()
    html = as_("teacher").get(journal_url(world)).content.decode()
    assert 'id="no-measures"' in html
    assert reverse("gradebook:measure-create", args=[world.course.pk]) in html


@pytest.mark.parametrize(("students", "columns"), [(3, 5), (30, 40)])
def test_the_journal_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, students, columns):
    # given
    big = large_journal(students=students, columns=columns)
    client.force_login(big.teacher)
    url = reverse("gradebook:journal", args=[big.course.pk])
    client.get(url)
    # when / then: the session (user and roles cached); course, its groups and the staff rows; the journal's eleven
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == students
    editable = sum(c.editable for r in response.context["journal"].rows for c in r.cells)
    assert editable >= students * (columns - 3)  # every column but the exam's two for some
    assert response.content.decode().count('name="score"') == editable


# --- Entering a score with htmx ------------------------------------------------------------------------------


def test_htmx_entry_returns_the_cell_and_the_rows_computed_columns(as_, world):
    # given
    student = world.students[0]
    # when
    response = as_("teacher").post(enter_url(world), entry(world, student), headers=HTMX)
    # then
    assert response.status_code == 200
    saved = Grade.objects.get(measure=world.measure("tk1"), student=student)
    assert (saved.score, saved.entered_by, saved.changes) == (Decimal("87.50"), world.teacher, 0)
    html = response.content.decode()
    key = f"{world.measure('tk1').pk}-{student.pk}-1"
    assert html.startswith(f'<td id="c{key}" class="qh-cell">')
    assert f'id="s{key}" name="score" value="87.50"' in html
    assert f'<td id="r{student.pk}-tk1" class="qh-computed" hx-swap-oob="true">87.50</td>' in html
    assert 'id="journal-status" hx-swap-oob="innerHTML"' in html
    assert CourseResult.objects.get(course=world.course, student=student).tk1 == Decimal("87.50")
    assert Event.objects.filter(action="gradebook.grade_entered").count() == 1


def test_htmx_entry_of_a_score_out_of_range_shows_the_message_and_changes_nothing(as_, world):
    student = world.students[0]
    response = as_("teacher").post(enter_url(world), entry(world, student, score="120"), headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "A score is a number from 0 to 100 with at most two decimals." in html
    assert 'aria-invalid="true"' in html
    assert 'value="120"' in html
    assert not Grade.objects.exists()
    garbage = as_("teacher").post(enter_url(world), entry(world, student, score="abc"), headers=HTMX)
    assert garbage.status_code == 400
    assert "A score is a number from 0 to 100" in garbage.content.decode()
    assert not Grade.objects.exists()


def test_a_comma_is_a_decimal_separator(as_, world):
    response = as_("teacher").post(enter_url(world), entry(world, world.students[0], score="87,5"), headers=HTMX)
    assert response.status_code == 200
    assert Grade.objects.get().score == Decimal("87.50")


def test_a_change_asks_for_a_reason_then_takes_it(as_, world):
    # given
    student = world.students[0]
    client = as_("teacher")
    client.post(enter_url(world), entry(world, student), headers=HTMX)
    # when: a change without a reason
    asked = client.post(enter_url(world), entry(world, student, score="90"), headers=HTMX)
    # then: refused, the cell asks for the reason and keeps the new score
    assert asked.status_code == 400
    html = asked.content.decode()
    assert 'name="reason"' in html
    assert "autofocus" in html
    assert "Give the reason for changing the grade." in html
    assert 'value="90"' in html
    assert Grade.objects.get().score == Decimal("87.50")
    # when: with the reason
    changed = client.post(enter_url(world), entry(world, student, score="90", reason="Қате енгізілді"), headers=HTMX)
    # then
    assert changed.status_code == 200
    grade_row = Grade.objects.get()
    assert (grade_row.score, grade_row.changes) == (Decimal("90.00"), 1)
    event = Event.objects.filter(action="gradebook.grade_changed").get()
    assert (event.before, event.reason) == ({"score": "87.50"}, "Қате енгізілді")
    assert 'name="reason"' not in changed.content.decode()


def test_htmx_entry_for_a_student_of_another_group_is_403(as_, world):
    # The tutor is limited to the second group; the student is of the first.
    response = as_("tutor").post(enter_url(world), entry(world, world.students[0]), headers=HTMX)
    assert response.status_code == 403
    assert "only for the students of your groups" in response.content.decode()
    assert not Grade.objects.exists()


def test_htmx_entry_by_the_head_is_403(as_, world):
    response = as_("head").post(enter_url(world), entry(world, world.students[0]), headers=HTMX)
    assert response.status_code == 403
    assert 'role="alert"' in response.content.decode()
    assert not Grade.objects.exists()


def test_htmx_entry_in_a_closed_window_is_400(as_, world):
    response = as_("teacher").post(enter_url(world), entry(world, world.students[0], measure="tk2"), headers=HTMX)
    assert response.status_code == 400
    assert "The entry window of this column is closed" in response.content.decode()
    assert not Grade.objects.exists()


def test_the_administration_enters_after_the_window(as_, world):
    response = as_("admin").post(enter_url(world), entry(world, world.students[0], measure="tk2"), headers=HTMX)
    assert response.status_code == 200
    assert Grade.objects.get().entered_by == world.admin


def test_entry_where_the_viewer_sees_nothing_is_404(as_, world):
    student = world.students[0]
    assert as_("outsider_teacher").post(enter_url(world), entry(world, student), headers=HTMX).status_code == 404
    assert as_("student").post(enter_url(world), entry(world, student), headers=HTMX).status_code == 404
    other = world.other_course
    foreign = reverse("gradebook:grade-enter", args=[other.pk])
    # A measure of another course through this course's endpoint.
    assert as_("admin").post(foreign, entry(world, student), headers=HTMX).status_code == 404
    assert not Grade.objects.exists()


def test_a_forged_form_is_400_and_a_get_is_405(as_, world):
    client = as_("teacher")
    response = client.post(enter_url(world), {"measure": "x", "score": "80"}, headers=HTMX)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.post(enter_url(world), {"measure": "x", "score": "80"}).status_code == 400
    assert client.get(enter_url(world)).status_code == 405
    assert not Grade.objects.exists()


@pytest.mark.parametrize(("students", "columns"), [(3, 5), (30, 40)])
def test_htmx_entry_costs_a_fixed_number_of_queries(client, django_assert_num_queries, students, columns):
    # given: a cell not graded yet
    big = large_journal(students=students, columns=columns, graded=0)
    client.force_login(big.teacher)
    data = {"measure": big.measures[0].pk, "student": big.students[-1].pk, "score": "70"}
    url = reverse("gradebook:grade-enter", args=[big.course.pk])
    # when / then: the access and the entry (grade_enter with the result's refresh), then the row re-read
    with django_assert_num_queries(51 + LEDGER_LOCK):
        response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert Grade.objects.get().score == Decimal("70.00")


# --- Entering a score without JavaScript -----------------------------------------------------------------------------


def test_a_plain_post_saves_and_goes_back_to_the_journal_with_a_message(as_, world):
    student = world.students[0]
    response = as_("teacher").post(enter_url(world, group=world.groups[0].pk), entry(world, student), follow=True)
    assert response.redirect_chain == [(journal_url(world, group=world.groups[0].pk) + f"#s{student.pk}", 302)]
    assert "Saved: 87.50." in response.content.decode()
    assert Grade.objects.get().score == Decimal("87.50")


def test_a_plain_post_with_an_error_shows_the_cell_form_with_it(as_, world):
    student = world.students[0]
    client = as_("teacher")
    response = client.post(enter_url(world), entry(world, student, score="101"))
    assert response.status_code == 400
    assert response.templates[0].name == "gradebook/journal/grade_detail.html"
    assert "A score is a number from 0 to 100" in response.content.decode()
    client.post(enter_url(world), entry(world, student))
    asked = client.post(enter_url(world), entry(world, student, score="90"))
    assert asked.status_code == 400
    assert response.context is not None
    assert asked.context["entry_form"].errors["reason"] == ["Give the reason for changing the grade."]


def test_plain_posts_refused_for_rights_are_403_and_404(as_, world):
    assert as_("tutor").post(enter_url(world), entry(world, world.students[0])).status_code == 403
    assert as_("outsider_teacher").post(enter_url(world), entry(world, world.students[0])).status_code == 404
    assert not Grade.objects.exists()


# --- A cell's details, a student's row ------------------------------------------------------------------------


def detail_url(world, student, measure="tk1", **query):
    url = reverse("gradebook:grade-detail", args=[world.course.pk, world.measure(measure).pk, student.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_cells_details_show_who_entered_it_when_and_its_history(as_, world):
    student = world.students[0]
    client = as_("teacher")
    client.post(enter_url(world), entry(world, student), headers=HTMX)
    client.post(enter_url(world), entry(world, student, score="91", reason="Апелляция"), headers=HTMX)
    response = client.get(detail_url(world, student))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.teacher.full_name in html
    assert response.context["cell"].score == Decimal("91.00")
    history = response.context["history"].entries
    assert [(h.before, h.after, h.reason) for h in history] == [("", "87.50", ""), ("87.50", "91.00", "Апелляция")]
    assert 'id="entry-form"' in html


def test_a_cells_details_are_404_where_the_viewer_does_not_see_it(as_, world):
    assert as_("tutor").get(detail_url(world, world.students[0])).status_code == 404
    assert as_("outsider_teacher").get(detail_url(world, world.students[0])).status_code == 404
    assert as_("teacher").get(detail_url(world, world.students[0], attempt=3)).status_code == 404
    missing = reverse("gradebook:grade-detail", args=[world.course.pk, 999999, world.students[0].pk])
    assert as_("teacher").get(missing).status_code == 404
    assert as_("teacher").get(detail_url(world, world.students[0], attempt=2, measure="exam")).status_code == 200


def test_a_students_row(as_, world):
    student = world.students[0]
    grade(world.measure("rk1"), student, "77", by=world.teacher)
    url = reverse("gradebook:student-row", args=[world.course.pk, student.pk])
    response = as_("teacher").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert student.full_name in html
    assert world.teacher.full_name in html
    assert len(response.context["pairs"]) == 6
    assert as_("tutor").get(url).status_code == 404
    assert as_("student").get(url).status_code == 404


# --- Change requests of a closed period ------------------------------------------------------------------------


def test_a_change_request_of_a_closed_period(as_, world):
    # given
    student = world.students[0]
    grade(world.measure("tk1"), student, "60", by=world.teacher)
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    client = as_("teacher")
    page = client.get(detail_url(world, student))
    assert 'id="request-form"' in page.content.decode()
    assert 'id="entry-form"' not in page.content.decode()
    url = reverse("gradebook:change-request-create", args=[world.course.pk])
    # when: without a reason
    refused = client.post(url, entry(world, student, score="75"))
    # then
    assert refused.status_code == 400
    assert not GradeChangeRequest.objects.exists()
    # when
    response = client.post(url, entry(world, student, score="75", reason="Апелляция комиссиясы"))
    # then
    assert response.status_code == 302
    assert response["Location"] == detail_url(world, student)
    request = GradeChangeRequest.objects.get()
    assert (request.score, request.status, request.requested_by) == (
        Decimal("75.00"),
        ChangeStatus.PENDING,
        world.teacher,
    )
    assert Grade.objects.get().score == Decimal("60.00")
    assert "Апелляция комиссиясы" in client.get(detail_url(world, student)).content.decode()


def test_a_change_request_of_an_open_period_is_refused(as_, world):
    url = reverse("gradebook:change-request-create", args=[world.course.pk])
    response = as_("teacher").post(url, entry(world, world.students[0], score="75", reason="x"))
    assert response.status_code == 400
    assert "The period is open" in response.content.decode()
    assert not GradeChangeRequest.objects.exists()
    assert as_("outsider_teacher").post(url, entry(world, world.students[0], reason="x")).status_code == 404
