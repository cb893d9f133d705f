"""REST API of students: restricted like the list, IIN masked per can_see_iin, disability only when allowed."""

import pytest
from django.urls import reverse

from qashyq.accounts.api import Role
from qashyq.core.iin import iin_mask
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student, teach

LIST = reverse("api-student-list")


def detail(student):
    return reverse("api-student-detail", kwargs={"student_id": student.pk})


@pytest.fixture
def world(db, make_user, enrol_totp):
    programme = make_programme()
    group_a, group_b = make_group("ИС-26-1", programme), make_group("ИС-26-2", programme)
    owner = make_user(Role.STUDENT)
    people = {role: make_user(role) for role in Role}
    for role in (Role.ADMINISTRATION, Role.HEAD, Role.IT_SUPPORT):
        enrol_totp(people[role])
    teach(people[Role.TEACHER], group_a)
    student = make_student(
        programme, group=group_a, user=owner, last_name="Сейітова", first_name="Айгерім", disability="group_1"
    )
    stranger = make_student(programme, group=group_b, last_name="Жұмабаев", first_name="Арман")
    return {"people": people, "owner": owner, "student": student, "stranger": stranger, "group_b": group_b}


def as_(client, world, who):
    client.force_login(world["owner"] if who == "owner" else world["people"][who])
    return client


def test_administration_gets_everything(client, world):
    response = as_(client, world, Role.ADMINISTRATION).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == sorted([world["student"].pk, world["stranger"].pk])
    record = next(r for r in body["results"] if r["id"] == world["student"].pk)
    student = world["student"]
    assert record == {
        "id": student.pk,
        "iin": student.iin,
        "last_name": "Сейітова",
        "first_name": "Айгерім",
        "patronymic": "",
        "name_latin": "Seiıtova Aigerım",
        "birth_date": student.birth_date.isoformat(),
        "sex": student.sex,
        "citizenship": "KZ",
        "phone": "",
        "email": "",
        "address": "",
        "programme_id": student.programme_id,
        "programme_code": "6B06101",
        "group_id": student.group_id,
        "group_code": "ИС-26-1",
        "form_of_study": "full_time",
        "language": "kk",
        "funding": "state_grant",
        "bolashak": False,
        "disability": "group_1",
        "status": "applicant",
        "course_year": 1,
    }


def test_teacher_gets_their_group_masked_without_disability(client, world):
    body = as_(client, world, Role.TEACHER).get(LIST).json()
    assert [r["id"] for r in body["results"]] == [world["student"].pk]
    record = body["results"][0]
    assert record["iin"] == iin_mask(world["student"].iin)
    assert "disability" not in record


def test_filters(client, world):
    client = as_(client, world, Role.HEAD)

    def ids(**params):
        return [r["id"] for r in client.get(LIST, params).json()["results"]]

    assert ids(q="Jumabaev") == [world["stranger"].pk]
    assert ids(q=world["student"].iin) == [world["student"].pk]
    assert ids(group=world["group_b"].pk) == [world["stranger"].pk]
    assert ids(status="active") == []
    assert client.get(LIST, {"status": "flying"}).status_code == 400


@pytest.mark.parametrize(
    ("who", "status", "full_iin", "disability"),
    [
        (Role.ADMINISTRATION, 200, True, True),
        (Role.HEAD, 200, True, True),
        (Role.TEACHER, 200, False, False),
        (Role.TUTOR, 404, None, None),
        ("owner", 200, True, False),
        (Role.STUDENT, 404, None, None),
        (Role.DIDACTICS, 404, None, None),
        (Role.IT_SUPPORT, 404, None, None),
    ],
)
def test_detail_matrix(client, world, who, status, full_iin, disability):
    response = as_(client, world, who).get(detail(world["student"]))
    assert response.status_code == status
    if status == 200:
        record = response.json()
        iin = world["student"].iin
        assert record["iin"] == (iin if full_iin else iin_mask(iin))
        assert ("disability" in record) is disability


@pytest.mark.parametrize("who", [Role.STUDENT, Role.DIDACTICS, Role.IT_SUPPORT, "owner"])
def test_list_refused_for_others(client, world, who):
    assert as_(client, world, who).get(LIST).status_code == 403


def test_anonymous(client, world):
    assert client.get(LIST).status_code == 403
    assert client.get(detail(world["student"])).status_code == 403


def test_schema_describes_the_endpoints(client, world):
    schema = as_(client, world, Role.ADMINISTRATION).get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/students/" in schema["paths"]
    assert "/api/v1/students/{student_id}/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/students/"]["get"]["parameters"]}
    assert {"q", "group", "programme", "status", "form_of_study"} <= names
