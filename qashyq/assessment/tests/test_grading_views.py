"""Pages of grading (views/grading.py): the queue, grading an essay, the staff's view of an attempt, the
identity snapshot, reopening and regrading."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qashyq.accounts.tests.factories import UserFactory
from qashyq.assessment import models
from qashyq.assessment.data import AttemptEventKind, AttemptStatus, QuestionType
from qashyq.assessment.services import attempts as attempt_services
from qashyq.assessment.tests.helpers import exam_world, make_test
from qashyq.assessment.tests.teacher_helpers import essay_slot, finished_attempt
from qashyq.content import api as content_api
from qashyq.content.data import EnrolmentSource
from qashyq.content.models import Enrolment
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

# The smallest PNG there is (1 × 1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def world():
    return exam_world()


def _url(name, *args):
    return reverse(f"assessment:{name}", args=args)


# --- The queue ---------------------------------------------------------------------


def test_queue_of_the_teacher_and_of_the_tutor(client, world):
    test = make_test(world)
    first = finished_attempt(world, test)
    second = finished_attempt(world, test, student=1)
    client.force_login(world.teacher)
    response = client.get(_url("grading-queue"))
    assert response.status_code == 200
    assert [s.attempt_id for s in response.context["pending"]] == [first.pk, second.pk]
    assert _url("grade-question", first.pk, essay_slot(first).position) in response.content.decode()
    client.force_login(world.tutor)  # the second group only
    response = client.get(_url("grading-queue"))
    assert [s.attempt_id for s in response.context["pending"]] == [second.pk]
    client.force_login(world.outsider_teacher)
    assert client.get(_url("grading-queue")).context["pending"] == []


def test_queue_is_not_for_students(client, world):
    client.force_login(world.students[0].user)
    assert client.get(_url("grading-queue")).status_code == 404


@pytest.mark.parametrize("students", [1, 20])
def test_queue_query_count_is_fixed(client, world, students, django_assert_max_num_queries):
    test = make_test(world, attempts_allowed=0)
    for _n in range(students - 1):
        student = make_student(
            world.students[0].programme,
            group=world.groups[0],
            status=StudentStatus.ACTIVE,
            user=UserFactory.create(roles=["student"]),
        )
        enrolment = Enrolment.objects.create(course=world.course, student=student, source=EnrolmentSource.GROUP)
        world.students.append(student)
        world.enrolments.append(enrolment)
    for index in range(len(world.students)):
        finished_attempt(world, test, student=index)
    client.force_login(world.teacher)
    client.get(_url("grading-queue"))
    with django_assert_max_num_queries(12):
        response = client.get(_url("grading-queue"))
    assert len(response.context["pending"]) == students + 1


# --- Grading ---------------------------------------------------------------------


def test_grade_an_essay_with_the_rubric(client, world):
    test = make_test(world)
    attempt = finished_attempt(world, test)
    slot = essay_slot(attempt)
    client.force_login(world.teacher)
    page = client.get(_url("grade-question", attempt.pk, slot.position))
    assert page.status_code == 200
    assert "Ratings are out of 100 points." in page.content.decode()
    response = client.post(
        _url("grade-question", attempt.pk, slot.position), {"rubric_0": "3", "rubric_1": "1", "feedback": "Good"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url("attempt-staff", attempt.pk)
    slot.refresh_from_db()
    assert (slot.score, slot.graded_by, slot.feedback) == (Decimal("0.80"), world.teacher, "Good")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED


def test_grading_goes_on_to_the_next_in_the_queue(client, world):
    test = make_test(world)
    first = finished_attempt(world, test)
    second = finished_attempt(world, test, student=1)
    client.force_login(world.teacher)
    response = client.post(
        _url("grade-question", first.pk, essay_slot(first).position), {"rubric_0": "1", "rubric_1": "1"}
    )
    assert response["Location"] == _url("grade-question", second.pk, essay_slot(second).position)


def test_bad_grades_are_refused(client, world):
    attempt = finished_attempt(world, make_test(world))
    slot = essay_slot(attempt)
    client.force_login(world.teacher)
    response = client.post(_url("grade-question", attempt.pk, slot.position), {"rubric_0": "9", "rubric_1": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["rubric_0"]
    client.post(_url("grade-question", attempt.pk, slot.position), {"rubric_0": "1", "rubric_1": "1"})
    response = client.post(_url("grade-question", attempt.pk, slot.position), {"rubric_0": "2", "rubric_1": "1"})
    assert response.status_code == 400  # a change without a reason
    assert response.context["form"].errors["reason"]
    slot.refresh_from_db()
    assert slot.score == Decimal("0.40")


def test_grading_closed_to_others(client, world, enrol_totp):
    attempt = finished_attempt(world, make_test(world))  # the first group's student
    slot = essay_slot(attempt)
    single = models.AttemptQuestion.objects.get(attempt=attempt, type=QuestionType.SINGLE)
    client.force_login(world.tutor)
    assert client.get(_url("grade-question", attempt.pk, slot.position)).status_code == 404
    enrol_totp(world.admin)
    client.force_login(world.admin)
    assert client.get(_url("grade-question", attempt.pk, slot.position)).status_code == 404
    client.force_login(world.teacher)
    assert client.get(_url("grade-question", attempt.pk, single.position)).status_code == 404
    assert client.get(_url("grade-question", attempt.pk, 99)).status_code == 404
    client.force_login(world.students[0].user)
    assert client.post(_url("grade-question", attempt.pk, slot.position), {"score": "1"}).status_code == 404
    assert essay_slot(attempt).score is None


# --- The staff's view of an attempt -----------------------------------------------------------------------------------


def test_staff_view_of_an_attempt(client, world):
    attempt = finished_attempt(world, make_test(world), answers={QuestionType.SINGLE: {"choice": "b"}})
    models.AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.TAB_HIDDEN, detail={})
    models.AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.RECONNECTED, detail={})
    client.force_login(world.teacher)
    response = client.get(_url("attempt-staff", attempt.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="event-tab_hidden"' in html
    assert 'class="event-reconnected"' in html
    assert "Алматы" in html
    assert "Астана" in html
    assert _url("attempt-reopen", attempt.pk) in html
    assert 'id="identity-image"' not in html


def test_identity_snapshot(client, world):
    attempt = finished_attempt(world, make_test(world), student=1)
    stored = content_api.file_store(
        upload=SimpleUploadedFile("me.png", PNG, content_type="image/png"), actor=world.students[1].user
    )
    models.Attempt.objects.filter(pk=attempt.pk).update(identity_file_id=stored.id)
    client.force_login(world.tutor)
    assert 'id="identity-image"' in client.get(_url("attempt-staff", attempt.pk)).content.decode()
    response = client.get(_url("identity-file", attempt.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == PNG
    client.force_login(world.students[1].user)
    assert client.get(_url("identity-file", attempt.pk)).status_code == 404
    client.force_login(world.teacher)
    other = finished_attempt(world, models.Test.objects.get(pk=attempt.test_id))
    assert client.get(_url("identity-file", other.pk)).status_code == 404


@pytest.mark.parametrize("who", ["students", "outsider_teacher", "didactics"])
def test_staff_view_closed_to_others(client, world, who):
    attempt = finished_attempt(world, make_test(world))
    user = world.students[0].user if who == "students" else getattr(world, who)
    client.force_login(user)
    assert client.get(_url("attempt-staff", attempt.pk)).status_code == 404
    assert client.get(_url("attempt-staff", 999_999)).status_code == 404


# --- Reopening and regrading ---------------------------------------------------------------------


def test_reopen_page(client, world):
    attempt = finished_attempt(world, make_test(world))
    client.force_login(world.teacher)
    assert client.get(_url("attempt-reopen", attempt.pk)).status_code == 200
    response = client.post(_url("attempt-reopen", attempt.pk), {"reason": "", "extra_minutes": "10"})
    assert response.status_code == 400
    response = client.post(_url("attempt-reopen", attempt.pk), {"reason": "Power cut", "extra_minutes": "10"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert client.get(_url("attempt-reopen", attempt.pk)).status_code == 404  # in progress now
    attempt_services.attempt_submit(attempt=attempt, actor=world.students[0].user)
    client.force_login(world.tutor)  # of the other group
    assert client.get(_url("attempt-reopen", attempt.pk)).status_code == 404
    assert client.post(_url("attempt-reopen", attempt.pk), {"reason": "x", "extra_minutes": "5"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status != AttemptStatus.IN_PROGRESS


def test_regrade_page(client, world):
    test = make_test(world)
    attempt = finished_attempt(world, test, answers={QuestionType.SINGLE: {"choice": "b"}})
    question = world.questions[QuestionType.SINGLE]
    version = question.current
    fixed = models.QuestionVersion.objects.create(
        question=question,
        number=2,
        type=version.type,
        stem=version.stem,
        data=version.data
        | {"options": [dict(o, fraction=1.0 if o["id"] == "b" else 0.0) for o in version.data["options"]]},
        points=version.points,
        created_by=world.teacher,
    )
    question.current = fixed
    question.save()
    client.force_login(world.teacher)
    assert client.get(_url("test-regrade", test.pk)).status_code == 200
    assert client.post(_url("test-regrade", test.pk), {"reason": ""}).status_code == 400
    response = client.post(_url("test-regrade", test.pk), {"reason": "Key fixed"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("test-results", test.pk)
    (message,) = [str(m) for m in response.context["messages"]]
    assert " 1 " in message  # how many attempts changed
    attempt.refresh_from_db()
    assert attempt.points == Decimal("1.00")
    client.force_login(world.tutor)
    assert client.get(_url("test-regrade", test.pk)).status_code == 404


def test_queue_selector_of_a_tutor_of_every_group_and_of_a_former_teacher(world):
    from qashyq.assessment.selectors import tests as selectors
    from qashyq.content.data import StaffRole
    from qashyq.content.tests.factories import add_staff

    test = make_test(world)
    attempts = [finished_attempt(world, test), finished_attempt(world, test, student=1)]
    everywhere = UserFactory.create(roles=["tutor"])
    add_staff(world.course, everywhere, StaffRole.TUTOR)  # no groups named: every group
    assert [s.attempt_id for s in selectors.grading_queue(user=everywhere)] == [a.pk for a in attempts]
    assert [s.attempt_id for s in selectors.grading_queue(user=world.teacher, test_id=999_999)] == []
    world.teacher.groups.clear()
    former = type(world.teacher).objects.get(pk=world.teacher.pk)
    assert selectors.grading_queue(user=former) == []
    grading_done = essay_slot(attempts[1])
    models.AttemptQuestion.objects.filter(pk=grading_done.pk).update(needs_grading=False)
    assert [s.attempt_id for s in selectors.grading_queue(user=everywhere)] == [attempts[0].pk]
