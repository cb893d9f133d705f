"""Pages of grading: the queue of essays awaiting a person, grading one with its rubric, the staff's view of
an attempt (every answer, the right one, who graded what, the event log, the identity snapshot), reopening
an attempt and regrading a test."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from qashyq.accounts.api import AuthedRequest, Role, acting_roles
from qashyq.assessment.data import MANUAL_TYPES, AttemptStatus
from qashyq.assessment.forms.grading import GradeForm, RegradeForm, ReopenForm
from qashyq.assessment.models import Attempt, AttemptEvent, AttemptQuestion
from qashyq.assessment.permissions import tests as permissions
from qashyq.assessment.rules.grading import right_answer
from qashyq.assessment.selectors import tests as selectors
from qashyq.assessment.services import grading as services
from qashyq.assessment.views import display
from qashyq.content import api as content_api
from qashyq.core.forms import add_service_errors


def _staff_url(attempt_id: int) -> str:
    return reverse("assessment:attempt-staff", args=[attempt_id])


def _gradable(request: AuthedRequest, attempt_id: int) -> Attempt:
    attempt = permissions.access_attempt_staff(user=request.user, attempt_id=attempt_id)
    if not permissions.can_grade(user=request.user, attempt=attempt):
        raise Http404
    return attempt


# --- The queue ------------------------------------------------------------------------------------------


@login_required
@require_safe
def grading_queue(request: AuthedRequest) -> HttpResponse:
    if not acting_roles(request.user) & {Role.TEACHER, Role.TUTOR}:
        raise Http404
    pending = selectors.grading_queue(user=request.user)
    return render(request, "assessment/grading/queue.html", {"pending": pending})


# --- Grading one essay --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def grade_question(request: AuthedRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = _gradable(request, attempt_id)
    slot = (
        AttemptQuestion.objects.select_related("version", "graded_by")
        .filter(attempt=attempt, position=position, type__in=MANUAL_TYPES)
        .first()
    )
    if slot is None or attempt.status == AttemptStatus.IN_PROGRESS:
        raise Http404
    slot.attempt = attempt
    rubric = services.rubric_of(slot.version)
    initial: dict[str, Any] = {"feedback": slot.feedback}
    if slot.score is not None and not rubric:
        initial["score"] = slot.score
    for key, value in (slot.rubric_scores or {}).items():
        initial[f"rubric_{key}"] = value
    status = 200
    if request.method == "POST":
        form = GradeForm(request.POST, rubric=rubric, points=slot.points, initial=initial)
        if form.is_valid():
            try:
                services.question_grade(actor=request.user, attempt_question=slot, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error, renamed={"rubric": "__all__"})
            else:
                messages.success(
                    request, _("Question %(position)d of the attempt is graded.") % {"position": slot.position}
                )
                following = selectors.grading_queue(user=request.user, test_id=attempt.test_id)
                if following:
                    nxt = following[0]
                    return redirect(reverse("assessment:grade-question", args=[nxt.attempt_id, nxt.position]))
                return redirect(_staff_url(attempt.pk))
        status = 400
    else:
        form = GradeForm(rubric=rubric, points=slot.points, initial=initial)
    answer = slot.answer if isinstance(slot.answer, dict) else {}
    context = {
        "attempt": attempt,
        "slot": slot,
        "form": form,
        "rubric": rubric,
        "answer_text": str(answer.get("text", "")),
        "words": len(str(answer.get("text", "")).split()),
        "stem": display.html(slot.version.stem),
        "title": permissions.attempt_item_access(attempt).name,
    }
    return render(request, "assessment/grading/grade.html", context, status=status)


# --- The staff's view of an attempt ---------------------------------------------------------------------------


@login_required
@require_safe
def attempt_review_staff(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    attempt = permissions.access_attempt_staff(user=request.user, attempt_id=attempt_id)
    access = permissions.attempt_item_access(attempt)
    slots = list(
        AttemptQuestion.objects.filter(attempt=attempt).select_related("version", "graded_by").order_by("position")
    )
    questions = []
    for slot in slots:
        data = slot.version.data or {}
        questions.append(
            {
                "slot": slot,
                "stem": display.html(slot.version.stem),
                "given": display.describe(slot.type, data, slot.answer),
                "right": []
                if slot.type in MANUAL_TYPES
                else display.describe(slot.type, data, right_answer(slot.type, data)),
                "manual": slot.type in MANUAL_TYPES,
            }
        )
    events = list(AttemptEvent.objects.filter(attempt=attempt).select_related("actor").order_by("at", "pk"))
    context = {
        "attempt": attempt,
        "access": access,
        "title": access.name,
        "student_name": attempt.student.full_name,
        "questions": questions,
        "events": events,
        "can_grade": permissions.can_grade(user=request.user, attempt=attempt, access=access),
        "finished": attempt.status != AttemptStatus.IN_PROGRESS,
    }
    return render(request, "assessment/grading/attempt.html", context)


@login_required
@require_safe
def identity_file(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    attempt = permissions.access_attempt_staff(user=request.user, attempt_id=attempt_id)
    if not attempt.identity_file_id:
        raise Http404
    return content_api.file_response(request=request, file_id=attempt.identity_file_id)


# --- Reopening and regrading -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attempt_reopen(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    attempt = _gradable(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise Http404
    status = 200
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.attempt_reopen(actor=request.user, attempt=attempt, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The attempt is reopened: the student can go on with it."))
                return redirect(_staff_url(attempt.pk))
        status = 400
    else:
        form = ReopenForm()
    context = {"attempt": attempt, "form": form, "title": permissions.attempt_item_access(attempt).name}
    return render(request, "assessment/grading/reopen.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def test_regrade(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = permissions.access_test(user=request.user, test_id=test_id)
    if not permissions.can_manage_test(access):
        raise Http404
    status = 200
    if request.method == "POST":
        form = RegradeForm(request.POST)
        if form.is_valid():
            try:
                changed = services.test_regrade(actor=request.user, test=test, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Regraded: the score of %(count)d attempt changed.",
                        "Regraded: the scores of %(count)d attempts changed.",
                        changed,
                    )
                    % {"count": changed},
                )
                return redirect(reverse("assessment:test-results", args=[test.pk]))
        status = 400
    else:
        form = RegradeForm()
    finished = Attempt.objects.filter(test=test, status__in=selectors.FINISHED).count()
    context = {"test": test, "access": access, "title": access.name, "form": form, "finished": finished}
    return render(request, "assessment/grading/regrade.html", context, status=status)
