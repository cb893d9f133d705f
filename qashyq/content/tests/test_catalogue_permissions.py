"""The full access matrix of the catalogue and e-UMK permissions: every role × own / other / missing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.content.data import StaffRole
from qashyq.content.permissions import catalogue as permissions
from qashyq.content.tests.catalogue_helpers import (
    catalogue_defaults,  # noqa: F401 (autouse)
    make_eumk,
    make_resource,
    teaching_world,
)
from qashyq.content.tests.factories import CourseFactory, add_staff

WHO = (
    "student",
    "teacher",
    "tutor",
    "administration",
    "didactics",
    "it_support",
    "head",
    "other_teacher",
    "anonymous",
    "inactive_didactics",
)
MISSING = 999_999


@pytest.fixture
def world(db, make_user):
    world = teaching_world(make_user)
    people = dict(world["people"])
    people["other_teacher"] = world["other_teacher"]
    people["anonymous"] = AnonymousUser()
    people["inactive_didactics"] = make_user("didactics", is_active=False)
    world["who"] = people
    didactics = world["people"]["didactics"]
    world["own"] = make_eumk(world["discipline"], world["year"], created_by=didactics)
    world["foreign"] = make_eumk(world["other"], world["year"], created_by=didactics)
    world["resource"] = make_resource(disciplines=(world["discipline"],))
    return world


def _expected(table: dict[str, bool]) -> list[tuple[str, bool]]:
    return [(who, table.get(who, False)) for who in WHO]


class TestCatalogue:
    @pytest.mark.parametrize(("who", "allowed"), _expected({"didactics": True}))
    def test_can_manage_catalogue(self, world, who, allowed):
        assert permissions.can_manage_catalogue(user=world["who"][who]) is allowed

    READERS = {"didactics": True, "teacher": True, "tutor": True, "administration": True, "head": True}
    READERS |= {"other_teacher": True}

    @pytest.mark.parametrize(("who", "allowed"), _expected(READERS))
    def test_can_see_catalogue(self, world, who, allowed):
        assert permissions.can_see_catalogue(user=world["who"][who]) is allowed

    @pytest.mark.parametrize(("who", "allowed"), _expected(READERS))
    def test_access_resource(self, world, who, allowed):
        user, resource = world["who"][who], world["resource"]
        if allowed:
            assert permissions.access_resource(user=user, resource_id=resource.pk) == resource
        else:
            with pytest.raises(Http404):
                permissions.access_resource(user=user, resource_id=resource.pk)
        with pytest.raises(Http404):
            permissions.access_resource(user=user, resource_id=MISSING)


class TestEumk:
    @pytest.mark.parametrize(("who", "allowed"), _expected({"didactics": True}))
    def test_can_review_and_configure(self, world, who, allowed):
        user = world["who"][who]
        assert permissions.can_review_eumk(user=user) is allowed
        assert permissions.can_configure_eumk(user=user) is allowed

    @pytest.mark.parametrize(("who", "allowed"), _expected({"didactics": True, "administration": True, "head": True}))
    def test_can_see_coverage(self, world, who, allowed):
        assert permissions.can_see_coverage(user=world["who"][who]) is allowed

    @pytest.mark.parametrize(
        ("who", "allowed"),
        _expected(
            {
                "didactics": True,
                "administration": True,
                "head": True,
                "teacher": True,
                "tutor": True,
                "other_teacher": True,
            }
        ),
    )
    def test_can_list_eumks(self, world, who, allowed):
        assert permissions.can_list_eumks(user=world["who"][who]) is allowed

    # (sees own, sees foreign)
    ACCESS = {
        "didactics": (True, True),
        "administration": (True, True),
        "head": (True, True),
        "teacher": (True, False),
        "tutor": (True, False),
        "other_teacher": (False, True),
    }

    @pytest.mark.parametrize("who", WHO)
    def test_access_eumk(self, world, who):
        user = world["who"][who]
        sees_own, sees_foreign = self.ACCESS.get(who, (False, False))
        for eumk, allowed in ((world["own"], sees_own), (world["foreign"], sees_foreign)):
            if allowed:
                assert permissions.access_eumk(user=user, eumk_id=eumk.pk) == eumk
            else:
                with pytest.raises(Http404):
                    permissions.access_eumk(user=user, eumk_id=eumk.pk)
        with pytest.raises(Http404):
            permissions.access_eumk(user=user, eumk_id=MISSING)

    # (may build own discipline's, may build the other discipline's)
    BUILD = {"didactics": (True, True), "teacher": (True, False), "other_teacher": (False, True)}

    @pytest.mark.parametrize("who", WHO)
    def test_can_create_and_edit_eumk(self, world, who):
        user = world["who"][who]
        own, foreign = self.BUILD.get(who, (False, False))
        assert permissions.can_create_eumk(user=user, discipline_id=world["discipline"].pk) is own
        assert permissions.can_create_eumk(user=user, discipline_id=world["other"].pk) is foreign
        assert permissions.can_edit_eumk(user=user, eumk=world["own"]) is own
        assert permissions.can_edit_eumk(user=user, eumk=world["foreign"]) is foreign


class TestStaffing:
    def test_a_teacher_who_only_tutors_the_discipline_does_not_build_its_eumk(self, world, make_user):
        teacher = make_user("teacher")
        add_staff(world["course"], teacher, StaffRole.TUTOR)
        assert not permissions.can_create_eumk(user=teacher, discipline_id=world["discipline"].pk)
        # ... and sees it only if they hold the tutor role too.
        with pytest.raises(Http404):
            permissions.access_eumk(user=teacher, eumk_id=world["own"].pk)
        both = make_user("teacher", "tutor")
        add_staff(world["course"], both, StaffRole.TUTOR)
        assert permissions.access_eumk(user=both, eumk_id=world["own"].pk) == world["own"]
        assert not permissions.can_create_eumk(user=both, discipline_id=world["discipline"].pk)

    def test_course_staff_without_the_role_gets_nothing(self, world, make_user):
        person = make_user("student")
        add_staff(world["course"], person, StaffRole.TEACHER)
        assert not permissions.can_create_eumk(user=person, discipline_id=world["discipline"].pk)
        with pytest.raises(Http404):
            permissions.access_eumk(user=person, eumk_id=world["own"].pk)

    def test_any_course_of_the_discipline_counts_whatever_its_year(self, world, make_user):
        from qashyq.content.tests.catalogue_helpers import period_of

        teacher = make_user("teacher")
        add_staff(CourseFactory(discipline=world["discipline"], period=period_of(world["last_year"])), teacher)
        assert permissions.can_create_eumk(user=teacher, discipline_id=world["discipline"].pk)
        assert permissions.staffed_discipline_ids(user=teacher) == frozenset({world["discipline"].pk})

    def test_frozen_unless_incomplete(self, world):
        eumk = world["own"]
        assert not permissions.eumk_frozen(eumk)
        for status in ("under_review", "approved"):
            eumk.status = status
            assert permissions.eumk_frozen(eumk)
