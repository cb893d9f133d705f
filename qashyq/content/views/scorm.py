"""SCORM pages: the launch page (a normal Qashyq page with a sandboxed frame), the package's files under a
signed token, and the runtime's commits (docs/decisions/0005-scorm-sandbox.md).

The files and the commit endpoint authenticate by the token only: the frame has an opaque origin and sends
no cookies, and neither view sets one. Every file carries `Content-Security-Policy: sandbox …`, so the
package stays sandboxed even when a file is opened on its own; the SCO's launch page gets scorm-again and
scorm-runtime.js put into its <head>, which give it window.API / window.API_1484_11 in its own document.
"""

import json
import mimetypes
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.content import scorm
from qashyq.content.data import ItemKind, ScormVersion
from qashyq.content.permissions.courses import can_see_drafts, enrolment_for
from qashyq.content.permissions.items import access_item
from qashyq.content.selectors import scorm as selectors
from qashyq.content.services import scorm as services
from qashyq.content.storage import stored_response

SANDBOX = "allow-scripts allow-forms allow-popups"  # never allow-same-origin: the package must not reach us
FILES_POLICY = f"sandbox {SANDBOX}"
ASSET_CACHE = "private, max-age=3600"  # within one launch (the token changes with each launch)

# Types the browser must get right for a package to work (X-Content-Type-Options: nosniff is on).
_TYPES = {
    "html": "text/html",
    "htm": "text/html",
    "xhtml": "application/xhtml+xml",
    "js": "text/javascript",
    "mjs": "text/javascript",
    "css": "text/css",
    "json": "application/json",
    "xml": "application/xml",
    "xsd": "application/xml",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "vtt": "text/vtt",
    "txt": "text/plain",
    "pdf": "application/pdf",
    "swf": "application/x-shockwave-flash",
}
_META_CHARSET = re.compile(rb"<meta\s[^>]*charset", re.IGNORECASE)

# What the package reported, as the learner reads it (SCORM 1.2 lesson_status, 2004 completion and success).
STATUS_LABELS = {
    "passed": gettext_lazy("passed"),
    "completed": gettext_lazy("completed"),
    "failed": gettext_lazy("failed"),
    "incomplete": gettext_lazy("incomplete"),
    "browsed": gettext_lazy("browsed"),
    "not attempted": gettext_lazy("not attempted"),
    "unknown": gettext_lazy("unknown"),
}


