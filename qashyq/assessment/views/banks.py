"""Pages of question banks: the list, a bank with its questions by topic, a question with its versions, the
question editor of every type, the bank's images. Reading a bank: its teachers and tutors, the
didactic-means service, administration, head; changing it: its teachers and the didactic-means service
(others who may read it get 403, those who may not get 404)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest
from qashyq.assessment.data import QuestionType
from qashyq.assessment.formats import registry
from qashyq.assessment.forms.banks import (
    MORE_ROWS,
    BankFilterForm,
    BankForm,
    ImageForm,
    QuestionFilterForm,
    QuestionForm,
    editor_for,
)
from qashyq.assessment.models import Bank, Question
from qashyq.assessment.permissions import banks as permissions
from qashyq.assessment.rules.questions import image_url, texts_of
from qashyq.assessment.selectors import banks as selectors
from qashyq.assessment.services import banks as services
from qashyq.content import api as content_api
from qashyq.core.forms import add_service_errors


def discipline_choices(ids: Any = None) -> list[tuple[int, str]]:
    return [(d.id, f"{d.code} {d.name}") for d in academics_api.discipline_list(ids=ids)]


def _editable_choices(user: Any) -> list[tuple[int, str]]:
    allowed = permissions.editable_disciplines(user=user)
    return discipline_choices(None if allowed is None else sorted(allowed))


def _require_edit(user: Any, bank: Bank) -> None:
    if not permissions.can_edit_bank(user=user, bank=bank):
        raise PermissionDenied


@login_required
@require_GET
def bank_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_list_banks(user=request.user):
        raise Http404
    discipline_ids = selectors.bank_discipline_ids(user=request.user)
    form = BankFilterForm(request.GET or None, disciplines=discipline_choices(discipline_ids))
    discipline_id = form.cleaned_data.get("discipline") if form.is_bound and form.is_valid() else None
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {
        "form": form,
        "banks": list(selectors.bank_queryset(user=request.user, discipline_id=discipline_id)),
        "can_create": permissions.can_create_bank(user=request.user),
    }
    return render(request, "assessment/banks/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bank_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_create_bank(user=request.user):
        raise Http404
    choices = _editable_choices(request.user)
    status = 200
    if request.method == "POST":
        form = BankForm(request.POST, disciplines=choices)
        if form.is_valid():
            try:
                bank = services.bank_create(
                    actor=request.user,
                    discipline_id=form.cleaned_data["discipline"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error, renamed={"discipline_id": "discipline"})
            except PermissionDenied as error:
                form.add_error("discipline", str(error))
            else:
                messages.success(request, _("The bank “%(name)s” is made.") % {"name": bank.name})
                return redirect("assessment:bank-detail", bank_id=bank.pk)
        status = 400
    else:
        form = BankForm(disciplines=choices, initial={"discipline": request.GET.get("discipline")})
    return render(request, "assessment/banks/form.html", {"form": form, "bank": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bank_edit(request: AuthedRequest, bank_id: int) -> HttpResponse:
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    _require_edit(request.user, bank)
    choices = _editable_choices(request.user)
    if bank.discipline_id not in {c[0] for c in choices}:
        choices = [*discipline_choices([bank.discipline_id]), *choices]
    status = 200
    if request.method == "POST":
        form = BankForm(request.POST, disciplines=choices)
        if form.is_valid():
            try:
                services.bank_update(
                    actor=request.user,
                    bank=bank,
                    discipline_id=form.cleaned_data["discipline"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error, renamed={"discipline_id": "discipline"})
            else:
                messages.success(request, _("The bank is saved."))
                return redirect("assessment:bank-detail", bank_id=bank.pk)
        status = 400
    else:
        form = BankForm(
            disciplines=choices,
            initial={"discipline": bank.discipline_id, "name": bank.name, "description": bank.description},
        )
    return render(request, "assessment/banks/form.html", {"form": form, "bank": bank}, status=status)


@login_required
@require_GET
def bank_detail(request: AuthedRequest, bank_id: int) -> HttpResponse:
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    topics = selectors.topics(bank=bank)
    form = QuestionFilterForm(request.GET or None, topics=[(t.pk, t.path) for t in topics])
    filters = selectors.QuestionFilters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            cleaned = form.cleaned_data
            filters = selectors.QuestionFilters(
                category_id=cleaned.get("topic"),
                qtype=cleaned.get("type") or "",
                difficulty=cleaned.get("difficulty"),
                q=(cleaned.get("q") or "").strip(),
                archived=bool(cleaned.get("archived")),
            )
        else:
            status = 400
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "bank": bank,
        "form": form,
        "topics": topics,
        "page": selectors.question_page(bank=bank, filters=filters, page=request.GET.get("page", 1)),
        "query": query.urlencode(),
        "can_edit": permissions.can_edit_bank(user=request.user, bank=bank),
        "types": QuestionType.choices,
        "exports": [registry.FORMATS[fmt] for fmt in registry.WRITERS],
        "filtered": filters != selectors.QuestionFilters(),
    }
    return render(request, "assessment/banks/detail.html", context, status=status)


@login_required
@require_GET
def question_detail(request: AuthedRequest, question_id: int) -> HttpResponse:
    question = permissions.access_question(user=request.user, question_id=question_id)
    context = {
        "question": question,
        "bank": question.bank,
        "version": question.current,
        "versions": selectors.versions(question=question),
        "can_edit": permissions.can_edit_bank(user=request.user, bank=question.bank),
        "has_math": _has_math(question),
    }
    return render(request, "assessment/banks/question.html", context)


def _has_math(question: Question) -> bool:
    version = question.current
    if version is None:
        return False
    text = version.stem + " ".join(texts_of(question.type, version.data))
    return "\\(" in text or "$$" in text or "\\[" in text


def _editor_page(
    request: AuthedRequest, *, bank: Bank, qtype: str, form: QuestionForm, question: Question | None, status: int
) -> HttpResponse:
    topics = [t.path for t in selectors.topics(bank=bank)]
    if topics:
        form.fields["category_path"].widget.attrs["list"] = "topic-list"
    context = {
        "bank": bank,
        "question": question,
        "qtype": qtype,
        "type_label": QuestionType(qtype).label,
        "form": form,
        "images": selectors.bank_images(bank=bank),
        "topics": topics,
    }
    return render(request, "assessment/banks/editor.html", context, status=status)


def _save_question(request: AuthedRequest, *, bank: Bank, qtype: str, question: Question | None) -> HttpResponse:
    data_initial = question.current.data if question is not None and question.current else {}
    editor = editor_for(qtype)
    if request.method == "POST":
        more = "more_rows" in request.POST
        form = editor(request.POST, data_initial=data_initial)
        if more:
            form = editor(request.POST, data_initial=data_initial, rows=form.rows + MORE_ROWS)
            form.is_valid()
            form.errors.clear()
            return _editor_page(request, bank=bank, qtype=qtype, form=form, question=question, status=200)
        if form.is_valid():
            try:
                if question is None:
                    question = services.question_create(
                        actor=request.user, bank=bank, qtype=qtype, **form.question_fields()
                    )
                    messages.success(request, _("The question is added."))
                else:
                    question = services.question_update(actor=request.user, question=question, **form.question_fields())
                    messages.success(request, _("The question is saved."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("assessment:question-detail", question_id=question.pk)
        return _editor_page(request, bank=bank, qtype=qtype, form=form, question=question, status=400)
    initial: dict[str, Any] = {}
    if question is not None and question.current is not None:
        version = question.current
        initial = {
            "name": version.name,
            "stem": version.stem,
            "category_path": question.category.path if question.category else "",
            "difficulty": question.difficulty,
            "points": version.points,
            "language": question.language,
            "feedback": version.feedback,
        }
    else:
        topic = request.GET.get("topic", "")
        initial = {"category_path": topic[:500]}
    form = editor(initial=initial, data_initial=data_initial)
    return _editor_page(request, bank=bank, qtype=qtype, form=form, question=question, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: AuthedRequest, bank_id: int, qtype: str) -> HttpResponse:
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    if qtype not in QuestionType.values:
        raise Http404
    _require_edit(request.user, bank)
    return _save_question(request, bank=bank, qtype=qtype, question=None)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthedRequest, question_id: int) -> HttpResponse:
    question = permissions.access_question(user=request.user, question_id=question_id)
    _require_edit(request.user, question.bank)
    return _save_question(request, bank=question.bank, qtype=question.type, question=question)


@login_required
@require_POST
def question_archive(request: AuthedRequest, question_id: int) -> HttpResponse:
    question = permissions.access_question(user=request.user, question_id=question_id)
    _require_edit(request.user, question.bank)
    archived = request.POST.get("archived", "1") != "0"
    services.question_archive(actor=request.user, question=question, archived=archived)
    if archived:
        messages.success(request, _("The question is archived: tests no longer draw it."))
    else:
        messages.success(request, _("The question is back in use."))
    return redirect("assessment:question-detail", question_id=question.pk)


def _safe_next(request: AuthedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def image_upload(request: AuthedRequest, bank_id: int) -> HttpResponse:
    """Upload an image into the bank. A JSON request gets {"id", "url", "name"}; a page is redirected back
    (to `next` or this page) with the address to paste into a question."""
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    _require_edit(request.user, bank)
    wants_json = "application/json" in request.headers.get("Accept", "")
    status = 200
    if request.method == "POST":
        form = ImageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                image = services.image_store(actor=request.user, bank=bank, upload=form.cleaned_data["file"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                url = image_url(image.pk)
                if wants_json:
                    return JsonResponse({"id": image.pk, "url": url, "name": image.name}, status=201)
                messages.success(
                    request,
                    _("The image “%(name)s” is stored. Put it into a question with: %(tag)s")
                    % {"name": image.name, "tag": f'<img src="{url}" alt="">'},
                )
                return redirect(_safe_next(request) or reverse("assessment:image-upload", args=[bank.pk]))
        if wants_json:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        status = 400
    else:
        form = ImageForm()
    context = {"bank": bank, "form": form, "images": selectors.bank_images(bank=bank), "next": _safe_next(request)}
    return render(request, "assessment/banks/images.html", context, status=status)


@login_required
@require_GET
def image_file(request: AuthedRequest, image_id: int) -> HttpResponse:
    image = permissions.access_image(user=request.user, image_id=image_id)
    response = content_api.file_response(request=request, file_id=image.file_id)
    response["Cache-Control"] = "private, max-age=3600"
    return response
