"""REST API of tests, attempts and results (api_v1/tests.py): who sees which test, result and attempt (200, 403,
404 per role), what a student sees of an attempt before and after the review opens (never a right answer
before), fixed query counts on the lists, and every endpoint in the OpenAPI schema.

Attempts are written straight to the database here, so these tests do not depend on the attempt services."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qashyq.assessment.data import AttemptStatus, FinishedBy, GradingMethod, QuestionType, ReviewWhen
from qashyq.assessment.models import Accommodation, Attempt, AttemptQuestion
from qashyq.assessment.models import Test as ExamTest
from qashyq.assessment.tests.helpers import RIGHT_ANSWERS, exam_world, make_test
from qashyq.content.data import ItemKind
from qashyq.content.services.items import item_unpublish
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, add_staff

pytestmark = pytest.mark.django_db

MFA = {"admin", "head", "it_support"}
TESTS = reverse("api-assessment-test-list")
ATTEMPTS = reverse("api-assessment-attempt-list")
# Layouts the attempts show: options, right sides and items reversed.
LAYOUTS = {
    QuestionType.SINGLE: {"options": ["d", "c", "b", "a"]},
    QuestionType.MULTIPLE: {"options": ["d", "c", "b", "a"]},
    QuestionType.MATCHING: {"right": ["x1", "p3", "p2", "p1"]},
    QuestionType.ORDERING: {"items": ["i3", "i2", "i1"]},
    QuestionType.CLOZE: {"gaps": {"3": ["b", "a"]}},
}


def detail_url(test):
    return reverse("api-assessment-test-detail", args=[test.pk])


def results_url(test):
    return reverse("api-assessment-test-results", args=[test.pk])


def attempt_url(attempt):
    return reverse("api-assessment-attempt-detail", args=[attempt.pk])


def make_attempt(world, test, student_index, *, number=1, status=AttemptStatus.GRADED, percent=None, right=True):
    """An attempt of the world's student with every question of the bank, answered (rightly, unless not
    `right`), scored unless in progress; the essay awaits grading when the status says so."""
    student = world.students[student_index]
    now = timezone.now()
    finished = status != AttemptStatus.IN_PROGRESS
    attempt = Attempt.objects.create(
        test=test,
        student=student,
        user=student.user,
        enrolment_id=world.enrolments[student_index].pk,
        number=number,
        status=status,
        started_at=now - timedelta(minutes=30),
        deadline=now + timedelta(minutes=10),
        finished_at=now - timedelta(minutes=1) if finished else None,
        finished_by=FinishedBy.STUDENT if finished else "",
        points=(Decimal(9) * (percent or 0) / 100) if percent is not None else None,
        max_points=Decimal(9),
        percent=percent,
    )
    for position, (qtype, question) in enumerate(world.questions.items(), start=1):
        essay = qtype == QuestionType.ESSAY
        AttemptQuestion.objects.create(
            attempt=attempt,
            position=position,
            question=question,
            version=question.current,
            type=qtype,
            points=Decimal(1),
            layout=LAYOUTS.get(qtype, {}),
            answer=RIGHT_ANSWERS[qtype] if right else None,
            seq=1,
            saved_at=now - timedelta(minutes=5),
            score=None if (not finished or (essay and status == AttemptStatus.NEEDS_GRADING)) else Decimal(1),
            needs_grading=essay and status == AttemptStatus.NEEDS_GRADING,
            feedback="Жақсы жауап." if essay and status == AttemptStatus.GRADED else "",
        )
    return attempt


@pytest.fixture
def world():
    """exam_world with its test (2 attempts, highest, review right after submit without right answers) and:
    student 0 — two graded attempts (60 %, 80 %); student 1 (the tutor's group) — one awaiting grading.
    A second test in another course (the outsider teacher's) and a stranger student enrolled nowhere."""
    world = exam_world()
    world.test = make_test(world, attempts_allowed=2, access_code="SECRET-42", review_correct=False)
    world.a1 = make_attempt(world, world.test, 0, number=1, percent=Decimal("60.00"))
    world.a2 = make_attempt(world, world.test, 0, number=2, percent=Decimal("80.00"))
    world.b1 = make_attempt(world, world.test, 1, status=AttemptStatus.NEEDS_GRADING)
    other_course = CourseFactory.create()
    add_staff(other_course, world.outsider_teacher)
    other_item = ItemFactory.create(
        section=SectionFactory.create(course=other_course), course=other_course, kind=ItemKind.TEST
    )
    world.other_test = ExamTest.objects.create(item=other_item, course=other_course)
    from qashyq.accounts.tests.factories import UserFactory

    world.stranger = UserFactory.create(roles=["student"])
    world.people = {
        "student0": world.students[0].user,
        "student1": world.students[1].user,
        "stranger": world.stranger,
        "teacher": world.teacher,
        "tutor": world.tutor,
        "outsider": world.outsider_teacher,
        "admin": world.admin,
        "head": world.head,
        "didactics": world.didactics,
        "it_support": world.it_support,
    }
    return world


@pytest.fixture
def as_(client, enrol_totp):
    enrolled = set()

    def sign_in(world, who):
        user = world.people[who]
        if who in MFA and user.pk not in enrolled:
            enrol_totp(user)
            enrolled.add(user.pk)
        client.force_login(user)
        client.cookies["qashyq_language"] = "en"
        return client

    return sign_in


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# --- anonymous -----------------------------------------------------------------------------------------------


def test_anonymous_gets_nothing(client, world):
    for path in (TESTS, detail_url(world.test), results_url(world.test), ATTEMPTS, attempt_url(world.a1)):
        assert client.get(path).status_code == 403, path


# --- the list of tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("student0", {"test"}),
        ("student1", {"test"}),
        ("stranger", set()),
        ("teacher", {"test"}),
        ("tutor", {"test"}),
        ("outsider", {"other"}),
        ("admin", {"test", "other"}),
        ("head", {"test", "other"}),
        ("didactics", {"test", "other"}),
        ("it_support", set()),
    ],
)
def test_list_shows_the_tests_you_may_open(as_, world, who, expected):
    names = {world.test.pk: "test", world.other_test.pk: "other"}
    assert {names[i] for i in ids(as_(world, who).get(TESTS))} == expected


