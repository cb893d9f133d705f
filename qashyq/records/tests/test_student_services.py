"""student_create and student_update_contacts: exact values, audit events, and bad input that changes nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from qashyq.accounts.api import Role
from qashyq.audit.models import Event
from qashyq.core.iin import iin_make
from qashyq.records.api import StudentData, student_get
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.services.students import student_create, student_update_contacts
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student, students_snapshot

BIRTH = date(2006, 4, 9)
IIN = iin_make(birth_date=BIRTH, sex="female", serial=123)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def setting(db, make_user):
    programme = make_programme()
    other = make_programme("6B01101", forms_offered=["full_time"])
    return {
        "admin": make_user(Role.ADMINISTRATION),
        "programme": programme,
        "group": make_group("ИС-26-1", programme),
        "other_group": make_group("ПИ-26-1", other),
        "other_programme": other,
    }


def fields(setting, **changes):
    values = {
        "iin": IIN,
        "last_name": "Сейітова",
        "first_name": "Айгерім",
        "patronymic": "Қайратқызы",
        "birth_date": BIRTH,
        "sex": "female",
        "programme_id": setting["programme"].pk,
        "group_id": setting["group"].pk,
        "form_of_study": "full_time",
        "language": "kk",
        "funding": "state_grant",
        "phone": "+7 701 111 22 33",
    }
    values.update(changes)
    return values


def nothing_written(before_students, before_events):
    assert students_snapshot() == before_students
    assert Event.objects.count() == before_events


class TestStudentCreate:
    def test_creates_an_applicant_with_a_latin_name_and_an_audit_event(self, setting):
        student = student_create(actor=setting["admin"], **fields(setting))

        fresh = Student.objects.get(pk=student.pk)
        assert fresh.iin == IIN
        assert fresh.status == StudentStatus.APPLICANT
        assert fresh.name_latin == "Seiıtova Aigerım Qairatqyzy"
        assert fresh.search_text == (
            "сеиітова аигерім қаиратқызы seiitova aigerim qairatqyzy seiitova aigerim qairatqyzy"
        )
        assert (fresh.programme_id, fresh.group_id, fresh.course_year) == (
            setting["programme"].pk,
            setting["group"].pk,
            1,
        )
        event = Event.objects.get(action="records.student_created")
        assert event.target_type == "records.student"
        assert event.target_id == str(student.pk)
        assert event.actor_id == setting["admin"].pk
        assert event.after == {
            "iin": IIN[:4] + "********",
            "name": "Сейітова Айгерім Қайратқызы",
            "programme_id": setting["programme"].pk,
            "group_id": setting["group"].pk,
            "form_of_study": "full_time",
            "status": "applicant",
            "course_year": 1,
        }

    def test_a_latin_name_given_is_kept(self, setting):
        student = student_create(actor=setting["admin"], **fields(setting, name_latin="Seitova Aigerim"))
        assert student.name_latin == "Seitova Aigerim"
        assert "seitova aigerim" in student.search_text

    def test_status_may_be_given_and_the_system_may_create(self, setting):
        student = student_create(actor=None, **fields(setting, status=StudentStatus.ACTIVE, group_id=None))
        assert (student.status, student.group_id) == ("active", None)
        assert Event.objects.get(action="records.student_created").actor_label == "system"

    def test_student_get_gives_the_data_class(self, setting):
        student = student_create(actor=setting["admin"], **fields(setting))
        data = student_get(student_id=student.pk)
        assert data == StudentData(
            id=student.pk,
            user_id=None,
            iin=IIN,
            last_name="Сейітова",
            first_name="Айгерім",
            patronymic="Қайратқызы",
            name_latin="Seiıtova Aigerım Qairatqyzy",
            full_name="Сейітова Айгерім Қайратқызы",
            birth_date=BIRTH,
            sex="female",
            programme_id=setting["programme"].pk,
            group_id=setting["group"].pk,
            form_of_study="full_time",
            language="kk",
            funding="state_grant",
            bolashak=False,
            disability="",
            status="applicant",
            course_year=1,
        )
        assert student_get(student_id=student.pk + 1000) is None

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"iin": IIN[:11] + str((int(IIN[11]) + 1) % 10)},
                "iin",
                "The check digit of this IIN is wrong: please check every digit.",
            ),
            ({"iin": "12345"}, "iin", "An IIN has exactly 12 digits."),
            ({"iin": "0604097" + IIN[7:]}, "iin", "The 7th digit of an IIN (century and sex) must be 1 to 6."),
            (
                {"birth_date": date(2006, 4, 10)},
                "birth_date",
                "The birth date 10.04.2006 does not agree with the IIN, which gives 09.04.2006.",
            ),
            (
                {"sex": "male"},
                "sex",
                "The sex “Male” does not agree with the IIN, whose 7th digit gives “Female”.",
            ),
            ({"programme_id": 999_999}, "programme", "Choose an existing programme."),
            ({"group_id": 999_999}, "group", "Choose an existing group."),
            (
                {"form_of_study": "part_time"},
                "form_of_study",
                "The programme 6B06101 is not offered in the form “Part-time”.",
            ),
            (
                {"form_of_study": "evening"},
                "form_of_study",
                "Unknown form of study “evening”: use one of full_time, part_time, correspondence.",
            ),
            ({"language": "de"}, "language", "Unknown language “de”: use one of kk, ru, en."),
            ({"last_name": ""}, "last_name", "This field cannot be blank."),
            ({"funding": "lottery"}, "funding", "Value 'lottery' is not a valid choice."),
            ({"email": "not-an-address"}, "email", "Enter a valid email address."),
            ({"course_year": 9}, "course_year", "The course year must be 1 to 8."),
        ],
    )
    def test_bad_input_is_refused_by_field_and_changes_nothing(self, setting, changes, field, message):
        before_students, before_events = students_snapshot(), Event.objects.count()

        with pytest.raises(ValidationError) as caught:
            student_create(actor=setting["admin"], **fields(setting, **changes))

        assert message in caught.value.message_dict[field]
        nothing_written(before_students, before_events)

    def test_group_of_another_programme_is_refused(self, setting):
        before_students, before_events = students_snapshot(), Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            student_create(actor=setting["admin"], **fields(setting, group_id=setting["other_group"].pk))
        assert caught.value.message_dict["group"] == [
            "The group ПИ-26-1 belongs to the programme 6B01101, not to 6B06101."
        ]
        nothing_written(before_students, before_events)

    def test_duplicate_iin_is_refused(self, setting):
        student_create(actor=setting["admin"], **fields(setting))
        before_students, before_events = students_snapshot(), Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            student_create(actor=setting["admin"], **fields(setting, last_name="Басқа"))
        assert caught.value.message_dict["iin"] == ["A student with this IIN is already recorded."]
        nothing_written(before_students, before_events)

    def test_an_account_holds_one_record_only(self, setting, make_user):
        account = make_user(Role.STUDENT)
        student_create(actor=setting["admin"], **fields(setting, user=account))
        other = iin_make(birth_date=BIRTH, sex="female", serial=500)
        with pytest.raises(ValidationError) as caught:
            student_create(actor=setting["admin"], **fields(setting, iin=other, user=account))
        assert caught.value.message_dict["user"] == ["This account already has a student record."]
        assert Student.objects.count() == 1

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TUTOR, Role.HEAD, Role.STUDENT, Role.IT_SUPPORT])
    def test_only_the_administration_creates(self, setting, make_user, role):
        with pytest.raises(PermissionDenied):
            student_create(actor=make_user(role), **fields(setting))
        assert Student.objects.count() == 0
        assert Event.objects.filter(action="records.student_created").count() == 0

    def test_unknown_fields_are_a_programming_error(self, setting):
        with pytest.raises(TypeError, match="unexpected fields: colour"):
            student_create(actor=setting["admin"], colour="blue", **fields(setting))


class TestStudentUpdateContacts:
    def test_changes_contacts_and_records_what_changed(self, setting):
        student = make_student(setting["programme"], group=setting["group"], phone="+7 700 000 00 00")

        student_update_contacts(
            actor=setting["admin"],
            student=student,
            phone="+7 701 999 88 77",
            email="aigerim@example.kz",
            address="",
            name_latin="Seitova Aigerim",
        )

        fresh = Student.objects.get(pk=student.pk)
        assert (fresh.phone, fresh.email, fresh.address, fresh.name_latin) == (
            "+7 701 999 88 77",
            "aigerim@example.kz",
            "",
            "Seitova Aigerim",
        )
        assert "seitova aigerim" in fresh.search_text
        event = Event.objects.get(action="records.student_contacts_changed")
        assert event.before == {"phone": "+7 700 000 00 00", "email": "", "name_latin": student_before_latin(fresh)}
        assert event.after == {
            "phone": "+7 701 999 88 77",
            "email": "aigerim@example.kz",
            "name_latin": "Seitova Aigerim",
        }

    def test_no_change_no_event(self, setting):
        student = make_student(setting["programme"], phone="1")
        student_update_contacts(actor=setting["admin"], student=student, phone="1")
        assert Event.objects.filter(action="records.student_contacts_changed").count() == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"status": "active"}, "status"),
            ({"group_id": 1}, "group_id"),
            ({"programme": 1}, "programme"),
            ({"form_of_study": "correspondence"}, "form_of_study"),
            ({"course_year": 2}, "course_year"),
            ({"iin": "000000000000"}, "iin"),
        ],
    )
    def test_what_orders_change_is_refused(self, setting, changes, field):
        student = make_student(setting["programme"], group=setting["group"])
        before_students, before_events = students_snapshot(), Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            student_update_contacts(actor=setting["admin"], student=student, phone="2", **changes)
        assert caught.value.message_dict[field][0].endswith("changes only through an order, not by editing the record.")
        nothing_written(before_students, before_events)

    def test_bad_email_is_refused_and_the_object_is_restored(self, setting):
        student = make_student(setting["programme"], email="old@example.kz")
        before_students, before_events = students_snapshot(), Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            student_update_contacts(actor=setting["admin"], student=student, email="nope")
        assert caught.value.message_dict == {"email": ["Enter a valid email address."]}
        assert student.email == "old@example.kz"
        nothing_written(before_students, before_events)

    def test_only_the_administration_edits(self, setting, make_user):
        student = make_student(setting["programme"])
        with pytest.raises(PermissionDenied):
            student_update_contacts(actor=make_user(Role.TEACHER), student=student, phone="3")
        assert Student.objects.get(pk=student.pk).phone == ""


def student_before_latin(student):
    """The Latin name make_student wrote (transliterated), before the change."""
    from qashyq.records import rules

    return rules.name_latin(last_name=student.last_name, first_name=student.first_name)
