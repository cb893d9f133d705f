"""Writes of banks and questions: exact values, versioning, audit, refusals that change nothing."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qashyq.assessment import models
from qashyq.assessment.models import Attempt, AttemptQuestion, Bank, Category, Image, Question, QuestionVersion
from qashyq.assessment.rules import questions as rules
from qashyq.assessment.services import banks as services
from qashyq.assessment.tests.helpers import SAMPLES, exam_world, png_bytes
from qashyq.audit.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


def test_bank_create_and_update(world):
    bank = services.bank_create(
        actor=world.teacher, discipline_id=world.discipline.pk, name="  Final  ", description="d"
    )
    assert (bank.name, bank.description, bank.discipline_id, bank.created_by) == (
        "Final",
        "d",
        world.discipline.pk,
        world.teacher,
    )
    (event,) = events("assessment.bank_create")
    assert event.after == {"name": "Final", "description": "d", "discipline_id": world.discipline.pk}
    services.bank_update(actor=world.teacher, bank=bank, name="Final exam", description="d")
    bank.refresh_from_db()
    assert bank.name == "Final exam"
    (event,) = events("assessment.bank_update")
    assert (event.before, event.after) == ({"name": "Final"}, {"name": "Final exam"})
    services.bank_update(actor=world.teacher, bank=bank, name="Final exam", description="d")  # no change, no event
    assert len(events("assessment.bank_update")) == 1


def test_bank_refusals_change_nothing(world):
    count = Bank.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.bank_create(actor=world.teacher, discipline_id=999999, name=" ")
    assert set(caught.value.message_dict) == {"name", "discipline_id"}
    with pytest.raises(PermissionDenied):
        services.bank_create(actor=world.outsider_teacher, discipline_id=world.discipline.pk, name="Mine")
    with pytest.raises(PermissionDenied):
        services.bank_update(actor=world.tutor, bank=world.bank, name="Renamed")
    assert Bank.objects.count() == count
    world.bank.refresh_from_db()
    assert world.bank.name == "Informatics: midterm 1"


def test_category_for_makes_every_level(world):
    assert services.category_for(world.bank, "  ") is None
    topic = services.category_for(world.bank, " Algebra / Equations /  Linear ")
    assert topic is not None
    assert topic.path == "Algebra/Equations/Linear"
    assert set(Category.objects.filter(bank=world.bank).values_list("path", flat=True)) == {
        "Algorithms",
        "Algebra",
        "Algebra/Equations",
        "Algebra/Equations/Linear",
    }
    assert services.category_for(world.bank, "Algebra/Equations/Linear") == topic


@pytest.mark.parametrize("qtype", list(SAMPLES))
def test_question_create_every_type(world, qtype):
    stem, data = SAMPLES[qtype]
    question = services.question_create(
        actor=world.teacher,
        bank=world.bank,
        qtype=qtype,
        stem=f"<p onclick='x'>{stem}</p>",
        data=copy.deepcopy(data),
        category_path="Topic/Sub",
        difficulty=3,
        points="2.5",
        name="N",
        language="ru",
    )
    version = question.current
    assert version.number == 1
    assert version.stem == f"<p>{stem}</p>"
    assert version.data == data
    assert (question.type, question.difficulty, question.language, question.category.path) == (
        qtype,
        3,
        "ru",
        "Topic/Sub",
    )
    assert version.points == Decimal("2.50")
    assert question.fingerprint == rules.fingerprint(qtype, version.stem, data)
    event = events("assessment.question_create")[-1]
    assert event.after["stem"] == f"<p>{stem}</p>"
    assert event.after["version"] == 1


def test_question_create_refusals(world):
    count = (Question.objects.count(), QuestionVersion.objects.count(), Category.objects.count())
    data = {"options": [{"id": "a", "text": "only", "fraction": 1.0, "feedback": ""}], "partial": "all_or_nothing"}
    with pytest.raises(ValidationError) as caught:
        services.question_create(
            actor=world.teacher,
            bank=world.bank,
            qtype="single",
            stem="",
            data=data,
            difficulty=7,
            points=0,
            category_path="New",
        )
    assert caught.value.message_dict == {
        "data": ["The question has no text.", "A choice question needs at least two answer options; it has 1."],
        "difficulty": ["The difficulty must be 1 (simple), 2 (medium) or 3 (hard)."],
        "points": ["The points must be more than 0 and at most 9999.99."],
    }
    with pytest.raises(ValidationError):
        services.question_create(actor=world.teacher, bank=world.bank, qtype="drawing", stem="x", data={})
    with pytest.raises(PermissionDenied):
        services.question_create(
            actor=world.tutor, bank=world.bank, qtype="true_false", stem="x", data={"answer": True}
        )
    assert (Question.objects.count(), QuestionVersion.objects.count(), Category.objects.count()) == count


def _attempt_shows(world, question):
    test = models.Test.objects.create(item=world.item, course=world.course)
    attempt = Attempt.objects.create(
        test=test, student=world.students[0], user=world.students[0].user, number=1, started_at="2026-01-01T10:00Z"
    )
    AttemptQuestion.objects.create(
        attempt=attempt, position=1, question=question, version=question.current, type=question.type, points=1
    )


def _fields(question, **changes):
    version = question.current
    values = {
        "stem": version.stem,
        "data": copy.deepcopy(version.data),
        "category_path": question.category.path if question.category else "",
        "difficulty": question.difficulty,
        "points": version.points,
        "name": version.name,
        "feedback": version.feedback,
        "language": question.language,
    }
    return values | changes


def test_question_update_in_place_when_unused(world):
    question = world.questions["single"]
    version_id = question.current_id
    services.question_update(actor=world.teacher, question=question, **_fields(question, stem="Астанасы қай қала?"))
    question.refresh_from_db()
    assert question.current_id == version_id
    assert question.current.stem == "Астанасы қай қала?"
    assert question.versions.count() == 1
    (event,) = events("assessment.question_update")
    assert event.before == {"stem": "Қазақстанның астанасы?"}
    assert event.after == {"stem": "Астанасы қай қала?"}
    assert question.fingerprint == rules.fingerprint("single", "Астанасы қай қала?", question.current.data)


def test_question_update_used_version_makes_a_new_one(world):
    question = world.questions["single"]
    old = question.current
    _attempt_shows(world, question)
    data = copy.deepcopy(old.data)
    data["options"][0]["fraction"], data["options"][1]["fraction"] = 0.0, 1.0
    services.question_update(actor=world.didactics, question=question, **_fields(question, data=data, difficulty=2))
    question.refresh_from_db()
    old.refresh_from_db()
    assert old.data == SAMPLES["single"][1]
    assert old.number == 1
    assert question.current.number == 2
    assert question.current.data == data
    assert question.current.created_by == world.didactics
    assert question.difficulty == 2
    (event,) = events("assessment.question_update")
    assert event.before["version"] == 1
    assert event.after["version"] == 2
    assert event.after["difficulty"] == 2
    # saving the same content again changes nothing and records nothing
    services.question_update(actor=world.didactics, question=question, **_fields(question))
    assert question.versions.count() == 2
    assert len(events("assessment.question_update")) == 1


def test_question_update_refusals_change_nothing(world):
    question = world.questions["short"]
    before = (question.current.stem, question.current.data)
    with pytest.raises(ValidationError):
        services.question_update(actor=world.teacher, question=question, **_fields(question, data={"answers": []}))
    with pytest.raises(ValidationError):
        services.question_update(actor=world.teacher, question=question, qtype="single", **_fields(question))
    with pytest.raises(PermissionDenied):
        services.question_update(actor=world.admin, question=question, **_fields(question, stem="x"))
    question.refresh_from_db()
    assert (question.current.stem, question.current.data) == before
    assert not events("assessment.question_update")


def test_question_archive(world):
    question = world.questions["essay"]
    services.question_archive(actor=world.teacher, question=question)
    services.question_archive(actor=world.teacher, question=question)  # already archived: nothing more
    question.refresh_from_db()
    assert question.archived
    services.question_archive(actor=world.teacher, question=question, archived=False)
    question.refresh_from_db()
    assert not question.archived
    assert [e.action for e in Event.objects.filter(action__startswith="assessment.question_").order_by("seq")] == [
        "assessment.question_archive",
        "assessment.question_unarchive",
    ]
    with pytest.raises(PermissionDenied):
        services.question_archive(actor=world.tutor, question=question)


def test_image_store(world):
    image = services.image_store(
        actor=world.teacher, bank=world.bank, upload=SimpleUploadedFile("dot.png", png_bytes(), "image/png")
    )
    assert (image.bank, image.name, image.content_type) == (world.bank, "dot.png", "image/png")
    (event,) = events("assessment.image_store")
    assert event.after["name"] == "dot.png"


def test_image_store_refuses_other_files(world):
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.image_store(actor=world.teacher, bank=world.bank, upload=pdf)
    assert "file" in caught.value.message_dict
    text = SimpleUploadedFile("a.png", b"just text", "image/png")
    with pytest.raises(ValidationError):
        services.image_store(actor=world.teacher, bank=world.bank, upload=text)
    with pytest.raises(PermissionDenied):
        services.image_store(
            actor=world.tutor, bank=world.bank, upload=SimpleUploadedFile("dot.png", png_bytes(), "image/png")
        )
    assert not Image.objects.exists()
    assert not events("assessment.image_store")