def test_list_row_and_course_filter(as_, world):
    body = as_(world, "admin").get(TESTS, {"course": world.course.pk}).json()
    assert [row["id"] for row in body["results"]] == [world.test.pk]
    row = body["results"][0]
    assert row == {
        "id": world.test.pk,
        "item_id": world.item.pk,
        "course_id": world.course.pk,
        "title": "Аралық бақылау 1",
        "opens_at": None,
        "closes_at": None,
        "time_limit_minutes": 0,
        "attempts_allowed": 2,
        "grading_method": "highest",
        "question_count": 9,
    }
    assert "access_code" not in json.dumps(body)
    assert ids(as_(world, "teacher").get(TESTS, {"course": world.other_test.course_id})) == []
    assert as_(world, "admin").get(TESTS, {"course": "x"}).status_code == 400


def test_students_do_not_list_a_test_of_an_unpublished_item(as_, world):
    item_unpublish(actor=world.teacher, item=world.item)
    assert ids(as_(world, "student0").get(TESTS)) == []
    assert ids(as_(world, "teacher").get(TESTS)) == [world.test.pk]


def test_list_query_count_does_not_grow_with_tests(as_, world, django_assert_max_num_queries):
    client = as_(world, "admin")
    client.get(TESTS)  # warm the session and role caches
    with django_assert_max_num_queries(8) as few:
        client.get(TESTS)
    for _n in range(5):
        course = CourseFactory.create()
        item = ItemFactory.create(section=SectionFactory.create(course=course), course=course, kind=ItemKind.TEST)
        ExamTest.objects.create(item=item, course=course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(TESTS).json()["results"]) == 7


def test_student_list_query_count(as_, world, django_assert_max_num_queries):
    client = as_(world, "student0")
    client.get(TESTS)
    with django_assert_max_num_queries(8):
        assert ids(client.get(TESTS)) == [world.test.pk]


# --- one test ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student0", 200),
        ("student1", 200),
        ("stranger", 404),
        ("teacher", 200),
        ("tutor", 200),
        ("outsider", 404),
        ("admin", 200),
        ("head", 200),
        ("didactics", 200),
        ("it_support", 404),
    ],
)
def test_detail_access(as_, world, who, status):
    assert as_(world, who).get(detail_url(world.test)).status_code == status


def test_detail_of_a_missing_test_is_404(as_, world):
    assert as_(world, "admin").get(reverse("api-assessment-test-detail", args=[999999])).status_code == 404


