"""Writes of progress: what a student has done with an item (viewed, completed, a score).

Progress only grows: a completed item stays completed, and the first moments it was viewed and completed are
kept. Viewing an item, marking it done (ITEMS) and a SCORM package's reports (SCORM) all call
`progress_record`. Progress is not an audit event: it is the student's own trail, written many times a day.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.content.data import ProgressStatus
from qashyq.content.models import Enrolment, Item, ItemProgress

RANK = {ProgressStatus.NOT_STARTED.value: 0, ProgressStatus.VIEWED.value: 1, ProgressStatus.COMPLETED.value: 2}
SCORE_MAX = Decimal("99999.99")


@transaction.atomic
def progress_record(*, enrolment: Enrolment, item: Item, status: str, score: Decimal | None = None) -> ItemProgress:
    """Record that the enrolled student reached `status` on `item` (upsert). Never downgrades: the status
    only rises, `viewed_at` and `completed_at` are set once (completing an item also counts as viewing it);
    a given score replaces the kept one, no score keeps it."""
    if status not in RANK:
        raise ValidationError({"status": _("Unknown progress status “%(value)s”.") % {"value": status}})
    if item.course_id != enrolment.course_id:
        raise ValidationError({"item": _("The item belongs to another course than the enrolment.")})
    if not enrolment.active:
        raise ValidationError({"enrolment": _("The enrolment has ended: progress is no longer recorded.")})
    if score is not None:
        score = Decimal(score).quantize(Decimal("0.01"))
        if not -SCORE_MAX <= score <= SCORE_MAX:
            raise ValidationError({"score": _("The score %(score)s is out of range.") % {"score": score}})

    progress = ItemProgress.objects.select_for_update().filter(enrolment=enrolment, item=item).first()
    if progress is None:
        try:
            with transaction.atomic():
                progress = ItemProgress.objects.create(enrolment=enrolment, item=item)
        except IntegrityError:  # recorded at the same moment by another request
            progress = ItemProgress.objects.select_for_update().get(enrolment=enrolment, item=item)

    now = timezone.now()
    changed: list[str] = []
    if RANK[status] > RANK[progress.status]:
        progress.status = status
        changed.append("status")
    if RANK[status] >= RANK[ProgressStatus.VIEWED] and progress.viewed_at is None:
        progress.viewed_at = now
        changed.append("viewed_at")
    if status == ProgressStatus.COMPLETED and progress.completed_at is None:
        progress.completed_at = now
        changed.append("completed_at")
    if score is not None and progress.score != score:
        progress.score = score
        changed.append("score")
    if changed:
        progress.save(update_fields=[*changed, "updated_at"])
    return progress
