"""Who may open and edit question banks, their questions and images: the full access matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.assessment.models import Bank, Image
from qashyq.assessment.permissions import banks as permissions
from qashyq.assessment.tests.helpers import exam_world
from qashyq.content.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

# role → (reads the world's bank, edits it, creates banks)
MATRIX = {
    "student_own": (False, False, False),
    "student_other": (False, False, False),
    "teacher": (True, True, True),
    "tutor": (True, False, False),
    "outsider_teacher": (False, False, True),  # teaches another discipline: may make banks of it
    "admin": (True, False, False),
    "head": (True, False, False),
    "didactics": (True, True, True),
    "it_support": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.fixture
def world():
    world = exam_world()
    world.other_bank = Bank.objects.create(
        discipline=CourseFactory.create().discipline, name="Another discipline", created_by=world.didactics
    )
    world.image = Image.objects.create(bank=world.bank, file_id="1", name="a.png", content_type="image/png")
    return world


def opens(function, **kwargs):
    try:
        function(**kwargs)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("role", list(MATRIX))
def test_bank_matrix(world, role):
    user = world.user(role)
    reads, edits, creates = MATRIX[role]
    assert opens(permissions.access_bank, user=user, bank_id=world.bank.pk) is reads
    question = world.questions["single"]
    assert opens(permissions.access_question, user=user, question_id=question.pk) is reads
    assert opens(permissions.access_image, user=user, image_id=world.image.pk) is reads
    assert permissions.can_edit_bank(user=user, bank=world.bank) is edits
    assert permissions.can_create_bank(user=user) is creates
    assert permissions.can_create_bank(user=user, discipline_id=world.discipline.pk) is (edits and creates)
    visible = permissions.banks_visible_to(user=user)
    listed = set() if visible is None else set(Bank.objects.filter(visible).values_list("pk", flat=True))
    assert (world.bank.pk in listed) is reads


@pytest.mark.parametrize("role", list(MATRIX))
def test_bank_of_another_discipline(world, role):
    """Only the services that see every bank open a bank of a discipline nobody here teaches."""
    user = world.user(role)
    sees_all = role in ("admin", "head", "didactics")
    assert opens(permissions.access_bank, user=user, bank_id=world.other_bank.pk) is sees_all
    assert permissions.can_edit_bank(user=user, bank=world.other_bank) is (role == "didactics")


def test_missing_objects_are_404(world):
    for function, key in (
        (permissions.access_bank, "bank_id"),
        (permissions.access_question, "question_id"),
        (permissions.access_image, "image_id"),
    ):
        with pytest.raises(Http404):
            function(user=world.didactics, **{key: 999999})


def test_teacher_who_lost_the_role_sees_nothing(world):
    world.teacher.groups.clear()
    teacher = type(world.teacher).objects.get(pk=world.teacher.pk)
    assert not opens(permissions.access_bank, user=teacher, bank_id=world.bank.pk)
    assert not permissions.can_edit_bank(user=teacher, bank=world.bank)


def test_image_visibility_hook(world, monkeypatch):
    """The attempts side registers who else may see an image (a student whose attempt shows it)."""
    student = world.students[0].user
    monkeypatch.setattr(permissions, "IMAGE_VISIBILITY_HOOKS", [])
    assert not opens(permissions.access_image, user=student, image_id=world.image.pk)
    permissions.register_image_visibility(lambda user, image_id: user.pk == student.pk and image_id == world.image.pk)
    permissions.register_image_visibility(permissions.IMAGE_VISIBILITY_HOOKS[0])  # registered once only
    assert len(permissions.IMAGE_VISIBILITY_HOOKS) == 1
    assert opens(permissions.access_image, user=student, image_id=world.image.pk)
    assert not opens(permissions.access_image, user=world.students[1].user, image_id=world.image.pk)
    assert not opens(permissions.access_image, user=AnonymousUser(), image_id=world.image.pk)
    assert permissions.image_visible(student, world.image.pk)
