"""The services of coursework: exact values on success; on a refusal, nothing written (no row, no stored file,
no audit event, no grade)."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from qashyq.audit.models import Event
from qashyq.content.data import ItemKind
from qashyq.content.models import Asset, CourseStaff, ItemProgress
from qashyq.content.services.items import item_unpublish
from qashyq.content.tests.factories import ItemFactory
from qashyq.coursework import services
from qashyq.coursework.data import Channel, Decision, FileKind, LatePolicy, SubmissionStatus
from qashyq.coursework.models import Assignment, Handover, Review, Submission, SubmissionFile
from qashyq.coursework.tests.helpers import PDF, PNG, TEXT, World, coursework_world, moment, upload
from qashyq.gradebook.models import Grade, PeriodClosure

pytestmark = pytest.mark.django_db


def state() -> dict[str, int]:
    """What a refused call must leave as it was."""
    return {
        "submissions": Submission.objects.count(),
        "files": SubmissionFile.objects.count(),
        "handovers": Handover.objects.count(),
        "reviews": Review.objects.count(),
        "assets": Asset.objects.count(),
        "events": Event.objects.filter(action__startswith="coursework.").count(),
        "grades": Grade.objects.count(),
    }


def submit(world: World, index: int = 0, **kwargs) -> Submission:
    kwargs.setdefault("uploads", [upload()])
    return services.submission_submit(actor=world.students[index].user, assignment=world.assignment, **kwargs)


def handed(world: World, index: int = 0) -> Submission:
    submission = submit(world, index)
    services.submission_hand_over(actor=world.admin, submission=submission)
    submission.refresh_from_db()
    return submission


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


# --- The assignment of an item ---------------------------------------------------------------------------


def test_the_staff_opening_an_assignment_item_first_makes_its_assignment(world):
    # given a new assignment item
    item = ItemFactory.create(course=world.course, section=world.item.section, kind=ItemKind.ASSIGNMENT)
    # when a tutor of the course opens it
    assignment = services.assignment_for_item(item_id=item.pk, actor=world.tutor)
    # then the assignment exists with the defaults, once
    assert (assignment.item_id, assignment.course_id, assignment.due_at) == (item.pk, world.course.pk, None)
    assert assignment.late_policy == LatePolicy.ACCEPTED
    assert assignment.file_types == ["pdf", "word"]
    assert services.assignment_for_item(item_id=item.pk, actor=world.teacher).pk == assignment.pk
    assert len(events("coursework.assignment_created")) == 1


def test_only_the_staff_make_an_assignment_and_only_of_an_assignment_item(world):
    item = ItemFactory.create(course=world.course, section=world.item.section, kind=ItemKind.ASSIGNMENT)
    page = ItemFactory.create(course=world.course, section=world.item.section, kind=ItemKind.PAGE)
    before = Assignment.objects.count()
    for user in (world.students[0].user, world.admin, world.outsider_teacher):
        with pytest.raises(PermissionDenied):
            services.assignment_for_item(item_id=item.pk, actor=user)
    with pytest.raises(ValidationError) as refused:
        services.assignment_for_item(item_id=page.pk, actor=world.teacher)
    assert refused.value.message_dict == {"item": ["This item of the course is not an assignment."]}
    assert Assignment.objects.count() == before


def test_a_teacher_changes_the_settings(world):
    due = timezone.now() + timedelta(days=3)
    services.assignment_update(
        actor=world.teacher,
        assignment=world.assignment,
        instructions="  Write 2000 words.  ",
        due_at=due,
        late_policy=LatePolicy.PENALTY,
        late_penalty_percent=20,
        file_types=["image", "pdf"],
        max_files=2,
        max_file_mb=5,
        resubmission_allowed=False,
        rubric=[{"title": "Content", "points": 70}, {"title": "Language", "points": 30}],
    )
    a = Assignment.objects.get(pk=world.assignment.pk)
    assert (a.instructions, a.due_at, a.late_policy, a.late_penalty_percent) == (
        "Write 2000 words.",
        due,
        "penalty",
        20,
    )
    assert (a.file_types, a.max_files, a.max_file_mb, a.resubmission_allowed) == (["pdf", "image"], 2, 5, False)
    assert a.rubric == [{"title": "Content", "points": 70}, {"title": "Language", "points": 30}]
    [event] = events("coursework.assignment_updated")
    assert event.after["late_penalty_percent"] == 20
    assert event.before["late_penalty_percent"] == 0
    # the penalty is dropped with another policy
    services.assignment_update(actor=world.teacher, assignment=a, late_policy=LatePolicy.REFUSED)
    assert Assignment.objects.get(pk=a.pk).late_penalty_percent == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"late_policy": "penalty", "late_penalty_percent": 0}, {"late_penalty_percent"}),
        ({"late_policy": "sometimes"}, {"late_policy"}),
        ({"allow_text": False, "allow_files": False}, {"allow_files"}),
        ({"file_types": []}, {"file_types"}),
        ({"file_types": ["exe"]}, {"file_types"}),
        ({"max_files": 0, "max_file_mb": 100_000}, {"max_files", "max_file_mb"}),
        ({"rubric": [{"title": "Content", "points": 90}]}, {"rubric"}),
        ({"rubric": [{"title": "", "points": 100}]}, {"rubric"}),
        ({"rubric": "100 Content"}, {"rubric"}),
        ({"instructions": "x" * 20_001}, {"instructions"}),
    ],
)
def test_bad_settings_are_refused_by_field_and_change_nothing(world, fields, errors):
    before = Assignment.objects.filter(pk=world.assignment.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        services.assignment_update(actor=world.teacher, assignment=world.assignment, **fields)
    assert set(refused.value.message_dict) == errors
    assert Assignment.objects.filter(pk=world.assignment.pk).values().get() == before
    assert events("coursework.assignment_updated") == []


def test_only_a_teacher_of_the_course_changes_the_settings(world):
    for role in ("tutor", "admin", "head", "student", "outsider_teacher"):
        with pytest.raises(PermissionDenied):
            services.assignment_update(actor=world.user(role), assignment=world.assignment, max_files=3)
    assert Assignment.objects.get(pk=world.assignment.pk).max_files == 5


# --- Submitting ----------------------------------------------------------------------------------------


def test_a_student_submits_text_and_files_and_gets_a_receipt(world):
    # when the student submits text and two files
    now = timezone.now()
    submission = services.submission_submit(
        actor=world.students[0].user,
        assignment=world.assignment,
        text="  Менің эссем.  ",
        uploads=[upload(), upload("diagram.png", PNG, "image/png")],
        now=now,
    )
    # then the receipt holds the number, the moment, each file with its SHA-256
    submission.refresh_from_db()
    assert submission.number == f"{timezone.localtime(now).year}-{submission.pk:06d}"
    assert (submission.attempt, submission.channel, submission.status) == (1, "electronic", "submitted")
    assert (submission.submitted_at, submission.late, submission.penalty_percent) == (now, False, 0)
    assert submission.text == "Менің эссем."
    assert submission.text_sha256 == hashlib.sha256("Менің эссем.".encode()).hexdigest()
    files = list(submission.files.order_by("position"))
    assert [(f.name, f.kind, f.content_type, f.size) for f in files] == [
        ("essay.pdf", FileKind.WORK, "application/pdf", len(PDF)),
        ("diagram.png", FileKind.WORK, "image/png", len(PNG)),
    ]
    assert [f.sha256 for f in files] == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PNG).hexdigest()]
    assert len(submission.digest) == 64
    from qashyq.coursework.selectors import receipt_intact

    assert receipt_intact(submission) is True
    [event] = events("coursework.submitted")
    assert event.after["number"] == submission.number
    assert event.after["files"] == [
        {"name": "essay.pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()},
        {"name": "diagram.png", "size": len(PNG), "sha256": hashlib.sha256(PNG).hexdigest()},
    ]
    assert event.after["digest"] == submission.digest
    # and a change behind the application's back breaks the receipt
    Submission.objects.filter(pk=submission.pk).update(text="Басқа мәтін")
    submission.refresh_from_db()
    assert receipt_intact(submission) is False


def test_a_second_submission_is_refused_until_the_work_is_returned(world):
    first = submit(world)
    before = state()
    with pytest.raises(ValidationError) as refused:
        submit(world, text="again")
    assert refused.value.code == "already"
    assert first.number in refused.value.messages[0]
    assert state() == before


@pytest.mark.parametrize(
    ("policy", "late", "penalty"),
    [(LatePolicy.ACCEPTED, True, 0), (LatePolicy.PENALTY, True, 15)],
)
def test_late_work_follows_the_late_policy(policy, late, penalty):
    world = coursework_world(due_in=-timedelta(hours=1), late_policy=policy, late_penalty_percent=15)
    submission = submit(world)
    assert (submission.late, submission.penalty_percent) == (late, penalty)


def test_late_work_is_refused_with_a_message_and_nothing_is_stored():
    world = coursework_world(due_in=-timedelta(minutes=1), late_policy=LatePolicy.REFUSED)
    before = state()
    with pytest.raises(ValidationError) as refused:
        submit(world, text="late", uploads=[upload(), upload()])
    assert refused.value.code == "late"
    assert "does not accept late work. Nothing was submitted." in refused.value.messages[0]
    assert state() == before


@pytest.mark.parametrize(
    ("fields", "text", "uploads", "field", "message"),
    [
        ({}, "", [], "__all__", "Type your work or attach its files."),
        ({"allow_text": False}, "text", [], "text", "This assignment accepts files only."),
        ({"allow_files": False}, "", ["pdf"], "attachments", "This assignment accepts typed text only."),
        ({"max_files": 1}, "", ["pdf", "pdf"], "attachments", "At most 1 files."),
        ({"file_types": ["pdf"]}, "", ["png"], "attachments", "“diagram.png” is not a kind of file accepted here"),
        ({"file_types": ["word"]}, "", ["fake_docx"], "attachments", "“essay.docx” is named as a .docx file"),
        ({"file_types": ["pdf"]}, "", ["exe"], "attachments", "“setup.exe” is not a kind of file accepted here"),
        ({"max_file_mb": 1}, "", ["big"], "attachments", "“big.pdf” is larger than 1 MB"),
    ],
)
def test_bad_work_is_refused_by_field_and_nothing_is_stored(fields, text, uploads, field, message):
    world = coursework_world(**fields)
    files = {
        "pdf": lambda: upload(),
        "png": lambda: upload("diagram.png", PNG, "image/png"),
        "fake_docx": lambda: upload("essay.docx", PDF, "application/vnd.ms-word"),
        "exe": lambda: upload("setup.exe", b"MZ\x90\x00" * 10, "application/octet-stream"),
        "big": lambda: upload("big.pdf", PDF + b"0" * (1024 * 1024 + 1)),
    }
    before = state()
    with pytest.raises(ValidationError) as refused:
        submit(world, text=text, uploads=[files[name]() for name in uploads])
    assert field in refused.value.message_dict
    assert any(message in m for m in refused.value.message_dict[field])
    assert state() == before


def test_a_file_whose_content_is_not_accepted_is_refused_after_content_reads_it(world):
    # a plain-text file named .pdf is refused by content (its bytes are text); nothing stays
    before = state()
    with pytest.raises(ValidationError) as refused:
        submit(world, uploads=[upload(), upload("notes.pdf", TEXT, "application/pdf")])
    assert "attachments" in refused.value.message_dict
    assert state() == before


def test_only_a_student_of_the_course_submits_to_a_published_assignment(world):
    before = state()
    for role in ("teacher", "tutor", "admin", "head", "outsider_teacher", "anonymous"):
        with pytest.raises(PermissionDenied):
            services.submission_submit(actor=world.user(role), assignment=world.assignment, text="x")
    item_unpublish(actor=world.teacher, item=world.item)
    with pytest.raises(PermissionDenied):
        submit(world)
    assert state() == before


# --- Paper works ---------------------------------------------------------------------------------------


def test_the_administration_registers_a_paper_work_with_its_scan(world):
    today = timezone.localdate()
    submission = services.submission_register_paper(
        actor=world.admin,
        assignment=world.assignment,
        student_id=world.students[1].pk,
        received_on=today,
        scans=[upload("scan.pdf"), upload("page2.png", PNG, "image/png")],
        note="Поштамен келді",
    )
    submission.refresh_from_db()
    assert (submission.channel, submission.received_on, submission.submitted_by_id) == (
        Channel.PAPER,
        today,
        world.admin.pk,
    )
    assert (submission.student_id, submission.note, submission.late, submission.status) == (
        world.students[1].pk,
        "Поштамен келді",
        False,
        "submitted",
    )
    assert [f.kind for f in submission.files.all()] == [FileKind.SCAN, FileKind.SCAN]
    [event] = events("coursework.paper_registered")
    assert event.after["received_on"] == today.isoformat()
    assert event.actor_id == world.admin.pk


def test_a_paper_work_received_after_the_due_day_is_late():
    world = coursework_world(due_in=-timedelta(days=3), late_policy=LatePolicy.PENALTY, late_penalty_percent=10)
    on_time = services.submission_register_paper(
        actor=world.admin,
        assignment=world.assignment,
        student_id=world.students[0].pk,
        received_on=timezone.localdate() - timedelta(days=4),
        scans=[upload()],
    )
    late = services.submission_register_paper(
        actor=world.admin,
        assignment=world.assignment,
        student_id=world.students[1].pk,
        received_on=timezone.localdate(),
        scans=[upload()],
    )
    assert (on_time.late, on_time.penalty_percent) == (False, 0)
    assert (late.late, late.penalty_percent) == (True, 10)


def test_bad_paper_registrations_are_refused_and_change_nothing(world):
    other = coursework_world()
    before = state()
    cases = [
        ({"student_id": other.students[0].pk}, "student"),
        ({"received_on": timezone.localdate() + timedelta(days=1)}, "received_on"),
        ({"scans": []}, "scans"),
        ({"scans": [upload("essay.docx", PDF)]}, "scans"),
        ({"note": "x" * 2001}, "note"),
    ]
    for change, field in cases:
        arguments = {
            "student_id": world.students[0].pk,
            "received_on": timezone.localdate(),
            "scans": [upload()],
            "note": "",
        } | change
        with pytest.raises(ValidationError) as refused:
            services.submission_register_paper(actor=world.admin, assignment=world.assignment, **arguments)
        assert field in refused.value.message_dict, field
    with pytest.raises(PermissionDenied):
        services.submission_register_paper(
            actor=world.tutor,
            assignment=world.assignment,
            student_id=world.students[0].pk,
            received_on=timezone.localdate(),
            scans=[upload()],
        )
    assert state() == before


def test_a_paper_work_after_the_deadline_is_refused_when_late_work_is():
    world = coursework_world(due_in=-timedelta(days=2), late_policy=LatePolicy.REFUSED)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_register_paper(
            actor=world.admin,
            assignment=world.assignment,
            student_id=world.students[0].pk,
            received_on=timezone.localdate(),
            scans=[upload()],
        )
    assert refused.value.code == "late"
    assert state() == before


# --- Hand-over -------------------------------------------------------------------------------------------


def test_the_administration_hands_a_work_to_the_tutor_of_the_students_group(world):
    submission = submit(world, 1)
    handover = services.submission_hand_over(actor=world.admin, submission=submission, note="Тексеріңіз")
    submission.refresh_from_db()
    assert (handover.tutor_id, handover.handed_by_id, handover.note, handover.received_at) == (
        world.tutors[1].pk,
        world.admin.pk,
        "Тексеріңіз",
        None,
    )
    assert (submission.status, submission.handover_id) == (SubmissionStatus.HANDED_OVER, handover.pk)
    [event] = events("coursework.handed_over")
    assert event.before == {"status": "submitted", "tutor": None}
    assert event.after == {
        "status": "handed_over",
        "tutor": world.tutors[1].pk,
        "handover": handover.pk,
        "note": "Тексеріңіз",
    }


def test_without_a_tutor_for_the_group_the_teacher_receives_it_and_another_may_be_chosen(world):
    CourseStaff.objects.filter(user=world.tutors[0]).delete()
    submission = submit(world)
    handover = services.submission_hand_over(actor=world.admin, submission=submission)
    assert handover.tutor_id == world.teacher.pk
    # handed over again, to the other tutor once they tutor every group
    CourseStaff.objects.get(course=world.course, user=world.tutors[1]).groups.clear()
    again = services.submission_hand_over(actor=world.admin, submission=submission, tutor_id=world.tutors[1].pk)
    submission.refresh_from_db()
    assert submission.handover_id == again.pk
    assert Handover.objects.filter(submission=submission).count() == 2


def test_bad_hand_overs_are_refused_and_change_nothing(world):
    submission = submit(world)
    services.submission_hand_over(actor=world.admin, submission=submission)
    before = state()
    with pytest.raises(ValidationError) as refused:  # the tutor of another group
        services.submission_hand_over(actor=world.admin, submission=submission, tutor_id=world.tutors[1].pk)
    assert refused.value.message_dict == {"tutor": ["Choose a tutor or teacher of the course for the student's group."]}
    with pytest.raises(ValidationError) as refused:  # the same tutor again
        services.submission_hand_over(actor=world.admin, submission=submission, tutor_id=world.tutors[0].pk)
    assert refused.value.message_dict == {"tutor": ["The work is already handed to this person."]}
    for role in ("tutor", "teacher", "head", "student"):
        with pytest.raises(PermissionDenied):
            services.submission_hand_over(actor=world.user(role), submission=submission)
    assert state() == before


def test_a_work_without_anyone_to_receive_it_is_not_handed_over(world):
    CourseStaff.objects.filter(course=world.course).delete()
    submission = submit(world)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_hand_over(actor=world.admin, submission=submission)
    assert "tutor" in refused.value.message_dict
    assert state() == before


def test_a_batch_goes_each_work_to_its_tutor_or_none_at_all(world):
    first, second = submit(world, 0), submit(world, 1)
    handovers = services.submissions_hand_over(actor=world.admin, submission_ids=[second.pk, first.pk])
    assert [(h.submission_id, h.tutor_id) for h in handovers] == [
        (first.pk, world.tutors[0].pk),
        (second.pk, world.tutors[1].pk),
    ]
    # a batch with a work already handed over hands none
    third = submit(coursework_world(), 0)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submissions_hand_over(actor=world.admin, submission_ids=[first.pk, third.pk])
    assert refused.value.messages == [f"{first.number}: already handed over or reviewed."]
    with pytest.raises(ValidationError):
        services.submissions_hand_over(actor=world.admin, submission_ids=[third.pk, 999_999])
    with pytest.raises(ValidationError):
        services.submissions_hand_over(actor=world.admin, submission_ids=[])
    with pytest.raises(PermissionDenied):
        services.submissions_hand_over(actor=world.tutor, submission_ids=[third.pk])
    assert state() == before


def test_the_tutor_confirms_receiving_the_work_once(world):
    submission = handed(world)
    now = timezone.now()
    services.handover_confirm(actor=world.tutor, submission=submission, now=now)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED
    assert submission.handover.received_at == now
    [event] = events("coursework.receipt_confirmed")
    assert event.actor_id == world.tutor.pk
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.handover_confirm(actor=world.tutor, submission=submission)
    assert refused.value.code == "confirmed"
    for role in ("tutor_other", "teacher", "admin", "student"):
        with pytest.raises(PermissionDenied):
            services.handover_confirm(actor=world.user(role), submission=submission)
    assert state() == before


# --- Review ----------------------------------------------------------------------------------------------


def test_accepting_a_work_enters_its_score_in_the_gradebook(world):
    submission = handed(world)
    review = services.submission_review(
        actor=world.tutor, submission=submission, decision=Decision.ACCEPTED, points="87,5", feedback="Жақсы."
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert (review.points, review.score, review.feedback) == (Decimal("87.5"), Decimal("87.50"), "Жақсы.")
    # the receipt is confirmed on the way
    assert submission.handover.received_at == review.reviewed_at
    grade = Grade.objects.get(measure=world.measure, student=world.students[0])
    assert (grade.score, grade.source, grade.entered_by_id) == (Decimal("87.50"), "assignment", world.tutor.pk)
    [event] = events("coursework.accepted")
    assert event.after["score"] == "87.50"
    assert event.after["points"] == "87.5"
    progress = ItemProgress.objects.get(item=world.item, enrolment=world.enrolments[0])
    assert (progress.status, progress.score) == ("completed", Decimal("87.50"))


def test_a_late_work_loses_its_penalty_and_the_rubric_gives_the_points():
    world = coursework_world(
        due_in=-timedelta(hours=2),
        late_policy=LatePolicy.PENALTY,
        late_penalty_percent=10,
        rubric=[{"title": "Content", "points": 60}, {"title": "Language", "points": 40}],
    )
    submission = handed(world)
    review = services.submission_review(
        actor=world.tutor, submission=submission, decision=Decision.ACCEPTED, rubric_points={"0": "55", "1": "35"}
    )
    assert (review.points, review.score) == (Decimal("90.00"), Decimal("81.00"))
    assert review.rubric_points == [
        {"title": "Content", "points": 60, "given": "55"},
        {"title": "Language", "points": 40, "given": "35"},
    ]
    assert Grade.objects.get(measure=world.measure, student=world.students[0]).score == Decimal("81.00")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"decision": "accepted", "points": "101"}, "points"),
        ({"decision": "accepted", "points": "abc"}, "points"),
        ({"decision": "accepted", "points": "50.555"}, "points"),
        ({"decision": "accepted"}, "points"),
        ({"decision": "returned", "feedback": "   "}, "feedback"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "accepted", "points": "80", "feedback": "x" * 20_001}, "feedback"),
        ({"decision": "accepted", "points": "80", "annotated": "exe"}, "file"),
    ],
)
def test_bad_reviews_are_refused_by_field_and_change_nothing(world, arguments, field):
    submission = handed(world)
    if arguments.get("annotated") == "exe":
        arguments = arguments | {"annotated": upload("setup.exe", b"MZ" * 10, "application/octet-stream")}
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_review(actor=world.tutor, submission=submission, **arguments)
    assert field in refused.value.message_dict
    assert state() == before
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.HANDED_OVER


def test_a_rubric_needs_every_criterion():
    world = coursework_world(rubric=[{"title": "Content", "points": 60}, {"title": "Language", "points": 40}])
    submission = handed(world)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_review(
            actor=world.tutor, submission=submission, decision="accepted", rubric_points={"0": "61"}
        )
    assert refused.value.message_dict["rubric"] == [
        "The points for “Content” must be from 0 to 60, with two decimals at most.",
        "Give the points for “Language”.",
    ]
    assert state() == before


def test_only_the_tutor_the_work_is_handed_to_reviews_it(world):
    submission = handed(world)
    before = state()
    for role in ("tutor_other", "teacher", "admin", "head", "student", "outsider_tutor"):
        with pytest.raises(PermissionDenied):
            services.submission_review(actor=world.user(role), submission=submission, decision="accepted", points="80")
    # a tutor taken off the course's staff no longer may
    CourseStaff.objects.filter(user=world.tutor).delete()
    with pytest.raises(PermissionDenied):
        services.submission_review(actor=world.tutor, submission=submission, decision="accepted", points="80")
    assert state() == before


def test_without_a_control_measure_for_the_item_nothing_is_accepted():
    world = coursework_world(measure=False)
    submission = handed(world)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_review(actor=world.tutor, submission=submission, decision="accepted", points="80")
    assert refused.value.code == "no_measure"
    assert state() == before
    submission.refresh_from_db()
    assert (submission.status, submission.handover.received_at) == (SubmissionStatus.HANDED_OVER, None)


def test_a_closed_period_refuses_the_grade_and_the_attempt_is_audited(world):
    submission = handed(world)
    PeriodClosure.objects.create(period=world.course.period, closed_by=world.head)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_review(actor=world.tutor, submission=submission, decision="accepted", points="80")
    assert refused.value.code == "locked"
    after = state()
    assert after == before | {"events": before["events"] + 1}
    [event] = events("coursework.accept_refused")
    assert event.after == {"score": "80.00", "code": "locked"}
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.HANDED_OVER


def test_return_resubmit_and_accept(world):
    # given a work returned for revision with an annotated file
    submission = handed(world)
    services.handover_confirm(actor=world.tutor, submission=submission)
    review = services.submission_review(
        actor=world.tutor,
        submission=submission,
        decision=Decision.RETURNED,
        feedback="Қорытындыны толықтырыңыз.",
        annotated=upload("remarks.pdf"),
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert (review.decision, review.points, review.score, review.file_name) == ("returned", None, None, "remarks.pdf")
    assert review.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert not Grade.objects.filter(student=world.students[0]).exists()
    assert len(events("coursework.returned")) == 1
    # when the student resubmits
    revised = submit(world, text="Толықтырылған қорытынды.", uploads=[])
    # then the new attempt goes back to the same tutor by itself
    revised.refresh_from_db()
    assert (revised.attempt, revised.revises_id, revised.status) == (2, submission.pk, SubmissionStatus.HANDED_OVER)
    assert (revised.handover.tutor_id, revised.handover.handed_by_id) == (world.tutor.pk, None)
    automatic = events("coursework.handed_over")[-1]
    assert (automatic.actor_id, automatic.after["resubmission"]) == (None, True)
    # and the tutor accepts it
    services.submission_review(actor=world.tutor, submission=revised, decision=Decision.ACCEPTED, points="92")
    assert Grade.objects.get(measure=world.measure, student=world.students[0]).score == Decimal("92.00")
    # a third submission is refused
    with pytest.raises(ValidationError):
        submit(world)


def test_a_return_needs_an_assignment_that_accepts_resubmission():
    world = coursework_world(resubmission_allowed=False)
    submission = handed(world)
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_review(actor=world.tutor, submission=submission, decision="returned", feedback="Again")
    assert "decision" in refused.value.message_dict
    assert state() == before


def test_a_reviewed_work_is_not_reviewed_or_handed_over_again(world):
    submission = handed(world)
    services.submission_review(actor=world.tutor, submission=submission, decision="accepted", points="70")
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.submission_hand_over(actor=world.admin, submission=submission, tutor_id=world.teacher.pk)
    assert refused.value.code == "reviewed"
    with pytest.raises(ValidationError):
        services.submission_review(actor=world.tutor, submission=submission, decision="accepted", points="90")
    assert state() == before


# --- Reminders ----------------------------------------------------------------------------------------


def test_reminders_list_and_email_the_tutors_of_overdue_works(world, settings):
    settings.QASHYQ_COURSEWORK_GRADING_DAYS = 7
    world.tutors[0].email = "tutor0@qashyq.kz"
    world.tutors[0].language = "ru"
    world.tutors[0].save()
    old, fresh = submit(world, 0), submit(world, 1)
    services.submission_hand_over(actor=world.admin, submission=old, now=moment(-8))
    services.submission_hand_over(actor=world.admin, submission=fresh, now=moment(-6))
    # listed without sending
    [reminder] = services.grading_reminders()
    old.refresh_from_db()
    assert (reminder.tutor_id, reminder.numbers, reminder.sent) == (world.tutors[0].pk, (old.number,), False)
    assert mail.outbox == []
    # sent once a day
    [reminder] = services.grading_reminders(send=True)
    assert reminder.sent is True
    [message] = mail.outbox
    assert message.to == ["tutor0@qashyq.kz"]
    assert old.number in message.body
    assert services.grading_reminders(send=True)[0].sent is False
    assert len(mail.outbox) == 1
    assert services.grading_reminders(send=True, now=moment(1.01))[0].sent is True
    # fewer days: the other tutor too; a reviewed work never
    assert {r.tutor_id for r in services.grading_reminders(days=5)} == {world.tutors[0].pk, world.tutors[1].pk}
    services.submission_review(actor=world.tutors[0], submission=old, decision="accepted", points="60")
    assert services.grading_reminders() == []


def test_the_reminder_command_lists_and_sends(world, capsys):
    submission = submit(world)
    services.submission_hand_over(actor=world.admin, submission=submission, now=moment(-10))
    call_command("coursework_reminders")
    out = capsys.readouterr().out
    submission.refresh_from_db()
    assert f"1 work overdue ({submission.number})" in out
    assert "1 tutor with overdue grading." in out
    call_command("coursework_reminders", "--days", "30")
    assert "0 tutors with overdue grading." in capsys.readouterr().out
