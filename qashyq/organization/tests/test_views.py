from datetime import date

import pytest
from django.urls import reverse

from qashyq.accounts.data import Role
from qashyq.accounts.selectors import user_roles
from qashyq.audit.models import Event
from qashyq.organization.models import Institution, Position, StaffMember, Unit, UnitKind
from qashyq.organization.tests.conftest import PROFILE
from qashyq.organization.tests.factories import PositionFactory, StaffMemberFactory, UnitFactory

INSTITUTION = reverse("organization:institution")
INSTITUTION_EDIT = reverse("organization:institution-edit")
STRUCTURE = reverse("organization:structure")
UNIT_CREATE = reverse("organization:unit-create")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def form_data(**changes):
    data = {**PROFILE, **changes}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["licence_date"] = str(data["licence_date"])
    data["dlt_permission_date"] = str(data["dlt_permission_date"] or "")
    return data


def page(response):
    return response.content.decode()


@pytest.mark.django_db
class TestInstitution:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(INSTITUTION)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    @pytest.mark.parametrize("role", list(Role))
    def test_every_role_reads_the_profile(self, client, signed_in, institution, role):
        signed_in(role)
        response = client.get(INSTITUTION, **EN)
        assert response.status_code == 200
        assert "Qashyq University" in page(response)
        assert "081240000013" in page(response)
        assert "The institution may use distance learning technologies." in page(response)
        assert (INSTITUTION_EDIT in page(response)) is (role in {Role.HEAD, Role.ADMINISTRATION})

    def test_reasons_why_dlt_may_not_be_used_are_shown(self, client, signed_in, profile):
        from qashyq.organization.services import institution_update

        institution_update(actor=None, **{**profile, "dlt_permission_number": "", "dlt_permission_date": None})
        signed_in(Role.TEACHER)
        assert "No permission of the authorized body to use DLT is recorded." in page(client.get(INSTITUTION, **EN))

    def test_before_the_profile_is_filled_in(self, client, signed_in):
        signed_in(Role.STUDENT)
        response = client.get(INSTITUTION, **EN)
        assert response.status_code == 200
        assert "Nobody has filled in the institution profile yet." in page(response)

    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT])
    def test_others_cannot_open_the_edit_form(self, client, signed_in, institution, role):
        signed_in(role)
        assert client.get(INSTITUTION_EDIT).status_code == 404
        assert client.post(INSTITUTION_EDIT, form_data(name_en="Hacked")).status_code == 404
        institution.refresh_from_db()
        assert institution.name_en == "Qashyq University"

    def test_head_fills_in_the_profile(self, client, signed_in):
        head = signed_in(Role.HEAD)
        assert client.get(INSTITUTION_EDIT).status_code == 200
        response = client.post(INSTITUTION_EDIT, form_data())
        assert response.status_code == 302
        assert response.url == INSTITUTION
        institution = Institution.objects.get()
        assert (institution.bin, institution.education_levels) == ("081240000013", ["higher", "postgraduate"])
        assert Event.objects.get(action="organization.institution_created").actor_id == head.pk

    def test_administration_changes_the_profile(self, client, signed_in, institution):
        signed_in(Role.ADMINISTRATION)
        response = client.post(INSTITUTION_EDIT, form_data(city_ru="Алма-Ата"))
        assert response.status_code == 302
        institution.refresh_from_db()
        assert institution.city_ru == "Алма-Ата"
        event = Event.objects.get(action="organization.institution_updated")
        assert (event.before, event.after) == ({"city_ru": "Алматы"}, {"city_ru": "Алма-Ата"})

    def test_wrong_bin_is_shown_at_the_field_and_changes_nothing(self, client, signed_in, institution):
        signed_in(Role.ADMINISTRATION)
        response = client.post(INSTITUTION_EDIT, form_data(bin="081240000014", city_ru="Алма-Ата"), **EN)
        assert response.status_code == 400
        html = page(response)
        assert "The check digit of this BIN is wrong: please check every digit." in html
        assert 'href="#id_bin"' in html
        assert 'aria-invalid="true"' in html
        institution.refresh_from_db()
        assert (institution.bin, institution.city_ru) == ("081240000013", "Алматы")
        assert not Event.objects.filter(action="organization.institution_updated").exists()

    def test_missing_required_fields_give_400(self, client, signed_in, institution):
        signed_in(Role.HEAD)
        response = client.post(INSTITUTION_EDIT, form_data(licence_number="", education_levels=[]))
        assert response.status_code == 400
        institution.refresh_from_db()
        assert institution.licence_number == PROFILE["licence_number"]


