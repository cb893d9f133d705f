"""services/courses.py: a course made and changed, its staff, enrolment one by one and by groups, ending an
enrolment — exact values, audit events, and bad input changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from qashyq.academics.tests.factories import AcademicPeriodFactory, DisciplineFactory
from qashyq.accounts.api import Role
from qashyq.audit.models import Event
from qashyq.content import api as content_api
from qashyq.content.data import CourseData, DeliveryChannel, EnrolmentData, EnrolmentSource, StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment
from qashyq.content.services import courses as services
from qashyq.content.tests.factories import CourseFactory
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATION)


@pytest.fixture
def setting(db):
    programme = make_programme()
    return {
        "discipline": DisciplineFactory(
            code="IS2101", name_kk="Ақпараттық жүйелер", name_ru="Информационные системы", name_en="Info systems"
        ),
        "period": AcademicPeriodFactory(),
        "programme": programme,
        "group_a": make_group("ИС-26-1", programme),
        "group_b": make_group("ИС-26-2", programme),
    }


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


def create(admin, setting, **fields):
    values = {
        "actor": admin,
        "discipline_id": setting["discipline"].pk,
        "period_id": setting["period"].pk,
        "code": "IS2101-2026-1",
    }
    values.update(fields)
    return services.course_create(**values)


# --- course_create / course_update ------------------------------------------------------------------


def test_create_takes_the_discipline_names_when_titles_are_empty(admin, setting):
    course = create(admin, setting, group_ids=[setting["group_b"].pk, setting["group_a"].pk], language="ru")
    course.refresh_from_db()
    assert (course.name_kk, course.name_ru, course.name_en) == (
        "Ақпараттық жүйелер",
        "Информационные системы",
        "Info systems",
    )
    assert course.code == "IS2101-2026-1"
    assert course.language == "ru"
    assert course.created_by == admin
    assert sorted(course.groups.values_list("pk", flat=True)) == sorted([setting["group_a"].pk, setting["group_b"].pk])
    [event] = events("content.course_created")
    assert event.after["code"] == "IS2101-2026-1"
    assert event.after["group_ids"] == sorted([setting["group_a"].pk, setting["group_b"].pk])


def test_create_keeps_given_titles_and_fills_only_the_empty_ones(admin, setting):
    course = create(admin, setting, name_kk=" Деректер қоры ", name_en="Databases")
    assert (course.name_kk, course.name_ru, course.name_en) == ("Деректер қоры", "Информационные системы", "Databases")


def test_create_with_staff(admin, setting, make_user):
    teacher, tutor = make_user(Role.TEACHER), make_user(Role.TUTOR)
    course = create(admin, setting, teacher_ids=[teacher.pk], tutor_ids=[tutor.pk])
    assert set(CourseStaff.objects.filter(course=course).values_list("user_id", "role")) == {
        (teacher.pk, "teacher"),
        (tutor.pk, "tutor"),
    }


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"code": "  "}, "code"),
        ({"code": "X" * 61}, "code"),
        ({"discipline_id": 999_999}, "discipline"),
        ({"period_id": 999_999}, "period"),
        ({"language": "de"}, "language"),
        ({"group_ids": [999_999]}, "groups"),
        ({"name_ru": "Я" * 301}, "name_ru"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(admin, setting, fields, key):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        create(admin, setting, **fields)
    assert key in error.value.message_dict
    assert Course.objects.count() == 0
    assert not events("content.course_created")


def test_create_refuses_a_taken_code(admin, setting):
    create(admin, setting)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        create(admin, setting)
    assert error.value.message_dict == {"code": ["A course with the code “IS2101-2026-1” already exists."]}
    assert Course.objects.count() == 1


def test_create_refuses_a_teacher_without_the_role_and_writes_nothing(admin, setting, make_user):
    student = make_user(Role.STUDENT)
    with pytest.raises(ValidationError) as error:
        create(admin, setting, teacher_ids=[student.pk])
    assert "teachers" in error.value.message_dict
    assert Course.objects.count() == 0  # the whole creation is one transaction


@pytest.mark.parametrize("role", [Role.TEACHER, Role.HEAD, Role.DIDACTICS, Role.STUDENT])
def test_only_the_administration_creates(setting, make_user, role):
    with pytest.raises(PermissionDenied):
        create(make_user(role), setting)
    assert Course.objects.count() == 0


def test_update_changes_what_is_given_and_audits_the_difference(admin, setting, make_user):
    tutor = make_user(Role.TUTOR)
    course = create(admin, setting, group_ids=[setting["group_a"].pk, setting["group_b"].pk], tutor_ids=[tutor.pk])
    services.course_staff_set(
        actor=admin,
        course=course,
        teacher_ids=[],
        tutor_ids=[tutor.pk],
        tutor_groups={tutor.pk: [setting["group_b"].pk]},
    )
    services.course_update(actor=admin, course=course, name_en="Information systems", group_ids=[setting["group_a"].pk])
    course.refresh_from_db()
    assert course.name_en == "Information systems"
    assert list(course.groups.values_list("pk", flat=True)) == [setting["group_a"].pk]
    # The tutor's limit to the dropped group B goes with it: they now look after every group.
    assert not CourseStaff.objects.get(course=course, user=tutor).groups.exists()
    [event] = events("content.course_updated")
    assert event.before == {
        "group_ids": sorted([setting["group_a"].pk, setting["group_b"].pk]),
        "name_en": "Info systems",
    }
    assert event.after == {"group_ids": [setting["group_a"].pk], "name_en": "Information systems"}


def test_update_without_changes_writes_no_event(admin, setting):
    course = create(admin, setting)
    services.course_update(actor=admin, course=course, code="IS2101-2026-1")
    assert not events("content.course_updated")


def test_update_refuses_bad_input_and_changes_nothing(admin, setting):
    course = create(admin, setting)
    CourseFactory(code="TAKEN", period=setting["period"])
    with pytest.raises(ValidationError) as error:
        services.course_update(actor=admin, course=course, code="TAKEN", name_en="New")
    assert "code" in error.value.message_dict
    course.refresh_from_db()
    assert (course.code, course.name_en) == ("IS2101-2026-1", "Info systems")
    with pytest.raises(TypeError):
        services.course_update(actor=admin, course=course, created_by=None)


# --- course_staff_set -------------------------------------------------------------------------------


def test_staff_set_adds_removes_limits_and_audits(admin, setting, make_user):
    course = create(admin, setting, group_ids=[setting["group_a"].pk, setting["group_b"].pk])
    t1, t2, tutor = make_user(Role.TEACHER), make_user(Role.TEACHER), make_user(Role.TUTOR)
    services.course_staff_set(actor=admin, course=course, teacher_ids=[t1.pk, t2.pk], tutor_ids=[tutor.pk])
    services.course_staff_set(
        actor=admin,
        course=course,
        teacher_ids=[t2.pk],
        tutor_ids=[tutor.pk],
        tutor_groups={tutor.pk: [setting["group_a"].pk]},
    )
    rows = {
        (s.user_id, s.role): sorted(g.pk for g in s.groups.all()) for s in CourseStaff.objects.filter(course=course)
    }
    assert rows == {(t2.pk, "teacher"): [], (tutor.pk, "tutor"): [setting["group_a"].pk]}
    first, second = events("content.staff_changed")
    assert first.after == {"teachers": sorted([t1.pk, t2.pk]), "tutors": {str(tutor.pk): []}}
    assert second.before == first.after
    assert second.after == {"teachers": [t2.pk], "tutors": {str(tutor.pk): [setting["group_a"].pk]}}


def test_staff_set_keeps_a_tutor_limit_it_does_not_name(admin, setting, make_user):
    course = create(admin, setting, group_ids=[setting["group_a"].pk])
    tutor = make_user(Role.TUTOR)
    services.course_staff_set(
        actor=admin,
        course=course,
        teacher_ids=[],
        tutor_ids=[tutor.pk],
        tutor_groups={tutor.pk: [setting["group_a"].pk]},
    )
    services.course_staff_set(actor=admin, course=course, teacher_ids=[], tutor_ids=[tutor.pk])
    assert list(CourseStaff.objects.get(course=course).groups.values_list("pk", flat=True)) == [setting["group_a"].pk]
    assert len(events("content.staff_changed")) == 1  # the second call changed nothing


@pytest.mark.parametrize("case", ["student_as_teacher", "teacher_as_tutor", "inactive", "missing", "foreign_group"])
def test_staff_set_refuses_and_changes_nothing(admin, setting, make_user, case):
    course = create(admin, setting, group_ids=[setting["group_a"].pk])
    teacher, tutor = make_user(Role.TEACHER), make_user(Role.TUTOR)
    services.course_staff_set(actor=admin, course=course, teacher_ids=[teacher.pk], tutor_ids=[])
    before = list(CourseStaff.objects.filter(course=course).values_list("user_id", "role"))
    kwargs = {"teacher_ids": [teacher.pk], "tutor_ids": []}
    if case == "student_as_teacher":
        kwargs["teacher_ids"] = [make_user(Role.STUDENT).pk]
    elif case == "teacher_as_tutor":
        kwargs["tutor_ids"] = [teacher.pk]
    elif case == "inactive":
        kwargs["teacher_ids"] = [make_user(Role.TEACHER, is_active=False).pk]
    elif case == "missing":
        kwargs["tutor_ids"] = [999_999]
    else:
        kwargs["tutor_ids"] = [tutor.pk]
        kwargs["tutor_groups"] = {tutor.pk: [setting["group_b"].pk]}  # not a group of the course
    with pytest.raises(ValidationError):
        services.course_staff_set(actor=admin, course=course, **kwargs)
    assert list(CourseStaff.objects.filter(course=course).values_list("user_id", "role")) == before


def test_staff_set_is_for_the_administration(setting, admin, make_user):
    course = create(admin, setting)
    teacher = make_user(Role.TEACHER)
    with pytest.raises(PermissionDenied):
        services.course_staff_set(actor=teacher, course=course, teacher_ids=[teacher.pk], tutor_ids=[])
    assert not CourseStaff.objects.exists()


# --- enrol / course_enrol_groups / enrolment_end ----------------------------------------------------------


def active_student(setting, group="group_a", **fields):
    fields.setdefault("status", StudentStatus.ACTIVE)
    return make_student(setting["programme"], group=setting[group], **fields)


def test_enrol_is_idempotent_and_audited(admin, setting):
    course = create(admin, setting)
    student = active_student(setting)
    first = services.enrol(actor=admin, course_id=course.pk, student_id=student.pk, source=EnrolmentSource.MANUAL)
    again = services.enrol(
        actor=admin, course_id=course.pk, student_id=student.pk, source=EnrolmentSource.GROUP, delivery="paper"
    )
    assert again.pk == first.pk
    assert (again.source, again.delivery, again.active) == ("manual", "electronic", True)
    assert Enrolment.objects.count() == 1
    [event] = events("content.enrolled")
    assert event.after == {
        "course_id": course.pk,
        "student_id": student.pk,
        "source": "manual",
        "delivery": "electronic",
        "active": True,
        "reactivated": False,
    }


def test_enrol_reactivates_an_ended_enrolment_keeping_its_delivery(admin, setting):
    course = create(admin, setting)
    student = active_student(setting)
    enrolment = services.enrol(
        actor=admin, course_id=course.pk, student_id=student.pk, source="group", delivery=DeliveryChannel.PAPER
    )
    services.enrolment_end(actor=admin, enrolment=enrolment, reason="Moved to another group")
    again = services.enrol(actor=None, course_id=course.pk, student_id=student.pk, source="individual_plan")
    assert again.pk == enrolment.pk
    assert (again.active, again.ended_at, again.source, again.delivery) == (True, None, "individual_plan", "paper")
    assert events("content.enrolled")[-1].after["reactivated"] is True


@pytest.mark.parametrize(
    ("case", "key"),
    [
        ("applicant", "student"),
        ("expelled", "student"),
        ("missing_student", "student"),
        ("missing_course", "course"),
        ("source", "source"),
        ("delivery", "delivery"),
    ],
)
def test_enrol_refuses_and_writes_nothing(admin, setting, case, key):
    course = create(admin, setting)
    student = active_student(
        setting,
        status={"applicant": StudentStatus.APPLICANT, "expelled": StudentStatus.EXPELLED}.get(
            case, StudentStatus.ACTIVE
        ),
    )
    kwargs = {"actor": admin, "course_id": course.pk, "student_id": student.pk, "source": "manual"}
    if case == "missing_student":
        kwargs["student_id"] = 999_999
    elif case == "missing_course":
        kwargs["course_id"] = 999_999
    elif case == "source":
        kwargs["source"] = "magic"
    elif case == "delivery":
        kwargs["delivery"] = "pigeon"
    with pytest.raises(ValidationError) as error:
        services.enrol(**kwargs)
    assert key in error.value.message_dict
    assert not Enrolment.objects.exists()
    assert not events("content.enrolled")


def test_enrol_is_for_the_administration_or_the_system(admin, setting, make_user):
    course = create(admin, setting)
    student = active_student(setting)
    with pytest.raises(PermissionDenied):
        services.enrol(actor=make_user(Role.TEACHER), course_id=course.pk, student_id=student.pk, source="manual")
    assert not Enrolment.objects.exists()
    services.enrol(actor=None, course_id=course.pk, student_id=student.pk, source="individual_plan")
    assert Enrolment.objects.get().source == "individual_plan"


def test_enrol_groups_enrols_the_studying_students_once(admin, setting):
    course = create(admin, setting, group_ids=[setting["group_a"].pk, setting["group_b"].pk])
    a1, a2, b1 = active_student(setting), active_student(setting), active_student(setting, "group_b")
    active_student(setting, status=StudentStatus.ACADEMIC_LEAVE)
    make_student(setting["programme"], group=setting["group_a"], status=StudentStatus.APPLICANT)
    outsider = make_student(setting["programme"], group=make_group("ИС-26-9", setting["programme"]), status="active")
    assert services.course_enrol_groups(actor=admin, course=course) == 3
    assert set(Enrolment.objects.values_list("student_id", "source", "delivery", "active")) == {
        (a1.pk, "group", "electronic", True),
        (a2.pk, "group", "electronic", True),
        (b1.pk, "group", "electronic", True),
    }
    [event] = events("content.group_enrolled")
    assert event.after["group_ids"] == sorted([setting["group_a"].pk, setting["group_b"].pk])
    assert sorted(event.after["student_ids"]) == sorted([a1.pk, a2.pk, b1.pk])
    assert event.after["count"] == 3
    # Pressing again changes nothing and writes no event.
    assert services.course_enrol_groups(actor=admin, course=course) == 0
    assert Enrolment.objects.count() == 3
    assert len(events("content.group_enrolled")) == 1
    assert not Enrolment.objects.filter(student=outsider).exists()


def test_enrol_groups_leaves_an_ended_enrolment_ended(admin, setting):
    course = create(admin, setting, group_ids=[setting["group_a"].pk])
    student = active_student(setting)
    services.course_enrol_groups(actor=admin, course=course)
    services.enrolment_end(actor=admin, enrolment=Enrolment.objects.get(), reason="")
    assert services.course_enrol_groups(actor=admin, course=course) == 0
    assert Enrolment.objects.get(student=student).active is False


def test_enrol_groups_is_for_the_administration(admin, setting, make_user):
    course = create(admin, setting, group_ids=[setting["group_a"].pk])
    active_student(setting)
    with pytest.raises(PermissionDenied):
        services.course_enrol_groups(actor=make_user(Role.HEAD), course=course)
    assert not Enrolment.objects.exists()


def test_enrolment_end_and_its_refusals(admin, setting, make_user):
    course = create(admin, setting)
    enrolment = services.enrol(actor=admin, course_id=course.pk, student_id=active_student(setting).pk, source="manual")
    with pytest.raises(PermissionDenied):
        services.enrolment_end(actor=make_user(Role.TEACHER), enrolment=enrolment)
    ended = services.enrolment_end(actor=admin, enrolment=enrolment, reason=" Left the group ")
    assert ended.active is False
    assert ended.ended_at is not None
    [event] = events("content.enrolment_ended")
    assert (event.before["active"], event.after["active"], event.reason) == (True, False, "Left the group")
    with pytest.raises(ValidationError):
        services.enrolment_end(actor=admin, enrolment=enrolment)
    assert len(events("content.enrolment_ended")) == 1


# --- content.api ----------------------------------------------------------------------------------


def test_public_api(admin, setting):
    course = create(admin, setting, group_ids=[setting["group_a"].pk])
    other_period = AcademicPeriodFactory(number=2)
    other = create(admin, setting, code="IS2101-2026-2", period_id=other_period.pk)
    student = active_student(setting)
    data = content_api.enrol(actor=admin, course_id=course.pk, student_id=student.pk, source="individual_plan")
    assert data == EnrolmentData(
        id=data.id,
        course_id=course.pk,
        student_id=student.pk,
        source="individual_plan",
        delivery="electronic",
        active=True,
    )
    with translation.override("ru"):
        assert content_api.course_get(course_id=course.pk) == CourseData(
            id=course.pk,
            discipline_id=setting["discipline"].pk,
            period_id=setting["period"].pk,
            code="IS2101-2026-1",
            title="Информационные системы",
            group_ids=(setting["group_a"].pk,),
        )
    assert content_api.course_get(course_id=999_999) is None
    assert [c.id for c in content_api.courses_of_student(student_id=student.pk)] == [course.pk]
    assert [c.id for c in content_api.course_list()] == [course.pk, other.pk]
    assert [c.id for c in content_api.course_list(period_id=other_period.pk)] == [other.pk]
    assert [c.id for c in content_api.courses_for_discipline(discipline_id=setting["discipline"].pk)] == [
        course.pk,
        other.pk,
    ]
    assert content_api.course_list(discipline_ids=[]) == []
    assert [e.course_id for e in content_api.enrolments_of_student(student_id=student.pk)] == [course.pk]
    ended = content_api.enrolment_end(actor=admin, course_id=course.pk, student_id=student.pk, reason="Plan changed")
    assert ended is not None
    assert ended.active is False
    assert content_api.enrolment_end(actor=admin, course_id=course.pk, student_id=student.pk) is None
    assert content_api.courses_of_student(student_id=student.pk) == []


def test_staff_rows_are_unique_per_role(admin, setting, make_user):
    """A person may be both teacher and tutor of a course (two rows), never twice the same."""
    course = create(admin, setting)
    both = make_user(Role.TEACHER, Role.TUTOR)
    services.course_staff_set(actor=admin, course=course, teacher_ids=[both.pk, both.pk], tutor_ids=[both.pk])
    assert sorted(CourseStaff.objects.filter(course=course).values_list("role", flat=True)) == [
        StaffRole.TEACHER,
        StaffRole.TUTOR,
    ]
