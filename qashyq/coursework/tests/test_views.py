"""The pages of coursework through the test client: 200/302/400/403/404 paths, what each page shows, and a fixed
number of queries on the collection dashboard and the workload pages."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from qashyq.content.data import EnrolmentSource, ItemKind
from qashyq.content.models import Enrolment
from qashyq.content.tests.factories import ItemFactory
from qashyq.coursework import services
from qashyq.coursework.data import LatePolicy, SubmissionStatus
from qashyq.coursework.models import Assignment, Handover, Review, Submission
from qashyq.coursework.tests.helpers import PDF, World, coursework_world, upload
from qashyq.gradebook.models import Grade
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"coursework:{name}", args=args)


def submitted(world: World, index: int = 0) -> Submission:
    return services.submission_submit(
        actor=world.students[index].user, assignment=world.assignment, text="Эссе", uploads=[upload()]
    )


def handed(world: World, index: int = 0) -> Submission:
    submission = submitted(world, index)
    services.submission_hand_over(actor=world.admin, submission=submission)
    submission.refresh_from_db()
    return submission


# --- From the course item ---------------------------------------------------------------------------------


def test_the_course_item_page_links_to_the_assignment(world, sign_in):
    client = sign_in(world, "student")
    response = client.get(reverse("content:item-detail", args=[world.item.pk]))
    assert response.status_code == 200
    assert url("assignment-for-item", world.item.pk).encode() in response.content


def test_the_item_leads_to_its_assignment_made_by_the_staff_first(world, sign_in):
    item = ItemFactory.create(course=world.course, section=world.item.section, kind=ItemKind.ASSIGNMENT)
    # a student before the staff opened it: not ready
    from qashyq.content.services.items import item_publish

    item_publish(actor=world.teacher, item=item)
    response = sign_in(world, "student").get(url("assignment-for-item", item.pk))
    assert response.status_code == 200
    assert b'id="assignment-not-ready"' in response.content
    assert not Assignment.objects.filter(item=item).exists()
    # the teacher: made, and on to its page
    response = sign_in(world, "teacher").get(url("assignment-for-item", item.pk))
    assignment = Assignment.objects.get(item=item)
    assert response.status_code == 302
    assert response["Location"] == url("assignment-detail", assignment.pk)
    # an outsider, and an item of another kind: 404
    assert sign_in(world, "outsider_teacher").get(url("assignment-for-item", item.pk)).status_code == 404
    page = ItemFactory.create(course=world.course, section=world.item.section, kind=ItemKind.PAGE)
    assert sign_in(world, "teacher").get(url("assignment-for-item", page.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for path in (url("assignment-detail", world.assignment.pk), url("collection"), url("workload")):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# --- The assignment's page ------------------------------------------------------------------------------


def test_the_student_page_offers_the_form_then_the_receipt(world, sign_in):
    client = sign_in(world, "student")
    response = client.get(url("assignment-detail", world.assignment.pk))
    assert response.status_code == 200
    assert b'id="submit-form"' in response.content
    assert b'accept=".doc,.docx,.gif' in response.content
    submission = submitted(world)
    response = client.get(url("assignment-detail", world.assignment.pk))
    assert b'id="submit-form"' not in response.content
    assert submission.number.encode() in response.content
    assert hashlib.sha256(PDF).hexdigest().encode() in response.content


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("tutor", 200),
        ("admin", 200),
        ("head", 200),
        ("didactics", 200),
        ("outsider_teacher", 404),
        ("it_support", 404),
    ],
)
def test_the_staff_page(world, sign_in, role, status):
    submitted(world, 0)
    submitted(world, 1)
    response = sign_in(world, role).get(url("assignment-detail", world.assignment.pk))
    assert response.status_code == status
    if status != 200:
        return
    content = response.content.decode()
    sees = {"teacher": [0, 1], "tutor": [0], "admin": [0, 1], "head": [0, 1], "didactics": []}[role]
    for index, student in enumerate(world.students):
        assert (f'id="work-{student.pk}"' in content) is (index in sees)


def test_a_student_submits_through_the_form(world, sign_in):
    client = sign_in(world, "student")
    response = client.post(
        url("submission-create", world.assignment.pk), {"text": "Менің жұмысым", "attachments": [upload()]}
    )
    submission = Submission.objects.get(student=world.students[0])
    assert response.status_code == 302
    assert response["Location"] == url("submission-detail", submission.pk)
    assert submission.files.get().name == "essay.pdf"
    # again: refused with the message, nothing more
    response = client.post(url("submission-create", world.assignment.pk), {"text": "Тағы"})
    assert response.status_code == 400
    assert b"The work is already submitted" in response.content
    assert Submission.objects.count() == 1


def test_bad_work_is_sent_back_with_the_form(world, sign_in):
    client = sign_in(world, "student")
    response = client.post(url("submission-create", world.assignment.pk), {"text": ""})
    assert response.status_code == 400
    assert b"Type your work or attach its files." in response.content
    response = client.post(
        url("submission-create", world.assignment.pk), {"attachments": [upload("setup.exe", b"MZ" * 8)]}
    )
    assert response.status_code == 400
    assert "“setup.exe” is not a kind of file accepted here".encode() in response.content
    assert Submission.objects.count() == 0
    assert client.get(url("submission-create", world.assignment.pk)).status_code == 405


def test_late_work_refused_by_the_policy_is_a_clear_message_in_kazakh_too(sign_in):
    world = coursework_world(due_in=-timedelta(hours=1), late_policy=LatePolicy.REFUSED)
    client = sign_in(world, "student")
    page = client.get(url("assignment-detail", world.assignment.pk))
    assert b'id="submission-closed"' in page.content
    response = client.post(url("submission-create", world.assignment.pk), {"text": "Кеш"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b"does not accept late work. Nothing was submitted." in response.content
    assert Submission.objects.count() == 0


def test_only_the_student_posts_a_submission(world, sign_in):
    for role in ("teacher", "tutor", "admin", "outsider_teacher"):
        response = sign_in(world, role).post(url("submission-create", world.assignment.pk), {"text": "x"})
        assert response.status_code == 404, role
    assert Submission.objects.count() == 0


# --- Settings ----------------------------------------------------------------------------------------------


def settings_data(**changes):
    data = {
        "instructions": "2000 сөз.",
        "due_at": (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "late_policy": "penalty",
        "late_penalty_percent": "10",
        "allow_text": "on",
        "allow_files": "on",
        "file_types": ["pdf"],
        "max_files": "3",
        "max_file_mb": "10",
        "resubmission_allowed": "on",
        "rubric": "60 Мазмұны\n40 Тілі",
    }
    data.update(changes)
    return data


def test_the_teacher_saves_the_settings(world, sign_in):
    client = sign_in(world, "teacher")
    assert client.get(url("assignment-settings", world.assignment.pk)).status_code == 200
    response = client.post(url("assignment-settings", world.assignment.pk), settings_data())
    assert response.status_code == 302
    a = Assignment.objects.get(pk=world.assignment.pk)
    assert (a.instructions, a.late_policy, a.late_penalty_percent, a.file_types, a.max_files) == (
        "2000 сөз.",
        "penalty",
        10,
        ["pdf"],
        3,
    )
    assert a.rubric == [{"title": "Мазмұны", "points": 60}, {"title": "Тілі", "points": 40}]


def test_bad_settings_are_sent_back_and_change_nothing(world, sign_in):
    client = sign_in(world, "teacher")
    before = Assignment.objects.filter(pk=world.assignment.pk).values().get()
    response = client.post(url("assignment-settings", world.assignment.pk), settings_data(rubric="60 A\n30 B"))
    assert response.status_code == 400
    assert b"The criteria add up to 90 points; they must add up to 100." in response.content
    response = client.post(url("assignment-settings", world.assignment.pk), settings_data(late_penalty_percent=""))
    assert response.status_code == 400
    assert b"The penalty is from 1 to 100 per cent." in response.content
    assert Assignment.objects.filter(pk=world.assignment.pk).values().get() == before


@pytest.mark.parametrize("role", ["tutor", "admin", "student", "outsider_teacher"])
def test_the_settings_are_the_teachers(world, sign_in, role):
    client = sign_in(world, role)
    assert client.get(url("assignment-settings", world.assignment.pk)).status_code == 404
    assert client.post(url("assignment-settings", world.assignment.pk), settings_data()).status_code == 404


# --- Paper works -------------------------------------------------------------------------------------------


def test_the_administration_registers_a_paper_work(world, sign_in):
    client = sign_in(world, "admin")
    assert client.get(url("paper-register", world.assignment.pk)).status_code == 200
    response = client.post(
        url("paper-register", world.assignment.pk),
        {
            "student": world.students[1].pk,
            "received_on": timezone.localdate().isoformat(),
            "scans": [upload("scan.pdf")],
            "note": "Курьер",
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("submission-detail", submission.pk)
    assert (submission.channel, submission.student_id) == ("paper", world.students[1].pk)
    day = formats.date_format(timezone.localdate(), "DATE_FORMAT").encode()
    page = client.get(url("submission-detail", submission.pk))
    assert b"received on " + day in page.content
    response = client.post(
        url("paper-register", world.assignment.pk),
        {"student": world.students[0].pk, "received_on": "2099-01-01", "scans": [upload()]},
    )
    assert response.status_code == 400
    assert b"The date received cannot be in the future." in response.content
    assert Submission.objects.count() == 1
    # the student sees the receipt of their paper work
    mine = sign_in(world, "student_other").get(url("assignment-detail", world.assignment.pk))
    assert b"received on " + day in mine.content
    assert submission.number.encode() in mine.content


@pytest.mark.parametrize("role", ["tutor", "teacher", "head", "student"])
def test_paper_works_are_the_administrations(world, sign_in, role):
    assert sign_in(world, role).get(url("paper-register", world.assignment.pk)).status_code == 404


# --- One submission ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("student", 200),
        ("teacher", 200),
        ("tutor", 200),
        ("admin", 200),
        ("head", 200),
        ("student_other", 404),
        ("tutor_other", 404),
        ("didactics", 404),
        ("outsider_teacher", 404),
    ],
)
def test_the_submission_page_receipt_and_file(world, sign_in, role, status):
    submission = handed(world)
    client = sign_in(world, role)
    response = client.get(url("submission-detail", submission.pk))
    assert response.status_code == status
    assert client.get(url("submission-receipt", submission.pk)).status_code == status
    file = submission.files.get()
    download = client.get(url("submission-file", submission.pk, file.pk))
    assert download.status_code == status
    if status == 200:
        assert b"".join(download.streaming_content) == PDF
        assert submission.digest.encode() in response.content
        # the student sees no hand-over log; the staff do
        assert (b'id="handover-log"' in response.content) is (role != "student")
    assert client.get(url("submission-file", submission.pk, 999_999)).status_code == 404
    assert client.get(url("submission-detail", 999_999)).status_code == 404


def test_the_printable_receipt_has_its_script_file_and_no_links(world, sign_in):
    submission = submitted(world)
    response = sign_in(world, "student").get(url("submission-receipt", submission.pk))
    assert b"coursework/print.js" in response.content
    assert b"data-qh-print" in response.content
    assert url("submission-file", submission.pk, submission.files.get().pk).encode() not in response.content


def test_the_administration_hands_over_one_work(world, sign_in):
    submission = submitted(world)
    client = sign_in(world, "admin")
    page = client.get(url("submission-hand-over", submission.pk))
    assert page.status_code == 200
    assert world.tutor.full_name.encode() in page.content
    response = client.post(url("submission-hand-over", submission.pk), {"tutor": world.tutor.pk, "note": ""})
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).handover.tutor_id == world.tutor.pk
    # the same tutor again, and a tutor of another group: sent back
    response = client.post(url("submission-hand-over", submission.pk), {"tutor": world.tutor.pk})
    assert response.status_code == 400
    response = client.post(url("submission-hand-over", submission.pk), {"tutor": world.tutors[1].pk})
    assert response.status_code == 400
    assert Handover.objects.count() == 1


@pytest.mark.parametrize("role", ["tutor", "teacher", "head", "student"])
def test_only_the_administration_hands_over(world, sign_in, role):
    submission = submitted(world)
    client = sign_in(world, role)
    assert client.get(url("submission-hand-over", submission.pk)).status_code == 404
    assert client.post(url("submission-hand-over", submission.pk), {"tutor": world.tutor.pk}).status_code == 404
    assert Handover.objects.count() == 0


def test_the_tutor_confirms_and_reviews(world, sign_in):
    submission = handed(world)
    client = sign_in(world, "tutor")
    page = client.get(url("submission-detail", submission.pk))
    assert b'id="confirm-receipt"' in page.content
    response = client.post(url("handover-confirm", submission.pk))
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.RECEIVED
    assert client.post(url("handover-confirm", submission.pk)).status_code == 400
    assert client.get(url("submission-review", submission.pk)).status_code == 200
    response = client.post(url("submission-review", submission.pk), {"decision": "accepted", "points": "150"})
    assert response.status_code == 400
    response = client.post(url("submission-review", submission.pk), {"decision": "accepted", "feedback": "x"})
    assert response.status_code == 400
    assert b"Give the points from 0 to 100" in response.content
    assert Review.objects.count() == 0
    response = client.post(
        url("submission-review", submission.pk),
        {"decision": "accepted", "points": "78.5", "feedback": "Жақсы", "file": upload("remarks.pdf")},
    )
    assert response.status_code == 302
    assert Grade.objects.get(student=world.students[0]).score == Decimal("78.50")
    assert Review.objects.get().file_name == "remarks.pdf"
    # reviewed: the review page is gone, the annotated file is there for the student
    assert client.get(url("submission-review", submission.pk)).status_code == 404
    student = sign_in(world, "student")
    page = student.get(url("submission-detail", submission.pk))
    assert b'id="gradebook-note"' in page.content
    assert b'id="review-score"' not in page.content
    assert student.get(url("review-file", submission.pk)).status_code == 200


def test_a_rubric_review_through_the_form(sign_in):
    world = coursework_world(rubric=[{"title": "Content", "points": 60}, {"title": "Language", "points": 40}])
    submission = handed(world)
    client = sign_in(world, "tutor")
    page = client.get(url("submission-review", submission.pk))
    assert b'id="id_rubric_0"' in page.content
    assert b'id="id_points"' not in page.content
    response = client.post(url("submission-review", submission.pk), {"decision": "accepted", "rubric_0": "50"})
    assert response.status_code == 400
    assert "Give the points for “Language”.".encode() in response.content
    assert Review.objects.count() == 0
    response = client.post(
        url("submission-review", submission.pk), {"decision": "accepted", "rubric_0": "50", "rubric_1": "30"}
    )
    assert response.status_code == 302
    assert Grade.objects.get(student=world.students[0]).score == Decimal("80.00")


@pytest.mark.parametrize("role", ["tutor_other", "teacher", "admin", "student"])
def test_only_the_recipient_confirms_and_reviews(world, sign_in, role):
    submission = handed(world)
    client = sign_in(world, role)
    assert client.post(url("handover-confirm", submission.pk)).status_code == 404
    assert client.get(url("submission-review", submission.pk)).status_code == 404
    response = client.post(url("submission-review", submission.pk), {"decision": "accepted", "points": "80"})
    assert response.status_code == 404
    assert Review.objects.count() == 0


# --- Collection and workload ------------------------------------------------------------------------------


def more_students(world: World, count: int) -> None:
    """`count` more students in the first group, each with a work handed over, and one with none."""
    for _ in range(count):
        from qashyq.accounts.tests.factories import UserFactory

        student = make_student(
            world.groups[0].programme,
            group=world.groups[0],
            status=StudentStatus.ACTIVE,
            user=UserFactory.create(roles=["student"]),
        )
        Enrolment.objects.create(course=world.course, student=student, source=EnrolmentSource.GROUP)
        submission = services.submission_submit(actor=student.user, assignment=world.assignment, text="Жұмыс")
        services.submission_hand_over(actor=world.admin, submission=submission)


def test_the_collection_dashboard(world, sign_in):
    waiting = submitted(world, 0)
    other = handed(world, 1)
    client = sign_in(world, "admin")
    response = client.get(url("collection"))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="summary-{world.assignment.pk}"' in content
    response = client.get(url("collection"), {"course": world.course.pk})
    content = response.content.decode()
    assert f'id="choose-{waiting.pk}"' in content
    assert f'id="choose-{other.pk}"' not in content  # already handed over
    assert f"to {world.tutor.full_name}" in content
    response = client.get(url("collection"), {"course": world.course.pk, "show": "not_handed"})
    assert f'id="row-{world.assignment.pk}-{world.students[0].pk}"' in response.content.decode()
    assert f'id="row-{world.assignment.pk}-{world.students[1].pk}"' not in response.content.decode()
    # an unknown filter value is named on the form, and the page still answers
    response = client.get(url("collection"), {"course": "999999", "show": "everything"})
    assert response.status_code == 200
    assert b"invalid-feedback" in response.content


@pytest.mark.parametrize(("role", "status"), [("head", 200), ("tutor", 404), ("teacher", 404), ("student", 404)])
def test_the_collection_is_the_administrations_and_the_heads(world, sign_in, role, status):
    response = sign_in(world, role).get(url("collection"), {"course": world.course.pk})
    assert response.status_code == status
    if role == "head":
        assert b'id="batch-hand-over"' not in response.content


def test_the_collection_costs_the_same_queries_whatever_the_number_of_students(
    world, sign_in, django_assert_num_queries
):
    submitted(world, 0)
    handed(world, 1)
    client = sign_in(world, "admin")
    client.get(url("collection"), {"course": world.course.pk})  # the session and roles are read once
    with django_assert_num_queries(10):
        response = client.get(url("collection"), {"course": world.course.pk})
    assert response.status_code == 200
    more_students(world, 6)
    other = coursework_world()
    submitted(other, 0)
    with django_assert_num_queries(10):
        response = client.get(url("collection"), {"course": world.course.pk})
    assert response.content.count(b'<tr id="row-') == 8
    with django_assert_num_queries(7):
        response = client.get(url("collection"))
    assert response.content.count(b'<tr id="summary-') == 2


def test_a_batch_is_handed_over_from_the_dashboard(world, sign_in):
    first, second = submitted(world, 0), submitted(world, 1)
    client = sign_in(world, "admin")
    response = client.post(
        url("collection-hand-over"), {"submissions": [first.pk, second.pk], "query": f"course={world.course.pk}"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("collection") + f"?course={world.course.pk}"
    assert sorted(Handover.objects.values_list("tutor_id", flat=True)) == sorted(t.pk for t in world.tutors)
    # again: refused as a whole, with the reason
    response = client.post(url("collection-hand-over"), {"submissions": [first.pk]}, follow=True)
    assert f"{first.number}: already handed over or reviewed.".encode() in response.content
    response = client.post(url("collection-hand-over"), {}, follow=True)
    assert b"Choose the works to hand over." in response.content
    assert Handover.objects.count() == 2


@pytest.mark.parametrize("role", ["head", "tutor", "student"])
def test_only_the_administration_hands_a_batch(world, sign_in, role):
    first = submitted(world, 0)
    assert sign_in(world, role).post(url("collection-hand-over"), {"submissions": [first.pk]}).status_code == 404
    assert Handover.objects.count() == 0


def test_the_workload_pages(world, sign_in, django_assert_num_queries):
    handed(world, 0)
    handed(world, 1)
    admin = sign_in(world, "admin")
    admin.get(url("workload"))
    with django_assert_num_queries(4):
        response = admin.get(url("workload"))
    assert response.status_code == 200
    assert f'id="tutor-{world.tutor.pk}"' in response.content.decode()
    more_students(world, 5)
    with django_assert_num_queries(4):
        response = admin.get(url("workload"))
    assert b'data-count="handed">6<' in response.content
    with django_assert_num_queries(4):
        response = admin.get(url("workload-tutor", world.tutor.pk))
    assert response.content.count(b'<tr id="waiting-') == 6
    tutor = sign_in(world, "tutor")
    tutor.get(url("workload"))
    with django_assert_num_queries(2):
        response = tutor.get(url("workload"))
    assert response.content.count(b'<tr id="waiting-') == 6
    assert tutor.get(url("workload-tutor", world.tutors[1].pk)).status_code == 404
    assert sign_in(world, "student").get(url("workload")).status_code == 404
    assert admin.get(url("workload-tutor", 999_999)).status_code == 404


def test_overdue_works_are_marked_on_the_workload(world, sign_in, settings):
    settings.QASHYQ_COURSEWORK_GRADING_DAYS = 7
    submission = submitted(world)
    services.submission_hand_over(actor=world.admin, submission=submission, now=timezone.now() - timedelta(days=8))
    response = sign_in(world, "tutor").get(url("workload"))
    assert b'id="overdue-count"' in response.content
    response = sign_in(world, "admin").get(url("workload"))
    assert b'<span class="badge text-bg-danger">1</span>' in response.content
