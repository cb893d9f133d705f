from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.accounts.data import Role
from qashyq.accounts.selectors import user_roles
from qashyq.audit.models import Event
from qashyq.organization import services
from qashyq.organization.models import Institution, Position, StaffMember, Unit, UnitKind
from qashyq.organization.tests.conftest import PROFILE
from qashyq.organization.tests.factories import PositionFactory, UnitFactory


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


def fresh_roles(user):
    return user_roles(type(user).objects.get(pk=user.pk))


@pytest.mark.django_db
class TestInstitutionUpdate:
    def test_first_call_creates_the_profile(self, make_user, profile):
        head = make_user(Role.HEAD)
        institution = services.institution_update(actor=head, **profile)
        assert Institution.objects.count() == 1
        assert (institution.bin, institution.education_levels) == ("081240000013", ["higher", "postgraduate"])
        [event] = events("organization.institution_created")
        assert event.actor_id == head.pk
        assert event.after["bin"] == "081240000013"
        assert event.after["licence_date"] == "2020-03-01"

    def test_change_records_only_what_changed(self, institution, make_user):
        admin = make_user(Role.ADMINISTRATION)
        services.institution_update(actor=admin, name_en="Qashyq State University", order_number_suffix="Н")
        institution.refresh_from_db()
        assert (institution.name_en, institution.order_number_suffix) == ("Qashyq State University", "Н")
        [event] = events("organization.institution_updated")
        assert event.before == {"name_en": "Qashyq University", "order_number_suffix": "ОД"}
        assert event.after == {"name_en": "Qashyq State University", "order_number_suffix": "Н"}

    def test_no_change_writes_nothing(self, institution):
        services.institution_update(actor=None, **PROFILE)
        assert events("organization.institution_updated") == []

    def test_bin_with_a_wrong_check_digit_changes_nothing(self, institution):
        before = Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            services.institution_update(actor=None, bin="081240000014", name_en="Other")
        assert caught.value.message_dict == {"bin": ["The check digit of this BIN is wrong: please check every digit."]}
        institution.refresh_from_db()
        assert (institution.bin, institution.name_en) == ("081240000013", "Qashyq University")
        assert Event.objects.count() == before

    def test_bad_first_profile_creates_nothing(self, profile):
        with pytest.raises(ValidationError) as caught:
            services.institution_update(actor=None, **{**profile, "bin": "950101300038"})
        assert "bin" in caught.value.message_dict
        assert Institution.objects.count() == 0
        assert Event.objects.count() == 0

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"education_levels": []}, "education_levels"),
            ({"education_levels": ["kindergarten"]}, "education_levels"),
            ({"dlt_permission_number": ""}, "dlt_permission_number"),
            ({"dlt_permission_date": None}, "dlt_permission_date"),
            ({"dlt_permission_valid_until": date(2021, 1, 1)}, "dlt_permission_valid_until"),
            ({"order_number_suffix": "О Д"}, "order_number_suffix"),
            ({"ownership": "cooperative"}, "ownership"),
            ({"name_kk": ""}, "name_kk"),
        ],
    )
    def test_bad_values_are_named_and_change_nothing(self, institution, change, field):
        with pytest.raises(ValidationError) as caught:
            services.institution_update(actor=None, **change)
        assert field in caught.value.message_dict
        institution.refresh_from_db()
        assert {name: getattr(institution, name) for name in PROFILE} == PROFILE

    def test_unknown_field_is_a_programming_error(self, institution):
        with pytest.raises(TypeError):
            services.institution_update(actor=None, colour="blue")


