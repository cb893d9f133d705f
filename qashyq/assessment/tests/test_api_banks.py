"""REST API of banks and questions: staff who may open the bank, read only, in the OpenAPI schema."""

import pytest
from django.urls import reverse

from qashyq.assessment.models import Bank
from qashyq.assessment.tests.helpers import SAMPLES, exam_world, make_question
from qashyq.content.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api-assessment-bank-list")


@pytest.fixture
def world():
    world = exam_world()
    world.other_bank = Bank.objects.create(
        discipline=CourseFactory.create().discipline, name="Other", created_by=world.didactics
    )
    return world


def test_anonymous_gets_nothing(client, world):
    for url in (
        LIST,
        reverse("api-assessment-bank-detail", args=[world.bank.pk]),
        reverse("api-assessment-question-list", args=[world.bank.pk]),
        reverse("api-assessment-question-detail", args=[world.questions["single"].pk]),
    ):
        assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize(
    ("role", "banks"),
    [
        ("student", set()),
        ("teacher", {"mine"}),
        ("tutor", {"mine"}),
        ("outsider_teacher", set()),
        ("admin", {"mine", "other"}),
        ("head", {"mine", "other"}),
        ("didactics", {"mine", "other"}),
        ("it_support", set()),
    ],
)
def test_matrix(sign_in, world, role, banks):
    client = sign_in(world, role)
    names = {world.bank.pk: "mine", world.other_bank.pk: "other"}
    listed = client.get(LIST).json()["results"]
    assert {names[b["id"]] for b in listed} == banks
    reads = "mine" in banks
    detail = client.get(reverse("api-assessment-bank-detail", args=[world.bank.pk]))
    assert detail.status_code == (200 if reads else 404)
    questions = client.get(reverse("api-assessment-question-list", args=[world.bank.pk]))
    assert questions.status_code == (200 if reads else 404)
    one = client.get(reverse("api-assessment-question-detail", args=[world.questions["single"].pk]))
    assert one.status_code == (200 if reads else 404)
    # read only
    assert client.post(LIST, {}).status_code in (403, 405)
    assert client.delete(
        reverse("api-assessment-question-detail", args=[world.questions["single"].pk])
    ).status_code in (
        403,
        404,
        405,
    )


def test_shapes_and_filters(sign_in, world):
    make_question(world.bank, "essay", difficulty=3)
    client = sign_in(world, "teacher")
    bank = client.get(reverse("api-assessment-bank-detail", args=[world.bank.pk])).json()
    assert (bank["questions"], bank["simple"], bank["medium"], bank["hard"]) == (len(SAMPLES) + 1, len(SAMPLES), 0, 1)
    assert bank["discipline"]["id"] == world.discipline.pk
    url = reverse("api-assessment-question-list", args=[world.bank.pk])
    every = client.get(url).json()["results"]
    assert len(every) == len(SAMPLES) + 1
    single = next(q for q in every if q["type"] == "single")
    assert single["data"] == SAMPLES["single"][1]
    assert single["version"] == 1
    assert single["topic"] == "Algorithms"
    assert single["points"] == "1.00"
    assert len(client.get(url, {"type": "essay"}).json()["results"]) == 2
    assert len(client.get(url, {"difficulty": 3}).json()["results"]) == 1
    assert client.get(url, {"difficulty": 9}).status_code == 400
    one = client.get(reverse("api-assessment-question-detail", args=[world.questions["cloze"].pk])).json()
    assert one["data"] == SAMPLES["cloze"][1]


def test_in_the_schema(sign_in, world):
    client = sign_in(world, "teacher")
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/assessment/banks/",
        "/api/v1/assessment/banks/{bank_id}/",
        "/api/v1/assessment/banks/{bank_id}/questions/",
        "/api/v1/assessment/questions/{question_id}/",
    ):
        assert f'"{path}"' in text, path
