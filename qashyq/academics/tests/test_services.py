from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.academics import services
from qashyq.academics.data import Component, Cycle, EventKind, FinalControl, Level, PeriodKind
from qashyq.academics.models import (
    AcademicCalendar,
    AcademicPeriod,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.academics.tests.factories import (
    AcademicPeriodFactory,
    CalendarEventFactory,
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
    StudyGroupFactory,
)
from qashyq.accounts.data import Role
from qashyq.audit.models import Event

PROGRAMME = {
    "code": "6B06101",
    "name_kk": "Ақпараттық жүйелер",
    "name_ru": "Информационные системы",
    "name_en": "Information systems",
    "level": Level.BACHELOR,
    "forms_offered": ["part_time", "full_time"],
    "languages": ["ru", "kk"],
    "periods": 8,
}


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATION)


# --- Programmes ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestProgrammeCreate:
    def test_create_normalizes_lists_and_records_the_event(self, admin):
        programme = services.programme_create(actor=admin, **PROGRAMME)
        assert (programme.code, programme.forms_offered, programme.languages) == (
            "6B06101",
            ["full_time", "part_time"],
            ["kk", "ru"],
        )
        [event] = events("academics.programme_created")
        assert event.actor_id == admin.pk
        assert event.after == {
            "code": "6B06101",
            "name_kk": "Ақпараттық жүйелер",
            "name_ru": "Информационные системы",
            "name_en": "Information systems",
            "level": "bachelor",
            "forms_offered": ["full_time", "part_time"],
            "languages": ["kk", "ru"],
            "periods": 8,
            "shortened": False,
            "shortened_basis": "",
        }

    def test_shortened_with_its_basis(self, admin):
        programme = services.programme_create(
            actor=admin, **{**PROGRAMME, "periods": 6, "shortened": True, "shortened_basis": "tvet"}
        )
        assert (programme.shortened, programme.shortened_basis, programme.periods) == (True, "tvet", 6)

    def test_tvet_code(self, admin):
        programme = services.programme_create(actor=admin, **{**PROGRAMME, "code": "0101000", "level": Level.TVET})
        assert programme.code == "0101000"

    @pytest.mark.parametrize(
        ("change", "errors"),
        [
            (
                {"shortened": True},
                {
                    "shortened_basis": [
                        "A shortened programme needs its basis: technical and vocational, post-secondary or higher "
                        "education."
                    ]
                },
            ),
            (
                {"shortened_basis": "higher"},
                {
                    "shortened_basis": [
                        "Only a shortened programme has a basis: clear it or mark the programme shortened."
                    ]
                },
            ),
            (
                {"code": "7M06101"},
                {"code": ["A bachelor's programme code is 6B and five digits, e.g. 6B01101 (Latin B)."]},
            ),
            (
                {"forms_offered": []},
                {"forms_offered": ["Choose one or more forms of study: full-time, part-time, correspondence."]},
            ),
            (
                {"forms_offered": ["full_time", "evening"]},
                {"forms_offered": ["Choose one or more forms of study: full-time, part-time, correspondence."]},
            ),
            (
                {"languages": ["de"]},
                {"languages": ["Choose one or more languages of instruction: Kazakh, Russian, English."]},
            ),
            ({"periods": 0}, {"periods": ["A programme has 1 to 16 academic periods."]}),
        ],
    )
    def test_bad_input_is_named_and_creates_nothing(self, admin, change, errors):
        with pytest.raises(ValidationError) as caught:
            services.programme_create(actor=admin, **{**PROGRAMME, **change})
        assert caught.value.message_dict == errors
        assert Programme.objects.count() == 0
        assert Event.objects.count() == 0

    def test_duplicate_code(self, admin):
        services.programme_create(actor=admin, **PROGRAMME)
        with pytest.raises(ValidationError) as caught:
            services.programme_create(actor=admin, **{**PROGRAMME, "code": "6b06101"})
        assert caught.value.message_dict == {"code": ["A programme with the code 6B06101 already exists."]}
        assert Programme.objects.count() == 1


