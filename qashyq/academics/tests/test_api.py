import pytest

from qashyq.academics import api
from qashyq.academics.data import GroupData, ProgrammeData
from qashyq.academics.tests.factories import (
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
    StudyGroupFactory,
    TeachingAssignmentFactory,
)
from qashyq.accounts.data import Role


@pytest.mark.django_db
def test_programme_get():
    programme = ProgrammeFactory(
        code="6B06101",
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        name_en="Information systems",
        shortened=True,
        shortened_basis="tvet",
        periods=6,
    )
    assert api.programme_get(programme_id=programme.pk) == ProgrammeData(
        id=programme.pk,
        code="6B06101",
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        name_en="Information systems",
        level="bachelor",
        periods=6,
        shortened=True,
        shortened_basis="tvet",
        forms_offered=("full_time", "part_time"),
        languages=("kk", "ru"),
    )
    assert api.programme_get(programme_id=programme.pk + 1) is None


@pytest.mark.django_db
def test_group_get(django_assert_num_queries):
    group = StudyGroupFactory(code="ИС-25-1", programme__code="6B06101", capacity=25, closed=True)
    with django_assert_num_queries(1):
        data = api.group_get(group_id=group.pk)
    assert data == GroupData(
        id=group.pk,
        code="ИС-25-1",
        programme_id=group.programme_id,
        programme_code="6B06101",
        admission_year=2025,
        language="kk",
        form_of_study="full_time",
        capacity=25,
        closed=True,
    )
    assert api.group_get(group_id=group.pk + 1) is None


@pytest.mark.django_db
def test_lists_and_lookups_by_code(django_assert_num_queries):
    b = ProgrammeFactory(code="6B06102")
    a = ProgrammeFactory(code="6B06101")
    g2 = StudyGroupFactory(code="ИС-2", programme=a)
    g1 = StudyGroupFactory(code="ИС-1", programme=b)
    with django_assert_num_queries(1):
        assert [p.code for p in api.programme_list()] == ["6B06101", "6B06102"]
    with django_assert_num_queries(1):
        assert [(g.code, g.programme_code) for g in api.group_list()] == [("ИС-1", "6B06102"), ("ИС-2", "6B06101")]
    assert set(api.programmes_by_code(codes={"6B06101", "NOPE", ""})) == {"6B06101"}
    assert api.groups_by_code(codes=["ИС-1", "ИС-2", "x"]) == {
        "ИС-1": api.group_get(group_id=g1.pk),
        "ИС-2": api.group_get(group_id=g2.pk),
    }
    with django_assert_num_queries(0):
        assert api.groups_by_code(codes=[]) == {}


@pytest.mark.django_db
def test_groups_taught_by(make_user, django_assert_num_queries):
    teacher, tutor, other = make_user(Role.TEACHER), make_user(Role.TUTOR), make_user(Role.TEACHER)
    maths = DisciplineFactory()
    informatics = DisciplineFactory()
    with_maths = CurriculumEntryFactory(discipline=maths).programme
    with_informatics = CurriculumEntryFactory(discipline=informatics).programme
    g_maths_1 = StudyGroupFactory(programme=with_maths)
    g_maths_2 = StudyGroupFactory(programme=with_maths)
    g_informatics = StudyGroupFactory(programme=with_informatics)
    StudyGroupFactory()  # a group of a programme neither teaches

    # the teacher teaches maths in one group; the tutor helps with maths in every group that studies it,
    # and with informatics in its one group
    TeachingAssignmentFactory(user=teacher, discipline=maths, group=g_maths_1, role="teacher")
    TeachingAssignmentFactory(user=tutor, discipline=maths, group=None, role="tutor")
    TeachingAssignmentFactory(user=tutor, discipline=informatics, group=g_informatics, role="tutor")

    with django_assert_num_queries(1):
        assert api.groups_taught_by(user_id=teacher.pk) == {g_maths_1.pk}
    assert api.groups_taught_by(user_id=tutor.pk) == {g_maths_1.pk, g_maths_2.pk, g_informatics.pk}
    assert api.groups_taught_by(user_id=other.pk) == frozenset()
