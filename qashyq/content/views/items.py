"""Pages of sections and items: editing (teachers of the course), publishing and versions, caption tracks,
and the item page itself (a student sees the published version, or why it is closed)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.content import rules
from qashyq.content.api import item_link
from qashyq.content.data import Activity, CompletionRule, ItemKind, ProgressStatus, TrackKind
from qashyq.content.forms.items import (
    TRACK_LANGUAGE_CHOICES,
    ImageForm,
    ItemForm,
    MoveForm,
    SectionForm,
    TrackForm,
    TranscriptForm,
    media_with_nonce,
)
from qashyq.content.models import Asset, Item, ItemTrack, Section
from qashyq.content.permissions import items as permissions
from qashyq.content.permissions.courses import access_course, can_edit_course, can_see_drafts, enrolment_for
from qashyq.content.selectors import items as selectors
from qashyq.content.services import items as services
from qashyq.content.storage import asset_response
from qashyq.core.forms import add_service_errors

LANGUAGE_NAMES = dict(TRACK_LANGUAGE_CHOICES)
PDF = "application/pdf"


# --- Helpers ---------------------------------------------------------------------------------------


def course_url(course_id: int, *, anchor: str = "") -> str:
    url = reverse("content:course-detail", args=[course_id])
    return f"{url}#{anchor}" if anchor else url


def _next_or(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _delete_page(
    request: AuthedRequest,
    template: str,
    context: dict[str, Any],
    *,
    delete: Callable[[], object],
    done: str,
    then: str,
) -> HttpResponse:
    """The confirmation page of a deletion; on POST, delete (a refusal shows its reasons on the page, 400),
    then say `done` and go to `then`."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            context["errors"] = error.messages
            return render(request, template, context, status=400)
        messages.success(request, done)
        return redirect(then)
    return render(request, template, context)


def _move_response(request: AuthedRequest, move: Callable[[str], object], fallback: str) -> HttpResponse:
    """Move one place up or down as the posted MoveForm says, then back to `next` (or `fallback`)."""
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Move up or down."), status=400, content_type="text/plain; charset=utf-8")
    move(form.cleaned_data["direction"])
    return redirect(_next_or(request, fallback))


def _editable_section(request: AuthedRequest, section_id: int) -> Section:
    section = permissions.access_section(user=request.user, section_id=section_id)
    if not permissions.can_edit_section(user=request.user, section=section):
        raise PermissionDenied
    return section


def _editable_item(request: AuthedRequest, item_id: int) -> Item:
    item = permissions.access_item(user=request.user, item_id=item_id)
    if not permissions.can_edit_item(user=request.user, item=item):
        raise PermissionDenied
    return item


def _track_label(track: dict[str, Any] | ItemTrack) -> str:
    language = track["language"] if isinstance(track, dict) else track.language
    kind = track["kind"] if isinstance(track, dict) else track.kind
    name = LANGUAGE_NAMES.get(language, language)
    if kind == TrackKind.CAPTIONS:
        return name
    return f"{name} ({TrackKind(kind).label})"


def content_context(data: dict[str, Any]) -> dict[str, Any]:
    """What the item templates need to show one version's (or the draft's) data."""
    tracks = [dict(track, label=_track_label(track)) for track in data.get("tracks") or []]
    language = (get_language() or "kk")[:2]
    default_track = next((t for t in tracks if t["language"] == language), tracks[0] if tracks else None)
    asset = data.get("asset") or None
    context: dict[str, Any] = {
        **summary_context(data),
        "data": data,
        "body_html": rules.sanitize_html(data.get("body") or "") if data.get("kind") == ItemKind.PAGE else "",
        "tracks": tracks,
        "default_track": default_track,
        "asset": asset,
        "file_label": _file_label(asset),
        "asset_text": selectors.text_of(asset) if data.get("kind") == ItemKind.FILE else None,
        "transcript": selectors.transcript_of(data, language=language)
        if data.get("kind") in (ItemKind.VIDEO, ItemKind.AUDIO)
        else "",
        "has_math": data.get("kind") == ItemKind.PAGE and _has_math(data.get("body") or ""),
    }
    return context


def summary_context(data: dict[str, Any]) -> dict[str, Any]:
    """Title, kind, type of work and expected time of a version's (or the draft's) data."""
    kind, activity = data.get("kind", ""), data.get("activity", "")
    return {
        "title": selectors.data_title(data),
        "kind_label": ItemKind(kind).label if kind in ItemKind.values else kind,
        "activity_label": Activity(activity).label if activity in Activity.values else activity,
        "minutes": data.get("minutes") or 0,
    }