@pytest.mark.django_db
class TestUnits:
    def test_create_the_dlt_unit_and_its_services(self, make_user):
        admin = make_user(Role.ADMINISTRATION)
        dlt = services.unit_create(actor=admin, kind=UnitKind.DLT_UNIT, name_kk="ҚОТ бөлімі")
        service = services.unit_create(
            actor=admin, kind=UnitKind.ADMINISTRATION, name_kk="Оқу процесін әкімшілендіру қызметі", parent=dlt
        )
        assert service.parent == dlt
        created = events("organization.unit_created")
        assert [e.after["kind"] for e in created] == ["dlt_unit", "administration"]
        assert created[1].after["parent"] == dlt.pk

    def test_a_service_outside_the_dlt_unit_is_refused(self):
        faculty = UnitFactory(kind=UnitKind.FACULTY)
        with pytest.raises(ValidationError) as caught:
            services.unit_create(actor=None, kind=UnitKind.IT_SUPPORT, name_kk="IT", parent=faculty)
        assert list(caught.value.message_dict) == ["parent"]
        assert Unit.objects.count() == 1
        assert Event.objects.count() == 0

    def test_only_one_dlt_unit(self):
        UnitFactory(kind=UnitKind.DLT_UNIT, name_kk="ҚОТ")
        with pytest.raises(ValidationError) as caught:
            services.unit_create(actor=None, kind=UnitKind.DLT_UNIT, name_kk="Екінші")
        assert caught.value.message_dict == {"kind": ["There is already a DLT unit: ҚОТ."]}
        assert Unit.objects.count() == 1

    def test_update_records_before_and_after(self):
        faculty = UnitFactory(kind=UnitKind.FACULTY)
        department = UnitFactory(kind=UnitKind.DEPARTMENT, name_kk="Кафедра")
        services.unit_update(actor=None, unit=department, parent=faculty, name_kk="Информатика кафедрасы")
        department.refresh_from_db()
        assert (department.parent, department.name_kk) == (faculty, "Информатика кафедрасы")
        [event] = events("organization.unit_updated")
        assert event.before == {"name_kk": "Кафедра", "parent": None}
        assert event.after == {"name_kk": "Информатика кафедрасы", "parent": faculty.pk}

    def test_a_unit_cannot_go_inside_its_own_sub_unit(self):
        faculty = UnitFactory(kind=UnitKind.FACULTY)
        department = UnitFactory(kind=UnitKind.DEPARTMENT, parent=faculty)
        with pytest.raises(ValidationError) as caught:
            services.unit_update(actor=None, unit=faculty, parent=department)
        assert caught.value.message_dict == {
            "parent": ["A unit cannot be placed inside itself or one of its own sub-units."]
        }
        faculty.refresh_from_db()
        assert faculty.parent is None
        assert Event.objects.count() == 0

    def test_the_dlt_unit_keeps_its_kind_while_services_are_inside(self):
        dlt = UnitFactory(kind=UnitKind.DLT_UNIT)
        UnitFactory(kind=UnitKind.DIDACTICS, parent=dlt)
        with pytest.raises(ValidationError):
            services.unit_update(actor=None, unit=dlt, kind=UnitKind.FACULTY)
        dlt.refresh_from_db()
        assert dlt.kind == UnitKind.DLT_UNIT


@pytest.mark.django_db
class TestPositionCreate:
    def test_create(self):
        unit = UnitFactory()
        position = services.position_create(actor=None, unit=unit, name_kk="Тьютор", grants_role=Role.TUTOR)
        assert (position.unit, position.grants_role, position.grants_role_label) == (unit, "tutor", "Tutor")
        [event] = events("organization.position_created")
        assert event.after["grants_role"] == "tutor"

    def test_unknown_role_is_refused(self):
        unit = UnitFactory()
        with pytest.raises(ValidationError) as caught:
            services.position_create(actor=None, unit=unit, name_kk="Бас", grants_role="king")
        assert caught.value.message_dict == {"grants_role": ["Unknown role “king”."]}
        assert Position.objects.count() == 0


