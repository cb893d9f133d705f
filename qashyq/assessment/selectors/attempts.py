"""Reads of a student's attempt: the question navigation, one question as shown, the summary, images."""

from typing import Any

from django.db.models import Q

from qashyq.assessment.models import Attempt, AttemptQuestion


def attempt_slots(*, attempt: Attempt) -> list[dict[str, Any]]:
    """Each question of the attempt: position, type, answered, flagged (one query)."""
    return [
        {"position": position, "type": qtype, "answered": answer is not None, "flagged": flagged}
        for position, qtype, answer, flagged in AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "type", "answer", "flagged")
    ]


def attempt_question(*, attempt: Attempt, position: int) -> AttemptQuestion | None:
    """One question of the attempt with the version it shows (one query)."""
    return AttemptQuestion.objects.select_related("version").filter(attempt=attempt, position=position).first()


def attempt_questions(*, attempt: Attempt) -> list[AttemptQuestion]:
    """Every question of the attempt with its version, by position (one query)."""
    return list(AttemptQuestion.objects.select_related("version").filter(attempt=attempt).order_by("position"))


def image_in_attempt_of(user_id: int, image_id: int) -> bool:
    """Whether an attempt of this user shows the image (in a stem or in the question's data: options, pairs,
    cloze text): then they may load `/assessment/images/<id>/` (one query)."""
    src = f"/assessment/images/{int(image_id)}/"
    return (
        AttemptQuestion.objects.filter(attempt__user_id=user_id)
        .filter(Q(version__stem__contains=src) | Q(version__data__icontains=src))
        .exists()
    )


def image_visible_in_attempt(user: Any, image_id: int) -> bool:
    """The hook of permissions/banks.py `register_image_visibility`: a student sees an image their attempt shows."""
    return bool(getattr(user, "is_authenticated", False)) and image_in_attempt_of(user.pk, image_id)