def test_detail_never_gives_the_access_code_and_gives_the_student_their_attempts(as_, world):
    body = as_(world, "student0").get(detail_url(world.test)).json()
    assert "SECRET-42" not in json.dumps(body)
    assert body["access_code_required"] is True
    assert body["ip_restricted"] is False
    assert body["attempts_allowed"] == 2
    assert body["you"] == {
        "opens_at": None,
        "closes_at": None,
        "time_limit_minutes": 0,
        "extra_time_percent": 0,
        "time_limit_seconds": None,
        "attempts_allowed": 2,
        "attempts_used": 2,
        "attempts_left": 0,
        "active_attempt_id": None,
    }
    assert as_(world, "teacher").get(detail_url(world.test)).json()["you"] is None


def test_detail_counts_an_accommodation(as_, world):
    closes = timezone.now() + timedelta(days=3)
    world.test.time_limit_minutes = 40
    world.test.save()
    Accommodation.objects.create(
        test=world.test,
        student=world.students[0],
        extra_time_percent=50,
        extra_attempts=1,
        closes_at=closes,
        reason="disability certificate",
        granted_by=world.teacher,
    )
    you = as_(world, "student0").get(detail_url(world.test)).json()["you"]
    assert (you["extra_time_percent"], you["attempts_allowed"], you["attempts_left"]) == (50, 3, 1)
    assert (you["time_limit_minutes"], you["time_limit_seconds"]) == (40, 3600)
    assert you["closes_at"] is not None
    other = as_(world, "student1").get(detail_url(world.test)).json()["you"]
    assert (other["extra_time_percent"], other["attempts_left"], other["closes_at"]) == (0, 1, None)


def test_detail_shows_the_active_attempt_and_unlimited_attempts(as_, world):
    world.test.attempts_allowed = 0
    world.test.save()
    active = make_attempt(world, world.test, 1, number=2, status=AttemptStatus.IN_PROGRESS)
    you = as_(world, "student1").get(detail_url(world.test)).json()["you"]
    assert (you["attempts_left"], you["attempts_used"], you["active_attempt_id"]) == (None, 2, active.pk)


def test_a_student_cannot_open_the_test_of_an_unpublished_item(as_, world):
    item_unpublish(actor=world.teacher, item=world.item)
    assert as_(world, "student0").get(detail_url(world.test)).status_code == 404
    assert as_(world, "teacher").get(detail_url(world.test)).status_code == 200


# --- results -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student0", 403),
        ("stranger", 404),
        ("teacher", 200),
        ("tutor", 200),
        ("outsider", 404),
        ("admin", 200),
        ("head", 200),
        ("didactics", 403),
        ("it_support", 404),
    ],
)
def test_results_access(as_, world, who, status):
    assert as_(world, who).get(results_url(world.test)).status_code == status


def results_by_student(response):
    assert response.status_code == 200
    return {row["student_id"]: row for row in response.json()["results"]}


def test_results_by_grading_method(as_, world):
    s0, s1 = (s.pk for s in world.students)
    rows = results_by_student(as_(world, "teacher").get(results_url(world.test)))
    assert set(rows) == {s0, s1}
    assert rows[s0] | {"full_name": ""} == {
        "student_id": s0,
        "full_name": "",
        "group_id": world.groups[0].pk,
        "percent": "80.00",
        "passed": True,
        "attempts": 2,
        "pending": False,
        "attempt_ids": [world.a1.pk, world.a2.pk],
    }
    assert rows[s0]["full_name"] == world.students[0].full_name
    assert (rows[s1]["percent"], rows[s1]["passed"], rows[s1]["pending"], rows[s1]["attempts"]) == (
        None,
        None,
        True,
        1,
    )
    for method, expected in ((GradingMethod.LAST, "80.00"), (GradingMethod.AVERAGE, "70.00")):
        ExamTest.objects.filter(pk=world.test.pk).update(grading_method=method)
        rows = results_by_student(as_(world, "teacher").get(results_url(world.test)))
        assert rows[s0]["percent"] == expected, method
    ExamTest.objects.filter(pk=world.test.pk).update(pass_percent=75, grading_method=GradingMethod.AVERAGE)
    assert results_by_student(as_(world, "head").get(results_url(world.test)))[s0]["passed"] is False


