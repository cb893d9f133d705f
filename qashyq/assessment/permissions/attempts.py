"""Who may open an attempt as its student: only the student who took it ("not yours" and "does not exist"
both give 404). Staff open attempts through permissions/tests.py `access_attempt_staff`."""

from typing import Any

from django.http import Http404

from qashyq.assessment.models import Attempt
from qashyq.assessment.selectors.attempts import QuestionPage, question_page


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def access_own_attempt(*, user: Any, attempt_id: int) -> Attempt:
    """The attempt (with its test) when `user` took it; else 404. One query."""
    if not _signed_in(user):
        raise Http404
    attempt = Attempt.objects.select_related("test").filter(pk=attempt_id, user_id=user.pk).first()
    if attempt is None:
        raise Http404
    return attempt


def access_own_question_page(*, user: Any, attempt_id: int, position: int) -> QuestionPage:
    """The question page of the attempt (`selectors.attempts.question_page`: one query) when `user` took it;
    else 404. Its `question` is None when the attempt has no such position."""
    if not _signed_in(user):
        raise Http404
    page = question_page(user_id=user.pk, attempt_id=attempt_id, position=position)
    if page is None:
        raise Http404
    return page
