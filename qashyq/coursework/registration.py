"""What this app tells the apps below it when Django starts."""

from django.urls import reverse

from qashyq.content import api as content_api
from qashyq.content.data import ItemKind


def _assignment_page(item_id: int) -> str:
    return reverse("coursework:assignment-for-item", args=[item_id])


def register() -> None:
    content_api.register_item_link(kind=ItemKind.ASSIGNMENT, url=_assignment_page)
