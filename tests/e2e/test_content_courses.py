"""Courses in the browser: the administration service creates a course and enrols its group; a student sees the
course with an accessible progress bar and a locked item; the teacher reads the group's progress. Every page
is checked with axe."""

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from qashyq.academics.tests.factories import AcademicPeriodFactory, DisciplineFactory
from qashyq.accounts.api import Role
from qashyq.content.data import StaffRole
from qashyq.content.models import Course, Enrolment
from qashyq.content.services.progress import progress_record
from qashyq.content.tests.course_helpers import item_in, publish
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student
from tests.e2e.support import Account, assert_accessible, kk, path_is

COURSES = "/content/courses/"


def test_administration_creates_a_course_and_enrols_its_group(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    administration = make_account(Role.ADMINISTRATION, first_name="Гүлнар", last_name="Байжанова")
    discipline = DisciplineFactory(code="IS2101", name_kk="Деректер қоры", name_ru="Базы данных")
    period = AcademicPeriodFactory()
    programme = make_programme()
    group = make_group("ИС-26-1", programme)
    studying = [
        make_student(programme, group=group, status=StudentStatus.ACTIVE, last_name=name, first_name="Дана")
        for name in ("Сейітова", "Нұрланова")
    ]
    make_student(programme, group=group, status=StudentStatus.APPLICANT, last_name="Оспанова")

    sign_in(page, administration)
    page.locator(f"header nav a[href='{COURSES}']").click()
    expect(page).to_have_url(path_is(COURSES))
    assert_accessible(page)
    page.locator(f"main a[href='{COURSES}new/']").click()
    expect(page).to_have_url(path_is(f"{COURSES}new/"))
    assert_accessible(page)

    # Without a code nothing is created, and the page says what is missing.
    page.locator("#id_discipline").select_option(str(discipline.pk))
    page.locator("#id_period").select_option(str(period.pk))
    page.locator(f"main input[name=groups][value='{group.pk}']").check()
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not Course.objects.exists()

    page.locator("#id_code").fill("IS2101-2026-1")
    page.locator("main form [type=submit]").click()
    course = Course.objects.get()
    detail = f"{COURSES}{course.pk}/"
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("main h1")).to_have_text("Деректер қоры")  # the discipline's name by default
    assert_accessible(page)

    page.locator(f"main a[href='{detail}students/']").click()
    expect(page).to_have_url(path_is(f"{detail}students/"))
    expect(page.locator("#course-students tbody tr")).to_have_count(1)  # "nobody yet"
    assert_accessible(page)
    page.locator(f"main form[action='{detail}enrol/'] [type=submit]").click()
    expect(page).to_have_url(path_is(f"{detail}students/"))
    expect(page.locator("#course-students tbody tr")).to_have_count(2)
    for student in studying:
        expect(page.locator("#course-students")).to_contain_text(student.full_name)
    expect(page.locator(".qh-messages")).to_be_visible()
    assert_accessible(page)
    assert set(Enrolment.objects.values_list("student_id", flat=True)) == {s.pk for s in studying}

    # Pressing again enrols nobody twice.
    page.locator(f"main form[action='{detail}enrol/'] [type=submit]").click()
    expect(page.locator("#course-students tbody tr")).to_have_count(2)
    assert Enrolment.objects.count() == 2


def test_student_sees_the_course_with_its_progress_and_the_teacher_the_group(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    open_page: Callable[[], Page],
) -> None:
    learner = make_account(Role.STUDENT, first_name="Айгерім", last_name="Сейітова")
    teacher = make_account(Role.TEACHER, first_name="Ерлан", last_name="Қайратов")
    programme = make_programme()
    group = make_group("ИС-26-1", programme)
    course = CourseFactory(code="IS2101-2026-1", name_kk="Деректер қоры")
    course.groups.add(group)
    add_staff(course, teacher.user, StaffRole.TEACHER)
    student = make_student(programme, group=group, status=StudentStatus.ACTIVE, user=learner.user)
    enrolment = Enrolment.objects.create(course=course, student=student, source="group")
    section = SectionFactory(course=course, name_kk="1-апта")
    items = [
        item_in(course, section, name_kk=title, position=n, minutes=30, activity=activity)
        for n, (title, activity) in enumerate(
            [("Кіріспе", "interaction"), ("Реляциялық модель", "independent"), ("SQL негіздері", "independent")]
        )
    ]
    items[2].prerequisite = items[1]
    items[2].save()
    for item in items:
        publish(item)
    later = item_in(course, section, name_kk="Қорытынды", position=9)
    later.available_from = timezone.now() + timezone.timedelta(days=5)
    later.save()
    publish(later)
    item_in(course, section, name_kk="Жоба (жарияланбаған)", position=10)
    progress_record(enrolment=enrolment, item=items[0], status="completed")

    sign_in(page, learner)
    page.locator(f"header nav a[href='{COURSES}']").click()
    expect(page).to_have_url(path_is(COURSES))
    bar = page.locator("#course-list [role=progressbar]")
    expect(bar).to_have_attribute("aria-valuenow", "25")
    expect(bar).to_have_attribute("aria-valuemin", "0")
    expect(bar).to_have_attribute("aria-valuemax", "100")
    assert_accessible(page)

    page.locator(f"#course-list a[href='{COURSES}{course.pk}/']").click()
    expect(page).to_have_url(path_is(f"{COURSES}{course.pk}/"))
    expect(page.locator("main [role=progressbar]")).to_have_attribute("aria-valuenow", "25")
    main = page.locator("main")
    expect(main).to_contain_text("Кіріспе")
    expect(main).not_to_contain_text("жарияланбаған")
    # The third item waits for the second; the last opens later: their reasons are written out, not linked.
    expect(main).to_contain_text("Реляциялық модель")
    expect(page.locator(f"main a[href='/content/items/{items[2].pk}/']")).to_have_count(0)
    expect(page.locator(f"main a[href='/content/items/{items[1].pk}/']")).to_have_count(1)
    assert_accessible(page)

    # The teacher's group view: symbols with text, a legend, the student's per cent.
    teacher_page = open_page()
    sign_in(teacher_page, teacher)
    teacher_page.goto(url(f"{COURSES}{course.pk}/"))
    expect(teacher_page.locator("main")).to_contain_text("Жоба (жарияланбаған)")  # drafts for staff
    assert_accessible(teacher_page)
    teacher_page.locator(f"main a[href='{COURSES}{course.pk}/progress/']").click()
    expect(teacher_page).to_have_url(path_is(f"{COURSES}{course.pk}/progress/"))
    row = teacher_page.locator("#progress-matrix tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(student.full_name)
    expect(row).to_contain_text("25%")
    expect(row.locator("td.qh-s-completed")).to_have_count(1)
    expect(row.locator("td.qh-s-completed .visually-hidden")).to_have_text(kk("Completed"))
    assert_accessible(teacher_page)
