"""The administration service's and the head's pages: reopening an entry window with a reason, closing a period
after a confirmation, the change requests the head approves or rejects with a note (the administration service
sees their status), and the grading policy and scale read-only. Each for its roles only; refusals change
nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qashyq.audit.models import Event
from qashyq.gradebook.data import ChangeStatus
from qashyq.gradebook.models import CourseResult, EntryReopen, Grade, GradeChangeRequest, PeriodClosure
from qashyq.gradebook.services import locks as lock_services
from qashyq.gradebook.tests.pages_helpers import results_world, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["student", "teacher", "tutor", "outsider_teacher", "admin", "head", "didactics", "it_support"]


@pytest.fixture
def world():
    return results_world()


def reopen_url(world) -> str:
    return reverse("gradebook:reopen", args=[world.course.pk])


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Reopening an entry window -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("head", 403),  # sees the course, may not reopen
        ("teacher", 403),
        ("tutor", 403),
        ("outsider_teacher", 404),
        ("student", 404),
        ("didactics", 404),
        ("it_support", 404),
    ],
)
def test_who_may_reopen_an_entry_window(client, world, enrol_totp, role, status):
    client = sign_in(client, world, role, enrol_totp)
    assert client.get(reopen_url(world)).status_code == status
    until = local(timezone.now() + timedelta(days=3))
    data = {"measure": world.measures["tk1"].pk, "student": world.students[0].pk, "until": until, "reason": "Ill"}
    assert client.post(reopen_url(world), data).status_code == (302 if status == 200 else status)
    assert EntryReopen.objects.count() == (1 if status == 200 else 0)


def test_the_reopen_form_is_prefilled_and_lists_the_reopenings(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    tk1, student = world.measures["tk1"], world.students[2]
    response = client.get(reopen_url(world), {"measure": tk1.pk, "student": student.pk})
    form = response.context["form"]
    assert (form["measure"].value(), form["student"].value()) == (str(tk1.pk), str(student.pk))
    assert [c[0] for c in form.fields["measure"].choices] == [m.pk for m in world.measures.values()]
    assert {c[0] for c in form.fields["student"].choices} == {s.pk for s in world.students}
    until = timezone.now() + timedelta(days=2)
    response = client.post(
        reopen_url(world), {"measure": tk1.pk, "student": student.pk, "until": local(until), "reason": "Was ill"}
    )
    assert response.status_code == 302
    reopen = EntryReopen.objects.get()
    assert (reopen.measure_id, reopen.student_id, reopen.reason, reopen.created_by_id) == (
        tk1.pk,
        student.pk,
        "Was ill",
        world.admin.pk,
    )
    assert local(reopen.until) == local(until)
    event = Event.objects.order_by("-seq").first()
    assert (event.action, event.reason) == ("gradebook.entry_reopened", "Was ill")
    page = client.get(reopen_url(world))
    assert [r.reopen.pk for r in page.context["reopens"]] == [reopen.pk]
    assert "Was ill" in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"until": "2020-01-01T10:00"}, "until"),
        ({"until": "not a moment"}, "until"),
        ({"measure": "999999"}, "measure"),
        ({"student": "999999"}, "student"),
    ],
)
def test_a_bad_reopening_is_refused_and_changes_nothing(client, world, enrol_totp, change, field):
    client = sign_in(client, world, "admin", enrol_totp)
    events = Event.objects.count()
    data = {
        "measure": world.measures["tk1"].pk,
        "student": world.students[0].pk,
        "until": local(timezone.now() + timedelta(days=3)),
        "reason": "Ill",
        **change,
    }
    response = client.post(reopen_url(world), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert EntryReopen.objects.count() == 0
    assert Event.objects.count() == events


def test_no_reopening_in_a_closed_period(client, world, enrol_totp):
    lock_services.period_close(actor=world.admin, period_id=world.period.pk)
    client = sign_in(client, world, "admin", enrol_totp)
    data = {
        "measure": world.measures["tk1"].pk,
        "student": world.students[0].pk,
        "until": local(timezone.now() + timedelta(days=3)),
        "reason": "Ill",
    }
    response = client.post(reopen_url(world), data)
    assert response.status_code == 400
    assert "The period is closed" in response.content.decode()
    assert EntryReopen.objects.count() == 0


def test_reopening_in_an_unknown_course_is_404(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    assert client.get(reverse("gradebook:reopen", args=[999_999])).status_code == 404


# --- Periods -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_periods_page_is_the_administrations_and_the_heads(client, world, enrol_totp, role):
    client = sign_in(client, world, role, enrol_totp)
    expected = 200 if role in {"admin", "head"} else 404
    assert client.get(reverse("gradebook:period-list")).status_code == expected
    assert client.get(reverse("gradebook:period-close", args=[world.period.pk])).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in (
        reverse("gradebook:period-list"),
        reverse("gradebook:period-close", args=[world.period.pk]),
        reverse("gradebook:change-request-list"),
        reverse("gradebook:policy"),
        reopen_url(world),
    ):
        assert client.get(url).status_code == 302


def test_the_periods_list_shows_which_are_closed(client, world, enrol_totp, django_assert_num_queries):
    client = sign_in(client, world, "head", enrol_totp)
    client.get(reverse("gradebook:period-list"))
    with django_assert_num_queries(4):
        response = client.get(reverse("gradebook:period-list"))
    [row] = [r for r in response.context["periods"] if r.period.id == world.period.pk]
    assert row.closed is False
    lock_services.period_close(actor=world.head, period_id=world.period.pk)
    response = client.get(reverse("gradebook:period-list"))
    [row] = [r for r in response.context["periods"] if r.period.id == world.period.pk]
    assert (row.closed, row.closure.closed_by_id) == (True, world.head.pk)
    assert "Closed" in response.content.decode()


def test_closing_needs_the_confirmation(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    url = reverse("gradebook:period-close", args=[world.period.pk])
    page = client.get(url)
    assert {c.id for c in page.context["courses"]} == {world.course.pk, world.other_course.pk}
    events = Event.objects.count()
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"]
    assert PeriodClosure.objects.count() == 0
    assert Event.objects.count() == events


@pytest.mark.parametrize("role", ["admin", "head"])
def test_closing_a_period_locks_it_and_gives_f_to_whoever_has_no_exam(client, world, enrol_totp, role):
    client = sign_in(client, world, role, enrol_totp)
    response = client.post(reverse("gradebook:period-close", args=[world.period.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("gradebook:period-list")
    closure = PeriodClosure.objects.get()
    assert (closure.period_id, closure.closed_by_id) == (world.period.pk, world.user(role).pk)
    not_admitted = CourseResult.objects.get(course=world.course, student=world.students[1])
    assert (not_admitted.letter, not_admitted.outcome) == ("F", "f")
    again = client.post(reverse("gradebook:period-close", args=[world.period.pk]), {"confirm": "on"})
    assert again.status_code == 400
    assert "already closed" in again.content.decode()
    assert PeriodClosure.objects.count() == 1


def test_closing_an_unknown_period_is_404(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    assert client.get(reverse("gradebook:period-close", args=[999_999])).status_code == 404
    assert client.post(reverse("gradebook:period-close", args=[999_999]), {"confirm": "on"}).status_code == 404


# --- Change requests -----------------------------------------------------------------------------------------


@pytest.fixture
def requested(world):
    """The period closed, and the teacher asks to raise the first student's TK1 from 70 to 75."""
    lock_services.period_close(actor=world.admin, period_id=world.period.pk)
    request = lock_services.change_request_create(
        actor=world.teacher,
        measure_id=world.measures["tk1"].pk,
        student_id=world.students[0].pk,
        score=Decimal("75"),
        reason="Arithmetic error in the sum",
    )
    world.extra["request"] = request
    return world


