"""Who may open and edit question banks, their questions and images.

- The didactic-means service: every bank, and edits them.
- A teacher: the banks of the disciplines whose courses they teach, and edits them.
- A tutor: the banks of the disciplines whose courses they tutor, read-only.
- The administration service and the head: every bank, read-only.
- Students, the IT support service and anyone else: none (404, as for a missing bank).

An image is readable by whoever may open its bank, and by whoever `image_visible` lets see it: the
attempts side extends that hook (a student whose attempt shows the image).
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.assessment.models import Bank, Image, Question
from qashyq.content import api as content_api

SEE_ALL_BANKS = frozenset({Role.DIDACTICS, Role.ADMINISTRATION, Role.HEAD})
EDIT_ALL_BANKS = frozenset({Role.DIDACTICS})

_DISCIPLINES_CACHE = "_qashyq_bank_disciplines"


def _disciplines(user: Any, *, teachers_only: bool) -> frozenset[int]:
    """The disciplines `user` teaches (or teaches or tutors), read once per request user."""
    cache: dict[bool, frozenset[int]] = user.__dict__.setdefault(_DISCIPLINES_CACHE, {})
    if teachers_only not in cache:
        cache[teachers_only] = content_api.staffed_disciplines(user=user, teachers_only=teachers_only)
    return cache[teachers_only]


def banks_visible_to(*, user: Any) -> Q | None:
    """The banks `user` may open, as a filter on Bank; None when they may open none."""
    if not getattr(user, "is_authenticated", False):
        return None
    roles = acting_roles(user)
    if roles & SEE_ALL_BANKS:
        return Q()
    if roles & {Role.TEACHER, Role.TUTOR}:
        disciplines = _disciplines(user, teachers_only=False)
        return Q(discipline_id__in=sorted(disciplines)) if disciplines else None
    return None


def can_list_banks(*, user: Any) -> bool:
    """The bank list page: whoever may open some bank (or could, once they teach a discipline)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(acting_roles(user) & (SEE_ALL_BANKS | {Role.TEACHER, Role.TUTOR}))


def access_bank(*, user: Any, bank_id: int) -> Bank:
    """The bank (with its discipline) if `user` may open it; else 404."""
    visible = banks_visible_to(user=user)
    if visible is None:
        raise Http404
    try:
        return Bank.objects.select_related("discipline").filter(visible).get(pk=bank_id)
    except Bank.DoesNotExist:
        raise Http404 from None


def editable_disciplines(*, user: Any) -> frozenset[int] | None:
    """The disciplines whose banks `user` may create and edit: None for every discipline."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = acting_roles(user)
    if roles & EDIT_ALL_BANKS:
        return None
    if Role.TEACHER in roles:
        return _disciplines(user, teachers_only=True)
    return frozenset()


def can_create_bank(*, user: Any, discipline_id: int | None = None) -> bool:
    """Create a bank (of `discipline_id` when given): the didactic-means service, a teacher (of it)."""
    allowed = editable_disciplines(user=user)
    if allowed is None:
        return True
    if discipline_id is None:
        return bool(allowed)
    return discipline_id in allowed


def can_edit_bank(*, user: Any, bank: Bank) -> bool:
    """Edit the bank, its questions, imports and images: the didactic-means service, a teacher of its discipline."""
    allowed = editable_disciplines(user=user)
    return allowed is None or bank.discipline_id in allowed


def access_question(*, user: Any, question_id: int) -> Question:
    """The question (with its bank, topic and current version) if `user` may open its bank; else 404."""
    visible = banks_visible_to(user=user)
    if visible is None:
        raise Http404
    bank_filter = Q(bank__in=Bank.objects.filter(visible)) if visible else Q()
    try:
        return (
            Question.objects.select_related("bank", "bank__discipline", "category", "current")
            .filter(bank_filter)
            .get(pk=question_id)
        )
    except Question.DoesNotExist:
        raise Http404 from None


# Other parts of the app register further reasons to see an image (the attempts side: a student whose
# attempt shows it). Each gets (user, image_id) and returns True to allow.
IMAGE_VISIBILITY_HOOKS: list[Callable[[Any, int], bool]] = []


def register_image_visibility(hook: Callable[[Any, int], bool]) -> None:
    """Add a reason to see an image besides reading its bank (called once, when the app starts)."""
    if hook not in IMAGE_VISIBILITY_HOOKS:
        IMAGE_VISIBILITY_HOOKS.append(hook)


def image_visible(user: Any, image_id: int) -> bool:
    """True when a registered hook lets `user` see the image though they may not open its bank."""
    return any(hook(user, image_id) for hook in IMAGE_VISIBILITY_HOOKS)


def access_image(*, user: Any, image_id: int) -> Image:
    """The image if `user` may open its bank or a hook lets them see it (an attempt showing it); else 404."""
    try:
        image = Image.objects.select_related("bank").get(pk=image_id)
    except Image.DoesNotExist:
        raise Http404 from None
    visible = banks_visible_to(user=user)
    if visible is not None and Bank.objects.filter(visible).filter(pk=image.bank_id).exists():
        return image
    if getattr(user, "is_authenticated", False) and image_visible(user, image_id):
        return image
    raise Http404
