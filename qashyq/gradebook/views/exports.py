"""The journal of a course as an XLSX file: the same rows and columns as the page, for the groups the viewer
sees (one group with ?group=)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.gradebook import exports
from qashyq.gradebook.permissions import access_course_gradebook
from qashyq.gradebook.selectors import journal as selectors
from qashyq.gradebook.views.charts import group_param


@login_required
@require_safe
def journal_xlsx(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = group_param(request, access)
    journal = selectors.course_journal(
        course=access.course,
        group_ids=access.group_ids,
        group_id=group_id,
        can_enter=False,
        unbound_by_window=access.is_administration,
    )
    group = next((g for g in journal.groups if g.id == group_id), None) if group_id is not None else None
    name = exports.filename(access.course.code, group.code if group is not None else "")
    return exports.response(exports.journal_workbook(journal), name)
