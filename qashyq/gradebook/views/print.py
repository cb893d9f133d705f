"""The printed documents of the gradebook: a course's grade sheets (its staff, the administration service, the
head), a student's transcript (the student, the administration service, the head), and the transcripts of many
students in one ZIP (the administration service starts the job, the page polls its progress, then downloads).

Each PDF is a new issued document: the view sends the browser to its private download (documents app)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors
from qashyq.gradebook import printing
from qashyq.gradebook.forms.printing import GradeSheetForm, TranscriptJobForm, TranscriptLanguageForm
from qashyq.gradebook.models import JobStatus, TranscriptJob, TranscriptScope
from qashyq.gradebook.permissions import CourseGradebook, access_course_gradebook, access_own_gradebook
from qashyq.gradebook.selectors.transcripts import transcript_jobs
from qashyq.gradebook.services import transcripts as transcript_services
from qashyq.records import api as records_api

SHEETS = "gradebook/print/sheets.html"
JOBS = "gradebook/print/transcript_jobs.html"
# How often the page asks for a running job's progress (htmx polling).
POLL_SECONDS = 2


def _active_language(allowed: tuple[str, ...]) -> str:
    """The interface language when the document is printed in it, else Kazakh."""
    language = (translation.get_language() or "kk")[:2]
    return language if language in allowed else "kk"


def _refused(request: AuthedRequest, error: ValidationError, *, back: str, status: int = 400) -> HttpResponse:
    context = {"status": status, "title": _("Not possible"), "message": " ".join(error.messages), "back_url": back}
    return render(request, "error.html", context, status=status)


# --- Grade sheets -------------------------------------------------------------------------------------------


def _groups(access: CourseGradebook) -> list[tuple[int, str]]:
    """The course's groups the viewer sees, by code (one query)."""
    visible = {g for g in access.course.group_ids if access.sees_group(g)}
    return sorted(((g.id, g.code) for g in academics_api.group_list() if g.id in visible), key=lambda g: g[1])


def _sheet_form(access: CourseGradebook, data: Any = None) -> GradeSheetForm:
    return GradeSheetForm(data, groups=_groups(access), every_group=access.group_ids is None)


@login_required
@require_safe
def grade_sheets(request: AuthedRequest, course_id: int) -> HttpResponse:
    """The page that chooses a grade sheet to print: session, group and language."""
    access = access_course_gradebook(user=request.user, course_id=course_id)
    form = _sheet_form(access, None)
    form.initial = {"language": _active_language(printing.GRADE_SHEET_LANGUAGES)}
    return render(request, SHEETS, {"access": access, "course": access.course, "form": form})


@login_required
@require_GET  # each request issues a document: not on HEAD
def grade_sheet_pdf(request: AuthedRequest, course_id: int) -> HttpResponse:
    """Issue the grade sheet (?session=rk1|rk2|exam&group=<id>&language=kk|ru) and send it; 400 with the form
    for a bad choice; 404 for a course or group the viewer does not see."""
    access = access_course_gradebook(user=request.user, course_id=course_id)
    data = request.GET.copy()
    data.setdefault("language", _active_language(printing.GRADE_SHEET_LANGUAGES))
    groups = _groups(access)
    raw_group = str(data.get("group", "") or "")
    if raw_group and (not raw_group.isdigit() or int(raw_group) not in {g for g, _code in groups}):
        raise Http404
    form = GradeSheetForm(data, groups=groups, every_group=access.group_ids is None)
    if not form.is_valid():
        return render(request, SHEETS, {"access": access, "course": access.course, "form": form}, status=400)
    try:
        document = printing.grade_sheet_issue(
            access=access,
            group_id=form.cleaned_data["group"],
            session=form.cleaned_data["session"],
            language=form.cleaned_data["language"],
            actor=request.user,
        )
    except ValidationError as error:
        return _refused(request, error, back=reverse("gradebook:grade-sheets", args=[course_id]))
    return redirect(document.url)


# --- Transcripts --------------------------------------------------------------------------------------------