def detail_url(request) -> str:
    return reverse("gradebook:change-request-detail", args=[request.pk])


def decide_url(request) -> str:
    return reverse("gradebook:change-request-decide", args=[request.pk])


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_change_requests(client, requested, enrol_totp, role):
    client = sign_in(client, requested, role, enrol_totp)
    request = requested.extra["request"]
    expected = 200 if role in {"admin", "head"} else 404
    assert client.get(reverse("gradebook:change-request-list")).status_code == expected
    assert client.get(detail_url(request)).status_code == expected


def test_the_list_of_change_requests(client, requested, enrol_totp):
    client = sign_in(client, requested, "admin", enrol_totp)
    response = client.get(reverse("gradebook:change-request-list"))
    [row] = response.context["rows"]
    assert (row.course_code, row.measure_name, row.student_name) == (
        requested.course.code,
        "TK1",
        requested.students[0].full_name,
    )
    assert (str(row.current), str(row.request.score), row.status_label) == (
        "70.00",
        "75.00",
        "Waiting for the head's decision",
    )
    assert response.context["can_decide"] is False
    assert ("pending", "Waiting for the head's decision", 1) in response.context["counts"]
    html = response.content.decode()
    assert "Arithmetic error in the sum" in html
    assert client.get(reverse("gradebook:change-request-list"), {"status": "approved"}).context["rows"] == []
    assert len(client.get(reverse("gradebook:change-request-list"), {"status": "nonsense"}).context["rows"]) == 1


