"""REST API of courses, items and progress: restricted like the pages, published data only for students,
and every endpoint in the OpenAPI schema."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qashyq.content.models import Item
from qashyq.content.services.progress import progress_record
from qashyq.content.tests.course_helpers import item_in, make_world, publish
from qashyq.content.tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

MFA = {"administration", "head", "it_support"}
LIST = reverse("api-content-course-list")


def detail(course):
    return reverse("api-content-course-detail", args=[course.pk])


def items_of(course):
    return reverse("api-content-course-items", args=[course.pk])


def item_url(item):
    return reverse("api-content-item-detail", args=[item.pk])


def progress_url(course):
    return reverse("api-content-course-progress", args=[course.pk])


def my_progress_url(course):
    return reverse("api-content-my-progress", args=[course.pk])


@pytest.fixture
def world():
    world = make_world()
    section = SectionFactory(course=world.course, name_kk="1-апта")
    world.open = item_in(world.course, section, name_kk="Ашық", body="<p>Мазмұны</p>", minutes=20, position=1)
    publish(world.open)
    world.open.name_kk = "Ашық (жоба)"
    world.open.draft_changed = True
    world.open.save()
    world.locked = item_in(
        world.course, section, name_kk="Жабық", body="<p>Құпия</p>", position=2, prerequisite=world.open
    )
    publish(world.locked)
    world.draft = item_in(world.course, section, name_kk="Жоба", position=3)
    return world


@pytest.fixture
def as_(client, enrol_totp):
    enrolled = set()

    def sign_in(world, who):
        user = world.people[who]
        if who in MFA and user.pk not in enrolled:
            enrol_totp(user)
            enrolled.add(user.pk)
        client.force_login(user)
        return client

    return sign_in


def test_anonymous_gets_nothing(client, world):
    for path in (LIST, detail(world.course), items_of(world.course), item_url(world.open), progress_url(world.course)):
        assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("student_enrolled", {"course"}),
        ("student_ended", set()),
        ("teacher", {"course"}),
        ("other_tutor", {"other"}),
        ("administration", {"course", "other"}),
        ("didactics", {"course", "other"}),
        ("it_support", set()),
    ],
)
def test_course_list_by_role(as_, world, who, expected):
    response = as_(world, who).get(LIST)
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert codes <= {world.course.code, world.other_course.code}
    assert {"course" if c == world.course.code else "other" for c in codes} == expected


def test_course_list_filters_and_refuses_bad_ones(as_, world):
    client = as_(world, "administration")
    assert [r["code"] for r in client.get(LIST, {"q": "9999"}).json()["results"]] == [world.other_course.code]
    assert client.get(LIST, {"period": "x"}).status_code == 400


def test_course_detail(as_, world):
    response = as_(world, "student_enrolled").get(detail(world.course))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.course.pk
    assert body["code"] == world.course.code
    assert body["discipline"]["id"] == world.course.discipline_id
    assert body["period"]["id"] == world.course.period_id
    assert body["group_ids"] == sorted([world.group_a.pk, world.group_b.pk])
    assert as_(world, "student_enrolled").get(detail(world.other_course)).status_code == 404
    assert as_(world, "administration").get(reverse("api-content-course-detail", args=[999_999])).status_code == 404


def test_items_for_a_student_are_the_published_ones(as_, world):
    body = as_(world, "student_enrolled").get(items_of(world.course)).json()
    assert body["drafts"] is False
    [section] = body["sections"]
    rows = {row["id"]: row for row in section["items"]}
    assert set(rows) == {world.open.pk, world.locked.pk}
    assert rows[world.open.pk]["title"] == "Ашық"  # the published title, not the draft's
    assert rows[world.open.pk]["lock"] == ""
    assert "Ашық" in rows[world.locked.pk]["lock"]
    assert rows[world.open.pk]["progress"] == "not_started"
    assert rows[world.open.pk]["state"] == ""
    assert {t["activity"]: t["minutes"] for t in body["totals"]} == {"interaction": 0, "independent": 20}


def test_items_for_staff_are_the_drafts(as_, world):
    body = as_(world, "tutor_limited").get(items_of(world.course)).json()
    assert body["drafts"] is True
    rows = [(r["title"], r["state"]) for r in body["sections"][0]["items"]]
    assert rows == [("Ашық (жоба)", "changed"), ("Жабық", "published"), ("Жоба", "draft")]
    assert as_(world, "other_teacher").get(items_of(world.course)).status_code == 404


def test_one_item_for_a_student(as_, world):
    client = as_(world, "student_enrolled")
    open_item = client.get(item_url(world.open)).json()
    assert open_item["title"] == "Ашық"
    assert open_item["published"]["body"] == "<p>Мазмұны</p>"
    assert open_item["draft"] is None
    assert open_item["version"] == 1
    locked = client.get(item_url(world.locked)).json()
    assert locked["lock"] != ""
    assert "body" not in locked["published"]  # nothing of a locked item's content
    assert client.get(item_url(world.draft)).status_code == 404
    progress_record(enrolment=world.enrolment, item=world.open, status="completed")
    unlocked = client.get(item_url(world.locked)).json()
    assert unlocked["lock"] == ""
    assert unlocked["published"]["body"] == "<p>Құпия</p>"


def test_one_item_for_staff(as_, world):
    body = as_(world, "teacher").get(item_url(world.draft)).json()
    assert (body["state"], body["published"], body["draft"]["name_kk"]) == ("draft", None, "Жоба")
    assert as_(world, "student_not_enrolled").get(item_url(world.open)).status_code == 404
    missing = Item.objects.order_by("-pk").first().pk + 100
    assert as_(world, "teacher").get(reverse("api-content-item-detail", args=[missing])).status_code == 404


def test_my_progress(as_, world):
    progress_record(enrolment=world.enrolment, item=world.open, status="completed")
    progress_record(enrolment=world.enrolment, item=world.draft, status="viewed")  # not published: left out
    body = as_(world, "student_enrolled").get(my_progress_url(world.course)).json()
    assert (body["completed"], body["total"], body["percent"]) == (1, 2, 50)
    assert [(i["item_id"], i["status"]) for i in body["items"]] == [(world.open.pk, "completed")]
    assert body["items"][0]["completed_at"] is not None
    assert as_(world, "teacher").get(my_progress_url(world.course)).status_code == 404
    assert as_(world, "student_ended").get(my_progress_url(world.course)).status_code == 404


def test_course_progress(as_, world):
    progress_record(enrolment=world.student_b, item=world.open, status="completed", score=90)
    body = as_(world, "teacher").get(progress_url(world.course)).json()
    assert [i["id"] for i in body["items"]] == [world.open.pk, world.locked.pk]
    students = {s["enrolment_id"]: s for s in body["students"]}
    assert set(students) == {world.enrolment.pk, world.student_b.pk}
    b = students[world.student_b.pk]
    assert (b["statuses"], b["scores"], b["percent"]) == (["completed", "not_started"], ["90.00", None], 50)
    limited = as_(world, "tutor_limited").get(progress_url(world.course)).json()
    assert [s["enrolment_id"] for s in limited["students"]] == [world.student_b.pk]
    group_a = as_(world, "head").get(progress_url(world.course), {"group": world.group_a.pk}).json()
    assert [s["enrolment_id"] for s in group_a["students"]] == [world.enrolment.pk]
    assert as_(world, "head").get(progress_url(world.course), {"group": "x"}).status_code == 400
    assert as_(world, "student_enrolled").get(progress_url(world.course)).status_code == 403
    assert as_(world, "didactics").get(progress_url(world.course)).status_code == 403
    assert as_(world, "other_tutor").get(progress_url(world.course)).status_code == 404


def test_schema_lists_the_content_endpoints(as_, world):
    response = as_(world, "teacher").get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/content/courses/",
        "/api/v1/content/courses/{course_id}/",
        "/api/v1/content/courses/{course_id}/items/",
        "/api/v1/content/items/{item_id}/",
        "/api/v1/content/courses/{course_id}/progress/",
        "/api/v1/content/courses/{course_id}/progress/me/",
    ):
        assert "get" in paths[path], path
    parameters = {p["name"] for p in paths["/api/v1/content/courses/"]["get"]["parameters"]}
    assert {"period", "q", "cursor"} <= parameters
    assert "200" in paths["/api/v1/content/courses/{course_id}/progress/"]["get"]["responses"]


def test_availability_dates_lock_an_item(as_, world):
    later = item_in(world.course, name_kk="Кейін", position=4)
    later.available_from = timezone.now() + timezone.timedelta(days=2)
    later.save()
    publish(later)
    body = as_(world, "student_enrolled").get(item_url(later)).json()
    assert body["lock"] != ""
    assert "body" not in body["published"]