def test_a_tutor_sees_the_results_of_their_groups_only(as_, world):
    rows = results_by_student(as_(world, "tutor").get(results_url(world.test)))
    assert set(rows) == {world.students[1].pk}


def test_results_query_count_does_not_grow_with_students(as_, world, django_assert_max_num_queries):
    from qashyq.accounts.tests.factories import UserFactory
    from qashyq.content.models import Enrolment
    from qashyq.records.data import StudentStatus
    from qashyq.records.tests.student_helpers import make_student

    client = as_(world, "teacher")
    client.get(results_url(world.test))
    with django_assert_max_num_queries(12) as few:
        client.get(results_url(world.test))
    programme = world.groups[0].programme
    for _n in range(4):
        student = make_student(
            programme, group=world.groups[0], status=StudentStatus.ACTIVE, user=UserFactory.create(roles=["student"])
        )
        Enrolment.objects.create(course=world.course, student=student, source="group")
        world.students.append(student)
        world.enrolments.append(Enrolment.objects.get(course=world.course, student=student))
        make_attempt(world, world.test, len(world.students) - 1, percent=Decimal(50))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(results_url(world.test)).json()["results"]) == 6


# --- the list of attempts ------------------------------------------------------------------------------------


def test_a_student_lists_their_own_attempts(as_, world):
    assert ids(as_(world, "student0").get(ATTEMPTS)) == sorted([world.a1.pk, world.a2.pk])
    assert ids(as_(world, "student0").get(ATTEMPTS, {"test": world.test.pk})) == sorted([world.a1.pk, world.a2.pk])
    assert ids(as_(world, "student1").get(ATTEMPTS)) == [world.b1.pk]
    assert ids(as_(world, "stranger").get(ATTEMPTS)) == []
    assert as_(world, "stranger").get(ATTEMPTS, {"test": world.test.pk}).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("teacher", {"a1", "a2", "b1"}),
        ("tutor", {"b1"}),
        ("admin", {"a1", "a2", "b1"}),
        ("head", {"a1", "a2", "b1"}),
        ("student0", {"a1", "a2"}),
    ],
)
def test_attempts_of_a_test(as_, world, who, expected):
    names = {world.a1.pk: "a1", world.a2.pk: "a2", world.b1.pk: "b1"}
    assert {names[i] for i in ids(as_(world, who).get(ATTEMPTS, {"test": world.test.pk}))} == expected


@pytest.mark.parametrize(("who", "status"), [("didactics", 403), ("outsider", 404), ("it_support", 404)])
def test_attempts_of_a_test_refused(as_, world, who, status):
    assert as_(world, who).get(ATTEMPTS, {"test": world.test.pk}).status_code == status


def test_staff_must_name_the_test(as_, world):
    response = as_(world, "teacher").get(ATTEMPTS)
    assert response.status_code == 400
    assert list(response.json()) == ["test"], response.json()
    assert as_(world, "teacher").get(ATTEMPTS, {"test": "x"}).status_code == 400


def test_attempt_rows_hide_the_score_as_the_review_settings_say(as_, world):
    rows = {r["id"]: r for r in as_(world, "student0").get(ATTEMPTS).json()["results"]}
    assert (rows[world.a2.pk]["percent"], rows[world.a2.pk]["review_open"]) == ("80.00", True)
    ExamTest.objects.filter(pk=world.test.pk).update(review_score=False)
    rows = {r["id"]: r for r in as_(world, "student0").get(ATTEMPTS).json()["results"]}
    assert (rows[world.a2.pk]["percent"], rows[world.a2.pk]["points"]) == (None, None)
    ExamTest.objects.filter(pk=world.test.pk).update(review_score=True, review_when=ReviewWhen.NEVER)
    rows = {r["id"]: r for r in as_(world, "student0").get(ATTEMPTS).json()["results"]}
    assert (rows[world.a2.pk]["percent"], rows[world.a2.pk]["review_open"]) == (None, False)
    staff = {r["id"]: r for r in as_(world, "teacher").get(ATTEMPTS, {"test": world.test.pk}).json()["results"]}
    assert (staff[world.a2.pk]["percent"], staff[world.a2.pk]["review_open"]) == ("80.00", True)


