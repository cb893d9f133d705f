"""Pages of DLT applications: the student's own (write, change, attach documents, submit, follow), one
application's page (its steps, trail, documents, the review), the review queue, and the application as a PDF."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from qashyq.accounts.api import AuthedRequest
from qashyq.content import api as content_api
from qashyq.dlt import rules
from qashyq.dlt.data import ApplicationStatus, DltType
from qashyq.dlt.forms.applications import ApplicationForm, DecisionForm, DocumentForm, QueueFilterForm
from qashyq.dlt.models import Application
from qashyq.dlt.permissions import applications as permissions
from qashyq.dlt.selectors import applications as selectors
from qashyq.dlt.services import applications as services

PAGE_SIZE = selectors.PAGE_SIZE
TYPE_LABELS = dict(DltType.choices)

# What the labels of problems not tied to a form field read as on the application's page.
PROBLEM_LABELS = {
    "category": gettext_lazy("Category"),
    "justification": gettext_lazy("Justification"),
    "dlt_types": gettext_lazy("DLT types"),
    "starts_on": gettext_lazy("Period"),
    "ends_on": gettext_lazy("Period"),
    "language": gettext_lazy("Language of the application"),
    "host_institution": gettext_lazy("Host institution"),
    "host_country": gettext_lazy("Country"),
    "abroad_from": gettext_lazy("Dates abroad"),
    "abroad_until": gettext_lazy("Dates abroad"),
    "documents": gettext_lazy("Supporting documents"),
    "granted_type": gettext_lazy("DLT type granted"),
    "comment": gettext_lazy("Comment"),
}
# Once accepted, the application has its individual study plan and schedule.
WITH_PLAN = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.IN_ORDER,
    ApplicationStatus.ENROLLED,
    ApplicationStatus.CANCELLED,
)


def _detail_url(application: Application) -> str:
    return reverse("dlt:application-detail", args=[application.pk])


def _labelled(problems: list[rules.Problem] | ValidationError) -> list[dict[str, str]]:
    """Problems (or a service's ValidationError) as rows of "what: message" for the page."""
    if isinstance(problems, ValidationError):
        if hasattr(problems, "error_dict"):
            pairs = [(field, message) for field, items in problems.message_dict.items() for message in items]
        else:
            pairs = [("", message) for message in problems.messages]
    else:
        pairs = [(p.field, p.message) for p in problems]
    return [{"what": str(PROBLEM_LABELS.get(field, "")), "message": message} for field, message in pairs]


# --- the student's side ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def application_mine(request: AuthedRequest) -> HttpResponse:
    student_id = selectors.student_of(user=request.user)
    if student_id is None or not permissions.can_see_own(user=request.user):
        raise Http404
    applications = selectors.applications_of_student(student_id=student_id)
    context = {
        "applications": [
            {"application": a, "types": [TYPE_LABELS.get(t, t) for t in a.dlt_types]} for a in applications
        ],
        "notices": selectors.notices_of_student(student_id=student_id),
        "can_write": permissions.can_apply(user=request.user)
        and selectors.open_application(student_id=student_id) is None,
    }
    return render(request, "dlt/applications/mine.html", context)


def _form_page(
    request: AuthedRequest, form: ApplicationForm, *, application: Application | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "application": application}
    return render(request, "dlt/applications/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_apply(user=request.user):
        raise Http404
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = services.application_create(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The draft is saved. Attach the supporting documents, then submit it."))
                return redirect("dlt:application-documents", application_id=application.pk)
        return _form_page(request, form, application=None, status=400)
    language = (request.user.language or "kk")[:2]
    initial = {"language": language if language in ("kk", "ru") else "kk"}
    return _form_page(request, ApplicationForm(initial=initial), application=None)


def _editable(request: AuthedRequest, application_id: int) -> Application:
    application = permissions.access_application(user=request.user, application_id=application_id)
    if not permissions.can_edit(user=request.user, application=application):
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthedRequest, application_id: int) -> HttpResponse:
    application = _editable(request, application_id)
    if request.method == "POST":
        form = ApplicationForm(request.POST, application=application)
        if form.is_valid():
            try:
                services.application_update(actor=request.user, application=application, **form.service_arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The application is saved."))
                return redirect(_detail_url(application))
        return _form_page(request, form, application=application, status=400)
    return _form_page(request, ApplicationForm(application=application), application=application)


@login_required
@require_http_methods(["GET", "POST"])
def application_documents(request: AuthedRequest, application_id: int) -> HttpResponse:
    """Attach a document (POST with the file) or take one off (POST with `remove` = its id)."""
    application = _editable(request, application_id)
    form = DocumentForm()
    status = 200
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            document = application.documents.filter(pk=int(remove) if remove.isdigit() else 0).first()
            if document is None:
                raise Http404
            try:
                services.supporting_document_remove(actor=request.user, document=document)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The document is taken off the application."))
            return redirect("dlt:application-documents", application_id=application.pk)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.supporting_document_add(
                    actor=request.user, application=application, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The document is attached."))
                return redirect("dlt:application-documents", application_id=application.pk)
        status = 400
    context = {
        "application": application,
        "documents": selectors.application_documents(application=application),
        "form": form,
        "needed": rules.CATEGORY_DOCUMENT.get(application.category),
    }
    return render(request, "dlt/applications/documents.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request: AuthedRequest, application_id: int) -> HttpResponse:
    application = permissions.access_application(user=request.user, application_id=application_id)
    if not permissions.can_delete(user=request.user, application=application):
        raise Http404
    if request.method == "POST":
        try:
            services.application_delete(actor=request.user, application=application)
        except ValidationError as error:  # submitted meanwhile
            messages.error(request, " ".join(error.messages))
            return redirect(_detail_url(application))
        messages.success(request, _("The draft is deleted."))
        return redirect("dlt:application-mine")
    return render(request, "dlt/applications/delete.html", {"application": application})


@login_required
@require_http_methods(["POST"])
def application_submit(request: AuthedRequest, application_id: int) -> HttpResponse:
    application = permissions.access_application(user=request.user, application_id=application_id)
    if not permissions.can_submit(user=request.user, application=application):
        raise Http404
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as error:
        return _detail_page(request, application, errors=_labelled(error), status=400)
    messages.success(request, _("The application is submitted to the head. You will be told of every step."))
    return redirect(_detail_url(application))


# --- one application ------------------------------------------------------------------------------------


def _detail_page(
    request: AuthedRequest,
    application: Application,
    *,
    errors: list[dict[str, str]] | None = None,
    decision_form: DecisionForm | None = None,
    new_ids: frozenset[int] = frozenset(),
    status: int = 200,
) -> HttpResponse:
    user = request.user
    own = permissions.is_own(user=user, application=application)
    can_edit = permissions.can_edit(user=user, application=application)
    can_take = permissions.can_take_for_review(user=user, application=application)
    can_decide = permissions.can_decide(user=user, application=application)
    # What still stands in the way: for the student before submitting, for the reviewer before accepting.
    if can_edit:
        outstanding = _labelled(selectors.submission_problems(application, today=timezone.localdate()))
    elif can_decide:
        outstanding = _labelled(selectors.acceptance_problems(application))
    else:
        outstanding = []
    accepted_once = application.status in WITH_PLAN
    context: dict[str, Any] = {
        "application": application,
        "own": own,
        "steps": selectors.application_steps(application),
        "events": selectors.application_events(application=application),
        "documents": selectors.application_documents(application=application),
        "types": [TYPE_LABELS.get(t, t) for t in application.dlt_types],
        "can_edit": can_edit,
        "can_delete": permissions.can_delete(user=user, application=application),
        "can_take": can_take,
        "can_decide": can_decide,
        "can_print": permissions.can_print(user=user, application=application),
        "outstanding": outstanding,
        "errors": errors or [],
        "decision_form": decision_form
        if decision_form is not None
        else (DecisionForm(application=application) if can_decide else None),
        "plan_url": reverse("dlt:plan-detail", args=[application.pk]) if accepted_once else "",
        "schedule_url": reverse("dlt:schedule-detail", args=[application.pk]) if accepted_once else "",
        "student": application.student,
        "new_ids": new_ids,
    }
    return render(request, "dlt/applications/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def application_detail(request: AuthedRequest, application_id: int) -> HttpResponse:
    """The application's page; when its student opens it, the steps they had not seen are marked new once."""
    application = permissions.access_application(user=request.user, application_id=application_id)
    new_ids: frozenset[int] = frozenset()
    if permissions.is_own(user=request.user, application=application):
        new_ids = frozenset(application.events.filter(seen_at__isnull=True).values_list("pk", flat=True))
        if new_ids:
            services.application_notices_seen(actor=request.user, application=application)
    return _detail_page(request, application, new_ids=new_ids)


@login_required
@require_http_methods(["POST"])
def application_review(request: AuthedRequest, application_id: int) -> HttpResponse:
    """The reviewer's step: take it up, return it, reject it or accept it (the button's `action`)."""
    application = permissions.access_application(user=request.user, application_id=application_id)
    if not permissions.can_review(user=request.user, application=application):
        raise Http404
    form = DecisionForm(request.POST, application=application)
    if not form.is_valid():
        return _detail_page(request, application, decision_form=form, status=400)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "take":
            services.application_take_for_review(actor=request.user, application=application)
            done = _("You are reviewing the application.")
        elif action == "return":
            services.application_return(actor=request.user, application=application, comment=comment)
            done = _("The application is returned to the student for changes.")
        elif action == "reject":
            services.application_reject(actor=request.user, application=application, reason=comment)
            done = _("The application is rejected.")
        else:
            services.application_accept(
                actor=request.user, application=application, granted_type=form.cleaned_data["granted_type"]
            )
            done = _("The application is accepted; the individual study plan and schedule are built.")
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            form.add_service_error(error)
        return _detail_page(request, application, errors=_labelled(error), decision_form=form, status=400)
    messages.success(request, done)
    return redirect(_detail_url(application))


@login_required
@require_http_methods(["GET", "HEAD"])
def application_document(request: AuthedRequest, document_id: int) -> HttpResponse:
    """A supporting document's file, once the application's access is checked."""
    document = permissions.access_supporting_document(user=request.user, document_id=document_id)
    return content_api.file_response(
        request=request, file_id=str(document.file_id), download=request.GET.get("download") == "1"
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def application_pdf(request: AuthedRequest, application_id: int) -> HttpResponse:
    """The application as a document addressed to the head (PDF in its language), issued once and reused."""
    application = permissions.access_application(user=request.user, application_id=application_id)
    if not permissions.can_print(user=request.user, application=application):
        raise Http404
    from qashyq.dlt.printing import application_document_current

    document = application_document_current(application=application, actor=request.user)
    return redirect(reverse("documents:document-download", args=[document.id]))


# --- the review queue -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def application_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_see_queue(user=request.user):
        raise Http404
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    page = None
    rows: list[dict[str, Any]] = []
    if filters is not None:
        page = Paginator(selectors.application_queue(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [{"application": a, "types": [TYPE_LABELS.get(t, t) for t in a.dlt_types]} for a in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "dlt/applications/list.html", context, status=200 if filters is not None else 400)