def test_the_list_takes_a_fixed_number_of_queries(client, requested, enrol_totp, django_assert_num_queries):
    client = sign_in(client, requested, "head", enrol_totp)
    url = reverse("gradebook:change-request-list")
    client.get(url)
    with django_assert_num_queries(6) as few:
        client.get(url)
    for student in requested.students[1:]:
        lock_services.change_request_create(
            actor=requested.admin,
            measure_id=requested.measures["tk2"].pk,
            student_id=student.pk,
            score=Decimal("99"),
            reason="Re-checked",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 4


def test_the_administration_sees_the_status_but_does_not_decide(client, requested, enrol_totp):
    client = sign_in(client, requested, "admin", enrol_totp)
    request = requested.extra["request"]
    page = client.get(detail_url(request))
    assert page.context["form"] is None
    assert 'id="decision-form"' not in page.content.decode()
    events = Event.objects.count()
    response = client.post(decide_url(request), {"decision": "approve", "note": "ok"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING
    assert Event.objects.count() == events


@pytest.mark.parametrize("role", ["teacher", "tutor", "student", "didactics", "it_support"])
def test_others_cannot_decide(client, requested, enrol_totp, role):
    client = sign_in(client, requested, role, enrol_totp)
    request = requested.extra["request"]
    assert client.post(decide_url(request), {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING


def test_the_head_approves_with_a_note(client, requested, enrol_totp):
    client = sign_in(client, requested, "head", enrol_totp)
    request = requested.extra["request"]
    page = client.get(detail_url(request))
    assert 'id="decision-form"' in page.content.decode()
    response = client.post(decide_url(request), {"decision": "approve", "note": "Checked the paper sheet"})
    assert response.status_code == 302
    assert response["Location"] == reverse("gradebook:change-request-list")
    request.refresh_from_db()
    assert (request.status, request.decided_by_id, request.decision_note) == (
        ChangeStatus.APPROVED,
        requested.head.pk,
        "Checked the paper sheet",
    )
    grade = Grade.objects.get(measure=requested.measures["tk1"], student=requested.students[0])
    assert (grade.score, grade.changes) == (Decimal("75.00"), 1)
    # R1 = (75 + 80) / 2 = 77.5
    assert CourseResult.objects.get(course=requested.course, student=requested.students[0]).r1 == Decimal("77.50")
    admin = sign_in(client, requested, "admin", enrol_totp)
    listed = admin.get(reverse("gradebook:change-request-list")).content.decode()
    assert "Approved" in listed
    assert "Checked the paper sheet" in listed


def test_the_head_rejects_and_the_grade_stays(client, requested, enrol_totp):
    client = sign_in(client, requested, "head", enrol_totp)
    request = requested.extra["request"]
    assert client.post(decide_url(request), {"decision": "reject", "note": "No evidence"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (ChangeStatus.REJECTED, "No evidence")
    grade = Grade.objects.get(measure=requested.measures["tk1"], student=requested.students[0])
    assert (grade.score, grade.changes) == (Decimal("70.00"), 0)


def test_a_decided_request_or_a_forged_decision_is_refused(client, requested, enrol_totp):
    client = sign_in(client, requested, "head", enrol_totp)
    request = requested.extra["request"]
    forged = client.post(decide_url(request), {"decision": "maybe"})
    assert forged.status_code == 400
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING
    client.post(decide_url(request), {"decision": "reject"})
    events = Event.objects.count()
    again = client.post(decide_url(request), {"decision": "approve"})
    assert again.status_code == 400
    assert "already been decided" in again.content.decode()
    request.refresh_from_db()
    assert request.status == ChangeStatus.REJECTED
    assert Event.objects.count() == events


def test_an_unknown_request_is_404(client, world, enrol_totp):
    client = sign_in(client, world, "head", enrol_totp)
    assert client.get(reverse("gradebook:change-request-detail", args=[999_999])).status_code == 404
    assert (
        client.post(reverse("gradebook:change-request-decide", args=[999_999]), {"decision": "approve"}).status_code
        == 404
    )
    assert client.get(reverse("gradebook:change-request-decide", args=[999_999])).status_code == 405
    assert GradeChangeRequest.objects.count() == 0


# --- The policy and the scale --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_with_a_role_reads_the_policy_and_the_scale(client, world, enrol_totp, role):
    response = sign_in(client, world, role, enrol_totp).get(reverse("gradebook:policy"))
    assert response.status_code == 200
    versions = response.context["versions"]
    assert versions.policy == world.policy
    assert [b.letter for b in versions.scale.bands.all()] == [
        "A",
        "A-",
        "B+",
        "B",
        "B-",
        "C+",
        "C",
        "C-",
        "D+",
        "D",
        "FX",
        "F",
    ]
    html = response.content.decode()
    assert "25–49" in html
    assert "Excellent" in html
    assert 'id="policy-versions"' in html


def test_a_newer_policy_version_is_in_force_and_the_older_is_listed(client, world, enrol_totp):
    from qashyq.gradebook.models import GradingPolicy

    newer = GradingPolicy.objects.create(
        valid_from=timezone.localdate() - timedelta(days=1), scale=world.policy.scale, entry_window_days=7
    )
    later = GradingPolicy.objects.create(valid_from=timezone.localdate() + timedelta(days=30), scale=world.policy.scale)
    versions = sign_in(client, world, "teacher", enrol_totp).get(reverse("gradebook:policy")).context["versions"]
    assert versions.policy == newer
    assert versions.policies == [later, newer, world.policy]


def test_a_user_without_a_role_has_no_policy_page(client, world):
    from qashyq.accounts.tests.factories import UserFactory

    client.force_login(UserFactory.create())
    assert client.get(reverse("gradebook:policy")).status_code == 404