def test_attempt_list_query_count_does_not_grow(as_, world, django_assert_max_num_queries):
    for who, params in (("teacher", {"test": world.test.pk}), ("student0", {})):
        client = as_(world, who)
        client.get(ATTEMPTS, params)
        with django_assert_max_num_queries(10) as few:
            client.get(ATTEMPTS, params)
        baseline = len(few.captured_queries)
        Attempt.objects.filter(test=world.test, student=world.students[0]).delete()
        for number in range(1, 5):
            make_attempt(world, world.test, 0, number=number, percent=Decimal(number * 20))
        with django_assert_max_num_queries(baseline):
            assert len(client.get(ATTEMPTS, params).json()["results"]) >= 4


# --- one attempt --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "a1", "b1"),
    [
        ("student0", 200, 404),
        ("student1", 404, 200),
        ("stranger", 404, 404),
        ("teacher", 200, 200),
        ("tutor", 404, 200),
        ("outsider", 404, 404),
        ("admin", 200, 200),
        ("head", 200, 200),
        ("didactics", 404, 404),
        ("it_support", 404, 404),
    ],
)
def test_attempt_detail_access(as_, world, who, a1, b1):
    client = as_(world, who)
    assert client.get(attempt_url(world.a1)).status_code == a1
    assert client.get(attempt_url(world.b1)).status_code == b1
    assert client.get(reverse("api-assessment-attempt-detail", args=[999999])).status_code == 404


def questions_of(response):
    assert response.status_code == 200, response.content
    return {q["type"]: q for q in response.json()["questions"]}


SECRETS = ("fraction", "Mukhtar Auezov", 'right_answer": {', '"solution": {')


def test_a_student_never_sees_right_answers_before_the_review_allows(as_, world):
    response = as_(world, "student0").get(attempt_url(world.a2))
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret
    q = questions_of(response)
    # options, right sides and items in the attempt's order, texts only
    assert [o["id"] for o in q["single"]["content"]["options"]] == ["d", "c", "b", "a"]
    assert q["single"]["content"]["options"][3] == {"id": "a", "text": "Астана"}
    assert [o["id"] for o in q["matching"]["content"]["right"]] == ["x1", "p3", "p2", "p1"]
    assert [o["id"] for o in q["matching"]["content"]["left"]] == ["p1", "p2", "p3"]
    assert [o["id"] for o in q["ordering"]["content"]["items"]] == ["i3", "i2", "i1"]
    assert [o["id"] for o in q["cloze"]["content"]["gaps"][2]["options"]] == ["b", "a"]
    assert q["cloze"]["content"]["gaps"][0] == {"id": "1", "kind": "short", "points": 1}
    assert q["true_false"]["content"] == {}
    assert q["short"]["content"] == {}
    assert q["numeric"]["content"] == {"units": ["m/s²"]}
    assert q["essay"]["content"]["rubric"] == [
        {"criterion": "Content", "points": 3},
        {"criterion": "Language", "points": 2},
    ]
    # review right after submit: answers, scores and feedback, but not the right answers
    assert q["single"]["answer"] == {"choice": "a"}
    assert q["single"]["score"] == "1.00"
    assert q["single"]["right_answer"] is None
    assert q["single"]["solution"] is None
    assert q["essay"]["grader_feedback"] == "Жақсы жауап."
    assert response.json()["percent"] == "80.00"


def test_the_right_answers_once_the_review_shows_them(as_, world):
    ExamTest.objects.filter(pk=world.test.pk).update(review_correct=True, review_feedback=False)
    q = questions_of(as_(world, "student0").get(attempt_url(world.a2)))
    assert q["single"]["right_answer"] == {"choice": "a"}
    assert q["multiple"]["right_answer"] == {"choices": ["a", "b"]}
    assert [o["fraction"] for o in q["multiple"]["solution"]["options"]] == [0.5, 0.5, -0.5, -0.5]
    assert "feedback" not in q["single"]["solution"]["options"][0]  # feedback is not shown
    assert q["single"]["feedback"] is None
    assert q["essay"]["grader_feedback"] is None
    ExamTest.objects.filter(pk=world.test.pk).update(review_feedback=True)
    q = questions_of(as_(world, "student0").get(attempt_url(world.a2)))
    assert q["single"]["solution"]["options"][0]["feedback"] == ""


