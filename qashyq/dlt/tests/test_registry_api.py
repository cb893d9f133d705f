"""dlt.api: the registry's counts for the dashboards (R56) and a student's current or latest DLT enrolment."""

from datetime import date

import pytest

from qashyq.dlt import api
from qashyq.dlt.data import ApplicationStatus, Category, DltType, EnrolmentStatus
from qashyq.dlt.tests.helpers import TODAY, dlt_world, make_application
from qashyq.dlt.tests.registry_helpers import enrol, make_order
from qashyq.records.data import OrderStatus, StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return dlt_world()


def new_student(world):
    return make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE)


class TestRegistryCounts:
    def test_nothing_yet(self, world, django_assert_num_queries):
        with django_assert_num_queries(2):
            counts = api.registry_counts(today=TODAY)
        assert counts.total == 0
        assert counts.by_category == dict.fromkeys(Category.values, 0)
        assert counts.by_type == dict.fromkeys(DltType.values, 0)
        assert counts.by_programme == {}
        assert counts.applications_by_status == dict.fromkeys(ApplicationStatus.values, 0)

    def test_counts_only_those_studying_now(self, world, make_user, django_assert_num_queries):
        from qashyq.academics.tests.factories import ProgrammeFactory

        order = make_order(by=world.head)
        other = ProgrammeFactory(code="6B04101")
        enrol(new_student(world), order=order, category=Category.MILITARY, dlt_type=DltType.NETWORK)
        enrol(new_student(world), order=order, category=Category.MILITARY, dlt_type=DltType.TV)
        enrol(
            make_student(other, status=StudentStatus.ACTIVE),
            order=order,
            category=Category.DISABILITY,
            dlt_type=DltType.CASE,
        )
        # Not counted: ended, signed but not in force yet, in a draft order, cancelled.
        enrol(new_student(world), order=order, starts_on=date(2025, 9, 1), ends_on=date(2026, 6, 30))
        enrol(new_student(world), order=order, status=EnrolmentStatus.SIGNED)
        enrol(new_student(world), order=order, status=EnrolmentStatus.ORDERED)
        enrol(new_student(world), order=order, status=EnrolmentStatus.CANCELLED)
        make_application(world.student, status=ApplicationStatus.UNDER_REVIEW)
        make_application(new_student(world), status=ApplicationStatus.DRAFT)
        make_application(new_student(world), status=ApplicationStatus.REJECTED)
        make_application(new_student(world), status=ApplicationStatus.REJECTED)
        with django_assert_num_queries(2):
            counts = api.registry_counts(today=TODAY)
        assert counts.total == 3
        assert counts.by_category == {**dict.fromkeys(Category.values, 0), "military": 2, "disability": 1}
        assert counts.by_type == {"tv": 1, "network": 1, "case": 1}
        assert counts.by_programme == {"6B04101": 1, "6B06101": 2}
        assert list(counts.by_programme) == ["6B04101", "6B06101"]
        # The enrolments' own applications: 4 enrolled (active and ended), 2 in an order, 1 cancelled.
        assert counts.applications_by_status == {
            **dict.fromkeys(ApplicationStatus.values, 0),
            "enrolled": 4,
            "in_order": 2,
            "cancelled": 1,
            "under_review": 1,
            "draft": 1,
            "rejected": 2,
        }

    def test_the_last_day_counts(self, world):
        enrol(new_student(world), order=make_order(by=world.head), ends_on=TODAY)
        assert api.registry_counts(today=TODAY).total == 1
        assert api.registry_counts(today=date(2026, 11, 27)).total == 0


class TestEnrolmentOf:
    def test_none(self, world, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert api.enrolment_of(student_id=world.student.pk, today=TODAY) is None
        with django_assert_num_queries(1):
            assert api.enrolment_of(user_id=world.student_user.pk, today=TODAY) is None

    def test_current_before_anything_else(self, world, django_assert_num_queries):
        order = make_order(by=world.head)
        make_order(by=world.head)
        enrol(world.student, order=order, starts_on=date(2024, 9, 1), ends_on=date(2025, 6, 30))
        current = enrol(
            world.student,
            order=order,
            category=Category.EXCHANGE,
            dlt_type=DltType.CASE,
            starts_on=date(2026, 2, 1),
            ends_on=date(2027, 1, 31),
        )
        enrol(world.student, order=order, starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 30), status="signed")
        with django_assert_num_queries(1):
            found = api.enrolment_of(student_id=world.student.pk, today=TODAY)
        assert found == api.DltEnrolmentData(
            id=current.pk,
            student_id=world.student.pk,
            order_id=order.pk,
            dlt_type="case",
            category="exchange",
            starts_on=date(2026, 2, 1),
            ends_on=date(2027, 1, 31),
            status="active",
            application_id=current.application_id,
        )
        assert api.enrolment_of(user_id=world.student_user.pk, today=TODAY) == found

    def test_else_the_latest_not_cancelled(self, world):
        order = make_order(by=world.head)
        ended = enrol(world.student, order=order, starts_on=date(2024, 9, 1), ends_on=date(2025, 6, 30))
        enrol(
            world.student,
            order=order,
            starts_on=date(2027, 2, 1),
            ends_on=date(2027, 6, 30),
            status=EnrolmentStatus.CANCELLED,
        )
        assert api.enrolment_of(student_id=world.student.pk, today=TODAY).id == ended.pk
        signed = enrol(world.student, order=order, starts_on=date(2025, 9, 1), ends_on=date(2026, 6, 30))
        assert api.enrolment_of(student_id=world.student.pk, today=TODAY).id == signed.pk

    def test_a_cancelled_one_when_that_is_all(self, world):
        cancelled = enrol(world.student, order=make_order(by=world.head), status=EnrolmentStatus.CANCELLED)
        found = api.enrolment_of(student_id=world.student.pk, today=TODAY)
        assert (found.id, found.status) == (cancelled.pk, "cancelled")

    def test_another_student_is_not_mixed_in(self, world):
        enrol(new_student(world), order=make_order(by=world.head))
        assert api.enrolment_of(student_id=world.student.pk, today=TODAY) is None
        assert api.enrolment_of(user_id=world.student_user.pk, today=TODAY) is None
        assert api.enrolment_of(user_id=world.admin.pk, today=TODAY) is None

    def test_one_way_to_name_the_student(self, world):
        with pytest.raises(TypeError):
            api.enrolment_of()
        with pytest.raises(TypeError):
            api.enrolment_of(student_id=world.student.pk, user_id=world.student_user.pk)

    def test_orders_status_does_not_matter_here(self, world):
        order = make_order(by=world.head, status=OrderStatus.DRAFT)
        ordered = enrol(world.student, order=order, status=EnrolmentStatus.ORDERED)
        assert api.enrolment_of(student_id=world.student.pk, today=TODAY).id == ordered.pk
