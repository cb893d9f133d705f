"""What other apps may use of coursework: where a student's work on an assignment is, and what waits for a
tutor. Grades are not here: an accepted work's score is in the gradebook (R17)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from qashyq.coursework.data import WITH_TUTOR, BacklogData, SubmissionData, SubmissionStatus
from qashyq.coursework.models import Submission
from qashyq.coursework.selectors import grading_days

__all__ = ["BacklogData", "SubmissionData", "latest_submission", "tutor_backlog"]


def latest_submission(*, item_id: int, student_id: int) -> SubmissionData | None:
    """The student's latest submission of the assignment of a course item (None: nothing submitted, or the
    item has no assignment). One query."""
    submission = (
        Submission.objects.filter(assignment__item_id=item_id, student_id=student_id)
        .select_related("assignment")
        .order_by("-attempt")
        .first()
    )
    if submission is None:
        return None
    return SubmissionData(
        id=submission.pk,
        item_id=submission.assignment.item_id,
        student_id=submission.student_id,
        number=submission.number or "",
        attempt=submission.attempt,
        channel=submission.channel,
        status=submission.status,
        late=submission.late,
        submitted_at=submission.submitted_at,
    )


def tutor_backlog(*, tutor_id: int) -> BacklogData:
    """What waits for a tutor: works handed over and not confirmed, confirmed and not reviewed, and how many of
    them are overdue (QASHYQ_COURSEWORK_GRADING_DAYS after the hand-over). One query."""
    limit = timezone.now() - timedelta(days=grading_days())
    counts = Submission.objects.filter(handover__tutor_id=tutor_id, status__in=WITH_TUTOR).aggregate(
        unconfirmed=Count("pk", filter=Q(status=SubmissionStatus.HANDED_OVER)),
        to_review=Count("pk", filter=Q(status=SubmissionStatus.RECEIVED)),
        overdue=Count("pk", filter=Q(handover__handed_at__lt=limit)),
    )
    return BacklogData(
        tutor_id=tutor_id,
        unconfirmed=counts["unconfirmed"],
        to_review=counts["to_review"],
        overdue=counts["overdue"],
    )