def test_nothing_is_shown_when_the_review_is_closed(as_, world):
    ExamTest.objects.filter(pk=world.test.pk).update(review_when=ReviewWhen.NEVER, review_correct=True)
    response = as_(world, "student0").get(attempt_url(world.a2))
    body = response.json()
    assert (body["percent"], body["review_open"]) == (None, False)
    for q in body["questions"]:
        assert (q["answer"], q["score"], q["right_answer"], q["solution"], q["feedback"]) == (None,) * 5
    for secret in SECRETS:
        assert secret not in response.content.decode(), secret


def test_review_after_the_test_closes(as_, world):
    later = timezone.now() + timedelta(hours=1)
    ExamTest.objects.filter(pk=world.test.pk).update(
        review_when=ReviewWhen.AFTER_CLOSE, review_correct=True, closes_at=later
    )
    q = questions_of(as_(world, "student0").get(attempt_url(world.a2)))
    assert q["single"]["right_answer"] is None
    assert q["single"]["answer"] is None
    ExamTest.objects.filter(pk=world.test.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    q = questions_of(as_(world, "student0").get(attempt_url(world.a2)))
    assert q["single"]["right_answer"] == {"choice": "a"}


def test_review_after_close_waits_for_a_later_accommodation(as_, world):
    Test = ExamTest
    Test.objects.filter(pk=world.test.pk).update(
        review_when=ReviewWhen.AFTER_CLOSE, review_correct=True, closes_at=timezone.now() - timedelta(minutes=1)
    )
    Accommodation.objects.create(
        test=world.test,
        student=world.students[1],
        extra_time_percent=50,
        closes_at=timezone.now() + timedelta(days=1),
        reason="disability certificate",
        granted_by=world.teacher,
    )
    q = questions_of(as_(world, "student0").get(attempt_url(world.a2)))
    assert q["single"]["right_answer"] is None  # student 1 may still be taking it


def test_an_attempt_in_progress_shows_the_saved_answers_only(as_, world):
    ExamTest.objects.filter(pk=world.test.pk).update(review_correct=True, attempts_allowed=3)
    active = make_attempt(world, world.test, 1, number=2, status=AttemptStatus.IN_PROGRESS)
    response = as_(world, "student1").get(attempt_url(active))
    q = questions_of(response)
    assert q["short"]["answer"] == RIGHT_ANSWERS[QuestionType.SHORT]
    assert q["short"]["saved_at"] is not None
    assert q["short"]["score"] is None
    assert q["short"]["right_answer"] is None
    for secret in SECRETS:
        assert secret not in response.content.decode(), secret
    assert response.json()["status"] == "in_progress"


def test_staff_always_see_everything(as_, world):
    ExamTest.objects.filter(pk=world.test.pk).update(review_when=ReviewWhen.NEVER)
    for who in ("teacher", "tutor"):
        q = questions_of(as_(world, who).get(attempt_url(world.b1)))
        assert q["single"]["right_answer"] == {"choice": "a"}
        assert q["short"]["solution"]["answers"][0]["text"] == "Mukhtar Auezov"
        assert q["essay"]["needs_grading"] is True
        assert q["essay"]["score"] is None
        assert q["single"]["score"] == "1.00"


def test_attempt_detail_query_count(as_, world, django_assert_max_num_queries):
    for who in ("teacher", "student0"):
        client = as_(world, who)
        client.get(attempt_url(world.a2))
        with django_assert_max_num_queries(14):
            assert client.get(attempt_url(world.a2)).status_code == 200


# --- schema ----------------------------------------------------------------------------------------------------


def test_schema_lists_the_test_and_attempt_endpoints(as_, world):
    response = as_(world, "teacher").get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/assessment/tests/",
        "/api/v1/assessment/tests/{test_id}/",
        "/api/v1/assessment/tests/{test_id}/results/",
        "/api/v1/assessment/attempts/",
        "/api/v1/assessment/attempts/{attempt_id}/",
    ):
        assert "200" in paths[path]["get"]["responses"], path
    assert {"course", "cursor"} <= {p["name"] for p in paths["/api/v1/assessment/tests/"]["get"]["parameters"]}
    assert {"test", "cursor"} <= {p["name"] for p in paths["/api/v1/assessment/attempts/"]["get"]["parameters"]}
    components = schema["components"]["schemas"]
    assert {"AssessmentTestDetail", "AssessmentTestResults", "AssessmentAttemptDetail"} <= set(components)
    assert "you" in components["AssessmentTestDetail"]["properties"]