def _file_label(asset: dict[str, Any] | None) -> str:
    """How a file's kind is named next to its size: its extension ("PDF", "DOCX")."""
    if not asset:
        return ""
    _stem, dot, extension = str(asset.get("name", "")).rpartition(".")
    return extension.upper() if dot and len(extension) <= 5 else str(asset.get("type", ""))


def _has_math(body: str) -> bool:
    return any(mark in body for mark in ("\\(", "\\[", "$$", "\\begin{"))


# --- Sections --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = access_course(user=request.user, course_id=course_id)
    if not can_edit_course(user=request.user, course=course):
        raise PermissionDenied
    form = SectionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                section = services.section_create(actor=request.user, course=course, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Section “%(name)s” added.") % {"name": section.name})
                return redirect(course_url(course.pk, anchor=f"section-{section.pk}"))
        return render(request, "content/sections/form.html", {"form": form, "course": course}, status=400)
    return render(request, "content/sections/form.html", {"form": form, "course": course})


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: AuthedRequest, section_id: int) -> HttpResponse:
    section = _editable_section(request, section_id)
    initial = {name: getattr(section, name) for name in services.SECTION_FIELDS}
    form = SectionForm(request.POST or None, initial=initial)
    section_ids = selectors.section_ids(course_id=section.course_id)
    context = {
        "form": form,
        "course": section.course,
        "section": section,
        "kinds": ItemKind.choices,
        "items": [{"item": i, "kind_label": ItemKind(i.kind).label} for i in selectors.section_items(section=section)],
        "section_number": section_ids.index(section.pk) + 1,
        "section_count": len(section_ids),
        "section_first": section_ids[0] == section.pk,
        "section_last": section_ids[-1] == section.pk,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                services.section_update(actor=request.user, section=section, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Section “%(name)s” saved.") % {"name": section.name})
                return redirect(course_url(section.course_id, anchor=f"section-{section.pk}"))
        return render(request, "content/sections/form.html", context, status=400)
    return render(request, "content/sections/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request: AuthedRequest, section_id: int) -> HttpResponse:
    section = _editable_section(request, section_id)
    return _delete_page(
        request,
        "content/sections/delete.html",
        {"course": section.course, "section": section, "count": section.items.count()},
        delete=lambda: services.section_delete(actor=request.user, section=section),
        done=_("Section “%(name)s” deleted.") % {"name": section.name},
        then=course_url(section.course_id),
    )


@login_required
@require_POST
def section_move(request: AuthedRequest, section_id: int) -> HttpResponse:
    section = _editable_section(request, section_id)
    return _move_response(
        request,
        lambda direction: services.section_move(actor=request.user, section=section, direction=direction),
        course_url(section.course_id, anchor=f"section-{section.pk}"),
    )


# --- Items: editing --------------------------------------------------------------------------------


def _item_form_context(request: AuthedRequest, form: ItemForm, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "kind": form.kind,
        "kind_label": ItemKind(form.kind).label,
        "media": media_with_nonce(form.media, get_nonce(request)),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: AuthedRequest, section_id: int, kind: str) -> HttpResponse:
    section = _editable_section(request, section_id)
    if kind not in ItemKind.values:
        raise Http404
    prerequisites = selectors.prerequisite_choices(course_id=section.course_id)
    form = ItemForm(request.POST or None, request.FILES or None, kind=kind, prerequisites=prerequisites)
    context = {"course": section.course, "section": section}
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.item_create(
                    actor=request.user,
                    section=section,
                    kind=kind,
                    upload=form.cleaned_data.get("upload"),
                    package=form.cleaned_data.get("package"),
                    **form.values(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("“%(name)s” saved as a draft.") % {"name": item.name})
                if kind == ItemKind.VIDEO:
                    messages.info(request, _("Add captions before publishing the video."))
                    return redirect("content:item-tracks", item.pk)
                return redirect("content:item-detail", item.pk)
        return render(request, "content/items/form.html", _item_form_context(request, form, **context), status=400)
    return render(request, "content/items/form.html", _item_form_context(request, form, **context))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _editable_item(request, item_id)
    prerequisites = selectors.prerequisite_choices(course_id=item.course_id, exclude_id=item.pk)
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        kind=item.kind,
        prerequisites=prerequisites,
        item=item,
        initial=ItemForm.initial_for(item),
    )
    context = {"course": item.course, "section": item.section, "item": item, "image_form": ImageForm()}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.item_update(
                    actor=request.user,
                    item=item,
                    upload=form.cleaned_data.get("upload"),
                    package=form.cleaned_data.get("package"),
                    **form.values(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("“%(name)s” saved.") % {"name": item.name})
                return redirect("content:item-detail", item.pk)
        return render(request, "content/items/form.html", _item_form_context(request, form, **context), status=400)
    return render(request, "content/items/form.html", _item_form_context(request, form, **context))


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _editable_item(request, item_id)
    return _delete_page(
        request,
        "content/items/delete.html",
        {"course": item.course, "item": item},
        delete=lambda: services.item_delete(actor=request.user, item=item),
        done=_("“%(name)s” deleted.") % {"name": item.name},
        then=course_url(item.course_id, anchor=f"section-{item.section_id}"),
    )


@login_required
@require_POST
def item_move(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _editable_item(request, item_id)
    return _move_response(
        request,
        lambda direction: services.item_move(actor=request.user, item=item, direction=direction),
        course_url(item.course_id, anchor=f"item-{item.pk}"),
    )


@login_required
@require_POST
def item_image(request: AuthedRequest, item_id: int) -> HttpResponse:
    """Upload an image for a page. Answers JSON to the editor's script (the URL to insert), or goes back to the
    edit page with the URL in a message when sent without it."""
    item = _editable_item(request, item_id)
    form = ImageForm(request.POST, request.FILES)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if form.is_valid():
        try:
            asset = services.item_image_upload(actor=request.user, item=item, upload=form.cleaned_data["image"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("content:asset", args=[asset.pk])
            if wants_json:
                return JsonResponse({"url": url, "alt": form.cleaned_data["alt"], "name": asset.original_name})
            messages.success(request, _("Image uploaded; its address is %(url)s") % {"url": url})
            return redirect("content:item-edit", item.pk)
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    if wants_json:
        return JsonResponse({"errors": errors}, status=400)
    for error_message in errors:
        messages.error(request, error_message)
    return redirect("content:item-edit", item.pk)


# --- Items: tracks and transcript ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_tracks(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _editable_item(request, item_id)
    if item.kind not in services.MEDIA_KINDS:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    track_form = TrackForm(request.POST if action == "add-track" else None, request.FILES or None)
    transcript_form = TranscriptForm(request.POST if action == "add-transcript" else None, request.FILES or None)
    status = 200
    if action == "add-track":
        if track_form.is_valid():
            try:
                services.item_track_add(
                    actor=request.user,
                    item=item,
                    language=track_form.cleaned_data["language"],
                    kind=track_form.cleaned_data["kind"],
                    upload=track_form.cleaned_data["file"],
                )
            except ValidationError as error:
                add_service_errors(track_form, error)
            else:
                messages.success(request, _("Track added."))
                return redirect("content:item-tracks", item.pk)
        status = 400
    elif action == "add-transcript":
        if transcript_form.is_valid():
            try:
                services.item_transcript_set(
                    actor=request.user, item=item, upload=transcript_form.cleaned_data["transcript"]
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "file" in error.error_dict:
                    error = ValidationError({"transcript": error.error_dict["file"]})
                add_service_errors(transcript_form, error)
            else:
                messages.success(request, _("Transcript added."))
                return redirect("content:item-tracks", item.pk)
        status = 400
    elif action == "remove-transcript":
        services.item_transcript_remove(actor=request.user, item=item)
        messages.success(request, _("Transcript removed."))
        return redirect("content:item-tracks", item.pk)
    elif action == "remove-track":
        track = ItemTrack.objects.filter(item=item, pk=request.POST.get("track") or 0).first()
        if track is None:
            raise Http404
        services.item_track_remove(actor=request.user, track=track)
        messages.success(request, _("Track removed."))
        return redirect("content:item-tracks", item.pk)
    elif request.method == "POST":
        status = 400
    tracks = selectors.item_tracks(item=item)
    context = {
        "course": item.course,
        "item": item,
        "tracks": [(track, _track_label(track)) for track in tracks],
        "track_form": track_form,
        "transcript_form": transcript_form,
        "needs_captions": item.kind == ItemKind.VIDEO and not selectors.has_captions(tracks),
    }
    return render(request, "content/items/tracks.html", context, status=status)


# --- Items: publishing and versions ----------------------------------------------------------------


@login_required
@require_POST
def item_publish(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _editable_item(request, item_id)
    try:
        version = services.item_publish(actor=request.user, item=item)
    except ValidationError as error:
        return _detail(request, item, errors=error.messages, status=400)
    messages.success(request, _("Version %(number)d published: students see it now.") % {"number": version.number})
    return redirect("content:item-detail", item.pk)


@login_required
@require_POST
def item_unpublish(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _editable_item(request, item_id)
    try:
        services.item_unpublish(actor=request.user, item=item)
    except ValidationError as error:
        return _detail(request, item, errors=error.messages, status=400)
    messages.success(request, _("Hidden from students. Its versions are kept."))
    return redirect("content:item-detail", item.pk)


@login_required
def item_versions(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = permissions.access_item(user=request.user, item_id=item_id)
    if not permissions.can_see_versions(user=request.user, item=item):
        raise Http404
    context = {
        "course": item.course,
        "item": item,
        "versions": selectors.item_versions(item=item),
        "can_edit": permissions.can_edit_item(user=request.user, item=item),
    }
    return render(request, "content/items/versions.html", context)


@login_required
def item_version(request: AuthedRequest, item_id: int, number: int) -> HttpResponse:
    version = permissions.access_item_version(user=request.user, item_id=item_id, number=number)
    item = version.item
    context = {"course": item.course, "item": item, "version": version, **content_context(version.data)}
    return render(request, "content/items/version.html", context)


# --- Items: the page -------------------------------------------------------------------------------


def _detail(request: AuthedRequest, item: Item, *, errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    course = item.course
    context: dict[str, Any] = {
        "course": course,
        "item": item,
        "errors": errors or [],
        "owner_link": item_link(kind=item.kind, item_id=item.pk),
    }
    if can_see_drafts(user=request.user, course=course):
        tracks = selectors.item_tracks(item=item)
        data = selectors.item_draft_data(item, tracks=tracks)
        can_edit = permissions.can_edit_item(user=request.user, item=item)
        context |= {
            "staff": True,
            "can_edit": can_edit,
            "problems": services.publish_problems(item, tracks=tracks) if can_edit else [],
            "availability": _availability(data),
            "prerequisite": item.prerequisite.name if item.prerequisite_id and item.prerequisite else "",
            **content_context(data),
        }
        return render(request, "content/items/detail.html", context, status=status)
    assert item.live_version is not None  # access_item lets only staff see an unpublished item
    data = item.live_version.data
    enrolment = enrolment_for(user=request.user, course=course)
    lock = selectors.student_lock(item=item, data=data, enrolment=enrolment)
    progress = None
    if not lock and enrolment is not None and request.method == "GET":
        progress = services.item_view_record(enrolment=enrolment, item=item)
    elif enrolment is not None:
        progress = selectors.item_progress(enrolment=enrolment, item=item)
    context |= {
        "staff": False,
        "lock": lock,
        "enrolment": enrolment,
        "progress": progress,
        "completed": progress is not None and progress.status == ProgressStatus.COMPLETED,
        "manual": data.get("completion") == CompletionRule.MANUAL,
        **(summary_context(data) if lock else content_context(data)),
    }
    return render(request, "content/items/detail.html", context, status=status)


def _availability(data: dict[str, Any]) -> dict[str, str]:
    opens = rules.parse_moment(data.get("available_from"))
    closes = rules.parse_moment(data.get("available_until"))
    return {
        "from": rules.moment_label(opens) if opens else "",
        "until": rules.moment_label(closes) if closes else "",
    }


# The item's PDF is shown in a frame of its own page: pages of this site may frame it, no other site.
FRAMEABLE_CSP: dict[str, Any] = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}


@login_required
@require_safe
@xframe_options_sameorigin
@csp_override(FRAMEABLE_CSP)
def item_file(request: AuthedRequest, item_id: int) -> HttpResponse:
    """The PDF of a file item, inline, for the frame of the item page: the draft's (or `?version=N`) for those
    who see drafts, the published one for a student while the item is open to them."""
    item = permissions.access_item(user=request.user, item_id=item_id)
    data: dict[str, Any] | None
    if can_see_drafts(user=request.user, course=item.course):
        number = request.GET.get("version", "")
        if number:
            version = selectors.item_version(item=item, number=int(number)) if number.isdigit() else None
            data = version.data if version is not None else None
        else:
            data = selectors.item_draft_data(item, tracks=[])
    else:
        assert item.live_version is not None
        data = item.live_version.data
        enrolment = enrolment_for(user=request.user, course=item.course)
        if selectors.student_lock(item=item, data=data, enrolment=enrolment):
            data = None
    reference = (data or {}).get("asset") or {}
    asset = Asset.objects.filter(pk=str(reference["id"])).first() if reference.get("type") == PDF else None
    if asset is None:
        raise Http404
    return asset_response(request=request, asset=asset)


@login_required
@require_http_methods(["GET"])
def item_detail(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = permissions.access_item(user=request.user, item_id=item_id)
    return _detail(request, item)


@login_required
@require_POST
def item_complete(request: AuthedRequest, item_id: int) -> HttpResponse:
    """The student marks an item done (completion rule "manual")."""
    item = permissions.access_item(user=request.user, item_id=item_id)
    enrolment = enrolment_for(user=request.user, course=item.course)
    if enrolment is None or item.live_version is None:
        raise PermissionDenied
    lock = selectors.student_lock(item=item, data=item.live_version.data, enrolment=enrolment)
    try:
        services.item_complete(enrolment=enrolment, item=item, lock=lock)
    except ValidationError as error:
        return _detail(request, item, errors=error.messages, status=400)
    messages.success(request, _("Marked as done."))
    return redirect("content:item-detail", item.pk)
