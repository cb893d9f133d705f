from datetime import date

import pytest
from django.urls import reverse

from qashyq.academics.data import EventKind
from qashyq.academics.models import (
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.academics.tests.factories import (
    AcademicCalendarFactory,
    AcademicPeriodFactory,
    CalendarEventFactory,
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
    StudyGroupFactory,
    TeachingAssignmentFactory,
)
from qashyq.accounts.data import Role
from qashyq.audit.models import Event

PROGRAMMES = reverse("academics:programme-list")
PROGRAMME_CREATE = reverse("academics:programme-create")
DISCIPLINES = reverse("academics:discipline-list")
YEARS = reverse("academics:year-list")
GROUPS = reverse("academics:group-list")
GROUP_CREATE = reverse("academics:group-create")
ASSIGNMENTS = reverse("academics:assignment-list")
READ_ONLY = [Role.HEAD, Role.TEACHER, Role.TUTOR, Role.STUDENT, Role.DIDACTICS]
PROGRAMME_FORM = {
    "code": "6B06101",
    "name_kk": "Ақпараттық жүйелер",
    "name_ru": "Информационные системы",
    "name_en": "Information systems",
    "level": "bachelor",
    "forms_offered": ["full_time", "part_time"],
    "languages": ["kk", "ru"],
    "periods": "8",
}


def html(response):
    return response.content.decode()


def detail_url(programme):
    return reverse("academics:programme-detail", args=[programme.pk])


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize(
        "url", [PROGRAMMES, DISCIPLINES, YEARS, GROUPS, PROGRAMME_CREATE, ASSIGNMENTS, reverse("academics:index")]
    )
    def test_anonymous_is_sent_to_sign_in(self, client, url):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("account_login"))

    @pytest.mark.parametrize("url", [PROGRAMMES, DISCIPLINES, YEARS, GROUPS])
    def test_it_support_and_accounts_without_roles_get_404(self, client, signed_in, url):
        signed_in(Role.IT_SUPPORT)
        assert client.get(url).status_code == 404
        signed_in()
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("role", READ_ONLY)
    @pytest.mark.parametrize(
        "name",
        ["programme-create", "discipline-create", "year-create", "group-create", "assignment-create"],
    )
    def test_only_the_administration_service_opens_the_forms(self, client, signed_in, role, name):
        signed_in(role)
        assert client.get(reverse(f"academics:{name}")).status_code == 404

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TUTOR, Role.STUDENT, Role.DIDACTICS])
    def test_readers_without_drafts_do_not_see_assignments(self, client, signed_in, role):
        signed_in(role)
        assert client.get(ASSIGNMENTS).status_code == 404