@pytest.mark.django_db
class TestProgrammeUpdate:
    def test_update_records_only_the_changes(self, admin):
        programme = services.programme_create(actor=admin, **PROGRAMME)
        services.programme_update(actor=admin, programme=programme, name_en="Information Systems", periods=7)
        programme.refresh_from_db()
        assert (programme.name_en, programme.periods) == ("Information Systems", 7)
        [event] = events("academics.programme_updated")
        assert event.before == {"name_en": "Information systems", "periods": 8}
        assert event.after == {"name_en": "Information Systems", "periods": 7}

    def test_no_change_writes_nothing(self, admin):
        programme = services.programme_create(actor=admin, **PROGRAMME)
        services.programme_update(actor=admin, programme=programme, **PROGRAMME)
        assert events("academics.programme_updated") == []

    def test_a_form_of_study_used_by_a_group_stays(self, admin):
        programme = ProgrammeFactory(forms_offered=["full_time", "part_time"])
        StudyGroupFactory(programme=programme, code="ИС-25", form_of_study="part_time")
        with pytest.raises(ValidationError) as caught:
            services.programme_update(actor=admin, programme=programme, forms_offered=["full_time"])
        assert caught.value.message_dict == {
            "forms_offered": ["Group ИС-25 studies in the form “Part-time”: keep it offered."]
        }
        programme.refresh_from_db()
        assert programme.forms_offered == ["full_time", "part_time"]
        assert Event.objects.count() == 0

    def test_periods_cannot_drop_below_the_curriculum(self, admin):
        programme = ProgrammeFactory(periods=8)
        CurriculumEntryFactory(programme=programme, period_number=8)
        with pytest.raises(ValidationError) as caught:
            services.programme_update(actor=admin, programme=programme, periods=6)
        assert caught.value.message_dict == {"periods": ["The curriculum has disciplines in academic period 8."]}
        programme.refresh_from_db()
        assert programme.periods == 8

    def test_unshortening_needs_the_basis_cleared(self, admin):
        programme = ProgrammeFactory(shortened=True, shortened_basis="higher")
        with pytest.raises(ValidationError):
            services.programme_update(actor=admin, programme=programme, shortened=False)
        programme.refresh_from_db()
        assert programme.shortened is True
        services.programme_update(actor=admin, programme=programme, shortened=False, shortened_basis="")
        programme.refresh_from_db()
        assert (programme.shortened, programme.shortened_basis) == (False, "")


# --- Disciplines and curricula -------------------------------------------------------------------


@pytest.mark.django_db
class TestDisciplines:
    def test_create_and_update(self, admin):
        discipline = services.discipline_create(
            actor=admin, code=" INF1101 ", name_kk="Информатика", name_ru="Информатика", credits=5
        )
        assert (discipline.code, discipline.credits) == ("INF1101", 5)
        services.discipline_update(actor=admin, discipline=discipline, credits=6)
        [event] = events("academics.discipline_updated")
        assert (event.before, event.after) == ({"credits": 5}, {"credits": 6})

    def test_duplicate_code_and_zero_credits_are_refused(self, admin):
        DisciplineFactory(code="INF1101")
        with pytest.raises(ValidationError) as caught:
            services.discipline_create(actor=admin, code="INF1101", name_kk="Екінші", credits=5)
        assert caught.value.message_dict == {"code": ["A discipline with the code INF1101 already exists."]}
        with pytest.raises(ValidationError) as caught:
            services.discipline_create(actor=admin, code="INF1102", name_kk="Нөл", credits=0)
        assert caught.value.message_dict == {"credits": ["A discipline has 1 to 60 credits."]}
        assert Discipline.objects.count() == 1


