"""What this app tells the apps below it when Django starts."""

from django.urls import reverse

from qashyq.content import api as content_api
from qashyq.content.data import ItemKind


def _test_page(item_id: int) -> str:
    return reverse("assessment:test-for-item", args=[item_id])


def register() -> None:
    content_api.register_item_link(kind=ItemKind.TEST, url=_test_page)
    # A student may load an image of a question their attempt shows (helper A).
    from qashyq.assessment.permissions.banks import register_image_visibility
    from qashyq.assessment.selectors.attempts import image_visible_in_attempt

    register_image_visibility(image_visible_in_attempt)
