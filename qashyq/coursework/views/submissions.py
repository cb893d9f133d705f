"""Pages of one submission: its receipt and history (hand-overs, the tutor's confirmation, the review), the
printable receipt, its files, and the actions of the administration service (hand over) and of the tutor it
is handed to (confirm receipt, review)."""

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
from qashyq.core.forms import add_service_errors
from qashyq.coursework import permissions, rules, selectors, services
from qashyq.coursework.data import REVIEWED, WITH_TUTOR, Channel, Decision, SubmissionStatus
from qashyq.coursework.forms import HandOverForm, ReviewForm
from qashyq.coursework.models import Handover, Submission, SubmissionFile


def detail_url(submission: Submission) -> str:
    return reverse("coursework:submission-detail", args=[submission.pk])


def _context(request: AuthedRequest, submission: Submission) -> dict[str, Any]:
    access = permissions.submission_item_access(submission)
    files = list(SubmissionFile.objects.filter(submission=submission).order_by("position", "pk"))
    handovers = list(
        Handover.objects.filter(submission=submission).select_related("tutor", "handed_by").order_by("handed_at")
    )
    review = getattr(submission, "review", None)
    own = permissions.is_own(access, submission)
    handover = submission.handover
    return {
        "submission": submission,
        "assignment": submission.assignment,
        "access": access,
        "title": access.name,
        "files": files,
        "handovers": handovers,
        "review": review,
        "own": own,
        "staff_view": not own,
        "intact": submission.digest == rules.receipt_digest(selectors.receipt_payload(submission, files))
        and submission.text_sha256 == rules.text_digest(submission.text),
        "can_hand_over": permissions.can_hand_over(user=request.user) and submission.status not in REVIEWED,
        "can_review": permissions.can_review(user=request.user, submission=submission)
        and submission.status in WITH_TUTOR,
        "awaiting_confirmation": handover is not None and handover.received_at is None,
        "Channel": Channel,
        "Status": SubmissionStatus,
        "Decision": Decision,
    }


@login_required
@require_safe
def submission_detail(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    return render(request, "coursework/submissions/detail.html", _context(request, submission))


@login_required
@require_safe
def submission_receipt(request: AuthedRequest, submission_id: int) -> HttpResponse:
    """The receipt alone, to print."""
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    return render(request, "coursework/submissions/receipt.html", _context(request, submission))


@login_required
@require_safe
def submission_file(request: AuthedRequest, submission_id: int, file_id: int) -> HttpResponse:
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    file = SubmissionFile.objects.filter(submission=submission, pk=file_id).first()
    if file is None:
        raise Http404
    return content_api.file_response(request=request, file_id=file.file_id, download=True)


@login_required
@require_safe
def review_file(request: AuthedRequest, submission_id: int) -> HttpResponse:
    """The annotated file the tutor sent back with the review."""
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    review = getattr(submission, "review", None)
    if review is None or not review.file_id:
        raise Http404
    return content_api.file_response(request=request, file_id=review.file_id, download=True)


# --- The administration hands the work over ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submission_hand_over(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    if not permissions.can_hand_over(user=request.user):
        raise Http404
    recipients = selectors.recipients_for(
        course_id=submission.assignment.course_id, group_id=submission.student.group_id
    )
    choices = [(r.user_id, r.name) for r in recipients]
    status = 200
    if request.method == "POST":
        form = HandOverForm(request.POST, recipients=choices)
        if form.is_valid():
            try:
                handover = services.submission_hand_over(
                    actor=request.user,
                    submission=submission,
                    tutor_id=form.cleaned_data["tutor"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The work is handed over to %(name)s.") % {"name": handover.tutor.full_name}
                )
                return redirect(detail_url(submission))
        status = 400
    else:
        form = HandOverForm(recipients=choices, initial={"tutor": choices[0][0] if choices else None})
    context = _context(request, submission) | {"form": form, "recipients": recipients}
    return render(request, "coursework/submissions/hand_over.html", context, status=status)


# --- The tutor confirms and reviews -------------------------------------------------------------------


@login_required
@require_POST
def handover_confirm(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    if not permissions.can_review(user=request.user, submission=submission):
        raise Http404
    try:
        services.handover_confirm(actor=request.user, submission=submission)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "coursework/submissions/detail.html", _context(request, submission), status=400)
    messages.success(request, _("You have confirmed receiving the work."))
    return redirect(detail_url(submission))


@login_required
@require_http_methods(["GET", "POST"])
def submission_review(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = permissions.access_submission(user=request.user, submission_id=submission_id)
    if not permissions.can_review(user=request.user, submission=submission) or submission.status not in WITH_TUTOR:
        raise Http404
    assignment = submission.assignment
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES, assignment=assignment)
        if form.is_valid():
            try:
                review = services.submission_review(
                    actor=request.user, submission=submission, now=timezone.now(), **form.service_arguments()
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                add_service_errors(form, error, renamed={"rubric": "__all__", "rubric_points": "__all__"})
            else:
                if review.decision == Decision.ACCEPTED:
                    messages.success(
                        request,
                        _("The work is accepted; %(score)s points are entered in the gradebook.")
                        % {"score": review.score},
                    )
                else:
                    messages.success(request, _("The work is returned to the student for revision."))
                return redirect(detail_url(submission))
        status = 400
    else:
        form = ReviewForm(assignment=assignment)
    context = _context(request, submission) | {"form": form}
    return render(request, "coursework/submissions/review.html", context, status=status)