@pytest.mark.django_db
class TestProgrammes:
    def test_list_filters_by_level_and_form(self, client, signed_in):
        signed_in(Role.TEACHER)
        ProgrammeFactory(code="6B06101", forms_offered=["full_time"])
        ProgrammeFactory(code="6B06102", forms_offered=["part_time", "correspondence"])
        ProgrammeFactory(code="7M06101", level="master", forms_offered=["full_time"])
        page = html(client.get(PROGRAMMES))
        assert all(code in page for code in ("6B06101", "6B06102", "7M06101"))
        assert PROGRAMME_CREATE not in page
        page = html(client.get(PROGRAMMES, {"level": "bachelor", "form": "full_time"}))
        assert "6B06101" in page
        assert "6B06102" not in page
        assert "7M06101" not in page
        page = html(client.get(PROGRAMMES, {"form": "correspondence"}))
        assert ("6B06101" in page, "6B06102" in page) == (False, True)

    def test_administration_sees_the_create_link(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        assert PROGRAMME_CREATE in html(client.get(PROGRAMMES))

    def test_list_query_count_does_not_grow(self, client, signed_in, django_assert_max_num_queries):
        signed_in(Role.HEAD)
        ProgrammeFactory()
        client.get(PROGRAMMES)
        with django_assert_max_num_queries(8) as few:
            assert client.get(PROGRAMMES).status_code == 200
        ProgrammeFactory.create_batch(30)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(PROGRAMMES).status_code == 200

    def test_create(self, client, signed_in):
        admin = signed_in(Role.ADMINISTRATION)
        assert client.get(PROGRAMME_CREATE).status_code == 200
        response = client.post(PROGRAMME_CREATE, PROGRAMME_FORM)
        programme = Programme.objects.get()
        assert response.status_code == 302
        assert response.url == detail_url(programme)
        assert (programme.code, programme.forms_offered, programme.languages) == (
            "6B06101",
            ["full_time", "part_time"],
            ["kk", "ru"],
        )
        assert Event.objects.get(action="academics.programme_created").actor_id == admin.pk

    def test_shortened_without_basis_is_shown_and_creates_nothing(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        response = client.post(PROGRAMME_CREATE, {**PROGRAMME_FORM, "shortened": "on"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        page = html(response)
        assert "A shortened programme needs its basis" in page
        assert 'href="#id_shortened_basis"' in page
        assert Programme.objects.count() == 0

    def test_head_cannot_create(self, client, signed_in):
        signed_in(Role.HEAD)
        assert client.post(PROGRAMME_CREATE, PROGRAMME_FORM).status_code == 404
        assert Programme.objects.count() == 0

    def test_edit(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        programme = ProgrammeFactory(code="6B06101")
        url = reverse("academics:programme-edit", args=[programme.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {**PROGRAMME_FORM, "name_en": "Information Systems"})
        assert response.status_code == 302
        programme.refresh_from_db()
        assert programme.name_en == "Information Systems"
        assert client.get(reverse("academics:programme-edit", args=[programme.pk + 100])).status_code == 404


@pytest.mark.django_db
class TestProgrammeDetail:
    def test_teacher_reads_the_curriculum_with_totals(self, client, signed_in):
        signed_in(Role.TEACHER)
        programme = ProgrammeFactory(periods=4)
        CurriculumEntryFactory(programme=programme, period_number=1, credits=5, discipline__name_kk="Математика")
        CurriculumEntryFactory(programme=programme, period_number=1, credits=25)
        CurriculumEntryFactory(programme=programme, period_number=2, credits=30)
        CurriculumEntryFactory(programme=programme, period_number=4, credits=28)
        response = client.get(detail_url(programme), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = html(response)
        assert "Математика" in page
        assert 'data-period-credits="1">30<' in page
        assert 'data-year-credits="1">60<' in page
        assert 'data-year-credits="2">28<' in page
        assert "data-total-credits>88<" in page
        assert "Academic period 3 has no disciplines." in page
        assert reverse("academics:curriculum-add", args=[programme.pk]) not in page
        assert response.context["curriculum"].summary.empty_periods == (3,)

    def test_administration_sees_the_add_form(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        programme = ProgrammeFactory()
        assert reverse("academics:curriculum-add", args=[programme.pk]) in html(client.get(detail_url(programme)))

    def test_detail_query_count_does_not_grow(self, client, signed_in, django_assert_max_num_queries):
        signed_in(Role.ADMINISTRATION)
        programme = ProgrammeFactory()
        CurriculumEntryFactory(programme=programme)
        StudyGroupFactory(programme=programme)
        client.get(detail_url(programme))
        with django_assert_max_num_queries(12) as few:
            client.get(detail_url(programme))
        for n in range(2, 9):
            CurriculumEntryFactory.create_batch(4, programme=programme, period_number=n)
        StudyGroupFactory.create_batch(5, programme=programme)
        DisciplineFactory.create_batch(10)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(detail_url(programme))

    def test_missing_programme_is_404(self, client, signed_in):
        signed_in(Role.STUDENT)
        assert client.get(reverse("academics:programme-detail", args=[999])).status_code == 404


@pytest.mark.django_db
class TestCurriculumPages:
    def form(self, discipline, period="1", **extra):
        return {
            "discipline": discipline.pk,
            "period_number": period,
            "cycle": "basic",
            "component": "compulsory",
            "final_control": "exam",
            **extra,
        }

    def test_add_and_remove(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        programme = ProgrammeFactory()
        discipline = DisciplineFactory(credits=5)
        url = reverse("academics:curriculum-add", args=[programme.pk])
        response = client.post(url, self.form(discipline, period="2"))
        assert response.status_code == 302
        assert response.url == f"{detail_url(programme)}#period-2"
        entry = CurriculumEntry.objects.get()
        assert (entry.period_number, entry.credits) == (2, 5)
        remove = reverse("academics:curriculum-remove", args=[entry.pk])
        assert client.get(remove).status_code == 405
        assert client.post(remove).status_code == 302
        assert CurriculumEntry.objects.count() == 0

    def test_duplicate_is_named_and_nothing_changes(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        entry = CurriculumEntryFactory(discipline__code="INF1101", discipline__name_kk="Информатика")
        url = reverse("academics:curriculum-add", args=[entry.programme_id])
        response = client.post(url, self.form(entry.discipline), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "INF1101 Информатика is already in academic period 1 of this curriculum." in html(response)
        assert CurriculumEntry.objects.count() == 1

    def test_period_beyond_the_programme_gives_400(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        programme = ProgrammeFactory(periods=4)
        url = reverse("academics:curriculum-add", args=[programme.pk])
        assert client.post(url, self.form(DisciplineFactory(), period="5")).status_code == 400
        assert CurriculumEntry.objects.count() == 0

    @pytest.mark.parametrize("role", READ_ONLY)
    def test_readers_cannot_change_the_curriculum(self, client, signed_in, role):
        signed_in(role)
        entry = CurriculumEntryFactory()
        assert client.post(reverse("academics:curriculum-remove", args=[entry.pk])).status_code == 404
        url = reverse("academics:curriculum-add", args=[entry.programme_id])
        assert client.post(url, self.form(DisciplineFactory())).status_code == 404
        assert CurriculumEntry.objects.count() == 1


@pytest.mark.django_db
class TestDisciplinePages:
    def test_list_search_and_query_count(self, client, signed_in, django_assert_max_num_queries):
        signed_in(Role.STUDENT)
        DisciplineFactory(code="INF1101", name_kk="Информатика")
        DisciplineFactory(code="MAT1101", name_kk="Математика")
        page = html(client.get(DISCIPLINES, {"q": "Информ"}))
        assert "INF1101" in page
        assert "MAT1101" not in page
        with django_assert_max_num_queries(8) as few:
            client.get(DISCIPLINES)
        DisciplineFactory.create_batch(120)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(DISCIPLINES, {"page": "2"})
        assert len(response.context["page"].object_list) == 22

    def test_create_and_edit(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        create = reverse("academics:discipline-create")
        assert client.post(create, {"code": "INF1101", "name_kk": "Информатика", "credits": "5"}).status_code == 302
        discipline = Discipline.objects.get()
        assert client.post(create, {"code": "INF1101", "name_kk": "Екінші", "credits": "5"}).status_code == 400
        edit = reverse("academics:discipline-edit", args=[discipline.pk])
        assert client.post(edit, {"code": "INF1101", "name_kk": "Информатика", "credits": "6"}).status_code == 302
        discipline.refresh_from_db()
        assert discipline.credits == 6
        assert Discipline.objects.count() == 1


@pytest.mark.django_db
class TestYearsAndCalendars:
    def approved(self, year):
        calendar = AcademicCalendarFactory(year=year, level="bachelor")
        CalendarEventFactory(
            calendar=calendar, kind="classes", start_date=date(2026, 9, 1), end_date=date(2026, 12, 19)
        )
        calendar.approved_on, calendar.protocol_number = date(2026, 6, 25), "11"
        calendar.save()
        return calendar

    def test_students_see_only_approved_calendars(self, client, signed_in, year):
        approved = self.approved(year)
        draft = AcademicCalendarFactory(year=year, level="master")
        signed_in(Role.STUDENT)
        page = html(client.get(YEARS))
        assert reverse("academics:calendar-detail", args=[approved.pk]) in page
        assert reverse("academics:calendar-detail", args=[draft.pk]) not in page
        assert client.get(reverse("academics:calendar-detail", args=[approved.pk])).status_code == 200
        assert client.get(reverse("academics:calendar-detail", args=[draft.pk])).status_code == 404

    def test_head_sees_drafts(self, client, signed_in, year):
        draft = AcademicCalendarFactory(year=year, level="master")
        signed_in(Role.HEAD)
        assert reverse("academics:calendar-detail", args=[draft.pk]) in html(client.get(YEARS))
        page = html(client.get(reverse("academics:calendar-detail", args=[draft.pk])))
        assert reverse("academics:calendar-approve", args=[draft.pk]) not in page

    def test_year_list_query_count(self, client, signed_in, year, django_assert_max_num_queries):
        signed_in(Role.ADMINISTRATION)
        AcademicPeriodFactory(year=year)
        AcademicCalendarFactory(year=year)
        client.get(YEARS)
        with django_assert_max_num_queries(10) as few:
            client.get(YEARS)
        from qashyq.academics.tests.factories import AcademicYearFactory

        for start in range(2020, 2026):
            other = AcademicYearFactory(
                title=f"{start}–{start + 1}", start_date=date(start, 9, 1), end_date=date(start + 1, 8, 31)
            )
            AcademicPeriodFactory(year=other, number=1)
            AcademicPeriodFactory(
                year=other, number=2, start_date=date(start + 1, 2, 1), end_date=date(start + 1, 6, 1)
            )
            AcademicCalendarFactory(year=other, level="bachelor")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(YEARS)

    def test_create_year_period_and_calendar(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        create = reverse("academics:year-create")
        response = client.post(create, {"title": "2026–2027", "start_date": "2026-09-01", "end_date": "2027-08-31"})
        assert response.status_code == 302
        from qashyq.academics.models import AcademicCalendar, AcademicYear

        year = AcademicYear.objects.get()
        period = reverse("academics:period-create", args=[year.pk])
        form = {"kind": "semester", "number": "1", "start_date": "2026-09-01", "end_date": "2027-01-16"}
        assert client.post(period, form).status_code == 302
        assert client.post(period, {**form, "number": "2"}).status_code == 400  # overlaps period 1
        assert year.periods.count() == 1
        response = client.post(reverse("academics:calendar-create", args=[year.pk]), {"level": "bachelor"})
        calendar = AcademicCalendar.objects.get()
        assert response.url == reverse("academics:calendar-detail", args=[calendar.pk])

    def test_add_events_approve_and_refuse_changes(self, client, signed_in, calendar):
        signed_in(Role.ADMINISTRATION)
        add = reverse("academics:calendar-event-add", args=[calendar.pk])
        classes = {"kind": "classes", "start_date": "2026-09-01", "end_date": "2026-12-19"}
        assert client.post(add, classes).status_code == 302
        response = client.post(
            add, {"kind": "holidays", "start_date": "2026-12-15", "end_date": "2027-01-10"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert "Classes 01.09.2026–19.12.2026 overlaps Holidays 15.12.2026–10.01.2027." in html(response)
        response = client.post(
            add, {"kind": "holidays", "start_date": "2027-08-01", "end_date": "2027-09-10"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert "lies outside the academic year (01.09.2026–31.08.2027)" in html(response)
        assert CalendarEvent.objects.count() == 1

        approve = reverse("academics:calendar-approve", args=[calendar.pk])
        assert client.post(approve, {"approved_on": "2026-06-25", "protocol_number": "11"}).status_code == 302
        calendar.refresh_from_db()
        assert calendar.approved

        response = client.post(
            add, {"kind": "holidays", "start_date": "2027-07-05", "end_date": "2027-08-31"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert "cannot be changed" in html(response)
        event = CalendarEvent.objects.get()
        remove = reverse("academics:calendar-event-remove", args=[event.pk])
        response = client.post(remove, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert "cannot be changed" in html(response)
        assert CalendarEvent.objects.count() == 1

        reopen = reverse("academics:calendar-reopen", args=[calendar.pk])
        assert client.post(reopen, {"reason": ""}).status_code == 400
        assert client.post(reopen, {"reason": "Holidays move"}).status_code == 302
        calendar.refresh_from_db()
        assert not calendar.approved
        assert client.post(remove).status_code == 302
        assert CalendarEvent.objects.count() == 0

    @pytest.mark.parametrize("role", READ_ONLY)
    def test_readers_cannot_change_calendars(self, client, signed_in, calendar, role):
        signed_in(role)
        event = CalendarEventFactory(
            calendar=calendar, kind=EventKind.CLASSES, start_date=date(2026, 9, 1), end_date=date(2026, 12, 19)
        )
        add = reverse("academics:calendar-event-add", args=[calendar.pk])
        assert (
            client.post(add, {"kind": "holidays", "start_date": "2027-07-05", "end_date": "2027-08-31"}).status_code
            == 404
        )
        assert client.post(reverse("academics:calendar-event-remove", args=[event.pk])).status_code == 404
        approve = reverse("academics:calendar-approve", args=[calendar.pk])
        assert client.post(approve, {"approved_on": "2026-06-25", "protocol_number": "11"}).status_code == 404
        calendar.refresh_from_db()
        assert not calendar.approved
        assert CalendarEvent.objects.count() == 1


@pytest.mark.django_db
class TestGroupPages:
    def test_list_filter_and_query_count(self, client, signed_in, django_assert_max_num_queries):
        signed_in(Role.HEAD)
        a = ProgrammeFactory(code="6B06101")
        StudyGroupFactory(code="ИС-1", programme=a)
        StudyGroupFactory(code="ВТ-1", form_of_study="part_time")
        page = html(client.get(GROUPS, {"programme": a.pk}))
        assert ("ИС-1" in page, "ВТ-1" in page) == (True, False)
        page = html(client.get(GROUPS, {"form": "part_time"}))
        assert ("ИС-1" in page, "ВТ-1" in page) == (False, True)
        with django_assert_max_num_queries(10) as few:
            client.get(GROUPS)
        StudyGroupFactory.create_batch(20)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(GROUPS)

    def test_create_refuses_a_form_the_programme_does_not_offer(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        programme = ProgrammeFactory(code="6B06101", forms_offered=["full_time"])
        form = {
            "code": "ИС-25-1",
            "programme": programme.pk,
            "admission_year": "2025",
            "language": "kk",
            "form_of_study": "correspondence",
            "capacity": "25",
        }
        response = client.post(GROUP_CREATE, form, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "Programme 6B06101 is not offered in the form" in html(response)
        assert 'href="#id_form_of_study"' in html(response)
        assert StudyGroup.objects.count() == 0
        assert client.post(GROUP_CREATE, {**form, "form_of_study": "full_time"}).status_code == 302
        assert StudyGroup.objects.get().code == "ИС-25-1"

    def test_edit(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        group = StudyGroupFactory(capacity=25)
        url = reverse("academics:group-edit", args=[group.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"code": group.code, "capacity": "30", "closed": "on"}).status_code == 302
        group.refresh_from_db()
        assert (group.capacity, group.closed) == (30, True)


@pytest.mark.django_db
class TestAssignmentPages:
    def test_head_reads_the_list(self, client, signed_in, make_user, django_assert_max_num_queries):
        signed_in(Role.HEAD)
        TeachingAssignmentFactory(user=make_user(Role.TEACHER, last_name="Сапаров"))
        page = html(client.get(ASSIGNMENTS))
        assert "Сапаров" in page
        assert reverse("academics:assignment-create") not in page
        with django_assert_max_num_queries(8) as few:
            client.get(ASSIGNMENTS)
        for _n in range(10):
            TeachingAssignmentFactory(user=make_user(Role.TUTOR), role="tutor", group=StudyGroupFactory())
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(ASSIGNMENTS)

    def test_create_and_remove(self, client, signed_in, make_user):
        signed_in(Role.ADMINISTRATION)
        make_user(Role.TUTOR, username="tutor1")
        discipline = DisciplineFactory()
        create = reverse("academics:assignment-create")
        assert client.get(create).status_code == 200
        response = client.post(create, {"user": "tutor1", "role": "tutor", "discipline": discipline.pk})
        assert response.status_code == 302
        assignment = TeachingAssignment.objects.get()
        assert assignment.group is None
        assert (
            client.post(create, {"user": "tutor1", "role": "teacher", "discipline": discipline.pk}).status_code == 400
        )
        assert client.post(reverse("academics:assignment-remove", args=[assignment.pk])).status_code == 302
        assert TeachingAssignment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_main_navigation_offers_the_academic_pages_by_role(client, signed_in, role):
    signed_in(role)
    page = html(client.get(reverse("portal:dashboard", kwargs={"role": role.value})))
    nav = page[page.index("<header") : page.index("</header>")]
    assert ('href="/academics/programmes/"' in nav) is (role not in {Role.STUDENT, Role.IT_SUPPORT})
    assert ('href="/academics/years/"' in nav) is (role in {Role.ADMINISTRATION, Role.HEAD})
    assert ('href="/academics/groups/"' in nav) is (role in {Role.ADMINISTRATION, Role.HEAD})
