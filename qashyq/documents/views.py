from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from qashyq.documents import permissions, selectors
from qashyq.documents.forms import CopyCompareForm, VerificationCodeForm


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    """The issued PDF, only after the check its target's app registered; 404 otherwise."""
    document = permissions.access_document(user=request.user, document_id=document_id)
    filename = f"{document.number or document.kind}-{document.language}-{document.verification_code}.pdf"
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename.replace("/", "-").replace("\\", "-"),
        content_type="application/pdf",
    )


@require_GET
def verify_start(request: HttpRequest) -> HttpResponse:
    """Public: type the code printed on a document to open its verification page."""
    if "code" not in request.GET:
        return render(request, "documents/verify_start.html", {"form": VerificationCodeForm()})
    form = VerificationCodeForm(request.GET)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if selectors.document_get_by_code(code=code) is not None:
            return redirect("documents:document-verify", code=code)
        return render(request, "documents/verify_start.html", {"form": form, "unknown": code}, status=404)
    return render(request, "documents/verify_start.html", {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
@cache_control(no_store=True)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public, no sign-in: what was issued under this code (title, number, date, issuer, SHA-256, revoked or
    not), and a form that hashes an uploaded copy and says whether it is the issued file."""
    document = selectors.document_get_by_code(code=code)
    if document is None:
        raise Http404
    if code != document.verification_code:
        return redirect("documents:document-verify", code=document.verification_code)
    matches: bool | None = None
    uploaded_sha256 = ""
    status = 200
    if request.method == "POST":
        form = CopyCompareForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded_sha256 = selectors.file_sha256(form.cleaned_data["file"])
            matches = uploaded_sha256 == document.sha256
        else:
            status = 400
    else:
        form = CopyCompareForm()
    context = {"document": document, "form": form, "matches": matches, "uploaded_sha256": uploaded_sha256}
    return render(request, "documents/verify.html", context, status=status)
