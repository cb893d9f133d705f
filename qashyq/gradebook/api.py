"""What other apps may use of the gradebook: feed a result into the measure of a course item, and ask whether a
student is admitted to a course's exam (rule 29)."""

from decimal import Decimal
from typing import Any

from qashyq.gradebook.data import AdmissionData, GradeData, ResultSource
from qashyq.gradebook.selectors import results as selectors
from qashyq.gradebook.services import grades as services

__all__ = ["admission_for", "exam_admission", "record_result"]


def record_result(
    *, item_id: int, student_id: int, score: Decimal, source: ResultSource | str, actor: Any = None
) -> GradeData | None:
    """Enter `score` (0–100) for the student on the control measure the course item `item_id` feeds: a test, an
    assignment, a SCORM package, a practice report. None when no measure takes the item's results.

    The system's own entry: no entry window and no reason are asked, but a closed period still refuses it
    (ValidationError), and the change is an audit event like any other."""
    return services.grade_record_result(
        item_id=item_id, student_id=student_id, score=score, source=ResultSource(source), actor=actor
    )


def admission_for(*, course_id: int, student_id: int) -> AdmissionData:
    """Whether the student may sit the course's exam, with every reason when not."""
    return selectors.admission_for(course_id=course_id, student_id=student_id)


def exam_admission(*, item_id: int, student_id: int) -> AdmissionData | None:
    """For the course item of an exam (a test linked to the course's exam measure): the student's admission.
    None when the item is not an exam, so it needs no admission."""
    return selectors.exam_admission(item_id=item_id, student_id=student_id)
