"""Pages of question banks: list, detail, question, editor of every type, images; rights and query counts."""

import pytest
from django.urls import reverse

from qashyq.assessment.tests.helpers import SAMPLES, exam_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def test_smoke(client, world):
    client.force_login(world.teacher)
    for url in [
        reverse("assessment:bank-list"),
        reverse("assessment:bank-detail", args=[world.bank.pk]),
        reverse("assessment:bank-create"),
        reverse("assessment:bank-edit", args=[world.bank.pk]),
        reverse("assessment:image-upload", args=[world.bank.pk]),
        reverse("assessment:import-upload", args=[world.bank.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    for qtype, question in world.questions.items():
        assert client.get(reverse("assessment:question-detail", args=[question.pk])).status_code == 200
        assert client.get(reverse("assessment:question-edit", args=[question.pk])).status_code == 200, qtype
        assert client.get(reverse("assessment:question-create", args=[world.bank.pk, qtype])).status_code == 200