@pytest.mark.django_db
class TestCurriculum:
    def add(self, programme, discipline, period_number=1, **extra):
        return services.curriculum_entry_add(
            actor=None,
            programme=programme,
            discipline=discipline,
            period_number=period_number,
            cycle=Cycle.GENERAL,
            component=Component.COMPULSORY,
            final_control=FinalControl.EXAM,
            **extra,
        )

    def test_add_takes_the_discipline_credits_unless_given(self):
        programme = ProgrammeFactory()
        own = self.add(programme, DisciplineFactory(credits=5))
        given = self.add(programme, DisciplineFactory(credits=5), period_number=2, credits=3)
        assert (own.credits, given.credits) == (5, 3)
        first = events("academics.curriculum_entry_added")[0]
        assert first.after == {
            "programme": programme.pk,
            "discipline": own.discipline_id,
            "period_number": 1,
            "credits": 5,
            "cycle": "general",
            "component": "compulsory",
            "final_control": "exam",
        }

    def test_period_beyond_the_programme_is_refused(self):
        programme = ProgrammeFactory(code="6B06101", periods=8)
        with pytest.raises(ValidationError) as caught:
            self.add(programme, DisciplineFactory(), period_number=9)
        assert caught.value.message_dict == {
            "period_number": ["Programme 6B06101 has 8 academic periods: choose 1 to 8."]
        }
        assert CurriculumEntry.objects.count() == 0

    def test_same_discipline_twice_in_a_period_is_refused(self):
        programme = ProgrammeFactory()
        discipline = DisciplineFactory(code="INF1101", name_kk="Информатика")
        self.add(programme, discipline)
        with pytest.raises(ValidationError) as caught:
            self.add(programme, discipline)
        assert caught.value.message_dict == {
            "discipline": ["INF1101 Информатика is already in academic period 1 of this curriculum."]
        }
        self.add(programme, discipline, period_number=2)  # another period is fine
        assert CurriculumEntry.objects.count() == 2

    def test_unknown_cycle_is_refused(self):
        programme = ProgrammeFactory()
        with pytest.raises(ValidationError) as caught:
            services.curriculum_entry_add(
                actor=None,
                programme=programme,
                discipline=DisciplineFactory(),
                period_number=1,
                cycle="extra",
                component=Component.ELECTIVE,
                final_control=FinalControl.CREDIT,
            )
        assert list(caught.value.message_dict) == ["cycle"]
        assert CurriculumEntry.objects.count() == 0

    def test_remove_records_what_was_there(self):
        entry = CurriculumEntryFactory(period_number=3, credits=4)
        services.curriculum_entry_remove(actor=None, entry=entry)
        assert CurriculumEntry.objects.count() == 0
        [event] = events("academics.curriculum_entry_removed")
        assert (event.target_type, event.target_id) == ("academics.curriculumentry", str(entry.pk))
        assert event.before["period_number"] == 3
        assert event.before["credits"] == 4


# --- Years, periods, calendars -------------------------------------------------------------------


@pytest.mark.django_db
class TestYearsAndPeriods:
    def test_year_create(self, admin):
        year = services.academic_year_create(
            actor=admin, title="2026–2027", start_date=date(2026, 9, 1), end_date=date(2027, 8, 31)
        )
        assert year.title == "2026–2027"
        assert events("academics.academic_year_created")[0].after == {
            "title": "2026–2027",
            "start_date": "2026-09-01",
            "end_date": "2027-08-31",
        }

    @pytest.mark.parametrize(
        ("start", "end", "field"),
        [
            (date(2027, 8, 31), date(2026, 9, 1), "end_date"),
            (date(2026, 9, 1), date(2028, 9, 1), "end_date"),
            (date(2027, 8, 1), date(2028, 7, 31), "start_date"),  # overlaps 2026–2027
        ],
    )
    def test_bad_years(self, year, start, end, field):
        with pytest.raises(ValidationError) as caught:
            services.academic_year_create(actor=None, title="2027–2028", start_date=start, end_date=end)
        assert list(caught.value.message_dict) == [field]
        assert AcademicYear.objects.count() == 1

    def test_periods(self, year):
        services.academic_period_create(
            actor=None,
            year=year,
            kind=PeriodKind.SEMESTER,
            number=1,
            start_date=date(2026, 9, 1),
            end_date=date(2027, 1, 16),
        )
        with pytest.raises(ValidationError) as caught:
            services.academic_period_create(
                actor=None,
                year=year,
                kind=PeriodKind.SEMESTER,
                number=2,
                start_date=date(2027, 1, 10),
                end_date=date(2027, 6, 30),
            )
        assert caught.value.messages == [
            "Academic period 1 (01.09.2026–16.01.2027) overlaps Academic period 2 (10.01.2027–30.06.2027)."
        ]
        with pytest.raises(ValidationError) as caught:
            services.academic_period_create(
                actor=None,
                year=year,
                kind=PeriodKind.SEMESTER,
                number=1,
                start_date=date(2027, 2, 1),
                end_date=date(2027, 6, 30),
            )
        assert caught.value.message_dict == {"number": ["The academic year 2026–2027 already has a period 1."]}
        assert AcademicPeriod.objects.count() == 1


