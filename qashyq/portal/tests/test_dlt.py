"""The dashboards' DLT parts (issue 5, R56): the "Distance learning" panel of the head and the administration
service (counts by category, by type, applications by state; links to the registry and the applications), the
student's link to their application and their DLT study, and the navigation entries of DLT."""

from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from qashyq.accounts.data import Role
from qashyq.dlt.data import ApplicationStatus, Category, DltType, EnrolmentStatus
from qashyq.dlt.tests.helpers import dlt_world, make_application
from qashyq.dlt.tests.registry_helpers import enrol, make_order
from qashyq.portal.navigation import nav_items_for
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db


def dashboard_url(role):
    return reverse("portal:dashboard", kwargs={"role": str(role)})


def url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@pytest.fixture
def world():
    world = dlt_world()
    order = make_order(by=world.head)
    today = date.today()
    far = date(today.year + 2, 6, 30)

    def student():
        return make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE)

    world.enrolment = enrol(world.student, order=order, category=Category.EXCHANGE, dlt_type=DltType.CASE, ends_on=far)
    enrol(student(), order=order, category=Category.MILITARY, dlt_type=DltType.NETWORK, ends_on=far)
    enrol(student(), order=order, category=Category.MILITARY, dlt_type=DltType.NETWORK, ends_on=far)
    enrol(student(), order=order, status=EnrolmentStatus.CANCELLED, ends_on=far)  # not counted
    make_application(student(), status=ApplicationStatus.SUBMITTED)
    make_application(student(), status=ApplicationStatus.SUBMITTED)
    make_application(student(), status=ApplicationStatus.DRAFT)
    return world


@pytest.fixture
def as_(client, enrol_totp):
    def sign_in(user, *, mfa=False):
        if mfa:
            enrol_totp(user)
        client.force_login(user)
        client.cookies["qashyq_language"] = "en"
        return client

    return sign_in


class TestStaffPanel:
    @pytest.mark.parametrize(("who", "role"), [("head", Role.HEAD), ("admin", Role.ADMINISTRATION)])
    def test_counts_and_links(self, world, as_, who, role):
        response = as_(getattr(world, who), mfa=True).get(dashboard_url(role))
        assert response.status_code == 200
        panel = response.context["dlt"]
        assert panel["total"] == 3
        by_category = {str(label): n for label, n in panel["by_category"]}
        assert by_category == {
            str(Category.SHORTENED.label): 0,
            str(Category.DISABILITY.label): 0,
            str(Category.EXCHANGE.label): 1,
            str(Category.MILITARY.label): 2,
            str(Category.BUSINESS_TRIP.label): 0,
        }
        assert {str(label): n for label, n in panel["by_type"]} == {
            "TV technology": 0,
            "Network technology": 2,
            "Case technology": 1,
        }
        applications = {str(label): n for label, n in panel["applications"]}
        assert str(ApplicationStatus.DRAFT.label) not in applications  # the students' own drafts
        assert applications["Submitted"] == 2
        assert applications["Enrolled"] == 3
        assert applications["Order cancelled"] == 1
        page = response.content.decode()
        assert "Distance learning" in page
        assert "Students studying by DLT now, by category" in page
        assert "Students studying by DLT now, by type" in page
        assert "DLT applications by state" in page
        assert f'href="{reverse("dlt:registry")}"' in page
        queue = url_or_none("dlt:application-list")
        if queue is not None:
            assert f'href="{queue}"' in page

    @pytest.mark.parametrize(("who", "role"), [("teacher", Role.TEACHER), ("tutor", Role.TUTOR)])
    def test_not_on_other_dashboards(self, world, as_, who, role):
        response = as_(getattr(world, who)).get(dashboard_url(role))
        assert "dlt" not in response.context
        assert reverse("dlt:registry") not in response.content.decode()

    def test_it_support_has_no_dlt_panel(self, world, as_):
        response = as_(world.it_support, mfa=True).get(dashboard_url(Role.IT_SUPPORT))
        assert "dlt" not in response.context


class TestStudent:
    def test_studying_by_dlt(self, world, as_):
        response = as_(world.student_user).get(dashboard_url(Role.STUDENT))
        study = response.context["dlt_study"]
        assert study["application_id"] == world.enrolment.application_id
        assert str(study["dlt_type"]) == "Case technology"
        assert (study["starts_on"], study["ends_on"]) == (world.enrolment.starts_on, world.enrolment.ends_on)
        page = response.content.decode()
        assert "Case technology" in page
        for name, label in (
            ("dlt:plan-detail", "My individual study plan"),
            ("dlt:schedule-detail", "My individual schedule"),
        ):
            url = url_or_none(name, world.enrolment.application_id)
            if url is not None:
                assert f'href="{url}"' in page
                assert label in page
        mine = url_or_none("dlt:application-mine")
        if mine is not None:
            assert f'href="{mine}"' in page
            assert "Study by DLT: my application" in page

    def test_not_studying_by_dlt(self, world, as_, make_user):
        user = make_user(Role.STUDENT)
        make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, user=user)
        response = as_(user).get(dashboard_url(Role.STUDENT))
        assert response.context["dlt_study"] is None
        page = response.content.decode()
        assert "Case technology" not in page
        mine = url_or_none("dlt:application-mine")
        if mine is not None:
            assert f'href="{mine}"' in page

    @pytest.mark.parametrize(
        ("status", "ends_on", "shown"),
        [
            (EnrolmentStatus.CANCELLED, date(2099, 6, 30), False),
            (EnrolmentStatus.ORDERED, date(2099, 6, 30), False),
            (EnrolmentStatus.SIGNED, date(2099, 6, 30), True),
            (EnrolmentStatus.ACTIVE, date(2020, 6, 30), False),  # over
        ],
    )
    def test_only_a_signed_study_not_over(self, world, as_, make_user, status, ends_on, shown):
        user = make_user(Role.STUDENT)
        student = make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, user=user)
        enrol(student, order=make_order(by=world.head), status=status, starts_on=date(2019, 9, 1), ends_on=ends_on)
        study = as_(user).get(dashboard_url(Role.STUDENT)).context["dlt_study"]
        assert (study is not None) is shown


# Navigation entries of DLT: each role sees those it may use.
DLT_ENTRIES = {
    "dlt:application-list": {Role.ADMINISTRATION, Role.HEAD},
    "dlt:order-list": {Role.ADMINISTRATION, Role.HEAD},
    "dlt:registry": {Role.ADMINISTRATION, Role.HEAD},
    "dlt:application-mine": {Role.STUDENT},
}


class TestNavigation:
    @pytest.mark.parametrize("role", list(Role))
    def test_dlt_entries(self, role):
        names = {item.url_name for item in nav_items_for(frozenset({role}))}
        for name, roles in DLT_ENTRIES.items():
            assert (name in names) is (role in roles), name
