"""Pages of an assignment: from the course item to its assignment, the student's page (instructions, their
receipts, the submission form), the staff's page (the works of their groups), the teacher's settings, and the
administration's registration of a paper work."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.content import api as content_api
from qashyq.content.data import ItemAccessData
from qashyq.core.forms import add_service_errors
from qashyq.coursework import permissions, rules, selectors, services
from qashyq.coursework.data import FileType, LatePolicy, SubmissionStatus
from qashyq.coursework.forms import AssignmentSettingsForm, PaperForm, SubmitForm
from qashyq.coursework.models import Assignment


def detail_url(assignment: Assignment) -> str:
    return reverse("coursework:assignment-detail", args=[assignment.pk])


def _base(assignment: Assignment, access: ItemAccessData, request: AuthedRequest) -> dict[str, Any]:
    return {
        "assignment": assignment,
        "access": access,
        "title": access.name,
        "course": assignment.course,
        "can_manage": permissions.can_manage_assignment(access),
        "can_hand_over": permissions.can_hand_over(user=request.user),
        "file_kinds": [FileType(k).label for k in FileType.values if k in set(assignment.file_types)],
        "max_points": rules.MAX_POINTS,
        "LatePolicy": LatePolicy,
    }


# --- From the course item ---------------------------------------------------------------------------


@login_required
@require_safe
def assignment_for_item(request: AuthedRequest, item_id: int) -> HttpResponse:
    """From the course item to its assignment: made the first time the course's staff open it."""
    access = permissions.access_assignment_for_item(user=request.user, item_id=item_id)
    assignment = Assignment.objects.filter(item_id=item_id).first()
    if assignment is None and access.is_staff:
        try:
            assignment = services.assignment_for_item(item_id=item_id, actor=request.user)
        except (PermissionDenied, ValidationError):
            raise Http404 from None
    if assignment is None:
        return render(request, "coursework/assignments/not_ready.html", {"access": access, "title": access.name})
    return redirect(detail_url(assignment))


# --- The assignment's page ----------------------------------------------------------------------------


def _student_page(
    request: AuthedRequest,
    assignment: Assignment,
    access: ItemAccessData,
    *,
    form: SubmitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    assert access.student_id is not None
    now = timezone.now()
    history = selectors.submissions_of_student(assignment=assignment, student_id=access.student_id)
    latest = history[0] if history else None
    late = rules.is_late(due_at=assignment.due_at, moment=now)
    if latest is None:
        can_submit = not rules.late_refused(policy=assignment.late_policy, late=late)
        closed_reason = "" if can_submit else "late"
    elif latest.status == SubmissionStatus.RETURNED:
        can_submit = assignment.resubmission_allowed
        closed_reason = "" if can_submit else "no_resubmission"
    else:
        can_submit, closed_reason = False, "submitted"
    if can_submit and form is None:
        form = SubmitForm(assignment=assignment)
    context = _base(assignment, access, request) | {
        "history": history,
        "latest": latest,
        "can_submit": can_submit,
        "closed_reason": closed_reason,
        "late_now": late and latest is None,
        "form": form if can_submit else None,
        "resubmission": latest is not None and can_submit,
    }
    return render(request, "coursework/assignments/student.html", context, status=status)


@login_required
@require_safe
def assignment_detail(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment, access = permissions.access_assignment(user=request.user, assignment_id=assignment_id)
    if access.student_id is not None and not access.sees_drafts:
        return _student_page(request, assignment, access)
    if not access.sees_drafts:
        raise Http404
    rows = []
    sees_works = access.sees_results and access.tutor_group_ids != frozenset()
    if sees_works:
        rows = selectors.assignment_students(
            assignment=assignment, group_ids=access.tutor_group_ids, now=timezone.now()
        )
    context = _base(assignment, access, request) | {"rows": rows, "sees_works": sees_works}
    return render(request, "coursework/assignments/staff.html", context)


@login_required
@require_POST
def submission_create(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment, access = permissions.access_assignment(user=request.user, assignment_id=assignment_id)
    if access.student_id is None or access.sees_drafts:
        raise Http404
    form = SubmitForm(request.POST, request.FILES, assignment=assignment)
    if form.is_valid():
        try:
            submission = services.submission_submit(
                actor=request.user, assignment=assignment, **form.service_arguments()
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            if getattr(error, "code", None) in ("late", "already", "closed"):
                messages.error(request, " ".join(error.messages))
                return _student_page(request, assignment, access, status=400)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your work is submitted. Receipt %(number)s: keep it or print it.") % {"number": submission.number},
            )
            return redirect(reverse("coursework:submission-detail", args=[submission.pk]))
    return _student_page(request, assignment, access, form=form, status=400)


# --- Settings ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assignment_settings(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment, access = permissions.access_assignment(user=request.user, assignment_id=assignment_id)
    if not permissions.can_manage_assignment(access):
        raise Http404
    status = 200
    if request.method == "POST":
        form = AssignmentSettingsForm.for_assignment(assignment, request.POST)
        if form.is_valid():
            try:
                services.assignment_update(actor=request.user, assignment=assignment, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The settings of the assignment are saved."))
                return redirect(detail_url(assignment))
        status = 400
    else:
        form = AssignmentSettingsForm.for_assignment(assignment)
    context = _base(assignment, access, request) | {"form": form}
    return render(request, "coursework/assignments/settings.html", context, status=status)


# --- A paper work -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def paper_register(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """The administration service registers a work received on paper, with its scanned copy."""
    assignment, access = permissions.access_assignment(user=request.user, assignment_id=assignment_id)
    if not permissions.can_hand_over(user=request.user):
        raise Http404
    students = [(e.student_id, e.full_name) for e in content_api.course_enrolments(course_id=assignment.course_id)]
    status = 200
    if request.method == "POST":
        form = PaperForm(request.POST, request.FILES, students=students)
        if form.is_valid():
            try:
                submission = services.submission_register_paper(
                    actor=request.user, assignment=assignment, **form.service_arguments()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The paper work is registered. Receipt %(number)s.") % {"number": submission.number}
                )
                return redirect(reverse("coursework:submission-detail", args=[submission.pk]))
        status = 400
    else:
        form = PaperForm(students=students)
    context = _base(assignment, access, request) | {"form": form}
    return render(request, "coursework/assignments/paper.html", context, status=status)