@pytest.mark.django_db
class TestCalendar:
    def add(self, calendar, kind, start, end, **extra):
        return services.calendar_event_add(
            actor=None, calendar=calendar, kind=kind, start_date=start, end_date=end, **extra
        )

    def approve(self, calendar):
        return services.calendar_approve(
            actor=None, calendar=calendar, approved_on=date(2026, 6, 25), protocol_number="11"
        )

    def test_create_twice_for_a_level_is_refused(self, year):
        services.calendar_create(actor=None, year=year, level=Level.BACHELOR)
        with pytest.raises(ValidationError):
            services.calendar_create(actor=None, year=year, level=Level.BACHELOR)
        services.calendar_create(actor=None, year=year, level=Level.MASTER)
        assert AcademicCalendar.objects.count() == 2

    def test_events_are_added_and_audited(self, calendar):
        classes = self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
        self.add(calendar, EventKind.MIDTERM_1, date(2026, 10, 19), date(2026, 10, 24))
        assert calendar.events.count() == 2
        first = events("academics.calendar_event_added")[0]
        assert first.after == {
            "calendar": calendar.pk,
            "kind": "classes",
            "start_date": "2026-09-01",
            "end_date": "2026-12-19",
            "period": None,
        }
        assert (first.target_type, first.target_id) == ("academics.calendarevent", str(classes.pk))

    def test_overlapping_events_change_nothing(self, calendar):
        self.add(calendar, EventKind.ATTESTATION, date(2026, 12, 21), date(2027, 1, 16))
        count = Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            self.add(calendar, EventKind.HOLIDAYS, date(2027, 1, 10), date(2027, 2, 1))
        assert caught.value.messages == [
            "Intermediate attestation (exam session) 21.12.2026–16.01.2027 overlaps Holidays 10.01.2027–01.02.2027."
        ]
        assert calendar.events.count() == 1
        assert Event.objects.count() == count

    def test_event_outside_the_year_changes_nothing(self, calendar):
        with pytest.raises(ValidationError) as caught:
            self.add(calendar, EventKind.HOLIDAYS, date(2027, 7, 5), date(2027, 9, 1))
        assert caught.value.messages == [
            "Holidays 05.07.2027–01.09.2027 lies outside the academic year (01.09.2026–31.08.2027)."
        ]
        assert CalendarEvent.objects.count() == 0
        assert Event.objects.count() == 0

    def test_midterm_outside_classes_is_refused(self, calendar):
        with pytest.raises(ValidationError) as caught:
            self.add(calendar, EventKind.MIDTERM_1, date(2026, 10, 19), date(2026, 10, 24))
        assert caught.value.messages == [
            "Midterm control 1 (RK1) 19.10.2026–24.10.2026 must lie inside a period of classes."
        ]
        assert CalendarEvent.objects.count() == 0

    def test_period_of_another_year_is_refused(self, calendar):
        other = AcademicPeriodFactory(
            year__title="2027–2028", year__start_date=date(2027, 9, 1), year__end_date=date(2028, 8, 31)
        )
        with pytest.raises(ValidationError) as caught:
            self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19), period=other)
        assert caught.value.message_dict == {"period": ["The period belongs to another academic year."]}

    def test_removing_classes_around_a_midterm_is_refused(self, calendar):
        classes = self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
        self.add(calendar, EventKind.MIDTERM_1, date(2026, 10, 19), date(2026, 10, 24))
        with pytest.raises(ValidationError):
            services.calendar_event_remove(actor=None, event=classes)
        assert calendar.events.count() == 2

    def test_approve_records_the_council_decision(self, calendar, admin):
        self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
        services.calendar_approve(actor=admin, calendar=calendar, approved_on=date(2026, 6, 25), protocol_number=" 11 ")
        calendar.refresh_from_db()
        assert (calendar.approved, calendar.approved_on, calendar.protocol_number) == (True, date(2026, 6, 25), "11")
        [event] = events("academics.calendar_approved")
        assert event.before == {"approved_on": None, "protocol_number": ""}
        assert event.after == {"approved_on": "2026-06-25", "protocol_number": "11"}

    def test_approval_needs_classes_a_protocol_and_a_past_date(self, calendar):
        with pytest.raises(ValidationError) as caught:
            self.approve(calendar)
        assert caught.value.messages == [
            "A calendar without any classes cannot be approved: add the periods of classes first."
        ]
        self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
        with pytest.raises(ValidationError) as caught:
            services.calendar_approve(actor=None, calendar=calendar, approved_on=date(2026, 6, 25), protocol_number="")
        assert list(caught.value.message_dict) == ["protocol_number"]
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(ValidationError) as caught:
            services.calendar_approve(actor=None, calendar=calendar, approved_on=tomorrow, protocol_number="11")
        assert list(caught.value.message_dict) == ["approved_on"]
        calendar.refresh_from_db()
        assert calendar.approved is False

    def test_an_approved_calendar_cannot_be_edited(self, calendar):
        classes = self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
        self.approve(calendar)
        count = Event.objects.count()
        message = (
            "The academic calendar 2026–2027 was approved by the academic council on 25.06.2026 (protocol № 11) and "
            "cannot be changed. Reopen it for changes; it then takes effect again only after a new approval."
        )
        with pytest.raises(ValidationError) as caught:
            self.add(calendar, EventKind.HOLIDAYS, date(2027, 7, 5), date(2027, 8, 31))
        assert caught.value.messages == [message]
        with pytest.raises(ValidationError) as caught:
            services.calendar_event_remove(actor=None, event=classes)
        assert caught.value.messages == [message]
        with pytest.raises(ValidationError) as caught:
            services.calendar_approve(
                actor=None, calendar=calendar, approved_on=date(2026, 6, 30), protocol_number="12"
            )
        assert caught.value.messages == [message]
        assert calendar.events.count() == 1
        calendar.refresh_from_db()
        assert calendar.protocol_number == "11"
        assert Event.objects.count() == count

    def test_reopen_then_change_then_a_new_approval(self, calendar, admin):
        self.add(calendar, EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
        self.approve(calendar)
        with pytest.raises(ValidationError):
            services.calendar_reopen(actor=admin, calendar=calendar, reason=" ")
        services.calendar_reopen(actor=admin, calendar=calendar, reason="Council decision to move the holidays")
        calendar.refresh_from_db()
        assert (calendar.approved, calendar.protocol_number) == (False, "")
        [event] = events("academics.calendar_reopened")
        assert event.before == {"approved_on": "2026-06-25", "protocol_number": "11"}
        assert event.reason == "Council decision to move the holidays"
        self.add(calendar, EventKind.HOLIDAYS, date(2027, 7, 5), date(2027, 8, 31))
        services.calendar_approve(actor=admin, calendar=calendar, approved_on=date(2026, 7, 2), protocol_number="12")
        calendar.refresh_from_db()
        assert (calendar.approved_on, calendar.protocol_number) == (date(2026, 7, 2), "12")

    def test_reopen_a_draft_is_refused(self, calendar):
        with pytest.raises(ValidationError):
            services.calendar_reopen(actor=None, calendar=calendar, reason="why")

    def test_calendar_in_effect_only_once_approved(self, calendar):
        from qashyq.academics.selectors import calendar_in_effect

        CalendarEventFactory(
            calendar=calendar, kind=EventKind.CLASSES, start_date=date(2026, 9, 1), end_date=date(2026, 12, 19)
        )
        assert calendar_in_effect(year=calendar.year, level=Level.BACHELOR) is None
        self.approve(calendar)
        assert calendar_in_effect(year=calendar.year, level=Level.BACHELOR) == calendar


# --- Study groups and teaching assignments -------------------------------------------------------


@pytest.mark.django_db
class TestGroups:
    def test_create(self, admin):
        programme = ProgrammeFactory(code="6B06101")
        group = services.group_create(
            actor=admin,
            code="ИС-25-1",
            programme=programme,
            admission_year=2025,
            language="kk",
            form_of_study="full_time",
            capacity=25,
        )
        assert (group.code, group.capacity, group.closed) == ("ИС-25-1", 25, False)
        assert events("academics.group_created")[0].after == {
            "code": "ИС-25-1",
            "programme": programme.pk,
            "admission_year": 2025,
            "language": "kk",
            "form_of_study": "full_time",
            "capacity": 25,
            "closed": False,
        }

    def test_form_of_study_not_offered_is_refused(self, admin):
        programme = ProgrammeFactory(code="6B06101", forms_offered=["full_time"])
        with pytest.raises(ValidationError) as caught:
            services.group_create(
                actor=admin,
                code="ИС-25-2",
                programme=programme,
                admission_year=2025,
                language="kk",
                form_of_study="correspondence",
            )
        assert caught.value.message_dict == {
            "form_of_study": [
                "Programme 6B06101 is not offered in the form “Correspondence (extramural)” (offered: Full-time)."
            ]
        }
        assert StudyGroup.objects.count() == 0
        assert Event.objects.count() == 0

    def test_language_not_taught_is_refused(self, admin):
        programme = ProgrammeFactory(code="6B06101", languages=["kk"])
        with pytest.raises(ValidationError) as caught:
            services.group_create(
                actor=admin,
                code="ИС-25-3",
                programme=programme,
                admission_year=2025,
                language="en",
                form_of_study="full_time",
            )
        assert caught.value.message_dict == {
            "language": ["Programme 6B06101 is not taught in English (taught in: Kazakh)."]
        }
        assert StudyGroup.objects.count() == 0

    def test_update_changes_places_and_closes(self, admin):
        group = StudyGroupFactory(capacity=25)
        services.group_update(actor=admin, group=group, capacity=30, closed=True)
        group.refresh_from_db()
        assert (group.capacity, group.closed) == (30, True)
        [event] = events("academics.group_updated")
        assert (event.before, event.after) == ({"capacity": 25, "closed": False}, {"capacity": 30, "closed": True})

    def test_update_cannot_touch_the_programme(self, admin):
        group = StudyGroupFactory()
        with pytest.raises(TypeError):
            services.group_update(actor=admin, group=group, programme=ProgrammeFactory())

    def test_zero_places_is_refused(self, admin):
        group = StudyGroupFactory(capacity=25)
        with pytest.raises(ValidationError) as caught:
            services.group_update(actor=admin, group=group, capacity=0)
        assert caught.value.message_dict == {"capacity": ["A group has 1 to 500 places."]}
        group.refresh_from_db()
        assert group.capacity == 25


@pytest.mark.django_db
class TestTeachingAssignments:
    def test_add_for_a_group_of_a_programme_with_the_discipline(self, make_user):
        teacher = make_user(Role.TEACHER)
        entry = CurriculumEntryFactory()
        group = StudyGroupFactory(programme=entry.programme)
        assignment = services.teaching_assignment_add(
            actor=None, user=teacher, discipline=entry.discipline, role="teacher", group=group
        )
        assert (assignment.user, assignment.group) == (teacher, group)
        assert events("academics.teaching_assignment_added")[0].after == {
            "user": teacher.pk,
            "discipline": entry.discipline_id,
            "group": group.pk,
            "role": "teacher",
        }

    def test_the_person_must_hold_the_role(self, make_user):
        student = make_user(Role.STUDENT, last_name="Ахметов", first_name="Ерлан")
        with pytest.raises(ValidationError) as caught:
            services.teaching_assignment_add(actor=None, user=student, discipline=DisciplineFactory(), role="tutor")
        assert caught.value.message_dict == {"user": ["Ахметов Ерлан does not hold the role “Tutor”."]}
        assert TeachingAssignment.objects.count() == 0

    def test_the_group_must_study_the_discipline(self, make_user):
        teacher = make_user(Role.TEACHER)
        group = StudyGroupFactory(code="ИС-25-1")
        discipline = DisciplineFactory(code="INF1101", name_kk="Информатика")
        with pytest.raises(ValidationError) as caught:
            services.teaching_assignment_add(
                actor=None, user=teacher, discipline=discipline, role="teacher", group=group
            )
        assert caught.value.message_dict == {
            "group": ["INF1101 Информатика is not in the curriculum of group ИС-25-1."]
        }
        assert TeachingAssignment.objects.count() == 0

    def test_no_duplicate_even_without_a_group(self, make_user):
        tutor = make_user(Role.TUTOR)
        discipline = DisciplineFactory()
        services.teaching_assignment_add(actor=None, user=tutor, discipline=discipline, role="tutor")
        with pytest.raises(ValidationError):
            services.teaching_assignment_add(actor=None, user=tutor, discipline=discipline, role="tutor")
        assert TeachingAssignment.objects.count() == 1

    def test_remove(self, make_user):
        tutor = make_user(Role.TUTOR)
        assignment = services.teaching_assignment_add(
            actor=None, user=tutor, discipline=DisciplineFactory(), role="tutor"
        )
        services.teaching_assignment_remove(actor=None, assignment=assignment)
        assert TeachingAssignment.objects.count() == 0
        assert events("academics.teaching_assignment_removed")[0].before["user"] == tutor.pk
