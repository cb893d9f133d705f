"""Pages of a test for the course's staff: the test of an item, its summary, settings, blueprint,
accommodations, results and item analysis (with its XLSX). The course's student opening the test gets the
student's page (views/attempts.py)."""

from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.assessment.data import AttemptStatus, Difficulty
from qashyq.assessment.forms.tests import AccommodationForm, BlueprintRuleForm, ReasonForm, TestSettingsForm
from qashyq.assessment.models import Accommodation, Attempt, Bank, Category, Question, Test
from qashyq.assessment.permissions import tests as permissions
from qashyq.assessment.permissions.banks import banks_visible_to
from qashyq.assessment.selectors import tests as selectors
from qashyq.assessment.services import tests as services
from qashyq.assessment.views.attempts import student_test_page
from qashyq.content import api as content_api
from qashyq.content.data import ItemAccessData
from qashyq.core.forms import add_service_errors


def _detail_url(test: Test) -> str:
    return reverse("assessment:test-detail", args=[test.pk])


def _manageable(request: AuthedRequest, test_id: int) -> tuple[Test, ItemAccessData]:
    test, access = permissions.access_test(user=request.user, test_id=test_id)
    if not permissions.can_manage_test(access):
        raise Http404
    return test, access


def _results_open(request: AuthedRequest, test_id: int) -> tuple[Test, ItemAccessData]:
    test, access = permissions.access_test(user=request.user, test_id=test_id)
    if not permissions.can_see_results(access):
        raise Http404
    return test, access


def _base(test: Test, access: ItemAccessData, here: str) -> dict[str, Any]:
    return {
        "test": test,
        "access": access,
        "title": access.name,
        "here": here,
        "can_manage": permissions.can_manage_test(access),
        "can_see_results": permissions.can_see_results(access),
    }


# --- The test of an item -------------------------------------------------------------------


@login_required
@require_safe
def test_for_item(request: AuthedRequest, item_id: int) -> HttpResponse:
    """From the course item to its test: made the first time the course's staff open it."""
    access = permissions.access_test_for_item(user=request.user, item_id=item_id)
    test = Test.objects.filter(item_id=item_id).first()
    if test is None and access.is_staff:
        try:
            test = services.test_for_item(item_id=item_id, actor=request.user)
        except (PermissionDenied, ValidationError):
            raise Http404 from None
    if test is None:
        return render(request, "assessment/tests/not_ready.html", {"access": access, "title": access.name})
    return redirect(_detail_url(test))


