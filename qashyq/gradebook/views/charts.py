"""Grade distributions: per course (the letters and the final scores in 10-point bins, for the groups the viewer
sees) and, for the administration service and the head, per academic period across its courses. Bar charts are
SVG drawn on the server, each with the same numbers as a table; every view also exports as XLSX."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest, acting_roles
from qashyq.gradebook import charts, exports
from qashyq.gradebook.forms.journal import GroupFilterForm
from qashyq.gradebook.permissions import SEE_ALL, CourseGradebook, access_course_gradebook
from qashyq.gradebook.selectors import distribution as selectors


def visible_groups(access: CourseGradebook) -> tuple[int, ...]:
    course = access.course
    return course.group_ids if access.group_ids is None else tuple(g for g in course.group_ids if g in access.group_ids)


def group_param(request: AuthedRequest, access: CourseGradebook) -> int | None:
    """The group asked for (?group=), one the viewer sees; None for all of them; 404 for any other."""
    raw = request.GET.get("group", "")
    if raw == "":
        return None
    try:
        group_id = int(raw)
    except ValueError:
        raise Http404 from None
    if group_id not in visible_groups(access):
        raise Http404
    return group_id


def distribution_charts(distribution: selectors.Distribution) -> dict[str, charts.Chart]:
    """The letter chart and the histogram; a score bin below the lowest positive grade is drawn as negative."""
    passing_from = min((lc.min_points for lc in distribution.letters if lc.passing), default=0)
    return {
        "letters_chart": charts.bar_chart([(lc.letter, lc.count, not lc.passing) for lc in distribution.letters]),
        "scores_chart": charts.bar_chart([(b.label, b.count, b.high < passing_from) for b in distribution.bins]),
    }


def _course(request: AuthedRequest, course_id: int) -> tuple[CourseGradebook, int | None, selectors.Distribution]:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = group_param(request, access)
    distribution = selectors.course_distribution(course=access.course, group_ids=access.group_ids, group_id=group_id)
    return access, group_id, distribution


@login_required
@require_safe
def course_distribution(request: AuthedRequest, course_id: int) -> HttpResponse:
    access, group_id, distribution = _course(request, course_id)
    groups = {g.id: g.code for g in academics_api.group_list()}
    choices = [(g, groups[g]) for g in visible_groups(access) if g in groups]
    form = GroupFilterForm({"group": group_id or ""}, groups=choices)
    form.is_valid()
    context: dict[str, Any] = {
        "course": access.course,
        "distribution": distribution,
        "filter_form": form,
        "group_id": group_id,
        "group_code": groups.get(group_id, "") if group_id is not None else "",
        **distribution_charts(distribution),
    }
    return render(request, "gradebook/charts/course.html", context)


@login_required
@require_safe
def course_distribution_xlsx(request: AuthedRequest, course_id: int) -> HttpResponse:
    access, group_id, distribution = _course(request, course_id)
    group = academics_api.group_get(group_id=group_id) if group_id is not None else None
    name = exports.filename(access.course.code, "distribution", group.code if group is not None else "")
    return exports.response(exports.course_distribution_workbook(distribution), name)


def _period(request: AuthedRequest, period_id: int) -> tuple[Any, selectors.PeriodDistribution]:
    if not acting_roles(request.user) & SEE_ALL:
        raise Http404
    period = academics_api.period_get(period_id=period_id)
    if period is None:
        raise Http404
    return period, selectors.period_distribution(period_id=period_id)


@login_required
@require_safe
def period_distribution(request: AuthedRequest, period_id: int) -> HttpResponse:
    period, data = _period(request, period_id)
    context = {"period": period, "data": data, **distribution_charts(data.total)}
    return render(request, "gradebook/charts/period.html", context)


@login_required
@require_safe
def period_distribution_xlsx(request: AuthedRequest, period_id: int) -> HttpResponse:
    period, data = _period(request, period_id)
    name = exports.filename(period.year_title, str(period.number), "distribution")
    return exports.response(exports.period_distribution_workbook(data), name)