@pytest.mark.django_db
class TestStaff:
    def test_assign_grants_the_role_and_keeps_the_others(self, make_user):
        admin = make_user(Role.ADMINISTRATION)
        person = make_user(Role.STUDENT)
        position = PositionFactory(name_kk="Тьютор", grants_role=Role.TUTOR, unit__name_kk="ҚОТ")
        member = services.staff_assign(actor=admin, user=person, position=position, start_date=date(2026, 1, 5))
        assert (member.user, member.position, member.end_date) == (person, position, None)
        assert fresh_roles(person) == {Role.STUDENT, Role.TUTOR}
        [assigned] = events("organization.staff_assigned")
        assert assigned.after == {
            "user": person.pk,
            "position": position.pk,
            "start_date": "2026-01-05",
            "grants_role": "tutor",
        }
        [roles] = events("accounts.roles_changed")
        assert roles.reason == "Appointed to the position Тьютор (ҚОТ)"
        assert (roles.before, roles.after) == ({"roles": ["student"]}, {"roles": ["student", "tutor"]})

    def test_assign_without_a_role(self, make_user):
        person = make_user(Role.TEACHER)
        services.staff_assign(actor=None, user=person, position=PositionFactory(), start_date=date(2025, 9, 1))
        assert fresh_roles(person) == {Role.TEACHER}
        assert events("accounts.roles_changed") == []

    def test_twice_in_the_same_position_is_refused(self, make_user):
        person = make_user(last_name="Әбенова", first_name="Дана")
        position = PositionFactory(name_kk="Әдіскер", grants_role=Role.ADMINISTRATION)
        services.staff_assign(actor=None, user=person, position=position, start_date=date(2025, 9, 1))
        count = Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            services.staff_assign(actor=None, user=person, position=position, start_date=date(2026, 1, 1))
        assert caught.value.message_dict == {"user": ["Әбенова Дана already holds the position “Әдіскер”."]}
        assert StaffMember.objects.count() == 1
        assert Event.objects.count() == count

    def test_future_start_is_refused(self, make_user):
        person = make_user()
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(ValidationError) as caught:
            services.staff_assign(
                actor=None, user=person, position=PositionFactory(grants_role=Role.TUTOR), start_date=tomorrow
            )
        assert list(caught.value.message_dict) == ["start_date"]
        assert StaffMember.objects.count() == 0
        assert fresh_roles(person) == frozenset()

    def test_nobody_appoints_themselves(self, make_user):
        admin = make_user(Role.ADMINISTRATION)
        with pytest.raises(ValidationError):
            services.staff_assign(
                actor=admin, user=admin, position=PositionFactory(grants_role=Role.HEAD), start_date=date(2026, 1, 5)
            )
        assert StaffMember.objects.count() == 0
        assert fresh_roles(admin) == {Role.ADMINISTRATION}

    @pytest.mark.parametrize("role", [Role.HEAD, Role.IT_SUPPORT])
    def test_only_the_head_appoints_to_powerful_positions(self, make_user, role):
        admin, head, person = make_user(Role.ADMINISTRATION), make_user(Role.HEAD), make_user()
        position = PositionFactory(grants_role=role)
        with pytest.raises(ValidationError):
            services.staff_assign(actor=admin, user=person, position=position, start_date=date(2026, 1, 5))
        assert fresh_roles(person) == frozenset()
        services.staff_assign(actor=head, user=person, position=position, start_date=date(2026, 1, 5))
        assert fresh_roles(person) == {role}

    def test_end_takes_the_role_away(self, make_user):
        person = make_user(Role.STUDENT)
        position = PositionFactory(name_kk="Тьютор", grants_role=Role.TUTOR, unit__name_kk="ҚОТ")
        member = services.staff_assign(actor=None, user=person, position=position, start_date=date(2025, 9, 1))
        services.staff_end(actor=None, staff_member=member, end_date=date(2026, 1, 31))
        member.refresh_from_db()
        assert member.end_date == date(2026, 1, 31)
        assert fresh_roles(person) == {Role.STUDENT}
        [ended] = events("organization.staff_ended")
        assert (ended.before, ended.after) == ({"end_date": None}, {"end_date": "2026-01-31"})
        assert events("accounts.roles_changed")[-1].reason == "Left the position Тьютор (ҚОТ)"

    def test_end_keeps_a_role_another_current_position_grants(self, make_user):
        person = make_user()
        first = PositionFactory(grants_role=Role.TUTOR)
        second = PositionFactory(grants_role=Role.TUTOR)
        member = services.staff_assign(actor=None, user=person, position=first, start_date=date(2025, 9, 1))
        services.staff_assign(actor=None, user=person, position=second, start_date=date(2025, 9, 1))
        services.staff_end(actor=None, staff_member=member, end_date=date(2026, 1, 31))
        assert fresh_roles(person) == {Role.TUTOR}

    @pytest.mark.parametrize(
        ("end", "field"),
        [(date(2025, 8, 31), "end_date"), (None, "end_date")],
    )
    def test_bad_end_dates_change_nothing(self, make_user, end, field):
        person = make_user()
        member = services.staff_assign(
            actor=None, user=person, position=PositionFactory(grants_role=Role.TUTOR), start_date=date(2025, 9, 1)
        )
        end = end or timezone.localdate() + timedelta(days=1)
        count = Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            services.staff_end(actor=None, staff_member=member, end_date=end)
        assert list(caught.value.message_dict) == [field]
        member.refresh_from_db()
        assert member.end_date is None
        assert fresh_roles(person) == {Role.TUTOR}
        assert Event.objects.count() == count

    def test_ending_twice_is_refused(self, make_user):
        member = services.staff_assign(
            actor=None, user=make_user(), position=PositionFactory(), start_date=date(2025, 9, 1)
        )
        services.staff_end(actor=None, staff_member=member, end_date=date(2026, 1, 31))
        with pytest.raises(ValidationError) as caught:
            services.staff_end(actor=None, staff_member=member, end_date=date(2026, 2, 1))
        assert caught.value.messages == ["This appointment already ended on 31.01.2026."]
        member.refresh_from_db()
        assert member.end_date == date(2026, 1, 31)