@login_required
@require_safe
def test_detail(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = permissions.access_test(user=request.user, test_id=test_id)
    if access.student_id is not None and not access.sees_drafts:
        return student_test_page(request, test, access)
    if not access.sees_drafts:
        raise Http404
    pools = services.blueprint_pools(test)
    counts = Attempt.objects.filter(test=test).aggregate(
        total=Count("pk"),
        in_progress=Count("pk", filter=Q(status=AttemptStatus.IN_PROGRESS)),
        awaiting=Count("pk", filter=Q(status=AttemptStatus.NEEDS_GRADING)),
    )
    context = _base(test, access, "detail") | {
        "pools": [(rule, len(ids)) for rule, ids in pools],
        "problems": services.blueprint_problems(test, pools),
        "questions": sum(rule.count for rule, _ids in pools),
        "accommodations": Accommodation.objects.filter(test=test).count(),
        "counts": counts,
    }
    return render(request, "assessment/tests/detail.html", context)


# --- Settings -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def test_settings(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = _manageable(request, test_id)
    status = 200
    if request.method == "POST":
        form = TestSettingsForm.for_test(test, request.POST)
        if form.is_valid():
            try:
                services.test_update(test=test, actor=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The settings of the test are saved."))
                return redirect(_detail_url(test))
        status = 400
    else:
        form = TestSettingsForm.for_test(test)
    context = _base(test, access, "settings") | {"form": form}
    return render(request, "assessment/tests/settings.html", context, status=status)


# --- Blueprint -------------------------------------------------------------------


def _banks(request: AuthedRequest, test: Test) -> tuple[list[Bank], list[Category]]:
    """The banks of the course's discipline the user may open, and their topics."""
    visible = banks_visible_to(user=request.user)
    if visible is None:
        return [], []
    banks = list(Bank.objects.filter(visible, discipline_id=test.course.discipline_id).order_by("name", "pk"))
    categories = list(Category.objects.filter(bank__in=banks).order_by("bank_id", "path"))
    return banks, categories


def _pool_table(banks: list[Bank], categories: list[Category]) -> list[dict[str, Any]]:
    """Active questions of each bank by topic and difficulty: what a rule can draw from."""
    counts: dict[tuple[int, int | None], dict[int, int]] = {}
    rows = (
        Question.objects.filter(bank__in=banks, archived=False, current__isnull=False)
        .values("bank_id", "category_id", "difficulty")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault((row["bank_id"], row["category_id"]), {})[row["difficulty"]] = row["n"]
    names = {b.pk: b.name for b in banks}
    paths = {c.pk: c.path for c in categories}
    table = []
    for (bank_id, category_id), by_difficulty in sorted(
        counts.items(), key=lambda kv: (names.get(kv[0][0], ""), paths.get(kv[0][1] or 0, ""))
    ):
        table.append(
            {
                "bank": names.get(bank_id, ""),
                "topic": paths.get(category_id or 0, ""),
                "counts": [by_difficulty.get(d, 0) for d in Difficulty.values],
                "total": sum(by_difficulty.values()),
            }
        )
    return table


@login_required
@require_http_methods(["GET", "POST"])
def test_blueprint(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = _manageable(request, test_id)
    banks, categories = _banks(request, test)
    status = 200
    form = BlueprintRuleForm(banks=banks, categories=categories)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                rule_id = int(request.POST.get("rule", ""))
                services.blueprint_rule_remove(test=test, actor=request.user, rule_id=rule_id)
            except (ValueError, ValidationError):
                messages.error(request, _("This rule is not in the test's blueprint."))
                status = 400
            else:
                messages.success(request, _("The rule is removed from the blueprint."))
                return redirect(reverse("assessment:test-blueprint", args=[test.pk]))
        else:
            form = BlueprintRuleForm(request.POST, banks=banks, categories=categories)
            if form.is_valid():
                try:
                    services.blueprint_rule_add(test=test, actor=request.user, **form.service_arguments())
                except ValidationError as error:
                    add_service_errors(form, error, renamed={"bank_id": "bank", "category_ids": "categories"})
                else:
                    messages.success(request, _("The rule is added to the blueprint."))
                    return redirect(reverse("assessment:test-blueprint", args=[test.pk]))
            status = 400
    pools = services.blueprint_pools(test)
    context = _base(test, access, "blueprint") | {
        "form": form,
        "pools": [(rule, len(ids)) for rule, ids in pools],
        "problems": services.blueprint_problems(test, pools),
        "questions": sum(rule.count for rule, _ids in pools),
        "pool_table": _pool_table(banks, categories),
        "difficulties": Difficulty.labels,
        "banks": banks,
    }
    return render(request, "assessment/tests/blueprint.html", context, status=status)


# --- Accommodations -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def test_accommodations(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = _manageable(request, test_id)
    students = content_api.course_enrolments(course_id=test.course_id)
    names = {s.student_id: s.full_name for s in students}
    status = 200
    form = AccommodationForm(students=students)
    remove_error = ""
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            reason_form = ReasonForm(request.POST)
            try:
                student_id = int(request.POST.get("student", ""))
            except ValueError:
                raise Http404 from None
            try:
                if not reason_form.is_valid():
                    raise ValidationError({"reason": _("Give the reason for removing the arrangement.")})
                services.accommodation_remove(
                    test=test, actor=request.user, student_id=student_id, reason=reason_form.cleaned_data["reason"]
                )
            except ValidationError as error:
                remove_error = " ".join(error.messages)
                status = 400
            else:
                messages.success(
                    request,
                    _("The arrangements of %(name)s are removed.") % {"name": names.get(student_id, student_id)},
                )
                return redirect(reverse("assessment:test-accommodations", args=[test.pk]))
        else:
            form = AccommodationForm(request.POST, students=students)
            if form.is_valid():
                try:
                    services.accommodation_set(test=test, actor=request.user, **form.service_arguments())
                except ValidationError as error:
                    add_service_errors(form, error, renamed={"student_id": "student"})
                else:
                    messages.success(
                        request,
                        _("The arrangements of %(name)s are saved.")
                        % {"name": names.get(form.cleaned_data["student"], "")},
                    )
                    return redirect(reverse("assessment:test-accommodations", args=[test.pk]))
            status = 400
    rows = [
        (row, names.get(row.student_id, "—"))
        for row in Accommodation.objects.filter(test=test).select_related("granted_by").order_by("pk")
    ]
    context = _base(test, access, "accommodations") | {
        "form": form,
        "rows": rows,
        "remove_error": remove_error,
    }
    return render(request, "assessment/tests/accommodations.html", context, status=status)


# --- Results -------------------------------------------------------------------


def _group_choice(request: HttpRequest, course_group_ids: tuple[int, ...]) -> int | None:
    try:
        group_id = int(request.GET.get("group", ""))
    except ValueError:
        return None
    return group_id if group_id in course_group_ids else None


@login_required
@require_safe
def test_results(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = _results_open(request, test_id)
    course = content_api.course_get(course_id=test.course_id)
    course_group_ids = course.group_ids if course is not None else ()
    group_id = _group_choice(request, course_group_ids)
    rows = selectors.results_table(test=test, access=access, group_id=group_id)
    visible = selectors.visible_group_ids(access)
    groups = [
        (gid, code)
        for gid, code in selectors.group_codes(course_group_ids).items()
        if visible is None or gid in visible
    ]
    if request.GET.get("format") == "xlsx":
        return _results_xlsx(test, rows)
    context = _base(test, access, "results") | {
        "rows": rows,
        "groups": groups,
        "group_id": group_id,
        "can_regrade": permissions.can_manage_test(access),
    }
    return render(request, "assessment/tests/results.html", context)


def _xlsx_response(book: Any, filename: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _results_xlsx(test: Test, rows: list[selectors.StudentRow]) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    sheet.append([_("Student"), _("Group"), _("Grade, %"), _("Awaiting grading"), _("Attempts"), _("Scores, %")])
    for row in rows:
        scores = "; ".join(
            f"{item.attempt.number}: {item.attempt.percent}"
            for item in row.attempts
            if item.attempt.percent is not None and item.attempt.status != AttemptStatus.IN_PROGRESS
        )
        sheet.append(
            [
                row.full_name,
                row.group_code,
                float(row.grade) if row.grade is not None else None,
                _("yes") if row.pending else "",
                len(row.attempts),
                scores,
            ]
        )
    return _xlsx_response(book, f"test-{test.pk}-results.xlsx")


# --- Item analysis -------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM = 560, 220, 40, 30


def _chart(histogram: list[int]) -> dict[str, Any]:
    """The bars of the score distribution as SVG coordinates (the template draws them)."""
    top = max(histogram, default=0) or 1
    plot_height = CHART_HEIGHT - CHART_BOTTOM - 10
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(histogram), 1)
    bars = []
    for index, count in enumerate(histogram):
        height = round(plot_height * count / top, 1)
        bars.append(
            {
                "x": round(CHART_LEFT + index * slot + 4, 1),
                "y": round(CHART_HEIGHT - CHART_BOTTOM - height, 1),
                "width": round(slot - 8, 1),
                "height": height,
                "count": count,
                "label": f"{index * 10}–{index * 10 + 10}",
                "label_x": round(CHART_LEFT + index * slot + slot / 2, 1),
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "axis_y": CHART_HEIGHT - CHART_BOTTOM,
        "left": CHART_LEFT,
        "top": top,
        "label_y": CHART_HEIGHT - 10,
    }


@login_required
@require_safe
def test_analysis(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = _results_open(request, test_id)
    data = selectors.analysis_input(test=test, access=access)
    context = _base(test, access, "analysis") | {
        "data": data,
        "chart": _chart(data.stats.histogram),
        "bins": [(f"{i * 10}–{i * 10 + 10}", count) for i, count in enumerate(data.stats.histogram)],
    }
    return render(request, "assessment/tests/analysis.html", context)


def _number(value: float | Decimal | None, digits: int = 2) -> float | str:
    return "—" if value is None else round(float(value), digits)


@login_required
@require_safe
def test_analysis_xlsx(request: AuthedRequest, test_id: int) -> HttpResponse:
    from openpyxl import Workbook

    test, access = _results_open(request, test_id)
    data = selectors.analysis_input(test=test, access=access)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Questions")[:31]
    sheet.append(
        [
            _("No."),
            _("Question"),
            _("Type"),
            _("Attempts"),
            _("Facility"),
            _("Discrimination"),
            _("Point-biserial"),
            _("Options chosen"),
        ]
    )
    for number, question in enumerate(data.questions, start=1):
        options = "; ".join(f"{text}: {count}" for _oid, text, _right, count in question.options)
        sheet.append(
            [
                number,
                question.label,
                question.qtype,
                question.stats.n,
                _number(question.stats.facility),
                _number(question.stats.discrimination),
                _number(question.stats.point_biserial),
                options,
            ]
        )
    summary = book.create_sheet(_("Test")[:31])
    summary.append([_("Attempts analysed"), data.attempts])
    summary.append([_("Mean score, %"), _number(data.stats.mean_percent)])
    summary.append(["KR-20", _number(data.stats.kr20)])
    summary.append([_("Cronbach's alpha"), _number(data.stats.alpha)])
    summary.append([])
    summary.append([_("Score, %"), _("Attempts")])
    for index, count in enumerate(data.stats.histogram):
        summary.append([f"{index * 10}–{index * 10 + 10}", count])
    return _xlsx_response(book, f"test-{test.pk}-analysis.xlsx")
