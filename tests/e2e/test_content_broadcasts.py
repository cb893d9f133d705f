"""TV technology: a teacher puts a broadcast of their course on the schedule (a clash on the channel is refused
on the page, nothing saved), and the course's student finds it in "My calendar", with last month's broadcast
linking to its recording."""

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.content.models import Broadcast
from qashyq.content.tests.broadcast_helpers import ALMATY, broadcast, course, staffed_course
from qashyq.content.tests.factories import enrolled_student
from tests.e2e.support import Account, assert_accessible, path_is, sign_out

SCHEDULE = "/content/broadcasts/"
CALENDAR = "/content/calendar/"


def test_a_teacher_schedules_a_broadcast_and_the_student_sees_it(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Сәуле", last_name="Байтұрсынова")
    student = make_account(Role.STUDENT, first_name="Арман", last_name="Жұмабаев")
    the_course = staffed_course(teacher=teacher.user, code="INF-101", name_kk="Алгоритмдер", name_en="Algorithms")
    enrolled_student(the_course, user=student.user)
    day = (timezone.localtime(timezone.now(), ALMATY) + timedelta(days=10)).date()
    other = course(code="PED-202")
    taken = broadcast(other, timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()), ALMATY)
                      + timedelta(hours=10), minutes=60, channel="Хабар")  # fmt: skip
    aired_at = timezone.now() - timedelta(days=35)
    broadcast(the_course, aired_at, name_kk="Кіріспе дәріс", recording_url="https://tv.example.kz/records/1")

    # The teacher opens the schedule from the navigation and adds a broadcast.
    sign_in(page, teacher)
    page.locator(f"header nav a[href='{SCHEDULE}']").click()
    expect(page).to_have_url(path_is(SCHEDULE))
    assert_accessible(page)
    page.locator("main a[href='/content/broadcasts/new/']").click()
    expect(page).to_have_url(path_is("/content/broadcasts/new/"))
    assert_accessible(page)
    page.locator("#id_course").select_option(str(the_course.pk))
    page.locator("#id_channel").fill("хабар")
    page.locator("#id_day").fill(day.isoformat())
    page.locator("#id_time").fill("10:30")
    page.locator("#id_duration_minutes").fill("45")
    page.locator("#id_name_kk").fill("Сұрыптау алгоритмдері")
    page.locator("#id_name_ru").fill("Алгоритмы сортировки")
    page.locator("main form [type=submit]").click()

    # The channel is taken then: the page says by which course, and nothing is saved.
    expect(page.locator("main [role=alert]")).to_contain_text("PED-202")
    expect(page.locator("#id_time")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert list(Broadcast.objects.filter(course=the_course).values_list("name_kk", flat=True)) == ["Кіріспе дәріс"]

    page.locator("#id_time").fill("11:00")
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{SCHEDULE}\?when=upcoming&course={the_course.pk}$"))
    expect(page.locator("#broadcasts tbody tr")).to_have_count(1)
    expect(page.locator("#broadcasts")).to_contain_text("Сұрыптау алгоритмдері")
    expect(page.locator("#broadcasts")).to_contain_text("11:00")
    assert_accessible(page)
    made = Broadcast.objects.get(name_kk="Сұрыптау алгоритмдері")
    assert made.starts_at == taken.starts_at + timedelta(hours=1)
    sign_out(page)

    # The student finds it in "My calendar", in its month, from the month grid.
    sign_in(page, student)
    page.locator(f"header nav a[href='{CALENDAR}']").click()
    expect(page).to_have_url(path_is(CALENDAR))
    assert_accessible(page)
    page.goto(url(f"{CALENDAR}?month={day:%Y-%m}"))
    anchor = f"#day-{day.isoformat()}"
    page.locator(f"#month-grid a[href='{anchor}']").click()
    expect(page.locator(anchor)).to_be_visible()
    entry = page.locator(f"section[aria-labelledby='day-{day.isoformat()}']")
    expect(entry).to_contain_text("Сұрыптау алгоритмдері")
    expect(entry).to_contain_text("11:00–11:45")
    expect(entry).to_contain_text("Хабар")
    assert_accessible(page)

    # Last month's broadcast links to its recording.
    aired_day = timezone.localtime(aired_at, ALMATY).date()
    page.goto(url(f"{CALENDAR}?month={aired_day:%Y-%m}"))
    expect(
        page.locator(
            f"section[aria-labelledby='day-{aired_day.isoformat()}'] a[href='https://tv.example.kz/records/1']"
        )
    ).to_be_visible()
    assert_accessible(page)
