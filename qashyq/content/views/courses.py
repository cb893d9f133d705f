"""Pages of courses: "my courses", a new course, the course page (sections → items with progress), editing,
teachers and tutors, enrolment of the groups, the enrolled students and the group progress view."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest, Role
from qashyq.content.data import ItemKind, ProgressStatus, StaffRole
from qashyq.content.forms.courses import (
    CourseFilterForm,
    CourseForm,
    CourseStaffForm,
    EnrolmentEndForm,
    ProgressFilterForm,
)
from qashyq.content.models import Course
from qashyq.content.permissions import courses as permissions
from qashyq.content.permissions import delivery as delivery_permissions
from qashyq.content.selectors import courses as selectors
from qashyq.content.selectors import progress as progress_selectors
from qashyq.content.services import courses as services
from qashyq.core.forms import add_service_errors

# --- Choices ---------------------------------------------------------------------------------------

_COURSE_FIELDS = {"discipline_id": "discipline", "period_id": "period", "group_ids": "groups"}


def _period_choices() -> list[tuple[int, str]]:
    return [(p.id, f"{p.year_title} · {p.number}") for p in academics_api.period_list()]


def _course_form(data: Any = None, *, initial: dict[str, Any] | None = None) -> CourseForm:
    return CourseForm(
        data,
        initial=initial,
        disciplines=[(d.id, f"{d.code} {d.name}") for d in academics_api.discipline_list()],
        periods=_period_choices(),
        groups=[(g.id, g.code) for g in academics_api.group_list()],
    )


def _require(allowed: bool) -> None:
    """The course is visible to the user (else access_course gave 404), but this is not theirs to do."""
    if not allowed:
        raise PermissionDenied


# --- My courses ------------------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request: AuthedRequest) -> HttpResponse:
    form = CourseFilterForm(request.GET or None, periods=_period_choices())
    if request.GET and not form.is_valid():
        return render(request, "content/courses/list.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if request.GET else selectors.CourseFilters()
    page, rows = selectors.course_list(user=request.user, filters=filters, page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_manage": permissions.can_manage_courses(user=request.user),
    }
    return render(request, "content/courses/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request: AuthedRequest) -> HttpResponse:
    _require(permissions.can_manage_courses(user=request.user))
    period = academics_api.period_current(on=timezone.localdate())
    form = _course_form(request.POST or None, initial={"period": period.id if period else None, "language": "kk"})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.course_fields())
        except ValidationError as error:
            add_service_errors(form, error, renamed=_COURSE_FIELDS)
        else:
            messages.success(request, _("The course %(code)s was created.") % {"code": course.code})
            return redirect("content:course-detail", course_id=course.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "content/courses/form.html", {"form": form, "course": None}, status=status)


# --- The course page -------------------------------------------------------------------------------


class _Links:
    """The URLs of one route for many objects, reversed once with a stand-in id and then filled in: a page of
    300 items would otherwise reverse each of its links 300 times (a third of its time)."""

    STAND_IN = 2_147_483_646

    def __init__(self, name: str, *extra: Any) -> None:
        self.prefix, _sep, self.suffix = reverse(name, args=[self.STAND_IN, *extra]).partition(str(self.STAND_IN))

    def __call__(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


@dataclass(frozen=True)
class _ItemLinks:
    open: str  # the item's page (a SCORM package: its player)
    edit: str
    publish: str


@dataclass(frozen=True)
class _SectionView:
    block: selectors.SectionBlock
    rows: list[tuple[selectors.ItemRow, _ItemLinks]]
    edit_url: str
    add_links: list[tuple[str, str]]  # (kind label, url of the new-item page)


def _section_views(page: selectors.CoursePage, *, can_edit: bool) -> list[_SectionView]:
    detail, scorm = _Links("content:item-detail"), _Links("content:scorm-launch")
    edit, publish = _Links("content:item-edit"), _Links("content:item-publish")
    section_edit = _Links("content:section-edit")
    creators = [(str(label), _Links("content:item-create", kind)) for kind, label in ItemKind.choices]
    views = []
    for block in page.sections:
        rows = []
        for item in block.items:
            opener = scorm if item.kind == ItemKind.SCORM else detail
            links = _ItemLinks(
                open="" if item.lock else opener(item.id),
                edit=edit(item.id) if can_edit else "",
                publish=publish(item.id) if can_edit and item.state != selectors.ItemState.PUBLISHED else "",
            )
            rows.append((item, links))
        section = block.section.pk
        views.append(
            _SectionView(
                block=block,
                rows=rows,
                edit_url=section_edit(section) if can_edit else "",
                add_links=[(label, link(section)) for label, link in creators] if can_edit else [],
            )
        )
    return views


@login_required
@require_GET
def course_detail(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = permissions.access_course(user=request.user, course_id=course_id)
    user = request.user
    drafts = permissions.can_see_drafts(user=user, course=course)
    enrolment = None if drafts else permissions.enrolment_for(user=user, course=course)
    page = selectors.course_page(course=course, drafts=drafts, enrolment=enrolment)
    can_edit = permissions.can_edit_course(user=user, course=course)
    can_manage = permissions.can_manage_courses(user=user)
    section_create = _Links("content:section-create")
    context = {
        "course": course,
        "page": page,
        "sections": _section_views(page, can_edit=can_edit),
        "section_create_url": section_create(course.pk) if can_edit else "",
        "can_edit": can_edit,
        "can_manage": can_manage,
        "can_see_progress": permissions.can_see_progress(user=user, course=course),
        "can_build_case": delivery_permissions.can_build_case_package(user=user, course=course),
        "can_manage_delivery": delivery_permissions.can_manage_delivery(user=user),
        "groups": selectors.course_group_choices(course=course),
    }
    return render(request, "content/courses/detail.html", context)


# --- Editing, staff, enrolment ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = permissions.access_course(user=request.user, course_id=course_id)
    _require(permissions.can_manage_courses(user=request.user))
    initial = {
        "discipline": course.discipline_id,
        "period": course.period_id,
        "code": course.code,
        "language": course.language,
        "groups": [pk for pk, _code in selectors.course_group_choices(course=course)],
        **{key: getattr(course, key) for key in (*services.NAME_FIELDS, *services.DESCRIPTION_FIELDS)},
    }
    form = _course_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=request.user, course=course, **form.course_fields())
        except ValidationError as error:
            add_service_errors(form, error, renamed=_COURSE_FIELDS)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("content:course-detail", course_id=course.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "content/courses/form.html", {"form": form, "course": course}, status=status)


def _staff_form(course: Course, staff: list[selectors.StaffMember], data: Any = None) -> CourseStaffForm:
    tutors_now = [(m.user_id, m.name) for m in staff if m.role == StaffRole.TUTOR]
    initial: dict[str, Any] = {
        "teachers": [m.user_id for m in staff if m.role == StaffRole.TEACHER],
        "tutors": [m.user_id for m in staff if m.role == StaffRole.TUTOR],
        **{f"tutor_groups_{m.user_id}": list(m.group_ids) for m in staff if m.role == StaffRole.TUTOR},
    }
    return CourseStaffForm(
        data,
        initial=initial,
        teachers=selectors.staff_candidates(role=Role.TEACHER),
        tutors=selectors.staff_candidates(role=Role.TUTOR),
        current_tutors=tutors_now,
        groups=selectors.course_group_choices(course=course),
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_staff(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = permissions.access_course(user=request.user, course_id=course_id)
    _require(permissions.can_manage_courses(user=request.user))
    staff = selectors.course_staff(course=course)  # unchanged until a save, which redirects
    form = _staff_form(course, staff, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_staff_set(
                actor=request.user,
                course=course,
                teacher_ids=form.cleaned_data["teachers"],
                tutor_ids=form.cleaned_data["tutors"],
                tutor_groups=form.limits(),
            )
        except ValidationError as error:
            add_service_errors(form, error, renamed=_COURSE_FIELDS)
        else:
            messages.success(request, _("The teachers and tutors of the course were saved."))
            return redirect("content:course-staff", course_id=course.pk)
    context = {"course": course, "form": form, "staff": staff}
    return render(request, "content/courses/staff.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def course_enrol(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = permissions.access_course(user=request.user, course_id=course_id)
    _require(permissions.can_manage_courses(user=request.user))
    count = services.course_enrol_groups(actor=request.user, course=course)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d student of the course's groups was enrolled.",
                "%(count)d students of the course's groups were enrolled.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Every studying student of the course's groups is already enrolled."))
    return redirect("content:course-students", course_id=course.pk)


@login_required
@require_GET
def course_students(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = permissions.access_course(user=request.user, course_id=course_id)
    _require(permissions.can_see_progress(user=request.user, course=course))
    group_ids = permissions.progress_group_ids(user=request.user, course=course)
    context = {
        "course": course,
        "enrolments": list(selectors.course_enrolments(course=course, group_ids=group_ids)),
        "can_manage": permissions.can_manage_courses(user=request.user),
        "groups": selectors.course_group_choices(course=course),
    }
    return render(request, "content/courses/students.html", context)


@login_required
@require_POST
def enrolment_end(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = permissions.access_enrolment(user=request.user, enrolment_id=enrolment_id)
    form = EnrolmentEndForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "error.html",
            {"status": 400, "title": _("Not possible"), "message": _("The reason is too long.")},
            status=400,
        )
    try:
        services.enrolment_end(actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The enrolment of %(name)s was ended.") % {"name": enrolment.student.full_name})
    return redirect("content:course-students", course_id=enrolment.course_id)


# --- The group progress view ---------------------------------------------------------------------------


def _cells() -> dict[str, tuple[str, str]]:
    """Per status: the symbol shown and the text a screen reader reads (never colour alone)."""
    labels = {value: str(label) for value, label in ProgressStatus.choices}
    return {
        ProgressStatus.COMPLETED.value: ("✓", labels[ProgressStatus.COMPLETED]),
        ProgressStatus.VIEWED.value: ("◐", labels[ProgressStatus.VIEWED]),
        ProgressStatus.NOT_STARTED.value: ("·", labels[ProgressStatus.NOT_STARTED]),
    }


def _matrix_rows(matrix: progress_selectors.ProgressMatrix) -> list[SafeString]:
    """The cells of each student's row as HTML, written in one pass: with 100 students × 300 items a
    template loop would spend most of the page's time on 30,000 cells. Each cell says its status in text
    for screen readers; the symbol is drawn by the stylesheet (content/courses.css, `.qh-s-*::before`).
    Every variable part is escaped; a cell is written once per (status, score) and reused."""
    texts = {status: escape(text) for status, (_symbol, text) in _cells().items()}
    plain = {
        status: f'<td class="qh-s-{status}"><span class="visually-hidden">{text}</span></td>'
        for status, text in texts.items()
    }
    scored: dict[tuple[str, Decimal], str] = {}
    rows = []
    for row in matrix.rows:
        if not any(score is not None for score in row.scores):
            rows.append(mark_safe("".join(map(plain.__getitem__, row.statuses))))  # noqa: S308 - escaped above
            continue
        parts = []
        for status, score in zip(row.statuses, row.scores, strict=True):
            if score is None:
                parts.append(plain[status])
                continue
            cell = scored.get((status, score))
            if cell is None:
                cell = (
                    f'<td class="qh-s-{status}"><span class="visually-hidden">{texts[status]},</span> '
                    f"{escape(f'{score.normalize():f}')}</td>"
                )
                scored[(status, score)] = cell
            parts.append(cell)
        rows.append(mark_safe("".join(parts)))  # noqa: S308 - built from escaped parts above
    return rows


def _progress_filter(request: AuthedRequest, course: Course) -> tuple[ProgressFilterForm, int | None, Any]:
    group_ids = permissions.progress_group_ids(user=request.user, course=course)
    groups = selectors.course_group_choices(course=course)
    if group_ids is not None:
        groups = [(pk, code) for pk, code in groups if pk in group_ids]
    form = ProgressFilterForm(request.GET or None, groups=groups)
    group = form.cleaned_data["group"] if form.is_bound and form.is_valid() else None
    return form, group, group_ids


@login_required
@require_GET
def course_progress(request: AuthedRequest, course_id: int) -> HttpResponseBase:
    course = permissions.access_course(user=request.user, course_id=course_id)
    _require(permissions.can_see_progress(user=request.user, course=course))
    form, group, group_ids = _progress_filter(request, course)
    if form.is_bound and form.errors:
        return render(request, "content/courses/progress.html", {"course": course, "form": form}, status=400)
    matrix = progress_selectors.progress_matrix(course=course, group_ids=group_ids, group_id=group)
    if request.GET.get("format") == "csv":
        return _progress_csv(course, matrix)
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "course": course,
        "form": form,
        "matrix": matrix,
        "rows": list(zip(matrix.rows, _matrix_rows(matrix), strict=True)),
        "legend": _cells().values(),
        "csv_query": query.urlencode(),
    }
    return render(request, "content/courses/progress.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _progress_csv(course: Course, matrix: progress_selectors.ProgressMatrix) -> StreamingHttpResponse:
    labels = {value: str(label) for value, label in ProgressStatus.choices}

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo(), delimiter=";")
        header = [_("Student"), _("Group"), _("Completed, %")]
        header += [f"{item.number}. {item.title}" for item in matrix.items]
        yield "\ufeff" + writer.writerow(header)  # the mark makes spreadsheet programs read UTF-8
        for row in matrix.rows:
            cells = [
                labels[status] if score is None else f"{labels[status]} ({score.normalize():f})"
                for status, score in zip(row.statuses, row.scores, strict=True)
            ]
            yield writer.writerow([row.student_name, row.group_code, row.completion.percent, *cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="progress-{course.pk}-{stamp}.csv"'
    return response
