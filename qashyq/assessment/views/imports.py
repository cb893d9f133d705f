"""Import of a question file into a bank (upload → preview → confirm; nothing is saved before the
confirmation, and nothing at all while a problem remains) and export of a bank (GIFT, Moodle XML, QTI 2.1)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qashyq.accounts.api import AuthedRequest
from qashyq.assessment.data import QuestionType
from qashyq.assessment.formats import registry
from qashyq.assessment.forms.banks import ImportForm
from qashyq.assessment.permissions import banks as permissions
from qashyq.assessment.rules.questions import sanitize, texts_of
from qashyq.assessment.services import imports as services
from qashyq.core.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest, bank_id: int) -> HttpResponse:
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    if not permissions.can_edit_bank(user=request.user, bank=bank):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > services.MAX_BYTES:
                form.add_error(
                    "file",
                    _("“%(name)s” is larger than 20 MB, the largest file accepted here.") % {"name": upload.name},
                )
            else:
                try:
                    preview = services.import_prepare(
                        actor=request.user,
                        bank=bank,
                        filename=upload.name,
                        content=upload.read(),
                        fmt=form.cleaned_data["fmt"] or "auto",
                        difficulty_tags=form.cleaned_data["difficulty_tags"],
                        category=form.cleaned_data["category"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    return redirect("assessment:import-preview", bank_id=bank.pk, token=preview.token)
        status = 400
    else:
        form = ImportForm()
    return render(request, "assessment/banks/import.html", {"bank": bank, "form": form}, status=status)


def _rows(preview: services.ImportPreview) -> list[dict[str, Any]]:
    """What the preview table shows of each question."""
    problems: dict[int, list[str]] = {}
    for problem in preview.problems:
        problems.setdefault(problem.line, []).append(problem.reason)
    rows = []
    for index, question in enumerate(preview.questions):
        label = QuestionType(question.type).label if question.type in QuestionType.values else question.type
        options: list[tuple[str, bool]] = []
        data = question.data if isinstance(question.data, dict) else {}
        if question.type in ("single", "multiple"):
            options = [
                (sanitize(str(o.get("text", ""))), isinstance(o.get("fraction"), int | float) and o["fraction"] > 0)
                for o in data.get("options", [])
                if isinstance(o, dict)
            ]
        elif question.type == "true_false":
            options = [(_("True"), data.get("answer") is True), (_("False"), data.get("answer") is False)]
        elif question.type in ("short", "numeric"):
            options = [
                (sanitize(str(a.get("text", a.get("value", "")))), True)
                for a in data.get("answers", [])
                if isinstance(a, dict)
            ]
        else:
            options = [(sanitize(text), False) for text in texts_of(question.type, data)]
        rows.append(
            {
                "number": index + 1,
                "line": question.line,
                "type": label,
                "difficulty": question.difficulty,
                "category": question.category,
                "stem": sanitize(question.stem or ""),
                "name": question.name,
                "options": options,
                "duplicate_of": preview.duplicates.get(index),
                "problems": problems.get(question.line, []) if question.line else [],
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: AuthedRequest, bank_id: int, token: str) -> HttpResponse:
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    if not permissions.can_edit_bank(user=request.user, bank=bank):
        raise PermissionDenied
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            count = services.import_confirm(actor=request.user, bank=bank, token=token)
        except ValidationError as error:
            errors = error.messages
            status = 400
        else:
            messages.success(request, _("%(count)d questions are added to the bank.") % {"count": count})
            return redirect("assessment:bank-detail", bank_id=bank.pk)
    preview = services.import_preview(bank=bank, token=token)
    if preview is None:
        raise Http404
    context = {
        "bank": bank,
        "preview": preview,
        "rows": _rows(preview),
        "format": registry.FORMATS[preview.fmt],
        "errors": errors,
    }
    return render(request, "assessment/banks/preview.html", context, status=status)


@login_required
@require_GET
def bank_export(request: AuthedRequest, bank_id: int, fmt: str) -> HttpResponse:
    """Download the bank in `fmt`. GIFT cannot carry everything: its warnings are shown first, with the
    download as a link (`?download=1`)."""
    bank = permissions.access_bank(user=request.user, bank_id=bank_id)
    if fmt not in registry.WRITERS:
        raise Http404
    if fmt == registry.GIFT and request.GET.get("download") != "1":
        warnings = services.export_warnings(bank=bank, fmt=fmt)
        if warnings:
            context = {"bank": bank, "format": registry.FORMATS[fmt], "warnings": warnings, "fmt": fmt}
            return render(request, "assessment/banks/export.html", context)
    content, content_type, filename = services.bank_export(bank=bank, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
