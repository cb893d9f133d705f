"""Who may open an attempt as its student: only the student who took it ("not yours" and "does not exist"
both give 404). Staff open attempts through permissions/tests.py `access_attempt_staff`."""

from typing import Any

from django.http import Http404

from qashyq.assessment.models import Attempt


def access_own_attempt(*, user: Any, attempt_id: int) -> Attempt:
    """The attempt (with its test) when `user` took it; else 404. One query."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise Http404
    attempt = Attempt.objects.select_related("test").filter(pk=attempt_id, user_id=user.pk).first()
    if attempt is None:
        raise Http404
    return attempt
