"""The student's own gradebook: every course by academic period with its control measures, ratings, admission
(and what is still missing), exam, final score and letter, and the GPA; and the same as an XLSX file."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.gradebook import exports
from qashyq.gradebook.permissions import access_own_gradebook
from qashyq.gradebook.selectors import student as selectors


@login_required
@require_safe
def own_gradebook(request: AuthedRequest) -> HttpResponse:
    student_id = access_own_gradebook(user=request.user)
    book = selectors.own_gradebook(student_id=student_id)
    return render(request, "gradebook/student/gradebook.html", {"book": book})


@login_required
@require_safe
def own_gradebook_xlsx(request: AuthedRequest) -> HttpResponse:
    student_id = access_own_gradebook(user=request.user)
    book = selectors.own_gradebook(student_id=student_id)
    workbook = exports.own_gradebook_workbook(book, student_name=request.user.full_name)
    return exports.response(workbook, exports.filename(request.user.username))