def content_type_for(path: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return _TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _safe_path(path: str) -> bool:
    if not path or "\\" in path or "\x00" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


# --- The launch page --------------------------------------------------------------------------------------


@login_required
@require_safe
def scorm_launch(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = access_item(user=request.user, item_id=item_id)
    course = item.course
    enrolment = enrolment_for(user=request.user, course=course)
    if enrolment is None and not can_see_drafts(user=request.user, course=course):
        raise Http404
    launch = selectors.scorm_launch_for(item=item, enrolment=enrolment)
    kind = (item.live_version.data or {}).get("kind") if enrolment and item.live_version_id else item.kind  # type: ignore[union-attr]
    if kind != ItemKind.SCORM:
        raise Http404
    frame_url = ""
    package = launch.package
    if package is not None and not launch.lock:
        token = scorm.launch_token(
            scorm.LaunchTicket(
                item_id=item.pk,
                package_id=package.pk,
                enrolment_id=enrolment.pk if enrolment else None,
                user_id=request.user.pk,
            )
        )
        parameters = str(((package.manifest or {}).get("launch") or {}).get("parameters") or "")
        frame_url = reverse("content:scorm-files", kwargs={"token": token, "path": package.launch}) + parameters
    runtime = selectors.scorm_runtime_get(item_id=item.pk, enrolment_id=enrolment.pk) if enrolment else None
    statuses = []
    if runtime is not None:
        for status in dict.fromkeys((runtime.completion_status, runtime.success_status)):
            if status and status != "unknown":
                statuses.append(STATUS_LABELS.get(status, status))
    return render(
        request,
        "content/scorm/launch.html",
        {
            "item": item,
            "course": course,
            "title": selectors.item_title(item=item, published=enrolment is not None),
            "launch": launch,
            "package": package,
            "frame_url": frame_url,
            "sandbox": SANDBOX,
            "runtime": runtime,
            "statuses": statuses,
            "score": selectors.runtime_score(runtime),
        },
    )


# --- The package's files ------------------------------------------------------------------------------------


def _refused(message: str, status: int = 403) -> HttpResponse:
    """A plain answer: the site's error pages carry a form with a CSRF token, whose cookie these views never set."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Content-Security-Policy"] = FILES_POLICY
    return response


def _not_found() -> HttpResponse:
    return _refused(_("This file is not part of the package."), status=404)


@xframe_options_exempt  # framed by the launch page, and by the package's own frames (opaque origins)
@require_safe
def scorm_files(request: HttpRequest, token: str, path: str) -> HttpResponse:
    ticket = scorm.read_launch_token(token)
    if ticket is None:
        return _refused(_("This link to the package has expired or is not valid. Open the item again."))
    if not _safe_path(path):
        return _not_found()
    package = selectors.scorm_package_get(package_id=ticket.package_id)
    if package is None or not package.root:
        return _not_found()
    name = f"{package.root}/{path}"
    if not default_storage.exists(name):
        return _not_found()
    content_type = content_type_for(path)
    if path == package.launch and content_type in ("text/html", "application/xhtml+xml"):
        response = _launch_page(
            request, ticket=ticket, package_version=package.version, name=name, content_type=content_type
        )
    else:
        response = stored_response(request=request, name=name, content_type=content_type)
        response["Cache-Control"] = ASSET_CACHE
    response["Content-Security-Policy"] = FILES_POLICY
    return response


def _launch_page(
    request: HttpRequest, *, ticket: scorm.LaunchTicket, package_version: str, name: str, content_type: str
) -> HttpResponse:
    """The SCO's page with the runtime put at the start of its <head>: scorm-again, then scorm-runtime.js with
    the learner's stored state and the URL of this session's commits."""
    with default_storage.open(name, "rb") as handle:
        html = handle.read()
    runtime = (
        selectors.scorm_runtime_get(item_id=ticket.item_id, enrolment_id=ticket.enrolment_id)
        if ticket.enrolment_id is not None
        else None
    )
    state = selectors.resume_state(runtime)
    learner_id, learner_name = selectors.learner(user_id=ticket.user_id)
    score = selectors.runtime_score(runtime)
    commit = scorm.commit_token(
        scorm.CommitTicket(
            item_id=ticket.item_id,
            package_id=ticket.package_id,
            enrolment_id=ticket.enrolment_id,
            user_id=ticket.user_id,
            version=package_version,
            session=(runtime.sessions if runtime else 0) + 1,
            base_seconds=state.total_seconds,
            progress=scorm.progress_key(
                complete=scorm.is_complete(state.completion_status, state.success_status), score=score
            ),
        )
    )
    config = {
        "version": package_version,
        "commitUrl": reverse("content:scorm-commit", kwargs={"token": commit}),
        "preview": ticket.enrolment_id is None,
        "cmi": scorm.initial_cmi(package_version, learner_id=learner_id, learner_name=learner_name, state=state),
    }
    library = "vendor/scorm12.min.js" if package_version == ScormVersion.SCORM_12 else "vendor/scorm2004.min.js"
    snippet = (
        f'<script src="{escape(static(library))}"></script>'
        f'<script src="{escape(static("content/scorm-runtime.js"))}" '
        f'data-qashyq-scorm="{escape(scorm.runtime_config_json(config))}"></script>'
    ).encode("ascii")
    body = scorm.inject_into_head(html, snippet)
    if not _META_CHARSET.search(body[:4096]):
        try:
            html.decode("utf-8")
            content_type += "; charset=utf-8"
        except UnicodeDecodeError:
            pass
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"  # it holds the learner's state and this session's commit token
    return response


# --- Commits ------------------------------------------------------------------------------------------------


def _cors(response: HttpResponse) -> HttpResponse:
    """The frame's origin is opaque ("null"): commits are cross-origin, authenticated by the token alone."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _result(ok: bool, status: int = 200, error: int = 0, progress: str = "") -> HttpResponse:
    answer: dict[str, object] = {"result": "true" if ok else "false", "errorCode": error}
    if progress:
        answer["progress"] = progress
    return _cors(JsonResponse(answer, status=status))


@csrf_exempt  # no cookie is involved: the signed token in the URL is the only credential
@require_http_methods(["POST", "OPTIONS"])
def scorm_commit(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    ticket = scorm.read_commit_token(token)
    if ticket is None:
        return _result(False, status=403, error=101)
    try:
        payload = json.loads(request.body)
        sequence, cmi = payload["commitSequence"], payload["cmi"]
        if not isinstance(sequence, int) or isinstance(sequence, bool):
            raise scorm.CmiError("commitSequence is not a whole number")
        known = payload.get("progress")
        result = services.scorm_commit(
            ticket=ticket,
            sequence=sequence,
            cmi=cmi,
            known_progress=known if isinstance(known, str) and len(known) <= 40 else "",
        )
    except (ValueError, KeyError, TypeError, AttributeError, RequestDataTooBig):  # CmiError is a ValueError
        return _result(False, status=400, error=101)
    return _result(True, progress=result.progress)