@pytest.mark.django_db
class TestStructure:
    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT])
    def test_others_get_404(self, client, signed_in, role):
        signed_in(role)
        assert client.get(STRUCTURE).status_code == 404
        assert client.get(UNIT_CREATE).status_code == 404

    def test_tree_shows_units_positions_and_current_staff(self, client, signed_in, make_user):
        signed_in(Role.HEAD)
        dlt = UnitFactory(kind=UnitKind.DLT_UNIT, name_kk="ҚОТ бөлімі")
        service = UnitFactory(kind=UnitKind.ADMINISTRATION, name_kk="Әкімшілендіру қызметі", parent=dlt)
        position = PositionFactory(unit=service, name_kk="Әдіскер", grants_role=Role.ADMINISTRATION)
        holder = make_user(last_name="Нұрланова", first_name="Айгүл")
        StaffMemberFactory(user=holder, position=position, start_date=date(2025, 9, 1))
        gone = make_user(last_name="Кеткенов", first_name="Бақыт")
        StaffMemberFactory(user=gone, position=position, start_date=date(2024, 9, 1), end_date=date(2025, 6, 30))
        html = page(client.get(STRUCTURE, **EN))
        assert html.index("ҚОТ бөлімі") < html.index("Әкімшілендіру қызметі") < html.index("Әдіскер")
        assert "Нұрланова Айгүл" in html
        assert "Кеткенов" not in html
        assert "There is no DLT unit yet." not in html

    def test_warns_when_there_is_no_dlt_unit(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        assert "There is no DLT unit yet." in page(client.get(STRUCTURE, **EN))

    def test_query_count_does_not_grow_with_the_structure(
        self, client, signed_in, make_user, django_assert_max_num_queries
    ):
        signed_in(Role.ADMINISTRATION)
        faculty = UnitFactory(kind=UnitKind.FACULTY)
        StaffMemberFactory(user=make_user(), position=PositionFactory(unit=faculty))
        client.get(STRUCTURE)  # warm-up
        with django_assert_max_num_queries(10) as small:
            assert client.get(STRUCTURE).status_code == 200
        for _n in range(15):
            department = UnitFactory(kind=UnitKind.DEPARTMENT, parent=faculty)
            position = PositionFactory(unit=department, grants_role=Role.TEACHER)
            StaffMemberFactory(user=make_user(), position=position)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(STRUCTURE).status_code == 200

    def test_create_a_unit_inside_another(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        dlt = UnitFactory(kind=UnitKind.DLT_UNIT)
        assert client.get(UNIT_CREATE, {"parent": dlt.pk}).status_code == 200
        response = client.post(
            UNIT_CREATE, {"kind": UnitKind.IT_SUPPORT, "name_kk": "Ақпараттық-техникалық қызмет", "parent": dlt.pk}
        )
        assert response.status_code == 302
        assert Unit.objects.get(kind=UnitKind.IT_SUPPORT).parent == dlt

    def test_a_service_outside_the_dlt_unit_is_refused(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        response = client.post(UNIT_CREATE, {"kind": UnitKind.DIDACTICS, "name_kk": "Дидактика"}, **EN)
        assert response.status_code == 400
        assert "place it inside the DLT unit" in page(response)
        assert Unit.objects.count() == 0

    def test_edit_a_unit(self, client, signed_in):
        signed_in(Role.HEAD)
        unit = UnitFactory(kind=UnitKind.FACULTY, name_kk="Факультет")
        url = reverse("organization:unit-edit", args=[unit.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"kind": UnitKind.FACULTY, "name_kk": "Ақпараттық технологиялар факультеті"})
        assert response.status_code == 302
        unit.refresh_from_db()
        assert unit.name_kk == "Ақпараттық технологиялар факультеті"
        assert client.get(reverse("organization:unit-edit", args=[unit.pk + 100])).status_code == 404

    def test_add_a_position(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        unit = UnitFactory()
        url = reverse("organization:position-create", args=[unit.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"name_kk": "Тьютор", "grants_role": "tutor"})
        assert response.status_code == 302
        assert Position.objects.get().grants_role == "tutor"
        assert client.post(url, {"name_kk": "Бас", "grants_role": "king"}).status_code == 400
        assert Position.objects.count() == 1


@pytest.mark.django_db
class TestStaffPages:
    def test_appoint_by_username_grants_the_role(self, client, signed_in, make_user):
        signed_in(Role.ADMINISTRATION)
        position = PositionFactory(grants_role=Role.TUTOR)
        person = make_user(Role.STUDENT, username="dana")
        url = reverse("organization:staff-assign", args=[position.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"user": "dana", "start_date": "2026-01-05"})
        assert response.status_code == 302
        member = StaffMember.objects.get()
        assert (member.user, member.start_date) == (person, date(2026, 1, 5))
        assert user_roles(type(person).objects.get(pk=person.pk)) == {Role.STUDENT, Role.TUTOR}

    def test_unknown_person_is_named_and_nothing_changes(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        position = PositionFactory(grants_role=Role.TUTOR)
        url = reverse("organization:staff-assign", args=[position.pk])
        response = client.post(url, {"user": "nobody", "start_date": "2026-01-05"}, **EN)
        assert response.status_code == 400
        assert "No active account has the username or e-mail “nobody”." in page(response)
        assert StaffMember.objects.count() == 0

    def test_administration_cannot_appoint_a_head(self, client, signed_in, make_user):
        signed_in(Role.ADMINISTRATION)
        position = PositionFactory(grants_role=Role.HEAD, name_kk="Ректор")
        make_user(username="bolat")
        url = reverse("organization:staff-assign", args=[position.pk])
        response = client.post(url, {"user": "bolat", "start_date": "2026-01-05"}, **EN)
        assert response.status_code == 400
        assert "Only the head may appoint someone to “Ректор”" in page(response)
        assert StaffMember.objects.count() == 0

    def test_end_an_appointment(self, client, signed_in, make_user):
        signed_in(Role.HEAD)
        person = make_user(Role.TUTOR)
        member = StaffMemberFactory(
            user=person, position=PositionFactory(grants_role=Role.TUTOR), start_date=date(2025, 9, 1)
        )
        url = reverse("organization:staff-end", args=[member.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"end_date": "2025-08-01"}).status_code == 400
        member.refresh_from_db()
        assert member.end_date is None
        assert client.post(url, {"end_date": "2026-01-31"}).status_code == 302
        member.refresh_from_db()
        assert member.end_date == date(2026, 1, 31)
        assert user_roles(type(person).objects.get(pk=person.pk)) == frozenset()

    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.IT_SUPPORT])
    def test_others_get_404(self, client, signed_in, make_user, role):
        signed_in(role)
        member = StaffMemberFactory(user=make_user(), position=PositionFactory())
        assert client.get(reverse("organization:staff-assign", args=[member.position_id])).status_code == 404
        assert (
            client.post(reverse("organization:staff-end", args=[member.pk]), {"end_date": "2026-01-31"}).status_code
            == 404
        )
        member.refresh_from_db()
        assert member.end_date is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_main_navigation_offers_the_institution_pages_to_head_and_administration(client, signed_in, role):
    signed_in(role)
    page = client.get(reverse("portal:dashboard", kwargs={"role": role.value})).content.decode()
    nav = page[page.index("<header") : page.index("</header>")]
    managers = role in {Role.ADMINISTRATION, Role.HEAD}
    assert (f'href="{INSTITUTION}"' in nav) is managers
    assert (f'href="{STRUCTURE}"' in nav) is managers
