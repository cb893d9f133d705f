"""The student's pages and the save endpoint: status codes, JSON bodies, no right answers in the page, query
counts of the hot endpoints."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qashyq.assessment.data import AttemptEventKind, AttemptStatus, QuestionType
from qashyq.assessment.models import Attempt, AttemptEvent, AttemptQuestion, QuestionVersion
from qashyq.assessment.selectors.attempts import image_in_attempt_of
from qashyq.assessment.services import attempts as services
from qashyq.assessment.tests.helpers import RIGHT_ANSWERS, SAMPLES, exam_world, make_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    services.caches_clear()
    world = exam_world()
    world.test = make_test(world, time_limit_minutes=30)
    return world


@pytest.fixture
def student(world, client):
    client.force_login(world.students[0].user)
    return client


def start(world, student=0, **kwargs):
    s = world.students[student]
    return services.attempt_start(
        test=world.test,
        user=s.user,
        student_id=s.pk,
        enrolment_id=world.enrolments[student].pk,
        ip="127.0.0.1",
        user_agent="x",
        **kwargs,
    )


def url(name, *args):
    return reverse(f"assessment:{name}", args=args)


def post_json(client, path, body, **extra):
    return client.post(path, data=json.dumps(body), content_type="application/json", **extra)


def position_of(attempt, qtype):
    return AttemptQuestion.objects.get(attempt=attempt, type=qtype).position


# --- the test page and starting ---


def test_the_student_sees_the_test_page_with_the_start_form(world, student):
    response = student.get(url("test-detail", world.test.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="start-form"' in html
    assert 'id="attempt-start"' in html
    assert 'name="access_code"' not in html
    assert 'name="identity"' not in html


def test_the_start_form_asks_for_the_code_and_the_snapshot_when_the_test_does(world, student):
    world.test.access_code = "QAZ"
    world.test.identity_check = "webcam"
    world.test.save()
    html = student.get(url("test-detail", world.test.pk)).content.decode()
    assert 'name="access_code"' in html
    assert 'name="identity"' in html
    assert "assessment/identity.js" in html


def test_start_redirects_to_the_attempt_and_a_second_start_returns_it(world, student):
    response = student.post(url("attempt-start", world.test.pk))
    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("attempt-page", attempt.pk)
    assert student.post(url("attempt-start", world.test.pk))["Location"] == url("attempt-page", attempt.pk)
    assert Attempt.objects.count() == 1
    page = student.get(url("test-detail", world.test.pk)).content.decode()
    assert 'id="attempt-continue"' in page
    assert 'id="start-form"' not in page


@pytest.mark.parametrize(
    ("settings_", "data", "status"),
    [
        ({"access_code": "QAZ"}, {"access_code": "nope"}, 400),
        ({"access_code": "QAZ"}, {}, 400),
        ({"allowed_networks": "10.0.0.0/8"}, {}, 403),
        ({"identity_check": "id_document"}, {}, 400),
        ({"closes_at": timezone.now() - timedelta(hours=1)}, {}, 403),
    ],
)
def test_start_refusals_are_shown_on_the_test_page(world, student, settings_, data, status):
    for name, value in settings_.items():
        setattr(world.test, name, value)
    world.test.save()
    response = student.post(url("attempt-start", world.test.pk), data)
    assert response.status_code == status
    assert not Attempt.objects.exists()


def test_only_students_of_the_course_start(world, client):
    for user in (world.teacher, world.tutor, world.outsider_teacher):
        client.force_login(user)
        assert client.post(url("attempt-start", world.test.pk)).status_code == 404
    client.logout()
    assert client.post(url("attempt-start", world.test.pk)).status_code == 302  # to sign in
    assert not Attempt.objects.exists()


# --- the question page ---


def test_the_attempt_page_goes_to_the_first_unanswered_question(world, student):
    attempt = start(world)
    assert student.get(url("attempt-page", attempt.pk))["Location"] == url("question-page", attempt.pk, 1)
    services.answer_save(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        position=1,
        seq=1,
        answer=RIGHT_ANSWERS[AttemptQuestion.objects.get(attempt=attempt, position=1).type],
    )
    assert student.get(url("attempt-page", attempt.pk))["Location"] == url("question-page", attempt.pk, 2)
    assert AttemptEvent.objects.filter(kind=AttemptEventKind.RESUMED).count() == 1


@pytest.mark.parametrize("qtype", list(SAMPLES))
def test_the_question_page_never_shows_right_answers(world, student, qtype):
    attempt = start(world)
    position = position_of(attempt, qtype)
    response = student.get(url("question-page", attempt.pk, position))
    assert response.status_code == 200
    html = response.content.decode()
    assert "fraction" not in html
    assert "feedback" not in html.replace('id="qh-flag', "")
    assert "tolerance" not in html
    assert "case_sensitive" not in html
    assert f'data-qtype="{qtype}"' in html
    _stem, _data = SAMPLES[qtype]
    if qtype == QuestionType.SHORT:
        assert "Auezov" not in html
    if qtype == QuestionType.NUMERIC:
        assert "9.8" not in html
    if qtype == QuestionType.CLOZE:
        assert "Astana" not in html
        assert 'id="qh-gap-1"' in html
        assert 'id="qh-gap-3"' in html
    if qtype == QuestionType.TRUE_FALSE:
        assert "checked" not in html
    if qtype == QuestionType.ORDERING:
        order = list(AttemptQuestion.objects.get(attempt=attempt, type=qtype).layout["items"])
        positions = [html.index(f'data-id="{i}"') for i in order]
        assert positions == sorted(positions)


def test_the_question_page_shows_the_saved_answer_and_the_navigation(world, student):
    attempt = start(world)
    position = position_of(attempt, QuestionType.MULTIPLE)
    services.answer_save(
        attempt_id=attempt.pk, user_id=attempt.user_id, position=position, seq=4, answer={"choices": ["b"]}
    )
    html = student.get(url("question-page", attempt.pk, position)).content.decode()
    assert 'data-seq="4"' in html
    assert 'id="qh-option-b" value="b" checked' in html
    assert 'id="qh-option-a" value="a">' in html
    link = url("question-page", attempt.pk, position)
    assert f'id="qh-nav-{position}" data-position="{position}" href="{link}" aria-current="page"' in html
    assert f'class="qh-nav-link qh-answered" id="qh-nav-{position}"' in html
    assert 'data-deadline="' in html
    assert 'data-server-now="' in html


def test_question_page_queries(world, student, django_assert_num_queries):
    attempt = start(world)
    student.get(url("question-page", attempt.pk, 1))
    # The session (user and roles cached), and the page: attempt, question, version and
    # the navigation in one statement.
    with django_assert_num_queries(2):
        assert student.get(url("question-page", attempt.pk, 2)).status_code == 200


def in_script(text: str) -> str:
    return json.dumps(text)[1:-1]  # as json_script writes it


def test_the_question_page_is_focused_and_its_script_speaks_the_students_language(world, student):
    attempt = start(world)
    page = student.get(url("question-page", attempt.pk, 1)).content.decode()
    assert 'id="qh-messages"' in page
    assert in_script("Сақталуда…") in page  # Kazakh first
    assert 'class="navbar-nav' not in page  # no site navigation to leave the attempt by
    assert "htmx" not in page
    assert 'form class="qh-language"' in page
    user = world.students[0].user
    user.language = "ru"
    user.save(update_fields=["language"])
    page = student.get(url("question-page", attempt.pk, 1)).content.decode()
    assert in_script("Сохранение…") in page
    assert in_script("Сақталуда…") not in page


def test_another_students_attempt_and_missing_questions_are_404(world, client):
    attempt = start(world)
    client.force_login(world.students[1].user)
    for name, args in [("attempt-page", ()), ("question-page", (1,)), ("attempt-summary", ()), ("attempt-result", ())]:
        assert client.get(url(name, attempt.pk, *args)).status_code == 404
    assert client.post(url("attempt-submit", attempt.pk), {"confirm": "1"}).status_code == 404
    client.force_login(world.students[0].user)
    assert client.get(url("question-page", attempt.pk, 99)).status_code == 404


def test_flagging_a_question(world, student):
    attempt = start(world)
    response = student.post(url("question-page", attempt.pk, 2), {"flagged": "1"})
    assert response.status_code == 302
    assert AttemptQuestion.objects.get(attempt=attempt, position=2).flagged
    assert "qh-flagged" in student.get(url("question-page", attempt.pk, 1)).content.decode()


# --- saving ---


def test_answer_save_acknowledges_and_refuses_with_json(world, student):
    attempt = start(world)
    save_url = url("answer-save", attempt.pk, position_of(attempt, QuestionType.SINGLE))
    ok = post_json(student, save_url, {"seq": 1, "answer": {"choice": "a"}})
    assert ok.status_code == 200
    assert ok.json()["seq"] == 1
    assert ok.json()["saved_at"]
    replay = post_json(student, save_url, {"seq": 1, "answer": {"choice": "a"}})
    assert replay.status_code == 200
    assert replay.json() == ok.json()
    conflict = post_json(student, save_url, {"seq": 1, "answer": {"choice": "b"}})
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "conflict"
    assert conflict.json()["message"]
    assert post_json(student, save_url, {"seq": 0, "answer": None}).status_code == 400
    stale = post_json(student, save_url.replace("/answers/", "/answers/"), {"seq": 3, "answer": {"choice": "b"}})
    assert stale.status_code == 200
    assert post_json(student, save_url, {"seq": 2, "answer": {"choice": "c"}}).json()["code"] == "stale"
    invalid = post_json(student, save_url, {"seq": 9, "answer": {"choice": "zz"}})
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid"
    assert student.post(save_url, data="not json", content_type="application/json").status_code == 400
    assert post_json(student, save_url, {"answer": 1}).status_code == 400
    assert AttemptQuestion.objects.get(attempt=attempt, type=QuestionType.SINGLE).answer == {"choice": "b"}


def test_answer_save_to_another_students_attempt_is_404(world, client):
    attempt = start(world)
    client.force_login(world.students[1].user)
    response = post_json(client, url("answer-save", attempt.pk, 1), {"seq": 1, "answer": None})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    client.logout()
    assert post_json(client, url("answer-save", attempt.pk, 1), {"seq": 1, "answer": None}).status_code == 404
    assert AttemptQuestion.objects.get(attempt=attempt, position=1).seq == 0


def test_answer_save_after_the_deadline_is_410_and_closes_the_attempt(world, student):
    attempt = start(world)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(minutes=5), hard_deadline=timezone.now() - timedelta(minutes=4)
    )
    response = post_json(student, url("answer-save", attempt.pk, 1), {"seq": 1, "answer": None})
    assert response.status_code == 410
    assert response.json()["code"] == "deadline"
    assert Attempt.objects.get(pk=attempt.pk).status != AttemptStatus.IN_PROGRESS
    again = post_json(student, url("answer-save", attempt.pk, 1), {"seq": 2, "answer": None})
    assert again.status_code == 410
    assert again.json()["code"] == "closed"


def test_answer_save_needs_the_csrf_token(world):
    attempt = start(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.students[0].user)
    assert post_json(client, url("answer-save", attempt.pk, 1), {"seq": 1, "answer": None}).status_code == 403
    client.get(url("question-page", attempt.pk, 1))
    token = client.cookies["csrftoken"].value
    response = post_json(client, url("answer-save", attempt.pk, 1), {"seq": 1, "answer": None}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_answer_save_queries(world, student, django_assert_num_queries):
    attempt = start(world)
    save_url = url("answer-save", attempt.pk, 1)
    post_json(student, save_url, {"seq": 1, "answer": None})
    # The session (the user's row is cached) and the conditional UPDATE (the question's layout is cached per attempt).
    with django_assert_num_queries(2):
        assert post_json(student, save_url, {"seq": 2, "answer": None}).status_code == 200


# --- events, summary, submit, result ---


def test_event_log_takes_client_events_only(world, student, client):
    attempt = start(world)
    assert post_json(student, url("attempt-event", attempt.pk), {"kind": "tab_hidden"}).status_code == 204
    assert post_json(student, url("attempt-event", attempt.pk), {"kind": "graded"}).status_code == 400
    assert post_json(student, url("attempt-event", attempt.pk), {}).status_code == 400
    assert list(AttemptEvent.objects.filter(attempt=attempt).values_list("kind", flat=True)) == [
        "started",
        "tab_hidden",
    ]
    other = Client()
    other.force_login(world.students[1].user)
    assert post_json(other, url("attempt-event", attempt.pk), {"kind": "offline"}).status_code == 404


def answer_right(attempt):
    """Save the right answer to every question of the attempt (the essay's is graded by hand)."""
    for question in attempt.questions.all():
        services.answer_save(
            attempt_id=attempt.pk,
            user_id=attempt.user_id,
            position=question.position,
            seq=1,
            answer=RIGHT_ANSWERS[question.type],
        )


def test_a_submit_costs_a_fixed_number_of_queries_and_locks_only_its_attempt(world, student):
    attempt = start(world)
    answer_right(attempt)
    student.get(url("attempt-summary", attempt.pk))
    with CaptureQueriesContext(connection) as queries:
        student.post(url("attempt-submit", attempt.pk), {"confirm": "1"})
    sqls = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # The session (user and roles cached); the attempt; it again, locked; the submit's event; the questions with
    # their versions; one UPDATE per distinct score (eight right, the essay awaiting its grader); the attempt.
    assert len(sqls) == 8
    if connection.features.has_select_for_update:
        # Only the attempt's row: every attempt of an exam shares its test's.
        assert [sql.split("FOR UPDATE")[1].strip() for sql in sqls if "FOR UPDATE" in sql] == [
            'OF "assessment_attempt"'
        ]


def test_summary_then_submit_with_confirmation_then_result(world, student):
    attempt = start(world)
    answer_right(attempt)
    summary = student.get(url("attempt-summary", attempt.pk))
    assert summary.status_code == 200
    assert 'id="submit-confirm"' in summary.content.decode()
    assert student.post(url("attempt-submit", attempt.pk)).status_code == 400
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS
    response = student.post(url("attempt-submit", attempt.pk), {"confirm": "1"})
    assert response["Location"] == url("attempt-result", attempt.pk)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NEEDS_GRADING
    assert attempt.points == Decimal("8.00")
    # Finished: the attempt's pages lead to the result.
    assert student.get(url("question-page", attempt.pk, 1))["Location"] == url("attempt-result", attempt.pk)
    assert student.get(url("attempt-summary", attempt.pk))["Location"] == url("attempt-result", attempt.pk)
    result = student.get(url("attempt-result", attempt.pk))
    assert result.status_code == 200
    html = result.content.decode()
    assert 'id="result-score"' in html
    assert "qh-response" in html
    assert "qh-right" not in html  # review_correct is off by default


def test_the_result_shows_right_answers_only_when_the_test_allows(world, student):
    world.test.review_correct = True
    world.test.save()
    attempt = start(world)
    services.attempt_submit(attempt=attempt, actor=attempt.user)
    html = student.get(url("attempt-result", attempt.pk)).content.decode()
    assert "qh-right" in html
    assert "Астана" in html
    assert "Mukhtar Auezov" in html


def test_the_result_waits_for_the_close_when_the_test_says_so(world, student):
    world.test.review_when = "after_close"
    world.test.closes_at = timezone.now() + timedelta(days=1)
    world.test.save()
    attempt = start(world)
    services.attempt_submit(attempt=attempt, actor=attempt.user)
    html = student.get(url("attempt-result", attempt.pk)).content.decode()
    assert 'id="result-closed"' in html
    assert 'id="result-score"' not in html
    assert "qh-response" not in html
    world.test.review_when = "never"
    world.test.save()
    assert 'id="result-closed"' in student.get(url("attempt-result", attempt.pk)).content.decode()


def test_an_in_progress_attempt_has_no_result_page_yet(world, student):
    attempt = start(world)
    assert student.get(url("attempt-result", attempt.pk))["Location"] == url("attempt-page", attempt.pk)


def test_images_in_an_attempt_are_visible_to_its_student_only(world):
    version = world.questions[QuestionType.SINGLE].current
    QuestionVersion.objects.filter(pk=version.pk).update(stem='<p><img src="/assessment/images/77/" alt="map"></p>')
    attempt = start(world)
    assert image_in_attempt_of(attempt.user_id, 77)
    assert not image_in_attempt_of(attempt.user_id, 7)
    assert not image_in_attempt_of(world.students[1].user.pk, 77)


def test_a_student_loads_an_image_their_attempt_shows(world, student, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qashyq.assessment.permissions.banks import access_image
    from qashyq.assessment.services.banks import image_store

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    image = image_store(
        actor=world.teacher, bank=world.bank, upload=SimpleUploadedFile("map.png", png, content_type="image/png")
    )
    version = world.questions[QuestionType.SINGLE].current
    QuestionVersion.objects.filter(pk=version.pk).update(stem=f'<img src="/assessment/images/{image.pk}/" alt="map">')
    attempt = start(world)
    assert access_image(user=attempt.user, image_id=image.pk) == image
    assert student.get(url("image-file", image.pk)).status_code == 200
    other = Client()
    other.force_login(world.students[1].user)
    assert other.get(url("image-file", image.pk)).status_code == 404


def test_an_identity_photo_uploaded_at_the_start_is_kept_with_the_attempt(world, student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world.test.identity_check = "id_document"
    world.test.save()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    upload = SimpleUploadedFile("id.png", png, content_type="image/png")
    response = student.post(url("attempt-start", world.test.pk), {"identity": upload})
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.identity_file_id
    assert AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEventKind.IDENTITY).exists()