def _transcript(request: AuthedRequest, student_id: int) -> HttpResponse:
    form = TranscriptLanguageForm(
        request.GET if "language" in request.GET else {"language": _active_language(printing.TRANSCRIPT_LANGUAGES)}
    )
    if not form.is_valid():
        error = ValidationError(_("Transcripts are issued in Kazakh, Russian or English."))
        return _refused(request, error, back="/")
    document = printing.transcript_issue(
        student_id=student_id, language=form.cleaned_data["language"], actor=request.user
    )
    return redirect(document.url)


@login_required
@require_GET  # each request issues a document: not on HEAD
def transcript_own_pdf(request: AuthedRequest) -> HttpResponse:
    """The signed-in student's own transcript (?language=kk|ru|en, by default the interface language)."""
    return _transcript(request, access_own_gradebook(user=request.user))


@login_required
@require_GET  # each request issues a document: not on HEAD
def transcript_pdf(request: AuthedRequest, student_id: int) -> HttpResponse:
    """A student's transcript for the administration service and the head (and the student themself)."""
    student = printing.access_transcript(user=request.user, student_id=student_id)
    return _transcript(request, student.id)


# --- Transcripts in bulk ------------------------------------------------------------------------------------


def _tick_list(list_group: int | None) -> list[tuple[int, str]]:
    """The students of the group whose transcripts may be ticked one by one (one query)."""
    if list_group is None:
        return []
    students = records_api.students_in_groups(group_ids=[list_group], statuses=transcript_services.STATUSES)
    return [(s.id, s.full_name) for s in students]


def _job_form(data: Any = None, *, students: list[tuple[int, str]]) -> TranscriptJobForm:
    groups = sorted(((g.id, g.code) for g in academics_api.group_list()), key=lambda g: g[1])
    programmes = sorted(((p.id, f"{p.code} {p.name_kk}") for p in academics_api.programme_list()), key=lambda p: p[1])
    return TranscriptJobForm(data, groups=groups, programmes=programmes, students=students)


def _list_group(raw: Any) -> int | None:
    return int(raw) if str(raw or "").isdigit() else None


def _jobs_context(form: TranscriptJobForm, list_group: int | None) -> dict[str, Any]:
    return {
        "form": form,
        "jobs": transcript_jobs(),
        "list_group": list_group,
        "poll_seconds": POLL_SECONDS,
        "running": (JobStatus.QUEUED, JobStatus.RUNNING),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transcript_jobs_page(request: AuthedRequest) -> HttpResponse:
    """The administration service's page: start a job (a group, a programme, or students ticked in a group: ?list=
    <group id> lists them) and follow the latest jobs."""
    if not printing.can_run_transcript_jobs(user=request.user):
        raise Http404
    list_group = _list_group(request.POST.get("list_group") if request.method == "POST" else request.GET.get("list"))
    students = _tick_list(list_group)
    if request.method != "POST":
        form = _job_form(students=students)
        form.initial = {
            "scope": TranscriptScope.LIST if list_group is not None else TranscriptScope.GROUP,
            "language": _active_language(printing.TRANSCRIPT_LANGUAGES),
            "students": [student_id for student_id, _name in students],
        }
        return render(request, JOBS, _jobs_context(form, list_group))
    form = _job_form(request.POST, students=students)
    if form.is_valid():
        try:
            transcript_services.transcript_job_start(
                actor=request.user,
                scope=form.cleaned_data["scope"],
                scope_id=form.scope_id(),
                student_ids=form.cleaned_data["students"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The transcripts are being issued: the progress is shown below."))
            return redirect("gradebook:transcript-jobs")
    return render(request, JOBS, _jobs_context(form, list_group), status=400)


@login_required
@require_safe
def transcript_job_progress(request: AuthedRequest, job_id: int) -> HttpResponse:
    """One job's row, asked for every few seconds while it runs (it stops asking once the job has finished)."""
    job = printing.access_transcript_job(user=request.user, job_id=job_id)
    context = {"job": job, "poll_seconds": POLL_SECONDS, "running": (JobStatus.QUEUED, JobStatus.RUNNING)}
    return render(request, f"{JOBS}#job", context)


@login_required
@require_safe
@cache_control(private=True, no_store=True)
def transcript_job_download(request: AuthedRequest, job_id: int) -> FileResponse:
    """The job's ZIP once it is done; 404 before."""
    job: TranscriptJob = printing.access_transcript_job(user=request.user, job_id=job_id)
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"transcripts-{job.pk}-{job.language}.zip",
        content_type="application/zip",
    )
