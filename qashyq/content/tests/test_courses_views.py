"""Course pages: status codes per role (200/302/400/403/404), what each person sees, fixed query counts."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from qashyq.academics.tests.factories import DisciplineFactory
from qashyq.accounts.api import Role
from qashyq.content.data import DeliveryChannel, ProgressStatus, StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment
from qashyq.content.services.progress import progress_record
from qashyq.content.tests.course_helpers import item_in, make_items, make_world, publish
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff, enrolled_student
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

MFA = {"administration", "head", "it_support"}


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def login(client, enrol_totp):
    enrolled = set()

    def sign_in(user, *, who=""):
        if who in MFA and user.pk not in enrolled:
            enrol_totp(user)
            enrolled.add(user.pk)
        client.force_login(user)
        return client

    return sign_in


def as_(login, world, who):
    return login(world.people[who], who=who)


def url(name, *args):
    return reverse(f"content:{name}", args=args)


def count_queries(client, path):
    """The queries of the page once the signed-in user's row is cached (accounts/backends.py)."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


# --- My courses ------------------------------------------------------------------------------------


def test_list_needs_sign_in(client):
    response = client.get(url("course-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_student_sees_their_courses_with_a_progress_bar(login, world):
    items = make_items(world.course, 4)
    progress_record(enrolment=world.enrolment, item=items[0], status="completed")
    client = as_(login, world, "student_enrolled")
    response = client.get(url("course-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.course.code in page
    assert world.other_course.code not in page
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="25"' in page
    assert 'aria-valuemin="0"' in page
    assert 'aria-valuemax="100"' in page


def test_teacher_and_tutor_see_their_staffed_courses(login, world):
    for who, shown, hidden in (
        ("teacher", world.course, world.other_course),
        ("other_tutor", world.other_course, world.course),
    ):
        page = as_(login, world, who).get(url("course-list")).content.decode()
        assert shown.code in page
        assert hidden.code not in page


@pytest.mark.parametrize("who", ["administration", "head", "didactics"])
def test_the_services_see_every_course_and_filter(login, world, who):
    client = as_(login, world, who)
    page = client.get(url("course-list")).content.decode()
    assert world.course.code in page
    assert world.other_course.code in page
    by_code = client.get(url("course-list"), {"q": "9999"}).content.decode()
    assert world.other_course.code in by_code
    assert world.course.code not in by_code
    discipline = world.course.discipline
    by_discipline = client.get(url("course-list"), {"q": discipline.code}).content.decode()
    assert world.course.code in by_discipline
    assert world.other_course.code not in by_discipline
    assert client.get(url("course-list"), {"period": world.course.period_id}).status_code == 200


def test_list_refuses_a_bad_filter(login, world):
    response = as_(login, world, "administration").get(url("course-list"), {"period": "abc"})
    assert response.status_code == 400


def test_list_query_count_does_not_grow_with_courses(login, world, django_assert_num_queries):
    student = world.enrolment.student
    client = as_(login, world, "student_enrolled")
    few = count_queries(client, url("course-list"))
    for n in range(12):
        course = CourseFactory(period=world.course.period, code=f"EXTRA-{n}")
        course.groups.add(world.group_a)
        Enrolment.objects.create(course=course, student=student, source="group")
        make_items(course, 2, sections=1)
    assert count_queries(client, url("course-list")) == few
    with django_assert_num_queries(few):
        client.get(url("course-list"))
    admin = as_(login, world, "administration")
    assert count_queries(admin, url("course-list")) == count_queries(admin, url("course-list") + "?page=2")


# --- New course, edit, staff -----------------------------------------------------------------------------


def test_administration_creates_a_course(login, world):
    client = as_(login, world, "administration")
    assert client.get(url("course-create")).status_code == 200
    discipline = DisciplineFactory(code="MATH1", name_kk="Математика", name_ru="Математика")
    response = client.post(
        url("course-create"),
        {
            "discipline": discipline.pk,
            "period": world.course.period_id,
            "code": "MATH1-2026",
            "language": "kk",
            "groups": [world.group_a.pk],
        },
    )
    course = Course.objects.get(code="MATH1-2026")
    assert response.status_code == 302
    assert response["Location"] == url("course-detail", course.pk)
    assert course.name_kk == "Математика"
    assert list(course.groups.all()) == [world.group_a]


def test_create_with_bad_input_is_400_and_writes_nothing(login, world):
    client = as_(login, world, "administration")
    before = Course.objects.count()
    response = client.post(
        url("course-create"),
        {
            "discipline": world.course.discipline_id,
            "period": world.course.period_id,
            "code": world.course.code,
            "language": "kk",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["code"]  # the service's refusal, on its field
    assert Course.objects.count() == before
    assert client.post(url("course-create"), {"code": "X"}).status_code == 400


@pytest.mark.parametrize("who", ["teacher", "head", "didactics", "student_enrolled", "tutor_all"])
def test_only_the_administration_may_create(login, world, who):
    client = as_(login, world, who)
    assert client.get(url("course-create")).status_code == 403
    assert client.post(url("course-create"), {"code": "NOPE"}).status_code == 403
    assert not Course.objects.filter(code="NOPE").exists()


def test_edit(login, world):
    client = as_(login, world, "administration")
    assert client.get(url("course-edit", world.course.pk)).status_code == 200
    data = {
        "discipline": world.course.discipline_id,
        "period": world.course.period_id,
        "code": world.course.code,
        "name_kk": "Жаңа атау",
        "language": "ru",
        "groups": [world.group_a.pk, world.group_b.pk],
    }
    response = client.post(url("course-edit", world.course.pk), data)
    assert response.status_code == 302
    world.course.refresh_from_db()
    assert (world.course.name_kk, world.course.language) == ("Жаңа атау", "ru")
    assert client.post(url("course-edit", world.course.pk), {**data, "code": ""}).status_code == 400
    assert client.get(url("course-edit", 999_999)).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("teacher", 403), ("head", 403), ("other_teacher", 404)])
def test_edit_refusals(login, world, who, status):
    assert as_(login, world, who).get(url("course-edit", world.course.pk)).status_code == status


def test_staff_page_sets_teachers_tutors_and_limits(login, world, make_user):
    client = as_(login, world, "administration")
    response = client.get(url("course-staff", world.course.pk))
    assert response.status_code == 200
    assert world.people["teacher"].full_name in response.content.decode()
    new_teacher = make_user(Role.TEACHER)
    tutor = world.people["tutor_limited"]
    response = client.post(
        url("course-staff", world.course.pk),
        {
            "teachers": [world.people["teacher"].pk, new_teacher.pk],
            "tutors": [tutor.pk],
            f"tutor_groups_{tutor.pk}": [world.group_a.pk],
        },
    )
    assert response.status_code == 302
    rows = {
        (s.user_id, s.role): sorted(g.pk for g in s.groups.all())
        for s in CourseStaff.objects.filter(course=world.course)
    }
    assert rows == {
        (world.people["teacher"].pk, "teacher"): [],
        (new_teacher.pk, "teacher"): [],
        (tutor.pk, "tutor"): [world.group_a.pk],
    }


def test_staff_page_refuses_someone_without_the_role(login, world):
    client = as_(login, world, "administration")
    before = CourseStaff.objects.filter(course=world.course).count()
    response = client.post(url("course-staff", world.course.pk), {"teachers": [world.people["didactics"].pk]})
    assert response.status_code == 400  # not among the choices
    assert CourseStaff.objects.filter(course=world.course).count() == before
    assert as_(login, world, "teacher").get(url("course-staff", world.course.pk)).status_code == 403


# --- Enrolment, students ------------------------------------------------------------------------------------


def test_enrol_the_groups(login, world):
    newcomer = make_student(world.enrolment.student.programme, group=world.group_b, status=StudentStatus.ACTIVE)
    client = as_(login, world, "administration")
    assert client.get(url("course-enrol", world.course.pk)).status_code == 405
    response = client.post(url("course-enrol", world.course.pk))
    assert response.status_code == 302
    assert response["Location"] == url("course-students", world.course.pk)
    assert Enrolment.objects.get(course=world.course, student=newcomer).active
    # The student not enrolled before is enrolled now; the ended one stays ended.
    assert Enrolment.objects.get(course=world.course, student=world.ended.student).active is False
    count = Enrolment.objects.count()
    client.post(url("course-enrol", world.course.pk))
    assert Enrolment.objects.count() == count
    assert as_(login, world, "teacher").post(url("course-enrol", world.course.pk)).status_code == 403
    # The student of group A not enrolled before is enrolled now: they see the course, but may not enrol.
    assert as_(login, world, "student_not_enrolled").post(url("course-enrol", world.course.pk)).status_code == 403
    assert as_(login, world, "other_teacher").post(url("course-enrol", world.course.pk)).status_code == 404


def test_students_page_by_role(login, world):
    world.student_b.delivery = DeliveryChannel.PAPER
    world.student_b.save()
    page = as_(login, world, "teacher").get(url("course-students", world.course.pk)).content.decode()
    assert world.enrolment.student.full_name in page
    assert world.student_b.student.full_name in page
    with translation.override("kk"):
        paper, electronic = str(DeliveryChannel.PAPER.label), str(DeliveryChannel.ELECTRONIC.label)
    rows = {row.split("</th>")[0]: row for row in page.split('<th scope="row">')[1:]}
    assert paper in rows[world.student_b.student.full_name]
    assert electronic in rows[world.enrolment.student.full_name]
    limited = as_(login, world, "tutor_limited").get(url("course-students", world.course.pk)).content.decode()
    assert world.student_b.student.full_name in limited
    assert world.enrolment.student.full_name not in limited
    assert as_(login, world, "student_enrolled").get(url("course-students", world.course.pk)).status_code == 403
    assert as_(login, world, "didactics").get(url("course-students", world.course.pk)).status_code == 403
    assert as_(login, world, "other_teacher").get(url("course-students", world.course.pk)).status_code == 404


def test_end_an_enrolment(login, world):
    client = as_(login, world, "administration")
    response = client.post(url("enrolment-end", world.enrolment.pk), {"reason": "Expelled"})
    assert response.status_code == 302
    world.enrolment.refresh_from_db()
    assert world.enrolment.active is False
    assert client.post(url("enrolment-end", world.enrolment.pk)).status_code == 302  # already ended: a message
    assert client.post(url("enrolment-end", world.student_b.pk), {"reason": "x" * 301}).status_code == 400
    assert as_(login, world, "teacher").post(url("enrolment-end", world.student_b.pk)).status_code == 404
    world.student_b.refresh_from_db()
    assert world.student_b.active is True


# --- The course page ------------------------------------------------------------------------------------------


def test_student_sees_published_items_only_as_published(login, world):
    section = SectionFactory(course=world.course, name_kk="1-апта")
    shown = item_in(world.course, section=section, name_kk="Кіріспе", minutes=30, activity="interaction")
    publish(shown)
    shown.name_kk = "Кіріспе (жаңа нұсқа)"
    shown.draft_changed = True
    shown.save()
    item_in(world.course, section=section, name_kk="Жоба")  # never published
    page = as_(login, world, "student_enrolled").get(url("course-detail", world.course.pk)).content.decode()
    assert "Кіріспе" in page
    assert "жаңа нұсқа" not in page
    assert "Жоба" not in page
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="0"' in page


def test_staff_sees_drafts_and_their_state(login, world):
    section = SectionFactory(course=world.course)
    published = item_in(world.course, section=section, name_kk="Жарияланған")
    publish(published)
    changed = item_in(world.course, section=section, name_kk="Өзгерген")
    publish(changed)
    changed.draft_changed = True
    changed.save()
    item_in(world.course, section=section, name_kk="Жоба")
    for who in ("teacher", "tutor_limited", "head", "didactics", "administration"):
        response = as_(login, world, who).get(url("course-detail", world.course.pk))
        assert response.status_code == 200
        states = [item.state for block in response.context["page"].sections for item in block.items]
        assert states == ["published", "changed", "draft"], who
        assert "Жоба" in response.content.decode()


def test_course_page_refusals(login, world):
    for who in ("student_not_enrolled", "student_ended", "other_teacher", "it_support", "teacher_without_role"):
        assert as_(login, world, who).get(url("course-detail", world.course.pk)).status_code == 404, who
    assert as_(login, world, "administration").get(url("course-detail", 999_999)).status_code == 404


def test_lock_reasons_and_progress_for_a_student(login, world):
    section = SectionFactory(course=world.course)
    first = item_in(world.course, section=section, name_kk="Бірінші", position=1)
    publish(first)
    second = item_in(world.course, section=section, name_kk="Екінші", position=2, prerequisite=first)
    publish(second)
    later = item_in(world.course, section=section, name_kk="Кейін", position=3)
    later.available_from = timezone.now() + timezone.timedelta(days=3)
    later.save()
    publish(later)
    client = as_(login, world, "student_enrolled")
    rows = {
        i.title: i for b in client.get(url("course-detail", world.course.pk)).context["page"].sections for i in b.items
    }
    assert rows["Бірінші"].lock == ""
    assert "Бірінші" in rows["Екінші"].lock
    assert rows["Кейін"].lock != ""
    progress_record(enrolment=world.enrolment, item=first, status="completed")
    response = client.get(url("course-detail", world.course.pk))
    rows = {i.title: i for b in response.context["page"].sections for i in b.items}
    assert rows["Екінші"].lock == ""
    assert rows["Бірінші"].progress == ProgressStatus.COMPLETED
    assert response.context["page"].completion.percent == 33
    assert 'aria-valuenow="33"' in response.content.decode()


def test_activity_totals(login, world):
    section = SectionFactory(course=world.course)
    for minutes, activity in ((30, "interaction"), (45, "independent"), (15, "independent")):
        publish(item_in(world.course, section=section, minutes=minutes, activity=activity))
    item_in(world.course, section=section, minutes=100, activity="interaction")  # a draft
    student = as_(login, world, "student_enrolled").get(url("course-detail", world.course.pk)).context["page"]
    assert [(t.activity, t.items, t.minutes) for t in student.totals] == [
        ("interaction", 1, 30),
        ("independent", 2, 60),
    ]
    staff = as_(login, world, "teacher").get(url("course-detail", world.course.pk)).context["page"]
    assert [(t.activity, t.items, t.minutes) for t in staff.totals] == [("interaction", 2, 130), ("independent", 2, 60)]


@pytest.mark.parametrize("who", ["student_enrolled", "teacher", "administration"])
def test_course_page_query_count_does_not_grow_with_items(login, world, who, django_assert_num_queries):
    items = make_items(world.course, 3)
    progress_record(enrolment=world.enrolment, item=items[0], status="completed")
    client = as_(login, world, who)
    path = url("course-detail", world.course.pk)
    few = count_queries(client, path)
    more = make_items(world.course, 27)
    for item in more[::2]:
        progress_record(enrolment=world.enrolment, item=item, status="viewed")
    with django_assert_num_queries(few):
        response = client.get(path)
    assert sum(len(b.items) for b in response.context["page"].sections) == 30


def test_teacher_sees_authoring_links(login, world):
    section = SectionFactory(course=world.course)
    item_in(world.course, section=section)
    response = as_(login, world, "teacher").get(url("course-detail", world.course.pk))
    assert response.context["can_edit"] is True
    assert response.context["can_build_case"] is True
    assert response.context["can_manage_delivery"] is False
    tutor = as_(login, world, "tutor_all").get(url("course-detail", world.course.pk))
    assert tutor.context["can_edit"] is False
    assert tutor.context["can_build_case"] is False


# --- Group progress ------------------------------------------------------------------------------------------


def test_progress_matrix_for_the_teacher(login, world):
    items = make_items(world.course, 4, sections=2)
    progress_record(enrolment=world.enrolment, item=items[0], status="completed")
    progress_record(enrolment=world.enrolment, item=items[1], status="viewed")
    progress_record(enrolment=world.student_b, item=items[2], status="completed", score=85)
    response = as_(login, world, "teacher").get(url("course-progress", world.course.pk))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    rows = {r.student_name: r for r in matrix.rows}
    # Columns in course order: section 1 holds items 0 and 2, section 2 items 1 and 3.
    assert [i.id for i in matrix.items] == [items[0].id, items[2].id, items[1].id, items[3].id]
    mine = rows[world.enrolment.student.full_name]
    assert mine.statuses == ("completed", "not_started", "viewed", "not_started")
    assert mine.completion.percent == 25
    assert rows[world.student_b.student.full_name].scores == (None, 85, None, None)
    assert world.ended.student.full_name not in rows  # an ended enrolment is not in the group view
    page = response.content.decode()
    assert '<span class="visually-hidden">' in page  # each symbol has its text


def test_tutor_sees_only_their_groups_and_the_group_filter(login, world):
    make_items(world.course, 2)
    tutor = as_(login, world, "tutor_limited")
    names = [r.student_name for r in tutor.get(url("course-progress", world.course.pk)).context["matrix"].rows]
    assert names == [world.student_b.student.full_name]
    # A group outside the tutor's is not a choice.
    assert tutor.get(url("course-progress", world.course.pk), {"group": world.group_a.pk}).status_code == 400
    teacher = as_(login, world, "teacher")
    only_a = teacher.get(url("course-progress", world.course.pk), {"group": world.group_a.pk}).context["matrix"]
    assert [r.student_name for r in only_a.rows] == [world.enrolment.student.full_name]


def test_progress_refusals(login, world):
    assert as_(login, world, "student_enrolled").get(url("course-progress", world.course.pk)).status_code == 403
    assert as_(login, world, "didactics").get(url("course-progress", world.course.pk)).status_code == 403
    assert as_(login, world, "other_tutor").get(url("course-progress", world.course.pk)).status_code == 404
    assert as_(login, world, "head").get(url("course-progress", 999_999)).status_code == 404


def test_progress_csv(login, world):
    items = make_items(world.course, 2, sections=1)
    progress_record(enrolment=world.enrolment, item=items[1], status="completed")
    response = as_(login, world, "head").get(url("course-progress", world.course.pk), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows[0]) == 3 + 2
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[world.enrolment.student.full_name][2] == "50"


def test_progress_query_count_does_not_grow(login, world, django_assert_num_queries):
    make_items(world.course, 3)
    client = as_(login, world, "teacher")
    path = url("course-progress", world.course.pk)
    few = count_queries(client, path)
    items = make_items(world.course, 20)
    for _n in range(6):
        enrolment = enrolled_student(world.course)
        for item in items[::3]:
            progress_record(enrolment=enrolment, item=item, status="completed")
    with django_assert_num_queries(few):
        response = client.get(path)
    assert len(response.context["matrix"].rows) >= 8


def test_a_teacher_who_also_tutors_sees_every_group(login, world):
    """A limit as tutor does not narrow what the same person sees as the course's teacher."""
    teacher = world.people["teacher"]
    staff = add_staff(world.course, teacher, StaffRole.TUTOR)
    staff.groups.set([world.group_b])
    teacher.groups.add(Group.objects.get(name=Role.TUTOR.value))
    make_items(world.course, 1)
    response = login(type(teacher).objects.get(pk=teacher.pk)).get(url("course-progress", world.course.pk))
    assert {r.enrolment_id for r in response.context["matrix"].rows} == {world.enrolment.pk, world.student_b.pk}
